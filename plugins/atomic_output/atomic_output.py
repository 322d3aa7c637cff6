"""What can stop a build's output on its way in, and how each is told: the errors, the lock, the failures.

The run itself (stage, build, commit) is the build core's (plugins/build/run.py); the staging folder
and the commit are in output.py.
"""

import contextlib
import dataclasses
import errno
import logging
import os
import shutil
from pathlib import Path

from l10n.messages import Message, _

from .output import RETIRED, STAGING, hold_lock, lock_holder, note_lock_holder, remove_tree

logger = logging.getLogger(__name__)


class BuildFailed(SystemExit):
    """Errors were logged during the build: exit status 1, the output folder left as it was."""

    def __init__(self, errors: int):
        super().__init__(1)
        self.errors = errors


class OutputNotWritten(SystemExit):
    """A file could not be written (full disk, no permission): exit status 1, the output folder as it was."""

    def __init__(self, line: Message):
        super().__init__(1)
        self.line = line


class OutputBusy(SystemExit):
    """Another build is writing the same output folder: exit status 1, nothing touched."""

    def __init__(self, line: Message):
        super().__init__(1)
        self.line = line


# What went wrong and what an editor can do, when writing fails for one of these reasons (errno).
# Whole sentences with the file to fill in ({where}), rather than the system's English reason.
WRITE_FAILURES = {
    errno.ENOSPC: _("No space left on device while writing {where}; free some space and build again."),
    errno.EDQUOT: _("Disk quota exceeded while writing {where}; free some space and build again."),
    errno.EACCES: _("Permission denied while writing {where}; make it writable and build again."),
    errno.EPERM: _("Operation not permitted while writing {where}; make it writable and build again."),
    errno.EROFS: _("Read-only file system while writing {where}; build into a folder on a writable disk."),
}


class Unchanged(Exception):  # noqa: N818 (not an error: the build has nothing to do)
    """Raised by a plugin at the start of a build whose output would be the previous one: stop there."""


class ErrorCounter(logging.Handler):
    """Count the ERROR (and worse) records logged while a build runs."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def sibling(final: Path, mark: str, token: str) -> Path:
    """Return a folder next to final, named after it: output.partial-<pid>-<token>."""
    return final.with_name(f"{final.name}{mark}{os.getpid()}-{token}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(final: Path) -> None:
    """Remove staging folders and old trees that builds which died left next to final."""
    if not final.parent.is_dir():
        return
    for mark in (STAGING, RETIRED):
        for leftover in final.parent.glob(f"{final.name}{mark}*"):
            pid = leftover.name[len(final.name) + len(mark) :].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                with contextlib.suppress(OSError):  # tried again by the next build
                    remove_tree(leftover)


def shown(path: Path) -> str:
    """Return path as an editor would type it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# The lock files this process holds: forked workers close them, so that a worker outliving a killed
# build cannot keep the next build out.
_held_locks: set[int] = set()


def _close_held_locks() -> None:
    for descriptor in _held_locks:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _held_locks.clear()


os.register_at_fork(after_in_child=_close_held_locks)


# Another build's manifest pruning holds a lock for a moment: only a lock held longer is a build's.
PRUNING_MOMENT = 0.5


@contextlib.contextmanager
def output_lock(path: Path, final: Path):
    """Hold the output folder's lock file for the build; stop at once if another build holds it."""
    descriptor = hold_lock(path, patience=PRUNING_MOMENT)
    if descriptor is None:
        holder = lock_holder(path)[0]
        if holder.isdigit():
            busy = _(
                "Another build is writing {folder}/ (process {process}); "
                "wait for it to finish and build again.",
                folder=shown(final),
                process=holder,
            )
        else:
            busy = _(
                "Another build is writing {folder}/; wait for it to finish and build again.",
                folder=shown(final),
            )
        raise OutputBusy(busy)
    try:
        note_lock_holder(descriptor, final)
        _held_locks.add(descriptor)
        yield
    finally:
        _held_locks.discard(descriptor)
        os.close(descriptor)  # releases the lock


def write_failure(error: OSError, final: Path, staging: Path) -> Message | None:
    """Return the one line saying which file could not be written and what to do; None for other errors."""
    line = WRITE_FAILURES.get(error.errno)
    if line is None:
        return None
    names = (n for n in (error.filename, error.filename2) if isinstance(n, str | bytes | os.PathLike))
    name = next(names, None)  # a file descriptor, or nothing, when the error came from a plain write
    path = Path(os.fsdecode(name)).absolute() if name is not None else final
    if path.is_relative_to(staging):  # editors know the output folder, not the staging one
        path = final / path.relative_to(staging)
    # A plugin's own write (Path.write_bytes) does not name its file: the output folder is named.
    where = f"{shown(path)}/" if path == final else shown(path)
    return dataclasses.replace(line, fields=(("where", where),))


def strict_copy_file(source: str, destination: str) -> None:
    """Copy a file as Pelican's copy_file does, but let a write failure (full disk) fail the build.

    Pelican's own only logs a warning, and the site would be published without the file.
    """
    try:
        shutil.copyfile(source, destination)
    except OSError as error:
        if error.errno not in WRITE_FAILURES:
            logger.warning(
                _(
                    "Could not copy {source} to {destination} ({reason}); the site is built without it",
                    source=source,
                    destination=destination,
                    reason=error.strerror or str(error),
                )
            )
            return
        if error.filename is None:
            error.filename = destination
        raise


def naming_failures(open_to_write):
    """Wrap the writer's file opener so that an OSError while a file is written names the file."""

    @contextlib.contextmanager
    def opened(filename, *args, **kwargs):
        try:
            with open_to_write(filename, *args, **kwargs) as stream:
                yield stream
        except OSError as error:
            if error.filename is None:
                error.filename = filename
            raise

    return opened

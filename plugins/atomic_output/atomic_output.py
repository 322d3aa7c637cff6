"""Build into a staging folder and make it the output folder only when the whole build succeeded.

A build writes what is new or changed into the staging folder; plugins may keep files of the previous
output that are still right, and the commit swaps the whole new site in at once (see output.py). Any
logged error throws the staging folder away. A file that cannot be written (a full disk, no permission,
a read-only file system) stops the build with one line naming it. One build at a time writes an output
folder: a second one started meanwhile stops at once, having touched nothing.
"""

import contextlib
import dataclasses
import errno
import logging
import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pelican.utils
from pelican import signals

from l10n.messages import Message, _, ngettext
from progress import announce, finished

from .output import (
    RETIRED,
    STAGING,
    BuildOutput,
    hold_lock,
    load_manifest,
    lock_holder,
    lock_path,
    note_lock_holder,
    prune_manifests,
    remove_tree,
)

logger = logging.getLogger(__name__)

# Where plugins find the running build's BuildOutput (see current_output).
OUTPUT_KEY = "ATOMIC_OUTPUT_BUILD"


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


@dataclass
class AtomicRun:
    """Where one Pelican instance builds (staging) and what it replaces when done (final)."""

    final: Path
    staging: Path
    counter: ErrorCounter = field(default_factory=ErrorCounter)
    output: BuildOutput | None = None


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


def write_failure(error: OSError, run: "AtomicRun") -> Message | None:
    """Return the one line saying which file could not be written and what to do; None for other errors."""
    line = WRITE_FAILURES.get(error.errno)
    if line is None:
        return None
    names = (n for n in (error.filename, error.filename2) if isinstance(n, str | bytes | os.PathLike))
    name = next(names, None)  # a file descriptor, or nothing, when the error came from a plain write
    path = Path(os.fsdecode(name)).absolute() if name is not None else run.final
    if path.is_relative_to(run.staging):  # editors know the output folder, not the staging one
        path = run.final / path.relative_to(run.staging)
    # A plugin's own write (Path.write_bytes) does not name its file: the output folder is named.
    where = f"{shown(path)}/" if path == run.final else shown(path)
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
    """Wrap the writer's _open_w so that an OSError while a file is written names the file."""

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


def cache_path(settings: dict) -> Path:
    return Path(settings.get("CACHE_PATH") or "cache").absolute()


def expire_output_at(settings: dict, moment) -> None:
    """Say that the running build's output needs a new build from moment on (a no-op outside a build)."""
    if OUTPUT_KEY in settings:
        settings[OUTPUT_KEY].expires_at(moment)


def current_output(settings: dict) -> BuildOutput:
    """Return the output of the running build: where to write, and what may be kept from the last one."""
    return settings[OUTPUT_KEY]


def start_run(settings: dict, run: AtomicRun) -> None:
    """Empty the staging folder, read what the last build left, and start counting logged errors."""
    shutil.rmtree(run.staging, ignore_errors=True)
    run.staging.mkdir(parents=True)
    settings["OUTPUT_PATH"] = str(run.staging)  # for plugins that write files themselves
    run.output = BuildOutput(run.staging, run.final, load_manifest(cache_path(settings), run.final))
    settings[OUTPUT_KEY] = run.output
    run.counter.count = 0
    logging.getLogger().addHandler(run.counter)


def stop_run(settings: dict, run: AtomicRun) -> None:
    logging.getLogger().removeHandler(run.counter)
    settings["OUTPUT_PATH"] = str(run.final)
    settings.pop(OUTPUT_KEY, None)


def throw_away(settings: dict, run: AtomicRun) -> None:
    """Stop the run and remove its staging folder (after what still writes into it has stopped)."""
    if OUTPUT_KEY in settings:
        stop_run(settings, run)
    if run.output is not None:
        run.output.discard()
    shutil.rmtree(run.staging, ignore_errors=True)


def finish_run(settings: dict, run: AtomicRun) -> None:
    """Swap the staging folder in, or throw it away if any error was logged."""
    stop_run(settings, run)
    if run.counter.count:
        throw_away(settings, run)
        failed = ngettext(
            "Build failed: {count} error logged above; the output folder {folder} was left as it was.",
            "Build failed: {count} errors logged above; the output folder {folder} was left as it was.",
            run.counter.count,
            folder=str(run.final),
        )
        print(failed, file=sys.stderr)
        raise BuildFailed(run.counter.count)
    announce(_("Putting the new site in place"))
    run.output.commit(cache_path(settings), list(settings.get("OUTPUT_RETENTION", [])))
    run.output.after_commit(lambda: prune_manifests(cache_path(settings), run.final))
    run.output.committed()
    finished()  # the closing line (Done: …) comes last


def build_and_commit(settings: dict, run: AtomicRun, build) -> None:
    """Run the build into the staging folder, then commit it (or throw it away)."""
    remove_leftovers(run.final)
    try:
        start_run(settings, run)
        build()
        run.output.settle()  # files promised by plugins are made before the errors are counted
    except Unchanged as reason:
        throw_away(settings, run)
        print(reason)  # like Pelican's own "Done: …" line
        return
    except BaseException:
        throw_away(settings, run)
        raise
    try:
        finish_run(settings, run)
    except OSError:
        throw_away(settings, run)  # the commit failed before the exchange: the output is as it was
        raise


def redirect_output(pelican_object) -> None:
    """Make every run of this Pelican write into a staging folder, swapped in when the run succeeds."""
    final = Path(pelican_object.output_path).absolute()
    run = AtomicRun(final, sibling(final, STAGING, secrets.token_hex(4)))
    pelican_object.output_path = str(run.staging)
    build = pelican_object.run
    settings = pelican_object.settings
    get_writer = pelican_object._get_writer

    def get_naming_writer():
        writer = get_writer()
        writer._open_w = naming_failures(writer._open_w)
        return writer

    # Wrapping run() rather than waiting for `finalized`: other plugins (the search index) still
    # write at `finalized`, and blinker calls its receivers in no fixed order.
    def run_atomically() -> None:
        try:
            with output_lock(lock_path(cache_path(settings), final), final):
                build_and_commit(settings, run, build)
        except OutputBusy as busy:
            print(busy.line, file=sys.stderr)
            raise
        except OSError as error:
            line = write_failure(error, run)
            if line is None:
                raise
            print(line, file=sys.stderr)
            raise OutputNotWritten(line) from None

    pelican_object._get_writer = get_naming_writer
    pelican_object.run = run_atomically


def register():
    # Pelican's copy of static files only warns when a write fails; a full disk must fail the build.
    pelican.utils.copy_file = strict_copy_file
    signals.initialized.connect(redirect_output)

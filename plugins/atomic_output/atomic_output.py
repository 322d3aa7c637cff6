"""Build into a staging folder and swap it in for the output folder only when the whole build succeeded."""

import logging
import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

STAGING = ".partial-"
RETIRED = ".old-"


class BuildFailed(SystemExit):
    """Errors were logged during the build: exit status 1, the output folder left as it was."""

    def __init__(self, errors: int):
        super().__init__(1)
        self.errors = errors


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
    """Remove staging and retired folders that builds which died left next to final."""
    if not final.parent.is_dir():
        return
    for mark in (STAGING, RETIRED):
        for leftover in final.parent.glob(f"{final.name}{mark}*"):
            pid = leftover.name[len(final.name) + len(mark) :].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(leftover, ignore_errors=True)


def swap_in(staging: Path, final: Path, keep: list[str]) -> None:
    """Put staging in place of final with two renames, carrying over the entries in keep."""
    staging.mkdir(parents=True, exist_ok=True)
    retired = sibling(final, RETIRED, secrets.token_hex(4))
    if final.exists() or final.is_symlink():
        for name in keep:  # Pelican's OUTPUT_RETENTION, e.g. a .git folder
            if (final / name).exists() and not (staging / name).exists():
                (final / name).rename(staging / name)
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def start_run(settings: dict, run: AtomicRun) -> None:
    """Empty the staging folder and start counting logged errors."""
    shutil.rmtree(run.staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(run.staging)  # for plugins that write files themselves
    run.counter.count = 0
    logging.getLogger().addHandler(run.counter)


def stop_run(settings: dict, run: AtomicRun) -> None:
    logging.getLogger().removeHandler(run.counter)
    settings["OUTPUT_PATH"] = str(run.final)


def finish_run(settings: dict, run: AtomicRun) -> None:
    """Swap the staging folder in, or throw it away if any error was logged."""
    stop_run(settings, run)
    if run.counter.count:
        shutil.rmtree(run.staging, ignore_errors=True)
        print(
            f"Build failed: {run.counter.count} error(s) logged above; "
            f"the output folder {run.final} was left as it was.",
            file=sys.stderr,
        )
        raise BuildFailed(run.counter.count)
    swap_in(run.staging, run.final, list(settings.get("OUTPUT_RETENTION", [])))


def redirect_output(pelican_object) -> None:
    """Make every run of this Pelican write into a staging folder, swapped in when the run succeeds."""
    final = Path(pelican_object.output_path).absolute()
    remove_leftovers(final)
    run = AtomicRun(final, sibling(final, STAGING, secrets.token_hex(4)))
    pelican_object.output_path = str(run.staging)
    build = pelican_object.run
    settings = pelican_object.settings

    # Wrapping run() rather than waiting for `finalized`: other plugins (the search index) still
    # write at `finalized`, and blinker calls its receivers in no fixed order.
    def run_atomically() -> None:
        start_run(settings, run)
        try:
            build()
        except BaseException:
            stop_run(settings, run)
            shutil.rmtree(run.staging, ignore_errors=True)
            raise
        finish_run(settings, run)

    pelican_object.run = run_atomically


def register():
    signals.initialized.connect(redirect_output)

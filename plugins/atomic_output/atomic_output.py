"""Build into a staging folder and commit it to the output folder only when the whole build succeeded.

A build writes what is new or changed into the staging folder; plugins may keep files of the previous
output that are still right (see output.py). Any logged error throws the staging folder away.
"""

import logging
import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals

from .output import BuildOutput, load_manifest

logger = logging.getLogger(__name__)

STAGING = ".partial-"
RETIRED = ".old-"
# Where plugins find the running build's BuildOutput (see current_output).
OUTPUT_KEY = "ATOMIC_OUTPUT_BUILD"


class BuildFailed(SystemExit):
    """Errors were logged during the build: exit status 1, the output folder left as it was."""

    def __init__(self, errors: int):
        super().__init__(1)
        self.errors = errors


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
    """Remove staging and retired folders that builds which died left next to final."""
    if not final.parent.is_dir():
        return
    for mark in (STAGING, RETIRED):
        for leftover in final.parent.glob(f"{final.name}{mark}*"):
            pid = leftover.name[len(final.name) + len(mark) :].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(leftover, ignore_errors=True)


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


def finish_run(settings: dict, run: AtomicRun) -> None:
    """Swap the staging folder in, or throw it away if any error was logged."""
    stop_run(settings, run)
    if run.counter.count:
        run.output.discard()
        shutil.rmtree(run.staging, ignore_errors=True)
        print(
            f"Build failed: {run.counter.count} error(s) logged above; "
            f"the output folder {run.final} was left as it was.",
            file=sys.stderr,
        )
        raise BuildFailed(run.counter.count)
    run.output.commit(cache_path(settings), list(settings.get("OUTPUT_RETENTION", [])))


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
            run.output.settle()  # files promised by plugins are made before the errors are counted
        except Unchanged as reason:
            stop_run(settings, run)
            shutil.rmtree(run.staging, ignore_errors=True)
            print(reason)  # like Pelican's own "Done: …" line
            return
        except BaseException:
            stop_run(settings, run)
            run.output.discard()
            shutil.rmtree(run.staging, ignore_errors=True)
            raise
        finish_run(settings, run)

    pelican_object.run = run_atomically


def register():
    signals.initialized.connect(redirect_output)

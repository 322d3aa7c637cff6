"""Report an unexpected exception as one line naming the content file, the traceback only under --debug.

The checks catch what editors get wrong before anything is read; whatever still goes wrong while a
file is read or its pages are made (a bug, a full disk) must not greet an editor with a traceback.
Two places in Pelican report such failures: the reading loop ("Could not process %s", generators.py)
and `pelican`'s main (a CRITICAL record with the traceback). A filter on their loggers rewrites both
records into `path: could not be … (ValueError: …); run with --debug for details`.
"""

import logging
import sys
from pathlib import Path
from types import TracebackType

from pelican.contents import Content

from l10n.messages import Message, _

from .checks import shown

# The loggers of Pelican's reading loop and of the `pelican` command's main().
LOGGERS = ("pelican.generators", "pelican")
COULD_NOT_PROCESS = "Could not process %s"
READING, BUILDING = "read", "built"


def source_of(error: BaseException, trace: TracebackType | None) -> str | None:
    """Return the content file an error happened on: the innermost story or page its frames held."""
    found = getattr(error, "source_path", None)  # set where the file is known (rendering workers)
    while trace is not None:
        for value in trace.tb_frame.f_locals.values():
            if isinstance(value, Content) and getattr(value, "source_path", None):
                found = value.source_path
        trace = trace.tb_next
    return found


def failure_line(path: str | None, doing: str, error: BaseException) -> Message:
    """Return the one line that reports an unexpected error (doing: READING or BUILDING the file)."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    # The error's own name and words are for whoever fixes the bug: they stay as Python gives them.
    what = f"{type(error).__name__}: {reason}" if reason else type(error).__name__
    if path is None:
        return _("the build failed ({error}); run pelican with --debug (-D) for details", error=what)
    if doing == READING:
        return _(
            "{path}: could not be read ({error}); run pelican with --debug (-D) for details",
            path=path,
            error=what,
        )
    return _(
        "{path}: could not be built ({error}); run pelican with --debug (-D) for details",
        path=path,
        error=what,
    )


class OneLineFailures(logging.Filter):
    """Rewrite Pelican's reports of unexpected exceptions into one line naming the file."""

    def __init__(self, settings: dict):
        super().__init__()
        self.content = Path(settings["PATH"])
        self.debug = bool(settings.get("DEBUG"))

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == COULD_NOT_PROCESS and record.args:
            # Logged inside Pelican's `except` around the reader: the error is the one being handled.
            error = sys.exc_info()[1]
            if error is not None:
                path = shown(self.content / str(record.args[0]))
                record.msg, record.args = "%s", (failure_line(path, READING, error),)
        elif record.levelno >= logging.CRITICAL and record.exc_info and record.exc_info[1] is not None:
            _, error, trace = record.exc_info
            path = source_of(error, trace)
            record.msg = "%s"
            record.args = (failure_line(shown(Path(path)) if path else None, BUILDING, error),)
        else:
            return True
        if not (self.debug or logging.getLogger().isEnabledFor(logging.DEBUG)):
            record.exc_info = None
        return True


def report_failures_in_one_line(pelican) -> None:
    """Put the filter on Pelican's loggers for this build (replacing an earlier build's)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, OneLineFailures)]:
            logger.removeFilter(old)
        logger.addFilter(OneLineFailures(pelican.settings))

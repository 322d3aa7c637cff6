"""Test plugin: fail the build as a faulty plugin or full disk would (FAIL_ON_PURPOSE), or write late."""

import errno
import logging
import os
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)


def break_build(generator, writer=None) -> None:
    """Raise or log an error after some output may exist, as settings["FAIL_ON_PURPOSE"] asks."""
    how = generator.settings.get("FAIL_ON_PURPOSE")
    if how == "exception":
        raise RuntimeError("a plugin failed on purpose")
    if how == "log-error":
        logger.error("Could not process something, on purpose")
    if how == "full-disk":  # as a plugin writing a file of its own on a full disk
        page = Path(generator.output_path, "ru/full.html")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(page))


def write_late(pelican_object) -> None:
    """Write a file at `finalized`, as the search index does, when settings["WRITE_AT_FINALIZED"]."""
    if pelican_object.settings.get("WRITE_AT_FINALIZED"):
        Path(pelican_object.output_path, "late.txt").write_text("written at finalized", encoding="utf-8")


def register():
    signals.page_writer_finalized.connect(break_build)
    signals.finalized.connect(write_late)

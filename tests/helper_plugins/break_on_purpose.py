"""A plugin for tests: break the build the way a faulty plugin or template would (FAIL_ON_PURPOSE)."""

import logging

from pelican import signals

logger = logging.getLogger(__name__)


def break_build(generator, writer=None) -> None:
    """Raise or log an error after some output may exist, as settings["FAIL_ON_PURPOSE"] asks."""
    how = generator.settings.get("FAIL_ON_PURPOSE")
    if how == "exception":
        raise RuntimeError("a plugin failed on purpose")
    if how == "log-error":
        logger.error("Could not process something, on purpose")


def register():
    signals.page_writer_finalized.connect(break_build)

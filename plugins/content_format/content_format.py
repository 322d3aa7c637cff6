"""Read the PRODUCT.md content layout and stop the build on content errors before anything is written."""

import logging
import sys
from pathlib import Path

from pelican import signals

from .checks import Problem, check_content
from .failures import report_failures_in_one_line
from .reader import StoryReader

logger = logging.getLogger(__name__)


class ContentErrors(SystemExit):
    """Content has errors: the build stops with exit status 1 and writes nothing."""

    def __init__(self, problems: list[Problem]):
        super().__init__(1)
        self.problems = problems


def stop_build(problems: list[Problem]) -> None:
    """Print the errors among problems, one line each, and stop the build; for errors found later.

    The checks before the build catch what they can cheaply; a plugin that finds a content error
    while reading or processing (a damaged picture) stops the build the same way, before writing.
    """
    errors = sorted({p for p in problems if p.is_error})
    if errors:
        for problem in errors:
            print(problem, file=sys.stderr)
        print(
            f"Build stopped: {len(errors)} content error(s); the output folder was left as it was.",
            file=sys.stderr,
        )
        raise ContentErrors(errors)


def stop_on_content_errors(generator) -> None:
    """Check all content at the start of each build; print what `invoke check` prints; stop on errors."""
    report = check_content(Path(generator.settings["PATH"]), generator.settings)
    if report.problems:
        for line in report.lines():
            print(line, file=sys.stderr)
    if report.errors:
        print(
            f"Build stopped: {len(report.errors)} content error(s); the output folder was left as it was.",
            file=sys.stderr,
        )
        raise ContentErrors(report.errors)


def use_story_reader(readers) -> None:
    for extension in StoryReader.file_extensions:
        readers.reader_classes[extension] = StoryReader


def register():
    signals.initialized.connect(report_failures_in_one_line)
    signals.readers_init.connect(use_story_reader)
    signals.article_generator_init.connect(stop_on_content_errors)

"""Read the PRODUCT.md content layout and stop the build on content errors before anything is written."""

import logging
import sys
from pathlib import Path

from pelican import signals

from .checks import Problem, check_tree
from .reader import StoryReader

logger = logging.getLogger(__name__)


class ContentErrors(SystemExit):
    """Content has errors: the build stops with exit status 1 and writes nothing."""

    def __init__(self, problems: list[Problem]):
        super().__init__(1)
        self.problems = problems


def stop_on_content_errors(generator) -> None:
    """Check all content at the start of each build; print one line per problem and stop."""
    problems = check_tree(Path(generator.settings["PATH"]))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"Build stopped: {len(problems)} content error(s); nothing was written.", file=sys.stderr)
        raise ContentErrors(problems)


def use_story_reader(readers) -> None:
    for extension in StoryReader.file_extensions:
        readers.reader_classes[extension] = StoryReader


def register():
    signals.readers_init.connect(use_story_reader)
    signals.article_generator_init.connect(stop_on_content_errors)

"""Read the PRODUCT.md content layout and stop the build on content errors before anything is written."""

import logging
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from pelican import signals

from build_core.core import current_build, markdown_files
from l10n.messages import Message, ngettext, use_language_of
from progress import announce

from .checks import Problem, check_content
from .checks.problems import summary
from .failures import report_failures_in_one_line
from .layout import DOCUMENT_SUFFIXES, LANGUAGES, owning_folder
from .reader import StoryReader

logger = logging.getLogger(__name__)


class ContentErrors(SystemExit):
    """Content has errors: the build stops with exit status 1 and writes nothing."""

    def __init__(self, problems: list[Problem]):
        super().__init__(1)
        self.problems = problems


@dataclass
class ShownWarnings:
    """How many warnings this run has printed so far: the count line at its end includes them."""

    count: int = 0


def shown_warnings() -> ShownWarnings:
    """Return the running build's tally (each run starts at 0); outside a build, a new one."""
    build = current_build()
    return build.part(ShownWarnings) if build is not None else ShownWarnings()


def _stopped(errors: int) -> Message:
    return ngettext(
        "Build stopped: {count} content error; the output folder was left as it was.",
        "Build stopped: {count} content errors; the output folder was left as it was.",
        errors,
    )


def stop_build(problems: list[Problem]) -> None:
    """Print problems found during the build (warnings, then errors); stop the build on errors.

    The checks before the build catch what they can cheaply; a plugin that finds a content error
    while reading or processing (a damaged picture) stops the build the same way, before writing,
    with the count of all the build's problems last.
    """
    found = sorted(set(problems))
    errors = [p for p in found if p.is_error]
    warnings = [p for p in found if not p.is_error]
    for problem in warnings + errors:
        print(problem, file=sys.stderr)
    shown = shown_warnings()
    shown.count += len(warnings)
    if errors:
        print(summary(len(errors), shown.count), file=sys.stderr)
        print(_stopped(len(errors)), file=sys.stderr)
        raise ContentErrors(errors)


def stop_on_content_errors(generator) -> None:
    """Check all content at the start of each build; print what `invoke check` prints; stop on errors.

    Without errors only the warnings are printed now; the count follows at the end of the build,
    after any problem found later (a damaged picture).
    """
    root = Path(generator.settings["PATH"])
    announce(ngettext("Checking {count} file", "Checking {count} files", len(markdown_files(root))))
    report = check_content(root, generator.settings)
    if report.errors:
        for line in report.lines():
            print(line, file=sys.stderr)
        print(_stopped(len(report.errors)), file=sys.stderr)
        raise ContentErrors(report.errors)
    for line in report.warning_lines():
        print(line, file=sys.stderr)
    shown_warnings().count = len(report.warnings)


def print_count(pelican) -> None:
    """End a build that found warnings with their count, as `invoke check` ends."""
    shown = shown_warnings().count
    if shown:
        print(summary(0, shown), file=sys.stderr)


def speak_the_editors_language(pelican) -> None:
    """Show this build's messages in EDITOR_LANGUAGE (or the environment's)."""
    use_language_of(pelican.settings)


def is_publishable_document(content_root: Path, relative: str) -> bool:
    """Tell whether a content file is a document the site publishes as it is (PRODUCT.md), when linked."""
    name = relative.rsplit("/", 1)[-1]
    stem, suffix = os.path.splitext(name)
    if name.startswith(".") or suffix.lower() not in DOCUMENT_SUFFIXES or stem.lower() in LANGUAGES:
        return False
    if owning_folder(relative) is None:
        return False
    try:  # the file itself, never what a link points at
        return stat.S_ISREG(os.lstat(content_root / relative).st_mode)
    except OSError:
        return False


def publish_linked_documents_only(generator) -> None:
    """Keep, of the files texts link ({static}), only documents in a story or page folder."""
    # STATIC_PATHS is empty, so Pelican's static files are exactly the files texts link; the content
    # checks stopped the build on anything else before, this is the last line of defence.
    content_root = Path(generator.path)
    kept = [s for s in generator.staticfiles if is_publishable_document(content_root, s.relative_source_path)]
    dropped = {id(s) for s in generator.staticfiles} - {id(s) for s in kept}
    generator.staticfiles[:] = kept
    static_content = generator.context.get("static_content", {})
    for key in [k for k, s in static_content.items() if id(s) in dropped]:
        del static_content[key]


def use_story_reader(readers) -> None:
    """Read Markdown with the one story reader, assembled from the enabled plugins' reader parts."""
    for extension in StoryReader.file_extensions:
        readers.reader_classes[extension] = StoryReader


def register():
    signals.initialized.connect(speak_the_editors_language)
    signals.initialized.connect(report_failures_in_one_line)
    signals.finalized.connect(print_count)
    signals.readers_init.connect(use_story_reader)
    signals.article_generator_init.connect(stop_on_content_errors)
    signals.static_generator_finalized.connect(publish_linked_documents_only)

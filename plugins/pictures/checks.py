"""Check every picture the content references before a build, as the build will read it.

Each picture is decoded to its last byte (a cut-short file fails here, not later in the build),
once per source: not at all when the pictures cache already holds its derivatives, which only a
whole picture can have given.
"""

import functools
from pathlib import Path
from urllib.parse import unquote

from build_core.core import markdown_files
from build_core.workers import on_all_cores
from content_format.checks import WARNING, Problem, parse_header, shown
from content_format.layout import LayoutError, parse_source_path
from l10n.messages import Message, _

from .options import Options
from .plan import Planner
from .processing import Store, verify
from .references import PictureError, find_references, is_external, naming, resolve


def published_as_still(target: str) -> Message:
    """Say that an animated picture shows only its first frame on the site."""
    return _("animated picture '{picture}' is published as a still (its first frame)", picture=target)


class Verdicts:
    """What is wrong with each picture file (None: nothing), worked out once per source's bytes."""

    def __init__(self, options: Options):
        self.planner = Planner(options)
        self.store = Store(options.cache_path)
        self._by_digest: dict[str, Message | None] = {}

    def of(self, path: Path) -> Message | None:
        """Say what is wrong with a picture file ({picture} to fill in), or None."""
        try:
            source = self.planner.source(path)  # header checks, and the digest: once per file
        except PictureError as problem:
            return problem.message
        except OSError:
            return _(
                "picture '{picture}' cannot be read; check that the file can be opened, or save it again"
            )
        if source.digest not in self._by_digest:
            made = self.planner.story(source, "").all_derivatives()
            whole = all(self.store.has(derivative) for derivative in made)
            self._by_digest[source.digest] = None if whole else verify(path, self.planner.options.max_pixels)
        return self._by_digest[source.digest]

    def is_animated(self, path: Path) -> bool:
        """Tell whether a picture (found whole by of()) moves; the site shows its first frame only."""
        return self.planner.source(path).probe.animated


def check_reference(folder: Path, target: str, line: int, where: str, verdicts: Verdicts) -> Problem | None:
    """Return what is wrong with one local picture reference (missing, outside, not a picture, damaged),
    or the warning that an animated picture is published still."""
    try:
        path = resolve(folder, target)
    except PictureError as problem:
        return Problem(where, line, problem.about(target))
    wrong = verdicts.of(path)
    if wrong is not None:
        return Problem(where, line, naming(wrong, target))
    if verdicts.is_animated(path):
        return Problem(where, line, published_as_still(target), WARNING)
    return None


def _present(path: Path) -> bool:
    """Tell whether a referenced file is there to check: content_format names missing files and links."""
    return not path.is_symlink() and path.exists()


def check_text(text: str, folder: Path, where: str, is_story: bool, verdicts: Verdicts) -> list[Problem]:
    """Return the picture problems of one Markdown file that content_format's checks leave to us.

    Those name missing files, missing alt text and pictures on other sites; these name files that
    are outside the story folder, or are no picture (or a damaged or too large one), and warn of
    animated pictures, which are published still.
    """
    found = []
    header = parse_header(text)
    cover = header.get("image")
    if is_story and cover and cover.value and _present(folder / unquote(cover.value)):
        found.append(check_reference(folder, cover.value, cover.line, where, verdicts))
    for reference in find_references(text):
        if is_external(reference.target) or not _present(folder / unquote(reference.target)):
            continue
        found.append(check_reference(folder, reference.target, reference.line, where, verdicts))
    return [problem for problem in found if problem is not None]


def check_picture_file(content_root: Path, verdicts: Verdicts, path: Path) -> list[Problem] | None:
    """Return the picture problems of one Markdown file, or None when content_format reports it."""
    try:
        source = parse_source_path(path.relative_to(content_root).as_posix())
        text = path.read_text(encoding="utf-8")
    except (LayoutError, UnicodeDecodeError):
        return None
    folder = Path(content_root) / source.folder
    return check_text(text, folder, shown(path), source.is_story, verdicts)


def check_pictures(content_root: Path, options: Options, memo=None, settings=None) -> list[Problem]:
    """Check the pictures of every story and page under content_root.

    memo (incremental.source_memo) remembers each file's problems until the file or its folder changes.
    Files it does not know are checked on all cores when there are many of them.
    """
    content_root = Path(content_root)
    check = functools.partial(check_picture_file, content_root, Verdicts(options))
    paths = markdown_files(content_root)
    found: dict[Path, list[Problem] | None] = {}
    for path in paths:
        remembered = memo.recall(path) if memo else None
        if remembered is not None and remembered[0] == shown(path):
            found[path] = remembered[1]
    remembered_paths = set(found)
    unchecked = [path for path in paths if path not in found]
    found.update(on_all_cores(settings, check, unchecked))
    problems: list[Problem] = []
    for path in paths:
        if path not in remembered_paths:
            if found.get(path) is None:  # not done by a worker, or no story file at all
                found[path] = check(path)
            if memo and found[path] is not None:
                memo.remember(path, (shown(path), found[path]))
        problems.extend(found[path] or [])
    return problems

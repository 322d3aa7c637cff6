"""Check every content file and the stories against each other; report as `path:line: message` lines."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from blinker import signal

from incremental import source_memo

from ..layout import LayoutError, parse_source_path
from .header import check_header, split_header
from .links import check_links
from .pictures import check_body_pictures
from .problems import Problem, counted
from .references import find_references
from .stories import (
    LANGUAGE_NAMES,
    CheckedFile,
    check_unique_addresses,
    check_versions_agree,
    missing_translations,
)
from .text import body_lines, check_body, check_lookalikes, read_text


@dataclass
class Report:
    """Everything the checks found in a content folder."""

    problems: list[Problem]
    missing: dict[str, int] = field(default_factory=dict)  # stories and pages lacking a language

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def lines(self) -> list[str]:
        """Return one line per problem, then the totals, as `invoke check` and the build print them."""
        lines = [str(p) for p in self.problems]
        if any(self.missing.values()):
            counts = ", ".join(
                f"{counted(n, 'story or page', 'stories or pages')} without a {LANGUAGE_NAMES[lang]} version"
                for lang, n in self.missing.items()
                if n
            )
            lines.append(f"Missing translations: {counts}.")
        lines.append(f"{counted(len(self.errors), 'error')}, {counted(len(self.warnings), 'warning')}.")
        return lines


# Plugins add checks of their own (pictures): a receiver takes the content root as sender and the
# build's settings as `settings` (None outside a build), and returns a list of Problems.
content_checks = signal("content_format.content_checks")


def shown(path: Path) -> str:
    """Name a file relative to the working folder when it is inside it, as editors see it."""
    # Without resolving links: an lstat per path component for every file costs seconds at archive size.
    absolute = os.path.abspath(path)
    folder = os.path.join(os.getcwd(), "")
    return (absolute[len(folder) :] if absolute.startswith(folder) else absolute).replace(os.sep, "/")


def _read(content_root: Path, file: Path) -> tuple[CheckedFile | None, str | None, int, list[Problem]]:
    path = shown(file)
    try:
        source = parse_source_path(file.relative_to(content_root).as_posix())
    except LayoutError as error:
        return None, None, 0, [Problem(path, 1, str(error))]
    text, problems = read_text(file, path)
    if text is None:
        return None, None, 0, problems
    fields, body_start = split_header(text)
    return CheckedFile(source, fields, path), text, body_start, problems


def check_content(content_root: Path, settings: dict | None = None) -> Report:
    """Check every Markdown file under content_root, then the stories against each other."""
    content_root = Path(content_root)
    problems: list[Problem] = []
    read: list[tuple[CheckedFile, str, int]] = []
    for file in sorted(content_root.rglob("*.md")):
        checked, text, body_start, found = _read(content_root, file)
        problems += found
        if checked:
            read.append((checked, text, body_start))
    site_paths = {checked.source.url for checked, _, _ in read}
    memo = source_memo(settings, "checks")
    for checked, text, body_start in read:
        folder = content_root / checked.source.folder
        path = checked.path
        file = content_root / checked.source.folder / f"{checked.source.lang}.md"
        # What one file says about itself is remembered between builds; links depend on the others.
        remembered = memo.recall(file) if memo else None
        if remembered is None or remembered[0] != path:
            found = check_header(checked.source, checked.fields, folder, path)
            found += check_body(text, body_start, path)
            found += check_lookalikes(checked.fields, text, body_start, path)
            references = list(find_references(body_lines(text, body_start)))
            found += check_body_pictures(references, folder, path)
            remembered = (path, found, references)
            if memo:
                memo.remember(file, remembered)
        _, found, references = remembered
        problems += found
        problems += check_links(references, folder, content_root, site_paths, path)
    files = [checked for checked, _, _ in read]
    problems += check_unique_addresses(files) + check_versions_agree(files)
    for _receiver, found in content_checks.send(content_root, settings=settings):
        problems += found
    warnings, missing = missing_translations(files)
    return Report(sorted(problems + warnings), missing)


def check_tree(content_root: Path) -> list[Problem]:
    """Check every Markdown file under content_root; return the problems, sorted by file and line."""
    return check_content(content_root).problems

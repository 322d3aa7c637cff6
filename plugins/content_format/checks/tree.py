"""Check every content file and the stories against each other; report as `path:line: message` lines."""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from build_core.core import markdown_files
from build_core.workers import on_all_cores
from incremental import source_memo
from l10n.dates import in_almaty, today_in_almaty
from l10n.messages import _

from ..layout import LANGUAGES, LayoutError, parse_source_path
from .folders import check_folders
from .header import Header, check_date_range, check_header, parse_datetime, read_header
from .links import check_links
from .pictures import check_body_pictures
from .problems import Problem, shown, summary
from .references import find_references
from .stories import (
    MISSING_VERSIONS,
    CheckedFile,
    check_event_times_agree,
    check_sections_agree,
    check_tag_addresses,
    check_unique_addresses,
    missing_translations,
)
from .text import body_lines, check_body, check_control_characters, check_lookalikes, read_text


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

    def warning_lines(self) -> list[str]:
        """Return one line per warning, then how many stories lack each language."""
        lines = [str(p) for p in self.warnings]
        if any(self.missing.values()):
            counts = ", ".join(str(MISSING_VERSIONS[lang](n)) for lang, n in self.missing.items() if n)
            lines.append(str(_("Missing translations: {counts}.", counts=counts)))
        return lines

    def lines(self) -> list[str]:
        """Return the warnings, then the errors, then the count, as `invoke check` and the build print them.

        Errors come after the standing warnings and just before the count, where an editor looks.
        """
        return [
            *self.warning_lines(),
            *(str(p) for p in self.errors),
            str(summary(len(self.errors), len(self.warnings))),
        ]


# The checks plugins add (pictures'), by plugin name: check(content_root, settings) returns Problems,
# settings being the build's (None outside one). check_content runs those of the plugins the settings
# enable, in the build and in `invoke check` alike.
CONTENT_CHECKS: dict[str, Callable[[Path, dict | None], list[Problem]]] = {}


def add_content_check(plugin: str, check: Callable[[Path, dict | None], list[Problem]]) -> None:
    """Have check_content run check whenever the settings enable plugin (registering again replaces it)."""
    CONTENT_CHECKS[plugin] = check


def plugin_checks(settings: dict | None) -> list[Callable[[Path, dict | None], list[Problem]]]:
    """Return the added checks of the plugins these settings enable (none without settings)."""
    enabled = set((settings or {}).get("PLUGINS") or ())
    return [check for plugin, check in CONTENT_CHECKS.items() if plugin in enabled]


def _read(
    content_root: Path, file: Path
) -> tuple[CheckedFile | None, str | None, Header | None, list[Problem]]:
    path = shown(file)
    try:
        source = parse_source_path(file.relative_to(content_root).as_posix())
    except LayoutError as error:
        # A folder's wrong name or place is named once for the folder, by check_content.
        return None, None, None, [] if error.folder else [Problem(path, 1, error.message)]
    text, problems = read_text(file, path)
    if text is None:
        return None, None, None, problems
    header = read_header(text)
    return CheckedFile(source, header.fields, path), text, header, problems


@dataclass
class OwnFindings:
    """What the checks find in one file alone: remembered between builds while the file is unchanged."""

    path: str  # as shown to the editor (relative to the working folder of the build that checked it)
    checked: CheckedFile | None
    problems: list[Problem]
    references: list


def check_file(content_root: Path, file: Path) -> OwnFindings:
    """Check one Markdown file on its own: layout, header, text, look-alike letters, pictures."""
    checked, text, header, problems = _read(content_root, file)
    if checked is None:
        return OwnFindings(shown(file), None, problems, [])
    folder = content_root / checked.source.folder
    body_start = header.body_start
    problems += check_control_characters(text, checked.path)
    problems += check_header(checked.source, header, folder, checked.path)
    problems += check_body(text, body_start, checked.path)
    problems += check_lookalikes(checked.fields, text, body_start, checked.path)
    # The Summary is Markdown too, shown on listings: its pictures and links count as the text's.
    summary = header.fields.get("summary")
    summary_line = [(summary.line, summary.value)] if summary else []
    references = list(find_references([*summary_line, *body_lines(text, body_start)]))
    problems += check_body_pictures(references, folder, checked.path)
    return OwnFindings(checked.path, checked, problems, references)


def today_of(settings: dict | None) -> dt.date:
    """Return the build's today in Almaty: the day of EVENTS_NOW when it is set, else the clock's."""
    now = (settings or {}).get("EVENTS_NOW")
    if isinstance(now, str):
        try:
            now = dt.datetime.fromisoformat(now.strip())
        except ValueError:
            now = None  # the events plugin says what is wrong with it
    if isinstance(now, dt.datetime):
        return today_in_almaty(now if now.tzinfo else in_almaty(now))
    return today_in_almaty()


def story_day(folder: Path) -> dt.date | None:
    """Return the day a story folder's texts give as their Date (ru.md's first), or None."""
    for lang in LANGUAGES:
        try:
            date = read_header((folder / f"{lang}.md").read_text(encoding="utf-8")).fields.get("date")
        except (OSError, UnicodeDecodeError):
            continue  # no such text, or one the checks name as not UTF-8
        try:
            if date:
                return parse_datetime(date.value).date()
        except ValueError:
            continue
    return None


def check_unchecked(content_root: Path, files: list[Path]) -> tuple[list[Problem], list[CheckedFile]]:
    """Name once each folder whose name or place is wrong, with the name it should have.

    Return those problems and the texts that could not be read (not UTF-8): they exist, so their
    language is not missing. Worked out at every build: a suggested name depends on the other
    texts of the folder.
    """
    misplaced: dict[str, str] = {}
    unread = []
    for file in files:
        relative = file.relative_to(content_root).as_posix()
        try:
            unread.append(CheckedFile(parse_source_path(relative), {}, shown(file)))
        except LayoutError as error:
            if error.folder is not None:
                misplaced.setdefault(error.folder, relative)
    problems = []
    for folder, relative in misplaced.items():
        try:
            parse_source_path(relative, story_day(content_root / folder))
        except LayoutError as error:
            problems.append(Problem(shown(content_root / folder), 1, error.message))
    return problems, unread


def check_content(content_root: Path, settings: dict | None = None) -> Report:
    """Check every Markdown file under content_root, then the stories against each other."""
    content_root = Path(content_root)
    problems: list[Problem] = []
    memo = source_memo("checks")
    sources = markdown_files(content_root)
    remembered = {file: memo.recall(file) if memo else None for file in sources}
    unchecked = [file for file in sources if not remembered[file] or remembered[file].path != shown(file)]
    # Files are checked on all cores when there are many (a cold build); any a worker could not
    # check are checked here, where what goes wrong is reported.
    checked_now = dict(on_all_cores(settings, functools.partial(check_file, content_root), unchecked))
    for file in unchecked:
        findings = checked_now.get(file) or check_file(content_root, file)
        remembered[file] = findings
        if memo:
            memo.remember(file, findings)
    own = [remembered[file] for file in sources]
    for findings in own:
        problems += findings.problems
    files = [findings.checked for findings in own if findings.checked]
    misplaced, unread = check_unchecked(
        content_root, [file for file in sources if not remembered[file].checked]
    )
    problems += misplaced
    site_paths = {checked.source.url for checked in files}
    # Dates are checked against today, and links against the other files: both again every time.
    today = today_of(settings)
    for checked in files:
        problems += check_date_range(checked.source, checked.fields, checked.path, today)
    for findings in own:
        if findings.checked:
            folder = content_root / findings.checked.source.folder
            problems += check_links(findings.references, folder, content_root, site_paths, findings.path)
    problems += check_unique_addresses(files) + check_sections_agree(files) + check_event_times_agree(files)
    problems += check_tag_addresses(files)
    problems += check_folders(content_root, remembered, settings)
    for check in plugin_checks(settings):
        problems += check(content_root, settings)
    warnings, missing = missing_translations(files + unread)
    return Report(sorted(problems + warnings), missing)


def check_tree(content_root: Path) -> list[Problem]:
    """Check every Markdown file under content_root; return the problems, sorted by file and line."""
    return check_content(content_root).problems

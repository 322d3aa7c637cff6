"""Check content files before a build and describe each problem as `path:line: message`."""

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .layout import LayoutError, Source, parse_source_path

STORY_KEYS = ("title", "date", "summary", "tags", "image", "image_alt", "modified")
EVENT_KEYS = ("event_start", "event_end", "location", "address")
PAGE_KEYS = ("title", "summary", "modified")
DATETIME_FORMAT = "YYYY-MM-DD HH:MM"

_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2})?")
# A time written with a zone or offset: times here are always Almaty wall-clock time.
_DATETIME_WITH_ZONE = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?\s*(?:Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)\S*"
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Field:
    value: str
    line: int


def parse_header(text: str) -> dict[str, Field]:
    """Return the `Key: value` metadata block at the top of a Markdown file, keys lowercased."""
    fields: dict[str, Field] = {}
    last_key = None
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            break
        if last_key and line.startswith(("    ", "\t")):  # continuation line
            previous = fields[last_key]
            fields[last_key] = Field(f"{previous.value} {line.strip()}", previous.line)
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            break
        last_key = match["key"].lower()
        fields[last_key] = Field(match["value"].strip(), number)
    return fields


def parse_datetime(value: str) -> dt.datetime:
    """Parse 'YYYY-MM-DD HH:MM' (or a bare day) as naive Almaty time; ValueError if not valid."""
    if not _DATETIME.fullmatch(value):
        raise ValueError(value)
    return dt.datetime.strptime(value if " " in value else f"{value} 00:00", "%Y-%m-%d %H:%M")


def has_time(value: str) -> bool:
    """Tell whether a date value gives a time of day, not only a day."""
    return " " in value.strip()


def _check_datetime(field: Field, what: str, problems: list, path: str) -> dt.datetime | None:
    try:
        return parse_datetime(field.value)
    except ValueError:
        if _DATETIME_WITH_ZONE.fullmatch(field.value):
            message = (
                f"{what} '{field.value}' gives a time zone; write the Almaty wall-clock time "
                f"without one, as {DATETIME_FORMAT}"
            )
        else:
            message = f"{what} '{field.value}' is not a real date in the form {DATETIME_FORMAT}"
        problems.append(Problem(path, field.line, message))
        return None


def check_file(
    content_root: Path, relative_path: str, shown_path: str
) -> tuple[Source | None, list[Problem]]:
    """Check one Markdown file; return what its path says it is and its problems."""
    problems: list[Problem] = []
    try:
        source = parse_source_path(relative_path)
    except LayoutError as error:
        return None, [Problem(shown_path, 1, str(error))]
    try:
        text = (content_root / relative_path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = (content_root / relative_path).read_bytes()[: error.start].count(b"\n") + 1
        return source, [Problem(shown_path, line, "the file is not saved as UTF-8; save it again as UTF-8")]
    fields = parse_header(text)
    known = (STORY_KEYS + EVENT_KEYS) if source.section == "events" else STORY_KEYS
    if not source.is_story:
        known = PAGE_KEYS
    for key, field in fields.items():
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean '{close[0].capitalize()}'?" if close else ""
            problems.append(
                Problem(shown_path, field.line, f"unknown metadata key '{key.capitalize()}'{hint}")
            )
    title = fields.get("title")
    if title is None or not title.value:
        problems.append(Problem(shown_path, title.line if title else 1, "the story has no Title"))
    if source.is_story and "date" in fields:
        published = _check_datetime(fields["date"], "Date", problems, shown_path)
        if published and published.date() != source.day:
            problems.append(
                Problem(
                    shown_path,
                    fields["date"].line,
                    f"Date {published:%Y-%m-%d} is not the folder's day {source.day:%Y-%m-%d}; "
                    "fix one of them",
                )
            )
    if "image" in fields:
        picture = fields["image"].value
        if not (content_root / source.folder / picture).is_file():
            problems.append(
                Problem(shown_path, fields["image"].line, f"Image '{picture}' is not in the story folder")
            )
        if not fields.get("image_alt", Field("", 0)).value:
            problems.append(
                Problem(
                    shown_path,
                    fields["image"].line,
                    "Image needs Image_alt: a short description of the picture",
                )
            )
    if source.section == "events":
        problems.extend(_check_event(fields, shown_path))
    return source, problems


def _check_event(fields: dict[str, Field], path: str) -> list[Problem]:
    problems: list[Problem] = []
    start = end = None
    if "event_start" not in fields:
        problems.append(Problem(path, 1, f"an event needs Event_start ({DATETIME_FORMAT})"))
    else:
        start = _check_datetime(fields["event_start"], "Event_start", problems, path)
    if "event_end" in fields:
        end = _check_datetime(fields["event_end"], "Event_end", problems, path)
    if start and end and has_time(fields["event_start"].value) != has_time(fields["event_end"].value):
        problems.append(
            Problem(
                path,
                fields["event_end"].line,
                "Event_start and Event_end must both give a time (YYYY-MM-DD HH:MM), "
                "or both only a day (YYYY-MM-DD) for an all-day event",
            )
        )
    elif start and end and end < start:
        problems.append(Problem(path, fields["event_end"].line, "Event_end is before Event_start"))
    if not fields.get("location", Field("", 0)).value:
        problems.append(
            Problem(
                path, fields.get("location", Field("", 1)).line, "an event needs Location: the venue's name"
            )
        )
    return problems


def _shown(path: Path) -> str:
    """Name a file relative to the working folder when it is inside it, as editors see it."""
    absolute = path.resolve()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


def check_tree(content_root: Path) -> list[Problem]:
    """Check every Markdown file under content_root; return the problems, sorted by file and line."""
    content_root = Path(content_root)
    problems: list[Problem] = []
    urls: dict[tuple, list[str]] = defaultdict(list)
    for path in sorted(content_root.rglob("*.md")):
        relative = path.relative_to(content_root).as_posix()
        source, found = check_file(content_root, relative, _shown(path))
        problems.extend(found)
        if source and source.is_story:
            urls[(source.lang, source.section, source.day.year, source.day.month, source.slug)].append(
                _shown(path)
            )
    for (_, _, year, month, slug), paths in urls.items():
        for path in paths[1:]:
            problems.append(
                Problem(
                    path,
                    1,
                    f"another story of {year}-{month:02d} already uses the slug "
                    f"'{slug}' ({paths[0]}); pick another slug",
                )
            )
    return sorted(problems)

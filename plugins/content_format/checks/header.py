"""Check the `Key: value` metadata block at the top of a story or page."""

import datetime as dt
import difflib
import re
from pathlib import Path

from ..layout import Source
from .problems import Field, Problem

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


def split_header(text: str) -> tuple[dict[str, Field], int]:
    """Return the metadata (keys lowercased) and the number of the first line after it."""
    fields: dict[str, Field] = {}
    last_key = None
    number = 0
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            return fields, number + 1
        if last_key and line.startswith(("    ", "\t")):  # continuation line
            previous = fields[last_key]
            fields[last_key] = Field(f"{previous.value} {line.strip()}", previous.line)
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return fields, number
        last_key = match["key"].lower()
        fields[last_key] = Field(match["value"].strip(), number)
    return fields, number + 1


def parse_header(text: str) -> dict[str, Field]:
    """Return the `Key: value` metadata block at the top of a Markdown file, keys lowercased."""
    return split_header(text)[0]


def parse_datetime(value: str) -> dt.datetime:
    """Parse 'YYYY-MM-DD HH:MM' (or a bare day) as naive Almaty time; ValueError if not valid."""
    if not _DATETIME.fullmatch(value):
        raise ValueError(value)
    return dt.datetime.strptime(value if " " in value else f"{value} 00:00", "%Y-%m-%d %H:%M")


def has_time(value: str) -> bool:
    """Tell whether a date value gives a time of day, not only a day."""
    return " " in value.strip()


def known_keys(source: Source) -> tuple[str, ...]:
    """Return the metadata keys a file in this place may use."""
    if not source.is_story:
        return PAGE_KEYS
    return STORY_KEYS + EVENT_KEYS if source.section == "events" else STORY_KEYS


def _datetime_of(field: Field, what: str, path: str, problems: list[Problem]) -> dt.datetime | None:
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


def check_keys(source: Source, fields: dict[str, Field], path: str) -> list[Problem]:
    """Name every unknown key, with the nearest known one as a suggestion."""
    known = known_keys(source)
    problems = []
    for key, field in fields.items():
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean '{close[0].capitalize()}'?" if close else ""
            problems.append(Problem(path, field.line, f"unknown metadata key '{key.capitalize()}'{hint}"))
    return problems


def check_title_and_date(source: Source, fields: dict[str, Field], path: str) -> list[Problem]:
    """A Title is required; a Date must be real and on the folder's day."""
    problems: list[Problem] = []
    title = fields.get("title")
    if title is None or not title.value:
        problems.append(Problem(path, title.line if title else 1, "the story has no Title"))
    if "modified" in fields:
        _datetime_of(fields["modified"], "Modified", path, problems)
    if source.is_story and "date" in fields:
        published = _datetime_of(fields["date"], "Date", path, problems)
        if published and published.date() != source.day:
            problems.append(
                Problem(
                    path,
                    fields["date"].line,
                    f"Date {published:%Y-%m-%d} is not the folder's day {source.day:%Y-%m-%d}; "
                    "fix one of them",
                )
            )
    return problems


def check_cover(fields: dict[str, Field], folder: Path, path: str) -> list[Problem]:
    """The cover picture must be in the story folder and have alternative text."""
    if "image" not in fields:
        return []
    problems = []
    picture = fields["image"].value
    if not (folder / picture).is_file():
        problems.append(Problem(path, fields["image"].line, f"Image '{picture}' is not in the story folder"))
    if not fields.get("image_alt", Field("", 0)).value:
        problems.append(
            Problem(path, fields["image"].line, "Image needs Image_alt: a short description of the picture")
        )
    return problems


def event_times(fields: dict[str, Field]) -> dict[str, dt.datetime | None]:
    """Return the event's parsed times by key (None where missing or invalid)."""
    times = {}
    for key in ("event_start", "event_end"):
        try:
            times[key] = parse_datetime(fields[key].value) if key in fields else None
        except ValueError:
            times[key] = None
    return times


def check_event(fields: dict[str, Field], path: str) -> list[Problem]:
    """An event needs a real start, an end not before it, and a venue."""
    problems: list[Problem] = []
    start = end = None
    if not fields.get("event_start", Field("", 0)).value:
        line = fields["event_start"].line if "event_start" in fields else 1
        problems.append(Problem(path, line, f"an event needs Event_start ({DATETIME_FORMAT})"))
    else:
        start = _datetime_of(fields["event_start"], "Event_start", path, problems)
    if fields.get("event_end", Field("", 0)).value:
        end = _datetime_of(fields["event_end"], "Event_end", path, problems)
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


def check_header(source: Source, fields: dict[str, Field], folder: Path, path: str) -> list[Problem]:
    """Run every metadata check on one file."""
    problems = check_keys(source, fields, path) + check_title_and_date(source, fields, path)
    problems += check_cover(fields, folder, path)
    if source.section == "events":
        problems += check_event(fields, path)
    return problems

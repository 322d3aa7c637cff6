"""Check the `Key: value` metadata block at the top of a story or page."""

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from pelican.readers import ensure_metadata_list

from l10n.dates import ALMATY
from l10n.messages import Message, _, ngettext
from l10n.translit import slugify

from ..layout import Source
from .files import missing_picture
from .problems import WARNING, Field, Problem

STORY_KEYS = (
    "title",
    "date",
    "summary",
    "tags",
    "image",
    "image_alt",
    "image_credit",
    "modified",
    "status",
)
EVENT_KEYS = ("event_start", "event_end", "location", "address")
PAGE_KEYS = ("title", "summary", "modified")
# An optional key with nothing after it is as if it were not there: a new story (`invoke new`) lists
# every key for the editor to fill in or delete. An empty required key is reported where it is.
OPTIONAL_KEYS = frozenset(STORY_KEYS + EVENT_KEYS) - {"title", "event_start", "location"}
DATETIME_FORMAT = "YYYY-MM-DD HH:MM"
DATE_FORMAT = "YYYY-MM-DD"
# Dates outside these bounds are typing mistakes (0001, 2205): the archive starts in 2000, and
# nothing is dated or planned more than five years ahead.
EARLIEST_DAY = dt.date(2000, 1, 1)
YEARS_AHEAD = 5
# Status values: a draft is never published; "published" says what leaving Status out says.
STATUSES = ("draft", "published")
DATE_KEYS = {"date": "Date", "modified": "Modified", "event_start": "Event_start", "event_end": "Event_end"}

_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_INDENTED_KEY = re.compile(r"^\s+(?P<key>[A-Za-z0-9_-]+):")
# Line ends as editors' editors count them (and Markdown reads them); str.splitlines() also breaks
# at control characters and U+2028, which would put every later line number off.
_LINE_END = re.compile(r"\r\n|\r|\n")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2})?")
# A time written with a zone or offset: times here are always Almaty wall-clock time.
_DATETIME_WITH_ZONE = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?\s*(?:Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)\S*"
)


def text_lines(text: str) -> list[str]:
    """Return a file's lines (without a BOM), numbered from 1 as a text editor numbers them."""
    return _LINE_END.split(text.lstrip("\ufeff"))


@dataclass
class Header:
    """A file's metadata (keys lowercased, the first of duplicated keys), where its body starts,
    and the header lines the site cannot read unambiguously, as (line, message)."""

    fields: dict[str, Field]
    body_start: int
    flaws: list[tuple[int, Message]] = dataclasses.field(default_factory=list)


def read_header(text: str) -> Header:
    """Read the metadata block exactly as the build's reader takes it (see reader.HeaderLines)."""
    header = Header({}, 1)
    lines = text_lines(text)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            header.body_start = number + 1
            return header
        if line[0].isspace():
            indented = _INDENTED_KEY.match(line)
            if indented:
                message = _(
                    "metadata key '{key}' is indented; start it at the line's beginning",
                    key=indented["key"].capitalize(),
                )
            else:
                message = _(
                    "an indented line in the metadata: a value must stay on its key's line; "
                    "join this line to the one above"
                )
            header.flaws.append((number, message))
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            header.body_start = number
            return header
        key = match["key"].lower()
        if key in OPTIONAL_KEYS and not match["value"].strip():
            continue
        if key in header.fields:
            first = header.fields[key].line
            header.flaws.append(
                (
                    number,
                    _(
                        "a second '{key}:' line (the first is line {first}); keep one of them",
                        key=key.capitalize(),
                        first=first,
                    ),
                )
            )
            continue
        header.fields[key] = Field(match["value"].strip(), number, match["key"])
    header.body_start = len(lines) + 1
    return header


def split_header(text: str) -> tuple[dict[str, Field], int]:
    """Return the metadata (keys lowercased) and the number of the first line after it."""
    header = read_header(text)
    return header.fields, header.body_start


def parse_header(text: str) -> dict[str, Field]:
    """Return the `Key: value` metadata block at the top of a Markdown file, keys lowercased."""
    return read_header(text).fields


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


def instant(wall: dt.datetime) -> dt.datetime:
    """Return the instant (in UTC) a naive Almaty wall-clock time names, as the build places it."""
    # In UTC: aware datetimes sharing a tzinfo compare by wall clock, blind to the offset.
    return wall.replace(tzinfo=ALMATY).astimezone(dt.UTC)


def clock_change(wall: dt.datetime, key: str, value: str) -> Message | None:
    """Say why a wall-clock time is not one instant in Almaty (a gap or a repeated hour), else None."""
    first, second = wall.replace(tzinfo=ALMATY, fold=0), wall.replace(tzinfo=ALMATY, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    if first.astimezone(dt.UTC).astimezone(ALMATY).replace(tzinfo=None) != wall:
        jump = second.utcoffset() - first.utcoffset()  # what the clocks skipped
        return _(
            "{key} '{value}' does not exist in Almaty: the clocks were put forward that night; "
            "write the time the clocks showed, e.g. {later}",
            key=key,
            value=value,
            later=f"{wall + abs(jump):%H:%M}",
        )
    return _(
        "{key} '{value}' came twice in Almaty: the clocks were put back that night, so {time} was lived "
        "twice; pick a time outside the repeated hour",
        key=key,
        value=value,
        time=f"{wall:%H:%M}",
    )


def _datetime_of(field: Field, key: str, path: str, problems: list[Problem]) -> dt.datetime | None:
    try:
        moment = parse_datetime(field.value)
    except ValueError:
        if _DATETIME_WITH_ZONE.fullmatch(field.value):
            message = _(
                "{key} '{value}' gives a time zone; write the Almaty wall-clock time without one, as {form}",
                key=key,
                value=field.value,
                form=DATETIME_FORMAT,
            )
        else:
            message = _(
                "{key} '{value}' is not a real date in the form {form}",
                key=key,
                value=field.value,
                form=DATETIME_FORMAT,
            )
        problems.append(Problem(path, field.line, message))
        return None
    change = clock_change(moment, key, field.value)
    if change:
        problems.append(Problem(path, field.line, change))
        return None
    return moment


def check_keys(source: Source, fields: dict[str, Field], path: str) -> list[Problem]:
    """Name every unknown key, with the nearest known one as a suggestion, and keys in the wrong case."""
    known = known_keys(source)
    problems = []
    for key, field in fields.items():
        written = field.key or key.capitalize()
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            if close:
                message = _(
                    "unknown metadata key '{key}'; did you mean '{near}'?",
                    key=written,
                    near=close[0].capitalize(),
                )
            else:
                message = _("unknown metadata key '{key}'", key=written)
            problems.append(Problem(path, field.line, message))
        elif written != key.capitalize():
            # The build reads keys in any case, as Pelican does, so the page comes out right: a
            # warning, not an error. But the guide, `invoke new` and every other file write the key
            # one way, and that is the spelling the next editor copies and searches the files for.
            problems.append(
                Problem(
                    path,
                    field.line,
                    _("write the key as '{right}', not '{key}'", right=key.capitalize(), key=written),
                    WARNING,
                )
            )
    return problems


def check_title_and_date(source: Source, fields: dict[str, Field], path: str) -> list[Problem]:
    """A Title is required; a Date must be real and on the folder's day."""
    problems: list[Problem] = []
    title = fields.get("title")
    if title is None or not title.value:
        problems.append(Problem(path, title.line if title else 1, _("the story has no Title")))
    modified = _datetime_of(fields["modified"], "Modified", path, problems) if "modified" in fields else None
    published = dt.datetime.combine(source.day, dt.time()) if source.is_story else None
    if source.is_story and "date" in fields:
        published = _datetime_of(fields["date"], "Date", path, problems)
        if published and published.date() != source.day:
            problems.append(
                Problem(
                    path,
                    fields["date"].line,
                    _(
                        "Date {date} is not the folder's day {day}; fix one of them",
                        date=f"{published:%Y-%m-%d}",
                        day=f"{source.day:%Y-%m-%d}",
                    ),
                )
            )
    # A Modified before the archive starts is one mistake, named by check_date_range.
    if modified and published and modified.date() >= EARLIEST_DAY and modified < published:
        # Calendars number an event's versions by the minutes from Date to Modified.
        problems.append(
            Problem(
                path,
                fields["modified"].line,
                _(
                    "Modified {modified} is before the story was published ({published}); "
                    "write when you last changed the story",
                    modified=f"{modified:%Y-%m-%d %H:%M}",
                    published=f"{published:%Y-%m-%d %H:%M}",
                ),
            )
        )
    return problems


def tag_names(value: str) -> list[str]:
    """Return the tags a Tags value gives, split and cleaned exactly as Pelican does."""
    return ensure_metadata_list(value)


def check_tags(fields: dict[str, Field], path: str) -> list[Problem]:
    """Tags are separated by commas, and each needs a letter or digit for its address."""
    tags = fields.get("tags")
    if tags is None:
        return []
    if ";" in tags.value:
        return [
            Problem(path, tags.line, _("separate tags with commas, not ';' (Tags: first tag, second tag)"))
        ]
    return [
        Problem(
            path,
            tags.line,
            _(
                "tag '{tag}' has no letter or digit to make its address (/tags/…/) from; write it in words",
                tag=name,
            ),
        )
        for name in tag_names(tags.value)
        if not slugify(name)
    ]


def check_cover(fields: dict[str, Field], folder: Path, path: str) -> list[Problem]:
    """The cover picture must be in the story folder and have alternative text; only a cover has a credit."""
    if "image" not in fields:
        credit = fields.get("image_credit")
        if credit:
            return [
                Problem(path, credit.line, _("Image_credit credits the cover: add Image (and Image_alt)"))
            ]
        return []
    problems = []
    picture = fields["image"].value
    if not (folder / picture).is_file():
        problems.append(Problem(path, fields["image"].line, missing_picture(picture, folder, cover=True)))
    if not fields.get("image_alt", Field("", 0)).value:
        problems.append(
            Problem(
                path, fields["image"].line, _("Image needs Image_alt: a short description of the picture")
            )
        )
    return problems


def check_status(fields: dict[str, Field], path: str) -> list[Problem]:
    """Status is draft or published, nothing else."""
    status = fields.get("status")
    if status is None or status.value.lower() in STATUSES:
        return []
    return [
        Problem(
            path,
            status.line,
            _(
                "Status '{status}' is not known; write 'Status: draft' to keep the story unpublished, "
                "or remove the line to publish it",
                status=status.value,
            ),
        )
    ]


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
        problems.append(Problem(path, line, _("an event needs Event_start ({form})", form=DATETIME_FORMAT)))
    else:
        start = _datetime_of(fields["event_start"], "Event_start", path, problems)
    if fields.get("event_end", Field("", 0)).value:
        end = _datetime_of(fields["event_end"], "Event_end", path, problems)
    if start and end and has_time(fields["event_start"].value) != has_time(fields["event_end"].value):
        problems.append(
            Problem(
                path,
                fields["event_end"].line,
                _(
                    "Event_start and Event_end must both give a time ({form}), "
                    "or both only a day ({day_form}) for an all-day event",
                    form=DATETIME_FORMAT,
                    day_form=DATE_FORMAT,
                ),
            )
        )
    elif start and end and instant(end) < instant(start):
        problems.append(Problem(path, fields["event_end"].line, _("Event_end is before Event_start")))
    if not fields.get("location", Field("", 0)).value:
        problems.append(
            Problem(
                path,
                fields.get("location", Field("", 1)).line,
                _("an event needs Location: the venue's name"),
            )
        )
    return problems


def check_header(source: Source, header: Header, folder: Path, path: str) -> list[Problem]:
    """Run every metadata check on one file that does not depend on the day it runs."""
    fields = header.fields
    problems = [Problem(path, line, message) for line, message in header.flaws]
    problems += check_keys(source, fields, path) + check_title_and_date(source, fields, path)
    problems += check_cover(fields, folder, path)
    if source.is_story:
        problems += check_tags(fields, path) + check_status(fields, path)
    if source.section == "events":
        problems += check_event(fields, path)
    return problems


def latest_day(today: dt.date) -> dt.date:
    """Return the last day a story may be dated or an event planned, seen from today."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def _out_of_range(key: str | None, day: dt.date, today: dt.date) -> Message | None:
    """Say that a day (a key's, or the story folder's when key is None) is out of the archive's range."""
    fields = {"day": day.isoformat()}
    if day < EARLIEST_DAY:
        fields["earliest"] = EARLIEST_DAY.isoformat()
        if key is None:
            return _(
                "the story folder's day {day} is before {earliest}, where the archive starts; check the year",
                **fields,
            )
        return _(
            "{key} {day} is before {earliest}, where the archive starts; check the year", key=key, **fields
        )
    if day > latest_day(today):
        fields["today"] = today.isoformat()
        if key is None:
            return ngettext(
                "the story folder's day {day} is more than {count} year after today ({today}); "
                "check the year",
                "the story folder's day {day} is more than {count} years after today ({today}); "
                "check the year",
                YEARS_AHEAD,
                **fields,
            )
        return ngettext(
            "{key} {day} is more than {count} year after today ({today}); check the year",
            "{key} {day} is more than {count} years after today ({today}); check the year",
            YEARS_AHEAD,
            key=key,
            **fields,
        )
    return None


def check_date_range(source: Source, fields: dict[str, Field], path: str, today: dt.date) -> list[Problem]:
    """Every date (and a story folder's day) lies between 2000-01-01 and five years after today."""
    problems = []
    if source.is_story and "date" not in fields:
        message = _out_of_range(None, source.day, today)
        if message:
            problems.append(Problem(path, 1, message))
    for key, name in DATE_KEYS.items():
        if key not in fields or key not in known_keys(source):
            continue
        try:
            day = parse_datetime(fields[key].value).date()
        except ValueError:
            continue  # reported by check_header
        message = _out_of_range(name, day, today)
        if message:
            problems.append(Problem(path, fields[key].line, message))
    return problems

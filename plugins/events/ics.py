"""Build RFC 5545 calendars of events with icalendar: stable UIDs, reproducible stamps, Almaty VTIMEZONE."""

import copy
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from icalendar import Calendar, Event, Timezone, vDuration

from l10n.dates import ALMATY

from .model import EventTime

ZONE = "Asia/Almaty"
# How often calendar apps that subscribed to a feed should fetch it again.
REFRESH = dt.timedelta(days=1)
CALENDAR_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class CalendarEntry:
    """One event as a calendar shows it, already in the calendar's language."""

    uid: str
    when: EventTime
    summary: str
    stamp: dt.datetime  # when the story was last changed: DTSTAMP, never the build clock
    created: dt.datetime
    sequence: int = 0  # grows with every later `stamp` (see revision)
    location: str = ""
    description: str = ""
    url: str = ""  # absolute, or empty when the site has no absolute address
    categories: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class CalendarInfo:
    """What a calendar file says about itself."""

    prodid: str
    uid: str
    lang: str
    name: str
    description: str = ""
    url: str = ""  # the .ics file's own absolute address, for subscribers
    feed: bool = True  # a feed to subscribe to, or a single event to add


def event_uid(translation_key: str, lang: str, domain: str) -> str:
    """Return a UID that stays the same across builds and hosts: 'events/2025/2025-05-01-slug/ru@domain'."""
    return f"{translation_key}/{lang}@{domain}"


def revision(created: dt.datetime, modified: dt.datetime | None) -> tuple[dt.datetime, int]:
    """Return an event's DTSTAMP and SEQUENCE: its Modified (else its Date), and the whole minutes
    from Date to Modified, so that each later Modified gives calendar apps a higher SEQUENCE.

    Both come from the story file alone, so any build of one commit writes the same calendars; the
    file cannot tell which of its versions came first, so the editor's Modified says it.
    """
    if modified is None or modified <= created:
        return created, 0
    return modified, int((modified - created).total_seconds() // 60)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=ALMATY).astimezone(dt.UTC)


def _vevent(entry: CalendarEntry, lang: str) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", _utc(entry.stamp))
    event.add("created", _utc(entry.created))
    event.add("last-modified", _utc(entry.stamp))
    event.add("sequence", entry.sequence)
    when = entry.when
    if when.all_day:
        event.add("dtstart", when.first_day)
        # DTEND of an all-day event is the day after its last one (RFC 5545, 3.6.1).
        event.add("dtend", when.last_day + dt.timedelta(days=1))
    else:
        event.add("dtstart", when.start)
        if when.end is not None:
            event.add("dtend", when.end)
    language = {"LANGUAGE": lang}
    event.add("summary", entry.summary, parameters=language)
    if entry.description:
        event.add("description", entry.description, parameters=language)
    if entry.location:
        event.add("location", entry.location, parameters=language)
    if entry.url:
        event.add("url", entry.url)
    if entry.categories:
        event.add("categories", list(entry.categories), parameters=language)
    event.add("status", "CONFIRMED")
    event.add("class", "PUBLIC")
    return event


@functools.lru_cache(maxsize=64)
def _zone_between(first: dt.date, last: dt.date) -> Timezone:
    # Working out the offset changes takes about 40 ms, and every event's own calendar asks
    # for the same few spans of years: make each span once, and hand out copies.
    return Timezone.from_tzid(ZONE, first_date=first, last_date=last)


def _timezone(entries: Sequence[CalendarEntry]) -> Timezone:
    """Return Almaty's VTIMEZONE, with every offset change over the years the entries span."""
    years = [e.when.first_day.year for e in entries] + [e.when.last_day.year for e in entries]
    first = dt.date(min(years, default=2024), 1, 1)
    last = dt.date(max(years, default=2024) + 1, 12, 31)
    return copy.deepcopy(_zone_between(first, last))


def build_calendar(
    info: CalendarInfo,
    entries: Sequence[CalendarEntry],
    block: Callable[[CalendarEntry, str], bytes] | None = None,
) -> bytes:
    """Return the .ics bytes of a calendar holding the entries, ordered by start then UID.

    block(entry, lang) gives an event's VEVENT bytes (event_block, or the same kept from an earlier build).
    """
    calendar = Calendar()
    calendar.add("prodid", info.prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # No METHOD: METHOD:PUBLISH makes the file an iTIP message (RFC 5546), which needs an ORGANIZER
    # and makes some apps treat each event as an invitation. A plain calendar still updates by UID,
    # SEQUENCE and DTSTAMP (RFC 5545).
    language = {"LANGUAGE": info.lang}
    # A single event's file has no name: some apps would make a new calendar of that name.
    if info.uid:
        calendar.add("uid", info.uid)
    if info.name:
        calendar.add("name", info.name, parameters=language)
        calendar.add("x-wr-calname", info.name)
    if info.description:
        calendar.add("description", info.description, parameters=language)
        calendar.add("x-wr-caldesc", info.description)
    calendar.add("x-wr-timezone", ZONE)
    if info.url:
        calendar.add("url", info.url)
        if info.feed:
            calendar.add("source", info.url, parameters={"VALUE": "URI"})
    if info.feed:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
    if any(not e.when.all_day for e in entries):
        calendar.add_component(_timezone(entries))
    # The events are written apart and put in before the calendar's end: the same bytes icalendar
    # writes for the whole, and an event's block can be kept between builds (see the events plugin).
    blocks = [
        (block or event_block)(entry, info.lang)
        for entry in sorted(entries, key=lambda e: (e.when.start, e.uid))
    ]
    whole = calendar.to_ical()
    return whole[: -len(CALENDAR_END)] + b"".join(blocks) + CALENDAR_END


def event_block(entry: CalendarEntry, lang: str) -> bytes:
    """Return one event's VEVENT, as a calendar in that language holds it."""
    return _vevent(entry, lang).to_ical()

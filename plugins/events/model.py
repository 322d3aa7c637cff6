"""What an event is in time: parsed from its metadata, placed on days, upcoming or past at a moment."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from content_format.checks import has_time, parse_datetime
from l10n.dates import ALMATY

T = TypeVar("T")


@dataclass(frozen=True)
class EventTime:
    """When an event happens: aware Asia/Almaty datetimes; an all-day event starts and ends at 00:00."""

    start: dt.datetime
    end: dt.datetime | None = None
    all_day: bool = False

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        """Return the last day the event takes place on (an end at 00:00 does not take that day)."""
        if self.end is None:
            return self.first_day
        if self.all_day:
            return self.end.date()
        if self.end.time() == dt.time(0) and self.end > self.start:
            return (self.end - dt.timedelta(minutes=1)).date()
        return self.end.date()

    @property
    def single_day(self) -> bool:
        return self.first_day == self.last_day

    @property
    def finish(self) -> dt.datetime:
        """Return the moment the event is over; without an end time, the end of its day."""
        if self.end is not None and not self.all_day:
            return self.end
        return _midnight_after(self.last_day)

    def days(self) -> Iterator[dt.date]:
        """Yield every day the event takes place on."""
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def is_upcoming(self, now: dt.datetime) -> bool:
        """Tell whether the event is still to come or going on at `now`."""
        return self.finish > now


def output_expiry(events: Iterable, now: dt.datetime) -> dt.datetime:
    """Return when pages built at now go stale by the clock alone: the next midnight in Almaty
    (calendars mark today) or the moment an upcoming event is over, whichever comes first."""
    moments = [story.event.when.finish for story in events if story.event.when.finish > now]
    return min([_midnight_after(now.astimezone(ALMATY).date()), *moments])


def _midnight_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=ALMATY)


def parse_event_time(start: str, end: str | None = None) -> EventTime:
    """Read Event_start and Event_end ('YYYY-MM-DD HH:MM', or days only) as Asia/Almaty time."""
    begins = parse_datetime(start.strip()).replace(tzinfo=ALMATY)
    ends = parse_datetime(end.strip()).replace(tzinfo=ALMATY) if end and end.strip() else None
    all_day = not has_time(start)
    if ends is not None and (has_time(end) == all_day or ends < begins):
        raise ValueError(f"Event_end {end!r} does not fit Event_start {start!r}")
    return EventTime(begins, ends, all_day)


def parse_now(value: object) -> dt.datetime:
    """Read the EVENTS_NOW setting (a datetime or 'YYYY-MM-DD HH:MM'); a naive time is Almaty time."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        moment = dt.datetime.fromisoformat(value.strip())
    else:
        raise ValueError(f"EVENTS_NOW must be a date and time or 'YYYY-MM-DD HH:MM', not {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=ALMATY)


def upcoming_and_past(items: Iterable[T], when, now: dt.datetime) -> tuple[list[T], list[T]]:
    """Split items into upcoming (soonest first) and past (newest first); when(item) gives its EventTime.

    Ties are broken by the item's slug, so the order never depends on reading order.
    """
    upcoming, past = [], []
    for item in items:
        (upcoming if when(item).is_upcoming(now) else past).append(item)

    def by_slug(group: list[T]) -> list[T]:
        return sorted(group, key=lambda item: getattr(item, "slug", ""))

    def by_time(item: T) -> tuple:
        return (when(item).start, when(item).finish)

    # Sorting is stable (reverse=True too), so equal times keep slug order in both lists.
    return sorted(by_slug(upcoming), key=by_time), sorted(by_slug(past), key=by_time, reverse=True)


def by_day(items: Iterable[T], when) -> dict[dt.date, list[T]]:
    """Group items by every day they take place on, each day's items in order of start."""
    days: dict[dt.date, list[T]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (when(i).start, getattr(i, "slug", ""))):
        for day in when(item).days():
            days[day].append(item)
    return dict(days)


def months_of(days: Sequence[dt.date] | Iterable[dt.date]) -> list[dt.date]:
    """Return the first day of every month that holds one of the days, in order."""
    return sorted({day.replace(day=1) for day in days})


@dataclass(frozen=True)
class EventDetails:
    """What an event story adds to a story: when and where."""

    when: EventTime
    location: str
    address: str = ""

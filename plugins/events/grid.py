"""Lay out a month as a calendar grid: weeks from Monday, the days that have events, today."""

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from babel.dates import get_day_names


@dataclass(frozen=True)
class GridDay:
    """One day of the month in the grid."""

    day: dt.date
    events: Sequence = field(default_factory=tuple)
    today: bool = False

    @property
    def anchor(self) -> str:
        """Return the id of this day's section in the month's agenda."""
        return f"day-{self.day.isoformat()}"


@dataclass(frozen=True)
class MonthGrid:
    """A month as weeks of seven cells, Monday first; cells outside the month are None."""

    month: dt.date  # its first day
    weeks: list[list[GridDay | None]]

    @property
    def event_days(self) -> list[GridDay]:
        return [cell for week in self.weeks for cell in week if cell and cell.events]

    @property
    def has_today(self) -> bool:
        return any(cell and cell.today for week in self.weeks for cell in week)


def month_grid(month: dt.date, events_by_day: Mapping[dt.date, Sequence], today: dt.date | None) -> MonthGrid:
    """Return the grid of the month that holds `month`, with each day's events and today marked."""
    first = month.replace(day=1)
    weeks = [
        [
            GridDay(day, tuple(events_by_day.get(day, ())), day == today)
            if day.month == first.month
            else None
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
    ]
    return MonthGrid(first, weeks)


def weekday_names(lang: str) -> list[tuple[str, str]]:
    """Return (abbreviation, full name) of each weekday from Monday: ('пн', 'понедельник')."""
    short = get_day_names("abbreviated", "stand-alone", locale=lang)
    wide = get_day_names("wide", "stand-alone", locale=lang)
    return [(short[day], wide[day]) for day in range(7)]

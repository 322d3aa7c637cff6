"""Write an event's dates and times the way Russian and Kazakh readers write ranges, with Babel."""

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date, format_time, get_datetime_format

from l10n.dates import LONG_DATE_PATTERNS

from .model import EventTime

NBSP = "\u00a0"
# Between two days of one month the dash is unspaced (23–25); between longer dates it is
# spaced, with a no-break space before it so that no line starts with the dash.
TIGHT_DASH = "–"
SPACED_DASH = f"{NBSP}– "

# (pattern of the first day, dash, pattern of the last day), by what the two days share.
# "long" stands for the language's running-text date (l10n.dates.LONG_DATE_PATTERNS).
RANGE_PATTERNS = {
    "ru": {
        "month": ("d", TIGHT_DASH, "long"),  # 23–25 апреля 2025 г.
        "year": ("d MMMM", SPACED_DASH, "long"),  # 30 апреля – 2 мая 2025 г.
        "none": ("long", SPACED_DASH, "long"),  # 30 декабря 2025 г. – 2 января 2026 г.
    },
    "kk": {
        "month": ("y 'жылғы' d", TIGHT_DASH, "d MMMM"),  # 2025 жылғы 23–25 сәуір
        "year": ("y 'жылғы' d MMMM", SPACED_DASH, "d MMMM"),  # 2025 жылғы 30 сәуір – 2 мамыр
        "none": ("long", SPACED_DASH, "long"),  # 2025 жылғы 30 желтоқсан – 2026 жылғы 2 қаңтар
    },
}
# A time on another day than the event's first: "25 апреля, 18:00".
DAY_WITHOUT_YEAR = "d MMMM"


@dataclass(frozen=True)
class Part:
    """A piece of a written range; `moment` is its machine-readable value for <time datetime>, if any."""

    text: str
    moment: str | None = None


def plain(parts: list[Part]) -> str:
    """Return the parts as one string."""
    return "".join(part.text for part in parts)


def _date(day: dt.date, pattern: str, lang: str) -> str:
    return format_date(day, LONG_DATE_PATTERNS[lang] if pattern == "long" else pattern, locale=lang)


def date_range(first: dt.date, last: dt.date, lang: str) -> list[Part]:
    """Write one day or a range of days: '23–25 апреля 2025 г.', '2025 жылғы 23–25 сәуір'."""
    if first == last:
        return [Part(_date(first, "long", lang), first.isoformat())]
    if (first.year, first.month) == (last.year, last.month):
        shared = "month"
    elif first.year == last.year:
        shared = "year"
    else:
        shared = "none"
    start_pattern, dash, end_pattern = RANGE_PATTERNS[lang][shared]
    return [
        Part(_date(first, start_pattern, lang), first.isoformat()),
        Part(dash),
        Part(_date(last, end_pattern, lang), last.isoformat()),
    ]


def _time(moment: dt.datetime, lang: str) -> str:
    return format_time(moment, "short", locale=lang)


def _day_and_time(moment: dt.datetime, lang: str) -> str:
    # Babel's glue for a date and a time ("{1}, {0}" in both languages).
    return get_datetime_format("medium", locale=lang).format(
        _time(moment, lang), format_date(moment, DAY_WITHOUT_YEAR, locale=lang)
    )


def event_dates(when: EventTime, lang: str) -> list[Part]:
    """Write the days an event takes place on."""
    return date_range(when.first_day, when.last_day, lang)


def event_times(when: EventTime, lang: str) -> list[Part]:
    """Write an event's clock times: '15:00–18:00'; across days '23 апреля, 10:00 – 25 апреля, 18:00'."""
    if when.all_day:
        return []
    start = Part(_time(when.start, lang), when.start.isoformat())
    if when.end is None:
        return [start]
    if when.single_day:
        return [start, Part(TIGHT_DASH), Part(_time(when.end, lang), when.end.isoformat())]
    return [
        Part(_day_and_time(when.start, lang), when.start.isoformat()),
        Part(SPACED_DASH),
        Part(_day_and_time(when.end, lang), when.end.isoformat()),
    ]


def event_summary(when: EventTime, lang: str) -> str:
    """Write the event's time in one line: days, then clock times when it is one day."""
    text = plain(event_dates(when, lang))
    if when.single_day and not when.all_day:
        text += ", " + plain(event_times(when, lang))
    return text

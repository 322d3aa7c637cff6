"""Write an event's dates and times the way Russian and Kazakh readers write ranges, with Babel."""

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date, format_time, get_datetime_format

from l10n.dates import LONG_DATE_PATTERNS, SPACED_DASH, TIGHT_DASH, span_parts

from .model import EventTime

# An event's days as running text (with «г.», unlike listing pages): "day" for one day, else
# (pattern of the first day, dash, pattern of the last day) by what the two days share.
RANGE_PATTERNS = {
    "ru": {
        "day": LONG_DATE_PATTERNS["ru"],  # 23 апреля 2025 г.
        "month": ("d", TIGHT_DASH, LONG_DATE_PATTERNS["ru"]),  # 23–25 апреля 2025 г.
        "year": ("d MMMM", SPACED_DASH, LONG_DATE_PATTERNS["ru"]),  # 30 апреля – 2 мая 2025 г.
        "none": (LONG_DATE_PATTERNS["ru"], SPACED_DASH, LONG_DATE_PATTERNS["ru"]),  # 30 декабря 2025 г. – …
    },
    "kk": {
        "day": LONG_DATE_PATTERNS["kk"],  # 2025 жылғы 23 сәуір
        "month": ("y 'жылғы' d", TIGHT_DASH, "d MMMM"),  # 2025 жылғы 23–25 сәуір
        "year": ("y 'жылғы' d MMMM", SPACED_DASH, "d MMMM"),  # 2025 жылғы 30 сәуір – 2 мамыр
        "none": (LONG_DATE_PATTERNS["kk"], SPACED_DASH, LONG_DATE_PATTERNS["kk"]),  # … – 2026 жылғы 2 қаңтар
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


def date_range(first: dt.date, last: dt.date, lang: str) -> list[Part]:
    """Write one day or a range of days: '23–25 апреля 2025 г.', '2025 жылғы 23–25 сәуір'."""
    return [Part(text, moment) for text, moment in span_parts((first, last), lang, RANGE_PATTERNS[lang])]


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

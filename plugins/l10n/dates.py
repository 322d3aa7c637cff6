"""Format dates the way Russian and Kazakh readers write them, with Babel (no setlocale)."""

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

ALMATY = ZoneInfo("Asia/Almaty")

# Babel's kk "long" is "2025 ж. 23 сәуір"; the official Kazakh style spells out "жылғы".
LONG_DATE_PATTERNS = {"ru": "long", "kk": "y 'жылғы' d MMMM"}
# Nominative (stand-alone) month names for headings: ru "апрель 2025", kk "Сәуір 2025".
MONTH_HEADING_PATTERN = "LLLL y"


def in_almaty(moment: dt.datetime) -> dt.datetime:
    """Return an aware datetime in Asia/Almaty; a naive one is taken as Almaty time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ALMATY)
    return moment.astimezone(ALMATY)


def today_in_almaty(now: dt.datetime | None = None) -> dt.date:
    """Return today's date in Almaty, whatever the machine's zone."""
    return (now or dt.datetime.now(tz=dt.UTC)).astimezone(ALMATY).date()


def long_date(moment: dt.date, lang: str) -> str:
    """Return the date as written in running text: '23 апреля 2025 г.', '2025 жылғы 23 сәуір'."""
    if isinstance(moment, dt.datetime):
        moment = in_almaty(moment).date()
    return format_date(moment, LONG_DATE_PATTERNS[lang], locale=lang)


def month_heading(moment: dt.date, lang: str) -> str:
    """Return a month and year for headings: 'апрель 2025', 'Сәуір 2025'."""
    return format_date(moment, MONTH_HEADING_PATTERN, locale=lang)


def month_name(month: int, lang: str) -> str:
    """Return the stand-alone (nominative) name of a month, 1-12."""
    return format_date(dt.date(2000, month, 1), "LLLL", locale=lang)


# Between two days of one month the dash is unspaced (12–20); between longer dates it is spaced,
# with a no-break space before it so that no line starts with the dash.
TIGHT_DASH, SPACED_DASH = "–", "\u00a0– "
# The days a listing page covers, by what its first and last day share (no «г.», as in headings):
# "day" for a single day, else (pattern of the first day, dash, pattern of the last day).
DAY_SPAN_PATTERNS = {
    "ru": {
        "day": "d MMMM y",  # 12 октября 2025
        "month": ("d", TIGHT_DASH, "d MMMM y"),  # 12–20 октября 2025
        "year": ("d MMMM", SPACED_DASH, "d MMMM y"),  # 28 сентября – 3 октября 2025
        "none": ("d MMMM y", SPACED_DASH, "d MMMM y"),  # 30 декабря 2024 – 2 января 2025
    },
    "kk": {
        "day": "y 'жылғы' d MMMM",  # 2025 жылғы 12 қазан
        "month": ("y 'жылғы' d", TIGHT_DASH, "d MMMM"),  # 2025 жылғы 12–20 қазан
        "year": ("y 'жылғы' d MMMM", SPACED_DASH, "d MMMM"),  # 2025 жылғы 28 қыркүйек – 3 қазан
        # 2024 жылғы 30 желтоқсан – 2025 жылғы 2 қаңтар
        "none": ("y 'жылғы' d MMMM", SPACED_DASH, "y 'жылғы' d MMMM"),
    },
}


def day_span_parts(days: tuple[dt.date, dt.date], lang: str) -> list[tuple[str, str | None]]:
    """Return the days from first to last as (text, ISO day or None) parts: '12', '–', '20 октября 2025'."""
    return span_parts(days, lang, DAY_SPAN_PATTERNS[lang])


def span_parts(days: tuple[dt.date, dt.date], lang: str, patterns: dict) -> list[tuple[str, str | None]]:
    """Write two days as parts by patterns: "day" for one day, else the (start, dash, end) of what they share.

    What they share is "month" (12–20 октября), "year" (28 сентября – 3 октября) or "none".
    """
    first, last = days
    if first == last:
        return [(format_date(first, patterns["day"], locale=lang), first.isoformat())]
    if (first.year, first.month) == (last.year, last.month):
        shared = "month"
    elif first.year == last.year:
        shared = "year"
    else:
        shared = "none"
    start, dash, end = patterns[shared]
    return [
        (format_date(first, start, locale=lang), first.isoformat()),
        (dash, None),
        (format_date(last, end, locale=lang), last.isoformat()),
    ]


def day_span(days: tuple[dt.date, dt.date], lang: str) -> str:
    """Return the days from first to last as one text: '28 сентября – 3 октября 2025'."""
    return "".join(text for text, _ in day_span_parts(days, lang))


def short_time(moment: dt.datetime, lang: str) -> str:
    """Return the Almaty wall-clock time: '10:30'."""
    return format_time(in_almaty(moment), "short", locale=lang)


def long_moment(moment: dt.datetime, lang: str) -> str:
    """Return a date and time in running text: '5 декабря 2026 г., 09:00', '2026 жылғы 5 желтоқсан, 09:00'."""
    return f"{long_date(moment, lang)}, {short_time(moment, lang)}"


# The last word a Kazakh reader says for a time's minutes (09:00 "нөл нөл", 10:30 "отыз",
# 18:45 "қырық бес"), whose sounds choose the dative ending: -ге, -ке, -ға or -қа.
_UNITS = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_TENS = ("нөл", "он", "жиырма", "отыз", "қырық", "елу")
_BACK_VOWELS = set("аоұыя")
_VOICELESS_ENDINGS = set("кқпстфхцчшщ")


def kazakh_dative(word: str) -> str:
    """Return the dative ending a Kazakh word takes: 'ге' (нөл), 'ке' (бес), 'ға' (отыз), 'қа' (қырық)."""
    back = next((letter in _BACK_VOWELS for letter in reversed(word) if letter in "аәеоөұүыіэюяиу"), False)
    voiceless = word[-1] in _VOICELESS_ENDINGS
    return ("қа" if voiceless else "ға") if back else ("ке" if voiceless else "ге")


def time_dative(moment: dt.datetime) -> str:
    """Return the Kazakh dative ending after a time written in digits: '09:00-ге', '10:30-ға'."""
    minute = in_almaty(moment).minute
    word = _UNITS[minute % 10] if minute % 10 else _TENS[minute // 10]
    return f"-{kazakh_dative(word)}"


def iso_datetime(moment: dt.datetime) -> str:
    """Return an ISO 8601 timestamp with the Almaty offset of that day."""
    return in_almaty(moment).isoformat()

"""Pure helpers of the events plugin: times, ru and kk ranges, upcoming or past, month grid, ics, JSON-LD."""

import datetime as dt
import json
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events.events import EventBlocks
from events.grid import month_grid, weekday_names
from events.ics import CalendarEntry, CalendarInfo, build_calendar, event_block, event_uid
from events.jsonld import event_json_ld, script_json
from events.model import by_day, months_of, parse_event_time, parse_now, upcoming_and_past
from events.pages import by_month, calendar_entry_month
from events.ranges import event_dates, event_summary, event_times, plain

ALMATY = ZoneInfo("Asia/Almaty")
NNBSP = "\u202f"  # Babel's narrow no-break space before "г."
NBSP = "\u00a0"  # before a spaced dash, so that no line starts with it


@pytest.mark.parametrize(
    ("start", "end", "ru", "kk"),
    [
        ("2025-04-23 15:00", "2025-04-23 18:00", f"23 апреля 2025{NNBSP}г.", "2025 жылғы 23 сәуір"),
        ("2025-04-23", None, f"23 апреля 2025{NNBSP}г.", "2025 жылғы 23 сәуір"),
        ("2025-04-23 10:00", "2025-04-25 18:00", f"23–25 апреля 2025{NNBSP}г.", "2025 жылғы 23–25 сәуір"),
        ("2025-04-23", "2025-04-25", f"23–25 апреля 2025{NNBSP}г.", "2025 жылғы 23–25 сәуір"),
        (
            "2025-04-30",
            "2025-05-02",
            f"30 апреля{NBSP}– 2 мая 2025{NNBSP}г.",
            f"2025 жылғы 30 сәуір{NBSP}– 2 мамыр",
        ),
        (
            "2025-12-30 19:00",
            "2026-01-02 12:00",
            f"30 декабря 2025{NNBSP}г.{NBSP}– 2 января 2026{NNBSP}г.",
            f"2025 жылғы 30 желтоқсан{NBSP}– 2026 жылғы 2 қаңтар",
        ),
        # Ends at midnight: the next day is not one of the event's days.
        ("2025-04-23 20:00", "2025-04-24 00:00", f"23 апреля 2025{NNBSP}г.", "2025 жылғы 23 сәуір"),
    ],
)
def test_dates_are_written_naturally_in_both_languages(start, end, ru, kk):
    when = parse_event_time(start, end)
    assert plain(event_dates(when, "ru")) == ru
    assert plain(event_dates(when, "kk")) == kk


def test_each_day_of_a_range_carries_its_machine_readable_date():
    parts = event_dates(parse_event_time("2025-04-30", "2025-05-02"), "kk")
    assert [(p.text, p.moment) for p in parts] == [
        ("2025 жылғы 30 сәуір", "2025-04-30"),
        (f"{NBSP}– ", None),
        ("2 мамыр", "2025-05-02"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "lang", "expected"),
    [
        ("2025-04-23 15:00", "2025-04-23 18:00", "ru", "15:00–18:00"),
        ("2025-04-23 9:30", None, "kk", "09:30"),
        ("2025-04-23 10:00", "2025-04-25 18:00", "ru", f"23 апреля, 10:00{NBSP}– 25 апреля, 18:00"),
        ("2025-04-23 10:00", "2025-04-25 18:00", "kk", f"23 сәуір, 10:00{NBSP}– 25 сәуір, 18:00"),
        ("2025-04-23", "2025-04-25", "kk", ""),  # all-day: no clock times
    ],
)
def test_clock_times(start, end, lang, expected):
    assert plain(event_times(parse_event_time(start, end), lang)) == expected


def test_time_parts_carry_the_offset_of_their_day():
    # Almaty moved from UTC+6 to UTC+5 on 1 March 2024.
    before = event_times(parse_event_time("2024-02-24 10:00", "2024-02-24 12:00"), "ru")
    after = event_times(parse_event_time("2024-03-02 10:00", "2024-03-02 12:00"), "ru")
    assert before[0].moment == "2024-02-24T10:00:00+06:00"
    assert after[-1].moment == "2024-03-02T12:00:00+05:00"


def test_one_line_summary_adds_times_only_to_a_one_day_event():
    assert event_summary(parse_event_time("2025-05-10 15:00", "2025-05-10 18:00"), "kk") == (
        "2025 жылғы 10 мамыр, 15:00–18:00"
    )
    assert event_summary(parse_event_time("2025-05-10 15:00", "2025-05-11 18:00"), "ru") == (
        f"10–11 мая 2025{NNBSP}г."
    )


def test_event_times_are_almaty_wall_clock():
    when = parse_event_time("2024-02-29 22:00", "2024-03-01 01:00")
    assert when.start.astimezone(dt.UTC) == dt.datetime(2024, 2, 29, 16, 0, tzinfo=dt.UTC)  # UTC+6
    assert when.end.astimezone(dt.UTC) == dt.datetime(2024, 2, 29, 20, 0, tzinfo=dt.UTC)  # UTC+5
    assert [d.isoformat() for d in when.days()] == ["2024-02-29", "2024-03-01"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-05-02", "2025-05-01"),
        ("2025-05-01 10:00", "2025-05-02"),
        ("2025-05-01 10:00", "2025-05-01 9:00"),
    ],
)
def test_times_that_do_not_fit_are_refused(start, end):
    with pytest.raises(ValueError):
        parse_event_time(start, end)


def test_now_setting_is_almaty_time_unless_it_says_otherwise():
    assert parse_now("2026-12-01 09:00") == dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)
    assert parse_now("2026-12-01T09:00+00:00") == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert parse_now(dt.datetime(2026, 12, 1, 9, 0)).tzinfo is not None
    with pytest.raises(ValueError):
        parse_now("tomorrow")
    with pytest.raises(ValueError):
        parse_now(20261201)


def story(slug, start, end=None):
    return SimpleNamespace(slug=slug, when=parse_event_time(start, end))


def when(item):
    return item.when


NOW = dt.datetime(2025, 5, 10, 16, 0, tzinfo=ALMATY)


def test_upcoming_soonest_first_then_past_newest_first():
    items = [
        story("old", "2024-02-24 10:00", "2024-02-25 17:00"),
        story("later", "2025-06-01 10:00"),
        story("going-on", "2025-05-10 15:00", "2025-05-10 18:00"),  # started, not over: still upcoming
        story("soon", "2025-05-11"),
        story("ended-today", "2025-05-10 09:00", "2025-05-10 11:00"),
        story("b-same-time", "2025-06-01 10:00"),
    ]
    upcoming, past = upcoming_and_past(items, when, NOW)
    assert [i.slug for i in upcoming] == ["going-on", "soon", "b-same-time", "later"]
    assert [i.slug for i in past] == ["ended-today", "old"]


@pytest.mark.parametrize(
    ("start", "end", "upcoming"),
    [
        ("2025-05-10 10:00", None, True),  # no end: counts as upcoming through its day
        ("2025-05-09 10:00", None, False),
        ("2025-05-10", None, True),  # all-day today
        ("2025-05-08", "2025-05-10", True),
        ("2025-05-08", "2025-05-09", False),
        ("2025-05-10 15:00", "2025-05-10 16:00", False),  # ended exactly now
    ],
)
def test_what_counts_as_upcoming(start, end, upcoming):
    assert parse_event_time(start, end).is_upcoming(NOW) is upcoming


def test_days_and_months_of_events():
    items = [story("fair", "2026-12-28", "2027-01-03"), story("talk", "2026-12-29 18:00", "2026-12-29 20:00")]
    days = by_day(items, when)
    assert [i.slug for i in days[dt.date(2026, 12, 29)]] == ["fair", "talk"]
    assert [i.slug for i in days[dt.date(2027, 1, 3)]] == ["fair"]
    assert dt.date(2027, 1, 4) not in days
    assert months_of(days) == [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]


def test_each_month_calendar_lists_every_event_touching_it_in_order_of_start():
    spans = {
        "new-year-fair": ("2024-12-20 10:00", "2025-01-05 18:00"),  # across the year's end
        "winter-course": ("2025-01-10 09:00", "2025-03-02 17:00"),  # through a whole month
        "kuy-evening": ("2025-01-05 19:00", None),
        "ski-day": ("2025-02-28 23:30", "2025-03-01 01:00"),
        "book-swap": ("2025-01-05 19:00", None),  # the same start: by slug
    }
    events = [
        SimpleNamespace(slug=slug, event=SimpleNamespace(when=parse_event_time(start, end)))
        for slug, (start, end) in spans.items()
    ]
    months = by_month(events)
    assert (
        list(months)
        == sorted(months)
        == [dt.date(y, m, 1) for y, m in ((2024, 12), (2025, 1), (2025, 2), (2025, 3))]
    )
    names = {month: [e.slug for e in found] for month, found in months.items()}
    assert names[dt.date(2024, 12, 1)] == ["new-year-fair"]
    assert names[dt.date(2025, 1, 1)] == ["new-year-fair", "book-swap", "kuy-evening", "winter-course"]
    assert names[dt.date(2025, 2, 1)] == ["winter-course", "ski-day"]
    assert names[dt.date(2025, 3, 1)] == ["winter-course", "ski-day"]


def test_calendar_opens_on_this_or_the_next_month_with_events_else_the_last():
    months = [dt.date(2024, 2, 1), dt.date(2025, 5, 1), dt.date(2026, 12, 1)]
    assert calendar_entry_month(months, dt.date(2025, 5, 20)) == dt.date(2025, 5, 1)
    assert calendar_entry_month(months, dt.date(2025, 6, 1)) == dt.date(2026, 12, 1)
    assert calendar_entry_month(months, dt.date(2027, 1, 1)) == dt.date(2026, 12, 1)
    assert calendar_entry_month([], dt.date(2027, 1, 1)) is None


def test_month_grid_starts_weeks_on_monday_and_marks_event_days_and_today():
    # February 2024 starts on a Thursday and has 29 days.
    events = {dt.date(2024, 2, 24): ["festival"], dt.date(2024, 2, 25): ["festival"]}
    grid = month_grid(dt.date(2024, 2, 10), events, today=dt.date(2024, 2, 29))
    assert grid.month == dt.date(2024, 2, 1)
    assert all(len(week) == 7 for week in grid.weeks)
    first_week = grid.weeks[0]
    assert first_week[:3] == [None, None, None]
    assert first_week[3].day == dt.date(2024, 2, 1)
    cells = [cell for week in grid.weeks for cell in week if cell]
    assert [c.day.day for c in cells] == list(range(1, 30))
    assert [c.day.day for c in grid.event_days] == [24, 25]
    assert grid.event_days[0].events == ("festival",)
    assert grid.event_days[0].anchor == "day-2024-02-24"
    assert [c.day.day for c in cells if c.today] == [29]
    assert grid.weeks[-1][4:] == [None, None, None]


def test_month_grid_without_today_in_it_marks_no_day():
    grid = month_grid(dt.date(2025, 5, 1), {}, today=dt.date(2026, 12, 1))
    assert not any(cell.today for week in grid.weeks for cell in week if cell)
    assert len(grid.weeks) == 5


@pytest.mark.parametrize(
    ("lang", "first", "last"),
    [("ru", ("пн", "понедельник"), ("вс", "воскресенье")), ("kk", ("дс", "дүйсенбі"), ("жс", "жексенбі"))],
)
def test_weekday_headers_in_the_page_language(lang, first, last):
    names = weekday_names(lang)
    assert (names[0], names[-1], len(names)) == (first, last, 7)


STAMP = dt.datetime(2024, 1, 20, 11, 0, tzinfo=ALMATY)


def entry(uid, start, end=None, **fields):
    return CalendarEntry(
        uid=uid,
        when=parse_event_time(start, end),
        summary=f"Событие {uid}",
        stamp=STAMP,
        created=STAMP,
        **fields,
    )


def feed(*entries):
    info = CalendarInfo(prodid="-//test//events//RU", uid="ru/events.ics@test", lang="ru", name="События")
    return build_calendar(info, list(entries))


def test_calendar_holds_each_event_at_its_utc_instant_on_either_side_of_march_2024():
    data = feed(
        entry("before", "2024-02-24 10:00", "2024-02-25 17:00"),
        entry("after", "2024-03-02 10:00", "2024-03-02 12:00"),
        entry("all-day", "2026-12-28", "2027-01-03"),
    )
    calendar = Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert events["before"].decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2024, 2, 24, 4, 0, tzinfo=dt.UTC
    )
    assert events["before"].decoded("DTEND").astimezone(dt.UTC) == dt.datetime(
        2024, 2, 25, 11, 0, tzinfo=dt.UTC
    )
    assert events["after"].decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2024, 3, 2, 5, 0, tzinfo=dt.UTC
    )
    # An all-day event is DATE-valued, its DTEND the day after its last day.
    assert events["all-day"].decoded("DTSTART") == dt.date(2026, 12, 28)
    assert events["all-day"].decoded("DTEND") == dt.date(2027, 1, 4)
    assert events["before"].decoded("DTSTAMP") == dt.datetime(2024, 1, 20, 5, 0, tzinfo=dt.UTC)


def test_calendar_has_the_almaty_timezone_with_its_2024_change():
    calendar = Calendar.from_ical(feed(entry("a", "2024-02-24 10:00"), entry("b", "2025-05-10 15:00")))
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Almaty"
    changes = {
        (o.decoded("DTSTART").date(), o.decoded("TZOFFSETFROM"), o.decoded("TZOFFSETTO"))
        for o in zone.walk("STANDARD")
    }
    assert (dt.date(2024, 3, 1), dt.timedelta(hours=6), dt.timedelta(hours=5)) in changes
    # Every TZID used by an event is defined in the file.
    assert calendar.get_missing_tzids() == set()


def test_calendar_text_is_in_its_language_and_fields_are_escaped():
    data = feed(
        entry(
            "x",
            "2025-05-10 15:00",
            location="Дворец Республики, проспект Достык, 56",
            description="Вальс; танго\nи «буги»",
            url="https://example.test/ru/events/2025/05/x/",
            categories=["Культура"],
        )
    )
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["LOCATION"]) == "Дворец Республики, проспект Достык, 56"
    assert event["LOCATION"].params["LANGUAGE"] == "ru"
    assert str(event["DESCRIPTION"]) == "Вальс; танго\nи «буги»"
    assert str(event["URL"]) == "https://example.test/ru/events/2025/05/x/"
    # RFC 5545 lines: CRLF-terminated, folded at 75 octets.
    assert data.endswith(b"\r\n") and max(len(line) for line in data.split(b"\r\n")) <= 75


def test_calendar_is_byte_for_byte_reproducible_and_ordered_by_start():
    one = feed(entry("b", "2025-05-10 15:00"), entry("a", "2024-02-24 10:00"))
    two = feed(entry("a", "2024-02-24 10:00"), entry("b", "2025-05-10 15:00"))
    assert one == two
    assert [str(e["UID"]) for e in Calendar.from_ical(one).walk("VEVENT")] == ["a", "b"]


def test_a_feed_of_kept_event_blocks_is_the_calendar_icalendar_writes_whole():
    """events.ics is spliced from each event's VEVENT (kept between builds): the bytes must not change."""
    entries = [
        entry("all-day", "2026-12-28", "2027-01-03"),
        entry("timed", "2024-02-24 10:00", "2024-02-25 17:00", location="Парк «Көктөбе», " * 4),
        entry(
            "long",
            "2025-05-10 15:00",
            description="Вальс, танго и «буги». " * 12,
            categories=["Музыка", "Би"],
        ),
    ]
    info = CalendarInfo(prodid="-//test//events//RU", uid="ru/events.ics@test", lang="ru", name="События")
    kept = {e.uid: event_block(e, "ru") for e in entries}
    spliced = build_calendar(info, entries, lambda e, lang: kept[e.uid])
    assert spliced == build_calendar(info, entries)
    parsed = Calendar.from_ical(spliced)
    assert [str(e["UID"]) for e in parsed.walk("VEVENT")] == ["timed", "long", "all-day"]
    assert len(parsed.walk("VTIMEZONE")) == 1 and spliced.endswith(b"END:VCALENDAR\r\n")
    # Only all-day events: no time zone, and still the same bytes.
    days = [entries[0]]
    assert build_calendar(info, days, lambda e, lang: kept[e.uid]) == build_calendar(info, days)


def test_single_event_file_has_no_calendar_name():
    info = CalendarInfo(prodid="-//test//events//KK", uid="", lang="kk", name="", feed=False)
    calendar = Calendar.from_ical(build_calendar(info, [entry("a", "2025-05-10 15:00")]))
    assert "X-WR-CALNAME" not in calendar and "REFRESH-INTERVAL" not in calendar
    # METHOD:PUBLISH would need an ORGANIZER (RFC 5546): the files are plain calendars.
    assert "METHOD" not in calendar


def test_uid_is_made_of_the_story_folder_and_language():
    assert event_uid("events/2025/2025-05-01-dance-contest", "kk", "example.kz") == (
        "events/2025/2025-05-01-dance-contest/kk@example.kz"
    )


def test_json_ld_event_has_offsets_of_its_days_and_a_place():
    data = event_json_ld(
        name="Фестиваль",
        when=parse_event_time("2024-02-29 22:00", "2024-03-01 01:00"),
        location="Медеу",
        address="улица Горная, 465",
        lang="ru",
        url="https://example.test/ru/events/2024/01/festival/",
        images=["https://example.test/events/2024/2024-01-20-festival/a.jpg"],
    )
    assert data["@type"] == "Event"
    assert data["startDate"] == "2024-02-29T22:00:00+06:00"
    assert data["endDate"] == "2024-03-01T01:00:00+05:00"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Алматы",
        "addressCountry": "KZ",
        "streetAddress": "улица Горная, 465",
    }
    assert data["inLanguage"] == "ru"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_json_ld_of_an_all_day_event_without_end_uses_dates():
    data = event_json_ld(
        name="Ярмарка",
        when=parse_event_time("2026-12-28"),
        location="Площадь",
        address="",
        lang="kk",
        url="/x/",
    )
    assert data["startDate"] == data["endDate"] == "2026-12-28"
    assert "streetAddress" not in data["location"]["address"] and "image" not in data


def test_json_ld_of_a_timed_event_without_end_has_no_end_date():
    data = event_json_ld(
        name="Лекция",
        when=parse_event_time("2025-05-10 15:00"),
        location="Зал",
        address="",
        lang="ru",
        url="/x/",
    )
    assert "endDate" not in data


def test_script_json_cannot_close_its_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


class DictMemo:
    """A source memo kept in a dict, as the incremental plugin keeps one between builds."""

    def __init__(self):
        self.values = {}

    def recall(self, path):
        return self.values.get(path)

    def remember(self, path, value):
        self.values[path] = value


def test_event_blocks_are_made_once_per_story_file_and_language():
    memo = DictMemo()
    made = entry("a", "2025-05-10 15:00")
    blocks = EventBlocks(memo)
    blocks.note(made, "/content/events/2025/2025-05-10-a/ru.md")
    first = blocks.block(made, "ru")
    assert first == event_block(made, "ru")
    assert memo.values == {"/content/events/2025/2025-05-10-a/ru.md": ("ru", first)}
    # The next build takes the kept bytes (here marked, to see that they were taken).
    memo.values["/content/events/2025/2025-05-10-a/ru.md"] = ("ru", b"KEPT")
    again = EventBlocks(memo)
    again.note(made, "/content/events/2025/2025-05-10-a/ru.md")
    assert again.block(made, "ru") == b"KEPT"
    # Another language, or no memo (not an incremental build): made anew.
    assert again.block(made, "kk") == event_block(made, "kk")
    assert EventBlocks(None).block(made, "ru") == first

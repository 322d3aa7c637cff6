"""Events on the built fixture site: pages, listing order, month calendars, JSON-LD and .ics files."""

import datetime as dt
import json
import re

import pytest
from conftest import FIXTURE_SITE, Site, build
from icalendar import Calendar

SITEURL = "https://example.test"
NNBSP = "\u202f"
NBSP = "\u00a0"

# Every event of the fixture, by language, with its UTC start (or start day, when all-day).
EVENTS = {
    "ru": {
        "/ru/events/2024/01/winter-festival/": dt.datetime(
            2024, 2, 24, 4, 0, tzinfo=dt.UTC
        ),  # 10:00 at UTC+6
        "/ru/events/2025/05/dance-contest/": dt.datetime(2025, 5, 10, 10, 0, tzinfo=dt.UTC),  # 15:00 at UTC+5
        "/ru/events/2026/11/new-year-fair/": dt.date(2026, 12, 28),
    },
    "kk": {
        "/kk/events/2024/01/winter-festival/": dt.datetime(2024, 2, 24, 4, 0, tzinfo=dt.UTC),
        "/kk/events/2025/05/dance-contest/": dt.datetime(2025, 5, 10, 10, 0, tzinfo=dt.UTC),
        "/kk/events/2025/09/apple-festival/": dt.date(2025, 9, 20),
        "/kk/events/2026/11/new-year-fair/": dt.date(2026, 12, 28),
    },
}


@pytest.fixture(scope="module")
def hosted_sites(tmp_path_factory, fixture_site) -> tuple[Site, Site]:
    """The fixture site built twice for a public host: 'now' after every event, then the real clock."""
    content = fixture_site.root.parent / "content"
    sites = []
    for name, now in (("late", "2030-01-01 00:00"), ("clock", None)):
        output = tmp_path_factory.mktemp(name) / "output"
        build(content, output, SITEURL=SITEURL, **({"EVENTS_NOW": now} if now else {}))
        sites.append(Site(output))
    return tuple(sites)


def hrefs(elements) -> list[str]:
    return [a["href"] for a in elements]


def calendar_of(site: Site, url: str) -> Calendar:
    return Calendar.from_ical(site.file(url).read_bytes())


# Event pages


@pytest.mark.parametrize(
    ("url", "when", "where"),
    [
        (
            "/ru/events/2024/01/winter-festival/",
            f"24–25 февраля 2024{NNBSP}г. / 24 февраля, 10:00{NBSP}– 25 февраля, 17:00",
            "Каток «Медеу» / улица Горная, 465",
        ),
        (
            "/kk/events/2025/05/dance-contest/",
            "2025 жылғы 10 мамыр / 15:00–18:00",
            "Республика сарайы / Достық даңғылы, 56",
        ),
        (
            "/kk/events/2026/11/new-year-fair/",
            f"2026 жылғы 28 желтоқсан{NBSP}– 2027 жылғы 3 қаңтар",
            "Республика алаңы",
        ),
    ],
)
def test_event_page_says_when_and_where_in_its_language(fixture_site, url, when, where):
    details = fixture_site.page(url).select_one(".event-details")
    for br in details.select("dd br"):
        br.replace_with(" / ")
    values = [dd.get_text() for dd in details.select("dd")]
    assert [dt.get_text() for dt in details.select("dt")] == (
        ["Когда", "Где"] if url.startswith("/ru/") else ["Қашан", "Қайда"]
    )
    assert values == [when, where]


def test_event_page_times_carry_the_offset_of_their_day(fixture_site):
    winter = fixture_site.page("/ru/events/2024/01/winter-festival/").select(".event-details time")
    dance = fixture_site.page("/ru/events/2025/05/dance-contest/").select(".event-details time")
    assert [t["datetime"] for t in winter] == [
        "2024-02-24",
        "2024-02-25",
        "2024-02-24T10:00:00+06:00",
        "2024-02-25T17:00:00+06:00",
    ]
    assert [t["datetime"] for t in dance][-2:] == ["2025-05-10T15:00:00+05:00", "2025-05-10T18:00:00+05:00"]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_add_to_calendar_links_the_event_ics_beside_the_page(fixture_site, lang):
    for url in EVENTS[lang]:
        link = fixture_site.page(url).select_one(".event-details a[type='text/calendar']")
        assert link["href"] == f"{url}event.ics"
        assert link.get_text() == {"ru": "Добавить в календарь", "kk": "Күнтізбеге қосу"}[lang]
        assert fixture_site.exists(link["href"])


def test_news_pages_have_no_event_details_nor_event_json_ld(fixture_site):
    page = fixture_site.page("/ru/news/2025/04/hackathon/")
    assert page.select(".event-details") == []
    types = [json.loads(s.string)["@type"] for s in page.select('script[type="application/ld+json"]')]
    assert "Event" not in types


def json_ld(page) -> dict:
    """Return the page's Event JSON-LD (every story also carries a BreadcrumbList)."""
    blocks = [json.loads(s.string) for s in page.select('head script[type="application/ld+json"]')]
    [event] = [block for block in blocks if block["@type"] == "Event"]
    return event


@pytest.mark.parametrize(
    ("url", "start", "end"),
    [
        ("/ru/events/2024/01/winter-festival/", "2024-02-24T10:00:00+06:00", "2024-02-25T17:00:00+06:00"),
        ("/kk/events/2025/05/dance-contest/", "2025-05-10T15:00:00+05:00", "2025-05-10T18:00:00+05:00"),
        ("/ru/events/2026/11/new-year-fair/", "2026-12-28", "2027-01-03"),
    ],
)
def test_event_json_ld_has_dates_with_the_offset_of_the_day(hosted_sites, url, start, end):
    page = hosted_sites[0].page(url)
    data = json_ld(page)
    assert (data["@type"], data["startDate"], data["endDate"]) == ("Event", start, end)
    assert data["name"] == page.h1.get_text()
    assert data["inLanguage"] == url.split("/")[1]
    assert data["url"] == SITEURL + url
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressCountry"] == "KZ"


def test_event_json_ld_has_the_cover_picture_and_street_address(hosted_sites):
    fair = json_ld(hosted_sites[0].page("/kk/events/2026/11/new-year-fair/"))
    # The pictures plugin's 1200×630 derivative of the cover (the camera file is not published).
    [image] = fair["image"]
    assert re.fullmatch(rf"{SITEURL}/media/fair-900x472\.[0-9a-f]{{10}}\.jpg", image)
    assert hosted_sites[0].exists(image.removeprefix(SITEURL))
    dance = json_ld(hosted_sites[0].page("/ru/events/2025/05/dance-contest/"))
    assert dance["location"]["name"] == "Дворец Республики"
    assert dance["location"]["address"]["streetAddress"] == "проспект Достык, 56"


# The events listing


def section_links(page, section_id: str) -> list[str]:
    """Story links of the listing's upcoming or past section, as paths."""
    section = page.select_one(f"section[aria-labelledby='{section_id}']")
    links = hrefs(section.select(".card__title a")) if section else []
    return [link.removeprefix(SITEURL) for link in links]


@pytest.mark.parametrize(
    ("lang", "upcoming", "past"),
    [
        (
            "ru",
            ["/ru/events/2026/11/new-year-fair/"],
            ["/ru/events/2025/05/dance-contest/", "/ru/events/2024/01/winter-festival/"],
        ),
        (
            "kk",
            ["/kk/events/2026/11/new-year-fair/"],
            [
                "/kk/events/2025/09/apple-festival/",
                "/kk/events/2025/05/dance-contest/",
                "/kk/events/2024/01/winter-festival/",
            ],
        ),
    ],
)
def test_listing_shows_upcoming_soonest_first_then_past_newest_first(fixture_site, lang, upcoming, past):
    page = fixture_site.page(f"/{lang}/events/")
    assert [h.get_text() for h in page.select("main h2[id]")] == {
        "ru": ["Предстоящие события", "Прошедшие события"],
        "kk": ["Алдағы іс-шаралар", "Өткен іс-шаралар"],
    }[lang]
    assert section_links(page, "upcoming") == upcoming
    assert section_links(page, "past") == past


def test_when_nothing_is_upcoming_the_listing_says_so(hosted_sites):
    page = hosted_sites[0].page("/ru/events/")
    assert page.select_one("section[aria-labelledby='upcoming'] .empty").get_text() == (
        "Предстоящих событий пока нет."
    )
    assert section_links(page, "past") == [
        "/ru/events/2026/11/new-year-fair/",
        "/ru/events/2025/05/dance-contest/",
        "/ru/events/2024/01/winter-festival/",
    ]


def test_upcoming_is_judged_at_build_time(hosted_sites):
    """Built by today's clock, the order still holds: soonest upcoming first, then newest past first."""
    page = hosted_sites[1].page("/kk/events/")
    shown = section_links(page, "upcoming") + section_links(page, "past")
    assert sorted(shown) == sorted(EVENTS["kk"])


def test_event_cards_show_when_and_where(fixture_site):
    card = fixture_site.page("/ru/events/").select_one(".card__event")
    assert card.get_text() == f"28 декабря 2026{NNBSP}г.{NBSP}– 3 января 2027{NNBSP}г. · Площадь Республики"


def test_listing_links_the_calendar_and_the_feed(fixture_site, hosted_sites):
    tools = fixture_site.page("/kk/events/").select(".events-tools a")
    assert hrefs(tools) == ["/kk/events/calendar/2026/12/", "/kk/events.ics"]
    assert [a.get_text() for a in tools] == ["Іс-шаралар күнтізбесі", "Іс-шаралар күнтізбесіне жазылу"]
    hosted = hosted_sites[0].page("/ru/events/").select(".events-tools a")
    assert hrefs(hosted)[1] == "webcal://example.test/ru/events.ics"


def test_events_pages_mark_events_in_the_menu(fixture_site):
    for url in ("/ru/events/", "/ru/events/calendar/2024/02/"):
        current = fixture_site.page(url).select(".site-nav a[aria-current]")
        assert hrefs(current) == ["/ru/events/"]


# Month calendars


def calendar_urls(site: Site, lang: str) -> list[str]:
    return [u for u in site.urls() if u.startswith(f"/{lang}/events/calendar/")]


def test_a_calendar_page_for_each_month_with_events_only(fixture_site):
    assert calendar_urls(fixture_site, "ru") == [
        "/ru/events/calendar/2024/02/",
        "/ru/events/calendar/2025/05/",
        "/ru/events/calendar/2026/12/",
        "/ru/events/calendar/2027/01/",
    ]
    assert "/kk/events/calendar/2025/09/" in calendar_urls(fixture_site, "kk")


def test_months_link_to_previous_and_next_months_with_events(fixture_site):
    urls = calendar_urls(fixture_site, "ru")
    for index, url in enumerate(urls):
        page = fixture_site.page(url)
        assert hrefs(page.select(".month-nav a[rel='prev']")) == urls[max(index - 1, 0) : index]
        assert hrefs(page.select(".month-nav a[rel='next']")) == urls[index + 1 : index + 2]
    first = fixture_site.page(urls[0])
    assert first.select(".month-nav a[rel='prev']") == []
    assert first.select_one(".month-nav a[rel='next']").get_text() == "май 2025 →"


@pytest.mark.parametrize(
    ("url", "caption", "weekdays"),
    [
        ("/ru/events/calendar/2024/02/", "февраль 2024", ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]),
        ("/kk/events/calendar/2024/02/", "Ақпан 2024", ["дс", "сс", "ср", "бс", "жм", "сб", "жс"]),
    ],
)
def test_month_grid_is_a_table_of_weeks_from_monday(fixture_site, url, caption, weekdays):
    table = fixture_site.page(url).select_one("table.month")
    assert table.caption.get_text() == caption
    headers = table.select("thead th[scope='col']")
    assert [th.get_text() for th in headers] == weekdays
    assert all(th["abbr"] for th in headers)
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert all(len(row) == 7 for row in rows)
    # 1 February 2024 was a Thursday; the month has 29 days.
    assert rows[0] == ["", "", "", "1", "2", "3", "4"]
    assert rows[-1] == ["26", "27", "28", "29", "", "", ""]


def test_days_with_events_link_to_their_agenda_by_keyboard(fixture_site):
    page = fixture_site.page("/ru/events/calendar/2024/02/")
    links = page.select("table.month td a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("24", "#day-2024-02-24"),
        ("25", "#day-2024-02-25"),
    ]
    assert links[0]["aria-label"] == f"24 февраля 2024{NNBSP}г.: 1 событие"
    for link in links:
        day = page.select_one(link["href"])
        assert hrefs(day.select("li > a")) == ["/ru/events/2024/01/winter-festival/"]
    # Only days with events are links; the others are plain text.
    assert len(page.select("table.month td span")) == 27


def test_today_is_marked_when_the_month_holds_it(fixture_site):
    # FIXTURE_NOW is 1 December 2026.
    today = fixture_site.page("/ru/events/calendar/2026/12/").select("table.month [aria-current='date']")
    assert [td.get_text(strip=True) for td in today] == ["1"]
    legend = fixture_site.page("/ru/events/calendar/2026/12/").select(".month-legend li")
    assert [li.get_text() for li in legend] == ["Дни с событиями", "Сегодня"]
    january = fixture_site.page("/ru/events/calendar/2027/01/")
    assert january.select("[aria-current='date']") == []
    assert [li.get_text() for li in january.select(".month-legend li")] == ["Дни с событиями"]


def test_multi_day_event_fills_its_days_across_months(fixture_site):
    december = fixture_site.page("/kk/events/calendar/2026/12/").select("table.month td a")
    january = fixture_site.page("/kk/events/calendar/2027/01/").select("table.month td a")
    assert [a.get_text() for a in december] == ["28", "29", "30", "31"]
    assert [a.get_text() for a in january] == ["1", "2", "3"]
    assert january[0]["aria-label"] == "2027 жылғы 1 қаңтар: 1 іс-шара"


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/ru/events/calendar/2024/02/", "/kk/events/calendar/2024/02/"),
        ("/kk/events/calendar/2025/09/", "/ru/events/"),  # no Russian event that month
        ("/kk/events/", "/ru/events/"),
    ],
)
def test_language_switch_of_events_pages(fixture_site, url, other):
    lang = "kk" if url.startswith("/ru/") else "ru"
    assert hrefs(fixture_site.page(url).select(f'.language-switch a[hreflang="{lang}"]')) == [other]


# Calendar files


def uid_of(site: Site, url: str) -> str:
    [event] = calendar_of(site, f"{url}event.ics").walk("VEVENT")
    return str(event["UID"])


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_feed_has_every_event_past_and_future_at_its_utc_instant(hosted_sites, lang):
    site = hosted_sites[0]
    calendar = calendar_of(site, f"/{lang}/events.ics")
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {uid_of(site, url) for url in EVENTS[lang]}
    for url, start in EVENTS[lang].items():
        event = found[uid_of(site, url)]
        moment = event.decoded("DTSTART")
        assert (moment.astimezone(dt.UTC) if isinstance(moment, dt.datetime) else moment) == start
        assert str(event["URL"]) == SITEURL + url
        assert str(event["SUMMARY"]) == site.page(url).h1.get_text()
        assert event["SUMMARY"].params["LANGUAGE"] == lang
        assert SITEURL + url in str(event["DESCRIPTION"])


def test_feed_text_is_in_its_language(hosted_sites):
    ru = calendar_of(hosted_sites[0], "/ru/events.ics")
    kk = calendar_of(hosted_sites[0], "/kk/events.ics")
    assert str(ru["X-WR-CALNAME"]) == "Алматы: новости и события — Календарь событий"
    assert str(kk["X-WR-CALNAME"]) == "Алматы: жаңалықтар мен іс-шаралар — Іс-шаралар күнтізбесі"
    locations = {str(e["LOCATION"]) for e in kk.walk("VEVENT")}
    assert "Республика сарайы, Достық даңғылы, 56, Алматы" in locations
    assert str(ru["PRODID"]) == "-//almaty-news.example.kz//Almaty events calendar//RU"
    assert str(ru["SOURCE"]) == f"{SITEURL}/ru/events.ics"


def test_event_file_holds_its_one_event_with_the_feed_uid(hosted_sites):
    site = hosted_sites[0]
    feed_uids = {str(e["UID"]) for e in calendar_of(site, "/ru/events.ics").walk("VEVENT")}
    calendar = calendar_of(site, "/ru/events/2024/01/winter-festival/event.ics")
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "events/2024/2024-01-20-winter-festival/ru@almaty-news.example.kz"
    assert str(event["UID"]) in feed_uids
    assert event.decoded("DTEND").astimezone(dt.UTC) == dt.datetime(2024, 2, 25, 11, 0, tzinfo=dt.UTC)
    assert event.decoded("DTSTAMP") == dt.datetime(
        2024, 1, 20, 5, 0, tzinfo=dt.UTC
    )  # its Date, not the clock


def test_vtimezone_in_the_feed_has_the_2024_change(hosted_sites):
    [zone] = calendar_of(hosted_sites[0], "/ru/events.ics").walk("VTIMEZONE")
    assert any(
        o.decoded("DTSTART").date() == dt.date(2024, 3, 1)
        and o.decoded("TZOFFSETTO") == dt.timedelta(hours=5)
        for o in zone.walk("STANDARD")
    )


def test_calendar_files_are_identical_whatever_the_clock(hosted_sites):
    late, clock = hosted_sites
    files = sorted(p.relative_to(late.root) for p in late.root.rglob("*.ics"))
    assert len(files) == 2 + 3 + 4  # two feeds, one file per event and language
    for path in files:
        assert (late.root / path).read_bytes() == (clock.root / path).read_bytes(), path


def test_uids_do_not_depend_on_the_site_address(fixture_site, hosted_sites):
    local = {str(e["UID"]) for e in calendar_of(fixture_site, "/kk/events.ics").walk("VEVENT")}
    hosted = {str(e["UID"]) for e in calendar_of(hosted_sites[0], "/kk/events.ics").walk("VEVENT")}
    assert local == hosted
    # Without an absolute address there is no URL to give.
    assert all("URL" not in e for e in calendar_of(fixture_site, "/kk/events.ics").walk("VEVENT"))


def test_fixture_has_upcoming_and_past_events_around_the_2024_change():
    """Guard the fixture itself: what the tests above rely on."""
    texts = [p.read_text(encoding="utf-8") for p in (FIXTURE_SITE / "events").rglob("ru.md")]
    starts = sorted(
        line.split(": ", 1)[1] for t in texts for line in t.splitlines() if line.startswith("Event_start")
    )
    assert starts[0] < "2024-03-01" < starts[1] and starts[-1] > "2026-12-01"

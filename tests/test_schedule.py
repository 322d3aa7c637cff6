"""Drafts and scheduled stories: left out of published builds everywhere, shown and marked in previews."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import time_machine
from conftest import FIXTURE_NOW, FIXTURE_SITE, ROOT, Site, add_fixture_pictures, build
from icalendar import Calendar
from test_incremental import differences

from content_format.checks import check_content
from l10n.dates import ALMATY

PUBLISH = ROOT / "publishconf.py"
NNBSP = "\u202f"

# A scheduled event, in both languages, due 90 minutes after the fixture's "now" (2026-12-01 09:00).
SCHEDULED = {
    "events/2026/2026-12-01-ice-rink/ru.md": (
        "Title: Каток на Медеу откроется в субботу\nDate: 2026-12-01 10:30\nTags: Спорт\n"
        "Event_start: 2026-12-12 10:00\nLocation: Медеу\n\n"
        "Лёд залит, [расписание сеансов](sessions.pdf) уже готово.\n"
    ),
    "events/2026/2026-12-01-ice-rink/kk.md": (
        "Title: Медеу мұз айдыны сенбіде ашылады\nDate: 2026-12-01 10:30\nTags: Спорт\n"
        "Event_start: 2026-12-12 10:00\nLocation: Медеу\n\n"
        "Мұз құйылды, [сеанстар кестесі](sessions.pdf) дайын.\n"
    ),
}
# A draft, dated before "now": only its Status keeps it back.
DRAFT = {
    "news/2026/2026-11-25-budget-hearing/ru.md": (
        "Title: Городской бюджет обсудят на слушаниях\nDate: 2026-11-25 12:00\nStatus: draft\n"
        "Tags: Культура\n\nПроект бюджета и [таблица расходов](budget.csv) пока не окончательны.\n"
    ),
}
DOCUMENTS = {
    "events/2026/2026-12-01-ice-rink/sessions.pdf": b"%PDF-1.4 sessions\n",
    "news/2026/2026-11-25-budget-hearing/budget.csv": b"item,sum\nroads,100\n",
}
# Words only the held-back stories use: their slugs, titles and documents.
HELD_BACK = ("ice-rink", "budget-hearing", "Каток на Медеу", "айдыны сенбіде", "sessions.pdf", "budget.csv")
PASSED = dt.datetime(2026, 12, 1, 10, 31, tzinfo=ALMATY)  # the same day: no midnight to expire the output


def write_content(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    for name, text in {**SCHEDULED, **DRAFT}.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    for name, data in DOCUMENTS.items():
        (content / name).write_bytes(data)
    return content


def build_site(content: Path, output: Path, settings: Path, **overrides) -> Site:
    build(content, output, settings, CACHE_PATH=str(output.parent / f"{output.name}-cache"), **overrides)
    return Site(output)


def files_mentioning(site: Site, words) -> dict[str, list[str]]:
    """Every output file (pages, feeds, sitemap, calendars, search data) naming one of words."""
    found = {}
    for path in sorted(site.root.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        named = [word for word in words if word in text or word in path.as_posix()]
        if named:
            found[path.relative_to(site.root).as_posix()] = named
    return found


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return write_content(tmp_path_factory.mktemp("schedule"))


@pytest.fixture(scope="module")
def published(content) -> Site:
    return build_site(content, content.parent / "published", PUBLISH, EVENTS_NOW=FIXTURE_NOW)


@pytest.fixture(scope="module")
def preview(content) -> Site:
    return build_site(content, content.parent / "preview", ROOT / "pelicanconf.py", EVENTS_NOW=FIXTURE_NOW)


def test_the_checks_accept_the_draft_and_the_scheduled_story(content):
    assert check_content(content).errors == []


def test_a_published_build_names_drafts_and_scheduled_stories_nowhere(published):
    """Not their pages, listings, tags, archives, feeds, sitemap, calendars, search data or documents."""
    assert published.exists("/ru/news/2024/02/city-library/")
    assert files_mentioning(published, HELD_BACK) == {}


def test_neighbours_of_a_held_back_story_link_past_it(published):
    page = published.page("/ru/events/2026/11/new-year-fair/")
    assert page.find("a", rel="next") is None  # the scheduled event would be the next newer one
    older = page.find("a", rel="prev")["href"]
    assert older.endswith("/ru/news/2026/01/snow/")  # the draft of 25 November is not in between


def test_a_preview_shows_and_marks_both(preview):
    draft = preview.page("/ru/news/2026/11/budget-hearing/")
    assert draft.select_one(".story__header .preview-mark").get_text(strip=True) == "Черновик"
    scheduled = {
        "ru": f"Запланировано на 1 декабря 2026{NNBSP}г., 10:30",
        "kk": "2026 жылғы 1 желтоқсан, 10:30-ға жоспарланған",
    }
    for lang, text in scheduled.items():
        page = preview.page(f"/{lang}/events/2026/12/ice-rink/")
        assert page.select_one(".story__header .preview-mark").get_text(strip=True) == text
        home = preview.page(f"/{lang}/")
        card = next(c for c in home.select(".card") if "ice-rink" in c.a["href"] if c.a)
        assert card.select_one(".preview-mark").get_text(strip=True) == text
    assert preview.file("/news/2026/2026-11-25-budget-hearing/budget.csv").is_file()
    # Published stories carry no mark.
    assert preview.page("/ru/news/2026/01/snow/").select(".preview-mark") == []


def test_the_draft_mark_is_in_kazakh_on_kazakh_pages(tmp_path):
    content = write_content(tmp_path)
    (content / "news/2026/2026-11-25-budget-hearing/kk.md").write_text(
        "Title: Қала бюджеті тыңдауда талқыланады\nDate: 2026-11-25 12:00\nStatus: Draft\nTags: Мәдениет\n\n"
        "Бюджет жобасы және [шығыстар кестесі](budget.csv) әлі түпкілікті емес.\n",
        encoding="utf-8",
    )
    site = build_site(content, tmp_path / "out", ROOT / "pelicanconf.py", EVENTS_NOW=FIXTURE_NOW)
    mark = site.page("/kk/news/2026/11/budget-hearing/").select_one(".preview-mark")
    assert mark.get_text(strip=True) == "Қаралама"


def story_appears_everywhere(site: Site, lang: str) -> None:
    url = f"/{lang}/events/2026/12/ice-rink/"
    assert site.exists(url)
    assert (
        site.file("/events/2026/2026-12-01-ice-rink/sessions.pdf").read_bytes()
        == DOCUMENTS["events/2026/2026-12-01-ice-rink/sessions.pdf"]
    )
    for listing in (f"/{lang}/", f"/{lang}/events/", f"/{lang}/archive/2026/12/"):
        assert any(a["href"].endswith(url) for a in site.page(listing).select("main a")), listing
    sport = "sport"
    assert any(a["href"].endswith(url) for a in site.page(f"/{lang}/tags/{sport}/").select("main a"))
    fair = site.page(f"/{lang}/events/2026/11/new-year-fair/")
    assert fair.find("a", rel="next")["href"].endswith(url)
    for feed in ("atom.xml", "rss.xml"):
        assert url in site.file(f"/{lang}/{feed}").read_text(encoding="utf-8"), feed
    assert url in site.file("/sitemap.xml").read_text(encoding="utf-8")
    calendar = Calendar.from_ical(site.file(f"/{lang}/events.ics").read_bytes())
    assert any(url in str(event.get("URL", "")) for event in calendar.walk("VEVENT"))
    assert site.file(f"{url}event.ics").is_file()


def test_a_build_after_the_scheduled_moment_publishes_it_everywhere(tmp_path):
    """The clock moves past the story's Date: the next build (not "Nothing changed") publishes it, and
    the rebuilt site is byte for byte what a cold build at that moment writes."""
    content = write_content(tmp_path)
    output = tmp_path / "output"
    settings = {"CACHE_PATH": str(tmp_path / "cache")}
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY), tick=False):
        build(content, output, PUBLISH, **settings)
        before = Site(output)
        assert files_mentioning(before, ["ice-rink"]) == {}
        build(content, output, PUBLISH, **settings)  # nothing changed: kept as it is
        assert files_mentioning(before, ["ice-rink"]) == {}
    with time_machine.travel(PASSED, tick=False):
        build(content, output, PUBLISH, **settings)
        cold = tmp_path / "cold"
        build(content, cold, PUBLISH, CACHE_PATH=str(tmp_path / "cold-cache"))
    site = Site(output)
    for lang in ("ru", "kk"):
        story_appears_everywhere(site, lang)
    assert files_mentioning(site, ["budget-hearing"]) == {}  # a draft stays out whatever the time
    assert differences(cold, output) == []


def test_a_preview_drops_the_mark_once_the_moment_passes(tmp_path):
    content = write_content(tmp_path)
    output = tmp_path / "output"
    settings = {"CACHE_PATH": str(tmp_path / "cache")}
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY), tick=False):
        build(content, output, ROOT / "pelicanconf.py", **settings)
    assert Site(output).page("/ru/events/2026/12/ice-rink/").select(".preview-mark")
    with time_machine.travel(PASSED, tick=False):
        build(content, output, ROOT / "pelicanconf.py", **settings)
        cold = tmp_path / "cold"
        build(content, cold, ROOT / "pelicanconf.py", CACHE_PATH=str(tmp_path / "cold-cache"))
    site = Site(output)
    assert site.page("/ru/events/2026/12/ice-rink/").select(".preview-mark") == []
    marks = [mark.get_text() for mark in site.page("/ru/").select(".card .preview-mark")]
    assert [mark for mark in marks if "Запланировано" in mark] == []
    assert differences(cold, output) == []


def test_an_unknown_status_is_one_line_naming_the_file_and_line(tmp_path):
    content = write_content(tmp_path)
    story = content / "news/2026/2026-11-25-budget-hearing/ru.md"
    text = story.read_text(encoding="utf-8").replace("Status: draft", "Status: ready")
    story.write_text(text, encoding="utf-8")
    lines = [str(problem) for problem in check_content(content).errors]
    assert lines == [
        f"{story}:3: error: Status 'ready' is not known; "
        "write 'Status: draft' to keep the story unpublished, or remove the line to publish it"
    ]


@pytest.mark.parametrize(
    ("time", "written"),
    [
        ("09:00", "09:00-ге"),  # нөл нөл
        ("10:30", "10:30-ға"),  # отыз
        ("18:45", "18:45-ке"),  # қырық бес
        ("12:40", "12:40-қа"),  # қырық
        ("07:50", "07:50-ге"),  # елу
        ("11:06", "11:06-ға"),  # алты
    ],
)
def test_kazakh_time_takes_the_dative_its_last_spoken_word_asks_for(time, written):
    from l10n.dates import time_dative

    hour, minute = map(int, time.split(":"))
    assert time + time_dative(dt.datetime(2026, 12, 5, hour, minute, tzinfo=ALMATY)) == written

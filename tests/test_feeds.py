"""Each language's Atom and RSS feeds parse cleanly, speak that language and never change between builds."""

import datetime as dt
import re
import shutil

import feedparser
import pytest
from conftest import FIXTURE_SITE, add_fixture_pictures, build

from discovery.feeds import Cover, FeedEntry, FeedInfo, atom_feed, rss_feed, tag_uri

BASE = "https://almaty-news.example.kz"
KINDS = ("atom", "rss")
FEED_TEXT = {
    "ru": ("Алматы: новости и события", "Свежие новости и события Алматы на русском языке."),
    "kk": ("Алматы: жаңалықтар мен іс-шаралар", "Алматының соңғы жаңалықтары мен іс-шаралары қазақ тілінде."),
}


@pytest.fixture(scope="module")
def second_build(tmp_path_factory):
    """The fixture site built again, elsewhere and later, without the search index."""
    content = tmp_path_factory.mktemp("again") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    output = content.parent / "output"
    build(content, output, SEARCH_INDEX=False)
    return output


def parse(root, lang, kind):
    return feedparser.parse((root / lang / f"{kind}.xml").read_bytes())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_feed_parses_without_errors_in_its_language(fixture_site, lang, kind):
    feed = parse(fixture_site.root, lang, kind)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == lang
    assert (feed.feed.title, feed.feed.subtitle) == FEED_TEXT[lang]
    assert feed.feed.link == f"{BASE}/{lang}/"
    assert not re.search(r"[A-Za-z]{3,}", feed.feed.title + feed.feed.subtitle)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_feed_lists_that_languages_stories_newest_first(fixture_site, lang, kind):
    entries = parse(fixture_site.root, lang, kind).entries
    stories = fixture_site.story_urls(lang)
    assert sorted(e.link for e in entries) == sorted(f"{BASE}{u}" for u in stories)
    published = [e.published_parsed for e in entries]
    assert published == sorted(published, reverse=True)
    for entry in entries:
        assert entry.title == fixture_site.page(entry.link.removeprefix(BASE)).h1.get_text()
        assert entry.summary


def test_entry_ids_are_tag_uris_from_the_story_folder_language_and_day(fixture_site):
    ids = {e.link: e.id for e in parse(fixture_site.root, "kk", "atom").entries}
    assert ids[f"{BASE}/kk/news/2025/04/hackathon/"] == (
        "tag:almaty-news.example.kz,2025-04-23:news/2025/2025-04-23-hackathon/kk"
    )
    ru_ids = {e.id for e in parse(fixture_site.root, "ru", "atom").entries}
    assert not ru_ids & set(ids.values())


@pytest.mark.parametrize("kind", KINDS)
def test_entry_ids_are_the_same_in_both_feeds(fixture_site, kind):
    atom = {e.link: e.id for e in parse(fixture_site.root, "ru", "atom").entries}
    other = {e.link: e.id for e in parse(fixture_site.root, "ru", kind).entries}
    assert atom == other


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_feeds_are_identical_when_built_again(fixture_site, second_build, lang, kind):
    """Ids, dates, everything: a rebuild changes nothing (no build-clock timestamps)."""
    first = (fixture_site.root / lang / f"{kind}.xml").read_bytes()
    assert first == (second_build / lang / f"{kind}.xml").read_bytes()


def test_feed_updated_is_its_newest_story(fixture_site):
    feed = parse(fixture_site.root, "ru", "atom")
    assert feed.feed.updated == "2026-11-20T00:00:00+05:00"  # the New Year fair, an event
    assert feed.feed.updated_parsed == max(e.updated_parsed for e in feed.entries)


@pytest.mark.parametrize("kind", KINDS)
def test_cover_picture_is_an_enclosure_and_in_the_summary(fixture_site, kind):
    entry = next(
        e
        for e in parse(fixture_site.root, "kk", kind).entries
        if e.link.endswith("/kk/news/2024/02/city-library/")
    )
    (enclosure,) = entry.enclosures
    # The published cover: the pictures plugin's one JPEG (720 px wide), not the camera file.
    assert re.fullmatch(rf"{BASE}/media/hall-720x480\.[0-9a-f]{{10}}\.jpg", enclosure.href)
    picture = fixture_site.root / enclosure.href.removeprefix(f"{BASE}/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == picture.stat().st_size
    assert f'src="{enclosure.href}"' in entry.summary
    assert 'alt="Ұзын үстелдері бар жарық оқу залы"' in entry.summary


def test_atom_carries_the_full_text_with_absolute_picture_urls(fixture_site):
    entry = next(
        e for e in parse(fixture_site.root, "ru", "atom").entries if e.link.endswith("/city-library/")
    )
    html = entry.content[0].value
    assert "Зал рассчитан на сто читателей." in html
    assert re.search(rf'src="{BASE}/media/shelves-400x300\.[0-9a-f]{{10}}\.png"', html)
    assert "{static}" not in html and 'src="/' not in html
    raw = (fixture_site.root / "ru/atom.xml").read_text(encoding="utf-8")  # feedparser drops srcset
    assert re.search(rf'srcset="{BASE}/media/shelves-360x270\.[0-9a-f]{{10}}\.webp 360w, ', raw)
    assert 'srcset="/' not in raw


def test_feeds_are_linked_from_every_page_head(fixture_site):
    for url in ("/ru/", "/kk/news/2025/04/bike-lane/"):
        lang = url.split("/")[1]
        head = fixture_site.page(url).head
        assert head.select_one('link[type="application/atom+xml"]')["href"] == f"/{lang}/atom.xml"
        assert head.select_one('link[type="application/rss+xml"]')["href"] == f"/{lang}/rss.xml"


def test_feed_length_is_a_setting(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    build(content, tmp_path / "out", SEARCH_INDEX=False, DISCOVERY_FEED_ITEMS=2)
    links = [e.link for e in parse(tmp_path / "out", "ru", "atom").entries]
    assert links == [f"{BASE}/ru/events/2026/11/new-year-fair/", f"{BASE}/ru/news/2026/01/snow/"]


# --- pure helpers ---------------------------------------------------------------------------

ALMATY = dt.timezone(dt.timedelta(hours=5))


def entry(**changes) -> FeedEntry:
    values = {
        "id": tag_uri("example.kz", dt.date(2025, 4, 23), "news/2025/2025-04-23-x/ru"),
        "title": "Заголовок <и> «кавычки»",
        "url": "https://example.kz/ru/news/2025/04/x/",
        "published": dt.datetime(2025, 4, 23, 10, 30, tzinfo=ALMATY),
        "updated": dt.datetime(2025, 5, 2, 9, 0, tzinfo=ALMATY),
        "summary_html": "<p>Кратко &amp; ясно</p>",
        "content_html": "<p>Полный текст</p>",
        "categories": ["Город"],
        "cover": Cover("https://example.kz/news/x/a.jpg", 1234, "image/jpeg"),
    }
    return FeedEntry(**{**values, **changes})


def info(entries) -> FeedInfo:
    return FeedInfo(
        title="Лента",
        description="Описание",
        lang="ru",
        home_url="https://example.kz/ru/",
        atom_url="https://example.kz/ru/atom.xml",
        rss_url="https://example.kz/ru/rss.xml",
        author="Редакция",
        entries=entries,
    )


def test_tag_uri_follows_rfc_4151():
    assert tag_uri("example.kz", dt.date(2025, 4, 3), "news/x/kk") == "tag:example.kz,2025-04-03:news/x/kk"


def test_modified_story_reports_both_dates_and_special_characters_survive():
    parsed = feedparser.parse(atom_feed(info([entry()])))
    assert not parsed.bozo
    (item,) = parsed.entries
    assert item.published == "2025-04-23T10:30:00+05:00"
    assert item.updated == "2025-05-02T09:00:00+05:00"
    assert parsed.feed.updated == "2025-05-02T09:00:00+05:00"
    assert item.title == "Заголовок <и> «кавычки»"
    assert item.summary == "<p>Кратко &amp; ясно</p>"


@pytest.mark.parametrize("render", [atom_feed, rss_feed])
def test_a_language_without_stories_still_has_a_valid_feed_with_a_fixed_date(render):
    first = render(info([]))
    parsed = feedparser.parse(first)
    assert not parsed.bozo
    assert parsed.entries == []
    assert first == render(info([]))
    assert b"2000" in first

"""Every page's head speaks its language to search engines and link previews; stories carry JSON-LD."""

import datetime as dt
import json
import re

import pytest
from conftest import Site, build
from discovery_helpers import write_story

from discovery.discovery import share_image
from discovery.structured_data import script_tag

BASE = "https://almaty-news.example.kz"
OG_LOCALE = {"ru": "ru_RU", "kk": "kk_KZ"}
SITE_NAME = {"ru": "Алматы: новости и события", "kk": "Алматы: жаңалықтар мен іс-шаралар"}


def meta(page, prop: str) -> list[str]:
    return [m["content"] for m in page.select(f'meta[property="{prop}"], meta[name="{prop}"]')]


def json_ld(page) -> dict[str, dict]:
    """Return the page's JSON-LD blocks by @type (each must be valid JSON)."""
    blocks = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    types = [b["@type"] for b in blocks]
    assert len(types) == len(set(types)), types
    return {b["@type"]: b for b in blocks}


def pages_of(site: Site) -> list[str]:
    return [u for u in site.urls() if u != "/"]


def test_every_page_has_a_title_description_and_canonical_in_its_language(fixture_site):
    for url in pages_of(fixture_site):
        page, lang = fixture_site.page(url), url.split("/")[1]
        title = page.title.get_text()
        description = meta(page, "description")
        assert title and len(description) == 1 and description[0], url
        # Every visible word of these comes from the catalogs or the stories: no English boilerplate.
        assert not re.search(r"[A-Za-z]{3,}", title + description[0]), url
        assert page.select_one('link[rel="canonical"]')["href"] == url
        assert meta(page, "og:site_name") == [SITE_NAME[lang]]


def test_open_graph_names_the_page_language_and_its_other_versions(fixture_site):
    for url in pages_of(fixture_site):
        page, lang = fixture_site.page(url), url.split("/")[1]
        versions = [a["hreflang"] for a in page.select('link[rel="alternate"][hreflang]')]
        assert meta(page, "og:locale") == [OG_LOCALE[lang]], url
        expected = [OG_LOCALE[v] for v in versions if v not in (lang, "x-default")]
        assert meta(page, "og:locale:alternate") == expected, url
        assert meta(page, "og:url") == [f"{BASE}{url}"]
        assert meta(page, "og:title")[0] and meta(page, "og:description")[0]
        (image,) = meta(page, "og:image")
        assert image.startswith(BASE + "/") and fixture_site.exists(image.removeprefix(BASE)), url


def test_story_with_both_versions_names_the_other_locale(fixture_site):
    page = fixture_site.page("/kk/news/2024/02/city-library/")
    assert meta(page, "og:locale") == ["kk_KZ"]
    assert meta(page, "og:locale:alternate") == ["ru_RU"]
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:title") == ["Қалалық кітапхана оқу залын ашты"]
    # The pictures plugin's 1200×630 derivative of the cover (the camera file is not published).
    [image] = meta(page, "og:image")
    assert re.fullmatch(rf"{BASE}/media/hall-1200x630\.[0-9a-f]{{10}}\.jpg", image)
    assert fixture_site.exists(image.removeprefix(BASE))
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == (["1200"], ["630"])
    assert meta(page, "og:image:alt") == ["Ұзын үстелдері бар жарық оқу залы"]
    only_russian = fixture_site.page("/ru/news/2024/02/chess-cup/")
    assert meta(only_russian, "og:locale:alternate") == []


@pytest.mark.parametrize(
    ("url", "published"),
    [
        ("/ru/news/2024/02/city-library/", "2024-02-10T00:00:00+06:00"),  # Almaty was UTC+6 then
        ("/kk/news/2025/04/hackathon/", "2025-04-23T10:30:00+05:00"),
        ("/kk/news/2026/01/snow/", "2026-01-15T00:00:00+05:00"),
    ],
)
def test_news_story_is_a_news_article(fixture_site, url, published):
    page, lang = fixture_site.page(url), url.split("/")[1]
    article = json_ld(page)["NewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == page.h1.get_text()
    assert article["datePublished"] == published
    assert article["dateModified"] == published
    assert dt.datetime.fromisoformat(published) == dt.datetime.fromisoformat(article["datePublished"])
    assert article["inLanguage"] == lang
    assert article["url"] == article["mainEntityOfPage"]["@id"] == f"{BASE}{url}"
    assert article["description"] == meta(page, "description")[0]
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == SITE_NAME[lang]
    assert fixture_site.exists(publisher["logo"]["url"].removeprefix(BASE))
    assert publisher["logo"]["width"] >= 112 and publisher["logo"]["height"] >= 112
    assert meta(page, "article:published_time") == [published]


def test_news_article_image_is_the_cover(fixture_site):
    article = json_ld(fixture_site.page("/ru/news/2024/02/city-library/"))["NewsArticle"]
    assert article["image"] == meta(fixture_site.page("/ru/news/2024/02/city-library/"), "og:image")
    assert article["keywords"] == ["Библиотеки", "Культура"]


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/ru/news/2025/04/hackathon/", ["Главная", "Новости", "Хакатон библиотекарей"]),
        ("/kk/events/2025/05/dance-contest/", ["Басты бет", "Іс-шаралар", "Зейнеткерлердің би байқауы"]),
    ],
)
def test_stories_have_breadcrumbs_in_their_language(fixture_site, url, names):
    lang, section = url.split("/")[1:3]
    crumbs = json_ld(fixture_site.page(url))["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == names
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert [c["item"] for c in crumbs] == [f"{BASE}/{lang}/", f"{BASE}/{lang}/{section}/", f"{BASE}{url}"]
    for crumb in crumbs:
        assert fixture_site.exists(crumb["item"].removeprefix(BASE))


def test_events_are_not_news_articles(fixture_site):
    for lang in ("ru", "kk"):
        assert "NewsArticle" not in json_ld(fixture_site.page(f"/{lang}/events/2025/05/dance-contest/"))


def test_listings_and_pages_carry_no_article_data(fixture_site):
    for url in ("/ru/", "/kk/news/", "/ru/tags/kultura/", "/kk/about/", "/ru/search/"):
        assert json_ld(fixture_site.page(url)) == {}
        assert meta(fixture_site.page(url), "og:type") == ["website"]


def test_the_404_page_serves_both_languages(fixture_site):
    page = fixture_site.page("/404.html")
    assert page.html["lang"] == "ru"
    assert len(page.select("h1")) == 1
    assert [s.get_text() for s in page.h1.select("[lang]")] == ["Страница не найдена", "Бет табылмады"]
    for lang, home, search in (
        ("ru", "На главную страницу", "Поиск по сайту"),
        ("kk", "Басты бетке өту", "Сайттан іздеу"),
    ):
        part = page.select_one(f"section[lang={lang}]")
        links = {a.get_text(): a["href"] for a in part.select("a")}
        assert links == {home: f"/{lang}/", search: f"/{lang}/search/"}
    assert meta(page, "robots") == ["noindex"]


# --- a story edited after publication, with a 1200×630 share picture --------------------------

SHARE_PLUGIN = """
from pelican import signals


def add_share_pictures(generator):
    # Pelican keeps receivers connected for the rest of the test session: act only when asked.
    if not generator.settings.get("TEST_SHARE_PICTURES"):
        return
    for story in generator.articles:
        if getattr(story, "image", None):
            story.og_image = f"{story.story_folder}/share-1200x630.jpg"


def register():
    signals.article_generator_finalized.connect(add_share_pictures)
"""


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("edited")
    plugins = root / "plugins"
    plugins.mkdir()
    (plugins / "share_pictures.py").write_text(SHARE_PLUGIN, encoding="utf-8")
    content = root / "content"
    folder = "news/2024/2024-12-30-new-year"
    write_story(
        content,
        folder,
        "ru",
        """
Title: Ёлку </script> поставили на площади
Date: 2024-12-30 18:45
Modified: 2025-01-02 09:15
Image: tree.jpg
Image_alt: Ёлка с огнями

Ёлка простоит до середины января.
""",
    )
    from PIL import Image

    Image.new("RGB", (40, 30), (10, 120, 40)).save(content / folder / "tree.jpg")
    from pelicanconf import PLUGIN_PATHS, PLUGINS

    output = root / "output"
    build(
        content,
        output,
        SEARCH_INDEX=False,
        PLUGIN_PATHS=[*PLUGIN_PATHS, str(plugins)],
        PLUGINS=[*PLUGINS, "share_pictures"],
        TEST_SHARE_PICTURES=True,
    )
    return Site(output)


def test_modified_date_reaches_json_ld_open_graph_feed_and_sitemap(edited_site):
    page = edited_site.page("/ru/news/2024/12/new-year/")
    article = json_ld(page)["NewsArticle"]
    assert article["datePublished"] == "2024-12-30T18:45:00+05:00"
    assert article["dateModified"] == "2025-01-02T09:15:00+05:00"
    assert meta(page, "article:modified_time") == ["2025-01-02T09:15:00+05:00"]
    assert "<updated>2025-01-02T09:15:00+05:00</updated>" in (edited_site.root / "ru/atom.xml").read_text()
    sitemap = (edited_site.root / "sitemap.xml").read_text()
    assert "<lastmod>2025-01-02T09:15:00+05:00</lastmod>" in sitemap


def test_share_picture_from_the_pictures_plugin_is_used_when_present(edited_site):
    page = edited_site.page("/ru/news/2024/12/new-year/")
    share = f"{BASE}/news/2024/2024-12-30-new-year/share-1200x630.jpg"
    assert meta(page, "og:image") == [share]
    assert json_ld(page)["NewsArticle"]["image"] == [share]


def test_json_ld_cannot_be_closed_by_a_headline(edited_site):
    html = edited_site.file("/ru/news/2024/12/new-year/").read_text(encoding="utf-8")
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block
        json.loads(block)
    assert json_ld(edited_site.page("/ru/news/2024/12/new-year/"))["NewsArticle"]["headline"] == (
        "Ёлку </script> поставили на площади"
    )


# --- pure helpers ---------------------------------------------------------------------------


class Story:
    story_folder = "news/2025/2025-04-23-x"
    image = "cover.jpg"


def test_share_image_prefers_the_derivative():
    story = Story()
    assert share_image(story) == "news/2025/2025-04-23-x/cover.jpg"
    story.og_image = "news/2025/2025-04-23-x/cover-1200x630.jpg"
    assert share_image(story) == "news/2025/2025-04-23-x/cover-1200x630.jpg"


def test_script_tag_escapes_markup_characters():
    tag = script_tag({"headline": "a</script><!--b & c"})
    assert tag.count("</script>") == 1
    body = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == {"headline": "a</script><!--b & c"}

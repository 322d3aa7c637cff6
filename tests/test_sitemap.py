"""sitemap.xml lists every page once, with lastmod and reciprocal language versions; robots.txt names it."""

import datetime as dt
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURE_SITE, ROOT, add_fixture_pictures, build

from discovery.sitemap import SitemapEntry, sitemap_xml

BASE = "https://almaty-news.example.kz"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def read_sitemap(root) -> dict[str, dict]:
    """Return {URL path: {"lastmod": …, "versions": {hreflang: URL path}}} from sitemap.xml."""
    tree = ET.parse(root / "sitemap.xml")
    entries = {}
    for url in tree.getroot().findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS).removeprefix(BASE)
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = {
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "versions": {
                link.get("hreflang"): link.get("href").removeprefix(BASE)
                for link in url.findall("x:link", NS)
                if link.get("rel") == "alternate"
            },
        }
    return entries


@pytest.fixture(scope="module")
def sitemap(fixture_site):
    return read_sitemap(fixture_site.root)


def test_sitemap_lists_every_page_once_and_only_pages_that_exist(fixture_site, sitemap):
    # The root only redirects to a language home; the 404 page is not a page to find.
    assert sorted(sitemap) == sorted(u for u in fixture_site.urls() if u != "/")
    for url in sitemap:
        assert fixture_site.exists(url), url


def test_ru_and_kk_versions_of_a_story_are_separate_entries(sitemap):
    assert "/ru/news/2025/04/hackathon/" in sitemap
    assert "/kk/news/2025/04/hackathon/" in sitemap


def test_every_version_lists_all_versions_itself_included_and_x_default(sitemap):
    for url, entry in sitemap.items():
        versions = entry["versions"]
        assert url in versions.values(), f"{url} does not list itself"
        assert versions["x-default"] == versions.get("ru", next(iter(versions.values()))), url
        for lang, other in versions.items():
            assert other in sitemap, f"{url} names {other}, which is not in the sitemap"
            assert sitemap[other]["versions"] == versions, f"{url} and {other} disagree"
            if lang != "x-default":
                assert other.startswith(f"/{lang}/"), f"{url}: {lang} version {other}"


def test_versions_match_the_pages_own_hreflang_links(fixture_site, sitemap):
    for url, entry in sitemap.items():
        links = fixture_site.page(url).select('head link[rel="alternate"][hreflang]')
        assert {a["hreflang"]: a["href"] for a in links} == entry["versions"], url


@pytest.mark.parametrize(
    ("url", "lastmod"),
    [
        ("/ru/news/2025/04/hackathon/", "2025-04-23T10:30:00+05:00"),
        # Before 1 March 2024 Almaty was UTC+6.
        ("/ru/news/2024/02/chess-cup/", "2024-02-10T00:00:00+06:00"),
        ("/kk/news/2025/04/bike-lane/", "2025-04-23T00:00:00+05:00"),
        # A listing changed when the newest story it shows appeared.
        ("/ru/archive/2024/02/", "2024-02-10T00:00:00+06:00"),
        ("/ru/tags/sport/", "2024-02-10T00:00:00+06:00"),
        ("/kk/", "2026-11-20T00:00:00+05:00"),
        ("/kk/news/", "2026-01-15T00:00:00+05:00"),
        ("/kk/events/", "2026-11-20T00:00:00+05:00"),
    ],
)
def test_lastmod_comes_from_the_stories(sitemap, url, lastmod):
    assert sitemap[url]["lastmod"] == lastmod


def test_every_entry_has_a_w3c_lastmod(sitemap):
    for url, entry in sitemap.items():
        assert dt.datetime.fromisoformat(entry["lastmod"]).tzinfo is not None, url


def test_robots_txt_names_the_sitemap(fixture_site):
    robots = (fixture_site.root / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    assert "Disallow: /pagefind/" in robots


def test_publish_settings_put_the_public_address_everywhere(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    build(
        content,
        tmp_path / "out",
        ROOT / "publishconf.py",
        SITEURL="https://example.org/almaty",
        SEARCH_INDEX=False,
    )
    text = (tmp_path / "out" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/almaty/ru/news/2025/04/hackathon/</loc>" in text
    assert BASE not in text
    robots = (tmp_path / "out" / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/almaty/sitemap.xml" in robots
    assert "Disallow: /almaty/pagefind/" in robots


def test_single_version_pages_name_themselves_and_x_default():
    xml = sitemap_xml(
        [SitemapEntry("kk/news/x/", "2025-01-01T00:00:00+05:00", {"kk": "kk/news/x/"})], BASE, "ru"
    )
    url = ET.fromstring(xml).find("s:url", NS)
    links = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", NS)}
    assert links == {"kk": f"{BASE}/kk/news/x/", "x-default": f"{BASE}/kk/news/x/"}


def test_sitemap_escapes_urls():
    xml = sitemap_xml([SitemapEntry("ru/a&b/", "2025-01-01T00:00:00+05:00", {"ru": "ru/a&b/"})], BASE, "ru")
    assert ET.fromstring(xml).find("s:url/s:loc", NS).text == f"{BASE}/ru/a&b/"

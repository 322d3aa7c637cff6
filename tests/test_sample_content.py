"""The sample content in content/ builds, and every reader path through it holds together."""

import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT

from content_format.checks import check_tree, parse_datetime, parse_header
from content_format.layout import parse_source_path

CONTENT = ROOT / "content"


def written_stories(lang: str) -> list[str]:
    """URLs of the stories written in lang, oldest first, worked out from the files alone."""
    stories = []
    for path in CONTENT.glob(f"*/*/*/{lang}.md"):
        source = parse_source_path(path.relative_to(CONTENT).as_posix())
        header = parse_header(path.read_text(encoding="utf-8"))
        published = (
            parse_datetime(header["date"].value)
            if "date" in header
            else dt.datetime.combine(source.day, dt.time())
        )
        url = f"/{lang}/{source.section}/{source.day:%Y}/{source.day:%m}/{source.slug}/"
        stories.append((published, source.slug, url))
    return [url for *_, url in sorted(stories)]


def test_sample_content_has_no_errors():
    assert [str(p) for p in check_tree(CONTENT) if p.is_error] == []


def test_sample_content_covers_what_readers_need():
    folders = {p.parent for p in CONTENT.glob("*/*/*/*.md")}
    languages = {folder: {p.stem for p in folder.glob("*.md")} for folder in folders}
    assert len(folders) >= 15
    assert sum(langs == {"ru"} for langs in languages.values()) >= 2
    assert sum(langs == {"kk"} for langs in languages.values()) >= 1
    assert len({f for f in folders if f.parts[-3] == "events"}) >= 4
    assert len({f.parts[-2] for f in folders}) >= 2  # years
    assert (CONTENT / "pages/about/ru.md").is_file() and (CONTENT / "pages/about/kk.md").is_file()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_next_links_visit_every_sample_story_once_in_date_order(sample_site, lang):
    expected = written_stories(lang)
    assert sorted(sample_site.story_urls(lang)) == sorted(expected)
    url, visited = expected[0], []
    while url:
        visited.append(url)
        assert len(visited) <= len(expected)
        newer = sample_site.page(url).select('.neighbours a[rel="next"]')
        url = newer[0]["href"] if newer else None
    assert visited == expected
    url, walked_back = expected[-1], []
    while url:
        walked_back.append(url)
        older = sample_site.page(url).select('.neighbours a[rel="prev"]')
        url = older[0]["href"] if older else None
    assert walked_back == expected[::-1]


def test_every_sample_switch_link_resolves(sample_site):
    for url in sample_site.urls():
        for a in sample_site.page(url).select(".language-switch a"):
            assert sample_site.exists(a["href"]), f"{url} → {a['href']}"


def test_every_sample_page_is_in_its_language(sample_site):
    for url in sample_site.urls():
        if url != "/":
            assert sample_site.page(url).html["lang"] == Path(url).parts[1]

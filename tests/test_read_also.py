"""Read also: earlier stories of the language sharing the most tags; a new story changes no earlier page."""

from pathlib import Path

import pytest
from conftest import Site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_incremental import build, stamps

from bench.corpus import add_story, write_corpus, write_text
from bilingual.related import read_also


def titles(found) -> list[list[str]]:
    return [[name for name, _ in stories] for stories in found]


@pytest.mark.parametrize(
    ("stories", "expected"),
    [
        # oldest first: (name, tags)
        ([("a", "x"), ("b", "y")], [[], []]),
        (
            [("a", "x"), ("b", "x"), ("c", "x"), ("d", "x"), ("e", "x")],
            [[], ["a"], ["b", "a"], ["c", "b", "a"], ["d", "c", "b"]],
        ),
        # more shared tags first, however old; newer first among equals
        (
            [("a", "xy"), ("b", "x"), ("c", "y"), ("d", "z"), ("e", "xy")],
            [[], ["a"], ["a"], [], ["a", "c", "b"]],
        ),
        ([("a", "xyz"), ("b", "xy"), ("c", "x"), ("d", "xyz")], [[], ["a"], ["b", "a"], ["a", "b", "c"]]),
        # a repeated tag counts once
        ([("a", "x"), ("b", "y"), ("c", "xxy")], [[], [], ["b", "a"]]),
    ],
)
def test_read_also_ranks_earlier_stories_by_shared_tags_then_recency(stories, expected):
    found = read_also(stories, lambda story: list(story[1]))
    assert titles(found) == expected


def test_read_also_never_holds_more_than_three_nor_a_later_story():
    stories = [(f"s{i:02}", "xy"[: 1 + i % 2]) for i in range(40)]
    for position, found in enumerate(read_also(stories, lambda story: list(story[1]))):
        assert len(found) == (min(3, position) if position else 0)
        assert all(stories.index(other) < position for other in found)


def read_also_by_definition(stories: list, limit: int = 3) -> list[list]:
    """Read also as PRODUCT.md words it: rank every earlier story by tags shared, then by recency."""
    found = []
    for position, (_, tags) in enumerate(stories):
        shared = [
            (len(set(tags) & set(other[1])), earlier) for earlier, other in enumerate(stories[:position])
        ]
        ranked = sorted(((count, earlier) for count, earlier in shared if count), reverse=True)
        found.append([stories[earlier] for _, earlier in ranked[:limit]])
    return found


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(st.sampled_from("abcdefghi"), max_size=9), max_size=40))
def test_read_also_is_the_ranking_by_shared_tags_then_recency(tag_lists):
    # Up to nine tags a story: more than are indexed by sets, so both ways of finding them are compared.
    stories = [(f"s{i:02}", tags) for i, tags in enumerate(tag_lists)]
    assert read_also(stories, lambda story: story[1]) == read_also_by_definition(stories)


LISTS = {
    "ru": {
        "/ru/news/2025/04/hackathon/": ["/ru/news/2024/02/city-library/"],
        "/ru/events/2025/05/dance-contest/": ["/ru/news/2024/02/city-library/"],
        "/ru/news/2024/02/city-library/": [],  # the oldest story with these tags
        "/ru/news/2024/02/chess-cup/": [],  # no earlier story is about sport
        "/ru/news/2026/01/snow/": [],  # no tags at all
    },
    "kk": {
        "/kk/news/2025/04/hackathon/": ["/kk/news/2024/02/city-library/"],
        "/kk/events/2025/05/dance-contest/": ["/kk/news/2024/02/city-library/"],
        "/kk/news/2025/04/bike-lane/": [],
    },
}
HEADINGS = {"ru": "Читайте также", "kk": "Сондай-ақ оқыңыз"}


@pytest.mark.parametrize("lang", HEADINGS)
def test_story_pages_show_read_also_in_their_language(fixture_site, lang):
    for url, expected in LISTS[lang].items():
        section = fixture_site.page(url).select_one("section.read-also")
        if not expected:
            assert section is None, url
            continue
        assert section.h2.get_text(strip=True) == HEADINGS[lang]
        links = section.select("li a")
        assert [a["href"] for a in links] == expected
        for link in links:  # the linked story's own headline
            assert link.get_text(strip=True) == fixture_site.page(link["href"]).h1.get_text(strip=True)


def test_read_also_lists_only_earlier_stories_of_the_page_language(fixture_site):
    def published(page) -> str:
        return page.select_one(".story__meta time")["datetime"]

    for lang in HEADINGS:
        for url in fixture_site.story_urls(lang):
            page = fixture_site.page(url)
            for link in page.select("section.read-also li a"):
                assert link["href"].startswith(f"/{lang}/")
                assert link.select_one("time") is None
                assert published(fixture_site.page(link["href"])) <= published(page)


def rewritten_story_pages(before: dict, after: dict) -> set[str]:
    return {name for name in after if name.count("/") == 5 and before.get(name) != after[name]}


@pytest.mark.system  # corpus builds, again after a change
def test_a_new_story_changes_no_earlier_page_but_its_neighbours(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    write_corpus(content, stories=40, pictures=0, seed=5, pool=tmp_path / "pool")
    build(content, output, cache, hash_seed=1)
    before = stamps(output)
    add_story(content, 1, seed=5)  # on the archive's last day, sharing tags with many earlier stories
    build(content, output, cache, hash_seed=2)
    after = stamps(output)
    site = Site(output)
    new = {name for name in after if name.count("/") == 5 and name not in before}
    assert len(new) == 2  # its Russian and Kazakh pages
    linking = set()  # the pages that link to it as previous or next
    for lang in ("ru", "kk"):
        for url in site.story_urls(lang):
            targets = {
                a["href"].strip("/") + "/index.html"
                for a in site.page(url).select("a[rel=prev], a[rel=next]")
            }
            if targets & new:
                linking.add(url.strip("/") + "/index.html")
    assert rewritten_story_pages(before, after) - new <= linking


def edit_title_or_text(path: Path, *, title: bool) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if title and line.startswith("Title: "):
            lines[number] = line + " (обновлено)"
    if not title:
        lines.append("\nЕщё одно предложение в конце текста.")
    write_text(path, "\n".join(lines) + "\n")


@pytest.mark.system  # corpus builds, again after a change
def test_an_edit_re_renders_the_pages_whose_read_also_shows_it_only_when_what_they_show_changes(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    stories = write_corpus(content, stories=40, pictures=0, seed=9, pool=tmp_path / "pool")
    build(content, output, cache, hash_seed=1)
    site = Site(output)
    # A Russian news story that some later story lists under Read also.
    listed_by: dict[str, set[str]] = {}
    for url in site.story_urls("ru"):
        for link in site.page(url).select("section.read-also li a"):
            listed_by.setdefault(link["href"], set()).add(url.strip("/") + "/index.html")
    target = next(s for s in stories if "ru" in s.texts and any(h.endswith(f"/{s.slug}/") for h in listed_by))
    href = next(h for h in listed_by if h.endswith(f"/{target.slug}/"))
    listing_pages = listed_by[href]
    assert listing_pages

    before = stamps(output)
    edit_title_or_text(content / target.folder / "ru.md", title=False)
    build(content, output, cache, hash_seed=2)
    after = stamps(output)
    assert not (rewritten_story_pages(before, after) & (listing_pages - neighbours_of(site, href)))

    edit_title_or_text(content / target.folder / "ru.md", title=True)
    build(content, output, cache, hash_seed=3)
    assert listing_pages <= rewritten_story_pages(after, stamps(output))
    for page in listing_pages:
        assert "(обновлено)" in (output / page).read_text(encoding="utf-8")


def neighbours_of(site: Site, href: str) -> set[str]:
    """The pages that link to a story as previous or next (rendered again on any edit of it)."""
    page = site.page(href)
    return {a["href"].strip("/") + "/index.html" for a in page.select("a[rel=prev], a[rel=next]")}

"""A new story of the day changes a bounded set of output files, whatever the size of the archive.

Listing pages are numbered from the oldest (PRODUCT.md, Listing pages), so adding a story changes
the story, its older neighbour, each listing's first page (and, once a page fills, one new
numbered page and the link of the one before it), its archives, feeds and, for an event, its
calendars: what a deploy uploads stays small. Built with three stories a page, so that a small
archive has many pages.
"""

import re
from pathlib import Path

import pytest

from bench.changes import BUILT_AT, build, changed_files, files_changed_by_a_story

pytestmark = pytest.mark.system  # two archives built cold, then twice again each, in subprocesses

SIZES = (60, 240)
PER_PAGE = 3
LIMIT = 60  # issue 16: at most 60 files whatever the archive's size
NUMBERED = re.compile(r"^(?P<listing>.*/)page/(?P<number>\d+)/index\.html$")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("changes")


@pytest.fixture(scope="module")
def changes(workdir) -> dict[int, dict[str, list[str]]]:
    return {size: files_changed_by_a_story(size, workdir / str(size), PER_PAGE) for size in SIZES}


def numbered_pages(files: list[str]) -> dict[str, list[int]]:
    pages: dict[str, list[int]] = {}
    for name in files:
        if match := NUMBERED.match(name):
            pages.setdefault(match["listing"], []).append(int(match["number"]))
    return pages


def test_changed_files_compares_bytes_and_leaves_out_the_search_index(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    for root, text in ((before, "old"), (after, "new")):
        for name in ("ru/index.html", "pagefind/index.json", "pagefind-ru-2025/a.pf", "same.txt"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("same" if name == "same.txt" else text)
    (before / "gone.html").write_text("x")
    (after / "ru" / "new.html").write_text("x")
    assert changed_files(before, after) == ["gone.html", "ru/index.html", "ru/new.html"]


@pytest.mark.parametrize("kind", ["news story with four tags", "event"])
def test_one_story_of_the_day_changes_at_most_60_files_at_any_size(changes, kind):
    for size in SIZES:
        files = changes[size][kind]
        assert len(files) <= LIMIT, f"{size} stories: {len(files)} files changed:\n" + "\n".join(files)


@pytest.mark.parametrize("kind", ["news story with four tags", "event"])
def test_what_a_story_changes_does_not_grow_with_the_archive(changes, kind):
    small, large = (changes[size][kind] for size in SIZES)
    listing = "\n".join(large)
    # Apart from numbered listing pages, the same kinds of file change, as many at both sizes.
    rest = {size: [f for f in changes[size][kind] if not NUMBERED.match(f)] for size in SIZES}
    assert len(rest[SIZES[1]]) <= len(rest[SIZES[0]]), "\n".join(rest[SIZES[1]])
    for files in (small, large):
        for listing_url, numbers in numbered_pages(files).items():
            # Only when a page fills: the new numbered page and the one that led to the first page.
            assert f"{listing_url}index.html" in files, listing
            assert len(numbers) <= 2 and max(numbers) - min(numbers) <= 1, listing


def test_an_event_changes_its_calendars_and_a_news_story_does_not(changes):
    for size in SIZES:
        news, event = changes[size]["news story with four tags"], changes[size]["event"]
        assert not [f for f in news if f.endswith(".ics") or "/calendar/" in f], news
        assert {f"{lang}/events.ics" for lang in ("ru", "kk")} <= set(event)
        assert any("story-of-the-day-2/event.ics" in f for f in event)


def test_the_rebuilds_equal_a_cold_build_after_pages_filled(changes, workdir):
    """Stories added where pages fill (new numbered pages) still rebuild to the bytes of a cold build."""
    place = workdir / str(SIZES[-1])
    assert numbered_pages(changes[SIZES[-1]]["event"]), "the additions should have filled a page"
    fresh = place / "fresh"
    build(
        place / "content",
        fresh,
        place / "fresh-cache",
        f'EVENTS_NOW="{BUILT_AT:%Y-%m-%d %H:%M}"',
        f"DEFAULT_PAGINATION={PER_PAGE}",
    )
    assert changed_files(fresh, place / "output") == []

"""Listing pages are numbered from the oldest, so a full page never changes (PRODUCT.md, Listing pages)."""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bilingual.listings import Listing, link_listing_versions, pages_from_oldest, paginate
from bilingual.ordering import newest_first
from l10n.dates import ALMATY, day_span

URL = "ru/news/"


def stories(count: int) -> list:
    """count stories, one every 9 hours from 1 October 2025 (Almaty), newest first."""
    start = dt.datetime(2025, 10, 1, 8, tzinfo=ALMATY)
    made = [SimpleNamespace(date=start + dt.timedelta(hours=9 * n), slug=f"s{n:03d}") for n in range(count)]
    return newest_first(made)


def listing(count: int, per_page: int) -> list[Listing]:
    return paginate("section", ("section", "news"), "ru", URL, stories(count), per_page)


def slugs(page: Listing) -> list[str]:
    return [story.slug for story in page.stories]


def shown(page: Listing) -> tuple:
    """What a page shows: everything the incremental build's page key sees of it."""
    return (page.url, slugs(page), page.days, page.newer_page_url, page.older_page_url)


sizes = st.integers(min_value=1, max_value=8).flatmap(
    lambda per_page: st.tuples(st.integers(min_value=0, max_value=5 * per_page + 1), st.just(per_page))
)


@settings(max_examples=300, deadline=None)
@given(sizes)
@example((0, 3))
@example((3, 3))
@example((5, 3))
@example((6, 3))
@example((2, 3))
def test_pages_partition_the_stories_numbered_from_the_oldest(size):
    count, per_page = size
    pages = listing(count, per_page)
    first, numbered = pages[-1], pages[:-1]
    oldest = [story.slug for story in reversed(stories(count))]
    full = count // per_page

    assert first.url == URL and first.is_first
    assert [p.url for p in numbered] == [f"{URL}page/{k}/" for k in range(1, full)]
    for k, page in enumerate(numbered, start=1):
        # Page k holds the (k-1)·P+1-th to the k·P-th oldest, shown newest first.
        assert slugs(page) == oldest[(k - 1) * per_page : k * per_page][::-1]
        assert page.number == k
    if count < per_page:
        assert len(first.stories) == count
    else:
        assert per_page <= len(first.stories) <= 2 * per_page - 1
    assert slugs(first) == oldest[len(numbered) * per_page :][::-1]
    assert sorted(s for p in pages for s in slugs(p)) == sorted(oldest)


@settings(max_examples=300, deadline=None)
@given(sizes)
@example((5, 3))
@example((8, 3))
def test_a_new_story_changes_the_first_page_and_adds_at_most_one_numbered_page(size):
    count, per_page = size
    before = {p.url: p for p in listing(count, per_page)}
    after = {p.url: p for p in listing(count + 1, per_page)}

    assert set(before) <= set(after)
    added = set(after) - set(before)
    assert len(added) <= 1
    changed = {url for url in before if shown(before[url]) != shown(after[url])}
    assert URL in changed  # the new story is on it
    for url in before.keys() - {URL}:
        assert slugs(before[url]) == slugs(after[url]), "a numbered page's stories never change"
    if added:
        # Only the numbered page that led to the first page now leads to the new one.
        (new,) = added
        assert after[new].number == len(after) - 1
        assert changed - {URL} <= {p.url for p in before.values() if p.newer_page_url == URL}
    else:
        assert changed == {URL}


@settings(max_examples=200, deadline=None)
@given(sizes)
def test_each_page_links_to_the_next_older_and_newer_page_and_names_its_days(size):
    count, per_page = size
    pages = listing(count, per_page)
    by_url = {p.url: p for p in pages}
    visited, url = [], URL
    while url:
        visited.append(url)
        url = by_url[url].older_page_url
    assert visited == [p.url for p in reversed(pages)]
    for older, newer in itertools.pairwise(pages):
        assert newer.older_page_url == older.url and older.newer_page_url == newer.url
    assert pages[-1].newer_page_url is None and pages[0].older_page_url is None
    assert all(p.paginated for p in pages) == (len(pages) > 1)
    for page in pages:
        days = [story.date.date() for story in page.stories]
        assert page.days == ((min(days), max(days)) if days else None)


@pytest.mark.parametrize(
    ("count", "per_page", "expected"),
    [
        (0, 10, [range(0)]),
        (9, 10, [range(9)]),
        (10, 10, [range(10)]),
        (19, 10, [range(19)]),
        (20, 10, [range(10), range(10, 20)]),
        (29, 10, [range(10), range(10, 29)]),
        (30, 10, [range(10), range(10, 20), range(20, 30)]),
        (5, None, [range(5)]),
    ],
)
def test_page_ranges_at_the_edges(count, per_page, expected):
    assert pages_from_oldest(count, per_page) == expected


def test_only_first_pages_are_versions_of_each_other():
    pages = {lang: listing(7, 2) for lang in ("ru",)}["ru"]
    kk = paginate("section", ("section", "news"), "kk", "kk/news/", stories(9), 2)
    link_listing_versions(pages + kk, ["ru", "kk"])
    assert pages[-1].alternates == {"kk": "kk/news/", "ru": "ru/news/"}
    numbered = pages[0]
    assert numbered.alternates == {"ru": "ru/news/page/1/"}
    assert numbered.switch == {"ru": "ru/news/page/1/", "kk": "kk/news/"}


@pytest.mark.parametrize(
    ("first", "last", "ru", "kk"),
    [
        ((2025, 10, 12), (2025, 10, 20), "12–20 октября 2025", "2025 жылғы 12–20 қазан"),
        (
            (2025, 9, 28),
            (2025, 10, 3),
            "28 сентября\u00a0– 3 октября 2025",
            "2025 жылғы 28 қыркүйек\u00a0– 3 қазан",
        ),
        (
            (2024, 12, 30),
            (2025, 1, 2),
            "30 декабря 2024\u00a0– 2 января 2025",
            "2024 жылғы 30 желтоқсан\u00a0– 2025 жылғы 2 қаңтар",
        ),
        ((2025, 10, 12), (2025, 10, 12), "12 октября 2025", "2025 жылғы 12 қазан"),
    ],
)
def test_a_page_names_its_days_as_readers_write_them(first, last, ru, kk):
    days = (dt.date(*first), dt.date(*last))
    assert day_span(days, "ru") == ru
    assert day_span(days, "kk") == kk

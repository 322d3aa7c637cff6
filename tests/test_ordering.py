import datetime as dt
from types import SimpleNamespace

from bilingual.ordering import newest_first, oldest_first, with_neighbours
from bilingual.versions import group_versions, switch_targets


def story(day, slug, hour=0):
    return SimpleNamespace(date=dt.datetime(2025, 4, day, hour), slug=slug)


def test_stories_at_the_same_moment_are_ordered_by_slug():
    b, a, c = story(1, "b"), story(1, "a"), story(1, "c", hour=9)
    assert [s.slug for s in oldest_first([b, c, a])] == ["a", "b", "c"]
    assert [s.slug for s in newest_first([b, c, a])] == ["c", "b", "a"]


def test_neighbours_chain_oldest_to_newest():
    ordered = oldest_first([story(3, "c"), story(1, "a"), story(2, "b")])
    chain = [(o and o.slug, s.slug, n and n.slug) for o, s, n in with_neighbours(ordered)]
    assert chain == [(None, "a", "b"), ("a", "b", "c"), ("b", "c", None)]


def test_a_single_story_has_no_neighbours():
    only = story(1, "a")
    assert list(with_neighbours([only])) == [(None, only, None)]


def test_versions_group_by_key_and_language():
    items = [("x", "ru"), ("x", "kk"), ("y", "kk")]
    groups = group_versions(items, key=lambda i: i[0], lang=lambda i: i[1])
    assert groups == {"x": {"ru": ("x", "ru"), "kk": ("x", "kk")}, "y": {"kk": ("y", "kk")}}


def test_switch_falls_back_to_the_other_language_home():
    targets = switch_targets({"kk": "kk/news/2025/04/a/"}, ["ru", "kk"], lambda lang: f"{lang}/")
    assert targets == {"ru": "ru/", "kk": "kk/news/2025/04/a/"}

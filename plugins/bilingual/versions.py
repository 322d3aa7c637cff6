"""Pair the language versions of the same page and decide where the language switch leads."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")


def group_versions(
    items: Iterable[T], key: Callable[[T], object], lang: Callable[[T], str]
) -> dict[object, dict[str, T]]:
    """Group items that are versions of one another: {key: {lang: item}}."""
    groups: dict[object, dict[str, T]] = defaultdict(dict)
    for item in items:
        groups[key(item)][lang(item)] = item
    return dict(groups)


def switch_targets(
    alternates: Mapping[str, str], languages: Iterable[str], fallback: Callable[[str], str]
) -> dict[str, str]:
    """Return, for every language, the same page in it, else fallback(lang) (that language's home)."""
    return {lang: alternates.get(lang) or fallback(lang) for lang in languages}

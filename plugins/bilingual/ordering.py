"""Order stories in time and find each one's older and newer neighbour."""

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar


class Dated(Protocol):
    date: object
    slug: str


T = TypeVar("T", bound=Dated)


def chronological_key(story: Dated) -> tuple:
    """Order by publication moment; stories published at the same moment by slug."""
    return (story.date, story.slug)


def oldest_first(stories: Iterable[T]) -> list[T]:
    return sorted(stories, key=chronological_key)


def newest_first(stories: Iterable[T]) -> list[T]:
    return sorted(stories, key=chronological_key, reverse=True)


def with_neighbours(ordered: list[T]) -> Iterator[tuple[T | None, T, T | None]]:
    """Yield (older, story, newer) for a list already ordered oldest first."""
    for index, story in enumerate(ordered):
        older = ordered[index - 1] if index > 0 else None
        newer = ordered[index + 1] if index + 1 < len(ordered) else None
        yield older, story, newer

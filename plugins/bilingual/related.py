"""Find each story's Read also: earlier stories of its language that share the most tags with it."""

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from itertools import groupby
from typing import TypeVar

T = TypeVar("T")

READ_ALSO_LIMIT = 3


def read_also(
    ordered: Sequence[T], tags_of: Callable[[T], Sequence[Hashable]], limit: int = READ_ALSO_LIMIT
) -> list[list[T]]:
    """For stories ordered oldest first, return for each the up to `limit` earlier stories sharing the
    most tags with it, newer first on ties; none for a story no earlier story shares a tag with."""
    earlier: dict[Hashable, list[int]] = defaultdict(list)  # tag -> positions of the stories so far
    found = []
    for position, story in enumerate(ordered):
        tags = list(dict.fromkeys(tags_of(story)))
        found.append([ordered[i] for i in _best(tags, earlier, limit)])
        for tag in tags:
            earlier[tag].append(position)
    return found


def _best(tags: list[Hashable], earlier: dict[Hashable, list[int]], limit: int) -> list[int]:
    """Walk the earlier stories of every tag together, newest first: each comes with all its shared tags
    at once; stop as soon as `limit` stories share every tag, since none after them can rank higher."""
    lists = [reversed(earlier[tag]) for tag in tags if tag in earlier]
    best: list[tuple[int, int]] = []  # (shared tags, position): the `limit` best so far, a min-heap
    for position, same in groupby(heapq.merge(*lists, reverse=True)):
        shared = sum(1 for _ in same)
        if len(best) < limit:
            heapq.heappush(best, (shared, position))
        elif shared > best[0][0]:  # a tie keeps the newer one, found first
            heapq.heapreplace(best, (shared, position))
        if len(best) == limit and best[0][0] == len(tags):
            break
    return [position for _, position in sorted(best, reverse=True)]

"""Find each story's Read also: earlier stories of its language that share the most tags with it."""

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from itertools import combinations, groupby
from typing import TypeVar

T = TypeVar("T")

READ_ALSO_LIMIT = 3
# Stories are indexed under every set of up to this many of their tags; a story with more tags than
# that (rare) is matched by walking the earlier stories of each of its tags instead.
INDEXED_TAGS = 6

Positions = dict[frozenset, list[int]]


def read_also(
    ordered: Sequence[T], tags_of: Callable[[T], Sequence[Hashable]], limit: int = READ_ALSO_LIMIT
) -> list[list[T]]:
    """For stories ordered oldest first, return for each the up to `limit` earlier stories sharing the
    most tags with it, newer first on ties; none for a story no earlier story shares a tag with."""
    holding: Positions = defaultdict(list)  # a set of tags -> positions of the earlier stories with all
    found = []
    for position, story in enumerate(ordered):
        tags = list(dict.fromkeys(tags_of(story)))
        best = _best_by_sets if len(tags) <= INDEXED_TAGS else _best_by_walking
        found.append([ordered[i] for i in best(tags, holding, limit)])
        for size in range(1, min(len(tags), INDEXED_TAGS) + 1):
            for subset in combinations(tags, size):
                holding[frozenset(subset)].append(position)
    return found


def _best_by_sets(tags: list[Hashable], holding: Positions, limit: int) -> list[int]:
    """Take the newest earlier stories holding all the tags, then all but one, and so on.

    A story left out at one level shares fewer tags than every story taken there (each list is cut at
    the `limit` newest not yet taken), so the levels give the ranking with a few lookups per set of
    tags, whatever the size of the archive.
    """
    chosen: list[int] = []
    for shared in range(len(tags), 0, -1):
        wanted = limit - len(chosen)
        level: set[int] = set()
        for subset in combinations(tags, shared):
            taken = 0
            for position in reversed(holding.get(frozenset(subset), ())):
                if position in chosen or position in level:
                    continue
                level.add(position)
                taken += 1
                if taken == wanted:
                    break
        chosen += sorted(level, reverse=True)[:wanted]
        if len(chosen) == limit:
            break
    return chosen


def _best_by_walking(tags: list[Hashable], holding: Positions, limit: int) -> list[int]:
    """Walk the earlier stories of every tag together, newest first: each comes with all its shared tags
    at once; stop as soon as `limit` stories share every tag, since none after them can rank higher."""
    lists = [reversed(holding[key]) for key in (frozenset([tag]) for tag in tags) if key in holding]
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

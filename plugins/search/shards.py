"""Split the search index into per-language, per-year shards, and tell which ones need indexing again.

Each shard is a Pagefind bundle of its own (`pagefind/ru/2025/`); the search page of a language merges
that language's shards (listed newest first in `pagefind/ru/shards.json`). A shard is indexed again only
when its key changes: the key covers the paths and bytes of its pages and everything else that shapes
the bundle (Pagefind's version, the folding table, this module's layout).
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Bump when the shards' layout or the post-processing of a bundle changes: every shard is indexed anew.
LAYOUT_VERSION = 1
LIST_FILE = "shards.json"
UNDATED = "pages"  # name of the shard of a language that has undated pages only


@dataclass(frozen=True)
class SearchPage:
    """A page Pagefind indexes: its language, the year of the story (None: a static page), its file."""

    lang: str
    year: int | None
    path: str  # relative to the output folder, e.g. ru/news/2025/04/slug/index.html


@dataclass
class Shard:
    """One Pagefind bundle: the pages of one language over one or more consecutive years."""

    lang: str
    name: str  # "2025", "2024-2025", or UNDATED
    paths: list[str] = field(default_factory=list)

    def folder(self, bundle: str) -> str:
        """Return the shard's folder relative to the output folder: pagefind/ru/2025."""
        return f"{bundle}/{self.lang}/{self.name}"


def _name(years: Sequence[int]) -> str:
    if not years:
        return UNDATED
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def plan_shards(pages: Iterable[SearchPage], min_pages: int) -> list[Shard]:
    """Group each language's pages into shards of whole consecutive years, each of at least min_pages.

    Pagefind ranks with statistics of its own bundle (how many pages have a word), so a tiny shard
    (January's new year, a few static pages) would rank its pages apart from the rest: years are
    grouped until a shard has min_pages, undated pages join the oldest shard, and a small newest
    shard joins the one before it. Shards come per language, newest first.
    """
    by_lang: dict[str, dict[int | None, list[str]]] = {}
    for page in pages:
        by_lang.setdefault(page.lang, {}).setdefault(page.year, []).append(page.path)
    shards: list[Shard] = []
    for lang in sorted(by_lang):
        years = by_lang[lang]
        groups: list[tuple[list[int], list[str]]] = []
        years_now: list[int] = []
        paths_now: list[str] = sorted(years.get(None, []))
        for year in sorted(y for y in years if y is not None):
            years_now.append(year)
            paths_now += sorted(years[year])
            if len(paths_now) >= min_pages:
                groups.append((years_now, paths_now))
                years_now, paths_now = [], []
        if paths_now:
            if groups and len(paths_now) < min_pages:
                last_years, last_paths = groups.pop()
                years_now, paths_now = last_years + years_now, last_paths + paths_now
            groups.append((years_now, paths_now))
        shards += [Shard(lang, _name(group_years), paths) for group_years, paths in reversed(groups)]
    return shards


def shard_key(shard: Shard, digests: Mapping[str, str], settings: Mapping[str, object]) -> str:
    """Return a key that changes whenever the shard's bundle may change."""
    state = {
        "layout": LAYOUT_VERSION,
        "lang": shard.lang,
        "name": shard.name,
        "pages": [[path, digests[path]] for path in shard.paths],
        "settings": settings,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def shard_list(shards: Iterable[Shard], lang: str) -> str:
    """Return the JSON a language's search page reads: its shards' folders, newest first."""
    names = [f"{shard.name}/" for shard in shards if shard.lang == lang]
    return json.dumps({"shards": names}, ensure_ascii=False, separators=(",", ":")) + "\n"

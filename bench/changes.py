"""Which files of a built site one change rewrites: what a deploy of that change uploads.

Two output trees are compared by their bytes. Pagefind's index (any folder named `pagefind*`) is
left out: it is counted apart, as its shards change with every story by design.
"""

import filecmp
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

SKIPPED_FOLDER = "pagefind"  # a prefix: pagefind/, pagefind-ui/ …


def _files(root: Path) -> Iterator[str]:
    """Every regular file under root, as a POSIX path relative to it, outside Pagefind's folders."""
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(SKIPPED_FOLDER))
        for name in names:
            path = Path(folder) / name
            if path.is_file():
                yield path.relative_to(root).as_posix()


def changed_files(before: Path, after: Path) -> list[str]:
    """Return the files added, removed or changed (by bytes) from one output tree to another, sorted.

    Paths are relative to the trees' roots; Pagefind's index folders (`pagefind*`) are left out.
    """
    old, new = set(_files(before)), set(_files(after))
    changed = old ^ new
    for name in old & new:
        if not filecmp.cmp(before / name, after / name, shallow=False):
            changed.add(name)
    return sorted(changed)


def snapshot(output: Path, target: Path) -> Path:
    """Copy an output tree (outside Pagefind's folders) to compare it with the next build's.

    A copy, not hard links: stock Pelican rewrites files in place, which would change a link too.
    """

    def pagefind(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n.startswith(SKIPPED_FOLDER) and (Path(folder) / n).is_dir()]

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(output, target, ignore=pagefind)
    return target

"""The content folder as the build found it at its start: walked once, then asked by every reader of it.

Pelican walks the content folder for each generator (and once more per generator to warn of files no
reader is enabled for), the content and picture checks look for every Markdown file, and the inputs
key lists every file: with ten thousand files each walk costs a tenth of a second. One walk at the
start of the build answers them all, and they all see the same files.
"""

import functools
import os
from collections.abc import Iterator


class ContentTree:
    """The folders and files under root as the build found them; symbolic links are noted, never followed.

    A link (to a file or a folder) and anything else that is neither (a pipe, a socket) are listed in
    `links` and `others`, never among the files or folders: no reader, generator or check sees what
    is behind them, and the content checks name each one as an error.
    """

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self._folders: dict[str, tuple[list[str], list[str]]] = {}
        self.links: list[str] = []  # relative to root, with /
        self.others: list[str] = []
        stack = [self.root]
        while stack:
            folder = stack.pop()
            dirs, files = [], []
            try:
                entries = list(os.scandir(folder))
            except OSError:  # gone, or not readable: as os.walk, left out
                continue
            for entry in entries:
                # The kind comes with the folder listing (d_type): no stat per entry, links not followed.
                if entry.is_symlink():
                    self.links.append(self._relative(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    dirs.append(entry.name)
                elif entry.is_file(follow_symlinks=False):
                    files.append(entry.name)
                else:
                    self.others.append(self._relative(entry.path))
            self._folders[folder] = (sorted(dirs), sorted(files))
            stack.extend(os.path.join(folder, name) for name in dirs)
        self.links.sort()
        self.others.sort()

    def _relative(self, path: str) -> str:
        return path[len(self.root) + 1 :].replace(os.sep, "/")

    def through_link(self, path: str) -> bool:
        """Tell whether a path under root is a link the walk found, or lies behind one."""
        path = os.path.abspath(path)
        if not path.startswith(self.root + os.sep):
            return False
        relative = self._relative(path)
        return any(relative == link or relative.startswith(link + "/") for link in self.links)

    def has_folder(self, path: str) -> bool:
        return path in self._folders

    def names_in(self, folder: str) -> list[str] | None:
        """The names of the files in a folder (None: the walk did not see it)."""
        found = self._folders.get(folder)
        return None if found is None else found[1]

    def walk(self, top: str) -> Iterator[tuple[str, list[str], list[str]]]:
        """Yield (folder, dirs, files) as os.walk(top) would, top down: remove a name from dirs to skip it."""
        stack = [top]
        while stack:
            folder = stack.pop()
            found = self._folders.get(folder)
            if found is None:  # not there at the start of the build
                continue
            dirs, files = list(found[0]), found[1]
            yield folder, dirs, files
            stack.extend(os.path.join(folder, name) for name in reversed(dirs))

    @functools.cached_property
    def markdown(self) -> list[str]:
        """The .md files' paths relative to root, with /, sorted as paths are (by their parts)."""
        names = [name for name in self.files() if name.endswith(".md")]
        return sorted(names, key=lambda name: name.split("/"))

    def files(self) -> Iterator[str]:
        """Yield the path of every file relative to root, with /, in sorted order of folders."""
        for folder, _dirs, files in self.walk(self.root):
            prefix = f"{self._relative(folder)}/" if folder != self.root else ""
            for name in files:
                yield prefix + name

"""The content folder as the build found it at its start: walked once, then asked by every reader of it.

Pelican walks the content folder for each generator (and once more per generator to warn of files no
reader is enabled for), the content and picture checks look for every Markdown file, and the inputs
key lists every file: with ten thousand files each walk costs a tenth of a second. One walk at the
start of the build answers them all, and they all see the same files.
"""

import fnmatch
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
            relative = os.path.relpath(folder, self.root).replace(os.sep, "/")
            prefix = "" if relative == "." else f"{relative}/"
            for name in files:
                yield prefix + name


def generator_files(generator, tree: ContentTree, paths, exclude=None, extensions=None) -> set[str]:
    """Pelican's Generator.get_files (same arguments, same answer), over the walk made at the start.

    The rules are Pelican's: paths relative to the generator's folder; a name in exclude (relative to
    that folder) or matching IGNORE_FILES is not entered; a file counts when the generator's
    _include_path says so (its extension has a reader, or is in extensions).
    """
    if isinstance(paths, str):
        paths = [paths]
    skipped: dict[str, set[str]] = {}
    for name in exclude or []:
        parent, folder = os.path.split(os.path.join(generator.path, name))
        skipped.setdefault(parent, set()).add(folder)
    ignores = generator.settings["IGNORE_FILES"]
    # Pelican decides by a file's name alone (its extension, IGNORE_FILES): asked once per name.
    included: dict[str, bool] = {}
    top = os.path.join(generator.path, "")
    files = set()
    for path in paths:
        root = os.path.join(generator.path, path) if path else generator.path
        if tree.has_folder(root):
            for folder, dirs, names in tree.walk(root):
                left_out = skipped.get(folder, ())
                dirs[:] = [
                    d for d in dirs if d not in left_out and not any(fnmatch.fnmatch(d, i) for i in ignores)
                ]
                # As os.path.relpath(folder, generator.path), which costs more than the walk itself.
                relative = (
                    folder[len(top) :] if folder.startswith(top) else os.path.relpath(folder, generator.path)
                )
                for name in names:
                    candidate = os.path.join(relative or ".", name)
                    if name not in included:
                        included[name] = generator._include_path(candidate, extensions)
                    if included[name]:
                        files.add(candidate)
        elif (
            os.path.exists(root) and not tree.through_link(root) and generator._include_path(path, extensions)
        ):
            files.add(path)
    return files


def walked_files(generator, tree: ContentTree, get_files):
    """Return a get_files for the generator that answers from the tree, or with get_files outside it."""

    def files(paths, exclude=None, extensions=None) -> set[str]:
        listed = [paths] if isinstance(paths, str) else list(paths)
        roots = [os.path.join(generator.path, path) if path else generator.path for path in listed]
        # A folder the walk did not see (outside the content folder, or made since) is walked anew;
        # one behind a link is not walked at all.
        if all(tree.has_folder(root) or tree.through_link(root) or not os.path.isdir(root) for root in roots):
            return generator_files(generator, tree, listed, exclude, extensions)
        return get_files(paths, exclude, extensions)

    return files

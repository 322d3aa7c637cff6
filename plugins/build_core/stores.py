"""Values kept between builds in the cache folder, by source path and key, in buckets written whole."""

import pickle
import zlib
from pathlib import Path

from .files import write_atomically

FORMAT_VERSION = 2  # 2: a folder of buckets per store


def read_kept(path: Path):
    """Return what write_kept put in path, or None (no file, a damaged one, or another format's)."""
    try:
        with path.open("rb") as stream:
            version, value = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return value if version == FORMAT_VERSION else None


def write_kept(path: Path, value) -> None:
    """Keep value in path for later builds; a reader never sees a half-written file."""
    write_atomically(path, pickle.dumps((FORMAT_VERSION, value), protocol=pickle.HIGHEST_PROTOCOL))


class FileStore:
    """Values worked out from source files in earlier builds, by path and key, kept in the cache folder.

    A value is given back only for the key it was stored with; the values of files this build did not
    ask for (files that are gone) are dropped when it saves. The values are kept in BUCKETS files by
    a hash of the source's path, and only the files holding a changed value are written again: one
    edited story rewrites a hundredth of the store, not all of it (a hundred megabytes at 5,000 stories).
    """

    BUCKETS = 64

    def __init__(self, folder: Path):
        self.folder = folder
        self.entries: dict[str, tuple[str, object]] = {}
        self.used: set[str] = set()
        self.changed: set[int] = set()  # buckets with a new value
        for path in sorted(folder.glob("*.pickle")) if folder.is_dir() else []:
            entries = read_kept(path)
            if isinstance(entries, dict):  # else that bucket's files are read again
                self.entries.update(entries)

    @classmethod
    def bucket(cls, source: str) -> int:
        return zlib.crc32(source.encode("utf-8", "surrogatepass")) % cls.BUCKETS

    def get(self, source: str, key: str):
        stored = self.entries.get(source)
        if stored is None or stored[0] != key:
            return None
        self.used.add(source)
        return stored[1]

    def put(self, source: str, key: str, value) -> None:
        self.entries[source] = (key, value)
        self.used.add(source)
        self.changed.add(self.bucket(source))

    def save(self) -> None:
        gone = set(self.entries) - self.used
        buckets = self.changed | {self.bucket(source) for source in gone}
        if not buckets:
            return
        kept: dict[int, dict[str, tuple[str, object]]] = {bucket: {} for bucket in buckets}
        for source in self.used:
            bucket = self.bucket(source)
            if bucket in kept:
                kept[bucket][source] = self.entries[source]
        self.folder.with_suffix(".pickle").unlink(missing_ok=True)  # the store as format 1 kept it
        for bucket, entries in kept.items():
            path = self.folder / f"{bucket:02x}.pickle"
            if entries:
                write_kept(path, entries)
            else:
                path.unlink(missing_ok=True)

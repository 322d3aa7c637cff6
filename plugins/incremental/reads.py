"""Remember what the reader made of each source file, and read the files it does not know on all cores.

An entry is keyed by the file's bytes, the other files of its folder (a picture beside the text
changes the page) and the build fingerprint (settings, plugin and theme code, package versions), so
a cached result is what reading the file again would give.
"""

import functools
import hashlib
import io
import logging
import os
import pickle
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .workers import CollectedLog, in_workers

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: a folder of buckets per store
SETTINGS_ID = "settings"
CONTEXT_ID = "context"


def source_key(path: Path, build: str) -> str:
    """Return the cache key of a source file: its bytes, the other files of its folder, the build."""
    folder = []
    with os.scandir(path.parent) as entries:
        for entry in entries:
            # Pictures and attachments beside the text change its page; the other language's text does not.
            if entry.is_file() and not entry.name.endswith(".md"):
                stat = entry.stat()
                folder.append(f"{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    hasher = hashlib.sha256(f"{build}\0{path.name}\0".encode())
    hasher.update(path.read_bytes())
    for line in sorted(folder):
        hasher.update(f"\0{line}".encode())
    return hasher.hexdigest()


class _Pickler(pickle.Pickler):
    """Pickle reader results and stories without the live objects they point at (settings, context)."""

    def __init__(self, stream, shared: dict[str, object]):
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(value): name for name, value in shared.items()}

    def persistent_id(self, obj):
        return self._names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, shared: dict[str, object]):
        super().__init__(stream)
        self._shared = shared

    def persistent_load(self, pid):
        if pid in self._shared:
            return self._shared[pid]
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def dumps(value, settings, context=None) -> bytes:
    stream = io.BytesIO()
    _Pickler(stream, {SETTINGS_ID: settings, CONTEXT_ID: context}).dump(value)
    return stream.getvalue()


def loads(data: bytes, settings, context=None):
    return _Unpickler(io.BytesIO(data), {SETTINGS_ID: settings, CONTEXT_ID: context}).load()


@dataclass
class Entry:
    payload: bytes  # the pickled (content, metadata) of the reader
    log: list[tuple[int, str]] = field(default_factory=list)  # what reading logged, told again on a hit


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
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as stream:
        pickle.dump((FORMAT_VERSION, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


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


def read_entry(read: Callable[[str], tuple], source: str, settings) -> Entry:
    """Read one file with the reader and make its cache entry, with the warnings it logged."""
    from pelican.readers import _filter_discardable_metadata

    collect = CollectedLog()
    root = logging.getLogger()
    root.addHandler(collect)
    try:
        content, metadata = read(source)
    finally:
        root.removeHandler(collect)
    log = [(level, message) for _, level, message in collect.records]
    return Entry(dumps((content, _filter_discardable_metadata(metadata)), settings), log)


def read_all(
    jobs: list[str], read: Callable[[str], tuple], settings, processes: int
) -> Iterable[tuple[str, Entry | None]]:
    """Read the files in worker processes; yield each file's entry (None: left to the build's process)."""
    return in_workers(functools.partial(read_entry, read, settings=settings), jobs, processes)

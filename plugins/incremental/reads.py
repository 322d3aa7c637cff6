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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from build_core.pelican_seam import kept_metadata
from build_core.workers import CollectedLog, in_workers

logger = logging.getLogger(__name__)

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


def read_entry(read: Callable[[str], tuple], source: str, settings) -> Entry:
    """Read one file with the reader and make its cache entry, with the warnings it logged."""
    collect = CollectedLog()
    root = logging.getLogger()
    root.addHandler(collect)
    try:
        content, metadata = read(source)
    finally:
        root.removeHandler(collect)
    log = [(level, message) for _, level, message in collect.records]
    return Entry(dumps((content, kept_metadata(metadata)), settings), log)


def read_all(
    jobs: list[str], read: Callable[[str], tuple], settings, processes: int
) -> Iterable[tuple[str, Entry | None]]:
    """Read the files in worker processes; yield each file's entry (None: left to the build's process)."""
    return in_workers(functools.partial(read_entry, read, settings=settings), jobs, processes)

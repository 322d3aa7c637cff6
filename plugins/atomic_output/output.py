"""What one build writes, what it keeps from the previous build's output, and how the two are committed.

A build writes new and changed files into a staging folder. A plugin that knows a file of the previous
output is still right (the page's inputs did not change) keeps it instead of writing it again. When the
build succeeds, the staged files are moved into the output folder, the files the previous build made
that this one neither wrote nor kept are removed, and the list of the output's files (the manifest) is
saved for the next build. Without a trustworthy previous manifest, the staging folder holds the whole
site and replaces the output folder in one rename, as before.
"""

import datetime as dt
import hashlib
import logging
import os
import pickle
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Record:
    """One output file as the build that made it left it: enough to notice a later hand edit."""

    size: int
    mtime_ns: int
    digest: str | None = None  # sha256 of the bytes, when somebody asked for it
    inputs: str | None = None  # a key of what the file was made from, given by the plugin that wrote it


def file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def record_of(path: Path, digest: str | None = None, inputs: str | None = None) -> Record:
    stat = path.stat()
    return Record(stat.st_size, stat.st_mtime_ns, digest, inputs)


def walk_files(root: Path, skip: set[str] = frozenset()) -> Iterator[str]:
    """Yield the relative paths (with /) of all files under root, but not under the top entries in skip."""
    stack = [""]
    while stack:
        relative = stack.pop()
        with os.scandir(root / relative if relative else root) as entries:
            for entry in entries:
                if not relative and entry.name in skip:
                    continue
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(name)
                else:
                    yield name


@dataclass
class Manifest:
    """The files of an output folder as the last successful build left them."""

    output: str
    files: dict[str, Record] = field(default_factory=dict)
    version: int = MANIFEST_VERSION
    inputs: str | None = None  # a key of everything the build read, given by a plugin (incremental)
    expires: dt.datetime | None = None  # when the clock alone changes the output (upcoming events)


def manifest_path(cache_path: Path, output: Path) -> Path:
    """Return where the manifest of an output folder is kept (one per output folder)."""
    name = hashlib.sha256(str(output).encode()).hexdigest()[:16]
    return cache_path / "output" / f"{name}.manifest"


def commit_marker(manifest_file: Path) -> Path:
    return manifest_file.with_suffix(".committing")


def load_manifest(cache_path: Path, output: Path) -> Manifest | None:
    """Return the previous build's manifest, or None when there is none to trust."""
    path = manifest_path(cache_path, output)
    if commit_marker(path).exists() or not output.is_dir():
        return None  # a commit was interrupted: the output may be a mix of two builds
    try:
        with path.open("rb") as stream:
            manifest = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if not isinstance(manifest, Manifest) or manifest.version != MANIFEST_VERSION:
        return None
    return manifest if manifest.output == str(output) else None


def save_manifest(cache_path: Path, manifest: Manifest) -> None:
    path = manifest_path(cache_path, Path(manifest.output))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as stream:
        pickle.dump(manifest, stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


class BuildOutput:
    """The output of the running build: the staging folder, plus what it keeps from the previous output."""

    def __init__(self, staging: Path, final: Path, previous: Manifest | None):
        self.staging = staging
        self.final = final
        self.previous = previous  # None: nothing can be kept, everything is written anew
        self.kept: dict[str, Record] = {}
        self._digests: dict[str, str] = {}
        self._inputs: dict[str, str] = {}
        self.inputs: str | None = None
        self.expires: dt.datetime | None = None
        self._promised: list[Callable[[], None]] = []
        self._on_discard: list[Callable[[], None]] = []

    def promise(self, finish: Callable[[], None]) -> None:
        """Say that finish() will write files this build has not written yet (pages rendered late).

        It is called before anything looks for files in the staging folder, and before the commit.
        """
        self._promised.append(finish)

    def settle(self) -> None:
        """Make every promised file: call what promise() was given, once each."""
        while self._promised:
            self._promised.pop(0)()

    def on_discard(self, stop: Callable[[], None]) -> None:
        """Say that stop() must be called before the staging folder is thrown away (work still writing
        into it in the background)."""
        self._on_discard.append(stop)

    def discard(self) -> None:
        """The build failed: stop what still writes into the staging folder before it is removed."""
        while self._on_discard:
            try:
                self._on_discard.pop(0)()
            except Exception:  # the build's own error is the one to report
                logger.debug("stopping background work failed", exc_info=True)

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def _intact(self, relative: str) -> Record | None:
        """Return the previous record of a file if the file is still as that build left it."""
        record = self.previous.files.get(relative) if self.previous else None
        if record is None:
            return None
        try:
            stat = (self.final / relative).stat()
        except OSError:
            return None
        return record if (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns) else None

    def keep(self, relative: str) -> bool:
        """Keep a file, or every file of a folder, of the previous output as it is.

        Returns False (and keeps nothing) when the previous output does not hold it intact:
        the caller then writes it anew.
        """
        relative = relative.strip("/")
        if self.previous is None:
            return False
        record = self._intact(relative)
        if record is not None:
            self.kept[relative] = record
            return True
        prefix = f"{relative}/"
        names = [name for name in self.previous.files if name.startswith(prefix)]
        records = {name: self._intact(name) for name in names}
        if not names or any(record is None for record in records.values()):
            return False
        self.kept.update(records)
        return True

    def expires_at(self, moment: dt.datetime) -> None:
        """Say that this build's output is wrong from moment on, even with no change to its inputs."""
        self.expires = moment if self.expires is None else min(self.expires, moment)

    def unchanged_since_previous(self, inputs: str, now: dt.datetime, retained: list[str]) -> bool:
        """Tell whether the previous output is what this build would write: same inputs, not expired,
        and every file as that build left it, none missing, none added."""
        previous = self.previous
        if previous is None or previous.inputs != inputs:
            return False
        if previous.expires is not None and now >= previous.expires:
            return False
        on_disk = set(walk_files(self.final, skip={name.strip("/") for name in retained}))
        return on_disk == set(previous.files) and all(self._intact(name) for name in previous.files)

    def previous_inputs(self, relative: str) -> str | None:
        """Return the inputs key the previous build noted for a file (see note_inputs)."""
        record = self.previous.files.get(relative.strip("/")) if self.previous else None
        return record.inputs if record else None

    def note_inputs(self, relative: str, inputs: str) -> None:
        """Note what a file of this build is made from; the next build compares it to decide to keep it."""
        self._inputs[relative.strip("/")] = inputs

    def keep_if_unchanged(self, relative: str, inputs: str) -> bool:
        """Keep a file of the previous output if it was made from the same inputs; note them either way."""
        self.note_inputs(relative, inputs)
        return self.previous_inputs(relative) == inputs and self.keep(relative)

    def find(self, relative: str) -> Path | None:
        """Return where a file of this build is now: staged, or kept in the previous output."""
        self.settle()
        relative = relative.strip("/")
        staged = self.staging / relative
        if staged.is_file():
            return staged
        if relative in self.kept:
            return self.final / relative
        return None

    def digest(self, relative: str) -> str | None:
        """Return the sha256 of a file of this build (remembered between builds for kept files)."""
        relative = relative.strip("/")
        if relative in self._digests:
            return self._digests[relative]
        kept = self.kept.get(relative)
        if kept is not None and kept.digest is not None and not (self.staging / relative).is_file():
            return kept.digest
        location = self.find(relative)
        if location is None:
            return None
        self._digests[relative] = file_digest(location)
        return self._digests[relative]

    # --- when the build succeeded -----------------------------------------------------------

    def staged_records(self) -> dict[str, Record]:
        self.settle()
        return {
            name: record_of(self.staging / name, self._digests.get(name), self._inputs.get(name))
            for name in walk_files(self.staging)
        }

    def commit(self, cache_path: Path, retained: list[str]) -> None:
        """Put this build's files in the output folder and remember them for the next build."""
        if self.previous is None:
            staged = self.staged_records() if self.staging.is_dir() else {}
            swap_in(self.staging, self.final, retained)
            # The rename kept every file's size and mtime: the records stay true.
            save_manifest(cache_path, self._manifest(staged))
            return
        marker = commit_marker(manifest_path(cache_path, self.final))
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        staged = self.staged_records()
        for name in staged:
            target = self.final / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            os.replace(self.staging / name, target)
        files = {**self.kept, **staged}
        # Whatever else is in the output folder (the previous build's leftovers, stray files) goes,
        # as a whole new folder would drop it; the retained entries (OUTPUT_RETENTION) stay.
        retained_names = {name.strip("/") for name in retained}
        for name in walk_files(self.final, skip=retained_names):
            if name not in files:
                remove_file(self.final, name)
        shutil.rmtree(self.staging, ignore_errors=True)
        save_manifest(cache_path, self._manifest(files))
        marker.unlink()

    def _manifest(self, files: dict[str, Record]) -> Manifest:
        return Manifest(str(self.final), files, inputs=self.inputs, expires=self.expires)


def remove_file(root: Path, relative: str) -> None:
    """Remove a file and the folders it leaves empty, up to root."""
    path = root / relative
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        return
    parent = path.parent
    while parent != root:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def swap_in(staging: Path, final: Path, keep: list[str]) -> None:
    """Put staging in place of final with two renames, carrying over the entries in keep."""
    staging.mkdir(parents=True, exist_ok=True)
    retired = final.with_name(f"{final.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    if final.exists() or final.is_symlink():
        for name in keep:  # Pelican's OUTPUT_RETENTION, e.g. a .git folder
            if (final / name).exists() and not (staging / name).exists():
                (final / name).rename(staging / name)
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)

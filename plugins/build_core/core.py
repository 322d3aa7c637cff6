"""The build: one object per Pelican instance holding what its runs make, keep and share.

Plugins reach it through `current_build()` (set for the duration of each run; forked workers inherit
it), never through `settings`, which is configuration only. It holds the staging output, the stores
kept between builds, the number of worker processes, what render workers carry back (carriers), the
steps promised before the output is read, and one part per plugin that keeps state of its own
(`part(cls)`). Its per-run fields start afresh at every run of the same Pelican (autoreload).
"""

import contextlib
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from atomic_output.output import BuildOutput
from l10n.messages import _

from .stores import FileStore
from .tree import ContentTree

DEFAULTS = {
    # Worker processes for reading, checking, rendering and pictures; 0: one per core.
    "BUILD_WORKERS": 0,
    # Reuse what earlier builds made (reader results, unchanged pages); False: build everything anew.
    "INCREMENTAL": True,
}

_current: ContextVar["Build | None"] = ContextVar("build", default=None)
Part = TypeVar("Part")


def current_build() -> "Build | None":
    """Return the build running in this process (or the one a worker was forked from), else None."""
    return _current.get()


def available_cores() -> int:
    """Return how many cores this process may use."""
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(settings) -> int:
    """Return how many worker processes to use: BUILD_WORKERS, or one per available core for 0."""
    count = settings.get("BUILD_WORKERS", DEFAULTS["BUILD_WORKERS"]) if settings else 0
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        wrong = _(
            "BUILD_WORKERS must be 0 (one per core) or a positive number, not {value}", value=repr(count)
        )
        raise SystemExit(str(_("Build stopped: {error}", error=wrong)))
    return count or available_cores()


def cache_root(settings) -> Path:
    """Return the folder a build keeps its caches in (CACHE_PATH)."""
    return Path(settings.get("CACHE_PATH") or "cache").absolute()


class Steps:
    """Work to call later, once each, in the order it was given."""

    def __init__(self):
        self._steps: list[Callable[[], None]] = []

    def add(self, step: Callable[[], None]) -> None:
        self._steps.append(step)

    def run(self) -> None:
        while self._steps:
            self._steps.pop(0)()

    def run_each(self, failed: Callable[[Exception], None]) -> None:
        """Call every step even when one fails; failed(error) is told of each failure."""
        while self._steps:
            try:
                self._steps.pop(0)()
            except Exception as error:
                failed(error)


class Build:
    """One Pelican instance's build: where it writes, what it keeps, and what its plugins share."""

    def __init__(self, settings: dict, final: Path, staging: Path):
        self.settings = settings
        self.final = final  # the output folder editors and deploys see
        self.staging = staging  # where each run writes, swapped in for final when it succeeds
        self.workers = worker_count(settings)
        self.incremental = bool(settings.get("INCREMENTAL", DEFAULTS["INCREMENTAL"]))
        self.start_run()

    def start_run(self) -> None:
        """Forget what the last run of this Pelican held."""
        self.output: BuildOutput | None = None
        self.stores: dict[str, FileStore] = {}
        self.carriers: list = []  # what render workers bring back: take() there, give() here, save()
        self.writer_steps: list[Callable] = []  # each given Pelican's writer before it writes
        self.promised = Steps()  # files still to be made before anything reads the staging folder
        self.on_discard = Steps()  # work still writing into staging, stopped before it is removed
        self.after_commit = Steps()  # work that must wait until the new site is in place
        self._tree: ContentTree | None = None
        self._parts: dict[type, object] = {}

    @contextlib.contextmanager
    def running(self) -> Iterator["Build"]:
        """Make this the current build for the duration of a run."""
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)

    @property
    def content(self) -> Path:
        return Path(self.settings["PATH"]).absolute()

    @property
    def tree(self) -> ContentTree:
        """The content folder as it was when the run first looked (one walk for every question)."""
        if self._tree is None:
            self._tree = ContentTree(self.settings["PATH"])
        return self._tree

    def part(self, cls: type[Part], make: Callable[[], Part] | None = None) -> Part:
        """Return this run's instance of a plugin's state class, made (by make, else cls()) on first use."""
        found = self._parts.get(cls)
        if found is None:
            found = self._parts[cls] = make() if make is not None else cls()
        return found

    def cache_file(self, name: str) -> Path:
        """Return where a plugin keeps something of its own between builds."""
        return cache_root(self.settings) / "incremental" / name

    def store(self, name: str) -> FileStore:
        """Return the store of per-source values called name, loaded on first use."""
        if name not in self.stores:
            self.stores[name] = FileStore(self.cache_file(name))
        return self.stores[name]

    def settle(self) -> None:
        """Make every promised file (pages rendered late): call before reading the staging folder."""
        self.promised.run()

    def save(self) -> None:
        """Keep what this run worked out for later builds: the carriers' and the stores' values."""
        for carrier in self.carriers:
            carrier.save()
        for store in self.stores.values():
            store.save()


def expire_output_at(moment) -> None:
    """Say that the running build's output needs a new build from moment on (a no-op outside a build)."""
    build = current_build()
    if build is not None and build.output is not None:
        build.output.expires_at(moment)


def content_tree(root: Path) -> ContentTree:
    """The walk of root: the running build's one walk when root is its content folder, else a walk now."""
    build = current_build()
    if build is not None and Path(root).absolute() == build.content:
        return build.tree
    return ContentTree(str(root))


def markdown_files(root: Path) -> list[Path]:
    """Every .md file under root (none behind a link), sorted; listed once per build for every check."""
    root = Path(root)
    return [root / name for name in content_tree(root).markdown]

"""Run Pagefind on shards in the background, a few at a time, while the build goes on writing.

Pagefind needs the stories and static pages only, which are written before the listings, feeds,
calendars and sitemap; it runs beside those. Pagefind runs as plain child processes, with no thread
waiting on them: the build forks its render workers meanwhile, and forking a process with threads
can leave a worker waiting for a lock forever.
"""

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from atomic_output.output import same_file, walk_files
from l10n.messages import _

from .shards import Shard

# Pagefind's own interfaces; the search page has its own (theme/static/js/search.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
ENTRY_FILE = "pagefind-entry.json"


def stable_entry(text: str) -> str:
    """Return Pagefind's entry file with its languages sorted: Pagefind writes them in any order."""
    entry = json.loads(text)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


@dataclass
class ShardJob:
    """Pagefind indexing one shard: its pages hard-linked into a folder of their own, kept between builds."""

    shard: Shard
    folder: str  # the bundle's folder relative to the output, e.g. pagefind/ru/2025
    staging: Path
    site: Path  # the shard's pages, hard-linked at their paths: what Pagefind reads (see mirror_pages)
    process: subprocess.Popen | None = None

    @property
    def target(self) -> Path:
        return self.staging / self.folder

    @property
    def log(self) -> Path:
        return self.staging / f".search-{self.shard.lang}-{self.shard.name}.log"

    def start(self, executable: Path, pages: dict[str, Path]) -> None:
        shutil.rmtree(self.target, ignore_errors=True)
        mirror_pages(self.site, {path: pages[path] for path in self.shard.paths})
        command = [str(executable), "--site", str(self.site), "--output-path", str(self.target), "--silent"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def finish(self) -> None:
        """Wait for Pagefind; tidy its bundle, or stop the build with what Pagefind said."""
        returncode = self.process.wait()
        said = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        self.log.unlink(missing_ok=True)
        if returncode != 0:
            # Pagefind's last line is its own (English) reason, quoted for whoever looks into it.
            if said:
                failed = _(
                    "search: Pagefind could not index {folder} (it said: {said}); build again, and if it "
                    "fails again, tell the site's maintainer",
                    folder=str(self.folder),
                    said=said[-1],
                )
            else:
                failed = _(
                    "search: Pagefind could not index {folder}; build again, and if it fails again, "
                    "tell the site's maintainer",
                    folder=str(self.folder),
                )
            raise SystemExit(failed)
        for name in UNUSED_BUNDLE_FILES:
            (self.target / name).unlink(missing_ok=True)
        entry = self.target / ENTRY_FILE
        if entry.is_file():  # two builds of the same content must give the same bytes
            entry.write_text(stable_entry(entry.read_text(encoding="utf-8")), encoding="utf-8")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.unlink(missing_ok=True)


def mirror_pages(site: Path, pages: dict[str, Path]) -> None:
    """Make site hold exactly the given pages (site path -> where the page is now), as hard links.

    The folder is kept between builds: a story page sits in a folder of its own, and making a
    folder costs a thousand times what a link does (half a second for a year of stories), so only
    the links of changed pages are made again, and folders only for new pages.
    """
    root = str(site)
    present = set(walk_files(site)) if site.is_dir() else set()
    for gone in present - pages.keys():
        os.unlink(f"{root}/{gone}")
    for path, source in pages.items():
        link = f"{root}/{path}"
        if path in present:
            if same_file(str(source), link):
                continue
            os.unlink(link)
        else:
            os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.link(source, link)
        except OSError:  # another file system: a copy indexes the same
            shutil.copyfile(source, link)


@dataclass
class Indexing:
    """The shards to index: up to `jobs` Pagefind processes at a time, the next started as one ends."""

    executable: Path
    pages: dict[str, Path]  # every page of the shards -> where it is now (staged or kept)
    jobs: int
    waiting: list[ShardJob] = field(default_factory=list)
    running: list[ShardJob] = field(default_factory=list)

    def start(self) -> None:
        while self.waiting and len(self.running) < max(1, self.jobs):
            job = self.waiting.pop(0)
            self.running.append(job)
            job.start(self.executable, self.pages)

    def finish(self) -> None:
        """Wait for every shard, starting the waiting ones as places come free."""
        try:
            self.start()
            while self.running:
                done = next((job for job in self.running if job.process.poll() is not None), None)
                if done is None:
                    time.sleep(0.01)
                    continue
                self.running.remove(done)
                done.finish()
                self.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every Pagefind still running (the build failed): nothing writes into staging after."""
        for job in self.running + self.waiting:
            job.stop()
        self.running, self.waiting = [], []

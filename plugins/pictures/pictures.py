"""Publish story pictures as responsive derivatives made at build time, cached, in parallel, safely."""

import logging
import os
import re
import shutil
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from build_core.core import current_build
from build_core.workers import worker_pool
from content_format import stop_build
from content_format.checks import Problem, add_content_check, shown
from content_format.reader import add_reader_part
from incremental import source_memo
from l10n.messages import Message, _, ngettext
from progress import track

from .checks import check_pictures
from .geometry import Derivative
from .options import DEFAULTS, Options, SettingsError, options_of
from .plan import PictureSource, PictureUse
from .processing import Job, JobResult, Store, StoreUse, make_derivatives
from .reader import PicturesPart
from .references import naming

logger = logging.getLogger(__name__)

__all__ = ["DEFAULTS", "PicturesGenerator", "register"]

PUBLISHED_NAME = re.compile(r"^[a-z0-9-]+-\d+x\d+\.[0-9a-f]{10}\.(?:webp|jpg|png)$")


@dataclass
class PicturesRun:
    """What one build does with pictures: the jobs, what was made and reused, for the log and tests."""

    uses: list[tuple[str, PictureUse]] = field(default_factory=list)  # (shown content path, use)
    jobs: list[Job] = field(default_factory=list)
    made: int = 0
    reused: int = 0
    published: dict[str, Derivative] = field(default_factory=dict)  # by name


def collect_uses(contents: Iterable) -> list[tuple[str, PictureUse]]:
    """Return every picture use of the given stories and pages, with the file that shows it."""
    seen, uses = set(), []
    for content in contents:
        if id(content) in seen:
            continue
        seen.add(id(content))
        for use in getattr(content, "pictures", None) or []:
            uses.append((shown(Path(content.source_path)), use))
    return uses


def plan_jobs(uses: list[tuple[str, PictureUse]], store: Store) -> tuple[list[Job], int]:
    """Group the derivatives still missing from the store by source; return the jobs and how many exist."""
    wanted: dict[str, tuple[PictureSource, dict[str, Derivative]]] = {}
    for _where, use in uses:
        source, derivatives = wanted.setdefault(use.source.digest, (use.source, {}))
        derivatives.update((d.key, d) for d in use.derivatives)
    jobs, present = [], 0
    for digest, (source, derivatives) in wanted.items():
        missing = tuple(d for key, d in sorted(derivatives.items()) if not store.has(d))
        present += len(derivatives) - len(missing)
        if missing:
            jobs.append(Job(source.path, digest, source.probe, missing))
    # Largest sources first, so no core is left with one big picture at the end.
    jobs.sort(key=lambda job: -job.probe.raw_size[0] * job.probe.raw_size[1])
    return jobs, present


def making(count: int) -> Message:
    return ngettext("Making {count} picture", "Making {count} pictures", count)


class Processing:
    """Jobs running on all cores while the rest of the build goes on; results() waits for them.

    Nothing needs the derivatives' bytes before this plugin's generate_output (pages only name
    them, feeds read their sizes later), so the articles, pages and listings are rendered by the
    main process while the workers encode: on two cores most of the picture time is then hidden.
    With one worker (or one core) the jobs run here and now, in this process.
    """

    def __init__(self, jobs: list[Job], store: Store, options: Options):
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict = {}
        self._results: list[JobResult] | None = None
        workers = min(options.workers, len(jobs))
        if workers <= 1:
            self._results = [
                make_derivatives(job, store, options.max_pixels) for job in track(jobs, making(len(jobs)))
            ]
            return
        self._pool = worker_pool(workers)
        self._futures = {
            self._pool.submit(make_derivatives, job, store, options.max_pixels): job for job in jobs
        }

    def results(self) -> list[JobResult]:
        """Wait for every job; a worker that died is reported against its job's picture."""
        if self._results is None:
            results = []
            try:
                for future in track(as_completed(self._futures), making(len(self._futures))):
                    job = self._futures[future]
                    try:
                        results.append(future.result())
                    except BrokenProcessPool:
                        died = _(
                            "picture '{picture}' could not be processed: a worker process died "
                            "(out of memory?); build again"
                        )
                        results.append(JobResult(job.digest, 0, died))
            finally:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._results = results
        return self._results


def run_jobs(jobs: list[Job], store: Store, options: Options) -> list[JobResult]:
    """Run the jobs on all cores (in this process when there is one job or one core) and wait."""
    return Processing(jobs, store, options).results()


def publish(derivatives: dict[str, Derivative], store: Store, folder: Path) -> int:
    """Link (or copy) each derivative from the cache into the output folder; remove stale ones there."""
    if derivatives:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        return 0
    written = 0
    for name, derivative in derivatives.items():
        target, cached = folder / name, store.path(derivative)
        if target.is_file() and target.stat().st_size == cached.stat().st_size:
            continue  # the name carries the key: same name and size, same picture
        temporary = folder / f".{name}.tmp"
        temporary.unlink(missing_ok=True)
        try:
            os.link(cached, temporary)
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(cached, temporary)
        os.replace(temporary, target)
        written += 1
    for path in folder.iterdir():
        if (
            path.is_file()
            and path.name not in derivatives
            and (PUBLISHED_NAME.match(path.name) or path.name.endswith(".tmp"))
        ):
            path.unlink()
    return written


class PicturesGenerator(Generator):
    """Make every picture derivative the site needs once, before anything is written; then publish them."""

    def generate_context(self):
        self.options = options_of(self.settings)
        self.store = Store(self.options.cache_path)
        # Held to the end of the build (the feeds still read cached covers after the pictures are
        # published): orphans are pruned once the new site is in place; a failed build just lets go.
        self.hold = StoreUse(self.store.root)
        self.build = current_build()
        self.pruned_later = self.build is not None
        if self.pruned_later:
            self.build.on_discard.add(self.hold.release)
            self.build.after_commit.add(self.prune_orphans)
        self.report = run = PicturesRun()
        contents = [
            *self.context.get("articles", []),
            *self.context.get("pages", []),
            *self.context.get("hidden_pages", []),
        ]
        contents += [t for c in list(contents) for t in getattr(c, "translations", [])]
        run.uses = collect_uses(contents)
        for _where, use in run.uses:
            run.published.update((d.name, d) for d in use.derivatives)
        run.jobs, run.reused = plan_jobs(run.uses, self.store)
        # Started now, waited for in generate_output: see Processing.
        self.processing = Processing(run.jobs, self.store, self.options)

    def _check_results(self) -> None:
        """Stop the build (the output folder left as it was) when a picture could not be made."""
        run = self.report
        results = {result.digest: result for result in self.processing.results()}
        run.made = sum(result.made for result in results.values())
        problems = []
        for where, use in run.uses:
            result = results.get(use.source.digest)
            if result and result.error:
                problems.append(Problem(where, use.line, naming(result.error, use.reference)))
        # Animated pictures were named by the content checks before the build (pictures.checks).
        stop_build(problems)

    def generate_output(self, writer):
        if self.report.jobs and self.build is not None:
            # The pages noted so far (stories, listings) are rendered now, beside the picture workers,
            # rather than after them: no core waits for the last pictures.
            self.build.settle()
        self._check_results()
        run = self.report
        self.written = publish(run.published, self.store, Path(self.output_path) / self.options.url_folder)
        if not self.pruned_later:  # no build core: the build ends here as far as pictures go
            self.prune_orphans()

    def prune_orphans(self) -> None:
        """Remove the cached derivatives this site does not use, unless another build holds the cache."""
        run = self.report
        try:
            # While another build uses the cache, what this one does not use may be what that one links.
            alone = self.hold.alone()
            pruned = self.store.prune({self.store.path(d) for d in run.published.values()}) if alone else []
        finally:
            self.hold.release()
        # Counts and the cache folder for maintainers (INFO, shown with -v): English, as Pelican's log is.
        logger.info(
            "Pictures: %d derivative(s) made, %d reused, %d published, %d orphan(s) pruned from %s%s",
            run.made,
            run.reused,
            self.written,
            len(pruned),
            self.store.root,
            "" if alone else " (another build uses it: orphans are left to a later build)",
        )


def validate_settings(pelican) -> None:
    """Check the PICTURES_* settings once, before the build; stop with one line when one is wrong."""
    try:
        options_of(pelican.settings)
    except SettingsError as error:
        print(_("Build stopped: {error}", error=error.message), file=sys.stderr)
        raise


def check_content_pictures(content_root: Path, settings: dict | None = None) -> list[Problem]:
    """Add the picture checks to content_format's (before each build, and `invoke check`).

    The registry runs them only for settings that enable this plugin (add_content_check); outside a
    build's settings there is nothing to check pictures against.
    """
    if not settings:
        return []
    memo = source_memo("picture-checks")
    return check_pictures(content_root, options_of(settings), memo, settings)


def get_generators(pelican_object):
    return PicturesGenerator


def register():
    signals.initialized.connect(validate_settings)
    add_content_check("pictures", check_content_pictures)
    add_reader_part("pictures", PicturesPart)
    signals.get_generators.connect(get_generators)

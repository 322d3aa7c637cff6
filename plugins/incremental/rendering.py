"""Render the pages a build writes on all cores.

Once the generators have made the site's context, a page is a function of its template and what it is
given. So the writer's calls are noted as they come and rendered together when the generators are
done, by forked worker processes that share the build's memory: nothing is sent to a worker but page
numbers, and each page comes out byte for byte as the build's own process would render it. What a
worker logs is logged again by the build, in page order (so an error still fails the build), and a
page that fails raises its error in the build. What a worker works out for later builds (a carrier's
take(), e.g. the story cards it rendered) is given to the build's carrier (give()) to keep.

Pages that Pelican paginates itself, that would be a second write of a file, or that use relative
URLs (rendering one changes the context of the next) are rendered at once, as before. So are all
pages of a build with few of them: a pool costs more than it saves. Receivers of Pelican's
`content_written` signal would hear of deferred pages in a worker only; no plugin here listens to it.
"""

import gc
import logging
import multiprocessing
import pickle
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from build_core.pelican_seam import already_written, forget_written, note_written, output_file
from build_core.workers import CollectedLog, worker_pool
from l10n.messages import Message, _, ngettext
from progress import track

logger = logging.getLogger(__name__)

# Fewer pages than this are rendered in the build's own process.
POOL_THRESHOLD = 48
# Pages handed to a worker at a time: large enough to make the hand-over cheap, small enough to share
# the last pages evenly.
CHUNK = 16


class Carrier(Protocol):
    """Something a render worker works out that the build keeps: take() in the worker, give() in the build."""

    def take(self) -> object: ...

    def give(self, taken: object) -> None: ...


@dataclass
class Page:
    """One call of the writer's write_file, noted to be made later."""

    path: str  # where the writer puts it (its own bookkeeping of written files)
    args: tuple
    kwargs: dict


class DeferredRendering:
    """The pages of one build whose rendering waits until the generators are done."""

    def __init__(
        self,
        writer,
        write_file: Callable,
        processes: int,
        promise: Callable[[Callable], None],
        carriers: Sequence[Carrier] = (),
    ):
        """promise(finish) is told of each new batch of noted pages (the build calls finish before anything
        reads the output); carriers is what the workers bring back (the build's own list: carriers may
        join it later)."""
        self.writer, self.write_file, self.processes = writer, write_file, processes
        self._promise = promise
        self.carriers = carriers
        self.pages: list[Page] = []
        self._context: dict | None = None
        self.rendered = 0  # pages of earlier batches: a later batch's progress says "more"

    def defer(self, name, template, context, relative_urls, paginated, template_name, override, url, kwargs):
        """Note a page to render later; False when it must be rendered now (see the module's doc)."""
        settings = self.writer.settings
        if relative_urls or paginated is not None or not name:
            return False
        paginates = template_name in settings.get("PAGINATED_TEMPLATES", {})
        if paginates and ("articles" in kwargs or "dates" in kwargs):
            return False  # Pelican would paginate it into several files
        path = output_file(self.writer, name)
        if already_written(self.writer, path):
            return False  # Pelican says what is wrong with writing a file twice
        # Noted as Pelican's writer notes a written file, so that a later page of the same name is
        # refused (or skipped, after an override) as it would be.
        note_written(self.writer, path, override)
        # The context as it is now: a generator may change it before the pages are rendered. Pages in a
        # row share one copy while it does not change.
        if self._context is None or self._context != context:
            self._context = dict(context)
        args = (name, template, self._context, relative_urls, paginated, template_name, override, url)
        if not self.pages:  # a new batch (the output may settle more than once)
            self._promise(self.finish)
        self.pages.append(Page(path, args, kwargs))
        return True

    def finish(self) -> None:
        """Render every noted page: in worker processes when there are many and more than one core."""
        pages, self.pages, self._context = self.pages, [], None
        if not pages:
            return
        forking = "fork" in multiprocessing.get_all_start_methods()
        started = time.perf_counter()
        if len(pages) < POOL_THRESHOLD or self.processes < 2 or not forking:
            for page in track(pages, rendering_message(len(pages), self.rendered)):
                render(self.writer, self.write_file, page)
            self.rendered += len(pages)
            # Timings are for maintainers (shown at INFO, with -v): English, as Pelican's own are.
            logger.info("Rendered %d pages in %.2f s", len(pages), time.perf_counter() - started)
            return
        outcomes = render_in_workers(self, pages)
        self.rendered += len(pages)
        # For maintainers (INFO, with -v): English, as Pelican's own timings are.
        logger.info(
            "Rendered %d pages in %.2f s by %d processes",
            len(pages),
            time.perf_counter() - started,
            self.processes,
        )
        failure = None
        for index in range(len(pages)):
            records, error = outcomes[index]
            for name, level, message in records:
                logging.getLogger(name).log(level, "%s", message)
            if error is not None and failure is None:
                failure = error
        if failure is not None:
            raise failure


def rendering_message(count: int, earlier: int = 0) -> Message:
    """Name a batch of pages to render; the output settles more than once, so later batches say "more"."""
    if not earlier:
        return ngettext("Rendering {count} page", "Rendering {count} pages", count)
    return ngettext(
        "Rendering {count} more page ({total} in all)",
        "Rendering {count} more pages ({total} in all)",
        count,
        total=earlier + count,
    )


def render(writer, write_file: Callable, page: Page) -> None:
    # The writer was told of the file when the page was noted: it must not take it for a second write.
    forget_written(writer, page.path)
    try:
        write_file(*page.args, **page.kwargs)
    except Exception as error:
        # Name the story or page on the error: a worker's error reaches the build without its frames.
        content = page.kwargs.get("article") or page.kwargs.get("page")
        if content is not None and not hasattr(error, "source_path"):
            error.source_path = content.source_path
        raise


# The rendering and its pages, inherited by the workers when they are forked (set just before).
_work: tuple[DeferredRendering, list[Page]] | None = None


def _portable(error: BaseException) -> BaseException:
    """The error itself if it can travel back to the build, else one with its class name and message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        portable = RuntimeError(f"{type(error).__name__}: {error}")
        portable.source_path = getattr(error, "source_path", None)
        return portable
    return error


def _render_chunk(start: int) -> tuple[list[tuple[int, list, BaseException | None]], list]:
    rendering, pages = _work
    root = logging.getLogger()
    collect = CollectedLog()
    # Only the build prints: it logs what the workers collected again.
    root.handlers[:] = [collect]
    outcomes = []
    for index in range(start, min(start + CHUNK, len(pages))):
        page = pages[index]
        collect.records = []
        error = None
        try:
            render(rendering.writer, rendering.write_file, page)
        except BaseException as failure:  # told to the build, which raises it
            error = _portable(failure)
        outcomes.append((index, collect.records, error))
    return outcomes, [carrier.take() for carrier in rendering.carriers]


def render_in_workers(rendering: DeferredRendering, pages: list[Page]) -> dict[int, tuple[list, object]]:
    """Render the pages in forked workers; return each page's log records and error, by page number."""
    global _work
    _work = (rendering, pages)
    # Objects made before the fork are left out of the workers' garbage collection, which would
    # otherwise touch (and so copy) every page of the build's memory.
    gc.freeze()
    outcomes = {}
    try:
        with worker_pool(rendering.processes, multiprocessing.get_context("fork")) as pool:
            for chunk, carried in track(
                pool.map(_render_chunk, range(0, len(pages), CHUNK)),
                rendering_message(len(pages), rendering.rendered),
                lambda done: len(done[0]),
            ):
                for index, records, error in chunk:
                    outcomes[index] = (records, error)
                for carrier, taken in zip(rendering.carriers, carried, strict=True):
                    carrier.give(taken)
    except BrokenProcessPool:
        raise SystemExit(
            _(
                "A worker process rendering the pages died (out of memory?); "
                "the output folder was left as it was: build again"
            )
        ) from None
    finally:
        _work = None
        gc.unfreeze()
    return outcomes

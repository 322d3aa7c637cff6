"""Work out many independent things on all cores, in forked processes that share the build's memory."""

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

from .core import current_build, worker_count

# Fewer jobs than this are left to the build's own process: a pool costs more than it saves.
POOL_THRESHOLD = 24


class CollectedLog(logging.Handler):
    """The warnings and errors logged while it is attached, as (logger name, level, message),
    for the build to log again: work done in a worker, or remembered from an earlier build."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_parent(parent: int) -> None:
    """Make this worker process die as soon as the build process (parent) dies; a pool's initializer.

    A worker waits on its pool's pipe, which its own copy keeps open: without this, a build killed
    with SIGKILL leaves its workers running for ever.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: workers then end only when their pool closes
        return
    # SIGKILL, since a forked worker inherits the build's signal handlers, which may catch SIGTERM.
    # The kernel sends it when the thread that forked the worker ends: pools are made by the build's
    # main thread, which lasts as long as the build.
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the build died before prctl ran: this worker has a new parent already
        os.kill(os.getpid(), signal.SIGKILL)


def worker_pool(processes: int, context: BaseContext | None = None) -> ProcessPoolExecutor:
    """Return a pool of worker processes that end when the build process ends, however it ends."""
    return ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=end_with_parent, initargs=(os.getpid(),)
    )


# The task the workers inherit when they are forked (set just before).
_task: Callable | None = None


def _work(job):
    try:
        return job, _task(job)
    except BaseException:  # done again by the build's own process, which reports it properly
        return job, None


def in_workers(task: Callable, jobs: list, processes: int) -> Iterable[tuple[object, object]]:
    """Yield (job, task(job)) as the workers finish them, in any order.

    The result is None where the task failed in a worker. Nothing is yielded for a few jobs, one
    process or a system without fork: the caller then does the jobs itself, as it does the failed ones.
    """
    global _task
    if len(jobs) < POOL_THRESHOLD or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    _task = task
    try:
        forked = multiprocessing.get_context("fork")
        with forked.Pool(processes, initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
            chunk = max(1, min(32, len(jobs) // (processes * 8)))
            yield from pool.imap_unordered(_work, jobs, chunksize=chunk)
    finally:
        _task = None


def on_all_cores(settings, task: Callable, jobs: list) -> Iterable[tuple[object, object]]:
    """Yield (job, task(job)) worked out by the build's worker processes (see in_workers).

    Outside a build (`invoke check`) the BUILD_WORKERS setting says how many.
    """
    build = current_build()
    return in_workers(task, jobs, build.workers if build is not None else worker_count(settings))

"""Work out many independent things on all cores, in forked processes that share the build's memory."""

import logging
import multiprocessing
from collections.abc import Callable, Iterable

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
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            chunk = max(1, min(32, len(jobs) // (processes * 8)))
            yield from pool.imap_unordered(_work, jobs, chunksize=chunk)
    finally:
        _task = None

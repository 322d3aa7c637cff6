"""One run of a build: lock the output folder, build into staging, then commit it or throw it away.

A build writes what is new or changed into the staging folder; plugins may keep files of the previous
output that are still right, and the commit swaps the whole new site in at once (atomic_output). Any
logged error throws the staging folder away. A file that cannot be written (a full disk, no permission,
a read-only file system) stops the build with one line naming it. One build at a time writes an output
folder: a second one started meanwhile stops at once, having touched nothing.
"""

import logging
import shutil
import sys
from collections.abc import Callable

from atomic_output.atomic_output import (
    BuildFailed,
    ErrorCounter,
    OutputBusy,
    OutputNotWritten,
    Unchanged,
    output_lock,
    remove_leftovers,
    write_failure,
)
from atomic_output.output import BuildOutput, load_manifest, lock_path, prune_manifests
from l10n.messages import _, ngettext
from progress import announce, finished

from .core import Build, cache_root

logger = logging.getLogger(__name__)


def start(build: Build, counter: ErrorCounter) -> None:
    """Empty the staging folder, read what the last build left, and start counting logged errors."""
    build.start_run()
    shutil.rmtree(build.staging, ignore_errors=True)
    build.staging.mkdir(parents=True)
    previous = load_manifest(cache_root(build.settings), build.final)
    build.output = BuildOutput(build.staging, build.final, previous)
    counter.count = 0
    logging.getLogger().addHandler(counter)


def throw_away(build: Build) -> None:
    """Remove the run's staging folder, after what still writes into it has stopped."""

    def failed(error: Exception) -> None:  # the build's own error is the one to report
        logger.debug("stopping background work failed: %s", error)

    build.on_discard.run_each(failed)
    shutil.rmtree(build.staging, ignore_errors=True)


def tidying_failed(error: Exception) -> None:
    """Warn that work after the commit failed: the site is in place, so the build does not fail."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    logger.warning(
        _(
            "The new site is in place, but tidying up after the build failed ({reason}); "
            "the next build tries again",
            reason=reason,
        )
    )


def commit(build: Build, counter: ErrorCounter) -> None:
    """Swap the staging folder in, or throw it away if any error was logged."""
    if counter.count:
        throw_away(build)
        failed = ngettext(
            "Build failed: {count} error logged above; the output folder {folder} was left as it was.",
            "Build failed: {count} errors logged above; the output folder {folder} was left as it was.",
            counter.count,
            folder=str(build.final),
        )
        print(failed, file=sys.stderr)
        raise BuildFailed(counter.count)
    announce(_("Putting the new site in place"))
    cache = cache_root(build.settings)
    build.output.commit(cache, list(build.settings.get("OUTPUT_RETENTION", [])))
    build.after_commit.add(lambda: prune_manifests(cache, build.final))
    build.after_commit.run_each(tidying_failed)
    finished()  # the closing line (Done: …) comes last


def build_and_commit(build: Build, pelican_run: Callable[[], None]) -> None:
    """Run Pelican into the staging folder, then commit it (or throw it away)."""
    remove_leftovers(build.final)
    counter = ErrorCounter()
    try:
        try:
            start(build, counter)
            pelican_run()
            build.settle()  # files promised by plugins are made before the errors are counted
        except Unchanged as reason:
            throw_away(build)
            print(reason)  # like Pelican's own "Done: …" line
            return
        except BaseException:
            throw_away(build)
            raise
        try:
            logging.getLogger().removeHandler(counter)
            commit(build, counter)
        except OSError:
            throw_away(build)  # the commit failed before the exchange: the output is as it was
            raise
    finally:
        logging.getLogger().removeHandler(counter)


def run_build(build: Build, pelican_run: Callable[[], None]) -> None:
    """Run Pelican once as this build: the output folder locked, the build current, failures one line."""
    try:
        with output_lock(lock_path(cache_root(build.settings), build.final), build.final), build.running():
            build_and_commit(build, pelican_run)
    except OutputBusy as busy:
        print(busy.line, file=sys.stderr)
        raise
    except OSError as error:
        line = write_failure(error, build.final, build.staging)
        if line is None:
            raise
        print(line, file=sys.stderr)
        raise OutputNotWritten(line) from None

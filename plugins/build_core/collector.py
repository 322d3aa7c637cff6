"""Python's cycle collector, tuned for a build that holds tens of thousands of long-lived objects.

A build keeps every story of the archive in memory (9,000 at 5,000 stories a language, each with
its metadata, tags and links), and makes millions of short-lived objects around them. With the
default thresholds (700, 10, 10) the collector looks through the whole heap again each time it has
grown by a quarter: eight full passes in a rebuild at 5,000 stories, 0.7 s of a 5 s build, finding
almost nothing. And at exit the interpreter runs one more full pass before it frees the heap.

Refcounting frees almost everything a build makes; the collector is only needed for cycles. So it
runs a hundred times less often (young objects are still looked at every 100,000 allocations, and
the cycles a build makes, a few per page, are freed then), and the heap is frozen at exit, where
no pass can free anything that matters.
"""

import atexit
import gc

# Allocations between collections of the youngest generation (700 by default), then how many of
# those before the middle one, and of those before a full pass.
BUILD_THRESHOLDS = (100_000, 20, 100)


def tune_for_builds() -> None:
    """Collect cycles less often, and skip the full pass at exit.

    Pelican registers the plugins for every Pelican it makes (each rebuild of `make livereload`, each
    test build), so this runs many times in one process and leaves one exit handler, not one a build.
    """
    gc.set_threshold(*BUILD_THRESHOLDS)
    # Freezing only stops the collector looking at what exists: exit handlers after it work as before.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)

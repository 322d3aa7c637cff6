"""Give each Pelican instance its Build, run every build through the core, and declare the generators' order.

The core, not the order of PLUGINS, decides how the site's plugins compose: the generators run in
GENERATOR_ORDER, each build runs inside run_build (stage, lock, commit), and Pelican's writer is
prepared by the steps the plugins give the build (build.writer_steps).
"""

import secrets
from pathlib import Path

from pelican import signals
from pelican.generators import StaticGenerator

from atomic_output.atomic_output import naming_failures, sibling, strict_copy_file
from atomic_output.output import STAGING

from .collector import tune_for_builds
from .core import Build
from .pelican_seam import (
    check_versions,
    name_write_failures,
    order_generators,
    strict_static_copies,
    wrap_run,
    wrap_writers,
    write_into,
)
from .run import run_build

# The order the plugins' generators make their context and write, by class name, after Pelican's own
# (which read the stories and pages): the listings pair them; pictures starts its workers before the pages are
# written and waits for them after; events and search write their own pages from the stories;
# discovery (feeds, sitemap) lists every page written before it; StaticGenerator copies linked files
# last, as Pelican requires. A generator not named here runs after these, before StaticGenerator.
GENERATOR_ORDER = (
    "ListingsGenerator",
    "PicturesGenerator",
    "EventsGenerator",
    "SearchGenerator",
    "DiscoveryGenerator",
)


PELICAN_GENERATORS = StaticGenerator.__module__


def generator_position(cls: type) -> int:
    """Return where a generator class runs: Pelican's own first, GENERATOR_ORDER, StaticGenerator last."""
    if issubclass(cls, StaticGenerator):
        return len(GENERATOR_ORDER) + 1
    if cls.__module__ == PELICAN_GENERATORS:
        return -1
    name = cls.__name__
    return GENERATOR_ORDER.index(name) if name in GENERATOR_ORDER else len(GENERATOR_ORDER)


def prepare_writer(build: Build, writer):
    """Make Pelican's writer name the file a failed write was for, then apply the build's writer steps."""
    name_write_failures(writer, naming_failures)
    for step in build.writer_steps:
        step(writer)
    return writer


def attach_build(pelican_object) -> None:
    """Give this Pelican its Build, writing into a staging folder beside the output folder."""
    check_versions()
    final = Path(pelican_object.output_path).absolute()
    build = Build(pelican_object.settings, final, sibling(final, STAGING, secrets.token_hex(4)))
    pelican_object.build = build
    write_into(pelican_object, str(build.staging))
    wrap_writers(pelican_object, lambda writer: prepare_writer(build, writer))
    wrap_run(pelican_object, lambda pelican_run: run_build(build, pelican_run))
    order_generators(pelican_object, generator_position)


def register():
    tune_for_builds()
    # Pelican's copy of static files only warns when a write fails; a full disk must fail the build.
    strict_static_copies(strict_copy_file)
    signals.initialized.connect(attach_build)

"""Every use of a Pelican, Markdown or rich internal: the one module an upgrade of them touches.

Each function says what it replaces or relies on; tests/test_pelican_seam.py pins that behaviour, so
an upgrade that changes it fails a test rather than silently turning caching off or letting a
duplicate write through. `check_versions()` stops a build on versions this module was not tested
with; docs/upgrading.md is the checklist for moving to new ones.
"""

import fnmatch
import os
import re
from collections.abc import Callable
from importlib import metadata

import pelican.utils
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString
from pelican.readers import _filter_discardable_metadata
from pelican.utils import sanitised_join

from l10n.messages import _

# The versions this module and its tests were written and run against (see docs/upgrading.md).
TESTED_VERSIONS = {"pelican": ("4.12.0",), "markdown": ("3.11.3",), "rich": ("15.0.0",)}


def check_versions() -> None:
    """Stop with one line when Pelican, Markdown or rich is a version the seam was not tested with."""
    for package, tested in TESTED_VERSIONS.items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = "none"
        if installed not in tested:
            raise SystemExit(
                str(
                    _(
                        "Build stopped: {package} {installed} is installed, but the build was tested "
                        "with {package} {tested}; install that version (make build), or see "
                        "docs/upgrading.md to move to the new one.",
                        package=package,
                        installed=installed,
                        tested=" / ".join(tested),
                    )
                )
            )


# --- Pelican: the run and where it writes ---------------------------------------------------------


def write_into(pelican_object, folder: str) -> None:
    """Make the generators and writer of every later run write into folder.

    Relies on Pelican.run handing `self.output_path` to each generator and to _get_writer's Writer.
    """
    pelican_object.output_path = folder


def wrap_run(pelican_object, around: Callable[[Callable[[], None]], None]) -> None:
    """Make pelican_object.run() call around(the original run).

    Replaces Pelican.run on the instance: a build must stage, lock and commit around all of it, and
    plugins still write at `finalized`, whose receivers blinker calls in no fixed order.
    """
    run = pelican_object.run
    pelican_object.run = lambda: around(run)


def wrap_writers(pelican_object, prepare: Callable) -> None:
    """Give every writer Pelican makes to prepare(writer) before it is used; prepare returns it.

    Replaces Pelican._get_writer on the instance (Pelican.run asks it once per run, after
    generate_context): the writer is Pelican's own, only adjusted.
    """
    get_writer = pelican_object._get_writer
    pelican_object._get_writer = lambda: prepare(get_writer())


def strict_static_copies(copy: Callable[[str, str], None]) -> None:
    """Make Pelican copy static files with copy (which fails the build on a full disk).

    Replaces pelican.utils.copy_file, which copy_file_metadata and StaticGenerator's copies call by
    its module name; Pelican's own only logs a warning when a copy fails.
    """
    pelican.utils.copy_file = copy


# --- Pelican: the writer's bookkeeping of written files -------------------------------------------


def name_write_failures(writer, wrap: Callable) -> None:
    """Wrap the writer's _open_w (which every write_file and write_feed opens its file with)."""
    writer._open_w = wrap(writer._open_w)


def output_file(writer, name: str) -> str:
    """Return the path the writer writes name at (as Writer.write_file joins it)."""
    return sanitised_join(writer.output_path, name)


def already_written(writer, path: str) -> bool:
    """Tell whether the writer has written (or overridden) path in this run."""
    return path in writer._written_files or path in writer._overridden_files


def note_written(writer, path: str, override: bool) -> None:
    """Note path as _open_w notes a written file, so that a later write of it is refused (or skipped)."""
    writer._written_files.add(path)
    if override:
        writer._overridden_files.add(path)


def forget_written(writer, path: str) -> None:
    """Undo note_written, just before the noted page is really written (else _open_w refuses it)."""
    writer._written_files.discard(path)
    writer._overridden_files.discard(path)


# --- Pelican: reading, and its caches -------------------------------------------------------------


def take_reader_results(readers, get: Callable) -> None:
    """Make a Readers take each file's (content, metadata) from get(path, default) and cache nothing.

    Replaces Readers.get_cached_data / cache_data, which Readers.read_file calls around reading.
    """
    readers.get_cached_data = get
    readers.cache_data = lambda path, data: None


def take_generator_cache(generator, get: Callable, put: Callable) -> None:
    """Make a generator ask get(name, default) for a story before reading it, and put(name, story) after.

    Replaces Generator.get_cached_data / cache_data (FileStampDataCacher), which ArticlesGenerator and
    PagesGenerator call around reading each file.
    """
    generator.get_cached_data = get
    generator.cache_data = put


def kept_metadata(metadata: dict) -> dict:
    """Return metadata as Readers.read_file keeps it (Pelican's _filter_discardable_metadata)."""
    return _filter_discardable_metadata(metadata)


def include_path(generator, path: str, extensions=None) -> bool:
    """Tell whether Generator.get_files would list path (Pelican's _include_path)."""
    return generator._include_path(path, extensions)


def generator_files(generator, tree, paths, exclude=None, extensions=None) -> set[str]:
    """Pelican's Generator.get_files (same arguments, same answer), over the walk made at the start.

    The rules are Pelican's: paths relative to the generator's folder; a name in exclude (relative to
    that folder) or matching IGNORE_FILES is not entered; a file counts when the generator's
    _include_path says so (its extension has a reader, or is in extensions).
    """
    if isinstance(paths, str):
        paths = [paths]
    skipped: dict[str, set[str]] = {}
    for name in exclude or []:
        parent, folder = os.path.split(os.path.join(generator.path, name))
        skipped.setdefault(parent, set()).add(folder)
    ignores = generator.settings["IGNORE_FILES"]
    # Pelican decides by a file's name alone (its extension, IGNORE_FILES): asked once per name.
    included: dict[str, bool] = {}
    top = os.path.join(generator.path, "")
    files = set()
    for path in paths:
        root = os.path.join(generator.path, path) if path else generator.path
        if tree.has_folder(root):
            for folder, dirs, names in tree.walk(root):
                left_out = skipped.get(folder, ())
                dirs[:] = [
                    d for d in dirs if d not in left_out and not any(fnmatch.fnmatch(d, i) for i in ignores)
                ]
                # As os.path.relpath(folder, generator.path), which costs more than the walk itself.
                relative = (
                    folder[len(top) :] if folder.startswith(top) else os.path.relpath(folder, generator.path)
                )
                for name in names:
                    candidate = os.path.join(relative or ".", name)
                    if name not in included:
                        included[name] = include_path(generator, candidate, extensions)
                    if included[name]:
                        files.add(candidate)
        elif (
            os.path.exists(root) and not tree.through_link(root) and include_path(generator, path, extensions)
        ):
            files.add(path)
    return files


def list_files_from(generator, tree) -> None:
    """Make a generator's get_files answer from the tree (the build's one walk), as Pelican's would.

    Replaces Generator.get_files on the instance; a folder the walk did not see (outside the content
    folder, or made since) is walked anew by Pelican's own, one behind a link not at all.
    """
    get_files = generator.get_files

    def files(paths, exclude=None, extensions=None) -> set[str]:
        listed = [paths] if isinstance(paths, str) else list(paths)
        roots = [os.path.join(generator.path, path) if path else generator.path for path in listed]
        if all(tree.has_folder(root) or tree.through_link(root) or not os.path.isdir(root) for root in roots):
            return generator_files(generator, tree, listed, exclude, extensions)
        return get_files(paths, exclude, extensions)

    generator.get_files = files


def skip_listing_pages(generator, settings: dict) -> None:
    """Make ArticlesGenerator skip working out the tag, category and author pages the settings never write.

    Replaces generate_tags / generate_categories / generate_authors (called by generate_output with
    the writer's write_file) with no-ops: each pairs every tag with every story before writing nothing.
    """
    for method, setting in (
        ("generate_tags", "TAG_SAVE_AS"),
        ("generate_categories", "CATEGORY_SAVE_AS"),
        ("generate_authors", "AUTHOR_SAVE_AS"),
    ):
        if not settings.get(setting):
            setattr(generator, method, lambda write: None)


# --- Pelican: the Markdown reader ------------------------------------------------------------------

# The name Markdown's meta extension registers its header reader under: MarkdownReader._parse_metadata
# deregisters it before it converts a formatted field (Summary), so a reader must register it anew.
MARKDOWN_META = "meta"


def parse_metadata(reader, md, meta: dict) -> dict:
    """Return MarkdownReader._parse_metadata(meta), the Summary converted with md.

    Relies on _parse_metadata converting FORMATTED_FIELDS with `self._md` (reset first) and
    deregistering md's "meta" preprocessor.
    """
    reader._md = md
    return reader._parse_metadata(meta)


# --- Markdown: the inline pass ---------------------------------------------------------------------


class SkippingInlineProcessor(InlineProcessor):
    """Markdown's inline pass, skipping the patterns that needles_of(pattern) says cannot match a text.

    Overrides Markdown's private, name-mangled InlineProcessor.__handleInline with the same loop but
    for the skipping, and calls its __applyPattern.
    """

    def __init__(self, md, needles_of: Callable):
        super().__init__(md)
        self._needles_of = needles_of

    def run(self, tree, ancestors=None):
        self._patterns = [(pattern, self._needles_of(pattern)) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:  # noqa: N802
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern
        patterns = self._patterns
        start = 0
        while index < len(patterns):
            pattern, needles = patterns[index]
            if needles is not None:
                for needle in needles:
                    if needle in data:
                        break
                else:  # what trying the pattern would have given
                    index, start = index + 1, 0
                    continue
            data, matched, start = apply(pattern, data, index, start)
            if not matched:
                index += 1
        return data


# --- Pelican's console (rich) ----------------------------------------------------------------------

# Pelican 4.12's closing line (pelican/__init__.py, Pelican.run), printed on its console: progress
# shows it in the editor's language.
PELICAN_DONE = re.compile(
    r"Done: Processed (?P<articles>\d+) articles?, (?P<drafts>\d+) drafts?, "
    r"(?P<hidden_articles>\d+) hidden articles?, (?P<pages>\d+) pages?, (?P<hidden_pages>\d+) hidden pages? "
    r"and (?P<draft_pages>\d+) draft pages? in (?P<seconds>[\d.]+) seconds\."
)
# What `pelican` shows beside its spinner while it builds (pelican/__init__.py, main).
PELICAN_STATUS = "Generating..."


def translate_status(console, text: Callable[[], str]) -> None:
    """Make console.status show text() where Pelican's main asks it for "Generating..." (once per console).

    Replaces the console's status method on Pelican's rich console.
    """
    status = console.status
    if getattr(status, "translates", False):
        return

    def status_in_the_editors_language(shown, *args, **kwargs):
        return status(text() if shown == PELICAN_STATUS else shown, *args, **kwargs)

    status_in_the_editors_language.translates = True
    console.status = status_in_the_editors_language


def has_render_hook(console, hook) -> bool:
    """Tell whether hook is on the console's stack of render hooks (rich's Console._render_hooks)."""
    return hook in console._render_hooks


# --- Pelican: the generators -----------------------------------------------------------------------


def order_generators(pelican_object, position: Callable[[type], int]) -> None:
    """Make Pelican run its generators sorted by position(class) (a stable sort: ties keep their order).

    Wraps Pelican._get_generator_classes, which lists Pelican's own generators first, then those the
    get_generators receivers return (in the order the plugins were registered), StaticGenerator last.
    """
    discover = pelican_object._get_generator_classes
    pelican_object._get_generator_classes = lambda: sorted(discover(), key=position)


# --- Pelican: plugins, outside a build -------------------------------------------------------------


def register_plugins(settings: dict) -> None:
    """Load and register the settings' PLUGINS as `pelican` does, for work outside a build (`invoke check`).

    Relies on pelican.plugins._utils (load_plugins, get_plugin_name), the private module Pelican.__init__
    uses; afterwards settings["PLUGINS"] holds the plugins' names, as in a build.
    """
    from pelican.plugins._utils import get_plugin_name, load_plugins

    plugins = load_plugins(settings)
    for plugin in plugins:
        plugin.register()
    settings["PLUGINS"] = [get_plugin_name(plugin) for plugin in plugins]

"""Do no work twice: read only changed sources, on all cores; write only pages whose inputs changed.

Reading: the content folder is walked once per build (tree.py) and every generator and check asks
that walk. The reader's result for each source file is kept in the cache folder, keyed by the file's
bytes, its folder's other files and the build fingerprint (reads.py); a file whose size, times and
inode did not change keeps the key the last build worked out. The files that are not in the cache
are read in parallel worker processes before Pelican asks for them.

Writing: each page's inputs are summed up in a key: the build fingerprint (settings, plugin and
theme files, package versions), the static pages (every footer lists them), the template, and what
the page is given (its story with the stories it links to, or its listing with the stories on it).
A page whose key is the one the previous build noted for it, and whose file is still as that build
left it, is kept from the previous output instead of being rendered again (atomic_output commits
the staged and the kept files together). Anything without a stable key is always rendered. The
pages to render are rendered at the end, on all cores (rendering.py); what a render worker works
out for later builds (story cards) is brought back to the build by a carrier (carry_back).
"""

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from atomic_output import Unchanged
from build_core.core import Build, current_build
from build_core.pelican_seam import (
    list_files_from,
    take_generator_cache,
    take_reader_results,
)
from l10n.messages import _, ngettext
from progress import track

from .fingerprint import UnstableError, build_fingerprint, digest, fingerprint_of
from .reads import dumps, loads, read_all, read_entry, source_key
from .rendering import DeferredRendering

logger = logging.getLogger(__name__)

# A file written this recently (nanoseconds) before a build has its key worked out from its bytes.
RECENT_NS = 2_000_000_000
# The story attributes that link to other stories, whose pages show a little of them.
RELATIONS = ("older", "newer", "translations")
# Those whose stories a page shows only by address, title and date: an edit of their text is not
# seen there, so the page is not rendered again for it (Read also).
LISTED_RELATIONS = ("read_also",)


def incremental_build() -> Build | None:
    """Return the running build when it reuses earlier builds' work (INCREMENTAL), else None."""
    build = current_build()
    return build if build is not None and build.incremental else None


@dataclass
class SourceKeys:
    """The keys of one run's source files (their bytes, folder and the build), and what is kept by them."""

    build: Build
    fingerprint: str  # of the build: settings, plugin and theme files, packages
    keys: dict[str, str] = field(default_factory=dict)  # absolute source path -> key
    started: int = field(default_factory=time.time_ns)
    relatives: dict[str, str] = field(default_factory=dict)  # source path as given -> relative to PATH
    root: str = field(init=False)  # PATH, absolute, ending with a separator

    def __post_init__(self):
        self.root = os.path.join(os.path.abspath(self.build.settings["PATH"]), "")

    def key_of(self, path) -> str:
        path = str(path)
        key = self.keys.get(path)
        if key is None:
            absolute = os.path.abspath(path)
            key = self.keys.get(absolute) or self._source_key(absolute)
            self.keys[path] = self.keys[absolute] = key
        return key

    def _source_key(self, absolute: str) -> str:
        """The source key, taken from the last build when the file and its folder's other files have the
        same size, times and inode (what git trusts too): hashing ten thousand files costs 0.2 s."""
        folder, name = os.path.split(absolute)
        names = self.build.tree.names_in(folder)
        if names is None:
            return source_key(Path(absolute), self.fingerprint)
        try:
            stats = [(name, os.stat(absolute))]
            stats += [
                (other, os.stat(os.path.join(folder, other))) for other in names if not other.endswith(".md")
            ]
        except OSError:  # gone since the walk: reading it says what is wrong
            return source_key(Path(absolute), self.fingerprint)
        stamp = digest(
            self.fingerprint,
            *(f"{n}:{s.st_size}:{s.st_mtime_ns}:{s.st_ctime_ns}:{s.st_ino}" for n, s in stats),
        )
        store = self.build.store("source-keys")
        relative = self.relative(absolute)
        key = store.get(relative, stamp)
        if key is None:
            key = source_key(Path(absolute), self.fingerprint)
            # A file changed in the last seconds could change again within the same clock tick,
            # size and all: its key is worked out anew until it is older.
            newest = max(max(s.st_mtime_ns, s.st_ctime_ns) for _, s in stats)
            if newest < self.started - RECENT_NS:
                store.put(relative, stamp, key)
        return key

    def relative(self, path) -> str:
        # Asked several times for every source file of every build: worked out once per path.
        path = str(path)
        relative = self.relatives.get(path)
        if relative is None:
            absolute = os.path.abspath(path)
            if absolute.startswith(self.root):  # as os.path.relpath, without its cost on every file
                relative = absolute[len(self.root) :].replace(os.sep, "/")
            else:
                relative = os.path.relpath(absolute, self.root).replace(os.sep, "/")
            self.relatives[path] = relative
        return relative

    def recall(self, name: str, path: str):
        """Return what was stored under name for this source file as it is now, or None."""
        return self.build.store(name).get(self.relative(path), self.key_of(path))

    def remember(self, name: str, path: str, value) -> None:
        self.build.store(name).put(self.relative(path), self.key_of(path), value)


def source_keys(build: Build) -> SourceKeys:
    """Return the run's source keys, worked out on first use."""
    return build.part(SourceKeys, lambda: SourceKeys(build, build_fingerprint(build.settings)))


@dataclass
class PagesToRender:
    """The pages of one run noted to be rendered at the end, and the key every page's key starts from."""

    rendering: DeferredRendering | None = None
    common_key: str | None = None  # the build fingerprint and the static pages (see pages_key)
    preread: set[int] = field(default_factory=set)  # ids of the generators whose files are read


class SourceMemo:
    """What a plugin worked out from one source file, remembered until the file or the build changes."""

    def __init__(self, keys: SourceKeys, name: str):
        self._keys, self._name = keys, name

    def recall(self, path) -> object | None:
        return self._keys.recall(self._name, str(path))

    def remember(self, path, value) -> None:
        self._keys.remember(self._name, str(path), value)


def source_memo(name: str) -> SourceMemo | None:
    """Return a memo of per-file results for the running build, or None outside an incremental build."""
    build = incremental_build()
    return SourceMemo(source_keys(build), name) if build is not None else None


def carry_back(carrier) -> bool:
    """Have what render workers work out brought back to this build: carrier.take() is called in each
    worker after its pages, carrier.give(taken) in the build, carrier.save() when the build is done.
    False outside an incremental build."""
    build = incremental_build()
    if build is None:
        return False
    build.carriers.append(carrier)
    return True


def cache_file(name: str) -> Path | None:
    """Where a plugin keeps something of its own between builds; None outside an incremental build."""
    build = incremental_build()
    return build.cache_file(name) if build is not None else None


def current_key(path) -> str | None:
    """The key this build gave a source file (its bytes, folder and the build), or None if it has none."""
    build = incremental_build()
    return source_keys(build).keys.get(os.path.abspath(path)) if build is not None else None


# --- reading -----------------------------------------------------------------------------------


def cached_reader_results(readers) -> None:
    """Make a generator's Readers take each story's reader result from the cache, or read and keep it."""
    settings = readers.settings
    build = incremental_build()
    if not settings.get("PATH") or build is None:
        return
    keys = source_keys(build)

    def recalled_or_read(path, default=None):
        reader = readers.readers.get(Path(path).suffix.lstrip("."))
        if reader is None:
            return default
        entry = keys.recall("reads", path)
        if entry is None:
            entry = read_entry(reader.read, path, settings)
            keys.remember("reads", path, entry)
        else:
            for level, message in entry.log:
                logger.log(level, "%s", message)
        return loads(entry.payload, settings)

    take_reader_results(readers, recalled_or_read)


def walk_once(generator) -> None:
    """Make a generator find its files in the build's one walk of the content folder."""
    build = incremental_build()
    if build is None or not hasattr(generator, "get_files"):
        return
    if os.path.abspath(generator.path) == build.tree.root:
        list_files_from(generator, build.tree)


def compile_templates_once(generator) -> None:
    """Keep the templates compiled between builds (Jinja compiles again when a template changes)."""
    build = incremental_build()
    env = getattr(generator, "env", None)
    if build is None or env is None:
        return
    # Compiled code depends on the extensions and Jinja's version, which the folder name covers, and
    # on the filters: Jinja folds a filter of constants (`'css/site.css'|asset`) into the code, while
    # the bytecode cache checks only the template's source. The build fingerprint covers the theme.
    fingerprint = source_keys(build).fingerprint
    kind = digest(jinja2.__version__, *sorted(env.extensions), repr(env.autoescape), fingerprint)[:16]
    folder = build.cache_file("templates") / kind
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def stories_store(generator) -> str:
    return f"{type(generator).__name__}-stories"


def cached_stories(generator) -> None:
    """Make a generator take each story or page as it was made from the same source in an earlier build."""
    # Pelican asks the generator for a kept story before reading a file, and gives it each new story
    # to keep: it is pickled at once, before later steps link it to other stories.
    settings = generator.settings
    build = incremental_build()
    if not settings.get("PATH") or build is None:
        return
    keys = source_keys(build)
    store = stories_store(generator)

    def recalled_story(name, default=None):
        path = os.path.join(generator.path, name)
        data = keys.recall(store, path) if path.endswith(".md") else None
        return default if data is None else loads(data, settings, generator.context)

    def remember_story(name, content) -> None:
        path = os.path.join(generator.path, name)
        if path.endswith(".md"):
            # A tag works out its slug (transliteration) on first use and keeps it; kept in the
            # cache too, a rebuild does not slugify every tag of every story again.
            for wrapper in [*getattr(content, "tags", ()), getattr(content, "category", None)]:
                if isinstance(wrapper, URLWrapper):
                    wrapper.slug  # noqa: B018 (computed for its side effect)
            keys.remember(store, path, dumps(content, settings, generator.context))

    take_generator_cache(generator, recalled_story, remember_story)


def read_ahead(generator) -> None:
    """Before the first story is read, read every story the cache lacks, on all cores."""
    build = incremental_build()
    if build is None:
        return
    pages = build.part(PagesToRender)
    if id(generator) in pages.preread:
        return
    pages.preread.add(id(generator))
    reader = generator.readers.readers.get("md")
    if reader is None:
        return
    keys = source_keys(build)
    files = generator.get_files(
        generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"]
    )
    jobs = []
    for name in files:
        path = os.path.join(generator.path, name)
        if not path.endswith(".md"):
            continue
        if keys.recall(stories_store(generator), path) is None and keys.recall("reads", path) is None:
            jobs.append(os.path.abspath(path))
    reading = ngettext("Reading {count} story", "Reading {count} stories", len(jobs))
    for path, entry in track(read_all(jobs, reader.read, generator.settings, build.workers), reading):
        if entry is not None:
            keys.remember("reads", path, entry)


def note_source(content) -> None:
    """Give each story and page the key of its source: what its pages' keys are made of."""
    build = incremental_build()
    path = getattr(content, "source_path", None)
    if build is None or getattr(content, "settings", None) is None or not path or not path.endswith(".md"):
        return
    content.source_key = source_keys(build).key_of(path)


def inputs_key(build: Build) -> str:
    """Return a key of everything a build reads: the build fingerprint and every file of the content."""
    root = str(Path(build.settings["PATH"]))
    keys = source_keys(build)
    lines = [keys.fingerprint]
    for name in sorted(build.tree.files()):
        path = f"{root}/{name}"  # a string: a Path per file costs as much as its key
        if name.endswith(".md"):
            lines.append(f"{name}:{keys.key_of(path)}")
        else:  # pictures and attachments: by size and time, the picture cache knows their bytes
            stat = os.stat(path)
            lines.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    # A link or a pipe is never read, but it is a content error: a build must see it come and go.
    lines += [f"{name}:link" for name in build.tree.links] + [f"{name}:other" for name in build.tree.others]
    return digest(*lines)


def start_afresh(pelican_object) -> None:
    """At the start of each run: skip unchanged pages, and stop here if the output would be the same."""
    # Pelican asks this signal for generator classes at the start of every run; none come from here.
    build = incremental_build()
    if build is None or build.output is None:
        return
    build.writer_steps.append(skip_unchanged_pages)
    output = build.output
    output.inputs = inputs_key(build)
    now = dt.datetime.now(dt.UTC)
    if output.unchanged_since_previous(output.inputs, now, list(build.settings.get("OUTPUT_RETENTION", []))):
        raise Unchanged(
            _("Nothing changed since the last build: {folder} is up to date.", folder=str(output.final))
        )


def render_noted_pages(pelican) -> None:
    """Render the pages noted while the generators wrote (before the search index reads them)."""
    build = current_build()
    if build is not None:
        build.settle()


def save_for_later_builds(pelican) -> None:
    """Keep the stores and the carriers' values, once the last noted pages brought theirs back."""
    build = incremental_build()
    if build is not None:
        build.settle()
        build.save()


# --- writing -----------------------------------------------------------------------------------


def content_fingerprint(value) -> str | None:
    """Return a page's view of a story or page: its source, and the sources of the stories it links to."""
    if isinstance(value, Content):
        key = getattr(value, "source_key", None)
        if key is None:
            raise UnstableError(f"{value.source_path} has no source key")
        related = []
        for name in RELATIONS:
            linked = getattr(value, name, None)
            for item in linked if isinstance(linked, list) else [linked]:
                related.append(f"{name}:{getattr(item, 'source_key', None) if item is not None else None}")
        for name in LISTED_RELATIONS:
            for item in getattr(value, name, None) or []:
                related.append(f"{name}:{item.url}|{item.title}|{item.date.isoformat()}")
        return f"content({key};{';'.join(related)})"
    if isinstance(value, URLWrapper):
        return f"{type(value).__name__}({value.name!r},{value.url!r})"
    return None


def nested_fingerprint(value) -> str | None:
    """A story shown inside a listing: its own source is what the listing shows of it."""
    if isinstance(value, Content):
        key = getattr(value, "source_key", None)
        if key is None:
            raise UnstableError(f"{value.source_path} has no source key")
        return f"content({key})"
    return content_fingerprint(value)


def pages_key(build: Build, context: dict) -> str:
    """The build fingerprint and the static pages, which every page's footer lists."""
    pages = build.part(PagesToRender)
    if pages.common_key is None:
        static = sorted(context.get("pages", []), key=lambda p: p.source_path)
        pages.common_key = digest(source_keys(build).fingerprint, *(content_fingerprint(p) for p in static))
    return pages.common_key


def page_key(build: Build, context: dict, name: str, template, options: dict, kwargs: dict) -> str:
    given = []
    memo: dict[int, str] = {}  # a listing's stories are given twice (`listing` and `articles`)
    for key in sorted(kwargs):
        value = kwargs[key]
        # The page's own story shows its neighbours and translations; stories in a listing show themselves.
        objects = content_fingerprint if isinstance(value, Content) else nested_fingerprint
        given.append(f"{key}={fingerprint_of(value, objects, memo)}")
    return digest(
        pages_key(build, context), name, getattr(template, "name", "") or "", fingerprint_of(options), *given
    )


def keep_if_made_from(name: str, contents=(), *extra: str) -> bool:
    """Keep the file name of the previous output if it was made from the same stories (and extra), and
    note what it is made from for the next build; False means write it.

    For files a plugin writes itself from stories' own data (calendars), in an order of its own
    (not the order of contents).
    """
    build = incremental_build()
    if build is None or build.output is None:
        return False
    try:
        # Sorted: Pelican lists stories of the same date in a different order in every process.
        parts = sorted(nested_fingerprint(content) for content in contents)
    except UnstableError:
        return False
    key = digest(source_keys(build).fingerprint, name, *parts, *extra)
    return build.output.keep_if_unchanged(name, key)


class PageSkipping:
    """Pelican's writer's write_file, keeping pages whose inputs did not change and noting the others."""

    def __init__(self, build: Build, writer):
        self.build, self.writer, self.write_file = build, writer, writer.write_file

    def kept(self, name, template, context, options: dict, kwargs: dict) -> bool:
        """Keep the page from the previous output if its key is the one noted for it then."""
        try:
            key = page_key(self.build, context, name, template, options, kwargs)
        except UnstableError as reason:
            logger.debug("%s is always rendered: %s", name, reason)  # DEBUG, for maintainers
            return False
        return self.build.output.keep_if_unchanged(name, key)

    def rendering(self) -> DeferredRendering:
        pages = self.build.part(PagesToRender)
        if pages.rendering is None:
            build = self.build
            pages.rendering = DeferredRendering(
                self.writer, self.write_file, build.workers, build.promised.add, build.carriers
            )
        return pages.rendering

    def __call__(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        how = (relative_urls, paginated, template_name, override_output, url)
        if name and paginated is None:
            options = {
                "relative_urls": relative_urls,
                "template_name": template_name,
                "override": override_output,
                "url": url,
            }
            if self.kept(name, template, context, options, kwargs):
                return None
            if self.rendering().defer(name, template, context, *how, kwargs):
                return None
        return self.write_file(name, template, context, *how, **kwargs)


def skip_unchanged_pages(writer) -> None:
    """Make the writer keep pages whose inputs did not change, and render the others at the end."""
    writer.write_file = PageSkipping(incremental_build(), writer)


def register():
    signals.get_generators.connect(start_afresh)
    signals.generator_init.connect(walk_once)
    signals.generator_init.connect(compile_templates_once)
    signals.readers_init.connect(cached_reader_results)
    signals.article_generator_init.connect(cached_stories)
    signals.page_generator_init.connect(cached_stories)
    signals.article_generator_preread.connect(read_ahead)
    signals.content_object_init.connect(note_source)
    signals.finalized.connect(render_noted_pages)
    signals.finalized.connect(save_for_later_builds)

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

from atomic_output import Unchanged, current_output
from l10n.messages import _, ngettext
from progress import track

from .fingerprint import UnstableError, build_fingerprint, digest, stable
from .reads import FileStore, dumps, loads, read_all, read_entry, source_key
from .rendering import DeferredRendering
from .tree import ContentTree, walked_files
from .workers import in_workers

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Worker processes that read changed sources; 0: one per core.
    "INCREMENTAL_WORKERS": 0,
}
RUN_KEY = "INCREMENTAL_RUN"
# A file written this recently (nanoseconds) before a build has its key worked out from its bytes.
RECENT_NS = 2_000_000_000
# The story attributes that link to other stories, whose pages show a little of them.
RELATIONS = ("older", "newer", "translations")
# Those whose stories a page shows only by address, title and date: an edit of their text is not
# seen there, so the page is not rendered again for it (Read also).
LISTED_RELATIONS = ("read_also",)


@dataclass
class Run:
    """What one build knows about its sources: their keys and the reader results."""

    settings: dict
    build: str  # the build fingerprint
    keys: dict[str, str] = field(default_factory=dict)  # absolute source path -> key
    stores: dict[str, FileStore] = field(default_factory=dict)
    preread: set[int] = field(default_factory=set)  # ids of the generators whose files are read
    pages_key: str | None = None
    rendering: DeferredRendering | None = None  # the pages noted to be rendered at the end
    _tree: ContentTree | None = None
    started: int = field(default_factory=time.time_ns)
    carriers: list = field(default_factory=list)  # what render workers bring back (see carry_back)

    @property
    def tree(self) -> ContentTree:
        """The content folder as it was when the build first looked (one walk for every question)."""
        if self._tree is None:
            self._tree = ContentTree(self.settings["PATH"])
        return self._tree

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
        names = self.tree.names_in(folder)
        if names is None:
            return source_key(Path(absolute), self.build)
        try:
            stats = [(name, os.stat(absolute))]
            stats += [
                (other, os.stat(os.path.join(folder, other))) for other in names if not other.endswith(".md")
            ]
        except OSError:  # gone since the walk: reading it says what is wrong
            return source_key(Path(absolute), self.build)
        stamp = digest(
            self.build,
            *(f"{n}:{s.st_size}:{s.st_mtime_ns}:{s.st_ctime_ns}:{s.st_ino}" for n, s in stats),
        )
        store = self.store("source-keys")
        relative = self.relative(absolute)
        key = store.get(relative, stamp)
        if key is None:
            key = source_key(Path(absolute), self.build)
            # A file changed in the last seconds could change again within the same clock tick,
            # size and all: its key is worked out anew until it is older.
            newest = max(max(s.st_mtime_ns, s.st_ctime_ns) for _, s in stats)
            if newest < self.started - RECENT_NS:
                store.put(relative, stamp, key)
        return key

    def relative(self, path) -> str:
        absolute = os.path.abspath(path)
        root = os.path.join(os.path.abspath(self.settings["PATH"]), "")
        if absolute.startswith(root):  # as os.path.relpath, without its cost on every file
            return absolute[len(root) :].replace(os.sep, "/")
        return os.path.relpath(absolute, root).replace(os.sep, "/")

    def store(self, name: str) -> FileStore:
        if name not in self.stores:
            self.stores[name] = FileStore(cache_folder(self.settings) / name)
        return self.stores[name]

    def recall(self, name: str, path: str):
        """Return what was stored under name for this source file as it is now, or None."""
        return self.store(name).get(self.relative(path), self.key_of(path))

    def remember(self, name: str, path: str, value) -> None:
        self.store(name).put(self.relative(path), self.key_of(path), value)


class SourceMemo:
    """What a plugin worked out from one source file, remembered until the file or the build changes."""

    def __init__(self, run: Run, name: str):
        self._run, self._name = run, name

    def recall(self, path) -> object | None:
        return self._run.recall(self._name, str(path))

    def remember(self, path, value) -> None:
        self._run.remember(self._name, str(path), value)


def source_memo(settings: dict | None, name: str) -> SourceMemo | None:
    """Return a memo of per-file results for the running build, or None outside a build."""
    if not settings or RUN_KEY not in settings:
        return None
    return SourceMemo(run_of(settings), name)


def cache_folder(settings: dict) -> Path:
    return Path(settings.get("CACHE_PATH") or "cache").absolute() / "incremental"


def run_of(settings: dict) -> Run:
    """Return this build's Run, starting it on first use."""
    run = settings.get(RUN_KEY)
    if run is None:
        run = Run(settings, build_fingerprint(settings))
        settings[RUN_KEY] = run
    return run


def workers(settings: dict) -> int:
    return int(settings.get("INCREMENTAL_WORKERS", DEFAULTS["INCREMENTAL_WORKERS"])) or os.cpu_count() or 1


def on_all_cores(settings: dict | None, task, jobs: list):
    """Yield (job, task(job)) worked out by one forked process per core, in any order (see in_workers)."""
    return in_workers(task, jobs, workers(settings or {}))


def carry_back(settings: dict | None, carrier) -> bool:
    """Have what render workers work out brought back to this build: carrier.take() is called in each
    worker after its pages, carrier.give(taken) in the build, carrier.save() when the build is done.
    False outside a build."""
    if not settings or RUN_KEY not in settings:
        return False
    run_of(settings).carriers.append(carrier)
    return True


def cache_file(settings: dict, name: str) -> Path:
    """Where a plugin keeps something of its own between builds."""
    return cache_folder(settings) / name


def current_key(settings: dict | None, path) -> str | None:
    """The key this build gave a source file (its bytes, folder and the build), or None if it has none."""
    if not settings or RUN_KEY not in settings:
        return None
    return run_of(settings).keys.get(os.path.abspath(path))


def content_tree(settings: dict | None, root: Path) -> ContentTree:
    """The walk of root: the build's one walk when root is its content folder, else a walk made now."""
    if settings and RUN_KEY in settings and Path(root).absolute() == Path(settings["PATH"]).absolute():
        return run_of(settings).tree
    return ContentTree(str(root))


def markdown_files(settings: dict | None, root: Path) -> list[Path]:
    """Every .md file under root (none behind a link), sorted; listed once per build for both checks."""
    root = Path(root)
    return [root / name for name in content_tree(settings, root).markdown]


# --- reading -----------------------------------------------------------------------------------


def cached_reader_results(readers) -> None:
    """Make a generator's Readers take each story's reader result from the cache, or read and keep it."""
    settings = readers.settings
    if not settings.get("PATH"):
        return
    run = run_of(settings)

    def get_cached_data(path, default=None):
        reader = readers.readers.get(Path(path).suffix.lstrip("."))
        if reader is None:
            return default
        entry = run.recall("reads", path)
        if entry is None:
            entry = read_entry(reader.read, path, settings)
            run.remember("reads", path, entry)
        else:
            for level, message in entry.log:
                logger.log(level, "%s", message)
        return loads(entry.payload, settings)

    readers.get_cached_data = get_cached_data
    readers.cache_data = lambda path, data: None


def walk_once(generator) -> None:
    """Make a generator find its files in the build's one walk of the content folder."""
    settings = generator.settings
    if RUN_KEY not in settings or not hasattr(generator, "get_files"):
        return
    tree = run_of(settings).tree
    if os.path.abspath(generator.path) == tree.root:
        generator.get_files = walked_files(generator, tree, generator.get_files)


def compile_templates_once(generator) -> None:
    """Keep the templates compiled between builds (Jinja compiles again when a template changes)."""
    settings = generator.settings
    env = getattr(generator, "env", None)
    if RUN_KEY not in settings or env is None:
        return
    # Compiled code depends on the extensions and Jinja's version, which the folder name covers, and
    # on the filters: Jinja folds a filter of constants (`'css/site.css'|asset`) into the code, while
    # the bytecode cache checks only the template's source. The build fingerprint covers the theme.
    build = run_of(settings).build
    kind = digest(jinja2.__version__, *sorted(env.extensions), repr(env.autoescape), build)[:16]
    folder = cache_folder(settings) / "templates" / kind
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def stories_store(generator) -> str:
    return f"{type(generator).__name__}-stories"


def cached_stories(generator) -> None:
    """Make a generator take each story or page as it was made from the same source in an earlier build."""
    # Pelican asks its generators' get_cached_data before reading a file, and gives cache_data each new
    # story: it is pickled at once, before later steps link it to other stories.
    settings = generator.settings
    if not settings.get("PATH") or RUN_KEY not in settings:
        return
    run = run_of(settings)
    store = stories_store(generator)

    def get_cached_data(name, default=None):
        path = os.path.join(generator.path, name)
        data = run.recall(store, path) if path.endswith(".md") else None
        return default if data is None else loads(data, settings, generator.context)

    def cache_data(name, content) -> None:
        path = os.path.join(generator.path, name)
        if path.endswith(".md"):
            # A tag works out its slug (transliteration) on first use and keeps it; kept in the
            # cache too, a rebuild does not slugify every tag of every story again.
            for wrapper in [*getattr(content, "tags", ()), getattr(content, "category", None)]:
                if isinstance(wrapper, URLWrapper):
                    wrapper.slug  # noqa: B018 (computed for its side effect)
            run.remember(store, path, dumps(content, settings, generator.context))

    generator.get_cached_data = get_cached_data
    generator.cache_data = cache_data


def read_ahead(generator) -> None:
    """Before the first story is read, read every story the cache lacks, on all cores."""
    run = run_of(generator.settings)
    if id(generator) in run.preread:
        return
    run.preread.add(id(generator))
    reader = generator.readers.readers.get("md")
    if reader is None:
        return
    files = generator.get_files(
        generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"]
    )
    jobs = []
    for name in files:
        path = os.path.join(generator.path, name)
        if not path.endswith(".md"):
            continue
        if run.recall(stories_store(generator), path) is None and run.recall("reads", path) is None:
            jobs.append(os.path.abspath(path))
    reading = ngettext("Reading {count} story", "Reading {count} stories", len(jobs))
    for path, entry in track(
        read_all(jobs, reader.read, generator.settings, workers(generator.settings)), reading
    ):
        if entry is not None:
            run.remember("reads", path, entry)


def note_source(content) -> None:
    """Give each story and page the key of its source: what its pages' keys are made of."""
    settings = getattr(content, "settings", None)
    path = getattr(content, "source_path", None)
    if settings is None or RUN_KEY not in settings or not path or not path.endswith(".md"):
        return
    content.source_key = run_of(settings).key_of(path)


def inputs_key(settings: dict, run: Run) -> str:
    """Return a key of everything a build reads: the build fingerprint and every file of the content."""
    root = Path(settings["PATH"])
    lines = [run.build]
    for name in sorted(run.tree.files()):
        path = root / name
        if name.endswith(".md"):
            lines.append(f"{name}:{run.key_of(str(path))}")
        else:  # pictures and attachments: by size and time, the picture cache knows their bytes
            stat = path.stat()
            lines.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    # A link or a pipe is never read, but it is a content error: a build must see it come and go.
    lines += [f"{name}:link" for name in run.tree.links] + [f"{name}:other" for name in run.tree.others]
    return digest(*lines)


def start_afresh(pelican_object) -> None:
    """At the start of each run: forget the last run, and stop here if the output would be the same."""
    # Pelican asks this signal for generator classes at the start of every run; none come from here.
    settings = pelican_object.settings
    settings.pop(RUN_KEY, None)
    if "ATOMIC_OUTPUT_BUILD" not in settings:
        return
    output = current_output(settings)
    output.inputs = inputs_key(settings, run_of(settings))
    now = dt.datetime.now(dt.UTC)
    if output.unchanged_since_previous(output.inputs, now, list(settings.get("OUTPUT_RETENTION", []))):
        raise Unchanged(
            _("Nothing changed since the last build: {folder} is up to date.", folder=str(output.final))
        )


def finish_rendering(pelican) -> None:
    """Render the pages noted while the generators wrote (before the search index reads them)."""
    if "ATOMIC_OUTPUT_BUILD" in pelican.settings:
        current_output(pelican.settings).settle()


def save_reads(pelican) -> None:
    run = pelican.settings.get(RUN_KEY)
    if run is not None:
        finish_rendering(pelican)  # what the workers bring back is in before it is saved
        pelican.settings.pop(RUN_KEY)
        for carrier in run.carriers:
            carrier.save()
        for store in run.stores.values():
            store.save()


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


def pages_key(run: Run, context: dict) -> str:
    """The build fingerprint and the static pages, which every page's footer lists."""
    if run.pages_key is None:
        pages = sorted(context.get("pages", []), key=lambda p: p.source_path)
        run.pages_key = digest(run.build, *(content_fingerprint(p) for p in pages))
    return run.pages_key


def page_key(run: Run, context: dict, name: str, template, options: dict, kwargs: dict) -> str:
    given = []
    for key in sorted(kwargs):
        value = kwargs[key]
        # The page's own story shows its neighbours and translations; stories in a listing show themselves.
        objects = content_fingerprint if isinstance(value, Content) else nested_fingerprint
        given.append(f"{key}={stable(value, objects)}")
    return digest(pages_key(run, context), name, getattr(template, "name", "") or "", stable(options), *given)


def unchanged_output(settings: dict, name: str, contents=(), *extra: str) -> bool:
    """Keep the file name of the previous output if it was made from the same stories (and extra).

    For files a plugin writes itself from stories' own data (calendars), in an order of its own
    (not the order of contents): False means write it.
    """
    if RUN_KEY not in settings or "ATOMIC_OUTPUT_BUILD" not in settings:
        return False
    try:
        # Sorted: Pelican lists stories of the same date in a different order in every process.
        parts = sorted(nested_fingerprint(content) for content in contents)
    except UnstableError:
        return False
    key = digest(run_of(settings).build, name, *parts, *extra)
    return current_output(settings).keep_if_unchanged(name, key)


def skip_unchanged_pages(pelican_object) -> None:
    """Make the writer keep pages whose inputs did not change instead of rendering them again."""
    get_writer = pelican_object._get_writer

    def get_memo_writer():
        writer = get_writer()
        write_file = writer.write_file
        settings = pelican_object.settings

        def write_unless_unchanged(
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
            output = settings.get("ATOMIC_OUTPUT_BUILD")
            if name and paginated is None and output is not None and RUN_KEY in settings:
                options = {
                    "relative_urls": relative_urls,
                    "template_name": template_name,
                    "override": override_output,
                    "url": url,
                }
                run = run_of(settings)
                try:
                    key = page_key(run, context, name, template, options, kwargs)
                except UnstableError as reason:
                    logger.debug("%s is always rendered: %s", name, reason)  # DEBUG, for maintainers
                else:
                    if current_output(settings).keep_if_unchanged(name, key):
                        return None
                if run.rendering is None:
                    promise = current_output(settings).promise
                    run.rendering = DeferredRendering(
                        writer, write_file, workers(settings), promise, run.carriers
                    )
                how = (relative_urls, paginated, template_name, override_output, url)
                if run.rendering.defer(name, template, context, *how, kwargs):
                    return None
            return write_file(
                name,
                template,
                context,
                relative_urls,
                paginated,
                template_name,
                override_output,
                url,
                **kwargs,
            )

        writer.write_file = write_unless_unchanged
        return writer

    pelican_object._get_writer = get_memo_writer


def register():
    signals.initialized.connect(skip_unchanged_pages)
    signals.get_generators.connect(start_afresh)
    signals.generator_init.connect(walk_once)
    signals.generator_init.connect(compile_templates_once)
    signals.readers_init.connect(cached_reader_results)
    signals.article_generator_init.connect(cached_stories)
    signals.page_generator_init.connect(cached_stories)
    signals.article_generator_preread.connect(read_ahead)
    signals.content_object_init.connect(note_source)
    signals.finalized.connect(finish_rendering)
    signals.finalized.connect(save_reads)

"""Static search with Pagefind: a search page per language, folded Kazakh spellings, the index built last."""

import hashlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from babel import Locale
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from atomic_output.output import output_cache_entry
from bilingual.bilingual import write_listings
from bilingual.listings import Listing
from build_core.core import cache_root, current_build
from build_core.files import write_atomically
from l10n.l10n import interface_catalogs
from l10n.messages import _, ngettext
from progress import announce

from .folding import KAZAKH_FOLDING, check_table, folded_words
from .indexing import ENTRY_FILE, UNUSED_BUNDLE_FILES, Indexing, ShardJob
from .shards import LIST_FILE, SearchPage, Shard, plan_shards, shard_key, shard_list

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Run Pagefind on the output folder at the end of every build.
    "SEARCH_INDEX": True,
    # Per language: letters folded at index and query time (both spellings match).
    "SEARCH_FOLDING": {"kk": KAZAKH_FOLDING},
    # Folder of the search bundle, relative to the output folder.
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_RESULTS_PER_PAGE": 10,
    # A shard (one Pagefind bundle) holds whole years of one language and at least this many pages,
    # so that Pagefind's ranking, which counts within a bundle, stays comparable across shards.
    "SEARCH_SHARD_MIN_PAGES": 200,
}
# Pagefind runs at once, at most (each uses about 100 MB for a year of stories); fewer with fewer
# BUILD_WORKERS.
PAGEFIND_JOBS = 2
PAGE_TEMPLATE = "search"
_TAGS = re.compile(r"<[^>]+>")


def settings_of(settings: Mapping) -> dict:
    """Return this plugin's settings merged over the defaults, validated."""
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    for lang, table in merged["SEARCH_FOLDING"].items():
        check_table(table, f"SEARCH_FOLDING['{lang}']")
    return merged


def plain_text(html: str) -> str:
    """Return the words of an HTML fragment, tags removed."""
    return _TAGS.sub(" ", html or "")


def searchable_texts(content) -> list[str]:
    """Return the texts of a story or page that its page shows and Pagefind indexes."""
    texts = [getattr(content, "title", ""), plain_text(getattr(content, "content", ""))]
    texts += [str(tag) for tag in getattr(content, "tags", [])]
    texts += [str(getattr(content, key, "")) for key in ("location", "address")]
    return texts


def plural_templates(
    ngettext: Callable[[str, str, int], str], lang: str, singular: str, plural: str
) -> dict[str, str]:
    """Return {CLDR plural category: text with '{n}'} for a message, for Intl.PluralRules in the browser."""
    rule = Locale.parse(lang).plural_form
    forms: dict[str, str] = {}
    for number in range(200):
        category = rule(number)
        if category not in forms:
            forms[category] = ngettext(singular, plural, number).replace("%(num)d", "{n}")
    return forms


def search_listings(languages: Iterable[str], per_page: int, folding: Mapping) -> list[Listing]:
    """Plan the search page of every language, each knowing the others."""
    languages = list(languages)
    alternates = {lang: f"{lang}/search/" for lang in languages}
    pages = []
    for lang in languages:
        page = Listing(PAGE_TEMPLATE, ("search",), lang, alternates[lang])
        page.alternates = dict(alternates)
        page.switch = dict(alternates)
        page.details = {"fold": dict(folding.get(lang, {})), "per_page": per_page}
        pages.append(page)
    return pages


# --- signal handlers -------------------------------------------------------------------------


def folded_text(content, folding: Mapping) -> str:
    """Return the folded spellings of a story's or page's words (empty where nothing folds)."""
    return " ".join(folded_words(searchable_texts(content), folding.get(content.lang, {})))


def search_page(content, dated: bool) -> SearchPage:
    """Return what the index needs to know of a story (dated) or a static page (undated)."""
    return SearchPage(content.lang, content.date.year if dated else None, content.save_as)


@dataclass
class SearchRun:
    """The search index of one run: the pages to index, then the plan being carried out."""

    found: list[SearchPage] | None = None  # noted once the generators are done
    pending: "Plan | None" = None  # the shards being indexed while the build writes the rest


def list_search_pages(generators) -> None:
    """Note every story and static page (the pages with data-pagefind-body) for the index."""
    build = current_build()
    if build is None or not generators:
        return
    found: list[SearchPage] = []
    for generator in generators:
        found += [search_page(story, True) for story in getattr(generator, "articles", [])]
        found += [search_page(page, False) for page in getattr(generator, "pages", [])]
    build.part(SearchRun).found = found


def setup_templates(generator) -> None:
    """Offer templates plural_forms(singular, plural): the page language's forms for the browser."""
    if not hasattr(generator, "env"):
        return
    translations = interface_catalogs(generator.settings)

    @pass_context
    def plural_forms(context, singular: str, plural: str) -> dict[str, str]:
        lang = context["lang"]
        return plural_templates(translations[lang].ngettext, lang, singular, plural)

    generator.env.globals["plural_forms"] = plural_forms
    # Worked out when a page is rendered: pages kept from the previous build never need it.
    folding = settings_of(generator.settings)["SEARCH_FOLDING"]
    generator.env.filters["search_folded"] = lambda content: folded_text(content, folding)


class SearchGenerator(Generator):
    """Write /{lang}/search/ for every language."""

    def generate_context(self):
        options = settings_of(self.settings)
        self.listings = search_listings(
            self.settings["LANGUAGES"], options["SEARCH_RESULTS_PER_PAGE"], options["SEARCH_FOLDING"]
        )

    def generate_output(self, writer):
        bundle = settings_of(self.settings)["SEARCH_BUNDLE_DIR"].strip("/")
        # Each language's shards are under <bundle>/<lang>/, listed in its shards.json.
        bundle_url = Markup(f"{self.settings['SITEURL']}/{bundle}/")
        write_listings(self, writer, self.listings, search_bundle=bundle_url)


def pagefind_executable() -> Path:
    """Return the Pagefind binary that the pagefind-bin package ships."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SystemExit(
            _(
                "search: the pagefind-bin package is missing; run `make build` (or pip install -r "
                "requirements.txt) to install it"
            )
        ) from None
    return get_executable()


def pagefind_version() -> str:
    try:
        return metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def keys_file(settings: Mapping, output: Path) -> Path:
    """Return where the shard keys of an output folder are kept between builds (pruned with its manifest)."""
    return output_cache_entry(cache_root(settings), output, "search-keys.json")


def sites_folder(settings: Mapping, output: Path, shards: list[str]) -> Path:
    """Return where the shards' pages are linked for Pagefind; forget the folders of shards now gone."""
    folder = output_cache_entry(cache_root(settings), output, "search")
    if folder.is_dir():
        for entry in os.scandir(folder):
            if entry.name not in shards:
                shutil.rmtree(entry.path, ignore_errors=True)
    return folder


def load_keys(path: Path) -> dict:
    try:
        keys = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def save_keys(path: Path, keys: dict) -> None:
    write_atomically(path, json.dumps(keys, sort_keys=True, indent=1).encode("utf-8"))


@dataclass
class Plan:
    """The search index of one build: its shards, their keys, and Pagefind on the ones that changed."""

    out: object  # atomic_output's BuildOutput
    bundle: str
    shards: list[Shard]
    keys: dict
    todo: list[Shard]
    indexing: Indexing
    started: float


def plan_index(settings: dict) -> Plan | None:
    """Work out the shards and which of them must be indexed again (the pages must be written)."""
    options = settings_of(settings)
    build = current_build()
    search = build.part(SearchRun) if build is not None else SearchRun()
    found, search.found = search.found or [], None
    if not options["SEARCH_INDEX"]:
        return None
    if build is None or build.output is None:
        raise SystemExit(_("search: the build_core plugin must be in PLUGINS (it says what to index)"))
    build.settle()  # the pages noted so far are rendered: Pagefind reads them
    out = build.output
    bundle = options["SEARCH_BUNDLE_DIR"].strip("/")
    started = time.perf_counter()
    digests = {page.path: out.digest(page.path) for page in found}
    missing = sorted(path for path, digest in digests.items() if digest is None)
    if missing:
        raise SystemExit(
            _(
                "search: {page} was not written, so it cannot be indexed; build again",
                page=str(missing[0]),
            )
        )
    shards = plan_shards(found, options["SEARCH_SHARD_MIN_PAGES"])
    version = pagefind_version()
    stored = load_keys(keys_file(settings, out.final)) if out.incremental else {}
    keys, todo = {}, []
    for shard in shards:
        folder = shard.folder(bundle)
        state = {"pagefind": version, "fold": options["SEARCH_FOLDING"].get(shard.lang, {})}
        state["dropped"] = list(UNUSED_BUNDLE_FILES)
        key = shard_key(shard, digests, state)
        before = stored.get(folder, {})
        # The entry's digest proves the output holds the bundle of that key (a failed build may
        # have saved keys for a bundle that never reached the output).
        same = before.get("key") == key and before.get("entry") is not None
        if same and sha256_of(out.final / folder / ENTRY_FILE) == before["entry"] and out.keep(folder):
            keys[folder] = before
        else:
            keys[folder] = {"key": key}
            todo.append(shard)
    pages = {path: out.find(path) for shard in todo for path in shard.paths}
    sites = sites_folder(settings, out.final, [f"{shard.lang}-{shard.name}" for shard in shards])
    jobs = [
        ShardJob(shard, shard.folder(bundle), out.staging, sites / f"{shard.lang}-{shard.name}")
        for shard in todo
    ]
    executable = pagefind_executable() if jobs else Path("pagefind")
    indexing = Indexing(executable, pages, min(PAGEFIND_JOBS, build.workers), waiting=jobs)
    return Plan(out, bundle, shards, keys, todo, indexing, started)


def start_index(generator, writer=None) -> None:
    """Once the stories and static pages are written, start Pagefind beside the rest of the build."""
    build = current_build()
    search = build.part(SearchRun) if build is not None else None
    if search is None or search.found is None or search.pending is not None:
        return
    plan = plan_index(generator.settings)  # renders the pages noted so far: Pagefind reads them
    if plan is None:
        return
    search.pending = plan
    build.on_discard.add(plan.indexing.stop)
    plan.indexing.start()


def build_index(pelican) -> None:
    """Finish the index: wait for Pagefind on the shards that changed, then list each language's shards."""
    settings = pelican.settings
    build = current_build()
    pending = build.part(SearchRun).pending if build is not None else None
    plan = pending or plan_index(settings)
    if pending is not None:
        build.part(SearchRun).pending = None
    if plan is None:
        return
    out, bundle, keys = plan.out, plan.bundle, plan.keys
    announce(
        ngettext(
            "Indexing {count} page for search", "Indexing {count} pages for search", len(plan.indexing.pages)
        )
    )
    plan.indexing.finish()
    for shard in plan.todo:
        folder = shard.folder(bundle)
        keys[folder]["entry"] = out.digest(f"{folder}/{ENTRY_FILE}")
    for lang in settings["LANGUAGES"]:
        name, text = f"{bundle}/{lang}/{LIST_FILE}", shard_list(plan.shards, lang)
        try:
            same = (out.final / name).read_text(encoding="utf-8") == text
        except OSError:
            same = False
        if not (same and out.keep(name)):
            (out.staging / name).parent.mkdir(parents=True, exist_ok=True)
            (out.staging / name).write_text(text, encoding="utf-8")
    save_keys(keys_file(settings, out.final), keys)
    # A timing for maintainers (INFO, shown with -v): English, as Pelican's own are.
    logger.info(
        "Search: %d of %d shards indexed in %.2f s, the others kept",
        len(plan.todo),
        len(plan.shards),
        time.perf_counter() - plan.started,
    )


def get_generators(pelican_object):
    return SearchGenerator


def register():
    signals.all_generators_finalized.connect(list_search_pages)
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(get_generators)
    signals.page_writer_finalized.connect(start_index)
    signals.finalized.connect(build_index)

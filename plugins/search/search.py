"""Static search with Pagefind: a search page per language, folded Kazakh spellings, the index built last."""

import json
import logging
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from babel import Locale
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from bilingual.bilingual import write_listings
from bilingual.listings import Listing
from l10n import catalogs
from l10n.l10n import settings_of as l10n_settings

from .folding import KAZAKH_FOLDING, check_table, folded_words

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Run Pagefind on the output folder at the end of every build.
    "SEARCH_INDEX": True,
    # Per language: letters folded at index and query time (both spellings match).
    "SEARCH_FOLDING": {"kk": KAZAKH_FOLDING},
    # Folder of the search bundle, relative to the output folder.
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_RESULTS_PER_PAGE": 10,
}
PAGE_TEMPLATE = "search"
# Pagefind's own interfaces; the search page has its own (theme/static/js/search.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
# The hidden element that carries the folded words; the search page's script finds it by this id.
FOLDED_ANCHOR = "search-folded"
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


def setup_templates(generator) -> None:
    """Offer templates plural_forms(singular, plural): the page language's forms for the browser."""
    if not hasattr(generator, "env"):
        return
    directory = Path(l10n_settings(generator.settings)["L10N_CATALOG_DIR"])
    translations = {
        lang: catalogs.load_translations(directory, lang) for lang in generator.settings["LANGUAGES"]
    }

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
        bundle_url = Markup(f"{self.settings['SITEURL']}/{bundle}/")
        write_listings(self, writer, self.listings, search_bundle=bundle_url)


def pagefind_executable() -> Path:
    """Return the Pagefind binary that the pagefind-bin package ships."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SystemExit(
            "search: the pagefind-bin package is missing; run `make build` (or pip install -r "
            "requirements.txt) to install it"
        ) from None
    return get_executable()


def stable_entry(text: str) -> str:
    """Return Pagefind's entry file with its languages sorted: Pagefind writes them in any order."""
    entry = json.loads(text)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def build_index(pelican) -> None:
    """Index the finished output with Pagefind (one index per <html lang>)."""
    options = settings_of(pelican.settings)
    if not options["SEARCH_INDEX"]:
        return
    output = Path(pelican.output_path)
    bundle = output / options["SEARCH_BUNDLE_DIR"]
    # Pagefind keeps no record of pages that are gone: start from an empty bundle.
    shutil.rmtree(bundle, ignore_errors=True)
    site = output
    build_output = pelican.settings.get("ATOMIC_OUTPUT_BUILD")
    if build_output is not None and build_output.incremental:
        # Pages kept from the previous build are not in the staging folder: index links to them all.
        site = output / ".search-site"
        for name, path in build_output.files().items():
            if name.endswith(".html"):
                (site / name).parent.mkdir(parents=True, exist_ok=True)
                (site / name).hardlink_to(path)
    command = [
        str(pagefind_executable()),
        "--site",
        str(site),
        "--output-path",
        str(bundle),
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if site != output:
        shutil.rmtree(site)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SystemExit(
            f"search: Pagefind could not index {output} ({detail[-1] if detail else 'no message'})"
        )
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    entry = bundle / "pagefind-entry.json"
    if entry.is_file():  # two builds of the same content must give the same bytes
        entry.write_text(stable_entry(entry.read_text(encoding="utf-8")), encoding="utf-8")
    logger.info("Search index written to %s", bundle)


def get_generators(pelican_object):
    return SearchGenerator


def register():
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)

"""Development settings: the site as editors preview it (`make build`, `invoke serve`)."""

import sys
from pathlib import Path

SITE_ROOT = Path(__file__).resolve().parent
# Our plugins import each other's pure helpers (l10n.translit, …) by package name.
if str(SITE_ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(SITE_ROOT / "plugins"))

SITENAME = "Almaty"  # the visible, translated name comes from the theme's catalogs
SITEURL = ""
# The public address. Feeds, the sitemap, Open Graph and JSON-LD need absolute URLs even while
# SITEURL is "" (development); they use SITEURL when it is absolute (publishconf.py), else this.
# Its host also names the feed entry ids (tag:HOST,DATE:…): keep it when the site moves.
FEED_DOMAIN = "https://almaty-news.example.kz"

PATH = "content"
OUTPUT_PATH = "output"
THEME = str(SITE_ROOT / "theme")
PLUGIN_PATHS = [str(SITE_ROOT / "plugins")]
# The build core runs every build (staging, commit, workers) and declares the order of the generators
# (build_core.GENERATOR_ORDER): the order of this list does not decide how the plugins compose.
PLUGINS = [
    "progress",
    "build_core",
    "incremental",
    "content_format",
    "l10n",
    "schedule",
    "bilingual",
    "pictures",
    "events",
    "search",
    "discovery",
    "theme_assets",
]

TIMEZONE = "Asia/Almaty"
# The process locale, which Pelican sets from the environment by default: a fixed one, so that an
# editor's LANG (ru_RU.UTF-8, which few machines have installed) changes only the language of the
# messages, never what is built, and Pelican does not warn "Locale could not be set". Dates and
# numbers on pages come from Babel (plugins/l10n), never from the locale.
LOCALE = ("C.UTF-8", "C")
DEFAULT_LANG = "ru"
LANGUAGES = ["ru", "kk"]
# Switch labels: the code is kk, but readers know the Kazakh edition as "KZ".
LANGUAGE_LABELS = {"ru": "RU", "kk": "KZ"}
LANGUAGE_ENDONYMS = {"ru": "Русский", "kk": "Қазақша"}
# The language of the build's messages to editors (errors, warnings, progress): "ru", "kk" or "en";
# empty: the environment's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), English when it names neither.
EDITOR_LANGUAGE = ""
DEFAULT_PAGINATION = 10
# A preview: drafts (Status: draft) and stories dated later than the build are shown, marked as such.
# publishconf.py turns it off, so a published build leaves them out (see plugins/schedule).
SCHEDULE_PREVIEW = True

# /{lang}/news/ is a plain newest-first listing; /{lang}/events/ (upcoming, then past) and the
# month calendars belong to the events plugin.
BILINGUAL_SECTION_LISTINGS = ["news"]
# Part of every event's calendar UID: never change it, or subscribers see every event twice.
EVENTS_UID_DOMAIN = "almaty-news.example.kz"

# The folder is the story (see PRODUCT.md): the content_format reader takes slug,
# language, section and day from it, so Pelican's own guessing is switched off.
ARTICLE_PATHS = ["news", "events"]
PAGE_PATHS = ["pages"]
# Nothing in content/ is copied wholesale: the pictures plugin publishes re-encoded derivatives
# (no camera metadata) under media/, and content_format publishes only the documents a text links
# (Pelican's {static} links), at the address beside the story's folder: /news/2026/<folder>/programme.pdf.
STATIC_PATHS = []
ARTICLE_TRANSLATION_ID = None  # both languages are listed; the bilingual plugin pairs them
PAGE_TRANSLATION_ID = None
PAGE_ORDER_BY = "slug"
USE_FOLDER_AS_CATEGORY = False
SLUGIFY_SOURCE = "basename"

ARTICLE_URL = "{lang}/{section}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{lang}/{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
STATIC_URL = "{path}"
STATIC_SAVE_AS = "{path}"

# Listings are written per language by the bilingual plugin; Pelican's mixed ones are off.
DIRECT_TEMPLATES = []
INDEX_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        # align="…" rather than style="text-align: …", which the Content-Security-Policy blocks.
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        # Markdown's smarty, same options and output, made fast (plugins/content_format/typography.py).
        "content_format.typography": {"substitutions": {"left-double-quote": "«", "right-double-quote": "»"}},
    },
    "output_format": "html5",
}
# auto_reload off: each build makes its templates' environment anew, so asking the disk whether a
# template changed (a stat per include, per page: 100,000 at archive scale) only costs time.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}

# Picture derivatives, kept between builds (and through `make clean`) by their source and operation.
PICTURES_CACHE_PATH = str(SITE_ROOT / "cache" / "pictures")

# Worker processes for reading, checking, rendering and pictures (Pagefind: 2 at most); 0: one per core.
BUILD_WORKERS = 0
# Reuse what earlier builds made (reader results, unchanged pages kept from output/); False builds
# every page anew, with Pelican's own reading and writing: the same site, byte for byte, only slower.
INCREMENTAL = True

DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
RELATIVE_URLS = False

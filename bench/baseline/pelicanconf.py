"""Stock Pelican 4.12 settings for the benchmark corpus: i18n-subsites (a kk subsite) and neighbors.

Everything is Pelican's default (notmyidea theme, feeds, tag/category/archive pages) except
what the PRODUCT.md layout needs: path metadata for language, slug, date and section, and
pagination as on our site. Used by `invoke bench` with `-o OUT --cache-path CACHE`.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SITENAME = "Almaty"
SITEURL = ""
TIMEZONE = "Asia/Almaty"
DEFAULT_LANG = "ru"
DEFAULT_PAGINATION = 10

PLUGINS = ["i18n_subsites", "neighbors"]
# The Kazakh edition is a subsite in kk/; each site writes only its own language
# ("remove"), so both sides of the benchmark write the same story pages.
I18N_SUBSITES = {"kk": {"SITENAME": "Алматы"}}
I18N_UNTRANSLATED_ARTICLES = "remove"
I18N_UNTRANSLATED_PAGES = "remove"

ARTICLE_PATHS = ["news", "events"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["news", "events"]
USE_FOLDER_AS_CATEGORY = False
# news/2025/2025-04-23-slug/ru.md → section (as category), day, slug and language.
PATH_METADATA = (
    r"(?:(?P<category>news|events)/\d{4}/(?P<date>\d{4}-\d{2}-\d{2})-|pages/)(?P<slug>[a-z0-9-]+)/"
    r"(?P<lang>ru|kk)\.md"
)
ARTICLE_URL = "{category}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"

# The content cache is Pelican's own answer to rebuild time: give it its best chance.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True

THEME_TEMPLATES_OVERRIDES = [str(HERE / "templates")]  # shows the cover picture

"""Map a content file's path to what it is: section, language, slug and publication day."""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from l10n.messages import Message, _
from l10n.translit import slugify

STORY_SECTIONS = ("news", "events")
PAGES_FOLDER = "pages"
LANGUAGES = ("ru", "kk")
# Page slugs that would shadow a listing URL under /{lang}/.
RESERVED_PAGE_SLUGS = frozenset({*STORY_SECTIONS, "archive", "tags", "search", "page", "static", "theme"})

# What a story or page folder may hold besides ru.md and kk.md (PRODUCT.md), by extension in any case:
# pictures, always re-encoded (never published as they are), and documents the text links.
PICTURE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".avif", ".heic", ".heif", ".hif"}
)
PICTURE_KINDS = _("JPEG, PNG, WebP, GIF, TIFF, BMP, AVIF or HEIC/HEIF")
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".csv", ".txt"})
DOCUMENT_KINDS = _("PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV or TXT")

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_STORY_FOLDER = re.compile(rf"(?P<day>\d{{4}}-\d{{2}}-\d{{2}})-(?P<slug>{SLUG})")
_SLUG = re.compile(SLUG)
_DATED_FOLDER = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})-(?P<slug>.+)")
# A folder name's date as editors mistype it (2026-10-5, 2026_10_05, 20261005, 05.10.2026, a month
# without its day, a year alone), and the words after it.
_SEPARATORS = r"[-_. ]"
_DATE_FIRST = re.compile(
    rf"(?P<year>\d{{4}})(?:(?P<sep>{_SEPARATORS}?)(?P<month>\d{{1,2}})(?:(?P=sep)(?P<day>\d{{1,2}}))?)?(?!\d)"
    rf"{_SEPARATORS}*(?P<words>.*)"
)
_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}})(?P<sep>{_SEPARATORS})(?P<month>\d{{1,2}})(?P=sep)(?P<year>\d{{4}})(?!\d)"
    rf"{_SEPARATORS}*(?P<words>.*)"
)


class LayoutError(ValueError):
    """The path does not follow the content layout; the message tells the editor why."""

    def __init__(self, message: Message | str, folder: str | None = None):
        super().__init__(message)
        self.message = message
        # The folder (relative to content/) whose name or place is wrong, when the mistake is the
        # folder's rather than one file's: it is reported once, not once per file in it.
        self.folder = folder


@dataclass(frozen=True)
class Source:
    """What a content file's place in the tree says about it."""

    section: str  # "news", "events" or "pages"
    slug: str
    lang: str
    folder: str  # the story folder, relative to the content root
    day: dt.date | None = None  # publication day; pages have none

    @property
    def is_story(self) -> bool:
        return self.section in STORY_SECTIONS

    @property
    def url(self) -> str:
        """Return the page's address on the site (PRODUCT.md), as a root-relative path."""
        if self.is_story:
            return f"/{self.lang}/{self.section}/{self.day:%Y}/{self.day:%m}/{self.slug}/"
        return f"/{self.lang}/{self.slug}/"

    @property
    def translation_key(self) -> str:
        """Identify the story across languages: its folder."""
        return self.folder


def _page_folder_advice(slug: str, folder: str) -> LayoutError:
    """Explain the slug rule for a page folder, suggesting the name made from its words."""
    suggestion = slugify(slug)
    if not suggestion:
        return LayoutError(
            _(
                "page folder '{folder}': the name must be lowercase Latin letters, digits and hyphens",
                folder=slug,
            ),
            folder,
        )
    return LayoutError(
        _(
            "page folder '{folder}': the name must be lowercase Latin letters, digits and hyphens; "
            "rename the folder to '{name}'",
            folder=slug,
            name=suggestion,
        ),
        folder,
    )


def _real_day(year: str | None, month: str | None, day: str | None) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day)) if year and month and day else None
    except ValueError:
        return None


def suggested_folder_name(name: str, story_day: dt.date | None = None) -> str | None:
    """Return the YYYY-MM-DD-slug name a misnamed story folder was meant to have, or None if unknown.

    story_day (the story's Date) completes a name whose date is missing, partial or impossible, when
    it agrees with what the name gives.
    """
    found = _DATE_FIRST.fullmatch(name) or _DAY_FIRST.fullmatch(name)
    parts = (found["year"], found["month"], found["day"]) if found else (None, None, None)
    words = found["words"] if found else name
    day = _real_day(*parts)
    if day is None and story_day is not None:
        given = [int(part) for part in parts[:2] if part]
        if given == [story_day.year, story_day.month][: len(given)]:
            day = story_day
    slug = slugify(words)
    return f"{day.isoformat()}-{slug}" if day and slug else None


def _story_folder_advice(section: str, year: str, name: str, story_day: dt.date | None) -> Message:
    """Say what is wrong with a story folder's name or place, and the name or place it should have."""
    dated = _STORY_FOLDER.fullmatch(name)
    day = _real_day(*dated["day"].split("-")) if dated else None
    if day:  # a good name in the wrong year's folder
        return _(
            "story folder '{folder}' belongs in {place}, not {wrong}; move it there",
            folder=name,
            place=f"{section}/{day.isoformat()[:4]}/",
            wrong=f"{year}/",
        )
    suggestion = suggested_folder_name(name, story_day)
    if suggestion is None:
        if _DATED_FOLDER.fullmatch(name):
            return _("story folder '{folder}' starts with an impossible date; fix the date", folder=name)
        return _(
            "story folder '{folder}' must be named YYYY-MM-DD-slug, "
            "the slug in lowercase Latin letters, digits and hyphens",
            folder=name,
        )
    # In another year's folder, the suggestion names the place too.
    target = suggestion if suggestion[:4] == year else f"{section}/{suggestion[:4]}/{suggestion}"
    loose = _DATED_FOLDER.fullmatch(name)
    if loose and _real_day(*loose["day"].split("-")) and loose["day"] == suggestion[:10]:
        return _(
            "story folder '{folder}': the slug must be lowercase Latin letters, digits and hyphens; "
            "rename the folder to '{name}'",
            folder=name,
            name=target,
        )
    return _(
        "story folder '{folder}' must be named YYYY-MM-DD-slug (the story's day, then lowercase Latin "
        "letters, digits and hyphens); rename it to '{name}'",
        folder=name,
        name=target,
    )


def _language(file_name: str) -> str:
    stem, dot, suffix = file_name.rpartition(".")
    if dot and suffix == "md" and stem in LANGUAGES:
        return stem
    raise LayoutError(
        _(
            "the text file must be named ru.md or kk.md (the name gives the language), not {name}",
            name=file_name,
        )
    )


def owning_folder(relative_path: str) -> str | None:
    """Return the story or page folder a content file lies in (relative to content/), or None if none."""
    parts = relative_path.split("/")
    if parts[0] in STORY_SECTIONS and len(parts) >= 4:
        return "/".join(parts[:3])
    if parts[0] == PAGES_FOLDER and len(parts) >= 3:
        return "/".join(parts[:2])
    return None


def parse_source_path(relative_path: str, story_day: dt.date | None = None) -> Source:
    """Return the Source for a path like news/2025/2025-04-23-slug/ru.md (relative to content/).

    story_day, the story's Date, lets the error for a misnamed story folder suggest its right name.
    """
    parts = relative_path.replace("\\", "/").split("/")
    section = parts[0]
    if section == PAGES_FOLDER:
        if len(parts) != 3:
            raise LayoutError(_("a page lives in pages/<slug>/ru.md or pages/<slug>/kk.md"))
        slug, folder = parts[1], "/".join(parts[:2])
        if not _SLUG.fullmatch(slug):
            raise _page_folder_advice(slug, folder)
        if slug in RESERVED_PAGE_SLUGS:
            raise LayoutError(
                _("page folder '{folder}' is taken by a site section; pick another name", folder=slug), folder
            )
        return Source(section, slug, _language(parts[2]), folder)
    if section not in STORY_SECTIONS:
        near = difflib.get_close_matches(section.lower(), [*STORY_SECTIONS, PAGES_FOLDER], n=1)
        if near:
            message = _(
                "unknown section '{section}': stories go in news/ or events/, pages in pages/; "
                "did you mean {near}/?",
                section=section,
                near=near[0],
            )
        else:
            message = _(
                "unknown section '{section}': stories go in news/ or events/, pages in pages/",
                section=section,
            )
        raise LayoutError(message, section if len(parts) > 1 else None)
    if len(parts) != 4:
        raise LayoutError(
            _("a story lives in {section}/<YYYY>/<YYYY-MM-DD>-<slug>/ru.md or kk.md", section=section)
        )
    year, folder_name, file_name = parts[1:]
    folder = "/".join(parts[:3])
    match = _STORY_FOLDER.fullmatch(folder_name)
    day = _real_day(*match["day"].split("-")) if match else None
    if day is None or year != day.isoformat()[:4]:
        raise LayoutError(_story_folder_advice(section, year, folder_name, story_day), folder)
    return Source(section, match["slug"], _language(file_name), folder, day)

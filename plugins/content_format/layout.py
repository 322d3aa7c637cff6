"""Map a content file's path to what it is: section, language, slug and publication day."""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

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
PICTURE_KINDS = "JPEG, PNG, WebP, GIF, TIFF, BMP, AVIF or HEIC/HEIF"
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".csv", ".txt"})
DOCUMENT_KINDS = "PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV or TXT"

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_STORY_FOLDER = re.compile(rf"(?P<day>\d{{4}}-\d{{2}}-\d{{2}})-(?P<slug>{SLUG})")
_SLUG = re.compile(SLUG)
_DATED_FOLDER = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})-(?P<slug>.+)")


class LayoutError(ValueError):
    """The path does not follow the content layout; the message tells the editor why."""


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


def _slug_advice(what: str, prefix: str, slug: str) -> str:
    """Explain the slug rule, suggesting a folder name made from the given slug."""
    suggestion = slugify(slug)
    hint = f"; rename the folder to '{prefix}{suggestion}'" if suggestion else ""
    return f"{what} '{prefix}{slug}': the slug must be lowercase Latin letters, digits and hyphens{hint}"


def _language(file_name: str) -> str:
    stem, dot, suffix = file_name.rpartition(".")
    if dot and suffix == "md" and stem in LANGUAGES:
        return stem
    raise LayoutError(
        f"the text file must be named ru.md or kk.md (the name gives the language), not {file_name}"
    )


def owning_folder(relative_path: str) -> str | None:
    """Return the story or page folder a content file lies in (relative to content/), or None if none."""
    parts = relative_path.split("/")
    if parts[0] in STORY_SECTIONS and len(parts) >= 4:
        return "/".join(parts[:3])
    if parts[0] == PAGES_FOLDER and len(parts) >= 3:
        return "/".join(parts[:2])
    return None


def parse_source_path(relative_path: str) -> Source:
    """Return the Source for a path like news/2025/2025-04-23-slug/ru.md (relative to content/)."""
    parts = relative_path.replace("\\", "/").split("/")
    section = parts[0]
    if section == PAGES_FOLDER:
        if len(parts) != 3:
            raise LayoutError("a page lives in pages/<slug>/ru.md or pages/<slug>/kk.md")
        slug = parts[1]
        if not _SLUG.fullmatch(slug):
            raise LayoutError(_slug_advice("page folder", "", slug))
        if slug in RESERVED_PAGE_SLUGS:
            raise LayoutError(f"page folder '{slug}' is taken by a site section; pick another name")
        return Source(section, slug, _language(parts[2]), f"{PAGES_FOLDER}/{slug}")
    if section not in STORY_SECTIONS:
        near = difflib.get_close_matches(section.lower(), [*STORY_SECTIONS, PAGES_FOLDER], n=1)
        hint = f"; did you mean {near[0]}/?" if near else ""
        raise LayoutError(
            f"unknown section '{section}': stories go in news/ or events/, pages in pages/{hint}"
        )
    if len(parts) != 4:
        raise LayoutError(f"a story lives in {section}/<YYYY>/<YYYY-MM-DD>-<slug>/ru.md or kk.md")
    year, folder_name, file_name = parts[1:]
    match = _STORY_FOLDER.fullmatch(folder_name)
    dated = _DATED_FOLDER.fullmatch(folder_name)
    if not match and dated:
        raise LayoutError(_slug_advice("story folder", f"{dated['day']}-", dated["slug"]))
    if not match:
        raise LayoutError(
            f"story folder '{folder_name}' must be named YYYY-MM-DD-slug, "
            "the slug in lowercase Latin letters, digits and hyphens"
        )
    try:
        day = dt.date.fromisoformat(match["day"])
    except ValueError:
        raise LayoutError(f"story folder '{folder_name}' starts with an impossible date") from None
    if year != match["day"][:4]:
        raise LayoutError(f"story folder '{folder_name}' belongs in {section}/{day.year}/, not {year}/")
    folder = "/".join(parts[:3])
    return Source(section, match["slug"], _language(file_name), folder, day)

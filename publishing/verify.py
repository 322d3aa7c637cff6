"""Check a built site before it goes live: only files it publishes, links lead to files, no inline script."""

import os
from dataclasses import dataclass
from pathlib import Path

from content_format.layout import DOCUMENT_SUFFIXES, owning_folder
from l10n.messages import Message, _

from .links import LinkProblem, PageParser, check_site, in_page_order, read_pages

# <script> types a browser runs; any other type (JSON-LD, JSON settings) is a data block CSP allows.
SCRIPT_TYPES = frozenset(
    {"", "module", "text/javascript", "application/javascript", "application/ecmascript"}
)


# What a build writes, outside the theme's own files and Pagefind's index (which are theirs): pages,
# feeds, the sitemap, calendars and robots.txt anywhere; picture derivatives in the pictures folder;
# documents in a story or page folder. Anything else a regressed plugin could have put there.
OWN_FOLDERS = ("theme", "pagefind")
PAGE_SUFFIXES = frozenset({".html", ".xml", ".ics", ".txt"})
DERIVATIVE_SUFFIXES = frozenset({".webp", ".jpg", ".png"})


@dataclass(frozen=True)
class Broken:
    """A problem found in the built output."""

    page: str  # file, relative to the output folder
    message: Message

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def is_executable(attributes: dict) -> bool:
    """Tell whether a <script> element (its attributes) runs code, rather than holding data."""
    return (attributes.get("type") or "").split(";")[0].strip().lower() in SCRIPT_TYPES


def inline_code(output: Path, pages: dict[str, PageParser] | None = None) -> list[Broken]:
    """Return each inline script, style or event handler, which the Content-Security-Policy blocks."""
    problems = []
    for relative, page in (read_pages(Path(output)) if pages is None else pages).items():
        problems += [
            Broken(relative, _("inline <script>: move it to a file under theme/static/"))
            for script in page.scripts
            if is_executable(script)
        ]
        if page.styles:
            problems.append(Broken(relative, _("inline style: move it to theme/static/css/")))
        for name, tag in page.handlers:
            handler = _(
                "inline event handler {name} on <{tag}>: move the script to a file under theme/static/",
                name=name,
                tag=tag,
            )
            problems.append(Broken(relative, handler))
    return problems


def is_published_type(relative: str, pictures_folder: str) -> bool:
    """Tell whether the build publishes a file of this name in this place (outside theme/ and pagefind/)."""
    name = relative.rsplit("/", 1)[-1]
    suffix = os.path.splitext(name)[1].lower()
    if name.startswith("."):
        return False
    if suffix in PAGE_SUFFIXES:
        return True
    if suffix in DERIVATIVE_SUFFIXES and relative == f"{pictures_folder}/{name}":
        return True
    return suffix in DOCUMENT_SUFFIXES and owning_folder(relative) is not None


def foreign_files(output: Path, pictures_folder: str = "media") -> list[Broken]:
    """Return each symbolic link in the output, and each file of a type or place the build never writes."""
    problems = []
    for folder, dirs, files in os.walk(output):  # links to folders are listed, never entered
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, output).replace(os.sep, "/")
            if os.path.islink(path):
                problems.append(
                    Broken(relative, _("is a symbolic link; a published site holds only its own files"))
                )
            elif (
                name in files
                and relative.split("/")[0] not in OWN_FOLDERS
                and not is_published_type(relative, pictures_folder)
            ):
                problems.append(
                    Broken(relative, _("is not a file the site publishes; it must not be deployed"))
                )
    return in_page_order(problems)


def verify_site(
    output: Path, site_url: str = "", pictures_folder: str = "media"
) -> list[Broken | LinkProblem]:
    """Run every check on the built output: only published files, the link check, then inline code."""
    output = Path(output)
    if not (output / "index.html").is_file():
        return [
            Broken(".", _("no site in {folder}: index.html is missing; build it first", folder=str(output)))
        ]
    pages = read_pages(output)  # each page parsed once, for the link check and the inline code alike
    return [
        *foreign_files(output, pictures_folder),
        *check_site(output, site_url=site_url, pages=pages),
        *inline_code(output, pages),
    ]

"""Check the links in a body: site addresses lead to stories and pages that exist, local files are there."""

import difflib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..layout import LANGUAGES, RESERVED_PAGE_SLUGS, SLUG, STORY_SECTIONS
from ..reader import is_local_reference
from .problems import Problem
from .references import Reference

LANGUAGE_NAMES = {"ru": "Russian", "kk": "Kazakh"}
_SLUG = re.compile(SLUG)
_YEAR_MONTH = re.compile(r"\d{4}/\d{2}")
STORY_ADDRESS = "/ru/news/2025/04/slug/"
_PELICAN_LINK = ("{filename}", "{static}", "{attach}")


def _site_path_problem(target: str, site_paths: set[str]) -> str | None:
    """Return what is wrong with a link to /{lang}/…, or None when it leads to a known page."""
    parts = [p for p in urlsplit(target).path.split("/") if p]
    if not parts or parts[0] not in LANGUAGES:
        return None
    is_story = len(parts) == 5 and parts[1] in STORY_SECTIONS and _YEAR_MONTH.fullmatch("/".join(parts[2:4]))
    is_page = len(parts) == 2 and parts[1] not in RESERVED_PAGE_SLUGS and _SLUG.fullmatch(parts[1])
    if not (is_story or is_page):
        return None  # a listing, tag or archive page: written by the build itself
    wanted = "/" + "/".join(parts) + "/"
    if wanted in site_paths:
        return None
    what = "story" if is_story else "page"
    other = [f"/{lang}/" + "/".join(parts[1:]) + "/" for lang in LANGUAGES if lang != parts[0]]
    if any(path in site_paths for path in other):
        return (
            f"link to {target}: that {what} has no {LANGUAGE_NAMES.get(parts[0], parts[0])} version; "
            f"link the one that exists ({next(p for p in other if p in site_paths)}) or write the translation"
        )
    near = difflib.get_close_matches(wanted, sorted(site_paths), n=1, cutoff=0.8)
    hint = (
        f"; did you mean {near[0]}?"
        if near
        else f"; a {what} address looks like " + (STORY_ADDRESS if is_story else "/ru/slug/")
    )
    return f"link to {target}: there is no such {what} on the site{hint}"


def check_links(
    references: list[Reference], folder: Path, content_root: Path, site_paths: set[str], path: str
) -> list[Problem]:
    """Name links to stories or pages that do not exist and to local files that are missing."""
    problems = []
    for link in (r for r in references if r.kind == "link"):
        target = link.target
        if target.startswith("/") and not target.startswith("//"):
            message = _site_path_problem(target, site_paths)
        elif target.startswith(_PELICAN_LINK):
            relative = unquote(urlsplit(target.split("}", 1)[1]).path)
            base = content_root if relative.startswith("/") else folder
            exists = (base / relative.lstrip("/")).exists()
            message = None if exists else f"link to '{target}': there is no such file in the content folder"
        elif is_local_reference(target):
            relative = unquote(urlsplit(target).path)
            if (folder / relative).is_dir():
                message = f"link to '{target}' is a folder; link a story by its address ({STORY_ADDRESS})"
            elif (folder / relative).exists():
                message = None
            elif relative.startswith("www."):
                message = (
                    f"link to '{target}' has no https:// in front; for another site write https://{target}"
                )
            else:
                message = f"link to '{target}': there is no such file in the story folder"
        else:
            message = None
        if message:
            problems.append(Problem(path, link.line, message))
    return problems

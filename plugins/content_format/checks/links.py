"""Check the links in a body: site addresses lead to stories and pages that exist, local files are there."""

import difflib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from l10n.messages import Message, _

from ..layout import LANGUAGES, RESERVED_PAGE_SLUGS, SLUG, STORY_SECTIONS
from ..reader import is_local_reference
from .problems import Problem
from .references import Reference

_SLUG = re.compile(SLUG)
_YEAR_MONTH = re.compile(r"\d{4}/\d{2}")


def language_of_address(target: str) -> str:
    """Return the language an address is in (/kk/…), for the example a message shows; ru by default."""
    first = target.strip("/").split("/", 1)[0]
    return first if first in LANGUAGES else "ru"


_PELICAN_LINK = ("{filename}", "{static}", "{attach}")


def _no_such_address(target: str, is_story: bool, near: str | None) -> Message:
    if is_story and near:
        return _(
            "link to {target}: there is no such story on the site; did you mean {near}?",
            target=target,
            near=near,
        )
    if near:
        return _(
            "link to {target}: there is no such page on the site; did you mean {near}?",
            target=target,
            near=near,
        )
    if is_story:
        return _(
            "link to {target}: there is no such story on the site; "
            "a story address looks like /{lang}/news/YYYY/MM/<slug>/",
            target=target,
            lang=language_of_address(target),
        )
    return _(
        "link to {target}: there is no such page on the site; a page address looks like /{lang}/<slug>/",
        target=target,
        lang=language_of_address(target),
    )


def _no_version(target: str, is_story: bool, lang: str, other: str) -> Message:
    """Say that the linked story or page is not written in the link's language (one sentence each)."""
    if is_story and lang == "kk":
        return _(
            "link to {target}: that story has no Kazakh version; "
            "link the one that exists ({other}) or write the translation",
            target=target,
            other=other,
        )
    if is_story:
        return _(
            "link to {target}: that story has no Russian version; "
            "link the one that exists ({other}) or write the translation",
            target=target,
            other=other,
        )
    if lang == "kk":
        return _(
            "link to {target}: that page has no Kazakh version; "
            "link the one that exists ({other}) or write the translation",
            target=target,
            other=other,
        )
    return _(
        "link to {target}: that page has no Russian version; "
        "link the one that exists ({other}) or write the translation",
        target=target,
        other=other,
    )


def _site_path_problem(target: str, site_paths: set[str]) -> Message | None:
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
    other = [f"/{lang}/" + "/".join(parts[1:]) + "/" for lang in LANGUAGES if lang != parts[0]]
    existing = [path for path in other if path in site_paths]
    if existing:
        return _no_version(target, bool(is_story), parts[0], existing[0])
    near = difflib.get_close_matches(wanted, sorted(site_paths), n=1, cutoff=0.8)
    return _no_such_address(target, bool(is_story), near[0] if near else None)


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
            message = (
                None
                if exists
                else _("link to '{target}': there is no such file in the content folder", target=target)
            )
        elif is_local_reference(target):
            relative = unquote(urlsplit(target).path)
            if (folder / relative).is_dir():
                message = _(
                    "link to '{target}' is a folder; "
                    "link a story by its address (/{lang}/news/YYYY/MM/<slug>/)",
                    target=target,
                    lang=language_of_address(f"/{Path(path).stem}/"),  # the text's language
                )
            elif (folder / relative).exists():
                message = None
            elif relative.startswith("www."):
                message = _(
                    "link to '{target}' has no https:// in front; for another site write https://{target}",
                    target=target,
                )
            else:
                message = _("link to '{target}': there is no such file in the story folder", target=target)
        else:
            message = None
        if message:
            problems.append(Problem(path, link.line, message))
    return problems

"""Check that every story and page folder holds only what the site may publish (PRODUCT.md).

A folder holds ru.md, kk.md, pictures (which the pictures plugin re-encodes: never published as
they are) and documents its text links (published as they are, nothing else is). Anything else is
an error naming the file; so is a symbolic link anywhere under content/, which no part of the build
follows, and any file outside a story or page folder.
"""

import os
import posixpath
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from build_core.core import content_tree
from l10n.messages import Message, _

from ..layout import (
    DOCUMENT_KINDS,
    DOCUMENT_SUFFIXES,
    LANGUAGES,
    PAGES_FOLDER,
    PICTURE_KINDS,
    PICTURE_SUFFIXES,
    owning_folder,
)
from ..reader import is_local_reference
from .problems import ERROR, WARNING, Problem, shown

# Formats a story's text is sometimes saved in by mistake: only ru.md and kk.md are read.
TEXT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".mdwn", ".mdtxt", ".mdtext", ".text", ".txt", ".rst"}
    | {".html", ".htm", ".xhtml"}
)
VIDEO_SUFFIXES = (".mov", ".mp4", ".m4v", ".avi", ".mkv", ".webm", ".3gp")
CAMERA_SUFFIXES = (".jxl", ".psd", ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".raf", ".rw2")
OFFICE_SUFFIXES = (".doc", ".xls", ".ppt", ".rtf", ".odp", ".pages", ".key", ".numbers")
# What to do with a file of a type the site does not publish, by its extension: a clause of its own,
# after the sentence saying what a folder holds.
ADVICE = {
    **dict.fromkeys(VIDEO_SUFFIXES, _("the site publishes no videos: put it on a video site and link that")),
    ".svg": _("an SVG can carry scripts: export it as PNG"),
    **dict.fromkeys(CAMERA_SUFFIXES, _("export it as JPEG")),
    **dict.fromkeys(OFFICE_SUFFIXES, _("save it as PDF")),
    **dict.fromkeys(TEXT_SUFFIXES, _("the text goes in ru.md or kk.md")),
}
REMOVE_IT = _("remove it")
_PELICAN_LINK = ("{static}", "{attach}")


def referenced_path(target: str, folder: str) -> str | None:
    """Return the content path (relative to content/) a text in folder refers to, or None if no file."""
    if target.startswith(_PELICAN_LINK):
        target = target.split("}", 1)[1]
        if target.startswith("/"):
            path = unquote(urlsplit(target).path).lstrip("/")
            return posixpath.normpath(path) if path else None
    elif not is_local_reference(target):
        return None
    path = unquote(urlsplit(target).path)
    return posixpath.normpath(posixpath.join(folder, path)) if path else None


def _is_page(folder: str) -> bool:
    """Tell a page folder from a story folder: messages name which one (a sentence for each)."""
    return folder.startswith(f"{PAGES_FOLDER}/")


def _uses(
    content_root: Path, findings_by_file: Mapping
) -> tuple[dict[str, set[str]], set[str], list[Problem]]:
    """Return the files each folder's texts refer to, the folders with a text the checks could not read,
    and the links that reach out of their folder for a file."""
    uses: dict[str, set[str]] = defaultdict(set)
    unread: set[str] = set()
    problems = []
    for file, findings in findings_by_file.items():
        checked = findings.checked
        if checked is None:
            unread.add(owning_folder(Path(file).relative_to(content_root).as_posix()))
            continue
        folder = checked.source.folder
        targets = [(r.line, r.kind, r.target) for r in findings.references]
        cover = checked.fields.get("image")
        if cover and cover.value:
            targets.append((cover.line, "picture", cover.value))
        for line, kind, target in targets:
            path = referenced_path(target, folder)
            if path is None:
                continue
            uses[folder].add(path)
            # Another story is linked by its text (ru.md); a file out of the folder would be published
            # from wherever it is (pictures leaving the folder are the pictures plugin's to name).
            outside = not path.startswith(f"{folder}/") and not path.endswith(".md")
            target_file = os.path.join(content_root, path)
            if kind == "link" and outside and os.path.lexists(target_file) and not os.path.isdir(target_file):
                if _is_page(folder):
                    message = _(
                        "link to '{target}' leaves the page folder; "
                        "put the file beside the text and link it by its name",
                        target=target,
                    )
                else:
                    message = _(
                        "link to '{target}' leaves the story folder; "
                        "put the file beside the text and link it by its name",
                        target=target,
                    )
                problems.append(Problem(findings.path, line, message))
    return uses, unread, problems


def _not_published(name: str, folder: str, suffix: str) -> Message:
    fields = {
        "name": name,
        "pictures": PICTURE_KINDS,
        "documents": DOCUMENT_KINDS,
        "advice": ADVICE.get(suffix, REMOVE_IT),
    }
    if _is_page(folder):
        return _(
            "{name} is not a file the site publishes: a page folder holds only ru.md, kk.md, "
            "pictures ({pictures}) and documents its text links ({documents}); {advice}",
            **fields,
        )
    return _(
        "{name} is not a file the site publishes: a story folder holds only ru.md, kk.md, "
        "pictures ({pictures}) and documents its text links ({documents}); {advice}",
        **fields,
    )


def _misnamed_text(name: str, suffix: str) -> str | None:
    """Return the language of a story's text saved under another name than ru.md or kk.md, else None."""
    stem = name[: -len(suffix)].lower() if suffix else ""
    return stem if suffix in TEXT_SUFFIXES and stem in LANGUAGES and not name.endswith(".md") else None


@dataclass
class _Contents:
    """What the walk found in the story and page folders, for the checks that need the whole folder."""

    held: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # pictures, documents
    with_text: set[str] = field(default_factory=set)
    misnamed: set[str] = field(default_factory=set)  # folders whose text is saved under another name
    hidden: list[str] = field(default_factory=list)


def _walk(tree, report) -> _Contents:
    """Report each file the site may not publish; return what the story and page folders hold."""
    found = _Contents()
    for folder, dirs, names in tree.walk(tree.root):
        # As os.path.relpath(folder, tree.root), which costs more than the rest of the loop.
        prefix = folder[len(tree.root) + 1 :].replace(os.sep, "/") + "/" if folder != tree.root else ""
        for name in [d for d in dirs if d.startswith(".")]:
            dirs.remove(name)
            found.hidden.append(prefix + name)
            report(
                prefix + name,
                _("{name} is a hidden folder (its name starts with a dot); remove it", name=name),
            )
        # Beside a text, the layout check names a wrong place when it names the text.
        beside_text = any(name.endswith(".md") for name in names)
        for name in names:
            relative, suffix = prefix + name, os.path.splitext(name)[1].lower()
            owner = owning_folder(relative)
            language = _misnamed_text(name, suffix)
            if name.endswith(".md"):
                found.with_text.add(owner)
            elif name.startswith("."):
                report(
                    relative, _("{name} is a hidden file (its name starts with a dot); remove it", name=name)
                )
            elif owner is None:
                if not beside_text:
                    report(
                        relative,
                        _(
                            "{name} is outside any story or page folder, and nothing there is published; "
                            "move it into its story's folder or remove it",
                            name=name,
                        ),
                    )
            elif language:
                found.with_text.add(owner)
                found.misnamed.add(owner)
                report(
                    relative,
                    _(
                        "{name}: the text must be in ru.md or kk.md (Markdown, named by its language); "
                        "save it as {file}",
                        name=name,
                        file=f"{language}.md",
                    ),
                )
            elif suffix in PICTURE_SUFFIXES or suffix in DOCUMENT_SUFFIXES:
                found.held[owner].append(relative)
            else:
                report(relative, _not_published(name, owner, suffix))
    return found


def check_folders(
    content_root: Path, findings_by_file: Mapping, settings: dict | None = None
) -> list[Problem]:
    """Name every file under content_root the site may not publish, and each picture nothing shows.

    findings_by_file holds what the file checks found in each Markdown file (its references).
    """
    content_root = Path(content_root)
    tree = content_tree(content_root)
    uses, unread, problems = _uses(content_root, findings_by_file)

    def report(relative: str, message: Message, severity: str = ERROR) -> None:
        problems.append(Problem(shown(content_root / relative), 1, message, severity))

    found = _walk(tree, report)
    for folder, files in found.held.items():
        if folder not in found.with_text:
            if _is_page(folder):
                message = _(
                    "this page folder has no text, so nothing in it is published: "
                    "write the text in ru.md or kk.md"
                )
            else:
                message = _(
                    "this story folder has no text, so nothing in it is published: "
                    "write the text in ru.md or kk.md"
                )
            report(folder, message)
            continue
        if folder in unread or folder in found.misnamed:  # what the text uses is not known
            continue
        for relative in files:
            name = relative[len(folder) + 1 :]
            if relative in uses[folder]:
                continue
            if os.path.splitext(relative)[1].lower() in PICTURE_SUFFIXES:
                report(
                    relative,
                    _(
                        "nothing uses {name}, so it is not published; "
                        "show it in the text (![what it shows]({name})) or remove it",
                        name=name,
                    ),
                    WARNING,
                )
            else:
                report(relative, _("nothing links {name}: link it from the text or remove it", name=name))
    _report_links_and_special_files(content_root, tree, found.hidden, report)
    return problems


def _report_links_and_special_files(content_root: Path, tree, hidden, report) -> None:
    """Report each symbolic link (outside hidden folders) and each pipe, socket or device."""
    for relative in tree.links:
        if not any(relative.startswith(f"{folder}/") for folder in hidden):
            name = relative.rsplit("/", 1)[-1]
            if os.path.isdir(content_root / relative):
                message = _(
                    "{name} is a symbolic link; the site never follows links: put the folder itself here",
                    name=name,
                )
            else:
                message = _(
                    "{name} is a symbolic link; the site never follows links: put the file itself here",
                    name=name,
                )
            report(relative, message)
    for relative in tree.others:
        name = relative.rsplit("/", 1)[-1]
        report(
            relative, _("{name} is not a regular file (a pipe, a socket or a device); remove it", name=name)
        )

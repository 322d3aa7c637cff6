"""Check the pictures in a story's body: each is in the story folder and has alternative text."""

from pathlib import Path
from urllib.parse import unquote

from l10n.messages import Message, _

from ..reader import is_local_reference
from .files import missing_picture
from .problems import Problem
from .references import Reference


def no_alt_text(src: str) -> Message:
    """Say that a picture has no alt text: the one wording, for these checks and the pictures plugin."""
    return _(
        "picture '{src}' has no alt text: describe what it shows, as in ![what it shows]({src})", src=src
    )


def check_body_pictures(references: list[Reference], folder: Path, path: str) -> list[Problem]:
    """Name body pictures that are missing, on another site, or without alt text."""
    problems = []
    for picture in (r for r in references if r.kind == "picture"):
        src = picture.target
        if "://" in src or src.startswith("//"):
            problems.append(
                Problem(
                    path,
                    picture.line,
                    _(
                        "picture '{src}' is on another site, which the site's pages do not load; "
                        "save the file in the story folder and write its name",
                        src=src,
                    ),
                )
            )
        elif is_local_reference(src) and not (folder / unquote(src)).is_file():
            problems.append(Problem(path, picture.line, missing_picture(unquote(src), folder)))
        if not (picture.alt or "").strip():
            problems.append(Problem(path, picture.line, no_alt_text(src)))
    return problems

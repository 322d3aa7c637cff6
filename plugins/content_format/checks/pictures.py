"""Check the pictures in a story's body: each is in the story folder and has alternative text."""

import difflib
from pathlib import Path
from urllib.parse import unquote

from ..reader import is_local_reference
from .problems import Problem
from .references import Reference


def _nearest_file(name: str, folder: Path) -> str | None:
    """Return the folder's file whose name is closest to name, ignoring case."""
    files = (
        {p.name.lower(): p.name for p in folder.iterdir() if p.is_file() and p.suffix != ".md"}
        if folder.is_dir()
        else {}
    )
    near = difflib.get_close_matches(name.lower(), sorted(files), n=1)
    return files[near[0]] if near else None


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
                    f"picture '{src}' is on another site, which the site's pages do not load; "
                    "save the file in the story folder and write its name",
                )
            )
        elif is_local_reference(src) and not (folder / unquote(src)).is_file():
            hint = f"; did you mean '{near}'?" if (near := _nearest_file(unquote(src), folder)) else ""
            hint = hint or "; add the file or fix the name"
            problems.append(Problem(path, picture.line, f"picture '{src}' is not in the story folder{hint}"))
        if not (picture.alt or "").strip():
            problems.append(
                Problem(
                    path,
                    picture.line,
                    f"picture '{src}' has no alt text: describe what it shows, as in ![what it shows]({src})",
                )
            )
    return problems

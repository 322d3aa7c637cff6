"""Name a picture the text refers to that is not in the story folder, with the file probably meant."""

import difflib
import os
from pathlib import Path

from l10n.messages import Message, _


def nearest_file(name: str, folder: Path) -> str | None:
    """Return the folder's file whose name is closest to name, ignoring case and the extension's spelling."""
    if not folder.is_dir():
        return None
    stems: dict[str, list[str]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix != ".md":
            stems.setdefault(os.path.splitext(path.name)[0].lower(), []).append(path.name)
    # By the name without its extension: tulips-cover.jpeg is Tulips-Cover.JPG, and x.jpg is not hall.jpg
    # although their whole names share most letters.
    stem, suffix = os.path.splitext(name.lower())
    near = difflib.get_close_matches(stem, sorted(stems), n=1)
    if not near:
        return None
    same_kind = [file for file in stems[near[0]] if file.lower().endswith(suffix)]
    return (same_kind or stems[near[0]])[0]


def missing_picture(name: str, folder: Path, cover: bool = False) -> Message:
    """Say that a picture (the cover, or one in the text) is not in the story folder, and what to do."""
    near = nearest_file(name, folder)
    if cover:
        if near:
            return _(
                "Image '{name}' is not in the story folder; did you mean '{near}'?", name=name, near=near
            )
        return _("Image '{name}' is not in the story folder; add the file or fix the name", name=name)
    if near:
        return _("picture '{name}' is not in the story folder; did you mean '{near}'?", name=name, near=near)
    return _("picture '{name}' is not in the story folder; add the file or fix the name", name=name)

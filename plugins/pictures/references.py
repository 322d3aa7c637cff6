"""Find the pictures a Markdown text references, with line numbers, and resolve them in the story folder."""

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from content_format.checks import read_header, text_lines
from l10n.messages import Message, _


def naming(message: Message, picture: str) -> Message:
    """Fill in the picture a message is about ({picture}: the file as the editor wrote it)."""
    return dataclasses.replace(message, fields=(*message.fields, ("picture", picture)))


class PictureError(ValueError):
    """Something an editor has to fix in a picture: a whole sentence with {picture} left to fill in."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def about(self, picture: str) -> Message:
        """Say what is wrong, naming the picture as the editor wrote it."""
        return naming(self.message, picture)

    def __str__(self) -> str:
        return str(self.about("…"))  # where no reference is at hand (logs, tests)


@dataclass(frozen=True)
class PictureReference:
    """One picture as written in the text: where, its alt text and its target."""

    line: int
    alt: str
    target: str
    html: bool = False  # written as a raw <img> tag rather than ![alt](file)


_ALT = r"(?P<alt>(?:[^\]\\\n]|\\.)*)"
_TITLE = r"""(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?"""
_INLINE = re.compile(
    r"!\["
    + _ALT
    + r"\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>(?:[^\s()\\]|\\.|\([^\s()]*\))*))"
    + _TITLE
    + r"\s*\)"
)
_BY_REFERENCE = re.compile(r"!\[" + _ALT + r"\](?:[ ]?\[(?P<ref>[^\]\n]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<ref>[^\]\n]+)\]:\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>\S+))")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ATTR = re.compile(
    r"""\b(?P<name>src|alt)\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)'|(?P<u>[^\s>]+))""", re.I
)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _normal_label(label: str) -> str:
    return " ".join(label.lower().split())


def _body_lines(text: str) -> list[tuple[int, str]]:
    """Return the Summary's line and the body's lines outside code, with their numbers."""
    header = read_header(text)
    summary = header.fields.get("summary")
    body, fence = [(summary.line, summary.value)] if summary else [], None
    start = header.body_start - 1
    for number, line in enumerate(text_lines(text)[start:], start=start + 1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening["fence"][0] == fence[0] and len(opening["fence"]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening["fence"]
            continue
        body.append((number, _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)))
    return body


def find_references(text: str) -> list[PictureReference]:
    """Return every picture a story's Summary and text show: ![alt](file), ![alt][ref], raw <img> tags."""
    lines = _body_lines(text)
    definitions = {}
    for _number, line in lines:
        match = _DEFINITION.match(line)
        if match:
            definitions.setdefault(_normal_label(match["ref"]), match["angle"] or match["bare"])
    found = []
    for number, line in lines:
        taken = []
        for match in _INLINE.finditer(line):
            found.append(PictureReference(number, match["alt"], match["angle"] or match["bare"] or ""))
            taken.append(match.span())
        for match in _BY_REFERENCE.finditer(line):
            if any(start <= match.start() < end for start, end in taken):
                continue
            target = definitions.get(_normal_label(match["ref"] or match["alt"]))
            if target is not None:  # otherwise Markdown shows the brackets as text
                found.append(PictureReference(number, match["alt"], target))
        for tag in _HTML_IMG.finditer(line):
            attrs = {
                m["name"].lower(): m["d"] or m["s"] or m["u"] or "" for m in _HTML_ATTR.finditer(tag.group())
            }
            found.append(PictureReference(number, attrs.get("alt", ""), attrs.get("src", ""), html=True))
    return found


def is_external(target: str) -> bool:
    """Tell whether a picture is on another site (or inline data) rather than a file beside the text."""
    return bool(_SCHEME.match(target)) or target.startswith("//")


def resolve(folder: Path, target: str) -> Path:
    """Return the file a picture reference names inside the story folder; PictureError if none."""
    name = unquote(target.strip())
    if not name:
        raise PictureError(_("a picture here names no file; write the name of a file beside the text"))
    if name.startswith(("/", "\\", "{")) or is_external(name):
        raise PictureError(
            _(
                "picture '{picture}' is not a file name in the story folder; "
                "put the file beside the text and write its name"
            )
        )
    here = folder
    for part in Path(name).parts:  # a link is never followed, even to a file inside the folder
        here = here / part
        if here.is_symlink():
            raise PictureError(
                _(
                    "picture '{picture}' is a symbolic link; the site never follows links: "
                    "put the file itself here"
                )
            )
    root = folder.resolve()
    path = (folder / name).resolve()
    if root != path and root not in path.parents:
        raise PictureError(
            _("picture '{picture}' leaves the story folder; put the file beside the text and write its name")
        )
    if not path.is_file():
        raise PictureError(_("picture '{picture}' is not in the story folder"))
    return path

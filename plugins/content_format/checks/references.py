"""Find the pictures and links a Markdown body refers to, with their line numbers."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape

_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?"""
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?(?P<target>[^\s)>]*)>?" + _TITLE + r"\s*\)"
)
_DEFINITION = re.compile(r"^\s{0,3}\[(?P<text>[^\]]+)\]:\s*<?(?P<target>[^\s>]+)>?")
_TAG = re.compile(r"<(?P<name>img|a)\b(?P<attributes>[^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""(?P<name>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""")


@dataclass(frozen=True)
class Reference:
    """A picture (`![alt](src)`, `<img>`) or a link (`[text](href)`, `<a href>`) in the body."""

    line: int
    kind: str  # "picture" or "link"
    target: str
    alt: str | None = None  # pictures only; None when an <img> has no alt attribute at all


def _attributes(text: str) -> dict[str, str]:
    return {
        m["name"].lower(): unescape(
            m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        )
        for m in _ATTRIBUTE.finditer(text)
    }


def find_references(lines: Iterable[tuple[int, str]]) -> Iterator[Reference]:
    """Yield every picture and link of the given (line number, text) body lines."""
    for number, line in lines:
        for match in _INLINE.finditer(line):
            if match["bang"]:
                yield Reference(number, "picture", match["target"], match["text"].strip())
            else:
                yield Reference(number, "link", match["target"])
        definition = _DEFINITION.match(line)
        if definition:
            yield Reference(number, "link", definition["target"])
        for tag in _TAG.finditer(line):
            attributes = _attributes(tag["attributes"])
            if tag["name"].lower() == "img":
                yield Reference(number, "picture", attributes.get("src", ""), attributes.get("alt"))
            elif "href" in attributes:
                yield Reference(number, "link", attributes["href"])

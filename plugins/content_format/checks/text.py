"""Check a file's text: its encoding, that it has a body, and no Latin letters hiding in Cyrillic words."""

import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from l10n.messages import Message, _

from .header import text_lines
from .problems import Field, Problem

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
# What is not prose: link targets, HTML tags, bare addresses.
_NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>]*>|\b(?:https?|mailto|tel):\S+|\S+@\S+")
_WORD = re.compile(r"[^\W\d_]+")
# A letter outside Cyrillic and Cyrillic Supplement (U+0400-U+052F), where every Latin letter is.
_OUTSIDE_CYRILLIC = re.compile(r"[^\W\d_\u0400-\u052f]")
# Control characters (C0 but tab and line ends, DEL, C1): invisible in editors, and no page, feed
# or calendar may carry them. Word's soft line break is U+000B.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SOFT_LINE_BREAK = "\x0b"
_CONTROL_NAMES = {"\x0c": _("a page break"), "\x00": _("NUL")}
# Metadata whose value is prose shown to readers.
PROSE_KEYS = ("title", "summary", "tags", "image_alt", "image_credit", "location", "address")


def read_text(file: Path, path: str) -> tuple[str | None, list[Problem]]:
    """Return the file's text (a BOM and CRLF line ends are fine), or a problem if it is not UTF-8."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, _("the file is not saved as UTF-8; save it again as UTF-8"))]


def check_control_characters(text: str, path: str) -> list[Problem]:
    """Name each line holding a control character, and say what to do about it."""
    problems = []
    for number, line in enumerate(text_lines(text), start=1):
        for char in dict.fromkeys(_CONTROL.findall(line)):
            problems.append(Problem(path, number, _control_message(char)))
    return problems


def _control_message(char: str) -> Message:
    code = f"U+{ord(char):04X}"
    if char == _SOFT_LINE_BREAK:
        return _(
            "a control character {code} (from Word's soft line break) on this line: "
            "retype the line break (or join the lines)",
            code=code,
        )
    if char in _CONTROL_NAMES:
        return _(
            "a control character {code} ({name}) on this line: delete it "
            "(editors often do not show it; retype the line if unsure)",
            code=code,
            name=_CONTROL_NAMES[char],
        )
    return _(
        "a control character {code} on this line: delete it "
        "(editors often do not show it; retype the line if unsure)",
        code=code,
    )


def body_lines(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) of the body's prose lines, leaving out code."""
    in_fence = False
    for number, line in enumerate(text_lines(text), start=1):
        if number < first_line:
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, _CODE_SPAN.sub("", line)


def check_body(text: str, first_line: int, path: str) -> list[Problem]:
    """A story or page needs some text after its metadata."""
    if any(line.strip() for _, line in body_lines(text, first_line)):
        return []
    return [
        Problem(path, first_line, _("the text is empty: write it below the metadata, after one blank line"))
    ]


# _script and _marked are pure functions of their argument, and prose repeats the same letters
# and words endlessly: remembering their answers takes this check from a third of a build to little.
@functools.cache
def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("LATIN"):
        return "latin"
    return None


@functools.lru_cache(maxsize=1 << 16)
def _marked(word: str) -> str | None:
    """Return the word with its minority letters marked [x] if it mixes Latin and Cyrillic, else None."""
    scripts = [_script(c) for c in word]
    cyrillic, latin = scripts.count("cyrillic"), scripts.count("latin")
    if not (cyrillic and latin):
        return None
    stray = "latin" if cyrillic >= latin else "cyrillic"
    return "".join(f"[{c}]" if s == stray else c for c, s in zip(word, scripts, strict=True))


def mixed_script_words(line: str) -> list[str]:
    """Return the words mixing Latin and Cyrillic letters, the minority letters marked [x]."""
    # Most lines have no letter outside the Cyrillic blocks, so no Latin one: one scan settles them.
    if not _OUTSIDE_CYRILLIC.search(line):
        return []
    return [marked for match in _WORD.finditer(_NOT_PROSE.sub(" ", line)) if (marked := _marked(match[0]))]


def _lookalike_message(word: str) -> Message:
    letters = ", ".join(dict.fromkeys(re.findall(r"\[(.)\]", word)))
    if all(c.isascii() for c in letters.replace(", ", "")):
        return _(
            "the word «{word}» has Latin {letters} among Cyrillic letters (marked [ ]); "
            "retype them on the Cyrillic keyboard, or search and sorting will miss the word",
            word=word,
            letters=letters,
        )
    return _(
        "the word «{word}» has Cyrillic {letters} among Latin letters (marked [ ]); "
        "retype them on the Latin keyboard",
        word=word,
        letters=letters,
    )


def check_lookalikes(fields: dict[str, Field], text: str, first_line: int, path: str) -> list[Problem]:
    """Name each word where Latin look-alike letters hide among Cyrillic ones (or the reverse)."""
    lines = [(field.line, field.value) for key, field in fields.items() if key in PROSE_KEYS]
    lines += list(body_lines(text, first_line))
    return [
        Problem(path, number, _lookalike_message(word))
        for number, line in lines
        for word in mixed_script_words(line)
    ]

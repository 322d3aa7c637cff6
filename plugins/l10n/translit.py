"""Turn Kazakh and Russian text into readable ASCII slugs (LANGUAGES.md table)."""

import functools
import re
import unicodedata

# The 2021 Kazakh Latin alphabet reduced to ASCII; the same table serves Russian.
CYRILLIC_TO_ASCII = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d",
    "е": "e", "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k",
    "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _ascii_letter(char: str) -> str:
    if char in CYRILLIC_TO_ASCII:
        return CYRILLIC_TO_ASCII[char]
    # Latin letters with accents (é, ö) keep their base letter; anything else
    # that has no ASCII form becomes a separator.
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if c.isascii())


@functools.lru_cache(maxsize=8192)
def slugify(text: str) -> str:
    """Return a lowercase ASCII slug (a-z, 0-9, '-') for Kazakh or Russian text."""
    # Remembered: a site has a few hundred tags, each slugified for every story that carries it.
    # lower() per character: "İ".lower() is two code points, which is fine here
    # because the combining dot is dropped by _ascii_letter.
    letters = "".join(_ascii_letter(c) for c in text.lower()).lower()
    return _NOT_SLUG.sub("-", letters).strip("-")

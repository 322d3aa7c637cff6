"""Fold letters a reader may not have on the keyboard, so both spellings of a word match in search."""

import re
from collections.abc import Iterable, Mapping

from l10n.messages import _

# Kazakh letters typed on a Russian keyboard (LANGUAGES.md): қаласы is typed каласы.
KAZAKH_FOLDING = {
    "қ": "к", "ә": "а", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
}  # fmt: skip

_WORD = re.compile(r"\w+")


def fold(text: str, table: Mapping[str, str]) -> str:
    """Return text lowercased with every letter of the table replaced by its keyboard stand-in."""
    return text.lower().translate(str.maketrans(dict(table)))


def folded_words(texts: Iterable[str], table: Mapping[str, str]) -> list[str]:
    """Return, once each and in order, the folded form of every word that folding changes."""
    seen: dict[str, None] = {}
    if not table:
        return []
    letters = str.maketrans(dict(table))
    # Only words with a letter of the table change; find just those, each once.
    changing = re.compile(rf"\b\w*?[{re.escape(''.join(table))}]\w*")
    for text in texts:
        for word in dict.fromkeys(changing.findall(text.lower())):
            seen.setdefault(word.translate(letters))
    return list(seen)


def check_table(table: Mapping[str, str], where: str) -> None:
    """Stop the build with one line unless every key is one lowercase letter that folds to one letter."""
    for letter, stand_in in table.items():
        if len(letter) != 1 or len(stand_in) != 1 or letter != letter.lower():
            raise SystemExit(
                _(
                    "{setting}: '{letter}' → '{stand_in}' must map one lowercase letter to one letter",
                    setting=where,
                    letter=letter,
                    stand_in=stand_in,
                )
            )

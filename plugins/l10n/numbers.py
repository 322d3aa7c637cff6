"""Write a number as the "which one of several" word: ru `3` (Фото 3 из 12), kk `3-і` (12 суреттің 3-і)."""

# Kazakh adds the third-person possessive to the number as spoken, by its last word: бірі, екісі,
# үші, төрті, бесі, алтысы, жетісі, сегізі, тоғызы; оны, жиырмасы, отызы, қырқы, елуі, алпысы,
# жетпісі, сексені, тоқсаны; жүзі; мыңы. After a vowel -сы/-сі, after a consonant -ы/-і.
_KK_UNITS = {1: "і", 2: "сі", 3: "і", 4: "і", 5: "і", 6: "сы", 7: "сі", 8: "і", 9: "ы"}
_KK_TENS = {1: "ы", 2: "сы", 3: "ы", 4: "ы", 5: "і", 6: "ы", 7: "і", 8: "і", 9: "ы"}


def _kazakh_possessive(number: int) -> str:
    if number % 10:
        return _KK_UNITS[number % 10]
    if number % 100:
        return _KK_TENS[number // 10 % 10]
    if number % 1000:
        return "і"  # жүзі
    return "ы"  # мыңы


def one_of(number: int, lang: str) -> str:
    """Return a positive number as the word for "the n-th of them" in running text."""
    if lang == "kk":
        return f"{number}-{_kazakh_possessive(number)}"
    return str(number)

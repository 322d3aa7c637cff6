"""Picture credits as readers see them: the editor's text, with «Фото:» in front when it names no kind."""

import re

from l10n.l10n import interface_catalog


def interface_text(message: str) -> str:
    """Mark an interface string for `invoke translations-extract`; it is translated where it is shown."""
    return message


PREFIX = interface_text("Photo:")

# A credit that already says what it credits, or who owns it, gets no prefix: «Фото: …», «Сурет: …»,
# «Фотография …», «Иллюстрация: …», «Кадр из фильма», «Скриншот …», «© ТАСС», «(c) Reuters».
_SAYS_WHAT = re.compile(
    r"(?:фото|сурет|photo|foto|иллюстрац|коллаж|кадр|скриншот|инфографик|графика|©|\(c\))",
    re.IGNORECASE,
)


def credit_line(credit: str, prefix: str) -> str:
    """Return a credit as shown under its picture: `prefix credit` unless the credit says what it is."""
    credit = " ".join(credit.split())
    if not credit or _SAYS_WHAT.match(credit):
        return credit
    return f"{prefix} {credit}"


def credit_prefix(settings: dict, lang: str) -> str:
    """Return the credit prefix in a page language, from the theme's catalogs."""
    return interface_catalog(settings, lang).gettext(PREFIX)

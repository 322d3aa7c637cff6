"""Speak to editors in their language: every content error, warning and task message in ru, kk or en.

A message is written in English in the code, `_("Date {date} is not the folder's day {day}", …)`, and
kept as a `Message`: the English text and its fields, translated only when it is shown. So the
checks' results, cached between builds, are shown in whatever language the editor reads today, and a
message can be sorted and compared before anyone reads it. The catalogs are `editor/<lang>/…/editor.po`
(`invoke editor-messages` collects new strings into them); English needs none.

The language is the setting `EDITOR_LANGUAGE` when a build or task sets it, else the environment's,
read as gettext reads it: the first of LANGUAGE (a list such as `kk:ru`), LC_ALL, LC_MESSAGES and
LANG that is set; a language the site has no catalog for, or the C locale, means English.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.support import NullTranslations

from . import catalogs

CATALOGS = Path(__file__).resolve().parent / "editor"
DOMAIN = "editor"
ENGLISH = "en"
LANGUAGES = ("ru", "kk", ENGLISH)
ENVIRONMENT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None  # set by use_language; None: the environment's


def catalog_path(lang: str) -> Path:
    return catalogs.catalog_path(CATALOGS, lang, DOMAIN)


def language_code(value: str) -> str | None:
    """Return ru, kk or en for a locale name such as `kk_KZ.UTF-8`, `ru` or `C`; None for others."""
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code in ("c", "posix"):
        return ENGLISH
    return code if code in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """Return the editor's language as the environment names it (gettext's order of variables)."""
    for variable in ENVIRONMENT_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        for item in value.split(":"):  # LANGUAGE lists languages by preference
            code = language_code(item)
            if code:
                return code
        if variable != "LANGUAGE":  # LANGUAGE naming only others falls through, as in gettext
            return ENGLISH
    return ENGLISH


def use_language(lang: str | None) -> str | None:
    """Show messages in lang from now on (None: the environment's); return the previous choice."""
    global _chosen
    if lang is not None and language_code(lang) is None:
        raise ValueError(f"EDITOR_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    previous, _chosen = _chosen, (language_code(lang) if lang else None)
    return previous


def use_language_of(settings: Mapping) -> None:
    """Follow a build's EDITOR_LANGUAGE setting (empty: the environment's)."""
    use_language(settings.get("EDITOR_LANGUAGE") or None)


def current_language() -> str:
    return _chosen or language_from_environment()


def translations(lang: str) -> NullTranslations:
    """Return one language's catalog, compiled in memory once (English: the messages as written)."""
    if lang == ENGLISH:
        return NullTranslations()
    return catalogs.load_translations(CATALOGS, lang, DOMAIN)


@dataclass(frozen=True)
class Message:
    """One message to an editor: English text with {fields}, translated each time it is shown."""

    text: str
    fields: tuple[tuple[str, object], ...] = ()
    plural: str | None = None
    count: int = 0

    def __str__(self) -> str:
        return self.in_language(current_language())

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def in_language(self, lang: str) -> str:
        catalog = translations(lang)
        if self.plural is None:
            template = catalog.gettext(self.text)
        else:
            template = catalog.ngettext(self.text, self.plural, self.count)
        # A message within a message (a count in a sentence) is shown in the same language.
        fields = {name: v.in_language(lang) if isinstance(v, Message) else v for name, v in self.fields}
        return template.format_map({"count": self.count, **fields})


def _(text: str, **fields: object) -> Message:
    """Mark an editor message for translation: `_("Date {date} is wrong", date=value)`."""
    return Message(text, tuple(fields.items()))


def ngettext(singular: str, plural: str, count: int, **fields: object) -> Message:
    """Mark a message whose words follow a number, `{count}` in it: `ngettext("{count} error", …, n)`."""
    return Message(singular, tuple(fields.items()), plural, count)

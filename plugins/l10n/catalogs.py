"""Compile gettext catalogs in memory (the theme's and the editor messages'); expose the theme's to Jinja."""

import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, pass_context


class CatalogError(Exception):
    """A catalog is missing or unreadable."""


def catalog_path(directory: Path, lang: str, domain: str = "messages") -> Path:
    """Return where the .po catalog of a language lives."""
    return directory / lang / "LC_MESSAGES" / f"{domain}.po"


def load_translations(directory: Path, lang: str, domain: str = "messages") -> Translations:
    """Compile one language's .po catalog into a Translations object, without a .mo file."""
    path = catalog_path(directory, lang, domain)
    try:
        stat = path.stat()
    except OSError as error:
        raise CatalogError(f"{path}: cannot read the {lang} catalog ({error.strerror})") from None
    # Every generator and several plugins ask for the catalogs at each build: compile each
    # version of a file once (an edited catalog has a new mtime or size, so it is read again).
    return _compiled(path, lang, domain, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _compiled(path: Path, lang: str, domain: str, mtime_ns: int, size: int) -> Translations:
    try:
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang)
    except OSError as error:
        raise CatalogError(f"{path}: cannot read the {lang} catalog ({error.strerror})") from None
    except Exception as error:  # babel raises plain errors on broken syntax
        raise CatalogError(f"{path}: broken catalog: {error}") from None
    compiled = io.BytesIO()
    # Fuzzy entries are unreviewed guesses: like msgfmt, leave them out.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def install(env: Environment, translations: dict[str, Translations]) -> None:
    """Make {{ _('…') }} and ngettext in env pick the catalog of the page's `lang`."""

    @pass_context
    def gettext(context, message: str) -> str:
        return translations[context["lang"]].gettext(message)

    @pass_context
    def ngettext(context, singular: str, plural: str, count: int) -> str:
        return translations[context["lang"]].ngettext(singular, plural, count)

    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)

"""Render every page in its own language: gettext catalogs, Babel dates, Kazakh-aware slugs."""

import logging
from pathlib import Path

from babel.support import Translations
from jinja2 import pass_context
from pelican import signals
from pelican.writers import Writer

from . import catalogs, dates, numbers
from .translit import slugify

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Folder holding <lang>/LC_MESSAGES/messages.po; None means the theme's translations/.
    "L10N_CATALOG_DIR": None,
}


def settings_of(settings: dict) -> dict:
    """Return this plugin's settings merged over the defaults."""
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    if merged["L10N_CATALOG_DIR"] is None:
        merged["L10N_CATALOG_DIR"] = Path(settings["THEME"]) / "translations"
    return merged


def interface_catalog(settings: dict, lang: str) -> Translations:
    """Return the theme's interface catalog of lang (compiled once per version of its file)."""
    return catalogs.load_translations(Path(settings_of(settings)["L10N_CATALOG_DIR"]), lang)


def interface_catalogs(settings: dict) -> dict[str, Translations]:
    """Return the interface catalog of every language the site is built in."""
    return {lang: interface_catalog(settings, lang) for lang in settings["LANGUAGES"]}


def _with_page_lang(format_value):
    """Wrap a (value, lang) formatter as a Jinja filter that reads the page's `lang`."""

    @pass_context
    def template_filter(context, value):
        return format_value(value, context["lang"])

    return template_filter


FILTERS = {
    "long_date": _with_page_lang(dates.long_date),
    "month_heading": _with_page_lang(dates.month_heading),
    "day_span": _with_page_lang(dates.day_span),
    "day_span_parts": _with_page_lang(dates.day_span_parts),
    "month_name": _with_page_lang(lambda moment, lang: dates.month_name(moment.month, lang)),
    "short_time": _with_page_lang(dates.short_time),
    "long_moment": _with_page_lang(dates.long_moment),
    "time_dative": dates.time_dative,
    "one_of": _with_page_lang(numbers.one_of),
    "iso_datetime": dates.iso_datetime,
    "slugify_text": slugify,
}


class LanguageWriter(Writer):
    """Pelican's writer, with `lang` in every page context (the story's or the page's own)."""

    def write_file(self, name, template, context, *args, **kwargs):
        if "lang" not in kwargs:
            content = kwargs.get("article") or kwargs.get("page")
            kwargs["lang"] = getattr(content, "lang", None) or self.settings["DEFAULT_LANG"]
        return super().write_file(name, template, context, *args, **kwargs)


def setup_templates(generator) -> None:
    """Give a generator's Jinja environment the catalogs and the language-aware filters."""
    if not hasattr(generator, "env"):
        return
    catalogs.install(generator.env, interface_catalogs(generator.settings))
    generator.env.filters.update(FILTERS)


def get_writer(pelican_object):
    return LanguageWriter


def register():
    signals.generator_init.connect(setup_templates)
    signals.get_writer.connect(get_writer)

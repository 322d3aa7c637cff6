"""The ru and kk catalogs compile, are complete, and plural forms come out right."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from l10n.catalogs import catalog_path, load_translations

CATALOGS = Path(__file__).resolve().parent.parent / "theme" / "translations"


@pytest.fixture(scope="module", params=["ru", "kk"])
def catalog(request):
    with catalog_path(CATALOGS, request.param).open("rb") as po:
        return read_po(po, locale=request.param)


def test_every_string_is_translated(catalog):
    untranslated = [
        m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []


def test_catalogs_cover_every_template_string(catalog):
    with (CATALOGS / "messages.pot").open("rb") as pot:
        template_ids = {m.id for m in read_po(pot) if m.id}
    assert template_ids <= {m.id for m in catalog if m.id}


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "1 запись"),
        (2, "2 записи"),
        (5, "5 записей"),
        (11, "11 записей"),
        (12, "12 записей"),
        (21, "21 запись"),
        (22, "22 записи"),
        (25, "25 записей"),
        (101, "101 запись"),
        (111, "111 записей"),
    ],
)
def test_russian_has_three_plural_forms(count, text):
    ru = load_translations(CATALOGS, "ru")
    assert ru.ngettext("%(num)d story", "%(num)d stories", count) % {"num": count} == text


@pytest.mark.parametrize("count", [1, 2, 5, 21])
def test_kazakh_noun_stays_singular_after_a_number(count):
    kk = load_translations(CATALOGS, "kk")
    assert kk.ngettext("%(num)d story", "%(num)d stories", count) % {"num": count} == f"{count} жазба"

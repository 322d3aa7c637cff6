"""Editors read every message in Russian, Kazakh or English: complete catalogs, the right language."""

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from content_format.checks import ERROR, WARNING, Problem, Report
from l10n import messages
from l10n.messages import _, language_from_environment, ngettext, use_language

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("plugins", "publishing", "editing")


@pytest.fixture
def language():
    """Let a test choose the editor's language; restore the suite's afterwards."""
    previous = messages._chosen
    yield use_language
    use_language(previous)


@pytest.fixture(scope="module", params=["ru", "kk"])
def catalog(request):
    with messages.catalog_path(request.param).open("rb") as po:
        return read_po(po, locale=request.param)


def message_ids_in_code() -> set:
    """Extract the messages as `invoke editor-messages` does: _() and ngettext() in our Python."""
    keywords = {"_": None, "ngettext": (1, 2)}
    found = set()
    for folder in SOURCES:
        for _name, _line, text, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=keywords
        ):
            found.add(text)
    with (ROOT / "tasks.py").open("rb") as tasks:
        from babel.messages.extract import extract

        found |= {text for _line, text, _c, _ctx in extract("python", tasks, keywords=keywords)}
    return found


def fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_message_in_the_code_is_in_the_catalogs(catalog):
    in_catalog = {m.id for m in catalog if m.id}
    missing = message_ids_in_code() - in_catalog
    assert not missing, f"run `invoke editor-messages` and translate: {sorted(missing, key=str)}"


def test_every_message_is_translated(catalog):
    untranslated = [
        m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_translations_keep_every_field_and_add_none(catalog):
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields(i) for i in ids)) - {"count"}
        for text in strings:
            assert fields(text) - {"count"} == wanted, (message.id, text)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "kk_KZ.UTF-8"}, "kk"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "kk_KZ.UTF-8", "LANG": "ru_RU.UTF-8"}, "kk"),
        ({"LC_MESSAGES": "ru_RU", "LANG": "C"}, "ru"),
        ({"LANGUAGE": "de:kk:ru", "LANG": "ru_RU.UTF-8"}, "kk"),  # the first of ours in the list
        ({"LANGUAGE": "de", "LANG": "ru_RU.UTF-8"}, "ru"),  # none of ours: the locale decides
        ({"LANGUAGE": "", "LC_ALL": "POSIX", "LANG": "kk_KZ"}, "en"),
    ],
)
def test_the_language_is_read_from_the_environment_as_gettext_reads_it(environ, expected):
    assert language_from_environment(environ) == expected


def test_the_setting_wins_over_the_environment(language, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "kk")
    language("ru")
    assert str(_("error")) == "ошибка"
    language(None)
    assert str(_("error")) == "қате"
    with pytest.raises(ValueError, match="EDITOR_LANGUAGE"):
        language("fr")


def test_a_message_is_translated_when_shown_not_when_made(language):
    problem = Problem("content/news/2026/x/ru.md", 3, _("error"), WARNING)
    language("en")
    english = str(problem)
    language("kk")
    assert english == "content/news/2026/x/ru.md:3: warning: error"
    assert str(problem) == "content/news/2026/x/ru.md:3: ескерту: қате"


@pytest.mark.parametrize(
    ("count", "ru", "kk", "en"),
    [
        (1, "1 ошибка", "1 қате", "1 error"),
        (3, "3 ошибки", "3 қате", "3 errors"),
        (5, "5 ошибок", "5 қате", "5 errors"),
        (11, "11 ошибок", "11 қате", "11 errors"),
        (21, "21 ошибка", "21 қате", "21 errors"),
    ],
)
def test_counts_take_each_language_s_plural(count, ru, kk, en):
    message = ngettext("{count} error", "{count} errors", count)
    assert [message.in_language(lang) for lang in ("ru", "kk", "en")] == [ru, kk, en]


def test_errors_come_after_the_warnings_and_the_count_last(language):
    problems = [
        Problem(
            "content/a/ru.md",
            1,
            _("no Kazakh version (kk.md) yet; that language's page will say so"),
            WARNING,
        ),
        Problem("content/b/ru.md", 2, "broken", ERROR),
        Problem(
            "content/c/kk.md",
            1,
            _("no Russian version (ru.md) yet; that language's page will say so"),
            WARNING,
        ),
    ]
    report = Report(sorted(problems), {"ru": 1, "kk": 1})
    language("ru")
    lines = report.lines()
    assert lines[0].startswith("content/a/ru.md:1: предупреждение: казахской версии (kk.md) пока нет")
    assert lines[1].startswith("content/c/kk.md:1: предупреждение: русской версии")
    assert lines[2] == "Нет перевода: 1 материал без русской версии, 1 материал без казахской версии."
    assert lines[3] == "content/b/ru.md:2: ошибка: broken"
    assert lines[4] == "1 ошибка, 2 предупреждения."
    language("kk")
    assert report.lines()[-2:] == ["content/b/ru.md:2: қате: broken", "1 қате, 2 ескерту."]


def test_every_message_reads_well_in_each_language_with_its_fields_filled(catalog):
    """Format each translation with sample values: a stray brace or an unknown field would raise."""
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        values = {name: "x" for i in ids for name in fields(i)} | {"count": 2}
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            text.format_map(values)


@pytest.mark.parametrize(
    ("lang", "marker"), [("ru_RU.UTF-8", "ошибка:"), ("kk_KZ.UTF-8", "қате:"), ("C.UTF-8", "error:")]
)
def test_invoke_check_speaks_the_language_of_the_environment(tmp_path, lang, marker):
    folder = tmp_path / "content" / "news" / "2026" / "2026-11-27-reading-room"
    folder.mkdir(parents=True)
    (folder / "ru.md").write_text(
        "Title: Читальный зал\nDate: 2026-11-28 10:00\n\nТекст.\n", encoding="utf-8"
    )
    environ = {"PATH": "/usr/bin:/bin", "LANG": lang, "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(tmp_path / "content")],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any(f"ru.md:2: {marker}" in line for line in lines), result.stdout
    assert lines[-1].startswith("1")

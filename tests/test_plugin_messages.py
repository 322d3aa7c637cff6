"""The plugins and the publishing steps speak the editor's language: Russian, Kazakh or English."""

import errno
import os
import subprocess

import picture_samples as samples
import pytest
from conftest import pelican_argv

from atomic_output.atomic_output import write_failure
from events.events import EventsSettingError, settings_of
from l10n import messages
from l10n.messages import use_language
from pictures.options import SettingsError, options_of
from pictures.references import PictureError, resolve
from publishing.verify import verify_site

FAIR = "news/2025/2025-04-23-fair"


@pytest.fixture
def language():
    """Let a test choose the editor's language; restore the suite's afterwards."""
    previous = messages._chosen
    yield use_language
    use_language(previous)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "изображения «hall.jpg» нет в папке материала"),
        ("kk", "«hall.jpg» суреті материал қалтасында жоқ"),
        ("en", "picture 'hall.jpg' is not in the story folder"),
    ],
)
def test_a_picture_problem_is_one_sentence_naming_the_picture(tmp_path, language, lang, expected):
    with pytest.raises(PictureError) as wrong:
        resolve(tmp_path, "hall.jpg")
    language(lang)
    assert str(wrong.value.about("hall.jpg")) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "PICTURES_WIDTHS должно быть списком целых положительных чисел, а не [0]"),
        ("kk", "PICTURES_WIDTHS оң бүтін сандар тізімі болуы керек, [0] емес"),
    ],
)
def test_a_wrong_pictures_setting_is_explained_in_the_editor_s_language(tmp_path, language, lang, expected):
    with pytest.raises(SettingsError) as wrong:
        options_of({"PICTURES_WIDTHS": [0], "OUTPUT_PATH": str(tmp_path / "output")})
    language(lang)
    assert str(wrong.value) == expected


def test_a_wrong_events_now_says_what_to_write_without_python_words(language):
    with pytest.raises(EventsSettingError) as wrong:
        settings_of({"EVENTS_NOW": "next Friday"})
    language("kk")
    text = str(wrong.value.code)
    assert text.startswith("EVENTS_NOW 'next Friday' уақыт мезетін көрсетпейді; оны 'YYYY-MM-DD HH:MM'")
    assert "datetime" not in text and "None" not in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "На диске закончилось место при записи output/ru/index.html; освободите место"),
        ("kk", "output/ru/index.html жазылып жатқанда дискіде орын қалмады; орын босатып"),
        ("en", "No space left on device while writing output/ru/index.html; free some space"),
    ],
)
def test_a_full_disk_is_one_line_in_the_editor_s_language(tmp_path, monkeypatch, language, lang, expected):
    monkeypatch.chdir(tmp_path)
    final, staging = tmp_path / "output", tmp_path / ".output-staging"
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staging / "ru" / "index.html"))
    line = write_failure(error, final, staging)
    language(lang)
    assert str(line).startswith(expected)


def test_publishing_checks_read_in_kazakh(tmp_path, language):
    (tmp_path / "index.html").write_text("<h1>А</h1><h1>Б</h1><a href='/ru/'>ru</a>", encoding="utf-8")
    language("kk")
    assert [str(problem) for problem in verify_site(tmp_path)] == [
        "index.html: /ru/ мекенжайына сілтейді, ал ол сайтта жоқ",
        "index.html: бетте 2 <h1> элементі бар, ал дәл біреуі болуы керек",
    ]


@pytest.mark.parametrize(
    ("locale", "marker", "message", "count", "stopped"),
    [
        (
            "ru_RU.UTF-8",
            "ошибка",
            "изображение «hall.jpg» повреждено или записано не полностью; экспортируйте его заново",
            "1 ошибка, 1 предупреждение.",
            "Сборка сайта остановлена: в материалах 1 ошибка; папка output осталась прежней.",
        ),
        (
            "kk_KZ.UTF-8",
            "қате",
            "«hall.jpg» суреті бүлінген немесе толық жазылмаған; оны қайта экспорттаңыз",
            "1 қате, 1 ескерту.",
            "Сайтты құрастыру тоқтатылды: материалдарда 1 қате бар; output қалтасы өзгерген жоқ.",
        ),
        (
            "C.UTF-8",
            "error",
            "picture 'hall.jpg' is damaged or incomplete; export it again",
            "1 error, 1 warning.",
            "Build stopped: 1 content error; the output folder was left as it was.",
        ),
    ],
)
def test_a_build_with_a_damaged_picture_speaks_the_editor_s_language(
    tmp_path, locale, marker, message, count, stopped
):
    content = tmp_path / "content"
    (content / FAIR).mkdir(parents=True)
    (content / FAIR / "ru.md").write_text("Title: Ярмарка\n\n![Зал](hall.jpg)\n", encoding="utf-8")
    samples.truncated_jpeg(content / FAIR / "hall.jpg")
    environ = {name: value for name, value in os.environ.items() if name not in ("LANGUAGE", "LC_ALL")}
    environ |= {"LANG": locale, "COLUMNS": "400"}
    cache = tmp_path / "cache"
    result = subprocess.run(
        pelican_argv(content, tmp_path / "output", "-e", f'PICTURES_CACHE_PATH="{cache}"'),
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-3] == f"content/{FAIR}/ru.md:3: {marker}: {message}"
    assert lines[-2] == count  # the story has no kk.md yet: the one warning
    assert lines[-1] == stopped
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "output").exists()

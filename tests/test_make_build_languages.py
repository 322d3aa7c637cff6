"""`make build` on bad content speaks the editor's language: Russian, Kazakh or English, from LANG."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.system  # make build in a copy of the checkout

ROOT = Path(__file__).resolve().parent.parent
# What `make build` needs of a checkout; the virtual environment is shared, not installed again.
CHECKOUT = ("Makefile", "requirements.txt", "pelicanconf.py", "publishconf.py", "tasks.py")
FOLDERS = ("content", "plugins", "theme", "tools", "publishing", "editing")
STORY = "content/news/2026/2026-09-14-electric-bus-route"

EXPECTED = {
    "ru_RU.UTF-8": {
        "marker": "ошибка:",
        "message": "Date 2026-09-15 не совпадает с днём папки 2026-09-14; исправьте одно из двух",
        "count": r"1 ошибка, \d+ предупреждени(е|я|й)\.",
        "stopped": "Сборка сайта остановлена: в материалах 1 ошибка; папка output осталась прежней.",
    },
    "kk_KZ.UTF-8": {
        "marker": "қате:",
        "message": "Date 2026-09-15 қалтаның күнімен (2026-09-14) сәйкес келмейді; екеуінің бірін түзетіңіз",
        "count": r"1 қате, \d+ ескерту\.",
        "stopped": "Сайтты құрастыру тоқтатылды: материалдарда 1 қате бар; output қалтасы өзгерген жоқ.",
    },
    "C.UTF-8": {
        "marker": "error:",
        "message": "Date 2026-09-15 is not the folder's day 2026-09-14; fix one of them",
        "count": r"1 error, \d+ warnings?\.",
        "stopped": "Build stopped: 1 content error; the output folder was left as it was.",
    },
}


def editor_environment() -> dict:
    """This environment without the language variables, nor the make of `make test` around us."""
    left_out = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    return {k: v for k, v in os.environ.items() if k not in left_out}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of this checkout whose one story has a date on the wrong day."""
    if not (ROOT / ".venv" / ".installed").exists() or shutil.which("make") is None:
        pytest.skip("needs make and the set-up .venv (make test makes both)")
    copy = tmp_path_factory.mktemp("checkout")
    for name in CHECKOUT:
        shutil.copy2(ROOT / name, copy / name)  # with its time: make must not install again
    for name in FOLDERS:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    story = copy / STORY / "ru.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(
        re.sub(r"^Date: \d{4}-\d\d-\d\d", "Date: 2026-09-15", text, flags=re.M), encoding="utf-8"
    )
    return copy


@pytest.mark.parametrize("lang", EXPECTED)
def test_make_build_on_bad_content_reads_in_the_language_of_lang(checkout, lang):
    environ = editor_environment()
    result = subprocess.run(
        ["make", "build"],
        cwd=checkout,
        env={**environ, "LANG": lang},
        capture_output=True,
        text=True,
        timeout=300,
    )
    expected = EXPECTED[lang]
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert (
        lines[-3]
        == f"{STORY}/ru.md:2: {expected['marker']} " + lines[-3].split(f"{expected['marker']} ", 1)[1]
    )
    assert "2026-09-15" in lines[-3]
    assert re.fullmatch(expected["count"], lines[-2]), lines[-2]
    assert lines[-1] == expected["stopped"]
    assert "Traceback" not in result.stdout + result.stderr
    assert "Locale could not be set" not in result.stderr  # an editor's LANG is not a build setting
    assert not (checkout / "output").exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru_RU.UTF-8", "Устанавливаются пакеты Python в .venv"),
        ("kk_KZ.UTF-8", "Python пакеттері .venv ішіне орнатылып жатыр"),
        ("C.UTF-8", "Installing the Python packages into .venv"),
    ],
)
def test_the_first_run_says_what_it_installs_in_the_language_of_lang(lang, said):
    if shutil.which("make") is None:
        pytest.skip("needs make")
    environ = editor_environment()
    # -n: what make would run if requirements.txt were new (-W), without running it.
    result = subprocess.run(
        ["make", "-n", "-W", "requirements.txt", ".venv/.installed"],
        cwd=ROOT,
        env={**environ, "LANG": lang},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(f'echo "{said}')

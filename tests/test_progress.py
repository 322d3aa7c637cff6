"""A build shows its phases with their counts: a bar on a terminal, plain lines in CI and pipes."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURE_SITE, add_fixture_pictures, pelican_argv
from rich.console import Console
from rich.text import Text

from build_core.core import Build
from build_core.pelican_seam import PELICAN_STATUS
from l10n import messages
from l10n.messages import ngettext, use_language
from progress import progress
from progress.progress import ClosingLine, track

pytestmark = pytest.mark.system  # whole builds in subprocesses, their output read

PELICAN_DONE = (
    "Done: Processed 43 articles, 2 drafts, 0 hidden articles, 4 pages, 0 hidden pages and 0 draft pages "
    "in 2.01 seconds."
)


@pytest.fixture
def language():
    previous = messages._chosen
    yield use_language
    use_language(previous)


@pytest.fixture
def console():
    """Draw progress on a console of the test's own; give back Pelican's afterwards."""
    consoles = []

    def make(terminal: bool) -> tuple[Console, io.StringIO]:
        file = io.StringIO()
        drawn = Console(
            file=file, force_terminal=terminal, width=100, color_system="standard" if terminal else None
        )
        consoles.append(progress.use_console(drawn))
        return drawn, file

    yield make
    progress.use_console(consoles[0])


def pictures(count: int):
    return ngettext("Making {count} picture", "Making {count} pictures", count)


def test_a_terminal_gets_a_bar_that_moves_to_the_end(console):
    _, file = console(terminal=True)
    seen = list(track(range(7), pictures(7)))
    drawn = file.getvalue()
    assert seen == list(range(7))
    assert "\x1b[" in drawn  # drawn and redrawn in place
    assert "Making 7 pictures" in drawn
    assert "7/7" in drawn.rsplit("Making 7 pictures", 1)[1]  # the last drawing is complete
    assert "━" in drawn


def test_chunks_advance_the_bar_by_their_size(console):
    _, file = console(terminal=True)
    chunks = [[1, 2, 3], [4, 5], [6]]
    assert list(track(chunks, pictures(6), len)) == chunks
    assert "6/6" in file.getvalue()


def test_without_a_terminal_each_phase_is_one_plain_line(console, language):
    _, file = console(terminal=False)
    list(track(range(3), pictures(3)))
    list(track([], pictures(0)))  # nothing to do: nothing said
    language("kk")
    list(track(range(12), pictures(12)))
    progress.announce(ngettext("Indexing {count} page for search", "Indexing {count} pages for search", 0))
    assert file.getvalue() == "Making 3 pictures\nСуреттерді өңдеу: 12\n"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Done: 43 stories, 2 drafts and 4 pages in 2.0 s."),
        ("ru", "Готово: 43 материала, 2 черновика и 4 страницы за 2,0 с."),
        ("kk", "Дайын: 43 материал, 2 қаралама және 4 бет, 2,0 с кетті."),
    ],
)
def test_pelican_s_closing_line_is_said_in_the_editor_s_language(language, lang, line):
    language(lang)
    hook = ClosingLine()
    other = Text("Rendered 47 pages")
    kept = hook.process_renderables([Text(PELICAN_DONE), other])
    assert [str(r) for r in kept] == [line, "Rendered 47 pages"]
    # A build that puts its site in place afterwards says it once that is done, and only then.
    build = Build({"PATH": "content"}, Path("output").absolute(), Path("output.partial").absolute())
    with build.running():
        assert hook.process_renderables([Text(PELICAN_DONE)]) == []
    assert str(hook.held) == line


@pytest.mark.parametrize(("lang", "said"), [("ru", "Сборка сайта…"), ("kk", "Сайт құрастырылып жатыр…")])
def test_pelican_s_spinner_says_what_it_does_in_the_editor_s_language(language, lang, said):
    language(lang)
    shown = []
    console = SimpleNamespace(status=lambda text, **options: shown.append((text, options)))
    progress.translate_spinner(console)
    progress.translate_spinner(console)  # once per console, however many builds
    console.status(PELICAN_STATUS, spinner="dots")
    console.status("Something else")
    assert shown == [(said, {"spinner": "dots"}), ("Something else", {})]


def run_build(tmp_path, lang: str) -> subprocess.CompletedProcess:
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(FIXTURE_SITE, content)
        add_fixture_pictures(content)
    environ = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    # Caches of its own, the pictures' too: a cold build.
    caches = f'CACHE_PATH="{tmp_path / "cache"}"', f'PICTURES_CACHE_PATH="{tmp_path / "pictures"}"'
    return subprocess.run(
        pelican_argv(content, tmp_path / "output", "-e", *caches),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**environ, "LANG": lang},
        timeout=300,
    )


def test_a_build_without_a_terminal_prints_its_phases_in_order_with_counts(tmp_path):
    result = run_build(tmp_path, "C.UTF-8")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line)], lines
    stories = len(list((tmp_path / "content").rglob("*.md")))
    phases = [
        f"Checking {stories} files",
        f"Reading {len(list((tmp_path / 'content').glob('[ne]*/*/*/*.md')))} stories",
        "Rendering ",
        "Making ",
        "Indexing ",
        "Putting the new site in place",
        "Done: ",
    ]
    where = [next(i for i, line in enumerate(lines) if line.startswith(phase)) for phase in phases]
    assert where == sorted(where), lines
    assert lines[-1].startswith("Done: ") and lines[-1].endswith(" s.")
    assert re.fullmatch(r"Making \d+ pictures", lines[where[3]])
    # The pages are rendered in batches (stories beside the pictures, then the rest): each later batch
    # says it is more, with the running total.
    batches = [line for line in lines if line.startswith("Rendering ")]
    assert re.fullmatch(r"Rendering \d+ pages", batches[0]), batches
    total = int(batches[0].split()[1])
    for line in batches[1:]:
        more = re.fullmatch(r"Rendering (\d+) more pages? \((\d+) in all\)", line)
        assert more, batches
        total += int(more[1])
        assert int(more[2]) == total
    # An edit later, in Russian: only what changed is read again, and the closing line is Russian.
    story = next((tmp_path / "content").glob("news/*/*/ru.md"))
    story.write_text(story.read_text(encoding="utf-8") + "\nЕщё абзац.\n", encoding="utf-8")
    again = run_build(tmp_path, "ru_RU.UTF-8")
    assert again.returncode == 0, again.stderr
    said = again.stdout.splitlines()
    assert f"Проверка файлов: {stories}" in said
    assert "Чтение материалов: 1" in said
    assert re.fullmatch(r"Готово: \d+ материал(а|ов)? и \d+ страниц[аы]? за \d+,\d с\.", said[-1]), said

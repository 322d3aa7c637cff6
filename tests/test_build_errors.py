"""Content with errors stops any build with clear lines, a non-zero exit, and output untouched."""

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, add_fixture_pictures, build, pelican_command
from test_checks import CASES, EVENT, EVENT_HEADER, STORY, add_neighbours, reported_at, write, write_case

from content_format import ContentErrors


@pytest.fixture
def broken_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    story = content / "news/2025/2025-04-23-hackathon/kk.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("Date: 2025-04-23", "Date: 2025-04-24"), encoding="utf-8"
    )
    (content / "news/2025/2025-04-23-hackathon/en.md").write_text(
        "Title: Hackathon\n\nText.\n", encoding="utf-8"
    )
    return content


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_stops_before_writing_anything(broken_content, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the previous build", encoding="utf-8")
    before = snapshot(output)
    with pytest.raises(ContentErrors) as stopped:
        build(broken_content, output)
    assert stopped.value.code == 1
    messages = [(p.path.rsplit("/", 1)[-1], p.line) for p in stopped.value.problems]
    assert messages == [("en.md", 1), ("kk.md", 2)]
    assert snapshot(output) == before


def test_pelican_command_exits_non_zero_with_one_line_per_error(broken_content, tmp_path):
    output = tmp_path / "output"
    result = pelican_command(broken_content, output, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    # Warnings (stories in one language) print too, but only errors stop the build.
    # The warnings first, then how many stories lack a language, then the errors, the count last.
    assert (
        lines.index(next(line for line in lines if line.startswith("Missing translations: ")))
        == len(lines) - 5
    )
    assert all(": warning: " in line for line in lines[:-5])
    assert lines[-4:] == [
        "content/news/2025/2025-04-23-hackathon/en.md:1: error: the text file must be named ru.md or kk.md "
        "(the name gives the language), not en.md",
        "content/news/2025/2025-04-23-hackathon/kk.md:2: error: Date 2025-04-24 is not the folder's day "
        "2025-04-23; fix one of them",
        lines[-2],
        "Build stopped: 2 content errors; the output folder was left as it was.",
    ]
    assert re.fullmatch(r"2 errors, \d+ warnings\.", lines[-2])
    assert "Traceback" not in result.stdout + result.stderr
    assert not output.exists()


def test_pelican_command_builds_any_content_folder_from_anywhere(tmp_path):
    content = tmp_path / "elsewhere"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    output = tmp_path / "out"
    result = pelican_command(content, output, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (output / "kk/news/2025/04/bike-lane/index.html").is_file()
    assert (output / "ru/archive/2024/02/index.html").is_file()


# Every check of test_checks.CASES, and those spanning several files, stop a real build.
MORE_CASES = {
    "file not saved as UTF-8": (
        {f"{STORY}/kk.md": "Title: Жәрмеңке\n\nМәтін\n".encode() + "Текст\n".encode("cp1251")},
        (f"{STORY}/kk.md", 4, "the file is not saved as UTF-8; save it again as UTF-8"),
    ),
    "two stories of a month share a slug": (
        {"news/2025/2025-04-01-fair/ru.md": "Title: А\n\nТекст.\n", f"{STORY}/ru.md": "Title: В\n\nТекст.\n"},
        (
            f"{STORY}/ru.md",
            1,
            "another story of 2025-04 already uses the slug 'fair' ({root}/news/2025/2025-04-01-fair/ru.md); "
            "pick another slug",
        ),
    ),
    "language versions in two sections": (
        {
            f"{EVENT}/kk.md": f"Title: Жәрмеңке\n{EVENT_HEADER}\nМәтін.\n",
            f"{STORY}/ru.md": "Title: Ярмарка\n\nТекст.\n",
        },
        (
            f"{STORY}/ru.md",
            1,
            "this story is in news/ but its other language version ({root}/" + EVENT + "/kk.md) "
            "is in events/; put both files in the same story folder",
        ),
    ),
    "language versions disagree on the time": (
        {
            f"{EVENT}/ru.md": f"Title: Ярмарка\n{EVENT_HEADER}\nТекст.\n",
            f"{EVENT}/kk.md": f"Title: Жәрмеңке\n{EVENT_HEADER.replace('10:00', '11:00')}\nМәтін.\n",
        },
        (
            f"{EVENT}/kk.md",
            2,
            "Event_start here is 2025-05-01 11:00 but 2025-05-01 10:00 in {root}/" + EVENT + "/ru.md; "
            "both languages must give the same time",
        ),
    ),
    "tags of two stories sharing an address": (
        {
            "news/2025/2025-04-01-tram/ru.md": "Title: А\nTags: Алматы\n\nТекст.\n",
            f"{STORY}/ru.md": "Title: В\nTags: транспорт, Almaty\n\nТекст.\n",
        },
        (
            f"{STORY}/ru.md",
            2,
            "tag 'Almaty' would share the address /ru/tags/almaty/ with tag 'Алматы' "
            "({root}/news/2025/2025-04-01-tram/ru.md:2); write one tag the same way everywhere, "
            "or rename one of them",
        ),
    ),
}
ALL_CASES = {
    **{
        name: ({path: text}, (reported_at(name, path), line, message))
        for name, (path, text, line, message) in CASES.items()
    },
    **MORE_CASES,
}


@pytest.mark.parametrize(("files", "expected"), ALL_CASES.values(), ids=ALL_CASES.keys())
def test_every_check_stops_a_build_and_keeps_the_previous_output(tmp_path, files, expected):
    content = write_case(tmp_path / "content", files)
    output = tmp_path / "output"
    (output / "ru").mkdir(parents=True)
    (output / "ru/index.html").write_text("the previous build", encoding="utf-8")
    before = snapshot(output)
    with pytest.raises(ContentErrors) as stopped:
        build(content, output)
    assert stopped.value.code == 1
    path, line, message = expected
    problems = [
        (Path(p.path).relative_to(content).as_posix(), p.line, str(p.message)) for p in stopped.value.problems
    ]
    assert problems == [(path, line, message.format(root=content))]
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


# --- an unexpected exception (a bug, a full disk) is one line naming the file -------------------

FAULT_PLUGIN = """
import os

from pelican import signals


def fail_while_reading(generator, metadata):
    if os.environ.get("TEST_FAULT") == "read" and "Сбой" in str(metadata.get("title", "")):
        raise ValueError("injected while reading\\nwith a second line")


def fail_while_processing(generator):
    for story in generator.articles:
        if os.environ.get("TEST_FAULT") == "process" and "Сбой" in story.title:
            raise KeyError("injected while processing")


def register():
    signals.article_generator_context.connect(fail_while_reading)
    signals.article_generator_finalized.connect(fail_while_processing)
"""


@pytest.mark.parametrize(
    ("fault", "line"),
    [
        ("read", "could not be read (ValueError: injected while reading)"),
        ("process", "could not be built (KeyError: 'injected while processing')"),
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_unexpected_exception_is_one_line_naming_the_file(tmp_path, monkeypatch, fault, line, debug):
    from pelicanconf import PLUGIN_PATHS, PLUGINS

    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "fault.py").write_text(FAULT_PLUGIN, encoding="utf-8")
    content = add_neighbours(tmp_path / "content")
    write(content, f"{STORY}/ru.md", "Title: Сбой\n\nТекст.\n")
    output = tmp_path / "output"
    (output / "ru").mkdir(parents=True)
    (output / "ru/index.html").write_text("the previous build", encoding="utf-8")
    before = snapshot(output)
    monkeypatch.setenv("TEST_FAULT", fault)
    result = pelican_command(
        content,
        output,
        *(["-D"] if debug else []),
        "-e",
        f"PLUGIN_PATHS={json.dumps([*PLUGIN_PATHS, str(plugins)])}",
        f"PLUGINS={json.dumps([*PLUGINS, 'fault'])}",
        f"PICTURES_CACHE_PATH={json.dumps(str(tmp_path / 'pictures'))}",
        cwd=tmp_path,
    )
    said = result.stdout + result.stderr
    assert result.returncode == 1
    expected = f"content/{STORY}/ru.md: {line}; run pelican with --debug (-D) for details"
    assert [text for text in said.splitlines() if expected in text], said
    assert ("Traceback" in said) == debug
    assert snapshot(output) == before

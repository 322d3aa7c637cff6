"""Bad event input stops the build with one clear line naming the file, and writes nothing."""

import shutil

import pytest
from conftest import FIXTURE_NOW, FIXTURE_SITE, add_fixture_pictures, build, pelican_command

from content_format import ContentErrors

DANCE = "events/2025/2025-05-01-dance-contest"


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, folder)
    add_fixture_pictures(folder)
    return folder


def edit(content, path: str, old: str, new: str) -> None:
    file = content / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous_output(tmp_path):
    output = tmp_path / "output"
    (output / "ru").mkdir(parents=True)
    (output / "ru" / "events.ics").write_bytes(b"the previous build")
    return output


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("Event_start: 2025-05-10 15:00\n", "", 1, "an event needs Event_start (YYYY-MM-DD HH:MM)"),
        ("Location: Дворец Республики\n", "", 1, "an event needs Location: the venue's name"),
        (
            "Event_start: 2025-05-10 15:00",
            "Event_start: 10.05.2025 15:00",
            4,
            "Event_start '10.05.2025 15:00' is not a real date in the form YYYY-MM-DD HH:MM",
        ),
        ("Event_end: 2025-05-10 18:00", "Event_end: 2025-05-10 14:00", 5, "Event_end is before Event_start"),
    ],
)
def test_bad_event_stops_the_build_naming_the_file(content, previous_output, old, new, line, message):
    edit(content, f"{DANCE}/ru.md", old, new)
    before = snapshot(previous_output)
    with pytest.raises(ContentErrors) as stopped:
        build(content, previous_output, EVENTS_NOW=FIXTURE_NOW)
    [problem] = stopped.value.problems
    assert problem.path.endswith(f"{DANCE}/ru.md")
    assert (problem.line, problem.message) == (line, message)
    assert snapshot(previous_output) == before


def test_pelican_command_names_every_bad_event_and_writes_nothing(content, tmp_path):
    edit(content, f"{DANCE}/ru.md", "Event_start: 2025-05-10 15:00\n", "")
    edit(content, f"{DANCE}/kk.md", "Event_end: 2025-05-10 18:00", "Event_end: 2025-05-09 18:00")
    edit(
        content,
        "events/2024/2024-01-20-winter-festival/kk.md",
        "Event_start: 2024-02-24 10:00",
        "Event_start: 2024-02-24 10:00 +06:00",
    )
    output = tmp_path / "output"
    result = pelican_command(content, output, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert [line for line in lines if line.startswith("content/") and ": warning: " not in line] == [
        "content/events/2024/2024-01-20-winter-festival/kk.md:3: error: "
        "Event_start '2024-02-24 10:00 +06:00' gives a time zone; "
        "write the Almaty wall-clock time without one, as YYYY-MM-DD HH:MM",
        f"content/{DANCE}/kk.md:5: error: Event_end is before Event_start",
        f"content/{DANCE}/ru.md:1: error: an event needs Event_start (YYYY-MM-DD HH:MM)",
    ]
    assert lines[-1] == "Build stopped: 3 content errors; the output folder was left as it was."
    assert "Traceback" not in result.stdout + result.stderr
    assert not output.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"EVENTS_NOW": "next Friday"}, "EVENTS_NOW 'next Friday' is not a moment"),
        (
            {"EVENTS_NOW": FIXTURE_NOW, "BILINGUAL_SECTION_LISTINGS": ["news", "events"]},
            "BILINGUAL_SECTION_LISTINGS lists 'events'",
        ),
    ],
)
def test_wrong_settings_stop_the_build_with_a_precise_message(content, previous_output, overrides, message):
    before = snapshot(previous_output)
    with pytest.raises(SystemExit) as stopped:
        build(content, previous_output, **overrides)
    assert message in str(stopped.value.code)
    assert snapshot(previous_output) == before

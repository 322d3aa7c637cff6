"""`invoke new` starts a story in the right folder with the right metadata, and never overwrites one."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from conftest import ROOT

from content_format.checks import check_tree
from content_format.scaffold import suggest_slug, today_in_almaty

INVOKE = [sys.executable, "-m", "invoke", "--search-root", str(ROOT)]


def invoke_new(content: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*INVOKE, "new", "--content", str(content), *options],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=content.parent,
    )


def test_new_story_gets_both_files_with_titles_and_date(tmp_path):
    content = tmp_path / "content"
    result = invoke_new(
        content,
        "--section=news",
        "--date=2025-11-30",
        "--title-ru=Новый маршрут трамвая",
        "--title-kk=Трамвайдың жаңа бағыты",
    )
    assert result.returncode == 0, result.stderr
    folder = content / "news/2025/2025-11-30-novyi-marshrut-tramvaia"
    assert sorted(p.name for p in folder.iterdir()) == ["kk.md", "ru.md"]
    assert (folder / "ru.md").read_text(encoding="utf-8") == "Title: Новый маршрут трамвая\n\n"
    assert (folder / "kk.md").read_text(encoding="utf-8") == "Title: Трамвайдың жаңа бағыты\n\n"
    assert result.stdout.splitlines()[:2] == [
        "Created content/news/2025/2025-11-30-novyi-marshrut-tramvaia/ru.md",
        "Created content/news/2025/2025-11-30-novyi-marshrut-tramvaia/kk.md",
    ]
    # The check now asks exactly for what is left to do: the text.
    assert [(Path(p.path).name, p.line, str(p.message)) for p in check_tree(content)] == [
        ("kk.md", 3, "the text is empty: write it below the metadata, after one blank line"),
        ("ru.md", 3, "the text is empty: write it below the metadata, after one blank line"),
    ]


def test_new_event_asks_for_start_and_venue(tmp_path):
    content = tmp_path / "content"
    result = invoke_new(
        content, "--section=events", "--date=2025-12-05", "--slug=winter-fair", "--title-kk=Жәрмеңке"
    )
    assert result.returncode == 0, result.stderr
    story = content / "events/2025/2025-12-05-winter-fair/kk.md"
    assert story.read_text(encoding="utf-8") == "Title: Жәрмеңке\nEvent_start: \nLocation: \n\n"
    assert not story.with_name("ru.md").exists()
    assert [str(p.message) for p in check_tree(content) if p.is_error] == [
        "an event needs Event_start (YYYY-MM-DD HH:MM)",
        "an event needs Location: the venue's name",
        "the text is empty: write it below the metadata, after one blank line",
    ]


def new_story(content: Path, **options) -> str:
    """Run the task in this process; return what it printed to stderr (nothing when it succeeded)."""
    from invoke import Context, Exit

    from tasks import new

    try:
        new(Context(), content=str(content), **options)
    except Exit as stopped:
        assert stopped.code == 1
        return stopped.message
    return ""


def test_existing_story_is_never_overwritten(tmp_path):
    content = tmp_path / "content"
    story = content / "news/2025/2025-11-30-tram/ru.md"
    story.parent.mkdir(parents=True)
    story.write_text("Title: Трамвай\n\nГотовый текст.\n", encoding="utf-8")
    result = invoke_new(content, "--section=news", "--date=2025-11-30", "--slug=tram", "--title-kk=Трамвай")
    assert result.returncode == 1
    assert result.stderr.strip() == "the story news/2025/2025-11-30-tram already exists; nothing was created."
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in story.parent.iterdir()) == ["ru.md"]
    assert story.read_text(encoding="utf-8") == "Title: Трамвай\n\nГотовый текст.\n"


def test_slug_taken_this_month_is_refused(tmp_path):
    content = tmp_path / "content"
    (content / "news/2026/2026-11-02-tram").mkdir(parents=True)
    message = new_story(content, section="news", date="2026-11-30", slug="tram", title_ru="Трамвай")
    assert message == (
        "news/2026/2026-11-02-tram already uses the slug 'tram' this month; pick another slug; "
        "nothing was created."
    )
    assert not (content / "news/2025/2025-11-30-tram").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"date": "30.11.2026"},
            "Date '30.11.2026' is not a real date in the form YYYY-MM-DD; nothing was created.",
        ),
        (
            {"slug": "Трамвай"},
            "story folder '2026-11-30-Трамвай': the slug must be lowercase Latin letters, digits and "
            "hyphens; rename the folder to '2026-11-30-tramvai'; nothing was created.",
        ),
        ({"section": "blog"}, "unknown section 'blog': choose news or events; nothing was created."),
        (
            {"title_ru": ""},
            "give the story a title in Russian or Kazakh (--title-ru, --title-kk); nothing was created.",
        ),
    ],
)
def test_bad_options_are_explained(tmp_path, options, message):
    content = tmp_path / "content"
    given = {"section": "news", "date": "2026-11-30", "title_ru": "Трамвай", **options}
    assert new_story(content, **given) == message
    assert not content.exists()


def test_date_defaults_to_today_in_almaty(tmp_path):
    # 20:30 UTC on 27 November is already 28 November in Almaty (UTC+5).
    with time_machine.travel(dt.datetime(2026, 11, 27, 20, 30, tzinfo=dt.UTC), tick=False):
        assert new_story(tmp_path, section="news", title_ru="Ночной снегопад") == ""
    story = tmp_path / "news/2026/2026-11-28-nochnoi-snegopad/ru.md"
    assert story.read_text(encoding="utf-8") == "Title: Ночной снегопад\nDate: 2026-11-28 01:30\n\n"


def test_today_in_almaty_uses_the_zone_not_a_fixed_offset():
    assert today_in_almaty(dt.datetime(2024, 2, 28, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 2, 29)  # UTC+6
    assert today_in_almaty(dt.datetime(2024, 3, 1, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 3, 1)  # UTC+5


@pytest.mark.parametrize(
    ("titles", "slug"),
    [
        (("Алматы қаласының әкімі", None), "almaty-qalasynyn-akimi"),
        ((None, "Көктөбеде ағаш отырғызу"), "koktobede-agash-otyrgyzu"),
        (("«Апорт» — фестиваль яблок 2025!", "Апорт"), "aport-festival-iablok-2025"),
        (("Очень " * 20, None), "ochen-" * 9 + "ochen"),
    ],
)
def test_slug_suggestion(titles, slug):
    assert suggest_slug(*titles) == slug

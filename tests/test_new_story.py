"""`invoke new` starts a story in the right folder with the right metadata, and never overwrites one."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from conftest import ROOT, pelican_argv

from content_format.checks import check_tree
from content_format.checks.header import known_keys, read_header
from content_format.layout import parse_source_path
from editing.scaffold import suggest_slug
from l10n.dates import today_in_almaty

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
    ru = (folder / "ru.md").read_text(encoding="utf-8")
    assert ru.startswith("Title: Новый маршрут трамвая\nDate:\nSummary:\n")
    assert "\nStatus: draft\n\n<!-- Напишите текст" in ru
    assert (folder / "kk.md").read_text(encoding="utf-8").startswith("Title: Трамвайдың жаңа бағыты\n")
    assert result.stdout.splitlines()[:4] == [
        "No terminal to ask on, so these were chosen (give them as options to choose):",
        "  Slug (the story's address, in Latin letters): novyi-marshrut-tramvaia",
        "Created content/news/2025/2025-11-30-novyi-marshrut-tramvaia/ru.md",
        "Created content/news/2025/2025-11-30-novyi-marshrut-tramvaia/kk.md",
    ]
    # As written, the story passes every check: a draft that previews show.
    assert check_tree(content) == []


def test_new_event_builds_cleanly_with_every_key_listed(tmp_path):
    """A freshly started news story and event build with no error and no warning about them."""
    content = tmp_path / "content"
    for section, title in (("news", "Тюльпаны в парке"), ("events", "Ярмарка")):
        result = invoke_new(
            content, f"--section={section}", "--date=2025-12-05", f"--title-ru={title}", "--title-kk=Жәрмеңке"
        )
        assert result.returncode == 0, result.stderr
    event = content / "events/2025/2025-12-05-iarmarka/kk.md"
    text = event.read_text(encoding="utf-8")
    assert "Event_start: 2025-12-05\n" in text and "Location: кейін хабарланады\n" in text
    for story in content.glob("*/2025/*/*.md"):
        head = story.read_text(encoding="utf-8").split("\n\n")[0]
        listed = [line.split(":")[0].lower() for line in head.splitlines()]
        assert sorted(listed) == sorted(known_keys(parse_source_path(story.relative_to(content).as_posix())))
    output = tmp_path / "output"
    build = subprocess.run(
        pelican_argv(content, output, "-e", f'CACHE_PATH="{tmp_path / "cache"}"'),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "LANGUAGE": "en"},
    )
    assert build.returncode == 0, build.stderr
    assert "warning" not in build.stderr.lower() and "error" not in build.stderr.lower(), build.stderr
    page = (output / "kk/events/2025/12/iarmarka/index.html").read_text(encoding="utf-8")
    assert "кейін хабарланады" in page
    assert "Материалдың мәтінін" not in page  # the note to the editor is never published


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
            "The slug 'Трамвай' must be lowercase Latin letters, digits and hyphens, such as 'tramvai'; "
            "nothing was created.",
        ),
        (
            {"slug": "Gorky_Park tulips"},
            "The slug 'Gorky_Park tulips' must be lowercase Latin letters, digits and hyphens, such as "
            "'gorky-park-tulips'; nothing was created.",
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
    assert story.read_text(encoding="utf-8").startswith("Title: Ночной снегопад\nDate: 2026-11-28 01:30\n")


def test_today_in_almaty_uses_the_zone_not_a_fixed_offset():
    assert today_in_almaty(dt.datetime(2024, 2, 28, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 2, 29)  # UTC+6
    assert today_in_almaty(dt.datetime(2024, 3, 1, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 3, 1)  # UTC+5


@pytest.mark.parametrize(
    ("titles", "slug"),
    [
        (("Алматы қаласының әкімі", None), "almaty-qalasynyn-akimi"),
        ((None, "Көктөбеде ағаш отырғызу"), "koktobede-agash-otyrgyzu"),
        (("«Апорт» — фестиваль яблок 2025!", "Апорт"), "aport-festival-iablok-2025"),
        (("Очень " * 20, None), "ochen-ochen-ochen-ochen"),
        # Prepositions and numbers in words are left out, four words at most.
        (("В парке Горького высадили десять тысяч тюльпанов", None), "parke-gorkogo-vysadili-tiulpanov"),
        (
            (None, "Горький саябағында он мың қызғалдақ отырғызылды"),
            "gorkii-saiabagynda-qyzgaldaq-otyrgyzyldy",
        ),
        (("Выставка «Алматы — 1000 лет»", None), "vystavka-almaty-1000-let"),
        (("Не за что", None), "ne-za-chto"),  # nothing but minor words: all of them
        (("Реконструкциядандырылғандардың " * 2, None), "rekonstruktsiiadandyrylgandardyn"),
    ],
)
def test_slug_suggestion(titles, slug):
    assert suggest_slug(*titles) == slug


def test_suggested_slugs_stay_short():
    title = "Международный фестиваль экспериментальной электронной музыки открылся"
    assert len(suggest_slug(title)) <= 40
    assert suggest_slug(title) == "mejdunarodnyi-festival-eksperimentalnoi"  # a fourth word would pass 40


def test_an_empty_optional_key_counts_as_left_out():
    header = read_header("Title: Снег\nImage:\nSummary: \nStatus:\nEvent_start:\nLocation:\n\nТекст.\n")
    assert sorted(header.fields) == ["event_start", "location", "title"]  # the required ones are kept


def test_on_a_terminal_the_slug_is_asked_for_and_a_bad_one_asked_again(tmp_path, monkeypatch, capsys):
    from editing import new_story as editing_new_story

    answers = iter(["", "Парк Горького", "", "Tulips!", ""])
    asked = []

    def answer(question):
        asked.append(question)
        return next(answers)

    monkeypatch.setattr(editing_new_story, "on_a_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    assert new_story(tmp_path, date="2026-11-30") == ""
    assert asked == [
        "Section (news or events) [news]: ",
        "Title in Russian (empty: no Russian version): ",
        "Title in Kazakh (empty: no Kazakh version): ",
        "Slug (the story's address, in Latin letters) [park-gorkogo]: ",
        "Slug (the story's address, in Latin letters) [tulips]: ",
    ]
    printed = capsys.readouterr().out
    assert (
        "The slug 'Tulips!' must be lowercase Latin letters, digits and hyphens, such as 'tulips'" in printed
    )
    assert "No terminal" not in printed
    assert (tmp_path / "news/2026/2026-11-30-tulips/ru.md").is_file()

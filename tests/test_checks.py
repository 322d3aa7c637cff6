"""Content checks: one clear `path:line: message` per problem."""

import textwrap
from pathlib import Path

import pytest

from content_format.checks import check_tree, parse_datetime, parse_header


def write(root: Path, path: str, text: str) -> Path:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return file


def problems_of(root: Path) -> list[tuple[str, int, str]]:
    return [(Path(p.path).relative_to(root).as_posix(), p.line, p.message) for p in check_tree(root)]


def test_clean_content_has_no_problems(tmp_path):
    write(tmp_path, "news/2025/2025-04-23-fair/ru.md", "Title: Ярмарка\nDate: 2025-04-23 10:30\n\nТекст.\n")
    write(tmp_path, "pages/about/kk.md", "Title: Жоба туралы\n\nМәтін.\n")
    assert check_tree(tmp_path) == []


def test_header_parsing_handles_bom_crlf_and_continuations():
    header = parse_header("\ufeffTitle: Бір\r\nSummary: екі\r\n    үш\r\n\r\nBody: not metadata\r\n")
    assert header["title"].value == "Бір"
    assert (header["summary"].value, header["summary"].line) == ("екі үш", 2)
    assert "body" not in header


@pytest.mark.parametrize(
    ("path", "text", "expected_line", "expected_message"),
    [
        ("news/2025/2025-04-23-fair/ru.md", "Date: 2025-04-23\n\nТекст.\n", 1, "the story has no Title"),
        (
            "news/2025/2025-04-23-fair/ru.md",
            "Title: Т\nDate: 2025-04-31 10:00\n\nТ.\n",
            2,
            "is not a real date",
        ),
        ("news/2025/2025-04-23-fair/ru.md", "Title: Т\nDate: 23.04.2025\n\nТ.\n", 2, "is not a real date"),
        (
            "news/2025/2025-04-23-fair/ru.md",
            "Title: Т\nDate: 2025-04-24 10:00\n\nТ.\n",
            2,
            "is not the folder's day 2025-04-23",
        ),
        ("news/2025/2025-04-23-fair/ru.md", "Title: Т\nTgas: a\n\nТ.\n", 2, "did you mean 'Tags'?"),
        (
            "news/2025/2025-04-23-fair/ru.md",
            "Title: Т\nImage: x.jpg\nImage_alt: x\n\nТ.\n",
            2,
            "Image 'x.jpg' is not in the story folder",
        ),
        (
            "news/2025/2025-04-23-fair/ru.md",
            "Title: Т\nLocation: Зал\n\nТ.\n",
            2,
            "unknown metadata key 'Location'",
        ),
        (
            "events/2025/2025-04-23-fair/ru.md",
            "Title: Т\nLocation: Зал\n\nТ.\n",
            1,
            "an event needs Event_start",
        ),
        (
            "events/2025/2025-04-23-fair/ru.md",
            "Title: Т\nEvent_start: 2025-05-01 10:00\n\nТ.\n",
            1,
            "an event needs Location",
        ),
        (
            "events/2025/2025-04-23-fair/ru.md",
            "Title: Т\nEvent_start: 2025-05-01 10:00\nEvent_end: 2025-05-01 09:00\nLocation: Зал\n\nТ.\n",
            3,
            "Event_end is before Event_start",
        ),
        ("news/2025/2025-04-23-Fair/ru.md", "Title: Т\n\nТ.\n", 1, "must be named YYYY-MM-DD-slug"),
        ("news/2025/2025-04-23-fair/en.md", "Title: Т\n\nТ.\n", 1, "must be named ru.md or kk.md"),
    ],
)
def test_each_problem_names_file_line_and_fix(tmp_path, path, text, expected_line, expected_message):
    write(tmp_path, path, text)
    [(where, line, message)] = problems_of(tmp_path)
    assert where == path
    assert line == expected_line
    assert expected_message in message


def test_image_without_alt_text_is_an_error(tmp_path):
    folder = tmp_path / "news/2025/2025-04-23-fair"
    write(tmp_path, "news/2025/2025-04-23-fair/ru.md", "Title: Т\nImage: a.jpg\n\nТ.\n")
    (folder / "a.jpg").write_bytes(b"")
    [(_, line, message)] = problems_of(tmp_path)
    assert (line, message) == (2, "Image needs Image_alt: a short description of the picture")


def test_file_not_in_utf8_is_named_with_its_line(tmp_path):
    file = tmp_path / "news/2025/2025-04-23-fair/kk.md"
    file.parent.mkdir(parents=True)
    file.write_bytes("Title: Жәрмеңке\n\nМәтін\n".encode() + "Текст\n".encode("cp1251"))
    [(_, line, message)] = problems_of(tmp_path)
    assert line == 4 and "UTF-8" in message


def test_two_stories_of_one_month_cannot_share_a_slug(tmp_path):
    write(tmp_path, "news/2025/2025-04-01-fair/ru.md", "Title: А\n\nТ.\n")
    write(
        tmp_path,
        "events/2025/2025-04-20-fair/ru.md",
        "Title: Б\nEvent_start: 2025-04-25 10:00\nLocation: Зал\n\nТ.\n",
    )
    write(tmp_path, "news/2025/2025-04-23-fair/ru.md", "Title: В\n\nТ.\n")
    [(where, _, message)] = problems_of(tmp_path)
    assert where == "news/2025/2025-04-23-fair/ru.md"
    assert "already uses the slug 'fair'" in message


EVENT = "events/2025/2025-04-23-fair/ru.md"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-05-01 10:00", "2025-05-01 18:00"),
        ("2025-05-01 9:00", None),  # a one-digit hour is a real time
        ("2025-05-01", "2025-05-03"),  # all-day, over three days
        ("2025-05-01", "2025-05-01"),  # all-day, one day
    ],
)
def test_well_formed_events_have_no_problems(tmp_path, start, end):
    header = f"Title: Т\nEvent_start: {start}\n" + (f"Event_end: {end}\n" if end else "") + "Location: Зал\n"
    write(tmp_path, EVENT, header + "\nТ.\n")
    assert problems_of(tmp_path) == []


@pytest.mark.parametrize(
    ("start", "end", "line", "message"),
    [
        ("2025-05-01 10:00", "2025-05-03", 3, "must both give a time"),
        ("2025-05-01", "2025-05-03 18:00", 3, "must both give a time"),
        ("2025-05-03", "2025-05-01", 3, "Event_end is before Event_start"),
        ("2025-05-01 10:00+05:00", None, 2, "gives a time zone; write the Almaty wall-clock time"),
        ("2025-05-01T10:00Z", None, 2, "gives a time zone"),
        ("2025-05-01 10:00", "2025-05-01 18:00 UTC", 3, "Event_end '2025-05-01 18:00 UTC' gives a time zone"),
        ("2025-05-01T10:00", None, 2, "Event_start '2025-05-01T10:00' is not a real date"),
        ("2025-05-01 25:00", None, 2, "is not a real date"),
        ("1 мая 2025", None, 2, "is not a real date in the form YYYY-MM-DD HH:MM"),
    ],
)
def test_event_time_problems_name_the_line(tmp_path, start, end, line, message):
    header = f"Title: Т\nEvent_start: {start}\n" + (f"Event_end: {end}\n" if end else "") + "Location: Зал\n"
    write(tmp_path, EVENT, header + "\nТ.\n")
    [(where, found_line, found)] = problems_of(tmp_path)
    assert (where, found_line) == (EVENT, line)
    assert message in found


def test_event_without_location_value_is_named_at_its_line(tmp_path):
    write(tmp_path, EVENT, "Title: Т\nEvent_start: 2025-05-01 10:00\nLocation:\n\nТ.\n")
    [(_, line, message)] = problems_of(tmp_path)
    assert (line, message) == (3, "an event needs Location: the venue's name")


def test_parse_datetime_reads_almaty_wall_clock_without_zone():
    assert parse_datetime("2025-05-01 9:05").isoformat() == "2025-05-01T09:05:00"
    assert parse_datetime("2025-05-01").isoformat() == "2025-05-01T00:00:00"
    with pytest.raises(ValueError):
        parse_datetime("2025-02-29 10:00")

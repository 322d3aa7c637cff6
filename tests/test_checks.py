"""Content checks: one clear `path:line: message` per problem, in words an editor understands."""

import textwrap
from pathlib import Path

import pytest
from PIL import Image

from content_format.checks import WARNING, check_content, check_tree, parse_datetime
from content_format.checks.header import read_header
from content_format.checks.text import mixed_script_words
from l10n.dates import today_in_almaty

STORY = "news/2025/2025-04-23-fair"
EVENT = "events/2025/2025-04-23-fair"


def write(root: Path, path: str, text: str) -> Path:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return file


def picture(root: Path, path: str) -> None:
    """Write a real (tiny) picture: builds make thumbnails of it."""
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (90, 120, 150)).save(root / path, "JPEG")


def errors_of(root: Path) -> list[tuple[str, int, str]]:
    return [
        (Path(p.path).relative_to(root).as_posix(), p.line, str(p.message))
        for p in check_tree(root)
        if p.is_error
    ]


def test_clean_content_has_no_problems(tmp_path):
    for lang, title in (("ru", "Ярмарка"), ("kk", "Жәрмеңке")):
        write(tmp_path, f"{STORY}/{lang}.md", f"Title: {title}\nDate: 2025-04-23 10:30\n\nТекст.\n")
    write(tmp_path, "pages/about/kk.md", "Title: Жоба туралы\n\nМәтін.\n")
    write(tmp_path, "pages/about/ru.md", "Title: О проекте\n\nТекст.\n")
    assert check_tree(tmp_path) == []


def test_bom_and_crlf_line_ends_are_accepted_silently(tmp_path):
    for lang in ("ru", "kk"):
        file = tmp_path / STORY / f"{lang}.md"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes("\ufeffTitle: Ярмарка\r\nDate: 2025-04-23 10:30\r\n\r\nТекст.\r\n".encode())
    assert check_tree(tmp_path) == []


def test_header_parsing_handles_bom_crlf_and_refuses_continuations():
    header = read_header("\ufeffTitle: Бір\r\nSummary: екі\r\n    үш\r\n\r\nBody: not metadata\r\n")
    assert header.fields["title"].value == "Бір"
    # A continuation line is not joined to the value: the build would read it differently.
    assert (header.fields["summary"].value, header.fields["summary"].line) == ("екі", 2)
    assert [line for line, _ in header.flaws] == [3]
    assert "body" not in header.fields
    assert header.body_start == 5


EVENT_HEADER = "Event_start: 2025-05-01 10:00\nLocation: Зал\n"
TODAY = today_in_almaty()

# (file, text, line, exact message): one case per check.
CASES = {
    "missing title": (f"{STORY}/ru.md", "Date: 2025-04-23\n\nТекст.\n", 1, "the story has no Title"),
    "date in the wrong form": (
        f"{STORY}/ru.md",
        "Title: Т\nDate: 23.04.2025\n\nТекст.\n",
        2,
        "Date '23.04.2025' is not a real date in the form YYYY-MM-DD HH:MM",
    ),
    "impossible date": (
        f"{STORY}/ru.md",
        "Title: Т\nDate: 2025-04-31 10:00\n\nТекст.\n",
        2,
        "Date '2025-04-31 10:00' is not a real date in the form YYYY-MM-DD HH:MM",
    ),
    "bad Modified date": (
        f"{STORY}/ru.md",
        "Title: Т\nModified: вчера\n\nТекст.\n",
        2,
        "Modified 'вчера' is not a real date in the form YYYY-MM-DD HH:MM",
    ),
    "date not on the folder's day": (
        f"{STORY}/ru.md",
        "Title: Т\nDate: 2025-04-24 10:00\n\nТекст.\n",
        2,
        "Date 2025-04-24 is not the folder's day 2025-04-23; fix one of them",
    ),
    "folder not named YYYY-MM-DD-slug": (
        "news/2025/fair/ru.md",
        "Title: Т\n\nТекст.\n",
        1,
        "story folder 'fair' must be named YYYY-MM-DD-slug, "
        "the slug in lowercase Latin letters, digits and hyphens",
    ),
    "impossible date in the folder name": (
        "news/2025/2025-02-30-fair/ru.md",
        "Title: Т\n\nТекст.\n",
        1,
        "story folder '2025-02-30-fair' starts with an impossible date; fix the date",
    ),
    "slug in capitals": (
        "news/2025/2025-04-23-Fair/ru.md",
        "Title: Т\n\nТекст.\n",
        1,
        "story folder '2025-04-23-Fair': the slug must be lowercase Latin letters, digits and hyphens; "
        "rename the folder to '2025-04-23-fair'",
    ),
    "slug in Cyrillic": (
        "news/2025/2025-04-23-жәрмеңке/kk.md",
        "Title: Т\n\nМәтін.\n",
        1,
        "story folder '2025-04-23-жәрмеңке': the slug must be lowercase Latin letters, digits and hyphens; "
        "rename the folder to '2025-04-23-jarmenke'",
    ),
    "unknown section": (
        "newss/2025/2025-04-23-fair/ru.md",
        "Title: Т\n\nТекст.\n",
        1,
        "unknown section 'newss': stories go in news/ or events/, pages in pages/; did you mean news/?",
    ),
    "file not named after a language": (
        f"{STORY}/en.md",
        "Title: Т\n\nТекст.\n",
        1,
        "the text file must be named ru.md or kk.md (the name gives the language), not en.md",
    ),
    "misspelled metadata key": (
        f"{STORY}/ru.md",
        "Title: Т\nTgas: a\n\nТекст.\n",
        2,
        "unknown metadata key 'Tgas'; did you mean 'Tags'?",
    ),
    "event key on a news story": (
        f"{STORY}/ru.md",
        "Title: Т\nLocation: Зал\n\nТекст.\n",
        2,
        "unknown metadata key 'Location'",
    ),
    "empty body": (
        f"{STORY}/ru.md",
        "Title: Т\nDate: 2025-04-23 10:00\n\n   \n",
        4,
        "the text is empty: write it below the metadata, after one blank line",
    ),
    "cover picture missing": (
        f"{STORY}/ru.md",
        "Title: Т\nImage: x.jpg\nImage_alt: x\n\nТекст.\n",
        2,
        "Image 'x.jpg' is not in the story folder; add the file or fix the name",
    ),
    "body picture missing": (
        f"{STORY}/ru.md",
        "Title: Т\n\nТекст.\n\n![Сцена](stage.jpg)\n",
        5,
        "picture 'stage.jpg' is not in the story folder; add the file or fix the name",
    ),
    "body picture without alt text": (
        f"{STORY}/ru.md",
        "Title: Т\n\nТекст.\n\n![](hall.jpg)\n",
        5,
        "picture 'hall.jpg' has no alt text: describe what it shows, as in ![what it shows](hall.jpg)",
    ),
    "pasted <img> without alt text": (
        f"{STORY}/ru.md",
        'Title: Т\n\nТекст <img src="hall.jpg"> ещё.\n',
        3,
        "picture 'hall.jpg' has no alt text: describe what it shows, as in ![what it shows](hall.jpg)",
    ),
    "picture from another site": (
        f"{STORY}/ru.md",
        "Title: Т\n\n![Зал](https://example.com/hall.jpg)\n",
        3,
        "picture 'https://example.com/hall.jpg' is on another site, which the site's pages do not load; "
        "save the file in the story folder and write its name",
    ),
    "link to a story that does not exist": (
        f"{STORY}/ru.md",
        "Title: Т\n\nСм. [старый рынок](/ru/news/2019/01/old-market/).\n",
        3,
        "link to /ru/news/2019/01/old-market/: there is no such story on the site; "
        "a story address looks like /ru/news/YYYY/MM/<slug>/",
    ),
    "link with a typo in the slug": (
        f"{STORY}/ru.md",
        "Title: Т\n\nСм. [каток](/ru/news/2025/04/skating-rnk/).\n",
        3,
        "link to /ru/news/2025/04/skating-rnk/: there is no such story on the site; "
        "did you mean /ru/news/2025/04/skating-rink/?",
    ),
    "link to a language version that does not exist": (
        f"{STORY}/ru.md",
        "Title: Т\n\nСм. [велодорожку](/kk/news/2025/04/bike-lane/).\n",
        3,
        "link to /kk/news/2025/04/bike-lane/: that story has no Kazakh version; "
        "link the one that exists (/ru/news/2025/04/bike-lane/) or write the translation",
    ),
    "link to a page that does not exist": (
        f"{STORY}/ru.md",
        "Title: Т\n\n[Контакты](/ru/contacts/)\n",
        3,
        "link to /ru/contacts/: there is no such page on the site; a page address looks like /ru/<slug>/",
    ),
    "link to a missing file": (
        f"{STORY}/ru.md",
        "Title: Т\n\nСкачайте [программу](program.pdf).\n",
        3,
        "link to 'program.pdf': there is no such file in the story folder",
    ),
    "link without https": (
        f"{STORY}/ru.md",
        "Title: Т\n\nСайт: [акимат](www.almaty.gov.kz).\n",
        3,
        "link to 'www.almaty.gov.kz' has no https:// in front; for another site write https://www.almaty.gov.kz",
    ),
    "Latin look-alikes in a Cyrillic title": (
        f"{STORY}/ru.md",
        "Title: Ярмаркa в Алматы\n\nТекст.\n",
        1,
        "the word «Ярмарк[a]» has Latin a among Cyrillic letters (marked [ ]); "
        "retype them on the Cyrillic keyboard, or search and sorting will miss the word",
    ),
    "Latin i in a Kazakh word": (
        f"{STORY}/kk.md",
        "Title: Жәрмеңке\n\nҚала тұрғындарi келді.\n",
        3,
        "the word «тұрғындар[i]» has Latin i among Cyrillic letters (marked [ ]); "
        "retype them on the Cyrillic keyboard, or search and sorting will miss the word",
    ),
    "event without a start": (
        f"{EVENT}/ru.md",
        "Title: Т\nLocation: Зал\n\nТекст.\n",
        1,
        "an event needs Event_start (YYYY-MM-DD HH:MM)",
    ),
    "event without a venue": (
        f"{EVENT}/ru.md",
        "Title: Т\nEvent_start: 2025-05-01 10:00\n\nТекст.\n",
        1,
        "an event needs Location: the venue's name",
    ),
    "event ending before it starts": (
        f"{EVENT}/ru.md",
        "Title: Т\nEvent_start: 2025-05-01 10:00\nEvent_end: 2025-05-01 09:00\nLocation: Зал\n\nТекст.\n",
        3,
        "Event_end is before Event_start",
    ),
    # Strict metadata: what the build could read differently from the checks is refused.
    "a second Date line": (
        f"{STORY}/ru.md",
        "Title: Т\nDate: 2025-04-23 10:00\nDate: 2031-12-01 10:00\n\nТекст.\n",
        3,
        "a second 'Date:' line (the first is line 2); keep one of them",
    ),
    "a second Title line": (
        f"{STORY}/ru.md",
        "Title: Т\nTitle: Другой\n\nТекст.\n",
        2,
        "a second 'Title:' line (the first is line 1); keep one of them",
    ),
    "an indented continuation line": (
        f"{STORY}/ru.md",
        "Title: Т\n    продолжение\n\nТекст.\n",
        2,
        "an indented line in the metadata: a value must stay on its key's line; "
        "join this line to the one above",
    ),
    "an indented key": (
        f"{STORY}/ru.md",
        "Title: Т\n  Date: 2031-12-01\n\nТекст.\n",
        2,
        "metadata key 'Date' is indented; start it at the line's beginning",
    ),
    "Word's soft line break in the text": (
        f"{STORY}/ru.md",
        "Title: Т\n\nПервая\x0bвторая.\n",
        3,
        "a control character U+000B (from Word's soft line break) on this line: "
        "retype the line break (or join the lines)",
    ),
    "NUL in the text": (
        f"{STORY}/ru.md",
        "Title: Т\n\nТекст\x00.\n",
        3,
        "a control character U+0000 (NUL) on this line: delete it "
        "(editors often do not show it; retype the line if unsure)",
    ),
    "C1 control character in the title": (
        f"{STORY}/ru.md",
        "Title: Т\x85\n\nТекст.\n",
        1,
        "a control character U+0085 on this line: delete it "
        "(editors often do not show it; retype the line if unsure)",
    ),
    "tag of an emoji only": (
        f"{STORY}/ru.md",
        "Title: Т\nTags: трамвай, 🚋\n\nТекст.\n",
        2,
        "tag '🚋' has no letter or digit to make its address (/tags/…/) from; write it in words",
    ),
    "tag of punctuation only": (
        f"{STORY}/ru.md",
        "Title: Т\nTags: !!!\n\nТекст.\n",
        2,
        "tag '!!!' has no letter or digit to make its address (/tags/…/) from; write it in words",
    ),
    "tags separated by semicolons": (
        f"{STORY}/ru.md",
        "Title: Т\nTags: транспорт; город\n\nТекст.\n",
        2,
        "separate tags with commas, not ';' (Tags: first tag, second tag)",
    ),
    "two tags sharing an address in one story": (
        f"{STORY}/ru.md",
        "Title: Т\nTags: C++, C#\n\nТекст.\n",
        2,
        "tag 'C#' would share the address /ru/tags/c/ with tag 'C++' (on this line); "
        "write one tag the same way everywhere, or rename one of them",
    ),
    "Modified before 2000": (
        f"{STORY}/ru.md",
        "Title: Т\nModified: 1999-12-31 23:00\n\nТекст.\n",
        2,
        "Modified 1999-12-31 is before 2000-01-01, where the archive starts; check the year",
    ),
    "story folder of year 0001": (
        "news/0001/0001-01-01-fair/ru.md",
        "Title: Т\n\nТекст.\n",
        1,
        "the story folder's day 0001-01-01 is before 2000-01-01, where the archive starts; check the year",
    ),
    "Event_start far in the future": (
        f"{EVENT}/ru.md",
        "Title: Т\nEvent_start: 2205-05-01 10:00\nLocation: Зал\n\nТекст.\n",
        2,
        f"Event_start 2205-05-01 is more than 5 years after today ({TODAY.isoformat()}); check the year",
    ),
    "Date in the spring-forward gap of 2004": (
        "news/2004/2004-03-28-fair/ru.md",
        "Title: Т\nDate: 2004-03-28 02:30\n\nТекст.\n",
        2,
        "Date '2004-03-28 02:30' does not exist in Almaty: the clocks were put forward that night; "
        "write the time the clocks showed, e.g. 03:30",
    ),
    "event starting in the gap and ending after it": (
        "events/2004/2004-03-01-fair/ru.md",
        "Title: Т\nEvent_start: 2004-03-28 02:30\nEvent_end: 2004-03-28 03:10\nLocation: Зал\n\nТекст.\n",
        2,
        "Event_start '2004-03-28 02:30' does not exist in Almaty: the clocks were put forward that night; "
        "write the time the clocks showed, e.g. 03:30",
    ),
    "event ending in the hour lived twice on 2024-02-29": (
        "events/2024/2024-02-20-fair/ru.md",
        "Title: Т\nEvent_start: 2024-02-29 22:00\nEvent_end: 2024-02-29 23:30\nLocation: Зал\n\nТекст.\n",
        3,
        "Event_end '2024-02-29 23:30' came twice in Almaty: the clocks were put back that night, "
        "so 23:30 was lived twice; pick a time outside the repeated hour",
    ),
    "Summary picture missing": (
        f"{STORY}/ru.md",
        "Title: Т\nSummary: Кратко ![Сцена](stage.jpg)\n\nТекст.\n",
        2,
        "picture 'stage.jpg' is not in the story folder; add the file or fix the name",
    ),
    "Summary picture without alt text": (
        f"{STORY}/ru.md",
        "Title: Т\nSummary: Кратко ![](hall.jpg)\n\nТекст.\n",
        2,
        "picture 'hall.jpg' has no alt text: describe what it shows, as in ![what it shows](hall.jpg)",
    ),
}

# Cases whose mistake is a folder's name: named once, at the folder, however many files it holds.
FOLDER_CASES = {
    "folder not named YYYY-MM-DD-slug",
    "impossible date in the folder name",
    "slug in capitals",
    "slug in Cyrillic",
    "unknown section",
}


def reported_at(case: str, path: str) -> str:
    """Return where a case's problem is named: its file, or the folder whose name is wrong."""
    if case not in FOLDER_CASES:
        return path
    return path.split("/")[0] if case == "unknown section" else path.rsplit("/", 1)[0]


def write_case(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write one bad case's files (text or bytes) and the neighbours they link to; return the root."""
    add_neighbours(root, *files)
    for path, text in files.items():
        if isinstance(text, bytes):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(text)
        else:
            write(root, path, text)
    return root


def add_neighbours(root: Path, *texts: str) -> Path:
    """Write the other content the cases link to, and the picture they may use beside each given text.

    Only beside a text: a folder with a picture and no text is an error of its own.
    """
    for lang in ("ru", "kk"):
        write(root, f"news/2025/2025-04-02-skating-rink/{lang}.md", "Title: Каток\n\nТекст.\n")
    write(root, "news/2025/2025-04-05-bike-lane/ru.md", "Title: Велодорожка\n\nТекст.\n")
    for text in texts:
        picture(root, f"{Path(text).parent.as_posix()}/hall.jpg")
    return root


@pytest.fixture
def neighbours(tmp_path):
    return add_neighbours(tmp_path, f"{STORY}/ru.md")


@pytest.mark.parametrize("case", CASES)
def test_each_problem_names_file_line_and_fix(tmp_path, case):
    path, text, line, message = CASES[case]
    neighbours = add_neighbours(tmp_path, path)
    write(neighbours, path, text)
    assert errors_of(neighbours) == [(reported_at(case, path), line, message)]


def test_links_and_pictures_that_exist_pass(neighbours):
    picture(neighbours, f"{STORY}/program.pdf")
    write(
        neighbours,
        f"{STORY}/ru.md",
        """
        Title: Ярмарка

        ![Зал с прилавками](hall.jpg "Зал")
        См. [каток](/ru/news/2025/04/skating-rink/#photos), [о велодорожке][lane],
        [программу](program.pdf), [главную](/ru/), [теги](/ru/tags/), [сайт](https://example.com/a),
        [календарь](/ru/events/calendar/2025/04/), [подписка](/ru/events.ics), [лента](/kk/atom.xml).

        [lane]: /ru/news/2025/04/bike-lane/
        """,
    )
    assert errors_of(neighbours) == []


def test_code_is_not_checked_as_prose(neighbours):
    write(
        neighbours,
        f"{STORY}/ru.md",
        "Title: Ярмарка\n\nКод `Алмaты` и\n\n```\n![](nothing.jpg) Алмaты\n```\n",
    )
    assert errors_of(neighbours) == []


def test_image_without_alt_text_is_an_error(tmp_path):
    write(tmp_path, f"{STORY}/ru.md", "Title: Т\nImage: a.jpg\n\nТекст.\n")
    picture(tmp_path, f"{STORY}/a.jpg")
    assert errors_of(tmp_path) == [
        (f"{STORY}/ru.md", 2, "Image needs Image_alt: a short description of the picture")
    ]


def test_misnamed_picture_gets_the_nearest_file_suggested(tmp_path):
    write(tmp_path, f"{STORY}/ru.md", "Title: Т\n\n![Зал](Hall.JPG)\n")
    picture(tmp_path, f"{STORY}/hall.jpg")
    assert errors_of(tmp_path) == [
        (f"{STORY}/ru.md", 3, "picture 'Hall.JPG' is not in the story folder; did you mean 'hall.jpg'?")
    ]


def test_file_not_in_utf8_is_named_with_its_line(tmp_path):
    file = tmp_path / f"{STORY}/kk.md"
    file.parent.mkdir(parents=True)
    file.write_bytes("Title: Жәрмеңке\n\nМәтін\n".encode() + "Текст\n".encode("cp1251"))
    assert errors_of(tmp_path) == [
        (f"{STORY}/kk.md", 4, "the file is not saved as UTF-8; save it again as UTF-8")
    ]


def test_two_stories_of_one_month_cannot_share_a_slug(tmp_path):
    write(tmp_path, "news/2025/2025-04-01-fair/ru.md", "Title: А\n\nТекст.\n")
    write(tmp_path, "events/2025/2025-04-20-fair/ru.md", f"Title: Б\n{EVENT_HEADER}\nТекст.\n")
    write(tmp_path, f"{STORY}/ru.md", "Title: В\n\nТекст.\n")
    assert errors_of(tmp_path) == [
        (
            f"{STORY}/ru.md",
            1,
            "another story of 2025-04 already uses the slug 'fair' "
            f"({tmp_path}/news/2025/2025-04-01-fair/ru.md); pick another slug",
        )
    ]


def test_language_versions_in_different_sections_are_an_error(tmp_path):
    write(tmp_path, f"{EVENT}/kk.md", f"Title: Жәрмеңке\n{EVENT_HEADER}\nМәтін.\n")
    write(tmp_path, f"{STORY}/ru.md", "Title: Ярмарка\n\nТекст.\n")
    assert errors_of(tmp_path) == [
        (
            f"{STORY}/ru.md",
            1,
            f"this story is in news/ but its other language version ({tmp_path}/{EVENT}/kk.md) "
            "is in events/; put both files in the same story folder",
        )
    ]


def test_language_versions_of_an_event_must_agree_on_its_times(tmp_path):
    write(
        tmp_path,
        f"{EVENT}/ru.md",
        "Title: Ярмарка\nEvent_start: 2025-05-01 10:00\nEvent_end: 2025-05-01 18:00\n"
        "Location: Зал\n\nТекст.\n",
    )
    write(
        tmp_path,
        f"{EVENT}/kk.md",
        "Title: Жәрмеңке\nLocation: Зал\nEvent_start: 2025-05-01 11:00\n\nМәтін.\n",
    )
    assert errors_of(tmp_path) == [
        (
            f"{EVENT}/kk.md",
            1,
            f"Event_end is missing here but is 2025-05-01 18:00 in {tmp_path}/{EVENT}/ru.md; "
            "both languages must give the same time",
        ),
        (
            f"{EVENT}/kk.md",
            3,
            f"Event_start here is 2025-05-01 11:00 but 2025-05-01 10:00 in {tmp_path}/{EVENT}/ru.md; "
            "both languages must give the same time",
        ),
    ]


def test_missing_translations_are_warnings_counted_per_language(tmp_path):
    write(tmp_path, f"{STORY}/ru.md", "Title: Ярмарка\n\nТекст.\n")
    write(tmp_path, "news/2025/2025-04-24-rink/ru.md", "Title: Каток\n\nТекст.\n")
    write(tmp_path, "pages/about/kk.md", "Title: Жоба туралы\n\nМәтін.\n")
    report = check_content(tmp_path)
    assert report.errors == []
    assert [(Path(p.path).relative_to(tmp_path).as_posix(), p.severity) for p in report.warnings] == [
        ("news/2025/2025-04-23-fair/ru.md", WARNING),
        ("news/2025/2025-04-24-rink/ru.md", WARNING),
        ("pages/about/kk.md", WARNING),
    ]
    lines = report.lines()
    assert lines[0] == (
        f"{tmp_path}/{STORY}/ru.md:1: warning: no Kazakh version (kk.md) yet; "
        "that language's page will say so"
    )
    assert lines[-2:] == [
        "Missing translations: 1 story or page without a Russian version, "
        "2 stories or pages without a Kazakh version.",
        "0 errors, 3 warnings.",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Алматы и Astana", []),
        ("Алмaты", ["Алм[a]ты"]),
        ("Kаspi", ["K[а]spi"]),
        ("IT-компания, e-mail, XXI век", []),
        ("см. [сайт](https://exаmple.kz/Алмaты)", []),
        ("Әкімдік pеспубликалық", ["[p]еспубликалық"]),
        ("Алмäты", ["Алм[ä]ты"]),  # a Latin letter beyond ASCII
        ("Wԁrd и ԁом", ["W[ԁ]rd"]),  # a letter of the Cyrillic Supplement block
    ],
)
def test_mixed_script_words(line, expected):
    assert mixed_script_words(line) == expected


def test_many_files_are_checked_alike_on_all_cores_and_in_one_process(tmp_path):
    for number in range(1, 31):
        write(
            tmp_path,
            f"news/2025/2025-04-{number:02d}-fair-{number}/ru.md",
            f"""\
            Title: Ярмарк{"a" if number % 7 == 0 else "а"} №{number}
            Date: 2025-04-{number:02d}

            Текст.{" ![](missing.jpg)" if number % 10 == 0 else ""}
            """,
        )
    one = check_content(tmp_path, {"BUILD_WORKERS": 1})
    many = check_content(tmp_path, {"BUILD_WORKERS": 2})
    assert len(one.errors) == 4 + 3 * 2  # the Latin a in 4 titles; 3 pictures missing, without alt text
    assert many.problems == one.problems


EVENT_FILE = f"{EVENT}/ru.md"


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
    write(tmp_path, EVENT_FILE, header + "\nТ.\n")
    assert errors_of(tmp_path) == []


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
    write(tmp_path, EVENT_FILE, header + "\nТ.\n")
    [(where, found_line, found)] = errors_of(tmp_path)
    assert (where, found_line) == (EVENT_FILE, line)
    assert message in found


def test_event_without_location_value_is_named_at_its_line(tmp_path):
    write(tmp_path, EVENT_FILE, "Title: Т\nEvent_start: 2025-05-01 10:00\nLocation:\n\nТ.\n")
    assert errors_of(tmp_path) == [(EVENT_FILE, 3, "an event needs Location: the venue's name")]


def test_parse_datetime_reads_almaty_wall_clock_without_zone():
    assert parse_datetime("2025-05-01 9:05").isoformat() == "2025-05-01T09:05:00"
    assert parse_datetime("2025-05-01").isoformat() == "2025-05-01T00:00:00"
    with pytest.raises(ValueError):
        parse_datetime("2025-02-29 10:00")

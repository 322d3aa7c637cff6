"""What the content checks tell editors: the fix itself where it can be known, in Russian and Kazakh too."""

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from test_checks import CASES, EVENT, STORY, add_neighbours, picture, write

from content_format.checks import ERROR, WARNING, check_content
from content_format.checks.header import EVENT_KEYS, STORY_KEYS
from content_format.checks.problems import summary
from content_format.layout import suggested_folder_name
from l10n import messages
from l10n.messages import Message

ROOT = Path(__file__).resolve().parent.parent
# Latin words a Russian or Kazakh message may hold: what the editor types or sees as it is (keys,
# file and folder names, format patterns, names of programs and file formats).
KEYS = {key.capitalize() for key in STORY_KEYS + EVENT_KEYS}
TYPED = {"ru", "kk", "md", "news", "events", "pages", "tags", "content", "output", "draft", "https"}
TYPED |= {"pelican", "debug"}
PATTERNS = {"YYYY", "MM", "DD", "HH", "D"}
NAMES = {"Word", "Markdown", "UTF", "SVG", "PNG", "JPEG", "PDF", "WebP", "GIF", "TIFF", "BMP", "AVIF", "HEIC"}
NAMES |= {"HEIF", "DOCX", "XLSX", "PPTX", "ODT", "ODS", "CSV", "TXT"}
ALLOWED_LATIN = KEYS | TYPED | PATTERNS | NAMES
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
# Russian words that have no place in a Kazakh sentence (Kazakh has words of its own for each).
RUSSIAN_ONLY = {
    "и",
    "в",
    "или",
    "для",
    "что",
    "это",
    "нет",
    "есть",
    "папка",
    "папке",
    "ссылка",
    "файла",
    "день",
}


@pytest.fixture
def language():
    """Let a test choose the editor's language; restore the suite's afterwards."""
    previous = messages._chosen
    yield messages.use_language
    messages.use_language(previous)


def shown_in(message: Message, lang: str) -> str:
    """Return a message in lang with its field values blanked out: the words the catalog gave."""
    text = message.in_language(lang)
    values = [v.in_language(lang) if isinstance(v, Message) else str(v) for _name, v in message.fields]
    for value in sorted(values, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    return text


_COMMAND_OPTION = re.compile(r"--[a-z][a-z-]*")


def latin_words(text: str) -> set[str]:
    """Return the Latin words of text an editor would not type as they are (as options: --title-ru)."""
    return set(_LATIN_WORD.findall(_COMMAND_OPTION.sub(" ", text))) - ALLOWED_LATIN


def content_format_messages(lang: str) -> list:
    """Return the catalog entries of the messages written in plugins/content_format."""
    found = {
        text if isinstance(text, str) else text[0]
        for _name, _line, text, _comments, _context in extract_from_dir(
            ROOT / "plugins" / "content_format",
            method_map=[("**.py", "python")],
            keywords={"_": None, "ngettext": (1, 2)},
        )
    }
    with messages.catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    entries = [catalog.get(text) for text in sorted(found)]
    assert None not in entries
    return entries


def problems_of(root: Path, case: str) -> list:
    path, text, _line, _message = CASES[case]
    add_neighbours(root, path)
    write(root, path, text)
    return [p for p in check_content(root).problems if p.is_error]


@pytest.mark.parametrize("case", CASES)
def test_every_check_speaks_russian_and_kazakh_without_english_words(tmp_path, case):
    [problem] = problems_of(tmp_path, case)
    english = problem.message.in_language("en")
    for lang in ("ru", "kk"):
        text = problem.message.in_language(lang)
        assert text != english
        assert latin_words(shown_in(problem.message, lang)) == set(), text
        assert "none" not in text.lower().split()


def translations(entry) -> tuple[str, ...]:
    return entry.string if isinstance(entry.string, tuple) else (entry.string,)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_content_message_in_the_catalog_is_free_of_english_words(lang):
    fields = re.compile(r"\{[a-z_]+\}")
    for entry in content_format_messages(lang):
        for text in translations(entry):
            assert latin_words(fields.sub(" ", text)) == set(), (entry.id, text)


def test_kazakh_messages_are_not_russian_ones():
    for kk, ru in zip(content_format_messages("kk"), content_format_messages("ru"), strict=True):
        for text, russian in zip(translations(kk), translations(ru), strict=False):
            words = set(re.findall(r"[а-яёәғқңөұүһі]+", text.lower()))
            assert not words & RUSSIAN_ONLY, text
            assert text != russian or not words, text


@pytest.mark.parametrize(
    ("case", "ru", "kk"),
    [
        ("missing title", "у материала нет поля Title", "материалда Title өрісі жоқ"),
        (
            "date not on the folder's day",
            "Date 2025-04-24 не совпадает с днём папки 2025-04-23; исправьте одно из двух",
            "Date 2025-04-24 қалтаның күнімен (2025-04-23) сәйкес келмейді; екеуінің бірін түзетіңіз",
        ),
        (
            "body picture missing",
            "изображения «stage.jpg» нет в папке материала; добавьте файл или исправьте имя",
            "«stage.jpg» суреті материал қалтасында жоқ; файлды қосыңыз немесе атауын түзетіңіз",
        ),
    ],
)
def test_some_messages_read_exactly_so(tmp_path, case, ru, kk):
    [problem] = problems_of(tmp_path, case)
    assert (problem.message.in_language("ru"), problem.message.in_language("kk")) == (ru, kk)


def test_a_message_within_a_message_is_shown_in_the_same_language():
    assert [summary(1, 2).in_language(lang) for lang in ("ru", "kk", "en")] == [
        "1 ошибка, 2 предупреждения.",
        "1 қате, 2 ескерту.",
        "1 error, 2 warnings.",
    ]


def test_years_ahead_take_the_russian_plural(tmp_path):
    [problem] = problems_of(tmp_path, "Event_start far in the future")
    assert " больше чем на 5 лет позже сегодняшнего дня " in problem.message.in_language("ru")
    assert " 5 жылдан астам кейін; " in problem.message.in_language("kk")


# --- a folder named off the layout: the name it should have, once for the folder -----------------


def write_story(root: Path, folder: str, date: str | None = "2026-10-05 10:00") -> None:
    """Write both language versions of a story (an event in events/) and a picture they show."""
    dated = f"Date: {date}\n" if date else ""
    event = "Event_start: 2026-10-05 10:00\nLocation: Парк\n" if folder.startswith("events/") else ""
    write(root, f"{folder}/ru.md", f"Title: Тюльпаны\n{dated}{event}\nТекст.\n\n![Тюльпаны](tulips.jpg)\n")
    write(
        root, f"{folder}/kk.md", f"Title: Қызғалдақтар\n{dated}{event}\nМәтін.\n\n![Қызғалдақ](tulips.jpg)\n"
    )
    picture(root, f"{folder}/tulips.jpg")


@pytest.mark.parametrize(
    ("folder", "suggestion"),
    [
        ("news/2026/2026-10-05_Gorky_Park_Tulips", "2026-10-05-gorky-park-tulips"),
        ("news/2026/2026-10-5-tulips", "2026-10-05-tulips"),
        ("news/2026/2026-10-05 tulips", "2026-10-05-tulips"),
        ("news/2026/2026_10_05_tulips", "2026-10-05-tulips"),
        ("news/2026/20261005-tulips", "2026-10-05-tulips"),
        ("news/2026/05.10.2026-tulips", "2026-10-05-tulips"),
        ("news/2026/2026-10-05-Gorky-Park", "2026-10-05-gorky-park"),
        ("news/2026/2026-10-05-тюльпаны", "2026-10-05-tiulpany"),
        ("news/2026/2026-10-05-қызғалдақтар", "2026-10-05-qyzgaldaqtar"),  # Kazakh letters, readable
        ("news/2026/2026-10-tulips", "2026-10-05-tulips"),  # the day from the story's Date
        ("news/2026/tulips", "2026-10-05-tulips"),
        ("news/2026/2026-10-32-tulips", "2026-10-05-tulips"),  # an impossible day: the Date's
        ("news/2025/2026-10-5-tulips", "news/2026/2026-10-05-tulips"),  # in another year's folder too
        ("events/2026/2026-10-05-Tulips", "2026-10-05-tulips"),
        ("pages/Gorky Park", "gorky-park"),
    ],
)
def test_a_misnamed_folder_is_named_once_with_the_name_it_should_have(tmp_path, folder, suggestion):
    write_story(tmp_path, folder, None if folder.startswith("pages/") else "2026-10-05 10:00")
    report = check_content(tmp_path)
    [problem] = report.problems  # not once per file, and nothing about the texts it holds
    assert (problem.path, problem.line, problem.severity) == (str(tmp_path / folder), 1, ERROR)
    assert f"rename the folder to '{suggestion}'" in str(problem.message) or (
        f"rename it to '{suggestion}'" in str(problem.message)
    )


def test_the_corrected_name_reads_in_each_language(tmp_path, language):
    write_story(tmp_path, "news/2026/2026-10-05_Gorky_Park_Tulips")
    [problem] = check_content(tmp_path).problems
    name = "'2026-10-05_Gorky_Park_Tulips'"
    assert str(problem.message) == (
        f"story folder {name} must be named YYYY-MM-DD-slug (the story's day, then lowercase Latin letters, "
        "digits and hyphens); rename it to '2026-10-05-gorky-park-tulips'"
    )
    language("ru")
    assert str(problem.message) == (
        "папка материала «2026-10-05_Gorky_Park_Tulips» должна называться YYYY-MM-DD-имя (день материала, "
        "затем строчные латинские буквы, цифры и дефисы); переименуйте её в «2026-10-05-gorky-park-tulips»"
    )
    language("kk")
    assert str(problem.message).endswith("қалтаның атын «2026-10-05-gorky-park-tulips» деп өзгертіңіз")


@pytest.mark.parametrize(
    ("folder", "date", "message"),
    [
        # No day anywhere: the rule, without a guess.
        (
            "news/2026/2026-10-tulips",
            None,
            "story folder '2026-10-tulips' must be named YYYY-MM-DD-slug, "
            "the slug in lowercase Latin letters, digits and hyphens",
        ),
        # The Date is of another month than the folder's: which one is right only the editor knows.
        (
            "news/2026/2026-02-30-tulips",
            "2026-10-05 10:00",
            "story folder '2026-02-30-tulips' starts with an impossible date; fix the date",
        ),
        (
            "news/2025/2026-10-05-tulips",
            "2026-10-05 10:00",
            "story folder '2026-10-05-tulips' belongs in news/2026/, not 2025/; move it there",
        ),
    ],
)
def test_a_folder_name_is_not_guessed_beyond_what_the_story_says(tmp_path, folder, date, message):
    write_story(tmp_path, folder, date)
    assert [str(p.message) for p in check_content(tmp_path).problems] == [message]


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        ("2026-10-05_Gorky_Park_Tulips", None, "2026-10-05-gorky-park-tulips"),
        ("2026-10-tulips", None, None),
        ("2026-10-tulips", dt.date(2026, 10, 5), "2026-10-05-tulips"),
        ("2026-11-tulips", dt.date(2026, 10, 5), None),
        ("2026-10-05", None, None),  # no words for a slug
        ("Тюльпаны в парке", dt.date(2026, 10, 5), "2026-10-05-tiulpany-v-parke"),
    ],
)
def test_suggested_folder_name(name, day, expected):
    assert suggested_folder_name(name, day) == expected


# --- a missing cover: the file probably meant, as for a picture in the text --------------------


@pytest.mark.parametrize("written", ["tulips-cover.jpeg", "Tulips-cover.jpg", "tulip-cover.JPG"])
def test_a_missing_cover_gets_the_file_probably_meant(tmp_path, written):
    write(
        tmp_path,
        f"{STORY}/ru.md",
        f"Title: Т\nImage: {written}\nImage_alt: Тюльпаны\n\n![Тюльпаны]({written})\n",
    )
    picture(tmp_path, f"{STORY}/Tulips-Cover.JPG")
    assert [(p.line, str(p.message)) for p in check_content(tmp_path).errors] == [
        (2, f"Image '{written}' is not in the story folder; did you mean 'Tulips-Cover.JPG'?"),
        (5, f"picture '{written}' is not in the story folder; did you mean 'Tulips-Cover.JPG'?"),
    ]


def test_a_file_sharing_only_its_extension_is_not_suggested(tmp_path):
    write(tmp_path, f"{STORY}/ru.md", "Title: Т\nImage: x.jpg\nImage_alt: Зал\n\nТекст ![Зал](x.jpg).\n")
    picture(tmp_path, f"{STORY}/hall.jpg")
    assert [str(p.message) for p in check_content(tmp_path).errors] == [
        "Image 'x.jpg' is not in the story folder; add the file or fix the name",
        "picture 'x.jpg' is not in the story folder; add the file or fix the name",
    ]


# --- a key in the wrong case: read all the same, so a warning with the spelling to use ----------


@pytest.mark.parametrize(("written", "right"), [("Image_Alt", "Image_alt"), ("image_alt", "Image_alt")])
def test_a_key_in_the_wrong_case_is_a_warning_naming_its_spelling(tmp_path, language, written, right):
    write(tmp_path, f"{STORY}/ru.md", f"TITLE: Т\nImage: hall.jpg\n{written}: Зал\n\nТекст.\n")
    picture(tmp_path, f"{STORY}/hall.jpg")
    report = check_content(tmp_path)
    assert report.errors == []  # the key is read: the cover has its description
    assert [(p.line, p.severity, str(p.message)) for p in report.problems if "key" in str(p.message)] == [
        (1, WARNING, "write the key as 'Title', not 'TITLE'"),
        (3, WARNING, f"write the key as '{right}', not '{written}'"),
    ]
    [wrong_case] = [p for p in report.problems if p.line == 3]
    language("ru")
    assert str(wrong_case.message) == f"пишите поле как «{right}», а не «{written}»"
    language("kk")
    assert str(wrong_case.message) == f"өрісті «{written}» емес, «{right}» деп жазыңыз"


def test_an_unknown_key_is_named_as_written(tmp_path):
    write(tmp_path, f"{STORY}/ru.md", "Title: Т\nIMAGE_ALTT: Зал\n\nТекст.\n")
    assert [str(p.message) for p in check_content(tmp_path).errors] == [
        "unknown metadata key 'IMAGE_ALTT'; did you mean 'Image_alt'?"
    ]


# --- a text not saved as UTF-8 exists: only its encoding is wrong --------------------------------


def test_a_cp1251_text_is_not_also_reported_missing(tmp_path):
    (tmp_path / STORY).mkdir(parents=True)
    (tmp_path / STORY / "ru.md").write_bytes("Title: Ярмарка\n\nТекст.\n".encode("cp1251"))
    write(tmp_path, f"{STORY}/kk.md", "Title: Жәрмеңке\n\nМәтін.\n")
    report = check_content(tmp_path)
    assert [(Path(p.path).name, p.line, str(p.message)) for p in report.problems] == [
        ("ru.md", 1, "the file is not saved as UTF-8; save it again as UTF-8")
    ]
    assert report.lines()[-1] == "1 error, 0 warnings."


def test_a_cp1251_text_alone_still_lacks_the_other_language(tmp_path):
    (tmp_path / STORY).mkdir(parents=True)
    (tmp_path / STORY / "ru.md").write_bytes("Title: Ярмарка\n\nТекст.\n".encode("cp1251"))
    report = check_content(tmp_path)
    assert [str(p.message) for p in report.warnings] == [
        "no Kazakh version (kk.md) yet; that language's page will say so"
    ]
    assert report.missing == {"ru": 0, "kk": 1}


# --- event times that differ between the versions, in editor words ------------------------------


@pytest.mark.parametrize(
    ("ru_end", "kk_end", "en", "ru", "kk"),
    [
        (
            "Event_end: 2025-05-01 18:00\n",
            "",
            "Event_end is missing here but is 2025-05-01 18:00 in {ru}; "
            "both languages must give the same time",
            "здесь нет поля Event_end, а в {ru} оно равно 2025-05-01 18:00; "
            "в обеих версиях время должно быть одинаковым",
            "мұнда Event_end өрісі жоқ, ал {ru} файлында ол 2025-05-01 18:00; "
            "екі тілдегі нұсқада да уақыт бірдей болуы керек",
        ),
        (
            "",
            "Event_end: 2025-05-01 18:00\n",
            "Event_end here is 2025-05-01 18:00 but is missing in {ru}; "
            "both languages must give the same time",
            "Event_end здесь 2025-05-01 18:00, а в {ru} этого поля нет; "
            "в обеих версиях время должно быть одинаковым",
            "мұнда Event_end — 2025-05-01 18:00, ал {ru} файлында бұл өріс жоқ; "
            "екі тілдегі нұсқада да уақыт бірдей болуы керек",
        ),
    ],
)
def test_an_event_time_given_in_one_version_only_is_said_missing(tmp_path, ru_end, kk_end, en, ru, kk):
    start = "Event_start: 2025-05-01 10:00\n"
    write(tmp_path, f"{EVENT}/ru.md", f"Title: Ярмарка\n{start}{ru_end}Location: Зал\n\nТекст.\n")
    write(tmp_path, f"{EVENT}/kk.md", f"Title: Жәрмеңке\n{start}{kk_end}Location: Зал\n\nМәтін.\n")
    [problem] = check_content(tmp_path).errors
    ru_path = str(tmp_path / EVENT / "ru.md")
    assert [problem.message.in_language(lang) for lang in ("en", "ru", "kk")] == [
        text.format(ru=ru_path) for text in (en, ru, kk)
    ]

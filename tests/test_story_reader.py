"""One StoryReader reads many files: nothing of one file may leak into the next."""

import os
import pickle

import pytest
from conftest import ROOT
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.settings import read_settings
from PIL import Image

from content_format import reader as story_reader
from content_format.checks import WARNING, Problem
from content_format.reader import ReaderPart, StoryReader
from pictures.reader import PicturesPart


def write(folder, relative, text):
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_each_file_gets_only_its_own_metadata_and_notes(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    reader = StoryReader(settings, parts=())
    first = write(
        tmp_path,
        "news/2025/2025-04-23-first/ru.md",
        "Title: Первая\nSummary: Кратко о *первой*.\nTags: город, транспорт\nImage: a.jpg\n"
        "Image_alt: Трамвай\n\nТекст со сноской[^1] и «кавычками».\n\n[^1]: Сноска первой.\n",
    )
    second = write(
        tmp_path, "news/2025/2025-04-24-second/kk.md", "Title: Екінші\n\nТек мәтін.[^1]\n\n[^1]: Екінші.\n"
    )

    content, metadata = reader.read(first)
    assert metadata["summary"] == "<p>Кратко о <em>первой</em>.</p>"
    assert [str(tag) for tag in metadata["tags"]] == ["город", "транспорт"]
    assert "Сноска первой" in content and "«кавычками»" in content

    content, metadata = reader.read(second)
    assert metadata["title"] == "Екінші" and metadata["slug"] == "second" and metadata["lang"] == "kk"
    assert not {"tags", "image", "image_alt"} & set(metadata)
    assert metadata["summary"] == "<p>Тек мәтін.</p>", "no Summary: the first paragraph's text"
    assert "Сноска первой" not in content and "Екінші." in content

    again, metadata = reader.read(first)  # the header is still read after formatting a Summary
    assert metadata["title"] == "Первая" and "Сноска первой" in again


def test_a_reader_reads_the_same_after_a_fork(tmp_path):
    # Builds may read stories in forked worker processes, with the reader made before the fork.
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    reader = StoryReader(settings, parts=())
    story = write(
        tmp_path, "news/2025/2025-04-23-first/ru.md", 'Title: Т\nSummary: "Да"\n\nТекст -- "тут".\n'
    )
    expected = reader.read(story)
    readable, writable = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child process)
        try:
            content, metadata = reader.read(story)
            os.write(writable, pickle.dumps((content, metadata["summary"], metadata["title"])))
        finally:
            os._exit(0)
    os.close(writable)
    with os.fdopen(readable, "rb") as pipe:
        received = pickle.loads(pipe.read())
    os.waitpid(child, 0)
    assert received == (expected[0], expected[1]["summary"], expected[1]["title"])
    assert received[0] == "<p>Текст – «тут».</p>"


def picture_settings(tmp_path, **override):
    return read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(tmp_path / "content"),
            "PICTURES_CACHE_PATH": str(tmp_path / "cache"),
            **override,
        },
    )


def test_the_pictures_part_starts_each_story_afresh(tmp_path):
    content = tmp_path / "content"
    first = write(
        content,
        "news/2025/2025-04-23-first/ru.md",
        "Title: Первая\nImage: cover.jpg\nImage_alt: Обложка\n\n![Зал](hall.jpg)\n",
    )
    broken = write(content, "news/2025/2025-04-24-broken/ru.md", "Title: Без подписи\n\n![](hall.jpg)\n")
    second = write(content, "news/2025/2025-04-25-second/kk.md", "Title: Екінші\n\n![Зал](hall.jpg)\n")
    for folder in ("2025-04-23-first", "2025-04-24-broken", "2025-04-25-second"):
        Image.new("RGB", (800, 600), (10, 20, 30)).save(content / "news/2025" / folder / "hall.jpg")
    Image.new("RGB", (800, 600), (90, 20, 30)).save(content / "news/2025/2025-04-23-first/cover.jpg")
    reader = StoryReader(picture_settings(tmp_path), parts=[PicturesPart])

    html, metadata = reader.read(first)
    assert 'loading="lazy"' in html and "fetchpriority" not in html  # the cover comes first
    assert [use.reference for use in metadata["pictures"]] == ["cover.jpg", "hall.jpg"]
    with pytest.raises(SystemExit):
        reader.read(broken)  # no alt text: the build stops, naming the file
    html, metadata = reader.read(second)
    assert 'fetchpriority="high"' in html and "loading" not in html  # no cover: the first picture
    assert [use.reference for use in metadata["pictures"]] == ["hall.jpg"]
    assert metadata["title"] == "Екінші" and "cover" not in metadata


@pytest.mark.parametrize(
    ("header", "title", "body_starts_with"),
    [
        # Markdown's meta extension made these a list title, a later Date, or read a `---` block.
        (
            "Title: Первый\nTitle: Второй\nDate: 2025-04-23 10:00\nDate: 2031-12-01 10:00\n",
            "Первый",
            "<p>Текст",
        ),
        ("Title: Первый\n    продолжение\n", "Первый", "<p>Текст"),
        ("Title: Первый\n  Date: 2031-12-01\n", "Первый", "<p>Текст"),
    ],
)
def test_the_reader_reads_the_header_as_the_checks_do(tmp_path, header, title, body_starts_with):
    # The checks refuse these files; were one read anyway, it would still be one title and one date.
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    path = write(tmp_path, "news/2025/2025-04-23-fair/ru.md", f"{header}\nТекст.\n")
    content, metadata = StoryReader(settings, parts=()).read(path)
    assert metadata["title"] == title
    assert metadata["date"].year == 2025
    assert content.startswith(body_starts_with)


class _CountParagraphs(Treeprocessor):
    def __init__(self, md, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        self.extension.paragraphs += sum(1 for _ in root.iter("p"))


class CountParagraphs(Extension):
    paragraphs = 0

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_CountParagraphs(md, self), "count_paragraphs", 1)


class NotingPart(ReaderPart):
    """A second, tiny reader part: it notes what it sees at each hook, to show where it runs."""

    def markdown_extensions(self):
        self.extension = CountParagraphs()
        return [self.extension]

    def start_file(self, source_path, text, header):
        self.title = header.fields["title"].value
        self.extension.paragraphs = 0
        self.links_seen: list[str] = []

    def before_summary(self):
        self.paragraphs_in_body = self.extension.paragraphs

    def link_filter(self, source_path, next_filter):
        def note(tag, attribute, value):
            if (tag, attribute) == ("a", "href"):
                self.links_seen.append(value)
            return next_filter(tag, attribute, value).replace("example.org", "example.net")

        return note

    def after_reading(self, source_path, content, metadata):
        metadata["noted"] = (
            self.title,
            self.paragraphs_in_body,
            tuple(self.links_seen),
            "pictures" in metadata,
        )
        return [Problem("noted.md", 1, "a warning from a part", WARNING)]


def read_with_two_parts(tmp_path, plugins):
    content = tmp_path / "content"
    story = write(
        content,
        "news/2025/2025-04-23-first/ru.md",
        "Title: Первая\n\n![Зал](hall.jpg)\n\n[Полный размер](hall.jpg), [сайт](https://example.org/a).\n",
    )
    Image.new("RGB", (800, 600), (10, 20, 30)).save(content / "news/2025/2025-04-23-first/hall.jpg")
    return StoryReader(picture_settings(tmp_path, PLUGINS=plugins)).read(story)


@pytest.fixture
def two_parts(monkeypatch):
    monkeypatch.setitem(story_reader.READER_PARTS, "pictures", PicturesPart)
    monkeypatch.setitem(story_reader.READER_PARTS, "noting", NotingPart)


def test_the_enabled_plugins_parts_compose_in_the_declared_order(tmp_path, two_parts, capsys):
    html, metadata = read_with_two_parts(tmp_path, ["content_format", "noting", "pictures"])
    # Pictures runs first: its link filter takes the picture link and hands the others on; the noting
    # part's filter sees only those, and its after_reading sees the pictures already planned.
    assert [use.reference for use in metadata["pictures"]] == ["hall.jpg", "hall.jpg"]
    assert "<picture" in html and 'href="https://example.net/a"' in html
    assert metadata["noted"] == ("Первая", 2, ("https://example.org/a",), True)
    assert "noted.md:1: warning: a warning from a part" in capsys.readouterr().err  # reported, not stopping
    # Neither the order of PLUGINS nor the order of registering decides the order of the parts.
    assert read_with_two_parts(tmp_path, ["noting", "pictures", "content_format"]) == (html, metadata)


def test_the_declared_order_decides_which_part_sees_a_value_first(tmp_path, two_parts, monkeypatch):
    monkeypatch.setattr(story_reader, "READER_PART_ORDER", ("noting", "pictures"))
    _, metadata = read_with_two_parts(tmp_path, ["pictures", "noting"])
    assert metadata["noted"] == ("Первая", 2, ("{static}hall.jpg", "https://example.org/a"), False)
    assert [use.reference for use in metadata["pictures"]] == ["hall.jpg", "hall.jpg"]


def test_a_plugin_not_enabled_adds_no_part(tmp_path, two_parts):
    html, metadata = read_with_two_parts(tmp_path, ["content_format", "noting"])
    assert "pictures" not in metadata and "<picture" not in html
    assert metadata["noted"][3] is False

"""One StoryReader reads many files: nothing of one file may leak into the next."""

from conftest import ROOT
from pelican.settings import read_settings

from content_format.reader import StoryReader


def write(folder, relative, text):
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_each_file_gets_only_its_own_metadata_and_notes(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    reader = StoryReader(settings)
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
    assert not {"summary", "tags", "image", "image_alt"} & set(metadata)
    assert "Сноска первой" not in content and "Екінші." in content

    again, metadata = reader.read(first)  # the header is still read after formatting a Summary
    assert metadata["title"] == "Первая" and "Сноска первой" in again

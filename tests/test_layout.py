import datetime as dt

import pytest

from content_format.layout import LayoutError, parse_source_path


def test_story_path_gives_section_language_slug_and_day():
    source = parse_source_path("events/2025/2025-04-23-book-fair/kk.md")
    assert (source.section, source.lang, source.slug, source.day) == (
        "events",
        "kk",
        "book-fair",
        dt.date(2025, 4, 23),
    )
    assert source.translation_key == "events/2025/2025-04-23-book-fair"
    assert source.is_story


def test_page_path_gives_slug_and_language():
    source = parse_source_path("pages/about/ru.md")
    assert (source.section, source.slug, source.lang, source.day) == ("pages", "about", "ru", None)
    assert not source.is_story


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("news/2025/2025-04-23-fair/en.md", "ru.md or kk.md"),
        ("news/2025/2025-04-23-fair/kz.md", "ru.md or kk.md"),
        ("news/2025/2025-04-23-Fair/ru.md", "rename the folder to .2025-04-23-fair."),
        ("news/2025/2025-04-23_fair/ru.md", "YYYY-MM-DD-slug"),
        ("news/2025/fair/ru.md", "YYYY-MM-DD-slug"),
        ("news/2025/2025-02-30-fair/ru.md", "impossible date"),
        ("news/2024/2025-04-23-fair/ru.md", "belongs in news/2025/"),
        ("blog/2025/2025-04-23-fair/ru.md", "unknown section 'blog'"),
        ("news/2025-04-23-fair/ru.md", "a story lives in"),
        ("pages/archive/ru.md", "taken by a site section"),
        ("pages/О нас/ru.md", "lowercase Latin"),
    ],
)
def test_paths_off_the_layout_are_explained(path, message):
    with pytest.raises(LayoutError, match=message):
        parse_source_path(path)

"""The benchmark corpus is deterministic, varied like the real archive, and passes the content checks."""

import filecmp
import re

from bench.corpus import LAST_DAY, add_story, body, story_rng, write_corpus
from content_format.checks import check_tree, parse_header


def test_same_seed_writes_the_same_bytes_and_passes_the_checks(tmp_path):
    pool = tmp_path / "pool"
    first = write_corpus(tmp_path / "a", stories=60, pictures=3, seed=5, pool=pool, picture_size=(64, 48))
    write_corpus(tmp_path / "b", stories=60, pictures=3, seed=5, pool=pool, picture_size=(64, 48))
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not comparison.left_only and not comparison.right_only and not comparison.diff_files
    problems = check_tree(tmp_path / "a")
    single = sum(len(s.texts) == 1 for s in first)
    # The only notes are the expected ones: "no Kazakh (Russian) version yet" for one-language stories.
    assert [p for p in problems if p.is_error] == []
    assert len(problems) == single and all("version" in str(p.message) for p in problems)
    assert len({s.slug for s in first}) == 60
    assert {s.section for s in first} == {"news", "events"}
    assert {tuple(s.texts) for s in first} == {("ru", "kk"), ("ru",), ("kk",)}
    assert {s.day.year for s in first} == set(range(2016, 2026))


def test_stories_read_like_the_archive(tmp_path):
    stories = write_corpus(
        tmp_path, stories=30, pictures=2, seed=1, pool=tmp_path / "pool", picture_size=(64, 48)
    )
    for story in stories:
        for lang, text in story.texts.items():
            fields = parse_header(text)
            assert fields["tags"].value
            assert (fields.get("image") is not None) == (story.picture is not None)
            words = len(text.split("\n\n", 1)[1].split())
            assert 300 <= words <= 900, (story.folder, lang, words)
    pictured = [s for s in stories if s.picture is not None]
    assert len(pictured) == 10 and all((tmp_path / s.folder / "photo.jpg").is_file() for s in pictured)
    kazakh = " ".join(s.texts["kk"] for s in stories if "kk" in s.texts)
    assert set("әғқңөұүһі") <= set(kazakh)
    assert not re.search(r"[a-zA-Z]{3,}", body(story_rng(1, 0), "kk", 300))


def test_without_pictures_the_text_stays_the_same(tmp_path):
    with_pictures = write_corpus(
        tmp_path / "a", stories=12, pictures=2, pool=tmp_path / "p", picture_size=(64, 48)
    )
    without = write_corpus(tmp_path / "b", stories=12, pictures=0)

    def text_only(story):
        return {
            lang: re.sub(r"^Image(_alt)?: .*\n", "", text, flags=re.M) for lang, text in story.texts.items()
        }

    assert [(s.folder, text_only(s)) for s in with_pictures] == [(s.folder, s.texts) for s in without]
    assert any(s.picture is not None for s in with_pictures)
    assert not list((tmp_path / "b").rglob("*.jpg"))
    added = add_story(tmp_path / "b", 1)
    assert added.day == LAST_DAY and not [p for p in check_tree(tmp_path / "b") if p.is_error]

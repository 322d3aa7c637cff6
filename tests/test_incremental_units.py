"""The pieces incremental builds rest on: stable fingerprints, per-file stores, kept files, expiry."""

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atomic_output.output import BuildOutput, Manifest, load_manifest, record_of
from build_core.stores import FileStore
from events.model import EventDetails, EventTime, output_expiry
from incremental.fingerprint import UnstableError, fingerprint_of, settings_fingerprint
from incremental.reads import dumps, loads, source_key
from l10n.dates import ALMATY


@dataclasses.dataclass
class Point:
    x: int
    tags: list


def test_fingerprints_ignore_dict_and_set_order_but_not_list_order():
    assert fingerprint_of({"a": 1, "b": {2, 3}}) == fingerprint_of({"b": {3, 2}, "a": 1})
    assert fingerprint_of([1, 2]) != fingerprint_of([2, 1])
    point = fingerprint_of(Point(1, ["x"]))
    assert point == fingerprint_of(Point(1, ["x"])) != fingerprint_of(Point(2, ["x"]))
    assert fingerprint_of(dt.date(2025, 4, 23)) != fingerprint_of("2025-04-23")


# Values as pages are given them: nested lists, tuples, mappings, sets, dates and dataclasses.
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5), st.dates()
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=4),
        st.frozensets(st.integers(), max_size=3),
        st.builds(Point, st.integers(), st.lists(inner, max_size=3)),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_a_memo_never_changes_a_fingerprint(value):
    """The memo a page key shares between its arguments gives every value the fingerprint it has alone."""
    alone = fingerprint_of(value)
    memo: dict[int, str] = {}
    assert fingerprint_of(value, memo=memo) == alone
    # Given twice (a listing's stories are its `listing` and its `articles`): the same text both times.
    assert fingerprint_of([value, value], memo=memo) == fingerprint_of([value, value]) == f"[{alone},{alone}]"


def test_a_fingerprint_tells_apart_what_a_page_shows_differently():
    # A list and a tuple show the same (as do both kinds of set); a set, a list and a record do not.
    assert fingerprint_of([1]) == fingerprint_of((1,)) and fingerprint_of({1}) == fingerprint_of(
        frozenset({1})
    )
    assert len({fingerprint_of(v) for v in ([1], {1}, Point(1, []), {"x": 1})}) == 4
    assert fingerprint_of(dt.datetime(2025, 4, 23)) != fingerprint_of(dt.date(2025, 4, 23))
    with pytest.raises(UnstableError):
        fingerprint_of([1, object()], memo={})
    with pytest.raises(UnstableError):
        fingerprint_of(Point)  # a class is not a value


def test_fingerprint_refuses_objects_it_cannot_describe_unless_told():
    with pytest.raises(UnstableError):
        fingerprint_of(object())
    assert fingerprint_of([object()], lambda value: "thing" if type(value) is object else None) == "[thing]"


def test_settings_fingerprint_skips_volatile_settings_and_names_functions():
    base = {"SITEURL": "", "JINJA_FILTERS": {"f": len}}
    assert settings_fingerprint(base) == settings_fingerprint({**base, "OUTPUT_PATH": "/tmp/other"})
    assert settings_fingerprint(base) != settings_fingerprint({**base, "SITEURL": "https://x"})


def test_source_key_follows_the_file_bytes_and_its_folder(tmp_path):
    story = tmp_path / "ru.md"
    story.write_text("Title: А\n", encoding="utf-8")
    first = source_key(story, "build")
    assert source_key(story, "build") == first
    assert source_key(story, "other build") != first
    (tmp_path / "kk.md").write_text("Title: Ә\n", encoding="utf-8")  # the other language: no matter
    assert source_key(story, "build") == first
    (tmp_path / "photo.jpg").write_bytes(b"jpeg")
    with_picture = source_key(story, "build")
    assert with_picture != first
    story.write_text("Title: Б\n", encoding="utf-8")
    assert source_key(story, "build") not in (first, with_picture)


def test_file_store_gives_values_back_for_their_key_and_drops_unused_ones(tmp_path):
    store = FileStore(tmp_path / "store")
    store.put("a.md", "k1", ["value"])
    store.put("b.md", "k2", "other")
    store.save()
    again = FileStore(tmp_path / "store")
    assert again.get("a.md", "k1") == ["value"]
    assert again.get("a.md", "changed") is None
    again.save()  # b.md was not asked for: its file is gone
    assert FileStore(tmp_path / "store").entries.keys() == {"a.md"}


def test_file_store_writes_again_only_the_buckets_that_changed(tmp_path):
    sources = [f"news/2025/story-{number}/ru.md" for number in range(200)]
    store = FileStore(tmp_path / "store")
    for source in sources:
        store.put(source, "k", source.upper())
    store.save()
    files = sorted((tmp_path / "store").glob("*.pickle"))
    assert len(files) == FileStore.BUCKETS  # 200 sources fill every bucket
    for path in files:  # an old time, so that a file written again shows
        os.utime(path, ns=(1, 1))
    again = FileStore(tmp_path / "store")
    for source in sources:
        assert again.get(source, "k") == source.upper()
    again.put(sources[7], "k2", "edited")
    again.save()
    rewritten = [path for path in files if path.stat().st_mtime_ns != 1]
    assert rewritten == [tmp_path / "store" / f"{FileStore.bucket(sources[7]):02x}.pickle"]
    third = FileStore(tmp_path / "store")
    assert third.get(sources[7], "k2") == "edited"
    assert third.get(sources[8], "k") == sources[8].upper()


def test_file_store_reads_what_it_can_of_a_damaged_folder(tmp_path):
    other = next(f"{n}.md" for n in range(100) if FileStore.bucket(f"{n}.md") != FileStore.bucket("a.md"))
    store = FileStore(tmp_path / "store")
    store.put("a.md", "k", 1)
    store.put(other, "k", 2)
    store.save()
    (tmp_path / "store" / f"{FileStore.bucket('a.md'):02x}.pickle").write_bytes(b"not a pickle")
    again = FileStore(tmp_path / "store")
    assert again.get("a.md", "k") is None  # read again by the build
    assert again.get(other, "k") == 2


def test_pickled_reader_results_point_at_the_live_settings():
    settings = {"SITEURL": ""}
    restored = loads(dumps({"tag": settings}, settings), settings)
    assert restored["tag"] is settings


def build_output(tmp_path: Path, files: dict[str, str], inputs: dict[str, str]) -> BuildOutput:
    """A previous output with files, its manifest, and a new build's output over it."""
    final = tmp_path / "output"
    for name, text in files.items():
        (final / name).parent.mkdir(parents=True, exist_ok=True)
        (final / name).write_text(text, encoding="utf-8")
    records = {name: dataclasses.replace(record_of(final / name), inputs=inputs.get(name)) for name in files}
    staging = tmp_path / "staging"
    staging.mkdir()
    return BuildOutput(staging, final, Manifest(str(final), records))


def test_a_file_is_kept_only_when_its_inputs_match_and_it_is_untouched(tmp_path):
    output = build_output(
        tmp_path, {"a/index.html": "A", "b/index.html": "B"}, {"a/index.html": "k", "b/index.html": "k"}
    )
    assert output.keep_if_unchanged("a/index.html", "k")
    assert not output.keep_if_unchanged("b/index.html", "other")
    (tmp_path / "output/a/index.html").write_text("edited by hand", encoding="utf-8")
    assert not output.keep("a/index.html")


def test_commit_moves_staged_files_in_and_removes_what_was_neither_written_nor_kept(tmp_path):
    output = build_output(
        tmp_path, {"kept.html": "K", "gone.html": "G", "deep/old/index.html": "O"}, {"kept.html": "k"}
    )
    assert output.keep_if_unchanged("kept.html", "k")
    (output.staging / "new").mkdir()
    (output.staging / "new/index.html").write_text("N", encoding="utf-8")
    output.note_inputs("new/index.html", "n")
    output.commit(tmp_path / "cache", retained=[])
    final = tmp_path / "output"
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*")) == [
        "kept.html",
        "new",
        "new/index.html",
    ]
    manifest = load_manifest(tmp_path / "cache", final)
    assert manifest.files["new/index.html"].inputs == "n" and manifest.files["kept.html"].inputs == "k"


def test_an_unchanged_build_is_recognised_only_before_the_output_expires(tmp_path):
    output = build_output(tmp_path, {"index.html": "I"}, {})
    now = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    output.previous.inputs = "inputs"
    output.previous.expires = now + dt.timedelta(hours=1)
    assert output.unchanged_since_previous("inputs", now, [])
    assert not output.unchanged_since_previous("other inputs", now, [])
    assert not output.unchanged_since_previous("inputs", now + dt.timedelta(hours=2), [])
    (tmp_path / "output/stray.html").write_text("?", encoding="utf-8")
    assert not output.unchanged_since_previous("inputs", now, [])


@pytest.mark.parametrize("change", ["none", "missing", "extra", "edited", "link", "folder", "retained"])
def test_an_unchanged_build_needs_every_file_as_the_last_build_left_it(tmp_path, change):
    files = {"index.html": "I", "ru/news/2025/a/index.html": "A", "ru/feed.xml": "F"}
    output = build_output(tmp_path, files, {})
    output.previous.inputs = "inputs"
    final = tmp_path / "output"
    page = final / "ru/news/2025/a/index.html"
    if change == "missing":
        page.unlink()
    elif change == "extra":
        (final / "ru/news/2025/b").mkdir()
        (final / "ru/news/2025/b/index.html").write_text("B", encoding="utf-8")
    elif change == "edited":
        stat = page.stat()
        page.write_text("Z", encoding="utf-8")  # same size: the time tells
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    elif change == "link":  # the same bytes behind a link are not the file the build wrote
        moved = tmp_path / "elsewhere.html"
        page.rename(moved)
        page.symlink_to(moved)
    elif change == "folder":
        page.unlink()
        page.mkdir()
    elif change == "retained":  # OUTPUT_RETENTION entries (a .git folder) are not the build's
        (final / ".git").mkdir()
        (final / ".git/HEAD").write_text("ref", encoding="utf-8")
    retained = [".git"] if change == "retained" else []
    unchanged = change in ("none", "retained")
    assert output.unchanged_since_previous("inputs", dt.datetime.now(dt.UTC), retained) is unchanged


class Story:
    def __init__(self, start: dt.datetime, end: dt.datetime | None = None):
        self.event = EventDetails(EventTime(start, end), "Парк")


def test_output_expires_at_the_next_midnight_or_when_an_upcoming_event_ends():
    now = dt.datetime(2026, 5, 1, 10, tzinfo=ALMATY)
    midnight = dt.datetime(2026, 5, 2, tzinfo=ALMATY)
    assert output_expiry([], now) == midnight
    ends = dt.datetime(2026, 5, 1, 18, tzinfo=ALMATY)
    soon = Story(dt.datetime(2026, 5, 1, 16, tzinfo=ALMATY), ends)
    over = Story(dt.datetime(2026, 4, 1, 16, tzinfo=ALMATY), dt.datetime(2026, 4, 1, 18, tzinfo=ALMATY))
    assert output_expiry([soon, over], now) == ends


def test_source_keys_of_unchanged_files_are_taken_from_the_last_build(tmp_path, monkeypatch):
    from build_core.core import Build
    from incremental import incremental
    from incremental.incremental import source_keys

    content = tmp_path / "content"
    story = content / "news/2025/2025-04-01-tram/ru.md"
    story.parent.mkdir(parents=True)
    story.write_text("Title: Трамвай\n\nТекст.\n", encoding="utf-8")
    settings = {"PATH": str(content), "PLUGIN_PATHS": [], "THEME": "", "CACHE_PATH": str(tmp_path / "cache")}

    def build(later_ns: int = 10**10):
        run = source_keys(Build(settings, tmp_path / "output", tmp_path / "staging"))
        run.started += later_ns  # the files are older than RECENT_NS by then
        return run

    run = build()
    first = run.key_of(story)
    assert first == source_key(story, run.fingerprint)
    run.build.stores["source-keys"].save()

    hashed = []
    monkeypatch.setattr(incremental, "source_key", lambda path, fingerprint: hashed.append(path) or "fresh")
    assert build().key_of(story) == first
    assert hashed == []

    written = story.stat().st_mtime_ns
    story.write_text("Title: Трамвай\n\nТекст!\n", encoding="utf-8")  # same size, new bytes
    os.utime(story, ns=(written + 10**9, written + 10**9))  # saved a second later
    assert build().key_of(story) == "fresh"
    (story.parent / "photo.jpg").write_bytes(b"jpeg")  # the folder's other files count too
    assert build().key_of(story) == "fresh"
    assert len(hashed) == 2


def test_source_keys_of_files_just_written_are_not_remembered(tmp_path):
    from build_core.core import Build
    from incremental.incremental import source_keys

    content = tmp_path / "content"
    story = content / "ru.md"
    story.parent.mkdir(parents=True)
    story.write_text("Title: А\n", encoding="utf-8")
    settings = {"PATH": str(content), "PLUGIN_PATHS": [], "THEME": "", "CACHE_PATH": str(tmp_path / "cache")}
    run = source_keys(Build(settings, tmp_path / "output", tmp_path / "staging"))
    run.key_of(story)
    assert run.build.store("source-keys").entries == {}


def test_theme_file_fingerprints_are_never_baked_into_kept_compiled_templates(tmp_path):
    from types import SimpleNamespace

    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader

    from theme_assets.theme_assets import add_asset_filter

    (tmp_path / "static/css").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.html").write_text("{{ 'css/site.css'|asset }}", encoding="utf-8")
    stylesheet = tmp_path / "static/css/site.css"

    def render() -> str:
        # Each build makes its environment anew and keeps compiled templates, as the incremental plugin does.
        env = Environment(
            loader=FileSystemLoader(str(tmp_path / "templates")),
            bytecode_cache=FileSystemBytecodeCache(str(tmp_path)),
        )
        add_asset_filter(
            SimpleNamespace(env=env, settings={"THEME": str(tmp_path), "THEME_STATIC_DIR": "theme"})
        )
        return env.get_template("page.html").render()

    stylesheet.write_text("a { color: red; }", encoding="utf-8")
    first = render()
    stylesheet.write_text("a { color: blue; }", encoding="utf-8")
    assert render() != first, "an edited stylesheet gets a new address"

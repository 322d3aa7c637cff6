"""A build replaces output/ in one step when it succeeds and leaves it exactly as it was when it fails."""

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, build, copy_fixture_site, pelican_command

import pelicanconf
from atomic_output import BuildFailed
from atomic_output.atomic_output import remove_leftovers
from atomic_output.output import (
    Manifest,
    Record,
    folder_identity,
    load_manifest,
    manifest_path,
    pending_path,
    read_manifest,
    save_manifest,
    spare_of,
    swap_in,
    update_spare,
)
from content_format import ContentErrors

HELPERS = Path(__file__).resolve().parent / "helper_plugins"
PLUGINS = [*pelicanconf.PLUGINS, "break_on_purpose"]


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(output: Path) -> list[str]:
    """Name the folders a build left beside output, but for the spare (the site before the last build)."""
    spare = spare_of(output).name
    return sorted(
        p.name for p in output.parent.iterdir() if p.name.startswith(f"{output.name}.") and p.name != spare
    )


@pytest.fixture
def site(tmp_path):
    """Fixture content and an output/ holding a previous build plus a stray file."""
    content = copy_fixture_site(tmp_path / "content")
    output = tmp_path / "output"
    build(content, output)
    (output / "stray.html").write_text("left from an old build", encoding="utf-8")
    return content, output


def break_build(content: Path, output: Path, how: str) -> None:
    build(
        content,
        output,
        PLUGIN_PATHS=[str(ROOT / "plugins"), str(HELPERS)],
        PLUGINS=PLUGINS,
        FAIL_ON_PURPOSE=how,
    )


def test_successful_build_replaces_output_whole(site):
    content, output = site
    story = content / "news/2026/2026-01-15-snow/ru.md"
    story.write_text(story.read_text(encoding="utf-8").replace("триста", "четыреста"), encoding="utf-8")
    build(content, output)
    assert not (output / "stray.html").exists()
    assert "четыреста" in (output / "ru/news/2026/01/snow/index.html").read_text(encoding="utf-8")
    assert siblings(output) == []


def test_content_error_leaves_output_untouched(site):
    content, output = site
    before = snapshot(output)
    (content / "news/2026/2026-01-15-snow/kk.md").write_text("Title: Қар\n\n", encoding="utf-8")
    with pytest.raises(ContentErrors):
        build(content, output)
    assert snapshot(output) == before
    assert siblings(output) == []


@pytest.mark.parametrize("how", ["exception", "log-error"])
def test_failing_plugin_leaves_output_untouched(site, how):
    content, output = site
    before = snapshot(output)
    with pytest.raises((RuntimeError, BuildFailed)) as failed:
        break_build(content, output, how)
    assert isinstance(failed.value, RuntimeError if how == "exception" else BuildFailed)
    assert snapshot(output) == before
    assert siblings(output) == []  # the half-written staging folder is gone


def test_template_error_leaves_output_untouched(site, tmp_path):
    content, output = site
    before = snapshot(output)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates/article.html"
    broken = article.read_text(encoding="utf-8").replace(
        "{{ article.title }}", "{{ article.title|no_such_filter }}"
    )
    article.write_text(broken, encoding="utf-8")
    with pytest.raises(Exception, match="no_such_filter"):
        build(content, output, THEME=str(theme))
    assert snapshot(output) == before
    assert siblings(output) == []


def test_pelican_command_fails_on_a_logged_error_and_cleans_up(site):
    content, output = site
    before = snapshot(output)
    result = pelican_command(
        content,
        output,
        "-e",
        f'PLUGIN_PATHS=["{ROOT / "plugins"}", "{HELPERS}"]',
        f"PLUGINS={PLUGINS!r}".replace("'", '"'),
        'FAIL_ON_PURPOSE="log-error"',
    )
    assert result.returncode == 1, result.stderr
    assert "Could not process something, on purpose" in result.stdout
    assert (
        f"Build failed: 1 error logged above; the output folder {output} was left as it was." in result.stderr
    )
    assert snapshot(output) == before
    assert siblings(output) == []


def test_leftovers_of_dead_builds_are_removed(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    dead = tmp_path / "output.partial-999999999-ab12"
    alive = tmp_path / f"output.partial-{os.getpid()}-cd34"
    for folder in (dead, alive):
        folder.mkdir()
    remove_leftovers(output)
    assert siblings(output) == [alive.name]


def test_swap_carries_retained_entries_by_hard_link(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "output.partial-1-x"
    (final / ".git/objects").mkdir(parents=True)
    (final / ".git/objects/ab").write_text("object")
    (final / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    inode = (final / ".git/objects/ab").stat().st_ino
    swap_in(staging, final, [".git"])
    assert sorted(p.name for p in final.iterdir()) == [".git", "new.html"]
    assert (final / ".git/objects/ab").stat().st_ino == inode  # the same file, not a copy
    assert siblings(final) == []


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and every folder (None) under root, by relative path."""
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_the_spare_becomes_the_new_site_whatever_it_held(tmp_path):
    final, staging, spare = tmp_path / "output", tmp_path / "output.partial-1-x", tmp_path / "output.spare"
    write_tree(final, {"kept.html": "kept", "other.html": "other", "changed.html": "old", ".git/HEAD": "ref"})
    write_tree(
        staging, {"changed.html": "new", "b/index.html": "b page", "c": "c file", "d/e/f.html": "deep"}
    )
    # An older site, or one a killed build left half done: files where folders go and the other way
    # round, a page the new site lacks, a stale copy of a kept file, the same inode as another.
    write_tree(spare, {"gone/index.html": "gone", "b": "was a file", "c/index.html": "was a folder"})
    write_tree(spare, {"other.html": "stale", "changed.html": "older", ".git/old": "x"})
    os.link(final / "kept.html", spare / "kept.html")
    kept_inode = (spare / "kept.html").stat().st_ino
    staged = ["changed.html", "b/index.html", "c", "d/e/f.html"]
    files = dict.fromkeys(["kept.html", "other.html", *staged])
    update_spare(spare, final, staging, files, staged, ["kept.html", "other.html"], [".git"])
    assert tree(spare) == {
        ".git": None,
        ".git/HEAD": b"ref",
        "b": None,
        "b/index.html": b"b page",
        "c": b"c file",
        "changed.html": b"new",
        "d": None,
        "d/e": None,
        "d/e/f.html": b"deep",
        "kept.html": b"kept",
        "other.html": b"other",
    }
    assert (spare / "kept.html").stat().st_ino == kept_inode  # already the output's file: left alone
    assert (spare / "other.html").stat().st_ino == (final / "other.html").stat().st_ino
    assert (final / "other.html").read_text() == "other"  # the live site was only read


def test_after_a_commit_killed_past_its_exchange_only_the_true_manifest_is_left(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    output.mkdir()
    current = manifest_path(cache, output)
    pending = pending_path(current)
    identity = folder_identity(output)
    # The pending manifest names the folder; so does a stale current one, as when the folder got the
    # inode number of the old tree the current one describes (inode numbers are reused once freed).
    save_manifest(current, Manifest(str(output), {"old.html": Record(1, 1)}, folder=identity))
    save_manifest(pending, Manifest(str(output), {"new.html": Record(2, 2)}, folder=identity))
    assert set(load_manifest(cache, output).files) == {"new.html"}
    assert not pending.exists()
    assert set(read_manifest(current).files) == {"new.html"}
    # A pending manifest of a commit killed before its exchange names a folder that is gone: dropped.
    save_manifest(pending, Manifest(str(output), {"never.html": Record(3, 3)}, folder=(0, 0)))
    assert set(load_manifest(cache, output).files) == {"new.html"}
    assert not pending.exists()

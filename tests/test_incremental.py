"""Rebuilding into the same output folder after edits gives exactly the site a cold build gives.

Editors rebuild many times a day into the same folder; whatever the build keeps or skips
between runs, the result must be byte for byte the one a fresh build of the same content
writes. Each build is its own process, as `make build` is, with a different hash seed so
that output depending on set or dict order of strings shows up as a difference.
"""

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import add_story, delete_story, edit_story, write_corpus, write_text

pytestmark = pytest.mark.system  # corpus builds in subprocesses, again after each edit

ROOT = Path(__file__).resolve().parent.parent


def build(content: Path, output: Path, cache: Path, hash_seed: int) -> str:
    """Build as an editor does: `python -m pelican CONTENT -s pelicanconf.py -o OUT`, in a new process."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py")]
    command += ["-o", str(output), "--cache-path", str(cache), "-q"]
    command += ["-e", f'PICTURES_CACHE_PATH="{cache / "pictures"}"']
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def differences(expected: Path, actual: Path) -> list[str]:
    """Describe every file that is missing, extra or different in actual compared with expected."""
    want, got = tree(expected), tree(actual)
    found = [f"missing: {p}" for p in sorted(want - got)] + [f"stale: {p}" for p in sorted(got - want)]
    for path in sorted(want & got):
        if not filecmp.cmp(expected / path, actual / path, shallow=False):
            found.append(f"differs: {path}")
    return found


def retitle(content: Path, story, lang: str) -> None:
    """An edit that reaches beyond the story: new headline and one more tag (neighbours, listings, tags)."""
    path = content / story.folder / f"{lang}.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    tag = {"ru": "обновлено", "kk": "жаңартылды"}[lang]
    for number, line in enumerate(lines):
        if line.startswith("Title: "):
            lines[number] = line + " (обновлено)" if lang == "ru" else line + " (жаңартылды)"
        elif line.startswith("Tags: "):
            lines[number] = f"{line}, {tag}"
    write_text(path, "\n".join(lines) + "\n")


@pytest.mark.parametrize("seed", [7])
def test_rebuilds_after_edit_add_delete_equal_a_cold_build(tmp_path, seed):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    stories = write_corpus(
        content, stories=30, pictures=4, seed=seed, pool=tmp_path / "pool", picture_size=(320, 240)
    )
    both = [s for s in stories if len(s.texts) == 2]
    pictured = [s for s in stories if s.picture is not None]
    assert {s.section for s in stories} == {"news", "events"} and len(both) < len(stories) and pictured

    build(content, output, cache, hash_seed=1)
    edit_story(content, both[len(both) // 2].folder, "ru", 1)
    retitle(content, both[len(both) // 3], "kk")
    build(content, output, cache, hash_seed=2)
    add_story(content, 1, seed=seed)
    build(content, output, cache, hash_seed=3)
    delete_story(content, pictured[-1].folder)
    build(content, output, cache, hash_seed=4)

    fresh = tmp_path / "fresh"
    build(content, fresh, tmp_path / "fresh-cache", hash_seed=5)
    assert differences(fresh, output) == []


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file written again gets new ones."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_a_rebuild_writes_only_what_the_change_reaches(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    stories = write_corpus(content, stories=40, pictures=0, seed=11, pool=tmp_path / "pool")
    build(content, output, cache, hash_seed=1)
    before = stamps(output)

    assert "Nothing changed since the last build" in build(content, output, cache, hash_seed=2)
    assert stamps(output) == before

    news = sorted((s for s in stories if s.section == "news" and "ru" in s.texts), key=lambda s: s.folder)
    edited = news[len(news) // 2]
    edit_story(content, edited.folder, "ru", 1)
    build(content, output, cache, hash_seed=3)
    after = stamps(output)
    rewritten = {name for name in after if before.get(name) != after[name]}
    pages = [name for name in after if name.endswith("/index.html") and "/news/" in name]
    story_pages = [name for name in pages if name.count("/") == 5]
    rewritten_stories = [name for name in story_pages if name in rewritten]
    # The story, its two Russian neighbours and its Kazakh version; never the rest of the archive.
    assert any(edited.slug in name for name in rewritten_stories)
    assert 1 <= len(rewritten_stories) <= 4, rewritten_stories
    html = [name for name in after if name.endswith(".html")]
    assert len(rewritten.intersection(html)) < len(html) / 4

"""Pagefind runs in the background, a few shards at a time, and is stopped when the build fails."""

import json
import os
import stat
from pathlib import Path

import pytest

from build_core.core import Build
from build_core.run import throw_away
from search.indexing import ENTRY_FILE, Indexing, ShardJob, mirror_pages
from search.shards import Shard

# Stands in for Pagefind: notes when it runs, writes an entry file, fails for a shard named "bad".
FAKE_PAGEFIND = """#!/bin/sh
site="$2"; out="$4"
echo start >> "{journal}"
case "$out" in *bad*) echo "Error: no pages in $site"; exit 3;; esac
sleep {seconds}
mkdir -p "$out"
echo '{{"version":"1","languages":{{"ru":{{}},"kk":{{}}}}}}' > "$out/{entry}"
echo x > "$out/pagefind-ui.js"
echo end >> "{journal}"
"""


def fake_pagefind(tmp_path: Path, seconds: float = 0.2) -> Path:
    script = tmp_path / "pagefind"
    script.write_text(
        FAKE_PAGEFIND.format(journal=tmp_path / "journal", seconds=seconds, entry=ENTRY_FILE),
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def indexing(tmp_path: Path, names: list[str], jobs: int, seconds: float = 0.2) -> Indexing:
    staging = tmp_path / "staging"
    page = staging / "ru/news/2025/a/index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html lang=ru><body data-pagefind-body>Алматы</body></html>", encoding="utf-8")
    sites = tmp_path / "sites"
    waiting = [
        ShardJob(
            Shard("ru", name, [page.relative_to(staging).as_posix()]),
            f"pagefind/ru/{name}",
            staging,
            sites / f"ru-{name}",
        )
        for name in names
    ]
    pages = {job.shard.paths[0]: page for job in waiting}
    return Indexing(fake_pagefind(tmp_path, seconds), pages, jobs, waiting=waiting)


def journal(tmp_path: Path) -> list[str]:
    return (tmp_path / "journal").read_text(encoding="utf-8").split()


def test_shards_are_indexed_at_most_jobs_at_a_time(tmp_path):
    work = indexing(tmp_path, ["2023", "2024", "2025"], jobs=2)
    work.start()
    assert len(work.running) == 2 and len(work.waiting) == 1
    work.finish()
    # Never three at once: the third started only after one had ended.
    events = journal(tmp_path)
    assert events[:2] == ["start", "start"] and events.count("start") == 3
    assert events.index("end") < len(events) - events[::-1].index("start") - 1
    staging = tmp_path / "staging"
    for name in ("2023", "2024", "2025"):
        entry = json.loads((staging / f"pagefind/ru/{name}/{ENTRY_FILE}").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["kk", "ru"]  # sorted, whatever Pagefind wrote
        assert not (staging / f"pagefind/ru/{name}/pagefind-ui.js").exists()
        assert not (staging / f".search-ru-{name}.log").exists()
        assert [p.name for p in (tmp_path / "sites" / f"ru-{name}").rglob("*.html")] == ["index.html"]


def test_pagefind_failing_stops_the_build_with_what_it_said(tmp_path):
    work = indexing(tmp_path, ["2025", "bad"], jobs=2)
    work.start()
    with pytest.raises(SystemExit, match=r"could not index pagefind/ru/bad \(it said: Error: no pages in "):
        work.finish()
    assert work.running == [] and work.waiting == []


def test_a_failed_build_stops_pagefind_before_staging_is_removed(tmp_path):
    work = indexing(tmp_path, ["2024", "2025", "2026"], jobs=2, seconds=30)
    jobs = list(work.waiting)
    build = Build({"PATH": str(tmp_path / "content")}, tmp_path / "output", tmp_path / "staging")
    build.on_discard.add(work.stop)
    work.start()
    throw_away(build)
    assert all(job.process.poll() is not None for job in jobs[:2])  # killed, not left writing
    assert jobs[2].process is None  # the third never started
    assert not list((tmp_path / "staging").glob(".search-*"))
    assert not (tmp_path / "staging/pagefind").exists()


def test_a_shard_site_is_kept_between_builds_and_holds_exactly_the_shard_pages(tmp_path):
    """Pagefind reads the shard's folder: every page of the shard as it is now, and nothing else."""
    site, output = tmp_path / "site", tmp_path / "output"
    pages = {}
    for name in ("ru/news/2025/a/index.html", "ru/news/2025/b/index.html", "ru/events/2025/c/index.html"):
        page = output / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(name, encoding="utf-8")
        pages[name] = page
    mirror_pages(site, pages)
    linked = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert linked == set(pages)
    assert all(os.path.samefile(site / name, pages[name]) for name in pages)
    folder_before = os.stat(site / "ru/news/2025/a").st_ino

    # The next build: a rewritten page (a new file), a page gone, a new page, and a stray file.
    rewritten = tmp_path / "staging/ru/news/2025/a/index.html"
    rewritten.parent.mkdir(parents=True)
    rewritten.write_text("edited", encoding="utf-8")
    new = output / "ru/news/2025/d/index.html"
    new.parent.mkdir(parents=True)
    new.write_text("new", encoding="utf-8")
    (site / "stray.html").write_text("not a page of the shard", encoding="utf-8")
    mirror_pages(site, {"ru/news/2025/a/index.html": rewritten, "ru/news/2025/d/index.html": new})
    linked = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert linked == {"ru/news/2025/a/index.html", "ru/news/2025/d/index.html"}
    assert (site / "ru/news/2025/a/index.html").read_text(encoding="utf-8") == "edited"
    assert os.stat(site / "ru/news/2025/a").st_ino == folder_before  # the folder was kept, not made again

"""cache/output/ keeps the manifests of output folders that exist, and of none that is gone."""

import os
import pickle
import shutil
import threading
from pathlib import Path

import pytest
from conftest import build, copy_fixture_site

from atomic_output import OutputBusy
from atomic_output import output as output_module
from atomic_output.atomic_output import output_lock
from atomic_output.output import (
    BuildOutput,
    Manifest,
    hold_lock,
    load_manifest,
    lock_path,
    manifest_path,
    output_cache_entry,
    pending_path,
    prune_manifests,
)


def build_into(cache: Path, final: Path) -> None:
    """Commit a one-page site into final as a build does: under its lock, with its manifest."""
    with output_lock(lock_path(cache, final), final):
        staging = final.with_name(f"{final.name}.partial-test")
        staging.mkdir()
        (staging / "index.html").write_text(final.name, encoding="utf-8")
        run = BuildOutput(staging, final, load_manifest(cache, final))
        run.commit(cache, [])


def cache_files(cache: Path) -> set[str]:
    return set(os.listdir(cache / "output"))


def files_of(cache: Path, final: Path) -> set[str]:
    manifest = manifest_path(cache, final)
    pending = pending_path(manifest)
    # Search's pages and shard keys, kept between builds.
    search = [output_cache_entry(cache, final, kind) for kind in ("search", "search-keys.json")]
    own = {manifest.name, lock_path(cache, final).name}
    return own | {path.name for path in (pending, *search) if path.exists()}


@pytest.fixture
def folders(tmp_path):
    """Thirty output folders built once each (as tests and previews leave them), and their cache."""
    cache = tmp_path / "cache"
    finals = [tmp_path / f"site-{number}" / "output" for number in range(30)]
    for final in finals:
        final.parent.mkdir()
        build_into(cache, final)
    assert len(cache_files(cache)) == 60  # a manifest and a lock each
    return cache, finals


def test_the_files_of_removed_output_folders_are_pruned(folders):
    cache, finals = folders
    kept, removed = finals[::3], [f for f in finals if f not in finals[::3]]
    for final in removed:
        shutil.rmtree(final.parent)
    assert prune_manifests(cache, keep=kept[0]) == len(removed)
    assert cache_files(cache) == set().union(*(files_of(cache, final) for final in kept))
    for final in kept:  # what is left still makes the next build incremental
        assert load_manifest(cache, final) is not None
    assert prune_manifests(cache, keep=kept[0]) == 0


def test_the_running_builds_own_files_are_kept_even_without_its_folder(folders):
    cache, finals = folders
    shutil.rmtree(finals[0])  # make clean, then a build that has not made its folder yet
    prune_manifests(cache, keep=finals[0])
    assert files_of(cache, finals[0]) <= cache_files(cache)


def test_the_files_of_a_folder_another_build_writes_are_kept(folders):
    cache, finals = folders
    busy = finals[1]
    shutil.rmtree(busy)  # a build into it is under way: it holds the lock and has no folder yet
    with output_lock(lock_path(cache, busy), busy):
        prune_manifests(cache, keep=finals[0])
        assert files_of(cache, busy) <= cache_files(cache)
    prune_manifests(cache, keep=finals[0])
    assert not files_of(cache, busy) & cache_files(cache)


def test_leftovers_of_killed_builds_and_of_older_lock_files_are_pruned(folders):
    cache, finals = folders
    gone = finals[2]
    manifest = manifest_path(cache, gone)
    manifest.rename(pending_path(manifest))  # a commit killed before its manifest was renamed
    (cache / "output" / f"{manifest.stem}.tmp-4242").write_bytes(b"half a manifest")
    lock_path(cache, gone).write_text("4242", encoding="utf-8")  # as builds wrote it: the process only
    orphan = lock_path(cache, finals[3].with_name("never-built"))
    orphan.write_text("4343", encoding="utf-8")  # a lock file naming no folder, with no manifest
    unrelated = cache / "output" / "README"
    unrelated.write_text("not ours", encoding="utf-8")
    shutil.rmtree(gone)
    prune_manifests(cache, keep=finals[0])
    left = cache_files(cache)
    assert not {n for n in left if n.startswith(manifest.stem)}
    assert orphan.name not in left
    assert unrelated.name in left


def test_a_folder_made_again_after_the_pruning_is_built_from_scratch(folders):
    cache, finals = folders
    final = finals[4]
    shutil.rmtree(final)
    prune_manifests(cache, keep=finals[0])
    build_into(cache, final)
    assert load_manifest(cache, final).files.keys() == {"index.html"}


def test_a_build_takes_a_new_lock_when_the_pruning_removed_the_one_it_opened(tmp_path, monkeypatch):
    # Fault injection: the pruning removes the lock file between the build's open() and its flock().
    lock = tmp_path / "cache" / "output" / "0123456789abcdef.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("", encoding="utf-8")
    real_flock = output_module.fcntl.flock
    removed = []

    def pruned_meanwhile(descriptor, operation):
        if not removed:
            removed.append(os.fstat(descriptor))
            lock.unlink()
        return real_flock(descriptor, operation)

    monkeypatch.setattr(output_module.fcntl, "flock", pruned_meanwhile)
    descriptor = hold_lock(lock)
    try:
        assert removed, "the fault was not injected"
        assert os.path.samestat(os.fstat(descriptor), os.stat(lock))  # the file at the path, not the old one
        assert hold_lock(lock) is None  # so a later build finds it held
    finally:
        os.close(descriptor)


def test_a_build_waits_out_the_moment_a_pruning_holds_its_lock(tmp_path):
    cache, final = tmp_path / "cache", tmp_path / "output"
    pruning = hold_lock(lock_path(cache, final))
    threading.Timer(0.1, os.close, [pruning]).start()
    with output_lock(lock_path(cache, final), final):  # no OutputBusy
        assert hold_lock(lock_path(cache, final)) is None


def test_a_second_build_still_stops_when_a_build_holds_the_lock(tmp_path):
    cache, final = tmp_path / "cache", tmp_path / "output"
    lock = lock_path(cache, final)
    with output_lock(lock, final), pytest.raises(OutputBusy) as busy, output_lock(lock, final):
        pass
    assert f"(process {os.getpid()})" in str(busy.value.line)


def test_a_build_prunes_the_manifests_of_removed_folders(tmp_path):
    cache = tmp_path / "cache"
    gone = tmp_path / "preview" / "output"
    gone.mkdir(parents=True)
    build_into(cache, gone)
    kept_for_gone = output_cache_entry(cache, gone, "search") / "ru-2025/ru/news/index.html"
    kept_for_gone.parent.mkdir(parents=True)
    kept_for_gone.write_text("a page search indexed for the folder", encoding="utf-8")
    output_cache_entry(cache, gone, "search-keys.json").write_text("{}", encoding="utf-8")
    shutil.rmtree(gone.parent)
    content = copy_fixture_site(tmp_path / "content")
    output = tmp_path / "output"
    build(content, output, CACHE_PATH=str(cache))
    assert cache_files(cache) == files_of(cache, output)
    assert output_cache_entry(cache, output, "search").is_dir()
    assert output_cache_entry(cache, output, "search-keys.json").is_file()
    assert isinstance(pickle.loads(manifest_path(cache, output).read_bytes()), Manifest)

"""Two builds of the same content on different days, machines and folders give byte-identical files."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT, add_fixture_pictures

pytestmark = pytest.mark.system  # two whole builds in subprocesses, compared byte for byte

# A build in a fresh interpreter with a fake clock, as CI on another day would run it.
BUILD_ON = """
import datetime as dt, sys, time_machine
from pelican import main
with time_machine.travel(dt.datetime.fromisoformat(sys.argv[1]), tick=False):
    main([sys.argv[2], "-s", sys.argv[3], "-o", sys.argv[4], *sys.argv[5:]])
"""
# Pages that legitimately depend on the day of the build (README, "Reproducible builds"):
# which events are upcoming, and which day the month calendars mark as today.
DATE_DEPENDENT = re.compile(r"(ru|kk)/events/(index\.html|page/\d+/index\.html|calendar/.*)")


def copy_reversed(source: Path, target: Path) -> None:
    """Copy a tree creating entries in reverse order, so the file system lists them differently."""
    for path in sorted(source.rglob("*"), reverse=True):
        destination = target / path.relative_to(source)
        if path.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def build_on(day: str, content: Path, output: Path, *options: str, **env: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            BUILD_ON,
            day,
            str(content),
            str(ROOT / "pelicanconf.py"),
            str(output),
            *options,
        ],
        capture_output=True,
        text=True,
        cwd=content.parent,
        env={**os.environ, **env},
    )
    assert result.returncode == 0, result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The fixture content built three times: a and b at one moment, c on another day."""
    root = tmp_path_factory.mktemp("machines")
    first, second = root / "machine-a" / "content", root / "elsewhere" / "machine-b" / "src"
    shutil.copytree(FIXTURE_SITE, first)
    add_fixture_pictures(first)
    copy_reversed(first, second)  # other folder names, files written in another order
    same_moment = ("-e", 'EVENTS_NOW="2026-11-27 09:00"')
    build_on("2026-11-27T09:00:00+05:00", first, root / "a", *same_moment, PYTHONHASHSEED="1", TZ="UTC")
    build_on(
        "2027-03-01T23:30:00+05:00",
        second,
        root / "b",
        *same_moment,
        PYTHONHASHSEED="2",
        TZ="America/Los_Angeles",
    )
    build_on("2027-03-01T23:30:00+05:00", second, root / "c", PYTHONHASHSEED="3")
    return {name: tree(root / name) for name in "abc"}


def test_two_builds_are_byte_identical(builds):
    """Same commit, other day, zone, hash seed and folder: not one byte differs."""
    a, b = builds["a"], builds["b"]
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert len(a) > 30


def test_only_the_named_pages_depend_on_the_build_day(builds):
    a, c = builds["a"], builds["c"]  # built for 27 November 2026 and on 1 March 2027
    differ = sorted(name for name in set(a) | set(c) if a.get(name) != c.get(name))
    assert differ, "an event became past between the two days, so some listing must change"
    assert [name for name in differ if not DATE_DEPENDENT.fullmatch(name)] == [], differ


def test_search_entry_lists_languages_in_a_fixed_order():
    from search.indexing import stable_entry

    written = '{"version":"1.5.2","languages":{"ru":{"page_count":8},"kk":{"page_count":9}},"x":["‿"]}'
    assert stable_entry(written) == (
        '{"version":"1.5.2","languages":{"kk":{"page_count":9},"ru":{"page_count":8}},"x":["‿"]}'
    )

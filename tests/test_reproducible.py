"""Two builds of the same content on different days, machines and folders give byte-identical files."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE_SITE, ROOT, add_fixture_pictures

# A build in a fresh interpreter with a fake clock, as CI on another day would run it.
BUILD_ON = """
import datetime as dt, sys, time_machine
from pelican import main
with time_machine.travel(dt.datetime.fromisoformat(sys.argv[1]), tick=False):
    main([sys.argv[2], "-s", sys.argv[3], "-o", sys.argv[4]])
"""


def copy_reversed(source: Path, target: Path) -> None:
    """Copy a tree creating entries in reverse order, so the file system lists them differently."""
    for path in sorted(source.rglob("*"), reverse=True):
        destination = target / path.relative_to(source)
        if path.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def build_on(day: str, content: Path, output: Path, **env: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BUILD_ON, day, str(content), str(ROOT / "pelicanconf.py"), str(output)],
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


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "machine-a" / "content", tmp_path / "elsewhere" / "machine-b" / "src"
    shutil.copytree(FIXTURE_SITE, first)
    add_fixture_pictures(first)
    copy_reversed(first, second)
    build_on("2026-11-27T09:00:00+05:00", first, tmp_path / "out-a", PYTHONHASHSEED="1", TZ="UTC")
    build_on(
        "2027-03-01T23:30:00+05:00", second, tmp_path / "out-b", PYTHONHASHSEED="2", TZ="America/Los_Angeles"
    )
    a, b = tree(tmp_path / "out-a"), tree(tmp_path / "out-b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert len(a) > 30

"""output/ is always one whole site, the previous build's or the new one's, whatever stops a build.

Builds run as `pelican` processes. The ATOMIC_OUTPUT_FAULT test hook kills a build with SIGKILL at a
named step of the commit; other builds are killed from here at random moments, or meet an unwritable
file, a full disk or a second build. After each, output/ must equal one of two reference sites byte for
byte (A: the fixture site; B: the same with one story edited, each from a cold build of its own), and
later builds must again be incremental, down to "Nothing changed since the last build".
"""

import errno
import os
import random
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import (
    COMMAND_ENVIRONMENT,
    FIXTURE_NOW,
    ROOT,
    build,
    copy_fixture_site,
    pelican_argv,
)
from test_atomic import HELPERS, PLUGINS, siblings, snapshot

from atomic_output import OutputNotWritten
from atomic_output.output import COMMIT_STEPS, FAULT_VARIABLE, spare_of

pytestmark = pytest.mark.system  # kills and repeats whole builds in subprocesses

STORY = "news/2026/2026-01-15-snow/ru.md"
NOTHING_CHANGED = "Nothing changed since the last build"
# Steps at which the new site is not in place yet: a kill there leaves the previous one.
BEFORE_EXCHANGE = ("staged", "linking", "pending-manifest", "exchange")


@dataclass
class Bench:
    """One output folder built again and again, between the two versions A and B of one story."""

    content: Path
    output: Path
    cache: Path
    texts: dict[str, str]
    references: dict[str, dict] = field(default_factory=dict)
    now: str = "A"  # what output/ holds, with a manifest the next build trusts

    def argv(self, output: Path | None = None, *extra: str) -> list[str]:
        return pelican_argv(
            self.content,
            output or self.output,
            "--cache-path",
            str(self.cache),
            "-e",
            f'EVENTS_NOW="{FIXTURE_NOW}"',
            f'PICTURES_CACHE_PATH="{self.cache / "pictures"}"',
            *extra,
        )

    def environment(self, fault: str | None = None) -> dict[str, str]:
        environment = {**os.environ, **COMMAND_ENVIRONMENT}
        environment.pop(FAULT_VARIABLE, None)
        return environment | ({FAULT_VARIABLE: fault} if fault else {})

    def run(self, *extra: str, fault: str | None = None, output: Path | None = None):
        return subprocess.run(
            self.argv(output, *extra),
            capture_output=True,
            text=True,
            cwd=self.content.parent,
            env=self.environment(fault),
        )

    def start(self, fault: str | None = None) -> subprocess.Popen:
        return subprocess.Popen(
            self.argv(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.content.parent,
            env=self.environment(fault),
            start_new_session=True,  # killed with its children (Pagefind)
        )

    def write(self, version: str) -> None:
        (self.content / STORY).write_text(self.texts[version], encoding="utf-8")

    def state(self) -> str:
        """Which reference output/ equals, or what makes it neither."""
        files = snapshot(self.output)
        for name, reference in self.references.items():
            if files == reference:
                return name
        return "neither: " + "; ".join(
            f"vs {name}: {sorted(str(p) for p in files.keys() ^ reference.keys())[:5]} "
            f"{sorted(str(p) for p in files.keys() & reference.keys() if files[p] != reference[p])[:5]}"
            for name, reference in self.references.items()
        )

    def other(self) -> str:
        return "B" if self.now == "A" else "A"

    def recover(self, target: str) -> str:
        """Build normally after a crash: output/ must become target; return what the build printed."""
        result = self.run()
        assert result.returncode == 0, result.stdout + result.stderr
        assert self.state() == target
        assert siblings(self.output) == [], "a dead build's folders were not removed"
        self.now = target
        return result.stdout

    def assert_incremental_again(self) -> None:
        result = self.run()
        assert result.returncode == 0, result.stderr
        assert NOTHING_CHANGED in result.stdout, result.stdout


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Bench:
    """output/ holding A (built there, so with its manifest), and the cold references A and B."""
    base = tmp_path_factory.mktemp("commit")
    content = copy_fixture_site(base / "content")
    a = (content / STORY).read_text(encoding="utf-8")
    b = a.replace("триста", "четыреста")
    assert b != a
    bench = Bench(content, base / "output", base / "cache", {"A": a, "B": b})
    for version, folder in (("B", base / "reference-b"), ("A", base / "output")):
        bench.write(version)
        result = bench.run(output=folder)
        assert result.returncode == 0, result.stderr
        bench.references[version] = snapshot(folder)
    assert bench.references["A"] != bench.references["B"]
    return bench


def killed(result) -> bool:
    return result.returncode == -signal.SIGKILL


@pytest.mark.parametrize("spare", ["spare", "no spare"])
@pytest.mark.parametrize("step", COMMIT_STEPS)
def test_a_build_killed_at_each_step_of_the_commit_leaves_one_whole_site(bench, step, spare):
    # Both ways to the new site: bring the spare (the site before the last build) up to date, or, where
    # there is none, make a new tree of hard links in the staging folder.
    if spare == "no spare":
        shutil.rmtree(spare_of(bench.output), ignore_errors=True)
    elif not spare_of(bench.output).is_dir():  # a recovery that had nothing to do left none: build once
        bench.write(bench.other())
        bench.recover(bench.other())
        assert spare_of(bench.output).is_dir()
    before, target = bench.now, bench.other()
    bench.write(target)
    result = bench.run(fault=step)
    assert killed(result), f"the build was not killed at {step}: {result.returncode}\n{result.stderr}"
    assert bench.state() == (before if step in BEFORE_EXCHANGE else target)
    printed = bench.recover(target)
    if step not in BEFORE_EXCHANGE:  # the killed build's manifest is trusted: nothing left to do
        assert NOTHING_CHANGED in printed, printed
    bench.assert_incremental_again()


def test_builds_killed_at_random_moments_leave_one_whole_site(bench):
    started = time.perf_counter()
    bench.assert_incremental_again()  # a build that stops early: the start-up part of the time
    seconds = 3 * (time.perf_counter() - started)
    seed = random.randrange(10**6)
    chance = random.Random(seed)
    for _ in range(4):
        before, target = bench.now, bench.other()
        bench.write(target)
        process = bench.start()
        time.sleep(chance.uniform(0.1, seconds))
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        assert bench.state() in (before, target), f"seed {seed}"
        bench.recover(target)
    bench.assert_incremental_again()


def replace_output_with_a_copy(bench: Bench, copy_function) -> None:
    """Put a copy of output/ in its place: another folder (inode) with the same files."""
    copy = bench.output.with_name("copied")
    shutil.copytree(bench.output, copy, copy_function=copy_function)
    shutil.rmtree(bench.output)
    copy.rename(bench.output)


def test_an_output_restored_with_its_files_times_stays_incremental(bench):
    # As CI restores output/ from its cache: a new folder, every file with its size and time.
    replace_output_with_a_copy(bench, shutil.copy2)
    bench.assert_incremental_again()
    # A copy that lost the times cannot be told from hand-edited files: it is built anew, whole.
    replace_output_with_a_copy(bench, shutil.copyfile)
    result = bench.run()
    assert result.returncode == 0, result.stderr
    assert NOTHING_CHANGED not in result.stdout
    assert bench.state() == bench.now
    bench.assert_incremental_again()


def wait_until_stopped(process: subprocess.Popen) -> None:
    _, status = os.waitpid(process.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), f"the first build ended instead of pausing: {status}"


def test_a_second_build_stops_at_once_while_one_runs(bench):
    before, target = bench.now, bench.other()
    bench.write(target)
    first = bench.start(fault="exchange:stop")  # paused right before it swaps its site in
    try:
        wait_until_stopped(first)
        staging = siblings(bench.output)
        second = bench.run()
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"Another build is writing output/ (process {first.pid}); wait for it to finish and build again."
        ]
        assert bench.state() == before
        assert siblings(bench.output) == staging  # not even the first build's folder was touched
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out, err = first.communicate()
    assert first.returncode == 0, out + err
    assert bench.state() == target
    bench.now = target
    bench.assert_incremental_again()


def unwritable(path: Path) -> None:
    """Make a file or folder unwritable: by mode, or for root (whom modes do not stop) by chattr +i."""
    if os.geteuid() != 0:
        path.chmod(path.stat().st_mode & ~0o222)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root, where only chattr +i makes a file unwritable, and it fails here")


def writable_again(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True)
    else:
        subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_an_unwritable_file_or_folder_in_output_never_leaves_a_mix(bench, what):
    before, target = bench.now, bench.other()
    changed = sorted(
        name
        for name in bench.references[before]
        if bench.references[target].get(name) != bench.references[before][name]
    )
    page = bench.output / next(str(name) for name in changed if str(name).endswith("index.html"))
    unwritable(page if what == "file" else page.parent)
    bench.write(target)
    try:
        result = bench.run()
    finally:
        writable_again(bench.output.parent)
    assert "Traceback" not in result.stdout + result.stderr
    if result.returncode == 0:
        assert bench.state() == target
        bench.now = target
    else:
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert bench.state() == before
    bench.recover(target)
    bench.assert_incremental_again()


def full_disk(*_, **__):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_a_plugin_writes_is_one_line(bench):
    before = bench.now
    bench.write(bench.other())
    result = bench.run(
        "-e",
        f'PLUGIN_PATHS=["{ROOT / "plugins"}", "{HELPERS}"]',
        f"PLUGINS={PLUGINS!r}".replace("'", '"'),
        'FAIL_ON_PURPOSE="full-disk"',
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1:] == [
        "No space left on device while writing output/ru/full.html; free some space and build again."
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert bench.state() == before
    assert siblings(bench.output) == []
    bench.write(before)


@pytest.fixture
def site(tmp_path):
    """A fixture site built once into output/ in this process, with its snapshot."""
    content = copy_fixture_site(tmp_path / "content")
    output = tmp_path / "output"
    build(content, output, EVENTS_NOW=FIXTURE_NOW)
    story = content / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("триста", "четыреста"), encoding="utf-8")
    return content, output, snapshot(output)


def test_a_full_disk_while_pages_are_written_names_the_page(site, monkeypatch, capsys):
    content, output, before = site
    from pelican.writers import Writer

    open_to_write = Writer._open_w

    def open_on_a_full_disk(self, filename, *args, **kwargs):
        if filename.endswith("/snow/index.html") and "/ru/" in filename:
            stream = open_to_write(self, filename, *args, **kwargs)
            stream.write = full_disk  # the disk fills up as the page is written
            return stream
        return open_to_write(self, filename, *args, **kwargs)

    monkeypatch.setattr(Writer, "_open_w", open_on_a_full_disk)
    capsys.readouterr()
    with pytest.raises(OutputNotWritten) as stopped:
        build(content, output, EVENTS_NOW=FIXTURE_NOW)
    line = (
        f"No space left on device while writing {output}/ru/news/2026/01/snow/index.html; "
        "free some space and build again."
    )
    assert stopped.value.code == 1
    assert str(stopped.value.line) == line
    printed = capsys.readouterr()
    # The content checks' warnings come first; the failure is one line at the end.
    assert printed.err.strip().splitlines()[-1] == line
    assert "No space" not in printed.out and printed.err.count("No space") == 1
    assert snapshot(output) == before
    assert siblings(output) == []


def test_a_full_disk_while_static_files_are_copied_fails_the_build(site, monkeypatch, capsys):
    content, output, before = site
    copy = shutil.copyfile

    def copy_on_a_full_disk(source, destination, *args, **kwargs):
        if str(destination).endswith(".css"):
            full_disk()
        return copy(source, destination, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copy_on_a_full_disk)
    with pytest.raises(OutputNotWritten) as stopped:
        build(content, output, EVENTS_NOW=FIXTURE_NOW)
    assert str(stopped.value.line).startswith(f"No space left on device while writing {output}/theme/")
    assert str(stopped.value.line).endswith(".css; free some space and build again.")
    assert snapshot(output) == before
    assert siblings(output) == []


def test_a_full_disk_during_the_commit_leaves_output_as_it_was(site, monkeypatch):
    content, output, before = site
    import atomic_output.output as committing

    link = committing.link_or_copy
    calls = []

    def link_until_the_disk_is_full(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
        link(source, target)

    monkeypatch.setattr(committing, "link_or_copy", link_until_the_disk_is_full)
    with pytest.raises(OutputNotWritten) as stopped:
        build(content, output, EVENTS_NOW=FIXTURE_NOW)
    failed = Path(calls[-1])
    staging = next(folder for folder in failed.parents if folder.name.startswith("output.partial-"))
    assert str(stopped.value.line) == (
        f"No space left on device while writing {output / failed.relative_to(staging)}; "
        "free some space and build again."
    )
    assert snapshot(output) == before
    assert siblings(output) == []


def test_a_really_full_disk_is_one_line(bench, tmp_path):
    """The build writes into a 300 KB file system of its own (a private mount, where root may make one).

    Which write meets the full disk first varies; a plugin's own writes name only the output folder.
    """
    disk = tmp_path / "disk"
    disk.mkdir()
    build_there = " ".join(f"'{part}'" for part in bench.argv(disk / "output"))
    script = f"mount -t tmpfs -o size=300k tmpfs '{disk}' || exit 99; cd '{disk}' && {build_there}"
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=bench.environment(),
    )
    if result.returncode == 99 or "unshare failed" in result.stderr:
        pytest.skip("no private mount here (needs root)")
    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    # The first file the full disk refuses: a page in output/ or a picture in the cache, as it happens.
    assert last.startswith("No space left on device while writing "), last
    assert last.endswith("; free some space and build again."), last
    assert last.endswith("; free some space and build again.")
    assert "Traceback" not in result.stdout + result.stderr

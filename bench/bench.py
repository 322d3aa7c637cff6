"""Time full and incremental builds of the synthetic archive: our site against stock Pelican.

For each archive size and for pictures off and on, the same corpus (bench/corpus.py) is
built by each side in its own process, as an editor would run it, and four builds are
timed: cold (empty output and cache folders), again with no change, after editing one
story, and after adding one. Each is the median of several runs; memory is the peak
proportional set size (PSS) summed over the build's process tree.

Pictures off and on are two corpora with the same text: "off" has no Image lines and no
JPEGs, "on" gives every third story a camera-sized JPEG. Our side builds both with
pelicanconf.py as it is (whatever picture handling the site has then); the stock side
uses bench/baseline/pelicanconf.py, plus pelican-image-process (two widths) when on.
The stock side lives in .venv-baseline/, made on first use from bench/baseline/requirements.txt.

A stock site that wants static search runs Pagefind over its output after each build, as ours
does within it: after every stock build, one `pagefind --site OUT` (the pagefind-bin version our
site pins) is timed too, and the table gives stock alone and stock + Pagefind, which our figures
are compared with. The first "add one" build of each side also reports the files it changed
(bench/changes.py, Pagefind's index left out): what a deploy of one new story uploads.
"""

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .changes import changed_files, snapshot
from .corpus import add_story, edit_story, write_corpus

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline"
BASELINE_VENV = ROOT / ".venv-baseline"
SCENARIOS = ("cold", "no change", "edit one", "add one")
STOCK_SEARCH = "stock + Pagefind"  # the stock build, then Pagefind over its output
STORY_PAGE = re.compile(r"(?:^|/)(?:news|events)/\d{4}/\d{2}/[^/]+/index\.html$")


class BenchError(Exception):
    """A build failed or the set-up is incomplete; the message says what to do."""


@dataclass
class Measurement:
    """One timed build: its wall time, CPU time and peak memory."""

    seconds: float  # wall time
    cpu: float  # user + system time of the build and its children: steadier on a busy machine
    peak_mb: float


@dataclass
class Side:
    """One way of building the corpus: a Python with Pelican and the settings it uses."""

    name: str
    python: Path
    settings: Callable[[bool], Path]  # pictures on -> settings file
    # Settings that keep every cache of the build under the cache folder (emptied for cold builds).
    caches: Callable[[Path], dict[str, str]] = lambda cache: {}
    search_after: bool = False  # run Pagefind over the output after each build (timed apart)

    def command(self, content: Path, output: Path, cache: Path, pictures: bool) -> list[str]:
        command = [str(self.python), "-m", "pelican", str(content), "-s", str(self.settings(pictures))]
        command += ["-o", str(output), "--cache-path", str(cache), "-q"]
        overrides = [f"{key}={json.dumps(value)}" for key, value in self.caches(cache).items()]
        return command + (["-e", *overrides] if overrides else [])


OURS = Side(
    "ours",
    Path(sys.executable),
    lambda pictures: ROOT / "pelicanconf.py",
    lambda cache: {"PICTURES_CACHE_PATH": str(cache / "pictures")},
)
STOCK = Side(
    "stock",
    BASELINE_VENV / "bin" / "python",
    lambda pictures: BASELINE / ("pelicanconf_pictures.py" if pictures else "pelicanconf.py"),
    search_after=True,
)


def pagefind_command(output: Path) -> list[str]:
    """Index a whole built site with the Pagefind binary our search plugin runs (pagefind-bin)."""
    from search.search import pagefind_executable  # the plugins folder is on sys.path (bench/__init__)

    return [str(pagefind_executable()), "--site", str(output), "--silent"]


def combined(build: Measurement, search: Measurement) -> Measurement:
    """A build followed by its search indexing: times add up, memory is the larger peak."""
    return Measurement(
        build.seconds + search.seconds, build.cpu + search.cpu, max(build.peak_mb, search.peak_mb)
    )


@dataclass
class Result:
    """All runs of one scenario of one side, for one corpus."""

    stories: int
    pictures: bool
    side: str
    scenario: str
    runs: list[Measurement] = field(default_factory=list)
    changed: list[str] | None = None  # "add one": the files its first run changed (bench/changes.py)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


def ensure_baseline() -> Path:
    """Create .venv-baseline/ with stock Pelican and its plugins when missing or out of date."""
    requirements = BASELINE / "requirements.txt"
    stamp = BASELINE_VENV / ".installed"
    if stamp.exists() and stamp.stat().st_mtime >= requirements.stat().st_mtime:
        return STOCK.python
    print(f"Setting up the stock Pelican baseline in {BASELINE_VENV.name}/ …", flush=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(BASELINE_VENV)], check=True)
    subprocess.run(
        [
            str(STOCK.python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(requirements),
        ],
        check=True,
    )
    stamp.touch()
    return STOCK.python


def _tree_memory_kb(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc (0 when unreadable).

    Each process counts its proportional set size (PSS): a page shared by n processes counts 1/n in
    each. Forked workers share most of the build's memory; summing their resident sizes would count
    those pages once per process.
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            try:
                rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
                total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M)[1])
            except OSError:  # no smaps_rollup (an old kernel): the resident size
                status = Path(f"/proc/{current}/status").read_text()
                total += int(re.search(r"^VmRSS:\s+(\d+)", status, re.M)[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, TypeError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path, log: Path) -> Measurement:
    """Run one build; return its wall time and peak memory, or raise BenchError when it fails."""
    with log.open("w") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_memory_kb(process.pid))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise BenchError(f"build failed (exit {process.returncode}): {' '.join(command)}\n{tail}")
    # ru_maxrss (KiB on Linux): the largest resident size of one process of the tree, which catches a
    # peak shorter than the polling; the polled sum covers the workers beside it.
    return Measurement(seconds, usage.ru_utime + usage.ru_stime, max(usage.ru_maxrss, peak[0]) / 1024)


def story_pages(output: Path) -> dict[str, int]:
    """Count the story pages a build wrote, per language (a kk/ prefix means Kazakh, else Russian)."""
    counts = {"ru": 0, "kk": 0}
    for path in output.rglob("index.html"):
        relative = path.relative_to(output).as_posix()
        if STORY_PAGE.search(relative):
            counts["kk" if relative.startswith("kk/") else "ru"] += 1
    return counts


def clone(corpus: Path, target: Path) -> None:
    """Copy a corpus by hard links: fast, and edits replace files so the original stays."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(corpus, target, copy_function=os.link)


def corpus_for(stories: int, pictures: bool, workdir: Path, report: Callable[[str], None] = print) -> Path:
    """The corpus of a size, with or without pictures, written once into workdir/corpora/."""
    name = f"{stories}-{'pictures' if pictures else 'text'}"
    corpus = workdir / "corpora" / name
    if not corpus.exists():
        report(f"writing corpus {name} …")
        partial = corpus.with_name(name + ".part")
        shutil.rmtree(partial, ignore_errors=True)
        write_corpus(partial, stories=stories, pictures=None if pictures else 0)
        partial.rename(corpus)
    return corpus


@dataclass
class Place:
    """Where one side builds one corpus: its copy of the content, its output and cache, its logs."""

    root: Path
    pictures: bool
    edited: str  # the story folder "edit one" changes

    def build(self, side: Side, scenario: str, number: int) -> tuple[Measurement, Path | None]:
        """Prepare the scenario, run one build; return it, and the output as it was before "add one" #1."""
        content, output, cache = self.root / "content", self.root / "output", self.root / "cache"
        before = None
        if scenario == "cold":
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
        elif scenario == "edit one":
            edit_story(content, self.edited, "ru", number)
        elif scenario == "add one":
            if number == 1:
                before = snapshot(output, self.root / "output-before-add")
            add_story(content, number)
        log = self.root / f"{scenario.replace(' ', '-')}-{number}.log"
        return measure(side.command(content, output, cache, self.pictures), self.root, log), before

    def search(self, scenario: str, number: int) -> Measurement:
        """Run Pagefind over the whole output, as a stock site with static search does after a build."""
        log = self.root / f"{scenario.replace(' ', '-')}-{number}.pagefind.log"
        return measure(pagefind_command(self.root / "output"), self.root, log)

    def changed_since(self, before: Path) -> list[str]:
        """The files the last build changed since `before`; listed in add-one-changed.txt."""
        changed = changed_files(before, self.root / "output")
        (self.root / "add-one-changed.txt").write_text("".join(f"{c}\n" for c in changed))
        shutil.rmtree(before, ignore_errors=True)
        return changed


def bench_corpus(
    stories: int, pictures: bool, sides: list[Side], runs: int, workdir: Path, report: Callable[[str], None]
) -> list[Result]:
    """Run every scenario on one corpus for every side; return the results."""
    corpus = corpus_for(stories, pictures, workdir, report)
    name = corpus.name
    story_files = {lang: len(list(corpus.glob(f"*/*/*/{lang}.md"))) for lang in ("ru", "kk")}
    edited = story_to_edit(corpus)
    places = {side.name: Place(workdir / name / side.name, pictures, edited) for side in sides}
    for place in places.values():
        clone(corpus, place.root / "content")
    names = [side.name for side in sides] + [STOCK_SEARCH for side in sides if side.search_after]
    results = {(n, s): Result(stories, pictures, n, s) for n in names for s in SCENARIOS}
    for scenario in SCENARIOS:
        for number in range(1, runs + 1):
            for side in sides:
                place = places[side.name]
                run, before = place.build(side, scenario, number)
                results[(side.name, scenario)].runs.append(run)
                said = f"{name} {side.name:5} {scenario:9} #{number}:"
                report(f"{said} {run.seconds:7.2f} s wall {run.cpu:7.2f} s CPU {run.peak_mb:6.0f} MB")
                if side.search_after:
                    search = place.search(scenario, number)
                    results[(STOCK_SEARCH, scenario)].runs.append(combined(run, search))
                    report(f"{said} {search.seconds:7.2f} s wall {search.cpu:7.2f} s CPU in Pagefind")
                if before:
                    changed = place.changed_since(before)
                    results[(side.name, scenario)].changed = changed
                    if side.search_after:
                        results[(STOCK_SEARCH, scenario)].changed = changed
                    report(f"{said} {len(changed)} files changed (outside Pagefind's index)")
                if scenario == "cold" and number == 1:
                    written = story_pages(place.root / "output")
                    if written != story_files:
                        raise BenchError(
                            f"{side.name} wrote story pages {written}, the corpus has {story_files}"
                        )
    return list(results.values())


def story_to_edit(corpus: Path) -> str:
    """The folder of a news story in both languages from the middle of the archive."""
    folders = sorted(p.parent for p in corpus.glob("news/*/*/kk.md") if (p.parent / "ru.md").exists())
    return folders[len(folders) // 2].relative_to(corpus).as_posix()


def machine() -> str:
    """Cores, processor, Python and load: benchmark figures mean little without them."""
    cpu = Path("/proc/cpuinfo")
    found = re.search(r"^model name\s*:\s*(.+)$", cpu.read_text(), re.M) if cpu.exists() else None
    model = found[1] if found else platform.processor() or "unknown processor"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, load average {load}"


COLUMNS = ("stories", "pictures", "build", "ours s", "ours CPU s", "ours MB")
COLUMNS += ("stock s", "stock CPU s", "stock MB", "stock+PF s", "stock+PF CPU s", "stock+PF MB")
COLUMNS += ("ours/stock+PF", "CPU ours/stock+PF", "ours/stock", "files changed ours", "stock")


def _cells(result: Result | None) -> tuple[str, str, str]:
    if result is None:
        return ("-", "-", "-")
    return (f"{result.median:.2f}", f"{result.cpu:.2f}", f"{result.peak_mb:.0f}")


def _ratio(ours: Result | None, other: Result | None, cpu: bool = False) -> str:
    if not (ours and other):
        return "-"
    return f"{(ours.cpu / other.cpu) if cpu else (ours.median / other.median):.2f}"


def _changed(result: Result | None) -> str:
    return "-" if result is None or result.changed is None else str(len(result.changed))


def table(results: list[Result]) -> str:
    """Medians side by side: wall and CPU seconds, peak memory, our time over stock + Pagefind's (the
    target's terms) and over stock alone's, and the files one added story changed on each side."""
    by_key = {(r.stories, r.pictures, r.side, r.scenario): r for r in results}
    rows = []
    for stories, pictures in sorted({(r.stories, r.pictures) for r in results}):
        for scenario in SCENARIOS:
            ours = by_key.get((stories, pictures, "ours", scenario))
            stock = by_key.get((stories, pictures, "stock", scenario))
            search = by_key.get((stories, pictures, STOCK_SEARCH, scenario))
            rows.append(
                (
                    str(stories),
                    "on" if pictures else "off",
                    scenario,
                    *_cells(ours),
                    *_cells(stock),
                    *_cells(search),
                    _ratio(ours, search),
                    _ratio(ours, search, cpu=True),
                    _ratio(ours, stock),
                    _changed(ours),
                    _changed(stock),
                )
            )
    widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]

    def line(cells: tuple[str, ...]) -> str:
        padded = (
            c.ljust(w) if i in (1, 2) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(COLUMNS), separator, *(line(row) for row in rows)])


def run_bench(
    sizes: list[int],
    runs: int = 3,
    pictures: tuple[bool, ...] = (False, True),
    baseline: bool = True,
    workdir: Path | None = None,
    json_path: Path | None = None,
) -> list[Result]:
    """Benchmark every size and picture setting; print progress, then the table."""
    workdir = Path(workdir or ROOT / "bench" / ".work")
    workdir.mkdir(parents=True, exist_ok=True)
    sides = [OURS]
    if baseline:
        ensure_baseline()
        sides.append(STOCK)
    started = machine()
    results: list[Result] = []
    for stories in sizes:
        for with_pictures in pictures:
            results += bench_corpus(
                stories, with_pictures, sides, runs, workdir, lambda line: print(line, flush=True)
            )
    print()
    print(f"Machine at start: {started}")
    print(f"Machine at end:   {machine()}")
    print(f"Medians of {runs} run(s): wall time, CPU time (user + system); memory is the peak over the runs.")
    print("stock+PF: stock Pelican, then Pagefind over its whole output (times added, the larger peak).")
    print("Files changed: by the first 'add one' build, outside Pagefind's index (bench/changes.py).")
    print(table(results))
    if json_path:
        rows = [{**asdict(r), "median": r.median, "cpu": r.cpu, "peak_mb": r.peak_mb} for r in results]
        # The lists of changed files are in each side's add-one-changed.txt: only their counts here.
        for row in rows:
            row["changed"] = None if row["changed"] is None else len(row["changed"])
        Path(json_path).write_text(json.dumps({"machine": started, "results": rows}, indent=2))
    return results


def profile_build(stories: int, workdir: Path | None = None) -> Path:
    """Profile our cold build of a text-only corpus with pyinstrument; print and return the report."""
    workdir = Path(workdir or ROOT / "bench" / ".work")
    corpus = corpus_for(stories, False, workdir)
    place = workdir / f"profile-{stories}"
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    report = place / "profile.txt"
    command = [sys.executable, "-m", "pyinstrument", "--outfile", str(report), "-m", "pelican"]
    command += OURS.command(corpus, place / "output", place / "cache", False)[3:]
    subprocess.run(command, cwd=place, check=True)
    print(report.read_text())
    return report

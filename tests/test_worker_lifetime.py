"""Every worker process of a build ends when the build process dies, even killed with SIGKILL."""

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from build_core.workers import end_with_parent

pytestmark = pytest.mark.system  # builds killed in subprocesses, their workers watched

# Each pool is started the way the build starts it; its work (patched in) notes the worker's pid in a
# folder and then waits far longer than the test.
SCRIPT = """
import os, sys, time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, {plugins!r})
folder = Path(sys.argv[2])


def note_and_wait(*args, **kwargs):
    (folder / str(os.getpid())).touch()
    time.sleep(600)


pool = sys.argv[1]
if pool == "reads":
    from build_core.workers import in_workers

    list(in_workers(note_and_wait, list(range(100)), 2))
elif pool == "rendering":
    from incremental import rendering

    rendering.render = note_and_wait
    deferred = SimpleNamespace(processes=2, carriers=[], writer=None, write_file=None)
    rendering.render_in_workers(deferred, list(range(100)))
elif pool == "pictures":
    from pictures import pictures

    pictures.make_derivatives = note_and_wait
    pictures.Processing(list(range(4)), None, SimpleNamespace(workers=2, max_pixels=1)).results()
"""


def alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie nobody has reaped yet is dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers end with their parent on Linux")
@pytest.mark.parametrize("pool", ["reads", "rendering", "pictures"])
def test_workers_end_when_the_build_is_killed(pool, tmp_path):
    script = tmp_path / "build.py"
    script.write_text(SCRIPT.format(plugins=str(ROOT / "plugins")), encoding="utf-8")
    pids = tmp_path / "pids"
    pids.mkdir()
    build = subprocess.Popen([sys.executable, str(script), pool, str(pids)], start_new_session=True)
    try:
        assert wait_for(lambda: len(list(pids.iterdir())) >= 2, 30), "the workers did not start"
        workers = [int(path.name) for path in pids.iterdir()]
        assert all(alive(pid) for pid in workers)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 5), (
            f"workers still running after the build died: {[pid for pid in workers if alive(pid)]}"
        )
    finally:
        build.kill()
        for path in pids.iterdir():  # never leave a worker behind, whatever the outcome
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(path.name), signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers end with their parent on Linux")
def test_a_worker_whose_build_died_before_it_started_ends_at_once():
    # A worker told of another parent than its own is one whose build died (it was adopted meanwhile).
    worker = multiprocessing.get_context("fork").Process(target=end_with_parent, args=(os.getpid() + 1,))
    worker.start()
    worker.join(10)
    assert worker.exitcode == -signal.SIGKILL
    # Its own parent alive: it goes on working.
    worker = multiprocessing.get_context("fork").Process(target=end_with_parent, args=(os.getpid(),))
    worker.start()
    worker.join(10)
    assert worker.exitcode == 0

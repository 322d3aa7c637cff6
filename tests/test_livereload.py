"""`make livereload` prints each log line once."""

import socket
import subprocess
import sys

import pytest
from conftest import COMMAND_ENVIRONMENT, ROOT

pytestmark = pytest.mark.system  # livereload's server in a subprocess

# The task's server, after Pelican's logging is set up as the task's first build sets it up; then a
# page is asked that is missing (tornado logs it), livereload logs a line, and Ctrl-C stops it all.
SCRIPT = """
import logging, os, signal, sys, threading, time, urllib.error, urllib.request
from pelican.log import init
from editing.serve import livereload_server

init(level=None)
port, root = int(sys.argv[1]), sys.argv[2]
server = livereload_server()


def visit():
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/missing-page")
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.05)
    logging.getLogger("livereload").info("one record")
    # tornado logs a request once its answer is sent, so the client may see the 404 first: give
    # the server's thread time to log it before stopping.
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGINT)


threading.Thread(target=visit, daemon=True).start()
server.serve(host="127.0.0.1", port=port, root=root)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_each_log_line_of_the_livereload_server_is_printed_once(tmp_path):
    (tmp_path / "index.html").write_text("<title>home</title>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(free_port()), str(tmp_path)],
        cwd=ROOT,
        env={**COMMAND_ENVIRONMENT, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    printed = result.stdout + result.stderr
    for line in ("Serving on http://127.0.0.1:", "GET /missing-page", "one record", "Shutting down"):
        assert printed.count(line) == 1, printed

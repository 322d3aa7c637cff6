"""Debian's Chromium, launched through Playwright the same way by the tests and the tasks."""

import shutil
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Root in a container has no sandbox to offer; the rest keeps Chromium off the network and quiet.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]
MISSING = (
    f"{CHROMIUM} is missing: install Debian's chromium and chromium-driver "
    "(`apt-get install chromium chromium-driver fonts-noto-core`, as root), or run `make test`, which does"
)


def chromium_path() -> Path | None:
    """Return Debian's Chromium if it is installed."""
    return CHROMIUM if CHROMIUM.is_file() or shutil.which(str(CHROMIUM)) else None

"""Helpers shared by the discovery tests: small content trees, real Pagefind searches in Node."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

SEARCH_RUNNER = Path(__file__).resolve().parent / "search_run.mjs"


def content_has_stories() -> bool:
    """Tell whether content/ (the real sample content) has stories to build."""
    return any(any((ROOT / "content" / section).rglob("*.md")) for section in ("news", "events"))


def write_story(content: Path, folder: str, lang: str, text: str) -> None:
    """Write content/<folder>/<lang>.md (text is the header, a blank line and the body)."""
    path = content / folder / f"{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.strip() + "\n", encoding="utf-8")


def run_search(site: Path, lang: str, *queries: str) -> dict:
    """Search a built site as its /{lang}/search/ page does (Pagefind and search-core.js in Node)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run real Pagefind searches; `make test` installs it")
    done = subprocess.run(
        [node, str(SEARCH_RUNNER), str(site), lang, *queries],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)

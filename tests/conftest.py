"""Build small sites once per session and give tests an HTML view of them."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings
from PIL import Image

from tools.chromium import LAUNCH_ARGS, MISSING, chromium_path
from tools.localsite import production_headers, serve

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixture_site"
# The tests read the editors' messages in English, whatever the machine's locale; a test of another
# language asks for it (l10n.messages.use_language, or LANG with LANGUAGE removed for a subprocess).
os.environ["LANGUAGE"] = "en"
# "Now" for fixture builds, so that what is upcoming never depends on the day the tests run.
FIXTURE_NOW = "2026-12-01 09:00"


def build(content: Path, output: Path, settings_file: Path = ROOT / "pelicanconf.py", **overrides) -> None:
    """Build content into output in this process, as `pelican content -s settings -o output` would.

    Picture derivatives are cached beside the content (builds of the same content share them)
    unless PICTURES_CACHE_PATH is given.
    """
    overrides.setdefault("PICTURES_CACHE_PATH", str(Path(content).parent / "picture-cache"))
    settings = read_settings(
        str(settings_file), override={"PATH": str(content), "OUTPUT_PATH": str(output), **overrides}
    )
    Pelican(settings).run()


def pelican_argv(content: Path, output: Path, *extra: str) -> list[str]:
    """The plain `pelican` command line for content, as an editor or CI would type it."""
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(output),
        *extra,
    ]


# rich wraps long log lines at the terminal width
COMMAND_ENVIRONMENT = {"COLUMNS": "400"}


def pelican_command(
    content: Path, output: Path, *extra: str, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run the plain `pelican` command on content, as an editor or CI would, and capture what it says."""
    return subprocess.run(
        pelican_argv(content, output, *extra),
        capture_output=True,
        text=True,
        cwd=cwd or content.parent,
        env={**os.environ, **COMMAND_ENVIRONMENT},
    )


def copy_fixture_site(content: Path) -> Path:
    """Copy the fixture site, with its pictures, to content; return content."""
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    return content


def add_fixture_pictures(content: Path) -> None:
    """Give the fixture's library, fair and botanical garden stories the pictures they reference."""
    folder = content / "news/2024/2024-02-10-city-library"
    Image.new("RGB", (1200, 800), (30, 90, 120)).save(folder / "hall.jpg", quality=80)
    Image.new("RGBA", (400, 300), (200, 120, 40, 180)).save(folder / "shelves.png")
    fair = content / "events/2026/2026-11-20-new-year-fair"
    Image.new("RGB", (900, 600), (150, 40, 50)).save(fair / "fair.jpg", quality=80)
    garden = content / "news/2025/2025-07-15-botanical-garden"
    for name, size, colour in (
        ("roses.jpg", (1200, 800), (200, 60, 90)),
        ("white.jpg", (900, 600), (235, 235, 225)),
        ("red.jpg", (600, 900), (180, 20, 30)),
        ("yellow.jpg", (900, 600), (230, 200, 40)),
        ("gardener.jpg", (900, 600), (40, 120, 60)),
    ):
        Image.new("RGB", size, colour).save(garden / name, quality=80)


@dataclass
class Site:
    """A built site: read pages by URL path ('/ru/news/…/'), parsed with BeautifulSoup."""

    root: Path

    def file(self, url: str) -> Path:
        path = self.root / url.lstrip("/")
        return path / "index.html" if url.endswith("/") or url == "" else path

    def exists(self, url: str) -> bool:
        return self.file(url).is_file()

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.file(url).read_text(encoding="utf-8"), "html.parser")

    def urls(self) -> list[str]:
        """Every HTML page, as the URL path a reader would open."""
        found = []
        for path in sorted(self.root.rglob("index.html")):
            folder = path.parent.relative_to(self.root).as_posix()
            found.append("/" if folder == "." else f"/{folder}/")
        return found

    def story_urls(self, lang: str) -> list[str]:
        """URLs of the story pages of one language."""
        story = re.compile(rf"/{lang}/(news|events)/\d{{4}}/\d{{2}}/[a-z0-9-]+/")
        return [u for u in self.urls() if story.fullmatch(u)]


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Site:
    """The tiny fixture site in tests/fixture_site, built once."""
    content = tmp_path_factory.mktemp("fixture") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    output = content.parent / "output"
    build(content, output, EVENTS_NOW=FIXTURE_NOW)
    return Site(output)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Site:
    """The real sample content in content/, built once."""
    output = tmp_path_factory.mktemp("sample") / "output"
    build(ROOT / "content", output, PICTURES_CACHE_PATH=str(output.parent / "picture-cache"))
    return Site(output)


@pytest.fixture(scope="session")
def sample_server(sample_site) -> str:
    """The sample site served on a free loopback port with the production security headers; its base URL.

    Under the production Content-Security-Policy, an inline script or style is a console error.
    """
    nginx_conf = ROOT / "deploy" / "nginx.conf"
    headers = production_headers(nginx_conf) if nginx_conf.is_file() else {}
    with serve(sample_site.root, headers) as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole run (a fresh profile, no downloaded browser)."""
    path = chromium_path()
    if path is None:
        pytest.fail(MISSING, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def pytest_collection_modifyitems(config, items):
    """Mark every test that launches Chromium `browser`, wherever it lives (the fast loop leaves them out)."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# What the browser tests learn besides pass or fail, printed after the run (see browsing.py).
REPORT = pytest.StashKey[dict[str, dict[str, list[str]]]]()


def pytest_configure(config) -> None:
    config.stash[REPORT] = {}


def note(config, title: str, key: str, line: str) -> None:
    """Keep one line under title and key for the summary printed after the run."""
    config.stash[REPORT].setdefault(title, {}).setdefault(key, []).append(line)


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Print what axe could not decide and the page weights, for the maintainers' notes."""
    for title, entries in sorted(config.stash[REPORT].items()):
        terminalreporter.section(title, sep="-")
        for key, lines in sorted(entries.items()):
            terminalreporter.write_line(f"{key}: {', '.join(sorted(set(lines)))}")

"""Editor and maintainer tasks: `invoke --list` shows them."""

import shutil
import sys
from pathlib import Path

from invoke import task
from pelican import main as pelican_main

ROOT = Path(__file__).resolve().parent
CONFIG = {
    "content": ROOT / "content",
    "output": ROOT / "output",
    "settings_dev": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "theme": ROOT / "theme",
    "catalogs": ROOT / "theme" / "translations",
    "languages": ("ru", "kk"),
    "host": "127.0.0.1",
    "port": 8000,
}


def pelican_run(*args: str) -> None:
    """Run Pelican in this process, as the `pelican` command would."""
    pelican_main([str(CONFIG["content"]), "-o", str(CONFIG["output"]), *args])


@task
def build(c):
    """Build the site into output/ with the development settings."""
    pelican_run("-s", str(CONFIG["settings_dev"]))


@task
def publish(c):
    """Build the site into output/ with the production settings (publishconf.py)."""
    pelican_run("-s", str(CONFIG["settings_publish"]))


@task
def clean(c):
    """Remove output/."""
    shutil.rmtree(CONFIG["output"], ignore_errors=True)


@task
def serve(c):
    """Serve output/ on http://127.0.0.1:8000/."""
    pelican_run(
        "-s", str(CONFIG["settings_dev"]), "--listen", "--bind", CONFIG["host"], "--port", str(CONFIG["port"])
    )


@task
def links(c):
    """Check output/: every internal link, picture and asset resolves, every page has one <h1>."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from discovery.links import check_site

    problems = check_site(CONFIG["output"])
    for problem in problems:
        print(problem)
    if problems:
        raise SystemExit(f"{len(problems)} broken link(s) or heading problem(s) in {CONFIG['output']}")
    print(f"All links in {CONFIG['output']} resolve.")


@task
def lint(c):
    """Check the Python code with ruff (lint rules and formatting)."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")


@task(pre=[lint])
def test(c):
    """Lint, then run the whole test suite."""
    c.run(f"{sys.executable} -m pytest")


@task(name="translations-extract")
def translations_extract(c):
    """Collect the theme's interface strings into theme/translations/messages.pot."""
    c.run(
        f"{sys.executable} -m babel.messages.frontend extract --no-location --sort-output "
        f"--omit-header -k _ -k ngettext:1,2 -k plural_forms:1,2 -F {CONFIG['theme'] / 'babel.cfg'} "
        f"-o {CONFIG['catalogs'] / 'messages.pot'} {CONFIG['theme']}"
    )


@task(name="translations-update", pre=[translations_extract])
def translations_update(c):
    """Merge new interface strings into the ru and kk catalogs, to be translated by hand."""
    for lang in CONFIG["languages"]:
        c.run(
            f"{sys.executable} -m babel.messages.frontend update --no-fuzzy-matching "
            f"-i {CONFIG['catalogs'] / 'messages.pot'} -d {CONFIG['catalogs']} -l {lang}"
        )

"""Editor and maintainer tasks: `invoke --list` shows them."""

import functools
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup
from invoke import Exit, task
from pelican import main as pelican_main
from pelican.settings import get_settings_from_file

from tools import localsite
from tools.chromium import CHROMIUM, LAUNCH_ARGS, MISSING, chromium_path

ROOT = Path(__file__).resolve().parent
for folder in (ROOT, ROOT / "plugins"):  # our plugins' pure helpers, and the publishing package
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from content_format.checks.tree import shown  # noqa: E402
from editing.check import check_folder  # noqa: E402
from editing.new_story import NotCreatedError, new_story  # noqa: E402
from editing.serve import PortInUseError, serve_and_rebuild, serve_site  # noqa: E402
from l10n.messages import _, ngettext, use_language_of  # noqa: E402
from publishing.deploy import DeployError, parse_target  # noqa: E402
from publishing.publish import publish as publish_site  # noqa: E402

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
    # Where `invoke publish` deploys when --target is not given (see README).
    "publish_target": os.environ.get("PUBLISH_TARGET", ""),
    "bench_pictures": ROOT / "cache" / "bench-pictures",
    "screens": ROOT / "output.screens",
    "lighthouse": ROOT / "node_modules" / ".bin" / "lighthouse",
    "lighthouse_categories": ("performance", "accessibility", "best-practices", "seo"),
}
SCREEN_SIZES = {"phone": (360, 740), "desktop": (1366, 900)}


def pelican_run(*args: str) -> None:
    """Run Pelican in this process, as the `pelican` command would."""
    pelican_main([str(CONFIG["content"]), "-o", str(CONFIG["output"]), *args])


def use_language_of_settings_file(settings_file: Path = CONFIG["settings_dev"]) -> None:
    """Print this task's messages in the settings' EDITOR_LANGUAGE, else in the environment's."""
    # The settings file alone, without Pelican's processing of it: `invoke new` stays quick.
    use_language_of(get_settings_from_file(str(settings_file)))


@task
def build(c):
    """Build the site into output/ with the development settings (output/ is replaced only on success)."""
    pelican_run("-s", str(CONFIG["settings_dev"]))


@task
def check(c, content=""):
    """Check all content; print one `file:line: message` per problem; fail on errors."""
    report = check_folder(Path(content or CONFIG["content"]), CONFIG["settings_dev"])
    for line in report.lines():
        print(line)
    if report.errors:
        raise Exit(code=1)


@task(
    help={
        "section": "news or events",
        "date": "publication day, YYYY-MM-DD (default: today in Almaty)",
        "slug": "Latin address part, e.g. new-tram-route (default: made from the title)",
        "title_ru": "headline in Russian",
        "title_kk": "headline in Kazakh",
    }
)
def new(c, section="", date="", slug="", title_ru="", title_kk="", content=""):
    """Start a story: make its folder with ru.md and kk.md listing every key, as a draft that builds."""
    use_language_of_settings_file()
    try:
        new_story(Path(content or CONFIG["content"]), section, date, slug, {"ru": title_ru, "kk": title_kk})
    except NotCreatedError as refusal:
        raise Exit(str(refusal), 1) from None


@task(help={"target": "git:<path-or-url>#<branch> or rsync:<folder-or-host:path> (default: $PUBLISH_TARGET)"})
def publish(c, target="", content="", output=""):
    """Build with publishconf.py, verify the output, then deploy it (only if every step passed)."""
    use_language_of_settings_file(CONFIG["settings_publish"])
    spec = target or CONFIG["publish_target"]
    try:
        parsed = parse_target(spec) if spec else None
    except DeployError as error:
        raise Exit(str(error), 1) from None
    status = publish_site(
        Path(content or CONFIG["content"]),
        Path(output or CONFIG["output"]),
        CONFIG["settings_publish"],
        parsed,
    )
    if status:
        raise Exit(code=status)


@task
def clean(c):
    """Remove output/."""
    shutil.rmtree(CONFIG["output"], ignore_errors=True)


@task(pre=[build])
def serve(c):
    """Build, then serve output/ on http://127.0.0.1:8000/ as the host does (404.html for a missing page)."""
    try:
        serve_site(CONFIG["output"], ROOT / "deploy" / "nginx.conf", CONFIG["host"], CONFIG["port"])
    except PortInUseError as busy:
        raise Exit(busy.args[0], 1) from None


@task
def links(c):
    """Check output/: every internal link, picture and asset resolves, every page has one <h1>."""
    from publishing.links import check_site

    use_language_of_settings_file()
    problems = check_site(CONFIG["output"])
    for problem in problems:
        print(problem)
    folder = shown(CONFIG["output"])
    if problems:
        count = len(problems)
        raise Exit(
            str(
                ngettext(
                    "{count} broken link or heading problem in {folder}",
                    "{count} broken links or heading problems in {folder}",
                    count,
                    folder=folder,
                )
            ),
            1,
        )
    print(_("All links in {folder} resolve.", folder=folder))


@task(name="bench-pictures")
def bench_pictures(c, count=50, size="4000x3000", stages="cold,warm,naive,naive-one"):
    """Time the picture pipeline, cold and warm, against a naive Pillow loop (not part of `make test`)."""
    from bench.pictures import main as bench

    bench(
        ["--count", str(count), "--size", size, "--pool", str(CONFIG["bench_pictures"]), "--stages", stages]
    )


@task
def livereload(c):
    """Serve the site on http://127.0.0.1:8000/, rebuild on every save and refresh the browser."""
    watched = [
        ROOT / pattern for pattern in ("content/**/*", "theme/**/*", "pelicanconf.py", "plugins/**/*.py")
    ]
    build = functools.partial(pelican_run, "-s", str(CONFIG["settings_dev"]))
    serve_and_rebuild(build, watched, CONFIG["output"], CONFIG["host"], CONFIG["port"])


@task
def lint(c):
    """Check the Python code with ruff (lint rules and formatting)."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")


@task(pre=[lint])
def test(c):
    """Lint, then run the whole test suite."""
    c.run(f"{sys.executable} -m pytest")


@task(name="test-fast")
def test_fast(c):
    """Run the tests that need no browser and no whole system (nginx, make, rehearsals): the inner loop."""
    c.run(f'{sys.executable} -m pytest -m "not browser and not system" -q')


@task(name="translations-extract")
def translations_extract(c):
    """Collect the interface strings of the theme (and the pictures' credit prefix) into messages.pot."""
    c.run(
        f"{sys.executable} -m babel.messages.frontend extract --no-location --sort-output "
        f"--omit-header -k _ -k ngettext:1,2 -k plural_forms:1,2 -k interface_text "
        f"-F {CONFIG['theme'] / 'babel.cfg'} -o {CONFIG['catalogs'] / 'messages.pot'} "
        f"{CONFIG['theme']} {ROOT / 'plugins' / 'pictures' / 'credits.py'}"
    )


@task(name="translations-update", pre=[translations_extract])
def translations_update(c):
    """Merge new interface strings into the ru and kk catalogs, to be translated by hand."""
    for lang in CONFIG["languages"]:
        c.run(
            f"{sys.executable} -m babel.messages.frontend update --no-fuzzy-matching "
            f"-i {CONFIG['catalogs'] / 'messages.pot'} -d {CONFIG['catalogs']} -l {lang}"
        )


EDITOR_CATALOG_HEADER = """\
# {name} translations of the messages editors read (content errors, warnings, task output).
# `invoke editor-messages` adds new entries here, empty: translate them by hand.
msgid ""
msgstr ""
"Language: {lang}\\n"
"Plural-Forms: {plural_forms}\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""


@task(name="editor-messages")
def editor_messages(c):
    """Collect the messages editors read (plugins, publishing, editing, tasks) into the ru and kk catalogs.

    New entries come out empty, to be translated by hand; entries no code uses any more are dropped.
    The catalogs have a fixed header, so that they change only where a message does.
    """
    from babel import Locale
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    catalogs = ROOT / "plugins" / "l10n" / "editor"
    template_path = catalogs / "editor.pot"
    sources = " ".join(str(ROOT / name) for name in ("plugins", "publishing", "editing", "tasks.py"))
    c.run(
        f"{sys.executable} -m babel.messages.frontend extract --no-location --sort-output --omit-header "
        f"--no-default-keywords -k _ -k ngettext:1,2 --ignore-dirs='__pycache__' "
        f"-F {catalogs / 'babel.cfg'} -o {template_path} {sources}",
        hide="both",
    )
    with template_path.open("rb") as file:
        template = read_po(file)
    for lang in CONFIG["languages"]:
        path = catalogs / lang / "LC_MESSAGES" / "editor.po"
        catalog = Catalog(locale=lang)
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            locale = Locale.parse(lang)
            header = EDITOR_CATALOG_HEADER.format(
                name=locale.get_display_name("en"), lang=lang, plural_forms=catalog.plural_forms
            )
            file.write(header.encode("utf-8"))
            write_po(file, catalog, width=100, omit_header=True, sort_output=True)
        untranslated = [
            m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
        ]
        print(f"{path.relative_to(ROOT)}: {len(untranslated)} message(s) to translate")


@contextmanager
def served_build(settings: Path) -> Iterator[tuple[str, Path]]:
    """Build the content with absolute URLs for a local server, serve it, yield (base URL, output)."""
    production = localsite.production_headers(ROOT / "deploy" / "nginx.conf")
    with tempfile.TemporaryDirectory(prefix="almaty-") as tmp, localsite.serve(Path(tmp), production) as base:
        site_url = f"SITEURL={json.dumps(base)}"
        pelican_main([str(CONFIG["content"]), "-o", tmp, "-s", str(settings), "-q", "-e", site_url])
        yield base, Path(tmp)


def story_pair(output: Path, base: str) -> dict[str, str]:
    """URLs of the newest story that has a picture and both languages, per language."""
    home = BeautifulSoup((output / "ru" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for link in home.select(".card__title a"):
        story = link["href"]
        html = (output / story.removeprefix(base + "/") / "index.html").read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        kazakh = page.select_one('.language-switch a[hreflang="kk"]')["href"]
        if page.select("main img") and kazakh.rstrip("/").count("/") > 4:
            return {"ru": story, "kk": kazakh}
    sys.exit("no story with a picture in both languages in content/")


def require_chromium() -> None:
    if chromium_path() is None:
        sys.exit(MISSING)


@task
def screenshots(c):
    """Photograph the home and a story page: phone and desktop, ru and kk, normal and low-vision."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    CONFIG["screens"].mkdir(exist_ok=True)
    with served_build(CONFIG["settings_dev"]) as (base, output), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        stories = story_pair(output, base)
        for mode in ("normal", "low-vision"):
            for size, (width, height) in SCREEN_SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                if mode == "low-vision":
                    context.add_init_script("window.localStorage.setItem('almaty.lowVision', '1')")
                page = context.new_page()
                for lang in CONFIG["languages"]:
                    for name, url in (("home", f"{base}/{lang}/"), ("story", stories[lang])):
                        page.goto(url, wait_until="networkidle")
                        shot = CONFIG["screens"] / f"{name}-{lang}-{size}-{mode}.png"
                        page.screenshot(path=str(shot))
                        print(shot.relative_to(ROOT))
                context.close()
        browser.close()


def npm_tools(c) -> None:
    """Install the pinned Node tools (package-lock.json) unless node_modules already matches it."""
    installed = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    # `make test` installs only the tests' tools (npm ci --omit=dev), without Lighthouse.
    stale = not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime
    if stale or not CONFIG["lighthouse"].exists():
        c.run("npm ci --no-audit --no-fund", echo=True)


@task
def lighthouse(c):
    """Score the home page and a story, ru and kk, with Lighthouse on mobile settings in Debian's Chromium."""
    require_chromium()
    npm_tools(c)
    categories = CONFIG["lighthouse_categories"]
    rows = []
    with served_build(CONFIG["settings_publish"]) as (base, output):
        stories = story_pair(output, base)
        pages = {f"home {lang}": f"{base}/{lang}/" for lang in CONFIG["languages"]}
        pages |= {f"story {lang}": url for lang, url in stories.items()}
        for name, url in pages.items():
            result = c.run(
                f"{CONFIG['lighthouse']} {url} --quiet --output=json --output-path=stdout "
                f"--form-factor=mobile --only-categories={','.join(categories)} "
                f"--chrome-flags='--headless=new {' '.join(LAUNCH_ARGS)}'",
                env={"CHROME_PATH": str(CHROMIUM)},
                hide="out",
            )
            report = json.loads(result.stdout)
            scores = [round(report["categories"][key]["score"] * 100) for key in categories]
            rows.append((name, url.removeprefix(base), scores))
            for key in categories:
                for ref in report["categories"][key]["auditRefs"]:
                    audit = report["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        print(f"  {name}: {key}: {audit['id']} ({audit['score']}) {audit['title']}")
    print(f"\n{'page':<10} {'url':<48} " + " ".join(f"{k[:14]:>14}" for k in categories))
    for name, url, scores in rows:
        print(f"{name:<10} {url:<48} " + " ".join(f"{score:>14}" for score in scores))
    print(f"(Lighthouse 12.2.3, mobile, simulated throttling; {os.cpu_count()} cores, shared)")


@task(help={"stories": "how many stories (default 1000)", "out": "folder to write (must not exist yet)"})
def corpus(c, stories=1000, out="corpus", pictures=None, seed=2026):
    """Write a synthetic archive in the content format (bench/corpus.py) for benchmarks."""
    from bench.corpus import write_corpus

    target = Path(out)
    if target.exists() and any(target.iterdir()):
        sys.exit(f"{target}: the folder is not empty; pick a new one")
    planned = write_corpus(target, int(stories), None if pictures is None else int(pictures), int(seed))
    files = sum(len(story.texts) for story in planned)
    print(f"{target}: {len(planned)} stories, {files} story files")


def _numbers(text: str) -> list[int]:
    return [int(n) for n in str(text).split(",") if n.strip()]


@task(
    help={
        "sizes": "comma-separated story counts (default 1000,5000)",
        "runs": "runs per build, the median is shown (default 3)",
        "pictures": "off, on or off,on (default off,on)",
        "skip-baseline": "time our build only, not stock Pelican",
        "workdir": "where corpora and outputs go (default bench/.work/)",
        "json": "also write the results to this JSON file",
    }
)
def bench(c, sizes="1000,5000", runs=3, pictures="off,on", skip_baseline=False, workdir=None, json=None):
    """Time cold, no-change, edit-one and add-one builds, ours against stock Pelican 4.12."""
    from bench.bench import BenchError, run_bench

    settings = {"off": False, "on": True}
    chosen = tuple(settings[p.strip()] for p in pictures.split(","))
    try:
        run_bench(_numbers(sizes), int(runs), chosen, not skip_baseline, workdir, json)
    except BenchError as error:
        sys.exit(str(error))


@task(
    help={
        "stories": "archive size (default 1000)",
        "out": "where to write the profile (default bench/.work/)",
    }
)
def profile(c, stories=1000, out=None):
    """Profile a cold build of the synthetic archive with pyinstrument; print the call tree."""
    from bench.bench import profile_build

    profile_build(int(stories), Path(out) if out else None)


@task(
    help={
        "path": "code (make test first) or content (the content checks first)",
        "target": "git:<path-or-url>#<branch> or rsync:<folder-or-host:path>, where the site goes live",
        "state": "folder standing for GitHub's caches between rehearsals (default .rehearsal/)",
        "cold": "empty the caches first, as after a change of plugins, theme or requirements",
        "content": "a content folder to use instead of content/ (e.g. a corpus from `invoke corpus`)",
        "pytest-args": "a reduced `make test`: pytest arguments (PYTEST_ADDOPTS), e.g. tests/test_layout.py",
    }
)
def rehearse(c, path, target, state="", cold=False, content="", pytest_args=""):
    """Run the workflow's steps here, in order and with its variables, deploying to a local target."""
    from publishing.rehearsal import Rehearsal, RehearsalError, timing_table

    if path not in ("code", "content"):
        raise Exit(f"--path is '{path}': write --path code or --path content", 1)
    try:
        parsed = parse_target(target)
    except DeployError as error:
        raise Exit(str(error), 1) from None
    folder = Path(state or ROOT / ".rehearsal")
    if cold:
        # As after a change of the build code: no cache/ to restore (the record of the live site stays).
        for entry in (folder / "caches").glob("site-cache-*"):
            shutil.rmtree(entry)
    rehearsal = Rehearsal(path, parsed, folder, Path(content) if content else None, pytest_args=pytest_args)
    try:
        times = rehearsal.run()
    except RehearsalError as error:
        raise Exit(f"Rehearsal stopped: {error}", 1) from None
    print(timing_table(times))

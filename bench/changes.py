"""Count the files of output/ that one added story of the day changes: what a deploy then uploads.

`changed_files(before, after)` compares two output trees byte for byte, leaving out the search
index (`pagefind*/`, whose shards change by design). `files_changed_by_a_story(stories, workdir)`
builds a synthetic archive cold, adds a news story with four tags (both languages), rebuilds,
then adds an event (both languages) and rebuilds again, and returns the files each addition
changed. Run it as `.venv/bin/python -m bench.changes 1000` (sizes, optional `--per-page P`).
"""

import argparse
import datetime as dt
import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .corpus import LAST_DAY, VOCABULARY, Story, make_story, write_corpus, write_story

ROOT = Path(__file__).resolve().parent.parent
EXCLUDED = "pagefind"  # top-level folders of the search index: pagefind/, pagefind-ru-2025/, …
FOUR_TAGS = (0, 1, 2, 3)  # indices into the corpus's parallel tag lists
# The site is built on the day the story is added: events announced that day are upcoming.
BUILT_AT = dt.datetime.combine(LAST_DAY, dt.time(23, 30))


def files_of(root: Path) -> set[str]:
    """Every file under root, as a relative path, outside the search index."""
    found = set()
    for folder, _, names in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        if relative.split("/")[0].startswith(EXCLUDED):
            continue
        found.update(names if relative == "." else (f"{relative}/{name}" for name in names))
    return found


def changed_files(before: Path, after: Path) -> list[str]:
    """Return the files new, gone or different in after, compared by bytes (search index left out)."""
    old, new = files_of(Path(before)), files_of(Path(after))
    differing = {
        name for name in old & new if not filecmp.cmp(Path(before) / name, Path(after) / name, shallow=False)
    }
    return sorted((old ^ new) | differing)


def story_of_the_day(number: int, section: str, seed: int = 2026) -> Story:
    """A story in both languages published on the archive's last day: an event, or news with four tags."""
    index = 2_000_000 + number
    while True:
        story = make_story(index, 1, seed, 0, day=LAST_DAY)
        if story.section == section and set(story.texts) == {"ru", "kk"}:
            break
        index += 1_000
    story.slug = f"story-of-the-day-{number}"
    if section == "news":
        for lang, text in story.texts.items():
            tags = ", ".join(VOCABULARY[lang]["tags"][i] for i in FOUR_TAGS)
            lines = [f"Tags: {tags}" if line.startswith("Tags: ") else line for line in text.split("\n")]
            story.texts[lang] = "\n".join(lines)
    return story


def build(content: Path, output: Path, cache: Path, *overrides: str) -> None:
    """Build as an editor does: `python -m pelican CONTENT -s pelicanconf.py -o OUT`, in a new process."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py")]
    command += ["-o", str(output), "--cache-path", str(cache), "-q"]
    command += ["-e", f"PICTURES_CACHE_PATH={json.dumps(str(cache / 'pictures'))}", *overrides]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"build failed:\n{result.stdout}{result.stderr}")


def files_changed_by_a_story(
    stories: int, workdir: Path, per_page: int | None = None, seed: int = 2026
) -> dict[str, list[str]]:
    """Build an archive of `stories` cold, add a news story, rebuild, add an event, rebuild: files changed."""
    workdir = Path(workdir)
    content, output, cache = workdir / "content", workdir / "output", workdir / "cache"
    for folder in (content, output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    write_corpus(content, stories=stories, pictures=0, seed=seed)
    overrides = [f"EVENTS_NOW={json.dumps(BUILT_AT.strftime('%Y-%m-%d %H:%M'))}"]
    if per_page:
        overrides.append(f"DEFAULT_PAGINATION={per_page}")
    build(content, output, cache, *overrides)
    changed = {}
    for number, (kind, section) in enumerate((("news story with four tags", "news"), ("event", "events")), 1):
        before = workdir / "before"
        shutil.rmtree(before, ignore_errors=True)
        shutil.copytree(output, before)
        write_story(content, story_of_the_day(number, section, seed), [])
        build(content, output, cache, *overrides)
        changed[kind] = changed_files(before, output)
        shutil.rmtree(before)
    return changed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int, help="stories in the archive")
    parser.add_argument("--per-page", type=int, default=None, help="DEFAULT_PAGINATION (default: the site's)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work" / "changes")
    parser.add_argument("--list", action="store_true", help="print every changed file")
    options = parser.parse_args(argv)
    for stories in options.sizes:
        result = files_changed_by_a_story(stories, options.workdir / str(stories), options.per_page)
        for kind, files in result.items():
            print(f"{stories} stories, one {kind} added: {len(files)} files changed", flush=True)
            if options.list:
                print("".join(f"  {name}\n" for name in files), end="")


if __name__ == "__main__":
    main()

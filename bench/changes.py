"""Which files of a built site one change rewrites: what a deploy of that change uploads.

`changed_files(before, after)` compares two output trees by their bytes, leaving out Pagefind's index
(any folder named `pagefind*`, whose shards change with every story by design); `snapshot` copies a
tree to compare with the next build's (`invoke bench` uses both). `files_changed_by_a_story(stories,
workdir)` builds a synthetic archive cold, adds a news story with four tags (both languages),
rebuilds, then adds an event (both languages) and rebuilds again, and returns the files each addition
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
from collections.abc import Iterator
from pathlib import Path

from .corpus import LAST_DAY, VOCABULARY, Story, make_story, write_corpus, write_story

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDER = "pagefind"  # a prefix: pagefind/, pagefind-ui/ …
FOUR_TAGS = (0, 1, 2, 3)  # indices into the corpus's parallel tag lists
# The site is built on the day the story is added: events announced that day are upcoming.
BUILT_AT = dt.datetime.combine(LAST_DAY, dt.time(23, 30))


def _files(root: Path) -> Iterator[str]:
    """Every regular file under root, as a POSIX path relative to it, outside Pagefind's folders."""
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(SKIPPED_FOLDER))
        for name in names:
            path = Path(folder) / name
            if path.is_file():
                yield path.relative_to(root).as_posix()


def changed_files(before: Path, after: Path) -> list[str]:
    """Return the files added, removed or changed (by bytes) from one output tree to another, sorted.

    Paths are relative to the trees' roots; Pagefind's index folders (`pagefind*`) are left out.
    """
    old, new = set(_files(before)), set(_files(after))
    changed = old ^ new
    for name in old & new:
        if not filecmp.cmp(before / name, after / name, shallow=False):
            changed.add(name)
    return sorted(changed)


def snapshot(output: Path, target: Path) -> Path:
    """Copy an output tree (outside Pagefind's folders) to compare it with the next build's.

    A copy, not hard links: stock Pelican rewrites files in place, which would change a link too.
    """

    def pagefind(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n.startswith(SKIPPED_FOLDER) and (Path(folder) / n).is_dir()]

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(output, target, ignore=pagefind)
    return target


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
        before = snapshot(output, workdir / "before")
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

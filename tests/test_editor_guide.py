"""Hold the editor's guides (docs/editors/) to the checks, and the docs to links inside the repository."""

import functools
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PIL import Image

from content_format.checks import check_content
from content_format.checks.header import known_keys
from content_format.layout import Source
from l10n.messages import catalog_path, translations

ROOT = Path(__file__).resolve().parent.parent
GUIDES = {lang: ROOT / "docs" / "editors" / f"{lang}.md" for lang in ("ru", "kk")}
# Where each kind of file may live; known_keys() gives the keys the header check accepts there.
PLACES = {
    "news": Source("news", "example", "ru", "news/2026/2026-01-01-example"),
    "events": Source("events", "example", "ru", "events/2026/2026-01-01-example"),
    "pages": Source("pages", "example", "ru", "pages/example"),
}
ACCEPTED = {key for source in PLACES.values() for key in known_keys(source)}
PAGE_KEYS = set(known_keys(PLACES["pages"]))
EVENT_KEYS = set(known_keys(PLACES["events"])) - set(known_keys(PLACES["news"]))

_FENCE = re.compile(r"^```(?P<info>\S*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^(?P<marks>#{1,6}) ", re.MULTILINE)
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+):")
_KEY_ROW = re.compile(r"^\| `(?P<key>[A-Za-z_]+)` \|", re.MULTILINE)
_PICTURE = re.compile(r"!\[[^\]]*\]\((?P<name>[^)\s]+)")
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)")
# A code span (one or more backticks, the same number closing it), as Markdown reads it.
_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)", re.DOTALL)


def guide(lang: str) -> str:
    return GUIDES[lang].read_text(encoding="utf-8")


def header_blocks(lang: str) -> list[str]:
    """Return the guide's Markdown examples that start with a metadata line of a known key."""
    return [
        match["body"]
        for match in _FENCE.finditer(guide(lang))
        if match["info"] == "markdown"
        and (line := _HEADER_LINE.match(match["body"]))
        and line["key"].lower() in ACCEPTED
    ]


def sections(text: str) -> list[tuple[str, int, int, int]]:
    """Return each section's heading level and how many code blocks, table rows and list items it has."""
    outline = []
    for part in re.split(r"(?=^#{1,6} )", _FENCE.sub("```\n", text), flags=re.MULTILINE):
        heading = _HEADING.match(part)
        lines = part.splitlines()
        outline.append(
            (
                heading["marks"] if heading else "",
                part.count("```\n"),
                sum(line.startswith("|") for line in lines),
                sum(line.startswith("- ") for line in lines),
            )
        )
    return outline


@pytest.mark.parametrize("lang", GUIDES)
def test_every_key_the_header_check_accepts_is_in_the_guide_s_table(lang):
    documented = {key.lower() for key in _KEY_ROW.findall(guide(lang))}
    assert sorted(ACCEPTED - documented) == [], f"keys missing from docs/editors/{lang}.md"
    assert sorted(documented - ACCEPTED) == [], f"docs/editors/{lang}.md documents keys the checks refuse"


@pytest.mark.parametrize("lang", GUIDES)
def test_the_guide_shows_story_headers(lang):
    keys_shown = {
        _HEADER_LINE.match(line)["key"].lower()
        for block in header_blocks(lang)
        for line in block.splitlines()
        if _HEADER_LINE.match(line)
    }
    # Each key an editor may write appears in at least one example that the next test builds.
    assert sorted(ACCEPTED - keys_shown) == []


def story_files(block: str, tmp_path: Path) -> list[Path]:
    """Write an example as both language files of a story (and of a page, if a page may hold it)."""
    keys = {m["key"].lower() for line in block.splitlines() if (m := _HEADER_LINE.match(line))}
    text = block if "title" in keys else f"Title: Пример\n{block}"
    if "\n\n" not in text.rstrip("\n"):  # a header alone: the checks ask for a text
        text = f"{text.rstrip()}\n\nТекст.\n"
    date = re.search(r"^Date: (\d{4}-\d{2}-\d{2})", text, re.MULTILINE)
    day = date[1] if date else "2026-01-01"
    section = "events" if keys & EVENT_KEYS else "news"
    folders = [tmp_path / section / day[:4] / f"{day}-example"]
    if keys <= PAGE_KEYS:
        folders.append(tmp_path / "pages" / "example")
    files = []
    for folder in folders:
        folder.mkdir(parents=True)
        image = re.search(r"^Image: (.+)$", text, re.MULTILINE)
        for name in [*([image[1]] if image else []), *_PICTURE.findall(text)]:
            Image.new("RGB", (8, 8), (90, 120, 150)).save(folder / name, "JPEG")
        for lang in GUIDES:
            (folder / f"{lang}.md").write_text(text, encoding="utf-8")
            files.append(folder / f"{lang}.md")
    return files


@pytest.mark.parametrize(
    ("lang", "index"), [(lang, index) for lang in GUIDES for index in range(len(header_blocks(lang)))]
)
def test_every_story_header_in_the_guide_passes_the_real_checks(lang, index, tmp_path):
    block = header_blocks(lang)[index]
    story_files(block, tmp_path)
    report = check_content(tmp_path)
    assert [str(problem) for problem in report.problems] == [], f"example {index + 1} of {lang}.md:\n{block}"


def test_a_header_with_a_mistake_fails_the_same_way(tmp_path):
    """The example checker is not blind: a wrong date in a guide's example would fail it."""
    example = next(block for block in header_blocks("ru") if "Date: 2026-11-27" in block)
    block = example.replace("Date: 2026-11-27", "Date: 2026-11-31", 1)
    story_files(block, tmp_path)
    assert check_content(tmp_path).errors


def test_the_two_guides_have_the_same_sections():
    ru, kk = sections(guide("ru")), sections(guide("kk"))
    assert [s[0] for s in ru] == [s[0] for s in kk], "the heading levels differ"
    assert ru == kk, "a section has a different number of examples, table rows or list items"


def test_the_guides_link_each_other():
    assert "](kk.md)" in guide("ru")
    assert "](ru.md)" in guide("kk")


def documentation() -> list[Path]:
    skipped = {".venv", "node_modules", ".git", "output", "cache"}
    readmes = [path for path in ROOT.rglob("README.md") if not skipped & set(path.relative_to(ROOT).parts)]
    return sorted({*readmes, *(ROOT / "docs").rglob("*.md")})


@pytest.mark.parametrize("document", documentation(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_in_the_documentation_lead_to_files_in_the_repository(document):
    prose = _SPAN.sub("", _FENCE.sub("", document.read_text(encoding="utf-8")))
    broken = []
    for target in _LINK.findall(prose):
        if re.match(r"[a-z][a-z0-9+.-]*:|#|/", target):
            continue  # another site, a place on this page, or an address on the built site
        path = (document.parent / target.split("#")[0]).resolve()
        if not path.exists() or not path.is_relative_to(ROOT):
            broken.append(target)
    assert broken == []


def test_nothing_in_the_repository_points_outside_it():
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.split(b"\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are not known")
    # Written in two pieces so that this file does not find itself.
    outside = ("../" + "shared", "/" + "work/")
    found = []
    for name in filter(None, tracked):
        path = ROOT / name.decode()
        if not path.is_file() or path.suffix in {".jpg", ".png", ".webp", ".gif", ".pdf"}:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        found += [f"{name.decode()}: {needle}" for needle in outside if needle in text]
    assert found == []


# What each message means: every message a guide quotes is one the checks and the build print.
MESSAGES_SECTION = {"ru": "## Что означает каждое сообщение", "kk": "## Әр хабар нені білдіреді"}
_FIELD = re.compile(r"\{\{|\}\}|\{(?P<name>\w+)\}")
# Fields whose values have a form of their own (a number, a key, a day, a file); the others match any text.
_VALUE = {
    "count": r"\d+",
    "line": r"\d+",
    "key": r"[A-Za-z_]+",
    "day": r"\S+",
    "today": r"\S+",
    "earliest": r"\S+",
    "place": r"\S+",  # a file and line
}
_PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?P<marker>[^:]+): (?P<text>.+)$")
# Words an editor reads (three or more lowercase Cyrillic words): a span holding them quotes a message.
_WORDS = re.compile(r"(?<![\w])[а-яёәіңғүұқөһ]{2,}(?![\w])")


@functools.cache
def catalog(lang: str) -> list[tuple[re.Pattern, str]]:
    """Return each translation of lang's editor catalog as a pattern (fields filled in) and its own words."""
    with catalog_path(lang).open("rb") as po:
        entries = [message for message in read_po(po, locale=lang) if message.id]
    patterns = []
    for message in entries:
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            parts, at, named = [], 0, set()
            for field in _FIELD.finditer(text):
                parts.append(re.escape(text[at : field.start()]))
                name = field["name"]
                if not name:  # a doubled brace is a brace
                    parts.append(re.escape(field.group()[0]))
                else:  # str.format gives a field the same value each time it comes; a count is a number
                    parts.append(
                        f"(?P={name})" if name in named else f"(?P<{name}>{_VALUE.get(name, '.+?')})"
                    )
                    named.add(name)
                at = field.end()
            parts.append(re.escape(text[at:]))
            patterns.append((re.compile("".join(parts), re.DOTALL), _FIELD.sub(" ", text)))
    return patterns


def catalog_words(text: str, lang: str, depth: int = 2) -> str | None:
    """Return the catalog's own words in text if it is one of its messages (fields filled in), else None.

    A field whose value reads as a sentence holds a message in its turn ('Сборка сайта остановлена:
    {error}', '{errors}, {warnings}.'), or a list of them ('Нет перевода: {counts}.'): it must be one,
    or a wrapper with a field would pass any text at all.
    """
    for pattern, words in catalog(lang):
        match = pattern.fullmatch(text)
        if not match:
            continue
        found = [words]
        for value in match.groupdict().values():
            if len(_WORDS.findall(value)) < 3 and re.search(r"[^\W\d_]", words):
                continue  # a value: a name, a date, a path
            parts = [value] if depth else []
            inner = next((w for part in parts if (w := catalog_words(part, lang, depth - 1))), None)
            if inner is None and "," in value and depth:
                pieces = [catalog_words(piece, lang, depth - 1) for piece in value.split(", ")]
                inner = " ".join(pieces) if all(pieces) else None
            if inner is None:
                break
            found.append(inner)
        else:
            return " ".join(found)
    return None


def quoted_messages(lang: str) -> list[str]:
    """Return every message the guide's message section quotes: code spans and lines of text blocks."""
    text = guide(lang)
    section = text[text.index(MESSAGES_SECTION[lang]) :]
    quoted = []
    for block in _FENCE.finditer(section):
        quoted += [line for line in block["body"].splitlines() if line.strip()]
    prose = _FENCE.sub("", section)
    for span in _SPAN.finditer(prose):
        code = re.sub(r"\s*\n\s*", " ", span["code"]).strip()
        if _PROBLEM_LINE.match(code) or len(_WORDS.findall(code)) >= 3:
            quoted.append(code)
    return quoted


def message_text(line: str, lang: str) -> str:
    """Return a quoted line's message, checking the marker of a `path:line: marker: text` line."""
    problem = _PROBLEM_LINE.match(line)
    if not problem:
        return line
    markers = {translations(lang).gettext("error"), translations(lang).gettext("warning")}
    assert problem["marker"] in markers, f"{line!r}: the marker in {lang} is one of {sorted(markers)}"
    return problem["text"]


@pytest.mark.parametrize("lang", GUIDES)
def test_every_message_the_guide_quotes_is_one_the_build_prints(lang):
    quoted = quoted_messages(lang)
    assert len(quoted) > 100, "the message section quotes the messages themselves"
    drifted = [line for line in quoted if catalog_words(message_text(line, lang), lang) is None]
    assert drifted == [], f"docs/editors/{lang}.md quotes messages the catalog does not have"


@pytest.mark.parametrize("lang", GUIDES)
def test_a_quoted_message_with_one_word_changed_is_caught(lang):
    """The message check is not blind: changing any one of a quoted message's own words fails it."""
    missed = []
    for line in quoted_messages(lang):
        text = message_text(line, lang)
        for word in set(_WORDS.findall(catalog_words(text, lang) or "")):
            changed = re.sub(rf"(?<![\w]){word}(?![\w])", f"{word}щ", text, count=1)
            if changed != text and catalog_words(changed, lang) is not None:
                missed.append((line, word))
    assert missed == []

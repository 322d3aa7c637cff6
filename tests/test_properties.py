"""Random stories, built as an editor would: each build succeeds with every field escaped, or fails cleanly.

Hypothesis writes a story with random metadata and body (Cyrillic and Kazakh letters, HTML, template
syntax, control characters, odd Unicode, duplicated and continued header lines) into a small site and
runs the `pelican` command on it. Either the build exits 0 and every output shows each text field as
the same text (page, head, JSON-LD, feeds, calendars) with no script of the story's making, or it exits
1 with a `path:line:` line naming the story's file, no traceback, and the output folder as it was.

The suite runs a fixed, repeatable set of examples (profile "suite"); `HYPOTHESIS_PROFILE=explore`
runs many more, new ones every time, for a maintainer hunting bugs.
"""

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup
from conftest import pelican_command
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from atomic_output.output import spare_of

settings.register_profile(
    "suite",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЗЫЭЮЯӘәҒғҚқҢңӨөҰұҮүҺһІі"
MARKUP = [
    "<", ">", "&", '"', "'", ";", ",", ":", "*", "_", "`", "#", "|", "\\", "[", "]", "(", ")",
    "<6+>", "3 < 5", "&amp;", "&lt;b&gt;", "<b>", "</p>", "<script>alert(1)</script>", "</script>",
    "<img src=x onerror=alert(1)>", "javascript:alert(1)", "{filename}", "{static}x.jpg",
    "{{ 7*7 }}", "{% raw %}", "]]>", "<!--", "-->", "\\u003c", "C++", "C#", "  ", "\t",
]  # fmt: skip
ODD = [
    "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u00a0", "\u200b", "\u200e", "\u2028",
    "\u2029", "\ufeff", "\ufffd", "🚋", "e\u0301", "\U0001d400", "ﷺ", "\u0130", "ß",
]  # fmt: skip

fragment = st.one_of(
    st.text(alphabet=LETTERS + " ", min_size=1, max_size=10),
    st.sampled_from(MARKUP),
    st.sampled_from(ODD),
    st.text(max_size=3),
)
text = st.lists(fragment, max_size=6).map("".join)
# Mostly values an editor could well type (so that many builds succeed and their outputs are read),
# now and then anything at all. (Hypothesis favours the edges of a range, so "now and then" is a pick
# from a list rather than an integer equal to 0.)
clean = st.lists(
    st.one_of(st.text(alphabet=LETTERS + " ", min_size=1, max_size=10), st.sampled_from(MARKUP[:-1])),
    min_size=1,
    max_size=6,
).map("".join)
now_and_then = st.sampled_from([False, False, False, True])
odd_header_lines = st.sampled_from(
    ["Title: Второй заголовок", "Date: 2031-12-01 10:00", "    продолжение", "\tпродолжение", "Unknown: x"]
)


@st.composite
def stories(draw) -> dict:
    """Return a random story: where it lives, its header lines and its body."""

    def value(strategy=clean):
        wild = draw(text) if draw(now_and_then) else draw(strategy)
        return wild.replace("\r", " ").replace("\n", " ")

    section = draw(st.sampled_from(["news", "events"]))
    lang = draw(st.sampled_from(["ru", "kk"]))
    title = value()
    header = [f"Title: {title}"]
    if draw(st.booleans()):
        header.append(f"Date: 2026-03-02 {draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}")
    if draw(st.booleans()):
        header.append(f"Summary: {value()}")
    tags = [value() for _ in range(draw(st.integers(0, 3)))]
    if tags:
        header.append(f"Tags: {', '.join(tags)}")
    location = value()
    if section == "events":
        header += ["Event_start: 2026-03-05 19:00", f"Location: {location}"]
    if draw(now_and_then):
        header.insert(draw(st.integers(1, len(header))), draw(odd_header_lines))
    body = "\n\n".join(
        value(clean) if not draw(now_and_then) else draw(text) for _ in range(draw(st.integers(1, 4)))
    )
    return {
        "section": section,
        "lang": lang,
        "title": title,
        "tags": tags,
        "location": location,
        "source": "\n".join(header) + "\n\n" + body + "\n",
        "must_build": False,
    }


# Stories that must build: if they fail, the strategy above could be failing everything it makes.
TRICKY_TITLE = 'Сеанс <6+> для детей: если 3 < 5 & 7 > 2, «ёлка» "қала" </script><script>alert(1)</script>'
MUST_BUILD = [
    {
        "section": "news",
        "lang": "ru",
        "title": TRICKY_TITLE,
        "tags": ["C++", "дети <6+>"],
        "location": "",
        "source": f"Title: {TRICKY_TITLE}\nSummary: 3 < 5 & <b>жирно</b>\nTags: C++, дети <6+>\n\n"
        'Текст <script>alert(1)</script> и <a href="javascript:alert(1)" onclick="alert(1)">ссылка</a>.\n',
        "must_build": True,
    },
    {
        "section": "events",
        "lang": "kk",
        "title": "Жәрмеңке <b> & «ән»",
        "tags": [],
        "location": 'Орталық <саябақ> & "бақ"',
        "source": "Title: Жәрмеңке <b> & «ән»\nEvent_start: 2026-03-05 19:00\n"
        'Location: Орталық <саябақ> & "бақ"\n\nМәтін: {{ 7*7 }} ]]>\n',
        "must_build": True,
    },
]


def words(value: str) -> str:
    """Compare text as readers see it: runs of white space count as one space."""
    return " ".join(value.split())


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A small site (one story in both languages) and its built output, shared by all examples."""
    root = tmp_path_factory.mktemp("properties")
    content = root / "content"
    base = content / "news/2026/2026-03-01-base"
    base.mkdir(parents=True)
    (base / "ru.md").write_text("Title: Обычная новость\nTags: город\n\nТекст.\n", encoding="utf-8")
    (base / "kk.md").write_text("Title: Қарапайым жаңалық\nTags: қала\n\nМәтін.\n", encoding="utf-8")
    output = root / "output"
    built = pelican_command(content, output)
    assert built.returncode == 0, built.stdout + built.stderr
    return content, output


def assert_no_foreign_script(output: Path) -> None:
    """Every script on every page is the theme's file or a JSON-LD block that cannot be closed early."""
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if script.get("src"):
                assert script["src"].startswith("/theme/"), (page, script)
            else:  # a data block: JSON-LD, or the search page's settings
                assert script.get("type") in ("application/ld+json", "application/json"), (page, script)
                json.loads(script.string)
        assert not soup.find(attrs={"onerror": True}), page
        assert not soup.select('a[href^="javascript:"]'), page


def assert_fields_escaped(output: Path, story: dict) -> None:
    lang, section = story["lang"], story["section"]
    title = words(story["title"])
    page = output / lang / section / "2026/03/prop/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert words(soup.h1.get_text()) == title
    assert words(soup.title.get_text()).startswith(f"{title} —")
    assert words(soup.find("meta", property="og:title")["content"]) == title
    data = [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]
    main = next(item for item in data if item["@type"] in ("NewsArticle", "Event"))
    assert words(main.get("headline") or main["name"]) == title
    shown_tags = {words(a.get_text()) for a in soup.select(f'a[href^="/{lang}/tags/"][href$="/"]')}
    written = ", ".join(story["tags"]).split(",")  # as Pelican splits the Tags line
    assert {words(tag) for tag in written if words(tag)} <= shown_tags
    feed = ET.parse(output / lang / "atom.xml").getroot()
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    entries = feed.iterfind("atom:entry", namespace)
    assert title in [words(entry.findtext("atom:title", "", namespace)) for entry in entries]
    if section == "events":
        calendar = icalendar.Calendar.from_ical((page.parent / "event.ics").read_bytes())
        event = next(iter(calendar.walk("VEVENT")))
        assert words(str(event["SUMMARY"])) == title
        assert words(str(event["LOCATION"])) == words(story["location"])
    assert_no_foreign_script(output)


@pytest.mark.system  # a whole build for each generated story
@PROFILE
@given(story=stories())
@example(story=MUST_BUILD[0])
@example(story=MUST_BUILD[1])
def test_random_story_builds_escaped_or_fails_cleanly(workspace, story):
    content, output = workspace
    for section in ("news", "events"):
        shutil.rmtree(content / section / "2026" / "2026-03-02-prop", ignore_errors=True)
    folder = content / story["section"] / "2026" / "2026-03-02-prop"
    folder.mkdir(parents=True)
    (folder / f"{story['lang']}.md").write_text(story["source"], encoding="utf-8")
    before = snapshot(output)
    built = pelican_command(content, output)
    said = built.stdout + built.stderr
    assert "Traceback" not in said, said
    reasons = re.findall(r"^content/\S+:\d+: (?!warning)([^'\d]{0,40})", built.stderr, re.MULTILINE)
    event("built" if built.returncode == 0 else f"refused: {reasons[:1]}")
    assert built.returncode == 0 or not story["must_build"], said
    if built.returncode == 0:
        assert_fields_escaped(output, story)
        return
    assert built.returncode == 1, said
    where = re.escape(f"content/{story['section']}/2026/2026-03-02-prop/{story['lang']}.md")
    assert re.search(rf"^{where}:\d+: ", built.stderr, re.MULTILINE), said
    assert snapshot(output) == before
    assert not [
        p.name for p in output.parent.iterdir() if p.name.startswith("output.") and p != spare_of(output)
    ]

"""A changed event reaches calendars: SEQUENCE grows, DTSTAMP and LAST-MODIFIED move, in two parsers."""

import datetime as dt
import shutil

import pytest
import vobject
from conftest import FIXTURE_NOW, FIXTURE_SITE, Site, add_fixture_pictures, build
from icalendar import Calendar

from events.ics import revision

EVENT = "events/2025/2025-05-01-dance-contest"
URLS = {lang: f"/{lang}/events/2025/05/dance-contest/" for lang in ("ru", "kk")}


def event_in(data: bytes, lang: str) -> dict:
    """The moved event of a calendar file, found by its UID, as icalendar and vobject each read it."""
    uid = f"{EVENT}/{lang}@"
    calendar = Calendar.from_ical(data)
    assert "METHOD" not in calendar  # METHOD:PUBLISH would need an ORGANIZER (RFC 5546)
    ours = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(uid))
    theirs = next(e for e in vobject.readOne(data.decode("utf-8")).vevent_list if e.uid.value.startswith(uid))
    read = {
        "icalendar": (
            ours.decoded("DTSTART"),
            ours.decoded("DTSTAMP"),
            ours.decoded("LAST-MODIFIED"),
            int(ours["SEQUENCE"]),
        ),
        "vobject": (
            theirs.dtstart.value,
            theirs.dtstamp.value,
            theirs.last_modified.value,
            int(theirs.sequence.value),
        ),
    }
    assert read["icalendar"] == read["vobject"]
    return dict(zip(("start", "stamp", "modified", "sequence"), read["icalendar"], strict=True))


def calendars(site: Site, lang: str) -> dict[str, dict]:
    url = URLS[lang]
    return {
        name: event_in(site.file(name).read_bytes(), lang)
        for name in (f"/{lang}/events.ics", f"{url}event.ics")
    }


def move(content, lang: str, start: str, modified: str | None) -> None:
    path = content / EVENT / f"{lang}.md"
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("Modified:")
    ]
    lines = [f"Event_start: {start}" if line.startswith("Event_start:") else line for line in lines]
    if modified:
        lines.insert(1, f"Modified: {modified}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> list[Site]:
    """The event as first published, moved an hour later, then moved again: three builds of one output."""
    root = tmp_path_factory.mktemp("calendar-updates")
    content = root / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    sites = []
    steps = [None, ("2025-05-10 16:00", "2025-05-03 18:20"), ("2025-05-10 17:00", "2025-05-08 09:00")]
    for number, step in enumerate(steps):
        for lang in ("ru", "kk"):
            if step:
                move(content, lang, *step)
        output = root / f"output-{number}"
        build(content, output, EVENTS_NOW=FIXTURE_NOW, CACHE_PATH=str(root / "cache"))
        sites.append(Site(output))
    return sites


@pytest.mark.parametrize("lang", URLS)
def test_each_change_raises_sequence_and_moves_the_stamps(versions, lang):
    seen = [calendars(site, lang) for site in versions]
    for name in seen[0]:
        first, second, third = (version[name] for version in seen)
        assert first["start"] < second["start"] < third["start"]
        assert first["sequence"] < second["sequence"] < third["sequence"], name
        assert first["stamp"] < second["stamp"] < third["stamp"], name
        assert [v["modified"] for v in (first, second, third)] == [v["stamp"] for v in (first, second, third)]
    assert seen[0][f"/{lang}/events.ics"]["sequence"] == 0  # never changed: the first version
    assert seen[1][f"/{lang}/events.ics"]["stamp"] == dt.datetime(2025, 5, 3, 13, 20, tzinfo=dt.UTC)


def test_unchanged_events_keep_every_byte(versions):
    """Only the moved event's lines change: the other events' entries are the same in every build."""
    first, last = (
        site.file("/ru/events/2024/01/winter-festival/event.ics").read_bytes()
        for site in (versions[0], versions[-1])
    )
    assert first == last


@pytest.mark.parametrize(
    ("modified", "expected"),
    [
        (None, (dt.datetime(2025, 5, 1, 9, 0), 0)),
        (dt.datetime(2025, 5, 1, 9, 0), (dt.datetime(2025, 5, 1, 9, 0), 0)),
        (dt.datetime(2025, 5, 1, 10, 30, 59), (dt.datetime(2025, 5, 1, 10, 30, 59), 90)),
        (dt.datetime(2026, 5, 1, 9, 0), (dt.datetime(2026, 5, 1, 9, 0), 525600)),
    ],
)
def test_revision_numbers_versions_by_minutes_since_publication(modified, expected):
    assert revision(dt.datetime(2025, 5, 1, 9, 0), modified) == expected


def test_modified_before_publication_is_an_error(tmp_path):
    from content_format.checks import check_content

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    move(content, "ru", "2025-05-10 15:00", "2025-04-30 12:00")
    lines = [str(p) for p in check_content(content).errors]
    assert lines == [
        f"{content / EVENT / 'ru.md'}:2: error: Modified 2025-04-30 12:00 is before the story was published "
        "(2025-05-01 09:00); write when you last changed the story"
    ]

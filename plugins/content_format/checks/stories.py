"""Check stories against each other: unique addresses, language versions that agree, translations."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from l10n.messages import Message, _, ngettext
from l10n.translit import slugify

from ..layout import LANGUAGES, Source
from .header import event_times, tag_names
from .problems import WARNING, Field, Problem

# How an event time is written back to the editor: as the header takes it (YYYY-MM-DD HH:MM).
SHOWN_TIME = "%Y-%m-%d %H:%M"
# Whole sentences per language, not a language name put into one: Russian and Kazakh inflect it.
NO_VERSION_YET = {
    "ru": _("no Russian version (ru.md) yet; that language's page will say so"),
    "kk": _("no Kazakh version (kk.md) yet; that language's page will say so"),
}
MISSING_VERSIONS = {
    "ru": lambda n: ngettext(
        "{count} story or page without a Russian version",
        "{count} stories or pages without a Russian version",
        n,
    ),
    "kk": lambda n: ngettext(
        "{count} story or page without a Kazakh version",
        "{count} stories or pages without a Kazakh version",
        n,
    ),
}


@dataclass(frozen=True)
class CheckedFile:
    """A content file whose place in the tree is valid, with its metadata."""

    source: Source
    fields: dict[str, Field]
    path: str  # as shown to the editor


def check_unique_addresses(files: list[CheckedFile]) -> list[Problem]:
    """Two stories of one language and month cannot share a slug: their addresses would clash."""
    by_url: dict[str, list[CheckedFile]] = defaultdict(list)
    for file in files:
        if file.source.is_story:
            by_url[file.source.url].append(file)
    problems = []
    for same in by_url.values():
        first = same[0]
        for other in same[1:]:
            problems.append(
                Problem(
                    other.path,
                    1,
                    _(
                        "another story of {month} already uses the slug '{slug}' ({path}); pick another slug",
                        month=f"{first.source.day:%Y-%m}",
                        slug=first.source.slug,
                        path=first.path,
                    ),
                )
            )
    return problems


def check_tag_addresses(files: list[CheckedFile]) -> list[Problem]:
    """Two different tags of one language cannot share an address (C++ and C#, Алматы and Almaty)."""
    # (lang, slug) -> the tag's spellings (ignoring case) -> each place it is written, in file order.
    places: dict[tuple[str, str], dict[str, list[tuple[str, int, str]]]] = defaultdict(dict)
    for file in sorted(files, key=lambda f: f.path):
        tags = file.fields.get("tags")
        if not file.source.is_story or tags is None or ";" in tags.value:
            continue
        for name in tag_names(tags.value):
            slug = slugify(name)
            if slug:
                places[(file.source.lang, slug)].setdefault(name.casefold(), []).append(
                    (file.path, tags.line, name)
                )
    problems = []
    for (lang, slug), spellings in places.items():
        (first_path, first_line, first_name), *_later = next(iter(spellings.values()))
        for others in list(spellings.values())[1:]:
            for path, line, name in others:
                fields = {"tag": name, "address": f"/{lang}/tags/{slug}/", "other": first_name}
                if path != first_path:
                    message = _(
                        "tag '{tag}' would share the address {address} with tag '{other}' ({place}); "
                        "write one tag the same way everywhere, or rename one of them",
                        place=f"{first_path}:{first_line}",
                        **fields,
                    )
                elif line == first_line:
                    message = _(
                        "tag '{tag}' would share the address {address} with tag '{other}' (on this line); "
                        "write one tag the same way everywhere, or rename one of them",
                        **fields,
                    )
                else:
                    message = _(
                        "tag '{tag}' would share the address {address} with tag '{other}' (on line {line}); "
                        "write one tag the same way everywhere, or rename one of them",
                        line=first_line,
                        **fields,
                    )
                problems.append(Problem(path, line, message))
    return problems


def check_sections_agree(files: list[CheckedFile]) -> list[Problem]:
    """The language versions of one story are in the same section."""
    problems = []
    by_name: dict[str, list[CheckedFile]] = defaultdict(list)
    for file in files:
        if file.source.is_story:
            by_name[file.source.folder.rsplit("/", 1)[-1]].append(file)
    for same in by_name.values():
        sections = {f.source.section for f in same}
        languages = [f.source.lang for f in same]
        if len(sections) > 1 and len(set(languages)) == len(languages):
            first = same[0]
            for other in same[1:]:
                if other.source.section != first.source.section:
                    problems.append(
                        Problem(
                            other.path,
                            1,
                            _(
                                "this story is in {section}/ but its other language version ({path}) "
                                "is in {other}/; put both files in the same story folder",
                                section=other.source.section,
                                path=first.path,
                                other=first.source.section,
                            ),
                        )
                    )
    return problems


def check_event_times_agree(files: list[CheckedFile]) -> list[Problem]:
    """The language versions of one event give the same times."""
    problems = []
    by_folder: dict[str, dict[str, CheckedFile]] = defaultdict(dict)
    for file in files:
        if file.source.section == "events":
            by_folder[file.source.folder][file.source.lang] = file
    for versions in by_folder.values():
        if len(versions) < 2:
            continue
        first, *others = [versions[lang] for lang in LANGUAGES if lang in versions]
        first_times = event_times(first.fields)
        for other in others:
            for key, time in event_times(other.fields).items():
                if time == first_times[key] or _already_reported(key, first, other):
                    continue
                line = other.fields[key].line if key in other.fields else 1
                problems.append(
                    Problem(other.path, line, _times_differ(key, time, first_times[key], first.path))
                )
    return problems


def _times_differ(key: str, ours: dt.datetime | None, theirs: dt.datetime | None, path: str) -> Message:
    """Say that an event time differs between two language versions; a time given in one only is missing."""
    fields = {"key": key.capitalize(), "path": path}
    if ours is None:
        return _(
            "{key} is missing here but is {theirs} in {path}; both languages must give the same time",
            theirs=theirs.strftime(SHOWN_TIME),
            **fields,
        )
    if theirs is None:
        return _(
            "{key} here is {ours} but is missing in {path}; both languages must give the same time",
            ours=ours.strftime(SHOWN_TIME),
            **fields,
        )
    return _(
        "{key} here is {ours} but {theirs} in {path}; both languages must give the same time",
        ours=ours.strftime(SHOWN_TIME),
        theirs=theirs.strftime(SHOWN_TIME),
        **fields,
    )


def _already_reported(key: str, *files: CheckedFile) -> bool:
    """Tell whether a time is wrong on its own in one of the files (a missing start, a bad date)."""
    times = [event_times(f.fields)[key] for f in files]
    invalid = any(key in f.fields and t is None for f, t in zip(files, times, strict=True))
    backwards = any(
        start and end and end < start for start, end in (event_times(f.fields).values() for f in files)
    )
    return invalid or backwards or (key == "event_start" and None in times)


def missing_translations(files: list[CheckedFile]) -> tuple[list[Problem], dict[str, int]]:
    """Warn about each story or page written in one language only; count them per missing language."""
    by_folder: dict[str, list[CheckedFile]] = defaultdict(list)
    for file in files:
        by_folder[file.source.folder].append(file)
    warnings, missing = [], dict.fromkeys(LANGUAGES, 0)
    for versions in by_folder.values():
        present = {f.source.lang for f in versions}
        for lang in LANGUAGES:
            if lang not in present:
                missing[lang] += 1
                warnings.append(Problem(versions[0].path, 1, NO_VERSION_YET[lang], WARNING))
    return warnings, missing

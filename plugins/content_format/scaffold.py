"""Start a new story: its folder in the content layout and a Markdown file per language to fill in."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from l10n.translit import slugify

from .layout import LANGUAGES, STORY_SECTIONS, LayoutError, parse_source_path

ALMATY = ZoneInfo("Asia/Almaty")
SLUG_MAX_LENGTH = 60


class StoryExistsError(LayoutError):
    """The story folder (or its address) is already taken; nothing is overwritten."""


def today_in_almaty(now: dt.datetime | None = None) -> dt.date:
    """Return today's date in Almaty, whatever the machine's zone."""
    return (now or dt.datetime.now(tz=dt.UTC)).astimezone(ALMATY).date()


def suggest_slug(*titles: str | None) -> str:
    """Make a slug from the first title given, cut at a word boundary to at most SLUG_MAX_LENGTH."""
    slug = next((slugify(t) for t in titles if t and slugify(t)), "")
    if len(slug) <= SLUG_MAX_LENGTH:
        return slug
    return slug[: SLUG_MAX_LENGTH + 1].rsplit("-", 1)[0]


def story_text(section: str, title: str, published: dt.datetime | None) -> str:
    """Return a new story file: metadata to fill in, then an empty body (the check asks for it)."""
    lines = [f"Title: {title}"]
    if published:
        lines.append(f"Date: {published:%Y-%m-%d %H:%M}")
    if section == "events":
        # Left empty on purpose: `invoke check` asks for them until they are filled in.
        lines += ["Event_start: ", "Location: "]
    return "\n".join(lines) + "\n\n"


def create_story(
    content_root: Path,
    section: str,
    day: dt.date,
    slug: str,
    titles: dict[str, str],
    now: dt.datetime | None = None,
) -> list[Path]:
    """Write the story folder with a file per titled language; refuse to touch an existing story."""
    if not any(titles.get(lang) for lang in LANGUAGES):
        raise LayoutError("give the story a title in Russian or Kazakh (--title-ru, --title-kk)")
    if section not in STORY_SECTIONS:
        raise LayoutError(f"unknown section '{section}': choose news or events")
    folder = f"{section}/{day:%Y}/{day:%Y-%m-%d}-{slug}"
    for lang in LANGUAGES:
        parse_source_path(f"{folder}/{lang}.md")  # the same rules and messages as the checks
    target = Path(content_root) / folder
    if target.exists():
        raise StoryExistsError(f"the story {folder} already exists")
    clash = sorted(Path(content_root, section, f"{day:%Y}").glob(f"{day:%Y-%m}-??-{slug}"))
    if clash:
        taken = clash[0].relative_to(content_root).as_posix()
        raise StoryExistsError(f"{taken} already uses the slug '{slug}' this month; pick another slug")
    now = (now or dt.datetime.now(tz=dt.UTC)).astimezone(ALMATY)
    published = now if now.date() == day else None
    target.mkdir(parents=True)
    written = []
    for lang in LANGUAGES:
        if titles.get(lang):
            file = target / f"{lang}.md"
            file.write_text(story_text(section, titles[lang].strip(), published), encoding="utf-8")
            written.append(file)
    return written

"""Start a new story: its folder in the content layout and a Markdown file per language to fill in."""

import datetime as dt
import re
from pathlib import Path

from content_format.layout import LANGUAGES, SLUG, STORY_SECTIONS, LayoutError, parse_source_path
from l10n.dates import ALMATY
from l10n.messages import _
from l10n.translit import slugify

SLUG_PATTERN = re.compile(SLUG)

# A suggested slug keeps the first few words that carry meaning, short enough to type and read in
# an address (LANGUAGES.md, "Slugs and transliteration").
SLUG_WORDS = 4
SLUG_MAX_LENGTH = 40
# Words that carry no meaning of their own in a headline: prepositions, conjunctions and particles,
# and numbers written in words (a number in digits, such as a year, is kept).
_RUSSIAN_MINOR_WORDS = """
    а без бы в во для до же за и из изо или к как ко ли между на над не ни но о об обо от перед по
    под при про с со у через что
    один одна одно одного одной два две двух три трёх трех четыре четырёх пять пяти шесть шести семь
    семи восемь восьми девять девяти десять десяти двадцать двадцати тридцать сорок пятьдесят сто сотни
    сотен тысяча тысячи тысяч тысячу миллион миллиона миллионов десятки десятков
"""
_KAZAKH_MINOR_WORDS = """
    және мен пен бен әрі немесе бірақ да де та те ғана үшін туралы бойынша дейін арқылы сияқты соң
    кейін
    бір екі үш төрт бес алты жеті сегіз тоғыз он жиырма отыз қырық елу алпыс жетпіс сексен тоқсан жүз
    мың мыңдаған миллион
"""
MINOR_WORDS = frozenset((_RUSSIAN_MINOR_WORDS + _KAZAKH_MINOR_WORDS).split())
_WORD = re.compile(r"[^\W_]+")
# Which keys a new file lists, in this order: every key an editor may fill (checks/header.py).
STORY_FILE_KEYS = ("title", "date", "summary", "tags", "image", "image_alt", "image_credit")
EVENT_FILE_KEYS = ("event_start", "event_end", "location", "address")
CLOSING_KEYS = ("modified", "status")
# The venue until the editor knows it: a value readers understand, never published unnoticed
# (a new story is a draft).
VENUE_TO_COME = {"ru": "уточняется", "kk": "кейін хабарланады"}
# The body of a new file: a note to the editor that the site never shows (comments are not published).
GUIDE = {
    "ru": (
        "<!-- Напишите текст материала вместо этой строки. Пустые ключи выше можно заполнить или "
        "удалить. Когда материал готов, удалите строку «Status: draft». -->"
    ),
    "kk": (
        "<!-- Материалдың мәтінін осы жолдың орнына жазыңыз. Жоғарыдағы бос кілттерді толтыруға "
        "немесе өшіруге болады. Материал дайын болғанда «Status: draft» жолын өшіріңіз. -->"
    ),
}


NO_TITLE = _("give the story a title in Russian or Kazakh (--title-ru, --title-kk)")


class StoryExistsError(LayoutError):
    """The story folder (or its address) is already taken; nothing is overwritten."""


def short_slug(title: str) -> str:
    """Make a slug of the title's first SLUG_WORDS meaningful words, at most SLUG_MAX_LENGTH long."""
    words = _WORD.findall(title.lower())
    meaningful = [word for word in words if word not in MINOR_WORDS] or words
    slug = slugify(" ".join(meaningful[:SLUG_WORDS]))
    if len(slug) <= SLUG_MAX_LENGTH:
        return slug
    cut = slug[: SLUG_MAX_LENGTH + 1].rsplit("-", 1)[0]
    return cut if "-" in slug[: SLUG_MAX_LENGTH + 1] else slug[:SLUG_MAX_LENGTH]


def suggest_slug(*titles: str | None) -> str:
    """Make a short slug from the first title that gives one."""
    return next((short_slug(t) for t in titles if t and short_slug(t)), "")


def is_slug(text: str) -> bool:
    """Tell whether text is a slug as the layout wants it: lowercase Latin letters, digits, hyphens."""
    return bool(SLUG_PATTERN.fullmatch(text))


def file_keys(section: str) -> tuple[str, ...]:
    """Return the keys a new story file lists, in order."""
    return STORY_FILE_KEYS + (EVENT_FILE_KEYS if section == "events" else ()) + CLOSING_KEYS


def story_text(lang: str, section: str, day: dt.date, title: str, published: dt.datetime | None) -> str:
    """Return a new story file that builds as it is: every key, the optional ones empty, a draft."""
    values = {
        "title": title,
        "date": f"{published:%Y-%m-%d %H:%M}" if published else "",
        "event_start": f"{day:%Y-%m-%d}",  # an all-day event on the story's day, until the editor says
        "location": VENUE_TO_COME[lang],
        "status": "draft",
    }
    lines = [f"{key.capitalize()}: {values.get(key, '')}".rstrip() for key in file_keys(section)]
    return "\n".join(lines) + "\n\n" + GUIDE[lang] + "\n"


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
        raise LayoutError(NO_TITLE)
    if section not in STORY_SECTIONS:
        raise LayoutError(_("unknown section '{section}': choose news or events", section=section))
    folder = f"{section}/{day:%Y}/{day:%Y-%m-%d}-{slug}"
    for lang in LANGUAGES:
        parse_source_path(f"{folder}/{lang}.md")  # the same rules and messages as the checks
    target = Path(content_root) / folder
    if target.exists():
        raise StoryExistsError(_("the story {folder} already exists", folder=folder))
    clash = sorted(Path(content_root, section, f"{day:%Y}").glob(f"{day:%Y-%m}-??-{slug}"))
    if clash:
        taken = clash[0].relative_to(content_root).as_posix()
        raise StoryExistsError(
            _("{taken} already uses the slug '{slug}' this month; pick another slug", taken=taken, slug=slug)
        )
    now = (now or dt.datetime.now(tz=dt.UTC)).astimezone(ALMATY)
    published = now if now.date() == day else None
    target.mkdir(parents=True)
    written = []
    for lang in LANGUAGES:
        if titles.get(lang):
            file = target / f"{lang}.md"
            file.write_text(story_text(lang, section, day, titles[lang].strip(), published), encoding="utf-8")
            written.append(file)
    return written

"""`invoke new`: ask the editor what the story is (on a terminal), then make its folder and files."""

import datetime as dt
import sys
from pathlib import Path

from content_format.checks import shown
from content_format.layout import LayoutError
from l10n.dates import today_in_almaty
from l10n.messages import Message, _
from l10n.translit import slugify

from .scaffold import NO_TITLE, create_story, is_slug, suggest_slug


class NotCreatedError(Exception):
    """The story cannot be made as asked; the message says why (nothing was written)."""


def on_a_terminal() -> bool:
    return bool(sys.stdin) and sys.stdin.isatty()


def ask(question: Message, default: str = "", taken: list | None = None) -> str:
    """Ask the editor on the terminal; without one, take the default and note it in taken."""
    if not on_a_terminal():
        if default and taken is not None:
            taken.append(_("{question}: {answer}", question=question, answer=default))
        return default
    answer = input(f"{question}{f' [{default}]' if default else ''}: ").strip()
    return answer or default


def chosen_slug(slug: str, titles: tuple[str, str], taken: list) -> str:
    """Return the slug given, or asked for with a short suggestion; refuse one the layout does not allow."""
    question = _("Slug (the story's address, in Latin letters)")
    slug = slug or ask(question, suggest_slug(*titles), taken)
    while not is_slug(slug):
        suggestion = slugify(slug) or suggest_slug(*titles) or "story"
        refusal = _(
            "The slug '{slug}' must be lowercase Latin letters, digits and hyphens, such as '{suggestion}'",
            slug=slug,
            suggestion=suggestion,
        )
        if not on_a_terminal():
            raise NotCreatedError(str(_("{refusal}; nothing was created.", refusal=refusal)))
        print(refusal)
        slug = ask(question, suggestion)
    return slug


def story_day(date: str) -> dt.date:
    """Return the day written as YYYY-MM-DD; refuse anything else."""
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise NotCreatedError(
            str(_("Date '{date}' is not a real date in the form YYYY-MM-DD; nothing was created.", date=date))
        ) from None


def new_story(root: Path, section: str, date: str, slug: str, titles: dict[str, str]) -> None:
    """Make a story folder under root, asking for what is not given; print what was made and what next."""
    taken: list[Message] = []
    section = section or ask(_("Section (news or events)"), "news", taken)
    date = date or ask(_("Date (YYYY-MM-DD)"), f"{today_in_almaty():%Y-%m-%d}", taken)
    title_ru = titles.get("ru") or ask(_("Title in Russian (empty: no Russian version)"))
    title_kk = titles.get("kk") or ask(_("Title in Kazakh (empty: no Kazakh version)"))
    if not (title_ru or title_kk):
        raise NotCreatedError(str(_("{problem}; nothing was created.", problem=NO_TITLE)))
    slug = chosen_slug(slug, (title_ru, title_kk), taken)
    day = story_day(date)
    try:
        files = create_story(root, section, day, slug, {"ru": title_ru, "kk": title_kk})
    except LayoutError as error:
        raise NotCreatedError(str(_("{problem}; nothing was created.", problem=error))) from None
    if taken:
        print(_("No terminal to ask on, so these were chosen (give them as options to choose):"))
        for choice in taken:
            print(f"  {choice}")
    for file in files:
        print(_("Created {file}", file=shown(file)))
    print_next_steps(section)


def print_next_steps(section: str) -> None:
    """Tell the editor what to do with the new draft."""
    print(
        _(
            "The story is a draft: previews (make build) show it, the published site does not. Write the "
            "text in place of the note under the metadata, fill in the keys you need (leave the others "
            "empty), then delete the line 'Status: draft' and run `invoke check`."
        )
    )
    if section == "events":
        print(
            _(
                "Event_start is the story's day (an all-day event) and Location says the venue is to be "
                "announced: change them when you know."
            )
        )

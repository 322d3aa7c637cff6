"""Plan the events pages of one language: the listing (upcoming, then past) and the month calendars.

They are `bilingual.listings.Listing`s, the one kind of listing page, so the bilingual plugin writes them
with the others; what is the events' own is which stories each page shows and its calendar grid.
"""

import datetime as dt

from bilingual.listings import Listing, paginate
from l10n.dates import in_almaty

from .grid import month_grid, weekday_names
from .model import by_day, months_of, upcoming_and_past

NAV_KEY = ("section", "events")  # the menu item these pages belong to


def when(story):
    return story.event.when


def event_days(stories: list) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day the events take place on."""
    if not stories:
        return None
    return min(when(s).first_day for s in stories), max(when(s).last_day for s in stories)


def listing_url(lang: str) -> str:
    return f"{lang}/events/"


def calendar_url(lang: str, month: dt.date) -> str:
    return f"{lang}/events/calendar/{month.year}/{month.month:02d}/"


def feed_url(lang: str) -> str:
    return f"{lang}/events.ics"


def calendar_entry_month(months: list[dt.date], today: dt.date) -> dt.date | None:
    """Pick the month the calendar opens on: this month or the next one with events, else the last."""
    this_month = today.replace(day=1)
    return next((m for m in months if m >= this_month), months[-1] if months else None)


def events_pages(lang: str, stories: list, now: dt.datetime, per_page: int | None) -> list[Listing]:
    """Return the events listing (upcoming soonest first, then past newest first) and month calendars."""
    upcoming, past = upcoming_and_past(stories, when, now)
    days = by_day(stories, when)
    months = months_of(days)
    today = in_almaty(now).date()
    opening = calendar_entry_month(months, today)
    common = {
        "section": "events",
        "calendar_url": calendar_url(lang, opening) if opening else None,
        "feed_url": feed_url(lang),
    }
    # Past events are numbered from the oldest, as every listing is (PRODUCT.md, Listing pages), so a
    # full page of them never changes again; the first page shows every upcoming event above its own.
    pages = paginate("events", NAV_KEY, lang, listing_url(lang), past, per_page, days=event_days)
    for page in pages:
        page.details = {**common, "upcoming": upcoming if page.is_first else [], "past": page.stories}
        if page.is_first:
            page.stories = upcoming + page.stories
            page.days = event_days(page.stories)
        else:
            # A page of past events opens the calendar on its own last month, never on today's:
            # the page then stays as it is when new events come.
            page.details["calendar_url"] = calendar_url(lang, page.days[1].replace(day=1))

    touching = by_month(stories)
    for index, month in enumerate(months):
        grid = month_grid(month, days, today)
        in_month = touching.get(month, [])
        neighbours = {
            "previous": months[index - 1] if index > 0 else None,
            "next": months[index + 1] if index + 1 < len(months) else None,
        }
        pages.append(
            Listing(
                "events_calendar",
                ("events-calendar", month.year, month.month),
                lang,
                calendar_url(lang, month),
                in_month,
                details={
                    **common,
                    "nav": NAV_KEY,
                    "month": month,
                    "grid": grid,
                    "weekdays": weekday_names(lang),
                    **{
                        name: {"month": m, "url": calendar_url(lang, m)} if m else None
                        for name, m in neighbours.items()
                    },
                },
            )
        )
    return pages


def by_month(stories: list) -> dict[dt.date, list]:
    """Group events by the first day of every month they take place in, each month's in order of start."""
    months: dict[dt.date, list] = {}
    for story in sorted(stories, key=lambda s: (when(s).start, s.slug)):
        span = when(story)
        month, last = span.first_day.replace(day=1), span.last_day.replace(day=1)
        while month <= last:
            months.setdefault(month, []).append(story)
            month = (month + dt.timedelta(days=31)).replace(day=1)
    return months

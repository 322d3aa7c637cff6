"""Leave drafts and stories dated after the build out of published builds; mark them in previews."""

import datetime as dt
import logging

from pelican import signals

from build_core.core import expire_output_at
from events.events import settings_of as events_settings
from l10n.messages import ngettext

logger = logging.getLogger(__name__)

DEFAULTS = {
    # True: a preview (pelicanconf.py) shows drafts and scheduled stories, marked; False: a published
    # build (publishconf.py) leaves them out everywhere.
    "SCHEDULE_PREVIEW": False,
}
DRAFT, SCHEDULED = "draft", "scheduled"


def build_moment(settings: dict) -> tuple[dt.datetime, bool]:
    """Return the moment deciding what is published (EVENTS_NOW, else the clock) and if it is the clock."""
    # Read as the events plugin reads it: a bad EVENTS_NOW stops the build with its one clear line.
    fixed = events_settings(settings)["EVENTS_NOW"]
    if fixed is None:
        return dt.datetime.now(dt.UTC), True
    return fixed, False


def publication_state(story, now: dt.datetime) -> str | None:
    """Return DRAFT, SCHEDULED (dated after now) or None for a story that is published."""
    if getattr(story, "draft", False):
        return DRAFT
    if story.date > now:
        return SCHEDULED
    return None


def next_publication(stories, now: dt.datetime) -> dt.datetime | None:
    """Return the earliest moment after now at which a scheduled (not draft) story goes live."""
    moments = [s.date for s in stories if publication_state(s, now) == SCHEDULED]
    return min(moments, default=None)


def withdraw_static_links(context: dict, withdrawn: list, kept: list) -> None:
    """Take the documents only withdrawn stories link out of the files the site publishes."""
    links = set().union(*(story.get_static_links() for story in withdrawn))
    links -= set().union(*(story.get_static_links() for story in kept))
    context["static_links"] -= links


def mark(story, state: str) -> None:
    """Mark a story shown in a preview, and make every page that shows it depend on the mark."""
    story.preview_state = state
    # Pages, cards and calendars are kept between builds by the key of the stories they show: a
    # scheduled story's mark goes when its time passes, with no change to its file.
    if getattr(story, "source_key", None):
        story.source_key = f"{story.source_key}+{state}"


def hold_back(generator) -> None:
    """Before tags, listings and neighbours are worked out: leave out or mark unpublished stories."""
    settings = generator.settings
    now, by_clock = build_moment(settings)
    preview = settings.get("SCHEDULE_PREVIEW", DEFAULTS["SCHEDULE_PREVIEW"])
    if by_clock:
        upcoming = next_publication(generator.articles, now)
        if upcoming is not None:  # the build that runs after it must not say "Nothing changed"
            expire_output_at(upcoming)
    states = {id(s): publication_state(s, now) for s in generator.articles}
    if preview:
        for story in generator.articles:
            if states[id(story)]:
                mark(story, states[id(story)])
        return
    withdrawn = [s for s in generator.articles if states[id(s)]]
    if not withdrawn:
        return
    kept = [s for s in generator.articles if not states[id(s)]]
    generator.articles[:] = kept
    withdraw_static_links(generator.context, withdrawn, kept)
    logger.info(
        ngettext(
            "Left out {count} draft or scheduled story",
            "Left out {count} draft or scheduled stories",
            len(withdrawn),
        )
    )


def register():
    signals.article_generator_pretaxonomy.connect(hold_back)

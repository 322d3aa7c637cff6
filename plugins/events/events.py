"""Publish events: when and where on their pages, the events listing, month calendars and .ics files."""

import datetime as dt
import logging
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from bilingual.bilingual import section_listings, write_listings
from bilingual.listings import Listing, link_listing_versions
from bilingual.versions import switch_targets
from build_core.core import expire_output_at
from content_format import stop_build
from content_format.checks import Problem, shown
from content_format.text import html_to_text
from discovery.urls import absolute_url, is_absolute, public_url, url_on_host
from incremental import keep_if_made_from, source_memo
from l10n.l10n import interface_catalog
from l10n.messages import _

from . import ranges
from .ics import CalendarEntry, CalendarInfo, build_calendar, event_block, event_uid, revision
from .jsonld import LOCALITY, event_json_ld, script_json
from .model import EventDetails, output_expiry, parse_event_time, parse_now
from .pages import events_pages, feed_url, listing_url

logger = logging.getLogger(__name__)

DEFAULTS = {
    # The moment that decides what is upcoming: a datetime or "YYYY-MM-DD HH:MM" (Almaty time).
    # None means the build's own clock; set it for tests and reproducible builds.
    "EVENTS_NOW": None,
    # The domain in every event's UID. Calendar apps tell events apart by UID, so it must not
    # change when the site moves; None means SITEURL's host.
    "EVENTS_UID_DOMAIN": None,
}


class EventsSettingError(SystemExit):
    """A setting of this plugin is wrong: the build stops with the message before writing anything."""


def settings_of(settings: dict) -> dict:
    """Return this plugin's settings merged over the defaults, validated."""
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    if merged["EVENTS_NOW"] is not None:
        try:
            merged["EVENTS_NOW"] = parse_now(merged["EVENTS_NOW"])
        except ValueError:
            raise EventsSettingError(
                _(
                    "EVENTS_NOW {value} is not a moment; write it as 'YYYY-MM-DD HH:MM' "
                    "(Almaty time) or leave it unset to use the clock",
                    value=repr(merged["EVENTS_NOW"]),
                )
            ) from None
    if not merged["EVENTS_UID_DOMAIN"]:
        merged["EVENTS_UID_DOMAIN"] = urlsplit(settings.get("SITEURL", "")).hostname or "localhost"
    if "events" in section_listings(settings):
        raise EventsSettingError(
            _(
                "BILINGUAL_SECTION_LISTINGS lists 'events', but the events plugin writes /{{lang}}/events/; "
                "remove 'events' from it in the settings"
            )
        )
    return merged


def subscribe_url(siteurl: str, path: str) -> str:
    """Return the link that makes phones subscribe to a feed: webcal:// when the site has a host."""
    url = absolute_url(siteurl, path)
    return "webcal://" + url.split("://", 1)[1] if is_absolute(url) else url


# Handlers


def attach_events(generator) -> None:
    """Give every story with Event_start its `event`: when (Asia/Almaty) and where."""
    for story in generator.articles:
        start = getattr(story, "event_start", None)
        if start is None:
            continue
        try:
            when = parse_event_time(str(start), getattr(story, "event_end", None))
        except ValueError:
            # The content checks catch this first (naming the line); stop the same way if they were bypassed.
            wrong = _(
                "Event_start {start} and Event_end {end} do not make an event: write both as "
                "YYYY-MM-DD HH:MM (or both as days, YYYY-MM-DD), the end not before the start",
                start=str(start),
                end=str(getattr(story, "event_end", "") or ""),
            )
            stop_build([Problem(shown(Path(story.source_path)), 1, wrong)])
        story.event = EventDetails(
            when, str(getattr(story, "location", "")), str(getattr(story, "address", ""))
        )


def _page_parts(format_parts):
    @pass_context
    def template_filter(context, event: EventDetails):
        return format_parts(event.when, context["lang"])

    return template_filter


@pass_context
def event_json_ld_filter(context, story) -> Markup:
    """Render a story's schema.org Event as script-safe JSON."""
    # Absolute even in development builds (FEED_DOMAIN), as the news JSON-LD is.
    base = public_url(context)
    event = story.event
    # The pictures plugin's 1200×630 derivative when there is one (camera files are not published).
    image = getattr(story, "og_image", None)
    if not image and getattr(story, "image", None):
        image = f"{story.story_folder}/{story.image}"
    images = [absolute_url(base, image)] if image else []
    data = event_json_ld(
        name=str(story.title),
        when=event.when,
        location=event.location,
        address=event.address,
        lang=story.lang,
        url=absolute_url(base, story.url),
        description=html_to_text(getattr(story, "summary", "")),
        images=images,
    )
    return Markup(script_json(data))


FILTERS = {
    "event_dates": _page_parts(ranges.event_dates),
    "event_times": _page_parts(ranges.event_times),
    "event_summary": _page_parts(ranges.event_summary),
    "event_json_ld": event_json_ld_filter,
}


def setup_templates(generator) -> None:
    if hasattr(generator, "env"):
        generator.env.filters.update(FILTERS)


class EventBlocks:
    """Each event's VEVENT bytes, kept between builds with its story file's key.

    A language's events.ics holds every event of the archive: adding one event made the other
    five hundred again with icalendar (0.4 s at 5,000 stories). An event's block depends only on
    its story file and the settings, which is what the file's key is made of.
    """

    def __init__(self, memo):
        self.memo = memo
        self.sources: dict[int, str] = {}  # id of an entry -> its story's source file

    def note(self, entry: CalendarEntry, source: str) -> None:
        self.sources[id(entry)] = source

    def block(self, entry: CalendarEntry, lang: str) -> bytes:
        source = self.sources.get(id(entry))
        if self.memo is None or source is None:
            return event_block(entry, lang)
        kept = self.memo.recall(source)
        if isinstance(kept, tuple) and kept[0] == lang:
            return kept[1]
        made = event_block(entry, lang)
        self.memo.remember(source, (lang, made))
        return made


class EventsGenerator(Generator):
    """Write each language's events listing, month calendars, events.ics and every event.ics."""

    def generate_context(self):
        options = settings_of(self.settings)
        now = options["EVENTS_NOW"] or dt.datetime.now(dt.UTC)
        languages = self.settings["LANGUAGES"]
        events = [s for s in self.context["articles"] if getattr(s, "event", None)]
        if options["EVENTS_NOW"] is None:
            # Pages change by the clock alone when an event ends and at midnight (calendars mark today).
            expire_output_at(output_expiry(events, now))
        self.listings: list[Listing] = []
        for lang in languages:
            self.listings += events_pages(
                lang, [s for s in events if s.lang == lang], now, self.settings["DEFAULT_PAGINATION"] or None
            )
        link_listing_versions(self.listings, languages)
        for page in self.listings:
            page.details["subscribe_url"] = subscribe_url(self.settings["SITEURL"], page.details["feed_url"])
            if page.template == "events_calendar":
                # A month with no events in the other language switches to that language's events.
                page.switch = switch_targets(page.alternates, languages, listing_url)
        self.calendars = self._calendars(events, options["EVENTS_UID_DOMAIN"])

    def _calendars(self, events: list, domain: str) -> dict[str, bytes]:
        """Return every .ics file to write, by its path in the output: built before anything is written.

        A calendar made from the same stories as in the previous build is kept from its output instead.
        """
        siteurl = self.settings["SITEURL"]
        files: dict[str, bytes] = {}
        blocks = EventBlocks(source_memo("calendar-events"))
        for lang in self.settings["LANGUAGES"]:
            gettext = interface_catalog(self.settings, lang).gettext
            prodid = f"-//{domain}//Almaty events calendar//{lang.upper()}"
            entries = {}
            in_language = [s for s in events if s.lang == lang]
            for story in in_language:
                entries[story] = self._entry(story, domain, siteurl)
                blocks.note(entries[story], story.source_path)
                path = f"{story.url}event.ics"
                if not keep_if_made_from(path, [story]):
                    files[path] = build_calendar(
                        CalendarInfo(prodid=prodid, uid="", lang=lang, name="", feed=False), [entries[story]]
                    )
            if keep_if_made_from(feed_url(lang), in_language):
                continue
            files[feed_url(lang)] = build_calendar(
                CalendarInfo(
                    prodid=prodid,
                    uid=f"{feed_url(lang)}@{domain}",
                    lang=lang,
                    name=f"{gettext('Almaty: news and events')} — {gettext('Event calendar')}",
                    description=gettext("News and events of Almaty in Russian and Kazakh."),
                    url=url_on_host(siteurl, feed_url(lang)),
                ),
                list(entries.values()),
                blocks.block,
            )
        return files

    @staticmethod
    def _entry(story, domain: str, siteurl: str) -> CalendarEntry:
        event = story.event
        url = url_on_host(siteurl, story.url)
        summary = html_to_text(getattr(story, "summary", ""))
        place = [event.location, event.address]
        if event.address and LOCALITY not in event.address:
            place.append(LOCALITY)
        stamp, sequence = revision(story.date, getattr(story, "modified", None))
        return CalendarEntry(
            uid=event_uid(story.translation_key, story.lang, domain),
            when=event.when,
            summary=str(story.title),
            stamp=stamp,
            created=story.date,
            sequence=sequence,
            location=", ".join(p for p in place if p),
            description="\n\n".join(p for p in (summary, url) if p),
            url=url,
            categories=[str(tag) for tag in getattr(story, "tags", [])],
        )

    def generate_output(self, writer):
        write_listings(self, writer, self.listings)
        for path, data in self.calendars.items():
            target = Path(self.output_path) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            logger.info("Writing %s", target)  # as Pelican logs its own writes (INFO, -v): English


def get_generators(pelican_object):
    return EventsGenerator


def register():
    signals.article_generator_finalized.connect(attach_events)
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(get_generators)

"""Help readers and search engines find the stories: feeds, sitemap, robots.txt, head metadata, 404."""

import logging
import mimetypes
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from PIL import Image

from bilingual.ordering import newest_first
from content_format.text import html_to_text
from l10n.dates import in_almaty, iso_datetime
from l10n.messages import _

from . import feeds, sitemap, structured_data
from .urls import absolute_url, public_url

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Newest stories per language feed.
    "DISCOVERY_FEED_ITEMS": 20,
    # Authority of the feed entry ids (tag:AUTHORITY,DATE:…); None takes FEED_DOMAIN's host.
    # Entry ids must never change, so keep it when the site moves to another host.
    "DISCOVERY_ID_AUTHORITY": None,
    "DISCOVERY_OG_LOCALES": {"ru": "ru_RU", "kk": "kk_KZ"},
    # schema.org type of the stories of each section; other sections get breadcrumbs only
    # (events describe themselves as Event).
    "DISCOVERY_ARTICLE_TYPES": {"news": "NewsArticle"},
    # The publisher's logo, inside the theme's static folder.
    "DISCOVERY_LOGO": "images/logo.png",
}
_ROOT_RELATIVE = re.compile(r'(?P<attr>\b(?:href|src)=")/(?!/)')
_SRCSET = re.compile(r'\bsrcset="(?P<value>[^"]*)"')


def settings_of(settings: Mapping) -> dict:
    """Return this plugin's settings merged over the defaults, validated."""
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    items = merged["DISCOVERY_FEED_ITEMS"]
    if not isinstance(items, int) or items < 1:
        raise SystemExit(
            _(
                "DISCOVERY_FEED_ITEMS must be a whole number of stories above 0, not {value}",
                value=repr(items),
            )
        )
    return merged


def id_authority(settings: Mapping) -> str:
    """Return the authority of feed entry ids: a host name that never changes."""
    configured = settings_of(settings)["DISCOVERY_ID_AUTHORITY"]
    return configured or urlsplit(settings.get("FEED_DOMAIN") or public_url(settings)).hostname


def absolute_links(html: str, base: str) -> str:
    """Rewrite root-relative href, src and srcset URLs in an HTML fragment as absolute URLs."""
    html = _ROOT_RELATIVE.sub(lambda m: f"{m['attr']}{base}/", html)

    def fix_srcset(match: re.Match) -> str:
        candidates = []
        for candidate in match["value"].split(","):
            parts = candidate.strip().split(None, 1)
            if parts:
                parts[0] = absolute_url(base, parts[0]) if parts[0].startswith("/") else parts[0]
                candidates.append(" ".join(parts))
        return f'srcset="{", ".join(candidates)}"'

    return _SRCSET.sub(fix_srcset, html)


def last_change(story):
    """Return when a story last changed: its Modified, else its publication date."""
    return getattr(story, "modified", None) or story.date


def cover_url(story) -> str | None:
    """Return the cover picture's URL relative to the site, if the story has one."""
    published = getattr(story, "cover_picture", None)  # the pictures plugin's re-encoded copy
    if published:
        return published.url
    image = getattr(story, "image", None)
    return f"{story.story_folder}/{image}" if image else None


def share_image(story) -> str | None:
    """Return the picture for link previews: the 1200×630 derivative when there is one, else the cover."""
    return getattr(story, "og_image", None) or cover_url(story)


def shared_picture(story, url: str) -> str | dict:
    """Return the share picture for JSON-LD: its URL, or an ImageObject with its credit when it has one."""
    credit = getattr(story, "og_image_credit", "")
    return structured_data.image_object(url, credit) if credit else url


# --- feeds -----------------------------------------------------------------------------------


def feed_entry(story, base: str, authority: str, content_root: Path) -> feeds.FeedEntry:
    """Describe one story for the feeds, with absolute URLs and a cover enclosure."""
    cover = None
    cover_html = ""
    published = getattr(story, "cover_picture", None)
    if published:
        cover = feeds.Cover(absolute_url(base, published.url), published.length, published.mime_type)
    elif cover_url(story):
        source = content_root / story.story_folder / story.image
        mime_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        cover = feeds.Cover(absolute_url(base, cover_url(story)), source.stat().st_size, mime_type)
    if cover:
        alt = Markup.escape(getattr(story, "image_alt", ""))
        cover_html = f'<p><img src="{cover.url}" alt="{alt}"></p>'
    summary = absolute_links(str(story.summary), base)
    return feeds.FeedEntry(
        id=feeds.tag_uri(authority, in_almaty(story.date).date(), f"{story.translation_key}/{story.lang}"),
        title=str(story.title),
        url=absolute_url(base, story.url),
        published=story.date,
        updated=last_change(story),
        summary_html=cover_html + summary,
        content_html=cover_html + absolute_links(str(story.content), base),
        categories=[str(tag) for tag in getattr(story, "tags", [])],
        cover=cover,
    )


# --- sitemap ---------------------------------------------------------------------------------


def sitemap_entries(
    stories: list, pages: list, listings: Iterable, languages: Iterable[str]
) -> list[sitemap.SitemapEntry]:
    """Return an entry for every story, page and listing; lastmod from the stories, never the clock."""
    newest_overall = max((last_change(s) for s in stories), default=feeds.EPOCH)
    newest_in = {
        lang: max((last_change(s) for s in stories if s.lang == lang), default=newest_overall)
        for lang in languages
    }
    entries = [sitemap.SitemapEntry(s.url, iso_datetime(last_change(s)), dict(s.alternates)) for s in stories]
    entries += [
        # A page without Modified is taken as current when the newest story appeared.
        sitemap.SitemapEntry(
            p.url, iso_datetime(getattr(p, "modified", None) or newest_overall), dict(p.alternates)
        )
        for p in pages
    ]
    for listing in listings:
        if listing.template == "root":  # the language chooser only redirects
            continue
        shown = [last_change(s) for s in listing.stories]
        lastmod = max(shown, default=newest_in.get(listing.lang, newest_overall))
        entries.append(sitemap.SitemapEntry(listing.url, iso_datetime(lastmod), dict(listing.alternates)))
    return entries


def robots_txt(base: str, bundle_dir: str | None) -> str:
    """Return robots.txt: crawl everything but the search bundle, and find the sitemap here."""
    lines = ["User-agent: *"]
    path = urlsplit(base).path.rstrip("/")
    if bundle_dir:
        lines.append(f"Disallow: {path}/{bundle_dir.strip('/')}/")
    else:
        lines.append("Disallow:")
    lines += ["", f"Sitemap: {base}/sitemap.xml"]
    return "\n".join(lines) + "\n"


# --- templates -------------------------------------------------------------------------------


def logo_of(settings: Mapping, base: str) -> structured_data.Logo | None:
    """Return the publisher logo's absolute URL and size, read from the theme."""
    relative = settings_of(settings)["DISCOVERY_LOGO"]
    source = Path(settings["THEME"]) / "static" / relative
    if not source.is_file():
        return None
    with Image.open(source) as picture:
        width, height = picture.size
    return structured_data.Logo(
        absolute_url(base, f"{settings['THEME_STATIC_DIR']}/{relative}"), width, height
    )


def make_story_structured_data(settings: Mapping, base: str):
    """Return the Jinja global that describes a story as JSON-LD, in the page's language."""
    article_types = settings_of(settings)["DISCOVERY_ARTICLE_TYPES"]
    logo = logo_of(settings, base)

    @pass_context
    def story_structured_data(context, story, publisher: str, trail: list[tuple[str, str]]) -> Markup:
        lang = context["lang"]
        organization = structured_data.organization(str(publisher), absolute_url(base, f"{lang}/"), logo)
        crumbs = [(str(name), absolute_url(base, url)) for name, url in trail]
        crumbs.append((str(story.title), absolute_url(base, story.url)))
        blocks = []
        article_type = article_types.get(getattr(story, "section", None))
        if article_type:
            image = share_image(story)
            # A story without a cover is shown by the site's logo, as in its Open Graph.
            fallback = [logo.url] if logo else []
            blocks.append(
                structured_data.news_article(
                    article_type=article_type,
                    url=absolute_url(base, story.url),
                    headline=str(story.title),
                    description=html_to_text(story.summary),
                    published=iso_datetime(story.date),
                    modified=iso_datetime(last_change(story)),
                    lang=story.lang,
                    images=[shared_picture(story, absolute_url(base, image))] if image else fallback,
                    publisher=organization,
                    keywords=[str(tag) for tag in getattr(story, "tags", [])],
                )
            )
        blocks.append(structured_data.breadcrumb_list(crumbs))
        return Markup("\n".join(structured_data.script_tag(block) for block in blocks))

    return story_structured_data


def setup_templates(generator) -> None:
    """Give templates absolute URLs, plain text of HTML, Open Graph locales, the logo and story JSON-LD."""
    if not hasattr(generator, "env"):
        return
    settings = generator.settings
    base = public_url(settings)
    options = settings_of(settings)
    generator.env.filters["absolute_url"] = lambda url: absolute_url(base, str(url))
    generator.env.filters["share_image"] = share_image
    # A Summary (HTML) where only text may go: the meta description.
    generator.env.filters["html_text"] = html_to_text
    generator.env.globals.update(
        OG_LOCALES=options["DISCOVERY_OG_LOCALES"],
        SITE_LOGO=logo_of(settings, base),
        story_structured_data=make_story_structured_data(settings, base),
    )


class DiscoveryGenerator(Generator):
    """Write each language's feeds, the sitemap, robots.txt and the bilingual 404 page."""

    def generate_context(self):
        # Filled by collect_listings once every generator has planned its pages.
        self.listings: list = []

    def generate_output(self, writer):
        base = public_url(self.settings)
        output = Path(self.output_path)
        languages = self.settings["LANGUAGES"]
        stories = self.context["articles"]
        self.write_feeds(output, base, stories, languages)
        entries = sitemap_entries(stories, self.context["pages"], self.listings, languages)
        xml = sitemap.sitemap_xml(entries, base, self.settings["DEFAULT_LANG"])
        (output / "sitemap.xml").write_text(xml, encoding="utf-8")
        bundle = self.settings.get("SEARCH_BUNDLE_DIR", "pagefind") if self._searching() else None
        (output / "robots.txt").write_text(robots_txt(base, bundle), encoding="utf-8")
        writer.write_file(
            "404.html",
            self.get_template("404"),
            self.context,
            lang=self.settings["DEFAULT_LANG"],
            url="404.html",
        )

    def _searching(self) -> bool:
        return any(listing.template == "search" for listing in self.listings)

    def write_feeds(self, output: Path, base: str, stories: list, languages: Iterable[str]) -> None:
        options = settings_of(self.settings)
        authority = id_authority(self.settings)
        content_root = Path(self.settings["PATH"])
        texts = self.get_template("partials/feed_texts")
        for lang in languages:
            newest = newest_first(s for s in stories if s.lang == lang)[: options["DISCOVERY_FEED_ITEMS"]]
            words = texts.make_module({"lang": lang})
            info = feeds.FeedInfo(
                title=str(words.feed_title),
                description=str(words.feed_description),
                lang=lang,
                home_url=absolute_url(base, f"{lang}/"),
                atom_url=absolute_url(base, f"{lang}/atom.xml"),
                rss_url=absolute_url(base, f"{lang}/rss.xml"),
                author=str(words.publisher),
                entries=[feed_entry(story, base, authority, content_root) for story in newest],
            )
            folder = output / lang
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "atom.xml").write_bytes(feeds.atom_feed(info))
            (folder / "rss.xml").write_bytes(feeds.rss_feed(info))


def collect_listings(generators) -> None:
    """Hand every planned listing page (home, sections, tags, archives, search) to the sitemap."""
    listings = [listing for g in generators for listing in getattr(g, "listings", [])]
    for generator in generators:
        if isinstance(generator, DiscoveryGenerator):
            generator.listings = listings


def get_generators(pelican_object):
    return DiscoveryGenerator


def register():
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(collect_listings)

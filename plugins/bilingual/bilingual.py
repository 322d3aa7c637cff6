"""Build both languages in one Pelican run: versions, language switch, neighbours, listings."""

import logging

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator

from build_core.pelican_seam import skip_listing_pages

from .cards import remember_cards
from .listings import Listing, language_listings, link_listing_versions, tag_url
from .ordering import oldest_first, with_neighbours
from .related import read_also
from .versions import group_versions, switch_targets

logger = logging.getLogger(__name__)

STORY_SECTIONS = ("news", "events")
DEFAULTS = {
    # Sections whose /{lang}/{section}/ is a plain newest-first listing written here; a plugin that
    # writes its own section listing (events) is left out of this in the settings.
    "BILINGUAL_SECTION_LISTINGS": STORY_SECTIONS,
}


def section_listings(settings: dict) -> tuple[str, ...]:
    """Return the sections that get a plain newest-first listing."""
    return tuple(settings.get("BILINGUAL_SECTION_LISTINGS", DEFAULTS["BILINGUAL_SECTION_LISTINGS"]))


def link_versions(contents: list, languages: list[str]) -> None:
    """Give each story or page its `alternates` ({lang: url}, itself included) and `switch` targets."""
    versions = group_versions(contents, key=lambda c: c.translation_key, lang=lambda c: c.lang)
    for content in contents:
        same = versions[content.translation_key]
        content.alternates = {lang: same[lang].url for lang in languages if lang in same}
        content.translations = [same[lang] for lang in languages if lang in same and lang != content.lang]
        content.switch = switch_targets(content.alternates, languages, lambda lang: f"{lang}/")


def link_neighbours(articles: list, languages: list[str]) -> None:
    """Set `older` and `newer` on every story, within its own language, across sections."""
    for lang in languages:
        in_language = oldest_first(a for a in articles if a.lang == lang)
        for older, story, newer in with_neighbours(in_language):
            story.older, story.newer = older, newer


def tag_addresses(story) -> list[str]:
    """Return a story's tags by address: spellings sharing one are one tag (the checks see to that)."""
    return [url for _, url in story.tag_links]


def link_read_also(articles: list, languages: list[str]) -> None:
    """Set `read_also` on every story: earlier stories of its language sharing the most tags."""
    for lang in languages:
        in_language = oldest_first(a for a in articles if a.lang == lang)
        for story, related in zip(in_language, read_also(in_language, tag_addresses), strict=True):
            story.read_also = related


def keep_url_and_save_as(content) -> None:
    """Compute a story's or page's URL and file name once, as soon as it is made, and keep them."""
    # Nothing changes the metadata they come from after reading, and listings, neighbours and
    # language switches ask for the same URL thousands of times; Pelican formats them on every use.
    # Kept on the object, they also travel with it through the incremental plugin's cache.
    if isinstance(content, Article | Page):
        content.override_url, content.override_save_as = content.url, content.save_as


def prepare_stories(generator) -> None:
    """After reading: pair language versions, chain neighbours, attach tag links."""
    languages = generator.settings["LANGUAGES"]
    stories = generator.articles
    link_versions(stories, languages)
    link_neighbours(stories, languages)
    for story in stories:
        story.tag_links = [(str(tag), tag_url(story.lang, str(tag))) for tag in getattr(story, "tags", [])]
    link_read_also(stories, languages)


def prepare_pages(generator) -> None:
    link_versions(generator.pages, generator.settings["LANGUAGES"])


def write_listings(generator: Generator, writer, listings: list[Listing], **extra) -> None:
    """Render listing pages with their templates, each in its own language."""
    for listing in listings:
        writer.write_file(
            listing.save_as,
            generator.get_template(listing.template),
            generator.context,
            lang=listing.lang,
            listing=listing,
            articles=listing.stories,
            url=listing.url,
            **extra,
        )


def skip_unwritten_listings(generator) -> None:
    """Stop Pelican working out the tag, category and author pages that the settings never write."""
    # Each pairs every tag with every story (quadratic: seconds at archive size) before writing nothing.
    skip_listing_pages(generator, generator.settings)


class ListingsGenerator(Generator):
    """Write each language's home, sections, tags and date archives, plus the site root."""

    def generate_context(self):
        languages = self.settings["LANGUAGES"]
        stories = self.context["articles"]
        self.listings: list[Listing] = []
        for lang in languages:
            self.listings += language_listings(
                lang,
                [s for s in stories if s.lang == lang],
                section_listings(self.settings),
                self.settings["DEFAULT_PAGINATION"] or None,
            )
        link_listing_versions(self.listings, languages)
        default = self.settings["DEFAULT_LANG"]
        root = Listing("root", ("root",), default, "")
        root.alternates = {lang: f"{lang}/" for lang in languages}
        root.switch = dict(root.alternates)
        self.listings.append(root)

    def generate_output(self, writer):
        write_listings(self, writer, self.listings)


def get_generators(pelican_object):
    return ListingsGenerator


def register():
    signals.content_object_init.connect(keep_url_and_save_as)
    signals.article_generator_init.connect(skip_unwritten_listings)
    signals.article_generator_finalized.connect(prepare_stories)
    signals.page_generator_finalized.connect(prepare_pages)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(remember_cards)

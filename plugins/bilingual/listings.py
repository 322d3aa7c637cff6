"""Plan every per-language listing page (home, sections, tags, archives); own `Listing`, events' too."""

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from l10n.translit import slugify

from .ordering import newest_first
from .versions import group_versions, switch_targets


@dataclass(eq=False)
class Listing:
    """One page of a listing in one language; `template` is the theme template that renders it."""

    template: str
    key: tuple  # the same listing in every language, e.g. ("section", "news")
    lang: str
    url: str  # relative to SITEURL, ends with "/"
    stories: list = field(default_factory=list)
    number: int = 1
    page_count: int = 1
    first_url: str = ""
    details: dict = field(default_factory=dict)  # what the template shows besides stories
    alternates: dict[str, str] = field(default_factory=dict)
    switch: dict[str, str] = field(default_factory=dict)

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    def page_url(self, number: int) -> str:
        return self.first_url if number == 1 else f"{self.first_url}page/{number}/"

    @property
    def newer_page_url(self) -> str | None:
        return self.page_url(self.number - 1) if self.number > 1 else None

    @property
    def older_page_url(self) -> str | None:
        return self.page_url(self.number + 1) if self.number < self.page_count else None


def paginate(
    template: str, key: tuple, lang: str, url: str, stories: Sequence, per_page: int | None, **details
) -> list[Listing]:
    """Split stories into pages at url, url/page/2/, …; an empty listing still gets its first page."""
    size = per_page or max(len(stories), 1)
    count = max(1, math.ceil(len(stories) / size))
    pages = [
        Listing(template, key, lang, url, list(stories[(n - 1) * size : n * size]), n, count, url, details)
        for n in range(1, count + 1)
    ]
    for page in pages:
        page.url = page.page_url(page.number)
    return pages


@functools.lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """Return a tag's slug (remembered: a site has few tags, used on thousands of stories)."""
    return slugify(name)


def tag_url(lang: str, name: str) -> str:
    return f"{lang}/tags/{tag_slug(name)}/"


def language_listings(
    lang: str, stories: Iterable, sections: Sequence[str], per_page: int | None
) -> list[Listing]:
    """Return all listing pages of one language, given that language's stories."""
    ordered = newest_first(stories)
    pages = paginate("index", ("home",), lang, f"{lang}/", ordered, per_page)
    for section in sections:
        in_section = [story for story in ordered if story.section == section]
        pages += paginate(
            "section", ("section", section), lang, f"{lang}/{section}/", in_section, per_page, section=section
        )

    tagged: dict[str, list] = defaultdict(list)
    tag_names: dict[str, str] = {}
    for story in ordered:
        for tag in getattr(story, "tags", []):
            slug = tag_slug(str(tag))
            tag_names.setdefault(slug, str(tag))
            tagged[slug].append(story)
    for slug, tag_stories in sorted(tagged.items()):
        pages += paginate(
            "tag", ("tag", slug), lang, f"{lang}/tags/{slug}/", tag_stories, per_page, tag=tag_names[slug]
        )
    tag_index = sorted(
        ((tag_names[s], f"{lang}/tags/{s}/", len(v)) for s, v in tagged.items()),
        key=lambda row: row[0].lower(),
    )
    pages.append(Listing("tags", ("tags",), lang, f"{lang}/tags/", details={"tags": tag_index}))

    pages += _date_archives(lang, ordered)
    return pages


def _date_archives(lang: str, ordered: list) -> list[Listing]:
    by_month: dict[tuple[int, int], list] = defaultdict(list)
    for story in ordered:
        by_month[(story.date.year, story.date.month)].append(story)
    months_of_year: dict[int, list] = defaultdict(list)
    pages = []
    for (year, month), month_stories in sorted(by_month.items(), reverse=True):
        url = f"{lang}/archive/{year}/{month:02d}/"
        first_day = dt.date(year, month, 1)
        months_of_year[year].append({"month": first_day, "url": url, "count": len(month_stories)})
        pages += paginate(
            "period_archives",
            ("month", year, month),
            lang,
            url,
            month_stories,
            None,
            period=first_day,
            granularity="month",
        )
    for year, months in months_of_year.items():
        pages.append(
            Listing(
                "period_archives",
                ("year", year),
                lang,
                f"{lang}/archive/{year}/",
                details={
                    "year": year,
                    "months": months,
                    "granularity": "year",
                    "count": sum(m["count"] for m in months),
                },
            )
        )
    years = [
        {"year": y, "url": f"{lang}/archive/{y}/", "months": m, "count": sum(x["count"] for x in m)}
        for y, m in sorted(months_of_year.items(), reverse=True)
    ]
    pages.append(Listing("archives", ("archives",), lang, f"{lang}/archive/", details={"years": years}))
    return pages


def link_listing_versions(listings: list[Listing], languages: Sequence[str]) -> None:
    """Set each listing page's alternates (the same page in each language) and switch targets."""
    same_page = group_versions(listings, key=lambda p: (p.template, p.key, p.number), lang=lambda p: p.lang)
    first_pages = {(p.key, p.lang): p.url for p in listings if p.number == 1}
    for page in listings:
        page.alternates = {
            lang: p.url for lang, p in sorted(same_page[(page.template, page.key, page.number)].items())
        }

        def fallback(lang: str, key=page.key) -> str:
            # Same listing's first page, else the tag index for tags, else the language's home.
            if (key, lang) in first_pages:
                return first_pages[(key, lang)]
            if key[0] == "tag":
                return f"{lang}/tags/"
            return f"{lang}/"

        page.switch = switch_targets(page.alternates, languages, fallback)

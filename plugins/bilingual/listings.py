"""Plan every per-language listing page (home, sections, tags, archives); own `Listing`, events' too."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from l10n.dates import in_almaty
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
    number: int | None = None  # k of /page/k/ (counted from the oldest); None for the listing's first page
    first_url: str = ""
    details: dict = field(default_factory=dict)  # what the template shows besides stories
    alternates: dict[str, str] = field(default_factory=dict)
    switch: dict[str, str] = field(default_factory=dict)
    # What a page of a paginated listing shows besides its stories: fields, not properties, so that a
    # numbered page's key (plugins/incremental) holds exactly what the page shows, never the page count.
    newer_page_url: str | None = None
    older_page_url: str | None = None
    days: tuple[dt.date, dt.date] | None = None  # the first and last day the page covers

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    @property
    def is_first(self) -> bool:
        return self.number is None

    @property
    def paginated(self) -> bool:
        return bool(self.newer_page_url or self.older_page_url)


def pages_from_oldest(count: int, per_page: int | None) -> list[range]:
    """Split positions 0…count-1, oldest first, into pages: numbered pages 1…F-1, then the first page.

    With F = count // per_page full pages, page k holds positions (k-1)·P … k·P-1 and the first
    page holds the rest: the newest full page and the stories no full page holds (P to 2P-1 of
    them, or all when there are fewer than 2P). A new story changes only the first page, and
    makes at most one more numbered page.
    """
    if not per_page or count < 2 * per_page:
        return [range(count)]
    full = count // per_page
    numbered = [range((k - 1) * per_page, k * per_page) for k in range(1, full)]
    return [*numbered, range((full - 1) * per_page, count)]


def published_days(stories: Sequence) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day (in Almaty) on which the stories were published."""
    days = [in_almaty(story.date).date() for story in stories]
    return (min(days), max(days)) if days else None


def paginate(
    template: str,
    key: tuple,
    lang: str,
    url: str,
    stories: Sequence,
    per_page: int | None,
    days: Callable[[Sequence], tuple[dt.date, dt.date] | None] = published_days,
    **details,
) -> list[Listing]:
    """Split stories (newest first) into pages numbered from the oldest: url/page/1/, …, then url itself.

    Each page shows its stories newest first; the first page, at url, comes last in the list.
    """
    oldest = list(reversed(stories))
    spans = pages_from_oldest(len(oldest), per_page)
    last = len(spans)
    pages = []
    for number, span in enumerate(spans, start=1):
        shown = [oldest[i] for i in reversed(span)]
        page_url = url if number == last else f"{url}page/{number}/"
        page = Listing(template, key, lang, page_url, shown, None if number == last else number, url, details)
        page.days = days(shown)
        pages.append(page)
    for index, page in enumerate(pages):
        page.older_page_url = pages[index - 1].url if index > 0 else None
        page.newer_page_url = pages[index + 1].url if index + 1 < last else None
    return pages


def tag_slug(name: str) -> str:
    """Return a tag's slug (slugify remembers it: a site has few tags, used on thousands of stories)."""
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
    """Set each listing page's alternates (the same page in each language) and switch targets.

    A listing's first page is the same page in every language. Its numbered pages are not: page k
    of one language covers other days than page k of the other, so each is only its own version,
    and its language switch leads to the other language's first page of that listing.
    """
    same_page = group_versions(
        (p for p in listings if p.is_first), key=lambda p: (p.template, p.key), lang=lambda p: p.lang
    )
    first_pages = {(p.key, p.lang): p.url for p in listings if p.is_first}
    for page in listings:
        if page.is_first:
            versions = same_page[(page.template, page.key)]
            page.alternates = {lang: p.url for lang, p in sorted(versions.items())}
        else:
            page.alternates = {page.lang: page.url}

        def fallback(lang: str, key=page.key) -> str:
            # Same listing's first page, else the tag index for tags, else the language's home.
            if (key, lang) in first_pages:
                return first_pages[(key, lang)]
            if key[0] == "tag":
                return f"{lang}/tags/"
            return f"{lang}/"

        page.switch = switch_targets(page.alternates, languages, fallback)

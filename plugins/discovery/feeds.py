"""Write one language's Atom and RSS feeds: stable entry ids, dates from the stories, never the clock."""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

# A feed with no stories still needs a date; this one never changes between builds.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Cover:
    url: str
    length: int
    mime_type: str


@dataclass(frozen=True)
class FeedEntry:
    """One story as a feed shows it; URLs are absolute."""

    id: str
    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    summary_html: str
    content_html: str
    categories: Sequence[str] = ()
    cover: Cover | None = None


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself, in its own language."""

    title: str
    description: str
    lang: str
    home_url: str
    atom_url: str
    rss_url: str
    author: str
    entries: Sequence[FeedEntry] = field(default_factory=tuple)

    @property
    def updated(self) -> dt.datetime:
        """The newest change among the entries (the build clock never enters a feed)."""
        return max((entry.updated for entry in self.entries), default=EPOCH)


def tag_uri(authority: str, day: dt.date, specific: str) -> str:
    """Return an RFC 4151 tag URI: tag:example.org,2025-04-23:news/…/ru."""
    return f"tag:{authority},{day:%Y-%m-%d}:{specific}"


class _Dated:
    """Take the feed's date from its entries, not from the clock (feedgenerator falls back to now())."""

    feed_updated: dt.datetime

    def latest_post_date(self):
        return self.feed_updated


class _AtomFeed(_Dated, Atom1Feed):
    pass


class _RssFeed(_Dated, Rss201rev2Feed):
    pass


def _build(feed_class, info: FeedInfo, self_url: str, full_content: bool):
    feed = feed_class(
        title=info.title,
        link=info.home_url,
        description=info.description,
        language=info.lang,
        feed_url=self_url,
        feed_guid=self_url,
        author_name=info.author,
    )
    feed.feed_updated = info.updated
    for entry in info.entries:
        enclosures = (
            [Enclosure(entry.cover.url, str(entry.cover.length), entry.cover.mime_type)]
            if entry.cover
            else []
        )
        feed.add_item(
            title=entry.title,
            link=entry.url,
            description=entry.summary_html,
            content=entry.content_html if full_content else None,
            unique_id=entry.id,
            unique_id_is_permalink=False,
            pubdate=entry.published,
            updateddate=entry.updated,
            categories=list(entry.categories),
            enclosures=enclosures,
        )
    return feed


def _serialize(feed) -> bytes:
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode("utf-8")


def atom_feed(info: FeedInfo) -> bytes:
    """Return the Atom feed: summary and full text of each story."""
    return _serialize(_build(_AtomFeed, info, info.atom_url, full_content=True))


def rss_feed(info: FeedInfo) -> bytes:
    """Return the RSS 2.0 feed: the summary of each story."""
    return _serialize(_build(_RssFeed, info, info.rss_url, full_content=False))

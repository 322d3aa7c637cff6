"""Write sitemap.xml with every page once, its lastmod and each language version (xhtml:link)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .urls import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapEntry:
    """A page: its URL and its versions ({lang: URL}, itself included), relative to the site; lastmod ISO."""

    url: str
    lastmod: str
    alternates: Mapping[str, str]


def x_default(alternates: Mapping[str, str], default_lang: str) -> str | None:
    """Return the version for readers of no listed language: the default language's, else the first."""
    if not alternates:
        return None
    return alternates.get(default_lang) or next(iter(alternates.values()))


def sitemap_xml(entries: Sequence[SitemapEntry], base_url: str, default_lang: str) -> str:
    """Return the sitemap document; URLs are joined to base_url (absolute, no trailing slash)."""

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    seen = set()
    hrefs: dict[str, str] = {}  # each address is written for every version of its page: quoted once

    def href_of(url: str) -> str:
        href = hrefs.get(url)
        if href is None:
            href = hrefs[url] = quoteattr(absolute_url(base_url, url))
        return href

    for entry in sorted(entries, key=lambda e: e.url):
        if entry.url in seen:
            continue
        seen.add(entry.url)
        loc = escape(absolute_url(base_url, entry.url))
        lines.append(f"<url><loc>{loc}</loc><lastmod>{entry.lastmod}</lastmod>")
        versions = dict(entry.alternates)
        if versions:
            # The same set on every version, itself included, as the page's own hreflang links.
            for lang, url in [*versions.items(), ("x-default", x_default(versions, default_lang))]:
                lines.append(f'  <xhtml:link rel="alternate" hreflang="{lang}" href={href_of(url)}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"

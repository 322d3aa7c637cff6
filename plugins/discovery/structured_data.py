"""Describe stories for search engines as schema.org JSON-LD: NewsArticle, BreadcrumbList, Organization."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

SCHEMA = "https://schema.org"


@dataclass(frozen=True)
class Logo:
    url: str
    width: int
    height: int


def organization(name: str, url: str, logo: Logo | None) -> dict:
    """Return the publisher: the site as an Organization, with its logo."""
    data = {"@type": "Organization", "name": name, "url": url}
    if logo:
        data["logo"] = {"@type": "ImageObject", "url": logo.url, "width": logo.width, "height": logo.height}
    return data


def image_object(url: str, credit: str) -> dict:
    """Return a picture with the credit readers see under it (schema.org creditText)."""
    return {"@type": "ImageObject", "url": url, "creditText": credit}


def news_article(
    *,
    article_type: str,
    url: str,
    headline: str,
    description: str,
    published: str,
    modified: str,
    lang: str,
    images: Sequence[str | dict],
    publisher: dict,
    keywords: Sequence[str] = (),
) -> dict:
    """Return a NewsArticle (or another Article type) for one language version of a story."""
    data = {
        "@context": SCHEMA,
        "@type": article_type,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline,
        "description": description,
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": lang,
        "author": publisher,
        "publisher": publisher,
    }
    if images:
        data["image"] = list(images)
    if keywords:
        data["keywords"] = list(keywords)
    return data


def breadcrumb_list(trail: Sequence[tuple[str, str]]) -> dict:
    """Return a BreadcrumbList for (name, absolute URL) pairs, from the home page down."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def script_tag(data: dict) -> str:
    """Return a <script type="application/ld+json"> element that no text inside can close early."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    # "</script>" or "<!--" inside a headline must not end the element: escape "<", ">" and "&".
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'

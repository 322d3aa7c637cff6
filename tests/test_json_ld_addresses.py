"""JSON-LD in development builds: absolute addresses for events as for news, and a picture for every story."""

import json

import pytest

BASE = "https://almaty-news.example.kz"  # FEED_DOMAIN: the public address while SITEURL is ""


def blocks(page) -> dict[str, dict]:
    found = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    return {block["@type"]: block for block in found}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_event_json_ld_has_absolute_url_and_image_in_a_development_build(fixture_site, lang):
    url = f"/{lang}/events/2026/11/new-year-fair/"
    event = blocks(fixture_site.page(url))["Event"]
    assert event["url"] == BASE + url
    [image] = event["image"]
    assert image.startswith(f"{BASE}/media/fair-") and fixture_site.exists(image.removeprefix(BASE))


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_news_article_without_a_cover_shows_the_site_logo(fixture_site, lang):
    page = fixture_site.page(f"/{lang}/news/2026/01/snow/")
    assert page.select_one(".story__cover") is None
    article = blocks(page)["NewsArticle"]
    logo = page.find("meta", property="og:image")["content"]
    assert article["image"] == [logo] and logo.startswith(f"{BASE}/theme/")
    # A story with a cover keeps its own picture.
    pictured = blocks(fixture_site.page(f"/{lang}/news/2024/02/city-library/"))["NewsArticle"]
    assert pictured["image"] != [logo] and "/media/" in pictured["image"][0]

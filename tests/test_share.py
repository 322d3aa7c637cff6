"""Share links on story pages: the page's absolute address and title, plain links, a script of our own."""

import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXTURE_NOW, FIXTURE_SITE, Site, add_fixture_pictures, build

BASE = "https://almaty-news.example.kz"  # FEED_DOMAIN: the public address while SITEURL is ""
STORIES = {
    "ru": ("/ru/news/2024/02/city-library/", "Поделиться", "Скопировать ссылку", "Ссылка скопирована"),
    "kk": ("/kk/news/2024/02/city-library/", "Бөлісу", "Сілтемені көшіру", "Сілтеме көшірілді"),
}


def share_of(fixture_site, lang: str):
    url = STORIES[lang][0]
    page = fixture_site.page(url)
    return page, page.select_one("section.share")


@pytest.mark.parametrize("lang", STORIES)
def test_share_links_carry_the_absolute_address_and_the_title(fixture_site, lang):
    page, share = share_of(fixture_site, lang)
    url, heading, *_ = STORIES[lang]
    address, title = BASE + url, page.h1.get_text(strip=True)
    assert share.h2.get_text(strip=True) == heading
    links = {a.get_text(strip=True): urlsplit(a["href"]) for a in share.select("a")}
    assert list(links) == ["Telegram", "WhatsApp", "VK"]
    telegram, whatsapp, vk = links.values()
    assert (telegram.scheme, telegram.netloc, telegram.path) == ("https", "t.me", "/share/url")
    assert parse_qs(telegram.query) == {"url": [address], "text": [title]}
    assert (whatsapp.netloc, parse_qs(whatsapp.query)) == ("wa.me", {"text": [f"{title} {address}"]})
    assert (vk.netloc, vk.path, parse_qs(vk.query)) == (
        "vk.com",
        "/share.php",
        {"url": [address], "title": [title]},
    )


def test_a_title_with_markup_characters_stays_text_in_the_links(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    story = content / "news/2026/2026-01-15-snow/ru.md"
    story.write_text('Title: Снег & "лёд" <b>#1</b>?\n\nТекст.\n', encoding="utf-8")
    build(content, tmp_path / "out", EVENTS_NOW=FIXTURE_NOW, CACHE_PATH=str(tmp_path / "cache"))
    share = Site(tmp_path / "out").page("/ru/news/2026/01/snow/").select_one("section.share")
    telegram = urlsplit(share.a["href"])
    assert parse_qs(telegram.query)["text"] == ['Снег & "лёд" <b>#1</b>?']
    assert share.select_one(".share__actions")["data-share-title"] == 'Снег & "лёд" <b>#1</b>?'
    assert share.find("b") is None


@pytest.mark.parametrize("lang", STORIES)
def test_nothing_of_the_services_loads_and_the_buttons_wait_for_the_script(fixture_site, lang):
    page, share = share_of(fixture_site, lang)
    _, _, copy, copied = STORIES[lang]
    actions = share.select_one(".share__actions")
    # Hidden without JavaScript: a button that does nothing would be a trap.
    assert actions.has_attr("hidden")
    assert actions.select_one("[data-share-copy]").get_text(strip=True) == copy
    assert actions["data-copied"] == copied
    assert actions.select_one("[role=status]") is not None
    services = ("t.me", "wa.me", "vk.com", "telegram", "whatsapp", "vk.ru")
    for element in page.select("script[src], link[href], img[src], iframe, source[srcset]"):
        address = element.get("src") or element.get("href") or element.get("srcset")
        assert not any(service in urlsplit(address).netloc for service in services), address
    scripts = [s["src"] for s in share.select("script")]
    assert len(scripts) == 1 and scripts[0].startswith("/theme/js/share.js?v=")
    assert all(s.has_attr("src") for s in page.select("script") if s.get("type") != "application/ld+json")


def test_every_story_page_has_share_links_and_listings_have_none(fixture_site):
    for lang in STORIES:
        for url in fixture_site.story_urls(lang):
            assert fixture_site.page(url).select_one("section.share") is not None, url
        assert fixture_site.page(f"/{lang}/").select_one("section.share") is None

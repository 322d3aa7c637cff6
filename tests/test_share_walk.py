"""A reader shares a story from the keyboard: the service links, then the copy button; axe finds nothing."""

from urllib.parse import urlsplit

import pytest
from browsing import LANGS, SIZES
from test_accessibility import axe_in_every_mode, focused, open_reader

pytestmark = pytest.mark.browser  # drives Chromium: `make test` runs it, the fast loop does not

COPIED = {"ru": "Ссылка скопирована", "kk": "Сілтеме көшірілді"}
COPY = {"ru": "Скопировать ссылку", "kk": "Сілтемені көшіру"}
SERVICES = ("t.me", "wa.me", "vk.com")


def story_with_read_also(sample_site, lang: str) -> str:
    """The newest published story page of the language that shows Read also and the share links."""
    for url in reversed(sample_site.story_urls(lang)):
        page = sample_site.page(url)
        if page.select_one("section.read-also") and not page.select_one(".preview-mark"):
            return url
    pytest.fail(f"no {lang} story in content/ shows Read also")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_tab_walks_the_share_links_then_copies_the_address(chromium, sample_server, sample_site, lang, size):
    # Reduced motion: focus scrolls the page at once, not smoothly, before the focus is measured.
    reader = open_reader(chromium, sample_server, viewport=SIZES[size], reduced_motion="reduce")
    origin = urlsplit(sample_server)
    reader.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sample_server)
    requested = []
    reader.page.on("request", lambda request: requested.append(urlsplit(request.url).netloc))
    url = story_with_read_also(sample_site, lang)
    reader.open(url)
    # Start from the share heading, as a reader tabbing down from the story's text arrives there.
    reader.page.locator("#share-title").evaluate("(heading) => { heading.tabIndex = -1; heading.focus(); }")
    stops = []
    for _ in range(5):
        reader.page.keyboard.press("Tab")
        stop = focused(reader)
        stops.append(stop)
        if stop["tag"] == "button":
            break
    assert [s["text"] for s in stops] == ["Telegram", "WhatsApp", "VK", COPY[lang]]
    for stop in stops:
        assert stop["onScreen"] and stop["outline"] >= 2, f"{stop} shows no focus"
    assert all(urlsplit(s["href"]).netloc in SERVICES for s in stops[:3])

    reader.page.keyboard.press("Enter")
    status = reader.page.locator(".share__status")
    status.filter(has_text=COPIED[lang]).wait_for()
    address = reader.page.locator(".share__actions").get_attribute("data-share-url")
    assert reader.page.evaluate("() => navigator.clipboard.readText()") == address
    assert urlsplit(address).path == url and urlsplit(address).scheme == "https"
    # Nothing was asked of the services: the links are plain until clicked.
    assert [host for host in requested if host not in (origin.netloc, "")] == []
    reader.page.context.close()
    reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_links_stay_and_the_buttons_do_not_show(
    chromium, sample_server, sample_site, lang
):
    reader = open_reader(chromium, sample_server, java_script_enabled=False)
    reader.open(story_with_read_also(sample_site, lang), pictures=False)
    assert reader.page.locator(".share__links a").count() == 3
    assert not reader.page.locator("[data-share-copy]").is_visible()
    reader.page.context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_on_a_story_with_read_also_and_share(
    chromium, sample_server, sample_site, request, lang
):
    reader = open_reader(chromium, sample_server, reduced_motion="reduce")
    reader.open(story_with_read_also(sample_site, lang), pictures=False)
    assert reader.page.locator(".share__actions").is_visible()
    found = axe_in_every_mode(reader, request.config, "story with Read also and share")
    reader.page.context.close()
    assert found == [], "\n".join(found)
    reader.assert_clean()

"""The low-vision version, the dark scheme, print and reduced motion, as a reader's browser shows them."""

import pytest
from browsing import LANGS, LOW_VISION, PHONE, Reader, pages_to_check

pytestmark = pytest.mark.browser  # drives Chromium: `make test` runs it, the fast loop does not

LABELS = {
    "ru": {
        "on": "Версия для слабовидящих",
        "off": "Обычная версия",
        "hide": "Скрыть изображения",
        "show": "Показать изображения",
    },
    "kk": {
        "on": "Нашар көретіндерге арналған нұсқа",
        "off": "Кәдімгі нұсқа",
        "hide": "Суреттерді жасыру",
        "show": "Суреттерді көрсету",
    },
}

# Computed text metrics and colours of the story's first paragraph and of the page behind it.
TEXT_STYLE = """() => {
  const p = document.querySelector("main p:not([class])") || document.querySelector("main p");
  const style = getComputedStyle(p);
  return {
    size: parseFloat(style.fontSize),
    lineHeight: parseFloat(style.lineHeight),
    letterSpacing: parseFloat(style.letterSpacing) || 0,
    wordSpacing: parseFloat(style.wordSpacing) || 0,
    color: style.color,
    background: getComputedStyle(document.body).backgroundColor,
  };
}"""


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2) of an `rgb(r, g, b)` colour."""
    channels = [float(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS colours."""
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def context(chromium):
    context = chromium.new_context(viewport=PHONE)
    yield context
    context.close()


def classes(reader: Reader) -> list[str]:
    return (reader.page.locator("html").get_attribute("class") or "").split()


@pytest.mark.parametrize("lang", LANGS)
def test_toggle_is_labelled_in_the_page_language_and_enlarges_contrasts_and_spaces_text(
    context, sample_server, sample_site, lang
):
    reader = Reader(context, sample_server)
    reader.open(pages_to_check(sample_site, lang)["story"])
    toggle = reader.page.locator('button[data-toggle="low-vision"]')
    assert toggle.is_visible()
    assert toggle.inner_text() == LABELS[lang]["on"]
    assert not reader.page.locator('button[data-toggle="no-images"]').is_visible()
    normal = reader.page.evaluate(TEXT_STYLE)

    toggle.click()
    assert "low-vision" in classes(reader)
    assert toggle.inner_text() == LABELS[lang]["off"]
    low = reader.page.evaluate(TEXT_STYLE)
    assert low["size"] >= 1.3 * normal["size"]
    assert low["lineHeight"] >= 1.7 * low["size"]
    assert low["letterSpacing"] >= 0.04 * low["size"]
    assert low["wordSpacing"] >= 0.12 * low["size"]
    assert contrast(low["color"], low["background"]) >= 15
    assert contrast(low["color"], low["background"]) > contrast(normal["color"], normal["background"])
    reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_mode_is_remembered_across_pages_and_visits(context, sample_server, lang):
    reader = Reader(context, sample_server)
    reader.open(f"/{lang}/")
    reader.page.locator('button[data-toggle="low-vision"]').click()
    reader.follow(reader.page.locator(".card__title a").first)
    assert "low-vision" in classes(reader)

    reader.page.close()
    visit = Reader(context, sample_server)
    visit.open(f"/{lang}/archive/")
    assert "low-vision" in classes(visit)
    visit.page.locator('button[data-toggle="low-vision"]').click()
    visit.open(f"/{lang}/")
    assert "low-vision" not in classes(visit)
    visit.assert_clean()
    reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_pictures_can_be_hidden_and_shown_again(context, sample_server, sample_site, lang):
    context.add_init_script(LOW_VISION)
    reader = Reader(context, sample_server)
    reader.open(pages_to_check(sample_site, lang)["story"])
    pictures = reader.page.locator("main img")
    assert pictures.count() > 0 and pictures.first.is_visible()
    hide = reader.page.locator('button[data-toggle="no-images"]')
    assert hide.inner_text() == LABELS[lang]["hide"]

    hide.click()
    assert hide.inner_text() == LABELS[lang]["show"]
    assert all(not pictures.nth(i).is_visible() for i in range(pictures.count()))
    reader.open(f"/{lang}/")
    assert reader.page.locator("main img").count() > 0
    assert not reader.page.locator("main img").first.is_visible(), "hidden pictures stay hidden"

    reader.page.locator('button[data-toggle="low-vision"]').click()
    assert reader.page.locator("main img").first.is_visible(), "the normal version always shows pictures"
    reader.assert_clean()


# Layout shifts as Chromium measures them, and <html>'s classes at the moment <body> is created.
MEASURE_SHIFTS = """
window.__shifts = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__shifts += entry.value; }
}).observe({ type: "layout-shift", buffered: true });
new MutationObserver((records, observer) => {
  if (document.body) { window.__classesAtBody = document.documentElement.className; observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });
"""


@pytest.mark.parametrize("lang", LANGS)
def test_mode_is_applied_before_the_first_paint_without_layout_shift(
    context, sample_server, sample_site, lang
):
    context.add_init_script(LOW_VISION)
    context.add_init_script(MEASURE_SHIFTS)
    reader = Reader(context, sample_server)
    # On a phone, pictures often arrive well after the first paint: hold them back until it is done.
    held = []
    reader.page.route("**/media/**", lambda route: held.append(route))
    pages = pages_to_check(sample_site, lang)
    # Pictures carry their width and height, so the room they take is known before they arrive.
    for url in (pages["home"], pages["story"], pages["event"], pages["archive"]):
        reader.page.goto(reader.url(url), wait_until="domcontentloaded")
        reader.page.wait_for_timeout(300)
        while held:
            held.pop().continue_()
        reader.page.wait_for_load_state("load")
        reader.page.wait_for_timeout(300)
        assert "low-vision" in reader.page.evaluate("window.__classesAtBody").split(), url
        assert reader.page.evaluate("window.__shifts") == 0, url
    reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_pages_are_readable_without_javascript(chromium, sample_server, sample_site, lang):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    reader = Reader(context, sample_server)
    reader.open(pages_to_check(sample_site, lang)["story"])
    page = reader.page
    assert page.locator("main h1").is_visible()
    assert page.locator(".story__body p").first.is_visible()
    assert page.locator(".language-switch a").first.is_visible()
    assert page.locator(".site-nav a").first.is_visible()
    assert not page.locator(".vision-controls").is_visible(), "no button that cannot work"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()
    reader.assert_clean()


@pytest.mark.parametrize("mode", ["normal", "low-vision"])
def test_dark_scheme_follows_the_system_setting(chromium, sample_server, sample_site, mode):
    url = pages_to_check(sample_site, "ru")["story"]
    looks = {}
    for scheme in ("light", "dark"):
        context = chromium.new_context(color_scheme=scheme)
        if mode == "low-vision":
            context.add_init_script(LOW_VISION)
        reader = Reader(context, sample_server)
        reader.open(url)
        looks[scheme] = reader.page.evaluate(TEXT_STYLE)
        context.close()
        reader.assert_clean()
    assert luminance(looks["light"]["background"]) > 0.8 > 0.05 > luminance(looks["dark"]["background"])
    assert luminance(looks["dark"]["color"]) > 0.6
    for look in looks.values():
        assert contrast(look["color"], look["background"]) >= (15 if mode == "low-vision" else 7)


def test_print_shows_the_story_and_link_addresses_without_navigation(chromium, sample_server, sample_site):
    linked = [u for u in sample_site.story_urls("ru") if sample_site.page(u).select(".story__body a[href]")]
    assert linked, "the sample content has a story with a link in its text"
    context = chromium.new_context()
    reader = Reader(context, sample_server)
    reader.open(linked[0])
    reader.page.emulate_media(media="print")
    for hidden in (".skip-link", ".site-nav", ".language-switch", ".vision-controls", ".neighbours"):
        assert reader.page.locator(hidden).evaluate("el => getComputedStyle(el).display") == "none", hidden
    assert reader.page.locator("main h1").is_visible()
    link = reader.page.locator(".story__body a[href]").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in after
    context.close()
    reader.assert_clean()


def test_reduced_motion_turns_off_smooth_scrolling_and_transitions(chromium, sample_server):
    motion = {}
    for preference in ("no-preference", "reduce"):
        context = chromium.new_context(reduced_motion=preference)
        reader = Reader(context, sample_server)
        reader.open("/ru/")
        motion[preference] = reader.page.evaluate(
            """() => [getComputedStyle(document.documentElement).scrollBehavior,
                      getComputedStyle(document.querySelector(".site-nav a")).transitionDuration]"""
        )
        context.close()
        reader.assert_clean()
    assert motion["no-preference"][0] == "smooth" and motion["no-preference"][1] != "0s"
    assert motion["reduce"] == ["auto", "0s"]

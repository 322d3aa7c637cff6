"""axe-core finds nothing wrong; the keyboard reaches everything; text reflows at 320 CSS px.

Checked on the kinds of page readers meet (home, a story, the news and events listings, an event,
a month calendar, the archive, search) in both languages, in the normal and the low-vision version,
in light and dark colour schemes.
"""

import pytest
from browsing import KINDS, LANGS, LOW_VISION, SIZES, Reader, axe_report, pages_to_check
from conftest import note

pytestmark = pytest.mark.browser  # drives Chromium: `make test` runs it, the fast loop does not

MODES = {
    "normal": {"color_scheme": "light", "script": ""},
    "low-vision": {"color_scheme": "light", "script": LOW_VISION},
    "dark": {"color_scheme": "dark", "script": ""},
    "low-vision-dark": {"color_scheme": "dark", "script": LOW_VISION},
}


def open_reader(chromium, base: str, mode: str = "normal", **context) -> Reader:
    """A reader whose browser has the colour scheme and stored low-vision choice of mode."""
    context = chromium.new_context(color_scheme=MODES[mode]["color_scheme"], **context)
    if MODES[mode]["script"]:
        context.add_init_script(MODES[mode]["script"])
    return Reader(context, base)


def html_classes(reader: Reader) -> list[str]:
    return (reader.page.locator("html").get_attribute("class") or "").split()


def page_of(sample_site, lang: str, kind: str) -> str:
    url = pages_to_check(sample_site, lang)[kind]
    if url is None:
        pytest.skip(f"no {kind} page in this build yet")
    return url


def axe_in_every_mode(reader: Reader, config, kind: str) -> list[str]:
    """Run axe on the page shown in each mode, switched as a reader would; return the violations found."""
    toggle = reader.page.locator('button[data-toggle="low-vision"]')
    found = []
    for mode, look in MODES.items():
        low_vision = mode.startswith("low-vision")
        if low_vision and toggle.count() == 0:
            continue  # a page without the site's header (the 404 page) has no low-vision version
        reader.page.emulate_media(color_scheme=look["color_scheme"])
        if low_vision != ("low-vision" in html_classes(reader)):
            toggle.click()  # rather than a fresh page per mode: four times faster
        assert low_vision == ("low-vision" in html_classes(reader))
        # Dark schemes change colours only; the light runs cover every other rule.
        results = reader.axe(["color-contrast"] if mode.endswith("dark") else None)
        for rule in results["incomplete"]:
            for node in rule["nodes"]:
                target = " ".join(map(str, node["target"]))
                note(config, "axe could not decide (check by hand)", rule["id"], f"{kind} {target}")
        if results["violations"]:
            found.append(f"{reader.path} ({mode}):\n{axe_report(results['violations'])}")
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violations(chromium, sample_server, sample_site, request, kind, lang):
    url = page_of(sample_site, lang, kind)
    # No transitions, so that colours are final when axe measures them after a switch.
    reader = open_reader(chromium, sample_server, reduced_motion="reduce")
    reader.open(url, pictures=False)  # the walk checks pictures; here only what axe sees matters
    found = axe_in_every_mode(reader, request.config, kind)
    reader.page.context.close()
    assert found == [], "\n".join(found)
    reader.assert_clean()


def test_axe_finds_no_violations_on_the_bilingual_404_page(chromium, sample_server, sample_site, request):
    if not sample_site.exists("/404.html"):
        pytest.skip("no 404 page in this build yet")
    reader = open_reader(chromium, sample_server, reduced_motion="reduce")
    reader.open("/404.html")
    found = axe_in_every_mode(reader, request.config, "404")
    reader.page.context.close()
    assert found == [], "\n".join(found)
    reader.assert_clean()


def focused(reader: Reader) -> dict:
    """Describe the element that has keyboard focus and how its focus shows."""
    return reader.page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            text: el.innerText.trim(),
            href: el.getAttribute("href"),
            hreflang: el.getAttribute("hreflang"),
            toggle: el.getAttribute("data-toggle"),
            controls: el.getAttribute("aria-controls"),
            expanded: el.getAttribute("aria-expanded"),
            inMain: Boolean(el.closest("main")),
            inNav: Boolean(el.closest(".site-nav")),
            outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
            onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
          };
        }"""
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_tab_reaches_skip_link_then_header_switch_toggle_and_menu(
    chromium, sample_server, sample_site, lang, size
):
    reader = open_reader(chromium, sample_server, viewport=SIZES[size])
    reader.open(pages_to_check(sample_site, lang)["story"])
    stops = []
    for _ in range(20):
        reader.page.keyboard.press("Tab")
        stop = focused(reader)
        if stop["inMain"]:
            break
        stops.append(stop)
        if stop["controls"] == "site-nav" and stop["expanded"] == "false":
            reader.page.keyboard.press("Enter")  # a phone folds the menu behind its button
    reader.page.context.close()

    assert stops[0]["href"] == "#main", "the skip link comes first"
    assert stops[1]["href"] == f"/{lang}/", "then the site's name"
    assert [s["hreflang"] for s in stops[2:4]] == ["ru", "kk"], "then the language switch"
    assert stops[4]["toggle"] == "low-vision", "then the low-vision version"
    menu = [s["href"] for s in stops if s["inNav"]]
    for section in ("", "news/", "events/", "archive/", "tags/"):
        assert f"/{lang}/{section}" in menu
    for stop in stops:
        assert stop["onScreen"], f"{stop} is focused off screen"
        assert stop["outline"] >= 2, f"{stop} shows no focus outline"


@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_takes_the_keyboard_to_the_content(chromium, sample_server, sample_site, lang):
    reader = open_reader(chromium, sample_server)
    reader.open(pages_to_check(sample_site, lang)["story"])
    reader.page.keyboard.press("Tab")
    reader.page.keyboard.press("Enter")
    reader.page.keyboard.press("Tab")
    assert focused(reader)["inMain"]
    reader.page.context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_low_vision_toggle_works_from_the_keyboard(chromium, sample_server, lang):
    reader = open_reader(chromium, sample_server)
    reader.open(f"/{lang}/")
    html = reader.page.locator("html")
    toggle = reader.page.locator('button[data-toggle="low-vision"]')
    for _ in range(10):
        reader.page.keyboard.press("Tab")
        if focused(reader)["toggle"] == "low-vision":
            break
    reader.page.keyboard.press("Enter")
    assert "low-vision" in html.get_attribute("class").split()
    back_label = toggle.inner_text()
    reader.page.keyboard.press("Space")
    assert "low-vision" not in html.get_attribute("class").split()
    assert toggle.inner_text() != back_label
    reader.page.context.close()


@pytest.mark.parametrize("mode", ["normal", "low-vision"])
@pytest.mark.parametrize("width", [320, 640], ids=["320px", "1280px-at-200%"])
@pytest.mark.parametrize("lang", LANGS)
def test_text_reflows_without_horizontal_scrolling(chromium, sample_server, sample_site, lang, width, mode):
    reader = open_reader(chromium, sample_server, mode, viewport={"width": width, "height": 720})
    too_wide = []
    for kind, url in pages_to_check(sample_site, lang).items():
        if url is None:
            continue
        reader.open(url, pictures=False)
        scroll, client = reader.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            too_wide.append(f"{kind} {url}: {scroll}px wide in a {client}px window")
    reader.page.context.close()
    assert too_wide == []
    reader.assert_clean()

"""Story pages stay light for cheap phones on mobile networks and need nothing from other hosts."""

import gzip
import re
from urllib.parse import urljoin, urlsplit

import pytest
from browsing import LANGS
from conftest import note

BUDGET = 40 * 1024  # HTML + CSS + JS of one story page, gzip-compressed; pictures and search excluded
HEAD_SCRIPT_BUDGET = 2 * 1024  # a script that holds up the first paint must stay tiny
ORIGIN = "http://site.invalid"  # stands for the site's own host when resolving links
SEARCH_BUNDLE = "/pagefind/"


def compressed(data: bytes) -> int:
    """Bytes on the wire with gzip, as the production host sends text."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def resolve(page_url: str, link: str) -> str | None:
    """The path of a link on this site, or None when it points to another host."""
    parts = urlsplit(urljoin(ORIGIN + page_url, link))
    return parts.path if f"{parts.scheme}://{parts.netloc}" == ORIGIN else None


def code_links(soup) -> list[str]:
    """Every stylesheet, script, preload and font a page asks for."""
    links = [tag["src"] for tag in soup.select("script[src]")]
    for tag in soup.select("link[href]"):
        if {"stylesheet", "preload", "modulepreload", "prefetch"} & set(tag.get("rel", [])):
            links.append(tag["href"])
    return links


def page_weight(site, url: str) -> dict[str, int]:
    """Compressed bytes of a page's HTML and of each CSS and JS file it loads (search bundle aside)."""
    weights = {url: compressed(site.file(url).read_bytes())}
    for link in code_links(site.page(url)):
        path = resolve(url, link)
        if path and SEARCH_BUNDLE not in path and path.endswith((".css", ".js", ".mjs")):
            weights[path] = compressed(site.file(path).read_bytes())
    return weights


@pytest.mark.parametrize("lang", LANGS)
def test_every_story_page_is_under_its_weight_budget(sample_site, request, lang):
    over = []
    heaviest = ("", 0)
    for url in sample_site.story_urls(lang):
        total = sum(page_weight(sample_site, url).values())
        heaviest = max(heaviest, (url, total), key=lambda pair: pair[1])
        if total >= BUDGET:
            over.append(f"{url}: {total / 1024:.1f} KB")
    summary = f"{heaviest[1] / 1024:.1f} KB, {heaviest[0]}"
    note(request.config, "page weight (HTML + CSS + JS, gzip)", f"heaviest {lang} story", summary)
    assert over == [], f"over {BUDGET // 1024} KB compressed"


def test_pages_load_no_code_or_fonts_from_other_hosts(sample_site):
    foreign = []
    for url in sample_site.urls():
        links = code_links(sample_site.page(url))
        foreign += [f"{url}: {link}" for link in links if resolve(url, link) is None]
    assert foreign == []


def test_scripts_that_hold_up_the_first_paint_are_ours_and_tiny(sample_site):
    for url in sample_site.urls():
        for script in sample_site.page(url).select("head script[src]"):
            if script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module":
                continue
            path = resolve(url, script["src"])
            assert path, f"{url} blocks rendering on {script['src']}"
            assert compressed(sample_site.file(path).read_bytes()) < HEAD_SCRIPT_BUDGET, path


def test_no_web_font_hides_text_while_it_loads(sample_site):
    for css in sample_site.root.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        imports_from_afar = re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text)
        assert not imports_from_afar, f"{css} imports from another host"
        for rule in re.findall(r"@font-face\s*{[^}]*}", text):
            assert re.search(r"font-display:\s*(swap|optional|fallback)", rule), f"{css}: {rule}"
            assert not re.search(r"url\(['\"]?(https?:)?//", rule), f"{css} loads a font from another host"

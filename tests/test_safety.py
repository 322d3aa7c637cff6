"""Nothing an editor writes or pastes can run script on the site; the site needs no inline script."""

import re

import pytest
from conftest import Site, build
from PIL import Image

from content_format.safety import clean_html
from publishing.verify import is_executable

HOSTILE_TITLE = 'Ярмарка <script>alert("title")</script> «"кавычки"» & \'апостроф\''
HOSTILE_SUMMARY = 'Итоги <script>alert("summary")</script><img src="hall.jpg" alt="x" onerror="alert(1)">'
HOSTILE_BODY = """\
Текст <b onclick="alert(1)">жирный</b> и <span style="color:red">красный</span>.

<script>alert("body")</script>
<iframe src="https://example.com/"></iframe>
<style>body { display: none }</style>
<p><img src="hall.jpg" alt="Зал" onerror="alert(1)"></p>

[Плохая ссылка](javascript:alert(1)) и [сайт акимата](https://almaty.gov.kz/ "Акимат").
<a href="https://example.com/" target="_blank" onmouseover="alert(1)">вставка из Word</a>

| Слева | Справа |
|:------|-------:|
| 1     | 2      |
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    content = tmp_path_factory.mktemp("hostile") / "content"
    folder = content / "news/2025/2025-04-23-fair"
    folder.mkdir(parents=True)
    Image.new("RGB", (8, 8), (90, 120, 150)).save(folder / "hall.jpg")
    for lang in ("ru", "kk"):
        (folder / f"{lang}.md").write_text(
            f"Title: {HOSTILE_TITLE}\nSummary: {HOSTILE_SUMMARY}\nTags: <b>тег</b>\n"
            f'Image: hall.jpg\nImage_alt: Зал "с кавычками" <script>\n\n{HOSTILE_BODY}',
            encoding="utf-8",
        )
    output = content.parent / "output"
    build(content, output)
    return Site(output)


def executable_scripts(page) -> list:
    """Scripts that would run, other than the theme's own files (the low-vision switch on every page)."""
    return [
        s
        for s in page.find_all("script")
        if is_executable(s) and not s.get("src", "").startswith("/theme/js/")
    ]


def event_handlers(page) -> list[str]:
    return [
        f"{tag.name}[{name}]" for tag in page.find_all(True) for name in tag.attrs if name.startswith("on")
    ]


@pytest.mark.parametrize("url", ["/ru/news/2025/04/fair/", "/ru/", "/ru/news/", "/kk/tags/"])
def test_nothing_hostile_survives_on_any_page(hostile_site, url):
    page = hostile_site.page(url)
    assert executable_scripts(page) == []
    assert event_handlers(page) == []
    assert page.find_all(["iframe", "style"]) == []
    assert "javascript:" not in str(page)


def test_title_and_metadata_render_as_text(hostile_site):
    page = hostile_site.page("/ru/news/2025/04/fair/")
    assert page.h1.get_text() == HOSTILE_TITLE
    assert page.select_one(".story__cover img")["alt"] == 'Зал "с кавычками" <script>'
    assert [a.get_text() for a in page.select(".story__tags a")] == ["<b>тег</b>"]


def test_summary_keeps_text_and_loses_script(hostile_site):
    card = hostile_site.page("/ru/").select_one(".card__summary")
    assert "Итоги" in card.get_text()
    summary_img = card.find("img", alt="x")
    assert re.fullmatch(r"/media/hall-8x8\.[0-9a-f]{10}\.jpg", summary_img["src"])  # the pictures plugin's
    assert "onerror" not in summary_img.attrs


def test_body_keeps_formatting_and_links_get_noopener(hostile_site):
    body = hostile_site.page("/ru/news/2025/04/fair/").select_one(".story__body")
    assert body.find("b").get_text() == "жирный"
    assert "style" not in body.find("span").attrs
    assert re.fullmatch(r"/media/hall-8x8\.[0-9a-f]{10}\.jpg", body.find("img", alt="Зал")["src"])
    external = {a.get_text(): a for a in body.find_all("a")}
    assert external["сайт акимата"]["href"] == "https://almaty.gov.kz/"
    assert external["сайт акимата"]["rel"] == ["noopener"]
    assert external["вставка из Word"]["rel"] == ["noopener"]
    assert "href" not in external["Плохая ссылка"].attrs
    assert [td["align"] for td in body.select("tbody td")] == ["left", "right"]


def test_picture_markup_is_kept():
    html = (
        '<figure><picture><source type="image/webp" srcset="a-800.webp 800w, a-400.webp 400w" '
        'sizes="(min-width: 40em) 40em, 100vw"><img src="a-800.jpg" alt="Каток" width="800" '
        'height="533" loading="lazy" decoding="async" fetchpriority="low"></picture>'
        "<figcaption>Каток</figcaption></figure>"
    )
    assert clean_html(html) == html


def test_fixture_site_passes_the_content_security_policy(fixture_site):
    """deploy/nginx.conf allows no inline script or style: no page may need one."""
    for url in fixture_site.urls():
        page = fixture_site.page(url)
        assert executable_scripts(page) == [s for s in executable_scripts(page) if s.get("src")], url
        assert page.find_all("style") == [], url
        assert [t.name for t in page.find_all(style=True)] == [], url
        assert event_handlers(page) == [], url

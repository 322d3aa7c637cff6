"""Picture credits, galleries and text-only cards on the fixture site, as readers and search engines see them.

The botanical garden story credits its cover (Image_credit) and its body pictures (Markdown titles):
in Russian three pictures with one credit make a gallery, and a picture alone in its paragraph, whose
credit is hostile markup, a figure; in Kazakh two pictures with different credits make a gallery.
"""

import json
from pathlib import Path

import pytest
from conftest import build

from content_format.text import first_paragraph
from l10n.numbers import one_of
from pictures.credits import credit_line

GARDEN = {"ru": "/ru/news/2025/07/botanical-garden/", "kk": "/kk/news/2025/07/botanical-garden/"}
LIBRARY = "/ru/news/2024/02/city-library/"
HOSTILE_CREDIT = "Айгерим <Сапарова> & Co"


def json_ld(soup) -> dict:
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    return {block["@type"]: block for block in blocks}


def meta(soup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.select(f'meta[property="{name}"]')]


@pytest.mark.parametrize(
    ("credit", "shown"),
    [
        ("Айгерим Сапарова", "Фото: Айгерим Сапарова"),
        ("Фото: Айгерим Сапарова", "Фото: Айгерим Сапарова"),
        ("фото пресс-службы акимата", "фото пресс-службы акимата"),
        ("Сурет: Данияр Омаров", "Сурет: Данияр Омаров"),
        ("© Reuters", "© Reuters"),
        ("Иллюстрация: «Жел»", "Иллюстрация: «Жел»"),
        ("  Пресс-служба\tакимата  ", "Фото: Пресс-служба акимата"),
        ("", ""),
    ],
)
def test_a_credit_gets_the_photo_prefix_only_where_it_says_no_kind(credit, shown):
    assert credit_line(credit, "Фото:") == shown


@pytest.mark.parametrize(
    ("number", "lang", "word"),
    [
        (3, "ru", "3"),
        (1, "kk", "1-і"),
        (2, "kk", "2-сі"),
        (6, "kk", "6-сы"),
        (9, "kk", "9-ы"),
        (10, "kk", "10-ы"),
        (12, "kk", "12-сі"),
        (20, "kk", "20-сы"),
        (50, "kk", "50-і"),
        (100, "kk", "100-і"),
        (1000, "kk", "1000-ы"),
    ],
)
def test_which_one_of_several_is_written_as_each_language_says_it(number, lang, word):
    assert one_of(number, lang) == word


@pytest.mark.parametrize(
    ("html", "paragraph"),
    [
        (
            '<p><picture><img alt="Портрет"></picture></p><p>Текст <a href="/x">ссылка</a>.</p>',
            "<p>Текст ссылка.</p>",
        ),
        ("<p>Первый.</p><p>Второй.</p>", "<p>Первый.</p>"),
        (
            '<figure class="gallery"><ul><li>…</li></ul></figure><p>3 &lt; 5 &amp; 7</p>',
            "<p>3 &lt; 5 &amp; 7</p>",
        ),
        ("<h2>Заголовок</h2>", ""),
    ],
)
def test_first_paragraph_is_the_first_text_without_pictures_or_links(html, paragraph):
    assert first_paragraph(html) == paragraph


def test_cover_credit_shows_under_the_cover_escaped_with_the_prefix(fixture_site):
    ru = fixture_site.page(GARDEN["ru"]).select_one(".story__cover figcaption.credit")
    assert ru.get_text() == f"Фото: {HOSTILE_CREDIT}"
    assert "&lt;Сапарова&gt; &amp; Co" in str(ru)
    kk = fixture_site.page(GARDEN["kk"]).select_one(".story__cover figcaption.credit")
    assert kk.get_text() == "Фото: Айгерім Сапарова", "no second prefix where the editor wrote one"
    assert fixture_site.page(LIBRARY).select(".credit") == [], "no credit, no caption"


def test_cover_credit_is_in_the_open_graph_alt_and_the_json_ld_image(fixture_site):
    page = fixture_site.page(GARDEN["ru"])
    assert meta(page, "og:image:alt") == [f"Аллея с кустами роз. Фото: {HOSTILE_CREDIT}"]
    [image] = json_ld(page)["NewsArticle"]["image"]
    assert image["@type"] == "ImageObject"
    assert image["url"] == meta(page, "og:image")[0]
    assert image["creditText"] == f"Фото: {HOSTILE_CREDIT}"
    raw = fixture_site.file(GARDEN["ru"]).read_text(encoding="utf-8")
    assert "<Сапарова>" not in raw, "the credit is never markup"


def test_uncredited_pictures_keep_plain_urls_in_json_ld(fixture_site):
    [image] = json_ld(fixture_site.page(LIBRARY))["NewsArticle"]["image"]
    assert isinstance(image, str)


def test_pages_that_share_the_site_logo_describe_it(fixture_site):
    for url in ("/ru/", "/kk/tags/", "/ru/news/2026/01/snow/"):
        page = fixture_site.page(url)
        assert meta(page, "og:image") and meta(page, "og:image:alt"), url
    assert meta(fixture_site.page("/kk/"), "og:image:alt") == ["Алматы: жаңалықтар мен іс-шаралар"]


def test_a_credited_picture_alone_in_its_paragraph_is_a_figure_with_its_credit(fixture_site):
    page = fixture_site.page(GARDEN["ru"])
    [figure] = page.select(".story__body figure.story__figure")
    assert figure.img["alt"] == "Садовник подрезает куст"
    assert figure.figcaption.get_text() == "Фото: <script>alert(1)</script>"
    assert page.select(".story__body script") == [] and figure.parent.name != "p"


def test_pictures_alone_in_a_paragraph_are_a_gallery_of_links_to_the_large_picture(fixture_site):
    page = fixture_site.page(GARDEN["ru"])
    [gallery] = page.select(".story__body figure.gallery")
    links = gallery.select("li.gallery__item > a.gallery__link")
    assert [a.img["alt"] for a in links] == [
        "Белые розы у фонтана",
        "Красные розы вдоль дорожки",
        "Жёлтые розы в вазонах",
    ]
    for link in links:
        img = link.img
        assert fixture_site.exists(link["href"]) and link["href"].endswith(".webp")
        # The large picture is the widest story derivative, the thumbnails are the story widths.
        source = link.select_one("source[type='image/webp']")
        assert f"{link['href']} {img['width']}w" in source["srcset"]
        assert img["loading"] == "lazy" and source["sizes"].startswith("(min-width: 44rem) 13.6rem")
    # One photographer: the credit once, under the grid.
    assert gallery.select(".gallery__item .credit") == []
    assert gallery.select_one(":scope > figcaption.credit").get_text() == "Фото: Данияр Омаров"


def test_gallery_credits_show_under_each_picture_when_they_differ(fixture_site):
    gallery = fixture_site.page(GARDEN["kk"]).select_one(".story__body figure.gallery")
    assert [c.get_text() for c in gallery.select(".gallery__item .credit")] == [
        "Фото: Данияр Омаров",
        "Фото: Айгерім Сапарова",
    ]
    assert gallery.select(":scope > figcaption") == []


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("ru", ["Фото 1 из 3", "Фото 2 из 3", "Фото 3 из 3"]),
        ("kk", ["2 суреттің 1-і", "2 суреттің 2-сі"]),
    ],
)
def test_gallery_pages_get_the_viewer_and_its_words_in_their_language(fixture_site, lang, counts):
    page = fixture_site.page(GARDEN[lang])
    viewer = page.select_one("dialog.viewer")
    assert [li.get_text() for li in viewer.select(".viewer__counts li")] == counts
    assert viewer.select_one(".viewer__count")["aria-live"] == "polite"
    assert len(page.select('script[src*="/theme/js/gallery.js"]')) == 1


def test_pages_without_a_gallery_get_no_viewer_and_no_script(fixture_site):
    for url in fixture_site.urls():
        if url in GARDEN.values():
            continue
        page = fixture_site.page(url)
        assert page.select("dialog.viewer, script[src*='gallery.js']") == [], url


def test_cards_show_the_first_paragraph_as_text_never_pictures(fixture_site):
    for lang in GARDEN:
        home = fixture_site.page(f"/{lang}/")
        assert home.select(".card__summary img, .card__summary picture, .card__summary a") == []
    card = next(
        c
        for c in fixture_site.page("/ru/").select(".card")
        if "botanical-garden" in c.select_one(".card__title a")["href"]
    )
    assert (
        str(card.select_one(".card__summary p")) == "<p>Розарий на три тысячи кустов открыт каждый день.</p>"
    )


def test_a_picture_opening_the_text_stays_out_of_its_card(tmp_path):
    from PIL import Image

    story = tmp_path / "content/news/2025/2025-03-01-portrait"
    story.mkdir(parents=True)
    Image.new("RGB", (600, 900), (90, 90, 90)).save(story / "portrait.jpg")
    (story / "ru.md").write_text(
        "Title: Портрет\n\n![Портрет художника](portrait.jpg)\n\nВыставка открыта до мая.\n", encoding="utf-8"
    )
    build(tmp_path / "content", tmp_path / "output")
    home = (tmp_path / "output/ru/index.html").read_text(encoding="utf-8")
    summary = home.split('class="card__summary">', 1)[1].split("</div>", 1)[0]
    assert summary == "<p>Выставка открыта до мая.</p>"


def test_image_credit_without_a_cover_stops_the_build(tmp_path):
    from conftest import pelican_command

    story = tmp_path / "content/news/2025/2025-03-01-credit"
    story.mkdir(parents=True)
    (story / "ru.md").write_text(
        "Title: Кредит\nImage_credit: Фото: Иван Петров\n\nТекст.\n", encoding="utf-8"
    )
    run = pelican_command(tmp_path / "content", tmp_path / "output")
    assert run.returncode == 1
    line = f"{Path('content/news/2025/2025-03-01-credit/ru.md')}:2: error: Image_credit credits the cover"
    assert line in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_404_page_has_the_site_header_and_a_heading_for_each_language(fixture_site):
    page = fixture_site.page("/404.html")
    header = page.select_one("header.site-header")
    assert header.select_one('button[data-toggle="low-vision"]')
    assert [a["href"] for a in header.select(".language-switch a")] == ["/ru/", "/kk/"]
    assert page.select('script[src*="/theme/js/header.js"]')
    for section in page.select("main section"):
        heading = section.find(["h2", "h3"])
        assert heading and section["aria-labelledby"] == heading["id"]
    assert [s.h2.get_text() for s in page.select("main section")] == ["Русский", "Қазақша"]


def test_root_page_asks_the_browser_for_the_language_chosen_last(fixture_site):
    root = fixture_site.page("/")
    assert root.html.has_attr("data-language-choice")
    assert root.select_one('head script[src*="/theme/js/header.js"]')
    assert root.select_one('noscript meta[http-equiv="refresh"]')["content"] == "0; url=/ru/"

"""The fixture site, built once, read as a reader and a search engine would read it."""

import re

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURE_NOW, ROOT, build

LANGS = ("ru", "kk")
# Oldest first; ties (same moment) by slug. chess-cup and city-library share 2024-02-10 00:00.
CHRONOLOGY = {
    "ru": [
        "/ru/events/2024/01/winter-festival/",
        "/ru/news/2024/02/chess-cup/",
        "/ru/news/2024/02/city-library/",
        "/ru/news/2025/04/hackathon/",
        "/ru/events/2025/05/dance-contest/",
        "/ru/news/2025/07/botanical-garden/",  # no Date: 2025-07-15 00:00
        "/ru/news/2026/01/snow/",
        "/ru/events/2026/11/new-year-fair/",  # no Date: 2026-11-20 00:00
    ],
    "kk": [
        "/kk/events/2024/01/winter-festival/",
        "/kk/news/2024/02/city-library/",
        "/kk/news/2025/04/bike-lane/",  # no Date: 2025-04-23 00:00, before the 10:30 hackathon
        "/kk/news/2025/04/hackathon/",
        "/kk/events/2025/05/dance-contest/",
        "/kk/news/2025/07/botanical-garden/",
        "/kk/events/2025/09/apple-festival/",
        "/kk/news/2026/01/snow/",
        "/kk/events/2026/11/new-year-fair/",
    ],
}


def links(soup, selector):
    return [a["href"] for a in soup.select(selector)]


def test_every_page_declares_its_language(fixture_site):
    for url in fixture_site.urls():
        lang = url.split("/")[1] if url != "/" else "ru"
        assert fixture_site.page(url).html["lang"] == lang, url


def test_story_pages_exist_in_the_languages_written(fixture_site):
    for lang in LANGS:
        assert fixture_site.story_urls(lang) == sorted(CHRONOLOGY[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_following_next_visits_every_story_once_in_date_order(fixture_site, lang):
    url, visited = CHRONOLOGY[lang][0], []
    assert fixture_site.page(url).select('a[rel="prev"]') == []
    while url:
        visited.append(url)
        assert len(visited) <= len(CHRONOLOGY[lang]), "rel=next loops"
        newer = fixture_site.page(url).select('.neighbours a[rel="next"]')
        url = newer[0]["href"] if newer else None
    assert visited == CHRONOLOGY[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_following_prev_walks_back(fixture_site, lang):
    url, visited = CHRONOLOGY[lang][-1], []
    while url:
        visited.append(url)
        older = fixture_site.page(url).select('.neighbours a[rel="prev"]')
        url = older[0]["href"] if older else None
    assert visited == CHRONOLOGY[lang][::-1]


@pytest.mark.parametrize(
    ("url", "older_label", "newer_label", "newer_title"),
    [
        ("/ru/news/2024/02/city-library/", "Предыдущая запись", "Следующая запись", "Хакатон библиотекарей"),
        ("/kk/news/2025/04/bike-lane/", "Алдыңғы жазба", "Келесі жазба", "Кітапханашылар хакатоны"),
    ],
)
def test_neighbour_links_show_labels_and_titles(fixture_site, url, older_label, newer_label, newer_title):
    page = fixture_site.page(url)
    older, newer = page.select_one('a[rel="prev"]'), page.select_one('a[rel="next"]')
    assert older.select_one(".neighbours__label").get_text() == older_label
    assert newer.select_one(".neighbours__label").get_text() == newer_label
    assert newer.select_one(".neighbours__title").get_text() == newer_title
    assert fixture_site.page(newer["href"]).h1.get_text() == newer_title


def test_every_switch_link_resolves_and_marks_the_current_language(fixture_site):
    for url in fixture_site.urls():
        if url == "/":
            continue
        lang = url.split("/")[1]
        switch = fixture_site.page(url).select(".language-switch a")
        assert [a.get_text() for a in switch] == ["RU", "KZ"]
        for a in switch:
            assert fixture_site.exists(a["href"]), f"{url} switches to missing {a['href']}"
            assert a["href"].startswith(f"/{a['hreflang']}/")
            assert (a.get("aria-current") == "true") == (a["hreflang"] == lang)


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/ru/news/2025/04/hackathon/", "/kk/news/2025/04/hackathon/"),
        ("/kk/events/2025/05/dance-contest/", "/ru/events/2025/05/dance-contest/"),
        ("/ru/about/", "/kk/about/"),
        ("/ru/archive/2024/02/", "/kk/archive/2024/02/"),
        ("/ru/tags/", "/kk/tags/"),
        ("/ru/news/", "/kk/news/"),
        ("/ru/tags/sport/", "/kk/tags/"),  # no Kazakh story has that tag
    ],
)
def test_switch_leads_to_the_same_page_in_the_other_language(fixture_site, url, target):
    other = "kk" if url.startswith("/ru/") else "ru"
    assert links(fixture_site.page(url), f'.language-switch a[hreflang="{other}"]') == [target]


@pytest.mark.parametrize(
    ("url", "home", "notice"),
    [
        ("/ru/news/2024/02/chess-cup/", "/kk/", "Материал доступен только на русском языке."),
        ("/kk/news/2025/04/bike-lane/", "/ru/", "Материал тек қазақ тілінде."),
    ],
)
def test_story_in_one_language_says_so_and_switches_home(fixture_site, url, home, notice):
    page = fixture_site.page(url)
    other = home.strip("/")
    assert links(page, f'.language-switch a[hreflang="{other}"]') == [home]
    assert page.select_one(".story__only-language").get_text() == notice


def test_translated_story_has_no_one_language_notice(fixture_site):
    assert fixture_site.page("/ru/news/2025/04/hackathon/").select(".story__only-language") == []


def alternates(page) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}


def test_hreflang_alternates_are_reciprocal_and_include_self(fixture_site):
    for url in fixture_site.urls():
        found = alternates(fixture_site.page(url))
        versions = {k: v for k, v in found.items() if k != "x-default"}
        if url != "/":
            assert versions[url.split("/")[1]] == url, f"{url} does not list itself"
        assert found["x-default"] == versions.get("ru", next(iter(versions.values())))
        for other_url in versions.values():
            assert alternates(fixture_site.page(other_url)) == found, f"{url} and {other_url} disagree"


def test_kazakh_only_story_lists_only_itself(fixture_site):
    assert alternates(fixture_site.page("/kk/news/2025/04/bike-lane/")) == {
        "kk": "/kk/news/2025/04/bike-lane/",
        "x-default": "/kk/news/2025/04/bike-lane/",
    }


def story_links(soup) -> set[str]:
    return {
        a["href"]
        for a in soup.select("main a")
        if re.fullmatch(r"/\w\w/(news|events)/\d{4}/\d\d/[\w-]+/", a["href"])
    }


@pytest.mark.parametrize("lang", LANGS)
def test_listings_show_only_their_language(fixture_site, lang):
    every_story = set(CHRONOLOGY[lang])
    assert story_links(fixture_site.page(f"/{lang}/")) == every_story
    archive = set()
    for url in fixture_site.urls():
        if url.startswith(f"/{lang}/archive/") and url.count("/") == 5:
            archive |= story_links(fixture_site.page(url))
    assert archive == every_story
    news = story_links(fixture_site.page(f"/{lang}/news/"))
    assert news == {u for u in every_story if "/news/" in u}
    assert story_links(fixture_site.page(f"/{lang}/events/")) == every_story - news


def test_home_is_newest_first(fixture_site):
    cards = [a["href"] for a in fixture_site.page("/kk/").select(".card__title a")]
    assert cards == CHRONOLOGY["kk"][::-1]


@pytest.mark.parametrize(
    ("url", "title", "stories"),
    [
        (
            "/kk/tags/madeniet/",
            "Тег: Мәдениет",
            {"/kk/news/2024/02/city-library/", "/kk/events/2025/05/dance-contest/"},
        ),
        (
            "/ru/tags/kultura/",
            "Тег: Культура",
            {"/ru/news/2024/02/city-library/", "/ru/events/2025/05/dance-contest/"},
        ),
        ("/kk/tags/qala/", "Тег: Қала", {"/kk/news/2025/04/bike-lane/"}),
    ],
)
def test_tag_pages_use_readable_transliterated_slugs(fixture_site, url, title, stories):
    page = fixture_site.page(url)
    assert page.h1.get_text() == title
    assert story_links(page) == stories


def test_story_tags_link_to_their_tag_pages(fixture_site):
    tags = fixture_site.page("/kk/news/2024/02/city-library/").select('a[rel="tag"]')
    assert [(a.get_text(), a["href"]) for a in tags] == [
        ("Кітапханалар", "/kk/tags/kitaphanalar/"),
        ("Мәдениет", "/kk/tags/madeniet/"),
    ]


@pytest.mark.parametrize(
    ("url", "text", "instant"),
    [
        ("/ru/news/2025/04/hackathon/", "23 апреля 2025\u202fг.", "2025-04-23T10:30:00+05:00"),
        ("/kk/news/2025/04/hackathon/", "2025 жылғы 23 сәуір", "2025-04-23T10:30:00+05:00"),
        ("/kk/news/2024/02/city-library/", "2024 жылғы 10 ақпан", "2024-02-10T00:00:00+06:00"),
    ],
)
def test_story_dates_are_localized_with_the_almaty_offset(fixture_site, url, text, instant):
    time = fixture_site.page(url).select_one(".story__meta time")
    assert (time.get_text(), time["datetime"]) == (text, instant)


@pytest.mark.parametrize(
    ("url", "heading", "count"),
    [
        ("/ru/archive/2024/02/", "Архив: февраль 2024", "2 записи"),
        ("/kk/archive/2025/04/", "Мұрағат: Сәуір 2025", "2 жазба"),
    ],
)
def test_month_archive_has_nominative_heading_and_plural_count(fixture_site, url, heading, count):
    page = fixture_site.page(url)
    assert page.h1.get_text() == heading
    assert count in page.main.get_text()


def interface_texts(lang: str) -> set[str]:
    path = ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    texts = set()
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts |= {re.split(r"%\(\w+\)\w", s)[0].strip(" :") for s in strings}
    return {t for t in texts if len(t) > 3}


def test_no_page_shows_interface_text_of_the_other_language(fixture_site):
    ru, kk = interface_texts("ru"), interface_texts("kk")
    foreign = {"ru": kk - ru, "kk": ru - kk}
    assert foreign["ru"] and foreign["kk"]
    for url in fixture_site.urls():
        if url == "/":
            continue
        lang = url.split("/")[1]
        page = fixture_site.page(url)
        text = page.get_text(" ") + " ".join(
            str(v)
            for tag in page.find_all(True)
            for k, v in tag.attrs.items()
            if k in ("aria-label", "title", "alt", "content")
        )
        leaked = [t for t in foreign[lang] if t in text]
        assert leaked == [], f"{url} shows {leaked}"


def test_site_root_sends_readers_to_russian_and_offers_both(fixture_site):
    root = fixture_site.page("/")
    assert root.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=/ru/"
    assert links(root, "main a") == ["/ru/", "/kk/"]


@pytest.fixture(scope="module")
def paginated_site(tmp_path_factory, fixture_site):
    """The fixture site with two stories a page, to see pagination."""
    from conftest import Site

    content = fixture_site.root.parent / "content"
    output = tmp_path_factory.mktemp("paginated") / "output"
    build(content, output, DEFAULT_PAGINATION=2, EVENTS_NOW=FIXTURE_NOW)
    return Site(output)


def test_home_pages_are_numbered_from_the_oldest_and_name_their_days(paginated_site):
    # ru: 8 stories, 2 a page: pages 1-3 hold the 6 oldest, the home the newest full page and the rest.
    assert [u for u in paginated_site.urls() if "/page/" in u and u.startswith("/ru/")] == [
        "/ru/news/page/1/",
        "/ru/page/1/",
        "/ru/page/2/",
        "/ru/page/3/",
    ]
    home, oldest, newest = (paginated_site.page(u) for u in ("/ru/", "/ru/page/1/", "/ru/page/3/"))
    assert links(home, ".card__title a") == CHRONOLOGY["ru"][-1:-3:-1]
    assert links(oldest, ".card__title a") == CHRONOLOGY["ru"][1::-1]
    assert links(newest, ".card__title a") == CHRONOLOGY["ru"][5:3:-1]
    assert links(home, '.pagination a[rel="next"]') == ["/ru/page/3/"]
    assert links(home, '.pagination a[rel="prev"]') == []
    assert links(newest, '.pagination a[rel="prev"]') == ["/ru/"]
    assert links(newest, '.pagination a[rel="next"]') == ["/ru/page/2/"]
    assert links(oldest, '.pagination a[rel="next"]') == []
    # A numbered page is its own only version: the switch leads to the other language's home.
    assert links(newest, '.language-switch a[hreflang="kk"]') == ["/kk/"]
    hreflang = newest.select('link[rel="alternate"][hreflang]')
    assert [link["hreflang"] for link in hreflang] == ["ru", "x-default"]
    days = newest.select(".pagination time")
    assert [t["datetime"] for t in days] == ["2025-05-01", "2025-07-15"]
    assert newest.select_one(".pagination").get_text(" ", strip=True).count("1 мая") == 1
    assert newest.select_one("h1").get_text() == "Новости и события · 1 мая\u00a0– 15 июля 2025"
    kk_oldest = paginated_site.page("/kk/page/1/")
    assert (
        kk_oldest.select_one("title")
        .get_text()
        .startswith("Жаңалықтар мен іс-шаралар · 2024 жылғы 20 қаңтар\u00a0– 10 ақпан —")
    )

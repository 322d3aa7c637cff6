"""Real Pagefind searches on built sites, through the search page's own script, in both languages."""

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build
from discovery_helpers import content_has_stories, run_search, write_story

from search.folding import KAZAKH_FOLDING, fold, folded_words
from search.search import plural_templates

PARK = "news/2025/2025-06-02-new-park"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    """A small site whose Kazakh headline has «қаласы», built and indexed once."""
    content = tmp_path_factory.mktemp("search") / "content"
    write_story(
        content,
        PARK,
        "kk",
        """
Title: Алматы қаласы әкімдігі жаңа саябақ ашты
Tags: Саябақтар

Жаңа саябақта мыңға жуық ағаш отырғызылды. Әкімдік саябақты күн сайын күзетеді.
""",
    )
    write_story(
        content,
        PARK,
        "ru",
        """
Title: В Алматы открылся новый парк
Tags: Парки

В новом парке посадили почти тысячу деревьев, а у входа поставили новогоднюю ёлку.
""",
    )
    write_story(
        content,
        "news/2025/2025-06-03-road-repair",
        "kk",
        """
Title: Медеу ауданында жол жөнделді

Жөндеу жұмыстары үш күнге созылды. Қала жолдары жаңарып жатыр.
""",
    )
    output = content.parent / "output"
    build(content, output)
    return output


def titles(found: list[dict]) -> list[str]:
    return [result["title"] for result in found]


def test_a_kazakh_query_typed_on_a_russian_keyboard_finds_the_kazakh_headline(search_site):
    found = run_search(search_site, "kk", "алматы каласы")["results"]["алматы каласы"]
    assert titles(found) == ["Алматы қаласы әкімдігі жаңа саябақ ашты"]
    assert found[0]["url"] == "/kk/news/2025/06/new-park/"
    # The reader sees the real Kazakh words, marked, never the folded spelling the index matched.
    assert "<mark>Алматы</mark> <mark>қаласы</mark>" in found[0]["excerpt"]
    assert "каласы" not in found[0]["excerpt"]
    assert "акимдиги" not in found[0]["excerpt"]


@pytest.mark.parametrize("query", ["алматы қаласы", "АЛМАТЫ ҚАЛАСЫ", "Алматы КАЛАСЫ", "акимдик саябак"])
def test_kazakh_spelling_case_and_keyboard_do_not_matter(search_site, query):
    found = run_search(search_site, "kk", query)["results"][query]
    assert titles(found) == ["Алматы қаласы әкімдігі жаңа саябақ ашты"]


def test_kazakh_prefix_search_finds_longer_word_forms(search_site):
    found = run_search(search_site, "kk", "аудан")["results"]["аудан"]
    assert titles(found) == ["Медеу ауданында жол жөнделді"]
    assert "<mark>ауданында</mark>" in found[0]["excerpt"]


def test_every_word_must_match(search_site):
    assert run_search(search_site, "kk", "медеу саябак")["results"]["медеу саябак"] == []


def test_russian_search_stems_and_ignores_yo(search_site):
    results = run_search(search_site, "ru", "парки", "елка")["results"]
    assert titles(results["парки"]) == ["В Алматы открылся новый парк"]
    assert titles(results["елка"]) == ["В Алматы открылся новый парк"]
    assert "<mark>ёлку.</mark>" in results["елка"][0]["excerpt"]


def test_each_language_searches_only_its_own_stories(search_site):
    assert run_search(search_site, "ru", "саябақ")["results"]["саябақ"] == []
    assert run_search(search_site, "kk", "парк")["results"]["парк"] == []


def test_only_story_pages_are_indexed(search_site):
    # Words of the navigation, listings and the search page itself must not be found.
    results = run_search(search_site, "kk", "мұрағат", "тегтер", "іздеу")["results"]
    assert results == {"мұрағат": [], "тегтер": [], "іздеу": []}


def test_fixture_site_search_in_both_languages(fixture_site):
    kk = run_search(fixture_site.root, "kk", "китапхана")["results"]["китапхана"]
    assert {r["url"] for r in kk} == {"/kk/news/2024/02/city-library/", "/kk/news/2025/04/hackathon/"}
    assert all("<mark>кітапхана" in r["excerpt"].lower() for r in kk)
    ru = run_search(fixture_site.root, "ru", "библиотека")["results"]["библиотека"]
    assert "/ru/news/2024/02/city-library/" in {r["url"] for r in ru}


def story_words(page: BeautifulSoup) -> list[str]:
    body = page.select_one("[data-pagefind-body]")
    for hidden in body.select("[data-pagefind-ignore], [hidden]"):
        hidden.decompose()
    return re.findall(r"\w+", body.get_text(" ").lower())


@pytest.mark.skipif(not content_has_stories(), reason="content/ has no stories yet")
def test_sample_site_finds_every_kazakh_story_naming_almaty_city(sample_site):
    """Every Kazakh story or page with «Алматы қаласы…» is found when typed on a Russian keyboard."""
    expected = set()
    for url in sample_site.urls():
        page = sample_site.page(url)
        if url.startswith("/kk/") and page.select_one("[data-pagefind-body]"):
            words = story_words(page)
            pairs = pairwise(words)
            if any(a.startswith("алматы") and b.startswith("қаласы") for a, b in pairs):
                expected.add(url)
    found = run_search(sample_site.root, "kk", "алматы каласы")["results"]["алматы каласы"]
    assert expected <= {r["url"] for r in found}
    for result in found:
        assert "қала" in result["excerpt"].lower() or "қала" in result["title"].lower()


@pytest.mark.skipif(not content_has_stories(), reason="content/ has no stories yet")
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_sample_site_finds_each_story_by_its_headline(sample_site, lang):
    queries = {}
    for url in sample_site.story_urls(lang):
        words = [w for w in re.findall(r"\w+", sample_site.page(url).h1.get_text().lower()) if len(w) > 3]
        queries[" ".join(fold(w, KAZAKH_FOLDING) for w in words[:3])] = url
    results = run_search(sample_site.root, lang, *queries)["results"]
    for query, url in queries.items():
        assert url in {r["url"] for r in results[query]}, query


# --- the search page ------------------------------------------------------------------------


def config_of(page: BeautifulSoup) -> dict:
    return json.loads(page.select_one("script#search-config").string)


@pytest.mark.parametrize(
    ("lang", "heading", "button", "nothing", "counts"),
    [
        ("ru", "Поиск", "Найти", "Ничего не найдено", {"one": "{n} результат", "few": "{n} результата"}),
        ("kk", "Іздеу", "Іздеу", "Ештеңе табылмады", {"one": "{n} нәтиже", "other": "{n} нәтиже"}),
    ],
)
def test_search_page_speaks_its_language(fixture_site, lang, heading, button, nothing, counts):
    page = fixture_site.page(f"/{lang}/search/")
    assert page.html["lang"] == lang
    assert page.h1.get_text() == heading
    assert page.select_one("form[role=search] button").get_text() == button
    config = config_of(page)
    assert config["nothing"] == nothing
    assert counts.items() <= config["results"].items()
    assert config["bundle"] == f"/pagefind/{lang}/"
    shards = json.loads((fixture_site.root / "pagefind" / lang / "shards.json").read_text())["shards"]
    assert shards and all(fixture_site.exists(f"{config['bundle']}{shard}pagefind.js") for shard in shards)


def test_only_kazakh_search_folds_letters(fixture_site):
    assert config_of(fixture_site.page("/kk/search/"))["fold"] == KAZAKH_FOLDING
    assert config_of(fixture_site.page("/ru/search/"))["fold"] == {}
    assert fixture_site.page("/kk/search/").select(".search__hint")
    assert not fixture_site.page("/ru/search/").select(".search__hint")


def test_search_page_runs_no_inline_script(fixture_site):
    for lang in ("ru", "kk"):
        scripts = fixture_site.page(f"/{lang}/search/").select("script")
        code = [s for s in scripts if not s.get("src") and s.get("type") != "application/json"]
        assert code == []
        # Fingerprinted (?v=<hash>) so that servers may cache them for a year.
        modules = [s["src"].split("?v=")[0] for s in scripts if s.get("src")]
        assert "/theme/js/search.js" in modules  # beside the low-vision script every page has
        assert all(fixture_site.exists(m) for m in modules)


def test_every_page_links_to_its_language_search(fixture_site):
    for url in fixture_site.urls():
        if url != "/":
            lang = url.split("/")[1]
            assert fixture_site.page(url).select(f'nav.site-nav a[href="/{lang}/search/"]'), url


def test_a_search_costs_little_to_download(search_site):
    """Everything a reader downloads for one Kazakh search, scripts included, stays under 250 kB."""
    fetched = run_search(search_site, "kk", "алматы каласы")["fetched"]
    scripts = ["pagefind/kk/2025/pagefind.js", "pagefind/kk/2025/pagefind-worker.js", "theme/js/search.js"]
    scripts.append("theme/js/search-core.js")
    total = sum(fetched.values()) + sum((search_site / name).stat().st_size for name in scripts)
    assert total < 250_000, fetched


def test_pagefinds_own_interfaces_are_not_published(search_site):
    assert not list(search_site.glob("pagefind/**/pagefind-ui.js"))
    assert (search_site / "pagefind" / "kk" / "2025" / "pagefind-worker.js").exists()


# --- pure helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Алматы қаласының әкімі", "алматы каласынын акими"),
        ("ҰЛТТЫҚ ҒЫЛЫМ ҺӘМ", "улттык гылым хам"),
        ("Бөлім, үш кітап", "болим, уш китап"),
        ("Городская ёлка", "городская ёлка"),
    ],
)
def test_fold_replaces_kazakh_letters_with_russian_keyboard_ones(text, folded):
    assert fold(text, KAZAKH_FOLDING) == folded


def test_folded_words_keeps_only_words_that_change_once_each():
    texts = ["Алматы қаласы, Алматы қаласы!", "Қала әкімі"]
    assert folded_words(texts, KAZAKH_FOLDING) == ["каласы", "кала", "акими"]
    assert folded_words(["Городская библиотека"], KAZAKH_FOLDING) == []
    assert folded_words(texts, {}) == []


def test_plural_templates_give_one_text_per_cldr_category():
    forms = {1: "%(num)d результат", 2: "%(num)d результата", 5: "%(num)d результатов"}

    def ngettext(singular, plural, n):
        return forms[1] if n % 10 == 1 and n % 100 != 11 else forms[2] if 2 <= n % 10 <= 4 else forms[5]

    assert plural_templates(ngettext, "ru", "x", "y") == {
        "many": "{n} результатов",
        "one": "{n} результат",
        "few": "{n} результата",
    }

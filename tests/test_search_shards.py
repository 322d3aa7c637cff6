"""The search index in per-language, per-year shards: merged by the search page, rebuilt only when changed."""

import filecmp
import json
import shutil
from pathlib import Path

import pytest
from browsing import Reader
from conftest import ROOT, build
from discovery_helpers import run_search, write_story

from search.shards import SearchPage, Shard, plan_shards, shard_key, shard_list
from tools.localsite import production_headers, serve

# One shard per year even for a handful of stories (the default groups years into 200 pages or more).
PER_YEAR = {"SEARCH_SHARD_MIN_PAGES": 1}
OLD = "news/2024/2024-03-05-library-night"
NEW = "news/2025/2025-05-20-bridge"


def write_site(content: Path) -> None:
    """Two years of stories in both languages and a static page."""
    write_story(
        content,
        OLD,
        "kk",
        """
Title: Қалалық кітапхана түнгі оқу кешін өткізді
Tags: Кітапханалар

Кітапхана түні: кітапхана оқырмандары кітапхана залдарында таңға дейін кітап оқыды.
""",
    )
    write_story(
        content,
        OLD,
        "ru",
        """
Title: Библиотека провела ночь чтения
Tags: Библиотеки

Читатели библиотеки до утра читали в залах библиотеки. Библиотека работала всю ночь.
""",
    )
    write_story(
        content,
        NEW,
        "kk",
        """
Title: Өзен үстінен жаяу көпір салынды
Tags: Көпірлер

Көпірдің жанында шағын кітапхана сөресі де орнатылды.
""",
    )
    write_story(
        content,
        NEW,
        "ru",
        """
Title: Через реку построили пешеходный мост
Tags: Мосты

У моста поставили и небольшую полку библиотеки для прохожих. На открытии играл оркестр.
""",
    )
    write_story(content, "pages/about", "ru", "Title: О проекте\n\nАрхив новостей и событий Алматы.")
    write_story(
        content, "pages/about", "kk", "Title: Жоба туралы\n\nАлматы жаңалықтары мен оқиғалары мұрағаты."
    )


def site_build(content: Path, output: Path, cache: Path) -> None:
    build(content, output, CACHE_PATH=str(cache), **PER_YEAR)


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    write_site(root / "content")
    site_build(root / "content", root / "output", root / "cache")
    return root / "output"


def shards_of(site: Path, lang: str) -> list[str]:
    return json.loads((site / "pagefind" / lang / "shards.json").read_text())["shards"]


def urls(found: list[dict]) -> list[str]:
    return [result["url"] for result in found]


def test_each_language_has_one_shard_per_year_newest_first(sharded_site):
    for lang in ("ru", "kk"):
        assert shards_of(sharded_site, lang) == ["2025/", "2024/"]
        for shard in ("2025", "2024"):
            entry = json.loads((sharded_site / "pagefind" / lang / shard / "pagefind-entry.json").read_text())
            assert list(entry["languages"]) == [lang]


def test_every_searchable_page_is_in_exactly_one_shard(sharded_site):
    for lang in ("ru", "kk"):
        searchable = [
            page
            for page in (sharded_site / lang).rglob("index.html")
            if "data-pagefind-body" in page.read_text(encoding="utf-8")
        ]
        counted = 0
        for shard in shards_of(sharded_site, lang):
            entry = json.loads((sharded_site / "pagefind" / lang / shard / "pagefind-entry.json").read_text())
            counted += entry["languages"][lang]["page_count"]
        assert counted == len(searchable) == 3  # two stories and the static page


def test_one_query_finds_stories_of_every_year_best_first(sharded_site):
    # The 2024 story is about the library (title and body); the 2025 one mentions it once.
    found = run_search(sharded_site, "ru", "библиотека")["results"]["библиотека"]
    assert urls(found) == ["/ru/news/2024/03/library-night/", "/ru/news/2025/05/bridge/"]
    found = run_search(sharded_site, "ru", "мост")["results"]["мост"]
    assert urls(found) == ["/ru/news/2025/05/bridge/"]


def test_a_shard_without_a_word_does_not_answer_for_it(sharded_site):
    """Pagefind answers a word its index lacks with a shorter one (оркестр → «О проекте»), or without it."""
    results = run_search(sharded_site, "ru", "оркестр", "библиотеки мост", "мост ночь")["results"]
    assert urls(results["оркестр"]) == ["/ru/news/2025/05/bridge/"]
    assert urls(results["библиотеки мост"]) == ["/ru/news/2025/05/bridge/"]
    assert results["мост ночь"] == []


def test_a_word_the_site_lacks_is_ignored_as_one_index_would(sharded_site):
    results = run_search(sharded_site, "ru", "библиотека zzzz")["results"]["библиотека zzzz"]
    assert urls(results) == ["/ru/news/2024/03/library-night/", "/ru/news/2025/05/bridge/"]


def test_kazakh_folding_works_across_shards(sharded_site):
    results = run_search(sharded_site, "kk", "китапхана", "копир", "мурагаты")["results"]
    assert urls(results["китапхана"]) == ["/kk/news/2024/03/library-night/", "/kk/news/2025/05/bridge/"]
    assert "<mark>Кітапхана" in results["китапхана"][0]["excerpt"]
    assert urls(results["копир"]) == ["/kk/news/2025/05/bridge/"]
    assert urls(results["мурагаты"]) == ["/kk/about/"]


def test_static_pages_join_the_oldest_shard(sharded_site):
    assert run_search(sharded_site, "ru", "архив")["results"]["архив"][0]["url"] == "/ru/about/"
    entry = json.loads((sharded_site / "pagefind" / "ru" / "2024" / "pagefind-entry.json").read_text())
    assert entry["languages"]["ru"]["page_count"] == 2  # the 2024 story and the static page


def test_the_search_page_merges_the_shards_in_chromium(sharded_site, chromium):
    """In a browser Pagefind runs in a worker, under the production Content-Security-Policy."""
    with serve(sharded_site, production_headers(ROOT / "deploy" / "nginx.conf")) as base:
        context = chromium.new_context()
        reader = Reader(context, base)
        reader.open("/kk/search/?q=китапхана")
        reader.page.locator("#search-results li").nth(1).wait_for()
        links = reader.page.locator("#search-results h2 a")
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
            "/kk/news/2024/03/library-night/",
            "/kk/news/2025/05/bridge/",
        ]
        assert "<mark>" in reader.page.locator("#search-results .search-result__excerpt").first.inner_html()
        reader.page.fill("#search-query", "копир китапхана")
        reader.page.keyboard.press("Enter")
        reader.page.locator("#search-status", has_text="1").wait_for()
        assert links.count() == 1 and links.first.get_attribute("href") == "/kk/news/2025/05/bridge/"
        reader.assert_clean()
        context.close()


# --- rebuilding ------------------------------------------------------------------------------


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    """Identity of each shard's entry file: a shard indexed again gets a new file."""
    found = {}
    for entry in site.glob("pagefind/*/*/pagefind-entry.json"):
        stat = entry.stat()
        found[str(entry.parent.relative_to(site))] = (stat.st_ino, stat.st_mtime_ns)
    return found


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.system  # corpus builds, again after a change
def test_only_changed_shards_are_indexed_again_and_the_result_equals_a_cold_build(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    write_site(content)
    site_build(content, output, cache)
    first = stamps(output)
    assert set(first) == {f"pagefind/{lang}/{year}" for lang in ("ru", "kk") for year in (2024, 2025)}

    site_build(content, output, cache)
    assert stamps(output) == first  # nothing changed: nothing indexed

    story = content / NEW / "ru.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nВечером был фейерверк.\n", "utf-8")
    site_build(content, output, cache)
    now = stamps(output)
    assert now["pagefind/ru/2025"] != first["pagefind/ru/2025"]
    assert {k: v for k, v in now.items() if k != "pagefind/ru/2025"} == {
        k: v for k, v in first.items() if k != "pagefind/ru/2025"
    }
    assert urls(run_search(output, "ru", "фейерверк")["results"]["фейерверк"]) == ["/ru/news/2025/05/bridge/"]

    shutil.rmtree(content / OLD)
    site_build(content, output, cache)
    assert not (output / "pagefind" / "ru" / "2024").exists()
    assert shards_of(output, "ru") == ["2025/"]  # the static page moves to the oldest year left
    assert urls(run_search(output, "ru", "библиотека")["results"]["библиотека"]) == [
        "/ru/news/2025/05/bridge/"
    ]

    fresh = tmp_path / "fresh"
    site_build(content, fresh, tmp_path / "fresh-cache")
    bundle, fresh_bundle = output / "pagefind", fresh / "pagefind"
    assert tree(bundle) == tree(fresh_bundle)
    assert all(filecmp.cmp(bundle / name, fresh_bundle / name, shallow=False) for name in tree(bundle))


@pytest.mark.system  # corpus builds, again after a change
def test_a_shard_whose_folder_was_touched_is_indexed_again(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    write_site(content)
    site_build(content, output, cache)
    entry = output / "pagefind" / "kk" / "2024" / "pagefind-entry.json"
    entry.write_text("{}", encoding="utf-8")  # a hand edit, or a build that failed half-way
    site_build(content, output, cache)
    assert json.loads(entry.read_text())["languages"]["kk"]["page_count"] == 2
    assert (
        urls(run_search(output, "kk", "китапхана")["results"]["китапхана"])[0]
        == "/kk/news/2024/03/library-night/"
    )


# --- pure helpers ---------------------------------------------------------------------------


def pages(lang: str, counts: dict) -> list[SearchPage]:
    return [
        SearchPage(lang, year, f"{lang}/{year}/{n}.html")
        for year, count in counts.items()
        for n in range(count)
    ]


def test_years_are_grouped_until_a_shard_is_big_enough_newest_first():
    found = pages("ru", {None: 2, 2016: 3, 2017: 1, 2018: 5, 2019: 5, 2020: 2})
    shards = plan_shards(found, min_pages=5)
    # 2+3 undated and 2016 pages; 2017 waits for 2018; 2020 is too small and joins 2019.
    assert [(s.name, len(s.paths)) for s in shards] == [("2019-2020", 7), ("2017-2018", 6), ("2016", 5)]
    assert sorted(p for s in shards for p in s.paths) == sorted(p.path for p in found)


def test_each_language_is_sharded_apart_and_undated_only_gets_its_own_shard():
    shards = plan_shards(pages("kk", {2024: 1, 2025: 1}) + pages("ru", {None: 2}), min_pages=1)
    assert [(s.lang, s.name) for s in shards] == [("kk", "2025"), ("kk", "2024"), ("ru", "pages")]
    assert shard_list(shards, "kk") == '{"shards":["2025/","2024/"]}\n'
    assert shard_list(shards, "en") == '{"shards":[]}\n'
    assert [s.name for s in plan_shards(pages("ru", {2024: 1, 2025: 1}), min_pages=10)] == ["2024-2025"]


def test_the_shard_key_follows_the_pages_and_the_settings():
    shard = Shard("ru", "2025", ["ru/a.html", "ru/b.html"])
    digests = {"ru/a.html": "1", "ru/b.html": "2"}
    key = shard_key(shard, digests, {"pagefind": "1.5.2"})
    assert key == shard_key(
        Shard("ru", "2025", ["ru/a.html", "ru/b.html"]), dict(digests), {"pagefind": "1.5.2"}
    )
    assert key != shard_key(shard, {**digests, "ru/b.html": "3"}, {"pagefind": "1.5.2"})
    assert key != shard_key(shard, digests, {"pagefind": "1.6.0"})
    assert key != shard_key(Shard("ru", "2025", ["ru/a.html"]), digests, {"pagefind": "1.5.2"})

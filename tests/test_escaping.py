"""Text an editor types comes back as the same text in every output: HTML, JSON-LD, feeds, calendars, search.

Title, Tags, Image_alt, Location and Address are plain text: `<6+>`, `3 < 5`, quotes and `&amp;`
are shown exactly as typed. Summary is Markdown: where only text may go, its HTML is turned into
text (entities decoded once, smart quotes as on the page). Every output is read with a real parser.
"""

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_NOW, Site, build
from discovery_helpers import run_search, write_story
from icalendar import Calendar
from PIL import Image

from content_format.text import html_to_text

SCRIPT = "</script><script>alert(1)</script>"
KAZAKH = "ә ғ қ ң ө ұ ү һ і"
LOCALITY = "Алматы"
# What each language's story says, in every text field; the news story's title has its own first word.
FIELDS = {
    "ru": {
        "title": f"Сеанс <6+> для детей: если 3 < 5 & 7 > 2, \"кавычки\" и 'апострофы' {SCRIPT} &amp; конец",
        "summary": f"Анонс <6+>: если 3 < 5 & 7 > 2, \"кавычки\" и 'апострофы' `{SCRIPT}` &amp; конец",
        # Markdown's typography makes the quotes curly; `&amp;` in Markdown is an ampersand.
        "summary_text": f"Анонс <6+>: если 3 < 5 & 7 > 2, «кавычки» и ‘апострофы’ {SCRIPT} & конец",
        "tags": ["<6+>", "3 < 5 & 7 > 2", "\"кавычки\" и 'апострофы'", SCRIPT],
        "image_alt": f"Афиша <6+>: 3 < 5 & 7 > 2 \"кавычки\" 'апострофы' {SCRIPT} &amp;",
        "location": f"Зал <6+> \"Кино\" & 'Кафе' {SCRIPT} &amp;",
        "address": "ул. <Абая> 3 < 5 & 7 > 2, \"дом\" 'один' &amp;",
    },
    "kk": {
        "title": f"Балаларға сеанс <6+>: {KAZAKH}, 3 < 5 & 7 > 2, \"тырнақша\" 'апостроф' {SCRIPT} &amp;",
        "summary": f"Хабарландыру <6+>: {KAZAKH}, 3 < 5 & 7 > 2, \"тырнақша\" 'апостроф' `{SCRIPT}` &amp;",
        "summary_text": f"Хабарландыру <6+>: {KAZAKH}, 3 < 5 & 7 > 2, «тырнақша» ‘апостроф’ {SCRIPT} &",
        "tags": ["<6+>", f"қала {KAZAKH}", "3 < 5 & 7 > 2", SCRIPT],
        "image_alt": f"Афиша <6+>: {KAZAKH} 3 < 5 & 7 > 2 \"тырнақша\" 'апостроф' {SCRIPT} &amp;",
        "location": f"Зал <6+> \"Кино\" & 'Кафе' {KAZAKH} &amp;",
        "address": "Абай <даңғылы> 3 < 5 & 7 > 2 &amp;",
    },
}
NEWS_WORD = {"ru": "Новость:", "kk": "Жаңалық:"}
LANGS = tuple(FIELDS)
EVENT = "events/2026/2026-11-25-kids-film"
NEWS = "news/2026/2026-11-24-kids-news"
PAGE = "pages/house-rules"
URLS = {"event": "{lang}/events/2026/11/kids-film/", "news": "{lang}/news/2026/11/kids-news/"}
# Scripts a page may hold: files (src) and data that never runs.
DATA_SCRIPTS = {"application/ld+json", "application/json"}


def title_of(kind: str, lang: str) -> str:
    title = FIELDS[lang]["title"]
    return f"{NEWS_WORD[lang]} {title}" if kind == "news" else title


def header(kind: str, lang: str) -> str:
    fields = FIELDS[lang]
    lines = [
        f"Title: {title_of(kind, lang)}",
        f"Summary: {fields['summary']}",
        f"Tags: {', '.join(fields['tags'])}",
        "Image: poster.jpg",
        f"Image_alt: {fields['image_alt']}",
    ]
    if kind == "event":
        lines += [
            "Event_start: 2026-12-05 19:00",
            f"Location: {fields['location']}",
            f"Address: {fields['address']}",
        ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    """A news story, an event and a static page whose every text field is hostile, in ru and kk."""
    content = tmp_path_factory.mktemp("escaping") / "content"
    for kind, folder in (("event", EVENT), ("news", NEWS)):
        for lang in LANGS:
            write_story(content, folder, lang, f"{header(kind, lang)}\n\nТекст {lang}.")
        Image.new("RGB", (900, 600), (20, 60, 90)).save(content / folder / "poster.jpg", quality=80)
    for lang in LANGS:
        fields = FIELDS[lang]
        write_story(content, PAGE, lang, f"Title: {fields['title']}\nSummary: {fields['summary']}\n\nТекст.")
    output = content.parent / "output"
    build(content, output, EVENTS_NOW=FIXTURE_NOW)
    yield Site(output)
    shutil.rmtree(content.parent, ignore_errors=True)


def meta(soup: BeautifulSoup, key: str, attribute: str = "property") -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={attribute: key})]


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def document_title(soup: BeautifulSoup) -> str:
    """Return the <title> without the site's name after it."""
    return soup.title.string.rpartition(" — ")[0]


def page_urls(site: Site) -> list[str]:
    return [*site.urls(), "/404.html"]


# --- html_to_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>3 &lt; 5 &amp; 7 &gt; 2</p>", "3 < 5 & 7 > 2"),
        ("&lt;6+&gt;", "<6+>"),
        ("&amp;lt;", "&lt;"),  # decoded once, never twice
        ("<p>one</p><p>two</p>", "one two"),
        ("line<br>break", "line break"),
        ("<em>Алма</em>ты", "Алматы"),
        ('<img alt="a > b" src="x.jpg">after', "after"),
        ("<code>&lt;/script&gt;</code>", "</script>"),
        ("a<script>alert(1)</script>b<!-- note -->c", "abc"),
        ("3 < 5", "3 < 5"),
        (None, ""),
    ],
)
def test_html_to_text_removes_elements_and_decodes_entities_once(html, text):
    assert html_to_text(html) == text


# --- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["event", "news"])
@pytest.mark.parametrize("lang", LANGS)
def test_story_head_and_page_show_every_field_as_typed(site, lang, kind):
    fields = FIELDS[lang]
    title = title_of(kind, lang)
    soup = site.page("/" + URLS[kind].format(lang=lang))
    assert document_title(soup) == title
    assert meta(soup, "og:title") == [title]
    assert soup.h1.get_text() == title
    assert meta(soup, "description", "name") == [fields["summary_text"]]
    assert meta(soup, "og:description") == [fields["summary_text"]]
    assert meta(soup, "og:image:alt") == [fields["image_alt"]]
    assert soup.select_one(".story__cover img")["alt"] == fields["image_alt"]
    assert meta(soup, "article:tag") == fields["tags"]
    assert [a.get_text() for a in soup.select(".story__tags a")] == fields["tags"]
    if kind == "event":
        where = soup.select(".event-details__facts dd")[1]
        assert where.get_text("\n") == f"{fields['location']}\n{fields['address']}"


@pytest.mark.parametrize("lang", LANGS)
def test_static_page_head_shows_title_and_summary_as_typed(site, lang):
    fields = FIELDS[lang]
    soup = site.page(f"/{lang}/house-rules/")
    assert document_title(soup) == fields["title"]
    assert meta(soup, "og:title") == [fields["title"]]
    assert soup.h1.get_text() == fields["title"]
    assert meta(soup, "description", "name") == [fields["summary_text"]]


@pytest.mark.parametrize("kind", ["event", "news"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_listing_a_story_shows_its_title_and_summary_as_typed(site, lang, kind):
    url = URLS[kind].format(lang=lang)
    title, fields = title_of(kind, lang), FIELDS[lang]
    listing = []
    for page in page_urls(site):
        soup = site.page(page)
        links = [a for a in soup.find_all("a", href=f"/{url}") if page != f"/{url}"]
        if not links or soup.html["lang"] != lang:
            continue
        listing.append(page)
        shown = [(a.select_one(".neighbours__title") or a).get_text() for a in links]
        assert title in shown, page
        for card in soup.select(".card"):
            if card.find("a", href=f"/{url}"):
                assert (
                    " ".join(card.select_one(".card__summary").get_text().split()) == fields["summary_text"]
                )
                assert card.select_one("img")["alt"] == fields["image_alt"]
                if kind == "event":
                    assert card.select_one(".card__event").get_text().endswith(f" · {fields['location']}")
    # Home, the section, the archives, every tag page (and the calendar for the event).
    assert len(listing) >= 3 + len(fields["tags"]), listing


def test_tag_pages_name_their_tag_as_typed(site):
    for lang in LANGS:
        tags = FIELDS[lang]["tags"]
        listed = site.page(f"/{lang}/tags/")
        assert sorted(a.get_text() for a in listed.select("main li a")) == sorted(tags)
        for link in listed.select("main li a"):
            soup = site.page(link["href"])
            assert link.get_text() in document_title(soup)
            assert soup.h1.get_text().endswith(link.get_text())


def test_no_page_runs_a_script_it_does_not_link(site):
    checked = 0
    for page in page_urls(site):
        soup = site.page(page)
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") in DATA_SCRIPTS, (page, str(script)[:200])
            checked += 1
    assert checked > len(page_urls(site))


def test_json_ld_never_holds_a_closing_script_tag(site):
    for page in page_urls(site):
        html = site.file(page).read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL):
            assert "<" not in block and ">" not in block, page
            json.loads(block)


# --- JSON-LD ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_json_ld_carries_every_field_as_typed(site, lang):
    fields = FIELDS[lang]
    news = {block["@type"]: block for block in json_ld(site.page("/" + URLS["news"].format(lang=lang)))}
    article = news["NewsArticle"]
    assert article["headline"] == title_of("news", lang)
    assert article["description"] == fields["summary_text"]
    assert article["keywords"] == fields["tags"]
    assert news["BreadcrumbList"]["itemListElement"][-1]["name"] == title_of("news", lang)

    blocks = {block["@type"]: block for block in json_ld(site.page("/" + URLS["event"].format(lang=lang)))}
    event = blocks["Event"]
    assert event["name"] == fields["title"]
    assert event["description"] == fields["summary_text"]
    assert event["location"]["name"] == fields["location"]
    assert event["location"]["address"]["streetAddress"] == fields["address"]
    assert blocks["BreadcrumbList"]["itemListElement"][-1]["name"] == fields["title"]


# --- feeds -----------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def summary_html_check(html: str, fields: dict) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.img["alt"] == fields["image_alt"]
    assert not soup.find("script")
    assert soup.get_text().strip() == fields["summary_text"]


@pytest.mark.parametrize("lang", LANGS)
def test_feeds_carry_every_field_as_typed(site, lang):
    fields = FIELDS[lang]
    titles = {title_of(kind, lang) for kind in URLS}
    for kind in ("atom", "rss"):
        feed = feedparser.parse(site.file(f"/{lang}/{kind}.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert {entry.title for entry in feed.entries} == titles
        for entry in feed.entries:
            assert [tag.term for tag in entry.tags] == fields["tags"]

    atom = ElementTree.parse(site.file(f"/{lang}/atom.xml")).getroot()
    entries = atom.findall(f"{ATOM}entry")
    assert {entry.find(f"{ATOM}title").text for entry in entries} == titles
    for entry in entries:
        assert entry.find(f"{ATOM}title").get("type", "text") == "text"
        assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == fields["tags"]
        summary_html_check(entry.find(f"{ATOM}summary").text, fields)

    items = ElementTree.parse(site.file(f"/{lang}/rss.xml")).getroot().findall("channel/item")
    assert {item.find("title").text for item in items} == titles
    for item in items:
        assert [c.text for c in item.findall("category")] == fields["tags"]
        summary_html_check(item.find("description").text, fields)


# --- calendars -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("calendar", ["{lang}/events.ics", URLS["event"] + "event.ics"])
def test_calendars_carry_every_field_as_typed(site, lang, calendar):
    fields = FIELDS[lang]
    parsed = Calendar.from_ical(site.file("/" + calendar.format(lang=lang)).read_bytes())
    (event,) = parsed.walk("VEVENT")
    assert str(event["SUMMARY"]) == fields["title"]
    assert str(event["DESCRIPTION"]) == fields["summary_text"]
    assert str(event["LOCATION"]) == f"{fields['location']}, {fields['address']}, {LOCALITY}"
    assert list(event["CATEGORIES"].cats) == fields["tags"]


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_search_results_show_the_title_as_typed(site, lang):
    query = {"ru": "сеанс", "kk": "балаларға"}[lang]
    found = run_search(site.root, lang, query)["results"][query]
    assert {result["title"] for result in found} == {title_of(kind, lang) for kind in URLS}
    for result in found:
        excerpt = BeautifulSoup(result["excerpt"], "html.parser")
        assert not excerpt.find("script")
        assert {tag.name for tag in excerpt.find_all()} <= {"mark"}
        assert "<6+>" in excerpt.get_text()

"""Typography and inline markup of stories: the fast passes write exactly what Markdown's own write."""

import random

import pytest
from conftest import ROOT
from markdown import Markdown
from markdown.extensions.smarty import SmartyExtension
from pelican.settings import read_settings

from content_format.inline import SkippingInline, needles_of
from content_format.reader import StoryReader
from content_format.typography import Typography

SUBSTITUTIONS = {"left-double-quote": "«", "right-double-quote": "»"}

# Everything smarty and the inline patterns react to, and what sits around it in our stories.
TRICKY = [
    "\"Начало\" абзаца. 'Start' of it. \"'Nested' quotes\" and '\"other\" nested'.",
    "Тире -- короткое, --- длинное, ---- четыре, - одно. Многоточие... и ....четыре и .. два.",
    '&nbsp;"после nbsp" &mdash;"после mdash" –"en" —"em" &#8212;"dec" --"dashes" ---"em"',
    '`code "not" -- touched...` and ``double `tick` "code"`` then "after code".',
    '    code block "quotes" -- stay ...\n\nafter',
    '```\nfenced "quotes" -- stay...\n```',
    '*"emph"* **\'strong\'** _"under"_ "*inside*" [ссылка "на" сайт](/ru/ "title \'q\'")',
    "\\\"escaped\\\" \\'escaped\\' it's rock'n'roll, the 90's, '90s, 'tis, o'clock.",
    '<span title="raw \'html\'">raw "inline" -- html</span> and <b>"bold"</b>\'s.',
    '<div>\nblock "html" -- raw...\n</div>',
    '> «Цитата» -- "вложенная \'цитата\'" — конец...\n> "Second line"',
    '* "item" one\n* \'item\' two --- dash\n    * nested "q"...',
    '| "a" | \'b\' -- c |\n|-----|----------|\n| "d"... | e --- f |',
    "Term \"x\"\n:   Definition 'y' -- z...",
    'Қазақша: "Алматы" -- қала. Оның \'аты\' ... Ол: "Мен келдім!" -- деді. 5\'10" tall.',
    'Footnote ref[^1] "after".\n\n[^1]: Footnote "text" -- here...',
    "*[HTML]: Hyper \"Text\" Markup\n\nHTML is 'fun'.",
    "Hard  \nbreak \"after\"  \n'x' <http://example.com/a--b> <mail@example.com> &amp; &copy;",
    "'\n\"\n''\n\"\"\n\"'\"\n'\"'\na''b a\"\"b \"\" '' ''' \"\"\"",
]
ATOMS = [
    "'", '"', "--", "-", "...", ".", " ", "\n", "\n\n", "а", "s", "80s", "`", "*", "**", "_", "\\",
    "<", ">", "<<", ">>", "&nbsp;", "&mdash;", "—", "–", "(", "[", "]", "![", "[x](y)", "[^1]",
    "<b>", "</b>", "<http://a.kz>", "  \n", "    ", "> ", "* ", "1. ", "|", "&", "&amp;",
]  # fmt: skip


def fragments(count: int, seed: int = 2026) -> list[str]:
    """Return random Markdown made of the characters every pass reacts to."""
    rng = random.Random(seed)
    return ["".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def markdown(*extensions) -> Markdown:
    return Markdown(extensions=["extra", "meta", *extensions], output_format="html5")


@pytest.mark.parametrize(
    "options", [{"substitutions": SUBSTITUTIONS}, {}, {"smart_angled_quotes": True}], ids=str
)
def test_typography_writes_what_smarty_writes(options):
    smarty, ours = markdown(SmartyExtension(**options)), markdown(Typography(**options))
    for text in TRICKY + fragments(1000):
        assert ours.reset().convert(text) == smarty.reset().convert(text), text


def test_skipping_inline_pass_writes_what_markdowns_writes():
    typography = {"substitutions": SUBSTITUTIONS}
    stock = markdown(Typography(**typography))
    ours = markdown(Typography(**typography), SkippingInline())
    for text in TRICKY + fragments(1000, seed=7):
        assert ours.reset().convert(text) == stock.reset().convert(text), text


def test_every_markdown_inline_pattern_is_known():
    # A Markdown upgrade that changes a pattern makes it unknown: still right, but slow again.
    md = markdown(SkippingInline())
    assert [needles_of(pattern) is not None for pattern in md.inlinePatterns] == [True] * len(
        md.inlinePatterns
    )


@pytest.fixture
def read(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    reader = StoryReader(settings, parts=())

    def read_story(lang: str, body: str) -> str:
        path = tmp_path / "news/2025/2025-04-23-story" / f"{lang}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title: Заголовок\n\n{body}\n", encoding="utf-8")
        return reader.read(str(path))[0]

    return read_story


def test_russian_typography(read):
    html = read("ru", 'Он сказал: "Приходите в субботу" -- и ушёл... Мероприятие --- бесплатное.')
    assert html == "<p>Он сказал: «Приходите в субботу» – и ушёл… Мероприятие — бесплатное.</p>"


def test_kazakh_typography_and_apostrophes(read):
    html = read("kk", "\"Алматы\" -- 'Апорт' қаласы... Д'Артаньян мен O'Brien, '90s.")
    assert html == "<p>«Алматы» – ‘Апорт’ қаласы… Д’Артаньян мен O’Brien, ’90s.</p>"


def test_quotes_typed_as_guillemets_stay(read):
    assert read("ru", "«Ёлка» — в парке — «весь день»") == "<p>«Ёлка» — в парке — «весь день»</p>"


def test_code_is_left_as_typed(read):
    html = read("ru", 'Код `"a" -- b...` и блок:\n\n    x = "y" -- z...\n\nКонец "цитаты".')
    assert '<code>"a" -- b...</code>' in html
    assert '<pre><code>x = "y" -- z...\n</code></pre>' in html
    assert "Конец «цитаты»." in html


def test_escaped_quotes_stay_straight(read):
    assert read("ru", r"Дюйм: 5\" и \'штрих\'.") == "<p>Дюйм: 5\" и 'штрих'.</p>"

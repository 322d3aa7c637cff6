"""Turn the HTML that Markdown makes of a Summary or body into the plain text a reader sees.

Plain text is what goes where no markup may: a meta description, a calendar's DESCRIPTION, JSON-LD,
the words the search folds. Entities are decoded exactly once (`3 &lt; 5` reads `3 < 5`, and
`&amp;lt;` reads `&lt;`), and text that merely looks like a tag (`<6+>` is `&lt;6+&gt;` in the
HTML) is kept: only real elements go. Each place that writes the text escapes it for itself.
"""

import html
import re

# Elements that start a new line of text: the words on either side must not run together.
_BREAKS = frozenset(
    {
        "address", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section",
        "summary", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Serialized HTML writes a "<" of text as &lt;, so a "<" that a letter, "/" or "!" follows opens a
# tag or comment; quoted attribute values may hold ">". Elements whose text is never shown go whole.
_MARKUP = re.compile(
    r"<(?P<hidden>script|style|template)\b.*?</(?P=hidden)\s*>"
    r"|<!--.*?-->"
    r"""|</?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.DOTALL | re.IGNORECASE,
)


def _replace(match: re.Match) -> str:
    name = match["name"]
    return " " if name and name.lower() in _BREAKS else ""


def html_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment: elements removed, entities decoded once, spaces collapsed."""
    return " ".join(html.unescape(_MARKUP.sub(_replace, str(fragment or ""))).split())


_PARAGRAPH = re.compile(r"<p\b[^>]*>(?P<inner>.*?)</p\s*>", re.DOTALL | re.IGNORECASE)
# A footnote's number (Markdown's `[^1]`) is no part of the sentence it follows.
_FOOTNOTE_MARK = re.compile(r"<sup\b[^>]*\bid=\"fnref[^>]*>.*?</sup\s*>", re.DOTALL | re.IGNORECASE)


def first_paragraph(fragment: str) -> str:
    """Return the first paragraph of HTML that has text, as text only (no pictures, no links): `<p>…</p>`."""
    for match in _PARAGRAPH.finditer(str(fragment or "")):
        text = html_to_text(_FOOTNOTE_MARK.sub("", match["inner"]))
        if text:
            return f"<p>{html.escape(text, quote=False)}</p>"
    return ""

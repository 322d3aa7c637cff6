"""Keep only safe HTML in story bodies and summaries: what our Markdown writes, nothing that runs."""

from collections.abc import Callable

import nh3

# Everything Markdown (with `extra`) and the picture markup produce; extend here, in one place.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
        "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre",
        "q", "s", "samp", "small", "source", "span", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip
_IMAGE_ATTRIBUTES = {"srcset", "sizes", "width", "height"}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "loading", "decoding", "fetchpriority", *_IMAGE_ATTRIBUTES},
    "source": {"type", "media", *_IMAGE_ATTRIBUTES},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "abbr": {"title"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# No link may give the page it opens a handle on ours (window.opener).
LINK_REL = "noopener"


def sanitizer(attribute_filter: Callable[[str, str, str], str | None] | None = None) -> nh3.Cleaner:
    """Return a reusable sanitizer (much cheaper per document than `clean_html`) with the allowlist.

    attribute_filter(tag, attribute, value) may rewrite or (returning None) drop an allowed attribute.
    """
    return nh3.Cleaner(
        attribute_filter=attribute_filter,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def clean_html(html: str, attribute_filter: Callable[[str, str, str], str | None] | None = None) -> str:
    """Return html with every tag, attribute and URL scheme outside the allowlist removed.

    attribute_filter(tag, attribute, value) may rewrite or (returning None) drop an allowed attribute.
    """
    return sanitizer(attribute_filter).clean(html)

"""Check a built site: every internal link, picture and asset resolves, every page has one <h1>."""

import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from l10n.messages import Message, _, ngettext

# Attributes that point at another file; srcset holds a list of them.
URL_ATTRIBUTES = {"href", "src", "poster", "data"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class LinkProblem:
    page: str
    message: Message

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def in_page_order(problems: list) -> list:
    """Sort problems by page, then by what they say (as the editor reads it)."""
    return sorted(problems, key=lambda problem: (problem.page, str(problem.message)))


class PageParser(HTMLParser):
    """What one page holds that the checks look at: links, ids, h1s, and inline code (see publishing)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.h1_count = 0
        self.scripts: list[dict] = []  # attributes of each <script> without src
        self.styles = 0  # <style> elements and style="…" attributes
        self.handlers: list[tuple[str, str]] = []  # (attribute, element), such as ("onclick", "a")
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h1":
            self.h1_count += 1
        if tag == "style":
            self._in_style = True
            self.styles += 1
        if tag == "script" and not attributes.get("src"):
            self.scripts.append(attributes)
        self.handlers += [(name, tag) for name in attributes if name.startswith("on")]
        if "style" in attributes:
            self.styles += 1
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])
        if tag == "meta":
            return  # meta content holds absolute URLs for other sites (Open Graph), not links
        for name, value in attributes.items():
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.urls.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.urls += [part.strip().split()[0] for part in value.split(",") if part.strip()]
            elif name == "style":
                self.urls += [m["url"] for m in _CSS_URL.finditer(value)]

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += [m["url"] for m in _CSS_URL.finditer(data)]


def read_pages(root: Path) -> dict[str, PageParser]:
    """Parse every HTML page under root once; by path relative to root (with /)."""
    pages = {}
    for html in sorted(Path(root).rglob("*.html")):
        parser = PageParser()
        parser.feed(html.read_text(encoding="utf-8"))
        pages[html.relative_to(root).as_posix()] = parser
    return pages


def target_file(root: Path, base_path: str, page: Path, url: str, origin: str = "") -> Path | None:
    """Return the file an internal URL points at (a folder means its index.html); None if external.

    origin ('https://host') makes absolute URLs on the site's own host internal too.
    """
    if origin and (url == origin or url.startswith(origin + "/")):
        url = url[len(origin) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page
    if path.startswith("/"):
        if not path.startswith(base_path):
            return root / "__outside_the_site__"
        target = root / path[len(base_path) :].lstrip("/")
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def site_path(root: Path, target: Path) -> str:
    """Return a target's path relative to root, with /, worked out from the text (the site holds no
    links, publishing refuses them): one set lookup then tells whether the file exists."""
    return os.path.relpath(os.path.normpath(target), root).replace(os.sep, "/")


def check_site(
    root: Path, base_path: str = "/", site_url: str = "", pages: dict[str, PageParser] | None = None
) -> list[LinkProblem]:
    """Check every HTML and CSS file under root; base_path is where the site is served ('/' or '/sub/').

    site_url, an absolute SITEURL (publishconf.py), sets base_path and checks absolute links to it too.
    pages: the pages as read_pages parsed them, when the caller has them already.
    """
    root = Path(os.path.abspath(root))
    origin = ""
    if urlsplit(site_url).netloc:
        address = urlsplit(site_url)
        origin, base_path = f"{address.scheme}://{address.netloc}", address.path.rstrip("/") + "/"
    problems: list[LinkProblem] = []
    pages = read_pages(root) if pages is None else pages
    files = {
        os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
        for folder, _, names in os.walk(root)
        for name in names
    }
    for shown, parser in pages.items():
        if parser.h1_count != 1:
            headings = ngettext(
                "has {count} <h1> element, not exactly one",
                "has {count} <h1> elements, not exactly one",
                parser.h1_count,
            )
            problems.append(LinkProblem(shown, headings))
        for url in parser.urls:
            target = target_file(root, base_path, root / shown, url, origin)
            if target is None:
                continue
            linked = site_path(root, target)
            if linked not in files:
                problems.append(LinkProblem(shown, _("links to {url}, which is not in the site", url=url)))
                continue
            fragment = urlsplit(url).fragment
            if fragment and linked in pages and fragment not in pages[linked].ids:
                no_anchor = _("links to {url}, but that page has no #{fragment}", url=url, fragment=fragment)
                problems.append(LinkProblem(shown, no_anchor))
    for css in sorted(root.rglob("*.css")):
        shown = css.relative_to(root).as_posix()
        for match in _CSS_URL.finditer(css.read_text(encoding="utf-8")):
            target = target_file(root, base_path, css, match["url"], origin)
            if target is not None and site_path(root, target) not in files:
                missing = _("refers to {url}, which is not in the site", url=match["url"])
                problems.append(LinkProblem(shown, missing))
    return in_page_order(problems)

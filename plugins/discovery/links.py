"""Check a built site: every internal link, picture and asset resolves, every page has one <h1>."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that point at another file; srcset holds a list of them.
URL_ATTRIBUTES = {"href", "src", "poster", "data"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)""")


@dataclass(frozen=True, order=True)
class LinkProblem:
    page: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.h1_count = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h1":
            self.h1_count += 1
        if tag == "style":
            self._in_style = True
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


def check_site(root: Path, base_path: str = "/", site_url: str = "") -> list[LinkProblem]:
    """Check every HTML and CSS file under root; base_path is where the site is served ('/' or '/sub/').

    site_url, an absolute SITEURL (publishconf.py), sets base_path and checks absolute links to it too.
    """
    root = Path(root)
    origin = ""
    if urlsplit(site_url).netloc:
        address = urlsplit(site_url)
        origin, base_path = f"{address.scheme}://{address.netloc}", address.path.rstrip("/") + "/"
    problems: list[LinkProblem] = []
    pages: dict[Path, _PageParser] = {}
    for html in sorted(root.rglob("*.html")):
        parser = _PageParser()
        parser.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = parser
    for page, parser in pages.items():
        shown = page.relative_to(root.resolve()).as_posix()
        if parser.h1_count != 1:
            problems.append(LinkProblem(shown, f"has {parser.h1_count} <h1> elements, not exactly one"))
        for url in parser.urls:
            target = target_file(root, base_path, page, url, origin)
            if target is None:
                continue
            if not target.resolve().is_file():
                problems.append(LinkProblem(shown, f"links to {url}, which is not in the site"))
                continue
            fragment = urlsplit(url).fragment
            linked = pages.get(target.resolve())
            if fragment and linked is not None and fragment not in linked.ids:
                problems.append(LinkProblem(shown, f"links to {url}, but that page has no #{fragment}"))
    for css in sorted(root.rglob("*.css")):
        shown = css.relative_to(root).as_posix()
        for match in _CSS_URL.finditer(css.read_text(encoding="utf-8")):
            target = target_file(root, base_path, css.resolve(), match["url"], origin)
            if target is not None and not target.resolve().is_file():
                problems.append(LinkProblem(shown, f"refers to {match['url']}, which is not in the site"))
    return sorted(problems)

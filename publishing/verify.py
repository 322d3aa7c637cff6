"""Check a built site before it goes live: internal links lead to files, no page needs inline script."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

# Attributes holding one URL, and the srcset ones holding several.
URL_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "source": "src",
    "script": "src",
    "iframe": "src",
}
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:")
LOCAL_ORIGIN = "http://site.invalid"  # stands for the host when SITEURL is empty (development builds)


@dataclass(frozen=True)
class Broken:
    """A problem found in the built output."""

    page: str  # file, relative to the output folder
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def _urls(soup: BeautifulSoup) -> list[str]:
    urls = []
    for tag in soup.find_all(list(URL_ATTRIBUTES)):
        if tag.get(URL_ATTRIBUTES[tag.name]):
            urls.append(tag[URL_ATTRIBUTES[tag.name]])
        for candidate in tag.get("srcset", "").split(","):
            if candidate.strip():
                urls.append(candidate.split()[0])
    for meta in soup.find_all("meta", attrs={"http-equiv": "refresh"}):
        _, _, target = meta.get("content", "").partition("url=")
        if target:
            urls.append(target.strip())
    return urls


def file_for(path: str, output: Path) -> Path:
    """Return the file a web server sends for a URL path ('/ru/' → ru/index.html)."""
    file = output / unquote(path).lstrip("/")
    return file / "index.html" if path.endswith("/") or file.is_dir() else file


def broken_links(output: Path, site_url: str = "") -> list[Broken]:
    """Return each internal link, picture or stylesheet of every page that leads to no file."""
    output = Path(output)
    root = (site_url or LOCAL_ORIGIN).rstrip("/") + "/"
    prefix = urlsplit(root)
    problems = []
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        here = urljoin(root, relative)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for url in dict.fromkeys(_urls(soup)):
            if url.startswith(SKIPPED_SCHEMES) or url.startswith("#"):
                continue
            target = urlsplit(urljoin(here, url))
            if (target.scheme, target.netloc) != (prefix.scheme, prefix.netloc):
                continue  # another site
            if not target.path.startswith(prefix.path):
                problems.append(Broken(relative, f"link to {url} points outside the site ({root})"))
            elif not file_for("/" + target.path[len(prefix.path) :], output).is_file():
                problems.append(Broken(relative, f"link to {url} leads to no file in the built site"))
    return problems


def inline_code(output: Path) -> list[Broken]:
    """Return each inline script, style or event handler, which the Content-Security-Policy blocks."""
    problems = []
    for page in sorted(Path(output).rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if not script.get("src") and script.get("type") != "application/ld+json":
                problems.append(Broken(relative, "inline <script>: move it to a file under theme/static/"))
        if soup.find("style") or soup.find(style=True):
            problems.append(Broken(relative, "inline style: move it to theme/static/css/"))
        for tag in soup.find_all(True):
            for name in tag.attrs:
                if name.startswith("on"):
                    problems.append(Broken(relative, f"inline event handler {name} on <{tag.name}>"))
    return problems


def verify_site(output: Path, site_url: str = "") -> list[Broken]:
    """Run every check on the built output."""
    output = Path(output)
    if not (output / "index.html").is_file():
        return [Broken(".", f"no site in {output}: index.html is missing")]
    return broken_links(output, site_url) + inline_code(output)

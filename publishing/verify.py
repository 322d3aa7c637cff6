"""Check a built site before it goes live: links lead to files (discovery.links), no inline script."""

from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from discovery.links import LinkProblem, check_site

# <script> types a browser runs; any other type (JSON-LD, JSON settings) is a data block CSP allows.
SCRIPT_TYPES = frozenset(
    {"", "module", "text/javascript", "application/javascript", "application/ecmascript"}
)


@dataclass(frozen=True)
class Broken:
    """A problem found in the built output."""

    page: str  # file, relative to the output folder
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def is_executable(script) -> bool:
    """Tell whether a <script> element runs code, rather than holding data."""
    return script.get("type", "").split(";")[0].strip().lower() in SCRIPT_TYPES


def inline_code(output: Path) -> list[Broken]:
    """Return each inline script, style or event handler, which the Content-Security-Policy blocks."""
    problems = []
    for page in sorted(Path(output).rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if not script.get("src") and is_executable(script):
                problems.append(Broken(relative, "inline <script>: move it to a file under theme/static/"))
        if soup.find("style") or soup.find(style=True):
            problems.append(Broken(relative, "inline style: move it to theme/static/css/"))
        for tag in soup.find_all(True):
            for name in tag.attrs:
                if name.startswith("on"):
                    problems.append(Broken(relative, f"inline event handler {name} on <{tag.name}>"))
    return problems


def verify_site(output: Path, site_url: str = "") -> list[Broken | LinkProblem]:
    """Run every check on the built output: the discovery plugin's link check, then inline code."""
    output = Path(output)
    if not (output / "index.html").is_file():
        return [Broken(".", f"no site in {output}: index.html is missing")]
    return [*check_site(output, site_url=site_url), *inline_code(output)]

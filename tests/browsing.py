"""A reader in Debian's Chromium: opens pages of the served site and notes everything that went wrong."""

from urllib.parse import urljoin, urlsplit

from axe_playwright_python.base import AXE_SCRIPT

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
LANGS = ("ru", "kk")
OTHER = {"ru": "kk", "kk": "ru"}

# The switches of theme/static/js/header.js, as the script stores them.
LOW_VISION = "window.localStorage.setItem('almaty.lowVision', '1');"
NO_IMAGES = "window.localStorage.setItem('almaty.noImages', '1');"

# Lazy pictures load only near the viewport: make every shown one load now, then list those that failed.
BROKEN_PICTURES = """async () => {
  const shown = Array.from(document.images).filter((img) => img.getClientRects().length > 0);
  shown.forEach((img) => { img.loading = "eager"; });
  const settled = (img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
  });
  const patience = new Promise((done) => setTimeout(done, 10000));
  await Promise.race([Promise.all(shown.map(settled)), patience]);
  const broken = shown.filter((img) => !img.complete || img.naturalWidth === 0);
  return broken.map((img) => img.currentSrc || img.src);
}"""


class Reader:
    """One browser tab on the served site that records console errors, failed requests and broken pictures."""

    def __init__(self, context, base: str) -> None:
        self.base = base
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.path}: script error {error}"))
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"{self.path}: console error {message.text}")

    def _request_failed(self, request) -> None:
        # A navigation cancels requests still in flight on the page left behind; that is no fault.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"{self.path}: {request.url} failed ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{self.path}: {response.url} answered {response.status}")

    @property
    def path(self) -> str:
        """The path of the page shown now, as in /ru/news/…/."""
        return urlsplit(self.page.url).path

    def url(self, path: str) -> str:
        return urljoin(self.base + "/", path.lstrip("/"))

    def open(self, path: str, pictures: bool = True) -> None:
        """Open a path of the site, as typed into the address bar; then load and check every picture."""
        self.page.goto(self.url(path))
        if pictures:
            self.look_at_pictures()

    def follow(self, link) -> None:
        """Click a link (a Playwright locator) and wait for the page it leads to."""
        with self.page.expect_navigation():
            link.click()
        self.look_at_pictures()

    def look_at_pictures(self) -> None:
        for src in self.page.evaluate(BROKEN_PICTURES):
            self.problems.append(f"{self.path}: picture {src} did not load")

    def menu_link(self, name: str):
        """The main menu's link of that name, the menu opened first where a phone folds it."""
        button = self.page.locator("button[aria-controls='site-nav']")
        if button.is_visible() and button.get_attribute("aria-expanded") != "true":
            button.click()
        return self.page.locator(".site-nav").get_by_role("link", name=name, exact=True)

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)

    def axe(self, rules: list[str] | None = None) -> dict:
        """Run axe-core (all its rules, or only those named) on the page shown now.

        Return its violations and what it could not decide.
        """
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(AXE_SCRIPT)
        options = {"resultTypes": ["violations", "incomplete"]}
        if rules:
            options["runOnly"] = {"type": "rule", "values": rules}
        return self.page.evaluate(
            "(options) => axe.run(document, options)"
            ".then((r) => ({ violations: r.violations, incomplete: r.incomplete }))",
            options,
        )


def axe_report(violations: list[dict]) -> str:
    """Render axe violations as lines a maintainer can act on."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(
                f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}".replace("\n", " ")
            )
    return "\n".join(lines)


def pages_to_check(site, lang: str) -> dict[str, str | None]:
    """The kinds of page every check covers, one URL each; None where this build has no such page."""
    urls = site.urls()
    stories = site.story_urls(lang)
    pictured = [u for u in stories if "/news/" in u and site.page(u).select("main img")]
    events = [u for u in stories if "/events/" in u]
    calendars = [u for u in urls if u.startswith(f"/{lang}/events/calendar/") and u.count("/") == 6]
    search = f"/{lang}/search/"
    galleries = [u for u in stories if site.page(u).select(".gallery")]
    return {
        "home": f"/{lang}/",
        "story": pictured[-1] if pictured else stories[-1],
        "listing": f"/{lang}/news/",
        "events": f"/{lang}/events/",
        "event": events[-1],
        "calendar": calendars[-1] if calendars else None,
        "archive": f"/{lang}/archive/",
        "search": search if site.exists(search) else None,
        "gallery": galleries[-1] if galleries else None,
    }


KINDS = ("home", "story", "listing", "events", "event", "calendar", "archive", "search", "gallery")

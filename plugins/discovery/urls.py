"""The site's absolute addresses: the one place that joins a base address and a path.

Two bases, on purpose. `public_url` is where the site is published, absolute even in development
builds (FEED_DOMAIN stands in for a relative SITEURL): feeds, the sitemap, JSON-LD and Open Graph
are read away from the site and need a full address. `url_on_host` takes SITEURL as it is and gives
no address where it has no host (a development build): a calendar file read in an app must not name
a page of the public site that this build did not make.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

from l10n.messages import _


def public_url(settings: Mapping) -> str:
    """Return the site's absolute address: SITEURL when it is absolute, else FEED_DOMAIN (development)."""
    for name in ("SITEURL", "FEED_DOMAIN"):
        value = (settings.get(name) or "").rstrip("/")
        if is_absolute(value):
            return value
    raise SystemExit(
        _(
            "Feeds and the sitemap need absolute URLs: set SITEURL or FEED_DOMAIN to the public address "
            "(https://…) in pelicanconf.py"
        )
    )


def is_absolute(url: str) -> bool:
    """Say whether url is a web address with its host (http or https)."""
    return urlsplit(url).scheme in ("http", "https")


def absolute_url(base: str, url: str) -> str:
    """Return url (relative to the site, root-relative or with a scheme) joined to base."""
    # Most are site-relative (every page of the sitemap): a scheme needs a colon before the first slash.
    if ":" in url.partition("/")[0] and urlsplit(url).scheme:
        return url
    return f"{base}/{url.lstrip('/')}"


def url_on_host(siteurl: str, url: str) -> str:
    """Return url joined to SITEURL when that has a host, else an empty string (no address to give)."""
    joined = absolute_url(siteurl, url)
    return joined if is_absolute(joined) else ""

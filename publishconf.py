"""Production settings: pelicanconf plus absolute URLs for the public host."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

# Where the site is served; CI sets it for GitHub Pages or another host. Without it the site is
# built for a placeholder address, which `invoke publish` never deploys.
SITEURL_PLACEHOLDER = "https://almaty-news.example.kz"
SITEURL = os.environ.get("SITEURL", SITEURL_PLACEHOLDER).rstrip("/")
RELATIVE_URLS = False
# Drafts and stories dated later than the build stay out of what is published (plugins/schedule).
SCHEDULE_PREVIEW = False

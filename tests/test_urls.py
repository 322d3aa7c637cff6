"""The one owner of absolute addresses: the public base for feeds and metadata, SITEURL for calendars."""

import pytest

from discovery.urls import absolute_url, is_absolute, public_url, url_on_host


@pytest.mark.parametrize(
    ("url", "joined"),
    [
        ("ru/news/x/", "https://almaty.example/ru/news/x/"),
        ("/ru/news/x/", "https://almaty.example/ru/news/x/"),  # root-relative, as editors write
        ("https://other.example/a", "https://other.example/a"),  # kept as it is
    ],
)
def test_absolute_url_joins_once_and_keeps_full_addresses(url, joined):
    assert absolute_url("https://almaty.example", url) == joined


def test_url_on_host_gives_nothing_for_a_site_without_a_host():
    assert (
        url_on_host("https://almaty.example/base", "ru/events.ics")
        == "https://almaty.example/base/ru/events.ics"
    )
    assert url_on_host("", "ru/events.ics") == ""  # development: no public page to name
    assert url_on_host("/preview", "ru/events.ics") == ""


def test_the_public_address_falls_back_to_feed_domain_and_requires_a_host():
    assert public_url({"SITEURL": "", "FEED_DOMAIN": "https://almaty.example/"}) == "https://almaty.example"
    assert (
        public_url({"SITEURL": "https://site.example", "FEED_DOMAIN": "https://x"}) == "https://site.example"
    )
    with pytest.raises(SystemExit):
        public_url({"SITEURL": "/local", "FEED_DOMAIN": ""})
    assert not is_absolute("webcal://almaty.example/ru/events.ics")

"""Every internal link, picture and asset of a built site resolves; every page has exactly one <h1>."""

from pathlib import Path

import pytest
from discovery_helpers import content_has_stories

from publishing.links import check_site


def test_fixture_site_links_resolve_and_pages_have_one_h1(fixture_site):
    assert [str(p) for p in check_site(fixture_site.root)] == []


@pytest.mark.skipif(not content_has_stories(), reason="content/ has no stories yet")
def test_sample_site_links_resolve_and_pages_have_one_h1(sample_site):
    assert [str(p) for p in check_site(sample_site.root)] == []


def test_the_check_sees_every_problem(tmp_path: Path):
    (tmp_path / "ru").mkdir()
    (tmp_path / "theme").mkdir()
    (tmp_path / "ru" / "index.html").write_text(
        '<h1>A</h1><a href="/ru/missing/">x</a><img src="/gone.png" alt="">'
        '<img srcset="/ru/index.html 1x, /gone-2x.png 2x" alt=""><a href="/ru/#nowhere">y</a>'
        '<a href="https://example.org/">out</a><a href="#top">top</a><div id="top"></div>',
        encoding="utf-8",
    )
    (tmp_path / "two.html").write_text("<h1>A</h1><h1>B</h1>", encoding="utf-8")
    (tmp_path / "none.html").write_text('<p style="background: url(/theme/bg.png)">x</p>', encoding="utf-8")
    (tmp_path / "theme" / "site.css").write_text("a { background: url('../nothing.svg'); }", encoding="utf-8")
    assert [str(p) for p in check_site(tmp_path)] == [
        "none.html: has 0 <h1> elements, not exactly one",
        "none.html: links to /theme/bg.png, which is not in the site",
        "ru/index.html: links to /gone-2x.png, which is not in the site",
        "ru/index.html: links to /gone.png, which is not in the site",
        "ru/index.html: links to /ru/#nowhere, but that page has no #nowhere",
        "ru/index.html: links to /ru/missing/, which is not in the site",
        "theme/site.css: refers to ../nothing.svg, which is not in the site",
        "two.html: has 2 <h1> elements, not exactly one",
    ]


def test_a_site_served_under_a_sub_path_is_checked_there(tmp_path: Path):
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "index.html").write_text('<h1>A</h1><a href="/almaty/ru/">ok</a>', encoding="utf-8")
    assert check_site(tmp_path, base_path="/almaty/") == []
    assert [str(p) for p in check_site(tmp_path)] == [
        "ru/index.html: links to /almaty/ru/, which is not in the site"
    ]

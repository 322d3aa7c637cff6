"""`invoke publish` deploys only a site that built and verified, and replaces the live copy in one step."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT, add_fixture_pictures

from publishing.deploy import DeployError, Target, deploy_rsync, parse_target
from publishing.publish import publish
from publishing.verify import verify_site

pytestmark = pytest.mark.system  # builds, then deploys to git and with rsync

SITEURL = "https://almaty.example.kz/archive"
needs_rsync = pytest.mark.skipif(
    not shutil.which("rsync"),
    reason="rsync is not installed and could not be (make test installs it as root)",
)
SETTINGS = ROOT / "publishconf.py"


def snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", SITEURL)
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, folder)
    add_fixture_pictures(folder)
    return folder


def edit(content: Path, old: str, new: str) -> None:
    story = content / "news/2026/2026-01-15-snow/ru.md"
    story.write_text(story.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def break_content(content: Path) -> None:
    edit(content, "Title: Город убирает снег круглосуточно", "Titel: Город убирает снег")


@pytest.fixture
def remote(tmp_path) -> Path:
    repo = tmp_path / "pages.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(repo)], check=True)
    return repo


def test_git_target_gets_the_verified_site_as_a_commit(content, tmp_path, remote, capsys):
    output = tmp_path / "output"
    assert publish(content, output, SETTINGS, Target("git", str(remote), "gh-pages")) == 0
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert sorted(files) == sorted([*snapshot(output), ".nojekyll"])
    page = git(remote, "show", "gh-pages:ru/news/2026/01/snow/index.html")
    assert page == (output / "ru/news/2026/01/snow/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITEURL}/ru/news/2026/01/snow/">' in page

    edit(content, "триста", "четыреста")
    assert publish(content, output, SETTINGS, Target("git", str(remote), "gh-pages")) == 0
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "2"
    assert "четыреста" in git(remote, "show", "gh-pages:ru/news/2026/01/snow/index.html")

    capsys.readouterr()
    assert publish(content, output, SETTINGS, Target("git", str(remote), "gh-pages")) == 0
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "2"  # same site: nothing pushed
    assert f"{remote} gh-pages already has this site; nothing to push" in capsys.readouterr().out


def test_failing_build_never_reaches_the_git_branch(content, tmp_path, remote, capsys):
    output = tmp_path / "output"
    target = Target("git", str(remote), "gh-pages")
    assert publish(content, output, SETTINGS, target) == 0
    live, before = git(remote, "rev-parse", "gh-pages"), snapshot(output)
    break_content(content)
    assert publish(content, output, SETTINGS, target) == 1
    assert git(remote, "rev-parse", "gh-pages") == live
    assert snapshot(output) == before
    assert "Publish stopped: the build failed; nothing was deployed." in capsys.readouterr().err


@needs_rsync
def test_folder_target_is_synced_and_replaced_whole(content, tmp_path):
    output, live = tmp_path / "output", tmp_path / "www"
    live.mkdir()
    (live / "old-page.html").write_text("from another site", encoding="utf-8")
    assert publish(content, output, SETTINGS, parse_target(f"rsync:{live}")) == 0
    assert snapshot(live) == snapshot(output)
    edit(content, "триста", "четыреста")
    assert publish(content, output, SETTINGS, parse_target(f"dir:{live}")) == 0
    assert snapshot(live) == snapshot(output)
    # Nothing left over: output's spare is the site before the last build, kept for the next one.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output", "output.spare", "www"]


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@needs_rsync
@pytest.mark.parametrize("where", ["folder", "host"])
def test_rsync_sends_only_changed_files_and_deletes_removed_ones(tmp_path, monkeypatch, where):
    site, live = tmp_path / "site", tmp_path / "www"
    for number in range(20):
        (site / "ru" / f"story-{number}").mkdir(parents=True)
        (site / "ru" / f"story-{number}" / "index.html").write_text(f"<h1>{number}</h1>", encoding="utf-8")
    if where == "host":
        # rsync's own remote shell stands in for ssh, so the host branch (--delay-updates) runs here.
        destination = f"localhost:{live}"
        monkeypatch.setenv("RSYNC_RSH", str(tmp_path / "local-shell"))
        (tmp_path / "local-shell").write_text('#!/bin/sh\nshift\nexec sh -c "$*"\n', encoding="utf-8")
        (tmp_path / "local-shell").chmod(0o755)
    else:
        destination = str(live)
    assert deploy_rsync(site, destination) == (20, 0)
    first = {p: p.stat().st_mtime_ns for p in live.rglob("*.html")}

    # The build writes every file again; one changes, one goes away, one is new.
    for page in site.rglob("index.html"):
        page.write_bytes(page.read_bytes())
    (site / "ru/story-3/index.html").write_text("<h1>three</h1>", encoding="utf-8")
    (site / "ru/story-7/index.html").unlink()
    (site / "ru/new.html").write_text("<h1>new</h1>", encoding="utf-8")
    assert deploy_rsync(site, destination) == (2, 1)
    assert site_files(live) == site_files(site)
    # A page sent again with the same bytes would lose its time, and with it its ETag on nginx.
    unchanged = live / "ru/story-12/index.html"
    assert unchanged.stat().st_mtime_ns == first[unchanged]

    assert deploy_rsync(site, destination) == (0, 0)


@needs_rsync
def test_failing_build_never_reaches_the_folder(content, tmp_path):
    output, live = tmp_path / "output", tmp_path / "www"
    assert publish(content, output, SETTINGS, parse_target(f"rsync:{live}")) == 0
    before = snapshot(live)
    break_content(content)
    assert publish(content, output, SETTINGS, parse_target(f"rsync:{live}")) == 1
    assert snapshot(live) == before


@needs_rsync
def test_site_with_a_broken_link_is_not_deployed(content, tmp_path, capsys):
    output, live = tmp_path / "output", tmp_path / "www"
    edit(content, "техники.", "техники. [Все теги про снег](/ru/tags/sneg/)")
    assert publish(content, output, SETTINGS, parse_target(f"rsync:{live}")) == 1
    assert not live.exists()
    err = capsys.readouterr().err.splitlines()
    # Editors write /ru/…; on a site living below a path the link gets that path in front.
    assert (
        f"ru/news/2026/01/snow/index.html: links to {SITEURL}/ru/tags/sneg/, which is not in the site" in err
    )
    assert err[-1] == "Publish stopped: 1 problem in the built site; nothing was deployed."


def test_links_are_checked_below_an_absolute_site_url(tmp_path):
    (tmp_path / "ru").mkdir()
    (tmp_path / "index.html").write_text("<h1>root</h1>", encoding="utf-8")
    (tmp_path / "ru/index.html").write_text(
        f'<h1>ru</h1><a href="{SITEURL}/ru/">home</a> <a href="/ru/">outside</a>'
        '<img src="../media/pic.jpg" alt="">'
        f'<img srcset="a.webp 400w, pic.jpg 800w" alt=""> <a href="{SITEURL}/kk/">missing</a>'
        '<a href="https://other.example/">other</a> <a href="mailto:a@b.kz">mail</a>',
        encoding="utf-8",
    )
    (tmp_path / "media").mkdir()
    (tmp_path / "media/pic.jpg").write_bytes(b"")
    assert sorted(str(p) for p in verify_site(tmp_path, SITEURL)) == [
        "ru/index.html: links to /ru/, which is not in the site",
        "ru/index.html: links to a.webp, which is not in the site",
        f"ru/index.html: links to {SITEURL}/kk/, which is not in the site",
        "ru/index.html: links to pic.jpg, which is not in the site",
    ]


def test_inline_script_fails_verification(tmp_path):
    (tmp_path / "index.html").write_text(
        '<h1>x</h1><script type="application/ld+json">{}</script><script type="application/json">{}</script>'
        '<script>alert(1)</script><script type="module">import("x")</script>'
        '<p style="color:red" onclick="x()">x</p>',
        encoding="utf-8",
    )
    assert [str(p) for p in verify_site(tmp_path)] == [
        "index.html: inline <script>: move it to a file under theme/static/",
        "index.html: inline <script>: move it to a file under theme/static/",
        "index.html: inline style: move it to theme/static/css/",
        "index.html: inline event handler onclick on <p>: move the script to a file under theme/static/",
    ]


@pytest.mark.parametrize("spec", ["ftp:host", "git:", "rsync", "gh-pages"])
def test_unknown_targets_are_explained(spec):
    with pytest.raises(DeployError, match="write git:<path-or-url>"):
        parse_target(spec)


def test_git_target_parsing():
    assert parse_target("git:../pages.git") == Target("git", "../pages.git", "gh-pages")
    assert parse_target("git:https://github.com/o/r.git#site") == Target(
        "git", "https://github.com/o/r.git", "site"
    )
    assert parse_target("rsync:www@host:/srv/site") == Target("rsync", "www@host:/srv/site")


@needs_rsync
def test_invoke_publish_command(content, tmp_path):
    live = tmp_path / "www"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "invoke", "--search-root", str(ROOT), "publish"),
            *("--content", str(content), "--output", str(tmp_path / "output"), "--target", f"rsync:{live}"),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    deployed = rf"^copied \d+ changed files to {live}; files removed from the site: 0$"
    assert re.search(deployed, result.stdout, re.MULTILINE)
    assert (live / "ru/index.html").is_file()


def test_the_placeholder_address_is_never_deployed(content, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SITEURL")
    output, live = tmp_path / "output", tmp_path / "www"
    assert publish(content, output, SETTINGS, parse_target(f"dir:{live}")) == 1
    error = capsys.readouterr().err
    assert "the site's address is the placeholder https://almaty-news.example.kz; set SITEURL" in error
    assert not live.exists() and not output.exists()  # refused before building
    # Without a target (CI's build before its deploy job), the placeholder build goes on.
    assert publish(content, output, SETTINGS, None) == 0
    assert (output / "ru/index.html").is_file()


def test_the_commit_message_says_when_the_working_tree_had_changes(content, tmp_path, remote):
    def commit_subject() -> str:
        return git(remote, "log", "-1", "--format=%s", "gh-pages").strip()

    # The site's repository holds the content; the build's output and the live branch lie outside it.
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("/*\n!/content/\n!/.gitignore\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=Editor", "-c", "user.email=e@example.kz", "commit", "-qm", "stories")
    revision = git(content, "rev-parse", "--short=12", "HEAD").strip()
    output = tmp_path / "output"
    assert publish(content, output, SETTINGS, Target("git", str(remote), "gh-pages")) == 0
    assert commit_subject() == f"Publish site from {revision}"
    edit(content, "триста", "четыреста")  # not committed
    assert publish(content, output, SETTINGS, Target("git", str(remote), "gh-pages")) == 0
    assert commit_subject() == f"Publish site from {revision} (with uncommitted changes)"

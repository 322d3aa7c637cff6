"""deploy/nginx.conf run by nginx over the built site: types, caching, 404, gzip, security headers."""

import gzip
import hashlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
MIME_TYPES = Path("/etc/nginx/mime.types")
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE = "/ru/news/2026/01/snow/"
DEPLOYED = ROOT / "deploy/nginx.conf"
YEAR = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
HSTS_LINE = '# add_header Strict-Transport-Security "max-age=31536000" always;'

pytestmark = [
    pytest.mark.system,  # nginx serving a built site
    pytest.mark.skipif(
        not (NGINX and MIME_TYPES.is_file()),
        reason="nginx is not installed and could not be (make test installs it with apt-get as root)",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_block(conf: str, site: Path, port: int) -> str:
    """Return a server block (deploy/nginx.conf's text) listening on a loopback port and serving site."""
    conf = re.sub(r"(?m)^(\s*)listen \[::\]:80;\n", "", conf)
    conf, listens = re.subn(r"(?m)^(\s*)listen 80;", rf"\1listen 127.0.0.1:{port};", conf)
    conf, roots = re.subn(r"(?m)^(\s*)root \S+;", lambda m: f"{m[1]}root {site};", conf)
    assert (listens, roots) == (1, 1), "deploy/nginx.conf should have one `listen 80;` and one `root`"
    return conf


def main_conf(work: Path, site_conf: Path) -> str:
    temp = "\n".join(
        f"    {name}_temp_path {work / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private tmp folder
    return (
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp}\n    include {site_conf};\n}}\n"
    )


def add_stand_ins(site: Path) -> None:
    """Files other features write (feeds, calendars, WebP pictures, 404 page), where this build has none."""
    stand_ins = {
        "404.html": "<!doctype html><html lang=ru><title>Страница не найдена</title><h1>Не найдена</h1>",
        "ru/events.ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nEND:VCALENDAR\r\n",
        "ru/atom.xml": '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
        "sitemap.xml": '<?xml version="1.0" encoding="utf-8"?><urlset/>',
    }
    for name, text in stand_ins.items():
        if not (site / name).exists():
            (site / name).write_text(text, encoding="utf-8")
    if not any(site.rglob("*.webp")):
        from PIL import Image

        Image.new("RGB", (8, 8), (1, 2, 3)).save(site / "news/2024/2024-02-10-city-library/hall.webp")


# Files a careless copy could leave in the site root, by path, with what they hold.
DOTFILES = {
    ".env": b"SECRET_KEY=hunter2\n",
    ".git/config": b'[remote "origin"]\n\turl = https://x-access-token:TOKEN@example.com/site\n',
    ".git/HEAD": b"ref: refs/heads/main\n",
    "ru/.hidden": b"hidden\n",
    "media/.DS_Store": b"\0\0\0\1Bud1",
    ".well-known/.secret": b"hidden too\n",
    ".well-known/acme-challenge/token-123": b"token-123.key-authorization\n",
    "ru/.well-known/acme-challenge/token-123": b"not at the root\n",
}


def add_dotfiles(site: Path) -> None:
    for name, data in DOTFILES.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@contextmanager
def running_nginx(site: Path, work: Path, conf: str):
    """Run nginx with the server block conf over site; yield a function making requests to it."""
    port = free_port()
    (work / "site.conf").write_text(server_block(conf, site, port), encoding="utf-8")
    (work / "nginx.conf").write_text(main_conf(work, work / "site.conf"), encoding="utf-8")
    command = [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)

        def get(path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            return response.status, response.headers, body

        get.site = site
        yield get
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx(fixture_site, tmp_path_factory):
    """Run deploy/nginx.conf over a copy of the fixture site; yield a function making requests to it."""
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    shutil.copytree(fixture_site.root, site)
    add_stand_ins(site)
    add_dotfiles(site)
    with running_nginx(site, work, DEPLOYED.read_text(encoding="utf-8")) as get:
        yield get


def test_page_is_served_with_short_cache_and_security_headers(nginx):
    status, headers, body = nginx(PAGE)
    assert status == 200
    assert body == (nginx.site / PAGE.strip("/") / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=300"
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Server" not in headers or headers["Server"] == "nginx"


def test_folder_without_slash_redirects_on_the_same_host(nginx):
    status, headers, _ = nginx(PAGE.rstrip("/"))
    assert (status, headers["Location"]) == (301, PAGE)


def test_fingerprinted_stylesheet_is_cached_for_a_year(nginx):
    page = (nginx.site / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    [href] = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
    digest = hashlib.sha256((ROOT / "theme/static/css/site.css").read_bytes()).hexdigest()[:10]
    assert href == f"/theme/css/site.css?v={digest}"
    status, headers, _ = nginx(href)
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert headers["Cache-Control"] == YEAR


@pytest.mark.parametrize("query", ["", "?v=latest", "?v=abc", "?v=0123456789abcdef", "?x=1&v=0123456789"])
def test_theme_file_without_its_fingerprint_may_change(nginx, query):
    # The theme files' names carry no hash: only the ?v= the asset filter writes pins their bytes.
    status, headers, _ = nginx(f"/theme/css/site.css{query}")
    assert (status, headers["Cache-Control"]) == (200, SHORT)


def test_missing_page_gets_the_404_page(nginx):
    status, headers, body = nginx("/ru/news/2031/01/no-such-story/")
    assert status == 404
    assert body == (nginx.site / "404.html").read_bytes()
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in headers


@pytest.mark.parametrize(
    ("pattern", "content_type"),
    [
        ("*.ics", "text/calendar; charset=utf-8"),
        ("atom.xml", "application/atom+xml; charset=utf-8"),
        ("sitemap.xml", "text/xml; charset=utf-8"),
        ("*.webp", "image/webp"),
        ("*.jpg", "image/jpeg"),
    ],
)
def test_types_are_right(nginx, pattern, content_type):
    file = next(nginx.site.rglob(pattern))
    status, headers, _ = nginx("/" + file.relative_to(nginx.site).as_posix())
    assert (status, headers["Content-Type"]) == (200, content_type)


@pytest.mark.parametrize(
    "name",
    [
        "by-hand.jpg",
        "media/by-hand.jpg",
        # Hex-looking names that are not the pictures plugin's: a camera's date, a hand-made copy.
        "media/IMG-20240101.jpg",
        "media/photo-1200x800.jpg",
        "news/2024/2024-02-10-city-library/IMG-20240210.jpg",
        "theme/images/logo-0123456789.png",
    ],
)
def test_pictures_without_the_builds_hash_may_change(nginx, name):
    # A picture put there by hand (no hash of its bytes in its name) may change under the same address.
    (nginx.site / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(next((nginx.site / "media").glob("*.jpg")), nginx.site / name)
    status, headers, _ = nginx("/" + name)
    assert (status, headers["Cache-Control"]) == (200, SHORT)


def test_picture_derivatives_are_cached_for_a_year(nginx, fixture_site):
    # Their names carry the hash of the source and the operation: a changed photo gets a new name.
    media = fixture_site.root / "media"  # as built: other tests add pictures by hand to nginx's copy
    pictures = [p for pattern in ("*.jpg", "*.webp", "*.png") for p in media.glob(pattern)]
    assert {p.suffix for p in pictures} == {".jpg", ".webp", ".png"}
    for picture in pictures:
        assert nginx("/media/" + picture.name)[1]["Cache-Control"] == YEAR, picture.name


def pagefind_files(site: Path, *patterns: str) -> list[str]:
    found = sorted({f"/{p.relative_to(site).as_posix()}" for pattern in patterns for p in site.glob(pattern)})
    assert found, patterns
    return found


def test_pagefinds_hashed_files_are_cached_for_a_year(nginx):
    # Pagefind names its index chunks, fragments and metadata after the hash of their bytes.
    hashed = pagefind_files(
        nginx.site,
        "pagefind/*/*/index/*.pf_index",
        "pagefind/*/*/fragment/*.pf_fragment",
        "pagefind/*/*/*.pf_meta",
    )
    for url in hashed:
        status, headers, _ = nginx(url)
        assert (status, headers["Cache-Control"]) == (200, YEAR), url


def test_pagefinds_other_files_may_change(nginx):
    # Same names in every build: the loader, its worker, the WebAssembly, the entry and shard lists.
    named = pagefind_files(
        nginx.site,
        "pagefind/*/*/pagefind*.js",
        "pagefind/*/*/*.pagefind",
        "pagefind/*/*/*.json",
        "pagefind/*/*.json",
    )
    for url in named:
        status, headers, _ = nginx(url)
        assert (status, headers["Cache-Control"]) == (200, SHORT), url


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/.env", ".env"),
        ("/.git/config", ".git/config"),
        ("/.git/HEAD", ".git/HEAD"),
        ("/.git/", ".git"),
        ("/.git", ".git"),
        ("/ru/.hidden", "ru/.hidden"),
        ("/media/.DS_Store", "media/.DS_Store"),
        ("/%2Eenv", ".env"),
        ("/ru/../.env", ".env"),
        ("/.well-known/.secret", ".well-known/.secret"),
        ("/.well-known/../.git/config", ".git/config"),
        ("/ru/.well-known/acme-challenge/token-123", "ru/.well-known/acme-challenge/token-123"),
    ],
)
def test_dotfiles_answer_as_missing_files(nginx, url, file):
    assert (nginx.site / file).exists()  # there, so the 404 comes from the rule
    _, _, missing = nginx("/no-such-file")
    status, headers, body = nginx(url)
    assert (status, body) == (404, missing)
    assert "Cache-Control" not in headers


def test_well_known_at_the_root_is_served(nginx):
    # ACME challenges (certbot --webroot) must reach the server for its HTTPS certificate.
    status, _, body = nginx("/.well-known/acme-challenge/token-123")
    assert (status, body) == (200, DOTFILES[".well-known/acme-challenge/token-123"])


def test_hsts_is_off_until_switched_on(nginx):
    status, headers, _ = nginx(PAGE)
    assert status == 200
    assert "Strict-Transport-Security" not in headers
    assert DEPLOYED.read_text(encoding="utf-8").count(HSTS_LINE) == 1


def test_hsts_line_switched_on_sends_the_header_on_every_answer(nginx, tmp_path):
    conf = DEPLOYED.read_text(encoding="utf-8").replace(HSTS_LINE, HSTS_LINE.removeprefix("# "))
    with running_nginx(nginx.site, tmp_path, conf) as get:
        for url in (PAGE, "/no-such-file", "/.env"):
            assert get(url)[1]["Strict-Transport-Security"] == "max-age=31536000", url
        # The other headers stay: an add_header at this level adds to them.
        assert get(PAGE)[1]["X-Frame-Options"] == "DENY"


def test_pages_are_gzipped(nginx):
    status, headers, body = nginx(PAGE, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (nginx.site / PAGE.strip("/") / "index.html").read_bytes()

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

pytestmark = pytest.mark.skipif(
    not (NGINX and MIME_TYPES.is_file()),
    reason="nginx is not installed and could not be (make test installs it with apt-get as root)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_block(site: Path, port: int) -> str:
    """Return deploy/nginx.conf listening on a loopback port and serving site."""
    conf = (ROOT / "deploy/nginx.conf").read_text(encoding="utf-8")
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


@pytest.fixture(scope="module")
def nginx(fixture_site, tmp_path_factory):
    """Run nginx over a copy of the fixture site; yield a function making requests to it."""
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    shutil.copytree(fixture_site.root, site)
    add_stand_ins(site)
    port = free_port()
    (work / "site.conf").write_text(server_block(site, port), encoding="utf-8")
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
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert nginx("/theme/css/site.css")[1]["Cache-Control"] == "public, max-age=3600"


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


def test_pictures_are_cached_for_a_day(nginx):
    # The site publishes pictures only as hashed derivatives; a picture put there by hand
    # (no hash in its name) may change under the same address.
    shutil.copyfile(next((nginx.site / "media").glob("*.jpg")), nginx.site / "by-hand.jpg")
    assert nginx("/by-hand.jpg")[1]["Cache-Control"] == "public, max-age=86400"


def test_picture_derivatives_are_cached_for_a_year(nginx):
    # Their names carry the hash of the source and the operation: a changed photo gets a new name.
    picture = next((nginx.site / "media").glob("*.jpg"))
    assert nginx("/media/" + picture.name)[1]["Cache-Control"] == "public, max-age=31536000, immutable"


def test_pages_are_gzipped(nginx):
    status, headers, body = nginx(PAGE, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (nginx.site / PAGE.strip("/") / "index.html").read_bytes()

"""The local server of `make serve` (tools/localsite.py) answers as the host does, and only from the site."""

import http.client
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from l10n import messages

MISSING_PAGE = "<!doctype html><title>Страница не найдена · Бет табылмады</title><h1>404</h1>"
SECRET = "beside the site, never served"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A tiny built site, with a secret file beside it and a link inside it that leads out of it."""
    folder = tmp_path_factory.mktemp("served")
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    root = folder / "output"
    (root / "ru" / "news").mkdir(parents=True)
    (root / "ru" / "empty").mkdir()
    (root / "index.html").write_text("<title>home</title>", encoding="utf-8")
    (root / "ru" / "index.html").write_text("<title>ru home</title>", encoding="utf-8")
    (root / "ru" / "news" / "index.html").write_text("<title>ru news</title>", encoding="utf-8")
    (root / "404.html").write_text(MISSING_PAGE, encoding="utf-8")
    (root / "leak.txt").symlink_to(folder / "secret.txt")
    return root


@pytest.fixture(scope="module")
def server(site):
    """`make serve`'s server (the serve task, without its build) over the site, on a free port."""
    code = (
        "import sys; from pathlib import Path; from invoke import Context; import tasks; "
        "tasks.CONFIG.update(output=Path(sys.argv[1]), port=0); tasks.serve(Context())"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(site)],
        cwd=ROOT,
        env={**os.environ, "LANG": "C.UTF-8", "LANGUAGE": ""},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        said = process.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:(\d+)/", said)
        assert address, said
        yield "127.0.0.1", int(address[1])
    finally:
        process.kill()
        process.wait()


def get(server, path: str, method: str = "GET") -> tuple[int, dict, str]:
    """Send path as it is (no client-side clean-up of dots or escapes); return status, headers, body."""
    connection = http.client.HTTPConnection(*server, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/ru/no-such-story/", "/no-such-file.html", "/ru/empty/"])
def test_a_missing_page_gets_the_sites_404_page_with_status_404(server, path):
    status, headers, body = get(server, path)
    assert status == 404
    assert body == MISSING_PAGE
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_missing_page_asked_with_head_gets_404_and_no_body(server):
    status, headers, body = get(server, "/ru/gone/", method="HEAD")
    assert (status, body) == (404, "")
    assert int(headers["Content-Length"]) == len(MISSING_PAGE.encode())


@pytest.mark.parametrize(
    ("path", "title"), [("/", "home"), ("/ru/", "ru home"), ("/ru/news/", "ru news"), ("/index.html", "home")]
)
def test_a_page_and_a_folder_address_serve_the_page(server, path, title):
    status, _, body = get(server, path)
    assert (status, body) == (200, f"<title>{title}</title>")


def test_a_folder_address_without_its_slash_is_redirected_to_it(server):
    status, headers, _ = get(server, "/ru")
    assert status == 301
    assert headers["Location"] == "/ru/"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/ru/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/ru/..%2f..%2fsecret.txt",
        "/ru/%2e%2e%5c%2e%2e%5csecret.txt",
        "//..//..//secret.txt",
        "/leak.txt",
    ],
)
def test_nothing_outside_the_site_is_served(server, path):
    status, _, body = get(server, path)
    assert SECRET not in body
    assert status in (400, 404)


BUSY = {
    "en": "Port {port} is in use already (another `make serve`?); stop that one and try again",
    "ru": "Порт {port} уже занят (запущен другой `make serve`?); остановите его и попробуйте снова",
    "kk": "{port} порты бос емес (басқа `make serve` жұмыс істеп тұр ма?); оны тоқтатып, қайта көріңіз",
}


@pytest.mark.parametrize("lang", sorted(BUSY))
def test_make_serve_on_a_busy_port_says_so_in_the_editors_language(site, server, monkeypatch, lang):
    from invoke import Context, Exit

    import tasks

    port = server[1]  # taken by the server above
    monkeypatch.setitem(tasks.CONFIG, "output", site)
    monkeypatch.setitem(tasks.CONFIG, "port", port)
    with pytest.raises(Exit) as stopped:
        tasks.serve(Context())  # called directly, without its build
    assert stopped.value.code == 1
    previous = messages.use_language(lang)
    try:
        assert str(stopped.value.message) == BUSY[lang].format(port=port)
    finally:
        messages.use_language(previous)

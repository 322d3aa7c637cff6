"""Serve a built site on a loopback port as a static host would: `make serve`, and the browser tests."""

import gzip
import http.server
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

# http.server guesses from the platform's tables, which lack or vary on these.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".wasm": "application/wasm",
}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml", "application/wasm")


def compressible(content_type: str) -> bool:
    """Tell whether a static host would gzip a response of this type."""
    return content_type.startswith(COMPRESSIBLE)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as the host serves them: MIME types, gzip, 404.html, no folder listing, no request log."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def send_head(self) -> io.BufferedIOBase | None:
        """Answer as the parent does, but gzip text the way the production host does."""
        path = Path(self.translate_path(self.path))
        if not path.resolve().is_relative_to(Path(self.directory).resolve()):
            # translate_path drops "..", but a symbolic link inside the site may still lead out of it
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # which redirects to the folder's URL with a slash
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and compressible(content_type)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing file with the site's own 404.html (status 404), as every host does."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", MIME_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def list_directory(self, path: str) -> None:
        """Answer a folder without index.html with 404: hosts do not list folders."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def end_headers(self) -> None:
        for name, value in self.server.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        """Keep test and task output free of one line per request."""


def production_headers(nginx_conf: Path) -> dict[str, str]:
    """The security headers the production server block adds (Content-Security-Policy and the like)."""
    text = nginx_conf.read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*add_header\s+([\w-]+)\s+"([^"]*)"', text, flags=re.M))


def site_server(
    root: Path, headers: dict[str, str] | None = None, host: str = "127.0.0.1", port: int = 0
) -> http.server.ThreadingHTTPServer:
    """Return a server of root bound to host and port (0: a free one); OSError when it cannot bind.

    headers are added to every answer, such as the production Content-Security-Policy.
    """
    handler = partial(SiteHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.extra_headers = headers or {}
    server.daemon_threads = True
    return server


def base_url(server: http.server.HTTPServer) -> str:
    """Return the address a server answers at, without a trailing slash."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


@contextmanager
def serve(root: Path, headers: dict[str, str] | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve root on a free port of host while the block runs; yield the base URL (no trailing slash)."""
    server = site_server(root, headers, host)
    thread = threading.Thread(target=server.serve_forever, name="localsite", daemon=True)
    thread.start()
    try:
        yield base_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

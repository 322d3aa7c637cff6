"""`make serve` and `make livereload`: the built site on a local address, as the host serves it."""

import errno
import logging
import sys
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from content_format.checks import shown
from l10n.messages import _
from tools import localsite


class PortInUseError(Exception):
    """Another server holds the port; the message (an editor's Message) says so."""


def serve_site(output: Path, nginx_conf: Path, host: str, port: int) -> None:
    """Serve output with the host's headers (404.html for a missing page) until Ctrl-C."""
    headers = localsite.production_headers(nginx_conf)
    try:
        server = localsite.site_server(output, headers, host, port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        busy = _(
            "Port {port} is in use already (another `make serve`?); stop that one and try again", port=port
        )
        raise PortInUseError(busy) from None
    with server:
        address = localsite.base_url(server)
        print(_("Serving {folder} at {address}/; Ctrl-C stops", folder=shown(output), address=address))
        sys.stdout.flush()
        with suppress(KeyboardInterrupt):
            server.serve_forever()


def livereload_server():
    """Return livereload's server, printing its log lines through the build's log handler only."""
    from livereload import Server

    class OneLineServer(Server):
        def _setup_logging(self) -> None:
            # livereload's own gives its logger and tornado's a handler each, and their records go on
            # to the root logger's (Pelican's): every line was printed twice, in two formats.
            logging.getLogger("livereload").setLevel(logging.INFO)

    return OneLineServer()


def serve_and_rebuild(build: Callable[[], None], watched: Iterable[Path], output: Path, host: str, port: int):
    """Build, serve output, build again on every save of a watched pattern and refresh the browser."""

    def rebuild() -> None:
        try:
            build()
        except SystemExit:
            print(_("The build failed (see above); the browser keeps showing the last good site."))

    rebuild()
    server = livereload_server()
    for pattern in watched:
        server.watch(str(pattern), rebuild)
    server.serve(host=host, port=port, root=str(output))

"""A local https server for the tests of peel's fetching: well-behaved or hostile on request.

Each route is a function given the connection's TLS socket once the request has been read; it
writes whatever bytes it likes, as slowly as it likes (every loop is bounded, and ends when the
client goes away or the server stops). Certificates come from trustme, so no test reaches the
network and none needs a real certificate authority.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable

import trustme

Route = Callable[[ssl.SSLSocket, "LocalHttps"], None]


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: LocalHttps = self.server  # type: ignore[assignment]
        try:
            tls = server.tls.wrap_socket(self.request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that does not trust this certificate
        with tls:
            tls.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request and len(request) < 65_536:
                    data = tls.recv(4096)
                    if not data:
                        return
                    request += data
            except OSError:
                return
            path = request.split(b" ", 2)[1].decode("latin-1") if request.count(b" ") >= 2 else "/"
            server.requests.append(path)
            route = server.routes.get(path.split("?")[0], not_found)
            with contextlib.suppress(OSError):
                route(tls, server)


class LocalHttps(socketserver.ThreadingTCPServer):
    """``with LocalHttps(ca) as server:`` serves ``server.routes`` at ``server.url(path)``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, ca: trustme.CA, host: str = "127.0.0.1"):
        super().__init__((host, 0), _Handler)
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(self.tls)
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"https://127.0.0.1:{self.server_address[1]}{path}"

    def __enter__(self) -> LocalHttps:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


def answer(status: str = "200 OK", body: bytes = b"", headers: dict[str, str] | None = None) -> Route:
    """A whole answer at once; Content-Length is the body's unless ``headers`` says otherwise."""
    given = {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(body)), **(headers or {})}

    def route(tls: ssl.SSLSocket, server: LocalHttps) -> None:
        head = "".join(f"{k}: {v}\r\n" for k, v in given.items() if v is not None)
        tls.sendall(f"HTTP/1.1 {status}\r\n{head}Connection: close\r\n\r\n".encode("latin-1") + body)

    return route


def raw(data: bytes) -> Route:
    """Exactly these bytes, then the connection closes."""

    def route(tls: ssl.SSLSocket, server: LocalHttps) -> None:
        tls.sendall(data)

    return route


def trickle(data: bytes, every: float, *, at_most: float = 20.0) -> Route:
    """``data`` one byte every ``every`` seconds (for at most ``at_most`` seconds), then closes."""

    def route(tls: ssl.SSLSocket, server: LocalHttps) -> None:
        started = time.monotonic()
        for byte in data:
            if server.stopping.is_set() or time.monotonic() - started > at_most:
                return
            tls.sendall(bytes([byte]))
            server.stopping.wait(every)

    return route


def not_found(tls: ssl.SSLSocket, server: LocalHttps) -> None:
    answer("404 Not Found", b"no such page")(tls, server)


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

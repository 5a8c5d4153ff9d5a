"""Every https read peel makes (``peel ingest`` of an address; HMICFRS's pages and feeds for the
commands built on it): one GET, on https only, that ends by a deadline or is refused.

What a server can do wrong, and what peel does:

- the address: credentials, whitespace, a control character, a malformed host or port, or any
  scheme but https are refused before anything is sent (:func:`~peelcli.schema.scalars.address_fault`);
- slow or stalled (a byte every few seconds): the deadline holds for the whole transfer (name
  lookup, connection, TLS, headers and body), not for each read; ``PEEL_FETCH_DEADLINE`` (seconds)
  or the ``deadline`` argument sets it;
- too much: a ``Content-Length`` over the cap is refused before the body is read, and the body is
  never read past the cap;
- too little: a body shorter than its ``Content-Length`` (or a chunked body cut off) is refused;
- redirects: followed only to https addresses that pass the same rule, at most ``MAX_REDIRECTS``;
- a malformed answer (status line, headers, ``Content-Length``, an encoding not asked for) is refused.

Every refusal is a :class:`~peelcli.problems.PeelError` naming the address and why, so the command
exits 1 with one line. The transfer runs in a worker thread the caller waits for until the
deadline; a worker still blocked then has its socket shut and is left to end by itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from typing import NamedTuple

from .problems import PeelError, Problem
from .schema.scalars import address_fault, masked_address

DEADLINE_ENV = "PEEL_FETCH_DEADLINE"
DEFAULT_DEADLINE = 30.0
"""Seconds for a whole transfer: a letter page arrives in well under a second."""
MAX_DEADLINE = 3600.0
MAX_REDIRECTS = 5
USER_AGENT = "peel (HMICFRS monitoring ledger)"
_CHUNK = 65_536
_SHOWN = 200


class Fetched(NamedTuple):
    """A body read in full: the address it came from (after redirects) and its Content-Type."""

    url: str
    body: bytes
    content_type: str


class Copy(NamedTuple):
    """A page or feed as a command was given it: a saved file, or read from its address."""

    name: str
    """As messages name it: the path or the address given."""
    body: bytes
    url: str | None
    """Where it was read from (after redirects); ``None`` for a saved file."""
    content_type: str = ""


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def read_copy(given: str, *, max_bytes: int, accept: str = "*/*", what: str = "page") -> Copy:
    """A saved copy (a plain file, never more than the files' cap) or, for an ``https://``
    address, the page itself through :func:`fetch`. Another scheme is refused: peel reads https
    only, and only when given an address. ``what`` names the thing in the refusal."""
    if _SCHEME.match(given):
        if not given.lower().startswith("https://"):
            raise refusal(given, f"only https:// addresses are fetched: save the {what} and give its file instead")
        fetched = fetch(given, max_bytes=max_bytes, accept=accept)
        return Copy(given, fetched.body, fetched.url, fetched.content_type)
    from pathlib import Path

    from .files import read_bytes

    body = read_bytes(Path(given), given)
    if len(body) > max_bytes:
        raise PeelError(
            Problem(f"is {_size(len(body))}, more than the {_size(max_bytes)} peel reads for a {what}").at(given)
        )
    return Copy(given, body, None)


def refusal(url: str, message: str) -> PeelError:
    return PeelError(Problem(message).at(_shown(masked_address(url))))


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def deadline_seconds(given: float | None = None) -> float:
    """The deadline for one transfer: ``given``, else ``$PEEL_FETCH_DEADLINE``, else 30 s."""
    if given is not None:
        return given
    raw = os.environ.get(DEADLINE_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_DEADLINE
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= MAX_DEADLINE:
        raise PeelError(f"{DEADLINE_ENV}={_shown(raw)!r} is not a number of seconds from 0 to {MAX_DEADLINE:g}")
    return seconds


def fetch(
    url: str,
    *,
    max_bytes: int,
    deadline: float | None = None,
    accept: str = "*/*",
    context=None,
) -> Fetched:
    """GET ``url`` (https only) and return its whole body, or refuse. ``context`` is the TLS
    context (default: the system's trusted certificates, as ``ssl.create_default_context``)."""
    fault = address_fault(url, schemes=("https",))
    if fault is not None:
        raise refusal(url, f"is not an address peel fetches: it {fault}")
    seconds = deadline_seconds(deadline)
    transfer = _Transfer(url, max_bytes, accept, context, seconds)
    worker = threading.Thread(target=transfer.run, name="peel-fetch", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        transfer.abort()
        raise transfer.late()
    if transfer.error is not None:
        raise transfer.error
    assert transfer.result is not None
    return transfer.result


class _Transfer:
    """One fetch, run in the worker thread: its outcome, and what the caller reports on a deadline."""

    def __init__(self, url: str, max_bytes: int, accept: str, context, seconds: float):
        self.url, self.max_bytes, self.accept, self.context = url, max_bytes, accept, context
        self.seconds, self.end = seconds, time.monotonic() + seconds
        self.current = url  # the address being fetched: another after a redirect
        self.result: Fetched | None = None
        self.error: PeelError | None = None
        self.connection = None
        self.received = 0
        self.stage = "no answer had begun"

    def refuse(self, message: str) -> PeelError:
        """A refusal naming the address given, and the one that failed when a redirect led there."""
        if self.current != self.url:
            message += f" (at {_shown(masked_address(self.current))!r}, where the address given redirected)"
        return refusal(self.url, message)

    def late(self) -> PeelError:
        """The refusal when the deadline passes, from the caller or from the worker itself."""
        arrived = f"{self.received:,} bytes of the body had arrived" if self.received else self.stage
        return self.refuse(
            f"no complete answer within {self.seconds:g} s, the deadline for the whole transfer ({arrived}); "
            f"{DEADLINE_ENV} sets it"
        )

    def left(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def abort(self) -> None:
        """Shut the socket under a blocked read, so the worker ends now (best effort)."""
        import socket

        connection = self.connection
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def run(self) -> None:
        import http.client
        import ssl

        refuse = self.refuse
        try:
            self.result = self.get()
        except PeelError as exc:
            self.error = exc
        except ssl.SSLCertVerificationError as exc:
            self.error = refuse(f"its certificate is not trusted: {exc.verify_message or exc.reason}")
        except ssl.SSLError as exc:
            self.error = refuse(f"the TLS connection failed: {exc.reason or exc}")
        except http.client.IncompleteRead:
            self.error = refuse("the answer was cut short: its chunked body ended before its last chunk")
        except (http.client.LineTooLong, http.client.BadStatusLine) as exc:
            if isinstance(exc, http.client.RemoteDisconnected):
                self.error = refuse("the server closed the connection without answering")
            else:
                self.error = refuse(f"the server's answer is malformed ({type(exc).__name__}: {_said(exc)})")
        except http.client.HTTPException as exc:
            self.error = refuse(f"the server's answer is malformed ({type(exc).__name__}: {_said(exc)})")
        except TimeoutError:
            self.error = self.late()
        except OSError as exc:
            self.error = refuse(f"cannot fetch: {_said(exc.strerror or exc)}")
        except (ValueError, UnicodeError) as exc:
            self.error = refuse(f"cannot fetch: {type(exc).__name__}: {_said(exc)}")

    def get(self) -> Fetched:
        import http.client
        import ssl
        from urllib.parse import urljoin, urlsplit

        context = self.context or ssl.create_default_context()
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(self.current)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            self.stage = f"no answer from {parts.hostname} had begun"
            connection = http.client.HTTPSConnection(
                parts.hostname, parts.port or 443, timeout=self.left(), context=context
            )
            self.connection = connection
            try:
                connection.request(
                    "GET",
                    target,
                    headers={
                        "User-Agent": USER_AGENT,
                        "Accept": self.accept,
                        "Accept-Encoding": "identity",
                        "Connection": "close",
                    },
                )
                response = connection.getresponse()
                self.stage = "the headers had arrived, and no byte of the body"
                if response.status in (301, 302, 303, 307, 308):
                    self.current = self._redirect(response, urljoin)
                    continue
                self._check_headers(response)
                return Fetched(self.current, self._body(connection, response), _header(response, "Content-Type"))
            finally:
                connection.close()
        raise self.refuse(f"redirected more than {MAX_REDIRECTS} times: not followed")

    def _redirect(self, response, urljoin) -> str:
        location = _header(response, "Location")
        if not location:
            raise self.refuse(f"the server answered {response.status} (a redirect) with no Location")
        new = urljoin(self.current, location.strip())
        shown = repr(_shown(masked_address(new)))
        if new.lower().startswith("http://"):
            raise self.refuse(f"redirected to {shown}, which is not https: not followed")
        fault = address_fault(new, schemes=("https",))
        if fault is not None:
            raise self.refuse(f"redirected to {shown}, which is not followed: it {fault}")
        return new

    def _check_headers(self, response) -> None:
        if response.status != 200:
            raise self.refuse(f"the server answered {response.status} {_said(response.reason)}".rstrip())
        defects = getattr(response.msg, "defects", None)
        if defects:
            raise self.refuse(f"the server's headers are malformed ({type(defects[0]).__name__})")
        for name, value in response.msg.items():
            if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in f"{name}{value}"):
                raise self.refuse(f"the server's header {_said(name)!r} holds a control character")
        lengths = response.msg.get_all("Content-Length") or []
        if lengths:
            values = {v.strip() for v in ",".join(lengths).split(",")}
            if len(values) != 1 or not next(iter(values)).isdigit():
                raise self.refuse(f"the server's Content-Length {_said(', '.join(lengths))!r} is not one number")
            if int(next(iter(values))) > self.max_bytes:
                size = _size(int(next(iter(values))))
                raise self.refuse(
                    f"the answer is {size} (its Content-Length), more than the {_size(self.max_bytes)} peel reads here"
                )
        encoding = (_header(response, "Content-Encoding") or "identity").strip().lower()
        if encoding != "identity":
            raise self.refuse(f"the server sent its answer encoded as {_said(encoding)!r}, which peel did not ask for")
        coding = _header(response, "Transfer-Encoding")
        if coding and coding.strip().lower() != "chunked":
            raise self.refuse(f"the server's Transfer-Encoding {_said(coding)!r} is not one peel reads")

    def _body(self, connection, response) -> bytes:
        announced = _header(response, "Content-Length")
        chunks: list[bytes] = []
        while True:
            if connection.sock is not None:
                connection.sock.settimeout(self.left())
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            self.received += len(chunk)
            if self.received > self.max_bytes:
                raise self.refuse(f"the answer is more than {_size(self.max_bytes)}, the most peel reads here")
            chunks.append(chunk)
            if time.monotonic() >= self.end:
                raise TimeoutError
        if announced and self.received < int(announced.split(",")[0]):
            raise self.refuse(
                f"the answer was cut short: {self.received:,} of the {int(announced.split(',')[0]):,} bytes its "
                "Content-Length announced arrived"
            )
        return b"".join(chunks)


def _header(response, name: str) -> str:
    return response.getheader(name) or ""


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size:,} bytes"


def _said(text: object) -> str:
    """Text a server sent, as a message may quote it: one line, no control characters, short."""
    flat = "".join(c if c.isprintable() else " " for c in str(text))
    return _shown(" ".join(flat.split()))

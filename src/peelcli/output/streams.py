"""Standard output and standard error as peel writes them.

While peel runs, ``sys.stdout`` and ``sys.stderr`` are :class:`Guarded` stand-ins
(:func:`guarded`), which do three things no command has to think about:

- **Safe text.** Everything written to standard error, and plain text on standard output (the
  medium ``text``: messages, summaries, ``peel validate``'s lines, diffs, a CSV export shown on a
  terminal), has its control and bidirectional characters shown as ``<U+XXXX>``
  (:func:`~.controls.visible_lines`), keeping line breaks and tabs. A table, JSON, Markdown and
  HTML are made safe by their writers and CSV sent to a file or pipe is data: each says which it
  is with :func:`medium`.
- **What the encoding holds.** A character the stream's encoding cannot hold
  (``PYTHONIOENCODING=ascii``) is written in the medium's own escape: ``\\uXXXX`` in JSON, a
  character reference (``&#x2019;``) in HTML and Markdown, ``<U+2019>`` in text and tables. CSV
  has no escape: a CSV export the stream cannot hold is refused rather than changed.
- **Failing plainly.** A reader that has gone (``peel status | head``) is no failure: what is
  left to print goes nowhere. Standard output that is full, closed or broken is given up too,
  and the command's last flush raises :class:`StdoutError`; the command line turns it into exit
  1 with the reason, or, when the command had already written its files (an edit, an export),
  a note and the exit code the command chose: the work is done, only its summary is lost.
  Standard error that fails is given up quietly: there is nowhere left to say so.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import errno
import io
import os
import sys
from collections.abc import Iterator

from ..problems import PeelError, Problem
from .controls import visible_lines

_MEDIUM: contextvars.ContextVar[str] = contextvars.ContextVar("peel_stdout_medium", default="text")
MEDIA = ("text", "table", "json", "markdown", "html", "csv")


@contextlib.contextmanager
def medium(name: str) -> Iterator[None]:
    """What is written to standard output inside the block is ``name``: ``text`` (the default:
    made safe on the way out), ``table`` (the terminal writer's, safe already, possibly with
    colour), ``json``, ``markdown``, ``html`` (safe already) or ``csv`` (data, written exactly)."""
    if name not in MEDIA:
        raise ValueError(f"unknown medium {name!r}")
    token = _MEDIUM.set(name)
    try:
        yield
    finally:
        _MEDIUM.reset(token)


class StdoutError(PeelError):
    """Standard output could not take what peel wrote: it is full, closed or broken."""

    def __init__(self, reason: str) -> None:
        super().__init__(Problem(f"could not write to standard output: {reason}"))
        self.reason = reason


def _replacement(escape):
    def handler(error: UnicodeEncodeError) -> tuple[str, int]:
        return "".join(escape(ch) for ch in error.object[error.start : error.end]), error.end

    return handler


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


codecs.register_error("peel-json", _replacement(_json_escape))
codecs.register_error("peel-reference", _replacement(lambda ch: f"&#x{ord(ch):X};"))
_ESCAPES = {
    "text": "peel-shown",
    "table": "peel-shown",
    "json": "peel-json",
    "markdown": "peel-reference",
    "html": "peel-reference",
}


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EBADF:
        return "it is closed"
    return exc.strerror or str(exc)


class Guarded:
    """``sys.stdout`` or ``sys.stderr`` while peel runs (see the module). It has no ``buffer``:
    nothing (Click, Rich) can write around it.

    A failure is remembered, never raised by a write: the command runs to its end (``validate``
    checks every file, an edit reports its refusal, a site its skipped files), what it still
    writes goes nowhere, and the next :meth:`flush` of standard output (the command line's, at
    the command's end) raises :class:`StdoutError`, until :attr:`reported` says it was said."""

    def __init__(self, stream, *, error: bool) -> None:
        self._stream = stream
        self._error = error
        self.lost: str | None = None  # why the stream was given up
        self.gone = False  # the reader stopped reading: no failure
        self.reported = False  # the failure has been said, and the exit code chosen

    def __getattr__(self, name: str):
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)

    def isatty(self) -> bool:
        try:
            return bool(self._stream.isatty())
        except (AttributeError, OSError, ValueError):
            return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.gone or self.lost:
            return len(text)
        kind = "text" if self._error else _MEDIUM.get()
        shown_text = visible_lines(text) if kind == "text" else text
        try:
            try:
                self._stream.write(shown_text)
            except UnicodeEncodeError:
                self._stream.write(self._encodable(shown_text, kind))
        except (OSError, ValueError) as exc:
            self._fail(exc)
        return len(text)

    def flush(self) -> None:
        if not (self.gone or self.lost):
            try:
                self._stream.flush()
            except (OSError, ValueError) as exc:
                self._fail(exc)
        if self.lost and not self._error and not self.reported:
            raise StdoutError(self.lost)

    def _encodable(self, text: str, kind: str) -> str:
        encoding = getattr(self._stream, "encoding", None) or "utf-8"
        if kind == "csv":
            raise PeelError(
                f"standard output takes {encoding}, which cannot hold every character of the export: write it to "
                "a file with --out FILE (always UTF-8), or set PYTHONIOENCODING=utf-8"
            )
        return text.encode(encoding, _ESCAPES[kind]).decode(encoding)

    def _fail(self, exc: OSError | ValueError) -> None:
        """Give the stream up: nothing more is written to it, and what it still holds goes to
        the null device, so that the interpreter's last flush cannot fail again. (A ValueError
        is a stream something closed.)"""
        if isinstance(exc, ValueError):
            exc = OSError(errno.EBADF, "closed")
        self.gone = exc.errno == errno.EPIPE
        self.lost = None if self.gone else _reason(exc)
        _discard(self._stream)


def _discard(stream) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


class _Closed(io.TextIOBase):
    """What a stream that was closed before peel started (``peel status >&-``) stands for."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        return None


def _open_or_null(fd: int) -> None:
    """Put the null device on ``fd`` when it is closed, so no file peel opens takes its number
    (and a write meant for standard output never lands in a force file)."""
    try:
        os.fstat(fd)
    except OSError:
        with contextlib.suppress(OSError):
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Run the block with standard output and error guarded (see the module); re-entrant."""
    if isinstance(sys.stdout, Guarded):
        yield
        return
    saved = sys.stdout, sys.stderr
    for fd, stream in ((1, saved[0]), (2, saved[1])):
        if stream is None:
            _open_or_null(fd)
    sys.stdout = Guarded(saved[0] if saved[0] is not None else _Closed(), error=False)
    sys.stderr = Guarded(saved[1] if saved[1] is not None else _Closed(), error=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def lost_said() -> None:
    """The loss of standard output has been said, and the exit code chosen: flushing no longer
    raises it."""
    if isinstance(sys.stdout, Guarded):
        sys.stdout.reported = True


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal, where text is shown to a person rather than kept."""
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, OSError, ValueError):
        return False

"""Characters no medium shows as they are, and how peel shows them instead.

Control characters (Unicode category Cc: C0, DEL, C1, among them ESC, which starts terminal
escape sequences, and NUL), bidirectional controls (which reorder what follows them, so that an
address can read backwards), line and paragraph separators (line breaks editors do not show)
and unpaired surrogates (an undecodable byte of a file name) are fixed sets, so one character
class finds them all. Every writer for people shows such a character as ``<U+XXXX>``: the
terminal (:func:`~.terminal.printable`), Markdown and HTML (escaped as their text), and plain
text on standard output and standard error (:mod:`.streams`). JSON keeps the exact text, with
each one as a ``\\uXXXX`` escape (:mod:`.jsontext`).
"""

from __future__ import annotations

import codecs
import re

_OTHERS = "\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\x00-\x1f{_OTHERS}]")
"""One character no medium shows as it is."""
UNSAFE_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")
"""The same, but a tab or a line break (``\\n``)."""


def shown(character: str) -> str:
    """How peel shows one such character: ``<U+001B>``."""
    return f"<U+{ord(character):04X}>"


def visible(text: str) -> str:
    """``text`` with every such character shown as ``<U+XXXX>``."""
    return UNSAFE.sub(lambda found: shown(found.group()), text)


def _shown_instead(error: UnicodeEncodeError) -> tuple[str, int]:
    return "".join(shown(ch) for ch in error.object[error.start : error.end]), error.end


codecs.register_error("peel-shown", _shown_instead)
"""``text.encode(charset, "peel-shown")``: what ``charset`` cannot hold shown as ``<U+XXXX>``
(plain text and tables on a terminal set to ASCII)."""


def visible_lines(text: str) -> str:
    """``text`` with every such character shown as ``<U+XXXX>``, but its line breaks (``\\n``)
    and tabs, which plain text on a terminal or in a file may hold."""
    return UNSAFE_IN_LINES.sub(lambda found: shown(found.group()), text)

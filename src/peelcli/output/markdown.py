"""The one Markdown writer: a :class:`~peelcli.output.document.Document` as GitHub-flavoured
Markdown. Every text from the ledger goes through :func:`md_escape` here and nowhere else, and
every address through :func:`_md_url`.

The rule, for text: a backslash goes before every character that can start Markdown syntax
anywhere in a line (``\\ ` * _ [ ] < > | ~ $ # @``), before an ``&`` that would start a character
reference (``&lt;``, ``&#60;``), and before one that can only start it at the beginning of a line
(a list, a rule or an underline: ``- + =``, and the ``.`` or ``)`` after leading digits, unless a
letter or digit follows, as in ``-5`` or ``4.5``). What is left (letters, digits, spaces and
``! " % ' ( ) , . / : ; ? ^ { }`` and other ``&``) cannot open a link, an image, HTML, code,
emphasis or a table cell without one of the escaped characters, and the text reads as written.

Two escapes are left out where the text is not at risk, since a report is pasted into word
processors that show every backslash (``\\~2024-06-22``): a single ``~`` at the start of the
text or after a space (it can open strikethrough, even GitHub's single-tilde kind, but never
close it, and no tilde left bare can close; nor can one start a fence), and a pair of brackets
around text (``[…]``, ``[from 2021]``) that can be no link, image, footnote, alert or reference
definition: not after ``!``, not before ``(``, ``[`` or ``:``, not starting with ``^`` or ``!``, and
not a number (peel's own link labels are numbers).
A bare web address stays text GitHub may underline, showing its own address. Links are
reference links whose labels peel numbers itself (``[title][3]``): no text from the ledger is
ever a label, so none can collide with one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from .controls import UNSAFE, visible
from .document import Cell, Document, Link, Part, Table, Tag
from .html import safe_href

_ACTIVE = re.compile(r"[\\`*_\[\]<>|~$#@]|&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))(?![A-Za-z0-9])")


_BRACKETED = re.compile(r"(?<!!)\[(?![\^!])([^\[\]]*[^\[\]\s\d][^\[\]]*)\](?![(\[:])")
"""Brackets around text that can be no link, image, footnote, alert or reference (the module's rule)."""
_LONE_TILDE = re.compile(r"(?<![^ ])~(?!~)")
"""A tilde that can open strikethrough but never close it, nor start a fence."""


def md_escape(text: object) -> str:
    """Text inert in any Markdown line or table cell: whitespace folded to single spaces, every
    other control or bidirectional character shown as ``<U+XXXX>`` (:func:`~.controls.visible`),
    every Markdown-active character escaped where it is at risk (see the module's rule)."""
    folded = visible(" ".join(str(text).split()))
    bare = {m.start() for m in _LONE_TILDE.finditer(folded)}
    bare |= {i for m in _BRACKETED.finditer(folded) for i in (m.start(), m.end() - 1)}
    escaped = _ACTIVE.sub(lambda m: m[0] if m.start() in bare else "\\" + m[0], folded)
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def report_peel_wrote(head: bytes) -> bool:
    """Whether a file's bytes are a report :func:`markdown` wrote: a title, and the line at its
    end that says peel produced it."""
    return head.startswith(b"# ") and b"\n_Produced by peel " in head


def markdown(document: Document) -> str:
    """GitHub-flavoured Markdown, escaped the way every peel Markdown report is. Sources are
    reference links defined once at the end, so tables stay readable as plain text."""
    return _Markdown().document(document)


class _Markdown:
    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # url -> the number peel gave it

    def document(self, document: Document) -> str:
        lines = [f"# {md_escape(document.title)}", ""]
        lines += self.facts(document.facts)
        for part in document.parts:
            lines += self.part(part, 2)
        for note in document.notes:
            lines += [f"> {md_escape(note)}", ""]
        if document.footer:
            lines += [f"_{md_escape(document.footer)}_", ""]
        lines += [f"[{label}]: {_md_url(url)}" for url, label in self.labels.items()]
        return "\n".join(lines).rstrip("\n") + "\n"

    def facts(self, facts) -> list[str]:
        lines = [f"- **{md_escape(label)}:** {self.cell(value)}" for label, value in facts]
        return [*lines, ""] if lines else []

    def part(self, part: Part, level: int) -> list[str]:
        lines = [f"{'#' * min(level, 6)} {md_escape(part.title)}", ""]
        lines += self.facts(part.facts)
        if part.quote:
            lines += [f"> {md_escape(part.quote)}", ""]
        for paragraph in part.paragraphs:
            lines += [md_escape(paragraph), ""]
        if part.table is not None:
            lines += self.table(part.table)
        for note in part.notes:
            lines += [f"_{md_escape(note)}_", ""]
        for sub in part.parts:
            lines += self.part(sub, level + 1)
        return lines

    def table(self, table: Table) -> list[str]:
        if not table.rows:
            return [f"_{md_escape(table.empty)}_", ""]
        lines = ["| " + " | ".join(md_escape(c) for c in table.columns) + " |"]
        lines.append("|" + "|".join("---:" if c in table.numeric else "---" for c in table.columns) + "|")
        lines += ["| " + " | ".join(self.cell(cell) for cell in row) + " |" for row in table.rows]
        return [*lines, ""]

    def cell(self, cell: Cell) -> str:
        if isinstance(cell, tuple):
            return "; ".join(self.cell(item) for item in cell)
        if isinstance(cell, Link):
            if not safe_href(cell.url):
                return md_escape(cell.text)
            if cell.text == cell.url and urlsplit(cell.url).scheme:
                return f"<{_md_url(cell.url)}>"  # an autolink: it shows, and prints, its address
            return f"[{md_escape(cell.text)}][{self.label(cell.url)}]"
        if isinstance(cell, Tag):
            return md_escape(cell.text)
        return md_escape(cell)

    def label(self, url: str) -> str:
        return self.labels.setdefault(url, str(len(self.labels) + 1))


def _md_url(url: str) -> str:
    """An address as one run of characters Markdown takes literally in a link destination, an
    autolink or a table: spaces, controls, bidirectional controls and ``< > ( ) | \\ ``
    percent-encoded (as their UTF-8 bytes)."""
    return "".join(
        quote(ch, safe="", errors="surrogatepass") if ch <= " " or ch in '<>()|\\"`' or UNSAFE.match(ch) else ch
        for ch in url
    )

"""The terminal writer: a :class:`~peelcli.output.document.Document` as text for a terminal, a
pipe or a file, at any width from 60 columns up.

Layout is decided here, from each table's columns (``wrap``, ``numeric``) and the width:

- a table that fits is drawn as a table: dates, ids and figures on one line at their full width,
  running text (``wrap`` columns) sharing the rest, never narrower than a readable measure;
- one that does not fit keeps the columns that do (running text is moved first, then the last
  columns) and prints the others below each row, labelled; when only the first column fits, each
  row is a record: its first cell, then every other cell labelled below it.

Text is wrapped at spaces only. A word wider than the whole width (a long address) is the one
thing broken, at the width, as a last resort. No column is ever left out or cut short.

Every text is made safe for a terminal here (:func:`printable`); colour and bold come only when
the output is a terminal that wants them, never with ``NO_COLOR``.
"""

from __future__ import annotations

import contextvars
import functools
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.cells import get_character_cell_size as _char_len

from .controls import visible
from .document import Cell, Document, Part, Table, Tag, cell_text

DEFAULT_WIDTH = 80
"""The width of a pipe or a file, and of a terminal whose width cannot be told."""
WIDTHS = range(20, 1001)
"""The widths ``COLUMNS`` may set; anything else (0, -5, ``wide``) is ignored."""
GAP = 2
"""Spaces between two columns."""
INDENT = 4
"""How far the cells printed below a row are indented."""
RULE = "─"
"""The line under a table's headers (``-`` where the terminal's encoding cannot hold it)."""
READABLE = 20
"""The narrowest a column of running text is drawn (when its text is wider): less reads as a list of words."""

# -- safe text --------------------------------------------------------------------------------


def printable(text: str) -> str:
    """``text`` as a terminal can show it harmlessly: every control character (escape sequences,
    carriage returns, tabs, line breaks), every bidirectional control (which reorders what
    follows it, so an address can read backwards) and every unpaired surrogate (an undecodable
    byte of a file name) is shown as ``<U+XXXX>`` (:func:`~.controls.visible`). The one rule for
    text peel writes to a terminal: the writer below applies it to every word, ``peel``'s
    problem messages to every line, and standard output and error to all plain text."""
    return visible(text)


def _len(text: str) -> int:
    """The cells ``text`` takes on a terminal. Rich remembers short texts; a long one (a word
    or a cell of thousands of characters) is measured once per layout, not once per use."""
    return cell_len(text) if len(text) < 512 else _long_len(text)


@functools.lru_cache(maxsize=64)
def _long_len(text: str) -> int:
    return cell_len(text)


_CHARSET: contextvars.ContextVar[str | None] = contextvars.ContextVar("peel_terminal_charset", default=None)
"""The encoding of the terminal being written, when it cannot hold every character (ASCII)."""


def _words(text: object) -> list[str]:
    """Running text as safe words: whitespace of any kind (tabs, line breaks) separates words.
    On a terminal that cannot hold a character, that is shown as ``<U+XXXX>`` here too, before
    the layout measures it, so columns still line up."""
    words = [printable(word) for word in str(text).split()]
    charset = _CHARSET.get()
    return words if charset is None else [_encodable(word, charset) for word in words]


def _encodable(word: str, charset: str) -> str:
    try:
        word.encode(charset)
    except UnicodeEncodeError:
        return word.encode(charset, "peel-shown").decode(charset)
    return word


def _flat(text: object) -> str:
    return " ".join(_words(text))


# -- measuring and wrapping -------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    """Safe, flattened ``text`` filled into lines of at most ``width`` cells, broken at spaces.
    A word wider than ``width`` is broken at the width: the last resort, for a long address.
    Each word is measured once, so the work grows with the text's length, however long a word."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        if not word:
            continue
        size = _len(word)
        if size > width:
            if line:
                lines.append(line)
            *whole, line = _pieces(word, width)
            lines += whole
            used = _len(line)
        elif not line:
            line, used = word, size
        elif used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
        else:
            lines.append(line)
            line, used = word, size
    if line:
        lines.append(line)
    return lines or [""]


def _pieces(word: str, width: int) -> list[str]:
    """``word`` cut into pieces of at most ``width`` cells (at least one character each), in one
    pass over it."""
    if word.isascii():  # safe text: every character one cell wide
        return [word[i : i + width] for i in range(0, len(word), width)]
    pieces, start, used = [], 0, 0
    for i, ch in enumerate(word):
        size = _char_len(ch)
        if used + size > width and i > start:
            pieces.append(word[start:i])
            start, used = i, 0
        used += size
    pieces.append(word[start:])
    return pieces


def _longest_word(text: str) -> int:
    return max((_len(word) for word in text.split(" ")), default=0)


# -- lines ------------------------------------------------------------------------------------


class Span(NamedTuple):
    text: str
    style: str = ""


Line = tuple[Span, ...]

STYLES = {
    "title": "bold",
    "heading": "bold",
    "label": "bold",
    "detail-label": "dim",
    "note": "dim",
    "quote": "italic",
    "empty": "dim",
}
"""How each part of a document looks where a terminal shows styles."""


def tag_style(kind: str) -> str:
    """How a tag's meaning looks. Colour says where a force stands (enhanced monitoring, a
    concern, a doubt), never whether a judgement is welcome: a verdict is bold, never green."""
    if kind == "phase-engage":
        return "bold yellow"
    if kind.startswith("situation-") and kind != "situation-clear":
        return "yellow"
    if kind.startswith("verdict-"):
        return "bold"
    if kind == "uncertain" or kind.endswith("-uncertain"):
        return "italic"
    return ""


def _style(cell: Cell, default: str = "") -> str:
    return tag_style(cell.kind) if isinstance(cell, Tag) else default


def _text_lines(text: object, width: int, style: str = "", indent: int = 0) -> list[Line]:
    pad = (Span(" " * indent),) if indent else ()
    return [(*pad, Span(line, style)) for line in _wrap(_flat(text), width - indent)]


def document_lines(document: Document, width: int) -> list[Line]:
    """The document laid out for ``width`` columns: no line is wider, no word is split (but one
    wider than ``width`` itself)."""
    lines = _text_lines(document.title, width, STYLES["title"])
    lines += _facts(document.facts, width)
    for part in document.parts:
        lines += _part(part, width)
    if document.notes or document.footer:
        lines.append(())
    for note in document.notes:
        lines += _text_lines(note, width, STYLES["note"])
    if document.footer:
        lines += _text_lines(document.footer, width, STYLES["note"])
    return lines


def _facts(facts: Sequence[tuple[str, Cell]], width: int, label_style: str = STYLES["label"]) -> list[Line]:
    """Labels in a column, values beside them; a label too long for a third of the width wraps."""
    if not facts:
        return []
    labels = [_flat(label) for label, _ in facts]
    label_width = min(max(_len(label) for label in labels), max(width // 3, 1))
    return _pairs(
        [(label, _flat(cell_text(value)), _style(value)) for label, (_, value) in zip(labels, facts, strict=True)],
        width,
        label_width,
        label_style,
    )


def _pairs(
    pairs: list[tuple[str, str, str]], width: int, label_width: int, label_style: str, indent: int = 0
) -> list[Line]:
    """Each label with its value beside it; a pair whose words cannot stay whole side by side
    (a label wider than its column) has its value on the lines below, indented."""
    value_width = width - indent - label_width - GAP
    lines: list[Line] = []
    for label, value, style in pairs:
        pad = [Span(" " * indent)] if indent else []
        if _longest_word(label) > label_width or _longest_word(value) > value_width:
            lines += [(*pad, Span(text, label_style)) for text in _wrap(label, width - indent)]
            if value:
                lines += _text_lines(value, width, style, indent + INDENT)
            continue
        left, right = _wrap(label, label_width), _wrap(value, value_width)
        for i in range(max(len(left), len(right))):
            name = left[i] if i < len(left) else ""
            shown = right[i] if i < len(right) else ""
            line = [*pad, Span(name, label_style)]
            if shown:
                line += [Span(" " * (label_width - _len(name) + GAP)), Span(shown, style)]
            lines.append(tuple(line))
    return lines


def _part(part: Part, width: int) -> list[Line]:
    lines: list[Line] = [(), *_text_lines(part.title, width, STYLES["heading"])]
    lines += _facts(part.facts, width)
    if part.quote:
        lines += _text_lines(part.quote, width, STYLES["quote"])
    for paragraph in part.paragraphs:
        lines += _text_lines(paragraph, width)
    if part.table is not None:
        if part.table.rows:
            lines += table_lines(part.table, width)
        else:
            lines += _text_lines(part.table.empty, width, STYLES["empty"])
    for note in part.notes:
        lines += _text_lines(note, width, STYLES["note"])
    for sub in part.parts:
        lines += _part(sub, width)
    return lines


# -- tables -----------------------------------------------------------------------------------


class _Column(NamedTuple):
    name: str
    header: str
    cells: list[str]
    styles: list[str]
    wrap: bool
    numeric: bool

    @property
    def natural(self) -> int:
        """The width that shows every cell on one line (the header may wrap at its spaces)."""
        return max(_longest_word(self.header), *(_len(cell) for cell in self.cells))

    @property
    def least(self) -> int:
        """The narrowest it may be drawn: a column of running text down to its longest word or
        a readable measure; any other at its natural width."""
        if not self.wrap:
            return self.natural
        longest = max(_longest_word(self.header), *(_longest_word(cell) for cell in self.cells))
        return max(longest, min(self.natural, READABLE))


def table_lines(table: Table, width: int) -> list[Line]:
    columns = [
        _Column(
            name,
            _flat(name),
            [_flat(cell_text(row[i])) for row in table.rows],
            [_style(row[i]) for row in table.rows],
            name in table.wrap,
            name in table.numeric,
        )
        for i, name in enumerate(table.columns)
    ]
    for kept in _choices(columns):
        widths = _widths(kept, width)
        if widths is not None:
            break
    else:
        kept, widths = columns[:1], None
    below = [c for c in columns if c not in kept]
    if widths is None or (len(kept) == 1 and below):
        return _records(columns, width)
    return _grid(kept, widths, below, width, len(table.rows))


def _choices(columns: list[_Column]) -> list[list[_Column]]:
    """The sets of columns to try as a table, most first: all; then without the running-text
    columns, the last first; then without the last of the others. The first column always stays."""
    choices, kept = [list(columns)], list(columns)
    for column in [c for c in reversed(columns[1:]) if c.wrap] + [c for c in reversed(columns[1:]) if not c.wrap]:
        kept = [c for c in kept if c is not column]
        choices.append(kept)
    return choices


def _widths(columns: list[_Column], width: int) -> list[int] | None:
    """Each column's width when they fit ``width`` together, else ``None``. Spare width goes
    first to headers, so each is on one line, then to the running-text columns, evenly, until
    each shows its text on one line."""
    widths = [c.least for c in columns]
    spare = width - sum(widths) - GAP * (len(columns) - 1)
    if spare < 0:
        return None
    for i, column in enumerate(columns):
        grow = _len(column.header) - widths[i]
        if 0 < grow <= spare:
            widths[i] += grow
            spare -= grow
    growing = [i for i, c in enumerate(columns) if c.wrap and widths[i] < c.natural]
    while spare > 0 and growing:
        share = max(spare // len(growing), 1)
        for i in list(growing):
            grow = min(share, columns[i].natural - widths[i], spare)
            widths[i] += grow
            spare -= grow
            if widths[i] >= columns[i].natural:
                growing.remove(i)
            if spare == 0:
                break
    return widths


def _grid(columns: list[_Column], widths: list[int], below: list[_Column], width: int, rows: int) -> list[Line]:
    headers = [_wrap(c.header, w) for c, w in zip(columns, widths, strict=True)]
    lines = _row_lines([(h, STYLES["heading"]) for h in headers], columns, widths, header=True)
    lines.append((Span(RULE * (sum(widths) + GAP * (len(widths) - 1))),))
    label_width = min(max((_len(c.header) for c in below), default=0), max((width - INDENT) // 3, 1))
    for r in range(rows):
        cells = [
            (_wrap(c.cells[r], w) if c.wrap else [c.cells[r]], c.styles[r])
            for c, w in zip(columns, widths, strict=True)
        ]
        lines += _row_lines(cells, columns, widths)
        details = [(c.header, c.cells[r], c.styles[r]) for c in below if c.cells[r]]
        lines += _pairs(details, width, label_width, STYLES["detail-label"], INDENT)
    return lines + _empty(below, width, label_width)


def _empty(columns: list[_Column], width: int, label_width: int) -> list[Line]:
    """The columns printed below the rows that hold nothing in any row: said once, not dropped."""
    empty = [(c.header, "empty in every row", STYLES["note"]) for c in columns if not any(c.cells)]
    return _pairs(empty, width, label_width, STYLES["detail-label"])


def _row_lines(
    cells: list[tuple[list[str], str]], columns: list[_Column], widths: list[int], header: bool = False
) -> list[Line]:
    height = max(len(texts) for texts, _ in cells)
    lines: list[Line] = []
    for i in range(height):
        spans: list[Span] = []
        for n, ((texts, style), column, w) in enumerate(zip(cells, columns, widths, strict=True)):
            text = texts[i] if i < len(texts) else ""
            pad = " " * (w - _len(text))
            if n:
                spans.append(Span(" " * GAP))
            if column.numeric and not header:
                spans += [Span(pad), Span(text, style)]
            else:
                spans += [Span(text, style), Span(pad)]
        lines.append(_trimmed(spans))
    return lines


def _trimmed(spans: list[Span]) -> Line:
    """A line without the padding after its last text."""
    while spans and not spans[-1].text.strip():
        spans.pop()
    return tuple(spans)


def _records(columns: list[_Column], width: int) -> list[Line]:
    """A record per row, every cell labelled, a blank line between records."""
    label_width = min(max(_len(c.header) for c in columns), max(width // 3, 1))
    lines: list[Line] = []
    for r in range(len(columns[0].cells)):
        if r:
            lines.append(())
        first = columns[0]
        pairs = [(first.header, first.cells[r], first.styles[r] or STYLES["label"])]
        pairs += [(c.header, c.cells[r], c.styles[r]) for c in columns[1:] if c.cells[r]]
        lines += _pairs(pairs, width, label_width, STYLES["detail-label"])
    return lines + _empty(columns[1:], width, label_width)


# -- writing ----------------------------------------------------------------------------------


def terminal_width(environ=None, stream=None) -> int:
    """``COLUMNS`` when it is a sensible width; else the terminal's width; else 80 (a pipe or a
    file, or ``COLUMNS=0``, or nonsense)."""
    environ = os.environ if environ is None else environ
    stream = sys.stdout if stream is None else stream
    try:
        columns = int(environ.get("COLUMNS", "").strip())
    except ValueError:
        columns = 0
    if columns in WIDTHS:
        return columns
    try:
        if stream.isatty():
            size = os.get_terminal_size(stream.fileno()).columns
            if size in WIDTHS:
                return size
    except (AttributeError, OSError, ValueError):
        pass
    return DEFAULT_WIDTH


def wants_style(environ=None) -> bool:
    """``NO_COLOR`` (set and not empty) turns off every escape: colour, bold, italic, dim."""
    environ = os.environ if environ is None else environ
    return not environ.get("NO_COLOR")


def print_document(document: Document) -> None:
    from rich.console import Console
    from rich.text import Text

    width = terminal_width()
    console = Console(
        file=sys.stdout,
        width=width,
        highlight=False,
        color_system="auto" if wants_style() else None,
        emoji=False,
        markup=False,
    )
    rule = RULE if _holds(sys.stdout, RULE) else "-"
    token = _CHARSET.set(None if _holds(sys.stdout, _WIDE) else sys.stdout.encoding)
    try:
        laid_out = document_lines(document, width)
    finally:
        _CHARSET.reset(token)
    lines = (Text.assemble(*((span.text.replace(RULE, rule), span.style) for span in line)) for line in laid_out)
    console.print(Text("\n").join(lines), soft_wrap=True)


_WIDE = "\u2019\u4e2d\U0001f600"
"""A sample beyond ASCII and Latin-1: a terminal that holds these holds all (a UTF encoding)."""


def _holds(stream, text: str) -> bool:
    """Whether ``stream``'s encoding can hold ``text`` (a terminal set to ASCII cannot hold the
    table's rule)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True

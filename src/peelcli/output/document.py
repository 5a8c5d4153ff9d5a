"""The one shape every human-facing output takes: a document of facts, parts and tables.

A reporting command computes a view; the view describes itself as a :class:`Document`; the
writers of this package turn a document into a terminal table, Markdown or HTML. None of them
knows which command made it, and no command knows how a medium looks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple


class _Value:
    """A small immutable value compared by its fields (not a tuple: a cell that is a tuple is a
    list of citations)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, k) for k in self.__slots__))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(getattr(self, k)) for k in self.__slots__)})"


class Link(_Value):
    """Text that links to ``url`` where there is one (a meeting may have no address)."""

    __slots__ = ("text", "url")

    def __init__(self, text: str, url: str | None = None) -> None:
        self.text, self.url = text, url


class Tag(_Value):
    """Text with a meaning a medium may show: a colour on a terminal, a class in HTML.

    ``kind`` names the meaning (``phase-engage``, ``situation-concern``, ``uncertain``), never a
    colour: each writer decides how a meaning looks."""

    __slots__ = ("kind", "text")

    def __init__(self, text: str, kind: str) -> None:
        self.text, self.kind = text, kind


Cell = str | Link | Tag | tuple  # a tuple of cells: a list of citations


class MadeRows(Sequence):
    """A table's rows made from ``items`` one at a time, as a writer reads them, and let go once
    written: the index of a site of 10,000 forces never holds 10,000 rows of cells at once."""

    def __init__(self, items: Sequence, make: Callable[[object], Sequence[Cell]]) -> None:
        self._items, self._make = items, make

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._make(item) for item in self._items[index]]
        return self._make(self._items[index])


class Table(NamedTuple):
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    empty: str = "None."
    numeric: frozenset[str] = frozenset()
    wrap: frozenset[str] = frozenset()
    """Columns of running text, which take the spare width and wrap; dates, ids and figures never do."""


class Bar(NamedTuple):
    """A stretch of days on a chart row, from ``start`` up to (not including) ``end``."""

    start: date
    end: date
    kind: str  # a meaning (``engage``, ``cause``, ``after-record``), never a colour
    label: str  # the stretch in words: what a reader hovering or listening is told
    uncertain: bool = False  # a date bounding it is known only to the month or year


class ChartRow(NamedTuple):
    label: str | Link
    bars: Sequence[Bar] = ()
    note: str = ""
    """Said beside the row in words, never only on hover: what is still open where it ends."""


class Chart(NamedTuple):
    """Stretches of time against the years (peel's timelines). Media that cannot draw skip it:
    the same facts are always in a table beside it."""

    title: str
    start: date
    end: date
    rows: Sequence[ChartRow]
    mark: tuple[date, str] | None = None  # a day marked across every row, and what it is
    legend: Sequence[tuple[str, bool, str]] = ()  # (kind, uncertain, words) for each kind of bar drawn


class Part(NamedTuple):
    """A titled section: facts, a quotation, paragraphs, a table, subsections, notes."""

    title: str
    anchor: str = ""
    facts: Sequence[tuple[str, Cell]] = ()
    quote: str | None = None
    paragraphs: Sequence[str] = ()
    table: Table | None = None
    figure: Chart | None = None
    parts: Sequence[Part] = ()
    notes: Sequence[str] = ()
    collapsed: bool = False
    """Shown folded where the medium can fold (HTML), for what most readers can skip."""


class Document(NamedTuple):
    title: str
    facts: Sequence[tuple[str, Cell]] = ()
    parts: Sequence[Part] = ()
    notes: Sequence[str] = ()
    footer: str = ""


def cell_text(cell: Cell) -> str:
    """A cell as plain text: a link's text, a tag's text, citations joined by commas."""
    if isinstance(cell, tuple):
        return ", ".join(cell_text(item) for item in cell)
    if isinstance(cell, Link | Tag):
        return cell.text
    return str(cell)


def section(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    empty: str = "None.",
    numeric: frozenset[str] = frozenset(),
    wrap: frozenset[str] = frozenset(),
    notes: Sequence[str] = (),
) -> Part:
    """A part that is a titled table, the commonest part of a report."""
    return Part(title, table=Table(columns, rows, empty, numeric, wrap), notes=notes)

"""The terminal writer: a :class:`~peelcli.output.document.Document` as text for a terminal,
a pipe or a file, drawn with Rich. Rich honours ``NO_COLOR`` and plain output to a pipe."""

from __future__ import annotations

import sys

from .document import Cell, Document, Part, Table, Tag, cell_text


def print_document(document: Document) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    with console.capture() as captured:
        _print(console, document)
    text = captured.get()
    if not console.is_terminal:
        # Rich pads every line to the full width; a file or a pipe is better without.
        text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
    sys.stdout.write(text)


def _text(cell: Cell, style: str = ""):
    from rich.text import Text

    return Text(cell_text(cell), style=_STYLES.get(cell.kind, "") if isinstance(cell, Tag) else style)


_STYLES = {"phase-engage": "bold", "uncertain": "italic"}


def _print(console, document: Document) -> None:
    from rich.table import Table as Grid
    from rich.text import Text

    console.print(Text(document.title, style="bold"))
    if document.facts:
        grid = Grid.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for label, value in document.facts:
            grid.add_row(label, _text(value))
        console.print(grid)
    for part in document.parts:
        _part(console, part)
    for note in document.notes:
        console.print(Text(note, style="dim"))
    if document.footer:
        console.print(Text(document.footer, style="dim"))


def _part(console, part: Part) -> None:
    from rich.text import Text

    console.print()
    if part.table is None or not part.table.rows:
        console.print(Text(part.title, style="bold"))
    for label, value in part.facts:
        console.print(Text.assemble((f"{label}: ", "bold"), _text(value)))
    if part.quote:
        console.print(Text(part.quote, style="italic"))
    for paragraph in part.paragraphs:
        console.print(Text(paragraph))
    if part.table is not None:
        if part.table.rows:
            console.print(_table(part.title, part.table))
        else:
            console.print(Text(part.table.empty, style="dim"))
    for note in part.notes:
        console.print(Text(note, style="dim"))
    for sub in part.parts:
        _part(console, sub)


def _table(title: str, table: Table):
    from rich import box
    from rich.table import Table as RichTable

    shown = RichTable(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in table.columns:
        wraps = column in table.wrap
        shown.add_column(
            column,
            justify="right" if column in table.numeric else "left",
            no_wrap=not wraps,
            ratio=1 if wraps else None,
            min_width=12 if wraps else None,
            overflow="fold" if wraps else "ellipsis",
        )
    for row in table.rows:
        shown.add_row(*(_text(cell) for cell in row))
    return shown

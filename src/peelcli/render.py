"""Reporters: one report shape, printed as a Rich table, Markdown or plain text.

Commands build a :class:`Report` (a title, a few labelled facts, tabular sections) from the
core's results; this module is the only place that knows how each format looks. JSON is not
here: each command's JSON is a documented contract built next to its report.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NamedTuple


class Section(NamedTuple):
    title: str
    columns: list[str]
    rows: list[list[str]]
    empty: str = "None."
    numeric: frozenset[str] = frozenset()
    wrap: frozenset[str] = frozenset()
    """Columns of running text that take the spare width and wrap; the others never wrap."""


class Report(NamedTuple):
    title: str
    facts: list[tuple[str, str]] = []  # noqa: RUF012 - never mutated: reports are built whole
    sections: list[Section] = []  # noqa: RUF012
    notes: list[str] = []  # noqa: RUF012


def print_table(report: Report) -> None:
    """Rich output for a terminal; Rich itself honours NO_COLOR and non-terminal output."""
    from rich.console import Console

    console = Console(highlight=False)
    with console.capture() as captured:
        _print_report(console, report)
    text = captured.get()
    if not console.is_terminal:
        # Rich pads every line to the full width; a file or a pipe is better without.
        text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
    sys.stdout.write(text)


def _print_report(console, report: Report) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console.print(Text(report.title, style="bold"))
    if report.facts:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for label, value in report.facts:
            grid.add_row(label, Text(value))
        console.print(grid)
    for section in report.sections:
        console.print()
        if not section.rows:
            console.print(Text(section.title, style="bold"))
            console.print(Text(section.empty, style="dim"))
            continue
        table = Table(
            title=section.title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
        )
        for column in section.columns:
            wraps = column in section.wrap
            table.add_column(
                column,
                justify="right" if column in section.numeric else "left",
                no_wrap=not wraps,
                ratio=1 if wraps else None,
                min_width=12 if wraps else None,
                overflow="fold" if wraps else "ellipsis",
            )
        for row in section.rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
    for note in report.notes:
        console.print(Text(note, style="dim"))


def markdown(report: Report) -> str:
    lines = [f"# {md_escape(report.title)}", ""]
    for label, value in report.facts:
        lines.append(f"- **{md_escape(label)}:** {md_escape(value)}")
    if report.facts:
        lines.append("")
    for section in report.sections:
        lines += [f"## {md_escape(section.title)}", ""]
        if not section.rows:
            lines += [f"_{md_escape(section.empty)}_", ""]
            continue
        lines.append("| " + " | ".join(md_escape(c) for c in section.columns) + " |")
        lines.append("|" + "|".join("---:" if c in section.numeric else "---" for c in section.columns) + "|")
        for row in section.rows:
            lines.append("| " + " | ".join(md_escape(cell) for cell in row) + " |")
        lines.append("")
    for note in report.notes:
        lines += [f"> {md_escape(note)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def plural(n: int, noun: str) -> str:
    """``1 file``, ``2 files``: counts as every peel report writes them."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def days_span(least: int, most: int) -> str:
    """A number of days, or the range when a date is known only to a month or a year."""
    least = max(least, 0)
    return plural(least, "day") if least == most else f"{least:,} to {most:,} days"


def md_escape(text: str) -> str:
    """Text safe inside Markdown tables and lines: pipes escaped, newlines folded, HTML inert."""
    return (
        " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    )


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def print_text(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")

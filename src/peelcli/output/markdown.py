"""The one Markdown writer: a :class:`~peelcli.output.document.Document` as GitHub-flavoured
Markdown. Every text from the ledger goes through :func:`md_escape` here and nowhere else."""

from __future__ import annotations

import re

from .document import Cell, Document, Link, Part, Table, Tag
from .html import safe_href


def md_escape(text: str) -> str:
    """Text safe inside Markdown tables and lines: pipes escaped, newlines folded, HTML inert."""
    return (
        " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    )


def markdown(document: Document) -> str:
    """GitHub-flavoured Markdown, escaped the way every peel Markdown report is. Sources are
    reference links defined once at the end, so tables stay readable as plain text."""
    return _Markdown().document(document)


_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class _Markdown:
    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # url -> reference label

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

    def facts(self, facts: list[tuple[str, Cell]]) -> list[str]:
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
            return ", ".join(self.cell(link) for link in cell)
        if isinstance(cell, Link):
            if not safe_href(cell.url):
                return md_escape(cell.text)
            if cell.text == cell.url:
                return _md_url(cell.url)  # a bare address: GitHub links it, and it prints
            text = md_escape(cell.text).replace("[", "\\[").replace("]", "\\]")
            label = self.label(cell.url, cell.text)
            return f"[{text}][]" if label == cell.text else f"[{text}][{label}]"
        if isinstance(cell, Tag):
            return md_escape(cell.text)
        return md_escape(cell)

    def label(self, url: str, text: str) -> str:
        if url not in self.labels:
            taken = {label.lower() for label in self.labels.values()}
            wanted = text if _LABEL.fullmatch(text) and text.lower() not in taken else None
            self.labels[url] = wanted or f"link-{len(self.labels) + 1}"
        return self.labels[url]


def _md_url(url: str) -> str:
    for raw, encoded in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ("|", "%7C")):
        url = url.replace(raw, encoded)
    return url

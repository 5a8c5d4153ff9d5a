"""The one HTML writer: a :class:`~peelcli.output.document.Document` as one self-contained page.

One file with inline CSS and nothing else: no scripts, no fonts, no images, so it opens offline,
prints cleanly and cannot be made to fetch anything. Every text from the ledger is escaped here
(:func:`esc`) and every address checked (:func:`safe_href`) here, and nowhere else.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from .document import Cell, Document, Link, Part, Table, Tag

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a;
  background: #fff; max-width: 1120px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.5em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #1d3557; padding-bottom: 0.2em; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
h4 { font-size: 1em; margin-top: 1.2em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0.5em 0 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #c8ccd2; padding: 0.3em 0.45em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td.nw, a.cite { white-space: nowrap; }
a.url { overflow-wrap: anywhere; }
th { background: #eef1f5; }
.num { text-align: right; white-space: nowrap; }
blockquote { margin: 0.5em 0; padding: 0.3em 0.8em; border-left: 4px solid #9aa5b1; background: #f6f7f9; }
.empty { font-style: italic; color: #555; }
.note { color: #444; font-size: 0.9em; }
.tag { display: inline-block; padding: 0 0.45em; border-radius: 3px; font-weight: 600; }
.phase-engage { background: #fde2cf; color: #7a2e00; }
.phase-scan { background: #dcefe0; color: #1e5b2e; }
.verdict-justified { background: #dcefe0; color: #1e5b2e; }
.verdict-arguable { background: #fff1c2; color: #6b4e00; }
.verdict-not-justified { background: #f9d6d5; color: #8a1c17; }
.none { color: #666; }
a { color: #0b4f9c; }
nav { margin-bottom: 1em; font-size: 0.9em; }
footer { margin-top: 2.5em; padding-top: 0.5em; border-top: 1px solid #c8ccd2; color: #555; font-size: 0.85em; }
figure { margin: 0.5em 0 1em; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #444; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  tr, blockquote, dl.facts, figure { break-inside: avoid; }
  th, .tag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""Defence in depth: even an escaping slip could not load or run anything."""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def safe_href(url: str | None) -> bool:
    """Web addresses and relative links only: never ``javascript:`` and friends, never ``//host``."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    return not url.startswith(("//", "\\"))


def html_page(document: Document, *, home: str | None = None, css: str = "") -> str:
    """One self-contained HTML file; ``home`` is a relative link back to a site's index."""
    body = []
    if home is not None:
        body.append(f'<nav><a href="{esc(home)}">All forces</a></nav>')
    body.append(f"<header><h1>{esc(document.title)}</h1>")
    body += _html_facts(document.facts)
    body.append("</header>")
    body.append("<main>")
    for part in document.parts:
        body += _html_part(part, 2)
    body += [f'<p class="note">{esc(note)}</p>' for note in document.notes]
    body.append("</main>")
    if document.footer:
        body.append(f"<footer>{esc(document.footer)}</footer>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(document.title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_facts(facts: list[tuple[str, Cell]]) -> list[str]:
    if not facts:
        return []
    items = "".join(f"<dt>{esc(label)}</dt><dd>{_html_cell(value)}</dd>" for label, value in facts)
    return [f'<dl class="facts">{items}</dl>']


def _html_part(part: Part, level: int) -> list[str]:
    h = f"h{min(level, 6)}"
    anchor = f' id="{esc(part.anchor)}"' if part.anchor else ""
    out = [f"<section{anchor}>", f"<{h}>{esc(part.title)}</{h}>"]
    out += _html_facts(part.facts)
    if part.quote:
        out.append(f"<blockquote>{esc(part.quote)}</blockquote>")
    out += [f"<p>{esc(paragraph)}</p>" for paragraph in part.paragraphs]
    if part.figure:
        out.append(part.figure)
    if part.table is not None:
        out += _html_table(part.table)
    out += [f'<p class="note">{esc(note)}</p>' for note in part.notes]
    for sub in part.parts:
        out += _html_part(sub, level + 1)
    out.append("</section>")
    return out


def _html_table(table: Table) -> list[str]:
    if not table.rows:
        return [f'<p class="empty">{esc(table.empty)}</p>']
    kinds = ["num" if c in table.numeric else "" if c in table.wrap else "nw" for c in table.columns]
    head = "".join(
        f'<th scope="col"{" class=num" if kind == "num" else ""}>{esc(column)}</th>'
        for column, kind in zip(table.columns, kinds, strict=True)
    )
    rows = [
        "<tr>"
        + "".join(
            f"<td{f' class={kind}' if kind else ''}>{_html_cell(cell)}</td>"
            for cell, kind in zip(row, kinds, strict=True)
        )
        + "</tr>"
        for row in table.rows
    ]
    return [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>", *rows, "</tbody>\n</table>"]


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        return ", ".join(_html_link(link, "cite") for link in cell)
    if isinstance(cell, Link):
        return _html_link(cell, "url" if cell.text == cell.url else "")
    if isinstance(cell, Tag):
        return f'<span class="tag {esc(cell.kind)}">{esc(cell.text)}</span>'
    return esc(cell)


def _html_link(link: Link, kind: str) -> str:
    if not safe_href(link.url):
        return esc(link.text)
    css = f' class="{kind}"' if kind else ""
    return f'<a{css} href="{esc(link.url)}">{esc(link.text)}</a>'

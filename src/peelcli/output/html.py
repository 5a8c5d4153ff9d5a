"""The one HTML writer: a :class:`~peelcli.output.document.Document` as one self-contained page.

One file with inline CSS and nothing else: no scripts, no fonts, no images, so it opens offline,
prints cleanly and cannot be made to fetch anything. Every text from the ledger is escaped here
(:func:`esc`) and every address checked (:func:`safe_href`) here, and nowhere else.

How meanings look is decided once, in :data:`CSS`. Colour says where a force stands, never
whether peel approves: Engage is amber, Scan a quiet slate, and anything the record leaves
uncertain is dashed and italic (hatched in a timeline). Verdicts are words in a neutral box.
On a narrow screen tables turn into one card per row, and timelines put each label above its
bar, so no page is wider than the phone showing it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date
from urllib.parse import quote, urlsplit

from .controls import UNSAFE, visible_lines
from .document import Cell, Chart, Document, Link, Part, Table, Tag

NARROW = "720px"

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a;
  background: #fff; max-width: 1120px; margin: 0 auto; padding: 24px; overflow-wrap: break-word; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.5em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #1d3557; padding-bottom: 0.2em; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
h4 { font-size: 1em; margin-top: 1.2em; }
dl.facts { display: grid; grid-template-columns: minmax(8em, max-content) 1fr; gap: 0.2em 1em; margin: 0.5em 0 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; }
.scroll { overflow-x: auto; margin: 0.5em 0 1em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #c8ccd2; padding: 0.3em 0.45em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td.nw { white-space: nowrap; }
a.url { overflow-wrap: anywhere; }
th { background: #eef1f5; }
.num { text-align: right; white-space: nowrap; }
.num.wrap { white-space: normal; }
blockquote { margin: 0.5em 0; padding: 0.3em 0.8em; border-left: 4px solid #9aa5b1; background: #f6f7f9; }
.empty { font-style: italic; color: #555; }
.note { color: #444; font-size: 0.9em; }
.tag { display: inline-block; padding: 0 0.45em; border-radius: 3px; font-weight: 600; border: 1px solid transparent; }
.phase-engage { background: #fde2cf; color: #7a2e00; border-color: #f0b48a; }
.phase-scan { background: #e8edf3; color: #1d3557; border-color: #c5cfdc; }
.verdict { background: #fff; color: #1a1a1a; border-color: #5b6472; font-weight: 600; }
.uncertain { font-style: italic; border: 1px dashed #6b5a1e; background: #fffbea; color: #4a3d00; }
.overridden { background: #fff; color: #1a1a1a; border: 1px solid #1a1a1a; }
.problem { background: #f3f4f6; color: #1a1a1a; border: 1px solid #1a1a1a; }
.none { color: #666; }
a { color: #0b4f9c; }
nav { margin-bottom: 1em; font-size: 0.9em; }
footer { margin-top: 2.5em; padding-top: 0.5em; border-top: 1px solid #c8ccd2; color: #555; font-size: 0.85em; }
details > summary { cursor: pointer; }
details > summary > h2 { display: inline; border: none; }
details > summary { border-bottom: 2px solid #1d3557; padding-bottom: 0.2em; margin-top: 1.8em; }
figure.chart { margin: 0.5em 0 1em; }
.chart-row { display: grid; grid-template-columns: 15em 1fr; gap: 0 0.6em; align-items: center; padding: 0.15em 0; }
.chart-row:nth-child(even) { background: #f5f6f8; }
.chart-label { font-size: 0.9em; text-align: right; min-width: 0; }
.chart-track { position: relative; height: 14px; border-bottom: 1px solid #e3e6ea;
  background-image: linear-gradient(to right, #d0d4da 1px, transparent 1px);
  background-size: calc(100% / var(--years)) 100%; }
.chart-axis .chart-track { height: 1.5em; border: none; background: none; }
.chart-year { position: absolute; top: 0; text-align: center; font-size: 0.8em; color: #444; }
.bar { position: absolute; top: 0; bottom: 0; min-width: 2px; }
.bar.engage { background: #c2410c; }
.bar.engage.uncertain { background: repeating-linear-gradient(45deg, #c2410c 0 2px, #fbd5bd 2px 6px); }
.bar.cause { background: #475569; top: 3px; bottom: 3px; }
.bar.cause.uncertain { background: repeating-linear-gradient(45deg, #475569 0 2px, #cbd5e1 2px 6px); }
.bar.after-record { background: repeating-linear-gradient(90deg, #9aa5b1 0 1px, transparent 1px 4px);
  top: 5px; bottom: 5px; }
.bar.engage-tail { background: linear-gradient(to right, #c2410c, rgba(194, 65, 12, 0.08));
  border: 1px dashed #7a2e00; border-left: none; }
.bar.cause-tail { background: linear-gradient(to right, #475569, rgba(71, 85, 105, 0.08)); top: 3px; bottom: 3px;
  border: 1px dashed #1e293b; border-left: none; }
.chart-note { display: block; font-size: 0.86em; font-style: italic; color: #4a3d00; }
.chart-mark { position: absolute; top: -3px; bottom: -3px; border-left: 2px dashed #1d3557; }
.chart figcaption { font-size: 0.85em; color: #333; margin-top: 0.5em; }
.key { display: inline-block; margin-right: 1.2em; white-space: nowrap; }
.key .bar, .key .chart-mark { position: relative; display: inline-block; width: 24px; height: 12px; margin-right: 0.4em;
  vertical-align: -1px; }
.key .chart-mark { width: 0; }
@page { size: A4; margin: 15mm; }
@media (max-width: 720px) {
  body { padding: 12px; }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: 0.4em; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: auto; }
  table.cards thead { display: none; }
  table.cards tr { border: 1px solid #c8ccd2; margin: 0 0 0.6em; padding: 0.3em 0.6em; }
  table.cards td { border: none; padding: 0.1em 0; white-space: normal; text-align: left; overflow-wrap: anywhere; }
  table.cards td:empty { display: none; }
  table.cards td::before { content: attr(data-label) ": "; font-weight: 600; }
  .chart-row { grid-template-columns: 1fr; }
  .chart-label { text-align: left; }
  .chart-axis .chart-label { display: none; }
  .chart-year.alt { visibility: hidden; }
  .key { white-space: normal; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  tr, blockquote, dl.facts, figure { break-inside: avoid; }
  .scroll { overflow: visible; }
  th, .tag, .bar, .chart-row { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""Defence in depth: even an escaping slip could not load or run anything."""
_POLICY_LINE = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'.encode()


def esc(text: object) -> str:
    """Text for an element's content or a double-quoted attribute: ``& < > " '`` as references,
    and every control or bidirectional character but a tab or a line break (both spaces to HTML)
    shown as ``<U+XXXX>`` (:func:`~.controls.visible_lines`): HTML forbids most controls, and a
    bidirectional one would reorder what the page shows."""
    return html.escape(visible_lines(str(text)), quote=True)


def href(url: str) -> str:
    """An address for a double-quoted ``href``: controls and bidirectional controls
    percent-encoded as their UTF-8 bytes, then escaped."""
    return esc("".join(quote(ch, safe="", errors="surrogatepass") if UNSAFE.match(ch) else ch for ch in url))


def safe_href(url: str | None) -> bool:
    """Web addresses and relative links only: never ``javascript:`` and friends, never a link to
    another host without a scheme (``//host``, ``\\host``, `` /\\host``: a browser reads all
    three as ``//host`` once it has dropped spaces, tabs and newlines and turned ``\\`` into ``/``)."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    cleaned = "".join(ch for ch in url if ch not in "\t\n\r").strip(_C0_AND_SPACE).replace("\\", "/")
    return not parts.netloc and not cleaned.startswith("//")


_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def page_peel_wrote(head: bytes) -> bool:
    """Whether a file's first bytes are a page :func:`html_page` wrote (its security policy, as
    written, is peel's own)."""
    return head.startswith(b"<!DOCTYPE html>\n") and _POLICY_LINE in head[:1024]


def html_page(document: Document, *, home: str | None = None, css: str = "") -> str:
    """One self-contained HTML file; ``home`` is a relative link back to a site's index."""
    return "".join(html_pieces(document, home=home, css=css))


def html_pieces(document: Document, *, home: str | None = None, css: str = "") -> Iterator[str]:
    """:func:`html_page` in pieces, each made as it is asked for: a page of 10,000 rows whose
    table makes its rows as they are read (:class:`~peelcli.output.document.MadeRows`) is written
    without being held whole."""
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"{_POLICY_LINE.decode()}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(document.title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n"
    )
    for n, line in enumerate(_html_body(document, home)):
        yield line if n == 0 else "\n" + line
    yield "\n</body>\n</html>\n"


def _html_body(document: Document, home: str | None) -> Iterator[str]:
    if home is not None:
        yield f'<nav><a href="{esc(home)}">All forces</a></nav>'
    yield f"<header><h1>{esc(document.title)}</h1>"
    yield from _html_facts(document.facts)
    yield "</header>"
    yield "<main>"
    for part in document.parts:
        yield from _html_part(part, 2)
    for note in document.notes:
        yield f'<p class="note">{esc(note)}</p>'
    yield "</main>"
    if document.footer:
        yield f"<footer>{esc(document.footer)}</footer>"


def _html_facts(facts) -> list[str]:
    if not facts:
        return []
    items = "".join(f"<dt>{esc(label)}</dt><dd>{_html_cell(value)}</dd>" for label, value in facts)
    return [f'<dl class="facts">{items}</dl>']


def _html_part(part: Part, level: int) -> Iterator[str]:
    h = f"h{min(level, 6)}"
    anchor = f' id="{esc(part.anchor)}"' if part.anchor else ""
    heading = f"<{h}>{esc(part.title)}</{h}>"
    yield f"<section{anchor}>"
    if part.collapsed:
        yield "<details>"
        yield f"<summary>{heading}</summary>"
    else:
        yield heading
    yield from _html_facts(part.facts)
    if part.quote:
        yield f"<blockquote>{esc(part.quote)}</blockquote>"
    for paragraph in part.paragraphs:
        yield f"<p>{esc(paragraph)}</p>"
    if part.figure is not None:
        yield from _html_chart(part.figure)
    if part.table is not None:
        yield from _html_table(part.table)
    for note in part.notes:
        yield f'<p class="note">{esc(note)}</p>'
    for sub in part.parts:
        yield from _html_part(sub, level + 1)
    if part.collapsed:
        yield "</details>"
    yield "</section>"


def _html_table(table: Table) -> Iterator[str]:
    """A table that scrolls inside its own box when wide, and becomes cards on a narrow screen;
    its rows made and written one at a time."""
    if not table.rows:
        yield f'<p class="empty">{esc(table.empty)}</p>'
        return
    kinds = [_column_class(c, table) for c in table.columns]
    head = "".join(f'<th scope="col"{" class=num" if c in table.numeric else ""}>{esc(c)}</th>' for c in table.columns)
    labels = [f' data-label="{esc(column)}"' for column in table.columns]
    yield '<div class="scroll"><table class="cards">'
    yield f"<thead><tr>{head}</tr></thead>\n<tbody>"
    for row in table.rows:
        yield (
            "<tr>"
            + "".join(
                f"<td{f' class={kind}' if kind else ''}{label}>{_html_cell(cell)}</td>"
                if cell != ""
                else f"<td{label}></td>"
                for cell, kind, label in zip(row, kinds, labels, strict=True)
            )
            + "</tr>"
        )
    yield "</tbody>\n</table></div>"


def _column_class(column: str, table: Table) -> str:
    """A figure is right-aligned and kept on one line, unless it may be words (``wrap`` too: "at
    least 324 days, to 2025-08-08 ..."); running text wraps; anything else stays on one line."""
    if column in table.numeric:
        return '"num wrap"' if column in table.wrap else "num"
    return "" if column in table.wrap else "nw"


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        return "; ".join(_html_cell(item) for item in cell)
    if isinstance(cell, Link):
        return _html_link(cell, "url" if cell.text == cell.url else "")
    if isinstance(cell, Tag):
        return f'<span class="tag {esc(cell.kind)}">{esc(cell.text)}</span>'
    return esc(cell)


def _html_link(link: Link, kind: str) -> str:
    if not safe_href(link.url):
        return esc(link.text)
    css = f' class="{kind}"' if kind else ""
    return f'<a{css} href="{href(link.url)}">{esc(link.text)}</a>'


# -- timelines ---------------------------------------------------------------------------------


def _html_chart(chart: Chart) -> Iterator[str]:
    """Bars placed in percent of the track, so the chart is as wide as its box and its text
    stays the size of the page's text; on a narrow screen each label sits above its bar."""
    first, last = chart.start, chart.end
    span = max((last - first).days, 1)

    def at(day: date) -> float:
        return min(max((day - first).days / span, 0.0), 1.0) * 100

    def place(left: float, width: float) -> str:
        return f"left:{left:.2f}%;width:{width:.2f}%"

    years = list(range(first.year, last.year))
    alternate = len(years) > 6
    axis = "".join(
        f'<span class="chart-year{" alt" if alternate and (year - first.year) % 2 else ""}" '
        f'style="{place(at(date(year, 1, 1)), at(date(year + 1, 1, 1)) - at(date(year, 1, 1)))}">{year}</span>'
        for year in years
    )
    mark = f'<span class="chart-mark" style="left:{at(chart.mark[0]):.2f}%"></span>' if chart.mark else ""
    yield f'<figure class="chart" style="--years:{max(len(years), 1)}" aria-label="{esc(chart.title)}">'
    yield (
        f'<div class="chart-row chart-axis"><div class="chart-label"></div><div class="chart-track">{axis}</div></div>'
    )
    for row in chart.rows:
        bars = "".join(
            f'<span class="{_bar_class(bar.kind, bar.uncertain)}" '
            f'style="{place(at(bar.start), at(bar.end) - at(bar.start))}" '
            f'role="img" aria-label="{esc(bar.label)}" title="{esc(bar.label)}"></span>'
            for bar in row.bars
            if bar.end > bar.start
        )
        note = f'<span class="chart-note">{esc(row.note)}</span>' if row.note else ""
        yield (
            f'<div class="chart-row"><div class="chart-label">{_html_cell(row.label)}{note}</div>'
            f'<div class="chart-track">{bars}{mark}</div></div>'
        )
    keys = [
        f'<span class="key"><span class="{_bar_class(kind, uncertain)}"></span>{esc(words)}</span>'
        for kind, uncertain, words in chart.legend
    ]
    if chart.mark:
        keys.append(f'<span class="key"><span class="chart-mark"></span>{esc(chart.mark[1])}</span>')
    yield f"<figcaption>{' '.join(keys)}</figcaption>"
    yield "</figure>"


def _bar_class(kind: str, uncertain: bool) -> str:
    return f"bar {esc(kind)}" + (" uncertain" if uncertain else "")

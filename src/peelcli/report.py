"""``peel report``: one force's record as a self-contained document for a board paper.

A police and crime commissioner's office attaches it as it is, so it must stand alone: the
phase and who decided it, how the phase changed, every cause of concern with its
recommendations and the documents behind them, what is overdue, the metrics over time, and
``peel assess``'s verdict with its reasons. The content is built once, as a
:class:`Document`, from the same pure core as ``peel status`` and ``peel assess``; Markdown
and HTML are two renderings of it, so they never say different things.

HTML is one file with inline CSS and nothing else: no scripts, no fonts, no images, so it
opens offline, prints cleanly and cannot be made to fetch anything. Every text from the ledger
is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .render import days_span, md_escape, plural
from .schema.records import ForceFile, Metric, Policy, Source

# -- the document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """Text that links to ``url`` where there is one (a meeting may have no address)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Tag:
    """Text with a style hook in HTML (a phase, a verdict); plain text in Markdown."""

    text: str
    kind: str


Cell = str | Link | Tag | tuple[Link, ...]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    empty: str = "None."
    numeric: frozenset[str] = frozenset()
    wrap: frozenset[str] = frozenset()
    """Columns of running text, which wrap in HTML; dates, ids and figures never do."""


@dataclass
class Part:
    """A titled section: facts, a quotation, paragraphs, a table, subsections, notes."""

    title: str
    anchor: str = ""
    facts: list[tuple[str, Cell]] = field(default_factory=list)
    quote: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    figure: str | None = None
    """Markup peel itself drew (the site's SVG timeline): HTML only, inserted as it is."""
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Document:
    title: str
    facts: list[tuple[str, Cell]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    footer: str = ""


# -- building the report -----------------------------------------------------------------------


class _Citations:
    """Source ids turned into links, remembering which were cited for the list of sources."""

    def __init__(self, force: ForceFile) -> None:
        self.sources = {s.id: s for s in force.sources}
        self.order = [s.id for s in force.sources]
        self.cited: set[str] = set()

    def __call__(self, ids: Iterable[str]) -> tuple[Link, ...]:
        links = []
        for source_id in dict.fromkeys(ids):
            self.cited.add(source_id)
            source = self.sources.get(source_id)
            if source is not None:
                self.cited.update(source.recorded_in)
            links.append(Link(source_id, source.url if source else None))
        return tuple(links)

    def listed(self) -> list[Source]:
        return [self.sources[i] for i in self.order if i in self.cited]


def board_report(force: ForceFile, as_of: date, policy: Policy, others: tuple[ForceFile, ...] = ()) -> Document:
    """The whole report on ``force`` as the ledger stood on ``as_of``."""
    from .assess import assess
    from .timeline import standing

    found = standing(force, as_of)
    judged = assess(force, as_of, policy, others)
    cite = _Citations(force)
    parts = [
        _phase_timeline(found, cite),
        _causes(found, cite),
        _overdue(found),
        _areas(found, cite),
        _metrics(force, as_of, cite),
        _assessment(judged),
        _chronology(found, cite),
    ]
    parts.append(_sources(cite))
    notes = [f"Not on record: {u.about}: {u.note}" for u in force.uncertainties]
    if any(r.due and r.due.basis == "derived" for c in found.causes for r in c.recommendations):
        notes.append("Due dates marked ~ are derived from the deadline wording, counted from the cause's publication.")
    return Document(
        f"{force.name}: HMICFRS monitoring",
        _header(found, judged),
        parts,
        notes,
        f"Produced by peel from the ledger as it stood on {as_of.isoformat()}: anything dated later is left out. "
        "Every fact cites the published document it came from.",
    )


def _header(found, judged) -> list[tuple[str, Cell]]:
    from .status import days_label

    force, since = found.force, found.since
    phase = found.phase.capitalize()
    if since is None:
        facts: list[tuple[str, Cell]] = [
            ("Force", f"{force.name} ({force.slug})"),
            ("Phase", Tag(f"{phase} (the default: no phase change on record)", f"phase-{found.phase}")),
        ]
    else:
        facts = [
            ("Force", f"{force.name} ({force.slug})"),
            ("Phase", Tag(f"{phase} since {since.decided_on} ({days_label(found)})", f"phase-{found.phase}")),
        ]
        decided = since.decided_by or "not recorded"
        if since.published_on and since.published_on != since.decided_on:
            decided += f"; announced {since.published_on}"
        facts.append(("Decided by", decided))
    facts.append(("As of", found.as_of.isoformat()))
    for label, holder in (("Chief officer", found.chief_officer), ("Policing body", found.policing_body)):
        if holder is not None:
            known = f"from {holder.from_}" if holder.from_ else f"named in post on {holder.noted_on}"
            facts.append((label, f"{holder.name}, {holder.role} ({known})"))
    facts.append(
        (
            "Open",
            f"{len(found.open_causes)} of {len(found.causes)} causes of concern; "
            f"{plural(len(found.open_recommendations), 'recommendation')} "
            f"({len(found.overdue_recommendations)} overdue)",
        )
    )
    question = "Return to Scan" if judged.proposed_phase == "scan" else "Move into Engage"
    facts.append(("Assessment", Tag(f"{question}: {judged.verdict}", f"verdict-{judged.verdict}")))
    return facts


def _phase_timeline(found, cite: _Citations) -> Part:
    from .timeline import phase_changes_by

    changes = phase_changes_by(found.force, found.as_of)
    rows: list[list[Cell]] = []
    for i, change in enumerate(changes):
        following = changes[i + 1] if i + 1 < len(changes) else None
        end_least = following.decided_on.earliest if following else found.as_of
        end_most = following.decided_on.latest if following else found.as_of
        rows.append(
            [
                Tag(change.phase.capitalize(), f"phase-{change.phase}"),
                str(change.decided_on),
                str(following.decided_on) if following else "current",
                days_span((end_least - change.decided_on.latest).days, (end_most - change.decided_on.earliest).days),
                change.decided_by or "not recorded",
                cite(change.sources),
            ]
        )
    return Part(
        "Phase timeline",
        "phases",
        paragraphs=["Every force is in Scan, the default phase, until a move into Engage is recorded."],
        table=Table(
            ["Phase", "From", "To", "Length", "Decided by", "Sources"],
            rows,
            empty="No phase change on record: in Scan throughout.",
            numeric=frozenset({"Length"}),
            wrap=frozenset({"Decided by", "Sources"}),
        ),
    )


def _causes(found, cite: _Citations) -> Part:
    from .status import _due_label, recommendations_label

    parts = []
    for cause in found.causes:
        c = cause.cause
        label = "Area of concern" if c.kind == "area-of-concern" else "Cause of concern"
        facts: list[tuple[str, Cell]] = [
            ("Status", f"closed {cause.closed_on}" if cause.closed_on else "open"),
            ("Raised", str(c.raised_on) + (" (accelerated)" if c.accelerated else "")),
        ]
        if c.published_on is not None:
            facts.append(("Published", str(c.published_on)))
        facts.append(("Recommendations closed", recommendations_label(cause)))
        if cause.closed_on and c.closure is not None:
            facts.append(("Closure evidence", c.closure.evidence))
            if c.closure.reason:
                facts.append(("Closed with recommendations open because", c.closure.reason))
            facts.append(("Closure sources", cite(c.closure.sources)))
        facts.append(("Sources", cite(c.sources)))
        rows: list[list[Cell]] = []
        for rec in cause.recommendations:
            r = rec.recommendation
            closure = r.closure if rec.closed_on else None
            status = "closed" if rec.closed_on else f"overdue {rec.days_overdue:,} days" if rec.days_overdue else "open"
            rows.append(
                [
                    r.id,
                    r.text,
                    r.deadline or "",
                    _due_label(rec),
                    status,
                    str(rec.closed_on) if rec.closed_on else "",
                    closure.evidence if closure else "",
                    cite([*r.sources, *(closure.sources if closure else [])]),
                ]
            )
        missing = c.recommendations_not_on_record
        notes = []
        if missing is not None:
            how_many = f" ({plural(missing.count, 'recommendation')})" if missing.count is not None else ""
            notes.append(f"Recommendation texts not on record{how_many}: {missing.note}")
        parts.append(
            Part(
                f"{label} {c.id}: {c.title}",
                f"cause-{c.id}",
                facts=facts,
                quote=c.text,
                table=Table(
                    ["ID", "Recommendation", "Deadline", "Due", "Status", "Closed", "Evidence", "Sources"],
                    rows,
                    empty="No recommendation texts on record.",
                    wrap=frozenset({"Recommendation", "Deadline", "Evidence", "Sources"}),
                )
                if rows or missing is None
                else None,
                notes=notes,
            )
        )
    return Part(
        "Causes of concern",
        "causes",
        paragraphs=[] if parts else ["No cause of concern on record."],
        parts=parts,
    )


def _overdue(found) -> Part:
    from .status import _due_label

    rows: list[list[Cell]] = [
        [
            r.recommendation.id,
            r.cause.id,
            r.recommendation.text,
            r.recommendation.deadline or "",
            _due_label(r),
            f"{r.days_overdue:,} days",
        ]
        for r in found.overdue_recommendations
    ]
    return Part(
        "Overdue recommendations",
        "overdue",
        table=Table(
            ["ID", "Cause", "Recommendation", "Deadline", "Due", "Overdue"],
            rows,
            empty="No open recommendation is past its due date.",
            numeric=frozenset({"Overdue"}),
            wrap=frozenset({"Recommendation", "Deadline"}),
        ),
    )


def _areas(found, cite: _Citations) -> Part:
    rows: list[list[Cell]] = []
    for standing in found.areas:
        area = standing.area
        closure = area.closure if standing.closed_on else None
        rows.append(
            [
                area.id,
                area.text,
                str(area.raised_on),
                f"closed {standing.closed_on}" if closure else "open",
                closure.evidence if closure else "",
                cite([*area.sources, *(closure.sources if closure else [])]),
            ]
        )
    return Part(
        "Areas for improvement",
        "areas",
        table=Table(
            ["ID", "Area for improvement", "Raised", "Status", "Evidence", "Sources"],
            rows,
            empty="None on record.",
            wrap=frozenset({"Area for improvement", "Evidence", "Sources"}),
        ),
    )


def _metrics(force: ForceFile, as_of: date, cite: _Citations) -> Part:
    """A table by period end, one column per measure; a figure counts once it could be known."""
    known = [m for m in force.metrics if _known_by(m, cite.sources, as_of)]
    columns: list[tuple[str, str]] = []
    for metric in known:
        if (metric.name, metric.unit) not in columns:
            columns.append((metric.name, metric.unit))
    periods = sorted({m.period_end for m in known}, key=lambda d: d.sort_key())
    rows: list[list[Cell]] = []
    for period in periods:
        here = [m for m in known if m.period_end == period]
        cells: list[Cell] = [str(period)]
        for name, unit in columns:
            values = [format(m.value, "f") for m in here if (m.name, m.unit) == (name, unit)]
            cells.append(", ".join(values))
        sources = dict.fromkeys(s for m in here for s in m.sources)
        cells.append(cite(sources))
        rows.append(cells)
    notes = list(dict.fromkeys(f"{m.name}: {m.notes}" for m in known if m.notes))
    headers = [f"{name} ({unit})" for name, unit in columns]
    return Part(
        "Metrics over time",
        "metrics",
        table=Table(
            ["Period end", *headers, "Sources"],
            rows,
            empty="No metric on record that was published by this date.",
            numeric=frozenset(headers),
            wrap=frozenset({"Sources"}),
        ),
        notes=notes,
    )


def _known_by(metric: Metric, sources: dict[str, Source], as_of: date) -> bool:
    """The period has surely ended and, where its sources are dated, one was out by then."""
    if not metric.period_end.surely_by(as_of):
        return False
    dates = [
        day
        for source_id in metric.sources
        if (source := sources.get(source_id)) is not None
        for day in (source.published_on or source.sent_on or source.held_on,)
        if day is not None
    ]
    return not dates or any(day.surely_by(as_of) for day in dates)


def _assessment(judged) -> Part:
    from .assess import assessment_report

    shown = assessment_report(judged)
    facts: list[tuple[str, Cell]] = [
        (label, Tag(value, f"verdict-{value}") if label == "Verdict" else value)
        for label, value in shown.facts
        if label != "As of"
    ]
    return Part(
        "Assessment: " + ("return to Scan?" if judged.proposed_phase == "scan" else "move into Engage?"),
        "assessment",
        facts=facts,
        paragraphs=["peel assess's reading of the record against the policy; the decision is HMICFRS's."],
        parts=[
            Part(
                section.title,
                f"assessment-{i}",
                table=Table(section.columns, section.rows, section.empty, section.numeric, section.wrap),
            )
            for i, section in enumerate(shown.sections, 1)
        ],
    )


def _chronology(found, cite: _Citations) -> Part:
    rows: list[list[Cell]] = [[str(e.on), e.summary, cite(e.sources)] for e in found.events]
    parts = []
    if found.pending:
        parts.append(
            Part(
                "Dated only to a month or year: may or may not have happened by then",
                "pending",
                table=Table(
                    ["Date", "Event", "Sources"],
                    [[str(e.on), e.summary, cite(e.sources)] for e in found.pending],
                    wrap=frozenset({"Event", "Sources"}),
                ),
            )
        )
    return Part(
        "Chronology",
        "chronology",
        table=Table(
            ["Date", "Event", "Sources"], rows, empty="No dated event on record.", wrap=frozenset({"Event", "Sources"})
        ),
        parts=parts,
    )


def _sources(cite: _Citations) -> Part:
    rows: list[list[Cell]] = []
    for source in cite.listed():
        day = source.published_on or source.sent_on or source.held_on
        if source.url:
            address: Cell = Link(source.url, source.url)
        elif source.recorded_in:
            address = "recorded in " + ", ".join(source.recorded_in)
        else:
            address = ""
        rows.append([source.id, source.kind, str(day) if day else "", source.title, address])
    return Part(
        "Sources",
        "sources",
        table=Table(
            ["ID", "Kind", "Date", "Title", "Address"],
            rows,
            empty="No source cited.",
            wrap=frozenset({"Title", "Address"}),
        ),
    )


# -- Markdown ----------------------------------------------------------------------------------


def markdown_text(document: Document) -> str:
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


# -- HTML --------------------------------------------------------------------------------------

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


# -- writing -----------------------------------------------------------------------------------


def write_atomic(path: Path, text: str) -> None:
    """Write a report or page as UTF-8, atomically (see :func:`peelcli.ledger.replacing`)."""
    from .ledger import write_file

    write_file(path, text.encode("utf-8"))

"""``peel site``: the whole ledger as a static web site that works from a folder, offline.

No server, no scripts, no fonts or images from elsewhere: ``index.html`` lists all 43 forces
and draws the national timeline as inline SVG, and ``forces/<slug>.html`` holds each force's
``peel report`` in HTML. Links are relative, so the folder can be copied, zipped or opened
with ``file://``. Building the pages is pure (:func:`site_pages`); :func:`write_site` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .dates import PartialDate
from .files import display_path, write_text
from .output.document import Document, Link, Part, Table, Tag
from .output.html import esc, html_page
from .problems import PeelError, Problem
from .report import board_report
from .schema.records import ForceFile, Policy
from .status import LEDGER_TITLE, UNCERTAIN_NOTE, National, SummaryRow, days_label, engage_headline, open_causes_label

INDEX = "index.html"


def page_of(slug: str) -> str:
    return f"forces/{slug}.html"


def site_pages(found: National, policy: Policy) -> dict[str, str]:
    """Relative path to page text: the index and a page for every force with a valid file or none."""
    rows, as_of = found.rows, found.as_of
    forces = tuple(row.standing.force for row in rows if row.standing is not None)
    pages = {INDEX: index_page(found)}
    for row in rows:
        if row.problem is not None:
            continue  # an invalid file: peel validate says why; the index marks it
        if row.standing is None:
            document = _no_record(row, as_of)
        else:
            document = board_report(row.standing.force, as_of, policy, forces)
        pages[page_of(row.slug)] = html_page(document, home=f"../{INDEX}")
    return pages


def index_page(found: National) -> str:
    rows, as_of = found.rows, found.as_of
    recorded = [r.standing.force for r in rows if r.standing is not None]
    table = []
    for row in rows:
        s = row.standing
        name = Link(row.name, page_of(row.slug))
        if row.problem is not None:
            table.append([row.name, Tag("invalid file", "verdict-not-justified"), row.problem, "", "", "", ""])
        elif s is None:
            table.append([name, Tag("Scan", "phase-scan"), "no recorded history", "", "", "", ""])
        else:
            table.append(
                [
                    name,
                    Tag(s.phase.capitalize(), f"phase-{s.phase}"),
                    str(s.since.decided_on) if s.since else "no phase change on record",
                    days_label(s),
                    open_causes_label(s),
                    str(len(s.open_recommendations)),
                    str(len(s.overdue_recommendations)),
                ]
            )
    numeric = frozenset({"Days in phase", "Open causes", "Open recs", "Overdue recs"})
    document = Document(
        LEDGER_TITLE,
        [
            ("As of", as_of.isoformat()),
            ("In Engage", engage_headline(found)),
            ("On record", f"{len(recorded)} of {len(rows)} forces have a file; the others are in Scan by default"),
        ],
        [
            Part(
                "National timeline",
                "timeline",
                paragraphs=[
                    "Periods in Engage, HMICFRS's enhanced monitoring, of each force with a file in the ledger. "
                    "Hatched ends mark dates the record gives only to the month or year."
                ],
                figure=timeline_svg(recorded, as_of),
            ),
            Part(
                "Forces",
                "forces",
                table=Table(
                    ["Force", "Phase", "Since", "Days in phase", "Open causes", "Open recs", "Overdue recs"],
                    table,
                    numeric=numeric,
                ),
                notes=[
                    "Open recs: open recommendations of causes of concern. "
                    "Overdue recs: open recommendations past their due date.",
                    UNCERTAIN_NOTE,
                ],
            ),
        ],
        footer=f"Produced by peel from the ledger as it stood on {as_of.isoformat()}: anything dated later is left "
        "out. Every force page cites the published documents behind its facts.",
    )
    return html_page(document)


def _no_record(row: SummaryRow, as_of: date) -> Document:
    return Document(
        f"{row.name}: HMICFRS monitoring",
        [
            ("Force", f"{row.name} ({row.slug})"),
            ("Phase", Tag("Scan (the default)", "phase-scan")),
            ("As of", as_of.isoformat()),
        ],
        [
            Part(
                "No recorded history",
                "record",
                paragraphs=[
                    "This ledger has no file for this force: no phase change, cause of concern or recommendation "
                    "is on record, so it is shown in Scan, the default phase."
                ],
            )
        ],
        footer=f"Produced by peel from the ledger as it stood on {as_of.isoformat()}.",
    )


# -- the national timeline -----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A stay in Engage; ``end`` is the return to Scan, ``None`` while still in Engage."""

    start: PartialDate
    end: PartialDate | None


def engage_periods(force: ForceFile, as_of: date) -> list[Period]:
    """Engage periods that could have begun by ``as_of`` (a change dated "2026" may have)."""
    changes = [c for c in force.phase_changes if c.decided_on.possibly_by(as_of)]
    periods = []
    for i, change in enumerate(changes):
        if change.phase != "engage":
            continue
        following = changes[i + 1] if i + 1 < len(changes) else None
        periods.append(Period(change.decided_on, following.decided_on if following else None))
    return periods


LEFT, RIGHT, WIDTH = 250, 990, 1000
TOP, ROW, BAR = 34, 24, 14
ENGAGE, UNCERTAIN_STROKE = "#c2410c", "#c2410c"
NAME_LENGTH = 38


def timeline_svg(forces: list[ForceFile], as_of: date) -> str:
    """Engage periods as bars against the years; a row per force, partial dates hatched."""
    rows = [(force, engage_periods(force, as_of)) for force in forces]
    years = [p.start.earliest.year for _, periods in rows for p in periods]
    first = min([*years, as_of.year])
    start, end = date(first, 1, 1), date(as_of.year + 1, 1, 1)
    span = (end - start).days

    def x(day: date) -> float:
        day = min(max(day, start), end)
        return round(LEFT + (day - start).days / span * (RIGHT - LEFT), 1)

    height = TOP + ROW * max(len(rows), 1) + 56
    out = [
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="timeline-title" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="timeline-title">Periods in Engage by force, {first} to {as_of.isoformat()}</title>',
        "<defs>"
        '<pattern id="uncertain" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fbd5bd"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{UNCERTAIN_STROKE}" stroke-width="2"/>'
        "</pattern></defs>",
    ]
    bottom = TOP + ROW * max(len(rows), 1)
    for year in range(first, as_of.year + 2):
        gx = x(date(year, 1, 1))
        out.append(f'<line class="year" x1="{gx}" y1="{TOP - 6}" x2="{gx}" y2="{bottom}" stroke="#d0d4da"/>')
        if year <= as_of.year:
            middle = x(date(year, 7, 2))
            out.append(f'<text class="year-label" x="{middle}" y="{TOP - 12}" text-anchor="middle">{year}</text>')
    for i, (force, periods) in enumerate(rows):
        top = TOP + i * ROW
        middle = top + ROW / 2
        if i % 2:
            out.append(f'<rect x="0" y="{top}" width="{WIDTH}" height="{ROW}" fill="#f5f6f8"/>')
        shown = force.name if len(force.name) <= NAME_LENGTH else force.name[: NAME_LENGTH - 1] + "…"
        out.append(
            f'<a href="{esc(page_of(force.slug))}"><text x="{LEFT - 8}" y="{middle + 4}" text-anchor="end" '
            f'fill="#0b4f9c"><title>{esc(force.name)}</title>{esc(shown)}</text></a>'
        )
        out.append(f'<line x1="{LEFT}" y1="{middle}" x2="{x(as_of)}" y2="{middle}" stroke="#e3e6ea"/>')
        for period in periods:
            out.append(_period_bar(force, period, as_of, x, middle - BAR / 2))
    mark = x(as_of + timedelta(days=1))
    out.append(
        f'<line class="as-of" x1="{mark}" y1="{TOP - 6}" x2="{mark}" y2="{bottom}" stroke="#1d3557" '
        'stroke-dasharray="4 3"/>'
    )
    out.append(_legend(bottom + 20, as_of))
    out.append("</svg></figure>")
    return "\n".join(out)


def _period_bar(force: ForceFile, period: Period, as_of: date, x, y: float) -> str:
    """Solid where the force was surely in Engage; hatched across days a partial date leaves open."""
    one = timedelta(days=1)
    until = f"to {period.end}" if period.end else f"still in Engage on {as_of.isoformat()}"
    caveats = [
        f"{which} date known only to the {d.precision}"
        for which, d in (("start", period.start), ("end", period.end))
        if d is not None and not d.is_exact
    ]
    label = f"{force.name}: Engage from {period.start} {until}" + (f" ({'; '.join(caveats)})" if caveats else "")
    last = min(period.end.earliest, as_of + one) if period.end else as_of + one
    shapes = []

    def rect(a: date, b: date, css: str, fill: str) -> None:
        left, right = x(a), x(min(b, as_of + one))
        if right > left:
            width = round(right - left, 1)
            shapes.append(f'<rect class="{css}" x="{left}" y="{y}" width="{width}" height="{BAR}" fill="{fill}"/>')

    if not period.start.is_exact:
        rect(period.start.earliest, period.start.latest, "engage uncertain", "url(#uncertain)")
    rect(period.start.latest, last, "engage", ENGAGE)
    if period.end is not None and not period.end.is_exact:
        rect(period.end.earliest, period.end.latest + one, "engage uncertain", "url(#uncertain)")
    return f'<g class="period"><title>{esc(label)}</title>{"".join(shapes)}</g>'


def _legend(y: float, as_of: date) -> str:
    return (
        f'<g class="legend" transform="translate({LEFT},{y})">'
        f'<rect x="0" y="-10" width="24" height="{BAR}" fill="{ENGAGE}"/>'
        '<text x="30" y="1">Engage</text>'
        f'<rect x="110" y="-10" width="24" height="{BAR}" fill="url(#uncertain)"/>'
        '<text x="140" y="1">date known only to the month or year</text>'
        '<line x1="400" y1="-12" x2="400" y2="6" stroke="#1d3557" stroke-dasharray="4 3"/>'
        f'<text x="408" y="1">as of {as_of.isoformat()}</text>'
        "</g>"
    )


# -- writing -------------------------------------------------------------------------------------


def write_site(outdir: Path, pages: dict[str, str]) -> None:
    """Write every page into ``outdir``, creating it; each page is replaced atomically."""
    name = display_path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise PeelError(Problem("exists and is not a folder: refusing to write a site there").at(name))
    folders = {(outdir / page).parent for page in pages}
    for folder in sorted(folders):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PeelError(
                Problem(f"cannot create the folder: {exc.strerror or exc}").at(display_path(folder))
            ) from None
    for page, text in pages.items():
        write_text(outdir / page, text)

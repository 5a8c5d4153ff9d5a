"""``peel report``: one force's record as a self-contained document for a board paper.

A police and crime commissioner's office attaches it as it is, so it must stand alone: the
phase and who decided it, how the phase changed, every cause of concern with its
recommendations and the documents behind them, what is overdue, the metrics over time, and
``peel assess``'s verdict with its reasons. The content is built once, as a
:class:`~peelcli.output.document.Document`, from the same pure core as ``peel status`` and
``peel assess``; the output layer writes it as Markdown or HTML, so the two never say
different things.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from . import figures
from .dates import PartialDate
from .due import deadlines_part, next_days
from .figures import BASIS_WORDS, NATIONAL_SEARCH
from .output.document import Bar, Cell, Chart, ChartRow, Document, Link, Part, Table, Tag
from .output.wording import body_word, days_span, overseer_label, plural
from .schema.records import ForceFile, Metric, Policy, Source
from .status import (
    DERIVED_DUE_NOTE,
    doubt_about,
    due_label,
    holder_label,
    holds_on,
    no_causes,
    open_label,
    overdue_label,
    phase_line,
    recommendations_label,
    record_label,
)
from .timeline import Standing, doubt_begun, doubt_settled, override_label

if TYPE_CHECKING:
    from .assess import PrecedentBook

ONE_DAY = timedelta(days=1)

# -- building the report -----------------------------------------------------------------------


class _Citations:
    """Source ids turned into links, remembering which were cited for the list of sources."""

    def __init__(self, force: ForceFile) -> None:
        self.sources = {s.id: s for s in force.sources}
        self.order = [s.id for s in force.sources]
        self.cited: set[str] = set()

    def __call__(self, ids: Iterable[str]) -> tuple[Link, ...]:
        """Each source by its title, linked to its address where it has one."""
        links = []
        for source_id in dict.fromkeys(ids):
            self.cited.add(source_id)
            source = self.sources.get(source_id)
            if source is not None:
                self.cited.update(source.recorded_in)
            links.append(Link(source.title, source.url) if source else Link(source_id))
        return tuple(links)

    def title(self, source_id: str) -> str:
        source = self.sources.get(source_id)
        return source.title if source else source_id

    def listed(self) -> list[Source]:
        return [self.sources[i] for i in self.order if i in self.cited]


def board_report(
    force: ForceFile,
    as_of: date,
    policy: Policy,
    others: tuple[ForceFile, ...] | PrecedentBook = (),
    national: PartialDate | None = None,
) -> Document:
    """The whole report on ``force`` as the ledger stood on ``as_of``. ``others``: the ledger whose
    entries into Engage and returns to Scan are the precedents, or its :class:`PrecedentBook`;
    ``national``: how far the national search of phase changes reaches (the registry's)."""
    from .assess import assess
    from .timeline import standing

    found = standing(force, as_of, national=national)
    judged = assess(force, as_of, policy, others)
    cite = _Citations(force)
    parts = [
        _phase_timeline(found, cite),
        _causes(found, cite),
        _overdue(found),
        deadlines_part(found, next_days(as_of)),
        _areas(found, cite),
        _metrics(force, as_of, cite),
        _assessment(judged),
        _uncertain(found),
        _chronology(found, cite),
    ]
    parts.append(_sources(cite))
    notes = []
    if any(r.due and r.due.basis == "derived" for c in found.causes for r in c.recommendations):
        notes.append(DERIVED_DUE_NOTE)
    return Document(
        f"{force.name}: HMICFRS monitoring",
        _header(found, judged),
        [part for part in parts if part is not None],
        notes,
        f"Produced by peel from the ledger as it stood on {as_of.isoformat()}: anything dated later is left out. "
        "Every fact cites the published document it came from.",
    )


def _header(found: Standing, judged) -> list[tuple[str, Cell]]:
    force, since = found.force, found.since
    phase = found.phase.capitalize()
    facts: list[tuple[str, Cell]] = [(body_word(force.sector).capitalize(), f"{force.name} ({force.slug})")]
    if since is None:
        facts.append(("Phase", Tag(f"{phase} (the default: no phase change on record)", f"phase-{found.phase}")))
        if found.phase_basis == NATIONAL_SEARCH:
            facts.append(("Phase known to", f"{found.phase_on.isoformat()}: {BASIS_WORDS[NATIONAL_SEARCH]}"))
    else:
        facts.append(("Phase", Tag(phase_line(found), f"phase-{found.phase}")))
        if since.assessment_overridden:
            facts.append(("Move recorded", Tag(override_label(since), "overridden")))
        decided = since.decided_by or "not recorded"
        if since.published_on and since.published_on != since.decided_on:
            decided += f"; announced {since.published_on}"
        facts.append(("Decided by", decided))
    facts.append(("As of", found.as_of.isoformat()))
    facts.append(("Record", record_label(found)))
    overseer = overseer_label(force.sector)
    for label, holder in (("Chief officer", found.chief_officer), (overseer, found.policing_body)):
        if holder is not None:
            facts.append((label, holder_label(holder)))
    facts.append(("Open" + holds_on(found), open_label(figures.of(found))))
    doubted = [c.cause.id for c in found.causes if c.uncertain]
    if doubted:
        facts.append(
            (
                "Uncertain",
                Tag(
                    f"the record leaves the state of {_and(doubted)} in doubt (see Uncertain in the record)",
                    "uncertain",
                ),
            )
        )
    facts.append(("Assessment", judged.verdict_tag()))
    return facts


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _phase_timeline(found: Standing, cite: _Citations) -> Part:
    from .timeline import phase_changes_by

    changes = phase_changes_by(found.force, found.as_of)
    rows: list[list[Cell]] = []
    for i, change in enumerate(changes):
        following = changes[i + 1] if i + 1 < len(changes) else None
        decided: Cell = change.decided_by or "not recorded"
        if change.assessment_overridden:
            decided = f"{decided}; {override_label(change)}"
        if following is not None:
            length: Cell = days_span(
                (following.decided_on.earliest - change.decided_on.latest).days,
                (following.decided_on.latest - change.decided_on.earliest).days,
            )
            to: Cell = str(following.decided_on)
        else:
            duration = figures.duration_in_phase(found)
            length = duration_text(duration)
            to = _current(found)
        rows.append(
            [
                Tag(change.phase.capitalize(), f"phase-{change.phase}"),
                str(change.decided_on),
                to,
                length,
                decided,
                cite(change.sources),
            ]
        )
    return Part(
        "Phase timeline",
        "phases",
        paragraphs=[
            f"Every {body_word(found.force.sector)} is in Scan, the default phase, until a move into Engage is "
            "recorded."
        ],
        figure=force_chart(found),
        table=Table(
            ["Phase", "From", "To", "Length", "Decided by", "Sources"],
            rows,
            empty="No phase change on record: in Scan throughout.",
            numeric=frozenset({"Length"}),
            wrap=frozenset({"To", "Length", "Decided by", "Sources"}),
        ),
    )


def duration_text(duration: figures.Duration | None, *, basis: bool = True) -> Cell:
    """Days in the phase in words, tagged uncertain unless exact; ``basis=False`` where the
    basis is said beside it (the site's "Record checked to" column)."""
    if duration is None:
        return ""
    text = figures.duration_words(duration, basis=basis)
    return text if duration.kind == "known" else Tag(text, "uncertain")


def _current(found: Standing) -> Cell:
    """The end of the phase the force is in: the as-of day, or the last day it is known."""
    if found.phase_open_ended:
        return Tag(f"not known after {found.phase_on.isoformat()}", "uncertain")
    return "current"


def _causes(found: Standing, cite: _Citations) -> Part:
    parts = []
    for cause in found.causes:
        c = cause.cause
        label = "Area of concern" if c.kind == "area-of-concern" else "Cause of concern"
        facts: list[tuple[str, Cell]] = [
            ("Status", _state(found, cause.closed_on, cause.uncertain, closing=cause.closing)),
            ("Raised", str(c.raised_on) + (" (accelerated)" if c.accelerated else "")),
        ]
        if c.published_on is not None:
            facts.append(("Published", str(c.published_on)))
        facts.append(("Recommendations closed", recommendations_label(cause)))
        recs_open = figures.cause_recommendations_open(cause)
        if not recs_open.certain and cause.closed_on is None and cause.recommendations:
            facts.append(("Recommendations open", Tag(figures.words(recs_open), "uncertain")))
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
            if rec.days_overdue and not rec.uncertain and rec.closing is None:
                on = f" on {found.figures_on.isoformat()}" if found.beyond_record else ""
                status: Cell = f"overdue {rec.days_overdue:,} days{on}"
            else:
                status = _state(found, rec.closed_on, rec.uncertain, short=True, closing=rec.closing)
            rows.append(
                [
                    r.id,
                    r.text,
                    r.deadline or "",
                    due_label(rec),
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
                    wrap=frozenset({"Recommendation", "Deadline", "Status", "Evidence", "Sources"}),
                )
                if rows or missing is None
                else None,
                notes=notes,
            )
        )
    return Part(
        "Causes of concern" + holds_on(found),
        "causes",
        paragraphs=[]
        if parts
        else ["No cause of concern on record." if not found.possible_causes else no_causes(found)],
        parts=parts,
    )


def _state(
    found: Standing, closed_on: PartialDate | None, uncertain: bool, *, short: bool = False, closing=None
) -> Cell:
    """Closed or open; open beyond the record is open when the record ends, not today; a
    closure dated to a span the day lies in may have come; in doubt where an uncertainty of the
    record names it."""
    if closed_on is not None:
        state = f"closed {closed_on}"
    elif found.beyond_record:
        state = f"open when the record ends ({found.figures_on.isoformat()})"
    else:
        state = "open"
    if closed_on is None and closing is not None:
        state += f"; possibly closed {closing}"
    if not uncertain:
        return state if closing is None or closed_on is not None else Tag(state, "uncertain")
    return Tag(f"{state} (uncertain)" if short else f"{state}; uncertain: see Uncertain in the record", "uncertain")


def _overdue(found: Standing) -> Part:
    """Recommendations past their due date; where the record does not let peel say that none is,
    it says what it cannot tell rather than "No open recommendation is past its due date"."""
    overdue = figures.recommendations_overdue(found)
    rows: list[list[Cell]] = [
        [
            r.recommendation.id,
            r.cause.id,
            r.recommendation.text,
            r.recommendation.deadline or "",
            due_label(r),
            overdue_label(r),
        ]
        for r in found.overdue_recommendations
    ]
    if overdue.certain:
        empty, notes = "No open recommendation is past its due date.", []
    else:
        empty = f"No recommendation on record is past its due date; overdue: {figures.words(overdue)}."
        notes = [f"Overdue recommendations: {figures.words(overdue)}."] if rows else []
    return Part(
        "Overdue recommendations" + holds_on(found),
        "overdue",
        table=Table(
            ["ID", "Cause", "Recommendation", "Deadline", "Due", "Overdue"],
            rows,
            empty=empty,
            numeric=frozenset({"Overdue"}),
            wrap=frozenset({"Recommendation", "Deadline"}),
        ),
        notes=notes,
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
                f"closed {standing.closed_on}"
                if closure
                else Tag(f"open; possibly closed {standing.closing}", "uncertain")
                if standing.closing is not None
                else "open",
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
    from .assess import assessment_document

    shown = assessment_document(judged, for_board=True)
    facts: list[tuple[str, Cell]] = [(label, value) for label, value in shown.facts if label != "As of"]
    return Part(
        "Assessment: " + ("return to Scan?" if judged.proposed_phase == "scan" else "move into Engage?"),
        "assessment",
        facts=facts,
        paragraphs=["peel's reading of the record against its policy; the decision is HMICFRS's."],
        parts=[part._replace(anchor=f"assessment-{i}") for i, part in enumerate(shown.parts, 1)],
    )


def _uncertain(found: Standing) -> Part | None:
    """What the record leaves uncertain on the day, by what it concerns: every report on the force
    says so. A doubt that begins after the day is not about it, as in ``peel status``'s notes."""
    rows: list[list[Cell]] = []
    for u in found.force.uncertainties:
        if not doubt_begun(u, found.as_of):
            continue
        rows.append(
            [
                doubt_about(u),
                u.note,
                ", ".join(u.subjects),
                f"settled on {u.resolution.resolved_on}: {u.resolution.evidence}"
                if doubt_settled(u, found.as_of)
                else Tag("not settled", "uncertain"),
            ]
        )
    if not rows:
        return None
    return Part(
        "Uncertain in the record",
        "uncertain",
        paragraphs=["What the public record gathered for peel does not show; the facts it concerns are marked above."],
        table=Table(
            ["About", "What is not on record", "Concerns", "Settled"],
            rows,
            wrap=frozenset({"About", "What is not on record", "Concerns", "Settled"}),
        ),
    )


def _chronology(found: Standing, cite: _Citations) -> Part:
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
            address = "no address of its own; recorded in " + "; ".join(cite.title(i) for i in source.recorded_in)
        else:
            address = "no address on record"
        rows.append([source.title, source.kind, str(day) if day else "", address, source.id])
    return Part(
        "Sources",
        "sources",
        table=Table(
            ["Title", "Kind", "Date", "Address", "ID"],
            rows,
            empty="No source cited.",
            wrap=frozenset({"Title", "Address", "ID"}),
        ),
    )


# -- the force's timeline ----------------------------------------------------------------------


TAIL_DAYS = 45
"""The least a "not known after" tail is drawn, so that it shows where the record reaches the as-of day."""


def engage_bars(found: Standing) -> list[Bar]:
    """The force's stays in Engage up to the last day its phase is known: solid where it surely
    was in Engage, hatched across the days a date known only to a month or year leaves open, and
    a fading tail after a stay still open then, which is not known to have ended."""
    force, known = found.force, found.phase_on
    limit = known + ONE_DAY
    changes = [c for c in force.phase_changes if c.decided_on.possibly_by(found.as_of)]
    bars = []
    for i, change in enumerate(changes):
        if change.phase != "engage":
            continue
        start = change.decided_on
        end = changes[i + 1].decided_on if i + 1 < len(changes) else None
        until = f"to {end}" if end is not None else still_in_engage(found)
        caveats = [
            f"{which} date known only to the {d.precision}"
            for which, d in (("start", start), ("end", end))
            if d is not None and not d.is_exact
        ]
        label = f"{force.name}: Engage from {start} {until}" + (f" ({'; '.join(caveats)})" if caveats else "")
        bars += _stretch(start, end, limit, "engage", label)
        if end is None:
            bars += _tail(found, known, "engage-tail", f"{force.name}: {until}")
    return bars


def still_in_engage(found: Standing) -> str:
    """How a stay in Engage still open at the end of what is known is said, on the chart too."""
    if found.phase_open_ended:
        return f"still in Engage on {found.phase_on.isoformat()}: not known after"
    return f"still in Engage on {found.as_of.isoformat()}"


def open_engage(found: Standing) -> bool:
    """The force is in Engage when its phase is last known (the chart draws a tail)."""
    return found.phase == "engage" and found.since is not None


def _tail(found: Standing, known: date, kind: str, label: str) -> list[Bar]:
    """What follows a stretch still open on ``known``, the last day it is known: a fading bar to
    the as-of day (at least :data:`TAIL_DAYS` long), drawn distinct from a stretch that ended."""
    end = max(found.as_of, known + timedelta(days=TAIL_DAYS)) + ONE_DAY
    return [Bar(known + ONE_DAY, min(end, date(found.as_of.year + 1, 1, 1)), kind, label)]


def _stretch(start: PartialDate, end: PartialDate | None, limit: date, kind: str, label: str, doubt=False) -> list[Bar]:
    """Bars from ``start`` to ``end`` (or ``limit``): partial dates hatched at either end."""
    solid_to = min(end.earliest, limit) if end is not None else limit
    bars = []
    if not start.is_exact:
        bars.append(Bar(start.earliest, min(start.latest, limit), kind, label, True))
    bars.append(Bar(start.latest, solid_to, kind, label, doubt))
    if end is not None and not end.is_exact:
        bars.append(Bar(end.earliest, min(end.latest + ONE_DAY, limit), kind, label, True))
    return [bar for bar in bars if bar.end > bar.start]


def after_record(found: Standing) -> list[Bar]:
    """The days between the last day the force's phase is known and the as-of day: not known to
    peel. A stay in Engage still open then has its own tail instead."""
    if not found.phase_open_ended or open_engage(found):
        return []
    label = f"after {found.phase_on.isoformat()}, where what peel knows of its phase ends: not known to peel"
    return [Bar(found.phase_on + ONE_DAY, found.as_of + ONE_DAY, "after-record", label)]


ENGAGE_KEY = ("engage", False, "in Engage")
UNCERTAIN_KEY = ("engage", True, "date known only to the month or year")
AFTER_RECORD_KEY = ("after-record", False, "after the record ends: not known")
ENGAGE_TAIL_KEY = ("engage-tail", False, "in Engage when last known: not known after")
CAUSE_TAIL_KEY = ("cause-tail", False, "open at the record's end: not known after")


def chart_years(first: date, as_of: date) -> tuple[date, date]:
    return date(min(first.year, as_of.year), 1, 1), date(as_of.year + 1, 1, 1)


def force_chart(found: Standing) -> Chart:
    """The force's own timeline: its stays in Engage, and each cause of concern while open. What
    is still open when the record ends has a tail and says so beside the row."""
    limit = found.figures_on + ONE_DAY
    engage_note = still_in_engage(found) if open_engage(found) else ""
    rows = [ChartRow("In Engage", (*engage_bars(found), *after_record(found)), engage_note)]
    tails = False
    for cause in found.causes:
        c = cause.cause
        if cause.closed_on:
            state = f"closed {cause.closed_on}"
        elif cause.closing:
            state = f"open; possibly closed {cause.closing}"
        else:
            state = "open" + holds_on(found)
        doubt = "; the record leaves its state in doubt" if cause.uncertain else ""
        label = f"{c.id}: raised {c.raised_on}, {state}{doubt}"
        end = cause.closed_on or cause.closing
        bars = _stretch(c.raised_on, end, limit, "cause", label, cause.uncertain)
        note = ""
        if end is None:
            note = still_open(found)
            bars += _tail(found, found.figures_on, "cause-tail", f"{c.id}: {note}")
            tails = True
        rows.append(ChartRow(c.title, tuple(bars), note))
    days = [found.as_of, *(b.start for row in rows for b in row.bars)]
    start, end = chart_years(min(days), found.as_of)
    legend = [ENGAGE_KEY, ("cause", False, "cause of concern open"), ("cause", True, "date or state uncertain")]
    if engage_note:
        legend.append(ENGAGE_TAIL_KEY)
    if tails:
        legend.append(CAUSE_TAIL_KEY)
    if found.phase_open_ended and not open_engage(found):
        legend.append(AFTER_RECORD_KEY)
    return Chart(
        f"{found.force.name}: periods in Engage and causes of concern open, to {found.as_of.isoformat()}",
        start,
        end,
        rows,
        (found.as_of + ONE_DAY, f"as of {found.as_of.isoformat()}"),
        legend,
    )


def still_open(found: Standing) -> str:
    if found.beyond_record:
        return f"open on {found.figures_on.isoformat()}, when the record ends: not known after"
    return f"open on {found.as_of.isoformat()}"


class BoardReport(NamedTuple):
    """The view of ``peel report``: Markdown or HTML of :func:`board_report`."""

    force: ForceFile
    as_of: date
    policy: Policy
    others: tuple[ForceFile, ...] = ()
    national: PartialDate | None = None

    def document(self) -> Document:
        return board_report(self.force, self.as_of, self.policy, self.others, self.national)

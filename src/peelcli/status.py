"""``peel status``: where a force stands on a day, and one row per force for the whole ledger.

Pure: a :class:`~peelcli.timeline.Standing` in; its views give the documented JSON shape or a
:class:`~peelcli.output.document.Document`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from . import figures
from .dates import PartialDate
from .history import UNCERTAIN_MARK, event_cells, event_json, uncertain_marked
from .output.document import Cell, Document, Part, Tag, section
from .output.jsontext import text_or_none
from .output.wording import body_word, overseer_label, plural
from .schema.names import SECTOR_NAMES
from .schema.records import PhaseChange
from .timeline import (
    CauseStanding,
    RecommendationStanding,
    Standing,
    doubt_begun,
    doubt_settled,
    doubts,
    in_doubt,
    override_label,
)

LATEST_EVENTS = 5
LEDGER_NAME = SECTOR_NAMES["police"]
LEDGER_TITLE = f"{LEDGER_NAME}: HMICFRS monitoring"


def phase_label(phase: str) -> str:
    return phase.capitalize()


def days_label(standing: Standing) -> str:
    """How long in the phase, and what that rests on when the record does not reach the day:
    "at least 324 days (to 2025-08-08: the national search of phase changes)"."""
    duration = figures.duration_in_phase(standing)
    return "" if duration is None else figures.duration_words(duration)


def phase_line(standing: Standing) -> str:
    """ "Scan since 2024-09-18 (at least 324 days ...)", or the default with no change on record."""
    since = standing.since
    if since is None:
        return "Scan (the default: no phase change on record)"
    return f"{phase_label(standing.phase)} since {since.decided_on} ({days_label(standing)})"


def record_label(standing: Standing) -> str:
    """Where the force's record ends, and what that means for the figures shown."""
    checked = standing.record_checked_to
    if checked is None:
        word = body_word(standing.force.sector)
        return f"how far this {word}'s record was checked is not stated: figures may miss later events"
    if standing.beyond_record:
        return (
            f"checked to {checked}, before {standing.as_of.isoformat()}: nothing later is known to peel, "
            f"so statuses and counts hold on {standing.figures_on.isoformat()}, when the record ends"
        )
    return f"checked to {checked}"


def holds_on(standing: Standing) -> str:
    """`` on DATE, when the record ends`` for a heading, when figures stop at the record's end."""
    return f" on {standing.figures_on.isoformat()}, when the record ends" if standing.beyond_record else ""


def recommendations_label(cause: CauseStanding) -> str:
    """Closed of total: "3/5"; "1-3/5 (2 possibly closed)"; "0-4/8 (4 recommendations of coc-x
    not on record)"; "not on record" when neither is."""
    closed = figures.cause_recommendations_closed(cause)
    total = figures.cause_recommendations_total(cause)
    if total.kind == "unknown":
        return "not on record"
    text = f"{figures.cell(closed)}/{figures.cell(total)}"
    why = figures.reasons(closed, total)
    if why:
        return f"{text} ({why})"
    return text + (" (texts not on record)" if cause.cause.recommendations_not_on_record else "")


def state_label(closed_on, closing, uncertain: bool, *, open_word: str = "open") -> Cell:
    """ "closed 2024-09-17", "open", or in doubt: "open; possibly closed 2024-05/2024-07-23" or
    "open (uncertain)", tagged uncertain."""
    if closed_on is not None:
        return uncertain_marked(f"closed {closed_on}", uncertain)
    if closing is not None:
        return Tag(f"{open_word}; possibly closed {closing}" + (UNCERTAIN_MARK if uncertain else ""), "uncertain")
    return uncertain_marked(open_word, uncertain)


def figure_cell(figure: figures.Figure, text: str | None = None) -> Cell:
    """A figure for a table or a fact: tagged uncertain unless the record fixes it."""
    shown = figures.words(figure) if text is None else text
    return shown if figure.certain else Tag(shown, "uncertain")


def _person(holder) -> dict | None:
    if holder is None:
        return None
    return {"name": holder.name, "role": holder.role, "kind": getattr(holder, "kind", None)}


def holder_label(holder) -> str:
    known = f"from {holder.from_}" if holder.from_ else f"named in post on {holder.noted_on}"
    return f"{holder.name}, {holder.role} ({known})"


def _rec_json(rec: RecommendationStanding) -> dict:
    return {
        "id": rec.recommendation.id,
        "cause": rec.cause.id,
        "text": rec.recommendation.text,
        "deadline": rec.recommendation.deadline,
        "due": rec.due.latest.isoformat() if rec.due else None,
        "due_basis": rec.due.basis if rec.due else None,
        "status": rec.status,
        "closed_on": text_or_none(rec.closed_on),
        "possibly_closed_on": text_or_none(rec.closing),
        "uncertain": rec.uncertain,
        "days_overdue": rec.days_overdue,
    }


def counts_json(found: figures.Figures) -> tuple[dict[str, Any], dict[str, Any]]:
    """The documented counts (each a number only when the record fixes it, else null) and,
    beside them, each as a figure: its kind, least and most, and why."""
    named = {
        "causes_open": found.causes_open,
        "causes_total": found.causes_total,
        "recommendations_open": found.recommendations_open,
        "recommendations_overdue": found.recommendations_overdue,
        "areas_for_improvement_open": found.areas_open,
    }
    return {name: figure.value for name, figure in named.items()}, {
        name: figures.figure_json(figure) for name, figure in named.items()
    }


def phase_json(standing: Standing | Summary, duration: figures.Duration | None) -> dict[str, Any]:
    """How long in the phase (``duration``) and what it rests on, as every JSON output gives it."""
    known_to = standing.phase_known_to
    return {
        "days_in_phase": duration.value if duration else None,
        "phase_known_to": known_to.isoformat() if known_to else None,
        "phase_basis": standing.phase_basis,
        "days_in_phase_figure": figures.duration_json(duration) if duration else None,
    }


def cause_json(cause: CauseStanding) -> dict[str, Any]:
    closed = figures.cause_recommendations_closed(cause)
    total = figures.cause_recommendations_total(cause)
    open_ = figures.cause_recommendations_open(cause)
    return {
        "id": cause.cause.id,
        "title": cause.cause.title,
        "kind": cause.cause.kind,
        "accelerated": cause.cause.accelerated,
        "raised_on": str(cause.cause.raised_on),
        "status": cause.status,
        "uncertain": cause.uncertain,
        "closed_on": text_or_none(cause.closed_on),
        "possibly_closed_on": text_or_none(cause.closing),
        "recommendations_closed": closed.value,
        "recommendations_total": cause.recommendations_total,
        "figures": {
            "recommendations_closed": figures.figure_json(closed),
            "recommendations_total": figures.figure_json(total),
            "recommendations_open": figures.figure_json(open_),
        },
        "recommendations": [_rec_json(r) for r in cause.recommendations],
    }


def status_json(standing: Standing) -> dict[str, Any]:
    """The stable JSON shape documented in docs/national.md (``peel status FORCE --format json``)."""
    force, since = standing.force, standing.since
    doubted = doubts(force, standing.as_of)
    counts, counted = counts_json(figures.of(standing))
    return {
        "force": force.slug,
        "name": force.name,
        "as_of": standing.as_of.isoformat(),
        "record_checked_to": text_or_none(standing.record_checked_to),
        "beyond_record": standing.beyond_record,
        "figures_hold_on": standing.figures_on.isoformat(),
        "phase": standing.phase,
        "phase_since": text_or_none(since.decided_on) if since else None,
        **phase_json(standing, figures.duration_in_phase(standing)),
        "decided_by": since.decided_by if since else None,
        "assessment_overridden": bool(since and since.assessment_overridden),
        "chief_officer": _person(standing.chief_officer),
        "policing_body": _person(standing.policing_body),
        "counts": {
            **counts,
            "causes_open_uncertain": sum(1 for c in standing.open_causes if c.uncertain),
            "recommendations_open_uncertain": sum(1 for r in standing.open_recommendations if r.uncertain)
            if counted["recommendations_open"]["most"] is not None
            else None,
        },
        "figures": counted,
        "causes_of_concern": [cause_json(c) for c in standing.causes],
        "open_recommendations": [_rec_json(r) for r in standing.open_recommendations],
        "areas_for_improvement": [
            {
                "id": a.area.id,
                "text": a.area.text,
                "raised_on": str(a.area.raised_on),
                "status": a.status,
                "closed_on": text_or_none(a.closed_on),
                "possibly_closed_on": text_or_none(a.closing),
            }
            for a in standing.areas
        ],
        "latest_events": [event_json(e, doubted) for e in standing.events[-LATEST_EVENTS:]],
        "pending_events": [event_json(e, doubted) for e in standing.pending],
        "uncertainties": [uncertainty_json(u, standing.as_of) for u in standing.force.uncertainties],
    }


def uncertainty_json(uncertainty, as_of: date) -> dict[str, Any]:
    """Every uncertainty of the file, with whether it holds on the day: one that begins later is
    listed (``begun`` false) so that a reader of the JSON sees the whole record."""
    resolution = uncertainty.resolution
    return {
        "id": uncertainty.id,
        "about": uncertainty.about,
        "note": uncertainty.note,
        "from": text_or_none(uncertainty.from_),
        "subjects": list(uncertainty.subjects),
        "resolved_on": text_or_none(resolution.resolved_on) if resolution else None,
        "begun": doubt_begun(uncertainty, as_of),
        "in_doubt": in_doubt(uncertainty, as_of),
    }


def open_label(found: figures.Figures) -> Cell:
    """ "1 of 4 causes of concern; 2 recommendations (2 overdue)", each figure as the record
    supports it, tagged uncertain when any is not exact."""
    causes = f"{figures.number(found.causes_open)} of {figures.number(found.causes_total)} causes of concern"
    why = figures.reasons(found.causes_open, found.causes_total)
    text = (
        (f"{causes} ({why})" if why else causes)
        + "; "
        + figures.recommendations_words(found.recommendations_open, found.recommendations_overdue)
    )
    exact = all(f.certain for f in found[:4])
    return text if exact else Tag(text, "uncertain")


def status_document(standing: Standing) -> Document:
    force, since = standing.force, standing.since
    doubted = doubts(force, standing.as_of)
    found = figures.of(standing)
    phase = phase_line(standing)
    if since is not None and since.assessment_overridden:
        phase += f"; {override_label(since)}"
    facts = [("Phase", Tag(phase, f"phase-{standing.phase}"))]
    if since is not None:
        decided = since.decided_by or "not recorded"
        if since.published_on and since.published_on != since.decided_on:
            decided += f"; announced {since.published_on}"
        facts.append(("Decided by", decided))
    facts.append(("As of", standing.as_of.isoformat()))
    facts.append(("Record", record_label(standing)))
    if standing.chief_officer:
        facts.append(("Chief officer", holder_label(standing.chief_officer)))
    if standing.policing_body:
        facts.append((overseer_label(force.sector), holder_label(standing.policing_body)))
    facts.append(("Open" + holds_on(standing), open_label(found)))
    sections = [
        section(
            "Causes of concern" + holds_on(standing),
            ["ID", "Title", "Raised", "Status", "Recs closed"],
            [
                [
                    c.cause.id,
                    c.cause.title + (" (accelerated)" if c.cause.accelerated else ""),
                    str(c.cause.raised_on),
                    state_label(c.closed_on, c.closing, c.uncertain),
                    recommendations_label(c),
                ]
                for c in standing.causes
            ],
            empty=no_causes(standing),
            wrap=frozenset({"Title"}),
        ),
    ]
    sections.append(_open_recommendations(standing, found, holds_on(standing)))
    if standing.areas:
        sections.append(
            section(
                "Open areas for improvement",
                ["ID", "Raised", "Area for improvement"],
                [[a.area.id, str(a.area.raised_on), state_text(a.area.text, a.closing)] for a in standing.open_areas],
                wrap=frozenset({"Area for improvement"}),
            )
        )
    sections.append(
        section(
            "Latest events",
            ["Date", "Event"],
            [event_cells(e, doubted) for e in standing.events[-LATEST_EVENTS:]],
            wrap=frozenset({"Event"}),
        )
    )
    if standing.pending:
        sections.append(
            section(
                "Dated only to a month or year: may or may not have happened by then",
                ["Date", "Event"],
                [event_cells(e, doubted) for e in standing.pending],
                wrap=frozenset({"Event"}),
            )
        )
    notes = uncertainty_notes(force, standing.as_of)
    if any(r.due and r.due.basis == "derived" for r in standing.open_recommendations):
        notes.append(DERIVED_DUE_NOTE)
    return Document(f"{force.name} ({force.slug})", facts, sections, notes)


def no_causes(standing: Standing) -> str:
    """What an empty list of causes means: none on record, or none surely raised yet."""
    pending = len(standing.possible_causes)
    if not pending:
        return "None."
    return (
        f"None surely raised by then; {plural(pending, 'cause')} dated only to a month, year or span that may "
        "or may not have come (listed below as pending)."
    )


def state_text(text: str, closing) -> Cell:
    """An open entry's text, with the closure that may already have come."""
    return Tag(f"{text} (possibly closed {closing})", "uncertain") if closing is not None else text


DERIVED_DUE_NOTE = "Due dates marked ~ are derived from the deadline wording, counted from the cause's publication."


def uncertainty_notes(force, as_of: date) -> list[str]:
    """What the record leaves uncertain on ``as_of``, said at the foot of every report on the
    force: a doubt that begins after the day is not about it, and a settlement after it is not
    yet known then."""
    return [
        f"Not on record: {doubt_about(u)}: {u.note}"
        + (f" (settled on {u.resolution.resolved_on}: {u.resolution.evidence})" if doubt_settled(u, as_of) else "")
        for u in force.uncertainties
        if doubt_begun(u, as_of)
    ]


def doubt_about(uncertainty) -> str:
    """What a doubt is about, with the day it begins where the file gives one: "the
    investigations cause after the return to Scan (from 2024-09-19)"."""
    start = uncertainty.from_
    return uncertainty.about if start is None else f"{uncertainty.about} (from {start})"


def _open_recommendations(standing: Standing, found: figures.Figures, when: str = "") -> Part:
    """Open recommendations; the cause column only when they belong to more than one cause. Where
    the record does not list every recommendation, the table says so rather than "None"."""
    recs = standing.open_recommendations
    several = len({r.cause.id for r in recs}) > 1
    columns = ["ID", *(["Cause"] if several else []), "Recommendation", "Deadline", "Due", "Overdue"]
    rows = [
        [
            r.recommendation.id,
            *([r.cause.id] if several else []),
            rec_text(r),
            r.recommendation.deadline or "",
            due_label(r),
            overdue_label(r),
        ]
        for r in recs
    ]
    return section(
        "Open recommendations" + when,
        columns,
        rows,
        empty=none_open(found.recommendations_open),
        numeric=frozenset({"Overdue"}),
        wrap=frozenset({"Recommendation", "Deadline"}),
        notes=[not_listed(found.recommendations_open)] if rows and found.recommendations_open.most is None else [],
    )


def rec_text(rec: RecommendationStanding) -> Cell:
    """A recommendation's text, marked where the record leaves its state in doubt."""
    if rec.closing is not None:
        return Tag(f"{rec.recommendation.text} (possibly closed {rec.closing})", "uncertain")
    return uncertain_marked(rec.recommendation.text, rec.uncertain)


def overdue_label(rec: RecommendationStanding) -> Cell:
    """Days overdue; marked uncertain where the recommendation may already be closed, or where
    its due date is known only to a span the day lies in."""
    if rec.days_overdue:
        text = f"{rec.days_overdue:,} days"
        return Tag(text + UNCERTAIN_MARK, "uncertain") if rec.uncertain or rec.closing is not None else text
    if rec.past_due == "possibly":
        return Tag("possibly", "uncertain")
    return ""


def none_open(figure: figures.Figure) -> str:
    """What an empty list of open recommendations means: none, or none the record lists."""
    if figure.certain:
        return "None."
    return f"None listed on record; open recommendations: {figures.words(figure)}."


def not_listed(figure: figures.Figure) -> str:
    return f"Not every recommendation is on record: open recommendations: {figures.words(figure)}."


def due_label(rec: RecommendationStanding) -> str:
    if rec.due is None:
        return ""
    return f"~{rec.due}" if rec.due.basis == "derived" else str(rec.due)


# -- the whole ledger ------------------------------------------------------------------------


class Move(NamedTuple):
    """A phase change as a national view shows it: where to, on what day, and whether it was
    recorded against peel assess's verdict (:class:`~peelcli.schema.records.PhaseChange`'s
    names, without its sources and words)."""

    phase: str
    decided_on: PartialDate
    assessment_overridden: bool

    @classmethod
    def of(cls, change: PhaseChange | None) -> Move | None:
        return None if change is None else cls(change.phase, change.decided_on, change.assessment_overridden)


class Summary(NamedTuple):
    """A force on the day as a national view shows it (:func:`summary_of` its standing): what a
    row, a headline count or a filter reads, and none of the file's records, so a national view
    of 10,000 forces holds 10,000 of these and not 10,000 force files. Attributes that a
    :class:`~peelcli.timeline.Standing` also has are named as it names them, and hold what it
    gives, so a cell that reads only those reads either."""

    as_of: date
    phase: str
    since: Move | None
    phase_pending: Move | None
    record_checked_to: PartialDate | None
    beyond_record: bool | None
    phase_known_to: date | None
    phase_basis: str
    phase_on: date
    phase_open_ended: bool
    counts: figures.Figures
    """The force's figures (:func:`peelcli.figures.of` its standing)."""
    open_causes_uncertain: int


def summary_of(found: Standing) -> Summary:
    return Summary(
        found.as_of,
        found.phase,
        Move.of(found.since),
        Move.of(found.phase_pending),
        found.record_checked_to,
        found.beyond_record,
        found.phase_known_to,
        found.phase_basis,
        found.phase_on,
        found.phase_open_ended,
        figures.of(found),
        sum(1 for c in found.open_causes if c.uncertain),
    )


class SummaryRow(NamedTuple):
    slug: str
    name: str
    packed: bytes | None
    """The force's :class:`Summary`, pickled (:meth:`of`); None: no file (Scan by default,
    nothing on record), or an invalid one. A summary held as objects takes about 2 KB (its
    figures' doubts name their causes and recommendations); pickled, a quarter of that, so a
    national view of 10,000 forces stays small. Read it as :attr:`summary`."""
    problem: str | None = None  # the file exists but does not validate
    standing: Standing | None = None
    """The force's whole standing, kept only for a view that lists its records (``full``)."""

    @classmethod
    def of(cls, slug: str, name: str, summary: Summary | None, problem: str | None = None, standing=None):
        packed = None if summary is None else pickle.dumps(summary, pickle.HIGHEST_PROTOCOL)
        return cls(slug, name, packed, problem, standing)

    @property
    def summary(self) -> Summary | None:
        """The force on the day as the national view shows it (our own bytes, made in this process)."""
        return None if self.packed is None else pickle.loads(self.packed)

    @property
    def summarised(self) -> bool:
        """A valid file was read and summarised (told without unpacking the summary)."""
        return self.packed is not None


class National(NamedTuple):
    """Every force (or every service: ``sector``) on a day, and how far the national record of
    its sector was searched."""

    rows: list[SummaryRow]
    as_of: date
    record_checked_to: PartialDate | None = None
    record_checked_note: str | None = None
    sector: str = "police"

    @property
    def beyond_record(self) -> bool | None:
        return None if self.record_checked_to is None else self.as_of > self.record_checked_to.latest

    @property
    def count_holds_on(self) -> date:
        """The day the count of forces in Engage rests on: ``as_of``, or the end of the search."""
        return min(self.as_of, self.record_checked_to.latest) if self.beyond_record else self.as_of

    @property
    def in_engage(self) -> list[SummaryRow]:
        """Forces surely in Engage on the day (see :func:`engage_figure` for those in doubt)."""
        return [r for r in self.rows if (s := r.summary) is not None and s.phase == "engage" and not _leaving(s)]

    @property
    def invalid(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.problem is not None]

    @property
    def with_file(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.summarised or r.problem is not None]


def _leaving(found: Summary) -> bool:
    """A force whose next phase change is dated to a span the day lies in."""
    return found.phase_pending is not None


def engage_figure(found: National) -> figures.Figure:
    """Forces in Engage: surely, or possibly (a move dated to a span the day lies in, or a file
    peel cannot read, whose phase is unknown)."""
    subjects = []
    for row in found.rows:
        s = row.summary
        if row.problem is not None:
            subjects.append((row.slug, figures.FILE_INVALID))
        elif s is not None and s.phase == "engage":
            subjects.append((row.slug, figures.POSSIBLY_RETURNED if _leaving(s) else None))
        elif s is not None and s.phase_pending is not None:
            subjects.append((row.slug, figures.POSSIBLY_MOVED))
    return figures.counted(subjects)


def national(
    ledger,
    as_of: date,
    *,
    today: date,
    sector: str = "police",
    full: bool = False,
    visit: Callable[[Any, Standing], None] | None = None,
) -> tuple[National, list]:
    """A row for every force (every service, for ``sector`` fire) in the registry or with a file;
    problems of invalid files (errors) and of files whose name is no slug (warnings: skipped, the
    rest still reported).

    Each file is read, summarised and let go, so memory stays flat however large the ledger:
    ``full`` keeps each force's whole standing too (for views that list every record), and
    ``visit(reading, standing)`` is told each valid file as it is read, for a caller that needs
    more of it than its summary (``peel site``: its moves, for every page's precedents)."""
    from .ledger import stray_problem
    from .timeline import standing

    registry, (slugs, strays) = ledger.registry(), ledger.listing()
    files = {slug for slug in slugs if registry.sector_of(slug) == sector}
    names = {slug: name for slug, name in registry.names.items() if registry.sector_of(slug) == sector}
    searched = registry.checked_to(sector)
    rows, problems = [], [stray_problem(path, severity="warning") for path in strays]
    for slug in sorted(set(names) | files):
        if slug not in files:
            rows.append(SummaryRow(slug, names[slug], None))
            continue
        reading = ledger.read(slug, today=today, keep=False)
        if not reading.ok:
            problems += reading.errors
            rows.append(SummaryRow(slug, names.get(slug, slug), None, "invalid file: see peel validate"))
            continue
        found = standing(reading.force, as_of, national=searched)
        if visit is not None:
            visit(reading, found)
        rows.append(SummaryRow.of(slug, reading.force.name, summary_of(found), None, found if full else None))
    return National(rows, as_of, searched, registry.checked_note(sector), sector), problems


def engage_headline(found: National) -> Cell:
    """``1 of 43 forces``, with the day the count rests on when the record ends before ``as_of``;
    a range where a force's phase is in doubt or its file cannot be read."""
    engage = engage_figure(found)
    count = f"{figures.number(engage)} of {plural(len(found.rows), 'force')}"
    if not engage.certain:
        count += f" ({figures.reasons(engage)})"
    if found.record_checked_to is None:
        count += " (how far the national record was searched is not stated)"
    elif found.beyond_record:
        count += (
            f" on the record, which was searched to {found.record_checked_to}: "
            "a later move into or out of Engage is not known to peel"
        )
    return count if engage.certain else Tag(count, "uncertain")


def on_record_label(found: National) -> str:
    """``10 of 43 forces have a file (1 invalid)``: every file counts, readable or not."""
    invalid = len(found.invalid)
    bad = f" ({invalid:,} invalid: peel validate says why)" if invalid else ""
    return f"{len(found.with_file)} of {len(found.rows)} forces have a file{bad}; the others are in Scan by default"


def open_causes_label(standing: Standing) -> Cell:
    """Open causes in a narrow column: "1", "0-3" where the record leaves some in doubt."""
    return summary_cell(figures.causes_open(standing))


def summary_cell(figure: figures.Figure) -> Cell:
    text = figures.cell(figure)
    return text if figure.certain else Tag(text, "uncertain")


def phase_days_cell(duration: figures.Duration | None) -> Cell:
    if duration is None:
        return ""
    text = figures.duration_cell(duration)
    return text if duration.kind == "known" else Tag(text, "uncertain")


def record_to_cell(found: Standing | Summary) -> str:
    """How far the force's record was checked; * when it ends before the as-of day."""
    if found.record_checked_to is None:
        return "not stated"
    return str(found.record_checked_to) + ("*" if found.beyond_record else "")


# -- what the national view lists, and in what order ------------------------------------------

ENGAGE, PHASE_UNKNOWN, OPEN, NOTHING_OPEN, NO_FILE = "engage", "phase-unknown", "open", "nothing-open", "no-file"
GROUPS = (ENGAGE, PHASE_UNKNOWN, OPEN, NOTHING_OPEN, NO_FILE)
"""The national view's groups, in the order it lists them: what matters first."""


def may_be_in(found: Standing | Summary, phase: str) -> bool:
    """The force is in ``phase`` on the day, or may be (its next change is dated to a span the
    day lies in)."""
    return found.phase == phase or (found.phase_pending is not None and found.phase_pending.phase == phase)


def group_of(row: SummaryRow) -> str:
    """Where a force is listed: in Engage (or possibly); its phase not known (an invalid file);
    something open or overdue, or possibly so (a figure that is not a known zero); nothing open;
    no file."""
    if row.problem is not None:
        return PHASE_UNKNOWN
    found = row.summary
    if found is None:
        return NO_FILE
    if may_be_in(found, "engage"):
        return ENGAGE
    counts = found.counts
    if any(f.most != 0 for f in (counts.causes_open, counts.recommendations_open, counts.recommendations_overdue)):
        return OPEN
    return NOTHING_OPEN


class Only(NamedTuple):
    """A filter of a national view: the option that asked for it, its value, and which rows it
    keeps. Filters combine (a row is listed when every filter keeps it); the headline figures
    stay those of the whole ledger."""

    option: str
    value: str
    keeps: Callable[[SummaryRow], bool]
    words: str
    """What the filter lists, for people: "forces in Engage, or whose phase may be Engage"."""


def in_phase(phase: str) -> Only:
    """Forces in ``phase`` or that may be: a force with no file is in Scan by default, and one
    whose file is invalid has a phase peel cannot tell, so it is listed under either."""

    def keeps(row: SummaryRow) -> bool:
        if row.problem is not None:
            return True
        return may_be_in(row.summary, phase) if row.summarised else phase == "scan"

    return Only(
        "phase",
        phase,
        keeps,
        f"forces in {phase_label(phase)}, or that may be",
    )


def listed(found: National, only: tuple[Only, ...] = ()) -> list[SummaryRow]:
    """The rows every filter keeps, in the ledger's order."""
    return [row for row in found.rows if all(f.keeps(row) for f in only)]


def summary_json(found: National, only: tuple[Only, ...] = ()) -> dict[str, Any]:
    out = []
    for row in listed(found, only):
        s = row.summary
        entry = {
            "force": row.slug,
            "name": row.name,
            "on_record": s is not None or row.problem is not None,
            "valid": row.problem is None,
            "phase": s.phase if s else ("scan" if row.problem is None else None),
            "phase_since": text_or_none(s.since.decided_on) if s and s.since else None,
        }
        if s is None:
            searched = found.record_checked_to if row.problem is None else None
            entry.update(
                {
                    "days_in_phase": None,
                    "phase_known_to": searched.latest.isoformat() if searched else None,
                    "phase_basis": figures.NATIONAL_SEARCH if searched else None,
                    "days_in_phase_figure": None,
                    "record_checked_to": None,
                    "beyond_record": None,
                    "causes_open": None,
                    "causes_open_uncertain": None,
                    "recommendations_open": None,
                    "recommendations_overdue": None,
                    "figures": None,
                }
            )
        else:
            counts, counted = counts_json(s.counts)
            entry.update(
                {
                    **phase_json(s, s.counts.days_in_phase),
                    "record_checked_to": text_or_none(s.record_checked_to),
                    "beyond_record": s.beyond_record,
                    "causes_open": counts["causes_open"],
                    "causes_open_uncertain": s.open_causes_uncertain,
                    "recommendations_open": counts["recommendations_open"],
                    "recommendations_overdue": counts["recommendations_overdue"],
                    "figures": {
                        key: counted[key] for key in ("causes_open", "recommendations_open", "recommendations_overdue")
                    },
                }
            )
        entry["group"] = group_of(row)
        out.append(entry)
    engage = engage_figure(found)
    return {
        "as_of": found.as_of.isoformat(),
        "record_checked_to": text_or_none(found.record_checked_to),
        "beyond_record": found.beyond_record,
        "in_engage": {
            "count": engage.value,
            "of": len(found.rows),
            "forces": [r.slug for r in found.in_engage],
            "holds_on": found.count_holds_on.isoformat(),
            "figure": figures.figure_json(engage),
        },
        "forces_with_a_file": len(found.with_file),
        "invalid_files": [r.slug for r in found.invalid],
        "only": {f.option: f.value for f in only},
        "forces": out,
    }


def summary_note(found: National) -> str:
    """What the table's marks mean, with how far the national search of phase changes reaches."""
    search = (
        f"the end of the national search of phase changes ({found.record_checked_to}), or of its own record "
        "where that is later"
        if found.record_checked_to is not None
        else "the end of its own record"
    )
    return (
        "Causes, Recs: open causes of concern and recommendations. Overdue: open recommendations past their due "
        f"date. {figures.CELL_NOTE} peel status FORCE says why. Days: days in the phase; 324+: at least 324, to the "
        f"last day the force's phase is known: {search}. Record to: how far the force's record was checked; * "
        "marks a record that ends before the as-of day, whose counts hold on the day it ends."
    )


def phase_cell(found: Standing | Summary) -> Cell:
    """The phase, tagged with its meaning (Engage is coloured where the medium has colour); a
    change dated to a span the day lies in makes it "Scan, possibly Engage", tagged uncertain."""
    pending = found.phase_pending
    if pending is not None and pending.phase != found.phase:
        return Tag(f"{phase_label(found.phase)}, possibly {phase_label(pending.phase)}", "uncertain")
    return Tag(phase_label(found.phase), f"phase-{found.phase}")


SUMMARY_COLUMNS = ["Force", "Name", "Phase", "Since", "Days", "Causes", "Recs", "Overdue", "Record to"]


def summary_cells(row: SummaryRow) -> list[Cell]:
    s = row.summary
    if row.problem is not None:
        return [row.slug, row.name, Tag("invalid file", "problem"), "", "", "", "", "", "phase unknown"]
    if s is None:
        return [row.slug, row.name, Tag("Scan", "phase-scan"), "no record", "", "", "", "", ""]
    found_figures = s.counts
    return [
        row.slug,
        row.name,
        phase_cell(s),
        str(s.since.decided_on) if s.since else "",
        phase_days_cell(found_figures.days_in_phase),
        summary_cell(found_figures.causes_open),
        summary_cell(found_figures.recommendations_open),
        summary_cell(found_figures.recommendations_overdue),
        record_to_cell(s),
    ]


GROUP_TITLES = {
    ENGAGE: "In Engage",
    PHASE_UNKNOWN: "Phase not known: the file is invalid",
    OPEN: "In Scan, with something open or overdue",
    NOTHING_OPEN: "In Scan, nothing open on the record",
    NO_FILE: "No file: in Scan by default",
}
GROUP_NOTES = {
    ENGAGE: "Including a force whose move into or out of Engage is dated to a span the day lies in.",
    PHASE_UNKNOWN: "peel validate says why; the phase of such a force may be either.",
    OPEN: "Listed here where a figure is not a known 0: something is open or overdue, or may be (a range or ?).",
    NO_FILE: "Nothing on record for these forces: Scan is the default, not a claim about them.",
}


def summary_document(found: National, only: tuple[Only, ...] = (), *, every: bool = False) -> Document:
    """Forces in Engage first, then those whose phase is not known, then those with something
    open or overdue, then the rest with a file; forces with no file are one line (``every``:
    a table of their own)."""
    rows = listed(found, only)
    grouped: dict[str, list[SummaryRow]] = {group: [] for group in GROUPS}
    for row in rows:
        grouped[group_of(row)].append(row)
    facts: list[tuple[str, Cell]] = [
        ("As of", found.as_of.isoformat()),
        ("In Engage", engage_headline(found)),
        ("On record", on_record_label(found)),
    ]
    if only:
        facts.append(("Listed", "; ".join(f"{f.words} (--{f.option} {f.value})" for f in only)))
    parts = []
    for group in GROUPS:
        members = grouped[group]
        if group == NO_FILE and members and not every:
            parts.append(Part("No file", paragraphs=[no_file_line(len(members))]))
            continue
        if not members and not (group == ENGAGE and not any(f.option == "phase" and f.value != "engage" for f in only)):
            continue
        table = section(
            GROUP_TITLES[group],
            ["Force", "Name", "Phase"] if group == NO_FILE else SUMMARY_COLUMNS,
            [summary_cells(row)[:3] if group == NO_FILE else summary_cells(row) for row in members],
            empty=no_engage(found),
            numeric=frozenset({"Days", "Causes", "Recs", "Overdue"}),
            wrap=frozenset({"Name"}),
        )
        notes = [GROUP_NOTES[group]] if group in GROUP_NOTES and members and _noted(group, members) else []
        parts.append(table._replace(notes=notes))
    if not parts:
        parts.append(Part("Forces", paragraphs=["No force is listed: none is, or may be, what was asked for."]))
    return Document(f"{SECTOR_NAMES[found.sector]}: HMICFRS monitoring", facts, parts, [summary_note(found)])


def _noted(group: str, members: list[SummaryRow]) -> bool:
    """A group's note is said where it explains something in it."""
    if group == ENGAGE:
        return any((s := row.summary) is not None and s.phase_pending is not None for row in members)
    return True


def no_file_line(count: int) -> str:
    return (
        f"{plural(count, 'force')} {'has' if count == 1 else 'have'} no file: in Scan by default, with nothing on "
        "record, which is not a claim about them. peel status --all lists them."
    )


def no_engage(found: National) -> str:
    """What an empty Engage section means: none on the record, or none surely."""
    if engage_figure(found).certain:
        return "No force is in Engage on the record."
    return "No force is surely in Engage on the record: see In Engage above."


class ForceStatus(NamedTuple):
    """The view of ``peel status FORCE``."""

    standing: Standing

    def json(self) -> dict[str, Any]:
        return status_json(self.standing)

    def document(self) -> Document:
        return status_document(self.standing)


class LedgerStatus(NamedTuple):
    """The view of ``peel status``: every force, or those the filters keep (``every``: forces
    with no file listed one by one, not counted in one line)."""

    found: National
    only: tuple[Only, ...] = ()
    every: bool = False

    def json(self) -> dict[str, Any]:
        return summary_json(self.found, self.only)

    def document(self) -> Document:
        return summary_document(self.found, self.only, every=self.every)

"""``peel due``: what falls due, and what is overdue, for one force or every force. Pure.

A recommendation not surely closed is listed by where its due date lies: *overdue* on the day
the force's figures hold (the as-of day, or the end of its record when that is earlier, as
``peel status`` counts), *possibly overdue* (a due date known only to a span holding that day),
*after the record* (it fell due between the end of the record and the period: whether it was
met is not known), *due* in the period (default: the next 30 days), or with *no due date* on
record. Each list is in date order, and every count is a :mod:`~peelcli.figures` figure: where a
record ends before the period does, what falls due in it is not known, never "none".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from . import figures
from .dates import LAST_DAY, add_days
from .deadlines import counted_from
from .figures import Figure, Period
from .output.document import Cell, Document, Part, Tag, section
from .output.jsontext import text_or_none
from .output.wording import plural
from .schema.names import SECTOR_NAMES
from .status import National, Only, SummaryRow, listed, rec_text, summary_cell
from .timeline import CauseStanding, RecommendationStanding, Standing

OVERDUE = "overdue"
POSSIBLY_OVERDUE = "possibly-overdue"
AFTER_RECORD = "after-record"
DUE = "due"
NO_DUE_DATE = "no-due-date"

DEFAULT_DAYS = 30


def basis_note(entries: list[DueRecommendation]) -> list[str]:
    """The note on due dates' basis, where a due date is listed."""
    return [BASIS_NOTE] if any(e.rec.due is not None for e in entries) else []


def next_days(day: date, days: int = DEFAULT_DAYS) -> Period:
    """The ``days`` after ``day`` (default: the next 30 days), cut where peel's dates end."""
    return Period(day, add_days(day, days) or LAST_DAY)


BASIS_NOTE = (
    'Basis: stated, the file gives the due date or the deadline\'s wording fixes it ("By 31 December 2023"); '
    'derived, counted by the wording ("Within six months") from the cause\'s publication, else from when it was '
    "raised. A due date known only to a span is given as its first and last day."
)


class DueRecommendation(NamedTuple):
    """A recommendation not surely closed, where its due date puts it, and why not surely."""

    standing: Standing
    cause: CauseStanding
    rec: RecommendationStanding
    state: str
    why: str | None = None
    """Why it is listed though it may not belong there (a figure's reason), or ``None``."""

    @property
    def slug(self) -> str:
        return self.standing.force.slug

    def sort_key(self) -> tuple:
        due = self.rec.due
        when = (due.earliest, due.latest) if due is not None else (date.max, date.max)
        return (*when, self.slug, self.rec.recommendation.id)


def due_recommendations(standing: Standing, period: Period) -> list[DueRecommendation]:
    """Every recommendation not surely closed, in each list it belongs to (one whose due date is a
    span may be both possibly overdue and due in the period), by the same tests as the figures."""
    found = []
    for cause in (*standing.causes, *standing.possible_causes):
        for rec in cause.recommendations:
            if rec.closed_on is not None:
                continue
            if rec.due is None:
                found.append(
                    DueRecommendation(
                        standing, cause, rec, NO_DUE_DATE, figures.falls_due(standing, cause, rec, period)[1]
                    )
                )
                continue
            late, why = figures.overdue_doubt(cause, rec)
            if late:
                state = OVERDUE if rec.past_due == "yes" else POSSIBLY_OVERDUE
                found.append(DueRecommendation(standing, cause, rec, state, why))
            coming, why = figures.falls_due(standing, cause, rec, period)
            if coming:
                found.append(DueRecommendation(standing, cause, rec, DUE, why))
            elif not late and rec.due.latest < period.start:
                found.append(DueRecommendation(standing, cause, rec, AFTER_RECORD, figures.OPEN_AT_RECORD_END))
    return sorted(found, key=DueRecommendation.sort_key)


class ForceDue(NamedTuple):
    """One force's deadlines and its two figures."""

    standing: Standing
    recommendations: list[DueRecommendation]
    overdue: Figure
    due: Figure


def force_due(standing: Standing, period: Period) -> ForceDue:
    return ForceDue(
        standing,
        due_recommendations(standing, period),
        figures.recommendations_overdue(standing),
        figures.recommendations_due(standing, period),
    )


# -- cells -----------------------------------------------------------------------------------------


def due_cell(entry: DueRecommendation) -> Cell:
    due = entry.rec.due
    if due is None:
        return ""
    if due.exact:
        return due.latest.isoformat()
    return Tag(f"{due.earliest.isoformat()} to {due.latest.isoformat()}", "uncertain")


def basis_text(rec: RecommendationStanding) -> str:
    if rec.due is None:
        return ""
    if rec.due.basis == "derived":
        return f"derived: {rec.recommendation.deadline}, from {counted_from(rec.cause)}"
    return "stated"


def overdue_cell(entry: DueRecommendation, *, national: bool) -> Cell:
    """Days overdue on the day the figures hold; nationally, that day is said where it is the
    record's end (a force's own view says it once, in the heading)."""
    standing, rec = entry.standing, entry.rec
    if entry.state == POSSIBLY_OVERDUE or rec.days_overdue is None:
        return Tag(
            "possibly" + (f" ({entry.why})" if entry.why and entry.why != figures.POSSIBLY_OVERDUE else ""), "uncertain"
        )
    text = f"{rec.days_overdue:,} days"
    if national and standing.beyond_record:
        text += f" on {standing.figures_on.isoformat()}"
    return Tag(f"{text} ({entry.why})", "uncertain") if entry.why else text


def state_cell(entry: DueRecommendation) -> Cell:
    """Whether it is open when it falls due, as far as the record shows."""
    if entry.why == figures.OPEN_AT_RECORD_END:
        return Tag(f"open when the record ends ({entry.standing.figures_on.isoformat()}): not known since", "uncertain")
    if entry.why is not None:
        return Tag(f"open; {entry.why}", "uncertain")
    return "open"


def deadline_cell(rec: RecommendationStanding) -> str:
    wording = rec.recommendation.deadline
    if not wording:
        return "none on record"
    return f"{wording} (a wording peel cannot date)"


# -- the document ------------------------------------------------------------------------------


def period_words(period: Period, as_of: date) -> str:
    days = (period.end - period.start).days
    return f"{period.start.isoformat()} to {period.end.isoformat()} ({plural(days, 'day')} from {as_of.isoformat()})"


def _parts(
    entries: list[DueRecommendation], period: Period, due: Figure, overdue: Figure, *, national: bool, holds: str = ""
) -> list[Part]:
    """The lists, each in date order: overdue (``holds``: on what day, in a force's own view),
    fell due after the record, due in the period, no due date."""
    force = ["Force"] if national else []

    def cells(entry: DueRecommendation, *last: Cell) -> list[Cell]:
        return [
            due_cell(entry),
            *([entry.slug] if national else []),
            entry.rec.recommendation.id,
            rec_text(entry.rec),
            basis_text(entry.rec),
            *last,
        ]

    by_state = {
        state: [e for e in entries if e.state == state]
        for state in (OVERDUE, POSSIBLY_OVERDUE, AFTER_RECORD, DUE, NO_DUE_DATE)
    }
    late = sorted(by_state[OVERDUE] + by_state[POSSIBLY_OVERDUE], key=DueRecommendation.sort_key)
    wrap = frozenset({"Recommendation", "Basis", "State"})
    undated = (
        ["Those with no due date on record (listed below) may be overdue too, and are counted so."]
        if by_state[NO_DUE_DATE]
        else []
    )
    parts = [
        section(
            "Overdue" + holds,
            ["Due", *force, "ID", "Recommendation", "Basis", "Overdue"],
            [cells(e, overdue_cell(e, national=national)) for e in late],
            empty=none_listed(overdue, "overdue", "No open recommendation is past its due date."),
            numeric=frozenset({"Overdue"}),
            wrap=wrap,
            notes=undated,
        )
    ]
    if by_state[AFTER_RECORD]:
        parts.append(
            section(
                "Fell due after the record ends: whether met is not known",
                ["Due", *force, "ID", "Recommendation", "Basis", "Record ends"],
                [cells(e, e.standing.figures_on.isoformat()) for e in by_state[AFTER_RECORD]],
                wrap=wrap,
            )
        )
    parts.append(
        section(
            f"Due from {period.start.isoformat()} to {period.end.isoformat()}",
            ["Due", *force, "ID", "Recommendation", "Basis", "State"],
            [cells(e, state_cell(e)) for e in by_state[DUE]],
            empty=none_listed(due, "due in the period", "None falls due in the period."),
            wrap=wrap,
        )
    )
    if by_state[NO_DUE_DATE]:
        parts.append(
            section(
                "No due date on record: may fall due any day",
                [*force, "ID", "Recommendation", "Deadline"],
                [
                    [*([e.slug] if national else []), e.rec.recommendation.id, rec_text(e.rec), deadline_cell(e.rec)]
                    for e in sorted(by_state[NO_DUE_DATE], key=lambda e: e.slug)
                ],
                wrap=frozenset({"Recommendation", "Deadline"}),
            )
        )
    return parts


def none_listed(figure: Figure, what: str, certain: str) -> str:
    """What an empty list means: none, where the figure is a known 0; else what is not known."""
    if figure.certain:
        return certain
    return f"None listed on record; {what}: {figures.words(figure)}."


def figure_fact(figure: Figure, noun: str = "recommendation") -> Cell:
    text = figures.words(figure, noun)
    return text if figure.certain else Tag(text, "uncertain")


def record_words(standing: Standing, period: Period) -> str:
    """Where the force's record ends, and what that leaves unknown of the period."""
    checked = standing.record_checked_to
    if checked is None:
        return "how far this force's record was checked is not stated: what falls due may be missing"
    if figures.record_reaches(standing, period.end):
        return f"checked to {checked}"
    if standing.beyond_record:
        return (
            f"checked to {checked}, before {standing.as_of.isoformat()}: nothing later is known to peel, so overdue "
            f"counts hold on {standing.figures_on.isoformat()}, and what falls due in the period is not known"
        )
    return f"checked to {checked}, before the period ends: nothing later is known to peel"


def force_document(found: ForceDue, period: Period) -> Document:
    standing = found.standing
    force = standing.force
    holds = f" on {standing.figures_on.isoformat()}, when the record ends" if standing.beyond_record else ""
    facts: list[tuple[str, Cell]] = [
        ("As of", standing.as_of.isoformat()),
        ("Period", period_words(period, standing.as_of)),
        ("Record", record_words(standing, period)),
        ("Overdue" + holds, figure_fact(found.overdue)),
        ("Due in the period", figure_fact(found.due)),
    ]
    return Document(
        f"{force.name} ({force.slug}): what falls due",
        facts,
        _parts(found.recommendations, period, found.due, found.overdue, national=False, holds=holds),
        basis_note(found.recommendations),
    )


def deadlines_part(standing: Standing, period: Period) -> Part:
    """What falls due, for a force's board report and site page (its overdue list is there already)."""
    found = force_due(standing, period)
    parts = _parts(found.recommendations, period, found.due, found.overdue, national=False)[1:]
    return Part(
        f"What falls due in the {plural((period.end - period.start).days, 'day')} from {period.start.isoformat()}",
        "due",
        facts=[("Record", record_words(standing, period)), ("Due in the period", figure_fact(found.due))],
        parts=[p._replace(anchor=f"due-{i}") for i, p in enumerate(parts, 1)],
    )


# -- JSON ----------------------------------------------------------------------------------------


def entry_json(entry: DueRecommendation) -> dict[str, Any]:
    rec, standing = entry.rec, entry.standing
    due = rec.due
    return {
        "state": entry.state,
        "force": entry.slug,
        "cause": entry.cause.cause.id,
        "id": rec.recommendation.id,
        "text": rec.recommendation.text,
        "deadline": rec.recommendation.deadline,
        "due": due.latest.isoformat() if due else None,
        "due_earliest": due.earliest.isoformat() if due else None,
        "due_latest": due.latest.isoformat() if due else None,
        "due_basis": due.basis if due else None,
        "counted_from": str(counted_from(rec.cause)) if due is not None and due.basis == "derived" else None,
        "days_overdue": rec.days_overdue if entry.state == OVERDUE else None,
        "holds_on": standing.figures_on.isoformat(),
        "uncertain": entry.why is not None or rec.uncertain,
        "why": entry.why,
        "possibly_closed_on": text_or_none(rec.closing),
    }


def force_json(found: ForceDue, period: Period) -> dict[str, Any]:
    standing = found.standing
    return {
        "force": standing.force.slug,
        "name": standing.force.name,
        "record_checked_to": text_or_none(standing.record_checked_to),
        "beyond_record": standing.beyond_record,
        "figures_hold_on": standing.figures_on.isoformat(),
        "record_reaches_period_end": figures.record_reaches(standing, period.end),
        "figures": {
            "recommendations_overdue": figures.figure_json(found.overdue),
            "recommendations_due": figures.figure_json(found.due),
        },
    }


def _json(found: list[ForceDue], period: Period, as_of: date, **more: Any) -> dict[str, Any]:
    entries = sorted((e for f in found for e in f.recommendations), key=DueRecommendation.sort_key)
    return {
        "as_of": as_of.isoformat(),
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": (period.end - period.start).days,
        },
        **more,
        "recommendations": [entry_json(e) for e in entries],
    }


class ForceDeadlines(NamedTuple):
    """The view of ``peel due FORCE``."""

    standing: Standing
    period: Period

    def json(self) -> dict[str, Any]:
        found = force_due(self.standing, self.period)
        return _json(
            [found],
            self.period,
            self.standing.as_of,
            force=self.standing.force.slug,
            figures=force_json(found, self.period)["figures"],
            forces=[force_json(found, self.period)],
        )

    def document(self) -> Document:
        return force_document(force_due(self.standing, self.period), self.period)


# -- every force -----------------------------------------------------------------------------------


class LedgerDue(NamedTuple):
    """Every listed force's deadlines, with the totals over them."""

    forces: list[ForceDue]
    no_file: list[SummaryRow]
    invalid: list[SummaryRow]
    overdue: Figure
    due: Figure


def ledger_due(found: National, period: Period, only: tuple[Only, ...] = ()) -> LedgerDue:
    rows = listed(found, only)
    forces = [force_due(row.standing, period) for row in rows if row.summarised]  # national(full=True)
    invalid = [row for row in rows if row.problem is not None]
    lost = figures.unreadable(row.slug for row in invalid)
    return LedgerDue(
        forces,
        [row for row in rows if not row.summarised and row.problem is None],
        invalid,
        figures.total([*(f.overdue for f in forces), lost]),
        figures.total([*(f.due for f in forces), lost]),
    )


def _records_table(forces: Iterable[ForceDue], period: Period) -> Part:
    rows = []
    for f in forces:
        s = f.standing
        checked = "not stated" if s.record_checked_to is None else str(s.record_checked_to)
        rows.append([s.force.slug, checked, s.figures_on.isoformat(), summary_cell(f.overdue), summary_cell(f.due)])
    return section(
        "Where each record ends",
        ["Force", "Record to", "Overdue on", "Overdue", "Due"],
        rows,
        empty="No force with a file is listed.",
        numeric=frozenset({"Overdue", "Due"}),
        notes=[
            "Overdue on: the day each force's overdue count holds, the as-of day or the end of its record. Due: "
            f"falling due in the period. {figures.CELL_NOTE} peel due FORCE says why."
        ],
    )


def records_words(ended: int, forces: int, period: Period) -> str:
    if not ended:
        return f"every record of the {plural(forces, 'force')} with a file reaches {period.end.isoformat()}"
    verb = "has a record that ends" if ended == 1 else "have records that end"
    return (
        f"{ended} of {plural(forces, 'force')} with a file {verb} before {period.end.isoformat()}: nothing after "
        "each record's end is known, and overdue counts hold on it where it is before the as-of day (see Where "
        "each record ends)"
    )


def no_file_words(count: int) -> str:
    verb = "has" if count == 1 else "have"
    return f"{plural(count, 'force')} {verb} no file: none of their recommendations is on record"


def ledger_document(found: LedgerDue, period: Period, as_of: date, sector: str = "police") -> Document:
    ended = [f for f in found.forces if not figures.record_reaches(f.standing, period.end)]
    facts: list[tuple[str, Cell]] = [
        ("As of", as_of.isoformat()),
        ("Period", period_words(period, as_of)),
        ("Overdue", figure_fact(found.overdue)),
        ("Due in the period", figure_fact(found.due)),
    ]
    if found.forces:
        facts.append(("Records", records_words(len(ended), len(found.forces), period)))
    if found.no_file:
        facts.append(("No file", no_file_words(len(found.no_file))))
    if found.invalid:
        facts.append(("Invalid", Tag(f"{', '.join(r.slug for r in found.invalid)}: peel validate says why", "problem")))
    entries = sorted((e for f in found.forces for e in f.recommendations), key=DueRecommendation.sort_key)
    parts = _parts(entries, period, found.due, found.overdue, national=True)
    parts.append(_records_table(found.forces, period))
    return Document(f"{SECTOR_NAMES[sector]}: what falls due", facts, parts, basis_note(entries))


class NationalDeadlines(NamedTuple):
    """The view of ``peel due``: every force with a file (those the filters keep)."""

    found: National
    period: Period
    only: tuple[Only, ...] = ()

    def json(self) -> dict[str, Any]:
        found = ledger_due(self.found, self.period, self.only)
        return _json(
            found.forces,
            self.period,
            self.found.as_of,
            force=None,
            figures={
                "recommendations_overdue": figures.figure_json(found.overdue),
                "recommendations_due": figures.figure_json(found.due),
            },
            forces=[force_json(f, self.period) for f in found.forces],
            no_file=[r.slug for r in found.no_file],
            invalid_files=[r.slug for r in found.invalid],
            only={f.option: f.value for f in self.only},
        )

    def document(self) -> Document:
        found = ledger_due(self.found, self.period, self.only)
        return ledger_document(found, self.period, self.found.as_of, self.found.sector)

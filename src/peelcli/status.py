"""``peel status``: where a force stands on a day, and one row per force for the whole ledger.

Pure: a :class:`~peelcli.timeline.Standing` in; its views give the documented JSON shape or a
:class:`~peelcli.output.document.Document`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .dates import PartialDate
from .history import event_cells, event_json, uncertain_marked
from .output.document import Document, Part, Tag, section
from .output.jsontext import text_or_none
from .output.wording import days_span, plural
from .timeline import CauseStanding, RecommendationStanding, Standing, doubtful, override_label

LATEST_EVENTS = 5
LEDGER_TITLE = "Police forces of England and Wales: HMICFRS monitoring"


def phase_label(phase: str) -> str:
    return phase.capitalize()


def days_label(standing: Standing) -> str:
    """How long in the phase; beyond the record, how long when the record ends."""
    least, most = standing.days_in_phase, standing.days_in_phase_at_most
    if least is None:
        return ""
    span = days_span(least, most)
    return f"{span} when the record ends" if standing.beyond_record else span


def record_label(standing: Standing) -> str:
    """Where the force's record ends, and what that means for the figures shown."""
    checked = standing.record_checked_to
    if checked is None:
        return "how far this force's record was checked is not stated: figures may miss later events"
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
    total = cause.recommendations_total
    if total is None:
        return "not on record"
    suffix = " (texts not on record)" if cause.cause.recommendations_not_on_record else ""
    return f"{cause.recommendations_closed}/{total}{suffix}"


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
        "uncertain": rec.uncertain,
        "days_overdue": rec.days_overdue,
    }


def status_json(standing: Standing) -> dict[str, Any]:
    """The stable JSON shape documented in the README (``peel status FORCE --format json``)."""
    force, since = standing.force, standing.since
    in_doubt = doubtful(force, standing.as_of)
    return {
        "force": force.slug,
        "name": force.name,
        "as_of": standing.as_of.isoformat(),
        "record_checked_to": text_or_none(standing.record_checked_to),
        "beyond_record": standing.beyond_record,
        "figures_hold_on": standing.figures_on.isoformat(),
        "phase": standing.phase,
        "phase_since": text_or_none(since.decided_on) if since else None,
        "days_in_phase": standing.days_in_phase,
        "decided_by": since.decided_by if since else None,
        "assessment_overridden": bool(since and since.assessment_overridden),
        "chief_officer": _person(standing.chief_officer),
        "policing_body": _person(standing.policing_body),
        "counts": {
            "causes_open": len(standing.open_causes),
            "causes_total": len(standing.causes),
            "recommendations_open": len(standing.open_recommendations),
            "recommendations_overdue": len(standing.overdue_recommendations),
            "areas_for_improvement_open": len(standing.open_areas),
            "causes_open_uncertain": sum(1 for c in standing.open_causes if c.uncertain),
            "recommendations_open_uncertain": sum(1 for r in standing.open_recommendations if r.uncertain),
        },
        "causes_of_concern": [
            {
                "id": c.cause.id,
                "title": c.cause.title,
                "kind": c.cause.kind,
                "accelerated": c.cause.accelerated,
                "raised_on": str(c.cause.raised_on),
                "status": c.status,
                "uncertain": c.uncertain,
                "closed_on": text_or_none(c.closed_on),
                "recommendations_closed": c.recommendations_closed,
                "recommendations_total": c.recommendations_total,
                "recommendations": [_rec_json(r) for r in c.recommendations],
            }
            for c in standing.causes
        ],
        "open_recommendations": [_rec_json(r) for r in standing.open_recommendations],
        "areas_for_improvement": [
            {
                "id": a.area.id,
                "text": a.area.text,
                "raised_on": str(a.area.raised_on),
                "status": a.status,
                "closed_on": text_or_none(a.closed_on),
            }
            for a in standing.areas
        ],
        "latest_events": [event_json(e, in_doubt) for e in standing.events[-LATEST_EVENTS:]],
        "pending_events": [event_json(e, in_doubt) for e in standing.pending],
        "uncertainties": [uncertainty_json(u) for u in standing.force.uncertainties],
    }


def uncertainty_json(uncertainty) -> dict[str, Any]:
    resolution = uncertainty.resolution
    return {
        "id": uncertainty.id,
        "about": uncertainty.about,
        "note": uncertainty.note,
        "subjects": list(uncertainty.subjects),
        "resolved_on": text_or_none(resolution.resolved_on) if resolution else None,
    }


def status_document(standing: Standing) -> Document:
    force, since = standing.force, standing.since
    in_doubt = doubtful(force, standing.as_of)
    if since is None:
        phase = "Scan (the default: no phase change on record)"
    else:
        phase = f"{phase_label(standing.phase)} since {since.decided_on} ({days_label(standing)})"
        if since.assessment_overridden:
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
        facts.append(("Policing body", holder_label(standing.policing_body)))
    facts.append(
        (
            "Open" + holds_on(standing),
            f"{len(standing.open_causes)} of {len(standing.causes)} causes of concern; "
            f"{plural(len(standing.open_recommendations), 'recommendation')} "
            f"({len(standing.overdue_recommendations)} overdue)",
        )
    )
    sections = [
        section(
            "Causes of concern" + holds_on(standing),
            ["ID", "Title", "Raised", "Status", "Recs closed"],
            [
                [
                    c.cause.id,
                    c.cause.title + (" (accelerated)" if c.cause.accelerated else ""),
                    str(c.cause.raised_on),
                    uncertain_marked(f"closed {c.closed_on}" if c.closed_on else "open", c.uncertain),
                    recommendations_label(c),
                ]
                for c in standing.causes
            ],
            wrap=frozenset({"Title"}),
        ),
    ]
    sections.append(_open_recommendations(standing.open_recommendations, holds_on(standing)))
    if standing.areas:
        sections.append(
            section(
                "Open areas for improvement",
                ["ID", "Raised", "Area for improvement"],
                [[a.area.id, str(a.area.raised_on), a.area.text] for a in standing.open_areas],
                wrap=frozenset({"Area for improvement"}),
            )
        )
    sections.append(
        section(
            "Latest events",
            ["Date", "Event"],
            [event_cells(e, in_doubt) for e in standing.events[-LATEST_EVENTS:]],
            wrap=frozenset({"Event"}),
        )
    )
    if standing.pending:
        sections.append(
            section(
                "Dated only to a month or year: may or may not have happened by then",
                ["Date", "Event"],
                [event_cells(e, in_doubt) for e in standing.pending],
                wrap=frozenset({"Event"}),
            )
        )
    notes = uncertainty_notes(force)
    if any(r.due and r.due.basis == "derived" for r in standing.open_recommendations):
        notes.append(DERIVED_DUE_NOTE)
    return Document(f"{force.name} ({force.slug})", facts, sections, notes)


DERIVED_DUE_NOTE = "Due dates marked ~ are derived from the deadline wording, counted from the cause's publication."


def uncertainty_notes(force) -> list[str]:
    """What the record leaves uncertain, said at the foot of every report on the force."""
    return [
        f"Not on record: {u.about}: {u.note}"
        + (f" (settled on {u.resolution.resolved_on}: {u.resolution.evidence})" if u.resolution else "")
        for u in force.uncertainties
    ]


def _open_recommendations(recs: tuple[RecommendationStanding, ...], when: str = "") -> Part:
    """Open recommendations; the cause column only when they belong to more than one cause."""
    several = len({r.cause.id for r in recs}) > 1
    columns = ["ID", *(["Cause"] if several else []), "Recommendation", "Deadline", "Due", "Overdue"]
    rows = [
        [
            r.recommendation.id,
            *([r.cause.id] if several else []),
            uncertain_marked(r.recommendation.text, r.uncertain),
            r.recommendation.deadline or "",
            due_label(r),
            f"{r.days_overdue:,} days" if r.days_overdue else "",
        ]
        for r in recs
    ]
    return section(
        "Open recommendations" + when,
        columns,
        rows,
        numeric=frozenset({"Overdue"}),
        wrap=frozenset({"Recommendation", "Deadline"}),
    )


def due_label(rec: RecommendationStanding) -> str:
    if rec.due is None:
        return ""
    return f"~{rec.due}" if rec.due.basis == "derived" else str(rec.due)


# -- the whole ledger ------------------------------------------------------------------------


class SummaryRow(NamedTuple):
    slug: str
    name: str
    standing: Standing | None  # None: no file, Scan by default with nothing on record
    problem: str | None = None  # the file exists but does not validate


class National(NamedTuple):
    """Every force on a day, and how far the national record was searched."""

    rows: list[SummaryRow]
    as_of: date
    record_checked_to: PartialDate | None = None
    record_checked_note: str | None = None

    @property
    def beyond_record(self) -> bool | None:
        return None if self.record_checked_to is None else self.as_of > self.record_checked_to.latest

    @property
    def count_holds_on(self) -> date:
        """The day the count of forces in Engage rests on: ``as_of``, or the end of the search."""
        return min(self.as_of, self.record_checked_to.latest) if self.beyond_record else self.as_of

    @property
    def in_engage(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.standing and r.standing.phase == "engage"]


def national(ledger, as_of: date, *, today: date) -> tuple[National, list]:
    """A row for every force in the registry or with a file; problems of invalid files (errors)
    and of files whose name is no slug (warnings: skipped, the rest still reported)."""
    from .ledger import stray_problem
    from .timeline import standing

    registry, (slugs, strays) = ledger.registry(), ledger.listing()
    files = set(slugs)
    names = registry.names
    rows, problems = [], [stray_problem(path, severity="warning") for path in strays]
    for slug in sorted(set(names) | files):
        if slug not in files:
            rows.append(SummaryRow(slug, names[slug], None))
            continue
        reading = ledger.read(slug, today=today)
        if not reading.ok:
            problems += reading.errors
            rows.append(SummaryRow(slug, names.get(slug, slug), None, "invalid file: see peel validate"))
            continue
        rows.append(SummaryRow(slug, reading.force.name, standing(reading.force, as_of)))
    return National(rows, as_of, registry.record_checked_to, registry.record_checked_note), problems


def engage_headline(found: National) -> str:
    """``1 of 43 forces``, with the day the count rests on when the record ends before ``as_of``."""
    count = f"{len(found.in_engage)} of {plural(len(found.rows), 'force')}"
    if found.record_checked_to is None:
        return f"{count} (how far the national record was searched is not stated)"
    if found.beyond_record:
        return (
            f"{count} on the record, which was searched to {found.record_checked_to}: "
            "a later move into or out of Engage is not known to peel"
        )
    return count


def open_causes_label(standing: Standing) -> str:
    """How many causes are open, with '?' where the record leaves some of their states in doubt."""
    return str(len(standing.open_causes)) + ("?" if any(c.uncertain for c in standing.open_causes) else "")


UNCERTAIN_NOTE = "?: the record leaves the state of some of these causes uncertain (the force's page says which)."


def summary_json(found: National) -> dict[str, Any]:
    out = []
    for row in found.rows:
        s = row.standing
        out.append(
            {
                "force": row.slug,
                "name": row.name,
                "on_record": s is not None,
                "valid": row.problem is None,
                "phase": s.phase if s else ("scan" if row.problem is None else None),
                "phase_since": text_or_none(s.since.decided_on) if s and s.since else None,
                "days_in_phase": s.days_in_phase if s else None,
                "record_checked_to": text_or_none(s.record_checked_to) if s else None,
                "beyond_record": s.beyond_record if s else None,
                "causes_open": len(s.open_causes) if s else None,
                "causes_open_uncertain": sum(1 for c in s.open_causes if c.uncertain) if s else None,
                "recommendations_open": len(s.open_recommendations) if s else None,
                "recommendations_overdue": len(s.overdue_recommendations) if s else None,
            }
        )
    return {
        "as_of": found.as_of.isoformat(),
        "record_checked_to": text_or_none(found.record_checked_to),
        "beyond_record": found.beyond_record,
        "in_engage": {
            "count": len(found.in_engage),
            "of": len(found.rows),
            "forces": [r.slug for r in found.in_engage],
            "holds_on": found.count_holds_on.isoformat(),
        },
        "forces": out,
    }


def summary_document(found: National) -> Document:
    rows, as_of = found.rows, found.as_of
    table = []
    for row in rows:
        s = row.standing
        if row.problem is not None:
            table.append([row.slug, row.name, "invalid file", "", "", "", "", "", ""])
        elif s is None:
            table.append([row.slug, row.name, "Scan", "no record", "", "", "", "", ""])
        else:
            table.append(
                [
                    row.slug,
                    row.name,
                    phase_label(s.phase),
                    str(s.since.decided_on) if s.since else "",
                    f"{s.days_in_phase:,}" if s.since else "",
                    open_causes_label(s),
                    str(len(s.open_recommendations)),
                    str(len(s.overdue_recommendations)),
                    str(s.record_checked_to) + ("*" if s.beyond_record else "")
                    if s.record_checked_to
                    else "not stated",
                ]
            )
    recorded = sum(1 for r in rows if r.standing)
    return Document(
        LEDGER_TITLE,
        [
            ("As of", as_of.isoformat()),
            ("In Engage", engage_headline(found)),
            ("On record", f"{recorded} of {len(rows)} forces have a file; the others are in Scan by default"),
        ],
        [
            section(
                "Forces",
                ["Force", "Name", "Phase", "Since", "Days", "Causes", "Recs", "Overdue", "Record to"],
                table,
                numeric=frozenset({"Days", "Causes", "Recs", "Overdue"}),
                wrap=frozenset({"Name"}),
            )
        ],
        [
            "Causes, Recs: open causes of concern and recommendations. "
            "Overdue: open recommendations past their due date. ?: the record leaves the state of "
            "some of these causes uncertain (peel status FORCE says which). Record to: how far the force's "
            "record was checked; * marks a record that ends before the as-of day, whose days and counts "
            "hold on the day it ends."
        ],
    )


class ForceStatus(NamedTuple):
    """The view of ``peel status FORCE``."""

    standing: Standing

    def json(self) -> dict[str, Any]:
        return status_json(self.standing)

    def document(self) -> Document:
        return status_document(self.standing)


class LedgerStatus(NamedTuple):
    """The view of ``peel status``: every force."""

    found: National

    def json(self) -> dict[str, Any]:
        return summary_json(self.found)

    def document(self) -> Document:
        return summary_document(self.found)

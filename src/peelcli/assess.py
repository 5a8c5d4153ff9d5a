"""``peel assess``: is a change of phase justified on the record as it stands? Pure functions.

The phase is taken as it stood at the start of ``as_of`` (so on the day of a recorded change,
that very change is judged); everything else dated on or before ``as_of`` counts. The rules and
their thresholds come from a :class:`~peelcli.model.Policy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .dates import PartialDate
from .output.wording import plural
from .schema.records import ForceFile, PhaseChange, Policy
from .timeline import CauseStanding, cause_standing, due_of, happened, phase_changes_by

JUSTIFIED, ARGUABLE, NOT_JUSTIFIED = "justified", "arguable", "not-justified"


@dataclass(frozen=True)
class Reason:
    rule: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Episode:
    """The causes of concern that belong to an Engage episode, as they stood on a day."""

    entry: PhaseChange | None
    causes: tuple[CauseStanding, ...]

    @property
    def closed(self) -> int:
        return sum(1 for c in self.causes if c.closed_on)

    @property
    def open(self) -> tuple[CauseStanding, ...]:
        return tuple(c for c in self.causes if not c.closed_on)


@dataclass(frozen=True)
class Precedent:
    force: str
    name: str
    returned_on: PartialDate
    causes_open: int
    causes_total: int
    recommendations_open: int | None
    complete: bool


@dataclass(frozen=True)
class Assessment:
    force: ForceFile
    as_of: date
    phase: str
    proposed_phase: str
    verdict: str
    reasons: tuple[Reason, ...]
    precedents: tuple[Precedent, ...]
    episode: Episode | None
    judged: PhaseChange | None
    policy: str

    def json(self) -> dict[str, Any]:
        return assessment_json(self)

    def document(self):
        return assessment_document(self)


def episode(force: ForceFile, as_of: date, entry: PhaseChange | None) -> Episode:
    """Causes open when ``entry`` happened or raised since, with their state on ``as_of``.
    Without an entry (a force in Scan), the causes open on ``as_of``."""
    causes = []
    for cause in force.causes_of_concern:
        if not happened(cause.raised_on, as_of):
            continue
        closure = cause.closure.closed_on if cause.closure else None
        if entry is not None and closure is not None and closure.surely_before(entry.decided_on):
            continue  # dealt with before the episode began
        found = cause_standing(cause, as_of)
        if entry is None and found.closed_on:
            continue
        causes.append(found)
    return Episode(entry, tuple(causes))


def assess(force: ForceFile, as_of: date, policy: Policy, others: tuple[ForceFile, ...] = ()) -> Assessment:
    changes = phase_changes_by(force, as_of, start_of_day=True)
    phase = changes[-1].phase if changes else "scan"
    proposed = "scan" if phase == "engage" else "engage"
    judged = next(
        (
            c
            for c in force.phase_changes
            if c.phase == proposed and c.decided_on.earliest <= as_of <= c.decided_on.latest
        ),
        None,
    )
    if phase == "engage":
        found = episode(force, as_of, changes[-1])
        verdict, reasons = _return(found, judged, as_of, policy)
        share = _open_share(found)
    else:
        found = episode(force, as_of, None)
        verdict, reasons = _entry(found, judged, as_of, policy)
        share = 1.0
    precedents = sorted(
        (p for other in others if other.slug != force.slug for p in returns(other) if p.returned_on.latest < as_of),
        key=lambda p: (abs(_share(p.causes_open, p.causes_total) - share), -p.returned_on.latest.toordinal()),
    )
    return Assessment(
        force, as_of, phase, proposed, verdict, tuple(reasons), tuple(precedents), found, judged, policy.name
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _open_share(found: Episode) -> float:
    return _share(len(found.open), len(found.causes))


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "n/a"


def _threshold(value: Decimal) -> float:
    return float(value)


def _incomplete(found: Episode, judged: PhaseChange | None) -> list[str]:
    gaps = []
    for change in (found.entry, judged):
        if change is not None and change.missing_from_record:
            gaps.append(f"{change.phase} on {change.decided_on}: {change.missing_from_record}")
    return gaps


def _return(found: Episode, judged: PhaseChange | None, as_of: date, policy: Policy) -> tuple[str, list[Reason]]:
    rules = policy.return_to_scan
    total, closed = len(found.causes), found.closed
    since = f" (Engage since {found.entry.decided_on})" if found.entry else ""
    reasons = [
        Reason(
            "all-causes-closed",
            total > 0 and closed == total,
            f"{closed} of {total} causes of concern in this episode{since} closed ({_pct(closed, total)}); "
            "all closed makes a return justified",
        )
    ]
    causes_share = _threshold(rules.causes_closed_share.value)
    reasons.append(
        Reason(
            "causes-closed-share",
            total > 0 and closed / total >= causes_share,
            f"{closed} of {total} causes of concern closed ({_pct(closed, total)}); needs at least "
            f"{round(100 * causes_share)}% for substantial progress",
        )
    )
    recs_share = _threshold(rules.remaining_recommendations_closed_share.value)
    recs_known, recs_met, parts = True, True, []
    for cause in found.open:
        if not cause.recommendations_total:
            recs_known = False
            parts.append(f"{cause.cause.id}: its recommendations are not on record, so peel cannot tell")
            continue
        ok = cause.recommendations_closed / cause.recommendations_total >= recs_share
        recs_met = recs_met and ok
        parts.append(
            f"{cause.cause.id}: {cause.recommendations_closed} of {cause.recommendations_total} recommendations "
            f"closed ({_pct(cause.recommendations_closed, cause.recommendations_total)})"
        )
    needs = f"needs at least {round(100 * recs_share)}% in every open cause"
    reasons.append(
        Reason(
            "remaining-recommendations-closed-share",
            recs_known and recs_met,
            ("; ".join(parts) + f"; {needs}") if parts else f"no cause of concern open; {needs}",
        )
    )
    gaps = _incomplete(found, judged)
    if total == 0:
        gaps.append("the record holds no causes of concern for this episode")
    reasons.append(
        Reason(
            "record-complete",
            not gaps,
            "; ".join(gaps) + ": peel cannot call the return justified or not justified"
            if gaps
            else "the record shows every cause of concern in this episode and its state",
        )
    )
    if gaps:
        return ARGUABLE, reasons
    if closed == total:
        return JUSTIFIED, reasons
    if closed / total >= causes_share and (recs_met or not recs_known):
        return ARGUABLE, reasons
    return NOT_JUSTIFIED, reasons


def _entry(found: Episode, judged: PhaseChange | None, as_of: date, policy: Policy) -> tuple[str, list[Reason]]:
    rules = policy.move_to_engage
    open_causes = [c.cause for c in found.causes]
    count = len(open_causes)
    reasons = [
        Reason("open-causes", count > 0, f"{plural(count, 'cause', 'causes')} of concern open; at least one is needed")
    ]
    several = int(rules.several_open_causes.value)
    reasons.append(
        Reason(
            "several-open-causes",
            count >= several,
            f"{count} open; {several} or more point to failings across the force",
        )
    )
    accelerated = [c.id for c in open_causes if c.accelerated]
    counts = bool(rules.accelerated_is_serious.value)
    reasons.append(
        Reason(
            "accelerated-cause",
            counts and bool(accelerated),
            (f"accelerated and open: {', '.join(accelerated)}" if accelerated else "no open accelerated cause")
            + ("" if counts else " (this policy does not count accelerated causes as grounds)"),
        )
    )
    days = int(rules.overdue_days.value)
    stalled = []
    for cause in open_causes:
        recs = cause.recommendations
        if not recs or any(r.closure and happened(r.closure.closed_on, as_of) for r in recs):
            continue
        overdue = [
            (r.id, (as_of - due.latest).days)
            for r in recs
            if (due := due_of(r, cause)) and (as_of - due.latest).days > days
        ]
        if overdue:
            worst = max(d for _, d in overdue)
            stalled.append(
                f"{cause.id}: {len(overdue)} of {len(recs)} recommendations past due (up to {worst} days), none closed"
            )
    reasons.append(
        Reason(
            "not-responding",
            bool(stalled),
            "; ".join(stalled)
            if stalled
            else f"no open cause has recommendations more than {days} days past due with none closed",
        )
    )
    gaps = _incomplete(found, judged)
    if gaps:
        reasons.append(Reason("record-complete", False, "; ".join(gaps)))
    if not count:
        return (ARGUABLE if gaps else NOT_JUSTIFIED), reasons
    if count >= several or (counts and accelerated) or stalled:
        return JUSTIFIED, reasons
    return ARGUABLE, reasons


def returns(force: ForceFile) -> list[Precedent]:
    """Each return to Scan in a force's history, with how much was open that day."""
    found = []
    previous: PhaseChange | None = None
    for change in force.phase_changes:
        if change.phase == "scan" and previous is not None:
            day = change.decided_on.latest
            state = episode(force, day, previous)
            open_recs = [c for c in state.open]
            recs_open = (
                None
                if any(c.recommendations_total is None for c in open_recs)
                else sum(c.recommendations_total - c.recommendations_closed for c in open_recs)
            )
            complete = not (previous.missing_from_record or change.missing_from_record)
            found.append(
                Precedent(
                    force.slug, force.name, change.decided_on, len(state.open), len(state.causes), recs_open, complete
                )
            )
        previous = change
    return found


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    """The documented JSON contract of ``peel assess --format json``."""
    found = assessment.episode
    return {
        "force": assessment.force.slug,
        "as_of": assessment.as_of.isoformat(),
        "phase": assessment.phase,
        "proposed_phase": assessment.proposed_phase,
        "verdict": assessment.verdict,
        "policy": assessment.policy,
        "episode": {
            "since": str(found.entry.decided_on) if found and found.entry else None,
            "causes_total": len(found.causes) if found else 0,
            "causes_open": len(found.open) if found else 0,
            "causes": [c.cause.id for c in found.causes] if found else [],
        },
        "reasons": [{"rule": r.rule, "met": r.met, "detail": r.detail} for r in assessment.reasons],
        "precedents": [
            {
                "force": p.force,
                "returned_on": str(p.returned_on),
                "causes_open": p.causes_open,
                "causes_total": p.causes_total,
                "recommendations_open": p.recommendations_open,
                "record_complete": p.complete,
            }
            for p in assessment.precedents
        ],
    }


def assessment_document(assessment: Assessment):
    from .output.document import Document, section

    force, found = assessment.force, assessment.episode
    question = "Return to Scan?" if assessment.proposed_phase == "scan" else "Move into Engage?"
    facts = [
        ("As of", assessment.as_of.isoformat()),
        ("Phase", f"{assessment.phase.capitalize()} at the start of the day"),
        ("Question", question),
    ]
    if found and found.entry:
        facts.append(
            (
                "Episode",
                f"Engage since {found.entry.decided_on}: {len(found.causes)} causes of concern, {len(found.open)} open",
            )
        )
    if assessment.judged:
        facts.append(("Judging", f"the move recorded on {assessment.judged.decided_on}"))
    facts += [("Verdict", assessment.verdict), ("Policy", assessment.policy)]
    return Document(
        f"{force.name} ({force.slug}): {question.lower().rstrip('?')}",
        facts,
        [
            section(
                "Reasons",
                ["Rule", "Met", "Detail"],
                [[r.rule, "met" if r.met else "not met", r.detail] for r in assessment.reasons],
                wrap=frozenset({"Detail"}),
            ),
            section(
                "Precedents: returns to Scan of other forces, most similar first",
                ["Force", "Returned", "Causes open", "Recs open", "Record"],
                [
                    [
                        p.name,
                        str(p.returned_on),
                        f"{p.causes_open} of {p.causes_total}",
                        "not on record" if p.recommendations_open is None else str(p.recommendations_open),
                        "complete" if p.complete else "incomplete",
                    ]
                    for p in assessment.precedents
                ],
                empty="No other force in the ledger has returned to Scan before this day.",
                wrap=frozenset({"Force"}),
            ),
        ],
    )

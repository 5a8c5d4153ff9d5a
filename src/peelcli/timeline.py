"""The ledger as it stood on a day: pure functions from a ForceFile and a date.

``standing(force, as_of)`` ignores everything dated after ``as_of``. A fact dated only to a month
or a year counts once it has *surely* happened (its last possible day is on or before
``as_of``); until then it is listed as *pending*, so a report never claims what the record does
not show. A doubt (an uncertainty) holds from the first day it may have begun (its ``from``) until
a source surely settled it: a state that may already be in doubt is not certain.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from .dates import FIRST_DAY, PartialDate
from .deadlines import counted_from, parse_deadline
from .schema.records import (
    AreaForImprovement,
    CauseOfConcern,
    ForceFile,
    Officeholder,
    PhaseChange,
    Recommendation,
    Uncertainty,
)

LETTER_KINDS = frozenset({"revisit-letter", "phase-decision-letter", "return-letter"})
OVERRIDDEN = "recorded overriding peel's assessment, which called it not justified"
"""How every output words a move recorded against peel's assessment (``peel move --override``)."""


def override_label(change: PhaseChange) -> str:
    """How a move recorded with ``peel move --override`` is shown wherever the move is: in words
    a reader of a board paper follows, who never ran the command."""
    return OVERRIDDEN + (f"; reason given: {change.reason}" if change.reason else "")


class Event(NamedTuple):
    on: PartialDate
    kind: str
    summary: str
    subject: str | None = None
    sources: tuple[str, ...] = ()
    overridden: bool = False
    """A phase change recorded with ``peel move --override`` against a not-justified assessment."""

    def sort_key(self) -> tuple:
        return (*self.on.sort_key(), _EVENT_ORDER.get(self.kind, 99))


_EVENT_ORDER = {
    kind: i
    for i, kind in enumerate(
        [
            "inspection",
            "cause-raised",
            "area-raised",
            "publication",
            "meeting",
            "recommendation-closed",
            "cause-closed",
            "area-closed",
            "phase-change",
            "letter",
            "phase-change-announced",
            "news-release",
        ]
    )
}


class Due(NamedTuple):
    """When a recommendation falls due: ``stated`` in the file, or ``derived`` from its wording."""

    earliest: date
    latest: date
    basis: str

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def __str__(self) -> str:
        return self.latest.isoformat() if self.exact else f"by {self.latest.isoformat()}"


class RecommendationStanding(NamedTuple):
    recommendation: Recommendation
    cause: CauseOfConcern
    closed_on: PartialDate | None
    due: Due | None
    days_overdue: int | None
    """Counted on the day the figures hold (:attr:`Standing.figures_on`), never beyond the record."""
    uncertain: bool = False  # the record leaves its state in doubt (an uncertainty names it)
    closing: PartialDate | None = None
    """A closure dated to a month, year or span that may, or may not, have come by the day."""
    past_due: str = "unknown"
    """Whether its due date has passed on the day the figures hold, closed or not: ``yes``,
    ``possibly`` (a due date known only to a span the day lies in), ``no``, or ``unknown`` (no
    due date on record, or a deadline wording peel cannot read)."""

    @property
    def status(self) -> str:
        return "closed" if self.closed_on else "open"


class CauseStanding(NamedTuple):
    cause: CauseOfConcern
    closed_on: PartialDate | None
    recommendations: tuple[RecommendationStanding, ...]
    uncertain: bool = False  # the record leaves its state in doubt (an uncertainty names it)
    closing: PartialDate | None = None
    """A closure dated to a month, year or span that may, or may not, have come by the day."""
    raising: bool = False
    """Raised on a date that may, or may not, have come by the day: listed as pending."""

    @property
    def status(self) -> str:
        return "closed" if self.closed_on else "open"

    @property
    def recommendations_closed(self) -> int:
        return sum(1 for r in self.recommendations if r.closed_on)

    @property
    def recommendations_total(self) -> int | None:
        """How many recommendations the cause has; ``None`` when the record does not say."""
        missing = self.cause.recommendations_not_on_record
        if missing is None:
            return len(self.recommendations)
        return missing.count

    @property
    def recommendations_open(self) -> tuple[RecommendationStanding, ...]:
        return tuple(r for r in self.recommendations if not r.closed_on)


class AreaStanding(NamedTuple):
    area: AreaForImprovement
    closed_on: PartialDate | None
    closing: PartialDate | None = None
    raising: bool = False

    @property
    def status(self) -> str:
        return "closed" if self.closed_on else "open"


class Standing(NamedTuple):
    force: ForceFile
    as_of: date
    phase: str
    since: PhaseChange | None
    causes: tuple[CauseStanding, ...]
    areas: tuple[AreaStanding, ...]
    events: tuple[Event, ...]
    pending: tuple[Event, ...]
    chief_officer: Officeholder | None = None
    policing_body: Officeholder | None = None
    record_checked_to: PartialDate | None = None
    """How far the force's public record was searched; ``None`` when the file does not say."""
    national_checked_to: PartialDate | None = None
    """How far the national search of phase changes (the registry's ``record_checked_to``)
    reaches: it extends how long the force's *phase* is known, not its details."""
    possible_causes: tuple[CauseStanding, ...] = ()
    """Causes raised on a date that may, or may not, have come by ``as_of`` (pending)."""
    possible_areas: tuple[AreaStanding, ...] = ()
    phase_pending: PhaseChange | None = None
    """The next phase change, dated to a span that may, or may not, have come by ``as_of``."""

    @property
    def phase_known_to(self) -> date | None:
        """The last day the force's phase is known: the later of its own record's end and the
        national search of phase changes; ``None`` when its own record's end is not stated."""
        if self.record_checked_to is None:
            return None
        own = self.record_checked_to.latest
        national = self.national_checked_to.latest if self.national_checked_to is not None else own
        return max(own, national)

    @property
    def phase_basis(self) -> str:
        """What the phase on :attr:`phase_on` rests on: ``force-record`` (the force's own record
        reaches it), ``national-search`` (only the national search of phase changes does) or
        ``not-stated`` (the file does not say how far its record was searched)."""
        if self.record_checked_to is None:
            return "not-stated"
        if self.phase_on > self.record_checked_to.latest:
            return "national-search"
        return "force-record"

    @property
    def phase_on(self) -> date:
        """The day the phase and its length are counted to: ``as_of``, or the last day the phase
        is known when ``as_of`` lies after it."""
        known = self.phase_known_to
        return self.as_of if known is None else min(self.as_of, known)

    @property
    def phase_open_ended(self) -> bool:
        """The phase is known only to a day before ``as_of``: it lasted at least to then."""
        return self.phase_on < self.as_of

    @property
    def beyond_record(self) -> bool | None:
        """``as_of`` lies after the day the record was checked to: peel cannot know what happened
        since. ``None`` when the file does not say how far its record goes."""
        return None if self.record_checked_to is None else self.as_of > self.record_checked_to.latest

    @property
    def figures_on(self) -> date:
        """The day counts such as days overdue or in phase hold on: ``as_of``, or the end of the
        record when ``as_of`` lies beyond it (silence in the record is not a fact about today)."""
        return min(self.as_of, self.record_checked_to.latest) if self.beyond_record else self.as_of

    @property
    def days_in_phase(self) -> int | None:
        """Days surely spent in the phase (counted from the latest day the change could be to
        :attr:`phase_on`)."""
        return None if self.since is None else max((self.phase_on - self.since.decided_on.latest).days, 0)

    @property
    def days_in_phase_at_most(self) -> int | None:
        return None if self.since is None else max((self.phase_on - self.since.decided_on.earliest).days, 0)

    @property
    def open_causes(self) -> tuple[CauseStanding, ...]:
        return tuple(c for c in self.causes if not c.closed_on)

    @property
    def open_recommendations(self) -> tuple[RecommendationStanding, ...]:
        return tuple(r for c in self.causes for r in c.recommendations if not r.closed_on)

    @property
    def overdue_recommendations(self) -> tuple[RecommendationStanding, ...]:
        return tuple(r for r in self.open_recommendations if r.days_overdue)

    @property
    def open_areas(self) -> tuple[AreaStanding, ...]:
        return tuple(a for a in self.areas if not a.closed_on)


def happened(on: PartialDate | None, as_of: date) -> bool:
    return on is not None and on.surely_by(as_of)


def phase_changes_by(force: ForceFile, as_of: date, *, start_of_day: bool = False) -> list[PhaseChange]:
    """Changes in effect on ``as_of``; at the start of the day, that day's own change is not."""
    if start_of_day:
        return [c for c in force.phase_changes if c.decided_on.latest < as_of]
    return [c for c in force.phase_changes if happened(c.decided_on, as_of)]


def due_of(rec: Recommendation, cause: CauseOfConcern) -> Due | None:
    if rec.due is not None:
        return Due(rec.due.earliest, rec.due.latest, "stated")
    deadline = parse_deadline(rec.deadline)
    if deadline is None:
        return None
    if deadline.fixed is not None:
        return Due(deadline.fixed.earliest, deadline.fixed.latest, "stated")
    due = deadline.due_from(counted_from(cause))
    return None if due is None else Due(*due, "derived")


def doubt_begun(uncertainty: Uncertainty, as_of: date) -> bool:
    """The doubt has begun by ``as_of``, or may have: one without a start (``from``) holds on
    every day; one whose start is known only to a month, a year or a span counts from the first
    day it may have begun, since a state that may already be in doubt is not certain."""
    return uncertainty.from_ is None or uncertainty.from_.possibly_by(as_of)


def doubt_settled(uncertainty: Uncertainty, as_of: date) -> bool:
    """A source surely settled the doubt by ``as_of``."""
    return uncertainty.resolution is not None and happened(uncertainty.resolution.resolved_on, as_of)


def in_doubt(uncertainty: Uncertainty, as_of: date) -> bool:
    """The uncertainty holds on ``as_of``: begun (or possibly begun) and not surely settled."""
    return doubt_begun(uncertainty, as_of) and not doubt_settled(uncertainty, as_of)


def doubts(force: ForceFile, as_of: date) -> dict[str, date]:
    """Each id whose state the record leaves in doubt on ``as_of`` (a subject of an uncertainty
    that holds then), with the first day its doubt may have begun (:data:`FIRST_DAY` for a doubt
    without a start): a fact about it dated before that day is as certain as the record makes it."""
    found: dict[str, date] = {}
    for uncertainty in force.uncertainties:
        if not in_doubt(uncertainty, as_of):
            continue
        start = FIRST_DAY if uncertainty.from_ is None else uncertainty.from_.earliest
        for subject in uncertainty.subjects:
            found[subject] = min(found.get(subject, start), start)
    return found


def doubtful(force: ForceFile, as_of: date) -> frozenset[str]:
    """Ids whose state the record leaves in doubt on ``as_of``: the subjects of every uncertainty
    that has (or may have) begun by then and is not surely resolved."""
    return frozenset(doubts(force, as_of))


def doubted_by(start: date | None, on: PartialDate | None) -> bool:
    """Whether a fact dated ``on`` about a subject whose doubt begins on ``start`` (``None``: not
    in doubt) falls within the doubt: it may lie on or after the doubt's first day. Undated facts
    fall within any doubt."""
    return start is not None and (on is None or on.latest >= start)


def figures_day(force: ForceFile, as_of: date) -> date:
    """``as_of``, or the end of the force's record when ``as_of`` lies beyond it."""
    checked = force.record_checked_to
    return min(as_of, checked.latest) if checked is not None else as_of


def standing(
    force: ForceFile, as_of: date, *, start_of_day: bool = False, national: PartialDate | None = None
) -> Standing:
    """The force as it stood on ``as_of``; ``national``: how far the national search of phase
    changes reaches (the registry's ``record_checked_to``), which extends how long its phase is known."""
    changes = phase_changes_by(force, as_of, start_of_day=start_of_day)
    since = changes[-1] if changes else None
    later = force.phase_changes[len(changes)] if len(changes) < len(force.phase_changes) else None
    in_doubt = doubtful(force, as_of)
    overdue_on = figures_day(force, as_of)
    causes, possible_causes = [], []
    for cause in force.causes_of_concern:
        if happened(cause.raised_on, as_of):
            causes.append(cause_standing(cause, as_of, in_doubt, overdue_on))
        elif cause.raised_on.possibly_by(as_of):
            possible_causes.append(cause_standing(cause, as_of, in_doubt, overdue_on)._replace(raising=True))
    areas, possible_areas = [], []
    for area in force.areas_for_improvement:
        closure = area.closure.closed_on if area.closure else None
        found = AreaStanding(
            area,
            closure if happened(closure, as_of) else None,
            closure if _closing(closure, as_of) else None,
        )
        if happened(area.raised_on, as_of):
            areas.append(found)
        elif area.raised_on.possibly_by(as_of):
            possible_areas.append(found._replace(raising=True))
    all_events = events(force)
    return Standing(
        force=force,
        as_of=as_of,
        phase=since.phase if since else "scan",
        since=since,
        causes=tuple(causes),
        areas=tuple(areas),
        events=tuple(e for e in all_events if e.on.surely_by(as_of)),
        pending=tuple(e for e in all_events if e.on.possibly_by(as_of) and not e.on.surely_by(as_of)),
        chief_officer=in_post(force.chief_officers, as_of),
        policing_body=in_post(force.policing_bodies, as_of),
        record_checked_to=force.record_checked_to,
        national_checked_to=national,
        possible_causes=tuple(possible_causes),
        possible_areas=tuple(possible_areas),
        phase_pending=later if later is not None and later.decided_on.possibly_by(as_of) else None,
    )


def _closing(on: PartialDate | None, as_of: date) -> bool:
    """A closure that may, or may not, have come by ``as_of``."""
    return on is not None and on.possibly_by(as_of) and not on.surely_by(as_of)


def cause_standing(
    cause: CauseOfConcern, as_of: date, in_doubt: frozenset[str] = frozenset(), overdue_on: date | None = None
) -> CauseStanding:
    """A cause and its recommendations as they stood on ``as_of``; days overdue are counted on
    ``overdue_on`` (default ``as_of``), the day the figures hold."""
    overdue_on = as_of if overdue_on is None else overdue_on
    recs = []
    for rec in cause.recommendations:
        closure = rec.closure.closed_on if rec.closure else None
        closed_on = closure if happened(closure, as_of) else None
        due = due_of(rec, cause)
        overdue, past = None, "unknown"
        if due is not None:
            past = "yes" if due.latest < overdue_on else "possibly" if due.earliest < overdue_on else "no"
            if closed_on is None and past == "yes":
                overdue = (overdue_on - due.latest).days
        recs.append(
            RecommendationStanding(
                rec,
                cause,
                closed_on,
                due,
                overdue,
                rec.id in in_doubt,
                closure if _closing(closure, as_of) else None,
                past,
            )
        )
    closure = cause.closure.closed_on if cause.closure else None
    closed_on = closure if happened(closure, as_of) else None
    return CauseStanding(
        cause, closed_on, tuple(recs), cause.id in in_doubt, closure if _closing(closure, as_of) else None
    )


def in_post(holders: list, as_of: date) -> Officeholder | None:
    """The latest holder a source shows in post on or before ``as_of`` and not known to have left."""
    candidates = []
    for holder in holders:
        start = holder.from_ or holder.noted_on
        if start is None or not start.surely_by(as_of):
            continue
        if holder.to is not None and holder.to.surely_before(PartialDate.of(as_of)):
            continue
        candidates.append((start.sort_key(), holder))
    return max(candidates, key=lambda pair: pair[0])[1] if candidates else None


def events(force: ForceFile) -> list[Event]:
    """Every dated event the file records, in date order."""
    found = [
        *_source_events(force),
        *_inspection_events(force),
        *_phase_events(force),
        *_cause_events(force),
        *_area_events(force),
    ]
    found.sort(key=Event.sort_key)
    return found


def _span(start: PartialDate, end: PartialDate | None) -> str:
    return str(start) if end is None or end == start else f"{start} to {end}"


def _source_events(force: ForceFile) -> Iterator[Event]:
    """Fieldwork, meetings, letters sent and documents published."""
    for source in force.sources:
        cites = (source.id,)
        if source.fieldwork_from is not None:
            span = _span(source.fieldwork_from, source.fieldwork_to)
            yield Event(
                source.fieldwork_from, "inspection", f"Inspection fieldwork ({span}): {source.title}", source.id, cites
            )
        if source.kind == "ppog-meeting" and source.held_on is not None:
            yield Event(source.held_on, "meeting", f"Meeting: {source.title}", source.id, cites)
        if source.kind in LETTER_KINDS and source.sent_on is not None:
            yield Event(source.sent_on, "letter", f"Letter sent: {source.title}", source.id, cites)
        if source.published_on is not None and (
            source.kind not in LETTER_KINDS or source.published_on != source.sent_on
        ):
            kind = "news-release" if source.kind == "news-release" else "publication"
            yield Event(source.published_on, kind, f"Published: {source.title}", source.id, cites)


def _inspection_events(force: ForceFile) -> Iterator[Event]:
    for inspection in force.inspections:
        span = _span(inspection.fieldwork_from, inspection.fieldwork_to)
        summary = f"{inspection.title} (fieldwork {span})"
        yield Event(inspection.fieldwork_from, "inspection", summary, inspection.id, tuple(inspection.sources))


def _phase_events(force: ForceFile) -> Iterator[Event]:
    for change in force.phase_changes:
        verb = "Moved into Engage" if change.phase == "engage" else "Returned to Scan"
        who = f" (decided by {change.decided_by})" if change.decided_by else ""
        cites, overridden = tuple(change.sources), change.assessment_overridden
        summary = f"{verb}{who}" + (f"; {override_label(change)}" if overridden else "")
        yield Event(change.decided_on, "phase-change", summary, change.phase, cites, overridden)
        if change.published_on is not None and change.published_on != change.decided_on:
            yield Event(change.published_on, "phase-change-announced", f"{verb}: announced", change.phase, cites)


def _cause_events(force: ForceFile) -> Iterator[Event]:
    for cause in force.causes_of_concern:
        label = "Accelerated cause of concern" if cause.accelerated else _concern_label(cause)
        yield Event(cause.raised_on, "cause-raised", f"{label} raised: {cause.title}", cause.id, tuple(cause.sources))
        for rec in cause.recommendations:
            if rec.closure is not None:
                closure = rec.closure
                summary = f"Recommendation closed: {rec.text}"
                yield Event(closure.closed_on, "recommendation-closed", summary, rec.id, tuple(closure.sources))
        if cause.closure is not None:
            closure = cause.closure
            summary = f"{_concern_label(cause)} closed: {cause.title}"
            yield Event(closure.closed_on, "cause-closed", summary, cause.id, tuple(closure.sources))


def _area_events(force: ForceFile) -> Iterator[Event]:
    for area in force.areas_for_improvement:
        summary = f"Area for improvement raised: {area.text}"
        yield Event(area.raised_on, "area-raised", summary, area.id, tuple(area.sources))
        if area.closure is not None:
            closure = area.closure
            summary = f"Area for improvement closed: {area.text}"
            yield Event(closure.closed_on, "area-closed", summary, area.id, tuple(closure.sources))


def _concern_label(cause: CauseOfConcern) -> str:
    return "Area of concern" if cause.kind == "area-of-concern" else "Cause of concern"

"""``peel assess``: is a change of phase justified on the record as it stands? Pure functions.

The phase is taken as it stood at the start of ``as_of`` (so on the day of a recorded change,
that very change is judged); everything else dated on or before ``as_of`` counts. The rules and
their thresholds come from a :class:`~peelcli.schema.records.Policy`.

Two questions. For a force in Engage, a *return to Scan*: how much of the episode's causes of
concern is closed. For a force in Scan, a *move into Engage*: causes of concern known to be open
that HMICFRS has not already weighed. When it returned the force to Scan, HMICFRS weighed every
cause open then; such a cause counts again only with evidence dated after the return (a new
cause, a recommendation past a due date that fell after the return, a revisit that found no
progress). A cause whose state the record leaves uncertain never supports ``justified``.
Beyond the end of a force's record, figures hold on the day it ends, and the verdict says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import PartialDate
from .output.wording import plural
from .policy import for_sector
from .schema.names import BODY_WORDS, sector_of_slug
from .schema.records import ForceFile, PhaseChange, Policy
from .timeline import (
    CauseStanding,
    cause_standing,
    doubtful,
    figures_day,
    happened,
    phase_changes_by,
)

JUSTIFIED, ARGUABLE, NOT_JUSTIFIED = "justified", "arguable", "not-justified"
VERDICT_WORDS = {JUSTIFIED: "justified", ARGUABLE: "arguable", NOT_JUSTIFIED: "not justified"}
MOVES = {"scan": "return to Scan", "engage": "move into Engage"}
VERDICT_KIND = "verdict"
"""The one Tag kind of a verdict, whatever it says: colour shows a force's situation, never approval."""


def verdict_sentence(proposed_phase: str, verdict: str, record_ends: PartialDate | None = None) -> str:
    """``A return to Scan is justified on the record``: the verdict in words, for every human
    reader; ``record_ends`` when the verdict rests on a record that ends before the day asked."""
    sentence = f"A {MOVES[proposed_phase]} is {VERDICT_WORDS[verdict]} on the record"
    return sentence + (f" as it stood on {record_ends}, when it ends" if record_ends is not None else "")


@dataclass(frozen=True)
class Reason:
    rule: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Episode:
    """The causes of concern that belong to an Engage episode, as they stood on a day; for a
    force in Scan, the causes open that day."""

    entry: PhaseChange | None
    causes: tuple[CauseStanding, ...]

    @property
    def closed(self) -> int:
        return sum(1 for c in self.causes if c.closed_on)

    @property
    def open(self) -> tuple[CauseStanding, ...]:
        return tuple(c for c in self.causes if not c.closed_on)

    @property
    def uncertain(self) -> tuple[CauseStanding, ...]:
        return tuple(c for c in self.causes if c.uncertain)


@dataclass(frozen=True)
class EntryCause:
    """An open cause of concern as grounds for a move into Engage.

    Uncertainty only ever adds possible grounds: a verdict that is justified on the certain
    grounds alone stands; otherwise uncertain grounds make it arguable, never justified."""

    standing: CauseStanding
    weighed: bool
    """Open, or possibly raised, by the day HMICFRS last returned the force to Scan."""
    evidence: tuple[str, ...]
    """What the record shows since that return: the cause itself when raised after it, overdue
    recommendations, a revisit that found no progress."""
    overdue: tuple[tuple[str, int], ...]
    """Recommendations (id, days) past due by more than the policy allows, with none of the
    cause's closed since the return (or ever, without one)."""
    recommendations_in_doubt: bool = False
    """The record leaves the state of one of the cause's recommendations uncertain, so that none
    was closed, or that they are overdue, is not certain."""
    found_after_due: tuple[str, ...] = ()
    """Revisits since an overdue recommendation fell due after which the cause is still open with
    none of its recommendations closed, all on record: HMICFRS looked and found no response."""
    needs_revisit: bool = True
    """The policy's ``not_responding_needs_revisit``: past-due recommendations show a force not
    responding only with such a revisit."""

    @property
    def id(self) -> str:
        return self.standing.cause.id

    @property
    def uncertain(self) -> bool:
        return self.standing.uncertain

    @property
    def counts(self) -> bool:
        """Grounds HMICFRS has not already weighed, on what the record shows for certain."""
        return not self.weighed or bool(self.evidence)

    @property
    def supports(self) -> bool:
        """Counts, and its state is not in doubt: only such a cause can make a move justified."""
        return self.counts and not self.uncertain

    @property
    def stalled(self) -> bool:
        """Not being responded to, for certain, and shown as the policy asks: the least evidence
        for a justified move on these grounds."""
        shown = bool(self.found_after_due) or not self.needs_revisit
        return bool(self.overdue) and not self.recommendations_in_doubt and shown


@dataclass(frozen=True)
class Precedent:
    """Another force's past move: an entry into Engage (``phase`` engage) or a return to Scan."""

    force: str
    name: str
    phase: str
    on: PartialDate
    causes_open: int
    causes_total: int
    recommendations_open: int | None
    """Returns: recommendations still open in the episode; ``None`` when the record does not say."""
    recommendations_overdue: int | None
    """Entries: open recommendations past due that day; ``None`` when the record does not say."""
    accelerated: bool
    """Entries: an accelerated cause of concern was open."""
    gaps: tuple[str, ...]
    """What the record does not show about the move; empty when its record is complete."""

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def returned_on(self) -> PartialDate:
        return self.on

    @property
    def entered_on(self) -> PartialDate:
        return self.on


@dataclass(frozen=True)
class PrecedentBook:
    """Every entry into Engage and return to Scan in a ledger, each computed once: a run that
    assesses many forces builds one book and passes it to every :func:`assess`."""

    entries: tuple[Precedent, ...]
    returns: tuple[Precedent, ...]
    _ranked: dict = field(default_factory=dict, compare=False, repr=False)

    def ranked(self, kind: str, before: date, likeness: tuple, key):
        """The ``kind`` (``entries`` or ``returns``) before ``before``, ordered by ``key`` for a
        force ``likeness`` describes, with where each force's own moves stand: sorted once for all
        forces alike (``peel site`` ranks them for every force; sorting each time grew with the
        square of the ledger)."""
        found = self._ranked.get((kind, before, likeness))
        if found is None:
            ordered = tuple(sorted((p for p in getattr(self, kind) if p.on.latest < before), key=key))
            where: dict[str, list[int]] = {}
            for i, precedent in enumerate(ordered):
                where.setdefault(precedent.force, []).append(i)
            found = self._ranked[(kind, before, likeness)] = (ordered, where)
        return found

    @staticmethod
    def others(ranked, slug: str) -> tuple[Precedent, ...]:
        """A ranking less ``slug``'s own moves."""
        ordered, where = ranked
        kept, start = (), 0
        for i in where.get(slug, ()):
            kept, start = kept + ordered[start:i], i + 1
        return kept + ordered[start:]


def precedent_book(forces: Iterable[ForceFile]) -> PrecedentBook:
    """One pass over the ledger: every force's entries and returns."""
    entries: list[Precedent] = []
    found_returns: list[Precedent] = []
    for force in forces:
        entries += entries_of(force)
        found_returns += returns(force)
    return PrecedentBook(tuple(entries), tuple(found_returns))


def book_of(others: Iterable[ForceFile] | PrecedentBook) -> PrecedentBook:
    return others if isinstance(others, PrecedentBook) else precedent_book(others)


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
    last_return: PhaseChange | None = None
    """For a move into Engage: the force's last return to Scan before ``as_of``."""
    entry_causes: tuple[EntryCause, ...] = ()
    figures_on: date | None = None
    """The day counts hold on: ``as_of``, or the end of the force's record when it ends before."""

    @property
    def beyond_record(self) -> bool | None:
        checked = self.force.record_checked_to
        return None if checked is None else self.as_of > checked.latest

    @property
    def sentence(self) -> str:
        """The verdict in words, with the day the record ends when the verdict rests on it."""
        ends = self.force.record_checked_to if self.beyond_record else None
        return verdict_sentence(self.proposed_phase, self.verdict, ends)

    def verdict_tag(self):
        """The verdict as a :class:`~peelcli.output.document.Tag` of the one neutral kind."""
        from .output.document import Tag

        return Tag(self.sentence, VERDICT_KIND)

    def json(self) -> dict[str, Any]:
        return assessment_json(self)

    def document(self):
        return assessment_document(self)


def episode(force: ForceFile, as_of: date, entry: PhaseChange | None) -> Episode:
    """Causes open when ``entry`` happened or raised since, with their state on ``as_of``.
    Without an entry (a force in Scan), the causes open on ``as_of``."""
    in_doubt = doubtful(force, as_of)
    on = figures_day(force, as_of)
    causes = []
    for cause in force.causes_of_concern:
        if not happened(cause.raised_on, as_of):
            continue
        closure = cause.closure.closed_on if cause.closure else None
        if entry is not None and closure is not None and closure.surely_before(entry.decided_on):
            continue  # dealt with before the episode began
        found = cause_standing(cause, as_of, in_doubt, on)
        if entry is None and found.closed_on:
            continue
        causes.append(found)
    return Episode(entry, tuple(causes))


def last_return(force: ForceFile, as_of: date) -> PhaseChange | None:
    """The force's return to Scan in effect at the start of ``as_of``, if it is in Scan after one."""
    changes = phase_changes_by(force, as_of, start_of_day=True)
    return changes[-1] if changes and changes[-1].phase == "scan" else None


def assess(
    force: ForceFile,
    as_of: date,
    policy: Policy,
    others: Iterable[ForceFile] | PrecedentBook = (),
) -> Assessment:
    """Judge the change of phase open to ``force`` at the start of ``as_of``. ``others`` is the
    ledger (or a :class:`PrecedentBook` of it) the precedents come from: those of the force's own
    sector, as a service is judged by the policy as it reads for fire (:func:`~peelcli.policy.for_sector`)."""
    policy = for_sector(policy, force.sector)
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
    book = book_of(others)
    if phase == "engage":
        found = episode(force, as_of, changes[-1])
        verdict, reasons = _return(found, judged, policy)
        precedents = _return_precedents(book, force.slug, as_of, found)
        back, grounds = None, ()
    else:
        found = episode(force, as_of, None)
        back = last_return(force, as_of)
        grounds = entry_causes(force, as_of, found, back, policy)
        verdict, reasons = _entry(grounds, back, judged, policy, BODY_WORDS[force.sector][0])
        precedents = _entry_precedents(book, force.slug, as_of, grounds)
    precedents = tuple(p for p in precedents if sector_of_slug(p.force) == force.sector)
    reasons += _record_end(force, as_of)
    return Assessment(
        force,
        as_of,
        phase,
        proposed,
        verdict,
        tuple(reasons),
        tuple(precedents),
        found,
        judged,
        policy.name,
        back,
        tuple(grounds),
        figures_day(force, as_of),
    )


def _return_precedents(book: PrecedentBook, slug: str, as_of: date, found: Episode) -> tuple[Precedent, ...]:
    """Other forces' earlier returns: complete records first, then the nearest share still open."""
    share = _share(len(found.open), len(found.causes))
    ranked = book.ranked(
        "returns",
        as_of,
        (share,),
        lambda p: (not p.complete, abs(_share(p.causes_open, p.causes_total) - share), -p.on.latest.toordinal()),
    )
    return book.others(ranked, slug)


def _entry_precedents(book: PrecedentBook, slug: str, as_of: date, grounds) -> tuple[Precedent, ...]:
    """Other forces' earlier entries: complete records first, then the nearest count of counted
    causes, accelerated or not."""
    counted = [g for g in grounds if g.counts]
    accelerated = any(g.standing.cause.accelerated for g in counted)
    ranked = book.ranked(
        "entries",
        as_of,
        (len(counted), accelerated),
        lambda p: (
            not p.complete,
            abs(p.causes_open - len(counted)),
            p.accelerated != accelerated,
            -p.on.latest.toordinal(),
        ),
    )
    return book.others(ranked, slug)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "n/a"


def _ids(causes) -> str:
    return ", ".join(c.cause.id if isinstance(c, CauseStanding) else c.id for c in causes)


def _missing(*changes: PhaseChange | None) -> list[str]:
    return [
        f"{change.phase} on {change.decided_on}: {change.missing_from_record}"
        for change in changes
        if change is not None and change.missing_from_record
    ]


def _record_end(force: ForceFile, as_of: date) -> list[Reason]:
    """Said only when ``as_of`` lies beyond the force's record: the verdict rests on the record
    as it stood when it ends, not on silence since."""
    checked = force.record_checked_to
    if checked is None or as_of <= checked.latest:
        return []
    return [
        Reason(
            "record-end",
            False,
            f"the record was checked to {checked}, before {as_of.isoformat()}: the verdict rests on the record "
            "as it stood then, with counts held on that day; a cause, closure or move since is not known to peel",
        )
    ]


# -- a return to Scan ---------------------------------------------------------------------------


def _return(found: Episode, judged: PhaseChange | None, policy: Policy) -> tuple[str, list[Reason]]:
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
    causes_share = float(rules.causes_closed_share.value)
    reasons.append(
        Reason(
            "causes-closed-share",
            total > 0 and closed / total >= causes_share,
            f"{closed} of {total} causes of concern closed ({_pct(closed, total)}); needs at least "
            f"{round(100 * causes_share)}% for substantial progress",
        )
    )
    recs_share = float(rules.remaining_recommendations_closed_share.value)
    recs_known, recs_met, parts = True, True, []
    for cause in found.open:
        if not cause.recommendations_total:
            recs_known = False
            parts.append(f"{cause.cause.id}: its recommendations are not on record, so peel cannot tell")
            continue
        doubtful_recs = [r.recommendation.id for r in cause.recommendations if r.uncertain]
        figures = (
            f"{cause.cause.id}: {cause.recommendations_closed} of {cause.recommendations_total} recommendations "
            f"closed ({_pct(cause.recommendations_closed, cause.recommendations_total)})"
        )
        if doubtful_recs:
            recs_known = False
            parts.append(f"{figures}, but the record leaves the state of {', '.join(doubtful_recs)} uncertain")
            continue
        ok = cause.recommendations_closed / cause.recommendations_total >= recs_share
        recs_met = recs_met and ok
        parts.append(figures)
    needs = f"needs at least {round(100 * recs_share)}% in every open cause"
    reasons.append(
        Reason(
            "remaining-recommendations-closed-share",
            recs_known and recs_met,
            ("; ".join(parts) + f"; {needs}") if parts else f"no cause of concern open; {needs}",
        )
    )
    gaps = _missing(found.entry, judged)
    if total == 0:
        gaps.append("the record holds no causes of concern for this episode")
    if found.uncertain:
        gaps.append(f"the record leaves the state of {_ids(found.uncertain)} uncertain")
    pending = [c for c in found.open if c.closing is not None and not c.uncertain]
    if pending:
        dated = ", ".join(f"{c.cause.id} to {c.closing}" for c in pending)
        gaps.append(f"the record dates the closure of {dated}, which may or may not have come by this day")
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


# -- a move into Engage -------------------------------------------------------------------------


@dataclass(frozen=True)
class Revisit:
    """An inspection or revisit letter dated after a return, and the sources it is known by."""

    on: PartialDate
    label: str
    sources: frozenset[str]


def revisits_after(force: ForceFile, after: date, as_of: date) -> list[Revisit]:
    """Revisit letters sent or published, and inspections begun, surely after ``after`` and
    surely by ``as_of``."""
    found = []
    for source in force.sources:
        on = source.sent_on or source.published_on
        if source.kind == "revisit-letter" and on is not None and on.earliest > after and happened(on, as_of):
            found.append(Revisit(on, f"revisit letter {source.id} of {on}", frozenset({source.id})))
    for inspection in force.inspections:
        on = inspection.fieldwork_from
        if on.earliest > after and happened(on, as_of):
            found.append(
                Revisit(on, f"inspection {inspection.id} of {on}", frozenset({inspection.id, *inspection.sources}))
            )
    return found


def entry_causes(
    force: ForceFile, as_of: date, found: Episode, back: PhaseChange | None, policy: Policy
) -> tuple[EntryCause, ...]:
    """Each open cause with what counts for a move into Engage: whether HMICFRS weighed it at
    the last return and what the record shows since."""
    rules = policy.move_to_engage
    days, needs_revisit = int(rules.overdue_days.value), bool(rules.not_responding_needs_revisit.value)
    every_revisit = revisits_after(force, date.min, as_of)
    return tuple(_entry_cause(c, back, every_revisit, days, needs_revisit) for c in found.open)


def _entry_cause(
    cause: CauseStanding, back: PhaseChange | None, every_revisit: list[Revisit], days: int, needs_revisit: bool
) -> EntryCause:
    after = back.decided_on.latest if back is not None else None
    revisits = [v for v in every_revisit if after is not None and v.on.earliest > after]
    recs = cause.recommendations
    # Progress since the return (or ever, without one): a closure that may fall after it.
    progress = any(r.closed_on and (after is None or r.closed_on.latest > after) for r in recs)
    late = [
        r
        for r in recs
        if not progress
        and not r.closed_on
        and r.days_overdue is not None
        and r.days_overdue > days
        and (after is None or r.due.earliest > after)
    ]
    in_doubt = any(r.uncertain for r in recs)
    weighed = back is not None and not back.decided_on.surely_before(cause.cause.raised_on)
    evidence: list[str] = []
    if back is not None and not weighed:
        evidence.append(f"raised {cause.cause.raised_on}, after the return")
    if weighed and late and not in_doubt:
        evidence.append(f"{plural(len(late), 'recommendation')} due after the return past due with none closed since")
    looked = not progress and not in_doubt and _recommendations_on_record(cause)
    cited = _cited(cause)
    if weighed and looked:
        evidence += [
            f"{v.label} left it open with none of its recommendations closed" for v in revisits if v.sources & cited
        ]
    found_after_due: tuple[str, ...] = ()
    if late and looked:
        first_due = min(r.due.latest for r in late)
        found_after_due = tuple(v.label for v in every_revisit if v.on.earliest > first_due and v.sources & cited)
    return EntryCause(
        cause,
        weighed,
        tuple(evidence),
        tuple((r.recommendation.id, r.days_overdue) for r in late),
        in_doubt,
        found_after_due,
        needs_revisit,
    )


def _recommendations_on_record(cause: CauseStanding) -> bool:
    """Every recommendation of the cause is on record, so 'none closed' is a fact, not a gap."""
    return bool(cause.recommendations) and cause.cause.recommendations_not_on_record is None


def _cited(cause: CauseStanding) -> frozenset[str]:
    """The sources a cause and its recommendations cite: a revisit citing none of them is not
    known to be about the cause."""
    recs = cause.cause.recommendations
    return frozenset(
        {*cause.cause.sources, *(s for r in recs for s in r.sources)}
        | {s for r in recs if r.closure for s in r.closure.sources}
    )


def _entry(
    grounds: tuple[EntryCause, ...],
    back: PhaseChange | None,
    judged: PhaseChange | None,
    policy: Policy,
    word: str = "force",
) -> tuple[str, list[Reason]]:
    rules = policy.move_to_engage
    supporting = [g for g in grounds if g.supports]
    since = " since the return" if back is not None else ""
    needed = "at least one known to be open" + (" and not weighed at the return" if back is not None else "")
    if grounds:
        listed = ", ".join(g.id + (" (uncertain)" if g.uncertain else "") for g in grounds)
        opened = f"{plural(len(grounds), 'cause')} of concern open ({listed}), {len(supporting)} counted"
    else:
        opened = "no cause of concern open"
    reasons = [Reason("open-causes", bool(supporting), f"{opened}; {needed} is needed")]
    if back is not None:
        reasons.append(_since_return(grounds, back))
    several = int(rules.several_open_causes.value)
    reasons.append(
        Reason(
            "several-open-causes",
            len(supporting) >= several,
            f"{len(supporting)} counted; {several} or more point to failings across the {word}",
        )
    )
    accelerated = [g.id for g in supporting if g.standing.cause.accelerated]
    counts = bool(rules.accelerated_is_serious.value)
    reasons.append(
        Reason(
            "accelerated-cause",
            counts and bool(accelerated),
            (f"accelerated and counted: {', '.join(accelerated)}" if accelerated else "no counted accelerated cause")
            + ("" if counts else " (this policy does not count accelerated causes as grounds)"),
        )
    )
    reasons.append(_not_responding(supporting, int(rules.overdue_days.value), since))
    stalled = [g for g in supporting if g.stalled]
    certain = JUSTIFIED if len(supporting) >= several or (counts and accelerated) or stalled else ARGUABLE
    certain = certain if supporting else NOT_JUSTIFIED
    doubts = _doubts(grounds)
    gaps = _missing(judged)
    if certain != JUSTIFIED and doubts:
        gaps += doubts
    if gaps:
        detail = "; ".join(gaps) + ": peel cannot call the move justified or not justified"
    elif doubts:
        detail = "; ".join(doubts) + "; the verdict rests only on what the record shows for certain"
    else:
        detail = "the record shows the state of every cause of concern that counts"
    reasons.append(Reason("record-complete", not gaps, detail))
    return (ARGUABLE if gaps else certain), reasons


def _not_responding(supporting: list[EntryCause], days: int, since: str) -> Reason:
    parts = []
    for g in supporting:
        if not g.overdue:
            continue
        worst = max(d for _, d in g.overdue)
        part = (
            f"{g.id}: {len(g.overdue)} of {len(g.standing.recommendations)} recommendations past due "
            f"(up to {plural(worst, 'day')}), none closed{since}"
        )
        if g.recommendations_in_doubt:
            part += ", but the record leaves the state of some of them uncertain"
        elif g.found_after_due:
            part += f"; {', '.join(g.found_after_due)} since found none closed"
        elif g.needs_revisit:
            part += (
                ", but no revisit since they fell due shows HMICFRS found no response (a closure is reported "
                "after a revisit: silence in the record is not evidence), so at most arguable on these grounds"
            )
        parts.append(part)
    return Reason(
        "not-responding",
        any(g.stalled for g in supporting),
        "; ".join(parts)
        if parts
        else f"no counted cause has recommendations more than {plural(days, 'day')} past due with none closed{since}",
    )


def _doubts(grounds: tuple[EntryCause, ...]) -> list[str]:
    """Grounds the record leaves uncertain: they cannot make a move justified, and they stop
    peel calling it not justified."""
    doubts = []
    causes = [g for g in grounds if g.counts and g.uncertain]
    if causes:
        doubts.append(f"the record leaves the state of {_ids(causes)} uncertain")
    recs = [g for g in grounds if g.overdue and g.recommendations_in_doubt]
    if recs:
        doubts.append(f"the record leaves the state of some recommendations of {_ids(recs)} uncertain")
    return doubts


def _since_return(grounds: tuple[EntryCause, ...], back: PhaseChange) -> Reason:
    weighed = [g for g in grounds if g.weighed]
    fresh = [g for g in grounds if not g.weighed]
    parts = [f"returned to Scan on {back.decided_on}: HMICFRS weighed the causes open then"]
    if weighed:
        with_evidence = [g for g in weighed if g.evidence]
        parts.append(
            f"of those still open ({_ids(weighed)}), "
            + (
                "; ".join(f"{g.id}: {', '.join(g.evidence)}" for g in with_evidence)
                if with_evidence
                else "none has evidence since (a recommendation falling due after the return and past due "
                "with none closed, or a revisit that found no progress)"
            )
        )
    else:
        parts.append("none of them is still open")
    if fresh:
        parts.append(f"raised since: {_ids(fresh)}")
    return Reason("evidence-since-return", any(g.counts for g in grounds), "; ".join(parts))


# -- precedents ---------------------------------------------------------------------------------


def returns(force: ForceFile) -> list[Precedent]:
    """Each return to Scan in a force's history, with how much was open that day."""
    found = []
    previous: PhaseChange | None = None
    for change in force.phase_changes:
        if change.phase == "scan" and previous is not None:
            day = change.decided_on.latest
            state = episode(force, day, previous)
            recs_open = (
                None
                if any(c.recommendations_total is None for c in state.open)
                else sum(c.recommendations_total - c.recommendations_closed for c in state.open)
            )
            gaps = _missing(previous, change)
            if state.uncertain:
                gaps.append(f"the state of {_ids(state.uncertain)} is uncertain")
            found.append(
                Precedent(
                    force.slug,
                    force.name,
                    "scan",
                    change.decided_on,
                    len(state.open),
                    len(state.causes),
                    recs_open,
                    None,
                    False,
                    tuple(gaps),
                )
            )
        previous = change
    return found


def entries_of(force: ForceFile) -> list[Precedent]:
    """Each move into Engage in a force's history: what was open that day, how many
    recommendations overdue, whether an accelerated cause was among them."""
    found = []
    for change in force.phase_changes:
        if change.phase != "engage":
            continue
        day = change.decided_on.latest
        state = episode(force, day, None)
        unknown = any(c.cause.recommendations_not_on_record is not None for c in state.open)
        overdue = sum(1 for c in state.open for r in c.recommendations_open if r.days_overdue)
        gaps = _missing(change)
        if state.uncertain:
            gaps.append(f"the state of {_ids(state.uncertain)} is uncertain")
        found.append(
            Precedent(
                force.slug,
                force.name,
                "engage",
                change.decided_on,
                len(state.open),
                len(state.open),
                None,
                None if unknown else overdue,
                any(c.cause.accelerated for c in state.open),
                tuple(gaps),
            )
        )
    return found


# -- views --------------------------------------------------------------------------------------


def precedent_json(precedent: Precedent) -> dict[str, Any]:
    """An entry carries ``entered_on`` and its overdue count; a return ``returned_on`` and what
    was still open."""
    if precedent.phase == "engage":
        shown: dict[str, Any] = {
            "force": precedent.force,
            "entered_on": str(precedent.on),
            "causes_open": precedent.causes_open,
            "recommendations_overdue": precedent.recommendations_overdue,
            "accelerated": precedent.accelerated,
        }
    else:
        shown = {
            "force": precedent.force,
            "returned_on": str(precedent.on),
            "causes_open": precedent.causes_open,
            "causes_total": precedent.causes_total,
            "recommendations_open": precedent.recommendations_open,
        }
    return {**shown, "record_complete": precedent.complete, "record_gaps": list(precedent.gaps)}


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    """The documented JSON contract of ``peel assess --format json``: verdicts stay tokens."""
    found, judged, back = assessment.episode, assessment.judged, assessment.last_return
    force = assessment.force
    entry = None
    if assessment.proposed_phase == "engage":
        entry = {
            "last_return": str(back.decided_on) if back else None,
            "counted": [g.id for g in assessment.entry_causes if g.counts],
            "weighed": [g.id for g in assessment.entry_causes if g.weighed and not g.evidence],
            "evidence": [{"cause": g.id, "detail": e} for g in assessment.entry_causes for e in g.evidence],
        }
    return {
        "force": force.slug,
        "as_of": assessment.as_of.isoformat(),
        "record_checked_to": str(force.record_checked_to) if force.record_checked_to else None,
        "beyond_record": assessment.beyond_record,
        "figures_hold_on": (assessment.figures_on or assessment.as_of).isoformat(),
        "phase": assessment.phase,
        "proposed_phase": assessment.proposed_phase,
        "verdict": assessment.verdict,
        "verdict_text": assessment.sentence,
        "policy": assessment.policy,
        "judged": None
        if judged is None
        else {
            "phase": judged.phase,
            "decided_on": str(judged.decided_on),
            "assessment_overridden": judged.assessment_overridden,
        },
        "episode": {
            "since": str(found.entry.decided_on) if found and found.entry else None,
            "causes_total": len(found.causes) if found else 0,
            "causes_open": len(found.open) if found else 0,
            "causes": [c.cause.id for c in found.causes] if found else [],
            "uncertain": [c.cause.id for c in found.uncertain] if found else [],
        },
        "entry": entry,
        "reasons": [{"rule": r.rule, "met": r.met, "detail": r.detail} for r in assessment.reasons],
        "precedents": [precedent_json(p) for p in assessment.precedents],
    }


SHOWN_PRECEDENTS = 10
"""Precedents a report, page or table lists, most similar first: every force's page listing every
other force's moves grew the site with the square of the ledger. The JSON lists them all."""


def _precedents_part(assessment: Assessment, *, for_board: bool = False):
    """The precedents table, each incomplete record's gaps said under it. ``for_board``: a report
    read by people who never run peel, so the precedents left out are not sent to a command."""
    from .output.document import Tag, section

    word, words = BODY_WORDS[assessment.force.sector]
    title = word.capitalize()

    def record(p: Precedent):
        return "complete" if p.complete else Tag("incomplete", "uncertain")

    shown = assessment.precedents[:SHOWN_PRECEDENTS]
    notes = [f"Incomplete: {p.name}: {'; '.join(p.gaps)}." for p in shown if not p.complete]
    if len(assessment.precedents) > len(shown):
        more = len(assessment.precedents) - len(shown)
        left_out = "are left out" if for_board else f"are in peel assess {assessment.force.slug} --format json"
        notes.append(f"The {len(shown)} most similar are shown; {plural(more, 'other')}, less similar, {left_out}.")

    if assessment.proposed_phase == "scan":
        return section(
            f"Precedents: returns to Scan of other {words}, complete records first, most similar first",
            [title, "Returned", "Causes open", "Recs open", "Record"],
            [
                [
                    p.name,
                    str(p.on),
                    f"{p.causes_open} of {p.causes_total}",
                    "not on record" if p.recommendations_open is None else str(p.recommendations_open),
                    record(p),
                ]
                for p in shown
            ],
            empty=f"No other {word} in the ledger has returned to Scan before this day.",
            wrap=frozenset({title}),
            notes=notes,
        )
    return section(
        f"Precedents: moves of other {words} into Engage, complete records first, most similar first",
        [title, "Entered", "Causes open", "Recs overdue", "Accelerated", "Record"],
        [
            [
                p.name,
                str(p.on),
                str(p.causes_open),
                "not on record" if p.recommendations_overdue is None else str(p.recommendations_overdue),
                "yes" if p.accelerated else "no",
                record(p),
            ]
            for p in shown
        ],
        empty=f"No other {word} in the ledger has moved into Engage before this day.",
        wrap=frozenset({title}),
        notes=notes,
    )


def assessment_document(assessment: Assessment, *, for_board: bool = False):
    """The assessment for people: the verdict in words, never a bare token. ``for_board``: for a
    report, whose readers never run peel."""
    from .output.document import Document, Tag, section
    from .timeline import OVERRIDDEN

    force, found, back = assessment.force, assessment.episode, assessment.last_return
    question = MOVES[assessment.proposed_phase]
    phase = f"{assessment.phase.capitalize()} at the start of the day"
    if found and found.entry:
        phase += f" (since {found.entry.decided_on})"
    elif back is not None:
        phase += f" (since {back.decided_on})"
    facts: list = [
        ("As of", assessment.as_of.isoformat()),
        ("Phase", Tag(phase, f"phase-{assessment.phase}")),
        ("Question", f"{question[0].upper()}{question[1:]}?"),
    ]
    if found and found.entry:
        facts.append(
            (
                "Episode",
                f"Engage since {found.entry.decided_on}: {len(found.causes)} causes of concern, {len(found.open)} open",
            )
        )
    if back is not None:
        facts.append(
            (
                "Last return",
                f"{back.decided_on}: causes open then count only with evidence since",
            )
        )
    if assessment.judged:
        judged = f"the move recorded on {assessment.judged.decided_on}"
        if assessment.judged.assessment_overridden:
            facts.append(("Judging", Tag(f"the move on {assessment.judged.decided_on}, {OVERRIDDEN}", "overridden")))
        else:
            facts.append(("Judging", judged))
    if found and found.uncertain:
        doubt = f"the record leaves the state of {_ids(found.uncertain)} uncertain"
        facts.append(("Uncertain", Tag(doubt, "uncertain")))
    if assessment.beyond_record:
        facts.append(
            (
                "Record",
                Tag(
                    f"checked to {force.record_checked_to}, before the as-of day: counts hold on "
                    f"{assessment.figures_on.isoformat()}, when the record ends",
                    "uncertain",
                ),
            )
        )
    facts += [("Verdict", assessment.verdict_tag()), ("Policy", assessment.policy)]
    return Document(
        f"{force.name} ({force.slug}): {question}?",
        facts,
        [
            section(
                "Reasons",
                ["Rule", "Met", "Detail"],
                [[r.rule, "met" if r.met else "not met", r.detail] for r in assessment.reasons],
                wrap=frozenset({"Detail"}),
            ),
            _precedents_part(assessment, for_board=for_board),
        ],
    )

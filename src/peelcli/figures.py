"""Every figure peel prints is known, a range, or unknown, and says which: pure functions from a
:class:`~peelcli.timeline.Standing` (or the national view) to :class:`Figure` and
:class:`Duration`, and the one wording of each for every medium.

A count over facts the record leaves in doubt (a closure dated to a span the day lies in, a
cause an uncertainty names, a cause raised on a date that may not yet have come) is a *range*:
"1 to 4 (3 possibly closed)". A count over facts that are not on record at all (a cause's
recommendations) has no upper bound: "at least 2 (recommendations of 3 causes not on record)",
or, with nothing known, "not known". A length of time whose end the record does not reach is
*open-ended*: "at least 324 days (to 2025-08-08: the national search of phase changes)".

Views never count for themselves: they take these figures and word them with :func:`words`,
:func:`cell`, :func:`figure_json` (or the :class:`Duration` equivalents), so no output can print
a bare count of something uncertain.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from .timeline import CauseStanding, RecommendationStanding, Standing

# Why a subject may count, though it is not surely counted: each a phrase after a number.
POSSIBLY_CLOSED = "possibly closed"
POSSIBLY_RAISED = "possibly raised"
POSSIBLY_OVERDUE = "possibly overdue"
NO_DUE_DATE = "with no due date on record"
NOT_ON_RECORD = "not on record"
FILE_INVALID = "file invalid"
POSSIBLY_MOVED = "possibly moved"
POSSIBLY_RETURNED = "possibly returned to Scan"
POSSIBLY_DUE = "with a due date known only to a span"
OPEN_AT_RECORD_END = "open when the record ends, not known since"
RECORD_ENDS = "record ends"
"""Facts of a period after a force's record ends are not on record: how many is not known."""
RECORD_UNREADABLE = "file unreadable"


class Doubt(NamedTuple):
    """Subjects that may count but are not surely counted, and why."""

    why: str
    count: int | None
    """How many may count beyond the least; ``None``: not known how many (not on record)."""
    subjects: tuple[str, ...] = ()
    """The ids (or slugs) in doubt; for facts not on record, the causes they belong to."""


class Figure(NamedTuple):
    """A count as the record supports it: at least :attr:`least`, at most :attr:`most`."""

    least: int
    doubts: tuple[Doubt, ...] = ()

    @classmethod
    def known(cls, count: int) -> Figure:
        return cls(count)

    @classmethod
    def unknown(cls, why: str, subjects: Iterable[str] = ()) -> Figure:
        return cls(0, (Doubt(why, None, tuple(subjects)),))

    @property
    def most(self) -> int | None:
        """``None`` when facts that would count are not on record: no upper bound is known."""
        if any(d.count is None for d in self.doubts):
            return None
        return self.least + sum(d.count for d in self.doubts)

    @property
    def kind(self) -> str:
        """``known``, ``range``, ``at-least`` or ``unknown``."""
        most = self.most
        if most == self.least:
            return "known"
        if most is not None:
            return "range"
        return "unknown" if self.least == 0 else "at-least"

    @property
    def value(self) -> int | None:
        """The count when the record fixes it, else ``None`` (never a guess, never 0 for unknown)."""
        return self.least if self.kind == "known" else None

    @property
    def certain(self) -> bool:
        return self.kind == "known"

    def __add__(self, other: object) -> Figure:  # type: ignore[override]
        if not isinstance(other, Figure):
            return NotImplemented
        return Figure(self.least + other.least, _merged(self.doubts + other.doubts))


def total(figures: Iterable[Figure]) -> Figure:
    found = Figure(0)
    for figure in figures:
        found = found + figure
    return found


def _merged(doubts: Iterable[Doubt]) -> tuple[Doubt, ...]:
    """One doubt per reason, in the order first given; empty ones dropped."""
    by_why: dict[str, Doubt] = {}
    for doubt in doubts:
        if doubt.count == 0 and doubt.why != NOT_ON_RECORD:
            continue
        seen = by_why.get(doubt.why)
        if seen is None:
            by_why[doubt.why] = doubt
            continue
        count = None if seen.count is None or doubt.count is None else seen.count + doubt.count
        subjects = tuple(dict.fromkeys(seen.subjects + doubt.subjects))
        by_why[doubt.why] = Doubt(doubt.why, count, subjects)
    return tuple(d for d in by_why.values() if d.count != 0)


def counted(subjects: Iterable[tuple[str, str | None]]) -> Figure:
    """A count of subjects, each ``(id, why)``: ``why`` ``None`` counts it surely, else it may count."""
    least, doubts = 0, []
    for subject, why in subjects:
        if why is None:
            least += 1
        else:
            doubts.append(Doubt(why, 1, (subject,)))
    return Figure(least, _merged(doubts))


# -- a force's figures --------------------------------------------------------------------------


def _cause_doubt(cause: CauseStanding) -> str | None:
    """Why an open cause may not be open: raised on a date that may not have come, a closure
    that may have come, or an uncertainty naming it."""
    if cause.raising:
        return POSSIBLY_RAISED
    if cause.closing is not None or cause.uncertain:
        return POSSIBLY_CLOSED
    return None


def causes_open(standing: Standing) -> Figure:
    """Open causes of concern: surely open ones, and those that may be (possibly raised, or
    possibly closed: a closure that may have come, or an uncertainty naming the cause).

    A closure the record dates surely by the day counts as closed, even where an uncertainty
    names the cause (most such doubts are about the day it closed): the doubt is shown beside
    the cause itself."""
    return counted(
        (cause.cause.id, _cause_doubt(cause))
        for cause in (*standing.causes, *standing.possible_causes)
        if cause.closed_on is None
    )


def causes_total(standing: Standing) -> Figure:
    """Causes raised by the day; those whose date may not yet have come, possibly."""
    return counted(
        [(c.cause.id, None) for c in standing.causes]
        + [(c.cause.id, POSSIBLY_RAISED) for c in standing.possible_causes]
    )


def areas_open(standing: Standing) -> Figure:
    subjects = []
    for area in (*standing.areas, *standing.possible_areas):
        if area.closed_on is None:
            why = POSSIBLY_RAISED if area.raising else POSSIBLY_CLOSED if area.closing is not None else None
            subjects.append((area.area.id, why))
    return counted(subjects)


def _may_be_open(cause: CauseStanding) -> bool:
    """The cause may be open on the day, and so may its recommendations not on record. A cause
    surely closed has none open but those the record lists open (closing a cause with open
    recommendations needs a recorded reason)."""
    return cause.closed_on is None


def _rec_doubt(cause: CauseStanding, rec: RecommendationStanding) -> str | None:
    """Why an open recommendation may not be open."""
    if cause.raising:
        return POSSIBLY_RAISED
    if rec.closing is not None or rec.uncertain:
        return POSSIBLY_CLOSED
    return None


def not_on_record(cause: CauseStanding) -> Doubt | None:
    """The cause's recommendations the record does not list: how many, when it says."""
    missing = cause.cause.recommendations_not_on_record
    if missing is None:
        return None
    count = None if missing.count is None else max(missing.count - len(cause.recommendations), 0)
    return Doubt(NOT_ON_RECORD, count, (cause.cause.id,))


def cause_recommendations_open(cause: CauseStanding) -> Figure:
    found = counted(
        (rec.recommendation.id, _rec_doubt(cause, rec)) for rec in cause.recommendations if rec.closed_on is None
    )
    missing = not_on_record(cause)
    if missing is not None and _may_be_open(cause):
        found = found + Figure(0, (missing,))
    return found


def cause_recommendations_closed(cause: CauseStanding) -> Figure:
    """Closed of the cause's recommendations; those not on record may be closed or not."""
    found = counted(
        (rec.recommendation.id, None if rec.closed_on is not None else POSSIBLY_CLOSED)
        for rec in cause.recommendations
        if rec.closed_on is not None or rec.closing is not None or rec.uncertain
    )
    missing = not_on_record(cause)
    return found if missing is None else found + Figure(0, (missing,))


def cause_recommendations_total(cause: CauseStanding) -> Figure:
    total_ = cause.recommendations_total
    if total_ is None:
        return Figure(len(cause.recommendations), (Doubt(NOT_ON_RECORD, None, (cause.cause.id,)),))
    return Figure.known(total_)


def recommendations_open(standing: Standing) -> Figure:
    return total(cause_recommendations_open(c) for c in (*standing.causes, *standing.possible_causes))


_PAST_DUE = {"yes": None, "possibly": POSSIBLY_OVERDUE, "unknown": NO_DUE_DATE}


def _overdue_doubt(cause: CauseStanding, rec: RecommendationStanding) -> tuple[bool, str | None]:
    """Whether an open (or possibly open) recommendation may be overdue, and why not surely."""
    if rec.past_due == "no":
        return False, None
    return True, _rec_doubt(cause, rec) or _PAST_DUE[rec.past_due]


def cause_recommendations_overdue(cause: CauseStanding) -> Figure:
    subjects = []
    for rec in cause.recommendations:
        may, why = (False, None) if rec.closed_on is not None else _overdue_doubt(cause, rec)
        if may:
            subjects.append((rec.recommendation.id, why))
    found = counted(subjects)
    missing = not_on_record(cause)
    if missing is not None and _may_be_open(cause):
        found = found + Figure(0, (missing,))
    return found


def recommendations_overdue(standing: Standing) -> Figure:
    """Open recommendations past their due date on the day the figures hold."""
    return total(cause_recommendations_overdue(c) for c in (*standing.causes, *standing.possible_causes))


def overdue_doubt(cause: CauseStanding, rec: RecommendationStanding) -> tuple[bool, str | None]:
    """Whether a recommendation not surely closed may be overdue on the day the figures hold,
    and why not surely: the one test the overdue figure and every list of overdue ones share."""
    return _overdue_doubt(cause, rec)


# -- what falls due in a period ---------------------------------------------------------------------


class Period(NamedTuple):
    """The days from :attr:`start` to :attr:`end`, both included: "the next 30 days"."""

    start: date
    end: date

    def holds(self, earliest: date, latest: date) -> str:
        """Whether a day known to lie from ``earliest`` to ``latest`` is in the period: ``yes``,
        ``possibly`` (the span straddles an end) or ``no``."""
        if latest < self.start or earliest > self.end:
            return "no"
        return "yes" if self.start <= earliest and latest <= self.end else "possibly"


def record_reaches(standing: Standing, day: date) -> bool:
    """The force's own record was searched to ``day`` or later: what it holds then is on record.
    A record whose end is not stated reaches no day for sure."""
    checked = standing.record_checked_to
    return checked is not None and checked.latest >= day


def falls_due(
    standing: Standing, cause: CauseStanding, rec: RecommendationStanding, period: Period
) -> tuple[bool, str | None]:
    """Whether a recommendation not surely closed may fall due in the period while open, and why
    not surely: one whose state is in doubt, one the record shows open only to its end (before
    the period starts), one whose due date is a span straddling an end of the period, or one
    with no due date on record (which may fall due any day)."""
    if rec.due is None:
        return True, _rec_doubt(cause, rec) or NO_DUE_DATE
    where = period.holds(rec.due.earliest, rec.due.latest)
    if where == "no":
        return False, None
    doubt = _rec_doubt(cause, rec)
    if doubt is not None:
        return True, doubt
    if not record_reaches(standing, period.start):
        return True, OPEN_AT_RECORD_END
    return True, POSSIBLY_DUE if where == "possibly" else None


def recommendations_due(standing: Standing, period: Period) -> Figure:
    """Recommendations falling due in the period while open. Where the force's record ends
    before the period does, what was raised or closed after it is not on record: the count then
    has no upper bound, and never reads as none."""
    found = Figure(0)
    for cause in (*standing.causes, *standing.possible_causes):
        subjects = []
        for rec in cause.recommendations:
            if rec.closed_on is None:
                may, why = falls_due(standing, cause, rec, period)
                if may:
                    subjects.append((rec.recommendation.id, why))
        found = found + counted(subjects)
        missing = not_on_record(cause)
        if missing is not None and _may_be_open(cause):
            found = found + Figure(0, (missing,))
    if not record_reaches(standing, period.end):
        found = found + Figure(0, (Doubt(RECORD_ENDS, None, (standing.force.slug,)),))
    return found


def unreadable(slugs: Iterable[str]) -> Figure:
    """Figures of forces whose files peel cannot read: not known."""
    slugs = tuple(slugs)
    return Figure.unknown(RECORD_UNREADABLE, slugs) if slugs else Figure(0)


class Figures(NamedTuple):
    """The counts every view of a force shows, computed once."""

    causes_open: Figure
    causes_total: Figure
    recommendations_open: Figure
    recommendations_overdue: Figure
    areas_open: Figure
    days_in_phase: Duration | None


def of(standing: Standing) -> Figures:
    return Figures(
        causes_open(standing),
        causes_total(standing),
        recommendations_open(standing),
        recommendations_overdue(standing),
        areas_open(standing),
        duration_in_phase(standing),
    )


# -- how long in the phase ------------------------------------------------------------------------

FORCE_RECORD = "force-record"
NATIONAL_SEARCH = "national-search"
NOT_STATED = "not-stated"


class Duration(NamedTuple):
    """Days in the phase, counted to :attr:`to`: :attr:`least` surely, :attr:`most` at most
    (a change dated to a month); ``open_ended`` when :attr:`to` lies before the as-of day, so
    the phase lasted at least that long and what came after is not known."""

    least: int
    most: int
    to: date
    open_ended: bool
    basis: str
    """What the phase on :attr:`to` rests on: ``force-record``, ``national-search`` or ``not-stated``."""
    word: str = "force"
    """What the record is of, in words: "force" or "service"."""

    @property
    def kind(self) -> str:
        if self.open_ended:
            return "at-least"
        return "known" if self.least == self.most else "range"

    @property
    def value(self) -> int | None:
        return self.least if self.kind == "known" else None


def duration_in_phase(standing: Standing) -> Duration | None:
    if standing.since is None:
        return None
    return Duration(
        standing.days_in_phase,
        standing.days_in_phase_at_most,
        standing.phase_on,
        standing.phase_open_ended,
        standing.phase_basis,
        "service" if standing.force.sector == "fire" else "force",
    )


# -- wording ---------------------------------------------------------------------------------------


def _causes(subjects: tuple[str, ...]) -> str:
    """``coc-x`` for one cause, ``5 causes`` for more."""
    return subjects[0] if len(subjects) == 1 else f"{len(subjects):,} causes"


def doubt_words(doubt: Doubt) -> str:
    """One reason in words: "3 possibly closed", "recommendations of 5 causes not on record"."""
    if doubt.why == NOT_ON_RECORD:
        whose = _causes(doubt.subjects)
        if doubt.count is None:
            return f"recommendations of {whose} not on record"
        return f"{doubt.count:,} recommendation{'s' * (doubt.count != 1)} of {whose} not on record"
    if doubt.why == RECORD_ENDS:
        if len(doubt.subjects) == 1:
            return f"{doubt.subjects[0]}'s record ends before the period does: nothing later is known"
        return f"the records of {len(doubt.subjects):,} forces end before the period does: nothing later is known"
    if doubt.why == RECORD_UNREADABLE:
        if len(doubt.subjects) == 1:
            return f"{doubt.subjects[0]}'s file is invalid: what it records is not known"
        return f"the files of {', '.join(doubt.subjects)} are invalid: what they record is not known"
    if doubt.why == FILE_INVALID:
        if len(doubt.subjects) == 1:
            return f"{doubt.subjects[0]}'s file is invalid: its phase is unknown"
        return f"the files of {', '.join(doubt.subjects)} are invalid: their phases are unknown"
    count = "some" if doubt.count is None else f"{doubt.count:,}"
    return f"{count} {doubt.why}"


def why_words(figure: Figure) -> str:
    return "; ".join(doubt_words(d) for d in figure.doubts)


def number(figure: Figure) -> str:
    """The figure's number alone: "4", "1 to 4", "at least 2", "not known"."""
    kind = figure.kind
    if kind == "known":
        return f"{figure.least:,}"
    if kind == "range":
        return f"{figure.least:,} to {figure.most:,}"
    if kind == "at-least":
        return f"at least {figure.least:,}"
    return "not known"


def reasons(*figures: Figure) -> str:
    """Why the figures are not exact, each reason once: "" when they all are. Figures said side by
    side count the same facts (an open recommendation possibly closed is also possibly overdue;
    an open cause is one of the total), so a reason they share is counted once, at the most any
    of them gives, never summed: two recommendations in doubt are "2 possibly closed"."""
    by_why: dict[str, Doubt] = {}
    for figure in figures:
        for doubt in _merged(figure.doubts):
            seen = by_why.get(doubt.why)
            if seen is None:
                by_why[doubt.why] = doubt
                continue
            count = None if seen.count is None or doubt.count is None else max(seen.count, doubt.count)
            by_why[doubt.why] = Doubt(doubt.why, count, tuple(dict.fromkeys(seen.subjects + doubt.subjects)))
    return "; ".join(doubt_words(d) for d in by_why.values())


def recommendations_words(open_: Figure, overdue: Figure) -> str:
    """ "2 recommendations (2 overdue)" when both are known; else each figure and why:
    "at least 5 recommendations, at least 5 overdue (recommendations of 3 causes not on record)"."""
    if open_.certain and overdue.certain:
        return f"{words(open_, 'recommendation')} ({overdue.least:,} overdue)"
    recs = "recommendations not known" if open_.kind == "unknown" else words(Figure(open_.least), "recommendation")
    if open_.kind != "unknown" and not open_.certain:
        recs = f"{number(open_)} recommendations"
    late = "overdue not known" if overdue.kind == "unknown" else f"{number(overdue)} overdue"
    return f"{recs}, {late} ({reasons(open_, overdue)})"


def words(figure: Figure, noun: str = "", nouns: str | None = None) -> str:
    """The figure in running text: "4 causes", "1 to 4 causes (3 possibly closed)", "at least 2
    recommendations (recommendations of 3 causes not on record)", "recommendations not known
    (...)". Without a noun, the bare figure: "1 to 4 (3 possibly closed)"."""
    nouns = nouns or (noun + "s" if noun else "")
    kind, least, most = figure.kind, figure.least, figure.most
    if kind == "known":
        name = noun if least == 1 else nouns
        return f"{least:,} {name}".rstrip()
    if kind == "range":
        number = f"{least:,} to {most:,}"
    elif kind == "at-least":
        number = f"at least {least:,}"
    else:
        return f"{nouns} not known ({why_words(figure)})".lstrip() if nouns else f"not known ({why_words(figure)})"
    return f"{number} {nouns}".rstrip() + f" ({why_words(figure)})"


def cell(figure: Figure) -> str:
    """The figure in a narrow column: "4", "1-4", "2+" (at least), "?" (not known)."""
    kind = figure.kind
    if kind == "known":
        return f"{figure.least:,}"
    if kind == "range":
        return f"{figure.least:,}-{figure.most:,}"
    if kind == "at-least":
        return f"{figure.least:,}+"
    return "?"


CELL_NOTE = "1-4: a range (the record leaves some in doubt); 2+: at least 2 (more are not on record); ?: not known."


def figure_json(figure: Figure) -> dict[str, Any]:
    """A figure beside its documented key: ``value`` is the count only when the record fixes it."""
    return {
        "kind": figure.kind,
        "value": figure.value,
        "least": figure.least,
        "most": figure.most,
        "why": [{"reason": d.why, "count": d.count, "subjects": list(d.subjects)} for d in figure.doubts],
        "text": words(figure),
    }


BASIS_WORDS = {
    NATIONAL_SEARCH: "the national search of phase changes",
    FORCE_RECORD: "the force's own record",
    NOT_STATED: "how far the force's record was checked is not stated",
}


def _days(least: int, most: int) -> str:
    return f"{least:,} day" + ("s" if least != 1 else "") if least == most else f"{least:,} to {most:,} days"


def duration_words(duration: Duration, *, basis: bool = True) -> str:
    """ "12 days", "12 to 40 days"; where the phase is known only to a day before the as-of day,
    "at least 324 days, to 2025-08-08: the national search of phase changes" or "at least 159
    days, to 2025-05-14, when the force's record ends"; on the national search alone, "12 days;
    the phase rests on the national search of phase changes". ``basis=False``: the same
    without what it rests on, for a view that says that beside it."""
    if duration.open_ended and not basis:
        return f"at least {_days(duration.least, duration.least)}, to {duration.to.isoformat()}"
    if duration.open_ended:
        to = duration.to.isoformat()
        where = (
            f": {BASIS_WORDS[NATIONAL_SEARCH]}"
            if duration.basis == NATIONAL_SEARCH
            else f", when the {duration.word}'s record ends"
        )
        return f"at least {_days(duration.least, duration.least)}, to {to}{where}"
    span = _days(duration.least, duration.most)
    if not basis:
        return span
    if duration.basis == NATIONAL_SEARCH:
        return f"{span}; the phase rests on {BASIS_WORDS[NATIONAL_SEARCH]}"
    if duration.basis == NOT_STATED:
        return f"{span} on the record; {BASIS_WORDS[NOT_STATED].replace('force', duration.word)}"
    return span


def duration_cell(duration: Duration) -> str:
    """Days in a narrow column: "12", "12-40", "324+" (at least)."""
    if duration.open_ended:
        return f"{duration.least:,}+"
    return f"{duration.least:,}" if duration.least == duration.most else f"{duration.least:,}-{duration.most:,}"


def duration_json(duration: Duration) -> dict[str, Any]:
    return {
        "kind": duration.kind,
        "value": duration.value,
        "least": duration.least,
        "most": None if duration.open_ended else duration.most,
        "to": duration.to.isoformat(),
        "basis": duration.basis,
        "text": duration_words(duration),
    }

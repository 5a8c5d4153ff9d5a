"""The rules every closure keeps, whichever path records it: pure functions over plain data.

``peel validate`` checks a file's closures with :func:`cause_breaches` and :func:`area_breaches`
(through :mod:`peelcli.rules`), and every editing command that records a closure or a
recommendation checks the state its edit would leave with the same functions before it writes
(:mod:`peelcli.edits`): no command records what ``validate`` refuses, and none refuses what it
accepts. A command that corrects the record (reopens a closure, changes its date) builds the
state it would leave with the same ``with_*`` methods (``with_cause_closed(None)`` reopens,
``with_raised`` moves the day a cause was raised).

The rules follow HMICFRS's practice as the shipped record shows it: recommendations are closed
one by one, and a cause of concern is closed by HMICFRS's decision once they are (no shipped
cause is closed with a recommendation open, and none of their recommendations closes after its
cause; West Midlands' investigations cause stayed *open* with two of its five recommendations
open when the force returned to Scan):

1. ``closed-before-raised``: nothing closes before it was raised (a recommendation: before its
   cause was raised).
2. ``after-its-cause``: a recommendation does not close after its cause closed. When HMICFRS
   closes a cause its recommendations are closed by that day, or left open with the reason the
   cause's closure records; they are not closed later.
3. ``open-recommendations``: a cause closes while recommendations are open only when its closure
   records why (``reason``). An open recommendation added to a closed cause is the same state.

Dates known only to a month or a span break a rule only when they *surely* do.
"""

from __future__ import annotations

from typing import NamedTuple

from .dates import PartialDate

CLOSED_BEFORE_RAISED = "closed-before-raised"
AFTER_ITS_CAUSE = "after-its-cause"
OPEN_RECOMMENDATIONS = "open-recommendations"

FILE_FIXES = {OPEN_RECOMMENDATIONS: "close {them} first, or record why under closure.reason"}
"""How to put a breach right in the file; a command says it in its own options."""


class Closable(NamedTuple):
    """A cause, recommendation or area as the closure rules see it."""

    id: str
    raised: PartialDate
    """When it was raised (a recommendation: when its cause was)."""
    closed_on: PartialDate | None = None
    reason: str | None = None
    """Why a cause was closed with recommendations open (its closure's ``reason``)."""


class CauseClosures(NamedTuple):
    """A cause of concern and its recommendations, as far as closing them goes."""

    cause: Closable
    recommendations: tuple[Closable, ...] = ()

    def with_cause_closed(self, on: PartialDate | None, reason: str | None = None) -> CauseClosures:
        """The cause closed on ``on`` (``None``: reopened)."""
        return self._replace(cause=self.cause._replace(closed_on=on, reason=reason if on else None))

    def with_recommendation_closed(self, rec_id: str, on: PartialDate | None) -> CauseClosures:
        """Recommendation ``rec_id`` closed on ``on`` (``None``: reopened)."""
        recs = tuple(r._replace(closed_on=on) if r.id == rec_id else r for r in self.recommendations)
        return self._replace(recommendations=recs)

    def with_raised(self, raised: PartialDate) -> CauseClosures:
        """The cause raised on another day (its recommendations are raised with it)."""
        recs = tuple(r._replace(raised=raised) for r in self.recommendations)
        return CauseClosures(self.cause._replace(raised=raised), recs)

    def with_recommendation(self, rec_id: str, closed_on: PartialDate | None = None) -> CauseClosures:
        """A recommendation added to the cause, open or already closed."""
        added = Closable(rec_id, self.cause.raised, closed_on)
        return self._replace(recommendations=(*self.recommendations, added))


class Breach(NamedTuple):
    """A closure rule broken: which, where (a path within the cause or area, in YAML keys), and
    what is wrong, in words that hold for a file and a command alike."""

    rule: str
    path: tuple
    message: str
    subjects: tuple[str, ...] = ()
    """The recommendations the breach is about (open ones, for ``open-recommendations``)."""

    def said(self, fixes: dict[str, str] | None = None) -> str:
        """The message with the fix ``fixes`` gives for its rule (``FILE_FIXES`` for a file)."""
        fix = (FILE_FIXES if fixes is None else fixes).get(self.rule)
        if not fix:
            return self.message
        return f"{self.message}: {fix.format(them='it' if len(self.subjects) == 1 else 'them')}"


def of_cause(cause) -> CauseClosures:
    """A :class:`~peelcli.schema.records.CauseOfConcern` as the closure rules see it."""
    return CauseClosures(
        _closable(cause, cause.raised_on),
        tuple(_closable(rec, cause.raised_on) for rec in cause.recommendations),
    )


def of_area(area) -> Closable:
    """An :class:`~peelcli.schema.records.AreaForImprovement` as the closure rules see it."""
    return _closable(area, area.raised_on)


def _closable(record, raised: PartialDate) -> Closable:
    closure = record.closure
    if closure is None:
        return Closable(record.id, raised)
    return Closable(record.id, raised, closure.closed_on, closure.reason)


def cause_breaches(state: CauseClosures) -> list[Breach]:
    """Every closure rule a cause of concern and its recommendations break, in file order."""
    cause = state.cause
    found = _before_raised(cause, (), "the cause of concern")
    for j, rec in enumerate(state.recommendations):
        path = ("recommendations", j)
        found += _before_raised(rec, path, "the cause of concern")
        if rec.closed_on is not None and cause.closed_on is not None and cause.closed_on.surely_before(rec.closed_on):
            found.append(
                Breach(
                    AFTER_ITS_CAUSE,
                    (*path, "closure", "closed_on"),
                    f"recommendation {rec.id} closed on {rec.closed_on}, after its cause of concern {cause.id!r} "
                    f"closed ({cause.closed_on}): a closed cause's recommendations close by the day it does, or "
                    "stay open with the reason its closure records",
                    (rec.id,),
                )
            )
    still_open = tuple(rec.id for rec in state.recommendations if rec.closed_on is None)
    if cause.closed_on is not None and still_open and not cause.reason:
        which = (
            f"recommendation {still_open[0]} is"
            if len(still_open) == 1
            else f"recommendations {', '.join(still_open)} are"
        )
        found.append(
            Breach(
                OPEN_RECOMMENDATIONS,
                ("closure",),
                f"cause of concern {cause.id!r} closed on {cause.closed_on} while {which} open",
                still_open,
            )
        )
    return found


def area_breaches(area: Closable) -> list[Breach]:
    """Every closure rule an area for improvement breaks."""
    return _before_raised(area, (), "the area for improvement")


def _before_raised(item: Closable, path: tuple, what: str) -> list[Breach]:
    if item.closed_on is None or not item.closed_on.surely_before(item.raised):
        return []
    return [
        Breach(
            CLOSED_BEFORE_RAISED,
            (*path, "closure", "closed_on"),
            f"closed on {item.closed_on}, before {what} was raised ({item.raised})",
        )
    ]

"""``peel history``: every dated event of a force, in order. Pure.

An event is *uncertain* when its date is known only to a month, a year or a span, or when the
record leaves the state of what it is about in doubt (the subject of an unresolved uncertainty,
for an event that may lie on or after the day that doubt begins); every output marks it. A move
recorded with ``peel move --override`` says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from .dates import PartialDate
from .output.document import Cell, Document, Tag, section
from .output.wording import body_word
from .schema.records import ForceFile
from .timeline import Event, doubted_by, doubts, events

UNCERTAIN_MARK = " (uncertain)"
UNCERTAINTY_NOTE = (
    "Dates written YYYY-MM or YYYY are known only to the month or the year, START/END only to a span; "
    "(uncertain): the record leaves the state of what it is about in doubt."
)


def history_events(force: ForceFile, since: date | None) -> list[Event]:
    """Events on or after ``since``; one dated only to a month or year is kept while any of
    its days could be."""
    if since is None:
        return events(force)
    # A fact on the record happened by the day its record was checked to, however its date reads.
    end = force.record_checked_to.latest if force.record_checked_to is not None else date.max
    return [e for e in events(force) if min(e.on.latest, end) >= since]


Doubts = Mapping[str, date]
"""Ids in doubt, each with the first day its doubt may have begun (:func:`peelcli.timeline.doubts`)."""


def in_doubt_now(force: ForceFile) -> Doubts:
    """Ids the record, as it stands, still leaves in doubt: every uncertainty not resolved."""
    return doubts(force, date.max)


def subject_in_doubt(event: Event, in_doubt: Doubts) -> bool:
    """The event is about something in doubt, and may lie on or after the day its doubt begins: a
    cause raised before the record falls silent about it is not marked for that silence."""
    return event.subject is not None and doubted_by(in_doubt.get(event.subject), event.on)


def event_uncertain(event: Event, in_doubt: Doubts) -> bool:
    """Dated less exactly than a day, or about something whose state is in doubt."""
    return not event.on.is_exact or subject_in_doubt(event, in_doubt)


def event_json(event: Event, in_doubt: Doubts | None = None) -> dict[str, Any]:
    """An event as every JSON output gives it."""
    in_doubt = {} if in_doubt is None else in_doubt
    return {
        "date": str(event.on),
        "date_precision": event.on.precision,
        "kind": event.kind,
        "summary": event.summary,
        "subject": event.subject,
        "sources": list(event.sources),
        "uncertain": event_uncertain(event, in_doubt),
        "subject_in_doubt": subject_in_doubt(event, in_doubt),
        "assessment_overridden": event.overridden,
    }


def uncertain_marked(text: str, uncertain: bool) -> Cell:
    """``text (uncertain)`` as an ``uncertain`` tag where the record leaves it in doubt."""
    return Tag(text + UNCERTAIN_MARK, "uncertain") if uncertain else text


def date_cell(on) -> Cell:
    """A date as the record gives it; one known only to a month, a year or a span is tagged."""
    return str(on) if on.is_exact else Tag(str(on), "uncertain")


def nothing_known_after(day, record: str) -> str:
    """What an empty list says when the period asked for runs past where ``record`` ends."""
    return f"Nothing is known after {day}, where {record} ends: that is not a finding that nothing happened."


def event_cells(event: Event, in_doubt: Doubts) -> list[Cell]:
    """The date and summary cells of an event, with its uncertainty and any override shown."""
    if event.overridden:
        summary: Cell = Tag(event.summary, "overridden")
    else:
        summary = uncertain_marked(event.summary, subject_in_doubt(event, in_doubt))
    return [date_cell(event.on), summary]


def record_end_words(force: ForceFile, national: PartialDate | None = None) -> str:
    """Where the force's record ends, and what is known after it: "checked to 2024-09-18: nothing
    later is known to peel (its phase changes were searched nationally to 2025-08-08)"."""
    checked = force.record_checked_to
    if checked is None:
        text = f"how far this {body_word(force.sector)}'s record was checked is not stated: later events may be missing"
    else:
        text = f"checked to {checked}: nothing later is known to peel"
    if national is not None and (checked is None or national.latest > checked.latest):
        text += f" (its phase changes were searched nationally to {national}: none later is known)"
    return text


def beyond(force: ForceFile, since: date | None) -> bool:
    """``--since`` lies after the force's record ends: nothing is known there."""
    checked = force.record_checked_to
    return since is not None and checked is not None and since > checked.latest


class History(NamedTuple):
    """The view of ``peel history``."""

    force: ForceFile
    since: date | None
    national: PartialDate | None = None
    """How far the national search of phase changes reaches (the registry's ``record_checked_to``)."""

    def json(self) -> dict[str, Any]:
        in_doubt = in_doubt_now(self.force)
        checked = self.force.record_checked_to
        return {
            "force": self.force.slug,
            "name": self.force.name,
            "since": self.since.isoformat() if self.since else None,
            "record_checked_to": str(checked) if checked else None,
            "phase_changes_searched_to": str(self.national) if self.national else None,
            "since_beyond_record": beyond(self.force, self.since),
            "record_end": record_end_words(self.force, self.national),
            "events": [event_json(e, in_doubt) for e in history_events(self.force, self.since)],
        }

    def document(self) -> Document:
        force, since = self.force, self.since
        found = history_events(force, since)
        in_doubt = in_doubt_now(force)
        uncertain = sum(1 for e in found if event_uncertain(e, in_doubt))
        checked = force.record_checked_to
        past_end = beyond(force, since)
        count = str(len(found))
        if not found:
            count = "none known: the record ends before then" if past_end else "none on record"
        facts = [("Events", count)] + ([("Since", since.isoformat())] if since else [])
        facts.append(("Record", record_end_words(force, self.national)))
        if uncertain:
            facts.append(("Uncertain", Tag(f"{uncertain} of {len(found)}", "uncertain")))
        rows = []
        for e in found:
            day, summary = event_cells(e, in_doubt)
            rows.append([day, e.kind, summary, ", ".join(e.sources)])
        if past_end:
            empty = nothing_known_after(checked, "the record")
        else:
            empty = "No dated event on record" + (f" since {since.isoformat()}." if since else ".")
        return Document(
            f"{force.name} ({force.slug}): history",
            facts,
            [
                section(
                    "Events",
                    ["Date", "Kind", "Event", "Sources"],
                    rows,
                    empty=empty,
                    wrap=frozenset({"Event", "Sources"}),
                )
            ],
            [UNCERTAINTY_NOTE] if uncertain else [],
        )

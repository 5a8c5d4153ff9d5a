"""``peel chronology``: every phase change and cause of concern of every force, in date order. Pure.

The national timeline the site draws, as a list every medium can give: moves into Engage and
returns to Scan, causes of concern raised and closed, each with its force, date (as precise as the
record has it) and sources. Each force's record ends on its own day, and the national search of
phase changes reaches further: every output says where, so silence after a record's end never
reads as nothing having happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .history import (
    UNCERTAINTY_NOTE,
    Doubts,
    event_cells,
    event_json,
    event_uncertain,
    history_events,
    in_doubt_now,
    nothing_known_after,
)
from .output.document import Cell, Document, Tag, section
from .output.wording import plural
from .schema.names import SECTOR_NAMES
from .schema.records import ForceFile
from .status import National, Only, listed
from .timeline import Event

KINDS = frozenset({"phase-change", "cause-raised", "cause-closed"})
"""What the chronology holds: the events that change where a force stands."""


class ForceEvent(NamedTuple):
    force: ForceFile
    event: Event
    in_doubt: Doubts

    def sort_key(self) -> tuple:
        return (*self.event.sort_key(), self.force.slug)


def force_events(force: ForceFile, since: date | None) -> list[ForceEvent]:
    """The force's phase changes and causes raised and closed on or after ``since`` (a date known
    to a month or a year kept while any of its days could be, as ``peel history`` keeps it)."""
    in_doubt = in_doubt_now(force)
    return [ForceEvent(force, e, in_doubt) for e in history_events(force, since) if e.kind in KINDS]


class Chronology(NamedTuple):
    """The view of ``peel chronology``: every force with a file (those the filters keep)."""

    found: National
    since: date | None = None
    only: tuple[Only, ...] = ()

    @property
    def forces(self) -> list[ForceFile]:
        return [row.standing.force for row in listed(self.found, self.only) if row.summarised]

    @property
    def events(self) -> list[ForceEvent]:
        return sorted((e for force in self.forces for e in force_events(force, self.since)), key=ForceEvent.sort_key)

    @property
    def national(self):
        """How far the national search of phase changes reaches (the registry's ``record_checked_to``)."""
        return self.found.record_checked_to

    @property
    def known_to(self) -> date | None:
        """The last day anything is known of: the latest record end, or the national search where
        it reaches further; ``None`` when a record does not say how far it was checked."""
        ends = [force.record_checked_to for force in self.forces]
        if not ends or any(end is None for end in ends):
            return None
        days = [end.latest for end in ends] + ([self.national.latest] if self.national is not None else [])
        return max(days)

    @property
    def beyond_every_record(self) -> bool:
        known = self.known_to
        return self.since is not None and known is not None and self.since > known

    def reaches(self, force: ForceFile) -> bool | None:
        """The force's record reaches ``since`` (``None``: no ``since``, or its end not stated)."""
        checked = force.record_checked_to
        if self.since is None or checked is None:
            return None
        return checked.latest >= self.since

    def json(self) -> dict[str, Any]:
        rows = listed(self.found, self.only)
        return {
            "since": self.since.isoformat() if self.since else None,
            "phase_changes_searched_to": str(self.national) if self.national else None,
            "known_to": self.known_to.isoformat() if self.known_to else None,
            "since_beyond_every_record": self.beyond_every_record,
            "records": [
                {
                    "force": force.slug,
                    "name": force.name,
                    "record_checked_to": str(force.record_checked_to) if force.record_checked_to else None,
                    "reaches_since": self.reaches(force),
                }
                for force in self.forces
            ],
            "no_file": [row.slug for row in rows if not row.summarised and row.problem is None],
            "invalid_files": [row.slug for row in rows if row.problem is not None],
            "only": {f.option: f.value for f in self.only},
            "events": [
                {"force": e.force.slug, "name": e.force.name, **event_json(e.event, e.in_doubt)} for e in self.events
            ],
        }

    def document(self) -> Document:
        return chronology_document(self)


def record_cell(view: Chronology, force: ForceFile) -> Cell:
    checked = force.record_checked_to
    if checked is None:
        return Tag("not stated: later events may be missing", "uncertain")
    if view.reaches(force) is False:
        return Tag(f"{checked}: ends before {view.since.isoformat()}, nothing later is known", "uncertain")
    return str(checked)


def chronology_document(view: Chronology) -> Document:
    found, since, rows = view.events, view.since, listed(view.found, view.only)
    uncertain = sum(1 for e in found if event_uncertain(e.event, e.in_doubt))
    if found:
        count = f"{len(found):,} on record"
    elif view.beyond_every_record:
        count = f"none known: every record ends before {since.isoformat()}"
    else:
        count = "none on record" + (f" since {since.isoformat()}" if since else "")
    facts: list[tuple[str, Cell]] = [("Events", count)]
    if since is not None:
        facts.append(("Since", since.isoformat()))
    if view.national is not None:
        facts.append(
            (
                "Phase changes",
                f"searched nationally to {view.national}: a later move into or out of Engage is not known to peel",
            )
        )
    no_file = [row for row in rows if not row.summarised and row.problem is None]
    if no_file:
        facts.append(
            (
                "No file",
                f"{plural(len(no_file), 'force')} {'has' if len(no_file) == 1 else 'have'} no file: no phase change "
                "or cause of concern is on record for them, which is not a claim about them",
            )
        )
    invalid = [row.slug for row in rows if row.problem is not None]
    if invalid:
        facts.append(("Invalid", Tag(f"{', '.join(invalid)}: not shown; peel validate says why", "problem")))
    if uncertain:
        facts.append(("Uncertain", Tag(f"{uncertain} of {len(found)}", "uncertain")))
    table = []
    for e in found:
        day, summary = event_cells(e.event, e.in_doubt)
        table.append([day, e.force.slug, summary, ", ".join(e.event.sources)])
    if view.beyond_every_record:
        empty = nothing_known_after(view.known_to.isoformat(), "the last record")
    else:
        empty = "No phase change or cause of concern on record" + (f" since {since.isoformat()}." if since else ".")
    return Document(
        f"{SECTOR_NAMES[view.found.sector]}: phase changes and causes of concern",
        facts,
        [
            section(
                "Phase changes and causes of concern",
                ["Date", "Force", "Event", "Sources"],
                table,
                empty=empty,
                wrap=frozenset({"Event", "Sources"}),
            ),
            section(
                "Where each record ends",
                ["Force", "Record checked to"],
                [[force.slug, record_cell(view, force)] for force in view.forces],
                empty="No force with a file is listed.",
                wrap=frozenset({"Record checked to"}),
                notes=[
                    "After a force's record ends, its causes of concern are not known to peel; its phase is known "
                    "to the national search of phase changes, where that reaches further."
                ],
            ),
        ],
        [UNCERTAINTY_NOTE] if uncertain else [],
    )

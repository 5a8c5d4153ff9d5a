"""``peel history``: every dated event of a force, in order. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .output.document import Document, section
from .schema.records import ForceFile
from .timeline import Event, events


def history_events(force: ForceFile, since: date | None) -> list[Event]:
    """Events on or after ``since``; one dated only to a month or year is kept while any of
    its days could be."""
    return [e for e in events(force) if since is None or e.on.latest >= since]


def event_json(event: Event) -> dict[str, Any]:
    """An event as every JSON output gives it."""
    return {
        "date": str(event.on),
        "kind": event.kind,
        "summary": event.summary,
        "subject": event.subject,
        "sources": list(event.sources),
    }


class History(NamedTuple):
    """The view of ``peel history``."""

    force: ForceFile
    since: date | None

    def json(self) -> dict[str, Any]:
        return {
            "force": self.force.slug,
            "name": self.force.name,
            "since": self.since.isoformat() if self.since else None,
            "events": [event_json(e) for e in history_events(self.force, self.since)],
        }

    def document(self) -> Document:
        force, since = self.force, self.since
        found = history_events(force, since)
        facts = [("Events", str(len(found)))] + ([("Since", since.isoformat())] if since else [])
        return Document(
            f"{force.name} ({force.slug}): history",
            facts,
            [
                section(
                    "Events",
                    ["Date", "Kind", "Event", "Sources"],
                    [[str(e.on), e.kind, e.summary, ", ".join(e.sources)] for e in found],
                    wrap=frozenset({"Event", "Sources"}),
                )
            ],
        )

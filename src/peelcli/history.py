"""``peel history``: every dated event of a force, in order. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from .render import Report, Section
from .schema.records import ForceFile
from .timeline import Event, events


def history_events(force: ForceFile, since: date | None) -> list[Event]:
    """Events on or after ``since``; one dated only to a month or year is kept while any of
    its days could be."""
    return [e for e in events(force) if since is None or e.on.latest >= since]


def history_json(force: ForceFile, since: date | None) -> dict[str, Any]:
    return {
        "force": force.slug,
        "name": force.name,
        "since": since.isoformat() if since else None,
        "events": [
            {"date": str(e.on), "kind": e.kind, "summary": e.summary, "subject": e.subject, "sources": list(e.sources)}
            for e in history_events(force, since)
        ],
    }


def history_report(force: ForceFile, since: date | None) -> Report:
    found = history_events(force, since)
    facts = [("Events", str(len(found)))] + ([("Since", since.isoformat())] if since else [])
    return Report(
        f"{force.name} ({force.slug}): history",
        facts,
        [
            Section(
                "Events",
                ["Date", "Kind", "Event", "Sources"],
                [[str(e.on), e.kind, e.summary, ", ".join(e.sources)] for e in found],
                wrap=frozenset({"Event", "Sources"}),
            )
        ],
    )

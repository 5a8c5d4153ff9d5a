"""Force files as plain data, for unit tests of the core: a minimal valid file that each test
overrides in the parts it is about, validated into records the way the reader validates them.

    force = build(phase_changes=[change("engage", "2024-01-05")])
    force = build(causes_of_concern=[cause("coc-1", "2024-01", recommendations=[rec("rec-1")])])

Every entry cites the one source, ``letter``, unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peelcli.schema.records import ForceFile, validate

SLUG = "test-force"
TODAY = date(2026, 11, 26)
LETTER = {"id": "letter", "kind": "revisit-letter", "title": "A letter", "url": "https://example.org/letter"}


def force_dict(**overrides: Any) -> dict[str, Any]:
    """A minimal valid force file as plain data; keyword arguments replace its keys (``from_``
    stands for ``from``, a key that is a Python keyword)."""
    data: dict[str, Any] = {
        "slug": SLUG,
        "name": "Test Police",
        "record_checked_to": "2026-11-01",
        "record_checked_note": "HMICFRS's pages and the force's, searched to this day",
        "sources": [LETTER],
    }
    data.update(overrides)
    return data


def build(**overrides: Any) -> ForceFile:
    """:func:`force_dict` validated as a ``ForceFile``, as the reader validates a parsed file."""
    return validate("ForceFile", force_dict(**overrides))


def change(phase: str, decided_on: str, **more: Any) -> dict[str, Any]:
    return {"phase": phase, "decided_on": decided_on, "sources": ["letter"], **more}


def closure(closed_on: str, **more: Any) -> dict[str, Any]:
    return {"closed_on": closed_on, "evidence": "Done, and checked", "sources": ["letter"], **more}


def rec(rec_id: str, *, deadline: str | None = None, closed_on: str | None = None, **more: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"id": rec_id, "text": f"Recommendation {rec_id}", "sources": ["letter"], **more}
    if deadline is not None:
        found["deadline"] = deadline
    if closed_on is not None:
        found["closure"] = closure(closed_on)
    return found


def cause(
    cause_id: str,
    raised_on: str,
    *,
    recommendations: list[dict] | None = None,
    closed_on: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    """A cause of concern; without ``recommendations`` it gets one, ``<id>-rec``, closed with the
    cause when the cause is."""
    if recommendations is None:
        recommendations = [rec(f"{cause_id}-rec", closed_on=closed_on)]
    found: dict[str, Any] = {
        "id": cause_id,
        "title": f"Cause {cause_id}",
        "raised_on": raised_on,
        "sources": ["letter"],
        "recommendations": recommendations,
    }
    if closed_on is not None:
        found["closure"] = closure(closed_on)
    found.update(more)
    return found


def area(area_id: str, raised_on: str, *, closed_on: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"id": area_id, "text": f"Area {area_id}", "raised_on": raised_on, "sources": ["letter"]}
    if closed_on is not None:
        found["closure"] = closure(closed_on)
    return found


def holder(name: str, **dates: Any) -> dict[str, Any]:
    """A chief officer; ``from_`` stands for ``from``."""
    found = {"name": name, "role": "Chief Constable", "sources": ["letter"]}
    found.update({("from" if key == "from_" else key): value for key, value in dates.items()})
    return found

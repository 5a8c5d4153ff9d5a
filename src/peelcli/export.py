"""``peel export``: the whole ledger as CSV, JSON or SQLite, for spreadsheets, scripts and Datasette.

Without ``--as-of`` every force file is exported as written, with statuses as of today. With it,
each file is cut back to what was on record that day (:func:`on_record`), with statuses as of
that day, by the same rule as ``peel status``: a fact counts once it has surely happened.

Every format is written through :func:`replacing`, so a reader of the output sees the old file
or the complete new one, and a failed export leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from .dates import PartialDate
from .output.jsontext import json_text, text_or_none
from .problems import PeelError
from .schema.records import (
    AreaForImprovement,
    CauseOfConcern,
    Closure,
    ForceFile,
    Inspection,
    Metric,
    Officeholder,
    PhaseChange,
    Record,
    ReportedDate,
    keys_of,
    validate,
)
from .timeline import CauseStanding, Standing, cause_standing, happened, standing

# -- reading --------------------------------------------------------------------------------


# -- plain values ---------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A record as plain values under its YAML keys: every key, dates as their text, numbers
    left as Decimal. ``records.validate("ForceFile", plain(force))`` gives ``force`` back."""
    if isinstance(value, Record):
        return {key: plain(getattr(value, attribute)) for key, (attribute, _) in keys_of(type(value).__name__).items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, PartialDate):
        return str(value)
    return value


# -- as of a day ----------------------------------------------------------------------------


def _dated(record: Record) -> PartialDate | None:
    """The day a record came onto the record, for those that have one."""
    if isinstance(record, PhaseChange):
        return record.decided_on
    if isinstance(record, CauseOfConcern | AreaForImprovement):
        return record.raised_on
    if isinstance(record, Closure):
        return record.closed_on
    if isinstance(record, Metric):
        return record.period_end
    if isinstance(record, Inspection):
        return record.fieldwork_from
    if isinstance(record, ReportedDate):
        return record.date
    if isinstance(record, Officeholder):
        return record.from_ or record.noted_on
    return None


def _cut(value: Any, day: date) -> Any:
    """``plain`` without the records dated after ``day``; ``None`` for such a record."""
    if isinstance(value, Record):
        dated = _dated(value)
        if dated is not None and not happened(dated, day):
            return None
        out = {
            key: _cut(getattr(value, attribute), day) for key, (attribute, _) in keys_of(type(value).__name__).items()
        }
        if isinstance(value, Officeholder) and value.to is not None and not happened(value.to, day):
            out["to"] = None  # still in post as far as the record then showed
        return out
    if isinstance(value, list):
        kept = (_cut(item, day) for item in value)
        return [item for item in kept if item is not None]
    return plain(value)


def on_record(force: ForceFile, day: date) -> ForceFile:
    """The force file cut back to what was on record on ``day``.

    Phase changes, causes (with their recommendations), areas, closures, metrics, inspections,
    office-holders and reported dates dated after ``day`` are left out, by ``peel status``'s
    rule (a month-dated fact counts once its whole month is past). Dates inside a kept entry
    (a cause's publication, a recommendation's due date) stay as recorded, so due dates come
    out as ``peel status`` gives them. A source is left out when it is dated (sent, published
    or held) after ``day`` and nothing kept cites it: a kept fact keeps its evidence even when
    that was published later.
    """
    cut = _cut(force, day)
    cited = set(_citations(cut))
    sources = []
    for source, record in zip(cut["sources"], force.sources, strict=True):
        dates = [d for d in (record.sent_on, record.published_on, record.held_on) if d is not None]
        if source["id"] in cited or not dates or happened(min(dates, key=PartialDate.sort_key), day):
            sources.append(source)
    cut["sources"] = sources
    return validate("ForceFile", cut)


def _citations(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("sources", "recorded_in") and isinstance(item, list) and all(isinstance(i, str) for i in item):
                yield from item
            else:
                yield from _citations(item)
    elif isinstance(value, list):
        for item in value:
            yield from _citations(item)


def as_of(forces: tuple[ForceFile, ...], day: date, *, cut: bool) -> list[tuple[ForceFile, Standing]]:
    """Each force (cut back to ``day`` when asked) with its standing on ``day``; the standing
    comes from the full file, so facts dated only to a month still show as pending."""
    return [(on_record(force, day) if cut else force, standing(force, day)) for force in forces]


# -- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "force",
    "force_name",
    "phase",
    "cause",
    "cause_title",
    "cause_status",
    "cause_closed",
    "recommendation",
    "text",
    "status",
    "raised",
    "deadline",
    "due",
    "due_basis",
    "days_overdue",
    "closed",
    "evidence",
    "sources",
    "notes",
)


def csv_rows(forces: list[tuple[ForceFile, Standing]]) -> Iterator[dict[str, str]]:
    """One row per recommendation of every force, with its status as of the day.

    A cause with no recommendation listed (their texts are not on record, or it is an area of
    concern) still gets one row, with the recommendation left empty and the record's note on
    what is missing, so that no cause of concern drops out of a spreadsheet.
    """
    for force, found in forces:
        for cause, status in causes_with_status(force, found):
            common = {
                "force": force.slug,
                "force_name": force.name,
                "phase": found.phase,
                "cause": cause.cause.id,
                "cause_title": cause.cause.title,
                "cause_status": status,
                "cause_closed": _text(cause.closed_on),
                "raised": str(cause.cause.raised_on),
            }
            if not cause.recommendations:
                missing = cause.cause.recommendations_not_on_record
                yield {
                    **dict.fromkeys(CSV_COLUMNS, ""),
                    **common,
                    "sources": "; ".join(cause.cause.sources),
                    "notes": f"recommendations not on record: {missing.note}" if missing else "",
                }
                continue
            for rec in cause.recommendations:
                closure = rec.recommendation.closure if rec.closed_on else None
                yield {
                    **common,
                    "recommendation": rec.recommendation.id,
                    "text": rec.recommendation.text,
                    "status": rec.status,
                    "deadline": rec.recommendation.deadline or "",
                    "due": rec.due.latest.isoformat() if rec.due else "",
                    "due_basis": rec.due.basis if rec.due else "",
                    "days_overdue": _text(rec.days_overdue),
                    "closed": _text(rec.closed_on),
                    "evidence": closure.evidence if closure else "",
                    "sources": "; ".join(rec.recommendation.sources),
                    "notes": rec.recommendation.notes or "",
                }


def causes_with_status(force: ForceFile, found: Standing) -> Iterator[tuple[CauseStanding, str]]:
    """Every cause in the file with its standing on the day and its status: one dated only to a
    month or year that has not surely begun by then (raised "this month") is ``pending``, never
    left out of an export."""
    standings = {c.cause.id: c for c in found.causes}
    for cause in force.causes_of_concern:
        known = standings.get(cause.id)
        yield (known, known.status) if known else (cause_standing(cause, found.as_of), "pending")


def csv_text(forces: list[tuple[ForceFile, Standing]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(csv_rows(forces))
    return buffer.getvalue()


def _text(value: object) -> str:
    return "" if value is None else str(value)


# -- JSON -----------------------------------------------------------------------------------


def ledger_json(forces: list[tuple[ForceFile, Standing]], day: date, *, cut: bool) -> dict[str, Any]:
    """Every force file in full (``record``, the file's keys) and its standing on the day
    (``status``, the shape of ``peel status FORCE --format json``)."""
    from .status import status_json

    return {
        "as_of": day.isoformat(),
        "cut_to_as_of": cut,
        "forces": [
            {"force": force.slug, "status": status_json(found), "record": plain(force)} for force, found in forces
        ],
    }


# -- SQLite ---------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE forces (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    phase_since TEXT,
    days_in_phase INTEGER,
    chief_officer TEXT,
    policing_body TEXT,
    notes TEXT,
    as_of TEXT NOT NULL
);
CREATE TABLE sources (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    fieldwork_from TEXT,
    fieldwork_to TEXT,
    sent_on TEXT,
    published_on TEXT,
    held_on TEXT,
    notes TEXT,
    UNIQUE (force, id)
);
CREATE TABLE phase_changes (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    number INTEGER NOT NULL,
    phase TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    published_on TEXT,
    decided_by TEXT,
    reason TEXT,
    assessment_overridden INTEGER NOT NULL,
    missing_from_record TEXT,
    notes TEXT,
    UNIQUE (force, number)
);
CREATE TABLE causes_of_concern (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT,
    accelerated INTEGER NOT NULL,
    raised_on TEXT NOT NULL,
    published_on TEXT,
    status TEXT NOT NULL,
    closed_on TEXT,
    closure_evidence TEXT,
    closure_reason TEXT,
    recommendations_closed INTEGER NOT NULL,
    recommendations_total INTEGER,
    recommendations_not_on_record TEXT,
    notes TEXT,
    UNIQUE (force, id)
);
CREATE TABLE recommendations (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    id TEXT NOT NULL,
    cause TEXT NOT NULL REFERENCES causes_of_concern(key),
    text TEXT NOT NULL,
    deadline TEXT,
    due TEXT,
    due_basis TEXT,
    status TEXT NOT NULL,
    days_overdue INTEGER,
    closed_on TEXT,
    closure_evidence TEXT,
    notes TEXT,
    UNIQUE (force, id)
);
CREATE TABLE areas_for_improvement (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    id TEXT NOT NULL,
    text TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    status TEXT NOT NULL,
    closed_on TEXT,
    closure_evidence TEXT,
    notes TEXT,
    UNIQUE (force, id)
);
CREATE TABLE metrics (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    period_end TEXT NOT NULL,
    value REAL NOT NULL,
    value_exact TEXT NOT NULL,
    unit TEXT NOT NULL,
    notes TEXT,
    UNIQUE (force, number)
);
CREATE TABLE citations (
    force TEXT NOT NULL REFERENCES forces(slug),
    record_table TEXT NOT NULL,
    record TEXT NOT NULL,
    part TEXT NOT NULL,
    source TEXT NOT NULL REFERENCES sources(key),
    PRIMARY KEY (record_table, record, part, source)
);
CREATE INDEX recommendations_by_cause ON recommendations(cause);
CREATE INDEX citations_by_source ON citations(source);
"""
"""Text keys ``<force>/<id>`` (``<force>/phase-change-<n>``, ``<force>/metric-<n>`` for records
without ids) make single-column keys, which Datasette follows as links; ``citations`` links any
record (``part`` ``record`` or ``closure``) to the sources it cites."""


def write_sqlite(target: Path, forces: list[tuple[ForceFile, Standing]]) -> None:
    """Build the database in ``target``, a fresh empty file; foreign keys are enforced while
    filling it, so a dangling link fails the export instead of reaching Datasette."""
    import sqlite3

    connection = sqlite3.connect(target)
    try:
        connection.execute("PRAGMA journal_mode = MEMORY")
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            connection.executescript(SCHEMA)
            for force, found in forces:
                _insert_force(connection, force, found)
    except sqlite3.Error as exc:
        raise PeelError(f"cannot build the SQLite database: {exc}; nothing was written") from None
    finally:
        connection.close()


def _insert_force(db, force: ForceFile, found: Standing) -> None:
    """Every table's rows for one force."""
    cite = _Citer(db, force.slug)
    _insert_force_row(db, force, found)
    _insert_sources(db, force)
    _insert_phase_changes(db, force, cite)
    _insert_causes(db, force, found, cite)
    _insert_areas(db, force, found, cite)
    _insert_metrics(db, force, cite)


class _Citer:
    """Rows of ``citations``: a record (or its closure) citing sources of its force."""

    def __init__(self, db, slug: str) -> None:
        self.db, self.slug = db, slug

    def __call__(self, table: str, key: str, part: str, sources: list[str]) -> None:
        for source in sources:
            self.db.execute(
                "INSERT OR IGNORE INTO citations VALUES (?, ?, ?, ?, ?)",
                (self.slug, table, key, part, f"{self.slug}/{source}"),
            )


def _insert_force_row(db, force: ForceFile, found: Standing) -> None:
    since = found.since
    db.execute(
        "INSERT INTO forces VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            force.slug,
            force.name,
            found.phase,
            text_or_none(since.decided_on) if since else None,
            found.days_in_phase,
            found.chief_officer.name if found.chief_officer else None,
            found.policing_body.name if found.policing_body else None,
            force.notes,
            found.as_of.isoformat(),
        ),
    )


def _insert_sources(db, force: ForceFile) -> None:
    for source in force.sources:
        db.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"{force.slug}/{source.id}",
                force.slug,
                source.id,
                source.kind,
                source.title,
                source.url,
                text_or_none(source.fieldwork_from),
                text_or_none(source.fieldwork_to),
                text_or_none(source.sent_on),
                text_or_none(source.published_on),
                text_or_none(source.held_on),
                source.notes,
            ),
        )


def _insert_phase_changes(db, force: ForceFile, cite: _Citer) -> None:
    for number, change in enumerate(force.phase_changes, start=1):
        key = f"{force.slug}/phase-change-{number}"
        db.execute(
            "INSERT INTO phase_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                force.slug,
                number,
                change.phase,
                str(change.decided_on),
                text_or_none(change.published_on),
                change.decided_by,
                change.reason,
                int(change.assessment_overridden),
                change.missing_from_record,
                change.notes,
            ),
        )
        cite("phase_changes", key, "record", change.sources)


def _insert_causes(db, force: ForceFile, found: Standing, cite: _Citer) -> None:
    slug = force.slug
    for cause_found, status in causes_with_status(force, found):
        cause = cause_found.cause
        key = f"{slug}/{cause.id}"
        closure = cause.closure if cause_found.closed_on else None
        missing = cause.recommendations_not_on_record
        db.execute(
            "INSERT INTO causes_of_concern VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                slug,
                cause.id,
                cause.kind,
                cause.title,
                cause.text,
                int(cause.accelerated),
                str(cause.raised_on),
                text_or_none(cause.published_on),
                status,
                text_or_none(cause_found.closed_on),
                closure.evidence if closure else None,
                closure.reason if closure else None,
                cause_found.recommendations_closed,
                _sqlite_integer(cause_found.recommendations_total),
                missing.note if missing else None,
                cause.notes,
            ),
        )
        cite("causes_of_concern", key, "record", cause.sources)
        if closure:
            cite("causes_of_concern", key, "closure", closure.sources)
        for rec in cause_found.recommendations:
            _insert_recommendation(db, slug, key, rec, cite)


def _sqlite_integer(value: int | None) -> int | str | None:
    """SQLite holds integers of 64 bits; a larger count (valid in a file) goes in as its text
    rather than crash the export (SQLite stores it as the nearest REAL)."""
    return value if value is None or -(2**63) <= value < 2**63 else str(value)


def _insert_recommendation(db, slug: str, cause_key: str, rec, cite: _Citer) -> None:
    key = f"{slug}/{rec.recommendation.id}"
    closure = rec.recommendation.closure if rec.closed_on else None
    db.execute(
        "INSERT INTO recommendations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            slug,
            rec.recommendation.id,
            cause_key,
            rec.recommendation.text,
            rec.recommendation.deadline,
            rec.due.latest.isoformat() if rec.due else None,
            rec.due.basis if rec.due else None,
            rec.status,
            rec.days_overdue,
            text_or_none(rec.closed_on),
            closure.evidence if closure else None,
            rec.recommendation.notes,
        ),
    )
    cite("recommendations", key, "record", rec.recommendation.sources)
    if closure:
        cite("recommendations", key, "closure", closure.sources)


def _insert_areas(db, force: ForceFile, found: Standing, cite: _Citer) -> None:
    areas = {a.area.id: a for a in found.areas}
    for area in force.areas_for_improvement:
        key = f"{force.slug}/{area.id}"
        known = areas.get(area.id)  # None: dated to a month or year not surely begun (pending)
        closed_on = known.closed_on if known else None
        closure = area.closure if closed_on else None
        db.execute(
            "INSERT INTO areas_for_improvement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                force.slug,
                area.id,
                area.text,
                str(area.raised_on),
                known.status if known else "pending",
                text_or_none(closed_on),
                closure.evidence if closure else None,
                area.notes,
            ),
        )
        cite("areas_for_improvement", key, "record", area.sources)
        if closure:
            cite("areas_for_improvement", key, "closure", closure.sources)


def _insert_metrics(db, force: ForceFile, cite: _Citer) -> None:
    for number, metric in enumerate(force.metrics, start=1):
        key = f"{force.slug}/metric-{number}"
        db.execute(
            "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                force.slug,
                number,
                metric.name,
                str(metric.period_end),
                float(metric.value),
                format(metric.value, "f"),
                metric.unit,
                metric.notes,
            ),
        )
        cite("metrics", key, "record", metric.sources)


# -- writing --------------------------------------------------------------------------------


def export(forces: tuple[ForceFile, ...], out: Path, fmt: str, day: date, *, cut: bool) -> int:
    """Write the ledger to ``out`` in ``fmt``; the number of forces written."""
    from .files import replacing

    found = as_of(forces, day, cut=cut)
    with replacing(out) as temp:
        if fmt == "csv":
            temp.write_text(csv_text(found), encoding="utf-8", newline="")
        elif fmt == "json":
            temp.write_text(json_text(ledger_json(found, day, cut=cut)), encoding="utf-8")
        else:
            write_sqlite(temp, found)
    return len(found)

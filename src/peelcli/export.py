"""``peel export``: the whole ledger as CSV, JSON or SQLite, for spreadsheets, scripts and Datasette.

Without ``--as-of`` every force file is exported as written, with statuses as of today. With it,
each file is cut back to what was on record that day (:func:`on_record`), with statuses as of
that day, by the same rule as ``peel status``: a fact counts once it has surely happened.

Every format is written through :func:`replacing`, so a reader of the output sees the old file
or the complete new one, and a failed export leaves nothing behind.

Each force's file is read as its entry is made and let go once the entry is written, so memory
stays flat however large the ledger: JSON is written entry by entry (:func:`json_pieces`), the
same text as the whole document at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from . import figures
from .dates import PartialDate
from .figures import NATIONAL_SEARCH
from .output.jsontext import json_text, text_or_none
from .problems import PeelError, Problem
from .schema.names import SECTORS
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
    Uncertainty,
    keys_of,
    validate,
)
from .timeline import (
    CauseStanding,
    RecommendationStanding,
    Standing,
    cause_standing,
    doubt_begun,
    doubtful,
    happened,
    in_doubt,
    standing,
)

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
        if isinstance(value, Uncertainty) and not doubt_begun(value, day):
            return None  # one that may have begun is kept: it counts on the day
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
    rule (a month-dated fact counts once its whole month is past); so is an uncertainty whose
    doubt surely begins after ``day`` (one that may have begun counts, as it does on the day).
    Dates inside a kept entry (a cause's publication, a recommendation's due date) stay as
    recorded, so due dates come out as ``peel status`` gives them. A source is left out when it
    is dated (sent, published or held) after ``day`` and nothing kept cites it: a kept fact keeps
    its evidence even when that was published later.
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


def as_of(
    forces: tuple[ForceFile, ...], day: date, *, cut: bool, national: PartialDate | None = None
) -> list[tuple[ForceFile, Standing]]:
    """Each force (cut back to ``day`` when asked) with its standing on ``day``; the standing
    comes from the full file, so facts dated only to a month still show as pending. ``national``:
    how far the national search of phase changes reaches, which extends how long a phase is known."""
    return [(on_record(force, day) if cut else force, standing(force, day, national=national)) for force in forces]


class Entry(NamedTuple):
    """One force or service of the export: with its file and standing, or (``force`` ``None``)
    one of the registry with no file, in Scan by default with nothing on record."""

    slug: str
    name: str
    force: ForceFile | None
    found: Standing | None
    record_checked_to: PartialDate | None
    as_of: date
    sector: str = "police"

    @property
    def beyond_record(self) -> bool | None:
        checked = self.record_checked_to
        return None if checked is None else self.as_of > checked.latest

    @property
    def figures_hold_on(self) -> date:
        """The day days and counts hold on: the as-of day, or the end of the record before it."""
        return min(self.as_of, self.record_checked_to.latest) if self.beyond_record else self.as_of

    @property
    def phase(self) -> str:
        return self.found.phase if self.found else "scan"

    @property
    def phase_known_to(self) -> date | None:
        """The last day the force's phase is known: for a force without a file, the end of the
        national search of phase changes, which covered every force."""
        if self.found is not None:
            return self.found.phase_known_to
        return None if self.record_checked_to is None else self.record_checked_to.latest

    @property
    def phase_basis(self) -> str | None:
        if self.found is not None:
            return self.found.phase_basis
        return None if self.record_checked_to is None else NATIONAL_SEARCH


class Planned(NamedTuple):
    """What an export holds, before any file is read: each slug in its order, and how many of
    each sector (with a file, and in all)."""

    slugs: list[str]
    filed: frozenset[str]
    counts: dict[str, int]
    filed_counts: dict[str, int]


def planned(files: Iterable[str], registry, sectors: tuple[str, ...] = SECTORS) -> Planned:
    """Every force and service of the registry and every one with a file (``files``: their
    slugs), of the ``sectors`` asked for: by sector (police first), then by slug. A file's
    sector is its slug's (a file whose sector and slug disagree does not validate)."""
    filed = frozenset(slug for slug in files if registry.sector_of(slug) in sectors)
    unfiled = (slug for slug in registry.names if slug not in filed and registry.sector_of(slug) in sectors)
    slugs = sorted({*filed, *unfiled}, key=lambda s: (SECTORS.index(registry.sector_of(s)), s))
    counts = {sector: 0 for sector in sectors}
    filed_counts = dict(counts)
    for slug in slugs:
        counts[registry.sector_of(slug)] += 1
        filed_counts[registry.sector_of(slug)] += slug in filed
    return Planned(slugs, filed, counts, filed_counts)


def entries(
    plan: Planned, read: Callable[[str], ForceFile | None], registry, day: date, *, cut: bool
) -> Iterator[Entry]:
    """Each entry of ``plan`` in turn, a file read (``read(slug)``) as its entry is made. One
    without a file has its sector's national search as its record's end (``record_checked_to``);
    a file ``read`` finds invalid has none (the export is refused: :class:`~peelcli.ledger.Readings`)."""
    for slug in plan.slugs:
        if slug in plan.filed:
            force = read(slug)
            if force is None:
                continue
            found = standing(force, day, national=registry.checked_to(force.sector))
            kept = on_record(force, day) if cut else force
            yield Entry(slug, kept.name, kept, found, found.record_checked_to, day, kept.sector)
        else:
            sector = registry.sector_of(slug)
            yield Entry(slug, registry.names[slug], None, None, registry.checked_to(sector), day, sector)


class CauseRow(NamedTuple):
    standing: CauseStanding
    pending: bool
    """Dated only to a month or year that may not yet have come on the day: ``peel status``
    lists it as pending, neither open nor closed, and so does every export."""

    @property
    def status(self) -> str:
        return "pending" if self.pending else self.standing.status

    def rec_status(self, rec: RecommendationStanding) -> str:
        return "pending" if self.pending else rec.status


def cause_rows(force: ForceFile, found: Standing) -> list[CauseRow]:
    """Every cause of the file, in its order, with its standing on the day."""
    known = {c.cause.id: c for c in found.causes}
    doubted, on = doubtful(force, found.as_of), found.figures_on
    return [
        CauseRow(known[cause.id], False)
        if cause.id in known
        else CauseRow(cause_standing(cause, found.as_of, doubted, on), True)
        for cause in force.causes_of_concern
    ]


def due_text(rec: RecommendationStanding) -> str | None:
    """The due date as precise as it is known: a day, or the month, year or span it lies in."""
    return None if rec.due is None else str(PartialDate(rec.due.earliest, rec.due.latest))


def _flag(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


# -- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "force",
    "force_name",
    "sector",
    "on_record",
    "phase",
    "record_checked_to",
    "beyond_record",
    "figures_hold_on",
    "phase_known_to",
    "phase_basis",
    "cause",
    "cause_title",
    "cause_status",
    "cause_closed",
    "cause_uncertain",
    "recommendation",
    "text",
    "status",
    "uncertain",
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
NO_FILE_NOTE = "no file in the ledger: in Scan by default, nothing on record"
NO_CAUSE_NOTE = "no cause of concern on record"
PENDING_NOTE = "dated only to a month or year that may not yet have come: may or may not have happened by then"


def csv_rows(forces: list[Entry]) -> Iterator[dict[str, str]]:
    """A row per recommendation of every force, with its status as of the day; and a row for
    every cause without one and every force without a cause, so nothing drops out of a sheet.

    A cause with no recommendation listed (their texts are not on record, or it is an area of
    concern) has one row, the recommendation left empty and the record's note on what is
    missing. A force with no cause, or no file, has one row saying so.
    """
    for entry in forces:
        force_cells = {
            **dict.fromkeys(CSV_COLUMNS, ""),
            "force": entry.slug,
            "force_name": entry.name,
            "sector": entry.sector,
            "on_record": _flag(entry.force is not None),
            "phase": entry.phase,
            "record_checked_to": _text(entry.record_checked_to),
            "beyond_record": _flag(entry.beyond_record),
            "figures_hold_on": entry.figures_hold_on.isoformat(),
            "phase_known_to": _text(entry.phase_known_to),
            "phase_basis": _text(entry.phase_basis),
        }
        if entry.force is None:
            yield {**force_cells, "notes": NO_FILE_NOTE}
            continue
        causes = cause_rows(entry.force, entry.found)
        if not causes:
            yield {**force_cells, "notes": NO_CAUSE_NOTE}
        for row in causes:
            yield from _cause_csv_rows(force_cells, row)


def _cause_csv_rows(force_cells: dict[str, str], row: CauseRow) -> Iterator[dict[str, str]]:
    cause = row.standing
    common = {
        **force_cells,
        "cause": cause.cause.id,
        "cause_title": cause.cause.title,
        "cause_status": row.status,
        "cause_closed": _text(cause.closed_on),
        "cause_uncertain": _flag(cause.uncertain or cause.closing is not None),
        "raised": str(cause.cause.raised_on),
    }
    cause_closing = possibly_closed_note(cause.closing)
    if not cause.recommendations:
        missing = cause.cause.recommendations_not_on_record
        notes = [
            f"recommendations not on record: {missing.note}" if missing else "",
            PENDING_NOTE if row.pending else "",
            cause_closing,
        ]
        yield {
            **common,
            "uncertain": _flag(cause.uncertain or cause.closing is not None),
            "sources": "; ".join(cause.cause.sources),
            "notes": "; ".join(note for note in notes if note),
        }
        return
    for rec in cause.recommendations:
        closure = rec.recommendation.closure if rec.closed_on else None
        notes = [
            rec.recommendation.notes or "",
            PENDING_NOTE if row.pending else "",
            cause_closing,
            possibly_closed_note(rec.closing, "recommendation"),
        ]
        yield {
            **common,
            "recommendation": rec.recommendation.id,
            "text": rec.recommendation.text,
            "status": row.rec_status(rec),
            "uncertain": _flag(rec.uncertain or rec.closing is not None),
            "deadline": rec.recommendation.deadline or "",
            "due": _text(due_text(rec)),
            "due_basis": rec.due.basis if rec.due else "",
            "days_overdue": "" if row.pending else _text(rec.days_overdue),
            "closed": _text(rec.closed_on),
            "evidence": closure.evidence if closure else "",
            "sources": "; ".join(rec.recommendation.sources),
            "notes": "; ".join(note for note in notes if note),
        }


def possibly_closed_note(closing: PartialDate | None, what: str = "cause") -> str:
    """An open entry whose closure is dated to a span the day lies in: it may already be closed."""
    return (
        "" if closing is None else f"{what} possibly closed {closing}: its closure is dated to a span holding the day"
    )


FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
"""What makes a spreadsheet read a cell as a formula: = + - @, a tab or carriage return, and
their full-width forms."""


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text and never runs: one that would start a formula (even
    after leading spaces) gets a leading apostrophe, which spreadsheets read as "this is text".
    The one rule for CSV, applied to every cell peel writes there."""
    stripped = text.lstrip(" ")
    return f"'{text}" if stripped[:1] in FORMULA_STARTS else text


def csv_text(forces: list[Entry], *, line_end: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator=line_end)
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in csv_rows(forces))
    return buffer.getvalue()


def _text(value: object) -> str:
    return "" if value is None else str(value)


# -- JSON -----------------------------------------------------------------------------------


def ledger_head(day: date, *, cut: bool, registry, counts: dict[str, int]) -> dict[str, Any]:
    """The export's keys before its forces: the day, and each sector exported (``counts``: how
    many of each) with how far its national search reached."""
    checked = registry.record_checked_to
    return {
        "as_of": day.isoformat(),
        "cut_to_as_of": cut,
        "record_checked_to": text_or_none(checked),
        "beyond_record": None if checked is None else day > checked.latest,
        "sectors": [
            {
                "sector": sector,
                "record_checked_to": text_or_none(registry.checked_to(sector)),
                "beyond_record": None
                if registry.checked_to(sector) is None
                else day > registry.checked_to(sector).latest,
                "count": count,
            }
            for sector, count in counts.items()
        ],
    }


def force_json(entry: Entry) -> dict[str, Any]:
    """One force's or service's entry of the export: its file in full (``record``, the file's
    keys) and its standing on the day (``status``, the shape of ``peel status FORCE --format
    json``); one of the registry with no file has both ``null``, in Scan by default."""
    from .status import status_json

    return {
        "force": entry.slug,
        "name": entry.name,
        "sector": entry.sector,
        "on_record": entry.force is not None,
        "phase": entry.phase,
        "record_checked_to": text_or_none(entry.record_checked_to),
        "beyond_record": entry.beyond_record,
        "figures_hold_on": entry.figures_hold_on.isoformat(),
        "phase_known_to": text_or_none(entry.phase_known_to),
        "phase_basis": entry.phase_basis,
        "status": status_json(entry.found) if entry.found else None,
        "record": plain(entry.force) if entry.force else None,
    }


FORCES_KEY = '"forces": '
_EMPTY_END = "[]\n}\n"


def json_pieces(head: dict[str, Any], forces: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The text of ``json_text({**head, "forces": [...forces]})``, an entry at a time: each entry
    is written as the whole document writes it, two levels deep (its text as the one item of a
    list inside a list, less those lists' brackets), so no more than one entry is held."""
    whole = json_text({**head, "forces": []})
    if not whole.endswith(FORCES_KEY + _EMPTY_END):
        raise ValueError("the forces must be the export's last key")
    yield whole[: -len(_EMPTY_END)]
    opening, closing = "[\n  [\n", "\n  ]\n]\n"
    separator = "[\n"
    for entry in forces:
        text = json_text([[entry]])
        yield separator + text[len(opening) : -len(closing)]
        separator = ",\n"
    yield _EMPTY_END if separator == "[\n" else "\n  ]\n}\n"


# -- SQLite ---------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE forces (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sector TEXT NOT NULL,
    on_record INTEGER NOT NULL,
    phase TEXT NOT NULL,
    phase_since TEXT,
    days_in_phase INTEGER,
    chief_officer TEXT,
    policing_body TEXT,
    notes TEXT,
    as_of TEXT NOT NULL,
    record_checked_to TEXT,
    beyond_record INTEGER,
    figures_hold_on TEXT NOT NULL,
    phase_known_to TEXT,
    phase_basis TEXT,
    causes_open INTEGER,
    recommendations_open INTEGER,
    recommendations_overdue INTEGER
);
CREATE TABLE sources (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    sector TEXT NOT NULL,
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
    sector TEXT NOT NULL,
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
    sector TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT,
    accelerated INTEGER NOT NULL,
    raised_on TEXT NOT NULL,
    published_on TEXT,
    status TEXT NOT NULL,
    uncertain INTEGER NOT NULL,
    closed_on TEXT,
    possibly_closed_on TEXT,
    closure_evidence TEXT,
    closure_reason TEXT,
    recommendations_closed INTEGER,
    recommendations_total,
    recommendations_not_on_record TEXT,
    notes TEXT,
    UNIQUE (force, id)
);
CREATE TABLE recommendations (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    sector TEXT NOT NULL,
    id TEXT NOT NULL,
    cause TEXT NOT NULL,
    cause_key TEXT NOT NULL REFERENCES causes_of_concern(key),
    text TEXT NOT NULL,
    deadline TEXT,
    due TEXT,
    due_basis TEXT,
    status TEXT NOT NULL,
    uncertain INTEGER NOT NULL,
    days_overdue INTEGER,
    closed_on TEXT,
    possibly_closed_on TEXT,
    closure_evidence TEXT,
    notes TEXT,
    UNIQUE (force, id),
    FOREIGN KEY (force, cause) REFERENCES causes_of_concern(force, id)
);
CREATE TABLE areas_for_improvement (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    sector TEXT NOT NULL,
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
    sector TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    period_end TEXT NOT NULL,
    value REAL NOT NULL,
    value_exact TEXT NOT NULL,
    unit TEXT NOT NULL,
    notes TEXT,
    UNIQUE (force, number)
);
CREATE TABLE uncertainties (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    sector TEXT NOT NULL,
    number INTEGER NOT NULL,
    id TEXT,
    about TEXT NOT NULL,
    note TEXT NOT NULL,
    in_doubt_from TEXT,
    subjects TEXT NOT NULL,
    in_doubt INTEGER NOT NULL,
    resolved_on TEXT,
    resolution_evidence TEXT,
    UNIQUE (force, number)
);
CREATE TABLE citations (
    force TEXT NOT NULL REFERENCES forces(slug),
    sector TEXT NOT NULL,
    record_table TEXT NOT NULL,
    record_key TEXT NOT NULL,
    part TEXT NOT NULL,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL REFERENCES sources(key),
    PRIMARY KEY (record_table, record_key, part, source_key),
    FOREIGN KEY (force, source) REFERENCES sources(force, id)
);
CREATE TABLE figures (
    key TEXT PRIMARY KEY,
    force TEXT NOT NULL REFERENCES forces(slug),
    sector TEXT NOT NULL,
    subject TEXT,
    subject_key TEXT REFERENCES causes_of_concern(key),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    value INTEGER,
    least INTEGER NOT NULL,
    most INTEGER,
    why TEXT,
    reasons TEXT NOT NULL,
    text TEXT NOT NULL,
    holds_on TEXT NOT NULL,
    basis TEXT,
    UNIQUE (force, subject, name)
);
CREATE INDEX recommendations_by_cause ON recommendations(force, cause);
CREATE INDEX citations_by_source ON citations(force, source);
"""
"""Every table links by plain ids within a force (``recommendations.force, .cause`` to
``causes_of_concern.force, .id``; ``citations.force, .source`` to ``sources.force, .id``), with
a single-column twin (``cause_key``, ``source_key``: ``<force>/<id>``) that Datasette follows as
a link. Records without ids have keys ``<force>/phase-change-<n>``, ``<force>/metric-<n>`` and
``<force>/uncertainty-<n>``. ``recommendations_total`` has no declared type, so a count too large
for SQLite's integers is kept exactly, as text, rather than rounded. Every table has ``sector``,
the sector of the force or service its row belongs to, so any table can be split by sector.

A count is a number only where the record fixes it, never 0 for unknown: ``forces.causes_open``,
``recommendations_open``, ``recommendations_overdue``, ``days_in_phase`` and
``causes_of_concern.recommendations_closed`` are NULL otherwise, and ``figures`` says what is
known (``kind`` known, range, at-least or unknown; ``least``; ``most``, NULL with no upper
bound; ``why`` in words and ``reasons`` as JSON), one row per figure of a force (``subject``
NULL) or of a cause (``subject`` its id)."""

_INTEGERS = range(-(2**63), 2**63)


def _sql(value: Any) -> Any:
    """A value SQLite stores exactly: an integer beyond its 64 bits as its digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INTEGERS:
        return str(value)
    return value


def write_sqlite(target: Path, forces: list[Entry], *, name: str | None = None) -> None:
    """Build the database in ``target``, a fresh empty file, marked as peel's
    (:data:`APPLICATION_ID`); foreign keys are enforced while filling it, so a dangling link
    fails the export instead of reaching Datasette. ``name``: the file the user named, for
    messages."""
    import sqlite3

    connection = sqlite3.connect(target)
    try:
        # No journal file at all: the database is a temporary file no one else opens, renamed
        # into place only once it is whole, so nothing is left beside it for SQLite to replay.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            connection.executescript(SCHEMA)
            for entry in forces:
                _insert_force(connection, entry)
    except sqlite3.Error as exc:
        raise PeelError(
            Problem(f"cannot build the SQLite database: {_sqlite_reason(exc)}; nothing was changed").at(name)
        ) from None
    finally:
        connection.close()


def _sqlite_reason(exc) -> str:
    """What SQLite's error means for the user: its own words, and for a refused write what may
    have refused it (SQLite does not say)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == 13:  # SQLITE_FULL
        return "the disk is full"
    if code == 10:  # SQLITE_IOERR
        return f"{exc} (the disk refused a write: is it full, or is a file-size limit reached?)"
    return str(exc)


class _Db:
    """Inserts into one database for one force or service: rows as plain values in their table's
    columns, each with the sector, and rows of ``citations`` (a record, or its closure or
    resolution, citing sources of its force)."""

    def __init__(self, db, slug: str, sector: str = "police") -> None:
        self.db, self.slug, self.sector = db, slug, sector

    def insert(self, table: str, row: tuple) -> None:
        columns = _columns(self.db, table)
        marks = ", ".join("?" * (len(row) + 1))
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, sector) VALUES ({marks})",
            (*(_sql(v) for v in row), self.sector),
        )

    def cite(self, table: str, key: str, part: str, sources: list[str]) -> None:
        for source in sources:
            self.db.execute(
                "INSERT OR IGNORE INTO citations (force, record_table, record_key, part, source, source_key, sector) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.slug, table, key, part, source, f"{self.slug}/{source}", self.sector),
            )


_COLUMNS: dict[str, tuple[str, ...]] = {}


def _columns(db, table: str) -> tuple[str, ...]:
    """A table's columns in their declared order (:data:`SCHEMA`'s, the same in every database),
    less ``sector``: the order rows are given in."""
    if table not in _COLUMNS:
        _COLUMNS[table] = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})") if row[1] != "sector")
    return _COLUMNS[table]


def _insert_force(connection, entry: Entry) -> None:
    """Every table's rows for one force."""
    db = _Db(connection, entry.slug, entry.sector)
    _insert_force_row(db, entry)
    if entry.force is None:
        return
    force, found = entry.force, entry.found
    _insert_sources(db, force)
    _insert_phase_changes(db, force)
    _insert_causes(db, force, found)
    _insert_areas(db, force, found)
    _insert_metrics(db, force)
    _insert_uncertainties(db, force, found)
    _insert_figures(db, force, found)


def _insert_force_row(db: _Db, entry: Entry) -> None:
    found = entry.found
    since = found.since if found else None
    counted = figures.of(found) if found else None
    db.insert(
        "forces",
        (
            entry.slug,
            entry.name,
            int(entry.force is not None),
            entry.phase,
            text_or_none(since.decided_on) if since else None,
            counted.days_in_phase.value if counted and counted.days_in_phase else None,
            found.chief_officer.name if found and found.chief_officer else None,
            found.policing_body.name if found and found.policing_body else None,
            entry.force.notes if entry.force else NO_FILE_NOTE,
            entry.as_of.isoformat(),
            text_or_none(entry.record_checked_to),
            None if entry.beyond_record is None else int(entry.beyond_record),
            entry.figures_hold_on.isoformat(),
            text_or_none(entry.phase_known_to),
            entry.phase_basis,
            counted.causes_open.value if counted else None,
            counted.recommendations_open.value if counted else None,
            counted.recommendations_overdue.value if counted else None,
        ),
    )


def _insert_figures(db: _Db, force: ForceFile, found: Standing) -> None:
    """Every figure of the force and of each cause as the record supports it, with why."""
    import json

    slug, holds_on = db.slug, found.figures_on.isoformat()
    counted = figures.of(found)
    rows: list[tuple[str | None, str, figures.Figure]] = [
        (None, "causes_open", counted.causes_open),
        (None, "causes_total", counted.causes_total),
        (None, "recommendations_open", counted.recommendations_open),
        (None, "recommendations_overdue", counted.recommendations_overdue),
        (None, "areas_for_improvement_open", counted.areas_open),
    ]
    for row in cause_rows(force, found):
        cause = row.standing
        rows += [
            (cause.cause.id, "recommendations_closed", figures.cause_recommendations_closed(cause)),
            (cause.cause.id, "recommendations_total", figures.cause_recommendations_total(cause)),
            (cause.cause.id, "recommendations_open", figures.cause_recommendations_open(cause)),
        ]
    for subject, name, figure in rows:
        key = f"{slug}/{subject + '/' if subject else ''}{name}"
        shown = figures.figure_json(figure)
        db.insert(
            "figures",
            (
                key,
                slug,
                subject,
                f"{slug}/{subject}" if subject else None,
                name,
                figure.kind,
                figure.value,
                figure.least,
                figure.most,
                figures.reasons(figure) or None,
                json.dumps(shown["why"], ensure_ascii=False),
                shown["text"],
                holds_on,
                None,
            ),
        )
    duration = counted.days_in_phase
    if duration is not None:
        shown = figures.duration_json(duration)
        db.insert(
            "figures",
            (
                f"{slug}/days_in_phase",
                slug,
                None,
                None,
                "days_in_phase",
                duration.kind,
                duration.value,
                duration.least,
                shown["most"],
                None if duration.kind == "known" else shown["text"],
                "[]",
                shown["text"],
                duration.to.isoformat(),
                duration.basis,
            ),
        )


def _insert_sources(db: _Db, force: ForceFile) -> None:
    for source in force.sources:
        db.insert(
            "sources",
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


def _insert_phase_changes(db: _Db, force: ForceFile) -> None:
    for number, change in enumerate(force.phase_changes, start=1):
        key = f"{force.slug}/phase-change-{number}"
        db.insert(
            "phase_changes",
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
        db.cite("phase_changes", key, "record", change.sources)


def _insert_causes(db: _Db, force: ForceFile, found: Standing) -> None:
    slug = force.slug
    for row in cause_rows(force, found):
        cause_found, cause = row.standing, row.standing.cause
        key = f"{slug}/{cause.id}"
        closure = cause.closure if cause_found.closed_on else None
        missing = cause.recommendations_not_on_record
        db.insert(
            "causes_of_concern",
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
                row.status,
                int(cause_found.uncertain or cause_found.closing is not None),
                text_or_none(cause_found.closed_on),
                text_or_none(cause_found.closing),
                closure.evidence if closure else None,
                closure.reason if closure else None,
                figures.cause_recommendations_closed(cause_found).value,
                cause_found.recommendations_total,
                missing.note if missing else None,
                cause.notes,
            ),
        )
        db.cite("causes_of_concern", key, "record", cause.sources)
        if closure:
            db.cite("causes_of_concern", key, "closure", closure.sources)
        for rec in cause_found.recommendations:
            _insert_recommendation(db, row, rec)


def _insert_recommendation(db: _Db, row: CauseRow, rec: RecommendationStanding) -> None:
    slug, cause_id = db.slug, row.standing.cause.id
    key = f"{slug}/{rec.recommendation.id}"
    closure = rec.recommendation.closure if rec.closed_on else None
    db.insert(
        "recommendations",
        (
            key,
            slug,
            rec.recommendation.id,
            cause_id,
            f"{slug}/{cause_id}",
            rec.recommendation.text,
            rec.recommendation.deadline,
            due_text(rec),
            rec.due.basis if rec.due else None,
            row.rec_status(rec),
            int(rec.uncertain or rec.closing is not None),
            None if row.pending else rec.days_overdue,
            text_or_none(rec.closed_on),
            text_or_none(rec.closing),
            closure.evidence if closure else None,
            rec.recommendation.notes,
        ),
    )
    db.cite("recommendations", key, "record", rec.recommendation.sources)
    if closure:
        db.cite("recommendations", key, "closure", closure.sources)


def _insert_areas(db: _Db, force: ForceFile, found: Standing) -> None:
    areas = {a.area.id: a for a in found.areas}
    for area in force.areas_for_improvement:
        key = f"{force.slug}/{area.id}"
        standing_then = areas.get(area.id)
        closed_on = standing_then.closed_on if standing_then else None
        closure = area.closure if closed_on else None
        db.insert(
            "areas_for_improvement",
            (
                key,
                force.slug,
                area.id,
                area.text,
                str(area.raised_on),
                "pending" if standing_then is None else "closed" if closed_on else "open",
                text_or_none(closed_on),
                closure.evidence if closure else None,
                area.notes,
            ),
        )
        db.cite("areas_for_improvement", key, "record", area.sources)
        if closure:
            db.cite("areas_for_improvement", key, "closure", closure.sources)


def _insert_metrics(db: _Db, force: ForceFile) -> None:
    for number, metric in enumerate(force.metrics, start=1):
        key = f"{force.slug}/metric-{number}"
        db.insert(
            "metrics",
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
        db.cite("metrics", key, "record", metric.sources)


def _insert_uncertainties(db: _Db, force: ForceFile, found: Standing) -> None:
    import json

    for number, uncertainty in enumerate(force.uncertainties, start=1):
        key = f"{force.slug}/uncertainty-{number}"
        resolution = uncertainty.resolution
        db.insert(
            "uncertainties",
            (
                key,
                force.slug,
                number,
                uncertainty.id,
                uncertainty.about,
                uncertainty.note,
                text_or_none(uncertainty.from_),
                json.dumps(list(uncertainty.subjects), ensure_ascii=False),
                int(in_doubt(uncertainty, found.as_of)),
                text_or_none(resolution.resolved_on) if resolution else None,
                resolution.evidence if resolution else None,
            ),
        )
        db.cite("uncertainties", key, "record", uncertainty.sources)
        if resolution:
            db.cite("uncertainties", key, "resolution", resolution.sources)


# -- writing --------------------------------------------------------------------------------

STDOUT = "-"
"""``--out -``: stream the export to standard output (CSV and JSON)."""
APPLICATION_ID = 0x5045454C
"""``PRAGMA application_id`` of every database peel exports ("PEEL"): how peel knows its own."""
BOM = "\ufeff".encode()
"""The byte-order mark ``--encoding utf-8-sig`` starts a CSV export with, for Excel."""
JOURNALS = ("-journal", "-wal", "-shm")
"""What SQLite keeps beside a database while it is open or after a crash, and reads back into
the database on its next open: a rollback journal, a write-ahead log and its index."""


def streams(out: Path) -> bool:
    return str(out) == STDOUT


def check_target(out: Path, fmt: str, ledger_root: Path, *, force: bool = False) -> None:
    """Refuse, before anything is read, a target this format cannot be written to: where no
    output goes (:func:`~peelcli.files.check_output_path`), a file that is not an export of
    this format peel wrote (unless ``force``), and a database with a journal beside it."""
    from .files import check_output_path, check_replaceable
    from .problems import usage_error

    if streams(out):
        if fmt == "sqlite":
            raise usage_error("--out -: a SQLite database cannot be streamed; give a file name")
        return
    check_output_path(out, ledger_root)
    if not force:
        check_replaceable(out, OURS[fmt], what=f"a {WHAT[fmt]} peel wrote")
    if fmt == "sqlite":
        check_no_journal(out)


def _our_csv(head: bytes) -> bool:
    """A CSV export's first bytes: its header, after the byte-order mark ``--encoding utf-8-sig`` writes."""
    return head.removeprefix(BOM).startswith(",".join(CSV_COLUMNS[:2]).encode() + b",")


def _our_json(head: bytes) -> bool:
    start = head[:256]
    return start.startswith(b"{") and b'"as_of":' in start and b'"cut_to_as_of":' in start


def _our_database(head: bytes) -> bool:
    return head[:16] == b"SQLite format 3\x00" and head[68:72] == APPLICATION_ID.to_bytes(4, "big")


OURS = {"csv": _our_csv, "json": _our_json, "sqlite": _our_database}
WHAT = {"csv": "CSV export", "json": "JSON export", "sqlite": "SQLite database"}


def check_no_journal(out: Path) -> None:
    """Refuse to put a database where SQLite would read a journal into it: a ``-journal`` or
    ``-wal`` beside ``out`` belongs to the database there now (a program has it open, or one
    crashed while writing it), and the next open would apply it to peel's new file, losing the
    export. Peel never deletes a file it did not write: the user decides."""
    from .files import display_path
    from .problems import Problem

    beside = {out, out.resolve()}  # a link's own place, and its target's: SQLite may name either
    for suffix, base in ((suffix, base) for base in sorted(beside) for suffix in JOURNALS):
        journal = base.with_name(base.name + suffix)
        if journal.exists() or journal.is_symlink():
            raise PeelError(
                Problem(
                    f"{display_path(journal)} is beside it: SQLite would apply that {_journal_kind(suffix)} to the "
                    "new database the next time it is opened, and the export would be lost. Close any program "
                    "using the database (or let it finish), or, if none is, remove the file, then export again"
                ).at(display_path(out))
            )


def _journal_kind(suffix: str) -> str:
    return {"-journal": "rollback journal", "-wal": "write-ahead log", "-shm": "write-ahead log's index"}[suffix]


def export_pieces(
    forces: Iterable[Entry],
    fmt: str,
    day: date,
    *,
    cut: bool,
    registry,
    counts: dict[str, int],
    terminal: bool = False,
) -> Iterator[str]:
    """The export as text, in pieces: JSON an entry at a time, CSV whole. ``counts``: how many
    of each sector are exported; ``terminal``: CSV rows end in a bare line break, as a terminal
    shows them."""
    if fmt == "csv":
        yield csv_text(forces, line_end="\n" if terminal else "\r\n")
        return
    yield from json_pieces(ledger_head(day, cut=cut, registry=registry, counts=counts), map(force_json, forces))


def export(
    readings,
    out: Path,
    fmt: str,
    day: date,
    *,
    cut: bool,
    registry,
    sectors: tuple[str, ...] = SECTORS,
    encoding: str = "utf-8",
) -> Planned:
    """Write every force and service of ``sectors`` to ``out`` in ``fmt`` (``-``: standard
    output), reading each file (``readings``, a :class:`~peelcli.ledger.Readings`) as its entry
    is written; what was written. An invalid file anywhere in the ledger, of any sector, refuses
    the export with every problem, and nothing is written: to a file, the temporary file it was
    being written into is removed; to standard output, every file is checked before anything
    is written.

    To a file (replaced whole, or not at all) and to a pipe, CSV and JSON hold the exact text
    of the ledger, control characters included (JSON as ``\\uXXXX`` escapes). To a terminal,
    where a person reads it, CSV is plain text: its control and bidirectional characters are
    shown as ``<U+XXXX>`` (JSON is the same everywhere). ``encoding`` ``utf-8-sig`` starts a CSV
    export with a byte-order mark, except on a terminal, where it is read, not opened in Excel."""
    import sys

    from .files import display_path, replacing
    from .output.streams import medium, stdout_is_terminal

    plan = planned(readings.slugs, registry, sectors)
    found = entries(plan, readings.force, registry, day, cut=cut)
    if streams(out):
        readings.check(readings.slugs)
        readings.refuse()
        terminal = stdout_is_terminal()
        with medium("text" if terminal and fmt == "csv" else fmt):
            if encoding == "utf-8-sig" and not terminal and fmt == "csv":
                sys.stdout.write(BOM.decode())
            for piece in export_pieces(
                found, fmt, day, cut=cut, registry=registry, counts=plan.counts, terminal=terminal
            ):
                sys.stdout.write(piece)
        readings.refuse()  # a file made invalid while it was exported: say so, and exit 1
        return plan
    with replacing(out) as temp:
        if fmt == "sqlite":
            write_sqlite(temp, found, name=display_path(out))
        else:
            with open(temp, "wb") as handle:
                if encoding == "utf-8-sig":
                    handle.write(BOM)  # once, before the first piece: each piece is plain UTF-8
                for piece in export_pieces(found, fmt, day, cut=cut, registry=registry, counts=plan.counts):
                    handle.write(piece.encode("utf-8"))
        readings.check(slug for slug in readings.slugs if slug not in plan.filed)  # the sectors not exported
        readings.refuse()
    if fmt == "sqlite":
        check_no_journal(out)  # one appeared while the database was built: say so rather than report success
    return plan

"""peel export: the whole ledger as CSV, JSON or SQLite, complete, as of a day, written whole."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, FIXTURES, TODAY
from peelcli.export import FORMULA_STARTS, csv_cell, on_record
from peelcli.files import replacing
from peelcli.ledger import Ledger
from peelcli.problems import PeelError
from peelcli.schema.records import validate
from peelcli.timeline import standing

WM = "west-midlands"


@pytest.fixture
def two_forces(ledger: Path) -> Path:
    """The shipped ledger plus a small force whose only cause was raised in October 2023."""
    shutil.copy(FIXTURES / "valid" / "test-constabulary.yaml", ledger / "forces")
    return ledger


EDGE_FORCE = """\
slug: edge-constabulary
name: Edge Constabulary
record_checked_to: 2026-11-26
record_checked_note: a test fixture, not a real force
causes_of_concern:
  - id: coc-this-month
    title: Raised this month, so possibly not yet on the day
    raised_on: 2026-11
    sources: [letter-this-month]
    recommendations:
      - id: rec-this-month
        text: make sure of something
        deadline: Within six months
  - id: coc-many
    title: A count too large for SQLite's integers
    raised_on: 2023-10
    sources: [letter]
    recommendations_not_on_record:
      note: not found
      count: 18446744073709551617
areas_for_improvement:
  - id: afi-this-month
    text: An area raised this month
    raised_on: 2026-11
    sources: [letter-this-month]
uncertainties:
  - id: doubt-1
    about: whether coc-many was closed
    note: the letter does not say
    subjects: [coc-many]
    sources: [letter]
sources:
  - id: letter
    kind: revisit-letter
    title: A letter
    url: https://example.org/letter
    sent_on: 2024-01-10
  - id: letter-this-month
    kind: inspection-report
    title: A report of this month
    url: https://example.org/report
    published_on: 2026-11
"""


@pytest.fixture
def edge(ledger: Path) -> Path:
    """The shipped ledger plus a force with causes dated to the current month, a huge count and a doubt."""
    (ledger / "forces" / "edge-constabulary.yaml").write_text(EDGE_FORCE, encoding="utf-8")
    return ledger


def export(peel, data: Path, out: Path, fmt: str, *extra: str):
    result = peel("--data-dir", str(data), "export", "--format", fmt, "--out", str(out), *extra)
    assert result.exit_code == 0, result.stderr
    return result


def csv_rows(peel, data: Path, tmp_path: Path, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / "ledger.csv"
    export(peel, data, out, "csv", *extra)
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))


def load_json(path: Path) -> dict:
    """The export as written, numbers as exact Decimals (as the ledger holds them)."""
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


# -- CSV ------------------------------------------------------------------------------------


def test_csv_has_one_row_per_recommendation_with_its_status(peel, two_forces, tmp_path):
    rows = [r for r in csv_rows(peel, two_forces, tmp_path) if r["cause"] == "coc-investigations" and r["force"] == WM]
    assert [(r["recommendation"], r["status"], r["closed"]) for r in rows] == [
        ("rec-inv-skills", "closed", "2024-09-17"),
        ("rec-inv-timely", "closed", "2024-09-17"),
        ("rec-inv-plans", "closed", "2024-09-17"),
        ("rec-inv-outcomes", "open", ""),
        ("rec-inv-outcomes-use", "open", ""),
    ]
    skills = rows[0]
    assert skills["text"].startswith("make sure staff and officers have sufficient skills")
    assert skills["raised"] == "2023-09"
    assert skills["deadline"] == "Within six months"
    assert skills["due"] == "2024-06-22"
    assert skills["evidence"].startswith("Clear aims, objectives and standards for investigators")
    assert skills["sources"] == "return-letter-2024-09"


def test_csv_has_the_documented_columns(peel, two_forces, tmp_path):
    (row, *_) = csv_rows(peel, two_forces, tmp_path)
    required = ["force", "cause", "recommendation", "text", "status", "raised", "deadline", "due", "closed"]
    where_the_record_ends = ["record_checked_to", "beyond_record", "figures_hold_on"]
    assert {*required, *where_the_record_ends, "evidence", "sources", "uncertain", "cause_uncertain"} <= set(row)


def test_csv_has_a_row_for_every_force_with_a_file_or_not(peel, two_forces, tmp_path):
    rows = csv_rows(peel, two_forces, tmp_path)
    forces = {r["force"] for r in rows}
    assert len(forces) == 43 + 44 + 1, "the registry's 43 forces and 44 services, and the test force"
    (kent,) = [r for r in rows if r["force"] == "kent"]
    assert (kent["on_record"], kent["phase"], kent["cause"]) == ("false", "scan", "")
    assert kent["notes"] == "no file in the ledger: in Scan by default, nothing on record"


def test_a_force_with_no_cause_still_has_its_row(peel, ledger, tmp_path):
    (ledger / "forces" / "kent.yaml").write_text("slug: kent\nname: Kent Police\n", encoding="utf-8")
    (kent,) = [r for r in csv_rows(peel, ledger, tmp_path) if r["force"] == "kent"]
    assert (kent["on_record"], kent["cause"], kent["notes"]) == ("true", "", "no cause of concern on record")


def test_csv_says_where_each_forces_record_ends(peel, two_forces, tmp_path):
    rows = csv_rows(peel, two_forces, tmp_path, "--as-of", "2027-03-01")
    (test,) = [r for r in rows if r["force"] == "test-constabulary"]
    assert (test["record_checked_to"], test["beyond_record"], test["figures_hold_on"]) == (
        "2026-11-26",
        "true",
        "2026-11-26",
    )
    assert test["days_overdue"] == str((date(2026, 11, 26) - date(2024, 1, 31)).days), "counted to the record's end"


def test_a_cause_dated_to_the_current_month_is_pending_in_every_format(peel, edge, tmp_path):
    """On 26 November 2026 a cause raised in November 2026 may not exist yet: pending, as peel status says."""
    rows = {
        r["recommendation"] or r["cause"]: r
        for r in csv_rows(peel, edge, tmp_path)
        if r["force"] == "edge-constabulary"
    }
    assert (rows["rec-this-month"]["cause_status"], rows["rec-this-month"]["status"]) == ("pending", "pending")
    assert rows["rec-this-month"]["raised"] == "2026-11"
    out = tmp_path / "edge.db"
    export(peel, edge, out, "sqlite")
    with sqlite3.connect(out) as db:
        assert db.execute("SELECT status FROM causes_of_concern WHERE id = 'coc-this-month'").fetchall() == [
            ("pending",)
        ]
        assert db.execute("SELECT status FROM recommendations WHERE id = 'rec-this-month'").fetchall() == [("pending",)]
        assert db.execute("SELECT status FROM areas_for_improvement WHERE id = 'afi-this-month'").fetchall() == [
            ("pending",)
        ]


def test_uncertainty_is_carried_to_csv_and_sqlite(peel, edge, tmp_path):
    (many,) = [r for r in csv_rows(peel, edge, tmp_path) if r["cause"] == "coc-many"]
    assert (many["cause_uncertain"], many["uncertain"]) == ("true", "true")
    out = tmp_path / "edge.db"
    export(peel, edge, out, "sqlite")
    with sqlite3.connect(out) as db:
        assert db.execute("SELECT uncertain FROM causes_of_concern WHERE id = 'coc-many'").fetchone() == (1,)
        query = "SELECT id, about, note, subjects, in_doubt, resolved_on FROM uncertainties WHERE force = ?"
        assert db.execute(query, ("edge-constabulary",)).fetchall() == [
            ("doubt-1", "whether coc-many was closed", "the letter does not say", '["coc-many"]', 1, None)
        ]
        assert db.execute(
            "SELECT source FROM citations WHERE record_table = 'uncertainties' AND force = 'edge-constabulary'"
        ).fetchall() == [("letter",)]


def test_a_count_beyond_sqlites_integers_is_kept_exactly(peel, edge, tmp_path):
    out = tmp_path / "edge.db"
    export(peel, edge, out, "sqlite")
    with sqlite3.connect(out) as db:
        (total,) = db.execute("SELECT recommendations_total FROM causes_of_concern WHERE id = 'coc-many'").fetchone()
    assert total == "18446744073709551617"


def test_dates_known_to_a_month_keep_their_precision(peel, edge, tmp_path):
    rows = csv_rows(peel, edge, tmp_path)
    (this_month,) = [r for r in rows if r["recommendation"] == "rec-this-month"]
    assert this_month["raised"] == "2026-11"
    assert this_month["due"] == "2027-05/2027-05-30", "six months from some day of November 2026"


def test_a_cause_whose_recommendations_are_not_on_record_keeps_one_row(peel, two_forces, tmp_path):
    rows = [r for r in csv_rows(peel, two_forces, tmp_path) if r["force"] == WM and r["cause"] == "coc-marac"]
    assert len(rows) == 1
    (marac,) = rows
    assert marac["recommendation"] == ""
    assert marac["cause_status"] == "closed"
    assert marac["cause_closed"] == "2024-05/2024-07-23"
    assert marac["notes"] == "recommendations not on record: not found in the public record gathered for peel"


def test_csv_as_of_a_day_shows_the_statuses_of_that_day(peel, two_forces, tmp_path):
    rows = [r for r in csv_rows(peel, two_forces, tmp_path, "--as-of", "2024-08-01") if r["force"] == WM]
    investigations = [r for r in rows if r["cause"] == "coc-investigations"]
    assert {r["status"] for r in investigations} == {"open"}
    assert {r["closed"] for r in investigations} == {""}
    assert {r["evidence"] for r in investigations} == {""}
    assert {r["phase"] for r in rows} == {"engage"}


def test_csv_as_of_a_day_leaves_out_causes_not_surely_raised_by_then(peel, two_forces, tmp_path):
    """Test Constabulary's cause is dated October 2023: on 15 October it may not yet exist."""
    forces = {r["force"] for r in csv_rows(peel, two_forces, tmp_path, "--as-of", "2023-10-15") if r["cause"]}
    assert "test-constabulary" not in forces
    forces = {r["force"] for r in csv_rows(peel, two_forces, tmp_path, "--as-of", "2023-11-01") if r["cause"]}
    assert "test-constabulary" in forces


# -- JSON -----------------------------------------------------------------------------------


def slug_of(record) -> str:
    return record.slug


def test_json_export_of_the_whole_ledger_rebuilds_every_force_exactly(peel, two_forces, tmp_path):
    out = tmp_path / "ledger.json"
    export(peel, two_forces, out, "json")
    exported = load_json(out)
    rebuilt = tuple(validate("ForceFile", force["record"]) for force in exported["forces"] if force["on_record"])
    loaded = Ledger(two_forces).load_all(today=date.fromisoformat(TODAY))
    assert sorted(rebuilt, key=slug_of) == sorted(loaded, key=slug_of)  # export lists forces, then services
    assert len(rebuilt) == len(list((two_forces / "forces").glob("*.yaml")))


def test_json_writes_dates_as_text_and_metrics_as_numbers(peel, ledger, tmp_path):
    out = tmp_path / "ledger.json"
    export(peel, ledger, out, "json")
    plain = json.loads(out.read_text(encoding="utf-8"))
    (wm,) = [f for f in plain["forces"] if f["force"] == WM]
    assert [m["value"] for m in wm["record"]["metrics"]] == [4.5, 5.5]
    assert wm["record"]["phase_changes"][0]["decided_on"] == "2023-11-22"


def test_json_has_every_force_of_the_registry(peel, ledger, tmp_path):
    out = tmp_path / "ledger.json"
    export(peel, ledger, out, "json")
    forces = {f["force"]: f for f in load_json(out)["forces"]}
    assert len(forces) == 43 + 44  # the registry's police forces and fire and rescue services
    assert forces["kent"] == {
        "force": "kent",
        "name": "Kent Police",
        "sector": "police",
        "on_record": False,
        "phase": "scan",
        "record_checked_to": "2026-03-05",
        "beyond_record": True,
        "figures_hold_on": "2026-03-05",
        "phase_known_to": "2026-03-05",
        "phase_basis": "national-search",
        "status": None,
        "record": None,
    }


def test_json_carries_each_forces_status_as_of_the_day(peel, ledger, tmp_path):
    out = tmp_path / "ledger.json"
    export(peel, ledger, out, "json", "--as-of", "2024-01-01")
    exported = load_json(out)
    assert exported["as_of"] == "2024-01-01"
    (wm,) = [f for f in exported["forces"] if f["force"] == WM]
    assert wm["status"]["phase"] == "engage"
    assert wm["status"]["counts"]["causes_open"] == 4


def test_json_as_of_a_day_leaves_out_what_was_recorded_later(peel, ledger, tmp_path):
    out = tmp_path / "ledger.json"
    export(peel, ledger, out, "json", "--as-of", "2024-08-01")
    (wm,) = [f["record"] for f in load_json(out)["forces"] if f["force"] == WM]
    assert [c["phase"] for c in wm["phase_changes"]] == ["engage"]
    investigations = next(c for c in wm["causes_of_concern"] if c["id"] == "coc-investigations")
    assert [r["closure"] for r in investigations["recommendations"]] == [None] * 5
    assert [c["closure"]["closed_on"] for c in wm["causes_of_concern"] if c["closure"]] == ["2024-05/2024-07-23"] * 3
    assert [m["period_end"] for m in wm["metrics"]] == ["2023-03-31", "2024-03-31"]
    assert "ppog-2024-09-17" not in {s["id"] for s in wm["sources"]}, "held later and cited by nothing kept"
    assert "return-letter-2024-09" in {s["id"] for s in wm["sources"]}, "dated later but cited by a kept cause"


@pytest.mark.parametrize(
    "day",
    ["2021-01-01", "2023-01-15", "2023-10-15", "2024-01-01", "2024-07-23", "2024-09-17", "2024-09-19", "2025-06-01"],
)
def test_a_force_cut_back_to_a_day_stands_as_the_full_record_did_that_day(day):
    as_of = date.fromisoformat(day)
    for force in Ledger(DATA).load_all(today=date.fromisoformat(TODAY)):
        full, cut = standing(force, as_of), standing(on_record(force, as_of), as_of)
        assert cut.phase == full.phase, force.slug
        assert [(c.cause.id, c.status, c.uncertain) for c in cut.causes] == [
            (c.cause.id, c.status, c.uncertain) for c in full.causes
        ]
        assert [(r.recommendation.id, r.uncertain) for r in cut.open_recommendations] == [
            (r.recommendation.id, r.uncertain) for r in full.open_recommendations
        ]
        assert [(a.area.id, a.status) for a in cut.areas] == [(a.area.id, a.status) for a in full.areas]


@pytest.mark.parametrize(("day", "begun"), [("2024-09-18", False), ("2024-09-19", True)])
def test_a_doubt_that_begins_after_the_day_is_cut_from_the_record_and_flagged_in_the_status(
    peel, ledger, tmp_path, day, begun
):
    """West Midlands' open cause is in doubt from the day after its return (unc-wm-open-cause)."""
    out = tmp_path / "ledger.json"
    export(peel, ledger, out, "json", "--as-of", day)
    (wm,) = [f for f in load_json(out)["forces"] if f["force"] == WM]
    assert ("unc-wm-open-cause" in {u["id"] for u in wm["record"]["uncertainties"]}) is begun
    (doubt,) = [u for u in wm["status"]["uncertainties"] if u["id"] == "unc-wm-open-cause"]
    assert (doubt["from"], doubt["begun"], doubt["in_doubt"]) == ("2024-09-19", begun, begun)
    assert doubt["subjects"] == ["coc-investigations", "rec-inv-outcomes", "rec-inv-outcomes-use"]
    (cause,) = [c for c in wm["status"]["causes_of_concern"] if c["id"] == "coc-investigations"]
    assert cause["uncertain"] is begun

    database = tmp_path / "ledger.db"
    export(peel, ledger, database, "sqlite", "--as-of", day)
    with sqlite3.connect(database) as db:
        query = "SELECT in_doubt_from, in_doubt FROM uncertainties WHERE force = ? AND id = ?"
        assert db.execute(query, (WM, "unc-wm-open-cause")).fetchall() == ([("2024-09-19", 1)] if begun else [])
        assert db.execute(query, (WM, "unc-wm-recommendations")).fetchall() == [(None, 1)]


# -- SQLite ---------------------------------------------------------------------------------


@pytest.fixture
def database(peel, two_forces, tmp_path) -> sqlite3.Connection:
    out = tmp_path / "ledger.db"
    export(peel, two_forces, out, "sqlite")
    connection = sqlite3.connect(out)
    yield connection
    connection.close()


def test_sqlite_answers_open_recommendations_by_force_with_a_join_on_plain_ids(database):
    rows = database.execute(
        """
        SELECT forces.slug, forces.phase, count(recommendations.id)
        FROM forces
        LEFT JOIN recommendations ON recommendations.force = forces.slug AND recommendations.status = 'open'
        GROUP BY forces.slug ORDER BY forces.slug
        """
    ).fetchall()
    assert len(rows) == 43 + 44 + 1, "the registry's 43 forces and 44 services, and the test force"
    assert ("west-midlands", "scan", 2) in rows
    assert ("test-constabulary", "engage", 1) in rows
    assert ("kent", "scan", 0) in rows


def test_sqlite_has_every_force_of_the_registry_and_where_its_record_ends(database):
    counted = database.execute("SELECT count(*), sum(on_record) FROM forces").fetchone()
    assert counted == (43 + 44 + 1, 10 + 16 + 1), "the registry's forces and services, and the test force"
    assert database.execute(
        "SELECT on_record, phase, record_checked_to, beyond_record, figures_hold_on FROM forces WHERE slug = 'kent'"
    ).fetchone() == (0, "scan", "2026-03-05", 1, "2026-03-05")
    assert database.execute(
        "SELECT record_checked_to, beyond_record, figures_hold_on FROM forces WHERE slug = 'test-constabulary'"
    ).fetchone() == ("2026-11-26", 0, TODAY)


def test_sqlite_links_recommendations_to_causes_and_citations_to_sources_by_plain_ids(database):
    rows = database.execute(
        """
        SELECT recommendations.id, causes_of_concern.title, sources.url
        FROM recommendations
        JOIN causes_of_concern
          ON causes_of_concern.force = recommendations.force AND causes_of_concern.id = recommendations.cause
        JOIN citations ON citations.record_table = 'recommendations' AND citations.record_key = recommendations.key
        JOIN sources ON sources.force = citations.force AND sources.id = citations.source
        WHERE recommendations.force = 'west-midlands' AND recommendations.id = 'rec-inv-skills'
          AND citations.part = 'closure'
        """
    ).fetchall()
    assert rows == [
        (
            "rec-inv-skills",
            "Effective investigations and satisfactory results for victims",
            "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
            "west-midlands-police-return-to-default-phase-of-monitoring-sept-24/",
        )
    ]
    assert database.execute(
        "SELECT cause, cause_key FROM recommendations WHERE key = 'west-midlands/rec-inv-skills'"
    ).fetchone() == ("coc-investigations", "west-midlands/coc-investigations")


def test_sqlite_declares_primary_and_foreign_keys_and_every_link_holds(database):
    tables = {
        "forces",
        "phase_changes",
        "causes_of_concern",
        "recommendations",
        "areas_for_improvement",
        "metrics",
        "sources",
        "citations",
        "uncertainties",
    }
    assert tables <= {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        assert any(column[5] for column in database.execute(f"PRAGMA table_info({table})")), f"{table}: no key"
    links = {(table, fk[3], fk[2]) for table in tables for fk in database.execute(f"PRAGMA foreign_key_list({table})")}
    assert ("recommendations", "cause", "causes_of_concern") in links
    assert ("recommendations", "cause_key", "causes_of_concern") in links
    assert ("citations", "source", "sources") in links
    assert ("citations", "source_key", "sources") in links
    assert ("causes_of_concern", "force", "forces") in links
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_keeps_metric_values_exact(database):
    assert database.execute("SELECT value, value_exact FROM metrics WHERE force = 'west-midlands'").fetchall() == [
        (4.5, "4.5"),
        (5.5, "5.5"),
    ]


def test_sqlite_as_of_a_day_holds_that_days_record(peel, ledger, tmp_path):
    out = tmp_path / "ledger.db"
    export(peel, ledger, out, "sqlite", "--as-of", "2024-08-01")
    with sqlite3.connect(out) as db:
        assert db.execute("SELECT phase FROM forces WHERE slug = 'west-midlands'").fetchone() == ("engage",)
        assert db.execute(
            "SELECT count(*) FROM recommendations WHERE force = 'west-midlands' AND status = 'open'"
        ).fetchone() == (5,)
        assert db.execute("SELECT count(*) FROM phase_changes WHERE force = 'west-midlands'").fetchone() == (1,)


# -- writing the file -----------------------------------------------------------------------


def test_an_export_replaces_the_file_and_leaves_nothing_else(peel, ledger, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "ledger.json"
    export(peel, ledger, out, "json", "--as-of", "2020-01-01")
    assert load_json(out)["as_of"] == "2020-01-01"
    result = export(peel, ledger, out, "json")
    assert result.stdout.startswith("wrote ")
    assert load_json(out)["forces"]
    assert os.listdir(folder) == ["ledger.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "ledger.db"
    out.write_bytes(b"the previous export")
    with pytest.raises(PeelError), replacing(out) as temp:
        temp.write_bytes(b"half a datab")
        raise PeelError("cannot build the SQLite database")
    assert out.read_bytes() == b"the previous export"
    assert os.listdir(tmp_path) == ["ledger.db"]


@pytest.mark.parametrize("fmt", ["csv", "json", "sqlite"])
def test_out_in_a_missing_folder_is_refused_clearly(peel, ledger, tmp_path, fmt):
    out = tmp_path / "no-such-folder" / f"ledger.{fmt}"
    result = peel("--data-dir", str(ledger), "export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 1
    assert "error: cannot write: there is no folder" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.parent.exists()


def test_out_naming_a_folder_is_refused(peel, ledger, tmp_path):
    result = peel("--data-dir", str(ledger), "export", "--format", "csv", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "is a folder" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder this user cannot write")
def test_out_in_a_read_only_folder_is_refused(peel, ledger, tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = peel("--data-dir", str(ledger), "export", "--format", "csv", "--out", str(folder / "x.csv"))
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert "cannot write: the folder is read-only or not yours to write; nothing was written" in result.stderr


def test_an_invalid_force_file_stops_the_export_before_anything_is_written(peel, ledger, tmp_path):
    shutil.copy(FIXTURES / "invalid" / "duplicate-id.yaml", ledger / "forces" / "duplicate-id.yaml")
    out = tmp_path / "ledger.csv"
    result = peel("--data-dir", str(ledger), "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 1
    assert "duplicate-id.yaml" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "csv", "--out", "x.csv", "--as-of", "2024-13-01"],
        ["--format", "csv", "--out", "x.csv", "--as-of", "2024-02-30"],
        ["--format", "xlsx", "--out", "x.xlsx"],
        ["--out", "x.csv"],
        ["--format", "csv", "--out", "x.csv", "--encoding", "latin-1"],
        ["--format", "json", "--out", "x.csv", "--encoding", "utf-8-sig"],
    ],
)
def test_bad_options_are_usage_errors(peel, ledger, tmp_path, args):
    result = peel("--data-dir", str(ledger), "export", *args)
    assert result.exit_code == 2
    assert not (Path.cwd() / "x.csv").exists()


# -- standard output and where an export may go ---------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_out_dash_streams_the_export_to_standard_output(peel, ledger, tmp_path, fmt):
    out = tmp_path / f"ledger.{fmt}"
    export(peel, ledger, out, fmt)
    streamed = peel("--data-dir", str(ledger), "export", "--format", fmt, "--out", "-")
    assert streamed.exit_code == 0, streamed.stderr
    assert streamed.stdout == out.read_text(encoding="utf-8").replace("\r\n", "\n")  # CliRunner reads lines
    assert not (Path.cwd() / "-").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_without_out_the_export_goes_to_standard_output(peel, ledger, fmt):
    """As sqlite-utils and csvkit write to standard output when no file is named."""
    dashed = peel("--data-dir", str(ledger), "export", "--format", fmt, "--out", "-")
    bare = peel("--data-dir", str(ledger), "export", "--format", fmt)
    assert bare.exit_code == 0, bare.stderr
    assert bare.stdout == dashed.stdout and bare.stdout.startswith("force," if fmt == "csv" else "{")
    assert not (Path.cwd() / "-").exists()


def test_a_csv_export_piped_into_head_works(ledger, tmp_path):
    """``peel export --format csv --out - | head``: the header and first rows, exit 0, no complaint."""
    import subprocess
    import sys

    env = {**os.environ, "PEEL_TODAY": TODAY, "PEEL_DATA_DIR": str(ledger)}
    command = f"{sys.executable} -m peelcli export --format csv --out - | head -n 3"
    done = subprocess.run(["sh", "-c", command], capture_output=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0
    assert done.stderr == b""
    lines = done.stdout.split(b"\r\n")
    assert lines[0].startswith(b"force,force_name,sector,on_record,phase,")
    assert lines[1].startswith(b"avon-and-somerset,Avon and Somerset Constabulary,police,false,scan,")
    assert os.listdir(tmp_path) == ["data"]


def test_a_sqlite_database_cannot_be_streamed(peel, ledger):
    result = peel("--data-dir", str(ledger), "export", "--format", "sqlite", "--out", "-")
    assert result.exit_code == 2
    assert "cannot be streamed" in result.stderr


def test_a_sqlite_export_without_out_says_it_needs_a_file(peel, ledger):
    result = peel("--data-dir", str(ledger), "export", "--format", "sqlite")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --format sqlite needs --out FILE: a database cannot be written to standard output\n"
    )


# -- CSV for Excel: a byte-order mark ----------------------------------------------------------


def test_utf_8_sig_starts_the_csv_with_a_byte_order_mark_and_nothing_else_changes(peel, ledger, tmp_path):
    """Excel reads a CSV as UTF-8 only after a byte-order mark: without one, ’ and – come out garbled."""
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    export(peel, ledger, plain, "csv")
    result = peel("--data-dir", str(ledger), "export", "-f", "csv", "-o", str(marked), "--encoding", "utf-8-sig")
    assert result.exit_code == 0, result.stderr
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert "’" in marked.read_text(encoding="utf-8-sig") and "–" in marked.read_text(encoding="utf-8-sig")
    with marked.open(encoding="utf-8-sig", newline="") as marked_rows, plain.open(encoding="utf-8", newline="") as rows:
        assert list(csv.reader(marked_rows)) == list(csv.reader(rows))


def test_a_marked_csv_export_is_replaced_as_peels_own(peel, ledger, tmp_path):
    out = tmp_path / "marked.csv"
    for encoding in ("utf-8-sig", "utf-8", "utf-8-sig"):
        result = peel("--data-dir", str(ledger), "export", "-f", "csv", "-o", str(out), "--encoding", encoding)
        assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfforce,force_name,")


def test_utf_8_sig_marks_csv_on_standard_output_too(peel, ledger):
    result = peel("--data-dir", str(ledger), "export", "-f", "csv", "--encoding", "UTF-8-SIG")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeffforce,force_name,")


def test_an_export_says_how_many_forces_it_wrote(peel, ledger, tmp_path):
    result = export(peel, ledger, tmp_path / "x.csv", "csv")
    assert result.stdout == (
        f"wrote 43 forces (10 with a file) and 44 services (16 with a file) to {tmp_path / 'x.csv'} (csv)\n"
    )  # each sector counted apart, never one sum
    police = export(peel, ledger, tmp_path / "x.csv", "csv", "--sector", "police")
    assert police.stdout == f"wrote 43 forces (10 with a file) to {tmp_path / 'x.csv'} (csv)\n"


def test_out_inside_the_ledger_is_refused(peel, ledger):
    target = ledger / "forces" / "west-midlands.yaml"
    before = target.read_bytes()
    result = peel("--data-dir", str(ledger), "export", "--format", "csv", "--out", str(target))
    assert result.exit_code == 1
    assert "inside the ledger folder" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_out_naming_a_pipe_is_refused_and_the_pipe_kept(peel, ledger, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = peel("--data-dir", str(ledger), "export", "--format", "csv", "--out", str(pipe))
    assert result.exit_code == 1
    assert "named pipe" in result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)


# -- text a spreadsheet would run -----------------------------------------------------------

CELL_TEXT = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", " ", "＝", '"'])),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(text=CELL_TEXT)
def test_no_csv_cell_can_start_a_formula(text):
    written = csv_cell(text)
    assert written.lstrip(" ")[:1] not in FORMULA_STARTS
    assert written in (text, "'" + text), "text is kept; only an apostrophe is ever added"
    buffer = io.StringIO()
    csv.writer(buffer).writerow([written, "x"])
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [[written, "x"]]


def test_a_recommendation_written_as_a_formula_is_exported_as_text(peel, ledger, tmp_path):
    wm = ledger / "forces" / "west-midlands.yaml"
    text = wm.read_text(encoding="utf-8")
    wm.write_text(
        text.replace("text: make sure staff", "text: '=HYPERLINK(1) make sure staff", 1).replace(
            "high-quality investigations\n", "high-quality investigations'\n", 1
        ),
        "utf-8",
    )
    (skills,) = [r for r in csv_rows(peel, ledger, tmp_path) if r["recommendation"] == "rec-inv-skills"]
    assert skills["text"].startswith("'=HYPERLINK(1) make sure staff")

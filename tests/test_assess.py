"""peel assess, peel move and peel history: is a change of phase justified, and why."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, REPO, TODAY, assert_golden
from peelcli.dates import PartialDate


def assess(peel, force, as_of, *extra):
    result = peel("--data-dir", str(DATA), "assess", force, "--as-of", as_of, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_json_contract(peel):
    report = assess(peel, "west-midlands", "2024-09-18")
    assert {"force", "as_of", "phase", "proposed_phase", "verdict", "reasons", "precedents"} <= set(report)
    assert report["force"] == "west-midlands" and report["as_of"] == "2024-09-18"
    assert report["verdict"] in ("justified", "arguable", "not-justified")
    for reason in report["reasons"]:
        assert set(reason) == {"rule", "met", "detail"}
        assert isinstance(reason["met"], bool)
    for precedent in report["precedents"]:
        assert {"force", "returned_on", "causes_open", "causes_total"} <= set(precedent)


def test_west_midlands_just_in_engage_with_nothing_closed_is_not_justified(peel):
    report = assess(peel, "west-midlands", "2023-12-01")
    assert (report["phase"], report["proposed_phase"]) == ("engage", "scan")
    assert report["verdict"] == "not-justified"
    causes = next(r for r in report["reasons"] if r["rule"] == "causes-closed-share")
    assert causes == {
        "rule": "causes-closed-share",
        "met": False,
        "detail": "0 of 4 causes of concern closed (0%); needs at least 50% for substantial progress",
    }


def test_west_midlands_return_on_18_september_2024_is_arguable_with_its_figures(peel):
    report = assess(peel, "west-midlands", "2024-09-18")
    assert report["phase"] == "engage"  # the phase at the start of the day: the return is judged
    assert report["verdict"] == "arguable"
    details = {r["rule"]: r for r in report["reasons"]}
    assert details["all-causes-closed"]["met"] is False
    assert details["causes-closed-share"]["detail"].startswith("3 of 4 causes of concern closed (75%)")
    assert details["remaining-recommendations-closed-share"] == {
        "rule": "remaining-recommendations-closed-share",
        "met": True,
        "detail": "coc-investigations: 3 of 5 recommendations closed (60%); needs at least 50% in every open cause",
    }


@pytest.mark.parametrize(
    ("force", "day"), [("wiltshire", "2024-05-21"), ("staffordshire", "2024-05-21"), ("nottinghamshire", "2025-05-22")]
)
def test_returns_with_every_cause_closed_are_justified(peel, force, day):
    report = assess(peel, force, day)
    assert (report["proposed_phase"], report["verdict"]) == ("scan", "justified")


def test_a_new_engage_entry_on_accelerated_causes_is_justified(peel):
    report = assess(peel, "nottinghamshire", "2024-03-11")
    assert (report["phase"], report["proposed_phase"], report["verdict"]) == ("scan", "engage", "justified")


def test_an_incomplete_record_is_never_called_justified_or_not(peel):
    for force, day in [
        ("metropolitan", "2025-01-23"),
        ("greater-manchester", "2022-10-28"),
        ("cleveland", "2023-09-20"),
    ]:
        report = assess(peel, force, day)
        assert report["verdict"] == "arguable", force
        complete = next(r for r in report["reasons"] if r["rule"] == "record-complete")
        assert complete["met"] is False


def test_precedents_are_other_forces_returns_before_the_day_most_similar_first(peel):
    report = assess(peel, "west-midlands", "2024-09-18")
    forces = [p["force"] for p in report["precedents"]]
    assert "west-midlands" not in forces
    assert set(forces) == {"wiltshire", "staffordshire", "gloucestershire", "cleveland", "greater-manchester"}
    first = report["precedents"][0]
    assert first["causes_open"] == 0 and first["returned_on"] == "2024-05-21"


def test_a_force_in_scan_with_no_causes_is_not_justified_for_engage(peel, ledger):
    peel("--data-dir", str(ledger), "add-force", "kent")
    report = json.loads(peel("--data-dir", str(ledger), "assess", "kent", "--format", "json").stdout)
    assert (report["phase"], report["proposed_phase"], report["verdict"]) == ("scan", "engage", "not-justified")


def test_a_scan_force_ignoring_overdue_recommendations_is_justified_for_engage(peel, ledger):
    data = ["--data-dir", str(ledger)]
    steps = [
        ["add-force", "kent"],
        [
            "add-source",
            "kent",
            "--id",
            "report",
            "--kind",
            "inspection-report",
            "--title",
            "PEEL 2024",
            "--url",
            "https://example.org/kent",
            "--published",
            "2024-03-01",
        ],
        ["add-concern", "kent", "--id", "c1", "--title", "Calls", "--raised", "2024-03-01", "--source", "report"],
        ["add-rec", "kent", "c1", "--id", "r1", "--text", "answer calls", "--deadline", "Within three months"],
    ]
    for step in steps:
        assert peel(*data, *step).exit_code == 0
    before = json.loads(peel(*data, "assess", "kent", "--as-of", "2024-04-01", "--format", "json").stdout)
    after = json.loads(peel(*data, "assess", "kent", "--as-of", "2024-07-01", "--format", "json").stdout)
    assert before["verdict"] == "arguable"  # one open cause, nothing yet due
    assert after["verdict"] == "justified"  # due 1 June 2024, none closed: not responding
    assert next(r for r in after["reasons"] if r["rule"] == "not-responding")["met"] is True


def test_a_policy_file_replaces_the_default(peel, tmp_path):
    policy = (REPO / "src" / "peelcli" / "policy.yaml").read_text()
    strict = tmp_path / "strict.yaml"
    strict.write_text(policy.replace("value: 0.5", "value: 1", 1))
    report = assess(peel, "west-midlands", "2024-09-18", "--policy", str(strict))
    assert report["verdict"] == "not-justified"


def test_a_broken_policy_file_gets_located_errors(peel, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((REPO / "src" / "peelcli" / "policy.yaml").read_text().replace("value: 0.5", "value: 1.5", 1))
    result = peel("--data-dir", str(DATA), "assess", "west-midlands", "--policy", str(broken))
    assert result.exit_code == 1
    assert "broken.yaml:" in result.stderr and "a share must be between 0 and 1" in result.stderr
    missing = peel("--data-dir", str(DATA), "assess", "west-midlands", "--policy", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2


def test_assess_table(peel):
    result = peel("--data-dir", str(DATA), "assess", "west-midlands", "--as-of", "2024-09-18")
    assert result.exit_code == 0
    assert_golden("assess-west-midlands-2024-09-18.txt", result.stdout)


def test_every_real_phase_change_against_the_readme_table(peel):
    """The README's table is what peel says: regenerate it if this fails."""

    readme = (REPO / "README.md").read_text()
    rows = []
    for path in sorted((DATA / "forces").glob("*.yaml")):
        record = json.loads(peel("--data-dir", str(DATA), "history", path.stem, "--format", "json").stdout)
        for event in record["events"]:
            if event["kind"] != "phase-change":
                continue
            day = PartialDate.parse(event["date"]).latest.isoformat()
            report = assess(peel, path.stem, day)
            move = "into Engage" if report["proposed_phase"] == "engage" else "back to Scan"
            rows.append(f"| {record['name']} | {event['date']} | {move} | {report['verdict']} |")

    for row in rows:
        assert row in readme, row


# -- move ---------------------------------------------------------------------------------


def checked_to_today(peel, ledger) -> None:
    """Say West Midlands' record was searched to today, so that later facts may be recorded."""
    done = peel("--data-dir", str(ledger), "checked", "west-midlands", "--to", TODAY, "--note", "searched for a test")
    assert done.exit_code == 0, done.stderr


def test_move_records_a_justified_change(peel, ledger):
    checked_to_today(peel, ledger)
    result = peel(
        "--data-dir",
        str(ledger),
        "move",
        "west-midlands",
        "engage",
        "--on",
        "2026-01-05",
        "--source",
        "return-letter-2024-09",
        "--decided-by",
        "HM Chief Inspector",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "west-midlands: moved into Engage on 2026-01-05 (peel assess: arguable)\n"
    status = json.loads(peel("--data-dir", str(ledger), "status", "west-midlands", "--format", "json").stdout)
    assert (status["phase"], status["phase_since"]) == ("engage", "2026-01-05")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "--on", "2025-01-01"], "west-midlands is already in Scan since 2024-09-18"),
        (["engage", "--on", "2024-09-01"], "2024-09-01 is not after the last phase change (2024-09-18)"),
        (["engage", "--on", "2027-01-01"], "is in the future"),
        (["engage", "--on", "2025-01-01", "--source", "nope"], "no source with id 'nope'"),
        (["engage", "--on", "2025-01-01", "--override"], "--override needs --reason"),
    ],
)
def test_move_refusals_leave_the_file_byte_identical(peel, ledger, args, message):
    path = ledger / "forces" / "west-midlands.yaml"
    before = path.read_bytes()
    extra = [] if "--source" in args else ["--source", "return-letter-2024-09"]
    result = peel("--data-dir", str(ledger), "move", "west-midlands", *args, *extra)
    assert result.exit_code == 1
    assert message in result.stderr
    assert path.read_bytes() == before


def test_move_refuses_a_not_justified_return_unless_overridden_with_a_reason(peel, ledger):
    data = ["--data-dir", str(ledger)]
    path = ledger / "forces" / "west-midlands.yaml"
    checked_to_today(peel, ledger)
    # put the force back into Engage, then try to return it at once with nothing closed since
    assert (
        peel(
            *data, "move", "west-midlands", "engage", "--on", "2025-06-02", "--source", "return-letter-2024-09"
        ).exit_code
        == 0
    )
    peel(
        *data,
        "add-concern",
        "west-midlands",
        "--id",
        "coc-new",
        "--title",
        "New",
        "--raised",
        "2025-06-01",
        "--source",
        "return-letter-2024-09",
    )
    peel(*data, "add-rec", "west-midlands", "coc-new", "--id", "rec-new", "--text", "do better")
    before = path.read_bytes()
    refused = peel(*data, "move", "west-midlands", "scan", "--on", "2025-06-10", "--source", "return-letter-2024-09")
    assert refused.exit_code == 1
    assert "calls a move into Scan on 2025-06-10 not justified" in refused.stderr
    assert "--override" in refused.stderr
    assert path.read_bytes() == before
    done = peel(
        *data,
        "move",
        "west-midlands",
        "scan",
        "--on",
        "2025-06-10",
        "--source",
        "return-letter-2024-09",
        "--override",
        "--reason",
        "HMCI decided regardless",
    )
    assert done.exit_code == 0, done.stderr
    text = path.read_text()
    assert "    reason: HMCI decided regardless\n    assessment_overridden: true\n" in text
    assert peel(*data, "validate").exit_code == 0


# -- history ------------------------------------------------------------------------------


def test_history_lists_every_dated_event_in_order(peel):
    record = json.loads(peel("--data-dir", str(DATA), "history", "west-midlands", "--format", "json").stdout)
    kinds = [e["kind"] for e in record["events"]]
    assert {
        "inspection",
        "phase-change",
        "cause-raised",
        "cause-closed",
        "recommendation-closed",
        "letter",
        "meeting",
    } <= set(kinds)
    keys = [PartialDate.parse(e["date"]).sort_key() for e in record["events"]]
    assert keys == sorted(keys)


def test_history_since_a_date(peel):
    record = json.loads(
        peel("--data-dir", str(DATA), "history", "west-midlands", "--since", "2024-09-17", "--format", "json").stdout
    )
    assert [e["date"] for e in record["events"]][:2] == ["2024-09", "2024-09-17"]
    assert all(PartialDate.parse(e["date"]).latest.isoformat() >= "2024-09-17" for e in record["events"])


def test_history_markdown(peel):
    result = peel("--data-dir", str(DATA), "history", "nottinghamshire", "--format", "markdown")
    assert result.exit_code == 0
    assert_golden("history-nottinghamshire.md", result.stdout)

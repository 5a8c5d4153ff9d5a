"""peel assess, peel move and peel history: is a change of phase justified, and why."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import DATA, FIXTURES, REPO, assert_golden
from peelcli.assess import VERDICT_WORDS
from peelcli.dates import PartialDate
from peelcli.schema.names import sector_of_slug


def assess(peel, force, as_of, *extra, ledger: Path = DATA):
    result = peel("--data-dir", str(ledger), "assess", force, "--as-of", as_of, "--format", "json", *extra)
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


def test_a_scan_force_found_ignoring_overdue_recommendations_on_a_revisit_is_justified_for_engage(peel, ledger):
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
        ["checked", "kent", "--to", "2024-09-30", "--note", "HMICFRS's pages on Kent"],
    ]
    for step in steps:
        assert peel(*data, *step).exit_code == 0
    before = json.loads(peel(*data, "assess", "kent", "--as-of", "2024-04-01", "--format", "json").stdout)
    after = json.loads(peel(*data, "assess", "kent", "--as-of", "2024-07-01", "--format", "json").stdout)
    assert before["verdict"] == "arguable"  # one open cause, nothing yet due
    assert after["verdict"] == "arguable"  # due 1 June 2024, none closed on record, but nobody has looked since
    silent = next(r for r in after["reasons"] if r["rule"] == "not-responding")
    assert silent["met"] is False and "no revisit since they fell due" in silent["detail"]
    revisit = ["--title", "Kent revisit letter", "--url", "https://example.org/kent-revisit", "--sent", "2024-06-20"]
    assert peel(*data, "add-source", "kent", "--id", "revisit", "--kind", "revisit-letter", *revisit).exit_code == 0
    assert peel(*data, "cite", "kent", "c1", "--source", "revisit").exit_code == 0
    found = json.loads(peel(*data, "assess", "kent", "--as-of", "2024-07-01", "--format", "json").stdout)
    assert found["verdict"] == "justified"  # the revisit of 20 June found none closed: not responding
    shown = next(r for r in found["reasons"] if r["rule"] == "not-responding")
    assert shown["met"] is True and "revisit letter revisit of 2024-06-20 since found none closed" in shown["detail"]


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


def real_decisions(peel, sector: str = "police", ledger: Path = DATA) -> list[str]:
    """Every phase change of ``sector`` in the ledger with the verdict peel assess gives on its day
    (the last day of a month- or year-dated change), and, after each return to Scan, the verdict
    on a move into Engage the next day: the policy page's table for the sector, as peel makes it today."""
    rows = []

    def row(name: str, day: str, did: str, report: dict) -> str:
        question = "return to Scan" if report["proposed_phase"] == "scan" else "move into Engage"
        return f"| {name} | {day} | {did} | {question} | {VERDICT_WORDS[report['verdict']]} |"

    for path in sorted((ledger / "forces").glob("*.yaml")):
        if sector_of_slug(path.stem) != sector:
            continue
        record = json.loads(peel("--data-dir", str(ledger), "history", path.stem, "--format", "json").stdout)
        for event in record["events"]:
            if event["kind"] != "phase-change":
                continue
            day = PartialDate.parse(event["date"]).latest
            report = assess(peel, path.stem, day.isoformat(), ledger=ledger)
            did = "moved it into Engage" if event["subject"] == "engage" else "returned it to Scan"
            rows.append(row(record["name"], event["date"], did, report))
            if event["subject"] == "scan":
                after = assess(peel, path.stem, (day + timedelta(days=1)).isoformat(), ledger=ledger)
                rows.append(row(record["name"], after["as_of"], "kept it in Scan, the day after", after))
    return rows


TABLES = {
    "police": "| Force | Date | HMICFRS | Question | peel's default policy |",
    "fire": "| Service | Date | HMICFRS | Question | peel's default policy |",
}


@pytest.mark.parametrize("sector", TABLES)
def test_the_policy_pages_table_of_real_decisions_is_what_peel_says(peel, sector):
    """docs/policy.md's tables, one per sector, are what peel assess says of every decision on
    record (python docs/gen.py writes them)."""
    page = (REPO / "docs" / "policy.md").read_text(encoding="utf-8")
    table = page[page.index(TABLES[sector]) :].split("\n<!-- /gen -->")[0]
    assert table.splitlines()[2:] == real_decisions(peel, sector)


@pytest.mark.parametrize(("sector", "ledger"), [("police", DATA), ("fire", DATA), ("fire", FIXTURES / "sectors")])
def test_peel_never_contradicts_hmicfrs_and_never_justifies_a_move_the_day_after_a_return(peel, sector, ledger):
    rows = real_decisions(peel, sector, ledger)
    if ledger != DATA:
        assert rows, "the fixture ledger's services have phase changes to judge"
    for row in rows:
        if "the day after" in row:
            assert row.endswith("| not justified |") or row.endswith("| arguable |"), row
        else:
            assert not row.endswith("| not justified |"), row


@pytest.mark.parametrize(
    ("force", "day"),
    [("greater-manchester", "2022-10-29"), ("gloucestershire", "2023-09-21"), ("metropolitan", "2025-01-24")],
)
def test_the_day_after_a_return_a_move_into_engage_is_not_justified_without_new_evidence(peel, force, day):
    report = assess(peel, force, day)
    assert (report["phase"], report["proposed_phase"], report["verdict"]) == ("scan", "engage", "not-justified")
    assert report["entry"]["counted"] == []
    since = next(r for r in report["reasons"] if r["rule"] == "evidence-since-return")
    assert since["met"] is False


def test_the_day_before_buckinghamshires_return_it_is_arguable_never_not_justified(peel):
    """Its protection and EDI causes were closed some day of 2025 up to the return letter of 7 March
    2025: the day before, the record shows neither that they were closed nor that they were open."""
    report = assess(peel, "buckinghamshire", "2025-03-06")
    assert (report["force"], report["proposed_phase"], report["verdict"]) == (
        "buckinghamshire-fire",
        "scan",
        "arguable",
    )
    complete = next(r for r in report["reasons"] if r["rule"] == "record-complete")
    assert complete["met"] is False and "coc-edi" in complete["detail"] and "coc-protection" in complete["detail"]
    assert [p["force"] for p in report["precedents"]] == ["london-fire"], "a service's precedents are services'"


def test_lincolnshire_entering_on_five_accelerated_causes_is_justified(peel):
    report = assess(peel, "lincolnshire", "2024-12-06")
    assert report["verdict"] == "justified"
    assert report["entry"]["last_return"] is None


def test_the_uncertain_causes_of_gloucestershire_are_named_and_do_not_support_its_entry(peel):
    report = assess(peel, "gloucestershire", "2021-12-31")
    assert report["verdict"] == "arguable"
    assert report["episode"]["uncertain"] == [
        "coc-crime-recording",
        "coc-vulnerability",
        "coc-investigating-crime",
        "coc-call-handling",
    ]
    complete = next(r for r in report["reasons"] if r["rule"] == "record-complete")
    assert complete["met"] is False and "coc-call-handling uncertain" in complete["detail"]


def test_for_a_force_in_scan_every_precedent_is_an_entry_into_engage(peel):
    report = assess(peel, "west-midlands", "2024-09-19")
    assert report["precedents"], "other forces have entered Engage"
    assert all("entered_on" in p and "returned_on" not in p for p in report["precedents"])
    complete = [p["record_complete"] for p in report["precedents"]]
    assert complete == sorted(complete, reverse=True), "complete records first"
    assert all(p["record_gaps"] for p in report["precedents"] if not p["record_complete"])


def test_beyond_the_record_the_verdict_says_it_rests_on_the_record_as_it_ends(peel):
    report = assess(peel, "west-midlands", "2026-11-26")
    assert (report["beyond_record"], report["figures_hold_on"]) == (True, "2026-01-16")
    assert report["verdict_text"] == (
        "A move into Engage is not justified on the record as it stood on 2026-01-16, when it ends"
    )
    end = next(r for r in report["reasons"] if r["rule"] == "record-end")
    assert end["met"] is False and "checked to 2026-01-16" in end["detail"]


def test_the_table_says_the_verdict_in_words(peel):
    result = peel("--data-dir", str(DATA), "assess", "gloucestershire", "--as-of", "2023-09-21")
    assert "Verdict      A move into Engage is not justified on the record" in result.stdout
    assert "not-justified" not in result.stdout


# -- move ---------------------------------------------------------------------------------


def search_further(data: Path, slug: str, to: str) -> None:
    """Say the force's record was searched up to ``to``, so that facts up to then may be recorded."""
    path = data / "forces" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    checked = next(line for line in text.splitlines() if line.startswith("record_checked_to: "))
    path.write_text(text.replace(checked, f"record_checked_to: {to}"), encoding="utf-8")


SOURCE = ["--source", "peel-news-2023-12"]
"""West Midlands' release whose date is not on record, so it may be cited for the later facts made up here."""


def test_move_records_a_change_peel_does_not_call_unjustified(peel, ledger):
    data = ["--data-dir", str(ledger)]
    search_further(ledger, "west-midlands", "2026-01-31")
    new = ["add-concern", "west-midlands", "--id", "coc-new", "--title", "New", "--raised", "2026-01-02", *SOURCE]
    assert peel(*data, *new).exit_code == 0
    result = peel(*data, "move", "west-midlands", "engage", "--on", "2026-01-05", *SOURCE, "--decided-by", "HMCI")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "west-midlands: moved into Engage on 2026-01-05 (peel assess: arguable)\n"
    status = json.loads(peel(*data, "status", "west-midlands", "--format", "json").stdout)
    assert (status["phase"], status["phase_since"], status["assessment_overridden"]) == ("engage", "2026-01-05", False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "--on", "2025-01-01"], "west-midlands is already in Scan since 2024-09-18"),
        (["engage", "--on", "2024-09-01"], "2024-09-01 is not after the last phase change (2024-09-18)"),
        (["engage", "--on", "2027-01-01"], "is in the future"),
        (["engage", "--on", "2025-01-01", "--override", "--reason", "r", "--source", "nope"], "no source with id"),
        (["engage", "--on", "2025-01-01", "--override"], "--override needs --reason"),
        (["engage", "--on", "2025-01-01"], "calls a move into Engage on 2025-01-01 not justified"),
    ],
)
def test_move_refusals_leave_the_file_byte_identical(peel, ledger, args, message):
    path = ledger / "forces" / "west-midlands.yaml"
    before = path.read_bytes()
    extra = [] if "--source" in args else SOURCE
    result = peel("--data-dir", str(ledger), "move", "west-midlands", *args, *extra)
    assert result.exit_code == 1
    assert message in result.stderr
    assert path.read_bytes() == before


def test_an_override_is_shown_wherever_the_move_is(peel, ledger):
    data = ["--data-dir", str(ledger)]
    search_further(ledger, "west-midlands", "2026-01-31")
    move = ["move", "west-midlands", "engage", "--on", "2026-01-05", *SOURCE]
    assert "not justified" in peel(*data, *move).stderr
    done = peel(*data, *move, "--override", "--reason", "HMCI decided regardless")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.endswith("(overriding a not-justified assessment)\n")
    overridden = "recorded overriding peel's assessment, which called it not justified"

    status = peel(*data, "status", "west-midlands", "--as-of", "2026-01-10")
    assert overridden in " ".join(status.stdout.split())
    as_json = json.loads(peel(*data, "status", "west-midlands", "--as-of", "2026-01-10", "--format", "json").stdout)
    assert as_json["assessment_overridden"] is True

    history = json.loads(peel(*data, "history", "west-midlands", "--since", "2026-01-01", "--format", "json").stdout)
    (event,) = [e for e in history["events"] if e["kind"] == "phase-change"]
    assert event["assessment_overridden"] is True
    assert event["summary"].endswith(f"; {overridden}; reason given: HMCI decided regardless")

    changed = json.loads(peel(*data, "diff", "--since", "2026-01-01", "--format", "json").stdout)
    (change,) = [c for c in changed["changes"] if c["kind"] == "phase-change"]
    assert change["assessment_overridden"] is True
    assert "moved into Engage, with --override" in peel(*data, "diff", "--since", "2026-01-01").stdout

    judged = peel(*data, "assess", "west-midlands", "--as-of", "2026-01-05", "--format", "json")
    assert json.loads(judged.stdout)["judged"]["assessment_overridden"] is True


def test_move_refuses_a_not_justified_return_unless_overridden_with_a_reason(peel, ledger):
    data = ["--data-dir", str(ledger)]
    path = ledger / "forces" / "west-midlands.yaml"
    search_further(ledger, "west-midlands", "2026-06-30")
    # a source shows the cause left open at the return still open; a new cause then puts the force
    # back into Engage, and returning it at once, with nothing closed since, is not justified
    settle = ["resolve-uncertainty", "west-midlands", "unc-wm-open-cause", "--on", "2025-05-30"]
    assert peel(*data, *settle, "--evidence", "still open", *SOURCE).exit_code == 0
    new = ["add-concern", "west-midlands", "--id", "coc-new", "--title", "New", "--raised", "2025-06-01", *SOURCE]
    assert peel(*data, *new).exit_code == 0
    assert peel(*data, "move", "west-midlands", "engage", "--on", "2025-06-02", *SOURCE).exit_code == 0
    peel(*data, "add-rec", "west-midlands", "coc-new", "--id", "rec-new", "--text", "do better")
    before = path.read_bytes()
    refused = peel(*data, "move", "west-midlands", "scan", "--on", "2025-06-10", *SOURCE)
    assert refused.exit_code == 1
    assert "calls a move into Scan on 2025-06-10 not justified" in refused.stderr
    assert "--override" in refused.stderr
    assert path.read_bytes() == before
    done = peel(
        *data, "move", "west-midlands", "scan", "--on", "2025-06-10", *SOURCE, "--override", "--reason", "HMCI decided"
    )
    assert done.exit_code == 0, done.stderr
    text = path.read_text()
    assert "    reason: HMCI decided\n    assessment_overridden: true\n" in text
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


def test_history_marks_events_dated_loosely_or_about_what_is_in_doubt(peel):
    record = json.loads(peel("--data-dir", str(DATA), "history", "gloucestershire", "--format", "json").stdout)
    by_subject = {(e["kind"], e["subject"]): e for e in record["events"]}
    closed = by_subject[("cause-closed", "coc-crime-recording")]
    assert (closed["date"], closed["date_precision"], closed["subject_in_doubt"]) == (
        "2021-12/2023-11-24",
        "interval",
        True,
    )
    entry = by_subject[("phase-change", "engage")]
    assert (entry["date"], entry["date_precision"], entry["uncertain"]) == ("2021-12", "month", True)
    exact = by_subject[("phase-change", "scan")]
    assert (exact["uncertain"], exact["assessment_overridden"]) == (False, False)
    table = peel("--data-dir", str(DATA), "history", "gloucestershire", "--format", "markdown").stdout
    assert "| cause-closed | Cause of concern closed: Crime recording (uncertain) |" in table
    assert "- **Uncertain:** 13 of 20" in table


def test_history_marks_only_the_events_that_may_lie_within_a_doubt_that_begins_later(peel, ledger):
    """West Midlands' investigations cause is in doubt from the day after the return: its raising
    and the closures before the return are as the record shows them; a closure recorded after is
    in doubt, in every output that lists events."""
    data = ["--data-dir", str(ledger)]
    search_further(ledger, "west-midlands", "2026-06-30")
    closed = ["close-rec", "west-midlands", "rec-inv-outcomes", "--on", "2026-02-02", "--evidence", "x", *SOURCE]
    assert peel(*data, *closed).exit_code == 0
    record = json.loads(peel(*data, "history", "west-midlands", "--format", "json").stdout)
    marked = {(e["kind"], e["subject"], e["date"]): e["subject_in_doubt"] for e in record["events"] if e["subject"]}
    assert marked[("cause-raised", "coc-investigations", "2023-09")] is False
    assert marked[("recommendation-closed", "rec-inv-skills", "2024-09-17")] is False, "not a subject of the doubt"
    assert marked[("recommendation-closed", "rec-inv-outcomes", "2026-02-02")] is True
    chronology = json.loads(peel(*data, "chronology", "--format", "json").stdout)
    (raised,) = [
        e
        for e in chronology["events"]
        if (e["force"], e["kind"], e["subject"]) == ("west-midlands", "cause-raised", "coc-investigations")
    ]
    assert raised["subject_in_doubt"] is False
    changes = json.loads(peel(*data, "diff", "--since", "2023-09-01", "--format", "json").stdout)["changes"]
    by_kind = {(c["kind"], c["id"]): c["subject_in_doubt"] for c in changes if c["force"] == "west-midlands"}
    assert by_kind[("cause-raised", "coc-investigations")] is False
    assert by_kind[("recommendation-closed", "rec-inv-outcomes")] is True


def test_a_report_lists_the_ten_most_similar_precedents_and_says_where_the_rest_are():
    """Every page of a large ledger listing every other force's moves grew the site with the
    square of the ledger; the JSON keeps them all."""
    from datetime import date

    from peelcli.assess import assess, assessment_json
    from peelcli.output import render
    from peelcli.policy import read_policy
    from peelcli.reader import read_force

    original = (DATA / "forces" / "west-midlands.yaml").read_bytes()
    today = date(2026, 11, 26)
    others = tuple(
        read_force(
            original.replace(b"slug: west-midlands\n", f"slug: copy-{n}\n".encode()), "x", slug=None, today=today
        ).force
        for n in range(12)
    )
    gloucestershire = read_force(
        (DATA / "forces" / "gloucestershire.yaml").read_bytes(), "g", slug=None, today=today
    ).force
    judged = assess(gloucestershire, today, read_policy(), others)
    assert len(assessment_json(judged)["precedents"]) == 12
    text = render(judged, "markdown")
    assert sum(line.startswith("| West Midlands Police |") for line in text.splitlines()) == 10
    assert (
        "The 10 most similar are shown; 2 others, less similar, are in peel assess gloucestershire --format json."
        in text
    )

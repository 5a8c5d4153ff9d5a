"""peel status: where a force stands on a day, as a table, Markdown or JSON."""

import json

import pytest

from conftest import DATA, assert_golden


def status_json(peel, *args):
    result = peel("--data-dir", str(DATA), "status", "west-midlands", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_before_engage_west_midlands_was_in_scan(peel):
    report = status_json(peel, "--as-of", "2023-11-01")
    assert report["phase"] == "scan"
    assert report["phase_since"] is None


def test_on_new_year_2024_west_midlands_was_in_engage_with_four_open_causes(peel):
    report = status_json(peel, "--as-of", "2024-01-01")
    assert report["phase"] == "engage"
    assert report["phase_since"] == "2023-11-22"
    assert [c["status"] for c in report["causes_of_concern"]] == ["open"] * 4


def test_in_august_2024_one_cause_was_open_with_none_of_its_five_recommendations_closed(peel):
    report = status_json(peel, "--as-of", "2024-08-01")
    assert report["phase"] == "engage"
    open_causes = [c for c in report["causes_of_concern"] if c["status"] == "open"]
    assert len(open_causes) == 1
    assert open_causes[0]["id"] == "coc-investigations"
    assert (open_causes[0]["recommendations_closed"], open_causes[0]["recommendations_total"]) == (0, 5)
    assert [c["closed_on"] for c in report["causes_of_concern"] if c["status"] == "closed"] == [
        "2024-05/2024-07-23"
    ] * 3


def test_on_18_september_2024_west_midlands_returned_to_scan_with_three_of_five_closed(peel):
    report = status_json(peel, "--as-of", "2024-09-18")
    assert report["phase"] == "scan"
    assert report["phase_since"] == "2024-09-18"
    assert report["days_in_phase"] == 0
    (open_cause,) = [c for c in report["causes_of_concern"] if c["status"] == "open"]
    assert (open_cause["recommendations_closed"], open_cause["recommendations_total"]) == (3, 5)
    assert [r["id"] for r in report["open_recommendations"]] == ["rec-inv-outcomes", "rec-inv-outcomes-use"]


def test_the_day_before_the_recommendations_closed_none_were(peel):
    report = status_json(peel, "--as-of", "2024-09-16")
    (investigations,) = [c for c in report["causes_of_concern"] if c["id"] == "coc-investigations"]
    assert investigations["recommendations_closed"] == 0


def test_json_has_the_documented_keys(peel):
    report = status_json(peel)
    assert {"force", "name", "as_of", "phase", "phase_since", "causes_of_concern"} <= set(report)
    assert report["force"] == "west-midlands"
    assert report["name"] == "West Midlands Police"
    assert report["as_of"] == "2026-11-26"
    for cause in report["causes_of_concern"]:
        assert {"id", "title", "status", "closed_on", "recommendations_closed", "recommendations_total"} <= set(cause)


def test_json_says_which_causes_and_events_the_record_leaves_uncertain(peel):
    result = peel("--data-dir", str(DATA), "status", "gloucestershire", "--as-of", "2023-10-01", "--format", "json")
    report = json.loads(result.stdout)
    uncertain = [c["id"] for c in report["causes_of_concern"] if c["uncertain"]]
    assert uncertain == ["coc-crime-recording", "coc-vulnerability", "coc-investigating-crime", "coc-call-handling"]
    assert report["counts"]["causes_open_uncertain"] == 4
    assert report["assessment_overridden"] is False
    assert all({"uncertain", "date_precision", "assessment_overridden"} <= set(e) for e in report["latest_events"])
    (pending,) = [e for e in report["pending_events"] if e["subject"] == "coc-crime-recording"]
    assert (pending["uncertain"], pending["subject_in_doubt"], pending["date_precision"]) == (True, True, "interval")
    table = peel("--data-dir", str(DATA), "status", "gloucestershire", "--as-of", "2023-10-01").stdout
    assert table.count("open (uncertain)") == 1  # call handling: no closure on record
    assert table.count("open; possibly closed 2021-12/2023-11-24 (uncertain)") == 3
    assert report["counts"]["causes_open"] is None
    assert report["figures"]["causes_open"]["text"] == "0 to 4 (4 possibly closed)"


def test_derived_due_dates_count_from_publication_and_are_marked(peel):
    report = status_json(peel, "--as-of", "2024-09-18")
    rec = report["open_recommendations"][0]
    assert rec["deadline"] == "Within six months"
    assert (rec["due"], rec["due_basis"]) == ("2024-06-22", "derived")
    assert rec["days_overdue"] == 88


def test_the_outcome_rate_metric_and_people_are_on_record(peel):
    report = status_json(peel)
    assert report["chief_officer"]["name"] == "Scott Green"
    assert report["policing_body"]["name"] == "Simon Foster"


@pytest.mark.parametrize(
    ("as_of", "golden"),
    [("2024-09-18", "status-west-midlands-2024-09-18.txt"), (None, "status-west-midlands.txt")],
)
def test_status_table(peel, as_of, golden):
    args = ["--data-dir", str(DATA), "status", "west-midlands"] + (["--as-of", as_of] if as_of else [])
    result = peel(*args)
    assert result.exit_code == 0
    assert_golden(golden, result.stdout)


def test_status_markdown(peel):
    result = peel("--data-dir", str(DATA), "status", "west-midlands", "--as-of", "2024-08-01", "--format", "markdown")
    assert result.exit_code == 0
    assert_golden("status-west-midlands-2024-08-01.md", result.stdout)


def test_every_force_has_a_row_in_the_ledger_summary(peel):
    result = peel("--data-dir", str(DATA), "status", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    rows = {row["force"]: row for row in report["forces"]}
    assert len(rows) == 43 + 44  # the registry's police forces and fire and rescue services
    assert rows["west-midlands"]["on_record"] is True
    assert rows["west-midlands"]["phase"] == "scan"
    assert rows["kent"] == {
        "force": "kent",
        "name": "Kent Police",
        "on_record": False,
        "valid": True,
        "phase": "scan",
        "phase_since": None,
        "days_in_phase": None,
        "phase_known_to": "2026-03-05",
        "phase_basis": "national-search",
        "days_in_phase_figure": None,
        "record_checked_to": None,
        "beyond_record": None,
        "causes_open": None,
        "causes_open_uncertain": None,
        "recommendations_open": None,
        "recommendations_overdue": None,
        "figures": None,
    }


def test_ledger_summary_table(peel):
    result = peel("--data-dir", str(DATA), "status", "--as-of", "2024-01-01")
    assert result.exit_code == 0
    assert_golden("status-all-2024-01-01.txt", result.stdout)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("west-midland", "unknown force 'west-midland': did you mean west-midlands"),
        ("westmidlands", "did you mean west-midlands"),
        ("nowhere-at-all", "unknown force 'nowhere-at-all'"),
    ],
)
def test_an_unknown_force_suggests_the_nearest(peel, given, message):
    result = peel("--data-dir", str(DATA), "status", given)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_force_can_be_named_by_its_name(peel):
    result = peel("--data-dir", str(DATA), "status", "West Midlands Police", "--format", "json")
    assert json.loads(result.stdout)["force"] == "west-midlands"


def test_a_force_without_a_file_says_how_to_start_one(peel):
    result = peel("--data-dir", str(DATA), "status", "kent")
    assert result.exit_code == 1
    assert "Kent Police (kent) has no file in this ledger" in result.stderr
    assert "peel add-force kent" in result.stderr


@pytest.mark.parametrize("slug", ["../x", "/etc/passwd", "a/b", "a\x00b"])
def test_hostile_force_names_are_refused(peel, slug):
    result = peel("--data-dir", str(DATA), "status", slug)
    assert result.exit_code == 1
    assert "unknown force" in result.stderr or "not a force slug" in result.stderr


@pytest.mark.parametrize("as_of", ["2024-13-01", "yesterday", "2024-09-31"])
def test_a_bad_as_of_date_is_a_usage_error(peel, as_of):
    result = peel("--data-dir", str(DATA), "status", "west-midlands", "--as-of", as_of)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --as-of:")


def test_an_invalid_force_file_is_refused_with_its_errors(peel, ledger):
    path = ledger / "forces" / "west-midlands.yaml"
    path.write_text(path.read_text().replace("raised_on: 2023-09\n", "raised_on: 2023-19\n", 1))
    result = peel("--data-dir", str(ledger), "status", "west-midlands")
    assert result.exit_code == 1
    assert "month 19 does not exist" in result.stderr


def test_the_ledger_is_found_from_the_environment(peel, ledger, tmp_path):
    (ledger / "forces" / "west-midlands.yaml").rename(ledger / "forces" / "renamed.yaml")
    result = peel("status", "renamed", env={"PEEL_DATA_DIR": str(ledger)})
    assert result.exit_code == 1  # the slug no longer matches its file name: refused, but found
    assert "renamed.yaml" in result.stderr


def test_a_data_dir_without_forces_is_a_usage_error(peel, tmp_path):
    result = peel("--data-dir", str(tmp_path), "status")
    assert result.exit_code == 2
    assert "no ledger there" in result.stderr


def test_output_to_a_file_or_pipe_has_no_colour_codes(peel):
    for env in ({"NO_COLOR": None, "TERM": "xterm-256color"}, {"NO_COLOR": "1"}):
        result = peel("--data-dir", str(DATA), "status", "west-midlands", env=env)
        assert "\x1b[" not in result.stdout
        assert not any(line.endswith(" ") for line in result.lines)


def test_a_path_given_as_a_force_is_refused_as_a_path(peel):
    result = peel("--data-dir", str(DATA), "status", "../../etc")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: '../../etc' is not a force slug: use lower-case words joined by '-', like west-midlands\n"
    )

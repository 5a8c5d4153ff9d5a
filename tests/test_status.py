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
        "sector": "police",
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
        "group": "no-file",
    }


DOCUMENTED_ROW_KEYS = {
    "force", "name", "on_record", "valid", "phase", "phase_since", "days_in_phase", "phase_known_to", "phase_basis",
    "days_in_phase_figure", "record_checked_to", "beyond_record", "causes_open", "causes_open_uncertain",
    "recommendations_open", "recommendations_overdue", "figures",
}  # fmt: skip


def test_the_national_json_keeps_every_documented_key_and_every_force_in_order(peel):
    """Tools read it: the shape documented before the table was reordered stays, with more beside it:
    at the top for one sector, as before there were services; under ``sectors`` for each sector."""
    summary = {"record_checked_to", "beyond_record", "in_engage", "forces_with_a_file", "invalid_files"}
    report = json.loads(peel("--data-dir", str(DATA), "status", "--sector", "police", "--format", "json").stdout)
    assert summary | {"as_of"} <= set(report)
    slugs = [row["force"] for row in report["forces"]]
    assert slugs == sorted(slugs) and len(slugs) == 43
    assert all(set(row) >= DOCUMENTED_ROW_KEYS for row in report["forces"])
    groups = {row["force"]: row["group"] for row in report["forces"]}
    assert groups["lincolnshire"] == "engage"
    assert (groups["west-midlands"], groups["cleveland"]) == ("open", "open")  # cleveland: 0-5 causes open
    assert (groups["metropolitan"], groups["kent"]) == ("nothing-open", "no-file")
    assert report["only"] == {}
    both = json.loads(peel("--data-dir", str(DATA), "status", "--format", "json").stdout)
    assert [part["sector"] for part in both["sectors"]] == ["police", "fire"]
    assert all(summary <= set(part) for part in both["sectors"]) and not summary & set(both), "never a sum of both"
    assert [row for row in both["forces"] if row["sector"] == "police"] == report["forces"]
    services = [row["force"] for row in both["forces"] if row["sector"] == "fire"]
    assert (
        services == sorted(services)
        and len(services) == 44
        and slugs + services == [r["force"] for r in both["forces"]]
    )
    assert all(set(row) >= DOCUMENTED_ROW_KEYS for row in both["forces"])


def national_lines(peel, *args, width=80):
    result = peel("--data-dir", str(DATA), "status", *args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.lines


def test_at_80_columns_the_force_in_engage_is_in_the_first_ten_lines(peel):
    """Issue 20: the one force in Engage was in the middle of 43 rows, 33 of them "no record". With
    the services counted apart after the forces, it still leads the police forces' part, on the
    first screen."""
    lines = national_lines(peel, "--sector", "police")
    assert any(line.startswith("lincolnshire  Engage  2024-12-06") for line in lines[:10])
    both = national_lines(peel)
    row = next(i for i, line in enumerate(both) if line.startswith("lincolnshire  Engage  2024-12-06"))
    assert row < 24 and both.index("Police forces of England and Wales") < row
    assert row < both.index("Fire and rescue services of England")


def test_the_national_table_leads_with_engage_then_open_then_the_rest_and_folds_the_forces_with_no_file(peel):
    text = "\n".join(national_lines(peel))
    order = ["In Engage", "lincolnshire", "In Scan, with something open or overdue", "cleveland", "west-midlands"]
    order += ["In Scan, nothing open on the record", "metropolitan", "wiltshire"]
    places = [text.index(f"\n{heading}") for heading in order]
    assert places == sorted(places)
    assert "kent" not in text and "Kent Police" not in text
    assert "33 forces have no file: in Scan by default, with nothing on record, which is not a claim about them." in (
        " ".join(text.split())
    )
    assert "peel status --all lists them" in " ".join(text.split())


def test_all_lists_every_force_with_no_file_too(peel):
    text = "\n".join(national_lines(peel, "--all", width=120))
    assert "No file: in Scan by default" in text
    for slug in ("kent", "avon-and-somerset", "west-yorkshire", "lincolnshire", "west-midlands"):
        assert f"\n{slug} " in text
    assert "--all lists them" not in text


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_phase_lists_only_the_forces_in_that_phase(peel, fmt):
    result = peel("--data-dir", str(DATA), "status", "--phase", "engage", "-f", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        found = json.loads(result.stdout)
        assert [row["force"] for row in found["forces"]] == ["lincolnshire"]  # no service is in Engage
        assert found["only"] == {"phase": "engage"}
        assert [(part["sector"], part["in_engage"]["of"]) for part in found["sectors"]] == [
            ("police", 43),
            ("fire", 44),
        ]
        return
    assert "lincolnshire" in result.stdout
    assert "west-midlands" not in result.stdout and "No file" not in result.stdout
    assert "Listed" in result.stdout and "forces in Engage, or that may be (--phase engage)" in " ".join(
        result.stdout.split()
    )


def test_phase_scan_leaves_out_the_force_in_engage_and_counts_those_with_no_file_as_scan(peel):
    text = "\n".join(national_lines(peel, "--phase", "SCAN", width=120))
    assert "\nlincolnshire " not in text and "In Engage\n" not in text
    assert "west-midlands" in text and "33 forces have no file" in text
    assert "\nlincolnshire-fire " in text and "28 services have no file" in text, "the county's service is in Scan"


def test_phase_and_all_are_for_the_national_view(peel):
    result = peel("--data-dir", str(DATA), "status", "west-midlands", "--all")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --phase, --all and --sector list forces and services: give them without FORCE\n",
    )
    assert peel("--data-dir", str(DATA), "status", "--phase", "limbo").exit_code == 2


def test_a_force_whose_file_is_invalid_is_listed_whatever_phase_is_asked_for(peel, ledger):
    """Its phase is not known, so neither filter may leave it out unsaid."""
    (ledger / "forces" / "lincolnshire.yaml").write_text("slug: lincolnshire\nname: [\n", encoding="utf-8")
    for phase in ("engage", "scan"):
        result = peel("--data-dir", str(ledger), "status", "--phase", phase, env={"COLUMNS": "120"})
        assert result.exit_code == 1 and "lincolnshire.yaml:" in result.stderr
        heading = result.lines.index("Phase not known: the file is invalid")
        assert result.lines[heading + 3].startswith("lincolnshire  Lincolnshire Police  invalid file")
        found = json.loads(peel("--data-dir", str(ledger), "status", "--phase", phase, "-f", "json").stdout)
        assert {row["force"]: row["group"] for row in found["forces"]}["lincolnshire"] == "phase-unknown"
    engage = " ".join(peel("--data-dir", str(ledger), "status", "--phase", "engage").stdout.split())
    assert "No force is surely in Engage on the record: see In Engage above." in engage


def test_the_phase_is_coloured_on_a_terminal_that_takes_colour_and_plain_under_no_color(peel):
    env = {"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm-256color", "COLUMNS": "120"}
    styled = peel("--data-dir", str(DATA), "status", env=env).stdout
    assert "\x1b[1;33mEngage\x1b[0m" in styled
    plain = peel("--data-dir", str(DATA), "status", env={**env, "NO_COLOR": "1"}).stdout
    assert "\x1b" not in plain and "Engage" in plain


def test_ledger_summary_table(peel):
    result = peel("--data-dir", str(DATA), "status", "--as-of", "2024-01-01", "--sector", "police")
    assert result.exit_code == 0
    assert_golden("status-all-2024-01-01.txt", result.stdout)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("west-midland", "unknown force or service 'west-midland': did you mean west-midlands"),
        ("westmidlands", "did you mean west-midlands"),
        ("nowhere-at-all", "unknown force or service 'nowhere-at-all'"),
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


# -- a doubt that begins on a day ---------------------------------------------------------------

OPEN_CAUSE = (
    "Not on record: the investigations cause of concern after the return to Scan (from 2024-09-19): it was open"
)


@pytest.mark.parametrize(("day", "noted", "uncertain"), [("2024-09-18", False, False), ("2024-09-19", True, True)])
def test_a_doubt_is_noted_and_its_subjects_uncertain_only_from_the_day_it_begins(peel, day, noted, uncertain):
    """West Midlands: the cause left open at the return of 18 September 2024 is certain that day."""
    markdown = peel("--data-dir", str(DATA), "status", "west-midlands", "--as-of", day, "--format", "markdown").stdout
    assert (OPEN_CAUSE in markdown) is noted
    assert "Not on record: the chief constable after 16 January 2026" not in markdown, "a doubt about 2026"
    report = status_json(peel, "--as-of", day)
    (cause,) = [c for c in report["causes_of_concern"] if c["id"] == "coc-investigations"]
    assert cause["uncertain"] is uncertain
    assert [r["uncertain"] for r in report["open_recommendations"]] == [uncertain, uncertain]
    assert report["counts"]["causes_open"] == (None if uncertain else 1)
    assert {u["id"]: u["begun"] for u in report["uncertainties"]}["unc-wm-chief-constable"] is False


def test_a_settlement_after_the_day_is_not_yet_known_on_it(peel, ledger):
    data = ["--data-dir", str(ledger)]
    settle = ["resolve-uncertainty", "west-midlands", "unc-wm-open-cause", "--on", "2025-06-02", "--evidence", "open"]
    assert peel(*data, *settle, "--source", "peel-news-2023-12").exit_code == 0
    for day, settled in (("2025-06-01", False), ("2025-06-02", True)):
        markdown = peel(*data, "status", "west-midlands", "--as-of", day, "--format", "markdown").stdout
        assert ("still open is not on record (settled on 2025-06-02: open)" in markdown) is settled
        assert OPEN_CAUSE in markdown
    report = status_json_of(peel, ledger, "--as-of", "2025-06-01")
    (doubt,) = [u for u in report["uncertainties"] if u["id"] == "unc-wm-open-cause"]
    assert (doubt["resolved_on"], doubt["in_doubt"]) == ("2025-06-02", True)
    assert status_json_of(peel, ledger, "--as-of", "2025-06-02")["counts"]["causes_open"] == 1


def status_json_of(peel, ledger, *args):
    result = peel("--data-dir", str(ledger), "status", "west-midlands", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_london_fire_brigade_at_its_entry_into_engage(peel):
    """Its prevention and culture causes were open, and certain, when it entered Engage; the doubts
    about their closures begin at their revisits, and are not on the day's status."""
    result = peel("--data-dir", str(DATA), "status", "london-fire", "--as-of", "2022-12-14", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert_golden("status-london-fire-2022-12-14.md", result.stdout)

"""peel due: what falls due and what is overdue, per force and nationally, in date order, each due
date with its basis; nothing after a record's end is presented as known."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, TODAY, scaled_examples
from peelcli import due, figures
from peelcli.figures import Period
from peelcli.ledger import force_reading
from peelcli.timeline import due_of, standing
from records_kit import build, cause, rec
from test_properties import file_bytes, force_files

WM = "west-midlands"


def run_due(peel, *args: str, root: Path = DATA, width: int = 100):
    result = peel("--data-dir", str(root), "due", *args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result


def flat(text: str) -> str:
    return " ".join(text.split())


# -- the case: West Midlands, whose record ends on 2026-01-16 ----------------------------


def test_west_midlands_two_open_recommendations_are_overdue_as_of_its_record_end(peel):
    """Issue 20, done when: both listed overdue on the record's end, and nothing after it is known.
    Their state is in doubt from the day after the return (unc-wm-open-cause), so they may have been
    closed since: each says so, and the count is a range."""
    text = run_due(peel, WM).stdout
    lines = text.splitlines()
    heading = lines.index("Overdue on 2026-01-16, when the record ends")
    rows = [line for line in lines[heading:] if line.startswith("2024-06-22  rec-inv-outcomes")]
    assert [row.split()[1] for row in rows] == ["rec-inv-outcomes", "rec-inv-outcomes-use"]
    assert all(row.endswith("573 days (possibly closed)") for row in rows)
    assert any(
        line.startswith("Overdue on 2026-01-16,") and line.endswith("  0 to 2 recommendations (2 possibly closed)")
        for line in lines
    )
    words = flat(text)
    assert "checked to 2026-01-16, before 2026-11-26: nothing later is known to peel" in words
    assert words.count("derived: Within six months, from 2023-12-22") == 2
    assert (
        "None listed on record; due in the period: not known (west-midlands's record ends before the period does: "
        "nothing later is known)." in words
    )
    assert "None falls due" not in words and "No open recommendation" not in words


def test_west_midlands_in_json_and_markdown_says_the_same(peel):
    found = json.loads(run_due(peel, WM, "-f", "json").stdout)
    overdue = [(r["id"], r["state"], r["days_overdue"], r["holds_on"]) for r in found["recommendations"]]
    assert overdue == [
        ("rec-inv-outcomes", "overdue", 573, "2026-01-16"),
        ("rec-inv-outcomes-use", "overdue", 573, "2026-01-16"),
    ]
    assert found["recommendations"][0]["due_basis"] == "derived"
    assert found["recommendations"][0]["counted_from"] == "2023-12-22"
    assert [r["uncertain"] for r in found["recommendations"]] == [True, True]
    overdue = found["figures"]["recommendations_overdue"]
    assert (overdue["value"], overdue["least"], overdue["most"]) == (None, 0, 2)
    coming = found["figures"]["recommendations_due"]
    assert (coming["kind"], coming["value"], coming["most"]) == ("unknown", None, None)
    assert found["forces"][0]["record_reaches_period_end"] is False
    assert found["period"] == {"from": TODAY, "to": "2026-12-26", "days": 30}
    markdown = run_due(peel, WM, "-f", "markdown").stdout
    assert "## Overdue on 2026-01-16, when the record ends" in markdown
    assert "| 2024-06-22 | rec-inv-outcomes | make sure it consistently achieves" in markdown
    assert "due in the period: not known" in markdown


def test_before_the_due_date_the_five_recommendations_fall_due_in_the_period(peel):
    """As of 1 June 2024 the investigations cause's five recommendations were due on 22 June."""
    found = json.loads(run_due(peel, WM, "--as-of", "2024-06-01", "-f", "json").stdout)
    assert {r["state"] for r in found["recommendations"]} == {"due"}
    assert len(found["recommendations"]) == 5
    assert found["figures"]["recommendations_due"]["text"] == ("at least 5 (recommendations of 3 causes not on record)")
    shorter = json.loads(run_due(peel, WM, "--as-of", "2024-06-01", "--within", "2w", "-f", "json").stdout)
    assert shorter["period"]["to"] == "2024-06-15" and shorter["recommendations"] == []


def test_a_month_after_the_due_date_they_are_overdue_by_the_days_since(peel):
    found = json.loads(run_due(peel, WM, "--as-of", "2024-07-22", "-f", "json").stdout)
    assert [(r["id"], r["days_overdue"]) for r in found["recommendations"]] == [
        ("rec-inv-outcomes", 30),
        ("rec-inv-outcomes-use", 30),
        ("rec-inv-plans", 30),
        ("rec-inv-skills", 30),
        ("rec-inv-timely", 30),
    ]


# -- every force ---------------------------------------------------------------------------------


def test_every_force_in_date_order_with_where_each_record_ends(peel):
    """The police forces' recommendations, then the fire and rescue services', each in date order."""
    result = run_due(peel, width=120)
    found = json.loads(run_due(peel, "-f", "json").stdout)
    order = [r["sector"] for r in found["recommendations"]]
    assert order == sorted(order, key=["police", "fire"].index)
    for sector in ("police", "fire"):
        keys = [
            (r["due_earliest"] or "9999", r["force"], r["id"])
            for r in found["recommendations"]
            if r["sector"] == sector
        ]
        assert keys == sorted(keys), sector
    assert [r["force"] for r in found["recommendations"] if r["state"] == "overdue"][:2] == ["greater-manchester"] * 2
    no_file = [slug for slug in found["no_file"] if not slug.endswith("-fire")]
    assert (len(no_file), len(found["no_file"]) - len(no_file)) == (33, 44 - 16) and found["invalid_files"] == []
    figures = {part["sector"]: part["figures"] for part in found["sectors"]}
    assert (
        figures["police"]["recommendations_due"]["kind"] == figures["fire"]["recommendations_due"]["kind"] == "unknown"
    )
    police, fire = flat(result.stdout).split("Fire and rescue services of England")
    assert "33 forces have no file: none of their recommendations is on record" in police
    assert "10 of 10 forces with a file have records that end before 2026-12-26: nothing after each" in police
    assert "Where each record ends" in police and "west-midlands 2026-01-16 2026-01-16 0-2 ?" in police
    assert "No due date on record" not in police, "every police recommendation on record has a due date"
    assert "28 services have no file: none of their recommendations is on record" in fire
    assert "16 of 16 services with a file have records that end before 2026-12-26" in fire
    assert "No due date on record: may fall due any day" in fire and "hertfordshire-fire rec-prevention-1" in fire


def test_a_recommendation_with_no_due_date_may_fall_due_any_day_and_is_counted_so(peel, ledger):
    added = peel(
        "--data-dir", str(ledger), "add-rec", WM, "coc-investigations", "--id", "rec-undated",
        "--text", "a recommendation recorded without its deadline",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    text = flat(run_due(peel, root=ledger, width=120).stdout)
    assert "No due date on record: may fall due any day" in text and "rec-undated" in text
    assert "Those with no due date on record (listed below) may be overdue too, and are counted so." in text


def test_a_force_whose_file_is_invalid_makes_the_national_figures_unknown(peel, ledger):
    (ledger / "forces" / "wiltshire.yaml").write_text("slug: wiltshire\nname: [\n", encoding="utf-8")
    result = peel("--data-dir", str(ledger), "due", "-f", "json")
    assert result.exit_code == 1 and "wiltshire.yaml:" in result.stderr
    found = json.loads(result.stdout)
    assert found["invalid_files"] == ["wiltshire"]
    figures = {part["sector"]: part["figures"] for part in found["sectors"]}
    assert (
        "wiltshire's file is invalid: what it records is not known"
        in figures["police"]["recommendations_overdue"]["text"]
    )
    assert "invalid" not in figures["fire"]["recommendations_overdue"]["text"], (
        "a force's file says nothing of services"
    )


# -- the period ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "end"),
    [("30", "2026-12-26"), ("30d", "2026-12-26"), ("6w", "2027-01-07"), ("3m", "2027-02-26"), ("1 year", "2027-11-26")],
)
def test_within_takes_the_lengths_people_give(peel, within, end):
    found = json.loads(run_due(peel, WM, "--within", within, "-f", "json").stdout)
    assert found["period"]["to"] == end


@pytest.mark.parametrize("within", ["soon", "-3", "30 parsecs", "", "3.5m"])
def test_a_length_peel_cannot_read_is_a_usage_error(peel, within):
    result = peel("--data-dir", str(DATA), "due", "--within", within)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --within {within!r}: give a length such as 30, 30d, 6w, 3m or 1y")


def test_a_period_past_the_last_day_peel_dates_reach_ends_there(peel):
    found = json.loads(run_due(peel, WM, "--within", "99999 years", "-f", "json").stdout)
    assert found["period"]["to"] == "2999-12-31"


def test_an_unknown_force_or_one_without_a_file_is_refused(peel):
    assert "did you mean west-midlands" in peel("--data-dir", str(DATA), "due", "west-midland").stderr
    refused = peel("--data-dir", str(DATA), "due", "kent")
    assert refused.exit_code == 1 and "has no file in this ledger" in refused.stderr


# -- figures and lists, on made-up forces --------------------------------------------------------

AS_OF = date(2026, 6, 1)
PERIOD = Period(AS_OF, AS_OF + timedelta(days=30))


def entries(force, as_of: date = AS_OF, period: Period = PERIOD) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in due.due_recommendations(standing(force, as_of), period):
        found.setdefault(entry.state, []).append(entry.rec.recommendation.id)
    return found


def test_within_the_record_a_stated_due_date_in_the_period_is_counted_surely():
    force = build(causes_of_concern=[cause("coc-1", "2026-01", recommendations=[rec("r-1", due="2026-06-10")])])
    assert entries(force) == {"due": ["r-1"]}
    assert figures.words(figures.recommendations_due(standing(force, AS_OF), PERIOD)) == "1"


def test_a_record_that_ends_before_the_period_leaves_what_falls_due_unknown_never_none():
    force = build(
        record_checked_to="2026-05-01",
        causes_of_concern=[cause("coc-1", "2026-01", recommendations=[rec("r-1", due="2026-06-10")])],
    )
    found = figures.recommendations_due(standing(force, AS_OF), PERIOD)
    assert (found.kind, found.least, found.most) == ("unknown", 0, None)
    assert figures.words(found) == (
        "not known (1 open when the record ends, not known since; test-force's record ends before the period does: "
        "nothing later is known)"
    )
    empty = build(record_checked_to="2026-05-01")
    assert figures.recommendations_due(standing(empty, AS_OF), PERIOD).kind == "unknown"


def test_what_fell_due_between_the_record_end_and_the_period_is_listed_as_not_known():
    force = build(
        record_checked_to="2026-03-01",
        causes_of_concern=[cause("coc-1", "2026-01", recommendations=[rec("r-1", due="2026-04-15")])],
    )
    assert entries(force) == {"after-record": ["r-1"]}
    assert figures.recommendations_overdue(standing(force, AS_OF)).value == 0  # on 2026-03-01 it was not yet due


def test_a_due_date_known_to_a_month_straddling_the_day_may_be_overdue_or_fall_due_in_the_period():
    force = build(causes_of_concern=[cause("coc-1", "2026-01", recommendations=[rec("r-1", deadline="By June 2026")])])
    mid_june = Period(date(2026, 6, 15), date(2026, 7, 15))
    assert entries(force, mid_june.start, mid_june) == {"possibly-overdue": ["r-1"], "due": ["r-1"]}
    at = standing(force, mid_june.start)
    assert figures.words(figures.recommendations_due(at, mid_june)) == "0 to 1 (1 with a due date known only to a span)"
    assert figures.words(figures.recommendations_overdue(at)) == "0 to 1 (1 possibly overdue)"
    assert entries(force) == {"due": ["r-1"]}  # from 1 June, the whole month lies in the period


def test_a_recommendation_with_no_due_date_may_be_due_or_overdue_and_says_so():
    force = build(causes_of_concern=[cause("coc-1", "2026-01", recommendations=[rec("r-1")])])
    assert entries(force) == {"no-due-date": ["r-1"]}
    at = standing(force, AS_OF)
    assert figures.words(figures.recommendations_due(at, PERIOD)) == "0 to 1 (1 with no due date on record)"
    assert figures.words(figures.recommendations_overdue(at)) == "0 to 1 (1 with no due date on record)"


def test_closed_recommendations_are_not_listed():
    force = build(
        causes_of_concern=[
            cause("coc-1", "2026-01", recommendations=[rec("r-1", due="2026-06-10", closed_on="2026-05")])
        ]
    )
    assert entries(force) == {}
    assert figures.recommendations_due(standing(force, AS_OF), PERIOD).value == 0


# -- the property: what is listed is what is counted -----------------------------------------------


@scaled_examples(40)
@given(drawn=force_files("test-force"), data=st.data())
def test_every_list_holds_exactly_what_its_figure_counts(drawn, data):
    """For any file the validator accepts, as of a day near one of its due dates: the surely
    counted are those listed with no doubt, and where every recommendation is on record, the
    most is everything listed that may count."""
    tree, _ = drawn
    reading = force_reading(
        file_bytes(tree, plain_dates=True, crlf=False, bom=False),
        Path("test-force.yaml"),
        today=date.fromisoformat(TODAY),
    )
    assert reading.ok, reading.errors
    force = reading.force
    dues = [d.earliest for c in force.causes_of_concern for r in c.recommendations if (d := due_of(r, c)) is not None]
    near = data.draw(st.sampled_from(dues)) if dues and data.draw(st.booleans()) else date(2024, 1, 1)
    as_of = max(date(1900, 1, 1), min(near - timedelta(days=data.draw(st.integers(-60, 60))), date(2999, 1, 1)))
    at = standing(force, as_of)
    period = Period(as_of, as_of + timedelta(days=data.draw(st.integers(0, 400))))
    listed = due.due_recommendations(at, period)
    overdue, coming = figures.recommendations_overdue(at), figures.recommendations_due(at, period)
    states = [e.state for e in listed]
    undated = states.count(due.NO_DUE_DATE)
    assert overdue.least == sum(1 for e in listed if e.state == due.OVERDUE and e.why is None)
    assert coming.least == sum(1 for e in listed if e.state == due.DUE and e.why is None)
    complete = not any(c.cause.recommendations_not_on_record for c in (*at.causes, *at.possible_causes))
    if complete:
        assert overdue.most == states.count(due.OVERDUE) + states.count(due.POSSIBLY_OVERDUE) + undated
        if figures.record_reaches(at, period.end):
            assert coming.most == states.count(due.DUE) + undated
    if not figures.record_reaches(at, period.end):
        assert coming.most is None  # never a count of what falls due after the record ends
    dates = [(e.rec.due.earliest, e.rec.due.latest) for e in listed if e.rec.due is not None]
    assert dates == sorted(dates)


def test_the_board_report_and_the_force_site_page_say_what_falls_due(peel, tmp_path):
    report = peel("--data-dir", str(DATA), "report", WM).stdout
    assert "## What falls due in the 30 days from 2026-11-26" in report
    assert "due in the period: not known (west-midlands's record ends before the period does" in report
    assert peel("--data-dir", str(DATA), "site", str(tmp_path / "site")).exit_code == 0
    page = " ".join((tmp_path / "site" / "forces" / "west-midlands.html").read_text(encoding="utf-8").split())
    assert "What falls due in the 30 days from 2026-11-26" in page
    assert "Due from 2026-11-26 to 2026-12-26" in page

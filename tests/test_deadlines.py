"""Deadline wordings (peelcli.deadlines): what each states, and the due days it implies counted
from a publication day, month or year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import scaled_examples
from peelcli.dates import MONTHS, PartialDate
from peelcli.deadlines import UNDERSTOOD, Deadline, parse_deadline, read_deadline
from peelcli.ledger import force_reading
from peelcli.timeline import due_of
from records_kit import build, cause, rec


def day(text: str) -> PartialDate:
    return PartialDate.parse(text)


@pytest.mark.parametrize(
    ("wording", "months", "days"),
    [
        ("Within six months", 6, 0),
        ("within 6 months", 6, 0),
        ("Within three months", 3, 0),
        ("Within one month", 1, 0),
        ("Within twelve months", 12, 0),
        ("Within one year", 12, 0),
        ("Within 2 years", 24, 0),
        ("Within 28 days", 0, 28),
        ("Within one day", 0, 1),
        ("Within two weeks", 0, 14),
        ("Within a month", 1, 0),
        ("Within twenty-four months", 24, 0),
        ("Within eighteen Months", 18, 0),
        ("The force should, within six months, review its audit", 6, 0),
        ("WITHIN   SIX\nMONTHS", 6, 0),
    ],
)
def test_a_within_wording_is_an_offset_in_months_or_days(wording, months, days):
    assert parse_deadline(wording) == Deadline(months=months, days=days)


@pytest.mark.parametrize(
    "wording", ["immediately", "The force should immediately review this", "take immediate steps", "Immediate"]
)
def test_immediately_and_take_immediate_steps_are_due_on_the_day_counted_from(wording):
    deadline = parse_deadline(wording)
    assert deadline == Deadline()
    assert deadline.due_from(day("2024-09-18")) == (date(2024, 9, 18), date(2024, 9, 18))


@pytest.mark.parametrize(
    ("wording", "fixed"),
    [
        ("By 31 March 2025", "2025-03-31"),
        ("by 1 april 2025", "2025-04-01"),
        ("By March 2025", "2025-03"),
        ("By the end of March 2025", "2025-03"),
        ("By 31st March 2025", "2025-03-31"),
        ("by the end of 2025", "2025"),
        ("By 2025", "2025"),
        ("By 31 March 2025, or within six months", "2025-03-31"),
    ],
)
def test_a_by_wording_fixes_a_day_or_a_month(wording, fixed):
    assert parse_deadline(wording) == Deadline(fixed=day(fixed))


def test_a_fixed_deadline_is_due_on_its_own_days_whatever_it_counts_from():
    assert Deadline(fixed=day("2025-03")).due_from(day("2020")) == (date(2025, 3, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    "wording",
    [
        None,
        "",
        "   ",
        "As soon as possible",
        "Within several months",
        "By 31 February 2025",
        "By Smarch 2025",
        "By 31 Smarch 2025",
        "Within six fortnights",
    ],
)
def test_a_wording_peel_does_not_understand_states_no_deadline(wording):
    assert parse_deadline(wording) is None


def test_within_six_months_of_a_day_is_the_same_day_six_months_later():
    assert Deadline(months=6).due_from(day("2024-09-18")) == (date(2025, 3, 18), date(2025, 3, 18))


def test_within_months_of_a_month_end_is_clamped_to_the_shorter_month():
    assert Deadline(months=6).due_from(day("2024-08-31")) == (date(2025, 2, 28), date(2025, 2, 28))
    assert Deadline(months=1).due_from(day("2024-01-31")) == (date(2024, 2, 29), date(2024, 2, 29))


def test_within_days_counts_calendar_days_across_month_and_year_ends():
    assert Deadline(days=28).due_from(day("2024-12-20")) == (date(2025, 1, 17), date(2025, 1, 17))


def test_counting_from_a_month_gives_a_span_of_due_days():
    assert Deadline(months=6).due_from(day("2024-09")) == (date(2025, 3, 1), date(2025, 3, 30))


def test_counting_from_a_year_gives_a_span_of_due_days():
    assert Deadline(days=28).due_from(day("2024")) == (date(2024, 1, 29), date(2025, 1, 28))


def test_counting_from_a_span_shifts_both_ends():
    assert Deadline(months=3).due_from(day("2024-01-17/2024-02-11")) == (date(2024, 4, 17), date(2024, 5, 11))


def test_within_9999_years_parses_but_has_no_due_date_past_the_last_day_peel_counts_to():
    """The wording parses; counting it runs past 2999, where peel's dates end, so it gives no due
    day (and ``peel validate`` refuses such a wording, so no report ever has to count it)."""
    deadline = parse_deadline("Within 9999 years")
    assert deadline == Deadline(months=12 * 9999)
    assert deadline.due_from(day("2024-01-10")) is None


# -- which day a derived deadline counts from ---------------------------------------------------


def test_within_six_months_counts_from_publication_not_raising():
    recs = [rec("rec-1", deadline="Within six months")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", published_on="2024-03-05", recommendations=recs)])
    found = due_of(force.causes_of_concern[0].recommendations[0], force.causes_of_concern[0])
    assert (found.earliest, found.latest, found.basis) == (date(2024, 9, 5), date(2024, 9, 5), "derived")


def test_without_a_publication_day_a_derived_deadline_counts_from_raising():
    recs = [rec("rec-1", deadline="Within six months")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    found = due_of(force.causes_of_concern[0].recommendations[0], force.causes_of_concern[0])
    assert (found.earliest, found.latest, found.basis) == (date(2024, 7, 10), date(2024, 7, 10), "derived")


def test_a_stated_due_date_wins_over_the_wording():
    recs = [rec("rec-1", deadline="Within six months", due="2024-05")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    found = due_of(force.causes_of_concern[0].recommendations[0], force.causes_of_concern[0])
    assert (found.earliest, found.latest, found.basis) == (date(2024, 5, 1), date(2024, 5, 31), "stated")


def test_a_fixed_wording_is_a_stated_due_date():
    recs = [rec("rec-1", deadline="By 31 March 2025")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    found = due_of(force.causes_of_concern[0].recommendations[0], force.causes_of_concern[0])
    assert (found.earliest, found.latest, found.basis) == (date(2025, 3, 31), date(2025, 3, 31), "stated")


def test_a_recommendation_without_a_deadline_or_due_date_has_no_due_date():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[rec("rec-1")])])
    assert due_of(force.causes_of_concern[0].recommendations[0], force.causes_of_concern[0]) is None


# -- properties ---------------------------------------------------------------------------------

DAYS = st.dates(date(1990, 1, 1), date(2100, 12, 31))


@given(DAYS, DAYS, st.integers(0, 36), st.integers(0, 400))
def test_a_later_start_is_never_due_earlier(first, second, months, days):
    early, late = sorted((first, second))
    deadline = Deadline(months=months, days=days)
    assert deadline.due_from(PartialDate.of(early))[0] <= deadline.due_from(PartialDate.of(late))[0]


@given(DAYS, st.integers(0, 36), st.integers(0, 400))
def test_a_deadline_is_never_due_before_the_day_it_counts_from(start, months, days):
    earliest, latest = Deadline(months=months, days=days).due_from(PartialDate.of(start))
    assert start <= earliest == latest


def test_the_ci_page_lists_every_form_of_wording_peel_reads():
    readme = (Path(__file__).parents[1] / "docs" / "ci.md").read_text(encoding="utf-8")
    for wording in UNDERSTOOD:
        assert f"`{wording}`" in readme, wording
        assert parse_deadline(wording) is not None, wording


# -- wordings peel cannot read -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("wording", "why"),
    [
        ("By Decmber 2024", "'Decmber' is not the name of a month (did you mean December?)"),
        ("By 31 Smarch 2025", "'Smarch' is not the name of a month (did you mean March?)"),
        ("By 30 February 2024", "February 2024 has no day 30"),
        ("By 31 February 2025, or within six months", "February 2025 has no day 31"),
        ("By 123 March 2024", "123 is not a day of a month"),
        ("By December 0000", "the year 0000 is outside the years peel's dates cover (1900-2999)"),
        ("By December 24", "the year 24 is not written with four digits"),
        ("Within -3 months", "-3 is not a count of days, weeks, months or years (a count is 0 or more)"),
        ("Within 1.5 months", "1.5 is not a count peel reads (write a whole number in plain figures: 18)"),
        ("Within several months", "'several' is not a number peel reads (write it in figures: Within 18 months)"),
        (
            "Within twelve three days",
            "'twelve three' is not a number peel reads (write it in figures: Within 18 months)",
        ),
        ("As soon as possible", "it states no date or period peel reads"),
        ("Within six fortnights", "it states no date or period peel reads"),
    ],
)
def test_a_wording_peel_cannot_read_says_what_it_could_not_read(wording, why):
    assert read_deadline(wording) == (None, why)


def test_the_issues_wordings_are_warned_at_their_line_and_column(peel):
    """The fixture's ``# expect:`` lines are the contract; this names the issue's examples."""
    fixture = Path(__file__).parent / "fixtures" / "valid" / "unreadable-deadlines.yaml"
    result = peel("validate", str(fixture))
    assert result.exit_code == 0
    lines = fixture.read_text(encoding="utf-8").splitlines()
    warned = {}
    for found in result.lines[:-1]:
        _, line, column, rest = found.split(":", 3)
        warned[lines[int(line) - 1][int(column) - 1 :]] = rest
    for wording in ("By Decmber 2024", "By 30 February 2024", "Within -3 months", "By December 0000"):
        assert "warning: peel cannot read the deadline" in warned[wording]
        assert "or add the date the record fixes as due: YYYY-MM-DD" in warned[wording]
    assert warned["By 1 January 2000"] == (
        " warning: the deadline 'By 1 January 2000' is due 2000-01-01, before the cause was raised (2024-01-10)"
    )
    assert "take immediate steps" not in warned and "As soon as practicable" in warned


def test_the_shipped_ledger_has_no_wording_peel_cannot_read(peel):
    data = Path(__file__).parents[1] / "data"
    result = peel("validate", str(data))
    for found in result.lines[:-1]:
        file, line, _, _ = found.split(":", 3)
        assert "deadline:" not in (data.parent / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert "take immediate steps" in (data / "forces" / "cleveland.yaml").read_text(encoding="utf-8")


def test_add_rec_says_the_same_at_the_time_of_the_edit(peel, ledger):
    add = ["--data-dir", str(ledger), "add-rec", "west-midlands", "coc-investigations", "--text", "do it"]
    unread = peel(*add, "--id", "rec-a", "--deadline", "By Decmber 2024")
    assert unread.exit_code == 0
    assert unread.stderr.startswith(
        "warning: --deadline: peel cannot read the deadline 'By Decmber 2024': 'Decmber' is not the name of a "
        "month (did you mean December?), so it can never be overdue;"
    )
    assert "or give the date the record fixes with --due DATE" in unread.stderr
    given_due = peel(*add, "--id", "rec-b", "--deadline", "By Decmber 2024", "--due", "2024-12")
    assert (given_due.exit_code, given_due.stderr) == (0, "")
    early = peel(*add, "--id", "rec-c", "--deadline", "By 1 January 2000")
    assert early.stderr == (
        "warning: --deadline: the deadline 'By 1 January 2000' is due 2000-01-01, before the cause was raised "
        "(2023-09)\n"
    )


NEAR_MISSES = st.builds(
    lambda lead, number, word, year, tail: " ".join(part for part in (lead, number, word, year, tail) if part),
    st.sampled_from(["By", "by the end of", "Within", "within", "The force should immediately", "take", ""]),
    st.one_of(st.integers(-(10**12), 10**12).map(str), st.sampled_from(["", "a", "six", "twenty-four", "1.5"])),
    st.sampled_from([*MONTHS, "Decmber", "Smarch", "", "days", "weeks", "months", "year", "immediate steps"]),
    st.one_of(st.integers(0, 99999).map(str), st.just("")),
    st.sampled_from(["", "of publication", "or within six months", "by 30 February 2024"]),
)


@scaled_examples(150)
@given(wording=st.one_of(NEAR_MISSES, st.text(min_size=1, max_size=60)))
def test_any_wording_gives_a_due_date_or_exactly_one_located_problem(wording):
    """Never a crash, never silence: a recommendation's wording either gives it a due date, or
    ``peel validate`` says exactly once, at the wording, why it does not (and a due date before
    the cause was raised is said once too)."""
    data = {
        "slug": "kent",
        "name": "Kent Police",
        "record_checked_to": "2026-11-01",
        "record_checked_note": "searched",
        "causes_of_concern": [
            {
                "id": "coc-1",
                "title": "A cause",
                "raised_on": "2024-01-10",
                "recommendations": [{"id": "rec-1", "text": "do it", "deadline": wording}],
            }
        ],
    }
    text = yaml.safe_dump(data, allow_unicode=False, width=10**6, sort_keys=False)
    line = next(n for n, found in enumerate(text.splitlines(), 1) if found.lstrip().startswith("deadline:"))
    reading = force_reading(text.encode("utf-8"), Path("kent.yaml"), today=date(2026, 11, 26))
    if reading.force is None:  # text the format refuses (blank): not a wording at all
        assert any(p.is_error for p in reading.problems)
        return
    found = reading.force.causes_of_concern[0]
    about = [p for p in reading.problems if p.line == line]
    due = due_of(found.recommendations[0], found)
    if due is not None:  # said only when the day it gives comes before the cause
        early = due.latest < found.raised_on.earliest
        assert [p.message.endswith("before the cause was raised (2024-01-10)") for p in about] == [True] * early
    else:
        assert len(about) == 1, about
        assert about[0].column is not None

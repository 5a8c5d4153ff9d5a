"""Deadline wordings (peelcli.deadlines): what each states, and the due days it implies counted
from a publication day, month or year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelcli.dates import PartialDate
from peelcli.deadlines import Deadline, parse_deadline
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
        ("The force should, within six months, review its audit", 6, 0),
        ("WITHIN   SIX\nMONTHS", 6, 0),
    ],
)
def test_a_within_wording_is_an_offset_in_months_or_days(wording, months, days):
    assert parse_deadline(wording) == Deadline(months=months, days=days)


def test_immediately_is_due_on_the_day_counted_from():
    deadline = parse_deadline("The force should immediately review this")
    assert deadline == Deadline()
    assert deadline.due_from(day("2024-09-18")) == (date(2024, 9, 18), date(2024, 9, 18))


@pytest.mark.parametrize(
    ("wording", "fixed"),
    [
        ("By 31 March 2025", "2025-03-31"),
        ("by 1 april 2025", "2025-04-01"),
        ("By March 2025", "2025-03"),
        ("By the end of March 2025", "2025-03"),
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
        "Within a month",
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

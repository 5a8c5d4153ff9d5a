"""Partial dates: a month or a year is an interval, and comparisons never pretend otherwise."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelcli.dates import DateSyntaxError, PartialDate, add_months, parse_day


def test_a_full_date_is_one_day():
    day = PartialDate.parse("2024-09-18")
    assert day.earliest == day.latest == date(2024, 9, 18)
    assert day.precision == "day"


def test_a_month_spans_its_days():
    month = PartialDate.parse("2024-02")
    assert (month.earliest, month.latest) == (date(2024, 2, 1), date(2024, 2, 29))


def test_a_year_spans_its_days():
    year = PartialDate.parse("2019")
    assert (year.earliest, year.latest) == (date(2019, 1, 1), date(2019, 12, 31))


def test_a_month_has_surely_happened_only_after_its_last_day():
    july = PartialDate.parse("2024-07")
    assert not july.surely_by(date(2024, 7, 15))
    assert july.possibly_by(date(2024, 7, 15))
    assert july.surely_by(date(2024, 7, 31))


def test_overlapping_dates_are_not_surely_ordered():
    year, day = PartialDate.parse("2019"), PartialDate.parse("2019-06-01")
    assert not year.surely_before(day) and not day.surely_before(year)
    assert PartialDate.parse("2018").surely_before(day)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "month 13 does not exist"),
        ("2023-02-29", "February 2023 has no day 29"),
        ("24-09-18", "is not a date"),
        ("18/09/2024", "is not a date"),
        ("December 2021", "is not a date"),
        ("1066", "out of range"),
    ],
)
def test_malformed_dates_say_what_is_wrong(text, message):
    with pytest.raises(DateSyntaxError, match=message):
        PartialDate.parse(text)


def test_options_that_need_a_day_refuse_a_month():
    with pytest.raises(DateSyntaxError, match="not a full date"):
        parse_day("2024-09")


def test_adding_months_clamps_to_the_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 22), 6) == date(2024, 6, 22)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)), st.sampled_from([1, 2, 3]))
def test_text_round_trips(day, parts):
    text = day.isoformat()[: {1: 4, 2: 7, 3: 10}[parts]]
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert parsed.earliest <= day <= parsed.latest

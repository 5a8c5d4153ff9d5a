"""Partial dates: a month or a year is an interval, and comparisons never pretend otherwise."""

from datetime import date, timedelta

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


# -- spans, and properties of every kind of partial date ----------------------------------------

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
DAY_DATES = DAYS.map(PartialDate.of)
MONTH_DATES = st.builds(PartialDate.month, st.integers(1900, 2999), st.integers(1, 12))
YEAR_DATES = st.integers(1900, 2999).map(lambda year: PartialDate(date(year, 1, 1), date(year, 12, 31)))
SPANS = st.tuples(DAYS, DAYS).map(lambda ends: PartialDate(min(ends), max(ends)))
PARTIAL_DATES = st.one_of(DAY_DATES, MONTH_DATES, YEAR_DATES, SPANS)


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "shown"),
    [
        ("2022-01-17/2022-02-11", date(2022, 1, 17), date(2022, 2, 11), "2022-01-17/2022-02-11"),
        ("2024-02/2024-03", date(2024, 2, 1), date(2024, 3, 31), "2024-02/2024-03"),
        # A start on 1 January is written as its year, so this reads "from 2024 to March 2024":
        # odd, but it means the same days and reads back as them.
        ("2024-01/2024-03", date(2024, 1, 1), date(2024, 3, 31), "2024/2024-03"),
        ("2023/2024", date(2023, 1, 1), date(2024, 12, 31), "2023/2024"),
        ("2024-01-01/2024-12-31", date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ("2024-02-01/2024-02-29", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2024-05-05/2024-05-05", date(2024, 5, 5), date(2024, 5, 5), "2024-05-05"),
        ("2024-05/2024-05-20", date(2024, 5, 1), date(2024, 5, 20), "2024-05/2024-05-20"),
    ],
)
def test_a_span_is_every_day_from_its_start_to_its_end_written_as_briefly_as_it_can_be(text, earliest, latest, shown):
    span = PartialDate.parse(text)
    assert (span.earliest, span.latest, str(span)) == (earliest, latest, shown)


def test_a_span_that_ends_before_it_starts_is_refused():
    with pytest.raises(DateSyntaxError, match="the interval ends before it starts"):
        PartialDate.parse("2024-03/2024-02")


def test_a_span_is_told_in_words_as_between_two_days():
    assert PartialDate.parse("2022-01-17/2022-02-11").human() == "between 17 January 2022 and 11 February 2022"


@given(PARTIAL_DATES)
def test_any_partial_date_reads_back_from_its_text(when):
    assert PartialDate.parse(str(when)) == when


@given(PARTIAL_DATES)
def test_nothing_is_surely_before_itself(when):
    assert not when.surely_before(when)


@given(PARTIAL_DATES, PARTIAL_DATES)
def test_surely_before_is_never_both_ways(first, second):
    assert not (first.surely_before(second) and second.surely_before(first))


@given(PARTIAL_DATES, PARTIAL_DATES, PARTIAL_DATES)
def test_surely_before_is_transitive(first, second, third):
    if first.surely_before(second) and second.surely_before(third):
        assert first.surely_before(third)


@given(PARTIAL_DATES, PARTIAL_DATES)
def test_surely_before_means_every_day_of_one_precedes_every_day_of_the_other(first, second):
    assert first.surely_before(second) == (first.latest < second.earliest)


@given(PARTIAL_DATES, DAYS)
def test_what_surely_happened_by_a_day_surely_happened_by_the_next(when, day):
    if when.surely_by(day) and day < date(2999, 12, 31):
        assert when.surely_by(day + timedelta(days=1))
        assert when.possibly_by(day)


@given(PARTIAL_DATES, DAYS)
def test_a_date_surely_happened_by_a_day_exactly_when_it_is_surely_before_the_next_day(when, day):
    if day < date(2999, 12, 31):
        assert when.surely_by(day) == when.surely_before(PartialDate.of(day + timedelta(days=1)))

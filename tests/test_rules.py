"""The rules a force file keeps beyond its types (peelcli.rules.check_force), one at a time, on
plain data: each test builds a minimal file, changes the part a rule is about, and reads the
problems the rule gives, with their severity and the path they point at."""

from __future__ import annotations

from datetime import date

import pytest

from peelcli.rules import check_force
from records_kit import LETTER, SLUG, TODAY, area, build, cause, change, closure, holder, rec


def problems(force, *, slug: str | None = SLUG, today: date = TODAY) -> list[tuple[str, tuple, str]]:
    """(severity, path, message) of every problem ``check_force`` finds."""
    return [(p.severity, p.path, p.message) for p in check_force(force, slug=slug, today=today)]


def errors(force, **kwargs) -> list[tuple[tuple, str]]:
    return [(path, message) for severity, path, message in problems(force, **kwargs) if severity == "error"]


def warnings(force, **kwargs) -> list[tuple[tuple, str]]:
    return [(path, message) for severity, path, message in problems(force, **kwargs) if severity == "warning"]


def test_the_minimal_file_breaks_no_rule():
    assert problems(build()) == []


# -- slug and ids -------------------------------------------------------------------------------


def test_a_slug_that_differs_from_the_file_name_is_an_error_at_the_slug():
    assert errors(build(), slug="other-force") == [
        (
            ("slug",),
            "slug 'test-force' does not match the file name 'other-force.yaml': rename the file or fix the slug",
        )
    ]


def test_without_a_file_name_the_slug_is_not_compared():
    assert errors(build(), slug=None) == []


def test_an_id_used_twice_is_an_error_at_the_second_pointing_back_at_the_first():
    twice = [cause("coc-1", "2024-01-10", recommendations=[rec(f"rec-{n}")]) for n in (1, 2)]
    (found,) = check_force(build(causes_of_concern=twice), slug=SLUG, today=TODAY)
    assert found.message == "id 'coc-1' is already used in this file: ids must be unique"
    assert (found.path, found.see) == (("causes_of_concern", 1, "id"), ("causes_of_concern", 0, "id"))


def test_ids_must_be_unique_across_kinds_of_entry():
    force = build(causes_of_concern=[cause("x-1", "2024-01-10")], areas_for_improvement=[area("x-1", "2024-01-10")])
    assert [path for path, _ in errors(force)] == [("areas_for_improvement", 0, "id")]


# -- citations ----------------------------------------------------------------------------------


def test_citing_an_unknown_source_is_an_error_suggesting_the_nearest_id():
    force = build(areas_for_improvement=[{**area("afi-1", "2024-01-10"), "sources": ["leter"]}])
    assert errors(force) == [
        (("areas_for_improvement", 0, "sources", 0), "no source with id 'leter': did you mean 'letter'?")
    ]


def test_citing_an_unknown_source_unlike_any_is_an_error_saying_what_to_do():
    force = build(areas_for_improvement=[{**area("afi-1", "2024-01-10"), "sources": ["zzz-9"]}])
    assert errors(force) == [
        (("areas_for_improvement", 0, "sources", 0), "no source with id 'zzz-9': add it under sources, or fix the id")
    ]


def test_a_dated_fact_citing_no_source_is_a_warning_at_its_empty_sources():
    force = build(areas_for_improvement=[{**area("afi-1", "2024-01-10"), "sources": []}])
    assert warnings(force) == [
        (
            ("areas_for_improvement", 0, "sources"),
            "cites no source: add the id (or, with peel, the URL) of the document this comes from",
        )
    ]


def test_a_dated_fact_without_a_sources_key_is_warned_about_at_the_entry():
    entry = area("afi-1", "2024-01-10")
    del entry["sources"]
    assert [path for path, _ in warnings(build(areas_for_improvement=[entry]))] == [("areas_for_improvement", 0)]


def test_a_source_needs_a_url_or_the_documents_that_record_it():
    meeting = {"id": "ppog", "kind": "ppog-meeting", "title": "PPOG", "held_on": "2024-03-01"}
    assert errors(build(sources=[LETTER, meeting])) == [
        (("sources", 1, "id"), "source 'ppog' needs a url, or recorded_in naming the documents that record it")
    ]
    assert errors(build(sources=[LETTER, {**meeting, "recorded_in": ["letter"]}])) == []


def test_recorded_in_must_name_a_known_source():
    meeting = {"id": "ppog", "kind": "ppog-meeting", "title": "PPOG", "recorded_in": ["minutes"]}
    assert [path for path, _ in errors(build(sources=[LETTER, meeting]))] == [("sources", 1, "recorded_in", 0)]


def test_an_uncertainty_must_name_a_cause_recommendation_or_area_that_exists():
    doubt = {"about": "closure", "note": "unclear", "subjects": ["coc-1", "coc-1-rec", "coc-9"], "sources": ["letter"]}
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10")], uncertainties=[doubt])
    assert errors(force) == [(("uncertainties", 0, "subjects", 2), "no cause, recommendation or area with id 'coc-9'")]


# -- phase changes ------------------------------------------------------------------------------


def test_every_force_starts_in_scan_so_a_first_change_into_scan_is_an_error():
    assert errors(build(phase_changes=[change("scan", "2024-01-05")])) == [
        (
            ("phase_changes", 0, "phase"),
            "a change into scan while already in scan: every force starts in scan, so the first change is into engage",
        )
    ]


def test_phase_changes_must_alternate():
    force = build(phase_changes=[change("engage", "2024-01-05"), change("engage", "2024-06-05")])
    assert errors(force) == [
        (
            ("phase_changes", 1, "phase"),
            "a change into engage while already in engage: changes must alternate between engage and scan",
        )
    ]


def test_a_phase_change_dated_the_same_day_as_the_previous_is_an_error():
    force = build(phase_changes=[change("engage", "2024-01-05"), change("scan", "2024-01-05")])
    assert errors(force) == [
        (
            ("phase_changes", 1, "decided_on"),
            "decided on 2024-01-05, not after the previous change (2024-01-05): phase changes must be in date order",
        )
    ]


def test_a_phase_change_dated_before_the_previous_is_an_error():
    force = build(phase_changes=[change("engage", "2024-01-05"), change("scan", "2024-01-04")])
    assert [path for path, _ in errors(force)] == [("phase_changes", 1, "decided_on")]


def test_a_phase_change_the_day_after_the_previous_is_in_order():
    force = build(phase_changes=[change("engage", "2024-01-05"), change("scan", "2024-01-06")])
    assert problems(force) == []


@pytest.mark.parametrize(
    ("previous", "later"),
    [("2024-01", "2024-01-20"), ("2024-01-05", "2024-01"), ("2024", "2024-06"), ("2024-01", "2024-01")],
    ids=["day-in-the-month-before", "month-after-a-day-in-it", "month-in-the-year-before", "same-month"],
)
def test_a_phase_change_that_cannot_be_told_apart_from_the_previous_is_a_warning(previous, later):
    force = build(phase_changes=[change("engage", previous), change("scan", later)])
    assert errors(force) == []
    assert warnings(force) == [
        (
            ("phase_changes", 1, "decided_on"),
            f"decided on {later}, which cannot be told apart from the previous change ({previous}): "
            "record a more exact date if the record has one",
        )
    ]


def test_a_month_dated_phase_change_after_the_previous_month_is_in_order():
    force = build(phase_changes=[change("engage", "2024-01"), change("scan", "2024-02")])
    assert problems(force) == []


def test_a_month_dated_phase_change_surely_before_the_previous_is_an_error():
    force = build(phase_changes=[change("engage", "2024-02-01"), change("scan", "2024-01")])
    assert [path for path, _ in errors(force)] == [("phase_changes", 1, "decided_on")]


def test_a_phase_change_published_before_it_was_decided_is_an_error():
    force = build(phase_changes=[change("engage", "2024-01-05", published_on="2024-01-04")])
    assert errors(force) == [
        (("phase_changes", 0, "published_on"), "published on 2024-01-04, before it was decided (2024-01-05)")
    ]


@pytest.mark.parametrize("published_on", ["2024-01-05", "2024-01-06", "2024-01"])
def test_a_phase_change_published_on_or_after_its_decision_or_not_surely_before_is_in_order(published_on):
    assert problems(build(phase_changes=[change("engage", "2024-01-05", published_on=published_on)])) == []


def test_an_overridden_assessment_must_record_its_reason():
    force = build(phase_changes=[change("engage", "2024-01-05", assessment_overridden=True)])
    assert errors(force) == [
        (("phase_changes", 0, "assessment_overridden"), "an overridden assessment must record its reason")
    ]
    with_reason = change("engage", "2024-01-05", assessment_overridden=True, reason="HMCI decided")
    assert problems(build(phase_changes=[with_reason])) == []


# -- closures -----------------------------------------------------------------------------------


def test_a_cause_closed_before_it_was_raised_is_an_error():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", closed_on="2024-01-09")])
    assert errors(force) == [
        (
            ("causes_of_concern", 0, "closure", "closed_on"),
            "closed on 2024-01-09, before the cause of concern was raised (2024-01-10)",
        ),
        (
            ("causes_of_concern", 0, "recommendations", 0, "closure", "closed_on"),
            "closed on 2024-01-09, before the cause of concern was raised (2024-01-10)",
        ),
    ]


@pytest.mark.parametrize("closed_on", ["2024-01-10", "2024-01", "2024"])
def test_a_closure_on_the_day_raised_or_not_surely_before_it_is_in_order(closed_on):
    assert errors(build(causes_of_concern=[cause("coc-1", "2024-01-10", closed_on=closed_on)])) == []


def test_a_month_dated_closure_the_month_before_a_month_dated_raising_is_an_error():
    force = build(causes_of_concern=[cause("coc-1", "2024-02", closed_on="2024-01")])
    assert len(errors(force)) == 2  # the cause, and its recommendation closed with it


def test_a_recommendation_closed_before_its_cause_was_raised_is_an_error():
    recs = [rec("rec-1", closed_on="2023-12-31")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-01", recommendations=recs)])
    assert [path for path, _ in errors(force)] == [
        ("causes_of_concern", 0, "recommendations", 0, "closure", "closed_on")
    ]


def test_an_area_for_improvement_closed_before_it_was_raised_is_an_error():
    force = build(areas_for_improvement=[area("afi-1", "2024-01-10", closed_on="2023-12")])
    assert errors(force) == [
        (
            ("areas_for_improvement", 0, "closure", "closed_on"),
            "closed on 2023-12, before the area for improvement was raised (2024-01-10)",
        )
    ]


def test_a_cause_closed_while_a_recommendation_is_open_is_an_error_naming_it():
    recs = [rec("rec-1", closed_on="2024-05-01"), rec("rec-2")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs, closed_on="2024-06-01")])
    assert errors(force) == [
        (
            ("causes_of_concern", 0, "closure"),
            "cause of concern 'coc-1' closed on 2024-06-01 while recommendation rec-2 is open: close it first, "
            "or record why under closure.reason",
        )
    ]


def test_a_cause_closed_while_recommendations_are_open_names_them_all():
    recs = [rec("rec-1"), rec("rec-2")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs, closed_on="2024-06-01")])
    ((_, message),) = errors(force)
    assert "while recommendations rec-1, rec-2 are open: close them first" in message


def test_a_cause_closed_with_open_recommendations_is_in_order_when_the_closure_says_why():
    recs = [rec("rec-1")]
    closed = cause("coc-1", "2024-01-10", recommendations=recs, closure=closure("2024-06-01", reason="superseded"))
    assert errors(build(causes_of_concern=[closed])) == []


def test_a_recommendation_closed_after_its_cause_is_an_error_at_its_closure():
    recs = [rec("rec-1", closed_on="2024-07-01")]
    closed = cause("coc-1", "2024-01-10", recommendations=recs, closure=closure("2024-06-01", reason="superseded"))
    assert errors(build(causes_of_concern=[closed])) == [
        (
            ("causes_of_concern", 0, "recommendations", 0, "closure", "closed_on"),
            "recommendation rec-1 closed on 2024-07-01, after its cause of concern 'coc-1' closed (2024-06-01): a "
            "closed cause's recommendations close by the day it does, or stay open with the reason its closure "
            "records",
        )
    ]


# -- recommendations ----------------------------------------------------------------------------


def test_a_cause_of_concern_without_recommendations_is_an_error():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[])])
    assert errors(force) == [
        (
            ("causes_of_concern", 0, "id"),
            "cause of concern 'coc-1' has no recommendations: list them, or say under "
            "recommendations_not_on_record that the record lacks them",
        )
    ]


def test_an_area_of_concern_needs_no_recommendations():
    force = build(causes_of_concern=[cause("aoc-1", "2024-01-10", recommendations=[], kind="area-of-concern")])
    assert problems(force) == []


def test_recommendations_not_on_record_is_a_warning_instead_of_the_error():
    missing = {"note": "the letter does not list them", "count": 3, "sources": ["letter"]}
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[], recommendations_not_on_record=missing)]
    )
    assert problems(force) == [
        (
            "warning",
            ("causes_of_concern", 0, "recommendations_not_on_record"),
            "recommendation texts of 'coc-1' are not on record: the letter does not list them",
        )
    ]


def test_a_count_of_missing_recommendations_below_those_listed_is_an_error():
    missing = {"note": "some are missing", "count": 1, "sources": ["letter"]}
    recs = [rec("rec-1"), rec("rec-2")]
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs, recommendations_not_on_record=missing)]
    )
    assert errors(force) == [
        (
            ("causes_of_concern", 0, "recommendations_not_on_record", "count"),
            "count 1 is fewer than the 2 recommendations listed",
        )
    ]


def test_a_count_equal_to_those_listed_is_in_order():
    missing = {"note": "some are missing", "count": 2, "sources": ["letter"]}
    recs = [rec("rec-1"), rec("rec-2")]
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs, recommendations_not_on_record=missing)]
    )
    assert errors(force) == []


def test_a_due_date_that_disagrees_with_a_fixed_deadline_is_an_error():
    recs = [rec("rec-1", deadline="By 31 March 2025", due="2025-03-30")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    assert errors(force) == [
        (
            ("causes_of_concern", 0, "recommendations", 0, "due"),
            "due 2025-03-30 disagrees with the deadline 'By 31 March 2025'",
        )
    ]


@pytest.mark.parametrize(
    ("deadline", "due"),
    [("By 31 March 2025", "2025-03-31"), ("By March 2025", "2025-03"), ("Within six months", "2024-05-01")],
    ids=["the-same-day", "the-same-month", "a-relative-deadline-is-not-compared"],
)
def test_a_due_date_that_agrees_with_the_deadline_or_has_no_fixed_one_is_in_order(deadline, due):
    recs = [rec("rec-1", deadline=deadline, due=due)]
    assert errors(build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])) == []


def test_a_due_date_before_the_cause_was_raised_is_a_warning():
    recs = [rec("rec-1", due="2024-01-09")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    assert warnings(force) == [
        (
            ("causes_of_concern", 0, "recommendations", 0, "due"),
            "due 2024-01-09, before the cause was raised (2024-01-10)",
        )
    ]


# -- dates in order, and none in the future -----------------------------------------------------


def test_an_officeholder_needs_a_start_or_a_day_a_source_names_them():
    force = build(chief_officers=[holder("A Chief")])
    assert errors(force) == [
        (
            ("chief_officers", 0, "name"),
            "say when A Chief was in post: 'from', or 'noted_on' (a day a source names them)",
        )
    ]
    assert errors(build(chief_officers=[holder("A Chief", noted_on="2024-01-10")])) == []


def test_an_officeholder_who_left_before_starting_is_an_error():
    force = build(chief_officers=[holder("A Chief", from_="2024-01-10", to="2024-01-09")])
    assert errors(force) == [(("chief_officers", 0, "to"), "to 2024-01-09 is before from 2024-01-10")]


@pytest.mark.parametrize("to", ["2024-01-10", "2024-01", "2024"])
def test_an_officeholder_who_left_the_day_they_started_or_not_surely_before_is_in_order(to):
    assert errors(build(chief_officers=[holder("A Chief", from_="2024-01-10", to=to)])) == []


def test_fieldwork_that_ends_before_it_starts_is_an_error():
    inspection = {"id": "peel-1", "title": "PEEL", "fieldwork_from": "2024-03-10", "fieldwork_to": "2024-03-01"}
    force = build(inspections=[{**inspection, "sources": ["letter"]}])
    assert errors(force) == [
        (("inspections", 0, "fieldwork_to"), "fieldwork_to 2024-03-01 is before fieldwork_from 2024-03-10")
    ]


def test_an_event_dated_the_day_after_today_is_an_error():
    force = build(areas_for_improvement=[area("afi-1", "2026-11-27")], record_checked_to="2026-11-26")
    assert errors(force) == [
        (
            ("areas_for_improvement", 0, "raised_on"),
            "raised_on 2026-11-27 is after today (2026-11-26): only due dates may lie in the future",
        )
    ]


@pytest.mark.parametrize("raised_on", ["2026-11-26", "2026-11", "2026"])
def test_an_event_dated_today_or_in_a_month_or_year_that_holds_today_is_not_in_the_future(raised_on):
    force = build(areas_for_improvement=[area("afi-1", raised_on)], record_checked_to="2026-11-26")
    assert errors(force) == []


def test_a_due_date_may_lie_in_the_future():
    recs = [rec("rec-1", due="2030-01-01")]
    assert errors(build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])) == []


# -- how far the record was checked -------------------------------------------------------------


def test_a_file_that_does_not_say_how_far_its_record_was_checked_gets_a_warning():
    data = build(record_checked_to=None, record_checked_note=None)
    assert [(path, message.split(":")[0]) for path, message in warnings(data)] == [
        (("slug",), "the file does not say how far this force's record was checked")
    ]


def test_record_checked_to_needs_a_note_on_what_was_searched():
    assert errors(build(record_checked_note=None)) == [
        (("record_checked_to",), "record_checked_to needs record_checked_note: say what was searched")
    ]


def test_a_fact_dated_after_record_checked_to_is_an_error_pointing_at_the_fact():
    force = build(record_checked_to="2024-06-30", areas_for_improvement=[area("afi-1", "2024-07-01")])
    (found,) = check_force(force, slug=SLUG, today=TODAY)
    assert found.message == (
        "record_checked_to 2024-06-30 is before a fact dated 2024-07-01: "
        "move it forward to the day the record was last searched"
    )
    assert (found.path, found.see) == (("record_checked_to",), ("areas_for_improvement", 0, "raised_on"))


@pytest.mark.parametrize("raised_on", ["2024-06-30", "2024-06", "2024"])
def test_a_fact_dated_on_record_checked_to_or_not_surely_after_it_is_in_order(raised_on):
    force = build(record_checked_to="2024-06-30", areas_for_improvement=[area("afi-1", raised_on)])
    assert problems(force) == []


def test_only_the_first_fact_beyond_record_checked_to_is_reported():
    later = [area("afi-1", "2024-07-01"), area("afi-2", "2024-08-01")]
    force = build(record_checked_to="2024-06-30", areas_for_improvement=later)
    assert len(errors(force)) == 1


def test_a_future_fact_is_reported_as_future_not_also_as_beyond_the_checked_record():
    force = build(record_checked_to="2024-06-30", areas_for_improvement=[area("afi-1", "2027-01-01")])
    assert [message.split(" is ")[0] for _, message in errors(force)] == ["raised_on 2027-01-01"]


def test_a_due_date_beyond_record_checked_to_is_in_order():
    recs = [rec("rec-1", due="2025-01-01")]
    force = build(
        record_checked_to="2024-06-30", causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)]
    )
    assert problems(force) == []


# -- all at once --------------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_run():
    force = build(
        phase_changes=[change("scan", "2024-01-05"), change("scan", "2024-01-05")],
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[])],
        areas_for_improvement=[{**area("coc-1", "2024-01-10"), "sources": ["nowhere"]}],
    )
    assert len(errors(force, slug="elsewhere")) == 7


# -- a source cannot report what happened after it -----------------------------------------------


def dated_letter(**dates: str) -> dict:
    """The test's letter with dates: ``sent_on``, ``published_on``, ``held_on``."""
    return {**LETTER, **dates}


SOURCE_BEFORE = "a document cannot report what happened after it; cite the one that reports it"


@pytest.mark.parametrize(
    ("dates", "fact", "refused"),
    [
        ({"sent_on": "2024-05-01"}, "2024-05-01", False),  # the letter of the day
        ({"sent_on": "2024-05-02"}, "2024-05-01", False),  # reported later
        ({"sent_on": "2024-04-30"}, "2024-05-01", True),
        ({"sent_on": "2024-05"}, "2024-05-20", False),  # a month that may hold the day
        ({"sent_on": "2024-04"}, "2024-05", True),
        ({"published_on": "2024-04-30"}, "2024-05", True),
        ({"held_on": "2024-04-30"}, "2024-05-01", True),  # a meeting, like a document
        ({"sent_on": "2024-04-30", "published_on": "2024-06-01"}, "2024-05-01", True),  # written when first sent
        ({}, "2024-05-01", False),  # a source with no date: peel cannot tell
        # a span may begin the day after a source that shows it had not happened yet
        ({"sent_on": "2025-04-04"}, "2025-04-05/2025-05-22", False),
        ({"sent_on": "2025-04-03"}, "2025-04-05/2025-05-22", True),
    ],
)
def test_a_fact_citing_a_source_surely_dated_before_it_is_an_error_at_the_citation(dates, fact, refused):
    closed = cause("coc-1", "2024-01", recommendations=[rec("rec-1")], closure=closure(fact, reason="superseded"))
    found = errors(build(causes_of_concern=[closed], sources=[dated_letter(**dates)]))
    expected_path = ("causes_of_concern", 0, "closure", "sources", 0)
    assert [(path, SOURCE_BEFORE in message) for path, message in found] == ([(expected_path, True)] if refused else [])


@pytest.mark.parametrize(
    ("where", "data", "message"),
    [
        (
            ("phase_changes", 0, "sources", 0),
            {"phase_changes": [change("engage", "2024-06-01")]},
            "source 'letter' was sent on 2024-05-01, before the phase change it is cited for (decided_on 2024-06-01)",
        ),
        (
            ("causes_of_concern", 0, "sources", 0),
            {"causes_of_concern": [cause("coc-1", "2024-06", recommendations=[rec("rec-1")])]},
            "source 'letter' was sent on 2024-05-01, before the cause of concern raised it is cited for (raised_on "
            "2024-06)",
        ),
        (
            ("causes_of_concern", 0, "recommendations", 0, "closure", "sources", 0),
            {"causes_of_concern": [cause("coc-1", "2024-01", recommendations=[rec("rec-1", closed_on="2024-06")])]},
            "source 'letter' was sent on 2024-05-01, before the closure it is cited for (closed_on 2024-06)",
        ),
        (
            ("areas_for_improvement", 0, "sources", 0),
            {"areas_for_improvement": [area("afi-1", "2024-06-01")]},
            "source 'letter' was sent on 2024-05-01, before the area for improvement raised it is cited for "
            "(raised_on 2024-06-01)",
        ),
        (
            ("areas_for_improvement", 0, "closure", "sources", 0),
            {"areas_for_improvement": [area("afi-1", "2024-01", closed_on="2024-06-01")]},
            "source 'letter' was sent on 2024-05-01, before the closure it is cited for (closed_on 2024-06-01)",
        ),
    ],
)
def test_closures_phase_changes_and_what_was_raised_are_judged_at_their_citations(where, data, message):
    assert errors(build(sources=[dated_letter(sent_on="2024-05-01")], **data)) == [
        (where, f"{message}: {SOURCE_BEFORE}")
    ]


def test_other_dates_resolutions_and_metrics_may_cite_an_earlier_source():
    """A letter may give ahead the day a move takes effect, a resolution's source comes before it,
    and a figure or an inspection may be announced ahead: none of these is judged by the source's date."""
    moved = change(
        "engage",
        "2024-05-01",
        other_reported_dates=[{"date": "2024-06-01", "note": "takes effect", "sources": ["letter"]}],
    )
    doubt = {
        "about": "x",
        "note": "y",
        "resolution": {"resolved_on": "2024-09", "evidence": "z", "sources": ["letter"]},
    }
    figure = {"name": "m", "period_end": "2024-12-31", "value": 1, "unit": "u", "sources": ["letter"]}
    force = build(
        sources=[dated_letter(sent_on="2024-05-01")], phase_changes=[moved], uncertainties=[doubt], metrics=[figure]
    )
    assert errors(force) == []


@pytest.mark.parametrize(
    ("sources", "refused"),
    [
        ([dated_letter(sent_on="2024-05-01")], True),
        ([dated_letter(sent_on="2024-05-01"), {**LETTER, "id": "later", "sent_on": "2024-07-01"}], False),
        ([dated_letter(sent_on="2024-05-01"), {**LETTER, "id": "later"}], False),  # one undated: cannot tell
        ([dated_letter(sent_on="2024-06")], False),
    ],
)
def test_noted_on_after_every_source_an_officeholder_cites_is_an_error(sources, refused):
    holder_cites = holder("A Chief", noted_on="2024-06-15", sources=[s["id"] for s in sources])
    found = errors(build(sources=sources, chief_officers=[holder_cites]))
    expected = [
        (
            ("chief_officers", 0, "noted_on"),
            "noted_on 2024-06-15 is after every source cited was dated (the latest sent on 2024-05-01): noted_on is "
            "a day a source names them in post; give that day, or cite the source that names them then",
        )
    ]
    assert found == (expected if refused else [])


def test_a_fact_after_today_is_reported_as_such_and_not_again_for_its_source():
    force = build(areas_for_improvement=[area("afi-1", "2026-12")], sources=[dated_letter(sent_on="2024-05-01")])
    assert [message for _, message in errors(force)] == [
        "raised_on 2026-12 is after today (2026-11-26): only due dates may lie in the future"
    ]

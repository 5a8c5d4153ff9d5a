"""The ledger as it stood on a day (peelcli.timeline), on plain data: a fact counts once it has
surely happened, a partial date counts only once its last possible day is past, and the start
of a day is not its end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelcli.dates import PartialDate
from peelcli.timeline import (
    doubted_by,
    doubtful,
    doubts,
    due_of,
    events,
    happened,
    in_post,
    phase_changes_by,
    standing,
)
from records_kit import LETTER, area, build, cause, change, holder, rec


def on(text: str) -> date:
    return date.fromisoformat(text)


# -- happened -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "as_of", "expected"),
    [
        ("2024-07-15", "2024-07-14", False),
        ("2024-07-15", "2024-07-15", True),
        ("2024-07-15", "2024-07-16", True),
        ("2024-07", "2024-07-30", False),
        ("2024-07", "2024-07-31", True),
        ("2024", "2024-12-30", False),
        ("2024", "2024-12-31", True),
        ("2024-07-10/2024-08-05", "2024-08-04", False),
        ("2024-07-10/2024-08-05", "2024-08-05", True),
    ],
)
def test_a_date_has_happened_once_its_last_possible_day_has_come(when, as_of, expected):
    assert happened(PartialDate.parse(when), on(as_of)) is expected


def test_nothing_has_happened_that_has_no_date():
    assert not happened(None, on("2030-01-01"))


# -- phase --------------------------------------------------------------------------------------


def test_a_force_with_no_phase_change_is_in_scan():
    found = standing(build(), on("2026-01-01"))
    assert (found.phase, found.since, found.days_in_phase) == ("scan", None, None)


def test_a_phase_change_counts_from_the_end_of_its_day():
    force = build(phase_changes=[change("engage", "2024-01-05")])
    assert standing(force, on("2024-01-04")).phase == "scan"
    assert standing(force, on("2024-01-05")).phase == "engage"
    assert standing(force, on("2024-01-05"), start_of_day=True).phase == "scan"
    assert standing(force, on("2024-01-06"), start_of_day=True).phase == "engage"


def test_phase_changes_by_the_start_of_a_day_leave_out_that_days_change():
    force = build(phase_changes=[change("engage", "2024-01-05"), change("scan", "2024-06-05")])
    assert [c.phase for c in phase_changes_by(force, on("2024-06-05"))] == ["engage", "scan"]
    assert [c.phase for c in phase_changes_by(force, on("2024-06-05"), start_of_day=True)] == ["engage"]
    assert [c.phase for c in phase_changes_by(force, on("2024-06-04"))] == ["engage"]
    assert phase_changes_by(force, on("2024-01-05"), start_of_day=True) == []


def test_a_month_dated_phase_change_counts_only_once_the_month_is_over():
    force = build(phase_changes=[change("engage", "2024-01")])
    assert standing(force, on("2024-01-30")).phase == "scan"
    assert standing(force, on("2024-01-31")).phase == "engage"
    assert standing(force, on("2024-01-31"), start_of_day=True).phase == "scan"
    assert standing(force, on("2024-02-01"), start_of_day=True).phase == "engage"


def test_days_in_phase_count_surely_from_the_latest_day_and_at_most_from_the_earliest():
    found = standing(build(phase_changes=[change("engage", "2024-01")]), on("2024-03-01"))
    assert (found.days_in_phase, found.days_in_phase_at_most) == (30, 60)
    exact = standing(build(phase_changes=[change("engage", "2024-01-05")]), on("2024-01-05"))
    assert (exact.days_in_phase, exact.days_in_phase_at_most) == (0, 0)


def test_the_latest_change_in_effect_gives_the_phase():
    force = build(phase_changes=[change("engage", "2022-06-01"), change("scan", "2023-05-01")])
    assert standing(force, on("2023-04-30")).phase == "engage"
    assert standing(force, on("2023-05-01")).phase == "scan"
    assert standing(force, on("2023-05-01")).since.decided_on == PartialDate.parse("2023-05-01")


# -- causes, recommendations, areas -------------------------------------------------------------


def test_a_cause_counts_from_the_day_it_was_raised():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10")])
    assert standing(force, on("2024-01-09")).causes == ()
    assert [c.cause.id for c in standing(force, on("2024-01-10")).causes] == ["coc-1"]


def test_a_month_dated_cause_counts_only_once_the_month_is_over_and_is_pending_until_then():
    force = build(causes_of_concern=[cause("coc-1", "2024-01")])
    during = standing(force, on("2024-01-15"))
    assert during.causes == ()
    assert [e.kind for e in during.pending] == ["cause-raised"]
    after = standing(force, on("2024-01-31"))
    assert [c.cause.id for c in after.causes] == ["coc-1"]
    assert after.pending == ()


def test_a_closure_counts_from_its_day():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", closed_on="2024-06-01")])
    assert standing(force, on("2024-05-31")).open_causes[0].cause.id == "coc-1"
    assert standing(force, on("2024-06-01")).open_causes == ()


def test_a_month_dated_closure_counts_only_once_the_month_is_over():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", closed_on="2024-06")])
    assert standing(force, on("2024-06-29")).causes[0].status == "open"
    assert standing(force, on("2024-06-29")).open_recommendations[0].recommendation.id == "coc-1-rec"
    done = standing(force, on("2024-06-30"))
    assert done.causes[0].status == "closed"
    assert done.causes[0].closed_on == PartialDate.parse("2024-06")
    assert done.open_recommendations == ()


def test_a_closure_that_surely_happened_by_a_day_still_counts_the_day_after():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", closed_on="2024")])
    for as_of in (on("2024-12-31"), on("2025-01-01"), on("2030-06-30")):
        assert standing(force, as_of).causes[0].status == "closed"


def test_closed_and_open_recommendations_are_counted_per_cause():
    recs = [rec("rec-1", closed_on="2024-03-01"), rec("rec-2", closed_on="2024-05"), rec("rec-3")]
    found = standing(build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)]), on("2024-04-01"))
    (standing_cause,) = found.causes
    assert standing_cause.recommendations_closed == 1
    assert [r.recommendation.id for r in standing_cause.recommendations_open] == ["rec-2", "rec-3"]
    assert standing_cause.recommendations_total == 3


def test_a_cause_whose_recommendations_are_not_on_record_has_the_count_the_record_gives():
    missing = {"note": "not listed", "count": 4, "sources": ["letter"]}
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[], recommendations_not_on_record=missing)]
    )
    assert standing(force, on("2024-02-01")).causes[0].recommendations_total == 4
    del missing["count"]
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[], recommendations_not_on_record=missing)]
    )
    assert standing(force, on("2024-02-01")).causes[0].recommendations_total is None


def test_a_cause_an_uncertainty_names_is_marked_uncertain():
    doubt = {"about": "closure", "note": "unclear", "subjects": ["coc-1"], "sources": ["letter"]}
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10"), cause("coc-2", "2024-01-10")], uncertainties=[doubt])
    assert [c.uncertain for c in standing(force, on("2024-02-01")).causes] == [True, False]


def dated_doubt(start: str | None = None, resolved: str | None = None, subjects=("coc-1",)) -> dict:
    """An uncertainty naming ``subjects``, beginning on ``start`` and settled on ``resolved``."""
    found: dict = {"about": "after the return", "note": "nothing later found", "subjects": list(subjects)}
    if start is not None:
        found["from"] = start
    if resolved is not None:
        found["resolution"] = {"resolved_on": resolved, "evidence": "a letter", "sources": ["letter"]}
    return found


# (start, resolved, as-of day, whether coc-1 is in doubt that day): a doubt counts once it may
# have begun (the first day of a month, year or span it is dated to), and until it is surely settled.
DOUBT_CASES = [
    (None, None, "2023-01-11", True),
    ("2024-09-19", None, "2024-09-18", False),
    ("2024-09-19", None, "2024-09-19", True),
    ("2024-09-19", None, "2026-01-16", True),
    ("2024-09", None, "2024-08-31", False),
    ("2024-09", None, "2024-09-01", True),
    ("2024", None, "2023-12-31", False),
    ("2024", None, "2024-01-01", True),
    ("2024-03-06/2024-04-20", None, "2024-03-05", False),
    ("2024-03-06/2024-04-20", None, "2024-03-06", True),
    ("2024-09-19", "2025-03-01", "2025-02-28", True),
    ("2024-09-19", "2025-03-01", "2025-03-01", False),
    ("2024-09-19", "2025-03", "2025-03-30", True),
    ("2024-09-19", "2025-03", "2025-03-31", False),
    ("2024-09-19", "2025-03-01", "2024-09-18", False),
    (None, "2025-03-01", "2023-01-11", True),
]


@pytest.mark.parametrize(("start", "resolved", "as_of", "expected"), DOUBT_CASES)
def test_a_doubt_holds_from_the_first_day_it_may_have_begun_until_it_is_surely_settled(
    start, resolved, as_of, expected
):
    force = build(causes_of_concern=[cause("coc-1", "2023-01-10")], uncertainties=[dated_doubt(start, resolved)])
    assert ("coc-1" in doubtful(force, on(as_of))) is expected
    found = standing(force, on(as_of))
    assert [c.uncertain for c in found.causes] == [expected]
    assert [r.uncertain for r in found.causes[0].recommendations] == [False], "only the subjects named are in doubt"


def test_a_cause_open_at_a_return_is_certain_that_day_and_in_doubt_from_the_next():
    """West Midlands: the cause and its recommendation open at the return of 18 September 2024."""
    doubt = dated_doubt("2024-09-19", subjects=("coc-1", "coc-1-rec"))
    force = build(
        phase_changes=[change("engage", "2023-11-22"), change("scan", "2024-09-18")],
        causes_of_concern=[cause("coc-1", "2023-09")],
        uncertainties=[doubt],
    )
    at_return, after = standing(force, on("2024-09-18")), standing(force, on("2024-09-19"))
    assert (at_return.causes[0].uncertain, at_return.causes[0].recommendations[0].uncertain) == (False, False)
    assert (after.causes[0].uncertain, after.causes[0].recommendations[0].uncertain) == (True, True)


def test_each_subject_in_doubt_has_the_first_day_any_doubt_naming_it_may_begin():
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10"), cause("coc-2", "2024-01-10")],
        uncertainties=[
            dated_doubt("2024-09", subjects=("coc-1", "coc-2")),
            dated_doubt("2024-06-03", subjects=("coc-2",)),
            dated_doubt("2024-05-01", "2024-08-01", subjects=("coc-1",)),
        ],
    )
    assert doubts(force, on("2024-07-01")) == {"coc-1": on("2024-05-01"), "coc-2": on("2024-06-03")}
    assert doubts(force, on("2024-09-02")) == {"coc-1": on("2024-09-01"), "coc-2": on("2024-06-03")}
    assert doubts(build(uncertainties=[dated_doubt(subjects=())]), on("2024-09-02")) == {}


@pytest.mark.parametrize(
    ("start", "fact", "expected"),
    [
        (None, "2024-09-18", False),
        ("2024-09-19", "2024-09-18", False),
        ("2024-09-19", "2024-09-19", True),
        ("2024-09-19", "2024-09", True),
        ("2024-09-19", "2024-09-01/2024-09-18", False),
        ("2024-09-19", None, True),
    ],
)
def test_a_fact_falls_within_a_doubt_when_it_may_lie_on_or_after_its_first_day(start, fact, expected):
    begins = None if start is None else on(start)
    assert doubted_by(begins, None if fact is None else PartialDate.parse(fact)) is expected


def test_an_area_counts_from_when_raised_and_closes_once_its_closure_surely_happened():
    force = build(areas_for_improvement=[area("afi-1", "2024-01-10", closed_on="2024-06")])
    assert standing(force, on("2024-01-09")).areas == ()
    assert [a.status for a in standing(force, on("2024-06-29")).areas] == ["open"]
    assert [a.status for a in standing(force, on("2024-06-30")).areas] == ["closed"]


# -- overdue ------------------------------------------------------------------------------------


def overdue_on(as_of: str, **recommendation) -> int | None:
    recs = [rec("rec-1", **recommendation)]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    (found,) = standing(force, on(as_of)).causes[0].recommendations
    return found.days_overdue


def test_a_recommendation_is_not_overdue_on_its_due_day_and_one_day_overdue_the_day_after():
    assert overdue_on("2024-07-09", deadline="Within six months") is None
    assert overdue_on("2024-07-10", deadline="Within six months") is None
    assert overdue_on("2024-07-11", deadline="Within six months") == 1


def test_a_month_dated_due_date_is_overdue_only_after_the_month():
    assert overdue_on("2024-05-31", due="2024-05") is None
    assert overdue_on("2024-06-01", due="2024-05") == 1


def test_a_closed_recommendation_is_never_overdue():
    assert overdue_on("2025-01-01", deadline="Within six months", closed_on="2024-12-01") is None


def test_a_recommendation_closed_after_the_day_asked_about_was_overdue_that_day():
    assert overdue_on("2024-08-10", deadline="Within six months", closed_on="2024-12-01") == 31


def test_a_recommendation_with_no_deadline_is_never_overdue():
    assert overdue_on("2030-01-01") is None


def test_due_of_gives_the_basis_of_the_due_date():
    recs = [rec("rec-1", deadline="Within three months"), rec("rec-2", due="2024-12-31")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=recs)])
    found = force.causes_of_concern[0]
    assert [due_of(r, found).basis for r in found.recommendations] == ["derived", "stated"]
    assert str(due_of(found.recommendations[0], found)) == "2024-04-10"


def test_a_derived_due_date_from_a_month_is_shown_as_by_its_latest_day():
    recs = [rec("rec-1", deadline="Within three months")]
    force = build(causes_of_concern=[cause("coc-1", "2024-01", recommendations=recs)])
    assert str(due_of(force.causes_of_concern[0].recommendations[0], force.causes_of_concern[0])) == "by 2024-04-30"


# -- who is in post -----------------------------------------------------------------------------


def chief_on(as_of: str, *holders) -> str | None:
    found = in_post(build(chief_officers=list(holders)).chief_officers, on(as_of))
    return found.name if found else None


def test_an_officeholder_is_in_post_from_their_first_day():
    assert chief_on("2024-01-09", holder("A", from_="2024-01-10")) is None
    assert chief_on("2024-01-10", holder("A", from_="2024-01-10")) == "A"


def test_an_officeholder_is_in_post_on_their_last_day_and_not_after():
    assert chief_on("2024-06-30", holder("A", from_="2020", to="2024-06-30")) == "A"
    assert chief_on("2024-07-01", holder("A", from_="2020", to="2024-06-30")) is None


def test_an_officeholder_who_left_during_a_month_is_in_post_until_the_month_is_over():
    assert chief_on("2024-06-30", holder("A", from_="2020", to="2024-06")) == "A"
    assert chief_on("2024-07-01", holder("A", from_="2020", to="2024-06")) is None


def test_an_officeholder_who_started_during_a_month_is_in_post_once_the_month_is_over():
    assert chief_on("2024-06-29", holder("A", from_="2024-06")) is None
    assert chief_on("2024-06-30", holder("A", from_="2024-06")) == "A"


def test_a_day_a_source_names_someone_stands_for_their_start():
    assert chief_on("2024-03-01", holder("A", noted_on="2024-03-01")) == "A"
    assert chief_on("2024-02-29", holder("A", noted_on="2024-03-01")) is None


def test_the_latest_to_start_is_in_post():
    holders = (holder("A", from_="2018-01-01"), holder("B", from_="2022-05-01"), holder("C", from_="2025-01-01"))
    assert chief_on("2024-01-01", *holders) == "B"
    assert chief_on("2025-01-01", *holders) == "C"
    assert chief_on("2019-01-01", *holders) == "A"


def test_no_one_is_in_post_before_anyone_started():
    assert chief_on("2010-01-01", holder("A", from_="2018-01-01")) is None


# -- events -------------------------------------------------------------------------------------


def test_events_come_in_date_order_and_on_one_day_in_a_fixed_order_of_kinds():
    force = build(
        phase_changes=[change("engage", "2024-01-10")],
        causes_of_concern=[cause("coc-1", "2024-01-10", closed_on="2024-02")],
        areas_for_improvement=[area("afi-1", "2024-01-10")],
        inspections=[{"id": "peel", "title": "PEEL", "fieldwork_from": "2023-11-06", "sources": ["letter"]}],
    )
    assert [(str(e.on), e.kind) for e in events(force)] == [
        ("2023-11-06", "inspection"),
        ("2024-01-10", "cause-raised"),
        ("2024-01-10", "area-raised"),
        ("2024-01-10", "phase-change"),
        ("2024-02", "recommendation-closed"),
        ("2024-02", "cause-closed"),
    ]


def test_a_partial_date_sorts_by_its_earliest_day_then_its_latest():
    force = build(areas_for_improvement=[area("afi-2", "2024-01"), area("afi-1", "2024-01-01"), area("afi-3", "2024")])
    assert [e.subject for e in events(force)] == ["afi-1", "afi-2", "afi-3"]


def test_a_letter_published_the_day_it_was_sent_is_one_event():
    letter = {**LETTER, "sent_on": "2024-09-18", "published_on": "2024-09-18"}
    assert [e.kind for e in events(build(sources=[letter]))] == ["letter"]
    letter = {**LETTER, "sent_on": "2024-09-18", "published_on": "2024-09-20"}
    assert [e.kind for e in events(build(sources=[letter]))] == ["letter", "publication"]


def test_a_phase_change_announced_on_another_day_is_a_second_event():
    force = build(phase_changes=[change("engage", "2024-01-05", published_on="2024-01-12", decided_by="HMCI")])
    assert [(str(e.on), e.kind, e.summary) for e in events(force)] == [
        ("2024-01-05", "phase-change", "Moved into Engage (decided by HMCI)"),
        ("2024-01-12", "phase-change-announced", "Moved into Engage: announced"),
    ]


def test_a_meeting_and_fieldwork_sources_are_events():
    sources = [
        LETTER,
        {"id": "ppog", "kind": "ppog-meeting", "title": "PPOG", "held_on": "2024-03-01", "recorded_in": ["letter"]},
        {
            "id": "report",
            "kind": "inspection-report",
            "title": "PEEL 2023",
            "url": "https://example.org/r",
            "fieldwork_from": "2023-11-06",
            "fieldwork_to": "2023-11-17",
        },
    ]
    assert [(str(e.on), e.kind, e.summary) for e in events(build(sources=sources))] == [
        ("2023-11-06", "inspection", "Inspection fieldwork (2023-11-06 to 2023-11-17): PEEL 2023"),
        ("2024-03-01", "meeting", "Meeting: PPOG"),
    ]


def test_standing_lists_only_events_surely_past_and_as_pending_those_that_may_be():
    force = build(
        areas_for_improvement=[area("afi-1", "2024-01-10"), area("afi-2", "2024-02"), area("afi-3", "2024-03")]
    )
    found = standing(force, on("2024-02-15"))
    assert [e.subject for e in found.events] == ["afi-1"]
    assert [e.subject for e in found.pending] == ["afi-2"]


# -- properties ---------------------------------------------------------------------------------

PARTIAL = st.one_of(
    st.dates(date(1990, 1, 1), date(2100, 12, 31)).map(PartialDate.of),
    st.builds(PartialDate.month, st.integers(1990, 2100), st.integers(1, 12)),
    st.integers(1990, 2100).map(lambda y: PartialDate.parse(str(y))),
)


@given(PARTIAL, st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.integers(1, 5000))
def test_what_has_happened_by_a_day_has_still_happened_any_later_day(when, as_of, days):
    if happened(when, as_of):
        assert happened(when, as_of + timedelta(days=days))


@given(st.lists(PARTIAL, min_size=1, max_size=4, unique=True), st.dates(date(1990, 1, 2), date(2100, 12, 31)))
def test_the_phase_at_the_start_of_a_day_is_the_phase_at_the_end_of_the_day_before(days, as_of):
    ordered = sorted(days, key=PartialDate.sort_key)
    phases = ["engage", "scan"] * len(ordered)
    force = build(
        phase_changes=[change(phase, str(when)) for phase, when in zip(phases, ordered, strict=False)],
        record_checked_to=None,
        record_checked_note=None,
    )
    assert phase_changes_by(force, as_of, start_of_day=True) == phase_changes_by(force, as_of - timedelta(days=1))
    assert standing(force, as_of, start_of_day=True).phase == standing(force, as_of - timedelta(days=1)).phase

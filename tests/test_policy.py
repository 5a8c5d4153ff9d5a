"""peel assess's policy, rule by rule: records built from plain values, judged directly.

Each test states one rule of the default policy (``src/peelcli/policy.yaml``) or one of its
boundaries; docs/policy.md's table checks the same rules against every real decision on record.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import DATA
from peelcli.assess import (
    ARGUABLE,
    JUSTIFIED,
    NOT_JUSTIFIED,
    VERDICT_KIND,
    assess,
    precedent_book,
    verdict_sentence,
)
from peelcli.files import display_path
from peelcli.policy import DEFAULT_POLICY, policy_problems
from peelcli.schema.records import validate

SOURCES = [
    {"id": "report", "kind": "inspection-report", "title": "PEEL report", "url": "https://example.org/report"},
    {"id": "revisit", "kind": "revisit-letter", "title": "Revisit letter", "url": "https://example.org/revisit"},
]


def _numbers(value):
    """YAML floats as the exact Decimals the policy reader gives."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return Decimal(str(value)) if isinstance(value, float) else value


def policy(**changes):
    """The default policy with ``section__key=value`` thresholds changed."""
    data = _numbers(yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8")))
    for name, value in changes.items():
        section, key = name.split("__")
        data[section][key]["value"] = Decimal(str(value))
    return validate("Policy", data)


DEFAULT = policy()


def rec(rec_id, *, due=None, closed=None, sources=()):
    found = {"id": rec_id, "text": f"do {rec_id}", "sources": list(sources)}
    if due:
        found["due"] = due
    if closed:
        found["closure"] = {"closed_on": closed, "evidence": "done"}
    return found


def cause(cause_id, raised="2024-01-10", *, closed=None, accelerated=False, recs=(), texts_missing=False):
    found = {
        "id": cause_id,
        "title": f"Cause {cause_id}",
        "raised_on": raised,
        "accelerated": accelerated,
        "sources": ["report"],
        "recommendations": list(recs),
    }
    if texts_missing:
        found["recommendations_not_on_record"] = {"note": "not readable"}
    if closed:
        found["closure"] = {"closed_on": closed, "evidence": "discharged"}
    return found


def move(phase, on, **extra):
    return {"phase": phase, "decided_on": on, **extra}


def doubt(*subjects, resolved=None):
    found = {"about": "their state", "note": "not on record", "subjects": list(subjects)}
    if resolved:
        found["resolution"] = {"resolved_on": resolved, "evidence": "a later letter"}
    return found


def force(*, slug="kent", phases=(), causes=(), doubts=(), inspections=(), checked="2030-12-31"):
    return validate(
        "ForceFile",
        {
            "slug": slug,
            "name": f"{slug.title()} Police",
            "record_checked_to": checked,
            "phase_changes": list(phases),
            "causes_of_concern": list(causes),
            "uncertainties": list(doubts),
            "inspections": list(inspections),
            "sources": SOURCES,
        },
    )


def judge(record, day, rules=DEFAULT, others=()):
    return assess(record, date.fromisoformat(day), rules, others)


def reason(found, rule):
    return next(r for r in found.reasons if r.rule == rule)


IN_ENGAGE = [move("engage", "2024-02-01")]
RETURNED = [move("engage", "2024-02-01"), move("scan", "2024-09-01")]


# -- a return to Scan -----------------------------------------------------------------------


def test_a_return_with_every_cause_of_the_episode_closed_is_justified():
    record = force(phases=IN_ENGAGE, causes=[cause("a", closed="2024-06-01"), cause("b", closed="2024-07-01")])
    assert judge(record, "2024-08-01").verdict == JUSTIFIED


def test_a_return_with_nothing_closed_is_not_justified():
    record = force(phases=IN_ENGAGE, causes=[cause("a", recs=[rec("r1")])])
    found = judge(record, "2024-08-01")
    assert (found.proposed_phase, found.verdict) == ("scan", NOT_JUSTIFIED)


@pytest.mark.parametrize(("closed", "verdict"), [(1, ARGUABLE), (0, NOT_JUSTIFIED)])
def test_half_the_causes_closed_is_the_boundary_of_substantial_progress(closed, verdict):
    causes = [cause("a", closed="2024-06-01" if closed else None), cause("b", recs=[rec("r1", closed="2024-06-01")])]
    assert judge(force(phases=IN_ENGAGE, causes=causes), "2024-08-01").verdict == verdict


@pytest.mark.parametrize(("closed", "verdict"), [(2, ARGUABLE), (1, NOT_JUSTIFIED)])
def test_half_the_recommendations_of_every_open_cause_closed_is_the_boundary(closed, verdict):
    recs = [rec(f"r{i}", closed="2024-06-01" if i < closed else None) for i in range(4)]
    causes = [cause("a", closed="2024-06-01"), cause("b", recs=recs)]
    assert judge(force(phases=IN_ENGAGE, causes=causes), "2024-08-01").verdict == verdict


def test_open_causes_whose_recommendations_are_not_on_record_leave_a_return_arguable():
    causes = [cause("a", closed="2024-06-01"), cause("b", texts_missing=True)]
    found = judge(force(phases=IN_ENGAGE, causes=causes), "2024-08-01")
    assert found.verdict == ARGUABLE
    assert "not on record, so peel cannot tell" in reason(found, "remaining-recommendations-closed-share").detail


def test_a_return_whose_move_is_missing_from_the_record_is_arguable():
    phases = [move("engage", "2024-02-01", missing_from_record="the causes behind the move")]
    found = judge(force(phases=phases, causes=[cause("a", closed="2024-06-01")]), "2024-08-01")
    assert found.verdict == ARGUABLE
    assert "the causes behind the move" in reason(found, "record-complete").detail


def test_an_episode_with_no_causes_on_record_is_arguable():
    assert judge(force(phases=IN_ENGAGE), "2024-08-01").verdict == ARGUABLE


def test_a_return_is_never_justified_on_a_cause_whose_state_is_uncertain():
    record = force(phases=IN_ENGAGE, causes=[cause("a", closed="2024-06-01")], doubts=[doubt("a")])
    found = judge(record, "2024-08-01")
    assert found.verdict == ARGUABLE
    assert "the record leaves the state of a uncertain" in reason(found, "record-complete").detail


def test_a_doubt_resolved_by_the_day_no_longer_counts():
    record = force(phases=IN_ENGAGE, causes=[cause("a", closed="2024-06-01")], doubts=[doubt("a", resolved="2024-07")])
    assert judge(record, "2024-07-30").verdict == ARGUABLE
    assert judge(record, "2024-07-31").verdict == JUSTIFIED


def test_doubt_about_a_recommendation_of_a_closed_cause_does_not_stop_a_justified_return():
    record = force(phases=IN_ENGAGE, causes=[cause("a", closed="2024-06-01", recs=[rec("r1")])], doubts=[doubt("r1")])
    assert judge(record, "2024-08-01").verdict == JUSTIFIED


def test_causes_closed_before_the_episode_began_are_not_part_of_it():
    causes = [cause("old", raised="2023-01-01", closed="2023-06-01"), cause("a", closed="2024-06-01")]
    found = judge(force(phases=IN_ENGAGE, causes=causes), "2024-08-01")
    assert [c.cause.id for c in found.episode.causes] == ["a"]


def test_on_the_day_of_a_recorded_return_that_return_is_judged():
    found = judge(force(phases=RETURNED, causes=[cause("a", closed="2024-06-01")]), "2024-09-01")
    assert (found.phase, found.proposed_phase, found.judged.decided_on.latest) == ("engage", "scan", date(2024, 9, 1))


# -- a move into Engage ---------------------------------------------------------------------


def test_a_move_with_no_open_cause_is_not_justified():
    assert judge(force(causes=[cause("a", closed="2024-03-01")]), "2024-08-01").verdict == NOT_JUSTIFIED


def test_one_open_cause_and_no_other_ground_is_arguable():
    found = judge(force(causes=[cause("a")]), "2024-08-01")
    assert (found.proposed_phase, found.verdict) == ("engage", ARGUABLE)


@pytest.mark.parametrize(("count", "verdict"), [(2, ARGUABLE), (3, JUSTIFIED)])
def test_three_open_causes_are_the_boundary_of_failings_across_the_force(count, verdict):
    record = force(causes=[cause(f"c{i}") for i in range(count)])
    assert judge(record, "2024-08-01").verdict == verdict


def test_the_several_open_causes_threshold_comes_from_the_policy():
    record = force(causes=[cause("a"), cause("b")])
    assert judge(record, "2024-08-01", policy(move_to_engage__several_open_causes=2)).verdict == JUSTIFIED


@pytest.mark.parametrize(("counts", "verdict"), [(1, JUSTIFIED), (0, ARGUABLE)])
def test_an_open_accelerated_cause_justifies_a_move_where_the_policy_says_so(counts, verdict):
    record = force(causes=[cause("a", accelerated=True)])
    assert judge(record, "2024-08-01", policy(move_to_engage__accelerated_is_serious=counts)).verdict == verdict


def looked_again(on: str, *, cited: bool = True) -> dict:
    """A revisit (an inspection) begun on ``on``, citing the cause's report when ``cited``."""
    return {"id": f"revisit-{on}", "title": "Revisit", "fieldwork_from": on, "sources": ["report"] if cited else []}


@pytest.mark.parametrize(
    ("day", "revisit", "verdict"),
    [
        ("2024-06-01", None, ARGUABLE),  # due today: not yet past due
        ("2024-06-02", None, ARGUABLE),  # past due, none closed, but nobody has looked since: thin
        ("2024-12-01", None, ARGUABLE),  # however long the record stays silent
        ("2024-06-02", looked_again("2024-06-02"), JUSTIFIED),  # a revisit after it fell due found none closed
        ("2024-06-02", looked_again("2024-06-01"), ARGUABLE),  # on the due day: not after it
        ("2024-06-02", looked_again("2024-06-02", cited=False), ARGUABLE),  # not known to be about the cause
        ("2024-06-02", looked_again("2024-06"), ARGUABLE),  # not surely after the due day
    ],
)
def test_past_due_recommendations_show_a_force_not_responding_once_a_revisit_since_found_none_closed(
    day, revisit, verdict
):
    record = force(
        causes=[cause("a", recs=[rec("r1", due="2024-06-01"), rec("r2")])], inspections=[revisit] if revisit else []
    )
    found = judge(record, day)
    assert found.verdict == verdict
    assert reason(found, "not-responding").met is (verdict == JUSTIFIED)


def test_the_issues_single_recommendation_due_immediately_is_at_most_arguable_and_says_why():
    """One cause, one recommendation due "immediately", 21 days after publication: peel called the
    move justified. A due date passing with the record silent is not HMICFRS finding no response."""
    record = force(
        causes=[{**cause("a", recs=[{**rec("r1"), "deadline": "immediately"}]), "published_on": "2024-03-01"}]
    )
    found = judge(record, "2024-03-22")
    assert found.verdict == ARGUABLE
    assert reason(found, "not-responding").detail == (
        "a: 1 of 1 recommendations past due (up to 21 days), none closed, but no revisit since they fell due shows "
        "HMICFRS found no response (a closure is reported after a revisit: silence in the record is not evidence), "
        "so at most arguable on these grounds"
    )
    assert judge(record, "2024-03-22", policy(move_to_engage__not_responding_needs_revisit=0)).verdict == JUSTIFIED


def test_a_revisit_shows_nothing_when_the_causes_recommendations_are_not_all_on_record():
    partial = {**cause("a", recs=[rec("r1", due="2024-06-01")]), "recommendations_not_on_record": {"note": "4 more"}}
    found = judge(force(causes=[partial], inspections=[looked_again("2024-07-01")]), "2024-08-01")
    assert found.verdict == ARGUABLE


@pytest.mark.parametrize(("day", "verdict"), [("2024-07-01", ARGUABLE), ("2024-07-02", JUSTIFIED)])
def test_the_overdue_days_threshold_comes_from_the_policy(day, verdict):
    record = force(causes=[cause("a", recs=[rec("r1", due="2024-06-01")])], inspections=[looked_again("2024-06-15")])
    assert judge(record, day, policy(move_to_engage__overdue_days=30)).verdict == verdict


def test_a_cause_with_a_recommendation_closed_is_being_responded_to():
    record = force(causes=[cause("a", recs=[rec("r1", due="2024-06-01"), rec("r2", closed="2024-05-01")])])
    found = judge(record, "2024-08-01")
    assert found.verdict == ARGUABLE
    assert reason(found, "not-responding").met is False


def test_a_move_judged_on_its_day_whose_grounds_are_missing_from_the_record_is_arguable():
    phases = [move("engage", "2024-08-01", missing_from_record="the causes behind the move")]
    found = judge(force(phases=phases, causes=[cause(f"c{i}") for i in range(3)]), "2024-08-01")
    assert found.verdict == ARGUABLE
    assert found.judged is not None


# -- after a return to Scan -----------------------------------------------------------------


def test_the_day_after_a_return_causes_left_open_are_already_weighed():
    causes = [cause(f"c{i}", accelerated=True, recs=[rec(f"r{i}", due="2024-05-01")]) for i in range(3)]
    found = judge(force(phases=RETURNED, causes=causes), "2024-09-02")
    assert found.verdict == NOT_JUSTIFIED
    assert [g.weighed for g in found.entry_causes] == [True, True, True]
    assert found.last_return.decided_on.latest == date(2024, 9, 1)


def test_a_cause_raised_after_the_return_counts():
    causes = [cause("old"), cause("new", raised="2024-09-02", accelerated=True)]
    found = judge(force(phases=RETURNED, causes=causes), "2024-09-03")
    assert found.verdict == JUSTIFIED
    assert [g.id for g in found.entry_causes if g.counts] == ["new"]


def test_a_cause_that_may_have_been_raised_by_the_day_of_the_return_was_weighed():
    found = judge(force(phases=RETURNED, causes=[cause("a", raised="2024-09", accelerated=True)]), "2024-10-01")
    assert found.verdict == NOT_JUSTIFIED


@pytest.mark.parametrize(
    ("due", "revisit", "verdict"),
    [("2024-10-01", True, JUSTIFIED), ("2024-10-01", False, ARGUABLE), ("2024-09-01", False, NOT_JUSTIFIED)],
)
def test_a_recommendation_falling_due_after_the_return_and_missed_is_new_evidence(due, revisit, verdict):
    recs = [rec("r1", due=due), rec("r0", closed="2024-06-01")]  # closed before the return: not progress since
    inspections = [looked_again("2024-10-02")] if revisit else []
    found = judge(force(phases=RETURNED, causes=[cause("a", recs=recs)], inspections=inspections), "2024-10-03")
    assert found.verdict == verdict


def test_a_recommendation_closed_since_the_return_is_progress():
    recs = [rec("r1", due="2024-10-01"), rec("r2", closed="2024-09-15")]
    assert judge(force(phases=RETURNED, causes=[cause("a", recs=recs)]), "2024-10-02").verdict == NOT_JUSTIFIED


def revisited(*, cited=True, texts_missing=False, closed=None):
    recs = [] if texts_missing else [rec("r1", sources=["revisit"] if cited else [], closed=closed)]
    inspection = {"id": "revisit-2024", "title": "Revisit", "fieldwork_from": "2024-10-01", "sources": ["revisit"]}
    return force(
        phases=RETURNED,
        causes=[cause("a", accelerated=True, recs=recs, texts_missing=texts_missing)],
        inspections=[inspection],
    )


def test_a_revisit_after_the_return_that_left_the_cause_open_with_nothing_closed_is_new_evidence():
    found = judge(revisited(), "2024-10-02")
    assert found.verdict == JUSTIFIED
    assert "inspection revisit-2024 of 2024-10-01 left it open" in found.entry_causes[0].evidence[0]


@pytest.mark.parametrize(
    "record",
    [revisited(cited=False), revisited(texts_missing=True), revisited(closed="2024-10-01")],
    ids=["not-about-the-cause", "recommendations-not-on-record", "progress-since"],
)
def test_a_revisit_is_no_evidence_unless_the_record_shows_it_found_no_progress(record):
    assert judge(record, "2024-10-02").verdict == NOT_JUSTIFIED


# -- uncertainty ----------------------------------------------------------------------------


def test_an_uncertain_cause_never_supports_a_move_but_stops_a_not_justified():
    record = force(causes=[cause("a", accelerated=True)], doubts=[doubt("a")])
    found = judge(record, "2024-08-01")
    assert found.verdict == ARGUABLE
    assert reason(found, "accelerated-cause").met is False
    assert "the record leaves the state of a uncertain" in reason(found, "record-complete").detail
    assert "a (uncertain)" in reason(found, "open-causes").detail


def test_certain_grounds_justify_a_move_whatever_the_uncertain_causes():
    record = force(causes=[cause("a", accelerated=True), cause("b")], doubts=[doubt("b")])
    found = judge(record, "2024-08-01")
    assert found.verdict == JUSTIFIED
    assert reason(found, "record-complete").met is True
    assert "rests only on what the record shows for certain" in reason(found, "record-complete").detail


def test_overdue_recommendations_in_doubt_do_not_show_a_force_not_responding():
    record = force(causes=[cause("a", recs=[rec("r1", due="2024-06-01"), rec("r2")])], doubts=[doubt("r2")])
    found = judge(record, "2024-08-01")
    assert found.verdict == ARGUABLE
    assert reason(found, "not-responding").met is False
    assert reason(found, "record-complete").met is False


def test_an_uncertain_cause_already_weighed_at_a_return_changes_nothing():
    record = force(phases=RETURNED, causes=[cause("a", accelerated=True)], doubts=[doubt("a")])
    assert judge(record, "2024-09-02").verdict == NOT_JUSTIFIED


# -- the end of the record ------------------------------------------------------------------


def test_beyond_the_record_overdue_days_stop_where_the_record_ends():
    record = force(causes=[cause("a", recs=[rec("r1", due="2024-06-01")])], checked="2024-05-31")
    found = judge(record, "2024-08-01")
    assert found.verdict == ARGUABLE, "silence after the record ends is not a missed deadline"
    assert reason(found, "record-end").met is False
    assert found.sentence == "A move into Engage is arguable on the record as it stood on 2024-05-31, when it ends"


def test_within_the_record_there_is_no_record_end_reason():
    found = judge(force(causes=[cause("a")], checked="2024-08-01"), "2024-08-01")
    assert "record-end" not in [r.rule for r in found.reasons]
    assert found.sentence == "A move into Engage is arguable on the record"


# -- precedents -----------------------------------------------------------------------------


def ledger():
    return (
        force(slug="avon", phases=RETURNED, causes=[cause("a", closed="2024-08-01", accelerated=True)]),
        force(slug="bede", phases=[move("engage", "2023-05-01", missing_from_record="why")], causes=[cause("b")]),
        force(slug="cray", phases=[move("engage", "2025-01-01")], causes=[cause("c")]),
    )


def test_for_a_force_in_scan_the_precedents_are_earlier_entries_into_engage_complete_first():
    found = judge(force(causes=[cause("x")]), "2024-12-01", others=ledger())
    assert [(p.force, str(p.entered_on), p.complete) for p in found.precedents] == [
        ("avon", "2024-02-01", True),
        ("bede", "2023-05-01", False),
    ]
    assert found.precedents[0].accelerated is True
    assert found.json()["precedents"][0]["entered_on"] == "2024-02-01"
    assert "returned_on" not in found.json()["precedents"][0]


def test_for_a_force_in_engage_the_precedents_are_earlier_returns_to_scan():
    found = judge(force(phases=IN_ENGAGE, causes=[cause("x")]), "2024-12-01", others=ledger())
    assert [(p.force, str(p.returned_on)) for p in found.precedents] == [("avon", "2024-09-01")]
    assert found.json()["precedents"][0]["returned_on"] == "2024-09-01"


def test_a_force_is_never_its_own_precedent_and_a_book_gives_the_same_precedents():
    record = ledger()[0]
    assert (
        judge(record, "2025-06-01", others=ledger()).precedents
        == judge(record, "2025-06-01", others=precedent_book(ledger())).precedents
    )
    assert all(p.force != "avon" for p in judge(record, "2025-06-01", others=ledger()).precedents)


# -- words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "verdict", "sentence"),
    [
        ("scan", JUSTIFIED, "A return to Scan is justified on the record"),
        ("scan", NOT_JUSTIFIED, "A return to Scan is not justified on the record"),
        ("engage", ARGUABLE, "A move into Engage is arguable on the record"),
        ("engage", NOT_JUSTIFIED, "A move into Engage is not justified on the record"),
    ],
)
def test_every_verdict_has_a_sentence_for_people(phase, verdict, sentence):
    assert verdict_sentence(phase, verdict) == sentence


def test_the_document_shows_the_sentence_in_the_one_neutral_verdict_kind():
    found = judge(force(causes=[cause(f"c{i}") for i in range(3)]), "2024-08-01")
    verdict = dict(found.document().facts)["Verdict"]
    assert (verdict.text, verdict.kind) == ("A move into Engage is justified on the record", VERDICT_KIND)
    assert found.json()["verdict"] == JUSTIFIED


# -- the policy's own range rules -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "ok"),
    [
        ({"return_to_scan__causes_closed_share": 0}, True),
        ({"return_to_scan__causes_closed_share": 1}, True),
        ({"return_to_scan__causes_closed_share": 1.01}, False),
        ({"return_to_scan__remaining_recommendations_closed_share": -0.1}, False),
        ({"move_to_engage__several_open_causes": 1}, True),
        ({"move_to_engage__several_open_causes": 0}, False),
        ({"move_to_engage__several_open_causes": 2.5}, False),
        ({"move_to_engage__accelerated_is_serious": 0}, True),
        ({"move_to_engage__accelerated_is_serious": 2}, False),
        ({"move_to_engage__overdue_days": 0}, True),
        ({"move_to_engage__overdue_days": -1}, False),
        ({"move_to_engage__overdue_days": 1.5}, False),
    ],
)
def test_thresholds_out_of_range_are_problems_at_their_path(change, ok):
    problems = policy_problems(policy(**change))
    assert (not problems) == ok
    for problem in problems:
        section, key = next(iter(change)).split("__")
        assert problem.path == (section, key, "value")


# -- reading a policy file: what is wrong, said and located ----------------------------------


def _policy_file(tmp_path, kind: str):
    """A --policy argument that is wrong in one way; ``None`` where the machine cannot make it."""
    import os

    path = tmp_path / f"{kind}.yaml"
    own = DEFAULT_POLICY.read_text(encoding="utf-8")
    if kind == "device":
        return "/dev/zero"
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "dangling-link":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "empty":
        path.write_text("  \n\n", encoding="utf-8")
    elif kind == "text":
        path.write_text("just a line\n", encoding="utf-8")
    elif kind == "list":
        path.write_text("- 1\n- 2\n", encoding="utf-8")
    elif kind == "not-yaml":
        path.write_text("name: [\n", encoding="utf-8")
    elif kind == "too-big":
        path.write_text("# " + "x" * (6 * 1024 * 1024) + "\n", encoding="utf-8")
    elif kind == "older-peel":
        path.write_text(own[: own.index("  not_responding_needs_revisit:")], encoding="utf-8")
    elif kind == "out-of-range":
        path.write_text(own.replace("value: 3\n", "value: 0\n", 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("kind", "code", "located", "message"),
    [
        ("missing", 2, False, "--policy {path}: no such file"),
        ("dangling-link", 2, False, "no such file (a symbolic link to nothing)"),
        ("device", 1, True, "--policy: is a device, not a plain file: peel reads plain files only"),
        ("folder", 1, True, "--policy: is a folder, not a plain file"),
        ("pipe", 1, True, "--policy: is a named pipe (FIFO), not a plain file"),
        ("empty", 1, True, "--policy: the file is empty: a policy is a mapping with the keys name, description"),
        ("text", 1, True, "a policy is a mapping with the keys name, description, return_to_scan and "
         "move_to_engage, not a line of text"),
        ("list", 1, True, "not a list: start from a copy of peel's own"),
        ("not-yaml", 1, True, "YAML syntax:"),
        ("too-big", 1, True, "--policy: the file is 6.0 MB; a policy is a few kilobytes (peel reads at most 5 MB)"),
        ("older-peel", 1, True, "missing required key 'not_responding_needs_revisit' (a threshold of "
         "move_to_engage): peel's own policy sets it to 1"),
        ("out-of-range", 1, True, "move_to_engage.several_open_causes is 0: must be a whole number, 1 or more"),
    ],
)  # fmt: skip
def test_a_policy_file_that_cannot_be_used_says_what_is_wrong_with_it(peel, tmp_path, kind, code, located, message):
    """``--policy /dev/zero`` said "no such file": every way a policy file can be wrong is said
    as what it is, at the file (and its line and column where there is one), never a traceback."""
    path = _policy_file(tmp_path, kind) if kind != "missing" else str(tmp_path / "nope.yaml")
    result = peel("--data-dir", str(DATA), "assess", "west-midlands", "--policy", path)
    assert result.exit_code == code
    assert message.format(path=path) in result.stderr
    assert "Traceback" not in result.stderr
    if located:
        assert result.stderr.startswith(display_path(Path(path)) + ":")


def test_validate_says_the_same_of_a_policy_file(peel, tmp_path):
    path = tmp_path / "strict-policy.yaml"
    path.write_text("", encoding="utf-8")
    result = peel("validate", str(path))
    assert result.exit_code == 1
    assert (
        "a policy is a mapping with the keys name, description, return_to_scan and move_to_engage, not an empty "
        in (result.stdout)
    )


# -- fire and rescue services: one policy, HMICFRS's fire wording, one threshold set otherwise --------


def service(**fields):
    """A fire and rescue service's file: the same format, ``sector: fire`` and a ``-fire`` slug."""
    return validate("ForceFile", _as_data(**fields))


def _as_data(*, phases=(), causes=(), doubts=(), inspections=(), checked="2030-12-31"):
    return {
        "slug": "kent-fire",
        "name": "Kent Fire and Rescue Service",
        "sector": "fire",
        "record_checked_to": checked,
        "phase_changes": list(phases),
        "causes_of_concern": list(causes),
        "uncertainties": list(doubts),
        "inspections": list(inspections),
        "sources": SOURCES,
    }


def test_a_service_is_judged_by_the_policy_as_it_reads_for_fire_and_says_so():
    found = judge(service(causes=[cause(f"c{i}") for i in range(3)]), "2024-08-01")
    assert found.verdict == JUSTIFIED  # three open at once: the police threshold, unchanged for fire
    assert found.policy == "peel default policy, for fire and rescue services"
    assert "failings across the service" in reason(found, "several-open-causes").detail


def test_an_accelerated_cause_alone_justifies_a_forces_entry_but_not_a_services():
    """HMICFRS moved forces into Engage on accelerated causes, never a service (Avon, Hertfordshire)."""
    assert judge(force(causes=[cause("a", accelerated=True)]), "2024-08-01").verdict == JUSTIFIED
    assert judge(service(causes=[cause("a", accelerated=True)]), "2024-08-01").verdict == ARGUABLE


def test_a_policy_without_a_fire_section_judges_a_service_as_a_force():
    data = _numbers(yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8")))
    del data["fire"]
    plain = validate("Policy", data)
    found = judge(service(causes=[cause("a", accelerated=True)]), "2024-08-01", plain)
    assert (found.verdict, found.policy) == (JUSTIFIED, "peel default policy")


def test_the_fire_section_quotes_hmicfrs_with_addresses_and_says_where_fire_differs():
    fire = DEFAULT.fire
    assert "This decision is supported by the fact we have been able to close the causes of concern." in " ".join(
        fire.return_to_scan.explanation.split()
    )
    entry = " ".join(fire.move_to_engage.explanation.split())
    assert "not responding to a cause of concern, or if it is not succeeding in managing, mitigating or" in entry
    assert "press quotations" in entry  # HMICFRS's own page could not be read: the press's quotation, marked
    for text in (fire.description, fire.return_to_scan.explanation, entry):
        assert "https://" in text
    assert "efficiency, effectiveness or people" in " ".join(fire.differs_from_police.split())


def test_a_fire_threshold_out_of_range_is_located_and_named_as_the_fire_sections():
    data = _numbers(yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8")))
    data["fire"]["move_to_engage"]["accelerated_is_serious"]["value"] = Decimal(2)
    (problem,) = policy_problems(validate("Policy", data))
    assert problem.message.startswith("fire.move_to_engage.accelerated_is_serious is 2: must be 0")
    assert problem.path == ("fire", "move_to_engage", "accelerated_is_serious", "value")


def test_precedents_are_of_the_same_sector():
    police = force(slug="surrey", phases=RETURNED, causes=[cause("a", closed="2024-06-01")])
    other = validate("ForceFile", {**_as_data(phases=RETURNED, causes=[cause("a", closed="2024-06-01")]),
                                   "slug": "essex-fire"})  # fmt: skip
    book = precedent_book([police, other])
    in_engage = judge(service(phases=IN_ENGAGE, causes=[cause("b")]), "2025-01-01", others=book)
    assert [p.force for p in in_engage.precedents] == ["essex-fire"]
    a_force = judge(force(phases=IN_ENGAGE, causes=[cause("b")]), "2025-01-01", others=book)
    assert [p.force for p in a_force.precedents] == ["surrey"]


def test_a_return_is_arguable_while_a_causes_closure_dated_to_a_span_may_not_have_come():
    """Closed at some day from the January revisit to the letter: the day before the letter, peel
    can say neither that the cause is closed nor that it is open."""
    causes = [cause("a", closed="2024-06-01"), cause("b", closed="2025-01/2025-03-07")]
    record = force(phases=[move("engage", "2024-02-01"), move("scan", "2025-03-07")], causes=causes)
    before = judge(record, "2025-03-06")
    assert before.verdict == ARGUABLE
    assert "the record dates the closure of b to 2025/2025-03-07" in reason(before, "record-complete").detail
    assert judge(record, "2025-03-07").verdict == JUSTIFIED

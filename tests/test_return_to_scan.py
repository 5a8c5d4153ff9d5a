"""``peel assess`` for a force in Engage (peelcli.assess), called directly on plain data with the
default policy: when the record justifies a return to Scan. Few on purpose; the rules for a move
into Engage are not tested here."""

from __future__ import annotations

from datetime import date

import pytest

from peelcli.assess import assess
from peelcli.policy import DEFAULT_POLICY, read_policy
from peelcli.problems import PeelError
from records_kit import build, cause, change, rec

POLICY = read_policy()
AS_OF = date(2025, 6, 1)


def causes(closed: int, total: int, **open_cause) -> list[dict]:
    """``total`` causes raised before Engage began, the first ``closed`` of them closed."""
    return [
        cause(f"coc-{n}", "2023-10-01", closed_on="2025-03-01")
        if n <= closed
        else cause(f"coc-{n}", "2023-10-01", **open_cause)
        for n in range(1, total + 1)
    ]


def recs(closed: int, total: int) -> list[dict]:
    return [rec(f"r{n}", closed_on="2025-02-01" if n <= closed else None) for n in range(1, total + 1)]


def verdict(found_causes: list[dict], **entry) -> str:
    force = build(phase_changes=[change("engage", "2024-01-05", **entry)], causes_of_concern=found_causes)
    found = assess(force, AS_OF, POLICY)
    assert (found.phase, found.proposed_phase) == ("engage", "scan")
    return found.verdict


def test_with_every_cause_of_the_episode_closed_a_return_is_justified():
    assert verdict(causes(3, 3)) == "justified"


def test_half_the_causes_closed_and_half_the_recommendations_of_every_open_cause_make_a_return_arguable():
    assert verdict(causes(2, 4, recommendations=recs(1, 2))) == "arguable"


def test_fewer_than_half_the_causes_closed_make_a_return_not_justified():
    assert verdict(causes(1, 4, recommendations=recs(2, 2))) == "not-justified"


def test_an_open_cause_with_fewer_than_half_its_recommendations_closed_makes_a_return_not_justified():
    assert verdict(causes(2, 4, recommendations=recs(1, 3))) == "not-justified"


def test_a_move_whose_record_is_incomplete_makes_a_return_only_arguable():
    gap = {"missing_from_record": "which causes were open when the force entered Engage"}
    assert verdict(causes(3, 3), **gap) == "arguable"
    assert verdict(causes(0, 3), **gap) == "arguable"


def test_a_cause_closed_before_the_episode_began_is_not_part_of_it():
    before = cause("coc-old", "2023-01-01", closed_on="2023-12-31")
    assert verdict([before, *causes(0, 1)]) == "not-justified"
    assert verdict([before, *causes(1, 1)]) == "justified"


def test_a_return_recorded_on_the_day_asked_about_is_the_one_judged():
    force = build(
        phase_changes=[change("engage", "2024-01-05"), change("scan", "2025-06-01")], causes_of_concern=causes(2, 2)
    )
    found = assess(force, date(2025, 6, 1), POLICY)
    assert (found.phase, found.verdict, str(found.judged.decided_on)) == ("engage", "justified", "2025-06-01")
    assert assess(force, date(2025, 6, 2), POLICY).phase == "scan"


@pytest.mark.parametrize("share", ["1.5", "-0.1"])
def test_a_policy_share_outside_0_to_1_is_refused_with_its_place(tmp_path, share):
    default = DEFAULT_POLICY.read_text(encoding="utf-8")
    text = default.replace("  causes_closed_share:\n    value: 0.5", f"  causes_closed_share:\n    value: {share}")
    assert text != default
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PeelError) as refused:
        read_policy(path)
    (problem,) = refused.value.problems
    assert problem.message == f"return_to_scan.causes_closed_share is {share}: a share must be between 0 and 1"
    assert problem.line is not None and f"value: {share}" in text.splitlines()[problem.line - 1]

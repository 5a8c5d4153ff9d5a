"""``peel move`` judges a move as ``peel assess`` judges it once recorded, whether the move is
dated to a day, a month or a span (issue 19): a move that ``peel assess`` calls not justified is
never recorded without ``--override``."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import scaled_examples
from peelcli.assess import NOT_JUSTIFIED, assess
from peelcli.dates import PartialDate
from peelcli.edits import move_phase
from peelcli.policy import read_policy
from peelcli.problems import PeelError
from peelcli.reader import read_force
from records_kit import TODAY, cause, change, force_dict, rec

POLICY = read_policy()
ENTERED = "2024-02-01"


def kent(*, closed: str | None = None) -> dict:
    """Kent, moved into Engage on 1 February 2024 on an accelerated cause raised in January; its
    one recommendation closed on ``closed``, the cause with it."""
    coc = cause(
        "coc-calls",
        "2024-01-10",
        accelerated=True,
        recommendations=[rec("rec-calls", closed_on=closed)],
        closed_on=closed,
    )
    return force_dict(slug="kent", phase_changes=[change("engage", ENTERED)], causes_of_concern=[coc])


def reading(data: dict):
    return read_force(yaml.safe_dump(data, sort_keys=False).encode(), "kent.yaml", slug="kent", today=TODAY)


def move(data: dict, on: str, **options):
    found = reading(data)
    return move_phase(
        found.force, found.document, "scan", on=PartialDate.parse(on), sources=[], policy=POLICY, others=(),
        today=TODAY, **options,
    )  # fmt: skip


@pytest.mark.parametrize("on", ["2024-02", "2024-02-01/2024-02-10", "2024-02-01/2024-03", "2024-02-02", "2024"])
def test_a_return_with_nothing_closed_is_refused_whatever_the_form_of_its_date(on):
    """The issue: a month or a span starting on the day of the last change was judged on that
    first day, when the question was the move into Engage, and recorded."""
    shown = re.escape(str(PartialDate.parse(on)))
    with pytest.raises(PeelError, match=rf"calls a move into Scan on {shown} not justified"):
        move(kent(), on)


def test_a_move_that_cannot_be_told_from_the_last_change_on_its_last_day_cannot_be_judged():
    """Entered some day in February 2024: a return also dated February 2024 may come before it on
    every day it could be, so peel assess could only judge the entry; the move says so."""
    entered_in_february = {**kent(), "phase_changes": [change("engage", "2024-02")]}
    with pytest.raises(
        PeelError, match=r"peel assess cannot judge a move on 2024-02: the last phase change \(2024-02\)"
    ):
        move(entered_in_february, "2024-02")
    with pytest.raises(PeelError, match="calls a move into Scan on 2024-02-15/2024-03-10 not justified"):
        move(entered_in_february, "2024-02-15/2024-03-10")
    recorded = move(entered_in_february, "2024-02", missing_from_record="the day of either move")
    assert recorded.summary.endswith("(not judged by peel assess: the record does not show all of it)")


@pytest.mark.parametrize(
    ("closed", "on", "verdict"),
    [
        ("2024-02-20", "2024-02", "justified"),  # closed by the end of the month: judged on its last day
        ("2024-02-20", "2024-02-20", "justified"),
        ("2024-02-20", "2024-02-10/2024-02-25", "justified"),
        ("2024-03-05", "2024-02", None),  # closed only after the month: not justified on its last day
        ("2024-03-05", "2024-02-10/2024-03-04", None),
    ],
)
def test_a_move_dated_to_a_month_or_a_span_is_judged_on_its_last_day_as_peel_assess_judges_it(closed, on, verdict):
    if verdict is None:
        with pytest.raises(PeelError, match="not justified"):
            move(kent(closed=closed), on)
    else:
        assert move(kent(closed=closed), on).summary == f"kent: moved into Scan on {on} (peel assess: {verdict})"


DAYS = st.integers(0, 120).map(lambda n: PartialDate.parse(ENTERED).earliest + timedelta(days=n))


@st.composite
def move_dates(draw) -> str:
    """A day, the month holding it, or a span from it, all on or after the day of the move into Engage."""
    first = draw(DAYS)
    form = draw(st.sampled_from(["day", "month", "span"]))
    if form == "day":
        return first.isoformat()
    if form == "month":
        return first.isoformat()[:7]
    return f"{first.isoformat()}/{(first + timedelta(days=draw(st.integers(1, 60)))).isoformat()}"


@scaled_examples(80)
@given(on=move_dates(), closed=st.one_of(st.none(), DAYS.map(lambda d: d.isoformat())))
def test_a_move_is_refused_without_override_exactly_when_peel_assess_calls_the_recorded_move_not_justified(on, closed):
    data = kent(closed=closed)
    try:
        recorded = move(data, on, override=True, reason="HMCI decided")
    except PeelError as refusal:  # only a move on the day of the entry itself, which is not after it
        assert "is not after the last phase change" in str(refusal)
        assert on == ENTERED
        return
    after = read_force(recorded.text.encode(), "kent.yaml", slug="kent", today=TODAY).force
    day = PartialDate.parse(on).latest
    found = assess(after, day, POLICY)  # what `peel assess kent --as-of ON` says of the move
    assert found.judged is not None and found.judged.decided_on == PartialDate.parse(on)
    not_justified = found.verdict == NOT_JUSTIFIED
    assert found.judged.assessment_overridden == not_justified
    try:
        move(data, on)
    except PeelError as refusal:
        assert not_justified, refusal
    else:
        assert not not_justified


def test_the_issue_through_the_command_line(peel, tmp_path):
    """``peel move kent scan --on 2024-02`` the month Kent entered Engage, with nothing closed."""
    data = tmp_path / "data"
    (data / "forces").mkdir(parents=True)
    (data / "forces" / "kent.yaml").write_text(yaml.safe_dump(kent(), sort_keys=False), encoding="utf-8")
    path = data / "forces" / "kent.yaml"
    before = path.read_bytes()
    for on in ("2024-02", "2024-02-01/2024-02-20"):
        refused = peel("--data-dir", str(data), "move", "kent", "scan", "--on", on, "--source", "letter")
        assert refused.exit_code == 1
        assert f"peel assess calls a move into Scan on {PartialDate.parse(on)} not justified (judged on its last " in (
            refused.stderr
        )
        assert path.read_bytes() == before
    override = ["--override", "--reason", "HMCI decided regardless", "--source", "letter"]
    done = peel("--data-dir", str(data), "move", "kent", "scan", "--on", "2024-02", *override)
    assert done.exit_code == 0, done.stderr
    judged = json.loads(
        peel("--data-dir", str(data), "assess", "kent", "--as-of", "2024-02", "--format", "json").stdout
    )
    assert (judged["verdict"], judged["judged"]["assessment_overridden"]) == ("not-justified", True)

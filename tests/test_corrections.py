"""Correcting what is recorded, from the command line (issue 20): each correction on a ledger of
one's own (Borsetshire, built by the commands of docs/own-ledger.md), its ``--dry-run`` diff against a golden
file, what it refuses, where, and what to do instead."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, assert_golden, run_peel
from test_edit import commented, readme_example

FORCE = "borsetshire"
FILE = Path("forces") / f"{FORCE}.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Borsetshire as docs/own-ledger.md builds it, with an area for improvement closed at the revisit."""
    folder = tmp_path_factory.mktemp("built") / "mine"
    assert run_peel("init", str(folder)).exit_code == 0
    steps = [
        *readme_example(),
        ["add-afi", FORCE, "--id", "afi-training", "--text", "call handlers' training", "--raised", "2023-10"],
        ["cite", FORCE, "afi-training", "--source", "engage-letter-2024-02"],
        ["close-afi", FORCE, "afi-training", "--on", "2024-09-01", "--evidence", "Trained", "--source", "revisit"],
    ]
    for step in steps:
        result = run_peel("--data-dir", str(folder), *step)
        assert result.exit_code == 0, (step, result.stderr)
    return folder


@pytest.fixture
def mine(built: Path, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the built ledger, run from inside it (so paths read forces/...)."""
    folder = tmp_path / "mine"
    shutil.copytree(built, folder)
    monkeypatch.chdir(folder)
    return folder


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def refused(result, *messages: str, code: int = 1):
    assert result.exit_code == code, (result.stdout, result.stderr)
    for message in messages:
        assert message in result.stderr, result.stderr
    return result


CORRECTIONS = {
    "edit-concern": ["edit-concern", FORCE, "coc-calls", "--title", "Answering emergency calls", "--raised", "2023-09"],
    "edit-rec": [
        "edit-rec",
        FORCE,
        "rec-calls-answer",
        "--deadline",
        "By 31 May 2024",
        "--source",
        "engage-letter-2024-02",
        "--source",
        "revisit",
    ],
    "edit-afi": ["edit-afi", FORCE, "afi-training", "--text", "call handlers' training and supervision"],
    "edit-afi-closure": ["edit-afi", FORCE, "afi-training", "--closed-on", "2024-08-30", "--evidence", "All trained"],
    "edit-force": ["edit-force", FORCE, "--name", "Borsetshire Police"],
    "reopen-rec": [
        "reopen-rec",
        FORCE,
        "rec-calls-abandoned",
        "--why",
        "the revisit letter closed only the first recommendation",
    ],
    "reopen-concern": ["reopen-concern", FORCE, "coc-calls", "--why", "the revisit letter did not close the cause"],
    "reopen-afi": ["reopen-afi", FORCE, "afi-training", "--why", "the revisit letter says training goes on"],
    "edit-move": ["edit-move", FORCE, "2024-09-02", "--decided-by", "Andy Cooke, HM Chief Inspector of Constabulary"],
    "edit-move-date": ["edit-move", FORCE, "phase:1", "--on", "2024-01-31"],
    "withdraw-move": [
        "withdraw-move",
        FORCE,
        "phase:2",
        "--why",
        "the return letter proposed the return; none was made",
    ],
    "remove": ["remove", FORCE, "unc-calls-day"],
    "remove-rec": ["remove", FORCE, "rec-calls-abandoned"],
    "rename": ["rename", FORCE, "revisit", "revisit-letter-2024-09"],
}


FIRST = {
    # A recommendation of a closed cause reopens once the cause's closure says why it closed
    # with recommendations open (or once the cause is reopened): the refusal says so.
    "reopen-rec": ["edit-concern", FORCE, "coc-calls", "--reason", "closed on the revisit's evidence"],
}


@pytest.mark.parametrize("name", sorted(CORRECTIONS))
def test_each_correction_shows_its_diff_then_makes_exactly_that_change(peel, mine, name):
    """The dry run prints the diff (a golden file) and writes nothing; run for real, the file
    changes by exactly that diff and is still valid."""
    argv = CORRECTIONS[name]
    if name in FIRST:
        ok(peel(*FIRST[name]))
    before = (mine / FILE).read_bytes()
    dry = ok(peel(*argv, "--dry-run"))
    assert dry.stderr.endswith("dry run: forces/borsetshire.yaml not written\n")
    assert (mine / FILE).read_bytes() == before
    assert_golden(f"corrections/{name}.diff", dry.stdout)
    done = ok(peel(*argv))
    assert done.stdout.startswith(f"{FORCE}: ")
    assert _diff(before, (mine / FILE).read_bytes()) == dry.stdout
    validation = peel("validate", str(FILE))
    assert validation.exit_code == 0 and "0 errors" in validation.stdout, validation.stdout


def _diff(before: bytes, after: bytes) -> str:
    from peelcli.ledger import _diff

    return _diff(before, after, str(FILE))


# -- what each refuses, where, and what to do instead --------------------------------------------


@pytest.fixture
def attempt(peel, mine):
    """Run a correction that must be refused: the file is byte-identical afterwards."""

    def run(*argv: str, code: int = 1):
        before = (mine / FILE).read_bytes()
        result = peel(*argv)
        assert result.exit_code == code, (result.stdout, result.stderr)
        assert (mine / FILE).read_bytes() == before
        return result.stderr

    return run


def test_a_closure_rule_a_correction_would_break_is_refused_at_its_line_saying_how_to_proceed(attempt):
    stderr = attempt("reopen-rec", FORCE, "rec-calls-answer", "--why", "x")
    assert stderr == (
        "forces/borsetshire.yaml:60:5: error: cause of concern 'coc-calls' closed on 2024-09-01 while recommendation "
        "rec-calls-answer is open: reopen the cause first (peel reopen-concern borsetshire coc-calls --why TEXT), or "
        "record why it closed with recommendations open (peel edit-concern borsetshire coc-calls --reason TEXT)\n"
    )
    later = attempt("edit-rec", FORCE, "rec-calls-answer", "--closed-on", "2024-09-20")
    assert later.startswith(
        "forces/borsetshire.yaml:49:22: error: recommendation rec-calls-answer closed on 2024-09-20"
    )
    assert "after its cause of concern 'coc-calls' closed (2024-09-01)" in later
    raised = attempt("edit-concern", FORCE, "coc-calls", "--raised", "2024-09-15", "--published", "2024-09-15")
    assert raised.startswith("forces/borsetshire.yaml:61:18: error: closed on 2024-09-01, before the cause of concern")
    assert "published on 2024-02-01, before it was raised (2024-09-15)" in attempt(
        "edit-concern", FORCE, "coc-calls", "--raised", "2024-09-15"
    )
    assert attempt("edit-afi", FORCE, "afi-training", "--raised", "2024-10").startswith(
        "forces/borsetshire.yaml:70:18: error: closed on 2024-09-01, before the area for improvement was raised"
    )


def test_reopening_what_is_open_or_does_not_exist_is_refused(attempt, peel):
    ok(peel("reopen-concern", FORCE, "coc-calls", "--why", "not closed by the revisit letter"))
    assert attempt("reopen-concern", FORCE, "coc-calls", "--why", "again") == (
        "forces/borsetshire.yaml:37:9: error: cause of concern 'coc-calls' is not closed: nothing to reopen\n"
    )
    assert "no recommendation with id 'rec-calls' in borsetshire: did you mean" in attempt(
        "reopen-rec", FORCE, "rec-calls", "--why", "x"
    )
    assert "--why" in attempt("reopen-afi", FORCE, "afi-training", code=2)
    ok(peel("reopen-afi", FORCE, "afi-training", "--why", "training goes on"))
    assert attempt("edit-afi", FORCE, "afi-training", "--evidence", "x") == (
        "forces/borsetshire.yaml:62:9: error: area for improvement 'afi-training' is not closed: nothing of a closure "
        "to correct; record one with peel close-afi borsetshire afi-training --on DATE --evidence TEXT\n"
    )


def test_a_closure_recorded_by_mistake_shows_on_no_day_and_its_reason_stays_in_the_notes(peel, mine):
    why = "the revisit letter closed the first recommendation only"
    ok(peel("edit-concern", FORCE, "coc-calls", "--reason", "HMICFRS closed it on the revisit"))
    ok(peel("reopen-rec", FORCE, "rec-calls-abandoned", "--why", why))
    for day in ("2024-09-01", "2024-12-31", "2026-11-26"):
        status = json.loads(ok(peel("status", FORCE, "--as-of", day, "--format", "json")).stdout)
        (rec,) = [
            r for c in status["causes_of_concern"] for r in c["recommendations"] if r["id"] == "rec-calls-abandoned"
        ]
        assert (rec["status"], rec["closed_on"]) == ("open", None), day
    history = json.loads(ok(peel("history", FORCE, "--format", "json")).stdout)
    assert not [e for e in history["events"] if e["subject"] == "rec-calls-abandoned" and "closed" in e["kind"]]
    text = (mine / FILE).read_text()
    assert f'notes: "A closure dated 2024-09-01 was recorded by mistake and removed: {why}"' in text


def test_a_phase_change_out_of_order_on_a_day_of_another_or_into_the_phase_it_is_in_is_refused(attempt, peel):
    earlier = attempt("edit-move", FORCE, "phase:2", "--on", "2023-12")
    assert earlier.startswith("forces/borsetshire.yaml:33:17: error: 2023-12 is not after the phase change before it")
    assert "phase changes are in date order, no two on one day" in earlier
    assert attempt("edit-move", FORCE, "phase:1", "--on", "2024-09-02") == (
        "forces/borsetshire.yaml:24:17: error: 2024-09-02 is not before the phase change after it (phase:2, into "
        "scan on 2024-09-02): phase changes are in date order, no two on one day\n"
    )
    withdrawn = attempt("withdraw-move", FORCE, "2024-01", "--why", "x")
    assert withdrawn == (
        "forces/borsetshire.yaml:23:5: error: withdrawing phase:1 (into engage on 2024-01) would leave phase:2 "
        "(into scan on 2024-09-02) a change into the phase the force is already in: withdraw the later changes "
        "first, from the last (phase:2)\n"
    )
    assert "no phase change 'phase:3' in borsetshire: name it as phase:N (from 1) or by the date it is recorded" in (
        attempt("edit-move", FORCE, "phase:3", "--notes", "x")
    )
    assert "2027-01 is in the future (today is 2026-11-26)" in attempt("edit-move", FORCE, "phase:2", "--on", "2027-01")


def test_a_corrected_date_is_judged_as_peel_move_judges_a_move_and_override_keeps_it(attempt, peel, mine):
    """A return to Scan on 2024-08-01, before the revisit closed anything, is one peel assess
    calls not justified: refused as peel move refuses it, recorded with --override."""
    ok(peel("edit-move", FORCE, "phase:2", "--unset", "sources"))  # the return letter is dated 2024-09-02
    stderr = attempt("edit-move", FORCE, "phase:2", "--on", "2024-08-01")
    assert stderr.startswith("error: peel assess calls a move into Scan on 2024-08-01 not justified: ")
    assert stderr.endswith("Give --override and --reason to record it regardless\n")
    assert "needs its reason" not in stderr
    assert "records its reason: give --reason" in attempt(
        "edit-move", FORCE, "phase:2", "--on", "2024-08-01", "--override"
    )
    done = ok(peel("edit-move", FORCE, "phase:2", "--on", "2024-08-01", "--override", "--reason", "HMICFRS decided so"))
    assert done.stdout.endswith("(overriding a not-justified assessment)\n")
    text = (mine / FILE).read_text()
    assert "    reason: HMICFRS decided so\n    assessment_overridden: true\n" in text
    back = ok(peel("edit-move", FORCE, "phase:2", "--on", "2024-09-02", "--unset", "reason"))
    assert "removed assessment_overridden (peel assess no longer calls it not justified)" in back.stdout
    assert "assessment_overridden" not in (mine / FILE).read_text()


def test_a_record_anything_cites_or_depends_on_is_not_removed_and_each_is_named_at_its_line(attempt):
    cited = attempt("remove", FORCE, "revisit").splitlines()
    assert cited[0] == (
        "forces/borsetshire.yaml:103:9: error: source revisit cannot be removed while 5 records cite it or depend on "
        "it (below): correct or remove those first"
    )
    assert cited[1:] == [
        "forces/borsetshire.yaml:51:21: error: rec-calls-answer/closure cites it",
        "forces/borsetshire.yaml:59:21: error: rec-calls-abandoned/closure cites it",
        "forces/borsetshire.yaml:63:17: error: coc-calls/closure cites it",
        "forces/borsetshire.yaml:72:17: error: afi-training/closure cites it",
        "forces/borsetshire.yaml:78:15: error: metric:1 cites it",
    ]
    recorded_in = attempt("remove", FORCE, "engage-letter-2024-02")
    assert "ppog-2024-01-30 is recorded in it" in recorded_in and "phase:1:date:1 cites it" in recorded_in
    assert attempt("remove", FORCE, "coc-calls").splitlines()[1:] == [
        "forces/borsetshire.yaml:44:13: error: recommendation rec-calls-answer is one of its recommendations",
        "forces/borsetshire.yaml:52:13: error: recommendation rec-calls-abandoned is one of its recommendations",
    ]
    assert "peel withdraw-move borsetshire phase:2 --why TEXT" in attempt("remove", FORCE, "phase:2")
    assert "peel reopen-rec|reopen-concern|reopen-afi borsetshire coc-calls --why TEXT" in attempt(
        "remove", FORCE, "coc-calls/closure"
    )
    assert "no record with id 'metric:2' in borsetshire" in attempt("remove", FORCE, "metric:2")


def test_a_recommendation_an_uncertainty_names_is_not_removed(attempt, peel):
    ok(peel("add-uncertainty", FORCE, "--about", "a", "--note", "b", "--subject", "rec-calls-abandoned"))
    assert attempt("remove", FORCE, "rec-calls-abandoned").splitlines()[1] == (
        "forces/borsetshire.yaml:85:16: error: uncertainty:2 names it among its subjects"
    )


def test_removing_a_causes_last_recommendation_puts_back_what_add_concern_wrote(peel, mine):
    ok(peel("remove", FORCE, "rec-calls-abandoned"))
    ok(peel("reopen-concern", FORCE, "coc-calls", "--why", "x"))
    done = ok(peel("remove", FORCE, "rec-calls-answer"))
    assert done.stdout == (
        "borsetshire: removed recommendation rec-calls-answer of coc-calls (its recommendations are now not yet "
        "entered: peel add-rec borsetshire coc-calls ...)\n"
    )
    text = (mine / FILE).read_text()
    assert "    recommendations_not_on_record:\n      note: not yet entered in this ledger (peel add-concern)\n" in text
    assert "recommendations:" not in text


def test_a_renamed_id_is_refused_when_taken_or_not_an_id(attempt):
    assert "id 'coc-calls' already exists in borsetshire: choose another" in attempt(
        "rename", FORCE, "revisit", "coc-calls"
    )
    assert "'bad id' is not a valid id" in attempt("rename", FORCE, "revisit", "bad id")
    assert "no record with id 'revisits' in borsetshire: did you mean revisit" in attempt(
        "rename", FORCE, "revisits", "x"
    )


def test_unset_refuses_what_a_record_cannot_be_without_and_a_value_given_at_once(attempt):
    assert "--unset 'title': a cause of concern has no such value to remove; one of: text, published" in attempt(
        "edit-concern", FORCE, "coc-calls", "--unset", "title", code=2
    )
    assert "--unset sources and --source: give one of them" in attempt(
        "edit-rec", FORCE, "rec-calls-answer", "--source", "revisit", "--unset", "sources", code=2
    )
    assert attempt("edit-rec", FORCE, "rec-calls-answer", "--text", "answer 999 calls within 10 seconds") == (
        "error: recommendation 'rec-calls-answer' of borsetshire already says that: nothing to change\n"
    )


def test_a_due_date_peel_refuses_is_refused_and_an_unreadable_wording_warned_with_its_line(attempt, peel):
    assert "--due: due 2024-06-30 disagrees with the deadline 'By 31 May 2024'" in attempt(
        "edit-rec", FORCE, "rec-calls-answer", "--deadline", "By 31 May 2024", "--due", "2024-06-30"
    )
    warned = ok(peel("edit-rec", FORCE, "rec-calls-answer", "--deadline", "By Decmber 2024"))
    assert warned.stderr.startswith("warning: forces/borsetshire.yaml:46:19: peel cannot read the deadline")


def test_a_fact_left_citing_nothing_is_warned_with_its_line(peel, mine):
    warned = ok(peel("edit-afi", FORCE, "afi-training", "--unset", "sources"))
    assert warned.stderr == (
        "warning: forces/borsetshire.yaml:65:5: cites no source: add the id (or, with peel, the URL) of the document "
        "this comes from\n"
    )


def test_a_correction_and_its_reverse_give_the_file_back_from_the_command_line(peel, mine):
    before = (mine / FILE).read_bytes()
    pairs = [
        (["rename", FORCE, "revisit", "revisit-2024"], ["rename", FORCE, "revisit-2024", "revisit"]),
        (
            ["reopen-afi", FORCE, "afi-training", "--why", "x"],
            ["close-afi", FORCE, "afi-training", "--on", "2024-09-01", "--evidence", "Trained", "--source", "revisit"],
        ),
        (["edit-move", FORCE, "phase:1", "--on", "2024-01-31"], ["edit-move", FORCE, "phase:1", "--on", "2024-01"]),
        (["remove", FORCE, "unc-calls-day"], ["add-uncertainty", FORCE, "--id", "unc-calls-day", "--about",
         "the day the force moved into Engage", "--note", "the letter gives the month only"]),
    ]  # fmt: skip
    for step, reverse in pairs:
        ok(peel(*step))
        ok(peel(*reverse))
        if step[0] == "reopen-afi":
            ok(peel("edit-afi", FORCE, "afi-training", "--unset", "notes"))
        assert (mine / FILE).read_bytes() == before, step


def test_comments_and_layout_of_a_hand_written_file_are_kept(peel, ledger):
    """West Midlands with a comment before every line: a correction changes its own line only."""
    path = ledger / "forces" / "west-midlands.yaml"
    path.write_text(commented(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    data = ("--data-dir", str(ledger))
    ok(peel(*data, "edit-rec", "west-midlands", "rec-inv-outcomes", "--text", "Improve outcomes"))
    ok(peel(*data, "rename", "west-midlands", "peel-2023", "peel-inspection-2023"))
    import difflib

    changed = [d for d in difflib.ndiff(before.splitlines(), path.read_text().splitlines()) if d[:1] in "+-"]
    assert len([d for d in changed if d.startswith("-")]) == len([d for d in changed if d.startswith("+")])
    assert all("# note on" not in d and "# the end" not in d for d in changed), changed
    assert ok(peel(*data, "validate")).exit_code == 0


def test_the_ledger_shipped_with_peel_is_not_corrected(peel, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = (DATA / "forces" / "west-midlands.yaml").read_bytes()
    result = peel("edit-rec", "west-midlands", "rec-inv-outcomes", "--text", "x")
    refused(result, "is the ledger shipped with peel: peel does not edit it", "peel init DIR")
    assert (DATA / "forces" / "west-midlands.yaml").read_bytes() == before
    assert os.listdir(tmp_path) == []

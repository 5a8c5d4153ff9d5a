"""peel diff: what changed in the ledger, since a day (by its dates) or since a git revision."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, FIXTURES, TODAY, assert_golden, run_peel

WM = "west-midlands"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Peel Test",
    "GIT_AUTHOR_EMAIL": "peel@example.org",
    "GIT_COMMITTER_NAME": "Peel Test",
    "GIT_COMMITTER_EMAIL": "peel@example.org",
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00Z",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def search_further(data: Path, slug: str, to: str) -> None:
    """Say the force's record was searched up to ``to``, so that facts up to then may be recorded."""
    path = data / "forces" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    checked = next(line for line in text.splitlines() if line.startswith("record_checked_to: "))
    path.write_text(text.replace(checked, f"record_checked_to: {to}"), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose one commit holds a copy of the shipped ledger under data/, with West
    Midlands' record searched to 1 November 2026 so that later facts can be recorded."""
    root = tmp_path / "repo"
    shutil.copytree(DATA, root / "data")
    checked = ("checked", WM, "--to", TODAY, "--note", "searched for a test")  # so later facts may be recorded
    assert run_peel("--data-dir", str(root / "data"), *checked).exit_code == 0
    git(root, "init", "-q")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "The ledger as shipped")
    return root


def diff_json(peel, data: Path, *args: str, env: dict | None = None) -> dict:
    result = peel("--data-dir", str(data), "diff", *args, "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def changes_of(report: dict, force: str = WM) -> list[tuple[str, str]]:
    return [(c["kind"], c["id"]) for c in report["changes"] if c["force"] == force]


def edit(peel, data: Path, *args: str) -> None:
    result = peel("--data-dir", str(data), *args)
    assert result.exit_code == 0, result.stderr


# -- since a day ----------------------------------------------------------------------------


def test_since_a_day_lists_the_closures_and_phase_changes_dated_on_or_after_it(peel):
    report = diff_json(peel, DATA, "--since", "2024-09-17")
    assert report["since"] == "2024-09-17"
    assert changes_of(report) == [
        ("recommendation-closed", "rec-inv-skills"),
        ("recommendation-closed", "rec-inv-timely"),
        ("recommendation-closed", "rec-inv-plans"),
        ("phase-change", "scan"),
    ]
    skills = next(c for c in report["changes"] if c["id"] == "rec-inv-skills")
    assert skills["date"] == "2024-09-17"
    assert skills["cause"] == "coc-investigations"
    assert skills["evidence"].startswith("Clear aims")
    assert skills["sources"] == ["return-letter-2024-09"]


def test_since_the_next_day_leaves_out_what_happened_before_it(peel):
    report = diff_json(peel, DATA, "--since", "2024-09-18")
    assert changes_of(report) == [("phase-change", "scan")]


def test_since_a_day_inside_a_month_keeps_what_is_dated_only_to_that_month(peel):
    """The causes are dated September 2023: raised on or after the 15th, for all the record shows."""
    report = diff_json(peel, DATA, "--since", "2023-09-15")
    raised = [i for kind, i in changes_of(report) if kind == "cause-raised"]
    assert raised == ["coc-marac", "coc-sex-offenders", "coc-online-abuse", "coc-investigations"]
    recs = [i for kind, i in changes_of(report) if kind == "recommendation-raised"]
    assert recs == ["rec-inv-skills", "rec-inv-timely", "rec-inv-plans", "rec-inv-outcomes", "rec-inv-outcomes-use"]
    later = diff_json(peel, DATA, "--since", "2023-10-01")
    assert [i for kind, i in changes_of(later) if kind == "cause-raised"] == []


def test_changes_about_what_the_record_leaves_in_doubt_are_marked_uncertain(peel):
    report = diff_json(peel, DATA, "--since", "2023-11-01")
    closed = {c["id"]: c for c in report["changes"] if c["force"] == "gloucestershire"}
    vulnerability = closed["coc-vulnerability"]
    assert (vulnerability["kind"], vulnerability["date"]) == ("cause-closed", "2021-12/2023-11-24")
    assert (vulnerability["uncertain"], vulnerability["subject_in_doubt"]) == (True, True)
    assert vulnerability["date_precision"] == "interval"
    exact = next(c for c in report["changes"] if c["date"] == "2024-09-18")
    assert (exact["uncertain"], exact["assessment_overridden"]) == (False, False)
    table = peel("--data-dir", str(DATA), "diff", "--since", "2023-11-01", "--format", "markdown").stdout
    assert "| gloucestershire | coc-vulnerability | closed | 2021-12/2023-11-24 | Vulnerability (uncertain) |" in table
    assert "are known only to the month or the year" in table


def test_since_reports_in_markdown_for_a_pull_request(peel):
    result = peel("--data-dir", str(DATA), "diff", "--since", "2024-09-18", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Ledger changes since 2024-09-18\n")
    assert "| west-midlands | 2024-09-18 | returned to Scan |" in result.stdout


@pytest.mark.parametrize(
    "args",
    [[], ["--since", "2024-01-01", "--from", "HEAD"], ["--since", "2024-02-30"], ["--since", "yesterday"]],
)
def test_exactly_one_of_since_or_from_is_a_usage_error_otherwise(peel, args):
    result = peel("--data-dir", str(DATA), "diff", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


# -- since a git revision -------------------------------------------------------------------


def test_from_a_revision_lists_closures_ids_and_forces_added_in_the_working_tree(peel, repo):
    data = repo / "data"
    edit(peel, data, "close-rec", WM, "rec-inv-outcomes", "--on", "2026-10-01", "--evidence", "Outcomes improved")
    edit(peel, data, "add-concern", WM, "--id", "coc-custody", "--title", "Custody", "--raised", "2026-09")
    edit(peel, data, "add-rec", WM, "coc-custody", "--id", "rec-custody", "--text", "make sure detainees are safe")
    edit(peel, data, "add-afi", WM, "--id", "afi-data", "--text", "Data quality", "--raised", "2026-09-15")
    shutil.copy(FIXTURES / "valid" / "test-constabulary.yaml", data / "forces")

    report = diff_json(peel, data, "--from", "HEAD")
    assert report["from"] == "HEAD"
    assert report["from_commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert changes_of(report) == [
        ("cause-added", "coc-custody"),
        ("recommendation-added", "rec-custody"),
        ("area-added", "afi-data"),
        ("recommendation-closed", "rec-inv-outcomes"),
    ]
    assert changes_of(report, "test-constabulary") == [
        ("force-added", "test-constabulary"),
        ("cause-added", "coc-1"),
        ("recommendation-added", "rec-1"),
        ("phase-change-added", "engage"),
    ]
    assert {c["force"] for c in report["changes"]} == {WM, "test-constabulary"}, "nothing else changed"


def test_from_a_revision_in_markdown(peel, repo):
    data = repo / "data"
    edit(peel, data, "close-rec", WM, "rec-inv-outcomes", "--on", "2026-10-01", "--evidence", "Outcomes improved")
    edit(peel, data, "add-afi", WM, "--id", "afi-data", "--text", "Data quality", "--raised", "2026-09-15")
    shutil.copy(FIXTURES / "valid" / "test-constabulary.yaml", data / "forces")
    result = peel("--data-dir", str(data), "diff", "--from", "HEAD", "--format", "markdown", "--sector", "police")
    assert result.exit_code == 0, result.stderr
    assert_golden("diff-from-head.md", result.stdout)


def test_from_a_revision_reports_closures_and_forces_removed(peel, repo):
    data = repo / "data"
    shutil.copy(FIXTURES / "valid" / "test-constabulary.yaml", data / "forces")
    edit(peel, data, "close-rec", WM, "rec-inv-outcomes", "--on", "2026-10-01", "--evidence", "Outcomes improved")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "A closure and a force")
    git(repo, "checkout", "-q", "HEAD~1", "--", "data/forces/west-midlands.yaml")
    (data / "forces" / "test-constabulary.yaml").unlink()

    report = diff_json(peel, data, "--from", "HEAD")
    assert changes_of(report) == [("recommendation-reopened", "rec-inv-outcomes")]
    assert changes_of(report, "test-constabulary") == [("force-removed", "test-constabulary")]


def test_a_force_file_unreadable_at_the_revision_is_left_out_with_a_note(peel, repo):
    data = repo / "data"
    force = data / "forces" / "test-constabulary.yaml"
    force.write_text("slug: test-constabulary\nname: [unclosed\n", encoding="utf-8")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "A broken file")
    shutil.copy(FIXTURES / "valid" / "test-constabulary.yaml", force)

    report = diff_json(peel, data, "--from", "HEAD")
    assert changes_of(report, "test-constabulary") == [], "not shown as added"
    (note,) = report["notes"]
    assert note.startswith("test-constabulary: not compared: its file at HEAD is not a valid force file")


def test_from_the_same_revision_without_edits_shows_no_changes(peel, repo):
    report = diff_json(peel, repo / "data", "--from", "HEAD")
    assert report["changes"] == []
    assert report["counts"] == {}


def test_from_an_unknown_revision_is_refused(peel, repo):
    result = peel("--data-dir", str(repo / "data"), "diff", "--from", "no-such-branch")
    assert result.exit_code == 1
    assert "'no-such-branch' is not a commit" in result.stderr


def test_from_outside_a_git_repository_is_refused(peel, ledger, tmp_path):
    result = peel("--data-dir", str(ledger), "diff", "--from", "HEAD", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.exit_code == 1
    assert "is not in a git working tree" in result.stderr


def test_a_revision_that_looks_like_an_option_is_a_usage_error(peel, repo):
    result = peel("--data-dir", str(repo / "data"), "diff", "--from=--output=/tmp/x")
    assert result.exit_code == 2

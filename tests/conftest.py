"""Shared test set-up: the CLI driven through Typer's CliRunner with a pinned day and width."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelcli.cli import app_for

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
TODAY = "2026-11-26"
ENV = {
    "PEEL_TODAY": TODAY,
    "COLUMNS": "100",
    "LINES": "50",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "GITHUB_ACTIONS": None,
    "PEEL_DATA_DIR": None,
}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_peel(*args: str, env: dict | None = None) -> Run:
    result = CliRunner().invoke(app_for(list(args)), list(args), env={**ENV, **(env or {})})
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(result.exit_code, result.stdout, result.stderr, exception)


@pytest.fixture
def peel():
    """Run peel in-process; fails the test on any Python exception (never a traceback)."""

    def invoke(*args: str, env: dict | None = None) -> Run:
        result = run_peel(*args, env=env)
        assert result.exception is None, f"peel raised {result.exception!r}"
        return result

    return invoke


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A private copy of the shipped ledger."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def assert_golden(name: str, text: str) -> None:
    """Compare with ``tests/golden/<name>``; PEEL_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("PEEL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with PEEL_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"

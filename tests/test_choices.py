"""An option that takes one of a few words (--format, --sector, --phase, --encoding) says, when
given another, which words exist, in peel's words, whatever Typer's release."""

from __future__ import annotations

import pytest
import typer

from conftest import run_peel
from peelcli.cli import build_app

COMMAND = typer.main.get_command(build_app())
CHOICES = {"--format", "--sector", "--phase", "--encoding"}
OPTIONS = sorted(
    (name, opt)
    for name, command in COMMAND.commands.items()
    for param in command.params
    for opt in param.opts
    if opt in CHOICES
)


def _choices(name: str, opt: str) -> str:
    (param,) = [p for p in COMMAND.commands[name].params if opt in p.opts]
    return param.metavar.strip("[]").replace("|", ", ")


def test_every_reporting_command_has_a_format_option():
    assert {name for name, opt in OPTIONS if opt == "--format"} >= {"status", "due", "export", "report", "validate"}


@pytest.mark.parametrize(("name", "opt"), OPTIONS, ids=[f"{n} {o}" for n, o in OPTIONS])
def test_an_unknown_choice_names_the_choices_and_nothing_else(name, opt):
    result = run_peel(name, opt, "xml")
    assert result.exit_code == 2
    what = opt.removeprefix("--")
    assert result.stderr.splitlines()[-1] == f"Error: unknown {what} 'xml': choose one of {_choices(name, opt)}"
    assert "Value error" not in result.stderr and "Invalid value" not in result.stderr


def test_a_choice_is_taken_in_any_case(peel):
    result = peel("status", "--format", "JSON", "--sector", "Police", "--phase", "ENGAGE")
    assert result.exit_code == 0 and result.stdout.startswith("{")


def test_the_phase_of_a_move_is_a_choice_too(peel, ledger):
    result = peel("--data-dir", str(ledger), "move", "west-midlands", "limbo", "--source", "x")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: unknown phase 'limbo': choose one of scan, engage"

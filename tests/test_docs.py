"""Every command and option has help text and is documented in the README."""

from __future__ import annotations

import pytest
import typer

from conftest import REPO
from peelcli.cli import build_app

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMAND = typer.main.get_command(build_app())


def commands():
    return sorted(COMMAND.commands.items())


@pytest.mark.parametrize(("name", "command"), commands(), ids=[n for n, _ in commands()])
def test_every_command_has_help_and_a_readme_entry(name, command):
    assert (command.help or "").strip(), f"peel {name} has no help text"
    assert f"`peel {name}" in README, f"peel {name} is not in the README"
    for param in command.params:
        if param.name == "help":
            continue
        if isinstance(param, typer.core.TyperOption):
            assert (param.help or "").strip(), f"peel {name} {param.opts[0]} has no help text"
            assert any(opt in README for opt in param.opts), f"peel {name} {param.opts[0]} is not in the README"


def test_global_options_are_documented():
    for param in COMMAND.params:
        if param.name != "help":
            assert any(opt in README for opt in param.opts), param.opts


def test_help_is_plain_and_quick_to_print(peel):
    result = peel("--help")
    assert result.exit_code == 0
    for name, _ in commands():
        assert name in result.stdout

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


def test_peel_help_lists_every_command_with_its_help_without_building_them():
    """``peel --help`` builds no command (Typer's cost per parameter), yet lists them all."""
    from typer.testing import CliRunner

    from peelcli.cli import app_for

    app = app_for(["--help"])
    listed = typer.main.get_command(app)
    assert all(not command.params for command in listed.commands.values())
    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    for name, command in commands():
        first_words = " ".join(command.help.split()[:3])
        assert any(line.split()[:1] == [name] and first_words in line for line in shown.splitlines()), name


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["status", "west-midlands"], "status"),
        (["--data-dir", "status", "assess"], "assess"),
        (["--", "status"], "status"),
        (["--help"], None),
        (["statsu"], None),
    ],
)
def test_a_run_builds_the_command_it_names(argv, built):
    from peelcli.cli import invoked_command

    assert invoked_command(argv) == built

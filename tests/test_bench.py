"""The bench's Typer floor (``bench/floor.py``) is ``peel status``'s command line with nothing behind
it: peel's global options and ``status``'s parameters, of the same types, defaults and option
settings. Were peel's to change and the floor's not, ``bench/run.py`` would hold peel to the
cost of another interface."""

from __future__ import annotations

import inspect
import sys
import typing

import pytest
from typer.testing import CliRunner

from conftest import REPO
from peelcli.cli import reporting, shell

sys.path.insert(0, str(REPO / "bench"))
import floor  # bench/ is no package: imported from its folder


def interface(function) -> list[tuple]:
    """Each parameter's name, type, default and Typer settings (its help text and the identity
    of its callback aside: they cost nothing to parse)."""
    hints = typing.get_type_hints(function, include_extras=True)
    described = []
    for name, parameter in inspect.signature(function).parameters.items():
        hint = hints[name]
        settings = []
        if typing.get_origin(hint) is typing.Annotated:
            hint, *extras = typing.get_args(hint)
            for info in extras:
                values = {key: value for key, value in vars(info).items() if key != "help"}
                for hook in ("callback", "autocompletion", "parser"):  # the floor's do as peel's, or nothing
                    values[hook] = values.get(hook) is not None
                settings.append((type(info).__name__, values))
        described.append((name, hint, parameter.default, settings))
    return described


@pytest.mark.parametrize(
    ("peel", "floors"),
    [(shell._options, floor._options), (reporting.status, floor.status)],
    ids=["global options", "status"],
)
def test_the_floor_takes_what_peel_status_takes(peel, floors):
    assert interface(floors) == interface(peel)


def test_the_floor_parses_the_command_line_and_does_nothing():
    result = CliRunner().invoke(floor.build(), ["--data-dir", "nowhere", "status", "west-midlands", "-f", "JSON"])
    assert (result.exit_code, result.output) == (0, "")
    refused = CliRunner().invoke(floor.build(), ["status", "--format", "yaml"])
    assert refused.exit_code == 2


def test_the_floor_imports_what_it_is_given_and_says_what_would_not_import():
    assert floor.import_all(["json", "yaml.cyaml", "no_such_module_here"]) == ["no_such_module_here"]
    assert "yaml.cyaml" in sys.modules

"""The Typer floor: a Typer app that does nothing, with the parameters of ``peel status`` and the
imports of a run of it. No Typer command line with that interface starts faster.

    python bench/floor.py MODULES_FILE [ARGS...]

Typer 0.29 builds a pydantic ``TypeAdapter`` for every parameter of the command it runs (and
imports pydantic to do it), so a Typer command line pays for pydantic per parameter, whatever it
does. ``bench/run.py`` holds ``peel status west-midlands`` to a multiple of this floor, not of a
bare ``import typer``, so that the budget measures what peel adds.

The app has peel's settings, its global options (``--data-dir``, ``--version``) and ``status``'s
parameters (FORCE, ``--as-of``, ``--phase``, ``--all``, ``--format``, ``--sector``) with the same types and
option settings
(``tests/test_bench.py`` holds them to peel's). Before building it, it imports each module named
in MODULES_FILE, one a line: the third-party modules a run of ``peel status west-midlands``
imported, which ``bench/run.py`` finds with ``python -X importtime``. Then Typer parses ARGS and
the command returns.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer


def _version(value: bool) -> None:
    if value:
        raise typer.Exit()


def _options(
    ctx: typer.Context,
    data_dir: Annotated[
        str | None,
        typer.Option("--data-dir", metavar="DIR", help="The ledger folder (holding forces/)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_version),
    ] = False,
) -> None:
    """The global options, read and dropped."""


def _choice(*choices: str):
    """A parser as peel's choice options have (``peel.cli.shell.choices_of``): one of ``choices``, in any case."""

    def parse(value: str) -> str:
        if value.casefold() in choices:
            return value.casefold()
        raise typer.BadParameter(f"unknown {value!r}: choose one of {', '.join(choices)}")

    return parse


def _complete(ctx: typer.Context, incomplete: str) -> list[str]:
    """Completes nothing: completion is not what the floor measures."""
    return []


def status(
    ctx: typer.Context,
    force: Annotated[
        str | None,
        typer.Argument(metavar="[FORCE]", help="Force slug or name.", show_default=False, autocompletion=_complete),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Show the ledger as it stood on DATE."),
    ] = None,
    phase: Annotated[
        str | None,
        typer.Option("--phase", metavar="[engage|scan]", parser=_choice("engage", "scan"), help="The phase."),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", "-a", help="Every force."),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="[table|json|markdown]",
            parser=_choice("table", "json", "markdown"),
            autocompletion=_complete,
            help="Output format.",
        ),
    ] = "table",
    sector: Annotated[
        str,
        typer.Option(
            "--sector",
            metavar="[police|fire|all]",
            parser=_choice("police", "fire", "all"),
            autocompletion=_complete,
            help="Which sector to count.",
        ),
    ] = "all",
) -> None:
    """Nothing: the floor is what it takes to get here."""


def build() -> typer.Typer:
    """The app, with the settings ``peel``'s own is built with and only the command being run."""
    app = typer.Typer(
        name="peel",
        help="The Typer floor of peel status.",
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_options)
    app.command("status")(status)
    return app


def import_all(names: list[str]) -> list[str]:
    """Import each named module; the names of those that cannot be imported on their own."""
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a module that only its package may import; the package is imported
            failed.append(name)
    return failed


def main(argv: list[str]) -> None:
    import_all(Path(argv[0]).read_text(encoding="utf-8").split())
    build()(argv[1:], prog_name="peel")


if __name__ == "__main__":
    main(sys.argv[1:])

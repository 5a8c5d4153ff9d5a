"""The command line: parse options, call the core, print. Nothing else lives here.

Heavy imports (pydantic models, Rich tables) happen inside the commands that need them, so
``peel --help`` costs little more than importing Typer.
"""

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from .problems import EXIT_INTERNAL, PeelError, Problem

app = typer.Typer(
    name="peel",
    help="A ledger of HMICFRS monitoring of the police forces of England and Wales: where each "
    "force stands, what is open or overdue, what changed, and whether a change of phase is "
    "justified.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def Format(*choices: str):  # noqa: N802 - reads as a type in signatures
    """The one ``--format`` option, shared by every reporting command."""
    return Annotated[
        Literal[choices],  # type: ignore[valid-type]
        typer.Option("--format", "-f", help=f"Output format: {', '.join(choices)}.", case_sensitive=False),
    ]


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Show the ledger as it stood on DATE (YYYY-MM-DD): anything dated later is ignored. Default: today.",
    ),
]
ForceArgument = Annotated[str, typer.Argument(help="Force slug (west-midlands) or name.", show_default=False)]


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        sys.stderr.write(f"{problem}\n")


def command(*names, **settings):
    """Register a command whose refusals print as located problems with their exit code."""

    def register(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except PeelError as exc:
                _report(exc.problems)
                raise typer.Exit(exc.exit_code) from None

        app.command(*names, **settings)(run)
        return function

    return register


@app.callback()
def _options(
    ctx: typer.Context,
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="The ledger folder (holding forces/). Default: $PEEL_DATA_DIR, else ./data when "
            "it holds forces/, else the ledger shipped with peel.",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print peel's version and exit.")] = False,
) -> None:
    if version:
        from . import __version__

        typer.echo(f"peel {__version__}")
        raise typer.Exit()
    ctx.obj = {"data_dir": data_dir}


def _ledger(ctx: typer.Context):
    from .ledger import Ledger, find_data_dir

    return Ledger(find_data_dir((ctx.obj or {}).get("data_dir")))


def _today():
    from .dates import DateSyntaxError, today
    from .problems import usage_error

    try:
        return today()
    except DateSyntaxError as exc:
        raise usage_error(f"PEEL_TODAY: {exc}") from None


def _day(option: str, value: str | None):
    """A full date given on the command line, or a usage error naming the option."""
    from .dates import DateSyntaxError, parse_day
    from .problems import usage_error

    if value is None:
        return _today()
    try:
        return parse_day(value)
    except DateSyntaxError as exc:
        raise usage_error(f"{option}: {exc}") from None


@command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Force files or folders to check. Default: the whole ledger.", show_default=False),
    ] = None,
    fmt: Annotated[
        Literal["text", "json", "github"] | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text, json, github (annotations; the default when GITHUB_ACTIONS=true).",
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Check force files: every problem in every file, as file:line:col. Exit 1 on errors."""
    from .validation import expand, run

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    files = expand(paths) if paths else expand([_ledger(ctx).root])
    tally = run(files, today=_today(), fmt=fmt, write=lambda line: sys.stdout.write(line + "\n"))
    if tally.errors:
        raise typer.Exit(1)


@command("status")
def status(
    ctx: typer.Context,
    force: Annotated[
        str | None,
        typer.Argument(help="Force slug or name. Without it: one row per force.", show_default=False),
    ] = None,
    as_of: AsOf = None,
    fmt: Format("table", "json", "markdown") = "table",
) -> None:
    """Where a force stands: phase, causes of concern, open and overdue recommendations."""
    from . import render
    from .status import status_json, status_report, summary_json, summary_report

    ledger, day = _ledger(ctx), _day("--as-of", as_of)
    if force is None:
        from .status import summary_rows

        rows, problems = summary_rows(ledger, day, today=_today())
        if fmt == "json":
            render.print_json(summary_json(rows, day))
        else:
            _print(summary_report(rows, day), fmt)
        if problems:
            _report(problems)
            raise typer.Exit(1)
        return
    from .timeline import standing

    found = standing(ledger.load(force, today=_today()), day)
    if fmt == "json":
        render.print_json(status_json(found))
    else:
        _print(status_report(found), fmt)


def _print(report, fmt: str) -> None:
    from . import render

    if fmt == "markdown":
        render.print_text(render.markdown(report))
    else:
        render.print_table(report)


def main() -> None:
    """Entry point: no input, however broken, ends in a Python traceback."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("PEEL_DEBUG"):
            raise
        sys.stderr.write(
            f"peel: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in peel, not in your ledger: please report it (PEEL_DEBUG=1 shows details).\n"
        )
        sys.exit(EXIT_INTERNAL)

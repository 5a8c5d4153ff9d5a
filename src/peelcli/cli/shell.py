"""What every command of the command line shares: the run's :class:`Invocation` (ledger and today,
each worked out once), the registry of commands and the app built from it, the options several
commands take, and how results and refusals reach the terminal."""

from __future__ import annotations

import functools
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from ..problems import PeelError, Problem

HELP = (
    "A ledger of HMICFRS monitoring of the police forces of England and Wales and the fire and rescue services of "
    "England: where each stands, what is open or overdue, what changed, and whether a change of phase is justified."
)
COMMANDS: dict[str, tuple] = {}
"""Command name to (function, Typer settings), in the order ``--help`` lists them."""


def command(name: str, **settings):
    """Register a command whose refusals print as located problems with their exit code, and
    whose output, when standard output cannot take it, ends as :func:`_output_lost` says."""

    def register(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            from ..files import writes_so_far
            from ..output.streams import StdoutError

            mark = writes_so_far()
            try:
                outcome = function(*args, **kwargs)
            except typer.Exit as done:
                _flush(mark, done.exit_code)
                raise
            except StdoutError as lost:
                _output_lost(lost, mark, 0)
            except PeelError as exc:
                context = kwargs.get("ctx")
                if context is not None and getattr(context.obj, "recording", False):
                    raise  # edit_step's caller reports it
                _report(exc.problems)
                raise typer.Exit(exc.exit_code) from None
            _flush(mark, 0)
            return outcome

        COMMANDS[name] = (run, settings)
        return function

    return register


def _flush(mark: int, code: int) -> None:
    """Whatever standard output still holds, written before the command ends with ``code``."""
    from ..output.streams import StdoutError

    try:
        sys.stdout.flush()
    except StdoutError as lost:
        _output_lost(lost, mark, code)


def _output_lost(lost, mark: int, code: int) -> None:
    """Standard output failed (full, closed, broken). A command that had written its files has
    done its work, and says so on standard error with the exit code it chose (0 for an edit whose
    summary could not be printed: the edit is made, and running it again would be refused as
    done); one that had not ends with exit 1 and the reason."""
    from ..files import files_written_since
    from ..output.streams import lost_said
    from ..output.wording import plural

    lost_said()
    written = files_written_since(mark)
    if written:
        sys.stderr.write(
            f"note: done ({plural(written, 'file')} written), but its summary could not be written to standard "
            f"output: {lost.reason}\n"
        )
        raise typer.Exit(code)
    _report(lost.problems)
    raise typer.Exit(max(code, lost.exit_code))


def _printer():
    """A line writer to stdout: ``peel validate | head`` still checks every file and exits by
    what it found (the stream drops what a reader that has gone no longer reads)."""

    def write(line: str) -> None:
        sys.stdout.write(line + "\n")

    return write


def _report(problems: list[Problem]) -> None:
    """Problems to standard error, each one line made safe for a terminal: a file name may hold
    escape sequences or bidirectional controls."""
    from ..output.terminal import printable

    for problem in problems:
        sys.stderr.write(f"{printable(str(problem))}\n")


def _report_skipped(problems: list[Problem]) -> None:
    """After a whole-ledger output: what was left out and why; exit 1 when any is an error
    (an invalid file), not for warnings alone (a stray file, skipped)."""
    _report(problems)
    if any(problem.is_error for problem in problems):
        raise typer.Exit(1)


class _NotAChoice(typer.BadParameter):
    """A usage error said in peel's words alone: the choices name the option well enough."""

    def format_message(self) -> str:
        return self.message


def choices_of(what: str, *choices: str):
    """The parser of an option that takes one of ``choices`` (in any case). Anything else is a
    usage error naming the choices, in peel's words: Typer's own message depends on its release
    (from 0.29 a pydantic one, "Value error, 'xml' is not one of ...")."""

    def parse(value: str) -> str:
        if value.casefold() in choices:
            return value.casefold()
        raise _NotAChoice(f"unknown {what} {value!r}: choose one of {', '.join(choices)}")

    return parse


def _completing(*choices: str):
    def complete(incomplete: str) -> list[str]:
        return [choice for choice in choices if choice.startswith(incomplete.casefold())]

    return complete


def Choice(*names: str, what: str, choices: tuple[str, ...], help: str):  # noqa: N802 - reads as a type
    """An option taking one of ``choices``: one parser, one message, one completion for all."""
    return Annotated[
        str,
        typer.Option(
            *names,
            metavar=f"[{'|'.join(choices)}]",
            parser=choices_of(what, *choices),
            autocompletion=_completing(*choices),
            help=help,
        ),
    ]


def Format(*choices: str):  # noqa: N802 - reads as a type in signatures
    """The one ``--format`` option, shared by every reporting command."""
    return Choice("--format", "-f", what="format", choices=choices, help=f"Output format: {', '.join(choices)}.")


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Show the ledger as it stood on DATE (YYYY-MM-DD; a month, year or START/END means its last day): "
        "anything dated later is ignored. Default: today.",
    ),
]
SectorOption = Choice(
    "--sector",
    what="sector",
    choices=("police", "fire", "all"),
    help="Which to count: police (the forces), fire (the fire and rescue services) or all (both, each counted apart).",
)
"""The one ``--sector`` option, shared by every command that counts the ledger nationally."""


def complete_force(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """What a FORCE argument completes to: the slugs of the forces with a file in the ledger the
    command would read (``--data-dir``, ``$PEEL_DATA_DIR``, ...), each with its name beside it
    where the shell shows one; from a capital letter on, their names and other names ("West
    Midlands Police", "Met"), each with its slug. Never an error: a ledger peel cannot read
    completes nothing (peel validate says why)."""
    from ..ledger import find_ledger

    try:
        names = find_ledger(ctx.find_root().params.get("data_dir")).force_names()
    except PeelError:
        return []
    found = [(slug, known[0] if known else "") for slug, known in names.items()]
    if incomplete[:1].isupper():
        bash = any(key.endswith("_COMPLETE") and value.endswith("_bash") for key, value in os.environ.items())
        found = [
            (_shell_word(name) if bash else name, slug)
            for slug, known in names.items()
            for name in known
            if name.isprintable()  # a name with a line break or a control character is not offered
        ]
    return [(value, help_) for value, help_ in dict(found).items() if value.startswith(incomplete)]


def _shell_word(text: str) -> str:
    """A name as one word for bash, whose completion inserts what it is given as it is: each
    space and shell character after a backslash (``West\\ Midlands\\ Police``)."""
    return re.sub(r"([^\w@%+=:,./-])", r"\\\1", text)


ForceArgument = Annotated[
    str,
    typer.Argument(
        metavar="FORCE",
        help="Force or service: its slug (west-midlands, buckinghamshire-fire) or name.",
        show_default=False,
        autocompletion=complete_force,
    ),
]


def path_given(value: str) -> Path:
    """A file or folder named on the command line. An empty name is a usage error: ``Path("")``
    is the working folder, and ``peel init ''`` or ``peel site ''`` must not quietly write there."""
    if not value.strip():
        raise typer.BadParameter(_EMPTY_PATH)
    return Path(value)


_EMPTY_PATH = "an empty name names no file or folder: give one (. for the working folder)"


_FIRST_DAY_OPTIONS = frozenset({"--since"})
"""Options whose month, year or span means its first day; every other date option its last."""


class Invocation:
    """What every command of one run shares: the ledger folder it names and today's date,
    each worked out once."""

    recording = False
    """True for :func:`~peelcli.cli.editing.edit_step`'s invocations, which record an edit
    instead of making it and let its refusal through to their caller."""

    def __init__(self, data_dir: str | None) -> None:
        self.data_dir = data_dir

    @functools.cached_property
    def ledger(self):
        from ..ledger import find_ledger

        return find_ledger(self.data_dir)

    @functools.cached_property
    def today(self) -> date:
        from ..dates import DateSyntaxError, today
        from ..problems import usage_error

        try:
            return today()
        except DateSyntaxError as exc:
            raise usage_error(f"PEEL_TODAY: {exc}") from None

    def day(self, option: str, value: str | None) -> date:
        """A day given on the command line (today when not given), or a usage error.

        Dates take every form the files do. A month, a year or a span stands for its last day
        (``--as-of 2024-09``: the ledger as it stood at the end of September 2024), except for
        ``--since``, where it stands for its first (``--since 2024-09``: from 1 September)."""
        from ..dates import DateSyntaxError, PartialDate
        from ..problems import usage_error

        if value is None:
            return self.today
        try:
            parsed = PartialDate.parse(value)
        except DateSyntaxError as exc:
            raise usage_error(f"{option}: {exc}") from None
        return parsed.earliest if option in _FIRST_DAY_OPTIONS else parsed.latest

    def partial(self, option: str, value: str | None):
        """A date that may be only a month, a year or a span (today when not given)."""
        from ..dates import DateSyntaxError, PartialDate
        from ..problems import usage_error

        if value is None:
            return PartialDate.of(self.today)
        try:
            return PartialDate.parse(value)
        except DateSyntaxError as exc:
            raise usage_error(f"{option}: {exc}") from None

    def edit(self, force: str, change, dry_run: bool, **request) -> None:
        """Apply one of :mod:`peelcli.edits`' functions to a force file and say what happened."""
        outcome = self.ledger.edit(force, change, today=self.today, dry_run=dry_run, **request)
        _tell(outcome, dry_run)


def _invocation(ctx: typer.Context) -> Invocation:
    return ctx.obj if isinstance(ctx.obj, Invocation) else Invocation(None)


def _print_version(value: bool) -> None:
    """Eager, so it runs while the options are read: a group's own callback runs only once a
    command is given, and ``peel --version`` gives none."""
    if value:
        from .. import __version__

        sys.stdout.write(f"peel {__version__}\n")
        raise typer.Exit()


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
    version: Annotated[
        bool,
        typer.Option("--version", help="Print peel's version and exit.", is_eager=True, callback=_print_version),
    ] = False,
) -> None:
    if data_dir is not None and not data_dir.strip():
        raise typer.BadParameter(_EMPTY_PATH, param_hint="'--data-dir'")
    if not isinstance(ctx.obj, Invocation):
        ctx.obj = Invocation(data_dir)


def _text(option: str, value: str | None) -> str | None:
    """Text given on the command line: not blank, and only characters a file can hold."""
    from ..problems import usage_error

    if value is None:
        return None
    if not value.strip():
        raise usage_error(f"{option} must not be blank")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise usage_error(f"{option} holds bytes that are not UTF-8 text") from None
    return value


def _tell(outcome, dry_run: bool) -> None:
    from ..output.terminal import printable

    for warning in outcome.edit.warnings:
        sys.stderr.write(f"warning: {printable(warning)}\n")
    if dry_run:
        sys.stdout.write(outcome.diff)
        sys.stderr.write(f"dry run: {printable(outcome.path)} not written\n")
    else:
        sys.stdout.write(f"{printable(outcome.edit.summary)}\n")


def _emit(view, fmt: str) -> None:
    from ..output import emit

    emit(view, fmt)


class PeelGroup(TyperGroup):
    """Typer's group, running every invocation with standard output and error guarded
    (:func:`~peelcli.output.streams.guarded`): help, usage errors and ``--version`` as much as
    the commands, whose own losses :func:`command` has said."""

    def main(self, *args, **kwargs):
        from ..output.streams import StdoutError, guarded

        with guarded():
            try:
                outcome = super().main(*args, **kwargs)
            except SystemExit as end:
                _say_loss(end.code if isinstance(end.code, int) else 1)
                raise
            except StdoutError:  # raised by Click's own flush, printing help
                _say_loss(0)
                raise
            _say_loss(0)
            return outcome


def _say_loss(code: int) -> None:
    """Standard output that failed outside a command (help, ``--version``) and was not said:
    exit 1 with the reason."""
    from ..output.streams import StdoutError, lost_said

    try:
        sys.stdout.flush()
    except StdoutError as lost:
        lost_said()
        _report(lost.problems)
        sys.exit(max(code, lost.exit_code))


def build_app(names: list[str] | None = None, *, listing: bool = False) -> typer.Typer:
    """The Typer app with the named commands (default: all). Building a command is where
    Typer's cost lies (from 0.29 it builds a pydantic adapter for every parameter), so a run
    builds only the command it runs. ``listing``: every command by name and help alone, for
    ``peel --help`` (a listed command cannot run)."""
    built = typer.Typer(
        name="peel",
        cls=PeelGroup,
        help=HELP,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_options)
    for name in names or COMMANDS:
        function, settings = COMMANDS[name]
        if listing:
            built.command(name, help=function.__doc__, **settings)(_listed)
        else:
            built.command(name, **settings)(function)
    return built


def _listed() -> None:
    from ..problems import usage_error

    raise usage_error("this command was listed, not built: run it as peel COMMAND ...")

"""The command line: parse options, call the core, hand its view to the output layer.

Nothing else lives here. Heavy imports (pydantic-core, Rich) happen inside the commands that
need them, and only the command being run is built (:func:`main`), so ``peel --help`` and a
single command cost little more than importing Typer.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

import typer

from .problems import EXIT_INTERNAL, PeelError, Problem
from .schema.names import SOURCE_KINDS

HELP = (
    "A ledger of HMICFRS monitoring of the police forces of England and Wales: where each force stands, what is "
    "open or overdue, what changed, and whether a change of phase is justified."
)
COMMANDS: dict[str, tuple] = {}
"""Command name to (function, Typer settings), in the order ``--help`` lists them."""


def command(name: str, **settings):
    """Register a command whose refusals print as located problems with their exit code."""

    def register(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except PeelError as exc:
                context = kwargs.get("ctx")
                if context is not None and isinstance(context.obj, _Recording):
                    raise  # edit_step's caller reports it
                _report(exc.problems)
                raise typer.Exit(exc.exit_code) from None
            except BrokenPipeError:
                _stdout_gone()
                raise typer.Exit(0) from None
            finally:
                _flush_stdout()

        COMMANDS[name] = (run, settings)
        return function

    return register


def _stdout_gone() -> None:
    """Whoever read stdout has stopped (``peel status | head``): that is no failure of the
    ledger. What is left to print goes nowhere, so the exit's own flush cannot fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()


def _printer():
    """A line writer to stdout that stops writing, quietly, once the reader has gone, so that
    ``peel validate | head`` still checks every file and exits by what it found."""
    gone = False

    def write(line: str) -> None:
        nonlocal gone
        if not gone:
            try:
                sys.stdout.write(line + "\n")
            except BrokenPipeError:
                gone = True
                _stdout_gone()

    return write


def _report(problems: list[Problem]) -> None:
    """Problems to standard error, each one line made safe for a terminal: a file name may hold
    escape sequences or bidirectional controls."""
    from .output.terminal import printable

    for problem in problems:
        sys.stderr.write(f"{printable(str(problem))}\n")


def _report_skipped(problems: list[Problem]) -> None:
    """After a whole-ledger output: what was left out and why; exit 1 when any is an error
    (an invalid file), not for warnings alone (a stray file, skipped)."""
    _report(problems)
    if any(problem.is_error for problem in problems):
        raise typer.Exit(1)


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
        help="Show the ledger as it stood on DATE (YYYY-MM-DD; a month, year or START/END means its last day): "
        "anything dated later is ignored. Default: today.",
    ),
]
ForceArgument = Annotated[
    str, typer.Argument(metavar="FORCE", help="Force slug (west-midlands) or name.", show_default=False)
]


_FIRST_DAY_OPTIONS = frozenset({"--since"})
"""Options whose month, year or span means its first day; every other date option its last."""


class Invocation:
    """What every command of one run shares: the ledger folder it names and today's date,
    each worked out once."""

    def __init__(self, data_dir: str | None) -> None:
        self.data_dir = data_dir

    @functools.cached_property
    def ledger(self):
        from .ledger import find_ledger

        return find_ledger(self.data_dir)

    @functools.cached_property
    def today(self) -> date:
        from .dates import DateSyntaxError, today
        from .problems import usage_error

        try:
            return today()
        except DateSyntaxError as exc:
            raise usage_error(f"PEEL_TODAY: {exc}") from None

    def day(self, option: str, value: str | None) -> date:
        """A day given on the command line (today when not given), or a usage error.

        Dates take every form the files do. A month, a year or a span stands for its last day
        (``--as-of 2024-09``: the ledger as it stood at the end of September 2024), except for
        ``--since``, where it stands for its first (``--since 2024-09``: from 1 September)."""
        from .dates import DateSyntaxError, PartialDate
        from .problems import usage_error

        if value is None:
            return self.today
        try:
            parsed = PartialDate.parse(value)
        except DateSyntaxError as exc:
            raise usage_error(f"{option}: {exc}") from None
        return parsed.earliest if option in _FIRST_DAY_OPTIONS else parsed.latest

    def partial(self, option: str, value: str | None):
        """A date that may be only a month, a year or a span (today when not given)."""
        from .dates import DateSyntaxError, PartialDate
        from .problems import usage_error

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
        from . import __version__

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
    if not isinstance(ctx.obj, Invocation):
        ctx.obj = Invocation(data_dir)


def _text(option: str, value: str | None) -> str | None:
    """Text given on the command line: not blank, and only characters a file can hold."""
    from .problems import usage_error

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
    from .output.terminal import printable

    for warning in outcome.edit.warnings:
        sys.stderr.write(f"warning: {printable(warning)}\n")
    if dry_run:
        sys.stdout.write(outcome.diff)
        sys.stderr.write(f"dry run: {printable(outcome.path)} not written\n")
    else:
        sys.stdout.write(f"{printable(outcome.edit.summary)}\n")


def _emit(view, fmt: str) -> None:
    from .output import emit

    emit(view, fmt)


# -- reporting ----------------------------------------------------------------------------------


@command("status")
def status(
    ctx: typer.Context,
    force: Annotated[
        str | None,
        typer.Argument(
            metavar="[FORCE]", help="Force slug or name. Without it: one row per force.", show_default=False
        ),
    ] = None,
    as_of: AsOf = None,
    fmt: Format("table", "json", "markdown") = "table",
) -> None:
    """Where a force stands: phase, causes of concern, open and overdue recommendations."""
    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    if force is None:
        from .status import LedgerStatus, national

        found, problems = national(run.ledger, day, today=run.today)
        _emit(LedgerStatus(found), fmt)
        _report_skipped(problems)
        return
    from .status import ForceStatus
    from .timeline import standing

    _emit(ForceStatus(standing(run.ledger.load(force, today=run.today), day)), fmt)


@command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH...",
            help="Force files, registry or policy files, or folders to check. Default: the whole ledger.",
            show_default=False,
        ),
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
    """Check force files (and the registry and policy files): every problem in every file, as
    file:line:col. Exit 1 on errors."""
    from .validation import REPORTERS, expand, run

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    invocation = _invocation(ctx)
    files = expand(paths) if paths else expand([invocation.ledger.root])
    reporter = REPORTERS[fmt](_printer())
    if run(files, today=invocation.today, reporter=reporter).errors:
        raise typer.Exit(1)


@command("assess")
def assess(
    ctx: typer.Context,
    force: ForceArgument,
    as_of: AsOf = None,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", metavar="FILE", help="A policy file to use instead of peel's default policy."),
    ] = None,
    fmt: Format("table", "json", "markdown") = "table",
) -> None:
    """Is a change of phase justified on the record? For a force in Engage, a return to Scan;
    for a force in Scan, a move into Engage. The phase is taken as at the start of the day."""
    from .assess import assess as judge
    from .policy import read_policy

    run = _invocation(ctx)
    day, rules = run.day("--as-of", as_of), read_policy(policy)
    ledger, today = run.ledger, run.today
    _emit(judge(ledger.load(force, today=today), day, rules, ledger.load_all(today=today)), fmt)


@command("history")
def history(
    ctx: typer.Context,
    force: ForceArgument,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only events on or after DATE (YYYY-MM-DD; a month or year: from its first day).",
        ),
    ] = None,
    fmt: Format("table", "json", "markdown") = "table",
) -> None:
    """Every dated event of a force in order: inspections, causes raised, closures, phase
    changes, letters, meetings."""
    from .history import History

    run = _invocation(ctx)
    start = run.day("--since", since) if since else None
    _emit(History(run.ledger.load(force, today=run.today), start), fmt)


@command("diff")
def diff(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="What happened on or after DATE (YYYY-MM-DD; a month or year: from its first day), by its dates.",
        ),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option("--from", metavar="GIT_REV", help="What was recorded since the git revision GIT_REV."),
    ] = None,
    fmt: Format("table", "json", "markdown") = "table",
) -> None:
    """What changed in the ledger: causes and recommendations raised or closed, areas for
    improvement, phase changes. Give exactly one of --since or --from."""
    from .diff import compare, read_revision
    from .diff import since as happened_since
    from .problems import usage_error

    if (since is None) == (rev is None):
        raise usage_error("give exactly one of --since DATE or --from GIT_REV")
    run = _invocation(ctx)
    ledger, today = run.ledger, run.today
    if since is not None:
        found = happened_since(ledger.load_all(today=today, strict=True), run.day("--since", since))
    else:
        old = read_revision(ledger.root, rev, today=today)
        found = compare(old, {force.slug: force for force in ledger.load_all(today=today, strict=True)})
    _emit(found, fmt)


@command("report")
def report(
    ctx: typer.Context,
    force: ForceArgument,
    as_of: AsOf = None,
    fmt: Format("markdown", "html") = "markdown",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Write the report to FILE (replaced whole), not to stdout."),
    ] = None,
) -> None:
    """A self-contained report on one force for a board paper: phase and its history, causes of
    concern with their recommendations and sources, overdue items, metrics, and the assessment."""
    from .policy import read_policy
    from .report import BoardReport

    run = _invocation(ctx)
    ledger, today, day = run.ledger, run.today, run.day("--as-of", as_of)
    view = BoardReport(ledger.load(force, today=today), day, read_policy(None), ledger.load_all(today=today))
    if out is None:
        _emit(view, fmt)
        return
    from .files import check_output_path, write_text
    from .output import render

    check_output_path(out, ledger.root)
    write_text(out, render(view, fmt))
    sys.stdout.write(f"wrote {out}\n")


@command("site")
def site(
    ctx: typer.Context,
    outdir: Annotated[
        Path,
        typer.Argument(
            metavar="OUTDIR",
            help="The folder to write the site into: new, empty, or holding a site peel wrote (replaced).",
            show_default=False,
        ),
    ],
    as_of: AsOf = None,
) -> None:
    """A static web site of the whole ledger, readable offline from the folder: an index that leads
    with the forces in Engage, a national timeline, and a report page per force. A folder holding
    anything peel site did not write is refused."""
    from .policy import read_policy
    from .site import INDEX, site_pages, write_site
    from .status import national

    run = _invocation(ctx)
    found, problems = national(run.ledger, run.day("--as-of", as_of), today=run.today)
    pages = site_pages(found, read_policy(None))
    removed = write_site(outdir, pages, ledger=run.ledger.root)
    gone = f", removed {len(removed)} no longer made" if removed else ""
    sys.stdout.write(f"wrote {len(pages)} pages to {outdir}{gone} (open {outdir / INDEX})\n")
    _report_skipped(problems)


@command("export")
def export(
    ctx: typer.Context,
    fmt: Format("csv", "json", "sqlite"),
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="The file to write (replaced whole); - writes CSV or JSON to standard output.",
            show_default=False,
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Only what was on record on DATE (YYYY-MM-DD; a month or year: its last day), with statuses "
            "as of then. "
            "Default: every file whole, with statuses as of today.",
        ),
    ] = None,
) -> None:
    """The whole ledger as a file: CSV (a row per recommendation, and per force), JSON (every
    force file and its status) or SQLite (tables for Datasette). With --as-of, only what was on
    record then. --out - streams CSV or JSON to standard output."""
    from .export import STDOUT
    from .export import export as write
    from .files import check_output_path
    from .output.terminal import printable
    from .output.wording import plural
    from .problems import usage_error

    streamed = str(out) == STDOUT
    if streamed and fmt == "sqlite":
        raise usage_error("--out -: a SQLite database cannot be streamed; give a file name")
    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    ledger = run.ledger
    if not streamed:
        check_output_path(out, ledger.root)
    forces = ledger.load_all(today=run.today, strict=True)
    written = write(forces, out, fmt, day, cut=as_of is not None, registry=ledger.registry())
    if not streamed:
        on_record = sum(1 for entry in written if entry.force is not None)
        sys.stdout.write(
            f"wrote {plural(len(written), 'force')} ({on_record} with a file) to {printable(str(out))} ({fmt})\n"
        )


@command("schema")
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a force file, for editors and other tools."""
    from .schema.jsonschema import force_schema_text

    sys.stdout.write(force_schema_text())


# -- editing ------------------------------------------------------------------------------------

DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY or START/END"


def _date_option(flag: str, help_text: str, *, required: bool = False, default: str = ""):
    """A date option: every one accepts what the files accept (a day, a month, a year, a span)."""
    shown = f" Default: {default}." if default else ""
    return Annotated[
        str if required else str | None,
        typer.Option(flag, metavar="DATE", help=f"{help_text} ({DATE_FORMS}).{shown}", show_default=False),
    ]


def _text_option(flag: str, help_text: str, *, required: bool = False, metavar: str = "TEXT"):
    return Annotated[
        str if required else str | None,
        typer.Option(flag, metavar=metavar, help=help_text, show_default=False),
    ]


def _many(flag: str, help_text: str, metavar: str):
    return Annotated[list[str] | None, typer.Option(flag, metavar=metavar, help=help_text, show_default=False)]


On = _date_option("--on", "When it happened", default="today")
Evidence = _text_option("--evidence", "A short summary of why it was closed.", required=True)
Sources = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        metavar="SRC",
        help="A source id of this force, or a URL (matched to a source after normalising; a new one is added "
        "as a web-page source). Repeat for several.",
        show_default=False,
    ),
]
Notes = _text_option("--notes", "Notes recorded with it.")
Reason = _text_option("--reason", "Why; recorded with it.")
_PERSON = '"NAME; ROLE" (the role is optional). Repeatable.'
LetterFrom = _many("--from", f"Someone the document is from: {_PERSON}", "PERSON")
LetterTo = _many("--to", f"Someone it is addressed to: {_PERSON}", "PERSON")
LetterCc = _many("--cc", f"Someone it is copied to: {_PERSON}", "PERSON")
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the change as a unified diff; write nothing.")]
_ID_OR_URL = r"[^\s;,]+"


def _date(run: Invocation, option: str, value: str | None):
    """An optional date option: ``None`` when not given."""
    return run.partial(option, value) if value is not None else None


def _people(option: str, values: list[str] | None) -> list:
    """``"NAME; ROLE"`` values: the role is whatever follows the first ';' (it may hold more)."""
    from .edits import Person
    from .problems import usage_error

    people = []
    for value in values or []:
        name, _, role = (_text(option, value) or "").partition(";")
        if not name.strip():
            raise usage_error(f'{option} {value!r}: give a name, as "NAME; ROLE"')
        people.append(Person(name.strip(), role.strip() or None))
    return people


def _other_dates(run: Invocation, values: list[str] | None) -> list:
    """``"DATE; NOTE; SRC"`` values: the note and the sources may be left out; the last part is
    read as sources when it is only source ids or URLs (separated by ',' or spaces)."""
    import re

    from .edits import OtherDate

    found = []
    for value in values or []:
        parts = [part.strip() for part in (_text("--other-date", value) or "").split(";")]
        on = run.partial("--other-date", parts[0])
        sources: tuple[str, ...] = ()
        rest = parts[1:]
        if len(rest) >= 2 and re.fullmatch(rf"{_ID_OR_URL}(?:[\s,]+{_ID_OR_URL})*", rest[-1]):
            sources = tuple(s for s in re.split(r"[\s,]+", rest.pop()) if s)
        note = "; ".join(part for part in rest if part) or None
        found.append(OtherDate(on, note, sources))
    return found


def _number(option: str, value: str):
    """An exact decimal number as the record gives it: digits, one optional point, no exponent."""
    import re
    from decimal import Decimal

    from .problems import usage_error

    text = value.strip()
    if not re.fullmatch(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", text):
        raise usage_error(f"{option} {value!r} is not a plain number: write digits with an optional point, as 5.5")
    return Decimal(text)


def _choice(option: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    from .problems import usage_error

    if value is not None and value not in choices:
        raise usage_error(f"{option} {value!r} is not one of: {', '.join(choices)}")
    return value


@command("init")
def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="The folder to make a ledger of (created if need be).", show_default=False),
    ],
) -> None:
    """Start a ledger of your own in DIR: a forces folder, the registry of the 43 forces and the
    schema editors read. Run again on a ledger to bring its schema up to date; force files and
    registry are kept."""
    from .files import display_path
    from .new_ledger import start_ledger
    from .output.terminal import printable

    started = start_ledger(folder)
    for path in started.made:
        sys.stdout.write(f"wrote {printable(display_path(path))}{'/' if path.is_dir() else ''}\n")
    for path in started.kept:
        sys.stdout.write(f"kept {printable(display_path(path))}{'/' if path.is_dir() else ''} (already there)\n")
    shown = printable(display_path(folder))
    sys.stdout.write(
        f"next: cd {shown} && peel add-force SLUG (from elsewhere: peel --data-dir {shown} ..., "
        f"or PEEL_DATA_DIR={shown})\n"
    )


@command("close-rec")
def close_rec(
    ctx: typer.Context,
    force: ForceArgument,
    rec_id: Annotated[str, typer.Argument(metavar="REC_ID", help="The recommendation's id.", show_default=False)],
    evidence: Evidence,
    on: On = None,
    source: Sources = None,
    reason: Reason = None,
    dry_run: DryRun = False,
) -> None:
    """Record that a recommendation was closed."""
    from .edits import close_recommendation

    run = _invocation(ctx)
    run.edit(
        force,
        close_recommendation,
        dry_run,
        rec_id=rec_id,
        on=run.partial("--on", on),
        evidence=_text("--evidence", evidence),
        sources=source or [],
        reason=_text("--reason", reason),
    )


@command("close-concern")
def close_concern(
    ctx: typer.Context,
    force: ForceArgument,
    concern_id: Annotated[
        str, typer.Argument(metavar="CONCERN_ID", help="The cause of concern's id.", show_default=False)
    ],
    evidence: Evidence,
    on: On = None,
    source: Sources = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help="Why it was closed while recommendations stay open (recorded)."),
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Record that a cause of concern was closed; refused while its recommendations are open,
    unless --reason says why."""
    from .edits import close_concern as close

    run = _invocation(ctx)
    run.edit(
        force,
        close,
        dry_run,
        concern_id=concern_id,
        on=run.partial("--on", on),
        evidence=_text("--evidence", evidence),
        sources=source or [],
        reason=_text("--reason", reason),
    )


@command("close-afi")
def close_afi(
    ctx: typer.Context,
    force: ForceArgument,
    afi_id: Annotated[str, typer.Argument(metavar="AFI_ID", help="The area for improvement's id.", show_default=False)],
    evidence: Evidence,
    on: On = None,
    source: Sources = None,
    reason: Reason = None,
    dry_run: DryRun = False,
) -> None:
    """Record that an area for improvement was closed."""
    from .edits import close_area

    run = _invocation(ctx)
    run.edit(
        force,
        close_area,
        dry_run,
        area_id=afi_id,
        on=run.partial("--on", on),
        evidence=_text("--evidence", evidence),
        sources=source or [],
        reason=_text("--reason", reason),
    )


@command("add-force")
def add_force(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The force's slug, e.g. kent.", show_default=False)],
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Official name. Default: the registry's name for SLUG."),
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Start a file for a force: in Scan, with nothing on record yet (say how far its record was
    checked with peel checked)."""
    from .edits import new_force_text
    from .ledger import check_slug

    ledger = _invocation(ctx).ledger
    ledger.check_own()
    check_slug(slug)
    name = _text("--name", name) or ledger.registry().names.get(slug)
    if name is None:
        raise PeelError(f"{slug} is not in the registry of forces: give its official name with --name")
    text = new_force_text(slug, name, ledger.schema_reference())
    _tell(ledger.create(slug, text, today=_invocation(ctx).today, dry_run=dry_run), dry_run)


@command("add-source")
def add_source(
    ctx: typer.Context,
    force: ForceArgument,
    source_id: Annotated[str, typer.Option("--id", metavar="ID", help="A new id for the source.", show_default=False)],
    kind: Annotated[
        str, typer.Option("--kind", metavar="KIND", help=f"One of: {', '.join(SOURCE_KINDS)}.", show_default=False)
    ],
    title: _text_option("--title", "The document's title.", required=True),
    url: _text_option("--url", "Its address.", metavar="URL") = None,
    recorded_in: _many(
        "--recorded-in", "For a source with no address of its own: a document that records it (repeatable).", "SRC"
    ) = None,
    sent: _date_option("--sent", "When a letter was sent") = None,
    published: _date_option("--published", "When it was published") = None,
    held: _date_option("--held", "When a meeting was held") = None,
    fieldwork_from: _date_option("--fieldwork-from", "When an inspection's fieldwork began") = None,
    fieldwork_to: _date_option("--fieldwork-to", "When it ended") = None,
    from_: LetterFrom = None,
    to: LetterTo = None,
    cc: LetterCc = None,
    meeting: _date_option(
        "--meeting", "This document records a Policing Performance Oversight Group meeting held on DATE: add it too"
    ) = None,
    notes: Notes = None,
    dry_run: DryRun = False,
) -> None:
    """Add a document (letter, report, news release, meeting) that facts can cite."""
    from .edits import add_source as add

    _choice("--kind", kind, SOURCE_KINDS)
    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        source_id=source_id,
        kind=kind,
        title=_text("--title", title),
        url=_text("--url", url),
        recorded_in=recorded_in or [],
        sent=_date(run, "--sent", sent),
        published=_date(run, "--published", published),
        held=_date(run, "--held", held),
        fieldwork_from=_date(run, "--fieldwork-from", fieldwork_from),
        fieldwork_to=_date(run, "--fieldwork-to", fieldwork_to),
        from_=_people("--from", from_),
        to=_people("--to", to),
        cc=_people("--cc", cc),
        meeting=_date(run, "--meeting", meeting),
        notes=_text("--notes", notes),
    )


@command("add-meeting")
def add_meeting(
    ctx: typer.Context,
    force: ForceArgument,
    held: _date_option("--held", "When the meeting was held", required=True),
    meeting_id: _text_option("--id", "A new id. Default: ppog-DATE.", metavar="ID") = None,
    title: _text_option("--title", "Default: Policing Performance Oversight Group.") = None,
    recorded_in: _many("--recorded-in", "A document that records the meeting (repeatable).", "SRC") = None,
    url: _text_option("--url", "The meeting's own address, where it has one.", metavar="URL") = None,
    notes: Notes = None,
    dry_run: DryRun = False,
) -> None:
    """Add a Policing Performance Oversight Group meeting as a source, recorded in documents
    (--recorded-in) or at its own address (--url)."""
    from .edits import add_meeting as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        held=run.partial("--held", held),
        meeting_id=meeting_id,
        title=_text("--title", title),
        recorded_in=recorded_in or [],
        url=_text("--url", url),
        notes=_text("--notes", notes),
    )


@command("edit-source")
def edit_source(
    ctx: typer.Context,
    force: ForceArgument,
    source_id: Annotated[str, typer.Argument(metavar="SRC_ID", help="The source's id.", show_default=False)],
    kind: _text_option("--kind", f"One of: {', '.join(SOURCE_KINDS)}.", metavar="KIND") = None,
    title: _text_option("--title", "The document's title.") = None,
    url: _text_option("--url", "Its address.", metavar="URL") = None,
    sent: _date_option("--sent", "When a letter was sent") = None,
    published: _date_option("--published", "When it was published") = None,
    held: _date_option("--held", "When a meeting was held") = None,
    notes: Notes = None,
    dry_run: DryRun = False,
) -> None:
    """Give a source's kind, title, address, dates or notes, in place: every other byte of the
    file stays."""
    from .edits import edit_source as change

    _choice("--kind", kind, SOURCE_KINDS)
    run = _invocation(ctx)
    run.edit(
        force,
        change,
        dry_run,
        source_id=source_id,
        kind=kind,
        title=_text("--title", title),
        url=_text("--url", url),
        sent=_date(run, "--sent", sent),
        published=_date(run, "--published", published),
        held=_date(run, "--held", held),
        notes=_text("--notes", notes),
    )


@command("cite")
def cite(
    ctx: typer.Context,
    force: ForceArgument,
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="What cites: an id (cause, recommendation, area, inspection, uncertainty, source), ID/closure, "
            "ID/resolution, ID/recommendations_not_on_record, or phase:N, phase:N:date:M, officer:N, body:N, "
            "metric:N (from 1).",
            show_default=False,
        ),
    ],
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add sources to a record already in the file (a source's are the documents it is
    recorded in)."""
    from .edits import cite as add

    run = _invocation(ctx)
    run.edit(force, add, dry_run, target=target, sources=source or [])


@command("add-concern")
def add_concern(
    ctx: typer.Context,
    force: ForceArgument,
    concern_id: Annotated[str, typer.Option("--id", metavar="ID", help="A new id for the cause.", show_default=False)],
    title: _text_option("--title", "A short title.", required=True),
    raised: _date_option("--raised", "When it was raised", required=True),
    published: _date_option("--published", "When it was published") = None,
    kind: _text_option(
        "--kind", "cause-of-concern (the default) or area-of-concern.", metavar="cause-of-concern|area-of-concern"
    ) = None,
    text: _text_option("--text", "Its text as published.") = None,
    accelerated: Annotated[
        bool, typer.Option("--accelerated", help="Published early, as an accelerated cause.")
    ] = False,
    source: Sources = None,
    notes: Notes = None,
    not_on_record: _text_option(
        "--recommendations-not-on-record",
        "Say that its recommendations are missing from the public record, and how (instead of the placeholder).",
        metavar="NOTE",
    ) = None,
    not_on_record_count: Annotated[
        int | None,
        typer.Option("--recommendations-count", metavar="N", min=0, help="How many there were, where the record says."),
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Add a cause of concern; then add its recommendations with add-rec."""
    from .edits import add_concern as add
    from .schema.names import CONCERN_KINDS

    _choice("--kind", kind, CONCERN_KINDS)
    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        concern_id=concern_id,
        title=_text("--title", title),
        raised=run.partial("--raised", raised),
        published=_date(run, "--published", published),
        kind=kind or "cause-of-concern",
        text=_text("--text", text),
        accelerated=accelerated,
        sources=source or [],
        notes=_text("--notes", notes),
        not_on_record=_text("--recommendations-not-on-record", not_on_record),
        not_on_record_count=not_on_record_count,
    )


@command("add-rec")
def add_rec(
    ctx: typer.Context,
    force: ForceArgument,
    concern_id: Annotated[
        str, typer.Argument(metavar="CONCERN_ID", help="The cause it belongs to.", show_default=False)
    ],
    rec_id: Annotated[
        str, typer.Option("--id", metavar="ID", help="A new id for the recommendation.", show_default=False)
    ],
    text: _text_option("--text", "Its text as published.", required=True),
    deadline: _text_option("--deadline", 'The deadline as published: "Within six months".') = None,
    due: _date_option("--due", "The due date, where the wording fixes one") = None,
    source: Sources = None,
    notes: Notes = None,
    closed_on: _date_option("--closed-on", "Already closed on DATE (then --evidence is needed)") = None,
    evidence: _text_option("--evidence", "With --closed-on: a short summary of why it was closed.") = None,
    closure_source: _many(
        "--closure-source", "With --closed-on: the closure's source id or URL (repeatable).", "SRC"
    ) = None,
    dry_run: DryRun = False,
) -> None:
    """Add a recommendation to a cause of concern; with --closed-on, one already closed (allowed
    on a closed cause)."""
    from .edits import add_recommendation as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        concern_id=concern_id,
        rec_id=rec_id,
        text=_text("--text", text),
        deadline=_text("--deadline", deadline),
        due=_date(run, "--due", due),
        sources=source or [],
        notes=_text("--notes", notes),
        closed_on=_date(run, "--closed-on", closed_on),
        evidence=_text("--evidence", evidence),
        closure_sources=closure_source or [],
    )


@command("add-afi")
def add_afi(
    ctx: typer.Context,
    force: ForceArgument,
    afi_id: Annotated[str, typer.Option("--id", metavar="ID", help="A new id for the area.", show_default=False)],
    text: _text_option("--text", "Its text as published.", required=True),
    raised: _date_option("--raised", "When it was raised", required=True),
    source: Sources = None,
    notes: Notes = None,
    dry_run: DryRun = False,
) -> None:
    """Add an area for improvement."""
    from .edits import add_area

    run = _invocation(ctx)
    run.edit(
        force,
        add_area,
        dry_run,
        area_id=afi_id,
        text=_text("--text", text),
        raised=run.partial("--raised", raised),
        sources=source or [],
        notes=_text("--notes", notes),
    )


def _officeholder(ctx, force, change, dry_run, *, name, role, from_, to, noted_on, notes, source, **extra) -> None:
    run = _invocation(ctx)
    run.edit(
        force,
        change,
        dry_run,
        name=_text("--name", name),
        role=_text("--role", role),
        from_=_date(run, "--from", from_),
        to=_date(run, "--to", to),
        noted_on=_date(run, "--noted-on", noted_on),
        notes=_text("--notes", notes),
        sources=source or [],
        **extra,
    )


InPostFrom = _date_option("--from", "In post from")
InPostTo = _date_option("--to", "In post until")
NotedOn = _date_option("--noted-on", "A day a source names them in post, when --from is not known")


@command("add-officer")
def add_officer(
    ctx: typer.Context,
    force: ForceArgument,
    name: _text_option("--name", "Their name as the record gives it.", required=True),
    role: _text_option("--role", "Their role: Chief Constable, Commissioner, ...", required=True),
    from_: InPostFrom = None,
    to: InPostTo = None,
    noted_on: NotedOn = None,
    notes: Notes = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add a chief officer of the force, with --from or --noted-on."""
    from .edits import add_officer as add

    _officeholder(
        ctx,
        force,
        add,
        dry_run,
        name=name,
        role=role,
        from_=from_,
        to=to,
        noted_on=noted_on,
        notes=notes,
        source=source,
    )


@command("add-body")
def add_body(
    ctx: typer.Context,
    force: ForceArgument,
    name: _text_option("--name", "The office holder's name.", required=True),
    role: _text_option("--role", "Their title: Police and Crime Commissioner, ...", required=True),
    kind: Annotated[
        str, typer.Option("--kind", metavar="pcc|pfcc|mayor", help="The kind of policing body.", show_default=False)
    ],
    from_: InPostFrom = None,
    to: InPostTo = None,
    noted_on: NotedOn = None,
    notes: Notes = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add the force's policing body (PCC, PFCC or mayor), with --from or --noted-on."""
    from .edits import add_body as add
    from .schema.names import POLICING_BODY_KINDS

    _choice("--kind", kind, POLICING_BODY_KINDS)
    _officeholder(
        ctx,
        force,
        add,
        dry_run,
        name=name,
        role=role,
        from_=from_,
        to=to,
        noted_on=noted_on,
        notes=notes,
        source=source,
        kind=kind,
    )


@command("add-metric")
def add_metric(
    ctx: typer.Context,
    force: ForceArgument,
    name: _text_option("--name", "What is measured, as the record names it.", required=True),
    period_end: _date_option("--period-end", "The end of the period it covers", required=True),
    value: _text_option("--value", "The figure, exactly as given (5.5).", required=True, metavar="NUMBER"),
    unit: _text_option("--unit", "Its unit: percent, days, ...", required=True),
    notes: Notes = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add a figure the record gives (an outcome rate, a count), kept to its exact digits."""
    from .edits import add_metric as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        name=_text("--name", name),
        period_end=run.partial("--period-end", period_end),
        value=_number("--value", value),
        unit=_text("--unit", unit),
        notes=_text("--notes", notes),
        sources=source or [],
    )


@command("add-inspection")
def add_inspection(
    ctx: typer.Context,
    force: ForceArgument,
    inspection_id: Annotated[
        str, typer.Option("--id", metavar="ID", help="A new id for the inspection.", show_default=False)
    ],
    title: _text_option("--title", "What the inspection or revisit was.", required=True),
    fieldwork_from: _date_option("--fieldwork-from", "When its fieldwork began", required=True),
    fieldwork_to: _date_option("--fieldwork-to", "When it ended") = None,
    notes: Notes = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add an inspection or revisit the record mentions."""
    from .edits import add_inspection as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        inspection_id=inspection_id,
        title=_text("--title", title),
        fieldwork_from=run.partial("--fieldwork-from", fieldwork_from),
        fieldwork_to=_date(run, "--fieldwork-to", fieldwork_to),
        notes=_text("--notes", notes),
        sources=source or [],
    )


@command("add-uncertainty")
def add_uncertainty(
    ctx: typer.Context,
    force: ForceArgument,
    about: _text_option("--about", "What the doubt is about.", required=True),
    note: _text_option("--note", "What the record does and does not show.", required=True),
    uncertainty_id: _text_option("--id", "An id, so that resolve-uncertainty can name it.", metavar="ID") = None,
    subject: _many(
        "--subject", "A cause, recommendation or area whose state it leaves uncertain (repeatable).", "ID"
    ) = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Record a gap or doubt in the public record; every output showing its subjects says so."""
    from .edits import add_uncertainty as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        about=_text("--about", about),
        note=_text("--note", note),
        uncertainty_id=uncertainty_id,
        subjects=subject or [],
        sources=source or [],
    )


@command("resolve-uncertainty")
def resolve_uncertainty(
    ctx: typer.Context,
    force: ForceArgument,
    uncertainty_id: Annotated[
        str, typer.Argument(metavar="UNCERTAINTY_ID", help="The uncertainty's id.", show_default=False)
    ],
    on: _date_option("--on", "When a source settled it", required=True),
    evidence: _text_option("--evidence", "What the source showed.", required=True),
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Record that a later source settled a doubt (its subjects stay uncertain until that day)."""
    from .edits import resolve_uncertainty as resolve

    run = _invocation(ctx)
    run.edit(
        force,
        resolve,
        dry_run,
        uncertainty_id=uncertainty_id,
        on=run.partial("--on", on),
        evidence=_text("--evidence", evidence),
        sources=source or [],
    )


@command("checked")
def checked(
    ctx: typer.Context,
    force: ForceArgument,
    to: _date_option("--to", "How far the force's public record was searched", required=True),
    note: _text_option("--note", "What was searched, and where the record ends.", required=True),
    dry_run: DryRun = False,
) -> None:
    """Say how far the force's record was checked (record_checked_to and record_checked_note):
    peel holds nothing dated after it."""
    from .edits import checked as change

    run = _invocation(ctx)
    run.edit(force, change, dry_run, to=run.partial("--to", to), note=_text("--note", note))


@command("move")
def move(
    ctx: typer.Context,
    force: ForceArgument,
    phase: Annotated[Literal["scan", "engage"], typer.Argument(metavar="scan|engage", help="The phase to move into.")],
    source: Annotated[
        list[str],
        typer.Option(
            "--source", "-s", metavar="SRC", help="The decision's source id or URL (repeatable).", show_default=False
        ),
    ],
    on: _date_option("--on", "The day of the decision, or the month or span it lies in", default="today") = None,
    published: _date_option("--published", "When the move was announced") = None,
    reason: Reason = None,
    decided_by: _text_option("--decided-by", "Who decided, e.g. HM Chief Inspector.") = None,
    notes: Notes = None,
    other_date: _many(
        "--other-date",
        'Another date a source gives for the move: "DATE; NOTE; SRC" (note and sources optional; repeatable).',
        "TEXT",
    ) = None,
    missing_from_record: _text_option(
        "--missing-from-record", "What the record does not show about the move (peel assess will not judge it)."
    ) = None,
    override: Annotated[
        bool, typer.Option("--override", help="Record the move even though peel assess calls it not justified.")
    ] = False,
    policy: Annotated[Path | None, typer.Option("--policy", metavar="FILE", help="Assess with this policy.")] = None,
    dry_run: DryRun = False,
) -> None:
    """Record a phase change. Refused when peel assess calls it not justified, unless --override
    with --reason; refused into the phase the force is in, or dated before the last change."""
    from .edits import move_phase
    from .policy import read_policy

    run = _invocation(ctx)
    run.edit(
        force,
        move_phase,
        dry_run,
        phase=phase,
        on=run.partial("--on", on),
        sources=source,
        reason=_text("--reason", reason),
        override=override,
        decided_by=_text("--decided-by", decided_by),
        published=_date(run, "--published", published),
        notes=_text("--notes", notes),
        other_dates=_other_dates(run, other_date),
        missing_from_record=_text("--missing-from-record", missing_from_record),
        policy=read_policy(policy),
        others=run.ledger.load_all(today=run.today),
    )


@command("ingest")
def ingest(
    ctx: typer.Context,
    letter: Annotated[
        str,
        typer.Argument(
            metavar="LETTER",
            help="An HMICFRS letter: a text file, an HTML file saved from its publication-html page, or "
            "that page's https:// address (fetched only when given).",
            show_default=False,
        ),
    ],
    force: Annotated[
        str | None,
        typer.Option("--force", metavar="FORCE", help="The force the letter must be about; refused if it is not."),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", metavar="URL", help="The letter's https:// address, recorded with it as a source."),
    ] = None,
    fmt: Format("text", "json") = "text",
    apply: Annotated[
        bool, typer.Option("--apply", help="Record the proposed changes, in one locked transaction.")
    ] = False,
) -> None:
    """Read an HMICFRS letter and propose the ledger changes it states, as the peel commands that
    would record them (each after the letter's words that support it), then the diff they would
    make; --apply records them all in one locked edit, or nothing."""
    from .ingest.command import IngestView, read_proposal
    from .output.terminal import printable

    run = _invocation(ctx)
    proposal = read_proposal(run.ledger, letter, today=run.today, force=force, url=url)
    outcome = refusal = None
    if proposal.changes:
        try:
            outcome = _record_proposal(run, proposal, dry_run=not apply)
        except PeelError as exc:
            refusal = exc
    _emit(IngestView(proposal, outcome.diff if outcome else None), fmt)
    if refusal is not None:
        if apply:
            raise refusal
        sys.stderr.write("note: no diff shown: the changes as proposed would be refused:\n")
        _report(refusal.problems)
    elif apply and outcome is not None:
        for warning in outcome.edit.warnings:
            sys.stderr.write(f"warning: {printable(warning)}\n")
        sys.stderr.write(f"recorded {len(proposal.changes)} changes in {printable(outcome.path)}\n")


def _record_proposal(run: Invocation, proposal, *, dry_run: bool):
    """Every change of an ingest proposal as one edit of the force's file (created by the first
    change when the proposal starts with add-force): parsed by the editing commands' own options."""
    from .edits import new_force_text

    argvs = [change.argv for change in proposal.changes]
    if any(argv[1] == "add-source" and "--url" not in argv and "--recorded-in" not in argv for argv in argvs):
        raise PeelError("the letter's address is not known (a text file carries none): give it with --url")
    new_file = None
    if argvs and argvs[0][1] == "add-force":
        slug = argvs.pop(0)[2]
        new_file = new_force_text(slug, run.ledger.registry().names.get(slug, slug), run.ledger.schema_reference())
    steps = [edit_step(argv, run.ledger, run.today) for argv in argvs]
    return run.ledger.edit_all(
        proposal.force,
        [(step.change, step.request) for step in steps],
        today=run.today,
        dry_run=dry_run,
        new_file=new_file,
    )


EDITING = (
    "close-rec",
    "close-concern",
    "close-afi",
    "add-source",
    "add-meeting",
    "edit-source",
    "cite",
    "add-concern",
    "add-rec",
    "add-afi",
    "add-officer",
    "add-body",
    "add-metric",
    "add-inspection",
    "add-uncertainty",
    "resolve-uncertainty",
    "checked",
    "move",
)
"""The commands that edit one existing force file (``add-force`` creates one)."""


class EditStep(NamedTuple):
    force: str
    change: object
    request: dict


class _Recording(Invocation):
    """An invocation that parses an editing command into an :class:`EditStep` instead of
    applying it, and lets refusals through as :class:`PeelError`."""

    def __init__(self, ledger, today: date) -> None:
        super().__init__(None)
        self.__dict__["ledger"], self.__dict__["today"] = ledger, today
        self.step: EditStep | None = None

    def edit(self, force: str, change, dry_run: bool, **request) -> None:
        self.step = EditStep(force, change, request)


@functools.cache
def _editing_command(name: str):
    """The click command of one editing command, built once a run (building is Typer's cost)."""
    return typer.main.get_command(build_app([name]))


def edit_step(argv: list[str] | tuple[str, ...], ledger, today: date) -> EditStep:
    """An editing command's argv (``["close-rec", FORCE, ...]``, with or without a leading
    ``peel``) as the edit it would make, parsed by the very options the command line has: for
    :meth:`~peelcli.ledger.Ledger.edit_all`, which applies several under one lock (``--dry-run``
    in the argv is for the command line; ``edit_all`` has its own)."""
    from .problems import usage_error

    argv = list(argv[1:] if argv and argv[0] == "peel" else argv)
    name = argv[0] if argv else ""
    if name not in EDITING:
        raise usage_error(f"{name!r} is not an editing command: one of {', '.join(EDITING)}")
    recording = _Recording(ledger, today)
    group = _editing_command(name)
    try:
        group.main(args=list(argv), prog_name="peel", obj=recording, standalone_mode=False)
    except PeelError:
        raise
    except Exception as exc:
        if not callable(getattr(exc, "format_message", None)):  # not one of click's usage errors
            raise
        raise usage_error(f"peel {name}: {exc.format_message()}") from None
    if recording.step is None:
        raise usage_error(f"peel {' '.join(argv)}: not a complete command")
    return recording.step


# -- running ------------------------------------------------------------------------------------


def build_app(names: list[str] | None = None) -> typer.Typer:
    """The Typer app with the named commands (default: all). Building a command is where
    Typer's cost lies (from 0.29 it builds a pydantic adapter for every parameter), so a run
    builds only the command it runs."""
    built = typer.Typer(
        name="peel",
        help=HELP,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_options)
    for name in names or COMMANDS:
        function, settings = COMMANDS[name]
        built.command(name, **settings)(function)
    return built


_GLOBAL_WITH_VALUE = ("--data-dir",)


def invoked_command(argv: list[str]) -> str | None:
    """The command an argument list runs, when it names one peel has; else ``None`` (help, a
    typo, completion), for which every command is built."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif arg == "--":
            return None
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def app_for(argv: list[str]) -> typer.Typer:
    if any(key.endswith("_COMPLETE") for key in os.environ):
        return build_app()
    name = invoked_command(argv)
    return build_app([name] if name else None)


def main() -> None:
    """Entry point: no input, however broken, ends in a Python traceback."""
    try:
        app_for(sys.argv[1:])(prog_name="peel")
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

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
from typing import Annotated, Literal

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
    for problem in problems:
        sys.stderr.write(f"{problem}\n")


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
        help="Show the ledger as it stood on DATE (YYYY-MM-DD): anything dated later is ignored. Default: today.",
    ),
]
ForceArgument = Annotated[
    str, typer.Argument(metavar="FORCE", help="Force slug (west-midlands) or name.", show_default=False)
]


class Invocation:
    """What every command of one run shares: the ledger folder it names and today's date,
    each worked out once."""

    def __init__(self, data_dir: str | None) -> None:
        self.data_dir = data_dir

    @functools.cached_property
    def ledger(self):
        from .ledger import Ledger, find_data_dir

        return Ledger(find_data_dir(self.data_dir))

    @functools.cached_property
    def today(self) -> date:
        from .dates import DateSyntaxError, today
        from .problems import usage_error

        try:
            return today()
        except DateSyntaxError as exc:
            raise usage_error(f"PEEL_TODAY: {exc}") from None

    def day(self, option: str, value: str | None) -> date:
        """A full date given on the command line (today when not given), or a usage error."""
        from .dates import DateSyntaxError, parse_day
        from .problems import usage_error

        if value is None:
            return self.today
        try:
            return parse_day(value)
        except DateSyntaxError as exc:
            raise usage_error(f"{option}: {exc}") from None

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
    for warning in outcome.edit.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if dry_run:
        sys.stdout.write(outcome.diff)
        sys.stderr.write(f"dry run: {outcome.path} not written\n")
    else:
        sys.stdout.write(f"{outcome.edit.summary}\n")


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
        str | None, typer.Option("--since", metavar="DATE", help="Only events on or after DATE (YYYY-MM-DD).")
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
        typer.Option("--since", metavar="DATE", help="What happened on or after DATE (YYYY-MM-DD), by its dates."),
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
        Path, typer.Argument(metavar="OUTDIR", help="The folder to write the site into (created).", show_default=False)
    ],
    as_of: AsOf = None,
) -> None:
    """A static web site of the whole ledger, readable offline from the folder: an index of all
    forces with a national timeline, and a report page per force."""
    from .files import check_output_path
    from .policy import read_policy
    from .site import site_pages, write_site
    from .status import national

    run = _invocation(ctx)
    check_output_path(outdir, run.ledger.root, folder=True)
    found, problems = national(run.ledger, run.day("--as-of", as_of), today=run.today)
    pages = site_pages(found, read_policy(None))
    write_site(outdir, pages)
    sys.stdout.write(f"wrote {len(pages)} pages to {outdir} (open {outdir / 'index.html'})\n")
    _report_skipped(problems)


@command("export")
def export(
    ctx: typer.Context,
    fmt: Format("csv", "json", "sqlite"),
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="PATH", help="The file to write (replaced whole).", show_default=False),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Only what was on record on DATE (YYYY-MM-DD), with statuses as of then. "
            "Default: every file whole, with statuses as of today.",
        ),
    ] = None,
) -> None:
    """The whole ledger as a file: CSV (a row per recommendation), JSON (every force file and
    its status) or SQLite (tables for Datasette). With --as-of, only what was on record then."""
    from .export import export as write
    from .files import check_output_path

    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    check_output_path(out, run.ledger.root)
    count = write(run.ledger.load_all(today=run.today, strict=True), out, fmt, day, cut=as_of is not None)
    sys.stdout.write(f"wrote {count} force{'' if count == 1 else 's'} to {out} ({fmt})\n")


@command("schema")
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a force file, for editors and other tools."""
    from .schema.jsonschema import force_schema_text

    sys.stdout.write(force_schema_text())


# -- editing ------------------------------------------------------------------------------------


On = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="When it happened: YYYY-MM-DD (or YYYY-MM / YYYY). Default: today."),
]
Evidence = Annotated[
    str, typer.Option("--evidence", metavar="TEXT", help="A short summary of why it was closed.", show_default=False)
]
Sources = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        metavar="SRC",
        help="A source id of this force, or a URL (added as a new source). Repeat for several.",
        show_default=False,
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the change as a unified diff; write nothing.")]


@command("close-rec")
def close_rec(
    ctx: typer.Context,
    force: ForceArgument,
    rec_id: Annotated[str, typer.Argument(metavar="REC_ID", help="The recommendation's id.", show_default=False)],
    evidence: Evidence,
    on: On = None,
    source: Sources = None,
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
    """Start a file for a force: in Scan, with nothing on record yet."""
    from .edits import new_force_text
    from .ledger import check_slug

    ledger = _invocation(ctx).ledger
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
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The document's title.", show_default=False)],
    url: Annotated[str, typer.Option("--url", metavar="URL", help="Its address.", show_default=False)],
    sent: Annotated[str | None, typer.Option("--sent", metavar="DATE", help="When a letter was sent.")] = None,
    published: Annotated[str | None, typer.Option("--published", metavar="DATE", help="When it was published.")] = None,
    dry_run: DryRun = False,
) -> None:
    """Add a document (letter, report, news release) that facts can cite."""
    from .edits import add_source as add
    from .problems import usage_error

    if kind not in SOURCE_KINDS:
        raise usage_error(f"--kind {kind!r} is not one of: {', '.join(SOURCE_KINDS)}")
    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        source_id=source_id,
        kind=kind,
        title=_text("--title", title),
        url=url,
        sent=run.partial("--sent", sent) if sent else None,
        published=run.partial("--published", published) if published else None,
    )


@command("add-concern")
def add_concern(
    ctx: typer.Context,
    force: ForceArgument,
    concern_id: Annotated[str, typer.Option("--id", metavar="ID", help="A new id for the cause.", show_default=False)],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="A short title.", show_default=False)],
    raised: Annotated[
        str,
        typer.Option(
            "--raised", metavar="DATE", help="When it was raised (YYYY-MM-DD, YYYY-MM or YYYY).", show_default=False
        ),
    ],
    text: Annotated[str | None, typer.Option("--text", metavar="TEXT", help="Its text as published.")] = None,
    accelerated: Annotated[
        bool, typer.Option("--accelerated", help="Published early, as an accelerated cause.")
    ] = False,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add a cause of concern; then add its recommendations with add-rec."""
    from .edits import add_concern as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        concern_id=concern_id,
        title=_text("--title", title),
        raised=run.partial("--raised", raised),
        text=_text("--text", text),
        accelerated=accelerated,
        sources=source or [],
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
    text: Annotated[str, typer.Option("--text", metavar="TEXT", help="Its text as published.", show_default=False)],
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", metavar="TEXT", help='The deadline as published: "Within six months".'),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="The due date, where the wording fixes one.")
    ] = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add a recommendation to a cause of concern."""
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
        due=run.partial("--due", due) if due else None,
        sources=source or [],
    )


@command("add-afi")
def add_afi(
    ctx: typer.Context,
    force: ForceArgument,
    afi_id: Annotated[str, typer.Option("--id", metavar="ID", help="A new id for the area.", show_default=False)],
    text: Annotated[str, typer.Option("--text", metavar="TEXT", help="Its text as published.", show_default=False)],
    raised: Annotated[str, typer.Option("--raised", metavar="DATE", help="When it was raised.", show_default=False)],
    source: Sources = None,
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
    )


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
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The day of the decision (YYYY-MM-DD). Default: today.")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="TEXT", help="Why; recorded with the move.")] = None,
    decided_by: Annotated[
        str | None, typer.Option("--decided-by", metavar="TEXT", help="Who decided, e.g. HM Chief Inspector.")
    ] = None,
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
        on=run.day("--on", on),
        sources=source,
        reason=_text("--reason", reason),
        override=override,
        decided_by=_text("--decided-by", decided_by),
        policy=read_policy(policy),
        others=run.ledger.load_all(today=run.today),
    )


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

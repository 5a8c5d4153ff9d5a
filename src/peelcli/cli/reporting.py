"""The reporting commands: status, due, validate, assess, history, chronology, diff, report, site, export,
schema.
Each parses its options, asks the core for a view and hands it to the output layer."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from .shell import (
    AsOf,
    Choice,
    ForceArgument,
    Format,
    SectorOption,
    _emit,
    _invocation,
    _printer,
    _report_skipped,
    choices_of,
    command,
    complete_force,
    path_given,
)

CSV_ENCODINGS = ("utf-8", "utf-8-sig")
"""How ``peel export`` may encode CSV, by the names Python's codecs, pandas and csvkit give them:
``utf-8-sig`` is UTF-8 after a byte-order mark, which Excel needs to read it as UTF-8."""

Replace = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace the --out file even when peel did not write it "
        "(peel's own earlier output is replaced without it).",
    ),
]


@command("status")
def status(
    ctx: typer.Context,
    force: Annotated[
        str | None,
        typer.Argument(
            metavar="[FORCE]",
            help="Force slug or name. Without it: every force, those in Engage first.",
            show_default=False,
            autocompletion=complete_force,
        ),
    ] = None,
    as_of: AsOf = None,
    phase: Annotated[
        str | None,
        typer.Option(
            "--phase",
            metavar="[engage|scan]",
            parser=choices_of("phase", "engage", "scan"),
            help="Without FORCE: list only the forces in this phase, or that may be (a force with no file is in "
            "Scan by default).",
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", "-a", help="Without FORCE: list every force, those with no file too, one by one."),
    ] = False,
    fmt: Format("table", "json", "markdown") = "table",
    sector: SectorOption = "all",
) -> None:
    """Where a force or service stands: phase, causes of concern, open and overdue recommendations.
    Without FORCE: the forces in Engage first, then those with something open or overdue, then the
    rest; the services likewise, each sector counted apart."""
    from ..problems import usage_error

    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    if force is None:
        from ..sectors import BySector
        from ..status import LedgerStatus, in_phase

        only = (in_phase(phase.lower()),) if phase else ()
        sectors, nationals, problems = _nationals(run, day, sector)
        views = tuple(LedgerStatus(found, only, every) for found in nationals)
        _emit(BySector(sectors, views, ("forces",), ("as_of", "only")), fmt)
        _report_skipped(problems)
        return
    if phase is not None or every or sector != "all":
        raise usage_error("--phase, --all and --sector list forces and services: give them without FORCE")
    from ..status import ForceStatus
    from ..timeline import standing

    ledger = run.ledger
    subject = ledger.load(force, today=run.today)
    found = standing(subject, day, national=ledger.registry().checked_to(subject.sector))
    _emit(ForceStatus(found), fmt)


@command("due")
def due(
    ctx: typer.Context,
    force: Annotated[
        str | None,
        typer.Argument(
            metavar="[FORCE]",
            help="Force slug or name. Without it: every force with a file.",
            show_default=False,
            autocompletion=complete_force,
        ),
    ] = None,
    within: Annotated[
        str,
        typer.Option(
            "--within",
            "-w",
            metavar="LENGTH",
            help="The period after the as-of day to list what falls due in: 30 (days), 30d, 6w, 3m, 1y, "
            "or words (6 weeks).",
        ),
    ] = "30 days",
    as_of: AsOf = None,
    fmt: Format("table", "json", "markdown") = "table",
    sector: SectorOption = "all",
) -> None:
    """What falls due: open recommendations overdue, and those due within a period (default the
    next 30 days), in date order, each due date with its basis; without FORCE, every force and
    service, each sector apart."""
    from ..dates import LAST_DAY, PartialDate
    from ..deadlines import parse_length
    from ..figures import Period
    from ..problems import usage_error

    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    length = parse_length(within)
    if length is None:
        raise usage_error(f"--within {within!r}: give a length such as 30, 30d, 6w, 3m or 1y")
    span = length.due_from(PartialDate.of(day))
    period = Period(day, LAST_DAY if span is None else span[1])  # cut where peel's dates end
    if force is None:
        from ..due import NationalDeadlines
        from ..sectors import BySector

        sectors, nationals, problems = _nationals(run, day, sector, full=True)
        views = tuple(NationalDeadlines(found, period) for found in nationals)
        shared = ("as_of", "period", "force", "only")
        _emit(BySector(sectors, views, ("forces", "recommendations", "no_file", "invalid_files"), shared), fmt)
        _report_skipped(problems)
        return
    if sector != "all":
        raise usage_error("--sector lists forces and services: give it without FORCE")
    from ..due import ForceDeadlines
    from ..timeline import standing

    ledger = run.ledger
    subject = ledger.load(force, today=run.today)
    found = standing(subject, day, national=ledger.registry().checked_to(subject.sector))
    _emit(ForceDeadlines(found, period), fmt)


def _nationals(run, day, choice: str, *, full: bool = False, visit=None) -> tuple[tuple[str, ...], tuple, list]:
    """The sectors ``--sector`` counts, each one's :class:`~peelcli.status.National` on ``day``,
    and the problems of reading them (each said once); ``full`` and ``visit``: see
    :func:`~peelcli.status.national`."""
    from ..status import national

    sectors = run.ledger.counted_sectors(choice)
    found = [national(run.ledger, day, today=run.today, sector=s, full=full, visit=visit) for s in sectors]
    problems = list(dict.fromkeys(problem for _, said in found for problem in said))
    return sectors, tuple(part for part, _ in found), problems


@command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH...",
            parser=path_given,
            help="Force files, registry or policy files, or folders to check. Default: the whole ledger.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="[text|json|github]",
            parser=choices_of("format", "text", "json", "github"),
            help="Output format: text, json, github (annotations; the default when GITHUB_ACTIONS=true).",
        ),
    ] = None,
) -> None:
    """Check force files (and the registry and policy files): every problem in every file, as
    file:line:col. Exit 1 on errors."""
    from ..validation import REPORTERS, expand, run

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
        typer.Option(
            "--policy", metavar="FILE", parser=path_given, help="A policy file to use instead of peel's default policy."
        ),
    ] = None,
    fmt: Format("table", "json", "markdown") = "table",
) -> None:
    """Is a change of phase justified on the record? For a force or service in Engage, a return to
    Scan; in Scan, a move into Engage. The phase is taken as at the start of the day."""
    from ..assess import assess as judge
    from ..policy import read_policy

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
    """Every dated event of a force or service in order: inspections, causes raised, closures,
    phase changes, letters, meetings."""
    from ..history import History

    run = _invocation(ctx)
    start = run.day("--since", since) if since else None
    ledger = run.ledger
    subject = ledger.load(force, today=run.today)
    _emit(History(subject, start, ledger.registry().checked_to(subject.sector)), fmt)


@command("chronology")
def chronology(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only events on or after DATE (YYYY-MM-DD; a month or year: from its first day).",
        ),
    ] = None,
    fmt: Format("table", "json", "markdown") = "table",
    sector: SectorOption = "all",
) -> None:
    """Every phase change and cause of concern of every force and service, in date order, each
    sector apart: moves into Engage, returns to Scan, causes raised and closed."""
    from ..chronology import Chronology
    from ..sectors import BySector

    run = _invocation(ctx)
    start = run.day("--since", since) if since else None
    sectors, nationals, problems = _nationals(run, run.today, sector, full=True)
    views = tuple(Chronology(found, start) for found in nationals)
    _emit(BySector(sectors, views, ("events", "records", "no_file", "invalid_files"), ("since", "only")), fmt)
    _report_skipped(problems)


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
    sector: SectorOption = "all",
) -> None:
    """What changed in the ledger: causes and recommendations raised or closed, areas for
    improvement, phase changes, each sector apart. Give exactly one of --since or --from."""
    from ..diff import compare, of_sectors, read_revision
    from ..diff import since as happened_since
    from ..problems import usage_error

    if (since is None) == (rev is None):
        raise usage_error("give exactly one of --since DATE or --from GIT_REV")
    run = _invocation(ctx)
    ledger, today = run.ledger, run.today
    registry = ledger.registry()
    everything = ledger.load_all(today=today, strict=True)
    sectors = ledger.counted_sectors(sector)
    forces = tuple(force for force in everything if force.sector in sectors)
    counted = {"sectors": sectors, "searched": tuple((s, registry.checked_to(s)) for s in sectors)}
    national = registry.record_checked_to
    if since is not None:
        found = happened_since(forces, run.day("--since", since), national, **counted)
    else:
        old = of_sectors(read_revision(ledger.root, rev, today=today), sectors)
        found = compare(old, {force.slug: force for force in forces}, national, **counted)
    _emit(found, fmt)


@command("report")
def report(
    ctx: typer.Context,
    force: ForceArgument,
    as_of: AsOf = None,
    fmt: Format("markdown", "html") = "markdown",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            parser=path_given,
            help="Write the report to FILE (replaced whole), not to stdout.",
        ),
    ] = None,
    replace: Replace = False,
) -> None:
    """A self-contained report on one force or service for a board paper: phase and its history,
    causes of concern with their recommendations and sources, overdue items, metrics, and the
    assessment."""
    from ..policy import read_policy
    from ..report import BoardReport

    run = _invocation(ctx)
    ledger, today, day = run.ledger, run.today, run.day("--as-of", as_of)
    subject = ledger.load(force, today=today)
    if out is not None:
        from ..files import MAX_BYTES, check_output_path, check_replaceable
        from ..output import peel_wrote

        check_output_path(out, ledger.root)
        if not replace:
            ours, what = peel_wrote(fmt)
            check_replaceable(out, ours, what=f"{what} peel wrote", limit=MAX_BYTES)
    others = ledger.load_all(today=today, strict=True)  # precedents from every force: none left out unsaid
    view = BoardReport(subject, day, read_policy(None), others, ledger.registry().checked_to(subject.sector))
    if out is None:
        _emit(view, fmt)
        return
    from ..files import write_text
    from ..output import render

    write_text(out, render(view, fmt))
    sys.stdout.write(f"wrote {out}\n")


@command("site")
def site(
    ctx: typer.Context,
    outdir: Annotated[
        Path,
        typer.Argument(
            metavar="OUTDIR",
            parser=path_given,
            help="The folder to write the site into: new, empty, or holding a site peel wrote (replaced).",
            show_default=False,
        ),
    ],
    as_of: AsOf = None,
    sector: SectorOption = "all",
) -> None:
    """A static web site of the whole ledger, readable offline from the folder: an index that leads,
    sector by sector, with the forces and services in Engage, a national timeline of each, and a
    report page per force or service. A folder holding anything peel site did not write is refused."""
    from ..policy import read_policy
    from ..site import INDEX, Gathering, refuse_invalid, site_pages, write_site

    run = _invocation(ctx)
    gathered = Gathering()
    _, nationals, problems = _nationals(run, run.day("--as-of", as_of), sector, visit=gathered.visit)
    refuse_invalid(problems)
    pages = site_pages(
        nationals, read_policy(None), gathered, lambda slug: run.ledger.read(slug, today=run.today, keep=False)
    )
    removed = write_site(outdir, pages, ledger=run.ledger.root)
    gone = f", removed {len(removed)} no longer made" if removed else ""
    sys.stdout.write(f"wrote {len(pages)} pages to {outdir}{gone} (open {outdir / INDEX})\n")
    _report_skipped(problems)


@command("export")
def export(
    ctx: typer.Context,
    fmt: Format("csv", "json", "sqlite"),
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            parser=path_given,
            help="The file to write (replaced whole). Without it, or with -, CSV or JSON goes to standard output; "
            "a SQLite database needs a file.",
            show_default=False,
        ),
    ] = None,
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
    sector: SectorOption = "all",
    encoding: Choice(
        "--encoding",
        what="encoding",
        choices=CSV_ENCODINGS,
        help="CSV only: utf-8-sig starts the file with a byte-order mark, so Excel reads its characters (’, –, é) "
        "right; utf-8 (the default) writes none, as most other programs expect.",
    ) = "utf-8",
    replace: Replace = False,
) -> None:
    """The whole ledger as a file: CSV (a row per recommendation, and per force or service), JSON
    (every file and its status) or SQLite (tables for Datasette), each row with its sector. With
    --as-of, only what was on record then. Without --out, CSV or JSON goes to standard output."""
    from ..export import STDOUT, check_target, streams
    from ..export import export as write
    from ..ledger import Readings
    from ..output.wording import bodies_words
    from ..problems import usage_error
    from ..schema.names import chosen_sectors

    if out is None:
        if fmt == "sqlite":
            raise usage_error("--format sqlite needs --out FILE: a database cannot be written to standard output")
        out = Path(STDOUT)
    if encoding != "utf-8" and fmt != "csv":
        raise usage_error(f"--encoding {encoding} is for CSV: {fmt.upper()} is always written as UTF-8 without a mark")
    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    ledger = run.ledger
    check_target(out, fmt, ledger.root, force=replace)
    readings = Readings(ledger, today=run.today)
    sectors = chosen_sectors(sector)
    written = write(
        readings, out, fmt, day, cut=as_of is not None, registry=ledger.registry(), sectors=sectors, encoding=encoding
    )
    if not streams(out):
        sys.stdout.write(f"wrote {bodies_words(written.counts, written.filed_counts)} to {out} ({fmt})\n")


@command("schema")
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a force file, for editors and other tools."""
    from ..schema.jsonschema import force_schema_text

    sys.stdout.write(force_schema_text())

"""The reporting commands: status, validate, assess, history, diff, report, site, export, schema.
Each parses its options, asks the core for a view and hands it to the output layer."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from .shell import (
    AsOf,
    ForceArgument,
    Format,
    _emit,
    _invocation,
    _printer,
    _report_skipped,
    command,
    path_given,
)

Replace = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace FILE even when it is not a file peel wrote (peel's own earlier output is replaced without it).",
    ),
]


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
        from ..status import LedgerStatus, national

        found, problems = national(run.ledger, day, today=run.today)
        _emit(LedgerStatus(found), fmt)
        _report_skipped(problems)
        return
    from ..status import ForceStatus
    from ..timeline import standing

    _emit(ForceStatus(standing(run.ledger.load(force, today=run.today), day)), fmt)


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
    """Is a change of phase justified on the record? For a force in Engage, a return to Scan;
    for a force in Scan, a move into Engage. The phase is taken as at the start of the day."""
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
    """Every dated event of a force in order: inspections, causes raised, closures, phase
    changes, letters, meetings."""
    from ..history import History

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
    from ..diff import compare, read_revision
    from ..diff import since as happened_since
    from ..problems import usage_error

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
    """A self-contained report on one force for a board paper: phase and its history, causes of
    concern with their recommendations and sources, overdue items, metrics, and the assessment."""
    from ..policy import read_policy
    from ..report import BoardReport

    run = _invocation(ctx)
    ledger, today, day = run.ledger, run.today, run.day("--as-of", as_of)
    view = BoardReport(ledger.load(force, today=today), day, read_policy(None), ledger.load_all(today=today))
    if out is None:
        _emit(view, fmt)
        return
    from ..files import MAX_BYTES, check_output_path, check_replaceable, write_text
    from ..output import peel_wrote, render

    check_output_path(out, ledger.root)
    if not replace:
        ours, what = peel_wrote(fmt)
        check_replaceable(out, ours, what=f"{what} peel wrote", limit=MAX_BYTES)
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
) -> None:
    """A static web site of the whole ledger, readable offline from the folder: an index that leads
    with the forces in Engage, a national timeline, and a report page per force. A folder holding
    anything peel site did not write is refused."""
    from ..policy import read_policy
    from ..site import INDEX, site_pages, write_site
    from ..status import national

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
            parser=path_given,
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
    replace: Replace = False,
) -> None:
    """The whole ledger as a file: CSV (a row per recommendation, and per force), JSON (every
    force file and its status) or SQLite (tables for Datasette). With --as-of, only what was on
    record then. --out - streams CSV or JSON to standard output."""
    from ..export import check_target, streams
    from ..export import export as write
    from ..output.wording import plural

    run = _invocation(ctx)
    day = run.day("--as-of", as_of)
    ledger = run.ledger
    check_target(out, fmt, ledger.root, force=replace)
    forces = ledger.load_all(today=run.today, strict=True)
    written = write(forces, out, fmt, day, cut=as_of is not None, registry=ledger.registry())
    if not streams(out):
        on_record = sum(1 for entry in written if entry.force is not None)
        sys.stdout.write(f"wrote {plural(len(written), 'force')} ({on_record} with a file) to {out} ({fmt})\n")


@command("schema")
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a force file, for editors and other tools."""
    from ..schema.jsonschema import force_schema_text

    sys.stdout.write(force_schema_text())

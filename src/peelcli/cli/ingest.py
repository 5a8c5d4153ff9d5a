"""``peel ingest``: a letter's proposal, its diff, and recording it as one edit."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..problems import PeelError
from .editing import edit_step
from .shell import (
    Format,
    Invocation,
    _emit,
    _invocation,
    _report,
    command,
    complete_force,
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
        typer.Option(
            "--force",
            metavar="FORCE",
            help="The force or service the letter must be about; refused if it is not.",
            autocompletion=complete_force,
        ),
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
    from ..ingest.command import IngestView, read_proposal
    from ..output.terminal import printable

    run = _invocation(ctx)
    proposal = read_proposal(run.ledger, letter, today=run.today, force=force, url=url)
    outcome = refusal = None
    if proposal.changes:
        try:
            outcome = record_proposal(run, proposal, dry_run=not apply)
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


def record_proposal(run: Invocation, proposal, *, dry_run: bool, first: tuple = ()):
    """Every change of an ingest proposal as one edit of the force's file (created by the first
    change when the proposal starts with add-force): parsed by the editing commands' own options.
    ``first``: editing commands (argvs) to make before them, in the same edit (``peel watch
    --ingest`` says how far the record was searched)."""
    from ..edits import new_force_text

    argvs = [change.argv for change in proposal.changes]
    if any(argv[1] == "add-source" and "--url" not in argv and "--recorded-in" not in argv for argv in argvs):
        raise PeelError("the letter's address is not known (a text file carries none): give it with --url")
    new_file = None
    if argvs and argvs[0][1] == "add-force":
        slug = argvs.pop(0)[2]
        new_file = new_force_text(slug, run.ledger.registry().names.get(slug, slug), run.ledger.schema_reference())
    steps = [edit_step(argv, run.ledger, run.today) for argv in [*first, *argvs]]
    return run.ledger.edit_all(
        proposal.force,
        [(step.change, step.request) for step in steps],
        today=run.today,
        dry_run=dry_run,
        new_file=new_file,
    )

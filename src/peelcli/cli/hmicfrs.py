"""The commands that set the ledger beside HMICFRS's own publications: ``peel reconcile`` (its
lists of who is in Engage) and ``peel watch`` (its news feed). Each reads what it is given,
asks the core for a view and hands it to the output layer."""

from __future__ import annotations

from typing import Annotated

import typer

from .shell import Format, _emit, _invocation, command


@command("reconcile")
def reconcile(
    ctx: typer.Context,
    pages: Annotated[
        list[str],
        typer.Argument(
            metavar="PAGE...",
            help="HMICFRS's 'in Engage' or 'previously in Engage' page (police or fire): a saved HTML or text "
            "file, or its https:// address (fetched only when given).",
            show_default=False,
        ),
    ],
    fmt: Format("table", "json", "markdown", "html") = "table",
) -> None:
    """Set HMICFRS's lists of who is in Engage beside the ledger: each difference, which side is
    newer where that can be told, and what to do. Exit 1 when they differ."""
    from ..engage_lists import read_engage_list
    from ..ingest.command import force_names
    from ..reconcile import Ledger
    from ..reconcile import reconcile as compare
    from ..schema.names import name_key

    run = _invocation(ctx)
    ledger = run.ledger
    names, files = force_names(ledger, today=run.today, strict=True)
    known = frozenset(name_key(name) for variants in names.values() for name in variants)
    read = [read_engage_list(page, known=known) for page in pages]
    found = compare(read, Ledger(names, files, ledger.registry().record_checked_to), run.today)
    _emit(found, fmt)
    if not found.agree:
        raise typer.Exit(1)


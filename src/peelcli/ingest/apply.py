"""Where a proposal meets the editing commands: the unified diff and ``peel ingest --apply``.

Applying a proposal is "run each proposed argv through peel's editing functions against one
locked ledger": every change is made to the force file in memory, in order, the result is
checked once like any edit, and the file is written once (or, for the diff, not at all). One
refused change refuses them all and nothing is written.

The editing commands these argv lists name (``add-source --from/--to/--cc/--meeting``,
``add-meeting``, ``move --notes/--published``, ...) are being extended on main to the contract
in the plan (issue 11, part 1), together with a ledger transaction that takes the lock once for
several edits. Until they land, :func:`apply_changes` raises ``NotImplementedError`` and the
command line says so; everything else in ``peel ingest`` works without it.
"""

from __future__ import annotations

from datetime import date

from .proposal import Proposal

NOT_WIRED = (
    "recording a proposal needs the editing commands of issue 11 part 1 (add-source --meeting, "
    "add-meeting, move --notes, ...) and a one-lock ledger transaction, which are not wired to "
    "peel ingest yet"
)


def apply_changes(ledger, proposal: Proposal, *, today: date, dry_run: bool) -> str:
    """Record every change of ``proposal`` in ``ledger`` in one locked transaction and return
    the unified diff of the force file; with ``dry_run``, only the diff, nothing written.

    To wire it: parse each ``change.argv`` with the same option parser as the editing command
    it names (``argv[1]``), call that command's function from :mod:`peelcli.edits` on the force
    file as the previous change left it, and have the ledger validate and write the final text
    once, under one lock, as :meth:`peelcli.ledger.Ledger.edit` does for a single edit.
    """
    raise NotImplementedError(NOT_WIRED)


def diff_of(ledger, proposal: Proposal, *, today: date) -> str:
    """The unified diff recording ``proposal`` would make; writes nothing."""
    return apply_changes(ledger, proposal, today=today, dry_run=True)

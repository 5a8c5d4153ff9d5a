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


DEFAULT_FEED = "https://hmicfrs.justiceinspectorates.gov.uk/feed/"
"""HMICFRS's site feed where WordPress publishes one: unverified (see docs/letters.md)."""


@command("watch")
def watch(
    ctx: typer.Context,
    feeds: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FEED...",
            help="HMICFRS's news feed (RSS or Atom): its https:// address, or the feed saved as a file. "
            f"Default: {DEFAULT_FEED} (an address not verified).",
            show_default=False,
        ),
    ] = None,
    ingest: Annotated[
        bool,
        typer.Option(
            "--ingest",
            help="Record each new publication's letter (peel ingest --apply), each as its own edit; where its "
            "record ends before the letter, first say how far the record was searched, and that only the feed was.",
        ),
    ] = False,
    fmt: Format("table", "json", "markdown", "html") = "table",
) -> None:
    """Find the monitoring publications in HMICFRS's news feed published after each force's or
    service's record ends (moves into Engage, returns to Scan, causes of concern, revisits, closures)
    and propose the peel ingest that records each. Exit 1 when any is left for a person."""
    from ..ingest.command import force_names
    from ..newsfeed import read_feed
    from ..watch import Ledger
    from ..watch import watch as look

    run = _invocation(ctx)
    ledger = run.ledger
    if ingest:
        ledger.check_own()
    names, files = force_names(ledger, today=run.today, strict=True)
    read = [read_feed(feed) for feed in feeds or [DEFAULT_FEED]]
    found = look(read, Ledger(names, files, ledger.registry().record_checked_to), run.today)
    if ingest:
        found = _record_each(run, found)
    _emit(found, fmt)
    if found.for_a_person:
        raise typer.Exit(1)


def _record_each(run, found):
    """``--ingest``: each new publication's letter recorded as its own edit, oldest first; one
    refused leaves the others recorded, and says why."""
    from dataclasses import replace

    from ..problems import PeelError

    feeds = {feed.name: feed for feed in found.feeds}
    done = []
    for publication in found.publications:
        if publication.status == "new":
            try:
                outcome, moved_to = _record_one(run, publication, feeds)
                publication = replace(publication, recorded=True, outcome=outcome, moved_to=moved_to)
            except PeelError as exc:
                why = "; ".join(p.message if p.file is None else str(p) for p in exc.problems)
                publication = replace(publication, recorded=False, outcome=f"not recorded: {why}")
        done.append(publication)
    return found._replace(publications=tuple(done), ingesting=True)


def _record_one(run, publication, feeds) -> tuple:
    """Record one publication's letter: what was recorded, in words, and where its record's end
    was moved to record it (``None`` when it was not)."""
    from ..ingest.command import read_proposal
    from ..output.wording import plural
    from ..watch import record_end_step
    from .ingest import record_proposal

    letter = publication.letter or _letter_from_page(publication)
    proposal = read_proposal(run.ledger, letter, today=run.today, force=publication.slug)
    if not proposal.changes:
        return "nothing to record: the ledger holds everything the letter states", None
    slug = proposal.force
    force = run.ledger.load(slug, today=run.today) if slug in run.ledger.slugs() else None
    step = record_end_step(publication, proposal.letter, force=force, feed=feeds[publication.feed], today=run.today)
    outcome = record_proposal(run, proposal, dry_run=False, first=(step[0],) if step else ())
    moved = (
        f"; its record's end moved from {force.record_checked_to} to {step[1]}, saying that only the feed was searched"
        if step
        else ""
    )
    return f"recorded {plural(len(proposal.changes), 'change')} in {outcome.path}{moved}", step[1] if step else None


def _letter_from_page(publication) -> str:
    """The letter a news release links to ("Get the letter"), read from the release itself."""
    from ..fetch import read_copy
    from ..newsfeed import MAX_FEED_BYTES, page_links
    from ..problems import PeelError
    from ..watch import letter_among

    if publication.item.link is None:
        raise PeelError("the feed gives no address for it, nor for its letter")
    page = read_copy(publication.item.link, max_bytes=MAX_FEED_BYTES, accept="text/html", what="page")
    letter = letter_among(page.url or publication.item.link, page_links(page.body, page.url or publication.item.link))
    if letter is None:
        raise PeelError(f"{publication.item.link} links to no letter peel can find: give the letter to peel ingest")
    return letter

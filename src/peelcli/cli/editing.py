"""The editing commands (add-*, close-*, move, cite, checked, ...) and ``init``: each parses its
options into a request for one of :mod:`peelcli.edits`' functions and hands it to the ledger,
which applies it under its lock. :func:`edit_step` parses an editing command's argv the same way
without applying it, for ``peel ingest --apply``."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NamedTuple

import typer

from ..problems import PeelError
from ..schema.names import SOURCE_KINDS, sector_of_slug
from .shell import (
    ForceArgument,
    Invocation,
    _invocation,
    _tell,
    _text,
    build_app,
    choices_of,
    command,
    path_given,
)

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
    from ..edits import Person
    from ..problems import usage_error

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

    from ..edits import OtherDate

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

    from ..problems import usage_error

    text = value.strip()
    if not re.fullmatch(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", text):
        raise usage_error(f"{option} {value!r} is not a plain number: write digits with an optional point, as 5.5")
    return Decimal(text)


def _choice(option: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    from ..problems import usage_error

    if value is not None and value not in choices:
        raise usage_error(f"{option} {value!r} is not one of: {', '.join(choices)}")
    return value


@command("init")
def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            parser=path_given,
            help="The folder to make a ledger of (created if need be).",
            show_default=False,
        ),
    ],
) -> None:
    """Start a ledger of your own in DIR: a forces folder, the registry of the 43 forces and the
    schema editors read. Run again on a ledger to bring its schema up to date; force files and
    registry are kept."""
    from ..files import display_path
    from ..new_ledger import start_ledger
    from ..output.terminal import printable

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
    from ..edits import close_recommendation

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
    from ..edits import close_concern as close

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
    from ..edits import close_area

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
    slug: Annotated[
        str,
        typer.Argument(
            metavar="SLUG", help="The force's slug, e.g. kent, or the service's, e.g. kent-fire.", show_default=False
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Official name. Default: the registry's name for SLUG."),
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Start a file for a force or a fire and rescue service: in Scan, with nothing on record yet
    (say how far its record was checked with peel checked)."""
    from ..edits import new_force_text
    from ..ledger import check_slug

    ledger = _invocation(ctx).ledger
    ledger.check_own()
    check_slug(slug)
    name = _text("--name", name) or ledger.registry().names.get(slug)
    if name is None:
        what = "forces and services" if sector_of_slug(slug) == "fire" else "forces"
        raise PeelError(f"{slug} is not in the registry of {what}: give its official name with --name")
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
    from ..edits import add_source as add

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
    from ..edits import add_meeting as add

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
    from ..edits import edit_source as change

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
    from ..edits import cite as add

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
    from ..edits import add_concern as add
    from ..schema.names import CONCERN_KINDS

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
    """Add a recommendation to a cause of concern; with --closed-on, one already closed (the way to
    add one to a closed cause, closed on or before the day the cause was). Warns of a --deadline
    wording peel cannot read a due date from."""
    from ..edits import add_recommendation as add

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
    from ..edits import add_area

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
    from ..edits import add_officer as add

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
    role: _text_option(
        "--role", "Their title: Police and Crime Commissioner, Chair of Fire Authority, ...", required=True
    ),
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="pcc|pfcc|mayor|fire-authority",
            help="The kind of body: a force's pcc, pfcc or mayor; a service's fire-authority, pfcc or mayor.",
            show_default=False,
        ),
    ],
    from_: InPostFrom = None,
    to: InPostTo = None,
    noted_on: NotedOn = None,
    notes: Notes = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Add the force's policing body (PCC, PFCC or mayor), or the service's fire and rescue authority
    (or PFCC or mayor), with --from or --noted-on."""
    from ..edits import add_body as add
    from ..schema.names import POLICING_BODY_KINDS

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
    from ..edits import add_metric as add

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
    from ..edits import add_inspection as add

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
    from_on: _date_option(
        "--from",
        "The first day the record is in doubt, when the doubt arises after it last showed the subjects' state "
        "(the day after that state); without it they are in doubt on every day",
    ) = None,
    source: Sources = None,
    dry_run: DryRun = False,
) -> None:
    """Record a gap or doubt in the public record; every output showing its subjects says so."""
    from ..edits import add_uncertainty as add

    run = _invocation(ctx)
    run.edit(
        force,
        add,
        dry_run,
        about=_text("--about", about),
        note=_text("--note", note),
        uncertainty_id=uncertainty_id,
        subjects=subject or [],
        from_on=_date(run, "--from", from_on),
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
    from ..edits import resolve_uncertainty as resolve

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
    from ..edits import checked as change

    run = _invocation(ctx)
    run.edit(force, change, dry_run, to=run.partial("--to", to), note=_text("--note", note))


@command("move")
def move(
    ctx: typer.Context,
    force: ForceArgument,
    phase: Annotated[
        str,
        typer.Argument(
            metavar="scan|engage", parser=choices_of("phase", "scan", "engage"), help="The phase to move into."
        ),
    ],
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
    policy: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", parser=path_given, help="Assess with this policy.")
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Record a phase change. Refused when peel assess calls it not justified (judged as peel assess
    judges the recorded move: a month or span on its last day), unless --override with --reason;
    refused into the phase the force is in, or dated before the last change."""
    from ..edits import move_phase
    from ..policy import read_policy

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
    "edit-concern",
    "edit-rec",
    "edit-afi",
    "edit-force",
    "reopen-rec",
    "reopen-concern",
    "reopen-afi",
    "edit-move",
    "withdraw-move",
    "remove",
    "rename",
)
"""The commands that edit one existing force file (``add-force`` creates one); the corrections
among them are defined below."""


class EditStep(NamedTuple):
    force: str
    change: object
    request: dict


class _Recording(Invocation):
    """An invocation that parses an editing command into an :class:`EditStep` instead of
    applying it, and lets refusals through as :class:`PeelError`."""

    recording = True

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
    from ..problems import usage_error

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


# -- corrections (issue 20): changing what is already recorded ------------------------------------


def _unset_option(fields: str):
    return _many("--unset", f"Remove a value recorded by mistake: {fields} (repeatable).", "FIELD")


NewSources = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        metavar="SRC",
        help="The sources it cites, replacing those it cites now: source ids or URLs (repeatable; to add one "
        "and keep the others, use peel cite).",
        show_default=False,
    ),
]
ClosedOn = _date_option("--closed-on", "The day its closure is dated to")
ClosureEvidence = _text_option("--evidence", "Its closure's evidence: a short summary of why it was closed.")
ClosureSources = _many(
    "--closure-source", "The sources its closure cites, replacing those it cites now (repeatable).", "SRC"
)
ClosureReason = _text_option("--reason", "Why it was closed (its closure's reason).")
Why = _text_option("--why", "Why it was recorded by mistake: kept in the notes.", required=True)
MoveArgument = Annotated[
    str,
    typer.Argument(
        metavar="MOVE",
        help="The phase change: phase:N (the Nth in the file, from 1) or the date it is recorded with.",
        show_default=False,
    ),
]


def _replacing(values: list[str] | None) -> list[str] | None:
    """Repeatable sources that replace a record's: ``None`` when none are given (no change)."""
    return list(values) if values else None


def _closure_request(run: Invocation, closed_on, evidence, closure_source, reason) -> dict:
    return {
        "closed_on": _date(run, "--closed-on", closed_on),
        "evidence": _text("--evidence", evidence),
        "closure_sources": _replacing(closure_source),
        "reason": _text("--reason", reason),
    }


@command("edit-concern")
def edit_concern(
    ctx: typer.Context,
    force: ForceArgument,
    concern_id: Annotated[
        str, typer.Argument(metavar="CONCERN_ID", help="The cause of concern's id.", show_default=False)
    ],
    title: _text_option("--title", "Its title.") = None,
    text: _text_option("--text", "Its text as published.") = None,
    raised: _date_option("--raised", "When it was raised") = None,
    published: _date_option("--published", "When it was published") = None,
    kind: _text_option(
        "--kind", "cause-of-concern or area-of-concern.", metavar="cause-of-concern|area-of-concern"
    ) = None,
    accelerated: Annotated[
        bool | None,
        typer.Option(
            "--accelerated/--not-accelerated", help="Whether it was published early, as an accelerated cause."
        ),
    ] = None,
    source: NewSources = None,
    notes: Notes = None,
    closed_on: ClosedOn = None,
    evidence: ClosureEvidence = None,
    closure_source: ClosureSources = None,
    reason: _text_option(
        "--reason", "Why it was closed while recommendations stay open (its closure's reason)."
    ) = None,
    unset: _unset_option("text, published, notes, sources, reason, closure-sources") = None,
    dry_run: DryRun = False,
) -> None:
    """Correct a cause of concern in place: its title, text, dates, kind, sources, notes or closure.
    Refused where the closure rules would break."""
    from ..corrections import edit_concern as change
    from ..schema.names import CONCERN_KINDS

    _choice("--kind", kind, CONCERN_KINDS)
    run = _invocation(ctx)
    run.edit(
        force,
        change,
        dry_run,
        concern_id=concern_id,
        title=_text("--title", title),
        text=_text("--text", text),
        raised=_date(run, "--raised", raised),
        published=_date(run, "--published", published),
        kind=kind,
        accelerated=accelerated,
        notes=_text("--notes", notes),
        sources=_replacing(source),
        unset=unset or [],
        **_closure_request(run, closed_on, evidence, closure_source, reason),
    )


@command("edit-rec")
def edit_rec(
    ctx: typer.Context,
    force: ForceArgument,
    rec_id: Annotated[str, typer.Argument(metavar="REC_ID", help="The recommendation's id.", show_default=False)],
    text: _text_option("--text", "Its text as published.") = None,
    deadline: _text_option("--deadline", 'The deadline as published: "Within six months".') = None,
    due: _date_option("--due", "The due date, where the wording fixes one") = None,
    source: NewSources = None,
    notes: Notes = None,
    closed_on: ClosedOn = None,
    evidence: ClosureEvidence = None,
    closure_source: ClosureSources = None,
    reason: ClosureReason = None,
    unset: _unset_option("deadline, due, notes, sources, reason, closure-sources") = None,
    dry_run: DryRun = False,
) -> None:
    """Correct a recommendation in place: its text, deadline wording, due date, sources, notes or
    closure."""
    from ..corrections import edit_recommendation as change

    run = _invocation(ctx)
    run.edit(
        force,
        change,
        dry_run,
        rec_id=rec_id,
        text=_text("--text", text),
        deadline=_text("--deadline", deadline),
        due=_date(run, "--due", due),
        notes=_text("--notes", notes),
        sources=_replacing(source),
        unset=unset or [],
        **_closure_request(run, closed_on, evidence, closure_source, reason),
    )


@command("edit-afi")
def edit_afi(
    ctx: typer.Context,
    force: ForceArgument,
    afi_id: Annotated[str, typer.Argument(metavar="AFI_ID", help="The area for improvement's id.", show_default=False)],
    text: _text_option("--text", "Its text as published.") = None,
    raised: _date_option("--raised", "When it was raised") = None,
    source: NewSources = None,
    notes: Notes = None,
    closed_on: ClosedOn = None,
    evidence: ClosureEvidence = None,
    closure_source: ClosureSources = None,
    reason: ClosureReason = None,
    unset: _unset_option("notes, sources, reason, closure-sources") = None,
    dry_run: DryRun = False,
) -> None:
    """Correct an area for improvement in place: its text, the day it was raised, sources, notes or
    closure."""
    from ..corrections import edit_area as change

    run = _invocation(ctx)
    run.edit(
        force,
        change,
        dry_run,
        area_id=afi_id,
        text=_text("--text", text),
        raised=_date(run, "--raised", raised),
        notes=_text("--notes", notes),
        sources=_replacing(source),
        unset=unset or [],
        **_closure_request(run, closed_on, evidence, closure_source, reason),
    )


@command("edit-force")
def edit_force(
    ctx: typer.Context,
    force: ForceArgument,
    name: _text_option("--name", "The force's official name.", metavar="NAME") = None,
    notes: Notes = None,
    unset: _unset_option("notes") = None,
    dry_run: DryRun = False,
) -> None:
    """Correct the force's name or notes, in place."""
    from ..corrections import edit_force as change

    run = _invocation(ctx)
    run.edit(force, change, dry_run, name=_text("--name", name), notes=_text("--notes", notes), unset=unset or [])


def _with_why(ctx, force: str, change, dry_run: bool, why: str | None, **request) -> None:
    run = _invocation(ctx)
    run.edit(force, change, dry_run, why=_text("--why", why), **request)


@command("reopen-rec")
def reopen_rec(
    ctx: typer.Context,
    force: ForceArgument,
    rec_id: Annotated[str, typer.Argument(metavar="REC_ID", help="The recommendation's id.", show_default=False)],
    why: Why,
    dry_run: DryRun = False,
) -> None:
    """Remove a recommendation's closure recorded by mistake; why is kept in its notes."""
    from ..corrections import reopen_recommendation

    _with_why(ctx, force, reopen_recommendation, dry_run, why, rec_id=rec_id)


@command("reopen-concern")
def reopen_concern(
    ctx: typer.Context,
    force: ForceArgument,
    concern_id: Annotated[
        str, typer.Argument(metavar="CONCERN_ID", help="The cause of concern's id.", show_default=False)
    ],
    why: Why,
    dry_run: DryRun = False,
) -> None:
    """Remove a cause of concern's closure recorded by mistake; why is kept in its notes."""
    from ..corrections import reopen_concern as reopen

    _with_why(ctx, force, reopen, dry_run, why, concern_id=concern_id)


@command("reopen-afi")
def reopen_afi(
    ctx: typer.Context,
    force: ForceArgument,
    afi_id: Annotated[str, typer.Argument(metavar="AFI_ID", help="The area for improvement's id.", show_default=False)],
    why: Why,
    dry_run: DryRun = False,
) -> None:
    """Remove an area for improvement's closure recorded by mistake; why is kept in its notes."""
    from ..corrections import reopen_area

    _with_why(ctx, force, reopen_area, dry_run, why, area_id=afi_id)


@command("edit-move")
def edit_move(
    ctx: typer.Context,
    force: ForceArgument,
    move: MoveArgument,
    on: _date_option("--on", "The day of the decision, or the month or span it lies in") = None,
    published: _date_option("--published", "When the move was announced") = None,
    decided_by: _text_option("--decided-by", "Who decided, e.g. HM Chief Inspector.") = None,
    reason: Reason = None,
    notes: Notes = None,
    source: NewSources = None,
    missing_from_record: _text_option(
        "--missing-from-record", "What the record does not show about the move (peel assess will not judge it)."
    ) = None,
    override: Annotated[
        bool,
        typer.Option("--override", help="Keep the corrected move even though peel assess calls it not justified."),
    ] = False,
    policy: Annotated[Path | None, typer.Option("--policy", metavar="FILE", help="Assess with this policy.")] = None,
    unset: _unset_option("published, decided-by, reason, notes, sources, missing-from-record") = None,
    dry_run: DryRun = False,
) -> None:
    """Correct a phase change in place: its date, who decided, sources, reason or notes. A new date
    keeps the changes in order (no two on one day) and is judged by peel assess as peel move
    judges a move."""
    from ..corrections import edit_move as change
    from ..policy import read_policy

    run = _invocation(ctx)
    run.edit(
        force,
        change,
        dry_run,
        move=move,
        on=_date(run, "--on", on),
        published=_date(run, "--published", published),
        decided_by=_text("--decided-by", decided_by),
        reason=_text("--reason", reason),
        notes=_text("--notes", notes),
        sources=_replacing(source),
        missing_from_record=_text("--missing-from-record", missing_from_record),
        override=override,
        unset=unset or [],
        policy=read_policy(policy),
        others=run.ledger.load_all(today=run.today),
    )


@command("withdraw-move")
def withdraw_move(
    ctx: typer.Context,
    force: ForceArgument,
    move: MoveArgument,
    why: _text_option("--why", "Why it was recorded by mistake: kept in the force's notes.", required=True),
    dry_run: DryRun = False,
) -> None:
    """Remove a phase change recorded by mistake (the last: an earlier one would leave the next a
    change into the phase the force is already in); why is kept in the force's notes."""
    from ..corrections import withdraw_move as withdraw

    _with_why(ctx, force, withdraw, dry_run, why, move=move)


@command("remove")
def remove(
    ctx: typer.Context,
    force: ForceArgument,
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="What to remove: an id (source, cause, recommendation, area, inspection, uncertainty), or "
            "officer:N, body:N, metric:N, uncertainty:N, phase:N:date:M (from 1).",
            show_default=False,
        ),
    ],
    dry_run: DryRun = False,
) -> None:
    """Remove a record entered by mistake; refused while anything cites it or depends on it,
    naming each."""
    from ..corrections import remove as change

    run = _invocation(ctx)
    run.edit(force, change, dry_run, target=target)


@command("rename")
def rename(
    ctx: typer.Context,
    force: ForceArgument,
    old_id: Annotated[str, typer.Argument(metavar="OLD_ID", help="The id to change.", show_default=False)],
    new_id: Annotated[str, typer.Argument(metavar="NEW_ID", help="Its new id.", show_default=False)],
    dry_run: DryRun = False,
) -> None:
    """Give a record a new id, and every reference to it in the file with it."""
    from ..corrections import rename as change

    run = _invocation(ctx)
    run.edit(force, change, dry_run, old_id=old_id, new_id=new_id)

"""``peel site``: the whole ledger as a static web site that works from a folder, offline.

No server, no scripts, no fonts or images from elsewhere: ``index.html`` leads with the forces
in Engage, then the other forces on record, a national timeline, and the forces with no recorded
history folded away; ``forces/<slug>.html`` holds each force's ``peel report`` in HTML, with a
timeline of its own. Links are relative, so the folder can be copied, zipped or opened with
``file://``. Making the pages is pure (:func:`site_pages`); :func:`write_site` makes each as it writes it.

The folder is peel's: a manifest (``.peel-site``) lists the pages it wrote, so a rebuild
replaces them and removes the ones no longer made, and a folder holding anything else (or a
symbolic link anywhere inside) is refused rather than written into. A build locks the folder,
and clears away the temporary files a killed build left there.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .files import WriteError, check_output_path, display_path, folder_lock, read_bytes, temporary_of, write_text
from .output.document import Cell, Chart, ChartRow, Document, Link, Part, Table, Tag
from .output.html import html_page
from .problems import PeelError, Problem
from .report import (
    AFTER_RECORD_KEY,
    ENGAGE_KEY,
    ONE_DAY,
    UNCERTAIN_KEY,
    after_record,
    board_report,
    chart_years,
    engage_bars,
)
from .schema.names import SLUG_PATTERN
from .schema.records import Policy
from .status import LEDGER_TITLE, National, SummaryRow, days_label, engage_headline

INDEX = "index.html"
FORCES = "forces"
MANIFEST = ".peel-site"
LOCK_INFO = ".peel-site-lock"
"""While a build holds the folder's lock: its pid and command, for a build that has to wait."""
_PAGE = re.compile(rf"index\.html|{FORCES}/{SLUG_PATTERN.strip('^$')}\.html")


def page_of(slug: str) -> str:
    return f"{FORCES}/{slug}.html"


def site_pages(found: National, policy: Policy) -> dict[str, Callable[[], str]]:
    """Relative path to what makes the page's text: the index and a page for every force with a
    valid file or none. A page is made when it is written, so a large ledger's site is never held
    whole in memory."""
    from .assess import precedent_book

    rows, as_of = found.rows, found.as_of
    # Every force's entries into Engage and returns to Scan, found once, not once a page.
    precedents = precedent_book(row.standing.force for row in rows if row.standing is not None)

    def force_page(row: SummaryRow) -> str:
        if row.standing is None:
            document = _no_record(row, as_of)
        else:
            document = board_report(row.standing.force, as_of, policy, precedents)
        return html_page(document, home=f"../{INDEX}")

    pages: dict[str, Callable[[], str]] = {INDEX: functools.partial(index_page, found)}
    for row in rows:
        if row.problem is None:  # an invalid file: peel validate says why; the index marks it
            pages[page_of(row.slug)] = functools.partial(force_page, row)
    return pages


# -- the index -----------------------------------------------------------------------------------

COLUMNS = ["Force", "Phase", "Since", "Days in phase", "Open causes", "Open recs", "Overdue recs", "Record checked to"]
NUMERIC = frozenset({"Days in phase", "Open causes", "Open recs", "Overdue recs"})


def index_page(found: National) -> str:
    rows, as_of = found.rows, found.as_of
    engage = [r for r in rows if r.standing is not None and r.standing.phase == "engage"]
    recorded = [r for r in rows if (r.standing is not None or r.problem is not None) and r not in engage]
    unrecorded = [r for r in rows if r.standing is None and r.problem is None]
    on_file = sum(1 for r in rows if r.standing is not None or r.problem is not None)
    notes = [
        "Open recs: open recommendations of causes of concern. Overdue recs: open recommendations past their due "
        "date. Record checked to: how far the force's public record was searched; where that is before "
        f"{as_of.isoformat()}, the row's phase, days and counts hold on that day, and anything later is not known "
        "to peel. Recorded with --override: a move recorded against peel assess's verdict that it was not "
        "justified (the force's page gives the reason)."
    ]
    document = Document(
        LEDGER_TITLE,
        [
            ("As of", as_of.isoformat()),
            (f"In Engage on {found.count_holds_on.isoformat()}", engage_headline(found)),
            ("On record", f"{on_file} of {len(rows)} forces have a file; the others are in Scan by default"),
        ],
        [
            Part(
                "In Engage",
                "engage",
                paragraphs=[
                    "Forces whose record shows them in Engage, HMICFRS's enhanced monitoring, as it ends or on "
                    f"{as_of.isoformat()}, whichever is earlier."
                ],
                table=Table(
                    COLUMNS,
                    [_row(r) for r in engage],
                    empty="No force is in Engage on the record.",
                    numeric=NUMERIC,
                    wrap=frozenset({"Force", "Days in phase", "Record checked to"}),
                ),
                notes=notes,
            ),
            Part(
                "Other forces on record",
                "on-record",
                paragraphs=["Forces with a file in the ledger that are not in Engage."],
                table=Table(
                    COLUMNS,
                    [_row(r) for r in recorded],
                    empty="None.",
                    numeric=NUMERIC,
                    wrap=frozenset({"Force", "Days in phase", "Record checked to"}),
                ),
            ),
            Part(
                "National timeline",
                "timeline",
                paragraphs=[
                    "Periods in Engage of every force the ledger shows there at some time. Hatched ends mark dates "
                    "the record gives only to the month or year; a dotted tail, the time after a force's record "
                    "ends, when peel knows nothing of it."
                ],
                figure=national_chart(found),
            ),
            Part(
                f"Forces with no recorded history ({len(unrecorded)})",
                "no-record",
                paragraphs=[
                    "No file in the ledger: no phase change, cause of concern or recommendation is on record, so "
                    "each is shown in Scan, the default phase."
                ],
                table=Table(
                    ["Force", "Phase"], [[Link(r.name, page_of(r.slug)), "Scan (default)"] for r in unrecorded]
                ),
                collapsed=True,
            ),
        ],
        footer=f"Produced by peel from the ledger as it stood on {as_of.isoformat()}: anything dated later is left "
        "out. Every force page cites the published documents behind its facts.",
    )
    return html_page(document)


def _row(row: SummaryRow) -> list[Cell]:
    s = row.standing
    if s is None:
        return [row.name, Tag("invalid file", "problem"), row.problem or "", "", "", "", "", ""]
    since: Cell = "no phase change on record"
    if s.since is not None:
        since = str(s.since.decided_on)
        if s.since.assessment_overridden:
            since = Tag(f"{since}, recorded with --override", "overridden")
    doubted = sum(1 for c in s.open_causes if c.uncertain)
    open_causes: Cell = str(len(s.open_causes))
    if doubted:
        open_causes = Tag(f"{len(s.open_causes)} ({doubted} uncertain)", "uncertain")
    if s.record_checked_to is None:
        checked = "not stated"
    elif s.beyond_record:
        checked = f"{s.record_checked_to}: figures hold on that day"
    else:
        checked = str(s.record_checked_to)
    return [
        Link(row.name, page_of(row.slug)),
        Tag(s.phase.capitalize(), f"phase-{s.phase}"),
        since,
        days_label(s),
        open_causes,
        str(len(s.open_recommendations)),
        str(len(s.overdue_recommendations)),
        checked,
    ]


def national_chart(found: National) -> Chart:
    """A row per force ever in Engage on the record, with the time after its record ends."""
    rows, beyond = [], False
    for row in found.rows:
        s = row.standing
        if s is None:
            continue
        bars = engage_bars(s)
        if bars:
            beyond = beyond or bool(s.beyond_record)
            rows.append(ChartRow(Link(row.name, page_of(row.slug)), (*bars, *after_record(s))))
    first = min((bar.start for row in rows for bar in row.bars), default=found.as_of)
    start, end = chart_years(first, found.as_of)
    return Chart(
        f"Periods in Engage by force, {start.year} to {found.as_of.isoformat()}",
        start,
        end,
        rows,
        (found.as_of + ONE_DAY, f"as of {found.as_of.isoformat()}"),
        [ENGAGE_KEY, UNCERTAIN_KEY, *([AFTER_RECORD_KEY] if beyond else [])],
    )


def _no_record(row: SummaryRow, as_of: date) -> Document:
    return Document(
        f"{row.name}: HMICFRS monitoring",
        [
            ("Force", f"{row.name} ({row.slug})"),
            ("Phase", Tag("Scan (the default)", "phase-scan")),
            ("As of", as_of.isoformat()),
        ],
        [
            Part(
                "No recorded history",
                "record",
                paragraphs=[
                    "This ledger has no file for this force: no phase change, cause of concern or recommendation "
                    "is on record, so it is shown in Scan, the default phase. That is the ledger's silence, not "
                    "a finding about the force."
                ],
            )
        ],
        footer=f"Produced by peel from the ledger as it stood on {as_of.isoformat()}.",
    )


# -- writing -------------------------------------------------------------------------------------


def write_site(outdir: Path, pages: dict[str, Callable[[], str]], *, ledger: Path) -> list[str]:
    """Make and write every page into ``outdir``, a new or empty folder or one holding a previous site,
    and remove the previous site's pages no longer made; returns those removed.

    The folder is locked while the site is written, so two builds into it queue rather than
    interleave, and a build recovers from what a killed one left behind (its temporary files,
    its lock note). The manifest is written first listing every page this run may leave behind,
    and again at the end listing this site's pages, so an interrupted run never leaves a page
    it does not own up to."""
    check_output_path(outdir, ledger, folder=True)
    _make_folder(outdir)
    with folder_lock(outdir, lock="the site's lock", info=outdir / LOCK_INFO, folder_name="the site's folder"):
        previous = _previous_site(outdir)
        for folder in sorted({(outdir / page).parent for page in pages}):
            _make_folder(folder)
        _write_manifest(outdir, previous | set(pages))
        for done, (page, make) in enumerate(pages.items()):
            try:
                write_text(outdir / page, make(), follow_links=False)
            except WriteError as exc:
                raise _refuse(
                    outdir / page,
                    f"cannot write: {exc.reason}; {done} of {len(pages)} pages were written before it, so "
                    f"{display_path(outdir)} holds an incomplete site: run peel site again once that is put right",
                ) from None
        stale = sorted(previous - set(pages))
        for page in stale:
            try:
                (outdir / page).unlink(missing_ok=True)
            except OSError as exc:
                raise _refuse(
                    outdir / page,
                    f"cannot remove: {exc.strerror or exc}; every page of this build was written, and this one is "
                    "no longer made: remove it, or run peel site again",
                ) from None
        try:
            _write_manifest(outdir, set(pages))
        except WriteError as exc:
            raise _refuse(
                outdir / MANIFEST,
                f"cannot write: {exc.reason}; every page of this build was written, but the list of pages was not "
                "brought up to date: run peel site again once that is put right",
            ) from None
    return stale


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(folder, f"cannot create the folder: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise _refuse(folder, "exists and is not a folder: refusing to write a site there")


def _refuse(path: Path, why: str) -> PeelError:
    return PeelError(Problem(why).at(display_path(path)))


def _previous_site(outdir: Path) -> set[str]:
    """The pages of the site already in ``outdir``, once what a killed build left behind (its
    temporary files) is cleared away; refuses a folder holding anything else. Called with the
    folder locked, so no other build's temporary file is running."""
    try:
        entries = _clear_leftovers(outdir, "")
    except OSError as exc:
        raise _refuse(outdir, f"cannot read the folder: {exc.strerror or exc}") from None
    if _unbuilt(outdir, entries):
        return set()
    manifest = outdir / MANIFEST
    if not any(e.name == MANIFEST and e.is_file(follow_symlinks=False) for e in entries):
        raise _refuse(
            outdir,
            f"is not empty and holds no site peel wrote (no {MANIFEST} file): refusing to write into it; "
            "give a new or empty folder",
        )
    try:
        listed = read_bytes(manifest).decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise _refuse(manifest, "is not a list of pages peel site wrote: refusing to write into the folder") from None
    pages = {line for line in listed if line and not line.startswith("#")}
    if any(not _PAGE.fullmatch(page) for page in pages):
        raise _refuse(manifest, "lists files peel site does not write: refusing to write into the folder")
    _check_tree(outdir, "", pages)
    return pages


def _unbuilt(outdir: Path, entries: list[os.DirEntry]) -> bool:
    """Nothing there but what a build killed before its first page may leave: its lock note
    and an empty forces folder."""
    names = {e.name for e in entries} - {LOCK_INFO}
    if not names:
        return True
    forces = next(e for e in entries if e.name == FORCES) if names == {FORCES} else None
    return (
        forces is not None
        and forces.is_dir(follow_symlinks=False)
        and not _clear_leftovers(outdir / FORCES, FORCES + "/")
    )


def _clear_leftovers(folder: Path, prefix: str) -> list[os.DirEntry]:
    """The entries of ``folder`` once the temporary files a killed build left there are removed:
    plain files named as :func:`~peelcli.files.replacing` names its temporaries, for a page or
    the manifest."""
    with os.scandir(folder) as scan:
        entries = list(scan)
    kept = []
    for entry in entries:
        of = temporary_of(entry.name)
        if (
            of is not None
            and entry.is_file(follow_symlinks=False)
            and (_PAGE.fullmatch(prefix + of) or prefix + of == MANIFEST)
        ):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
        else:
            kept.append(entry)
    return kept


def _check_tree(folder: Path, prefix: str, pages: set[str]) -> None:
    """Every entry is a page the manifest lists, the manifest, the lock note or the forces
    folder: plain files and real folders only, never a symbolic link (peel site never writes
    through one)."""
    for entry in sorted(_clear_leftovers(folder, prefix), key=lambda e: e.name):
        relative, path = prefix + entry.name, folder / entry.name
        if entry.is_symlink():
            raise _refuse(path, "is a symbolic link, which peel site did not make and never writes through: remove it")
        if entry.is_dir():
            if relative != FORCES:
                raise _refuse(path, "was not written by peel site: move it out of the site's folder")
            _check_tree(path, relative + "/", pages)
        elif relative not in (MANIFEST, LOCK_INFO) and relative not in pages:
            raise _refuse(path, "was not written by peel site: move it out of the site's folder")


def _write_manifest(outdir: Path, pages: set[str]) -> None:
    head = "# Pages written by peel site: it replaces them on the next build and removes those it no longer makes.\n"
    write_text(outdir / MANIFEST, head + "".join(f"{page}\n" for page in sorted(pages)), follow_links=False)

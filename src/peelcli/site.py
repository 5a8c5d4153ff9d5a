"""``peel site``: the whole ledger as a static web site that works from a folder, offline.

No server, no scripts, no fonts or images from elsewhere: ``index.html`` leads, for each sector
(police forces, fire and rescue services), with those in Engage, then the others on record, a
national timeline, and those with no recorded history folded away; ``forces/<slug>.html`` holds
each force's or service's ``peel report`` in HTML, with a timeline of its own. Links are
relative, so the folder can be copied, zipped or opened with ``file://``. Making the pages is
pure (:func:`site_pages`); :func:`write_site` makes each as it writes it.

Memory stays flat however large the ledger: the national view reads each file once and keeps its
summary, and :class:`Gathering` what the index and every page's precedents need of it besides;
each force's page is made from its file read again when the page is written.

The folder is peel's: a manifest (``.peel-site``) lists the pages it wrote, so a rebuild
replaces them and removes the ones no longer made, and a folder holding anything else (or a
symbolic link anywhere inside) is refused rather than written into. A build locks the folder,
and clears away the temporary files a killed build left there.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from . import figures
from .files import (
    WriteError,
    check_output_path,
    display_path,
    folder_lock,
    read_bytes,
    temporary_of,
    write_pieces,
    write_text,
)
from .output.document import Bar, Cell, Chart, ChartRow, Document, Link, MadeRows, Part, Table, Tag
from .output.html import html_pieces
from .output.wording import body_word
from .problems import PeelError, Problem
from .report import (
    AFTER_RECORD_KEY,
    ENGAGE_KEY,
    ENGAGE_TAIL_KEY,
    ONE_DAY,
    UNCERTAIN_KEY,
    after_record,
    board_report,
    chart_years,
    duration_text,
    engage_bars,
    open_engage,
    still_in_engage,
)
from .schema.names import BODY_WORDS, SLUG_PATTERN
from .schema.records import ForceFile, Policy
from .sectors import by_sector_document, monitoring_title
from .status import National, SummaryRow, engage_headline, figure_cell, on_record_label
from .timeline import Standing

INDEX = "index.html"
FORCES = "forces"
MANIFEST = ".peel-site"
LOCK_INFO = ".peel-site-lock"
"""While a build holds the folder's lock: its pid and command, for a build that has to wait."""
_PAGE = re.compile(rf"index\.html|{FORCES}/{SLUG_PATTERN.strip('^$')}\.html")


def page_of(slug: str) -> str:
    return f"{FORCES}/{slug}.html"


class ChartLine(NamedTuple):
    """A force's row of its sector's national chart: its stays in Engage and the time after its
    phase is last known (:func:`~peelcli.report.engage_bars`, :func:`~peelcli.report.after_record`)."""

    bars: tuple[Bar, ...]
    note: str
    """Beside its name: a stay in Engage still open when its phase is last known."""
    after_record: bool


class Gathering:
    """What ``peel site`` keeps of each force while the national view reads it, besides its
    summary: its moves into Engage and back (the precedents every page ranks, found once, not once
    a page), its row of the national chart (for a force ever in Engage), and a digest of its file,
    so that its page, made from the file read again, is known to be made from the file the index
    summarised. :meth:`visit` is :func:`~peelcli.status.national`'s ``visit``."""

    def __init__(self) -> None:
        self.entries: list = []
        self.returns: list = []
        self.chart: dict[str, bytes] = {}
        self.digests: dict[str, bytes] = {}

    def visit(self, reading, found: Standing) -> None:
        from .assess import entries_of, returns

        force = found.force
        self.entries += entries_of(force)
        self.returns += returns(force)
        bars = engage_bars(found)
        if bars:
            after = after_record(found)
            note = still_in_engage(found) if open_engage(found) else ""
            line = ChartLine((*bars, *after), note, bool(after))
            self.chart[force.slug] = pickle.dumps(line, pickle.HIGHEST_PROTOCOL)
        self.digests[force.slug] = _digest(reading)

    def precedents(self):
        """Every entry into Engage and return to Scan, in the order the forces were read (as
        :func:`~peelcli.assess.precedent_book` finds them)."""
        from .assess import PrecedentBook

        return PrecedentBook(tuple(self.entries), tuple(self.returns))

    def chart_line(self, slug: str) -> ChartLine | None:
        """The force's row of its sector's national chart; None for a force never in Engage. Kept
        pickled until the index is written: a few hundred bytes, not a few dozen small objects."""
        packed = self.chart.get(slug)
        return None if packed is None else pickle.loads(packed)

    def force(self, slug: str, reading) -> ForceFile:
        """The force of ``slug``'s file read again for its page: refused, naming the file, when it
        is no longer the valid file the index summarised."""
        if not reading.ok or slug not in self.digests or self.digests[slug] != _digest(reading):
            raise PeelError(
                [
                    *reading.errors,
                    Problem("changed while the site was being built: its page would not match the index").at(
                        reading.name
                    ),
                ]
            )
        return reading.force


def _digest(reading) -> bytes:
    return hashlib.blake2b(reading.document.text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def site_pages(
    sectors: tuple[National, ...], policy: Policy, gathered: Gathering, read: Callable[[str], object]
) -> dict[str, Callable[[], Iterable[str]]]:
    """Relative path to what makes the page's text: the index of every sector and a page for every
    force or service with a valid file or none. A page is made when it is written, so a large
    ledger's site is never held whole in memory: a force's page from its file read again
    (``read(slug)``, a :class:`~peelcli.reader.ForceReading`), which ``gathered`` checks is the
    file the national view summarised."""
    precedents = gathered.precedents()

    def force_page(row: SummaryRow, found: National) -> Iterable[str]:
        if not row.summarised:
            document = _no_record(row, found.as_of, found.sector)
        else:
            force = gathered.force(row.slug, read(row.slug))
            document = board_report(force, found.as_of, policy, precedents, found.record_checked_to)
        return html_pieces(document, home=f"../{INDEX}")

    pages: dict[str, Callable[[], Iterable[str]]] = {INDEX: functools.partial(index_page, sectors, gathered.chart_line)}
    for found in sectors:
        for row in found.rows:
            if row.problem is None:  # an invalid file: peel validate says why; the index marks it
                pages[page_of(row.slug)] = functools.partial(force_page, row, found)
    return pages


def refuse_invalid(problems: list[Problem]) -> None:
    """A site is published whole or not at all: a force file peel cannot read would leave its
    force out of the counts and timelines, so nothing is written (a stray file, whose name is
    no slug, is only a warning: it is skipped and said)."""
    if any(problem.is_error for problem in problems):
        raise PeelError(
            [
                *problems,
                Problem("nothing was written: the site would publish an invalid ledger (peel validate shows why)"),
            ]
        )


# -- the index -----------------------------------------------------------------------------------

COLUMNS = ["Force", "Phase", "Since", "Days in phase", "Open causes", "Open recs", "Overdue recs", "Record checked to"]
NUMERIC: frozenset[str] = frozenset()
"""None: a figure the record does not fix is said in words, which wrap."""
WRAP = frozenset({"Force", "Days in phase", "Open causes", "Open recs", "Overdue recs", "Record checked to"})


def index_page(sectors: tuple[National, ...], chart: Callable[[str], ChartLine | None]) -> Iterable[str]:
    """The front page: each sector's own index, side by side, with its own Engage headline and
    timeline (:func:`~peelcli.sectors.by_sector_document`); ``chart``: each force's row of the
    national chart, by slug."""
    names = tuple(found.sector for found in sectors)
    document = by_sector_document(names, [index_document(found, chart) for found in sectors])
    if len(sectors) > 1:
        document = document._replace(
            footer=f"Produced by peel from the ledger as it stood on {sectors[0].as_of.isoformat()}: anything "
            "dated later is left out. Every force's and service's page cites the published documents behind its "
            "facts."
        )
    return html_pieces(document)


def index_document(found: National, chart: Callable[[str], ChartLine | None]) -> Document:
    """One sector's index: those in Engage, the others on record, its national timeline and
    those with no recorded history."""
    rows, as_of = found.rows, found.as_of
    word, words = BODY_WORDS[found.sector]
    title, titles = word.capitalize(), words.capitalize()
    columns = [title, *COLUMNS[1:]]
    engage = [r for r in rows if r.summarised and r.summary.phase == "engage"]
    engaged = {r.slug for r in engage}
    recorded = [r for r in rows if (r.summarised or r.problem is not None) and r.slug not in engaged]
    unrecorded = [r for r in rows if not r.summarised and r.problem is None]
    search = (
        f", or, for its phase, to the end of the national search of phase changes ({found.record_checked_to}) "
        "where that is later"
        if found.record_checked_to is not None
        else ""
    )
    notes = [
        "Open recs: open recommendations of causes of concern. Overdue recs: open recommendations past their due "
        'date. A figure the record does not fix says so: a range where some are in doubt, "at least" where more '
        f'are not on record, "not known" where none are (the {word}\'s page says which). Record checked to: how far '
        f"the {word}'s public record was searched; where that is before "
        f"{as_of.isoformat()}, the row's counts hold on that day, and its phase and days are known to that "
        f"day{search}: anything later is not known to peel. Recorded overriding peel's assessment: a move recorded "
        f"although peel's assessment called it not justified (the {word}'s page gives the reason)."
    ]
    return Document(
        monitoring_title((found.sector,)),
        [
            ("As of", as_of.isoformat()),
            (f"In Engage on {found.count_holds_on.isoformat()}", engage_headline(found)),
            ("On record", on_record_label(found)),
        ],
        [
            Part(
                "In Engage",
                "engage",
                paragraphs=[
                    f"{titles} whose record shows them in Engage, HMICFRS's enhanced monitoring, as it ends or on "
                    f"{as_of.isoformat()}, whichever is earlier."
                ],
                table=Table(
                    columns,
                    MadeRows(engage, _row),
                    empty=f"No {word} is in Engage on the record.",
                    numeric=NUMERIC,
                    wrap=WRAP | {title},
                ),
                notes=notes,
            ),
            Part(
                f"Other {words} on record",
                "on-record",
                paragraphs=[f"{titles} with a file in the ledger that are not in Engage."],
                table=Table(
                    columns,
                    MadeRows(recorded, _row),
                    empty="None.",
                    numeric=NUMERIC,
                    wrap=WRAP | {title},
                ),
            ),
            Part(
                "National timeline",
                "timeline",
                paragraphs=[
                    f"Periods in Engage of every {word} the ledger shows there at some time. Hatched ends mark "
                    f"dates the record gives only to the month or year. A fading tail follows a {word} still in "
                    "Engage on the last day its phase is known, and the words beside its name say so: what came "
                    f"after is not known. A dotted band is the time after what peel knows of a {word}'s phase ends."
                ],
                figure=national_chart(found, chart),
            ),
            Part(
                f"{titles} with no recorded history ({len(unrecorded)})",
                "no-record",
                paragraphs=[
                    "No file in the ledger: no phase change, cause of concern or recommendation is on record, so "
                    "each is shown in Scan, the default phase."
                ],
                table=Table([title, "Phase"], [[Link(r.name, page_of(r.slug)), "Scan (default)"] for r in unrecorded]),
                collapsed=True,
            ),
        ],
        footer=f"Produced by peel from the ledger as it stood on {as_of.isoformat()}: anything dated later is left "
        f"out. Every {word} page cites the published documents behind its facts.",
    )


def _row(row: SummaryRow) -> list[Cell]:
    s = row.summary
    if s is None:
        return [row.name, Tag("invalid file", "problem"), row.problem or "", "", "", "", "", "phase unknown"]
    since: Cell = "no phase change on record"
    if s.since is not None:
        since = str(s.since.decided_on)
        if s.since.assessment_overridden:
            since = Tag(f"{since}, recorded overriding peel's assessment", "overridden")
    found = s.counts
    if s.record_checked_to is None:
        checked = "not stated"
    elif s.beyond_record:
        checked = f"{s.record_checked_to}: counts hold on that day"
        if s.phase_basis == figures.NATIONAL_SEARCH:
            checked += f"; phase known to {s.phase_on.isoformat()} ({figures.BASIS_WORDS[figures.NATIONAL_SEARCH]})"
        else:
            checked += ", and so does its phase"
    else:
        checked = str(s.record_checked_to)
    return [
        Link(row.name, page_of(row.slug)),
        Tag(s.phase.capitalize(), f"phase-{s.phase}"),
        since,
        duration_text(found.days_in_phase, basis=False),
        figure_cell(found.causes_open),
        figure_cell(found.recommendations_open),
        figure_cell(found.recommendations_overdue),
        checked,
    ]


def national_chart(found: National, chart: Callable[[str], ChartLine | None]) -> Chart:
    """A row per force ever in Engage on the record, with the time after its phase is last known;
    a force still in Engage then has a tail and says so beside its name."""
    rows, beyond, tails = [], False, False
    for row in found.rows:
        line = chart(row.slug) if row.summarised else None
        if line is not None:
            tails = tails or bool(line.note)
            beyond = beyond or line.after_record
            rows.append(ChartRow(Link(row.name, page_of(row.slug)), line.bars, line.note))
    first = min((bar.start for row in rows for bar in row.bars), default=found.as_of)
    start, end = chart_years(first, found.as_of)
    return Chart(
        f"Periods in Engage by {body_word(found.sector)}, {start.year} to {found.as_of.isoformat()}",
        start,
        end,
        rows,
        (found.as_of + ONE_DAY, f"as of {found.as_of.isoformat()}"),
        [
            ENGAGE_KEY,
            UNCERTAIN_KEY,
            *([ENGAGE_TAIL_KEY] if tails else []),
            *([AFTER_RECORD_KEY] if beyond else []),
        ],
    )


def _no_record(row: SummaryRow, as_of: date, sector: str = "police") -> Document:
    word = body_word(sector)
    return Document(
        f"{row.name}: HMICFRS monitoring",
        [
            (word.capitalize(), f"{row.name} ({row.slug})"),
            ("Phase", Tag("Scan (the default)", "phase-scan")),
            ("As of", as_of.isoformat()),
        ],
        [
            Part(
                "No recorded history",
                "record",
                paragraphs=[
                    f"This ledger has no file for this {word}: no phase change, cause of concern or recommendation "
                    "is on record, so it is shown in Scan, the default phase. That is the ledger's silence, not "
                    f"a finding about the {word}."
                ],
            )
        ],
        footer=f"Produced by peel from the ledger as it stood on {as_of.isoformat()}.",
    )


# -- writing -------------------------------------------------------------------------------------


def write_site(outdir: Path, pages: dict[str, Callable[[], Iterable[str]]], *, ledger: Path) -> list[str]:
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
            incomplete = (
                f"{done} of {len(pages)} pages were written before it, so {display_path(outdir)} holds an "
                "incomplete site: run peel site again"
            )
            try:
                write_pieces(outdir / page, make(), follow_links=False)
            except WriteError as exc:
                raise _refuse(
                    outdir / page, f"cannot write: {exc.reason}; {incomplete} once that is put right"
                ) from None
            except PeelError as exc:  # a file read again for its page changed since the index was made
                raise PeelError([*exc.problems, Problem(incomplete)]) from None
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

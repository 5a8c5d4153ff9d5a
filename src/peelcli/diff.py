"""``peel diff``: what changed in the ledger, for a pull-request description or a monthly update.

Two questions, two sources of truth. ``--since DATE`` asks what *happened* on or after a day,
from the dates in the current ledger. ``--from GIT_REV`` asks what was *recorded* since a git
revision: ids, closures, phase changes and forces present in the working tree but not at the
revision, or the other way round. The comparison itself is pure; only :func:`read_revision`
runs git.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from .dates import PartialDate
from .history import UNCERTAINTY_NOTE, Doubts, date_cell, in_doubt_now, uncertain_marked
from .output.document import Document, Part, Tag, section
from .output.wording import plural
from .problems import PeelError, usage_error
from .schema.names import SECTOR_TITLES, SECTORS, sector_of_slug
from .schema.records import CauseOfConcern, ForceFile, PhaseChange
from .timeline import doubted_by

WORKING_TREE = "working tree"
OVERRIDE_NOTE = "with --override: recorded although peel assess called the move not justified."

# Kind: (section, what the change column says).
KINDS = {
    "force-added": ("forces", "added"),
    "force-removed": ("forces", "removed"),
    "phase-change": ("phase_changes", "changed phase"),
    "phase-change-added": ("phase_changes", "added"),
    "phase-change-removed": ("phase_changes", "removed"),
    "cause-raised": ("causes", "raised"),
    "cause-added": ("causes", "added"),
    "cause-removed": ("causes", "removed"),
    "cause-closed": ("causes", "closed"),
    "cause-reopened": ("causes", "closure removed"),
    "recommendation-raised": ("recommendations", "raised"),
    "recommendation-added": ("recommendations", "added"),
    "recommendation-removed": ("recommendations", "removed"),
    "recommendation-closed": ("recommendations", "closed"),
    "recommendation-reopened": ("recommendations", "closure removed"),
    "area-raised": ("areas", "raised"),
    "area-added": ("areas", "added"),
    "area-removed": ("areas", "removed"),
    "area-closed": ("areas", "closed"),
    "area-reopened": ("areas", "closure removed"),
}
_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Change:
    force: str
    kind: str
    subject: str
    """The id of what changed; for a phase change the phase, for a force its slug."""
    on: PartialDate | None
    text: str
    """The title or text of what changed (for a phase change, who decided it)."""
    cause: str | None = None
    evidence: str | None = None
    sources: tuple[str, ...] = ()
    in_doubt: bool = False
    """The record leaves the state of what changed uncertain (an unresolved uncertainty names it)."""
    overridden: bool = False
    """A phase change recorded with ``peel move --override`` against a not-justified assessment."""

    @property
    def uncertain(self) -> bool:
        """Dated less exactly than a day, or about something whose state is in doubt."""
        return self.in_doubt or (self.on is not None and not self.on.is_exact)

    @property
    def sector(self) -> str:
        return sector_of_slug(self.force)

    @property
    def section(self) -> str:
        return KINDS[self.kind][0]

    @property
    def what(self) -> str:
        if self.section == "phase_changes":
            moved = "moved into Engage" if self.subject == "engage" else "returned to Scan"
            return moved if self.kind == "phase-change" else f"{KINDS[self.kind][1]}: {moved}"
        return KINDS[self.kind][1]

    def sort_key(self) -> tuple:
        """By sector (police first), force, date and kind; a stable sort keeps file order among
        the rest."""
        when = self.on.sort_key() if self.on else (date.min, date.min)
        return (SECTORS.index(self.sector), self.force, *when, _ORDER[self.kind])


@dataclass(frozen=True)
class LedgerDiff:
    changes: tuple[Change, ...]
    since: date | None = None
    revision: str | None = None
    commit: str | None = None
    notes: tuple[str, ...] = ()
    records: tuple[tuple[str, PartialDate | None], ...] = ()
    """Each force compared, with how far its record was checked (``None``: not stated)."""
    national: PartialDate | None = None
    """How far the national search of phase changes reaches (the registry's ``record_checked_to``)."""
    sectors: tuple[str, ...] = ("police",)
    """The sectors counted, each apart."""
    searched: tuple[tuple[str, PartialDate | None], ...] = ()
    """Each sector counted with how far its own national search reached, where the registry
    gives it one."""

    def searched_to(self, sector: str) -> PartialDate | None:
        """How far the national search of ``sector``'s phase changes reached."""
        return dict(self.searched).get(sector, self.national)

    def part(self, sector: str) -> LedgerDiff:
        """The diff of one sector alone, as if only it were counted."""
        return replace(
            self,
            changes=tuple(c for c in self.changes if c.sector == sector),
            records=tuple((slug, checked) for slug, checked in self.records if sector_of_slug(slug) == sector),
            national=self.searched_to(sector),
            sectors=(sector,),
            searched=((sector, self.searched_to(sector)),),
        )

    def reaches(self, checked: PartialDate | None) -> bool | None:
        """The force's record reaches ``since`` (``None``: not stated, or no ``since``)."""
        if self.since is None or checked is None:
            return None
        return checked.latest >= self.since

    @property
    def known_to(self) -> date | None:
        """The last day anything is known of: the latest record end, or the national search
        when it reaches further; ``None`` when a record does not say how far it was checked."""
        if not self.records or any(checked is None for _, checked in self.records):
            return None
        ends = [checked.latest for _, checked in self.records]
        ends += [searched.latest for searched in map(self.searched_to, self.sectors) if searched is not None]
        return max(ends)

    @property
    def beyond_every_record(self) -> bool:
        """``since`` lies after every record ends: nothing at all is known of the period."""
        known = self.known_to
        return self.since is not None and known is not None and self.since > known

    def json(self) -> dict[str, Any]:
        return diff_json(self)

    def document(self) -> Document:
        return diff_document(self)


# -- since a day ----------------------------------------------------------------------------


def since(forces: tuple[ForceFile, ...], day: date, national: PartialDate | None = None, **counted) -> LedgerDiff:
    """Causes, recommendations and areas raised or closed, and phase changes, dated on or
    after ``day``. A fact dated only to a month or a year is kept while any of its days could
    be on or after ``day``, as ``peel history --since`` does. Recommendations have no date of
    their own: they count as raised with their cause. ``counted``: the ``sectors`` counted and
    how far each one's national search reached (``searched``), for :class:`LedgerDiff`."""

    changes: list[Change] = []
    for force in forces:
        slug = force.slug
        # A fact on the record happened by the day its record was checked to, however its date reads.
        end = force.record_checked_to.latest if force.record_checked_to is not None else None

        def recent(on: PartialDate, end=end) -> bool:
            return (on.latest if end is None else min(on.latest, end)) >= day

        changes += [_phase(slug, "phase-change", c) for c in force.phase_changes if recent(c.decided_on)]
        for cause in force.causes_of_concern:
            if recent(cause.raised_on):
                changes.append(_cause(slug, "cause-raised", cause))
                changes += [_recommendation(slug, "recommendation-raised", r, cause) for r in cause.recommendations]
            for rec in cause.recommendations:
                if rec.closure is not None and recent(rec.closure.closed_on):
                    changes.append(_recommendation(slug, "recommendation-closed", rec, cause))
            if cause.closure is not None and recent(cause.closure.closed_on):
                changes.append(_cause(slug, "cause-closed", cause))
        for area in force.areas_for_improvement:
            if recent(area.raised_on):
                changes.append(_area(slug, "area-raised", area))
            if area.closure is not None and recent(area.closure.closed_on):
                changes.append(_area(slug, "area-closed", area))
    doubts = {force.slug: in_doubt_now(force) for force in forces}
    return LedgerDiff(
        tuple(sorted(_with_doubts(changes, doubts), key=Change.sort_key)),
        since=day,
        records=_records(forces),
        national=national,
        **counted,
    )


def _records(forces) -> tuple[tuple[str, PartialDate | None], ...]:
    found = ((force.slug, force.record_checked_to) for force in forces)
    return tuple(sorted(found, key=lambda record: (SECTORS.index(sector_of_slug(record[0])), record[0])))


def _with_doubts(changes: list[Change], doubts: dict[str, Doubts]) -> list[Change]:
    """Mark each change to a cause, recommendation or area the record leaves in doubt, where it
    may lie on or after the day that doubt begins."""
    return [
        replace(c, in_doubt=True)
        if c.section not in ("forces", "phase_changes") and doubted_by(doubts.get(c.force, {}).get(c.subject), c.on)
        else c
        for c in changes
    ]


def _phase(slug: str, kind: str, change: PhaseChange) -> Change:
    return Change(
        slug,
        kind,
        change.phase,
        change.decided_on,
        change.decided_by or "",
        sources=tuple(change.sources),
        overridden=change.assessment_overridden,
    )


def _cause(slug: str, kind: str, cause: CauseOfConcern) -> Change:
    if kind == "cause-closed":
        closure = cause.closure
        return Change(
            slug, kind, cause.id, closure.closed_on, cause.title, None, closure.evidence, tuple(closure.sources)
        )
    return Change(slug, kind, cause.id, cause.raised_on, cause.title, None, None, tuple(cause.sources))


def _recommendation(slug: str, kind: str, rec, cause: CauseOfConcern) -> Change:
    if kind == "recommendation-closed":
        closure = rec.closure
        return Change(
            slug, kind, rec.id, closure.closed_on, rec.text, cause.id, closure.evidence, tuple(closure.sources)
        )
    return Change(slug, kind, rec.id, cause.raised_on, rec.text, cause.id, None, tuple(rec.sources))


def _area(slug: str, kind: str, area) -> Change:
    if kind == "area-closed":
        closure = area.closure
        return Change(slug, kind, area.id, closure.closed_on, area.text, None, closure.evidence, tuple(closure.sources))
    return Change(slug, kind, area.id, area.raised_on, area.text, None, None, tuple(area.sources))


# -- since a git revision -------------------------------------------------------------------


def compare(old: Revision, new: dict[str, ForceFile], national: PartialDate | None = None, **counted) -> LedgerDiff:
    """What the working tree records that the revision did not, and what it no longer does.

    Causes, recommendations and areas are matched by id, phase changes by phase and date. A
    closure counts as added when the entry had none at the revision, removed the other way
    round. A new force's whole record counts as added. A force whose file at the revision
    cannot be read is left out, with a note, rather than shown as added."""
    changes: list[Change] = []
    for slug in sorted((set(old.forces) | set(new)) - set(old.unreadable)):
        before, after = old.forces.get(slug), new.get(slug)
        if after is None:
            changes.append(Change(slug, "force-removed", slug, None, before.name))
            continue
        if before is None:
            changes.append(Change(slug, "force-added", slug, None, after.name))
        changes += _force_changes(slug, before, after)
    notes = tuple(f"{slug}: not compared: {why}" for slug, why in sorted(old.unreadable.items()))
    # Doubts as the working tree records them; for a force since removed, as the revision did.
    doubts = {slug: in_doubt_now(force) for slug, force in {**old.forces, **new}.items()}
    changes = _with_doubts(changes, doubts)
    return LedgerDiff(
        tuple(sorted(changes, key=Change.sort_key)),
        revision=old.name,
        commit=old.commit,
        notes=notes,
        records=_records(new.values()),
        national=national,
        **counted,
    )


def _force_changes(slug: str, before: ForceFile | None, after: ForceFile) -> list[Change]:
    old_phases = {(c.phase, c.decided_on) for c in before.phase_changes} if before else set()
    new_phases = {(c.phase, c.decided_on) for c in after.phase_changes}
    changes = [
        _phase(slug, "phase-change-added", c) for c in after.phase_changes if (c.phase, c.decided_on) not in old_phases
    ]
    if before is not None:
        changes += [
            _phase(slug, "phase-change-removed", c)
            for c in before.phase_changes
            if (c.phase, c.decided_on) not in new_phases
        ]

    old_causes = {c.id: c for c in before.causes_of_concern} if before else {}
    new_causes = {c.id: c for c in after.causes_of_concern}
    changes += _entries(slug, "cause", old_causes, new_causes, _cause, "cause-raised")

    old_recs = {r.id: (r, c) for c in old_causes.values() for r in c.recommendations}
    new_recs = {r.id: (r, c) for c in new_causes.values() for r in c.recommendations}
    changes += _entries(
        slug,
        "recommendation",
        old_recs,
        new_recs,
        lambda s, k, pair: _recommendation(s, k, *pair),
        "recommendation-raised",
    )

    old_areas = {a.id: a for a in before.areas_for_improvement} if before else {}
    new_areas = {a.id: a for a in after.areas_for_improvement}
    changes += _entries(slug, "area", old_areas, new_areas, _area, "area-raised")
    return changes


def _entries(slug: str, noun: str, old: dict, new: dict, make, raised: str) -> list[Change]:
    """Added and removed ids, and closures added or removed, of one kind of entry."""

    def closure(value) -> object:
        return (value[0] if isinstance(value, tuple) else value).closure

    changes = []
    for key, value in new.items():
        if key not in old:
            changes.append(_as(make(slug, raised, value), f"{noun}-added"))
            if closure(value) is not None:
                changes.append(make(slug, f"{noun}-closed", value))
        elif closure(value) is not None and closure(old[key]) is None:
            changes.append(make(slug, f"{noun}-closed", value))
        elif closure(value) is None and closure(old[key]) is not None:
            changes.append(_as(make(slug, f"{noun}-closed", old[key]), f"{noun}-reopened"))
    for key, value in old.items():
        if key not in new:
            changes.append(_as(make(slug, raised, value), f"{noun}-removed"))
    return changes


def _as(change: Change, kind: str) -> Change:
    return replace(change, kind=kind)


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError as exc:
        raise PeelError(f"--from needs git, which could not be run: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitError(message[0] if message else f"git {args[0]} failed")
    return done.stdout


class _GitError(Exception):
    pass


@dataclass(frozen=True)
class Revision:
    """The ledger at a git revision: ``name`` as the user gave it, and each force file there."""

    name: str
    commit: str
    forces: dict[str, ForceFile]
    unreadable: dict[str, str]
    """Slug to why its file at the revision could not be read as a force file."""


def of_sectors(revision: Revision, sectors: tuple[str, ...]) -> Revision:
    """The revision's files of ``sectors`` alone."""
    return Revision(
        revision.name,
        revision.commit,
        {slug: force for slug, force in revision.forces.items() if sector_of_slug(slug) in sectors},
        {slug: why for slug, why in revision.unreadable.items() if sector_of_slug(slug) in sectors},
    )


def read_revision(data_dir: Path, revision: str, *, today: date) -> Revision:
    """The force files of the ledger at ``revision`` of the git repository holding
    ``data_dir``, read with ``git show`` and checked by the same reader as today's files."""
    from .ledger import FORCES
    from .reader import read_force

    if not revision or revision.startswith("-"):
        raise usage_error(f"--from {revision!r} is not a git revision")
    try:
        inside = _git(data_dir, "rev-parse", "--is-inside-work-tree").strip()
    except _GitError:
        inside = b""
    if inside != b"true":
        raise PeelError(f"--from: the ledger {data_dir} is not in a git working tree, so it has no history to compare")
    try:
        commit = _git(data_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except _GitError:
        commit = ""
    if not commit:
        raise PeelError(f"--from: {revision!r} is not a commit in the git repository holding {data_dir}")
    try:
        prefix = _git(data_dir, "rev-parse", "--show-prefix").decode("utf-8").strip()
        listing = _git(data_dir, "ls-tree", "-z", "--full-tree", "--name-only", commit, "--", f"{prefix}{FORCES}/")
    except _GitError as exc:
        raise PeelError(f"--from: git could not list the ledger at {revision}: {exc}") from None
    forces: dict[str, ForceFile] = {}
    unreadable: dict[str, str] = {}
    for path in sorted(listing.decode("utf-8", "replace").split("\0")):
        name = path.rsplit("/", 1)[-1]
        if not name.endswith(".yaml") or name.startswith("."):
            continue
        slug = name[: -len(".yaml")]
        try:
            data = _git(data_dir, "show", "--no-textconv", f"{commit}:{path}")  # the bytes, not a filter's view
        except _GitError as exc:
            raise PeelError(f"--from: git could not read {path} at {revision}: {exc}") from None
        reading = read_force(data, f"{revision}:{path}", slug=slug, today=today)
        if reading.force is None:
            errors = len(reading.errors)
            unreadable[slug] = f"its file at {revision} is not a valid force file ({errors} error{'s' * (errors != 1)})"
        else:
            forces[slug] = reading.force
    return Revision(revision, commit, forces, unreadable)


# -- output ---------------------------------------------------------------------------------

SECTIONS = {
    "forces": "Forces",
    "phase_changes": "Phase changes",
    "causes": "Causes of concern",
    "recommendations": "Recommendations",
    "areas": "Areas for improvement",
}


def counts(found: LedgerDiff) -> dict[str, int]:
    tally: dict[str, int] = {}
    for change in found.changes:
        tally[change.kind] = tally.get(change.kind, 0) + 1
    return dict(sorted(tally.items(), key=lambda item: _ORDER[item[0]]))


def diff_json(found: LedgerDiff) -> dict[str, Any]:
    return {
        "since": found.since.isoformat() if found.since else None,
        "from": found.revision,
        "from_commit": found.commit,
        "to": WORKING_TREE if found.revision else None,
        "sectors": [
            {
                "sector": sector,
                "phase_changes_searched_to": _text_of(found.searched_to(sector)),
                "counts": counts(found.part(sector)),
            }
            for sector in found.sectors
        ],
        "counts": counts(found),
        "changes": [
            {
                "force": c.force,
                "sector": c.sector,
                "kind": c.kind,
                "id": c.subject,
                "cause": c.cause,
                "date": None if c.on is None else str(c.on),
                "date_precision": None if c.on is None else c.on.precision,
                "text": c.text,
                "evidence": c.evidence,
                "sources": list(c.sources),
                "uncertain": c.uncertain,
                "subject_in_doubt": c.in_doubt,
                "assessment_overridden": c.overridden,
            }
            for c in found.changes
        ],
        "notes": list(found.notes),
        "records": [
            {
                "force": slug,
                "sector": sector_of_slug(slug),
                "record_checked_to": None if checked is None else str(checked),
                "reaches_since": found.reaches(checked),
            }
            for slug, checked in found.records
        ],
        "phase_changes_searched_to": _text_of(found.national),
        "known_to": None if found.known_to is None else found.known_to.isoformat(),
        "since_beyond_every_record": found.beyond_every_record,
    }


def _text_of(day: PartialDate | None) -> str | None:
    return None if day is None else str(day)


def diff_document(found: LedgerDiff) -> Document:
    """The changes by kind of entry, each sector counted apart; closure evidence is in the JSON,
    too long for a table."""
    if found.since is not None:
        title = f"Ledger changes since {found.since.isoformat()}"
        facts = [("Since", f"{found.since.isoformat()} (events dated on or after it)")]
    else:
        title = f"Ledger changes from {found.revision} to the {WORKING_TREE}"
        facts = [("From", found.revision), ("To", f"the {WORKING_TREE}")]
    apart = len(found.sectors) > 1
    if apart:
        facts.append(("Sectors", " and ".join(SECTOR_TITLES[s] for s in found.sectors) + ", each counted apart"))
        facts += [(f"Changes: {SECTOR_TITLES[s]}", _tally(found.part(s))) for s in found.sectors]
        facts += [(f"Records: {SECTOR_TITLES[s]}", records_words(found.part(s))) for s in found.sectors]
    else:
        facts += [
            ("Sector", SECTOR_TITLES[found.sectors[0]]),
            ("Changes", _tally(found)),
            ("Records", records_words(found)),
        ]
    sections = []
    for sector in found.sectors:
        sections += _sections(found.part(sector) if apart else found, sector, apart)
    notes = list(found.notes) + ([UNCERTAINTY_NOTE] if any(c.uncertain for c in found.changes) else [])
    return Document(title, facts, sections, notes)


def _sections(found: LedgerDiff, sector: str, apart: bool) -> list[Part]:
    """One sector's sections: its changes by kind of entry, and where each of its records ends.
    Titled with the sector when the view counts more than one."""
    word = "Force" if sector == "police" else "Service"
    titles = {**SECTIONS, "forces": "Forces" if sector == "police" else "Services"}

    def titled(key: str) -> str:
        return f"{titles[key]}: {SECTOR_TITLES[sector]}" if apart else titles[key]

    by_section = {key: [c for c in found.changes if c.section == key] for key in SECTIONS}
    empty = _none(found)
    sections = []
    if by_section["forces"]:
        sections.append(
            section(
                titled("forces"),
                [word, "Change", "Name"],
                [[c.force, c.what, c.text] for c in by_section["forces"]],
            )
        )
    sections += [
        section(
            titled("phase_changes"),
            [word, "Date", "Change", "Decided by"],
            [[c.force, _date(c), _what(c), c.text] for c in by_section["phase_changes"]],
            wrap=frozenset({"Decided by"}),
            empty=empty,
            notes=[OVERRIDE_NOTE] if any(c.overridden for c in found.changes) else [],
        ),
        section(
            titled("causes"),
            [word, "ID", "Change", "Date", "Title"],
            [[c.force, c.subject, c.what, _date(c), _text(c)] for c in by_section["causes"]],
            wrap=frozenset({"Title"}),
            empty=empty,
        ),
        section(
            titled("recommendations"),
            [word, "Cause", "ID", "Change", "Date", "Recommendation"],
            [[c.force, c.cause or "", c.subject, c.what, _date(c), _text(c)] for c in by_section["recommendations"]],
            wrap=frozenset({"Recommendation"}),
            empty=empty,
        ),
        section(
            titled("areas"),
            [word, "ID", "Change", "Date", "Area for improvement"],
            [[c.force, c.subject, c.what, _date(c), _text(c)] for c in by_section["areas"]],
            wrap=frozenset({"Area for improvement"}),
            empty=empty,
        ),
        _records_part(found, word, f": {SECTOR_TITLES[sector]}" if apart else ""),
    ]
    return sections


def _none(found: LedgerDiff) -> str:
    """What an empty section says: none, none on record, or nothing known at all."""
    if found.beyond_every_record:
        return f"Nothing is known after {found.known_to.isoformat()}, where the last record ends."
    if found.since is not None and any(found.reaches(checked) is not True for _, checked in found.records):
        return "None on record (see Where each record ends)."
    return "None."


def _searched_words(found: LedgerDiff) -> str:
    """How far the national search of phase changes reached: one day, or each sector's."""
    searched = [(sector, found.searched_to(sector)) for sector in found.sectors]
    days = {day for _, day in searched if day is not None}
    if not days:
        return ""
    if len(days) == 1 and all(day is not None for _, day in searched):
        return f"; phase changes were searched nationally to {days.pop()}"
    each = " and ".join(f"{day} for {SECTOR_TITLES[sector]}" for sector, day in searched if day is not None)
    return f"; phase changes were searched nationally to {each}"


def records_words(found: LedgerDiff) -> str:
    """Where the records end, as it bears on the question asked."""
    searched = _searched_words(found)
    noun = " or ".join(("force", "service")[SECTORS.index(sector)] for sector in found.sectors)
    if not found.records:
        return f"no {noun} file" + searched
    if found.since is None:
        return f"nothing after a {noun}'s record ends is known to peel (see Where each record ends)" + searched
    if found.beyond_every_record:
        return (
            f"every record ends before {found.since.isoformat()} (the last on {found.known_to.isoformat()}): "
            "nothing is known after it" + searched
        )
    short = [slug for slug, checked in found.records if found.reaches(checked) is False]
    unstated = [slug for slug, checked in found.records if checked is None]
    parts = []
    if short:
        which = " and ".join(
            words
            for sector, words in (("police", "forces"), ("fire", "services"))
            if any(sector_of_slug(slug) == sector for slug in short)
        )
        parts.append(
            f"{len(short)} of {len(found.records)} end before {found.since.isoformat()}: nothing is known of "
            f"those {which} after their ends"
        )
    else:
        parts.append(f"every record stated reaches {found.since.isoformat()}")
    if unstated:
        parts.append(f"{len(unstated)} do not say how far they were checked")
    return "; ".join(parts) + searched


def _records_part(found: LedgerDiff, word: str = "Force", suffix: str = "") -> Part:
    rows = []
    for slug, checked in found.records:
        if checked is None:
            reach = "not stated: later changes may be missing"
        elif found.reaches(checked) is False:
            reach = Tag(f"ends before {found.since.isoformat()}: nothing is known after {checked}", "uncertain")
        else:
            reach = f"nothing is known after {checked}"
        rows.append([slug, "not stated" if checked is None else str(checked), reach])
    return section(
        "Where each record ends" + suffix,
        [word, "Checked to", "After it"],
        rows,
        empty=f"No {word.lower()} file.",
        wrap=frozenset({"After it"}),
    )


def _what(change: Change):
    return Tag(f"{change.what}, with --override", "overridden") if change.overridden else change.what


def _text(change: Change):
    return uncertain_marked(change.text, change.in_doubt)


def _date(change: Change):
    return "" if change.on is None else date_cell(change.on)


_NOUNS = {
    "forces": ("force", "forces"),
    "phase_changes": ("phase change", "phase changes"),
    "causes": ("cause of concern", "causes of concern"),
    "recommendations": ("recommendation", "recommendations"),
    "areas": ("area for improvement", "areas for improvement"),
}


def _tally(found: LedgerDiff) -> str:
    """``2 phase changes; 6 causes of concern closed``; with none, whether that is known."""
    if not found.changes:
        if found.beyond_every_record:
            return f"none known: every record ends before {found.since.isoformat()}"
        if found.since is not None and any(found.reaches(checked) is not True for _, checked in found.records):
            return "none on record (not every record reaches the day: see Records)"
        return "none"
    parts = []
    for kind, n in counts(found).items():
        section, verb = KINDS[kind]
        counted = plural(n, *_NOUNS[section])
        parts.append(counted if kind == "phase-change" else f"{counted} {verb}")
    return "; ".join(parts)

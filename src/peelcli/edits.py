"""What each editing command changes: pure functions from a valid force file to new text.

Each function checks the request against the record (ids exist, nothing closed twice, dates in
order) and returns an :class:`Edit`: the file's new text and a line saying what was recorded.
Refusals raise :class:`~peelcli.problems.PeelError`. Writing, locking and re-validating the
result are the ledger's job (:meth:`peelcli.ledger.Ledger.edit`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from .dates import PartialDate
from .problems import PeelError
from .schema.records import ForceFile
from .textedit import Editor, Entries, Splice, apply, scalar
from .yamlsource import YamlDocument

PLACEHOLDER_NOTE = "not yet entered in this ledger (peel add-concern)"
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Edit:
    text: str
    summary: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class _Draft:
    """An edit being built: splices against the original text, and what to tell the user."""

    force: ForceFile
    document: YamlDocument
    editor: Editor = field(init=False)
    splices: list[Splice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.editor = Editor(self.document)

    def done(self, summary: str) -> Edit:
        return Edit(apply(self.document.text, self.splices), summary, tuple(self.warnings))

    def cite(self, given: list[str], what: str) -> list[str]:
        """Source ids for ``given`` (ids of this force's sources, or URLs: a URL not yet among
        the sources is added as a new source)."""
        known = {source.id: source for source in self.force.sources}
        by_url = {source.url: source.id for source in self.force.sources if source.url}
        ids: list[str] = []
        new: list[Entries] = []
        for item in given:
            if _URL.fullmatch(item):
                if item not in by_url:
                    new_id = _unused_id(_id_from_url(item), set(known) | _all_ids(self.force))
                    by_url[item] = new_id
                    known[new_id] = None
                    new.append(
                        [
                            ("id", new_id),
                            ("kind", "web-page"),
                            ("title", item),
                            ("url", item),
                            ("notes", "added by peel from a URL: give it its kind and title"),
                        ]
                    )
                    self.warnings.append(f"added source {new_id!r} for {item}: give it its kind and title")
                ids.append(by_url[item])
            elif item in known:
                ids.append(item)
            else:
                raise _unknown("source", item, list(known), self.force.slug, " (or give the document's URL)")
        self.splices += self.editor.append_items((), "sources", new)
        if not ids:
            self.warnings.append(f"no --source given: {what} cites no document; add one when you have it")
        return list(dict.fromkeys(ids))


def _all_ids(force: ForceFile) -> set[str]:
    ids = {s.id for s in force.sources} | {c.id for c in force.causes_of_concern}
    ids |= {r.id for c in force.causes_of_concern for r in c.recommendations}
    ids |= {a.id for a in force.areas_for_improvement} | {i.id for i in force.inspections}
    return ids


def _id_from_url(url: str) -> str:
    tail = [part for part in re.split(r"[/?#=&]+", url.split("://", 1)[1]) if part][-1]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-").lower()[:56].strip("-")
    return slug or "source"


def _unused_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _unknown(kind: str, wanted: str, choices: list[str], slug: str, also: str = "") -> PeelError:
    near = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.5)
    if near:
        hint = f": did you mean {', '.join(near)}?"
    elif choices:
        hint = f": {slug} has {', '.join(choices[:8])}{', ...' if len(choices) > 8 else ''}"
    else:
        hint = f": {slug} has none"
    return PeelError(f"no {kind} with id {wanted!r} in {slug}{hint}{also}")


def _check_new_id(force: ForceFile, new_id: str) -> None:
    from .schema.names import ID_PATTERN, ID_RULE

    if not re.fullmatch(ID_PATTERN, new_id):
        raise PeelError(f"{new_id!r} is not a valid id: {ID_RULE}")
    if new_id in _all_ids(force):
        raise PeelError(f"id {new_id!r} already exists in {force.slug}: choose another")


def _check_event_date(on: PartialDate, *, today: date, raised: PartialDate | None = None, subject: str = "") -> None:
    """An event's date: not after today, and not before what it closes was raised."""
    if on.earliest > today:
        raise PeelError(f"{on} is in the future (today is {today.isoformat()}): only what has happened is recorded")
    if raised is not None and on.surely_before(raised):
        raise PeelError(f"{on} is before {subject} was raised ({raised})")


def _closure(on: PartialDate, evidence: str, sources: list[str], reason: str | None = None) -> Entries:
    entries: Entries = [("closed_on", on), ("evidence", evidence)]
    if reason:
        entries.append(("reason", reason))
    entries.append(("sources", sources))
    return entries


def advance_record_checked(document: YamlDocument, force: ForceFile, *, today: date) -> Edit | None:
    """When an edit records a fact dated after ``record_checked_to``, the record plainly reaches at
    least that far: move the date forward to the fact's last possible day, and say so (a wider
    search is recorded with ``peel checked``). ``None`` when nothing needs to move."""
    from .rules import latest_fact

    checked, latest = force.record_checked_to, latest_fact(force, today)
    if checked is None or latest is None or not checked.surely_before(latest):
        return None
    moved = PartialDate.of(min(latest.latest, today))
    splice = Editor(document).replace_value(("record_checked_to",), moved)
    warning = (
        f"record_checked_to moved from {checked} to {moved}: the record now holds a fact of that date; "
        "if you searched the record further, say how far with: peel checked"
    )
    return Edit(apply(document.text, [splice]), "", (warning,))


# -- closing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Closing:
    """What every closing command asks: the item's kind, its path and its record."""

    kind: str
    path: tuple
    item: object
    raised: PartialDate
    raised_what: str


def _close(
    force: ForceFile,
    document: YamlDocument,
    target: _Closing,
    *,
    on: PartialDate,
    evidence: str,
    sources: list[str],
    today: date,
    reason: str | None = None,
) -> _Draft:
    """Refuse a second closure or a date out of order; otherwise add the ``closure`` block."""
    item = target.item
    if item.closure is not None:
        raise PeelError(f"{target.kind} {item.id!r} is already closed on {item.closure.closed_on}")
    _check_event_date(on, today=today, raised=target.raised, subject=target.raised_what)
    draft = _Draft(force, document)
    cited = draft.cite(sources, f"the closure of {item.id}")
    draft.splices.append(draft.editor.add_keys(target.path, [("closure", _closure(on, evidence, cited, reason))]))
    return draft


def close_recommendation(
    force: ForceFile,
    document: YamlDocument,
    rec_id: str,
    *,
    on: PartialDate,
    evidence: str,
    sources: list[str],
    today: date,
) -> Edit:
    for i, cause in enumerate(force.causes_of_concern):
        for j, rec in enumerate(cause.recommendations):
            if rec.id == rec_id:
                path = ("causes_of_concern", i, "recommendations", j)
                target = _Closing("recommendation", path, rec, cause.raised_on, "its cause of concern")
                draft = _close(force, document, target, on=on, evidence=evidence, sources=sources, today=today)
                closed = 1 + sum(1 for r in cause.recommendations if r.closure is not None)
                return draft.done(
                    f"{force.slug}: closed recommendation {rec_id} of {cause.id} on {on}"
                    f" ({closed} of {len(cause.recommendations)} now closed)"
                )
    recs = [r.id for c in force.causes_of_concern for r in c.recommendations]
    raise _unknown("recommendation", rec_id, recs, force.slug)


def close_concern(
    force: ForceFile,
    document: YamlDocument,
    concern_id: str,
    *,
    on: PartialDate,
    evidence: str,
    sources: list[str],
    reason: str | None,
    today: date,
) -> Edit:
    for i, cause in enumerate(force.causes_of_concern):
        if cause.id != concern_id:
            continue
        target = _Closing("cause of concern", ("causes_of_concern", i), cause, cause.raised_on, "the cause of concern")
        still_open = [r.id for r in cause.recommendations if r.closure is None]
        if cause.closure is None and still_open and not reason:
            raise PeelError(
                f"cause of concern {concern_id!r} still has open recommendations ({', '.join(still_open)}): "
                "close them first, or give --reason to record why it was closed regardless"
            )
        draft = _close(force, document, target, on=on, evidence=evidence, sources=sources, today=today, reason=reason)
        note = f" with {len(still_open)} recommendation(s) still open" if still_open else ""
        return draft.done(f"{force.slug}: closed cause of concern {concern_id} on {on}{note}")
    raise _unknown("cause of concern", concern_id, [c.id for c in force.causes_of_concern], force.slug)


def close_area(
    force: ForceFile,
    document: YamlDocument,
    area_id: str,
    *,
    on: PartialDate,
    evidence: str,
    sources: list[str],
    today: date,
) -> Edit:
    for i, area in enumerate(force.areas_for_improvement):
        if area.id == area_id:
            path = ("areas_for_improvement", i)
            target = _Closing("area for improvement", path, area, area.raised_on, "the area for improvement")
            draft = _close(force, document, target, on=on, evidence=evidence, sources=sources, today=today)
            return draft.done(f"{force.slug}: closed area for improvement {area_id} on {on}")
    raise _unknown("area for improvement", area_id, [a.id for a in force.areas_for_improvement], force.slug)


# -- adding -----------------------------------------------------------------------------------


def new_force_text(slug: str, name: str, schema: str) -> str:
    """A new force file: valid, in Scan (no phase changes), with nothing on record yet; its first
    line points editors at the JSON Schema (``schema``: a path relative to the file)."""
    return f"# yaml-language-server: $schema={schema}\nslug: {scalar(slug)}\nname: {scalar(name)}\n"


def add_source(
    force: ForceFile,
    document: YamlDocument,
    *,
    source_id: str,
    kind: str,
    title: str,
    url: str,
    sent: PartialDate | None,
    published: PartialDate | None,
    today: date,
) -> Edit:
    _check_new_id(force, source_id)
    existing = next((s.id for s in force.sources if s.url == url), None)
    if existing:
        raise PeelError(f"{url} is already source {existing!r} of {force.slug}")
    for label, day in (("--sent", sent), ("--published", published)):
        if day is not None and day.earliest > today:
            raise PeelError(f"{label} {day} is in the future (today is {today.isoformat()})")
    entries: Entries = [("id", source_id), ("kind", kind), ("title", title), ("url", url)]
    if sent is not None:
        entries.append(("sent_on", sent))
    if published is not None:
        entries.append(("published_on", published))
    draft = _Draft(force, document)
    draft.splices.append(draft.editor.append_item((), "sources", entries))
    return draft.done(f"{force.slug}: added source {source_id} ({kind}): {title}")


def add_concern(
    force: ForceFile,
    document: YamlDocument,
    *,
    concern_id: str,
    title: str,
    raised: PartialDate,
    text: str | None,
    accelerated: bool,
    sources: list[str],
    today: date,
) -> Edit:
    _check_new_id(force, concern_id)
    _check_event_date(raised, today=today)
    draft = _Draft(force, document)
    cited = draft.cite(sources, f"cause of concern {concern_id}")
    entries: Entries = [("id", concern_id), ("title", title)]
    if text:
        entries.append(("text", text))
    if accelerated:
        entries.append(("accelerated", True))
    entries += [
        ("raised_on", raised),
        ("sources", cited),
        ("recommendations_not_on_record", [("note", PLACEHOLDER_NOTE)]),
    ]
    draft.splices.append(draft.editor.append_item((), "causes_of_concern", entries))
    draft.warnings.append(f"add its recommendations with: peel add-rec {force.slug} {concern_id} --id ... --text ...")
    return draft.done(f"{force.slug}: added cause of concern {concern_id}, raised {raised}: {title}")


def add_recommendation(
    force: ForceFile,
    document: YamlDocument,
    concern_id: str,
    *,
    rec_id: str,
    text: str,
    deadline: str | None,
    due: PartialDate | None,
    sources: list[str],
    today: date,
) -> Edit:
    for i, cause in enumerate(force.causes_of_concern):
        if cause.id != concern_id:
            continue
        _check_new_id(force, rec_id)
        draft = _Draft(force, document)
        cited = draft.cite(sources, f"recommendation {rec_id}") if sources else []
        entries: Entries = [("id", rec_id), ("text", text)]
        if deadline:
            entries.append(("deadline", deadline))
        if due is not None:
            entries.append(("due", due))
        if cited:
            entries.append(("sources", cited))
        path = ("causes_of_concern", i)
        draft.splices.append(draft.editor.append_item(path, "recommendations", entries))
        missing = cause.recommendations_not_on_record
        if missing is not None and missing.note == PLACEHOLDER_NOTE and not cause.recommendations:
            removal = draft.editor.remove_key((*path, "recommendations_not_on_record"))
            if removal is not None:
                draft.splices.append(removal)
        return draft.done(f"{force.slug}: added recommendation {rec_id} to {concern_id}: {text}")
    raise _unknown("cause of concern", concern_id, [c.id for c in force.causes_of_concern], force.slug)


def add_area(
    force: ForceFile,
    document: YamlDocument,
    *,
    area_id: str,
    text: str,
    raised: PartialDate,
    sources: list[str],
    today: date,
) -> Edit:
    _check_new_id(force, area_id)
    _check_event_date(raised, today=today)
    draft = _Draft(force, document)
    cited = draft.cite(sources, f"area for improvement {area_id}")
    entries: Entries = [("id", area_id), ("text", text), ("raised_on", raised), ("sources", cited)]
    draft.splices.append(draft.editor.append_item((), "areas_for_improvement", entries))
    return draft.done(f"{force.slug}: added area for improvement {area_id}, raised {raised}")


# -- phase ------------------------------------------------------------------------------------


def move_phase(
    force: ForceFile,
    document: YamlDocument,
    phase: str,
    *,
    on: date,
    sources: list[str],
    reason: str | None,
    override: bool,
    decided_by: str | None,
    policy,
    others: tuple[ForceFile, ...],
    today: date,
) -> Edit:
    """Record a move between Scan and Engage, if ``peel assess`` does not call it unjustified
    (or ``override`` is given, with the reason recorded)."""
    from .assess import NOT_JUSTIFIED, assess

    last = force.phase_changes[-1] if force.phase_changes else None
    current = last.phase if last else "scan"
    if phase == current:
        since = f" since {last.decided_on}" if last else " (every force starts there)"
        raise PeelError(f"{force.slug} is already in {phase.capitalize()}{since}")
    day = PartialDate.of(on)
    if last is not None and not last.decided_on.surely_before(day):
        raise PeelError(
            f"{on.isoformat()} is not after the last phase change ({last.decided_on}): changes are recorded in order"
        )
    _check_event_date(day, today=today)
    if override and not reason:
        raise PeelError("--override needs --reason: the reason is recorded with the move")
    found = assess(force, on, policy, others)
    overridden = found.verdict == NOT_JUSTIFIED
    if overridden and not override:
        unmet = "; ".join(r.detail for r in found.reasons if not r.met)
        raise PeelError(
            f"peel assess calls a move into {phase.capitalize()} on {on.isoformat()} not justified: {unmet}. "
            "Give --override and --reason to record it regardless"
        )
    draft = _Draft(force, document)
    cited = draft.cite(sources, f"the move into {phase}")
    entries: Entries = [("phase", phase), ("decided_on", day)]
    if decided_by:
        entries.append(("decided_by", decided_by))
    if reason:
        entries.append(("reason", reason))
    if overridden:
        entries.append(("assessment_overridden", True))
    entries.append(("sources", cited))
    draft.splices.append(draft.editor.append_item((), "phase_changes", entries))
    note = " (overriding a not-justified assessment)" if overridden else f" (peel assess: {found.verdict})"
    return draft.done(f"{force.slug}: moved into {phase.capitalize()} on {on.isoformat()}{note}")

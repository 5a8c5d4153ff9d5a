"""What each editing command changes: pure functions from a valid force file to new text.

Each function checks the request against the record (ids exist, nothing closed twice, dates in
order) and returns an :class:`Edit`: the file's new text and a line saying what was recorded.
Refusals raise :class:`~peelcli.problems.PeelError`. Writing, locking and re-validating the
result are the ledger's job (:meth:`peelcli.ledger.Ledger.edit`).

Every function is called as ``f(force, document, *, today, **request)``; the keyword names are
the command line's options (``peel ingest`` proposes argv lists that reach these same functions).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .closures import OPEN_RECOMMENDATIONS, Breach, area_breaches, cause_breaches, of_area, of_cause
from .dates import PartialDate
from .deadlines import FIX_BY_COMMAND, deadline_problems
from .problems import PeelError, Problem
from .schema.names import sector_of_slug
from .schema.records import ForceFile, keys_of
from .textedit import Editor, Entries, Splice, apply, scalar
from .yamlsource import YamlDocument

PLACEHOLDER_NOTE = "not yet entered in this ledger (peel add-concern)"
MEETING_TITLE = "Policing Performance Oversight Group"
_URL_PARTS = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>[^/?#]*)(?P<path>[^?#]*)(?P<query>\?[^#]*)?")
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


@dataclass(frozen=True)
class Edit:
    text: str
    summary: str
    warnings: tuple[str, ...] = field(default_factory=tuple)
    recheck: bool = False
    """Say the warnings the edited file has that it had not before: a correction may leave a
    fact citing nothing, or a deadline that can no longer be read, where an addition says so
    itself."""


class Person:
    """Someone a document is from, to or copied to: ``--from "NAME; ROLE"``."""

    __slots__ = ("name", "role")

    def __init__(self, name: str, role: str | None = None):
        self.name, self.role = name, role

    def entries(self) -> Entries:
        return [("name", self.name), ("role", self.role)] if self.role else [("name", self.name)]


class OtherDate:
    """Another date a source gives for a phase change: ``--other-date "DATE; NOTE; SRC"``."""

    __slots__ = ("note", "on", "sources")

    def __init__(self, on: PartialDate, note: str | None = None, sources: tuple[str, ...] = ()):
        self.on, self.note, self.sources = on, note, sources


def normal_url(url: str) -> str:
    """A URL as compared with the force's sources: scheme and host lower-cased, the default port,
    a trailing slash and the fragment dropped."""
    match = _URL_PARTS.match(url.strip())
    if match is None:
        return url.strip()
    scheme, host = match["scheme"].lower(), match["host"].lower()
    host = host.removesuffix(_DEFAULT_PORTS.get(scheme, "\0"))
    return f"{scheme}://{host}{match['path'].rstrip('/')}{match['query'] or ''}"


def check_address(option: str, url: str) -> None:
    """An address given to an editing command, refused before anything is edited, with what is
    wrong with it (the rule of the file format: :func:`~peelcli.schema.scalars.address_fault`)."""
    from .schema.scalars import address_fault

    fault = address_fault(url.strip())
    if fault is not None:
        shown = url if len(url) <= 200 else url[:199] + "…"
        raise PeelError(f"{option} {shown!r} is not a web address: it {fault}")


def _stored_url(url: str) -> str:
    """A URL as written to the file: as given, with its scheme lower-cased (``HTTPS://`` is no
    address the format accepts)."""
    scheme, sep, rest = url.strip().partition("://")
    return scheme.lower() + sep + rest


@dataclass
class Draft:
    """An edit being built: splices against the original text, sources to add (all in one
    splice, so two never race to create the list), and what to tell the user."""

    force: ForceFile
    document: YamlDocument
    editor: Editor = field(init=False)
    splices: list[Splice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_sources: list[Entries] = field(default_factory=list)
    taken: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.editor = Editor(self.document)
        self.taken = all_ids(self.force)

    def done(self, summary: str) -> Edit:
        self.splices += self.editor.append_items((), "sources", self.new_sources, keys_before("sources"))
        return Edit(apply(self.document.text, self.splices), summary, tuple(self.warnings))

    def add_source(self, entries: Entries) -> None:
        self.taken.add(str(entries[0][1]))
        self.new_sources.append(entries)

    def source_by_url(self, url: str) -> str | None:
        wanted = normal_url(url)
        for source in self.force.sources:
            if source.url and normal_url(source.url) == wanted:
                return source.id
        for entries in self.new_sources:
            given = dict(entries).get("url")
            if isinstance(given, str) and normal_url(given) == wanted:
                return str(entries[0][1])
        return None

    def cite(self, given: list[str] | tuple[str, ...], what: str, *, fix: str | None = None) -> list[str]:
        """Source ids for ``given`` (ids of this force's sources, or URLs: a URL not yet among
        the sources, after normalising, is added as a new ``web-page`` source). ``fix`` is the
        ``peel cite`` target that adds a source later, for the warning when none is given."""
        known = {source.id for source in self.force.sources} | {str(e[0][1]) for e in self.new_sources}
        ids: list[str] = []
        slug = self.force.slug
        for item in given:
            if "://" in item:
                check_address("source", item)
                found = self.source_by_url(item)
                if found is None:
                    found = _unused_id(_id_from_url(item), self.taken)
                    self.add_source(
                        [
                            ("id", found),
                            ("kind", "web-page"),
                            ("title", _stored_url(item)),
                            ("url", _stored_url(item)),
                            ("notes", url_note(slug, found)),
                        ]
                    )
                    self.warnings.append(
                        f"added source {found!r} for {item}: give it its kind and title with: "
                        f"peel edit-source {slug} {found} --kind KIND --title TEXT"
                    )
                ids.append(found)
            elif item in known:
                ids.append(item)
            else:
                raise unknown_id("source", item, sorted(known), slug, " (or give the document's URL)")
        if not ids:
            later = f": peel cite {slug} {fix} --source SRC" if fix else ""
            self.warnings.append(f"no --source given: {what} cites no document; add one when you have it{later}")
        return list(dict.fromkeys(ids))


_URL_NOTE = "added by peel from a URL: give it its kind and title"


def url_note(slug: str, source_id: str) -> str:
    return f"{_URL_NOTE} (peel edit-source {slug} {source_id})"


def made_from_url(source) -> bool:
    """A source peel added from a bare URL given as a citation: its kind and title are still to give."""
    return source.kind == "web-page" and (source.notes or "").startswith(_URL_NOTE)


def keys_before(key: str) -> tuple[str, ...]:
    """The keys a force file lists before ``key`` (its model's order): a new top-level list goes
    after the last of them the file has, so new sections land where a reader expects them."""
    order = list(keys_of("ForceFile"))
    return tuple(order[: order.index(key)])


def all_ids(force: ForceFile) -> set[str]:
    ids = {s.id for s in force.sources} | {c.id for c in force.causes_of_concern}
    ids |= {r.id for c in force.causes_of_concern for r in c.recommendations}
    ids |= {a.id for a in force.areas_for_improvement} | {i.id for i in force.inspections}
    ids |= {u.id for u in force.uncertainties if u.id}
    return ids


def _id_from_url(url: str) -> str:
    """An id from the last part of a URL's path (or its host), without its query or fragment."""
    address = re.split(r"[?#]", url.split("://", 1)[1], maxsplit=1)[0]
    tail = [part for part in address.split("/") if part][-1]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-").lower()[:56].strip("-")
    return slug or "source"


def _unused_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def unknown_id(kind: str, wanted: str, choices: list[str], slug: str, also: str = "") -> PeelError:
    near = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.5)
    if near:
        hint = f": did you mean {', '.join(near)}?"
    elif choices:
        hint = f": {slug} has {', '.join(choices[:8])}{', ...' if len(choices) > 8 else ''}"
    else:
        hint = f": {slug} has none"
    return PeelError(f"no {kind} with id {wanted!r} in {slug}{hint}{also}")


def check_new_id(taken: set[str], new_id: str, slug: str) -> None:
    from .schema.names import ID_PATTERN, ID_RULE

    if not re.fullmatch(ID_PATTERN, new_id):
        raise PeelError(f"{new_id!r} is not a valid id: {ID_RULE}")
    if new_id in taken:
        raise PeelError(f"id {new_id!r} already exists in {slug}: choose another")


def not_future(label: str, day: PartialDate | None, today: date) -> None:
    if day is not None and day.earliest > today:
        raise PeelError(
            f"{label} {day} is in the future (today is {today.isoformat()}): only what has happened is recorded"
        )


def check_event_date(on: PartialDate, *, today: date) -> None:
    """An event's date: not after today (closures keep the closure rules too, :mod:`peelcli.closures`)."""
    if on.earliest > today:
        raise PeelError(f"{on} is in the future (today is {today.isoformat()}): only what has happened is recorded")


def _optional(entries: Entries, *pairs: tuple[str, object]) -> Entries:
    """``entries`` with each (key, value) whose value is given (not ``None``, not empty)."""
    for key, value in pairs:
        if value is not None and value != [] and value is not False:
            entries.append((key, value))
    return entries


def _closure(on: PartialDate, evidence: str, sources: list[str], reason: str | None = None) -> Entries:
    return _optional([("closed_on", on), ("evidence", evidence)], ("reason", reason), ("sources", sources))


def find_cause(force: ForceFile, concern_id: str) -> int:
    for i, cause in enumerate(force.causes_of_concern):
        if cause.id == concern_id:
            return i
    raise unknown_id("cause of concern", concern_id, [c.id for c in force.causes_of_concern], force.slug)


def _find_source(force: ForceFile, source_id: str) -> int:
    for i, source in enumerate(force.sources):
        if source.id == source_id:
            return i
    raise unknown_id("source", source_id, [s.id for s in force.sources], force.slug)


# -- closing ----------------------------------------------------------------------------------


CLOSE_FIXES = {OPEN_RECOMMENDATIONS: "close {them} first, or give --reason to record why it was closed regardless"}
ADD_FIXES = {
    OPEN_RECOMMENDATIONS: "add the recommendation closed, with --closed-on DATE and --evidence TEXT (a closed cause "
    "has recommendations open only when its closure records why)"
}
"""How a command puts a closure rule's breach right (:mod:`peelcli.closures`), in its options."""


def refuse_breaches(breaches: list[Breach], fixes: dict[str, str], at: tuple | None = None) -> None:
    """Refuse an edit that would leave a closure rule broken, saying which and how to put it right;
    with ``at`` (the path of the cause or area the rules judged), where in the file."""
    if breaches:
        located = at is not None
        raise PeelError([Problem(b.said(fixes), path=(*at, *b.path) if located else ()) for b in breaches])


@dataclass(frozen=True)
class _Closing:
    """What every closing command asks: the item's kind, its path and its record, and the closure
    rules' breaches the closure would leave."""

    kind: str
    path: tuple
    item: object
    breaches: list[Breach]


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
) -> Draft:
    """Refuse a second closure, a date in the future, or a closure that breaks a closure rule;
    otherwise add the ``closure`` block (or fill an empty ``closure: null``)."""
    item = target.item
    if item.closure is not None:
        raise PeelError(f"{target.kind} {item.id!r} is already closed on {item.closure.closed_on}")
    check_event_date(on, today=today)
    refuse_breaches(target.breaches, CLOSE_FIXES)
    draft = Draft(force, document)
    cited = draft.cite(sources, f"the closure of {item.id}", fix=f"{item.id}/closure")
    draft.splices.append(draft.editor.put(target.path, "closure", _closure(on, evidence, cited, reason)))
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
    reason: str | None = None,
) -> Edit:
    for i, cause in enumerate(force.causes_of_concern):
        for j, rec in enumerate(cause.recommendations):
            if rec.id == rec_id:
                path = ("causes_of_concern", i, "recommendations", j)
                breaches = cause_breaches(of_cause(cause).with_recommendation_closed(rec_id, on))
                target = _Closing("recommendation", path, rec, breaches)
                draft = _close(
                    force, document, target, on=on, evidence=evidence, sources=sources, today=today, reason=reason
                )
                closed = 1 + sum(1 for r in cause.recommendations if r.closure is not None)
                return draft.done(
                    f"{force.slug}: closed recommendation {rec_id} of {cause.id} on {on}"
                    f" ({closed} of {len(cause.recommendations)} now closed)"
                )
    recs = [r.id for c in force.causes_of_concern for r in c.recommendations]
    raise unknown_id("recommendation", rec_id, recs, force.slug)


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
    i = find_cause(force, concern_id)
    cause = force.causes_of_concern[i]
    breaches = cause_breaches(of_cause(cause).with_cause_closed(on, reason))
    target = _Closing("cause of concern", ("causes_of_concern", i), cause, breaches)
    draft = _close(force, document, target, on=on, evidence=evidence, sources=sources, today=today, reason=reason)
    still_open = [r.id for r in cause.recommendations if r.closure is None]
    note = f" with {len(still_open)} recommendation(s) still open" if still_open else ""
    return draft.done(f"{force.slug}: closed cause of concern {concern_id} on {on}{note}")


def close_area(
    force: ForceFile,
    document: YamlDocument,
    area_id: str,
    *,
    on: PartialDate,
    evidence: str,
    sources: list[str],
    today: date,
    reason: str | None = None,
) -> Edit:
    for i, area in enumerate(force.areas_for_improvement):
        if area.id == area_id:
            path = ("areas_for_improvement", i)
            target = _Closing("area for improvement", path, area, area_breaches(of_area(area)._replace(closed_on=on)))
            draft = _close(
                force, document, target, on=on, evidence=evidence, sources=sources, today=today, reason=reason
            )
            return draft.done(f"{force.slug}: closed area for improvement {area_id} on {on}")
    raise unknown_id("area for improvement", area_id, [a.id for a in force.areas_for_improvement], force.slug)


# -- sources ----------------------------------------------------------------------------------


def new_force_text(slug: str, name: str, schema: str) -> str:
    """A new force or service file: valid, in Scan (no phase changes), with nothing on record yet;
    its first line points editors at the JSON Schema (``schema``: a path relative to the file). A
    service's (``<area>-fire``) says ``sector: fire``. It says nothing of how far the record was
    checked: ``peel checked`` says that, once someone has."""
    sector = "sector: fire\n" if sector_of_slug(slug) == "fire" else ""
    return f"# yaml-language-server: $schema={schema}\nslug: {scalar(slug)}\nname: {scalar(name)}\n{sector}"


def _meeting_id(held: PartialDate) -> str:
    return "ppog-" + str(held).replace("/", "-to-")


def add_source(
    force: ForceFile,
    document: YamlDocument,
    *,
    source_id: str,
    kind: str,
    title: str,
    url: str | None = None,
    recorded_in: list[str] | tuple[str, ...] = (),
    sent: PartialDate | None = None,
    published: PartialDate | None = None,
    held: PartialDate | None = None,
    fieldwork_from: PartialDate | None = None,
    fieldwork_to: PartialDate | None = None,
    from_: list[Person] | tuple[Person, ...] = (),
    to: list[Person] | tuple[Person, ...] = (),
    cc: list[Person] | tuple[Person, ...] = (),
    meeting: PartialDate | None = None,
    notes: str | None = None,
    today: date,
) -> Edit:
    """A document facts can cite; with ``meeting``, also the Policing Performance Oversight
    Group meeting it records, as a ``ppog-meeting`` source recorded in it."""
    draft = Draft(force, document)
    check_new_id(draft.taken, source_id, force.slug)
    if url is None and not recorded_in:
        raise PeelError(f"source {source_id!r} needs --url, or --recorded-in naming the documents that record it")
    if url is not None:
        check_address("--url", url)
        existing = draft.source_by_url(url)
        if existing:
            raise PeelError(f"{url} is already source {existing!r} of {force.slug}")
    for label, day in (
        ("--sent", sent),
        ("--published", published),
        ("--held", held),
        ("--fieldwork-from", fieldwork_from),
        ("--fieldwork-to", fieldwork_to),
        ("--meeting", meeting),
    ):
        not_future(label, day, today)
    if fieldwork_from is not None and fieldwork_to is not None and fieldwork_to.surely_before(fieldwork_from):
        raise PeelError(f"--fieldwork-to {fieldwork_to} is before --fieldwork-from {fieldwork_from}")
    within = draft.cite(recorded_in, f"source {source_id}") if recorded_in else []
    entries = _optional(
        [("id", source_id), ("kind", kind), ("title", title)],
        ("url", _stored_url(url) if url else None),
        ("recorded_in", within),
        ("fieldwork_from", fieldwork_from),
        ("fieldwork_to", fieldwork_to),
        ("sent_on", sent),
        ("published_on", published),
        ("held_on", held),
        ("from", [p.entries() for p in from_]),
        ("to", [p.entries() for p in to]),
        ("cc", [p.entries() for p in cc]),
        ("notes", notes),
    )
    draft.add_source(entries)
    summary = f"{force.slug}: added source {source_id} ({kind}): {title}"
    if meeting is not None:
        meeting_id = _meeting_id(meeting)
        held_already = [s.id for s in force.sources if s.kind == "ppog-meeting" and s.held_on == meeting]
        if held_already:
            raise PeelError(
                f"a meeting held on {meeting} is already source {held_already[0]!r}: say this document records "
                f"it with: peel cite {force.slug} {held_already[0]} --source {source_id}"
            )
        check_new_id(draft.taken, meeting_id, force.slug)
        draft.add_source(
            [
                ("id", meeting_id),
                ("kind", "ppog-meeting"),
                ("title", MEETING_TITLE),
                ("held_on", meeting),
                ("recorded_in", [source_id]),
            ]
        )
        summary += f"; and the meeting it records, {meeting_id} (held {meeting})"
    return draft.done(summary)


def add_meeting(
    force: ForceFile,
    document: YamlDocument,
    *,
    held: PartialDate,
    meeting_id: str | None = None,
    title: str | None = None,
    recorded_in: list[str] | tuple[str, ...] = (),
    url: str | None = None,
    notes: str | None = None,
    today: date,
) -> Edit:
    """A Policing Performance Oversight Group meeting (or another meeting), recorded in documents
    or at an address of its own."""
    source_id = meeting_id or _meeting_id(held)
    return add_source(
        force,
        document,
        source_id=source_id,
        kind="ppog-meeting",
        title=title or MEETING_TITLE,
        url=url,
        recorded_in=recorded_in,
        held=held,
        notes=notes,
        today=today,
    )


def edit_source(
    force: ForceFile,
    document: YamlDocument,
    source_id: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    url: str | None = None,
    sent: PartialDate | None = None,
    published: PartialDate | None = None,
    held: PartialDate | None = None,
    notes: str | None = None,
    today: date,
) -> Edit:
    """Give a source's values in place; every other byte stays. A note peel wrote when it made
    the source from a bare URL goes once its kind or title is given."""
    i = _find_source(force, source_id)
    source = force.sources[i]
    for label, day in (("--sent", sent), ("--published", published), ("--held", held)):
        not_future(label, day, today)
    draft = Draft(force, document)
    if url is not None:
        check_address("--url", url)
        existing = draft.source_by_url(url)
        if existing and existing != source_id:
            raise PeelError(f"{url} is already source {existing!r} of {force.slug}")
    changes = [
        (key, value)
        for key, value in (
            ("kind", kind),
            ("title", title),
            ("url", _stored_url(url) if url else None),
            ("sent_on", sent),
            ("published_on", published),
            ("held_on", held),
            ("notes", notes),
        )
        if value is not None
    ]
    if not changes:
        raise PeelError(
            "nothing to change: give at least one of --kind, --title, --url, --sent, --published, --held, --notes"
        )
    attributes = {key: attribute for key, (attribute, _) in keys_of("Source").items()}
    changes = [(key, value) for key, value in changes if getattr(source, attributes[key]) != value]
    if not changes:
        raise PeelError(f"source {source_id!r} of {force.slug} already says that: nothing to change")
    order = list(keys_of("Source"))
    path = ("sources", i)
    for key, value in changes:
        draft.splices.append(draft.editor.put(path, key, value, after=tuple(order[: order.index(key)])))
    if notes is None and (kind or title) and (source.notes or "").startswith(_URL_NOTE):
        removal = draft.editor.remove_key((*path, "notes"))
        if removal is not None:
            draft.splices.append(removal)
    changed = ", ".join(key for key, _ in changes)
    return draft.done(f"{force.slug}: source {source_id}: gave {changed}")


# -- citing -----------------------------------------------------------------------------------


def cite_targets(force: ForceFile) -> dict[str, tuple[tuple, str]]:
    """Every record ``peel cite`` can name, to (path, citing key)."""
    found: dict[str, tuple[tuple, str]] = {}
    for i, cause in enumerate(force.causes_of_concern):
        found[cause.id] = (("causes_of_concern", i), "sources")
        for j, rec in enumerate(cause.recommendations):
            found[rec.id] = (("causes_of_concern", i, "recommendations", j), "sources")
    for i, area in enumerate(force.areas_for_improvement):
        found[area.id] = (("areas_for_improvement", i), "sources")
    for i, inspection in enumerate(force.inspections):
        found[inspection.id] = (("inspections", i), "sources")
    for i, uncertainty in enumerate(force.uncertainties):
        if uncertainty.id:
            found[uncertainty.id] = (("uncertainties", i), "sources")
    for i, source in enumerate(force.sources):
        found[source.id] = (("sources", i), "recorded_in")
    for label, key in (("phase", "phase_changes"), ("officer", "chief_officers"), ("body", "policing_bodies")):
        for i in range(len(getattr(force, key))):
            found[f"{label}:{i + 1}"] = ((key, i), "sources")
    for i, change in enumerate(force.phase_changes):
        for j in range(len(change.other_reported_dates)):
            found[f"phase:{i + 1}:date:{j + 1}"] = (("phase_changes", i, "other_reported_dates", j), "sources")
    for i in range(len(force.metrics)):
        found[f"metric:{i + 1}"] = (("metrics", i), "sources")
    return found


_PARTS = {"closure", "resolution", "recommendations_not_on_record"}


def record_at(force: ForceFile, path: tuple):
    record = force
    for step in path:
        record = record[step] if isinstance(step, int) else getattr(record, step)
        if record is None:
            return None
    return record


def cite(force: ForceFile, document: YamlDocument, target: str, *, sources: list[str], today: date) -> Edit:
    """Add sources to a record already in the file. TARGET is an id (a cause, recommendation,
    area, inspection, uncertainty or source: a source's are the documents it is recorded in),
    ``ID/closure``, ``ID/resolution``, ``ID/recommendations_not_on_record``, or ``phase:N``,
    ``phase:N:date:M`` (another date reported for it), ``officer:N``, ``body:N``, ``metric:N``
    (counting from 1, in file order)."""
    targets = cite_targets(force)
    name, _, part = target.partition("/")
    if name not in targets:
        also = " (or phase:N, phase:N:date:M, officer:N, body:N, metric:N)"
        raise unknown_id("record", name, sorted(targets), force.slug, also)
    path, key = targets[name]
    if part:
        if part not in _PARTS or key == "recorded_in":
            raise PeelError(f"{target!r}: after '/' give closure, resolution or recommendations_not_on_record")
        if record_at(force, (*path, part)) is None:
            raise PeelError(f"{name} has no {part} to cite sources for")
        path, key = (*path, part), "sources"
    if not sources:
        raise PeelError("give at least one --source")
    draft = Draft(force, document)
    record = record_at(force, path)
    cited_before = list(getattr(record, key))
    cited = [s for s in draft.cite(sources, target) if s not in cited_before]
    if not cited:
        return Edit(document.text, f"{force.slug}: {target} already cites {', '.join(cited_before)}: nothing to add")
    draft.splices += draft.editor.append_items(path, key, cited)
    return draft.done(f"{force.slug}: {target} now cites {', '.join(cited)}")


# -- causes, recommendations, areas -----------------------------------------------------------


def add_concern(
    force: ForceFile,
    document: YamlDocument,
    *,
    concern_id: str,
    title: str,
    raised: PartialDate,
    published: PartialDate | None = None,
    kind: str = "cause-of-concern",
    text: str | None = None,
    accelerated: bool = False,
    sources: list[str],
    notes: str | None = None,
    not_on_record: str | None = None,
    not_on_record_count: int | None = None,
    today: date,
) -> Edit:
    draft = Draft(force, document)
    check_new_id(draft.taken, concern_id, force.slug)
    check_event_date(raised, today=today)
    not_future("--published", published, today)
    if published is not None and published.surely_before(raised):
        raise PeelError(f"--published {published} is before it was raised ({raised})")
    if not_on_record_count is not None and not_on_record is None:
        raise PeelError("--recommendations-count needs --recommendations-not-on-record saying what is missing")
    cited = draft.cite(sources, f"cause of concern {concern_id}", fix=concern_id)
    missing = None
    if not_on_record is not None:
        missing = _optional([("note", not_on_record)], ("count", not_on_record_count))
    elif kind == "cause-of-concern":
        missing = [("note", PLACEHOLDER_NOTE)]
    entries = _optional(
        [("id", concern_id)],
        ("kind", kind if kind != "cause-of-concern" else None),
        ("title", title),
        ("text", text),
        ("accelerated", accelerated),
        ("raised_on", raised),
        ("published_on", published),
        ("sources", cited),
        ("recommendations_not_on_record", missing),
        ("notes", notes),
    )
    draft.splices += draft.editor.append_items((), "causes_of_concern", [entries], keys_before("causes_of_concern"))
    if not_on_record is None:
        draft.warnings.append(
            f"add its recommendations with: peel add-rec {force.slug} {concern_id} --id ... --text ..."
        )
    return draft.done(f"{force.slug}: added {kind.replace('-', ' ')} {concern_id}, raised {raised}: {title}")


def add_recommendation(
    force: ForceFile,
    document: YamlDocument,
    concern_id: str,
    *,
    rec_id: str,
    text: str,
    deadline: str | None = None,
    due: PartialDate | None = None,
    sources: list[str],
    notes: str | None = None,
    closed_on: PartialDate | None = None,
    evidence: str | None = None,
    closure_sources: list[str] | tuple[str, ...] = (),
    today: date,
) -> Edit:
    """A recommendation of a cause; with ``closed_on``, one already closed (so it may be added
    to a closed cause: a recommendation the record shows only after the cause closed). The
    closure rules (:mod:`peelcli.closures`) judge the cause as the edit would leave it."""
    i = find_cause(force, concern_id)
    cause = force.causes_of_concern[i]
    draft = Draft(force, document)
    check_new_id(draft.taken, rec_id, force.slug)
    if (closed_on is None) != (evidence is None):
        raise PeelError("a closed recommendation needs both --closed-on and --evidence")
    not_future("--closed-on", closed_on, today)
    refuse_breaches(cause_breaches(of_cause(cause).with_recommendation(rec_id, closed_on)), ADD_FIXES)
    closure = None
    if closed_on is not None:
        closure = _closure(
            closed_on, evidence, draft.cite(closure_sources, f"the closure of {rec_id}", fix=f"{rec_id}/closure")
        )
    elif closure_sources:
        raise PeelError("--closure-source needs --closed-on and --evidence")
    for problem in deadline_problems(deadline, due, cause, fix=FIX_BY_COMMAND):
        where = "--due" if problem.path == ("due",) else "--deadline"
        if problem.is_error:
            raise PeelError(f"{where}: {problem.message}")
        draft.warnings.append(f"{where}: {problem.message}")
    cited = draft.cite(sources, f"recommendation {rec_id}") if sources else []
    entries = _optional(
        [("id", rec_id), ("text", text)],
        ("deadline", deadline),
        ("due", due),
        ("sources", cited),
        ("notes", notes),
        ("closure", closure),  # last, where close-rec puts a closure and the shipped files have it
    )
    path = ("causes_of_concern", i)
    # A cause's first recommendation starts the list where the model has it (after its sources,
    # before its notes and closure), so a cause built by commands reads as the format orders it.
    order = list(keys_of("CauseOfConcern"))
    after = tuple(order[: order.index("recommendations")])
    draft.splices += draft.editor.append_items(path, "recommendations", [entries], after)
    missing = cause.recommendations_not_on_record
    if missing is not None and missing.note == PLACEHOLDER_NOTE and not cause.recommendations:
        removal = draft.editor.remove_key((*path, "recommendations_not_on_record"))
        if removal is not None:
            draft.splices.append(removal)
    closed = f", closed on {closed_on}" if closed_on is not None else ""
    return draft.done(f"{force.slug}: added recommendation {rec_id} to {concern_id}{closed}: {text}")


def add_area(
    force: ForceFile,
    document: YamlDocument,
    *,
    area_id: str,
    text: str,
    raised: PartialDate,
    sources: list[str],
    notes: str | None = None,
    today: date,
) -> Edit:
    draft = Draft(force, document)
    check_new_id(draft.taken, area_id, force.slug)
    check_event_date(raised, today=today)
    cited = draft.cite(sources, f"area for improvement {area_id}", fix=area_id)
    entries = _optional([("id", area_id), ("text", text), ("raised_on", raised)], ("sources", cited), ("notes", notes))
    draft.splices += draft.editor.append_items(
        (), "areas_for_improvement", [entries], keys_before("areas_for_improvement")
    )
    return draft.done(f"{force.slug}: added area for improvement {area_id}, raised {raised}")


# -- people, inspections, metrics, doubts ----------------------------------------------------


def _add_officeholder(
    force: ForceFile,
    document: YamlDocument,
    key: str,
    what: str,
    *,
    name: str,
    role: str,
    kind: str | None,
    from_: PartialDate | None,
    to: PartialDate | None,
    noted_on: PartialDate | None,
    notes: str | None,
    sources: list[str],
    today: date,
) -> Edit:
    if from_ is None and noted_on is None:
        raise PeelError(f"say when {name} was in post: --from, or --noted-on (a day a source names them in post)")
    for label, day in (("--from", from_), ("--to", to), ("--noted-on", noted_on)):
        not_future(label, day, today)
    if from_ is not None and to is not None and to.surely_before(from_):
        raise PeelError(f"--to {to} is before --from {from_}")
    draft = Draft(force, document)
    number = len(getattr(force, key)) + 1
    label = "officer" if key == "chief_officers" else "body"
    cited = draft.cite(sources, f"{name} ({role})", fix=f"{label}:{number}")
    entries = _optional(
        [("name", name), ("role", role)],
        ("kind", kind),
        ("from", from_),
        ("to", to),
        ("noted_on", noted_on),
        ("notes", notes),
        ("sources", cited),
    )
    draft.splices += draft.editor.append_items((), key, [entries], keys_before(key))
    return draft.done(f"{force.slug}: added {what} {name}, {role}")


def add_officer(
    force: ForceFile,
    document: YamlDocument,
    *,
    name: str,
    role: str,
    from_: PartialDate | None = None,
    to: PartialDate | None = None,
    noted_on: PartialDate | None = None,
    notes: str | None = None,
    sources: list[str],
    today: date,
) -> Edit:
    return _add_officeholder(
        force,
        document,
        "chief_officers",
        "chief officer",
        name=name,
        role=role,
        kind=None,
        from_=from_,
        to=to,
        noted_on=noted_on,
        notes=notes,
        sources=sources,
        today=today,
    )


def add_body(
    force: ForceFile,
    document: YamlDocument,
    *,
    name: str,
    role: str,
    kind: str,
    from_: PartialDate | None = None,
    to: PartialDate | None = None,
    noted_on: PartialDate | None = None,
    notes: str | None = None,
    sources: list[str],
    today: date,
) -> Edit:
    return _add_officeholder(
        force,
        document,
        "policing_bodies",
        "policing body",
        name=name,
        role=role,
        kind=kind,
        from_=from_,
        to=to,
        noted_on=noted_on,
        notes=notes,
        sources=sources,
        today=today,
    )


def add_inspection(
    force: ForceFile,
    document: YamlDocument,
    *,
    inspection_id: str,
    title: str,
    fieldwork_from: PartialDate,
    fieldwork_to: PartialDate | None = None,
    notes: str | None = None,
    sources: list[str],
    today: date,
) -> Edit:
    draft = Draft(force, document)
    check_new_id(draft.taken, inspection_id, force.slug)
    not_future("--fieldwork-from", fieldwork_from, today)
    not_future("--fieldwork-to", fieldwork_to, today)
    if fieldwork_to is not None and fieldwork_to.surely_before(fieldwork_from):
        raise PeelError(f"--fieldwork-to {fieldwork_to} is before --fieldwork-from {fieldwork_from}")
    cited = draft.cite(sources, f"inspection {inspection_id}", fix=inspection_id)
    entries = _optional(
        [("id", inspection_id), ("title", title), ("fieldwork_from", fieldwork_from)],
        ("fieldwork_to", fieldwork_to),
        ("notes", notes),
        ("sources", cited),
    )
    draft.splices += draft.editor.append_items((), "inspections", [entries], keys_before("inspections"))
    return draft.done(f"{force.slug}: added inspection {inspection_id} (fieldwork from {fieldwork_from}): {title}")


def add_metric(
    force: ForceFile,
    document: YamlDocument,
    *,
    name: str,
    period_end: PartialDate,
    value: Decimal,
    unit: str,
    notes: str | None = None,
    sources: list[str],
    today: date,
) -> Edit:
    """A figure the record gives, kept to the digits it gives (5.50 stays 5.50)."""
    not_future("--period-end", period_end, today)
    draft = Draft(force, document)
    number = len(force.metrics) + 1
    cited = draft.cite(sources, f"the metric {name!r}", fix=f"metric:{number}")
    entries = _optional(
        [("name", name), ("period_end", period_end), ("value", value), ("unit", unit)],
        ("notes", notes),
        ("sources", cited),
    )
    draft.splices += draft.editor.append_items((), "metrics", [entries], keys_before("metrics"))
    return draft.done(f"{force.slug}: added metric {name}: {format(value, 'f')} {unit} (period ending {period_end})")


def add_uncertainty(
    force: ForceFile,
    document: YamlDocument,
    *,
    about: str,
    note: str,
    uncertainty_id: str | None = None,
    subjects: list[str] | tuple[str, ...] = (),
    from_on: PartialDate | None = None,
    sources: list[str],
    today: date,
) -> Edit:
    """A gap or doubt in the record, said out loud; ``subjects`` are the causes, recommendations
    or areas whose state it leaves uncertain (every output showing them says so), from the day
    ``from_on`` when the doubt arises only after the record last showed their state."""
    draft = Draft(force, document)
    if uncertainty_id is not None:
        check_new_id(draft.taken, uncertainty_id, force.slug)
    not_future("--from", from_on, today)
    items = {c.id for c in force.causes_of_concern} | {a.id for a in force.areas_for_improvement}
    items |= {r.id for c in force.causes_of_concern for r in c.recommendations}
    for subject in subjects:
        if subject not in items:
            raise unknown_id("cause, recommendation or area", subject, sorted(items), force.slug)
    cited = draft.cite(sources, "the uncertainty") if sources else []
    entries = _optional(
        [],
        ("id", uncertainty_id),
        ("about", about),
        ("note", note),
        ("from", from_on),
        ("subjects", list(dict.fromkeys(subjects))),
        ("sources", cited),
    )
    draft.splices += draft.editor.append_items((), "uncertainties", [entries], keys_before("uncertainties"))
    named = f" {uncertainty_id}" if uncertainty_id else ""
    begins = f" from {from_on}" if from_on is not None else ""
    return draft.done(f"{force.slug}: added uncertainty{named} about {about}{begins}")


def resolve_uncertainty(
    force: ForceFile,
    document: YamlDocument,
    uncertainty_id: str,
    *,
    on: PartialDate,
    evidence: str,
    sources: list[str],
    today: date,
) -> Edit:
    """Record the day a source settled a doubt: until then its subjects stay uncertain."""
    named = {u.id: i for i, u in enumerate(force.uncertainties) if u.id}
    if uncertainty_id not in named:
        unnamed = sum(1 for u in force.uncertainties if not u.id)
        also = f" ({unnamed} uncertainties have no id: give one an id in the file to name it)" if unnamed else ""
        raise unknown_id("uncertainty", uncertainty_id, sorted(named), force.slug, also)
    i = named[uncertainty_id]
    found = force.uncertainties[i]
    if found.resolution is not None:
        raise PeelError(f"uncertainty {uncertainty_id!r} is already resolved on {found.resolution.resolved_on}")
    check_event_date(on, today=today)
    if found.from_ is not None and on.latest <= found.from_.earliest:
        raise PeelError(
            f"uncertainty {uncertainty_id!r} is in doubt from {found.from_}: it cannot be settled on {on}, no later "
            "than it begins; give the day a source settled it"
        )
    draft = Draft(force, document)
    cited = draft.cite(sources, f"the resolution of {uncertainty_id}", fix=f"{uncertainty_id}/resolution")
    resolution = _optional([("resolved_on", on), ("evidence", evidence)], ("sources", cited))
    draft.splices.append(draft.editor.put(("uncertainties", i), "resolution", resolution))
    return draft.done(f"{force.slug}: resolved uncertainty {uncertainty_id} on {on}")


# -- how far the record was checked ------------------------------------------------------------


def _facts(force: ForceFile):
    """(path, key, date) of every event date in the file that is not in the future."""
    from .rules import EVENT_DATE_KEYS, dated_fields, walk

    for path, record in walk(force):
        for key, value in dated_fields(record):
            if key in EVENT_DATE_KEYS and key != "record_checked_to":
                yield path, key, value


def checked(force: ForceFile, document: YamlDocument, *, to: PartialDate, note: str, today: date) -> Edit:
    """Say how far the force's public record was searched (``record_checked_to``) and what was
    searched (``record_checked_note``). It may not fall before a fact the file records."""
    not_future("--to", to, today)
    later = [(value, path, key) for path, key, value in _facts(force) if to.surely_before(value)]
    if later:
        value, path, key = max(later, key=lambda item: item[0].sort_key())
        where = ".".join(str(step) for step in (*path, key))
        raise PeelError(f"--to {to} is before a fact the file records ({where}: {value}): the record reaches further")
    draft = Draft(force, document)
    anchor = ("slug", "name", "former_names")
    if force.record_checked_to is None and force.record_checked_note is None:
        entries: Entries = [("record_checked_to", to), ("record_checked_note", note)]
        draft.splices.append(draft.editor.add_keys((), entries, after=anchor))
    else:
        draft.splices.append(draft.editor.put((), "record_checked_to", to, after=anchor))
        draft.splices.append(draft.editor.put((), "record_checked_note", note, after=(*anchor, "record_checked_to")))
    before = force.record_checked_to
    was = f" (was {before})" if before is not None else " (not stated before)"
    return draft.done(f"{force.slug}: record checked to {to}{was}")


def past_the_record(before: ForceFile, after: ForceFile) -> str | None:
    """A refusal when an edit records a fact dated beyond how far the force's record was checked.

    ``record_checked_to`` says peel knows nothing later; moving it forward by itself would claim
    a search nobody made, so the edit is refused and the command that says so is named."""
    reach = after.record_checked_to
    if reach is None or reach != before.record_checked_to:
        return None
    later = [value for _, _, value in _facts(after) if reach.surely_before(value)]
    if not later:
        return None
    last = max(later, key=lambda value: value.sort_key())
    return (
        f"{after.slug}'s record was checked only to {reach} (record_checked_to), and this records a fact dated "
        f"{last}: peel does not hold facts past how far the record was searched. When the record has been searched "
        f"that far, say so first with: peel checked {after.slug} --to {last.latest.isoformat()} "
        '--note "what was searched"; then run this again'
    )


# -- phase ------------------------------------------------------------------------------------


def move_phase(
    force: ForceFile,
    document: YamlDocument,
    phase: str,
    *,
    on: PartialDate,
    sources: list[str],
    reason: str | None = None,
    override: bool = False,
    decided_by: str | None = None,
    published: PartialDate | None = None,
    notes: str | None = None,
    other_dates: list[OtherDate] | tuple[OtherDate, ...] = (),
    missing_from_record: str | None = None,
    policy,
    others: tuple[ForceFile, ...],
    today: date,
) -> Edit:
    """Record a move between Scan and Engage, if ``peel assess`` does not call it unjustified
    (or ``override`` is given, with the reason recorded). A move is judged as ``peel assess``
    judges it once recorded (:func:`judge_move`), whether its date is a day, a month or a span; a
    move recorded with what the record does not show of it (``missing_from_record``) is not judged.
    """
    from .assess import NOT_JUSTIFIED

    if isinstance(on, date):
        on = PartialDate.of(on)
    last = force.phase_changes[-1] if force.phase_changes else None
    current = last.phase if last else "scan"
    if phase == current:
        since = f" since {last.decided_on}" if last else " (every force starts there)"
        raise PeelError(f"{force.slug} is already in {phase.capitalize()}{since}")
    if last is not None and (on.surely_before(last.decided_on) or (on.is_exact and on == last.decided_on)):
        raise PeelError(f"{on} is not after the last phase change ({last.decided_on}): changes are recorded in order")
    check_event_date(on, today=today)
    not_future("--published", published, today)
    if published is not None and published.surely_before(on):
        raise PeelError(f"--published {published} is before the decision ({on})")
    if override and not reason:
        raise PeelError("--override needs --reason: the reason is recorded with the move")
    # What the record does not show about a move leaves it unjudged, by assess and so here.
    judged = None if missing_from_record else judge_move(force, on, policy=policy, others=others)
    overridden = judged is not None and judged.verdict == NOT_JUSTIFIED
    if overridden and not override:
        raise not_justified(phase, on, judged)
    draft = Draft(force, document)
    if last is not None and not last.decided_on.surely_before(on):
        draft.warnings.append(
            f"{on} cannot be told apart from the last phase change ({last.decided_on}): record a more exact date "
            "if the record has one"
        )
    number = len(force.phase_changes) + 1
    cited = draft.cite(sources, f"the move into {phase}", fix=f"phase:{number}")
    reported = []
    for j, other in enumerate(other_dates, 1):
        citing = draft.cite(other.sources, f"the date {other.on} reported for it", fix=f"phase:{number}:date:{j}")
        reported.append(_optional([("date", other.on)], ("note", other.note), ("sources", citing)))
    entries = _optional(
        [("phase", phase), ("decided_on", on)],
        ("published_on", published),
        ("decided_by", decided_by),
        ("reason", reason),
        ("assessment_overridden", overridden),
        ("other_reported_dates", reported),
        ("missing_from_record", missing_from_record),
        ("notes", notes),
        ("sources", cited),
    )
    draft.splices += draft.editor.append_items((), "phase_changes", [entries], keys_before("phase_changes"))
    if overridden:
        note = " (overriding a not-justified assessment)"
    elif judged is None:
        note = " (not judged by peel assess: the record does not show all of it)"
    else:
        note = f" (peel assess: {judged.verdict})"
    return draft.done(f"{force.slug}: moved into {phase.capitalize()} on {on}{note}")


def not_justified(phase: str, on: PartialDate, judged) -> PeelError:
    """The refusal of a move ``peel assess`` calls not justified, with the rules it does not meet."""
    unmet = "; ".join(r.detail for r in judged.reasons if not r.met)
    day = "" if on.is_exact else f" (judged on its last possible day, {judged.as_of.isoformat()}, as peel assess is)"
    return PeelError(
        f"peel assess calls a move into {phase.capitalize()} on {on} not justified{day}: {unmet}. "
        "Give --override and --reason to record it regardless"
    )


def judge_move(force: ForceFile, on: PartialDate, *, policy, others):
    """``peel assess``'s verdict on the move open to ``force`` (the phases alternate) dated ``on``,
    taken as ``peel assess`` takes it once the move is recorded: on the move's last possible day
    (``--as-of 2024-02`` is 29 February), at the start of that day, so a day, a month and a span
    take one path. A move whose last possible day is not surely after the last phase change
    cannot be told from it there (that change may still be to come on every day the move could
    be), so it is refused as one peel assess cannot judge."""
    from .assess import assess, precedent_book

    day = on.latest
    last = force.phase_changes[-1] if force.phase_changes else None
    if last is not None and not last.decided_on.latest < day:
        raise PeelError(
            f"peel assess cannot judge a move on {on}: the last phase change ({last.decided_on}) may not have "
            f"happened by {day.isoformat()}, the last day the move could be. Record a more exact date for one of "
            "them, or say what the record does not show of this move with --missing-from-record (such a move is "
            "not judged)"
        )
    return assess(force, day, policy, precedent_book(others))

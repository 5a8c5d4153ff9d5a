"""Corrections: the editing commands that change what is already recorded (issue 20).

A mistyped text, a wrong date, a closure or a phase change recorded by mistake, a record entered
by mistake, an id to rename: each is mended in place, through the one path every edit takes
(:meth:`peelcli.ledger.Ledger.edit`: the lock, the re-validation, one atomic write), touching
only the lines of the record it corrects. Each function is pure, from a valid force file to an
:class:`~peelcli.edits.Edit`, and refuses, before any text is made, what the rest of peel
refuses:

- the closure rules (:mod:`peelcli.closures`), on the cause or area as the correction leaves it;
- the phase timeline: changes in date order, no two on one day, none into the phase the force is
  already in; a phase change's corrected date is judged by ``peel assess`` as ``peel move``
  judges a new one (:func:`~peelcli.edits.judge_move`);
- removing what anything else cites or depends on.

A closure or a phase change recorded by mistake never happened, so it is removed, not marked:
no as-of day shows it. Why it was removed is kept beside what remains (the record's ``notes``;
for a phase change, the force's), so whoever reads the letter again knows it was weighed.
Nothing in the record searched for issue 21 was ever reopened by HMICFRS, so there is no
"reopened" state: reopening is only ever a correction.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .closures import (
    OPEN_RECOMMENDATIONS,
    Closable,
    area_breaches,
    cause_breaches,
    of_cause,
)
from .dates import DateSyntaxError, PartialDate
from .deadlines import FIX_BY_COMMAND, deadline_problems
from .edits import (
    PLACEHOLDER_NOTE,
    Draft,
    Edit,
    all_ids,
    check_event_date,
    check_new_id,
    cite_targets,
    find_cause,
    judge_move,
    keys_before,
    not_future,
    not_justified,
    record_at,
    refuse_breaches,
    unknown_id,
    url_note,
)
from .problems import Path, PeelError, Problem, usage_error
from .schema.records import ForceFile, keys_of, replaced
from .textedit import Editor, Splice
from .yamlsource import YamlDocument

# What ``--unset`` may remove, by the name of the option that gives it: (where, key).
CLOSURE_FIELDS = {"reason": (("closure",), "reason"), "closure-sources": (("closure",), "sources")}
CAUSE_FIELDS = {
    "text": ((), "text"),
    "published": ((), "published_on"),
    "notes": ((), "notes"),
    "sources": ((), "sources"),
    **CLOSURE_FIELDS,
}
RECOMMENDATION_FIELDS = {
    "deadline": ((), "deadline"),
    "due": ((), "due"),
    "notes": ((), "notes"),
    "sources": ((), "sources"),
    **CLOSURE_FIELDS,
}
AREA_FIELDS = {"notes": ((), "notes"), "sources": ((), "sources"), **CLOSURE_FIELDS}
FORCE_FIELDS = {"notes": ((), "notes")}
MOVE_FIELDS = {
    "published": ((), "published_on"),
    "decided-by": ((), "decided_by"),
    "reason": ((), "reason"),
    "notes": ((), "notes"),
    "sources": ((), "sources"),
    "missing-from-record": ((), "missing_from_record"),
}
_SAME = {"source": "sources", "closure-source": "closure-sources"}

_KINDS = {
    "causes_of_concern": "cause of concern",
    "recommendations": "recommendation",
    "areas_for_improvement": "area for improvement",
    "sources": "source",
    "inspections": "inspection",
    "uncertainties": "uncertainty",
    "chief_officers": "chief officer",
    "policing_bodies": "policing body",
    "metrics": "metric",
    "other_reported_dates": "other reported date",
}


def _done(draft: Draft, summary: str) -> Edit:
    """The edit, saying the warnings it leaves in the file that were not there before."""
    return replace(draft.done(summary), recheck=True)


def _unset(given: dict[str, object], unset: list[str] | tuple[str, ...], fields: dict, what: str) -> dict:
    """The values ``--unset`` names, as {(where, key): name}; refused when one is not a value
    the record may be without, or is given a value by the same command."""
    chosen = {}
    for raw in unset:
        name = _SAME.get(raw, raw)
        if name not in fields:
            raise usage_error(f"--unset {raw!r}: {what} has no such value to remove; one of: {', '.join(fields)}")
        if given.get(name) is not None:
            option = next((alias for alias, same in _SAME.items() if same == name), name)
            raise usage_error(f"--unset {raw} and --{option}: give one of them")
        chosen[fields[name]] = name
    return chosen


def _removal(editor: Editor, path: Path) -> Splice:
    """Remove the key at ``path``; where its lines cannot go alone, say it holds nothing."""
    splice = editor.remove(path)
    if splice is not None:
        return splice
    node = editor.node(path)
    empty = "[]" if path[-1] in ("sources", "recorded_in", "subjects") else "null"
    return Splice(node.start_mark.index, node.end_mark.index, empty)


def keys_ahead(record_type: str, key: str) -> tuple[str, ...]:
    """The keys peel writes before ``key`` in a record: the model's order, but a closure last,
    where ``close-*`` adds it (and the shipped files have it). A value given back goes after
    the last of them the record has, so a correction and its reverse give the file back."""
    order = [k for k in keys_of(record_type) if k != "closure"] + ["closure"] * ("closure" in keys_of(record_type))
    return tuple(order[: order.index(key)])


def _said(key: str, before: object, after: object) -> str:
    """A changed value in a summary: a date or flag with what it was, a text by its key."""
    if isinstance(after, (PartialDate, bool)):
        return f"{key} {after} (was {before})" if before is not None else f"{key} {after}"
    if isinstance(after, list):
        return f"{key} [{', '.join(map(str, after))}]"
    return key


def _changes(
    draft: Draft, path: Path, record, record_type: str, values: list[tuple[str, object]], gone: list[str]
) -> list[str]:
    """Give the record at ``path`` these values in place (``None``: not given; an equal value is
    no change) and remove the keys ``gone``; what changed, for the summary."""
    keys = keys_of(record_type)
    said = []
    for key, value in values:
        before = getattr(record, keys[key][0])
        if value is None or value == before:
            continue
        draft.splices.append(draft.editor.put(path, key, value, after=keys_ahead(record_type, key)))
        said.append(_said(key, before, value))
    for key in gone:
        if getattr(record, keys[key][0]) in (None, [], False):
            continue
        draft.splices.append(_removal(draft.editor, (*path, key)))
        said.append(f"removed {key}")
    return said


def _with_sentence(notes: str | None, sentence: str) -> str:
    """``notes`` with a sentence after them (a full stop between, where they have none)."""
    if not notes:
        return sentence
    return f"{notes} {sentence}" if notes.rstrip().endswith((".", "!", "?", ")")) else f"{notes}. {sentence}"


def find_recommendation(force: ForceFile, rec_id: str) -> tuple[int, int]:
    for i, cause in enumerate(force.causes_of_concern):
        for j, rec in enumerate(cause.recommendations):
            if rec.id == rec_id:
                return i, j
    recs = [r.id for c in force.causes_of_concern for r in c.recommendations]
    raise unknown_id("recommendation", rec_id, recs, force.slug)


def find_area(force: ForceFile, area_id: str) -> int:
    for i, area in enumerate(force.areas_for_improvement):
        if area.id == area_id:
            return i
    raise unknown_id("area for improvement", area_id, [a.id for a in force.areas_for_improvement], force.slug)


# -- causes, recommendations, areas -----------------------------------------------------------

EDIT_FIXES = {
    OPEN_RECOMMENDATIONS: "close {them} first, or give --reason to record why it was closed with recommendations open"
}


def _closure_edit(
    draft: Draft,
    kind: str,
    path: Path,
    item,
    *,
    closed_on: PartialDate | None,
    evidence: str | None,
    closure_sources: list[str] | None,
    reason: str | None,
    gone: dict,
    today: date,
    close_command: str,
) -> list[str]:
    """Correct the closure of ``item`` in place: its date, evidence, reason or sources."""
    closure_gone = [key for (where, key) in gone if where == ("closure",)]
    asked = closed_on is not None or evidence is not None or closure_sources is not None or reason is not None
    if not (asked or closure_gone):
        return []
    if item.closure is None:
        raise PeelError(
            Problem(
                f"{kind} {item.id!r} is not closed: nothing of a closure to correct; record one with "
                f"peel {close_command} {draft.force.slug} {item.id} --on DATE --evidence TEXT",
                path=(*path, "id"),
            )
        )
    not_future("--closed-on", closed_on, today)
    cited = None
    if closure_sources is not None:
        cited = draft.cite(closure_sources, f"the closure of {item.id}", fix=f"{item.id}/closure")
    values = [("closed_on", closed_on), ("evidence", evidence), ("reason", reason), ("sources", cited)]
    said = _changes(draft, (*path, "closure"), item.closure, "Closure", values, closure_gone)
    return [f"closure {part}" for part in said]


def _closed(item, closed_on: PartialDate | None, reason: str | None, gone: dict) -> tuple:
    """(closed_on, reason) of ``item``'s closure as the correction leaves it."""
    if item.closure is None:
        return None, None
    kept = None if (("closure",), "reason") in gone else item.closure.reason
    return closed_on or item.closure.closed_on, reason or kept


def _nothing(kind: str, item_id: str, slug: str) -> PeelError:
    return PeelError(f"{kind} {item_id!r} of {slug} already says that: nothing to change")


def edit_concern(
    force: ForceFile,
    document: YamlDocument,
    concern_id: str,
    *,
    title: str | None = None,
    text: str | None = None,
    raised: PartialDate | None = None,
    published: PartialDate | None = None,
    kind: str | None = None,
    accelerated: bool | None = None,
    notes: str | None = None,
    sources: list[str] | None = None,
    closed_on: PartialDate | None = None,
    evidence: str | None = None,
    closure_sources: list[str] | None = None,
    reason: str | None = None,
    unset: list[str] | tuple[str, ...] = (),
    today: date,
) -> Edit:
    """Correct a cause of concern in place: its title, text, dates, kind, sources, notes, and its
    closure. The closure rules judge the cause as the correction leaves it."""
    i = find_cause(force, concern_id)
    cause = force.causes_of_concern[i]
    path = ("causes_of_concern", i)
    asked = {"text": text, "published": published, "notes": notes, "sources": sources, "reason": reason}
    gone = _unset(asked | {"closure-sources": closure_sources}, unset, CAUSE_FIELDS, "a cause of concern")
    if raised is not None:
        check_event_date(raised, today=today)
    not_future("--published", published, today)
    raised_on = raised or cause.raised_on
    published_on = published or (None if ((), "published_on") in gone else cause.published_on)
    if published_on is not None and published_on.surely_before(raised_on):
        raise PeelError(
            Problem(f"published on {published_on}, before it was raised ({raised_on})", path=(*path, "published_on"))
        )
    state = of_cause(cause).with_raised(raised_on).with_cause_closed(*_closed(cause, closed_on, reason, gone))
    refuse_breaches(cause_breaches(state), EDIT_FIXES, path)
    draft = Draft(force, document)
    cited = draft.cite(sources, f"cause of concern {concern_id}", fix=concern_id) if sources is not None else None
    values = [("title", title), ("text", text), ("raised_on", raised), ("published_on", published)]
    values += [("notes", notes), ("sources", cited)]
    own = [key for (where, key) in gone if where == ()]
    said = _changes(draft, path, cause, "CauseOfConcern", values, own)
    said += _flag_changes(draft, path, cause, kind, accelerated)
    said += _closure_edit(
        draft,
        "cause of concern",
        path,
        cause,
        closed_on=closed_on,
        evidence=evidence,
        closure_sources=closure_sources,
        reason=reason,
        gone=gone,
        today=today,
        close_command="close-concern",
    )
    if not said:
        raise _nothing("cause of concern", concern_id, force.slug)
    return _done(draft, f"{force.slug}: cause of concern {concern_id}: {', '.join(said)}")


def _flag_changes(draft: Draft, path: Path, cause, kind: str | None, accelerated: bool | None) -> list[str]:
    """A cause's kind and whether it was accelerated; the default (a cause of concern, not
    accelerated) is said by leaving the key out, as ``add-concern`` writes it."""
    said = []
    for key, value, default, before in (
        ("kind", kind, "cause-of-concern", cause.kind),
        ("accelerated", accelerated, False, cause.accelerated),
    ):
        if value is None:
            continue
        written = draft.editor.has((*path, key))
        if value == default and written and before != value:
            draft.splices.append(_removal(draft.editor, (*path, key)))
        elif value != before:
            draft.splices.append(draft.editor.put(path, key, value, after=keys_ahead("CauseOfConcern", key)))
        else:
            continue
        said.append(f"{key} {str(value).lower()}")
    return said


def edit_recommendation(
    force: ForceFile,
    document: YamlDocument,
    rec_id: str,
    *,
    text: str | None = None,
    deadline: str | None = None,
    due: PartialDate | None = None,
    notes: str | None = None,
    sources: list[str] | None = None,
    closed_on: PartialDate | None = None,
    evidence: str | None = None,
    closure_sources: list[str] | None = None,
    reason: str | None = None,
    unset: list[str] | tuple[str, ...] = (),
    today: date,
) -> Edit:
    """Correct a recommendation in place: its text, deadline wording, due date, sources, notes
    and its closure. A due date peel would refuse is refused, as ``add-rec`` refuses it."""
    i, j = find_recommendation(force, rec_id)
    cause = force.causes_of_concern[i]
    rec = cause.recommendations[j]
    path = ("causes_of_concern", i, "recommendations", j)
    asked = {"deadline": deadline, "due": due, "notes": notes, "sources": sources, "reason": reason}
    gone = _unset(asked | {"closure-sources": closure_sources}, unset, RECOMMENDATION_FIELDS, "a recommendation")
    new_deadline = deadline or (None if ((), "deadline") in gone else rec.deadline)
    new_due = due or (None if ((), "due") in gone else rec.due)
    for problem in deadline_problems(new_deadline, new_due, cause, fix=FIX_BY_COMMAND):
        if problem.is_error:
            where = "--due" if problem.path == ("due",) else "--deadline"
            raise PeelError(Problem(f"{where}: {problem.message}", path=(*path, *problem.path)))
    new_closed, _ = _closed(rec, closed_on, reason, gone)
    state = of_cause(cause).with_recommendation_closed(rec_id, new_closed)
    refuse_breaches(cause_breaches(state), EDIT_FIXES, path[:2])
    draft = Draft(force, document)
    cited = draft.cite(sources, f"recommendation {rec_id}") if sources is not None else None
    values = [("text", text), ("deadline", deadline), ("due", due), ("sources", cited), ("notes", notes)]
    own = [key for (where, key) in gone if where == ()]
    said = _changes(draft, path, rec, "Recommendation", values, own)
    said += _closure_edit(
        draft,
        "recommendation",
        path,
        rec,
        closed_on=closed_on,
        evidence=evidence,
        closure_sources=closure_sources,
        reason=reason,
        gone=gone,
        today=today,
        close_command="close-rec",
    )
    if not said:
        raise _nothing("recommendation", rec_id, force.slug)
    return _done(draft, f"{force.slug}: recommendation {rec_id} of {cause.id}: {', '.join(said)}")


def edit_area(
    force: ForceFile,
    document: YamlDocument,
    area_id: str,
    *,
    text: str | None = None,
    raised: PartialDate | None = None,
    notes: str | None = None,
    sources: list[str] | None = None,
    closed_on: PartialDate | None = None,
    evidence: str | None = None,
    closure_sources: list[str] | None = None,
    reason: str | None = None,
    unset: list[str] | tuple[str, ...] = (),
    today: date,
) -> Edit:
    """Correct an area for improvement in place: its text, the day it was raised, sources, notes
    and its closure."""
    i = find_area(force, area_id)
    area = force.areas_for_improvement[i]
    path = ("areas_for_improvement", i)
    asked = {"notes": notes, "sources": sources, "reason": reason, "closure-sources": closure_sources}
    gone = _unset(asked, unset, AREA_FIELDS, "an area for improvement")
    if raised is not None:
        check_event_date(raised, today=today)
    new_closed, _ = _closed(area, closed_on, reason, gone)
    refuse_breaches(area_breaches(Closable(area_id, raised or area.raised_on, new_closed)), EDIT_FIXES, path)
    draft = Draft(force, document)
    cited = draft.cite(sources, f"area for improvement {area_id}", fix=area_id) if sources is not None else None
    values = [("text", text), ("raised_on", raised), ("sources", cited), ("notes", notes)]
    own = [key for (where, key) in gone if where == ()]
    said = _changes(draft, path, area, "AreaForImprovement", values, own)
    said += _closure_edit(
        draft,
        "area for improvement",
        path,
        area,
        closed_on=closed_on,
        evidence=evidence,
        closure_sources=closure_sources,
        reason=reason,
        gone=gone,
        today=today,
        close_command="close-afi",
    )
    if not said:
        raise _nothing("area for improvement", area_id, force.slug)
    return _done(draft, f"{force.slug}: area for improvement {area_id}: {', '.join(said)}")


def edit_force(
    force: ForceFile,
    document: YamlDocument,
    *,
    name: str | None = None,
    notes: str | None = None,
    unset: list[str] | tuple[str, ...] = (),
    today: date,
) -> Edit:
    """Correct the force's own name or notes (where a withdrawn phase change says why)."""
    gone = _unset({"notes": notes}, unset, FORCE_FIELDS, "a force")
    draft = Draft(force, document)
    said = _changes(draft, (), force, "ForceFile", [("name", name), ("notes", notes)], [k for _, k in gone])
    if not said:
        raise PeelError(f"{force.slug} already says that: nothing to change")
    return _done(draft, f"{force.slug}: {', '.join(said)}")


# -- reopening a closure recorded by mistake ----------------------------------------------------


def _reopen(force: ForceFile, document: YamlDocument, kind: str, path: Path, item, why: str) -> tuple[Draft, str]:
    """Remove ``item``'s closure and say in its notes that it was recorded by mistake, and why."""
    if item.closure is None:
        raise PeelError(Problem(f"{kind} {item.id!r} is not closed: nothing to reopen", path=(*path, "id")))
    draft = Draft(force, document)
    draft.splices.append(_removal(draft.editor, (*path, "closure")))
    closed_on = item.closure.closed_on
    note = _with_sentence(item.notes, f"A closure dated {closed_on} was recorded by mistake and removed: {why}")
    record_type = {"cause of concern": "CauseOfConcern", "recommendation": "Recommendation"}.get(
        kind, "AreaForImprovement"
    )
    draft.splices.append(draft.editor.put(path, "notes", note, after=keys_ahead(record_type, "notes")))
    summary = (
        f"{force.slug}: reopened {kind} {item.id}: its closure dated {closed_on} is removed, as recorded by mistake"
    )
    return draft, summary


def reopen_recommendation(force: ForceFile, document: YamlDocument, rec_id: str, *, why: str, today: date) -> Edit:
    """Remove a recommendation's closure recorded by mistake; refused while its cause is closed
    without a reason for open recommendations (the closure rules)."""
    i, j = find_recommendation(force, rec_id)
    cause = force.causes_of_concern[i]
    fixes = {
        OPEN_RECOMMENDATIONS: f"reopen the cause first (peel reopen-concern {force.slug} {cause.id} --why TEXT), "
        f"or record why it closed with recommendations open (peel edit-concern {force.slug} {cause.id} --reason TEXT)"
    }
    rec = cause.recommendations[j]
    if rec.closure is not None:
        state = of_cause(cause).with_recommendation_closed(rec_id, None)
        refuse_breaches(cause_breaches(state), fixes, ("causes_of_concern", i))
    path = ("causes_of_concern", i, "recommendations", j)
    draft, summary = _reopen(force, document, "recommendation", path, rec, why)
    return _done(draft, summary)


def reopen_concern(force: ForceFile, document: YamlDocument, concern_id: str, *, why: str, today: date) -> Edit:
    """Remove a cause's closure recorded by mistake (its recommendations keep theirs)."""
    i = find_cause(force, concern_id)
    draft, summary = _reopen(
        force, document, "cause of concern", ("causes_of_concern", i), force.causes_of_concern[i], why
    )
    return _done(draft, summary)


def reopen_area(force: ForceFile, document: YamlDocument, area_id: str, *, why: str, today: date) -> Edit:
    """Remove an area for improvement's closure recorded by mistake."""
    i = find_area(force, area_id)
    path = ("areas_for_improvement", i)
    draft, summary = _reopen(force, document, "area for improvement", path, force.areas_for_improvement[i], why)
    return _done(draft, summary)


# -- phase changes ------------------------------------------------------------------------------


def _moves(force: ForceFile) -> str:
    listed = [f"phase:{n} (into {c.phase} on {c.decided_on})" for n, c in enumerate(force.phase_changes, 1)]
    return ", ".join(listed) or "none"


def find_move(force: ForceFile, move: str) -> int:
    """A phase change named as ``phase:N`` or ``N`` (the Nth in the file, from 1), or by the date
    it is recorded with (``2024-09-18``, ``2024-01``)."""
    changes = force.phase_changes
    number = re.fullmatch(r"(?:phase:)?([0-9]{1,3})", move.strip())
    if number and 1 <= int(number[1]) <= len(changes):
        return int(number[1]) - 1
    try:
        day = PartialDate.parse(move)
    except DateSyntaxError:
        day = None
    found = [i for i, change in enumerate(changes) if day is not None and change.decided_on == day]
    if len(found) == 1:
        return found[0]
    raise PeelError(
        f"no phase change {move!r} in {force.slug}: name it as phase:N (from 1) or by the date it is recorded "
        f"with; {force.slug} has {_moves(force)}"
    )


def _in_order(force: ForceFile, i: int, on: PartialDate) -> list[str]:
    """Refuse a date that puts phase change ``i`` out of order with its neighbours or on the
    same day as one; the warnings of one that cannot be told apart from a neighbour."""
    changes = force.phase_changes
    path = ("phase_changes", i, "decided_on")
    warnings = []
    if i > 0:
        before = changes[i - 1]
        if on.surely_before(before.decided_on) or (on.is_exact and on == before.decided_on):
            raise PeelError(
                Problem(
                    f"{on} is not after the phase change before it (phase:{i}, into {before.phase} on "
                    f"{before.decided_on}): phase changes are in date order, no two on one day",
                    path=path,
                )
            )
        if not before.decided_on.surely_before(on):
            warnings.append(f"{on} cannot be told apart from phase:{i} ({before.decided_on})")
    if i + 1 < len(changes):
        after = changes[i + 1]
        if after.decided_on.surely_before(on) or (on.is_exact and on == after.decided_on):
            raise PeelError(
                Problem(
                    f"{on} is not before the phase change after it (phase:{i + 2}, into {after.phase} on "
                    f"{after.decided_on}): phase changes are in date order, no two on one day",
                    path=path,
                )
            )
        if not on.surely_before(after.decided_on):
            warnings.append(f"{on} cannot be told apart from phase:{i + 2} ({after.decided_on})")
    return [f"{w}: record a more exact date if the record has one" for w in warnings]


def edit_move(
    force: ForceFile,
    document: YamlDocument,
    move: str,
    *,
    on: PartialDate | None = None,
    published: PartialDate | None = None,
    decided_by: str | None = None,
    reason: str | None = None,
    notes: str | None = None,
    sources: list[str] | None = None,
    missing_from_record: str | None = None,
    override: bool = False,
    unset: list[str] | tuple[str, ...] = (),
    policy,
    others: tuple[ForceFile, ...],
    today: date,
) -> Edit:
    """Correct a phase change in place. A new date keeps the timeline in order (no two changes on
    one day) and is judged as ``peel move`` judges a move recorded after the changes before it:
    one ``peel assess`` calls not justified needs ``--override`` (a move recorded with it keeps
    it), and a move no longer judged so loses ``assessment_overridden``."""
    from .assess import NOT_JUSTIFIED

    i = find_move(force, move)
    change = force.phase_changes[i]
    path = ("phase_changes", i)
    asked = {
        "published": published,
        "decided-by": decided_by,
        "reason": reason,
        "notes": notes,
        "sources": sources,
        "missing-from-record": missing_from_record,
    }
    gone = [key for _, key in _unset(asked, unset, MOVE_FIELDS, "a phase change")]
    if on is not None:
        check_event_date(on, today=today)
    not_future("--published", published, today)
    new_on = on or change.decided_on
    warnings = _in_order(force, i, new_on) if on is not None else []
    new_published = published or (None if "published_on" in gone else change.published_on)
    if new_published is not None and new_published.surely_before(new_on):
        raise PeelError(
            Problem(f"published on {new_published}, before the decision ({new_on})", path=(*path, "published_on"))
        )
    new_reason = reason or (None if "reason" in gone else change.reason)
    new_missing = missing_from_record or (None if "missing_from_record" in gone else change.missing_from_record)
    overridden, verdict = change.assessment_overridden, ""
    unjudged = change.missing_from_record is not None
    if new_missing is None and (new_on != change.decided_on or unjudged):
        judged = judge_move(
            replaced(force, phase_changes=force.phase_changes[:i]), new_on, policy=policy, others=others
        )
        if judged.verdict == NOT_JUSTIFIED and not (override or change.assessment_overridden):
            raise not_justified(change.phase, new_on, judged)
        overridden = judged.verdict == NOT_JUSTIFIED
        verdict = " (overriding a not-justified assessment)" if overridden else f" (peel assess: {judged.verdict})"
    if overridden and not new_reason:
        raise PeelError(
            Problem(
                "a move recorded against a not-justified assessment records its reason: give --reason (and do not "
                "--unset reason)",
                path=(*path, "reason" if change.reason else "phase"),
            )
        )
    draft = Draft(force, document)
    draft.warnings += warnings
    cited = None
    if sources is not None:
        cited = draft.cite(sources, f"the move into {change.phase}", fix=f"phase:{i + 1}")
    values = [
        ("decided_on", on),
        ("published_on", published),
        ("decided_by", decided_by),
        ("reason", reason),
        ("missing_from_record", missing_from_record),
        ("notes", notes),
        ("sources", cited),
    ]
    said = _changes(draft, path, change, "PhaseChange", values, gone)
    if overridden and not change.assessment_overridden:
        after = keys_ahead("PhaseChange", "assessment_overridden")
        draft.splices.append(draft.editor.put(path, "assessment_overridden", True, after=after))
        said.append("assessment_overridden true")
    elif change.assessment_overridden and not overridden:
        draft.splices.append(_removal(draft.editor, (*path, "assessment_overridden")))
        said.append("removed assessment_overridden (peel assess no longer calls it not justified)")
    if not said:
        raise PeelError(f"phase:{i + 1} of {force.slug} already says that: nothing to change")
    what = f"the move into {change.phase.capitalize()} (phase:{i + 1})"
    return _done(draft, f"{force.slug}: {what}: {', '.join(said)}{verdict}")


def withdraw_move(force: ForceFile, document: YamlDocument, move: str, *, why: str, today: date) -> Edit:
    """Remove a phase change recorded by mistake, and say why in the force's notes. Only the last
    can go: without an earlier one, the next would be a change into the phase the force is
    already in."""
    i = find_move(force, move)
    changes = force.phase_changes
    change = changes[i]
    if i + 1 < len(changes):
        later = changes[i + 1]
        raise PeelError(
            Problem(
                f"withdrawing phase:{i + 1} (into {change.phase} on {change.decided_on}) would leave phase:{i + 2} "
                f"(into {later.phase} on {later.decided_on}) a change into the phase the force is already in: "
                f"withdraw the later changes first, from the last (phase:{len(changes)})",
                path=("phase_changes", i),
            )
        )
    draft = Draft(force, document)
    splice = draft.editor.remove(("phase_changes", i)) if len(changes) > 1 else None
    draft.splices.append(splice or _removal(draft.editor, ("phase_changes",)))
    phase = change.phase.capitalize()
    sentence = f"A move into {phase} on {change.decided_on} was recorded by mistake and withdrawn: {why}"
    draft.splices.append(draft.editor.put((), "notes", _with_sentence(force.notes, sentence), keys_before("notes")))
    now = f"in {changes[i - 1].phase.capitalize()} since {changes[i - 1].decided_on}" if i else "in Scan"
    return _done(draft, f"{force.slug}: withdrew the move into {phase} on {change.decided_on}; now {now}")


# -- removing a record entered by mistake ---------------------------------------------------------

_NUMBERED = {
    "officer": "chief_officers",
    "body": "policing_bodies",
    "metric": "metrics",
    "uncertainty": "uncertainties",
}


def _removable(force: ForceFile, target: str) -> Path:
    """The path of the record ``remove`` names: an id, ``officer:N``, ``body:N``, ``metric:N``,
    ``uncertainty:N`` or ``phase:N:date:M``; phase changes and closures have commands of their own."""
    slug = force.slug
    name, _, part = target.partition("/")
    if part == "closure":
        reopen = "reopen-rec|reopen-concern|reopen-afi"
        raise PeelError(f"a closure recorded by mistake is reopened: peel {reopen} {slug} {name} --why TEXT")
    numbered = re.fullmatch(r"(officer|body|metric|uncertainty|phase):([0-9]+)(?::date:([0-9]+))?", target)
    if numbered:
        label, n, m = numbered[1], int(numbered[2]), numbered[3]
        if label == "phase" and m is None:
            withdraw = f"peel withdraw-move {slug} {target} --why TEXT"
            raise PeelError(f"a phase change is withdrawn, keeping the timeline in order: {withdraw}")
        if label == "phase" and 1 <= n <= len(force.phase_changes):
            if 1 <= int(m) <= len(force.phase_changes[n - 1].other_reported_dates):
                return ("phase_changes", n - 1, "other_reported_dates", int(m) - 1)
        elif label != "phase" and m is None and 1 <= n <= len(getattr(force, _NUMBERED[label])):
            return (_NUMBERED[label], n - 1)
    else:
        for i, source in enumerate(force.sources):
            if source.id == name:
                return ("sources", i)
        for key in ("causes_of_concern", "areas_for_improvement", "inspections", "uncertainties"):
            for i, record in enumerate(getattr(force, key)):
                if record.id == name and not part:
                    return (key, i)
        for i, cause in enumerate(force.causes_of_concern):
            for j, rec in enumerate(cause.recommendations):
                if rec.id == name and not part:
                    return ("causes_of_concern", i, "recommendations", j)
    choices = sorted(all_ids(force))
    also = " (or officer:N, body:N, metric:N, uncertainty:N, phase:N:date:M)"
    raise unknown_id("record", target, choices, slug, also)


def _names(force: ForceFile):
    """A record's path to the name ``peel cite`` and ``peel remove`` give it."""
    targets = {path: name for name, (path, _) in cite_targets(force).items()}

    def name(path: Path) -> str:
        if path in targets:
            return targets[path]
        if path[:-1] in targets:
            return f"{targets[path[:-1]]}/{path[-1]}"
        if path[0] == "uncertainties" and len(path) == 2:
            return f"uncertainty:{path[1] + 1}"
        return ".".join(str(step) for step in path)

    return name


def _dependents(force: ForceFile, path: Path, record_id: str | None) -> list[Problem]:
    """Every record that cites or depends on the one at ``path``, each at its place in the file."""
    from .rules import walk

    name = _names(force)
    found = []
    if path[0] == "sources":
        for where, record in walk(force):
            for key in ("sources", "recorded_in"):
                for k, cited in enumerate(getattr(record, key, None) or []):
                    if cited == record_id:
                        verb = "is recorded in it" if key == "recorded_in" else "cites it"
                        found.append(Problem(f"{name(where)} {verb}", path=(*where, key, k)))
    if path[0] == "causes_of_concern" and len(path) == 2:
        for j, rec in enumerate(force.causes_of_concern[path[1]].recommendations):
            said = f"recommendation {rec.id} is one of its recommendations"
            found.append(Problem(said, path=(*path, "recommendations", j, "id")))
    if record_id is not None and path[0] in ("causes_of_concern", "areas_for_improvement"):
        for i, uncertainty in enumerate(force.uncertainties):
            for k, subject in enumerate(uncertainty.subjects):
                if subject == record_id:
                    said = f"{name(('uncertainties', i))} names it among its subjects"
                    found.append(Problem(said, path=("uncertainties", i, "subjects", k)))
    return found


def remove(force: ForceFile, document: YamlDocument, target: str, *, today: date) -> Edit:
    """Remove a record entered by mistake; refused while anything cites it or depends on it,
    naming each. A cause left with no recommendations says they are not yet entered, as
    ``add-concern`` left it."""
    path = _removable(force, target)
    record = record_at(force, path)
    record_id = getattr(record, "id", None)
    kind = _KINDS[path[-2]]
    named = f" ({record.name})" if getattr(record, "name", None) else ""
    shown = f"{kind} {record_id}" if record_id else f"{kind} {target}{named}"
    dependents = _dependents(force, path, record_id)
    if dependents:
        many = f"{len(dependents)} records cite it or depend on it" if len(dependents) > 1 else "a record cites it"
        first = Problem(
            f"{shown} cannot be removed while {many} (below): correct or remove "
            f"{'those' if len(dependents) > 1 else 'it'} first",
            path=(*path, "id") if record_id else path,
        )
        raise PeelError([first, *dependents])
    draft = Draft(force, document)
    holder = path[:-1]
    siblings = len(record_at(force, holder))
    splice = draft.editor.remove(path) if siblings > 1 else None
    if splice is None and siblings > 1:
        raise PeelError(Problem(f"{shown} shares its lines with others: remove it by hand", path=path))
    draft.splices.append(splice or _removal(draft.editor, holder))
    note = ""
    if path[-2] == "recommendations" and siblings == 1:
        cause = force.causes_of_concern[path[1]]
        if cause.recommendations_not_on_record is None and cause.kind == "cause-of-concern":
            after = (*keys_ahead("CauseOfConcern", "sources"), "sources")
            placeholder = [("note", PLACEHOLDER_NOTE)]
            draft.splices.append(draft.editor.put(path[:2], "recommendations_not_on_record", placeholder, after=after))
            note = f" (its recommendations are now not yet entered: peel add-rec {force.slug} {cause.id} ...)"
    of = f" of {force.causes_of_concern[path[1]].id}" if path[-2] == "recommendations" else ""
    return _done(draft, f"{force.slug}: removed {shown}{of}{note}")


# -- renaming an id -------------------------------------------------------------------------------


def rename(force: ForceFile, document: YamlDocument, old_id: str, *, new_id: str, today: date) -> Edit:
    """Give a record a new id, and every reference to it in the file (citations, the documents a
    source is recorded in, an uncertainty's subjects) with it."""
    from .rules import walk

    records = [(path, record) for path, record in walk(force) if getattr(record, "id", None) == old_id]
    draft = Draft(force, document)
    if not records:
        raise unknown_id("record", old_id, sorted(draft.taken), force.slug)
    check_new_id(draft.taken, new_id, force.slug)
    path, record = records[0]
    draft.splices.append(draft.editor.replace_scalar((*path, "id"), new_id))
    references = 0
    for where, item in walk(force):
        for key in ("sources", "recorded_in", "subjects"):
            for k, value in enumerate(getattr(item, key, None) or []):
                if value == old_id:
                    draft.splices.append(draft.editor.replace_scalar((*where, key, k), new_id))
                    references += 1
    if path[0] == "sources" and record.notes == url_note(force.slug, old_id):
        draft.splices.append(draft.editor.put(path, "notes", url_note(force.slug, new_id)))
    kind = _KINDS[path[-2]]
    also = f", and {references} reference{'s' if references > 1 else ''} to it" if references else ""
    return draft.done(f"{force.slug}: renamed {kind} {old_id} to {new_id}{also}")

"""Rules a force file must keep beyond its types: pure functions from a ForceFile to problems.

Each problem points at a path in the file; the reader turns paths into lines. Dates known only
to a month or a year are judged honestly: something is out of order only when it is *surely*
out of order (see :mod:`peelcli.dates`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from .dates import PartialDate
from .deadlines import deadline_problems
from .problems import Path, Problem, error, warning
from .schema.names import BODY_KINDS_BY_SECTOR, BODY_WORDS, FIRE_SLUG_SUFFIX, SECTOR_TITLES, sector_of_slug
from .schema.records import (
    AreaForImprovement,
    CauseOfConcern,
    Closure,
    ForceFile,
    Inspection,
    Metric,
    Officeholder,
    PhaseChange,
    Record,
    ReportedDate,
    Resolution,
    Uncertainty,
    date_keys,
    nested_keys,
)

# Records that state a dated fact, and so must say where it comes from.
CITING = (
    Officeholder,
    Inspection,
    ReportedDate,
    PhaseChange,
    Closure,
    Resolution,
    CauseOfConcern,
    AreaForImprovement,
    Metric,
)

# Keys whose dates are events: none of them may lie in the future. ``due`` may.
EVENT_DATE_KEYS = (
    "raised_on",
    "published_on",
    "decided_on",
    "closed_on",
    "sent_on",
    "held_on",
    "fieldwork_from",
    "fieldwork_to",
    "noted_on",
    "from",
    "to",
    "period_end",
    "date",
    "resolved_on",
    "record_checked_to",
)


class Pruned(NamedTuple):
    """What the reader dropped for type errors before these rules ran: the ids of dropped
    entries (citations of them are not dangling), the lists they were dropped from, and for
    each such list the original index of every entry kept."""

    ids: frozenset[str] = frozenset()
    lists: frozenset[Path] = frozenset()
    kept: dict[Path, list[int]] = {}  # noqa: RUF012 - never mutated

    def original(self, path: Path) -> Path:
        """A path in the pruned file as a path in the file as written."""
        if not self.kept:
            return path
        out: list[str | int] = []
        for step in path:
            indices = self.kept.get(tuple(out))
            out.append(indices[step] if isinstance(step, int) and indices is not None else step)
        return tuple(out)


NOTHING_PRUNED = Pruned()


def check_force(force: ForceFile, *, slug: str | None, today: date, pruned: Pruned = NOTHING_PRUNED) -> list[Problem]:
    """Every rule, every problem: the validator reports all of them in one run."""
    problems: list[Problem] = []
    records = list(walk(force))
    if slug is not None and force.slug != slug:
        problems.append(
            error(
                f"slug {force.slug!r} does not match the file name {slug + '.yaml'!r}: rename the file or fix the slug",
                ("slug",),
            )
        )
    problems += sector_problems(force.slug, force.sector, "sector" in force.__pydantic_fields_set__)
    problems += _body_kinds(force)
    problems += _unique_ids(records)
    problems += _citations(force, records, pruned.ids)
    problems += _phase_history(force.phase_changes)
    problems += _closures(force)
    problems += _doubt_starts(force)
    problems += _sources_before_facts(force, records, today)
    problems += _recommendation_records(force, pruned)
    problems += _date_order(records)
    problems += _no_future_events(records, today)
    problems += _record_checked(force, records, today)
    if pruned.kept:
        problems = [p._replace(path=pruned.original(p.path), see=pruned.original(p.see)) for p in problems]
    return problems


def walk(record: Record, path: Path = ()) -> Iterator[tuple[Path, Record]]:
    """Every record in the file, depth first, with its path in YAML keys."""
    yield path, record
    for key, attribute in nested_keys(type(record).__name__):
        value = getattr(record, attribute)
        if isinstance(value, Record):
            yield from walk(value, (*path, key))
        elif value:
            for i, item in enumerate(value):
                yield from walk(item, (*path, key, i))


def dated_fields(record: Record) -> Iterator[tuple[str, PartialDate]]:
    """(YAML key, date) for each date a record carries."""
    for key, attribute in date_keys(type(record).__name__):
        value = getattr(record, attribute)
        if value is not None:
            yield key, value


def sector_problems(slug: str, sector: str, stated: bool) -> list[Problem]:
    """A slug and the sector it is recorded in must agree: a fire and rescue service's slug is
    ``<area>-fire`` and a police force's never ends so, so that a county's force and service never
    share a slug, and nothing edits one believing it is the other. Located at ``sector`` when the
    file states it, else at the slug. The one rule for force files and registry entries."""
    if sector_of_slug(slug) == sector:
        return []
    where = ("sector",) if stated else ("slug",)
    if sector == "fire":
        return [
            error(
                f"slug {slug!r} is in the fire sector but does not end in {FIRE_SLUG_SUFFIX!r}: a fire and rescue "
                f"service's slug is <area>{FIRE_SLUG_SUFFIX} ({slug}{FIRE_SLUG_SUFFIX}), so it never equals a police "
                "force's; change the slug (and the file name), or the sector",
                where,
            )
        ]
    return [
        error(
            f"slug {slug!r} ends in {FIRE_SLUG_SUFFIX!r}, which only a fire and rescue service's slug does, but the "
            "sector is police: add 'sector: fire' for a service, or choose a slug without it for a force",
            where,
        )
    ]


_BODY_KIND_WORDS = {
    "pcc": "a police and crime commissioner",
    "fire-authority": "a fire and rescue authority",
}


def _body_kinds(force: ForceFile) -> list[Problem]:
    """A police and crime commissioner oversees police only, a fire and rescue authority fire
    only: a body of the other sector's kind is a mistake in the kind, or in the file."""
    allowed = BODY_KINDS_BY_SECTOR[force.sector]
    problems = []
    for i, body in enumerate(force.policing_bodies):
        if body.kind not in allowed:
            problems.append(
                error(
                    f"kind {body.kind!r} is {_BODY_KIND_WORDS.get(body.kind, body.kind)}, who does not oversee "
                    f"{SECTOR_TITLES[force.sector]}: a {BODY_WORDS[force.sector][0]} answers to "
                    f"{', '.join(allowed[:-1])} or {allowed[-1]}",
                    ("policing_bodies", i, "kind"),
                )
            )
    return problems


def _unique_ids(records: list[tuple[Path, Record]]) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, Path] = {}
    for path, record in records:
        record_id = getattr(record, "id", None)
        if not isinstance(record_id, str):
            continue
        if record_id in first:
            problems.append(
                error(
                    f"id {record_id!r} is already used in this file: ids must be unique",
                    (*path, "id"),
                    see=(*first[record_id], "id"),
                )
            )
        else:
            first[record_id] = path
    return problems


def _citations(force: ForceFile, records: list[tuple[Path, Record]], broken_ids: frozenset[str]) -> list[Problem]:
    known = {source.id for source in force.sources}
    candidates = sorted(known)
    problems = []
    hints: dict[str, str] = {}

    def hint(cited: str) -> str:
        # "did you mean" costs a comparison with every source: only for the first few misses,
        # and not among thousands of sources (no real force file has them; a hostile one may)
        if cited not in hints:
            close = (
                difflib.get_close_matches(cited, candidates, n=1, cutoff=0.6)
                if len(hints) < 5 and len(candidates) <= 1000
                else []
            )
            hints[cited] = f": did you mean {close[0]!r}?" if close else ": add it under sources, or fix the id"
        return hints[cited]

    for path, record in records:
        for key in ("sources", "recorded_in"):
            for i, cited in enumerate(getattr(record, key, None) or []):
                if not isinstance(cited, str) or cited in known or cited in broken_ids:
                    continue
                problems.append(error(f"no source with id {cited!r}{hint(cited)}", (*path, key, i)))

    for path, record in records:
        if isinstance(record, CITING) and not record.sources:
            problems.append(
                warning(
                    "cites no source: add the id (or, with peel, the URL) of the document this comes from",
                    (*path, "sources") if "sources" in record.__pydantic_fields_set__ else path,
                )
            )
    ids = {record.id for _, record in records if isinstance(getattr(record, "id", None), str)}
    for i, uncertainty in enumerate(force.uncertainties):
        for j, subject in enumerate(uncertainty.subjects):
            if subject not in ids:
                problems.append(
                    error(f"no cause, recommendation or area with id {subject!r}", ("uncertainties", i, "subjects", j))
                )
    for i, source in enumerate(force.sources):
        if source.url is None and not source.recorded_in:
            problems.append(
                error(
                    f"source {source.id!r} needs a url, or recorded_in naming the documents that record it",
                    ("sources", i, "id"),
                )
            )
    return problems


def _phase_history(changes: list[PhaseChange]) -> list[Problem]:
    problems = []
    previous: PhaseChange | None = None
    for i, change in enumerate(changes):
        path = ("phase_changes", i)
        expected = "scan" if previous is None else previous.phase
        if change.phase == expected:
            why = (
                "every force starts in scan, so the first change is into engage"
                if previous is None
                else "changes must alternate between engage and scan"
            )
            problems.append(error(f"a change into {change.phase} while already in {expected}: {why}", (*path, "phase")))
        if previous is not None:
            before, now = previous.decided_on, change.decided_on
            if now.surely_before(before) or (now.is_exact and now == before):
                problems.append(
                    error(
                        f"decided on {now}, not after the previous change ({before}): "
                        "phase changes must be in date order",
                        (*path, "decided_on"),
                    )
                )
            elif not before.surely_before(now):
                problems.append(
                    warning(
                        f"decided on {now}, which cannot be told apart from the previous change "
                        f"({before}): record a more exact date if the record has one",
                        (*path, "decided_on"),
                    )
                )
        if change.published_on is not None and change.published_on.surely_before(change.decided_on):
            problems.append(
                error(
                    f"published on {change.published_on}, before it was decided ({change.decided_on})",
                    (*path, "published_on"),
                )
            )
        if change.assessment_overridden and not change.reason:
            problems.append(error("an overridden assessment must record its reason", (*path, "assessment_overridden")))
        previous = change
    return problems


def _closures(force: ForceFile) -> list[Problem]:
    """The closure rules (:mod:`peelcli.closures`), the same ones every editing command keeps."""
    from .closures import area_breaches, cause_breaches, of_area, of_cause

    problems = []
    for i, cause in enumerate(force.causes_of_concern):
        for breach in cause_breaches(of_cause(cause)):
            problems.append(error(breach.said(), ("causes_of_concern", i, *breach.path)))
    for i, area in enumerate(force.areas_for_improvement):
        for breach in area_breaches(of_area(area)):
            problems.append(error(breach.said(), ("areas_for_improvement", i, *breach.path)))
    return problems


def _doubt_starts(force: ForceFile) -> list[Problem]:
    """A doubt's start (``from``) and what it concerns: settled on or before the day it begins,
    it would never hold (refused); surely before every subject was raised, it says nothing that
    leaving it out would not (a warning: a slip in the date, most likely). A start before only
    some of its subjects is no fault: each is in doubt from the later of the start and its own
    raising. Where the record ends is the rule of every dated fact (:func:`_record_checked`)."""
    raised = {cause.id: cause.raised_on for cause in force.causes_of_concern}
    raised |= {rec.id: cause.raised_on for cause in force.causes_of_concern for rec in cause.recommendations}
    raised |= {area.id: area.raised_on for area in force.areas_for_improvement}
    problems = []
    for i, uncertainty in enumerate(force.uncertainties):
        start = uncertainty.from_
        if start is None:
            continue
        path = ("uncertainties", i)
        resolution = uncertainty.resolution
        if resolution is not None and resolution.resolved_on.latest <= start.earliest:
            problems.append(
                error(
                    f"resolved on {resolution.resolved_on}, no later than the doubt begins (from {start}): its "
                    "subjects would never be in doubt; correct either date, or remove the uncertainty",
                    (*path, "resolution", "resolved_on"),
                )
            )
        days = [raised[s] for s in uncertainty.subjects if s in raised]
        if days and all(start.surely_before(day) for day in days):
            first = min(days, key=PartialDate.sort_key)
            problems.append(
                warning(
                    f"from {start} is before any of its subjects was raised (the first {first}): each is then in doubt "
                    "from its own raising, as without 'from'; correct the date, or remove 'from'",
                    (*path, "from"),
                )
            )
    return problems


FACTS_A_SOURCE_REPORTS = {
    "Closure": ("closed_on", "the closure"),
    "PhaseChange": ("decided_on", "the phase change"),
    "CauseOfConcern": ("raised_on", "the cause of concern raised"),
    "AreaForImprovement": ("raised_on", "the area for improvement raised"),
}
"""Facts each citation must be able to report: a document cannot report what happened after it.
Not judged this way: another date a source reports for a phase change (a letter may give ahead
the day a move takes effect), a resolution (the source comes first: it is what settled the
doubt), a metric or an inspection (a source may give a figure or an inspection to come), and
officeholders, whose sources may each support a different one of from, to and noted_on (see
:func:`_noted_after_every_source`)."""


def source_dated(source) -> tuple[date, str] | None:
    """The last day a source surely existed by (the earliest of its sent, published and held
    dates, each at its latest possible day), and which date that is; ``None`` without a date."""
    found = [
        (value.latest, verb)
        for value, verb in ((source.sent_on, "sent"), (source.published_on, "published"), (source.held_on, "held"))
        if value is not None
    ]
    return min(found) if found else None


def surely_before_fact(existed_by: date, fact: PartialDate) -> bool:
    """A source that surely existed before the fact cannot report it; except that a span may begin
    the day after a source that shows the fact had not yet happened ("still open in the letter of
    4 April 2025": closed 2025-04-05/2025-05-22), so a span's source may be dated the day before."""
    first = fact.earliest
    if fact.precision == "interval" and first.toordinal() > 1:
        first = date.fromordinal(first.toordinal() - 1)
    return existed_by < first


def _sources_before_facts(force: ForceFile, records: list[tuple[Path, Record]], today: date) -> list[Problem]:
    """A closure, a phase change, a cause or area raised, citing a source surely dated before it:
    refused at the citation. A fact dated after today is reported as such, not again here."""
    dated = {source.id: source_dated(source) for source in force.sources}
    problems = []
    for path, record in records:
        name = type(record).__name__
        if isinstance(record, Officeholder):
            problems += _noted_after_every_source(record, path, dated)
            continue
        if name not in FACTS_A_SOURCE_REPORTS:
            continue
        key, what = FACTS_A_SOURCE_REPORTS[name]
        fact = getattr(record, key)
        if fact.earliest > today:
            continue
        for i, cited in enumerate(record.sources):
            found = dated.get(cited)
            if found is not None and surely_before_fact(found[0], fact):
                problems.append(
                    error(
                        f"source {cited!r} was {found[1]} on {found[0].isoformat()}, before {what} it is cited for "
                        f"({key} {fact}): a document cannot report what happened after it; cite the one that "
                        "reports it",
                        (*path, "sources", i),
                    )
                )
    return problems


def _noted_after_every_source(holder: Officeholder, path: Path, dated: dict) -> list[Problem]:
    """``noted_on`` is a day a source names someone in post, so one of the sources cited must be
    able to be that day or later: an officeholder's sources may each support another of from,
    to and noted_on, so one early source is no error, but all of them before it are."""
    if holder.noted_on is None or not holder.sources:
        return []
    found = [dated.get(cited) for cited in holder.sources]
    if None in found or not all(surely_before_fact(day, holder.noted_on) for day, _ in found):
        return []
    latest, verb = max(found)
    return [
        error(
            f"noted_on {holder.noted_on} is after every source cited was dated (the latest {verb} on "
            f"{latest.isoformat()}): noted_on is a day a source names them in post; give that day, or cite "
            "the source that names them then",
            (*path, "noted_on"),
        )
    ]


def _recommendation_records(force: ForceFile, pruned: Pruned) -> list[Problem]:
    problems = []
    for i, cause in enumerate(force.causes_of_concern):
        path = ("causes_of_concern", i)
        missing = cause.recommendations_not_on_record
        if missing is not None:
            problems.append(
                warning(
                    f"recommendation texts of {cause.id!r} are not on record: {missing.note}",
                    (*path, "recommendations_not_on_record"),
                )
            )
            if missing.count is not None and missing.count < len(cause.recommendations):
                problems.append(
                    error(
                        f"count {missing.count} is fewer than the {len(cause.recommendations)} recommendations listed",
                        (*path, "recommendations_not_on_record", "count"),
                    )
                )
        elif (
            not cause.recommendations
            and cause.kind == "cause-of-concern"
            and (*path, "recommendations") not in pruned.lists
        ):
            problems.append(
                error(
                    f"cause of concern {cause.id!r} has no recommendations: list them, or say "
                    "under recommendations_not_on_record that the record lacks them",
                    (*path, "id"),
                )
            )
        for j, rec in enumerate(cause.recommendations):
            rec_path = (*path, "recommendations", j)
            for problem in deadline_problems(rec.deadline, rec.due, cause):
                problems.append(problem._replace(path=(*rec_path, *problem.path)))
    return problems


def _date_order(records: list[tuple[Path, Record]]) -> list[Problem]:
    problems = []
    for path, record in records:
        pairs: tuple[tuple[str, str], ...] = (("fieldwork_from", "fieldwork_to"),)
        if isinstance(record, Officeholder):
            pairs = (("from_", "to"),)
            if record.from_ is None and record.noted_on is None:
                problems.append(
                    error(
                        f"say when {record.name} was in post: 'from', or 'noted_on' (a day a source names them)",
                        (*path, "name"),
                    )
                )
        for start_name, end_name in pairs:
            start, end = getattr(record, start_name, None), getattr(record, end_name, None)
            if start is not None and end is not None and end.surely_before(start):
                key = end_name.rstrip("_")
                problems.append(error(f"{key} {end} is before {start_name.rstrip('_')} {start}", (*path, key)))
    return problems


def _no_future_events(records: list[tuple[Path, Record]], today: date) -> list[Problem]:
    problems = []
    for path, record in records:
        for key, value in dated_fields(record):
            if key in EVENT_DATE_KEYS and key != "record_checked_to" and value.earliest > today:
                problems.append(
                    error(
                        f"{key} {value} is after today ({today.isoformat()}): only due dates may lie in the future",
                        (*path, key),
                    )
                )
    return problems


def _record_checked(force: ForceFile, records: list[tuple[Path, Record]], today: date) -> list[Problem]:
    """``record_checked_to`` says where peel's knowledge of the force ends: it needs a note on what
    was searched, and no fact in the file may surely lie beyond it."""
    checked = force.record_checked_to
    if checked is None:
        return [
            warning(
                f"the file does not say how far this {BODY_WORDS[force.sector][0]}'s record was checked: say so with "
                f"peel checked {force.slug} --to DATE --note TEXT (what was searched), so readers know where the "
                "record ends",
                ("slug",),
            )
        ]
    problems = checked_to_problems(checked, force.record_checked_note, today)
    for path, record in records:
        for key, value in dated_fields(record):
            future = value.earliest > today  # reported as such
            if key in EVENT_DATE_KEYS and key != "record_checked_to" and not future and checked.surely_before(value):
                fact = f"a fact dated {value}: move it forward"
                if isinstance(record, Uncertainty):
                    fact = (
                        f"a doubt that begins on {value}: past the record's end nothing is known, and peel says so "
                        f"already; start the doubt by {checked}, or move record_checked_to forward"
                    )
                problems.append(
                    error(
                        f"record_checked_to {checked} is before {fact} to the day the record was last searched",
                        ("record_checked_to",),
                        see=(*path, key),
                    )
                )
                return problems
    return problems


def checked_to_problems(checked: PartialDate | None, note: str | None, today: date) -> list[Problem]:
    """The one rule for ``record_checked_to``, a force file's or the registry's: it says how far
    someone searched the public record, so it cannot lie after today (nobody has searched a day
    that has not come), and it says what was searched (``record_checked_note``)."""
    if checked is None:
        return []
    problems = []
    if checked.earliest > today:
        problems.append(
            error(
                f"record_checked_to {checked} is after today ({today.isoformat()}): a record cannot have been "
                "searched to a day that has not come; give the last day that was searched",
                ("record_checked_to",),
            )
        )
    if note is None:
        problems.append(
            error("record_checked_to needs record_checked_note: say what was searched", ("record_checked_to",))
        )
    return problems

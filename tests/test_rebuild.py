"""Every fact a force file states can be recorded from the command line (issue 11).

A force file is rebuilt in an empty ledger by ``peel`` commands alone (``add-force``, then the
editing commands a person would type while reading the letters), and the rebuild must say
exactly what the original says: the same records, and the same ``peel status`` and ``peel
history`` at every day that matters.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA, TODAY
from peelcli.edits import MEETING_TITLE
from peelcli.export import plain
from peelcli.reader import read_force
from peelcli.schema.records import ForceFile

WM = "west-midlands"


def load(path: Path) -> ForceFile:
    reading = read_force(path.read_bytes(), path.name, slug=path.stem, today=date.fromisoformat(TODAY))
    assert reading.ok, [str(p) for p in reading.errors]
    return reading.force


def _date_options(pairs) -> list[str]:
    return [arg for flag, value in pairs if value is not None for arg in (flag, str(value))]


def _text_options(pairs) -> list[str]:
    return [arg for flag, value in pairs if value is not None for arg in (flag, value)]


def _sources(ids, flag: str = "--source") -> list[str]:
    return [arg for source in ids for arg in (flag, source)]


def _person(person) -> str:
    return f"{person.name}; {person.role}" if person.role else person.name


def _source_commands(force: ForceFile) -> list[list[str]]:
    """Sources in file order, each once the documents it is recorded in are there. A meeting
    recorded in one document comes with that document (``add-source --meeting``); any other
    meeting is an ``add-meeting``."""
    slug = force.slug
    with_document = {
        s.recorded_in[0]: s
        for s in force.sources
        if s.kind == "ppog-meeting"
        and len(s.recorded_in) == 1
        and s.url is None
        and s.held_on is not None
        and s.id == f"ppog-{s.held_on}"
        and s.title == MEETING_TITLE
        and s.notes is None
    }
    riding = {s.id for s in with_document.values()}
    commands, added, waiting = [], set(), [s for s in force.sources if s.id not in riding]
    while waiting:
        ready = next(s for s in waiting if set(s.recorded_in) <= added)
        waiting.remove(ready)
        if ready.kind == "ppog-meeting" and ready.held_on is not None and ready.fieldwork_from is None:
            command = ["add-meeting", slug, "--id", ready.id, "--title", ready.title, "--held", str(ready.held_on)]
            command += _text_options([("--url", ready.url), ("--notes", ready.notes)])
            command += _sources(ready.recorded_in, "--recorded-in")
            assert not (ready.sent_on or ready.published_on or ready.from_ or ready.to or ready.cc)
        else:
            command = ["add-source", slug, "--id", ready.id, "--kind", ready.kind, "--title", ready.title]
            command += _text_options([("--url", ready.url), ("--notes", ready.notes)])
            command += _sources(ready.recorded_in, "--recorded-in")
            command += _date_options(
                [
                    ("--sent", ready.sent_on),
                    ("--published", ready.published_on),
                    ("--held", ready.held_on),
                    ("--fieldwork-from", ready.fieldwork_from),
                    ("--fieldwork-to", ready.fieldwork_to),
                ]
            )
            for flag, people in (("--from", ready.from_), ("--to", ready.to), ("--cc", ready.cc)):
                command += [arg for person in people for arg in (flag, _person(person))]
            if ready.id in with_document:
                command += ["--meeting", str(with_document[ready.id].held_on)]
                added.add(with_document[ready.id].id)
        commands.append(command)
        added.add(ready.id)
    return commands


def _closure(command: str, slug: str, item_id: str, closure) -> list[str]:
    step = [command, slug, item_id, "--on", str(closure.closed_on), "--evidence", closure.evidence]
    return step + _text_options([("--reason", closure.reason)]) + _sources(closure.sources)


def commands_for(force: ForceFile) -> list[list[str]]:
    """The peel commands that record ``force`` from nothing, in an order they are accepted."""
    slug = force.slug
    steps: list[list[str]] = [["add-force", slug, "--name", force.name], *_source_commands(force)]
    for inspection in force.inspections:
        step = ["add-inspection", slug, "--id", inspection.id, "--title", inspection.title]
        step += _date_options(
            [("--fieldwork-from", inspection.fieldwork_from), ("--fieldwork-to", inspection.fieldwork_to)]
        )
        steps.append(step + _text_options([("--notes", inspection.notes)]) + _sources(inspection.sources))
    for key, command in (("chief_officers", "add-officer"), ("policing_bodies", "add-body")):
        for person in getattr(force, key):
            step = [command, slug, "--name", person.name, "--role", person.role]
            step += ["--kind", person.kind] if key == "policing_bodies" else []
            step += _date_options([("--from", person.from_), ("--to", person.to), ("--noted-on", person.noted_on)])
            steps.append(step + _text_options([("--notes", person.notes)]) + _sources(person.sources))
    for cause in force.causes_of_concern:
        step = ["add-concern", slug, "--id", cause.id, "--title", cause.title, "--raised", str(cause.raised_on)]
        step += ["--kind", cause.kind] + (["--accelerated"] if cause.accelerated else [])
        step += _date_options([("--published", cause.published_on)])
        step += _text_options([("--text", cause.text), ("--notes", cause.notes)]) + _sources(cause.sources)
        missing = cause.recommendations_not_on_record
        if missing is not None:
            step += ["--recommendations-not-on-record", missing.note]
            step += ["--recommendations-count", str(missing.count)] if missing.count is not None else []
        steps.append(step)
        if missing is not None and missing.sources:
            steps.append(["cite", slug, f"{cause.id}/recommendations_not_on_record", *_sources(missing.sources)])
        for rec in cause.recommendations:
            step = ["add-rec", slug, cause.id, "--id", rec.id, "--text", rec.text]
            step += _text_options([("--deadline", rec.deadline), ("--notes", rec.notes)])
            steps.append(step + _date_options([("--due", rec.due)]) + _sources(rec.sources))
    for area in force.areas_for_improvement:
        step = ["add-afi", slug, "--id", area.id, "--text", area.text, "--raised", str(area.raised_on)]
        steps.append(step + _text_options([("--notes", area.notes)]) + _sources(area.sources))
    for metric in force.metrics:
        step = ["add-metric", slug, "--name", metric.name, "--period-end", str(metric.period_end)]
        step += ["--value", format(metric.value, "f"), "--unit", metric.unit]
        steps.append(step + _text_options([("--notes", metric.notes)]) + _sources(metric.sources))
    steps += _dated_commands(force)
    for uncertainty in force.uncertainties:
        step = ["add-uncertainty", slug, "--about", uncertainty.about, "--note", uncertainty.note]
        step += _text_options([("--id", uncertainty.id)]) + _sources(uncertainty.subjects, "--subject")
        step += _date_options([("--from", uncertainty.from_)])
        steps.append(step + _sources(uncertainty.sources))
        if uncertainty.resolution is not None:
            found = uncertainty.resolution
            step = ["resolve-uncertainty", slug, uncertainty.id, "--on", str(found.resolved_on)]
            steps.append([*step, "--evidence", found.evidence, *_sources(found.sources)])
    if force.record_checked_to is not None:
        steps.append(["checked", slug, "--to", str(force.record_checked_to), "--note", force.record_checked_note])
    return steps


def _dated_commands(force: ForceFile) -> list[list[str]]:
    """Closures and phase changes in date order: ``peel move`` judges a move on the record as
    it stood on its day, so the causes closed before it must be closed first."""
    slug = force.slug
    dated: list[tuple] = []
    for cause in force.causes_of_concern:
        for rec in cause.recommendations:
            if rec.closure is not None:
                dated.append((rec.closure.closed_on.sort_key(), 0, _closure("close-rec", slug, rec.id, rec.closure)))
        if cause.closure is not None:
            dated.append(
                (cause.closure.closed_on.sort_key(), 1, _closure("close-concern", slug, cause.id, cause.closure))
            )
    for area in force.areas_for_improvement:
        if area.closure is not None:
            dated.append((area.closure.closed_on.sort_key(), 1, _closure("close-afi", slug, area.id, area.closure)))
    for change in force.phase_changes:
        step = ["move", slug, change.phase, "--on", str(change.decided_on), *_sources(change.sources)]
        step += _date_options([("--published", change.published_on)])
        step += _text_options(
            [
                ("--decided-by", change.decided_by),
                ("--reason", change.reason),
                ("--notes", change.notes),
                ("--missing-from-record", change.missing_from_record),
            ]
        )
        for other in change.other_reported_dates:
            parts = [str(other.date), other.note or ""] + ([" ".join(other.sources)] if other.sources else [])
            step += ["--other-date", "; ".join(parts)]
        step += ["--override"] if change.assessment_overridden else []
        dated.append((change.decided_on.sort_key(), 2, step))
    dated.sort(key=lambda item: (item[0][1], item[1]))
    return [step for *_, step in dated]


def rebuild(peel, force_path: Path, ledger: Path) -> Path:
    (ledger / "forces").mkdir(parents=True)
    for step in commands_for(load(force_path)):
        result = peel("--data-dir", str(ledger), *step)
        assert result.exit_code == 0, (step, result.stderr)
    return ledger / "forces" / force_path.name


def report(peel, ledger: Path, *args: str) -> dict:
    result = peel("--data-dir", str(ledger), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def as_records(force: ForceFile) -> dict:
    """Everything the file states; sources by id (the order a person adds them in is theirs)."""
    dumped = plain(force)
    dumped["sources"] = sorted(dumped["sources"], key=lambda s: s["id"])
    return dumped


@pytest.fixture(scope="module")
def west_midlands_rebuilt(tmp_path_factory) -> Path:
    from conftest import run_peel

    def peel(*args):
        return run_peel(*args)

    return rebuild(peel, DATA / "forces" / f"{WM}.yaml", tmp_path_factory.mktemp("rebuild") / "data")


def test_west_midlands_rebuilt_by_commands_states_every_fact_of_the_original(west_midlands_rebuilt):
    assert as_records(load(west_midlands_rebuilt)) == as_records(load(DATA / "forces" / f"{WM}.yaml"))


@pytest.mark.parametrize(
    "as_of",
    [
        "2023-09-30",
        "2023-11-22",
        "2023-12-22",
        "2024-05-31",
        "2024-07-23",
        "2024-09-17",
        "2024-09-18",
        "2025-06",
        TODAY,
    ],
)
def test_status_of_the_rebuild_equals_the_original(peel, west_midlands_rebuilt, as_of):
    rebuilt = west_midlands_rebuilt.parents[1]
    args = ("status", WM, "--as-of", as_of)
    assert report(peel, rebuilt, *args) == report(peel, DATA, *args)


@pytest.mark.parametrize("since", [None, "2024-07", "2024-09-18"])
def test_history_of_the_rebuild_equals_the_original(peel, west_midlands_rebuilt, since):
    args = ("history", WM, *(("--since", since) if since else ()))
    assert report(peel, west_midlands_rebuilt.parents[1], *args) == report(peel, DATA, *args)


def test_the_rebuild_is_valid_with_no_warnings_the_original_has_not(peel, west_midlands_rebuilt):
    def warnings(path: Path) -> list[str]:
        result = peel("validate", str(path), "--format", "json")
        return sorted(p["message"] for p in json.loads(result.stdout)["problems"])

    assert warnings(west_midlands_rebuilt) == warnings(DATA / "forces" / f"{WM}.yaml")


OTHERS = sorted(p for p in (DATA / "forces").glob("*.yaml") if p.stem != WM)


@pytest.mark.parametrize("path", OTHERS, ids=[p.stem for p in OTHERS])
def test_every_shipped_force_can_be_rebuilt_by_commands(peel, tmp_path, path):
    """The same commands, parsed by the command line's own options and applied as one
    transaction (as ``peel ingest --apply`` applies a letter's), for every other force."""
    from peelcli.cli import edit_step
    from peelcli.ledger import Ledger

    force = load(path)
    first, *rest = commands_for(force)
    (tmp_path / "forces").mkdir()
    assert peel("--data-dir", str(tmp_path), *first).exit_code == 0
    ledger, today = Ledger(tmp_path), date.fromisoformat(TODAY)
    steps = [edit_step(command, ledger, today) for command in rest]
    ledger.edit_all(force.slug, [(step.change, step.request) for step in steps], today=today)
    assert as_records(load(tmp_path / "forces" / path.name)) == as_records(force)

"""Bytes of a force file to a validated :class:`ForceFile` and every located problem in it.

This is the one reader: ``validate``, ``status``, the editing commands (on the would-be result of
an edit) and every report go through :func:`read_force`. It never raises for bad input; a
file that cannot be read comes back with ``force=None`` and its problems.
"""

from __future__ import annotations

import copy
import difflib
import functools
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic_core import ValidationError

from . import rules
from .problems import Path, PeelError, Problem, has_errors
from .schema.names import ID_PATTERN, ID_RULE, NOT_BLANK, SLUG_PATTERN, SLUG_RULE, URL_PATTERN
from .schema.records import ForceFile, keys_of, required_keys, validate
from .yamlsource import MAX_PROBLEMS, Ambiguous, Refused, YamlDocument, decode, parse

_PATTERN_MESSAGES = {
    NOT_BLANK: "must not be blank",
    ID_PATTERN: f"is not a valid id: {ID_RULE}",
    SLUG_PATTERN: f"is not a valid slug: {SLUG_RULE}",
    URL_PATTERN: "is not a web address: it must start with http:// or https://",
}


class ForceReading(NamedTuple):
    """What reading one file found: the force (when it could be built) and all problems."""

    name: str
    document: YamlDocument | None
    force: ForceFile | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.force is not None and not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def read_force(data: bytes, name: str, *, slug: str | None, today: date, keep: bool = True) -> ForceReading:
    """Parse, type-check and rule-check one force file; ``slug`` is what its file name says.

    The same bytes are checked once per process, whatever they are called (``assess`` reads its
    force and then every force for the precedents; a copied ledger holds the same files): the
    reading is kept under a placeholder name and each caller gets it under ``name``. A caller
    that reads each file once (``validate``) passes ``keep=False``: readings kept for nothing
    would only give the garbage collector more to look through, file after file."""
    if not keep:
        return _checked(data, slug, today, name)
    return _named(_kept(data, slug, today), name)


_UNNAMED = "\0unnamed"
"""The name a kept reading carries: no path holds a NUL character."""


def _checked(data: bytes, slug: str | None, today: date, name: str) -> ForceReading:
    try:
        text, bom = decode(data, name)
        document = parse(text, name, bom)
    except PeelError as exc:
        return ForceReading(name, None, None, exc.problems)
    return check_document(document, slug=slug, today=today)


@functools.lru_cache(maxsize=64)
def _kept(data: bytes, slug: str | None, today: date) -> ForceReading:
    reading = _checked(data, slug, today, _UNNAMED)
    if reading.document is not None:
        reading.document.drop_nodes()  # its problems are located: a kept reading need not hold the tree
    return reading


def _named(reading: ForceReading, name: str) -> ForceReading:
    document = reading.document
    if document is not None:
        document = copy.copy(document)
        document.name = name
        document.problems = [_renamed(p, name) for p in document.problems]
    return ForceReading(name, document, reading.force, [_renamed(p, name) for p in reading.problems])


def _renamed(problem: Problem, name: str) -> Problem:
    return problem._replace(file=name) if problem.file == _UNNAMED else problem


def read_record(data: bytes, name: str, root: str) -> tuple[Any, YamlDocument | None, list[Problem]]:
    """Parse and type-check a YAML file against another compiled root (``RegistryFile``,
    ``Policy``): the record (``None`` when it cannot be built), its document for locating
    further problems, and the located problems found so far."""
    record, document, problems = _read_record(data, name, root)
    return record, document, list(problems)


@functools.lru_cache(maxsize=16)
def _read_record(data: bytes, name: str, root: str) -> tuple[Any, YamlDocument | None, list[Problem]]:
    try:
        text, bom = decode(data, name)
        document = parse(text, name, bom)

    except PeelError as exc:
        return None, None, exc.problems
    problems = list(document.problems)
    if not isinstance(document.value, dict):
        return None, document, [*problems, Problem("expected a mapping of keys").at(name, 1, 1)]
    try:
        record = validate(root, document.value)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        return None, document, problems + [locate(document, p) for p in type_problems(errors, root)]
    return (None if has_errors(problems) else record), document, problems


def check_document(document: YamlDocument, *, slug: str | None, today: date) -> ForceReading:

    problems = list(document.problems)
    value = document.value
    if isinstance(value, Refused):  # a tag on the whole document, already reported
        return ForceReading(document.name, document, None, problems)
    if not isinstance(value, dict):
        found = "an empty file" if value is None else f"{_describe(value)}"
        problems.append(
            Problem(f"a force file is a mapping of keys (slug, name, phase_changes, ...), not {found}").at(
                document.name, 1, 1
            )
        )
        return ForceReading(document.name, document, None, _sorted(problems))
    force, pruned, found_type_problems = _validate(value)
    problems += [locate(document, p) for p in found_type_problems]
    if force is not None:
        problems += [locate(document, p) for p in rules.check_force(force, slug=slug, today=today, pruned=pruned)]
    # A force rebuilt from the entries that survived type errors is for the rules only.
    usable = None if found_type_problems else force
    return ForceReading(document.name, document, usable, _sorted(problems))


def _validate(value: dict) -> tuple[ForceFile | None, rules.Pruned, list[Problem]]:
    """Validate; on type errors, drop the broken entries and validate again, so that the
    cross-field rules can still report on everything else in the same run."""
    try:
        return validate("ForceFile", value), rules.NOTHING_PRUNED, []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems = type_problems(errors, "ForceFile")
    pruned_value, pruned = _prune(value, [tuple(err["loc"]) for err in errors])
    if pruned_value is None:
        return None, pruned, problems
    try:
        return validate("ForceFile", pruned_value), pruned, problems
    except ValidationError:
        return None, pruned, problems


def _prune(value: dict, locs: list[Path]) -> tuple[dict | None, rules.Pruned]:
    """A copy of ``value`` without each list entry that holds an error; ``None`` when an error
    sits in a required top-level key that cannot be dropped."""
    removals: dict[Path, set[int]] = {}
    top_level: set[str] = set()
    for loc in locs:
        last_index = max((i for i, step in enumerate(loc) if isinstance(step, int)), default=None)
        if last_index is None:
            top_level.add(str(loc[0]))
        else:
            removals.setdefault(loc[:last_index], set()).add(loc[last_index])
    if top_level & set(required_keys("ForceFile")) or top_level - set(keys_of("ForceFile")):
        return None, rules.NOTHING_PRUNED
    ids: set[str] = set()
    kept_indices: dict[Path, list[int]] = {}

    def copy(node: Any, path: Path) -> Any:
        if isinstance(node, dict):
            return {k: copy(v, (*path, k)) for k, v in node.items() if not (path == () and k in top_level)}
        if isinstance(node, list):
            drop = removals.get(path, set())
            kept = []
            for i, item in enumerate(node):
                if i in drop:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        ids.add(item["id"])
                    continue
                kept.append(copy(item, (*path, i)))
            if drop:
                kept_indices[path] = [i for i in range(len(node)) if i not in drop]
            return kept
        return node

    pruned_value = copy(value, ())
    lists = frozenset(removals) | {(key,) for key in top_level}
    return pruned_value, rules.Pruned(frozenset(ids), lists, kept_indices)


def type_problems(errors: list[dict], root: str) -> list[Problem]:
    """pydantic-core's errors as problems, without echoes of what the YAML reader refused and
    without 'missing' where an unknown key next to it is the same key misspelt."""
    misspelt: set[Path] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            for near in difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc[:-1], root), n=1, cutoff=0.6):
                misspelt.add((*loc[:-1], near))
    return [
        type_problem(err, root)
        for err in errors
        if not isinstance(err.get("input"), Refused)
        and not (err["type"] == "missing" and tuple(err["loc"]) in misspelt)
    ]


def type_problem(err: dict, root: str = "ForceFile") -> Problem:
    loc: Path = tuple(err["loc"])
    kind, given = err["type"], err.get("input")
    subject = _subject(loc)
    if kind == "missing":
        return Problem(f"missing required key {loc[-1]!r}", path=loc[:-1])
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc[:-1], root)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f": did you mean {close[0]!r}?" if close else f"; allowed here: {', '.join(allowed)}"
        return Problem(f"unknown key {key!r}{hint}", path=(*loc, "<key>"))
    if isinstance(given, Ambiguous):
        return Problem(f"{subject}: {_ambiguous_message(given, kind)}", path=loc)
    return Problem(f"{subject}: {_type_message(err, kind, given, loc)}", path=loc)


def _type_message(err: dict, kind: str, given: Any, loc: Path) -> str:
    ctx = err.get("ctx") or {}
    if kind == "string_type":
        if given is None:
            return "expected text, found nothing: write a value or remove the key"
        if isinstance(given, (int, Decimal)) and not isinstance(given, bool):
            return f"expected text, found the number {given}: quote it ('{given}') if it is text"
        return f"expected text, found {_describe(given)}"
    if kind == "bool_type":
        return f"expected true or false, found {_describe(given)}"
    if kind == "int_type":
        return f"expected a whole number, found {_describe(given)}"
    if kind == "list_type":
        return f"expected a list ('- item' lines or [a, b]), found {_describe(given)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys, found {_describe(given)}"
    if kind == "literal_error":
        return f"{given!r} is not one of {ctx.get('expected', '')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{given!r} {_PATTERN_MESSAGES.get(ctx.get('pattern'), 'has the wrong form')}"
    if kind == "too_short":
        if loc and loc[-1] == "sources":
            return "must cite at least one source id"
        return "must have at least one entry"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    return str(err.get("msg", "is not valid"))


def _ambiguous_message(given: Ambiguous, kind: str) -> str:
    if kind == "bool_type":
        return f"{given.text!r} is not a boolean here: write true or false"
    if kind in ("date_type", "date_syntax"):
        return f"{given.text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
    return (
        f"plain {given.text} is read by YAML as {given.reads_as}: quote it ({_quoted(given.text)}) if you mean the text"
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, Ambiguous):
        return repr(value.text)
    if isinstance(value, str) and len(value) > 40:
        return f"the text {' '.join(value.split())[:37]!r}..."
    return repr(value)


def _subject(loc: Path) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "file"


def _allowed_keys(loc: Path, root: str) -> list[str]:
    """The keys accepted at ``loc``, for 'did you mean' hints."""
    record: str | None = root
    for step in loc:
        if isinstance(step, int):
            continue
        record = keys_of(record).get(str(step), (None, None))[1]
        if record is None:
            return []
    return list(keys_of(record))


def locate(document: YamlDocument, problem: Problem) -> Problem:
    path = problem.path
    on_key = bool(path) and path[-1] == "<key>"
    if on_key:
        path = path[:-1]
    located = document.locate(problem._replace(path=path), key=on_key)
    if problem.see:
        _, node = document.node_at(problem.see)
        if node is not None:
            located = located._replace(message=f"{located.message} (see line {node.start_mark.line + 1})")
    return located


def _sorted(problems: list[Problem]) -> list[Problem]:
    """In file order; past a limit, a count instead of the rest (a hostile file's thousands of
    problems are no use to anyone, and would flood a CI log)."""
    problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    shown = problems[:MAX_PROBLEMS]
    more = Problem(f"... and {rest} more problems: fix those above first", file=shown[0].file)
    return [*shown, more]

"""The records every run works with, validated by pydantic-core from ``compiled.json``.

Code imports record types from here. For type checkers they are the pydantic models of
:mod:`.model`; at run time they are light immutable classes of the same names, fields and
values, filled in by pydantic-core from the committed core schema (see :mod:`peelcli.schema`
for why).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any


class Record:
    """An immutable record filled in by pydantic-core; compares by value."""

    __slots__ = ("__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(repr(v) for v in self.__dict__.values())))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


def replaced(record: Any, **values: Any) -> Any:
    """A copy of ``record`` with some fields given other values, unchecked: for the core to look
    at a record as an edit would leave it (a force without its later phase changes, say)."""
    copy = object.__new__(type(record))
    object.__setattr__(copy, "__dict__", {**record.__dict__, **values})
    for slot in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
        if hasattr(record, slot):
            object.__setattr__(copy, slot, getattr(record, slot))
    return copy


COMPILED = Path(__file__).with_name("compiled.json")


def _load() -> tuple[dict[str, type[Record]], dict[str, Any]]:
    """The record classes and the compiled data, with ``{"$record": name}`` and
    ``{"$function": name}`` turned back into what they name, in one pass of the JSON reader."""
    from .scalars import number, partial_date, web_address

    functions = {"partial_date": partial_date, "number": number, "web_address": web_address, "list": list}
    bases: dict[str, str | None] = {}
    classes: dict[str, type[Record]] = {}

    def record(name: str) -> type[Record]:
        if name not in classes:
            base = bases[name]
            parent = record(base) if base else Record
            classes[name] = type(name, (parent,), {"__slots__": (), "__module__": __name__})
        return classes[name]

    def revive(node: dict) -> Any:
        if len(node) == 1:
            if "$records" in node:  # listed first in the file: name -> base
                bases.update(node["$records"])
                return node["$records"]
            if "$record" in node:
                return record(node["$record"])
            if "$function" in node:
                return functions[node["$function"]]
        return node

    data = json.loads(COMPILED.read_text(encoding="utf-8"), object_hook=revive)
    return {name: record(name) for name in bases}, data


_CLASSES, _COMPILED = _load()

if TYPE_CHECKING:
    from .model import (
        AreaForImprovement,
        CauseOfConcern,
        ChiefOfficer,
        Closure,
        EntryPolicy,
        ForceFile,
        Inspection,
        Metric,
        Officeholder,
        Person,
        PhaseChange,
        PolicingBody,
        Policy,
        Recommendation,
        RecommendationsNotOnRecord,
        RegistryEntry,
        RegistryFile,
        RegistrySectors,
        ReportedDate,
        Resolution,
        ReturnPolicy,
        SectorEntryPolicy,
        SectorPolicy,
        SectorReturnPolicy,
        SectorSearch,
        Source,
        Threshold,
        Uncertainty,
    )
else:
    AreaForImprovement = _CLASSES["AreaForImprovement"]
    CauseOfConcern = _CLASSES["CauseOfConcern"]
    ChiefOfficer = _CLASSES["ChiefOfficer"]
    Closure = _CLASSES["Closure"]
    EntryPolicy = _CLASSES["EntryPolicy"]
    ForceFile = _CLASSES["ForceFile"]
    Inspection = _CLASSES["Inspection"]
    Metric = _CLASSES["Metric"]
    Officeholder = _CLASSES["Officeholder"]
    Person = _CLASSES["Person"]
    PhaseChange = _CLASSES["PhaseChange"]
    PolicingBody = _CLASSES["PolicingBody"]
    Policy = _CLASSES["Policy"]
    Recommendation = _CLASSES["Recommendation"]
    RecommendationsNotOnRecord = _CLASSES["RecommendationsNotOnRecord"]
    RegistryEntry = _CLASSES["RegistryEntry"]
    RegistryFile = _CLASSES["RegistryFile"]
    RegistrySectors = _CLASSES["RegistrySectors"]
    ReportedDate = _CLASSES["ReportedDate"]
    Resolution = _CLASSES["Resolution"]
    ReturnPolicy = _CLASSES["ReturnPolicy"]
    SectorEntryPolicy = _CLASSES["SectorEntryPolicy"]
    SectorPolicy = _CLASSES["SectorPolicy"]
    SectorReturnPolicy = _CLASSES["SectorReturnPolicy"]
    SectorSearch = _CLASSES["SectorSearch"]
    Source = _CLASSES["Source"]
    Threshold = _CLASSES["Threshold"]
    Uncertainty = _CLASSES["Uncertainty"]

_validators: dict[str, Any] = {}
_KEYS: dict[str, dict[str, tuple[str, str | None]]] = {
    record: {key: (attribute, inner) for key, (attribute, inner) in keys.items()}
    for record, keys in _COMPILED["keys"].items()
}
_NESTED = {record: tuple((key, attr) for key, (attr, inner) in keys.items() if inner) for record, keys in _KEYS.items()}
_DATES = {record: tuple(tuple(pair) for pair in pairs) for record, pairs in _COMPILED["dates"].items()}
_REQUIRED = {record: tuple(keys) for record, keys in _COMPILED["required"].items()}


def validate(root: str, value: Any) -> Any:
    """Validate plain values as a ``ForceFile``, ``RegistryFile`` or ``Policy``; raises
    pydantic-core's ``ValidationError`` with every problem."""
    validator = _validators.get(root)
    if validator is None:
        from pydantic_core import SchemaValidator

        validator = _validators[root] = SchemaValidator(_COMPILED["schemas"][root])
    return validator.validate_python(value)


def record_names() -> tuple[str, ...]:
    return tuple(_CLASSES)


def keys_of(record: str) -> dict[str, tuple[str, str | None]]:
    """YAML key to (attribute, record type of its value) for a record type, by name."""
    return _KEYS[record]


def nested_keys(record: str) -> tuple[tuple[str, str], ...]:
    """(YAML key, attribute) of the fields holding records or lists of records."""
    return _NESTED[record]


def required_keys(record: str) -> tuple[str, ...]:
    return _REQUIRED[record]


def date_keys(record: str) -> tuple[tuple[str, str], ...]:
    """(YAML key, attribute) of each date field of a record type."""
    return _DATES[record]

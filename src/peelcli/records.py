"""The force file's records at run time, validated by pydantic-core from the compiled schema.

Code imports record types from here. For type checkers they are the pydantic models of
:mod:`peelcli.model`; at run time they are the light classes of the compiled schema, with the
same names, fields and values (see :mod:`peelcli.modelgen` for why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .record import Record

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
        ReportedDate,
        Resolution,
        ReturnPolicy,
        Source,
        Threshold,
        Uncertainty,
    )
else:
    from ._model_compiled import (
        DATES,
        KEYS,
        REQUIRED,
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
        ReportedDate,
        Resolution,
        ReturnPolicy,
        Source,
        Threshold,
        Uncertainty,
    )

__all__ = [
    "AreaForImprovement",
    "CauseOfConcern",
    "ChiefOfficer",
    "Closure",
    "EntryPolicy",
    "ForceFile",
    "Inspection",
    "Metric",
    "Officeholder",
    "Person",
    "PhaseChange",
    "PolicingBody",
    "Policy",
    "Recommendation",
    "RecommendationsNotOnRecord",
    "Record",
    "RegistryEntry",
    "RegistryFile",
    "ReportedDate",
    "Resolution",
    "ReturnPolicy",
    "Source",
    "Threshold",
    "Uncertainty",
    "keys_of",
    "required_keys",
    "validate",
]

_validators: dict[str, Any] = {}


def validate(root: str, value: Any) -> Any:
    """Validate plain values as a ``ForceFile`` or ``RegistryFile``; raises pydantic-core's
    ``ValidationError`` with every problem."""
    validator = _validators.get(root)
    if validator is None:
        from pydantic_core import SchemaValidator

        from ._model_compiled import SCHEMAS

        validator = _validators[root] = SchemaValidator(SCHEMAS[root])
    return validator.validate_python(value)


def keys_of(record: str) -> dict[str, tuple[str, str | None]]:
    """YAML key to (attribute, record type of its value) for a record type, by name."""
    return KEYS[record]


def nested_keys(record: str) -> tuple[tuple[str, str], ...]:
    """(YAML key, attribute) of the fields holding records or lists of records."""
    found = _NESTED.get(record)
    if found is None:
        found = _NESTED[record] = tuple((key, attr) for key, (attr, inner) in KEYS[record].items() if inner)
    return found


def required_keys(record: str) -> tuple[str, ...]:
    return REQUIRED[record]


def date_keys(record: str) -> tuple[tuple[str, str], ...]:
    """(YAML key, attribute) of each date field of a record type."""
    return DATES[record]


_NESTED: dict[str, tuple[tuple[str, str], ...]] = {}

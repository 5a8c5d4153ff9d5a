"""The force file's records at run time, validated by pydantic-core from the compiled schema.

Code imports record types from here. For type checkers they are the pydantic models of
:mod:`peelcli.model`; at run time they are the light classes of the compiled schema, with the
same names, fields and values (see :mod:`peelcli.modelgen` for why).
"""

from __future__ import annotations

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
        ReturnPolicy,
        Source,
        Threshold,
        Uncertainty,
    )
else:
    from ._model_compiled import (
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
    from ._model_compiled import KEYS

    return KEYS[record]


def required_keys(record: str) -> tuple[str, ...]:
    from ._model_compiled import REQUIRED

    return REQUIRED[record]

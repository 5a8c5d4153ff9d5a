"""Validators for peel's own scalar types, shared by the pydantic models and the compiled schema.

Kept free of pydantic's heavy modules (only ``pydantic_core``), because the compiled schema
calls them on every run.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic_core import PydanticCustomError

from ..dates import DateSyntaxError, PartialDate


def partial_date(value: object) -> PartialDate:
    """YYYY-MM-DD, YYYY-MM or YYYY (as text, or a plain year number) to a PartialDate."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "expected a date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known")
    try:
        return PartialDate.parse(value)
    except DateSyntaxError as exc:
        raise PydanticCustomError("date_syntax", str(exc)) from None


def number(value: object) -> Decimal:
    """A plain number (5.5, 12) as an exact Decimal; never a boolean or text."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise PydanticCustomError("number_type", "expected a number such as 5.5")

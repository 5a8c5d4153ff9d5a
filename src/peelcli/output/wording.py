"""How peel words counts, spans and phases in every human-facing output: one place, one way."""

from __future__ import annotations


def plural(n: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 file``, ``2 files``, ``3 causes of concern`` (give ``plural_noun`` when adding an
    ``s`` to the noun is wrong)."""
    if n == 1:
        return f"{n:,} {noun}"
    return f"{n:,} {plural_noun or noun + 's'}"


def days_span(least: int, most: int) -> str:
    """A number of days, or the range when a date is known only to a month or a year."""
    least = max(least, 0)
    return plural(least, "day") if least == most else f"{least:,} to {most:,} days"


def phase_name(phase: str) -> str:
    return phase.capitalize()

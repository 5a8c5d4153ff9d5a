"""Deadline wordings as HMICFRS publishes them, and the due dates they imply.

"By 31 December 2023" fixes a date. "Within six months" and "immediately" count from when the
recommendation was made public (the cause's ``published_on``, else its ``raised_on``), so the
due date they imply is *derived* and shown as such, never written into the file as fact.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from .dates import LAST_DAY, MONTHS, DateSyntaxError, PartialDate, add_days, add_months

_NUMBERS = {
    word: n
    for n, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
}
_MONTHS = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
# [0-9], not \d: \d matches other scripts' digits too, and a wording is read in ASCII digits only.
_WITHIN = re.compile(r"\bwithin\s+([0-9]+|[a-z]+)\s+(day|week|month|year)s?\b")
_BY_DAY = re.compile(r"\bby\s+([0-9]{1,2})\s+([a-z]+)\s+([0-9]{4})\b")
_BY_MONTH = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?([a-z]+)\s+([0-9]{4})\b")
_BEYOND = 10**9
"""A count this large (or one of ten or more digits) runs past :data:`LAST_DAY` whatever it
counts; it is not converted, so no wording can make peel do arithmetic on a huge number."""
_IMMEDIATELY = re.compile(r"\bimmediately\b")
_LENGTH = re.compile(r"([0-9]+)\s*(d|days?|w|weeks?|m|mo|months?|y|years?)?")


class Deadline(NamedTuple):
    """A parsed wording: either a fixed date or an offset from publication."""

    fixed: PartialDate | None = None
    months: int = 0
    days: int = 0

    def due_from(self, anchor: PartialDate) -> tuple[date, date] | None:
        """Earliest and latest due day, counting from an anchor that may be partial; ``None``
        when the count runs past :data:`~peelcli.dates.LAST_DAY` (the validator refuses such a
        wording, see :func:`beyond_range`)."""
        if self.fixed is not None:
            return self.fixed.earliest, self.fixed.latest
        latest = self._shift(anchor.latest)
        return None if latest is None else (self._shift(anchor.earliest), latest)

    def _shift(self, day: date) -> date | None:
        shifted = add_months(day, self.months)
        return None if shifted is None else add_days(shifted, self.days)


def counted_from(cause) -> PartialDate:
    """Where a "within" deadline starts counting: the cause's publication, else when it was raised."""
    return cause.published_on or cause.raised_on


def beyond_range(wording: str | None, cause) -> str | None:
    """Why a recommendation's deadline wording cannot be reported (it counts past the last day
    peel's dates reach), or ``None``. What validates must report: the validator refuses what this
    names, and every report derives due dates with the same :meth:`Deadline.due_from`."""
    deadline = parse_deadline(wording)
    if deadline is None or deadline.due_from(counted_from(cause)) is not None:
        return None
    shown = wording if len(wording) <= 60 else wording[:57] + "..."
    return (
        f"the deadline {shown!r}, counted from {counted_from(cause)}, falls after {LAST_DAY.year}: "
        f"peel's dates end in {LAST_DAY.year}; check the wording"
    )


def parse_deadline(wording: str | None) -> Deadline | None:
    """The deadline a wording states, or ``None`` when it states none peel understands."""
    if not wording:
        return None
    text = " ".join(wording.lower().split())
    match = _BY_DAY.search(text)
    if match and match[2] in _MONTHS:
        return _fixed(f"{match[3]}-{_MONTHS[match[2]]:02d}-{int(match[1]):02d}")
    match = _BY_MONTH.search(text)
    if match and match[1] in _MONTHS:
        return _fixed(f"{match[2]}-{_MONTHS[match[1]]:02d}")
    match = _WITHIN.search(text)
    if match:
        count = _count(match[1]) if match[1].isdigit() else _NUMBERS.get(match[1])
        if count is None:
            return None
        unit = match[2]
        if unit == "year":
            return Deadline(months=12 * count)
        if unit == "month":
            return Deadline(months=count)
        return Deadline(days=count * (7 if unit == "week" else 1))
    if _IMMEDIATELY.search(text):
        return Deadline()
    return None


def parse_length(text: str) -> Deadline | None:
    """A length of time as people give one to a command: ``30`` (days), ``30d``, ``6 weeks``,
    ``3m`` or ``3 months``, ``1y``; ``None`` for anything else. The same arithmetic as a
    deadline's "within" (:meth:`Deadline.due_from`), so a period ends where a deadline would."""
    match = _LENGTH.fullmatch(" ".join(text.lower().split()))
    if match is None:
        return None
    count, unit = _count(match[1]), (match[2] or "d")[0]
    if unit == "y":
        return Deadline(months=12 * count)
    if unit == "m":
        return Deadline(months=count)
    return Deadline(days=count * (7 if unit == "w" else 1))


def _fixed(text: str) -> Deadline | None:
    """A wording's stated day or month, when it is one peel's dates can hold ("By 31 February
    2024" or "By December 0000" states none)."""
    try:
        return Deadline(fixed=PartialDate.parse(text))
    except DateSyntaxError:
        return None


def _count(digits: str) -> int:
    return int(digits) if len(digits) < 10 else _BEYOND

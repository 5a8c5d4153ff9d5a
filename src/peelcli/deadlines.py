"""Deadline wordings as HMICFRS publishes them, and the due dates they imply.

"By 31 December 2023" fixes a date. "Within six months" and "immediately" count from when the
recommendation was made public (the cause's ``published_on``, else its ``raised_on``), so the
due date they imply is *derived* and shown as such, never written into the file as fact.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from .dates import MONTHS, PartialDate, add_months

_NUMBERS = {
    word: n
    for n, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
}
_MONTHS = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
_WITHIN = re.compile(r"\bwithin\s+(\d+|[a-z]+)\s+(day|week|month|year)s?\b")
_BY_DAY = re.compile(r"\bby\s+(\d{1,2})\s+([a-z]+)\s+(\d{4})\b")
_BY_MONTH = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?([a-z]+)\s+(\d{4})\b")
_IMMEDIATELY = re.compile(r"\bimmediately\b")


class Deadline(NamedTuple):
    """A parsed wording: either a fixed date or an offset from publication."""

    fixed: PartialDate | None = None
    months: int = 0
    days: int = 0

    def due_from(self, anchor: PartialDate) -> tuple[date, date]:
        """Earliest and latest due day, counting from an anchor that may be partial."""
        if self.fixed is not None:
            return self.fixed.earliest, self.fixed.latest
        return self._shift(anchor.earliest), self._shift(anchor.latest)

    def _shift(self, day: date) -> date:
        return add_months(day, self.months) + timedelta(days=self.days)


def parse_deadline(wording: str | None) -> Deadline | None:
    """The deadline a wording states, or ``None`` when it states none peel understands."""
    if not wording:
        return None
    text = " ".join(wording.lower().split())
    match = _BY_DAY.search(text)
    if match and match[2] in _MONTHS:
        try:
            return Deadline(fixed=PartialDate.parse(f"{match[3]}-{_MONTHS[match[2]]:02d}-{int(match[1]):02d}"))
        except ValueError:
            return None
    match = _BY_MONTH.search(text)
    if match and match[1] in _MONTHS:
        return Deadline(fixed=PartialDate.month(int(match[2]), _MONTHS[match[1]]))
    match = _WITHIN.search(text)
    if match:
        count = int(match[1]) if match[1].isdigit() else _NUMBERS.get(match[1])
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

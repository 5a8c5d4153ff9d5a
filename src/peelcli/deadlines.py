"""Deadline wordings as HMICFRS publishes them, and the due dates they imply.

"By 31 December 2023" fixes a date. "Within six months" and "immediately" count from when the
recommendation was made public (the cause's ``published_on``, else its ``raised_on``), so the
due date they imply is *derived* and shown as such, never written into the file as fact.

A wording peel cannot read ("By Decmber 2024", "Within -3 months") would leave a recommendation
that is never overdue; :func:`deadline_problems` says so, with why, for ``peel validate`` and the
editing commands alike.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import NamedTuple

from .dates import FIRST_DAY, LAST_DAY, MONTHS, DateSyntaxError, PartialDate, add_days, add_months

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBERS = {word: n for n, word in enumerate(_UNITS)} | _TENS | {"a": 1, "an": 1}
_MONTHS = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
# [0-9], not \d: \d matches other scripts' digits too, and a wording is read in ASCII digits only.
# ASCII case-folding only: with Unicode folding [a-z] would also match the Kelvin sign.
_FLAGS = re.IGNORECASE | re.ASCII
_BY = re.compile(
    r"\bby\s+(?:the\s+end\s+of\s+)?(?:(?P<day>[0-9]+)(?:st|nd|rd|th)?\s+)?(?P<month>[a-z]+)\s+(?P<year>[0-9]+)\b",
    _FLAGS,
)
_BY_YEAR = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?(?P<year>[0-9]{4})\b", _FLAGS)
_WITHIN = re.compile(
    r"\bwithin\s+(?P<count>[-+]?[0-9][0-9.,]*|[a-z]+(?:[- ][a-z]+)?)\s+(?P<unit>day|week|month|year)s?\b", _FLAGS
)
_IMMEDIATE = re.compile(r"\bimmediate(?:ly)?\b", _FLAGS)
_BEYOND = 10**9
"""A count this large (or one of ten or more digits) runs past :data:`LAST_DAY` whatever it
counts; it is not converted, so no wording can make peel do arithmetic on a huge number."""
UNDERSTOOD = (
    "By 31 December 2024",
    "By 31st December 2024",
    "By December 2024",
    "By the end of December 2024",
    "By 2024",
    "Within six months",
    "Within 28 days",
    "Within two weeks",
    "Within a year",
    "immediately",
    "take immediate steps",
)
"""Examples of every form of wording peel reads (docs/ci.md lists them)."""
FIX_IN_FILE = "or add the date the record fixes as due: YYYY-MM-DD (or YYYY-MM)"
FIX_BY_COMMAND = "or give the date the record fixes with --due DATE"
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


class Reading(NamedTuple):
    """What peel made of a wording: the deadline, or why it could read none (``None`` for no
    wording at all)."""

    deadline: Deadline | None
    unread: str | None = None


def parse_deadline(wording: str | None) -> Deadline | None:
    """The deadline a wording states, or ``None`` when it states none peel understands."""
    return read_deadline(wording).deadline


def read_deadline(wording: str | None) -> Reading:
    """Read a wording as HMICFRS publishes it: "By 31 December 2024", "By December 2024", "By the
    end of 2024", "Within six months", "immediately", "take immediate steps" (see
    :data:`UNDERSTOOD`). A phrase that looks like one of these but cannot be read ("By Decmber
    2024", "By 30 February 2024", "Within -3 months") says why, and so does a wording with none."""
    if not wording:
        return Reading(None)
    text = " ".join(wording.split())
    for match in _BY.finditer(text):
        if _month_like(match["month"].lower()):
            return _by(match)
    match = _BY_YEAR.search(text)
    if match:
        return _fixed(match["year"], match["year"])
    match = _WITHIN.search(text)
    if match:
        return _within(match["count"], match["unit"].lower())
    if _IMMEDIATE.search(text):
        return Reading(Deadline())
    return Reading(None, "it states no date or period peel reads")


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


def _month_like(word: str) -> bool:
    """A month's name, or a slip of one ("Decmber", "Smarch"): "by Annex 2" is no date."""
    return word in _MONTHS or bool(difflib.get_close_matches(word, _MONTHS, n=1, cutoff=0.7))


def _by(match: re.Match) -> Reading:
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        (near,) = difflib.get_close_matches(match["month"].lower(), _MONTHS, n=1, cutoff=0.7)
        return Reading(None, f"{match['month']!r} is not the name of a month (did you mean {near.capitalize()}?)")
    year = match["year"]
    if match["day"] is None:
        return _fixed(f"{year}-{month:02d}", year)
    if len(match["day"]) > 2:
        return Reading(None, f"{match['day']} is not a day of a month")
    return _fixed(f"{year}-{month:02d}-{int(match['day']):02d}", year)


def _fixed(text: str, year: str) -> Reading:
    """A wording's stated day, month or year, when it is one peel's dates can hold ("By 30
    February 2024" or "By December 0000" states none, and says why)."""
    if len(year) != 4:
        return Reading(None, f"the year {year} is not written with four digits")
    if not FIRST_DAY.year <= int(year) <= LAST_DAY.year:
        return Reading(
            None, f"the year {year} is outside the years peel's dates cover ({FIRST_DAY.year}-{LAST_DAY.year})"
        )
    try:
        return Reading(Deadline(fixed=PartialDate.parse(text)))
    except DateSyntaxError as exc:
        why = str(exc).partition(": ")[2] or str(exc)
        return Reading(None, why)


def _within(count_text: str, unit: str) -> Reading:
    count = _count(count_text)
    if isinstance(count, str):
        return Reading(None, count)
    if unit == "year":
        return Reading(Deadline(months=12 * count))
    if unit == "month":
        return Reading(Deadline(months=count))
    return Reading(Deadline(days=count * (7 if unit == "week" else 1)))


def _count(text: str) -> int | str:
    """A count in figures or in words (up to ninety-nine), or why it is none."""
    if text.isdigit():
        return int(text) if len(text) < 10 else _BEYOND
    if text[0] in "+-":
        return f"{text} is not a count of days, weeks, months or years (a count is 0 or more)"
    if text[0].isdigit():
        return f"{text} is not a count peel reads (write a whole number in plain figures: 18)"
    words = text.lower().replace("-", " ").split()
    values = [_NUMBERS.get(word) for word in words]
    if None in values or (len(values) == 2 and not (values[0] in _TENS.values() and 0 < values[1] < 10)):
        return f"{text!r} is not a number peel reads (write it in figures: Within 18 months)"
    return sum(values)


def deadline_problems(deadline: str | None, due: PartialDate | None, cause, *, fix: str = FIX_IN_FILE) -> list:
    """What is wrong with a recommendation's ``deadline`` and ``due``, as problems at the key
    (``("deadline",)`` or ``("due",)``) they are about: a wording peel cannot read (a warning:
    the recommendation could never be overdue), a due date past the dates peel counts to or
    disagreeing with the wording (errors), and a due date before the cause was raised (a
    warning). ``fix`` says how to give ``due`` where the message is read (a file, a command).
    One function for ``peel validate`` and the editing commands, so both say the same."""
    from .problems import error, warning

    problems = []
    reading = read_deadline(deadline)
    if due is not None:
        stated = reading.deadline
        if stated is not None and stated.fixed is not None and due != stated.fixed:
            problems.append(error(f"due {due} disagrees with the deadline {deadline!r}", ("due",)))
        if due.surely_before(cause.raised_on):
            problems.append(warning(f"due {due}, before the cause was raised ({cause.raised_on})", ("due",)))
        return problems
    if deadline is None:
        return problems
    shown = _shown(deadline)
    if reading.unread is not None:
        problems.append(
            warning(
                f"peel cannot read the deadline {shown!r}: {reading.unread}, so it can never be overdue; write it "
                f"as peel reads it (By 31 December 2024, By December 2024, Within six months, immediately), {fix}",
                ("deadline",),
            )
        )
        return problems
    if reading.deadline is None:
        return problems
    anchor = counted_from(cause)
    days = reading.deadline.due_from(anchor)
    if days is None:
        problems.append(
            error(
                f"the deadline {shown!r}, counted from {anchor}, falls after {LAST_DAY.year}: "
                f"peel's dates end in {LAST_DAY.year}; check the wording",
                ("deadline",),
            )
        )
    elif days[1] < cause.raised_on.earliest:
        due_text = reading.deadline.fixed or _span(days)
        problems.append(
            warning(
                f"the deadline {shown!r} is due {due_text}, before the cause was raised ({cause.raised_on})",
                ("deadline",),
            )
        )
    return problems


def beyond_range(wording: str | None, cause) -> str | None:
    """Why a recommendation's deadline wording cannot be reported (it counts past the last day
    peel's dates reach), or ``None``. What validates must report: the validator refuses what this
    names, and every report derives due dates with the same :meth:`Deadline.due_from`."""
    found = [p.message for p in deadline_problems(wording, None, cause) if p.is_error]
    return found[0] if found else None


def _shown(wording: str) -> str:
    return wording if len(wording) <= 60 else wording[:57] + "..."


def _span(days: tuple[date, date]) -> PartialDate:
    return PartialDate(*days)

"""Dates the public record gives to the day, the month ("December 2021") or only the year.

A partial date is an interval of days. Comparisons are honest: ``a`` is only *surely
before* ``b`` when every day ``a`` could be precedes every day ``b`` could be, and an event
has only *surely happened* by a day when its latest possible day is on or before it.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

# [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٤"), which int() reads as numbers.
_ISO = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The days peel's dates may name: a year outside 1900-2999 is a typing slip, not a record."""
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""Month names as HMICFRS's letters write them."""


class DateSyntaxError(ValueError):
    """A date that is not YYYY-MM-DD, YYYY-MM or YYYY, or not a real day."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A day, a month, a year, or an ISO 8601 interval of them ("2022-01-17/2022-02-11": some
    day in that span). Two dates are equal when they cover the same days."""

    earliest: date
    latest: date

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        if not isinstance(text, str):
            raise DateSyntaxError(f"{text!r} is not a date")
        return _parse(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        if "/" in text:
            start, _, end = text.strip().partition("/")
            first, last = cls._one(start, text), cls._one(end, text)
            if last.latest < first.earliest:
                raise DateSyntaxError(f"{text!r}: the interval ends before it starts")
            return cls(first.earliest, last.latest)
        return cls._one(text, text)

    @classmethod
    def _one(cls, part: str, text: str) -> PartialDate:
        match = _ISO.fullmatch(part.strip())
        if match is None and not part.strip().isascii():
            raise DateSyntaxError(
                f"{text!r} is not a date: write it with the digits 0-9 as YYYY-MM-DD, YYYY-MM or YYYY"
            )
        if match is None:
            raise DateSyntaxError(
                f"{text!r} is not a date: write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or "
                "year is known (START/END for a span)"
            )
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            raise DateSyntaxError(f"{text!r}: year {year} is out of range ({FIRST_DAY.year}-{LAST_DAY.year})")
        if month is not None and not 1 <= month <= 12:
            raise DateSyntaxError(f"{text!r}: month {month} does not exist")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateSyntaxError(f"{text!r}: {MONTHS[month - 1]} {year} has no day {day}")
        if day is not None:
            return cls.of(date(year, month, day))
        if month is not None:
            return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day, day)

    @classmethod
    def month(cls, year: int, month: int) -> PartialDate:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def precision(self) -> str:
        if self.earliest == self.latest:
            return "day"
        if self._is_month():
            return "month"
        if self._is_year():
            return "year"
        return "interval"

    def _is_month(self) -> bool:
        return (
            self.earliest.day == 1
            and (self.earliest.year, self.earliest.month) == (self.latest.year, self.latest.month)
            and self.latest.day == calendar.monthrange(self.latest.year, self.latest.month)[1]
        )

    def _is_year(self) -> bool:
        return self.earliest == date(self.earliest.year, 1, 1) and self.latest == date(self.earliest.year, 12, 31)

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest

    def surely_by(self, day: date) -> bool:
        """Every day this could be is on or before ``day``."""
        return self.latest <= day

    def possibly_by(self, day: date) -> bool:
        return self.earliest <= day

    def surely_before(self, other: PartialDate) -> bool:
        return self.latest < other.earliest

    def sort_key(self) -> tuple[date, date]:
        return (self.earliest, self.latest)

    def __str__(self) -> str:
        precision = self.precision
        if precision == "day":
            return self.earliest.isoformat()
        if precision == "month":
            return self.earliest.isoformat()[:7]
        if precision == "year":
            return str(self.earliest.year)
        return f"{_compact(self.earliest, start=True)}/{_compact(self.latest, start=False)}"

    def human(self) -> str:
        """The way a letter writes it: 18 September 2024, September 2024, 2024."""
        precision = self.precision
        if precision == "day":
            return f"{self.earliest.day} {MONTHS[self.earliest.month - 1]} {self.earliest.year}"
        if precision == "month":
            return f"{MONTHS[self.earliest.month - 1]} {self.earliest.year}"
        if precision == "year":
            return str(self.earliest.year)
        return f"between {PartialDate.of(self.earliest).human()} and {PartialDate.of(self.latest).human()}"


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> PartialDate:
    """Parsing is pure and a ledger repeats its dates: each text is parsed once a run."""
    return PartialDate._parse(text)


def _compact(day: date, *, start: bool) -> str:
    """The shortest ISO text for an interval end: a whole month or year is written as such."""
    last = calendar.monthrange(day.year, day.month)[1]
    if (start and day.day == 1 and day.month == 1) or (not start and day.month == 12 and day.day == 31):
        return str(day.year)
    if (start and day.day == 1) or (not start and day.day == last):
        return day.isoformat()[:7]
    return day.isoformat()


def parse_day(text: str) -> date:
    """A full calendar day, for options such as ``--as-of`` that need one."""
    parsed = PartialDate.parse(text)
    if not parsed.is_exact:
        raise DateSyntaxError(f"{text!r} is not a full date: write YYYY-MM-DD")
    return parsed.earliest


def add_months(day: date, months: int) -> date | None:
    """Same day-of-month ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb);
    ``None`` past :data:`LAST_DAY`, where no date peel handles lies."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > LAST_DAY.year:
        return None
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date | None:
    """``days`` later, or ``None`` past :data:`LAST_DAY` (never an overflow, however many)."""
    if days > (LAST_DAY - day).days:
        return None
    return day + timedelta(days=days)


def today() -> date:
    """Today, or the day pinned by ``PEEL_TODAY`` (reproducible reports, golden tests)."""
    import os

    pinned = os.environ.get("PEEL_TODAY")
    return parse_day(pinned) if pinned else date.today()

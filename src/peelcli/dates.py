"""Dates the public record gives to the day, the month ("December 2021") or only the year.

A partial date is an interval of days. Comparisons are honest: ``a`` is only *surely
before* ``b`` when every day ``a`` could be precedes every day ``b`` could be, and an event
has only *surely happened* by a day when its latest possible day is on or before it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_MONTHS = [
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
]


class DateSyntaxError(ValueError):
    """A date that is not YYYY-MM-DD, YYYY-MM or YYYY, or not a real day."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _ISO.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise DateSyntaxError(
                f"{text!r} is not a date: write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known"
            )
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if not 1900 <= year <= 2999:
            raise DateSyntaxError(f"{text!r}: year {year} is out of range (1900-2999)")
        if month is not None and not 1 <= month <= 12:
            raise DateSyntaxError(f"{text!r}: month {month} does not exist")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateSyntaxError(f"{text!r}: {_MONTHS[month - 1]} {year} has no day {day}")
        return cls(year, month, day)

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def is_exact(self) -> bool:
        return self.day is not None

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        if self.day is not None:
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def surely_by(self, day: date) -> bool:
        """Every day this could be is on or before ``day``."""
        return self.latest <= day

    def possibly_by(self, day: date) -> bool:
        return self.earliest <= day

    def surely_before(self, other: PartialDate) -> bool:
        return self.latest < other.earliest

    def surely_after(self, other: PartialDate) -> bool:
        return self.earliest > other.latest

    def sort_key(self) -> tuple[date, date]:
        return (self.earliest, self.latest)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """The way a letter writes it: 18 September 2024, September 2024, 2024."""
        if self.day is not None:
            return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        if self.month is not None:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)


def parse_day(text: str) -> date:
    """A full calendar day, for options such as ``--as-of`` that need one."""
    parsed = PartialDate.parse(text)
    if not parsed.is_exact:
        raise DateSyntaxError(f"{text!r} is not a full date: write YYYY-MM-DD")
    return parsed.earliest


def days_between(start: date, end: date) -> int:
    return (end - start).days


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_weeks(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def today() -> date:
    """Today, or the day pinned by ``PEEL_TODAY`` (reproducible reports, golden tests)."""
    import os

    pinned = os.environ.get("PEEL_TODAY")
    return parse_day(pinned) if pinned else date.today()

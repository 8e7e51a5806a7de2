"""Dates with their precision (METHODOLOGY §2): a month-only date stays month-precise; no day is invented."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Precision", "PartialDate"]

Precision = Literal["day", "month", "year"]
_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date known to the day, the month or the year. Orders by its first possible day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range")
        if self.day is not None:
            assert self.month is not None
            if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                raise ValueError(f"day {self.day} is out of range for {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (ISO 8601, also with one-digit month or day)."""
        match = _ISO.match(text)
        if not match:
            raise ValueError(f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def start(self) -> dt.date:
        """The first day this date can be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """The last day this date can be."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

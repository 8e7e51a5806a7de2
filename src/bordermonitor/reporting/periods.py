"""The period a report covers: a calendar month or a calendar year, and the periods it is compared with."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from babel.dates import format_date, format_skeleton

__all__ = ["Kind", "Period"]

Kind = Literal["monthly", "annual"]
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class Period:
    """A whole month (``monthly``) or a whole year (``annual``), by incident date."""

    kind: Kind
    year: int
    month: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if (self.kind == "monthly") != (self.month is not None):
            raise ValueError("a monthly period has a month, an annual one has none")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range")

    @classmethod
    def parse(cls, kind: Kind, text: str) -> Period:
        """``Period.parse("monthly", "2019-05")``, ``Period.parse("annual", "2019")``; ``ValueError`` says what
        was expected."""
        text = text.strip()
        if kind == "monthly":
            match = _MONTH.fullmatch(text)
            if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
                raise ValueError(f"{text!r} is not a month (YYYY-MM, e.g. 2019-05)")
            return cls("monthly", int(match.group(1)), int(match.group(2)))
        if not _YEAR.fullmatch(text) or int(text) < 1:
            raise ValueError(f"{text!r} is not a year (YYYY, e.g. 2019)")
        return cls("annual", int(text))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def token(self) -> str:
        """``2019-05`` or ``2019``: how the period is written in commands and file names."""
        return f"{self.year:04d}-{self.month:02d}" if self.month is not None else f"{self.year:04d}"

    def previous(self) -> Period | None:
        """The month (or year) before; None before year 1."""
        if self.month is None:
            return Period("annual", self.year - 1) if self.year > 1 else None
        if self.month > 1:
            return Period("monthly", self.year, self.month - 1)
        return Period("monthly", self.year - 1, 12) if self.year > 1 else None

    def year_before(self) -> Period | None:
        """The same month of the year before (a monthly report's second comparison); None for a year."""
        if self.month is None or self.year <= 1:
            return None
        return Period("monthly", self.year - 1, self.month)

    def months(self) -> list[Period]:
        """The months of the period, in order."""
        if self.month is not None:
            return [self]
        return [Period("monthly", self.year, month) for month in range(1, 13)]

    def label(self, language: str) -> str:
        """``May 2019`` / ``mai 2019`` / ``2019`` in ``language``, month names from Babel."""
        if self.month is None:
            return format_skeleton("y", self.start, locale=_locale(language))
        return format_skeleton("yMMMM", self.start, locale=_locale(language))

    def month_name(self, language: str) -> str:
        """The month alone (``May``), standalone form, for the months of an annual report."""
        return format_date(self.start, "LLLL", locale=_locale(language))


def _locale(language: str) -> str:
    return language.replace("-", "_")

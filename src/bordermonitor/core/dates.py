"""Dates with their precision (METHODOLOGY §2): a month-only date stays month-precise; no day is invented."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

from babel.dates import get_day_names, get_month_names

from bordermonitor.core.counts import is_unknown_text

__all__ = ["PartialDate", "Precision", "canonical_date", "month_number", "parse_loose_date"]

Precision = Literal["day", "month", "year"]
_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the day, the month or the year (compare by ``start`` or ``end``)."""

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
        if self.day is not None and self.month is not None:  # a day without a month was refused above
            if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                raise ValueError(f"day {self.day} is out of range for {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (ISO 8601, also with one-digit month or day)."""
        if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the canonical YYYY-MM-DD: the common case
            try:
                exact = dt.date.fromisoformat(text)
            except ValueError:
                pass
            else:
                return cls(exact.year, exact.month, exact.day)
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


# --- Loose dates as sources write them ------------------------------------------------------------------

# Languages whose month and weekday names are read (from the CLDR data shipped with babel): English, the
# languages of the organisations of the network and of the people they interview.
_NAME_LOCALES = ("en", "fr", "de", "es", "it", "hr", "bs", "sr_Latn", "sl", "tr", "ar", "fa")


def canonical_date(text: str) -> str:
    """``text`` as a canonical date string (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); ``ValueError`` if it is
    none. Dates already written canonically (what exports and forms produce) take a short path."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return text
    elif len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        if 1 <= int(text[5:]) <= 12 and text[:4] != "0000":
            return text
    elif len(text) == 4 and text.isdigit() and text != "0000":
        return text
    return str(PartialDate.parse(text))


def _fold(text: str) -> str:
    """Case-, accent- and trailing-dot-insensitive form of a word: ``Févr.`` → ``fevr``."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().rstrip(".")


def _names(kind: Literal["months", "days"]) -> dict[str, int]:
    """Folded name → number, for wide and abbreviated names in every locale of ``_NAME_LOCALES``.

    A name that means two different things in two languages would be dropped; none does today.
    """
    found: dict[str, set[int]] = {}
    read = get_month_names if kind == "months" else get_day_names
    for locale in _NAME_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in read(width, context, locale=locale).items():
                    found.setdefault(_fold(name), set()).add(int(number))
    return {name: next(iter(numbers)) for name, numbers in found.items() if len(numbers) == 1}


@cache
def _months() -> dict[str, int]:
    months = _names("months")
    months.update({"sept": 9, "sep": 9})  # the English "Sept." next to CLDR's "Sep"
    return months


@cache
def _weekdays() -> frozenset[str]:
    return frozenset(_names("days")) | {"tues", "thur", "thurs"}


def month_number(name: str) -> int | None:
    """The month a name means, or ``None``: ``"January"``, ``"jan"``, ``"Jan."``, ``"Sept"``, ``"janvier"``,
    ``"Juni"``, ``"siječanj"``, ``"ژانویه"`` → 1..12 (English, French, German, Spanish, Italian,
    Bosnian/Croatian/Serbian, Slovenian, Turkish, Arabic and Farsi names, case- and accent-insensitive)."""
    return _months().get(_fold(name))


_TIME = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?"
)
_WITH_TIME = re.compile(rf"^(?P<date>.+?)(?:(?:\s*-\s*|\s*,\s*|\s+at\s+|t|\s+){_TIME.pattern})?$")
_YEAR_FIRST = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_WORD = r"[^\W\d_]+\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|e|\.)?"
_DAY_MONTH_YEAR = re.compile(rf"^{_DAY}[\s/-]*(?:of\s+)?({_WORD})[\s/.-]*(\d{{4}})$")
_MONTH_DAY_YEAR = re.compile(rf"^({_WORD})[\s/-]*{_DAY}[\s,/-]*(\d{{4}})$")
_MONTH_YEAR_WORD = re.compile(rf"^({_WORD})[\s,/-]*(\d{{4}})$")
_YEAR_MONTH_DAY = re.compile(rf"^(\d{{4}})[\s,/-]*({_WORD})(?:[\s/-]*{_DAY})?$")
_EXPECTED = "a date such as 2019-06-08, 2019-06, 2019, June 8, 2019, 8 June 2019 or 08/06/2019"


def _clock(match: re.Match[str], original: str) -> str | None:
    """``HH:MM`` from a matched time, or ``None`` for midnight exactly (a date-only value's artefact)."""
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{original!r}: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{original!r} has no such time of day")
    if hour == minute == second == 0:
        return None
    return f"{hour:02d}:{minute:02d}"


def _month(word: str, original: str) -> int:
    number = month_number(word)
    if number is None:
        raise ValueError(f"{original!r}: {word!r} is not a month")
    return number


def _make(year: int | str, month: int | str | None, day: int | str | None, original: str) -> PartialDate:
    try:
        return PartialDate(int(year), int(month) if month else None, int(day) if day else None)
    except ValueError as exc:
        raise ValueError(f"{original!r} is not a possible date: {exc}") from exc


def _date(body: str, order: Literal["ymd", "mdy", "dmy"], original: str) -> PartialDate:
    if match := _YEAR_FIRST.match(body):
        return _make(match[1], match[2], match[3], original)
    if match := _YEAR_LAST.match(body):
        first, _, second, year = match.groups()
        if order == "ymd":
            raise ValueError(
                f"{original!r} could be day/month or month/day; the file's date order (dmy or mdy) is needed"
            )
        month, day = (first, second) if order == "mdy" else (second, first)
        return _make(year, month, day, original)
    if match := _MONTH_YEAR.match(body):
        return _make(match[2], match[1], None, original)
    if match := _DAY_MONTH_YEAR.match(body):
        return _make(match[3], _month(match[2], original), match[1], original)
    if match := _MONTH_DAY_YEAR.match(body):
        return _make(match[3], _month(match[1], original), match[2], original)
    if match := _MONTH_YEAR_WORD.match(body):
        return _make(match[2], _month(match[1], original), None, original)
    if match := _YEAR_MONTH_DAY.match(body):
        return _make(match[1], _month(match[2], original), match[3], original)
    raise ValueError(f"{original!r} is not {_EXPECTED}")


def _without_weekday(text: str) -> str:
    """``"thu, 06/08/2019"`` → ``"06/08/2019"``; the weekday is dropped, not checked."""
    match = re.match(r"^([^\W\d_]+)\.?,?\s+(?=\d|[^\W\d_])", text)
    if match and _fold(match[1]) in _weekdays() and month_number(match[1]) is None:
        return text[match.end() :]
    return text


def parse_loose_date(
    text: str | None, *, order: Literal["ymd", "mdy", "dmy"] = "ymd"
) -> tuple[PartialDate | None, str | None]:
    """A date (and time) as a source writes it: returns ``(date, "HH:MM" or None)``.

    Accepted: ``"2019-06-08"``, ``"2019-06-08 14:30:00"`` (also with ``T``, seconds, ``am``/``pm`` or a UTC
    offset, which is not applied: the time is kept as written), ``"2019-06"``, ``"2019"``, ``"June 8, 2019"``,
    ``"8 June 2019"``, ``"8th of June 2019"``, ``"June 2019"``, ``"06/2019"``, a leading weekday
    (``"Thu, 06/08/2019 - 12:00"``), and month names in the languages of :func:`month_number`.

    A time of exactly midnight (``00:00`` or ``00:00:00``) is what date-only values become in exports, so it
    is read as "no time". Day and month in digits before the year (``06/08/2019``, ``06.08.2019``) are read
    in ``order`` (``"mdy"`` or ``"dmy"``); with the default ``"ymd"`` they are refused as ambiguous. A
    four-digit year first is always year-month-day. Empty or unknown → ``(None, None)``.

    Raises :class:`ValueError` quoting the text for anything else, for impossible dates (2019-02-30) and for a
    time given with a date less precise than a day.
    """
    if text is None or is_unknown_text(text):
        return None, None
    body = _without_weekday(" ".join(text.casefold().split()))
    match = _WITH_TIME.match(body)
    if match is None:  # pragma: no cover - the date group matches any non-empty text
        raise ValueError(f"{text!r} is not {_EXPECTED}")
    date = _date(match["date"].strip(" ,-"), order, text)
    clock = _clock(match, text) if match["h"] else None
    if match["h"] and date.precision != "day":
        raise ValueError(f"{text!r} gives a time of day for a date without a day")
    return date, clock

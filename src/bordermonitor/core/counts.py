"""Counts, ranges of counts and yes/no/unknown answers as sources write them (METHODOLOGY §2).

Unknown stays unknown: an empty cell, ``unknown``, ``n/a`` and the like are ``None`` (or ``"unknown"`` for a
yes/no question), never 0 or ``"no"``. Anything that is neither a number nor a way of saying "unknown"
(``many``, ``-3``, ``dozens``) raises :class:`ValueError` quoting the text, so the importer can keep the
text verbatim and flag the field for review instead of guessing.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["UNKNOWN_WORDS", "is_unknown_text", "parse_count", "parse_count_range", "parse_tri"]

# Ways sources say "we do not know" (compared case-insensitively, whitespace collapsed, trailing dots
# ignored). "none", "nan" and "null" are here because they are what spreadsheets and scripts write for a
# missing value; a source that means zero writes 0.
UNKNOWN_WORDS: frozenset[str] = frozenset(
    {
        "",
        "unknown",
        "unkown",
        "unknwon",
        "unknow",
        "unk",
        "not known",
        "n/a",
        "n.a",
        "na",
        "nk",
        "nan",
        "null",
        "nil",
        "none",
        "not specified",
        "unspecified",
        "not stated",
        "no information",
        "no info",
        "no data",
        "unclear",
        "not clear",
        "inconnu",
        "inconnue",
        "non connu",
        "desconocido",
        "nepoznato",
        "غير معروف",
        "مجهول",
        "نامعلوم",
        "نامشخص",
    }
)
# Text made only of these characters ("-", "--", "?", "/", "...") is a placeholder for "unknown".
_PLACEHOLDER = re.compile(r"^[\s\-–—?/._*]*$")


def is_unknown_text(text: str | None) -> bool:
    """True when ``text`` says nothing is known: ``None``, empty, ``unknown``, ``n/a``, ``-``, ``?``...

    Shared by every parser of this package so that all fields read "unknown" the same way.

    >>> is_unknown_text(" N/A "), is_unknown_text("8")
    (True, False)
    """
    if text is None:
        return True
    folded = " ".join(text.casefold().split())
    return folded in UNKNOWN_WORDS or folded.rstrip(".") in UNKNOWN_WORDS or bool(_PLACEHOLDER.match(folded))


_NUMBER = re.compile(r"^(\d+)(?:\.0*)?$")  # 8, 8.0
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")  # 1,000: a comma before three digits groups thousands


def _whole(text: str) -> int | None:
    """A whole number 0 or more written with digits, or ``None`` when ``text`` is not one."""
    if match := _NUMBER.match(text):
        return int(match.group(1))
    if _GROUPED.match(text):
        return int(text.replace(",", ""))
    return None


def _not_a_count(text: str, what: str) -> ValueError:
    if re.match(r"^\s*[-−]\s*\d", text):
        return ValueError(f"{text!r} is negative; a count is 0 or more, or unknown")
    if re.match(r"^\s*\d+[.,]\d+\s*$", text):
        return ValueError(f"{text!r} is not a whole number")
    return ValueError(f"{text!r} is not {what}")


def parse_count(text: str | None) -> int | None:
    """A number of people or things: ``"8"``, ``" 8 "``, ``"8.0"`` → 8; empty or unknown → ``None``.

    Raises :class:`ValueError` quoting the text for anything else (``"many"``, ``"-3"``, ``"2.5"``).
    """
    if text is None or is_unknown_text(text):
        return None
    value = _whole(text.strip())
    if value is None:
        raise _not_a_count(text, "a count (a whole number, or empty/unknown)")
    return value


# Words after the number that only name what is counted: "14 officers", "25-30 police officers".
_UNIT = re.compile(
    r"\s*(?:(?:border\s+)?police\s*)?(?:officers?|officials?|policem[ae]n|police|agents?|guards?|"
    r"soldiers?|men|people|persons)\.?$"
)
_APPROX = re.compile(r"^(?:about|around|approx\.?|approximately|roughly|circa|ca\.|c\.|~|≈)\s*")
_RANGE = re.compile(r"^(?:between\s+|from\s+)?(\S+?)\s*(?:-|–|—|−|to|and|until)\s*(\S+)$")
_AT_LEAST = re.compile(r"^(?:more\s+than|over|above|at\s+least|min(?:imum)?\.?|>=?|≥)\s*(\S+)$")
_PLUS = re.compile(r"^(\S+?)\s*(?:\+|or\s+more|and\s+more)$")
_AT_MOST = re.compile(
    r"^(?:less\s+than|fewer\s+than|under|below|up\s+to|at\s+most|max(?:imum)?\.?|<=?|≤)\s*(\S+)$"
)


def parse_count_range(text: str | None) -> tuple[int | None, int | None] | None:
    """A count given as a number or a range, as for the officers of METHODOLOGY §2: returns ``(min, max)``.

    - ``"14"`` → ``(14, 14)``
    - ``"25-30"``, ``"25 – 30"``, ``"25 to 30"``, ``"between 25 and 30"`` → ``(25, 30)``
    - an estimate (``"about 10"``, ``"~10"``, ``"around 10"``) → ``(10, 10)``: the source's best figure is the
      value; the source's own words stay in the record's original text
    - an open range (``"10+"``, ``"more than 10"``, ``"at least 10"``) → ``(10, None)``: the number given is
      the lower bound (a true one also for "more than"), the maximum is unknown
    - ``"up to 10"``, ``"less than 10"`` → ``(None, 10)``
    - a trailing unit is ignored: ``"14 officers"``, ``"25-30 police officers"``
    - empty or unknown → ``None``

    Raises :class:`ValueError` quoting the text for anything else (``"dozens"``, ``"-3"``) and for a range
    whose minimum is above its maximum (``"30-25"``).
    """
    if text is None or is_unknown_text(text):
        return None
    body = _UNIT.sub("", " ".join(text.casefold().split())).strip()
    body = _APPROX.sub("", body).strip()
    wanted = "a count or a range such as 25-30"
    if match := _AT_LEAST.match(body) or _PLUS.match(body):
        low = _whole(match.group(1))
        if low is None:
            raise _not_a_count(text, wanted)
        return (low, None)
    if match := _AT_MOST.match(body):
        high = _whole(match.group(1))
        if high is None:
            raise _not_a_count(text, wanted)
        return (None, high)
    if (value := _whole(body)) is not None:
        return (value, value)
    if match := _RANGE.match(body):
        low, high = _whole(match.group(1)), _whole(match.group(2))
        if low is None or high is None:
            raise _not_a_count(text, wanted)
        if low > high:
            raise ValueError(f"{text!r} is not a range: the minimum is above the maximum")
        return (low, high)
    raise _not_a_count(text, wanted)


_YES = frozenset({"yes", "y", "true", "t", "1", "1.0", "oui", "si", "sí", "da", "ja", "نعم", "بله", "آره"})
_NO = frozenset({"no", "n", "false", "f", "0", "0.0", "non", "ne", "nein", "لا", "نه", "خیر"})


def parse_tri(text: str | None) -> Literal["yes", "no", "unknown"]:
    """A yes/no/unknown answer as ``"yes"``, ``"no"`` or ``"unknown"``.

    ``yes``, ``y``, ``true``, ``1``, ``oui`` → ``"yes"``; ``no``, ``n``, ``false``, ``0``, ``non`` → ``"no"``
    (case-insensitive; also ``da``/``ne``, ``ja``/``nein``, ``si``, and the Arabic and Farsi words); empty,
    ``None`` or unknown (``unknown``, ``n/a``, ``-``) → ``"unknown"``.

    Raises :class:`ValueError` quoting the text for anything else (``"maybe"``).
    """
    if text is None:
        return "unknown"
    folded = " ".join(text.casefold().split()).rstrip(".!")
    if folded in _YES:
        return "yes"
    if folded in _NO:
        return "no"
    if is_unknown_text(text):
        return "unknown"
    raise ValueError(f"{text!r} is not yes, no or unknown")

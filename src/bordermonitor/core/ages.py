"""Ages as people tell them (METHODOLOGY §2, ``group.ages``: free text as told), read for statistics.

The text itself is what the record keeps; :func:`parse_ages` only derives what the statistics and the
intensity criterion need: the ages and age ranges stated, the age bands they touch, and whether minors
were involved. It reads what testimonies say (``"3, 5, 16, 28"``, ``"20-40 years old"``, ``"between 20 and
30"``, ``"around 25"``, ``"mid-twenties"``, ``"20s"``, ``"18 months"``, ``"minors"``) and guesses nothing
else: text it cannot read comes back with ``understood=False`` so that the importer flags the field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bordermonitor.core.counts import is_unknown_text

__all__ = ["AGE_BANDS", "AgeInfo", "parse_ages"]

AGE_BANDS: tuple[str, ...] = ("0-4", "5-11", "12-17", "18-24", "25-34", "35-49", "50-64", "65+")
_BAND_LIMITS: tuple[tuple[int, int], ...] = (
    (0, 4),
    (5, 11),
    (12, 17),
    (18, 24),
    (25, 34),
    (35, 49),
    (50, 64),
)
_MAX_AGE = 120  # a larger number is not an age (a year, a count, a typing error)
_ADULT = 18


@dataclass(frozen=True, slots=True)
class AgeInfo:
    """What a free-text age field says.

    ``ages`` and ``ranges`` are in the order told (a repeated age is two people); ``bands`` are the
    :data:`AGE_BANDS` they touch, in band order. ``minors`` is ``True`` when someone under 18 is stated
    (an age, a range entirely under 18, or words such as *minor*, *child*, *baby*), ``False`` when every
    stated age is 18 or more, ``None`` when it cannot be told. ``understood`` is ``False`` only when there was
    text and nothing could be read from it.
    """

    ages: tuple[int, ...] = ()
    ranges: tuple[tuple[int, int], ...] = ()
    bands: tuple[str, ...] = ()
    minors: bool | None = None
    understood: bool = True


def _bands(ages: tuple[int, ...], ranges: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    spans = [(age, age) for age in ages] + list(ranges)
    touched = []
    for name, (low, high) in zip(AGE_BANDS, (*_BAND_LIMITS, (65, _MAX_AGE)), strict=True):
        if any(lo <= high and hi >= low for lo, hi in spans):
            touched.append(name)
    return tuple(touched)


_N = r"(\d{1,3}(?:\.\d+)?)"
_DECADE_WORDS = {
    "teens": 1,
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
# "mid-twenties", "early 30s", "20s", "20's", "teens"
_DECADE = re.compile(
    r"(?:\b(early|mid|late)[\s-]*)?(?:\b(" + "|".join(_DECADE_WORDS) + r")\b|(?<![\d.])([1-9])0\s*'?s\b)"
)
_TEENAGER = re.compile(r"\bteen(?:ager)?s?\b|\badolescents?\b")
_RANGE = re.compile(
    rf"(?:\bbetween\s+|\bfrom\s+|\baged?\s+)?(?<![\d.]){_N}\s*(?:years?\s*)?(?:-|to|until|and)\s*{_N}(?!\d|\.\d)"
)
_BETWEEN_ONLY = re.compile(r"\bbetween\b|\bfrom\b|-|\bto\b|\buntil\b")
_UNDER = re.compile(rf"(?:\bunder|\bbelow|\byounger\s+than|\bless\s+than|<)\s*{_N}(?!\d|\.\d)")
_OVER = re.compile(
    rf"(?:\bover|\babove|\bolder\s+than|\bmore\s+than|>)\s*{_N}(?!\d|\.\d)"
    rf"|(?<![\d.]){_N}\s*(?:\+|years?\s+(?:and|or)\s+(?:over|older|above)|\s(?:and|or)\s+(?:over|older|above))"
)
_SMALL_UNITS = re.compile(rf"(?<![\d.]){_N}\s*(months?|mos?|mths?|weeks?|wks?|days?)\b")
# A number followed by who is counted is a count of people, not an age: "2 minors", "3 children aged 5".
_COUNT = re.compile(
    rf"(?<![\d.]){_N}\s+(?:people|persons|men|women|minors|children|kids|adults|boys|girls|babies|"
    r"members|others|of\s+them|unaccompanied|families|family)\b"
)
_NUMBER = re.compile(rf"(?<![\d.]){_N}(?![\d])")
_NO_MINORS = re.compile(r"\b(?:no|without|zero|0)\s+(?:minors|children|kids|underage)\b")
_MINOR_WORDS = re.compile(
    r"\b(?:minors?|child|children|kids?|bab(?:y|ies)|infants?|toddlers?|newborns?|under-?age|"
    r"unaccompanied|uams?|uascs?|juveniles?|mineure?s?|enfants?|b[ée]b[ée]s?)\b"
)
_ADULT_WORDS = re.compile(r"\b(?:adults?|all\s+adults|grown[\s-]?ups?|majeure?s?|no\s+minors)\b")
_UNKNOWN_WORDS = re.compile(
    r"\b(?:unknown|unkown|not\s+known|unclear|n/a|not\s+specified|unspecified|not\s+asked)\b"
)


def _decade_range(decade: int, part: str | None) -> tuple[int, int]:
    """``(2, "mid")`` → 24-26; the teens (decade 1) run from 13 to 19."""
    if decade == 1:
        return {"early": (13, 15), "mid": (14, 16), "late": (17, 19)}.get(part or "", (13, 19))
    low = decade * 10
    return {"early": (low, low + 3), "mid": (low + 4, low + 6), "late": (low + 7, low + 9)}.get(
        part or "", (low, low + 9)
    )


def _age(text: str) -> int:
    return math.floor(float(text))


class _Reader:
    """One pass over an age text: each kind of statement is read, then blanked so it is read only once."""

    def __init__(self, text: str) -> None:
        self.work = " ".join(text.casefold().replace("–", "-").replace("—", "-").replace("~", " ").split())
        self.found: list[tuple[int, int | tuple[int, int]]] = []  # (position, age or range), as told
        self.evidence: list[bool | None] = []  # per statement: a minor, adults only, or cannot tell (None)

    def take(self, match: re.Match[str]) -> None:
        start, end = match.span()
        self.work = self.work[:start] + " " * (end - start) + self.work[end:]

    def age(self, position: int, age: int) -> None:
        if age <= _MAX_AGE:
            self.found.append((position, age))
            self.evidence.append(age < _ADULT)

    def range(self, position: int, low: int, high: int) -> None:
        low, high = min(low, high), max(low, high)
        if high <= _MAX_AGE:
            self.found.append((position, (low, high)))
            self.evidence.append(True if high < _ADULT else False if low >= _ADULT else None)

    def read(self) -> AgeInfo:
        minor_words = _MINOR_WORDS.search(_NO_MINORS.sub(" ", self.work)) is not None
        adult_words = _ADULT_WORDS.search(self.work) is not None or _NO_MINORS.search(self.work) is not None
        for match in list(_DECADE.finditer(self.work)):
            decade = _DECADE_WORDS[match[2]] if match[2] else int(match[3])
            self.range(match.start(), *_decade_range(decade, match[1]))
            self.take(match)
        for match in list(_TEENAGER.finditer(self.work)):
            self.range(match.start(), 13, 19)
            self.take(match)
        self.read_ranges()
        for match in list(_UNDER.finditer(self.work)):
            self.range(match.start(), 0, max(math.ceil(float(match[1])) - 1, 0))
            self.take(match)
        for match in list(_OVER.finditer(self.work)):  # open: it settles "minors" but touches no band
            lowest = math.floor(float(match[1])) + 1 if match[1] else _age(match[2])  # "over 17" / "18+"
            self.evidence.append(False if lowest >= _ADULT else None)
            self.take(match)
        for match in list(_SMALL_UNITS.finditer(self.work)):
            months = float(match[1]) if match[2].startswith("m") else 0.0
            self.age(match.start(), math.floor(months / 12))
            self.take(match)
        for match in list(_COUNT.finditer(self.work)):
            self.take(match)
        for match in _NUMBER.finditer(self.work):
            self.age(match.start(), _age(match[1]))
        if minor_words:
            self.evidence.append(True)
        if adult_words:
            self.evidence.append(False)
        return self.result()

    def read_ranges(self) -> None:
        position = 0
        while found := _RANGE.search(self.work, position):
            words = found.group(0)
            if " and " in words and not _BETWEEN_ONLY.search(words.split(" and ")[0]):
                position = found.start(2)  # "17 and 19" is two ages, "between 17 and 19" a range
                continue
            self.range(found.start(), _age(found[1]), _age(found[2]))
            self.take(found)
            position = found.end()

    def result(self) -> AgeInfo:
        if not self.evidence:
            return AgeInfo(understood=_UNKNOWN_WORDS.search(self.work) is not None)
        told = [value for _, value in sorted(self.found, key=lambda item: item[0])]
        ages = tuple(value for value in told if isinstance(value, int))
        ranges = tuple(value for value in told if isinstance(value, tuple))
        minors = True if True in self.evidence else None if None in self.evidence else False
        return AgeInfo(ages, ranges, _bands(ages, ranges), minors, understood=True)


def parse_ages(text: str | None) -> AgeInfo:
    """Read a free-text age field; see :class:`AgeInfo` for what comes back.

    - ``"3, 5, 16, 28"`` → ages 3, 5, 16, 28; ``"17 and 19"`` → 17, 19; ``"25 y.o."``, ``"around 25"`` → 25
    - ``"1.5"`` (a toddler of a year and a half) → 1; ``"18 months"`` → 1; ``"3 weeks"`` → 0
    - ``"20-40 years old"``, ``"between 20 and 30"``, ``"20 to 30"`` → a range; ``"under 18"`` → 0-17
    - ``"20s"``, ``"twenties"`` → 20-29; ``"early 20s"`` → 20-23, ``"mid-twenties"`` → 24-26,
      ``"late 20s"`` → 27-29; ``"teenagers"`` → 13-19
    - ``"over 18"``, ``"18+"``, ``"adults"``: no minors, but no age or band either
    - ``"minors"``, ``"children"``, ``"baby"``: minors, no age
    - ``""``, ``None``, ``"unknown"``: nothing known, ``minors=None``, understood

    Numbers above 120 are not ages, and a number followed by who is counted (``"2 minors"``) is a count.
    A range counts as minors only when it lies entirely under 18 (``"12-15"``); one that spans 18
    (``"16-20"``) leaves ``minors`` unknown unless something else settles it.
    """
    if text is None or is_unknown_text(text):
        return AgeInfo()
    return _Reader(text).read()

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
MAX_AGE = 120  # a larger number is not an age (a year, a count, a typing error)
ADULT = 18


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
    for name, (low, high) in zip(AGE_BANDS, (*_BAND_LIMITS, (65, MAX_AGE)), strict=True):
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
    work = " ".join(text.casefold().replace("–", "-").replace("—", "-").replace("~", " ").split())
    found: list[tuple[int, int | tuple[int, int]]] = []  # (position, age or range) in the order told
    evidence: list[bool | None] = []  # per statement: a minor (True), adults only (False), cannot tell (None)

    def take(match: re.Match[str]) -> None:
        nonlocal work
        work = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end() :]

    def add_range(position: int, low: int, high: int) -> None:
        low, high = min(low, high), max(low, high)
        if high > MAX_AGE:
            return
        found.append((position, (low, high)))
        evidence.append(True if high < ADULT else False if low >= ADULT else None)

    minor_words = _MINOR_WORDS.search(_NO_MINORS.sub(" ", work)) is not None
    adult_words = _ADULT_WORDS.search(work) is not None or _NO_MINORS.search(work) is not None
    for match in list(_DECADE.finditer(work)):
        decade = _DECADE_WORDS[match[2]] if match[2] else int(match[3])
        add_range(match.start(), *_decade_range(decade, match[1]))
        take(match)
    for match in list(_TEENAGER.finditer(work)):
        add_range(match.start(), 13, 19)
        take(match)
    position = 0
    while match := _RANGE.search(work, position):
        words = match.group(0)
        if " and " in words and not _BETWEEN_ONLY.search(words.split(" and ")[0]):
            position = match.start(2)  # "17 and 19" is two ages, "between 17 and 19" a range
            continue
        add_range(match.start(), _age(match[1]), _age(match[2]))
        take(match)
        position = match.end()
    for match in list(_UNDER.finditer(work)):
        bound = math.ceil(float(match[1]))
        add_range(match.start(), 0, max(bound - 1, 0))
        take(match)
    for match in list(_OVER.finditer(work)):  # an open range: it settles "minors" but touches no band
        lowest = math.floor(float(match[1])) + 1 if match[1] else _age(match[2])  # "over 17" / "18+"
        evidence.append(False if lowest >= ADULT else None)
        take(match)
    for match in list(_SMALL_UNITS.finditer(work)):
        months = float(match[1]) if match[2].startswith("m") else 0.0
        found.append((match.start(), math.floor(months / 12)))
        evidence.append(True)
        take(match)
    for match in list(_COUNT.finditer(work)):
        take(match)
    for match in _NUMBER.finditer(work):
        age = _age(match[1])
        if age <= MAX_AGE:
            found.append((match.start(), age))
            evidence.append(age < ADULT)
    if minor_words:
        evidence.append(True)
    if adult_words:
        evidence.append(False)

    found.sort(key=lambda item: item[0])
    ages = tuple(value for _, value in found if isinstance(value, int))
    ranges = tuple(value for _, value in found if isinstance(value, tuple))
    if not evidence:
        return AgeInfo(understood=_UNKNOWN_WORDS.search(work) is not None)
    minors = True if True in evidence else None if None in evidence else False
    return AgeInfo(ages, ranges, _bands(ages, ranges), minors, True)

"""Anonymisation for the open-data release (METHODOLOGY §7): redaction of narratives, coarsening of dates
and places.

Direct identifiers never leave the protected store. A public narrative is a reviewer's text, and before it
is published :func:`redact` replaces what can be recognised automatically: the names the record knows
(the person, companions, drivers, officers, given by the documenter), phone numbers, e-mail addresses,
identity-document numbers and vehicle plates. The publication pipeline then runs
:func:`leftover_identifiers` on the final text and refuses to publish while it finds anything, so a
reviewer's edit after redaction cannot bring an identifier back unnoticed.

Detection runs on a *folded* copy of the text, each folded character remembering the original one it
came from, so spans are reported in the original text. Folding makes names match whatever way they are
typed: compatibility forms (NFKC/NFKD), case (casefold), accents and Arabic diacritics are dropped, the
tatweel is removed, Arabic and Farsi letter variants are made one (yeh, kaf/keheh, teh marbuta/heh,
hamza seats), and Arabic-Indic and Persian digits become ASCII digits so phone numbers written in them
are found too.

The detectors prefer to redact a little too much over leaking: a word that is also a known name is
redacted wherever it stands. They are still careful with what narratives are made of (dates, times,
years, ages, counts such as "25-30 officers", coordinates, place names): see the tests for both sides.

The publication policy (:class:`PublicationPolicy`) says how precisely dates and places are published,
more coarsely for groups of one or two people, and never more precisely than the source gave them; it is
defined in :mod:`bordermonitor.core.policy` and re-exported here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

# The publication policy has a module of its own; it is part of this module's interface.
from bordermonitor.core.policy import DatePrecision, PublicationPolicy, coarsen_date, coarsen_location

__all__ = [
    "PLACEHOLDERS",
    "DatePrecision",
    "PublicationPolicy",
    "Redaction",
    "Span",
    "SpanKind",
    "coarsen_date",
    "coarsen_location",
    "find_identifiers",
    "fold",
    "leftover_identifiers",
    "name_pattern",
    "redact",
]

SpanKind = Literal["name", "phone", "email", "document", "plate"]

PLACEHOLDERS: dict[SpanKind, str] = {
    "name": "[name]",
    "phone": "[phone]",
    "email": "[e-mail]",
    "document": "[document number]",
    "plate": "[plate]",
}
"""What each kind of identifier is replaced by in a published text."""


@dataclass(frozen=True, slots=True)
class Span:
    """An identifier found in a text: ``text[start:end]`` of the original text, and what it is."""

    start: int
    end: int
    kind: SpanKind
    text: str


@dataclass(frozen=True, slots=True)
class Redaction:
    """The redacted ``text`` and the ``spans`` replaced, in positions of the original text."""

    text: str
    spans: tuple[Span, ...]


# --- folding -------------------------------------------------------------------------------------------

_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Farsi yeh
        "\u0649": "\u06cc",  # alef maksura → Farsi yeh
        "\u06d2": "\u06cc",  # yeh barree (Urdu)
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u06d5": "\u0647",  # ae (the base of heh with yeh above) → heh
        "\u06c1": "\u0647",  # heh goal (Urdu)
        "\u0671": "\u0627",  # alef wasla → alef
        "\u0131": "i",  # dotless i: its capital is I
    }
)
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})  # accents, harakat, invisible format characters


@lru_cache(maxsize=8192)
def _fold_char(char: str, casefold: bool) -> str:
    """What one character becomes in the folded text: possibly several characters, possibly none."""
    if char in "\u200c\u200d":  # zero-width (non-)joiners separate the parts of a Persian word
        return " "
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.digit(char))
    if char == "\u066b":  # Arabic decimal separator
        return "."
    if char == "\u066c":  # Arabic thousands separator
        return ","
    text = unicodedata.normalize("NFKD", char)
    if casefold:
        text = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in text if c != "\u0640" and unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return kept.translate(_LETTERS)


# Characters already folded, per casefold flag: those that fold to exactly one character, as a translation
# table, and the others (dropped marks, ligatures that expand).
_ONE_FOR_ONE: dict[bool, dict[int, str]] = {True: {}, False: {}}
_IRREGULAR: dict[bool, set[str]] = {True: set(), False: set()}


def _fold(text: str, *, casefold: bool) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character.

    Most texts fold one character for one: then the folded text is one ``str.translate`` and the positions
    are the identity. Only a text holding a character that is dropped or expands is folded one by one."""
    if text.isascii():
        return (text.lower() if casefold else text), list(range(len(text)))
    table, irregular = _ONE_FOR_ONE[casefold], _IRREGULAR[casefold]
    for char in set(text):
        if ord(char) not in table and char not in irregular:
            folded = _fold_char(char, casefold)
            if len(folded) == 1:
                table[ord(char)] = folded
            else:
                irregular.add(char)
    if irregular.isdisjoint(text):
        return text.translate(table), list(range(len(text)))
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char, casefold)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def fold(text: str) -> str:
    """The form in which names are compared: ``fold("JOSÉ") == fold("jose")``; Arabic/Farsi variants equal."""
    return _fold(text, casefold=True)[0]


# --- detectors -----------------------------------------------------------------------------------------
# Each detector takes the folded text and yields (start, end, kind) in folded positions.

_Finder = Callable[[str], Iterator[tuple[int, int, SpanKind]]]
_BEFORE = r"(?<![^\W_])"  # not preceded by a letter or digit
_AFTER = r"(?![^\W_])"
_PROCLITIC = "(?:[\u0648\u0641]?[\u0628\u0644\u06a9]?)"  # Arabic و ف ب ل ك written onto the next word
_ARABIC = re.compile("[\u0600-\u06ff]")


@lru_cache(maxsize=256)
def _name_pattern(names: tuple[str, ...], whole: bool = False) -> re.Pattern[str] | None:
    alternatives: set[str] = set()
    for name in names:
        parts = [part for part in re.split(r"[\W_]+", fold(name)) if part]
        if not parts or sum(map(len, parts)) < 2:
            continue
        candidates = [r"[\W_]{1,3}".join(map(re.escape, parts))]
        if not whole:
            candidates += [re.escape(part) for part in parts if len(part) >= 3]
        for candidate in candidates:
            alternatives.add(_PROCLITIC + candidate if _ARABIC.match(candidate) else candidate)
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=lambda a: (-len(a), a))  # a full name before its parts
    return re.compile(f"{_BEFORE}(?:{'|'.join(ordered)}){_AFTER}")


def name_pattern(names: Iterable[str], *, whole: bool = False) -> re.Pattern[str] | None:
    """The pattern that finds ``names`` in a :func:`fold`-ed text: each name whole and, unless ``whole``, each
    part of three letters or more (a first name alone); with the Arabic proclitics written onto a name."""
    return _name_pattern(tuple(sorted(set(names))), whole)


def _names(known: tuple[str, ...]) -> _Finder:
    pattern = _name_pattern(known)

    def find(text: str) -> Iterator[tuple[int, int, SpanKind]]:
        if pattern is not None:
            for match in pattern.finditer(text):
                yield match.start(), match.end(), "name"

    return find


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")


def _emails(text: str) -> Iterator[tuple[int, int, SpanKind]]:
    for match in _EMAIL.finditer(text):
        yield match.start(), match.end(), "email"


_SEP = r"(?:[ \t]?[-./][ \t]?|[ \t])"
_PHONE = re.compile(
    rf"""(?<![\w+])(?<!\d[.,/:-])
    (?:
        (?P<intl>(?:\+|00)[ \t]?\d{{1,3}}(?:{_SEP}?\(0\))?(?:{_SEP}?\(?\d{{1,4}}\)?){{2,6}})
      | (?P<local>(?:\(0\d{{1,4}}\)|0\d{{1,4}})(?:{_SEP}?\d{{2,4}}){{1,5}})
    )
    (?!\w)(?![.,/:-]\d)""",
    re.VERBOSE,
)
_DAY_MONTH = r"(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])"
_DATE_START = re.compile(
    rf"^(?:{_DAY_MONTH}[./-](?:\d{{4}}|\d{{2}})|\d{{4}}[./-](?:0?[1-9]|1[0-2])[./-](?:0?[1-9]|[12]\d|3[01]))(?!\d)"
)
_TIME_RANGE = re.compile(r"^\d{1,2}[.:]\d{2}[ \t]?[-–][ \t]?\d{1,2}[.:]\d{2}$")


def _is_phone(candidate: str, international: bool) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    low, high = (8, 15) if international else (8, 12)
    return low <= digits <= high and not _DATE_START.match(candidate) and not _TIME_RANGE.match(candidate)


def _phones(text: str) -> Iterator[tuple[int, int, SpanKind]]:
    at = 0
    while match := _PHONE.search(text, at):
        candidate = match.group()
        # Groups of digits may run on into the next number ("+387 61 234 567 12345678"): the longest
        # leading part that is a phone number is the phone number, and the search goes on after it.
        ends = [m.end() for m in re.finditer(r"[\d)](?=\D|$)", candidate)]
        at = match.start() + 1
        for end in reversed(ends):
            part = candidate[:end]
            if (end == len(candidate) or _PHONE.fullmatch(part)) and _is_phone(part, bool(match["intl"])):
                yield match.start(), match.start() + end, "phone"
                at = match.start() + end
                break


_MRZ = re.compile(r"(?<![\w<])[A-Z0-9<]*<[A-Z0-9<]*(?![\w<])")
_MIXED = re.compile(r"(?<![\w-])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,14}(?![\w-])")
_DIGIT_RUN = re.compile(r"(?<![\d<])(?<!\d[.,])\d{9,}(?![\d<])")


def _documents(text: str) -> Iterator[tuple[int, int, SpanKind]]:
    for match in _MRZ.finditer(text):
        if len(match.group()) >= 10 and match.group().count("<") >= 2:
            yield match.start(), match.end(), "document"
    for match in _MIXED.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 5:
            yield match.start(), match.end(), "document"
    for match in _DIGIT_RUN.finditer(text):
        yield match.start(), match.end(), "document"


def _upper_letters() -> str:
    letters = (chr(c) for c in range(0x41, 0x530) if unicodedata.category(chr(c)) == "Lu")
    return "[" + "".join(re.escape(c) for c in letters) + "]"


_U = _upper_letters()  # capital Latin (with Croatian, Slovene, Turkish letters), Greek and Cyrillic letters
_PLATES = tuple(
    re.compile(rf"(?<![\w-]){body}(?![\w-])")
    for body in (
        rf"{_U}{{1,3}}[ -]?\d{{2,5}}[ -]?{_U}{{1,3}}",  # ZG 1234-AB, BG-123-XY, KA 123 AB, ZG1234AB
        rf"{_U}{{1,3}}\d{{1,3}}[ -]{_U}[ -]\d{{3}}",  # A12-E-345
        rf"\d{{2}}[ -]{_U}{{1,3}}[ -]\d{{2,4}}",  # 34 ABC 123
        rf"{_U}{{2,3}}-\d{{3,5}}",  # ABC-123
    )
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK = re.compile(r"\d[ -]?(?:AM|PM)$")


def _plates(text: str) -> Iterator[tuple[int, int, SpanKind]]:
    for pattern in _PLATES:
        for match in pattern.finditer(text):
            found = match.group()
            if _CLOCK.search(found) or (_YEAR.search(found) and (pattern is _PLATES[3] or "-" not in found)):
                continue  # "AT 11 PM", "EU 2019 HR", "HR-2019": a time or a year, not a plate
            yield match.start(), match.end(), "plate"


# Words after which a number is an identifier: the number may follow a few words later
# ("passport number of my friend: 12345678"; "رقم جواز سفري ١٢٣٤٥٦٧٨"), never across other punctuation.
_DOCUMENT_WORDS = (
    "passport", "id", "identity", "document", "permit", "visa", "tazkira", "tazkera",
    "passeport", "carte d'identite", "carte d’identite", "piece d'identite", "piece d’identite",
    "titre de sejour", "numero",
    "جواز", "رقم", "هویه", "بطاقه", "گذرنامه", "پاسپورت", "شماره", "تذکره", "کارت ملی",
)  # fmt: skip
_PHONE_WORDS = (
    "phone", "telephone", "tel", "mobile", "whatsapp", "viber", "telegram", "portable",
    "هاتف", "جوال", "موبایل", "واتساب", "تلفن", "همراه", "تماس",
)  # fmt: skip
_PLATE_WORDS = ("plate", "registration", "plaque", "immatriculation", "لوحه", "پلاک")
_GAP = r"(?:[ \t]{0,3}[:#.№°-]?[ \t]{0,3}[^\W\d_]{1,15}){0,4}?[ \t]{0,3}[:#.№°-]?[ \t]{0,3}"
_NUMBER = r"[A-Za-z0-9<]*\d[A-Za-z0-9<]*(?:[ /.-][A-Za-z0-9<]*\d[A-Za-z0-9<]*)*"
_PLATE_CHARS = r"[A-Z0-9]+(?:[ -][A-Z0-9]+)*"


def _keyword_pattern(words: tuple[str, ...], token: str) -> re.Pattern[str]:
    folded = sorted({fold(word).replace("'", "['’ ]?").replace("’", "['’ ]?") for word in words}, key=len)
    alternatives = "|".join(
        (_PROCLITIC + w if _ARABIC.match(w) else w) for w in reversed(folded)
    )  # longest first
    return re.compile(rf"{_BEFORE}(?i:(?:{alternatives})[^\W\d_]{{0,4}}){_GAP}(?P<token>{token})(?![\w<])")


_KEYWORDS: tuple[tuple[re.Pattern[str], SpanKind], ...] = (
    (_keyword_pattern(_DOCUMENT_WORDS, _NUMBER), "document"),
    (_keyword_pattern(_PHONE_WORDS, _NUMBER), "phone"),
    (_keyword_pattern(_PLATE_WORDS, _PLATE_CHARS), "plate"),
)


def _after_keywords(text: str) -> Iterator[tuple[int, int, SpanKind]]:
    for pattern, kind in _KEYWORDS:
        for match in pattern.finditer(text):
            token = match["token"]
            digits = sum(c.isdigit() for c in token)
            if kind == "plate":
                if len(token) < 3 or _YEAR.fullmatch(token):
                    continue
            elif digits < 4 or _YEAR.fullmatch(token) or _DATE_START.match(token):
                continue  # "passport in 2019", "ID for 12 years": not a number of the document
            yield match.start("token"), match.end("token"), kind


# --- spans ---------------------------------------------------------------------------------------------

_PRIORITY: tuple[SpanKind, ...] = ("email", "phone", "document", "plate", "name")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def _original_span(text: str, origin: list[int], start: int, end: int, casefold: bool) -> tuple[int, int]:
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and _fold_char(text[last], casefold) == "":  # a trailing accent or tatweel
        last += 1
    return first, last


def _merge(text: str, found: list[tuple[int, int, SpanKind]]) -> tuple[Span, ...]:
    """Overlapping spans become one, of the kind of its longest part (ties: e-mail, phone, document, …)."""
    merged: list[tuple[int, int, SpanKind, int]] = []  # start, end, kind, length of the part giving the kind
    for start, end, kind in sorted(found, key=lambda s: (s[0], -s[1], _PRIORITY.index(s[2]))):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind, last_length = merged[-1]
            better = (end - start, -_PRIORITY.index(kind)) > (last_length, -_PRIORITY.index(last_kind))
            merged[-1] = (
                last_start,
                max(last_end, end),
                kind if better else last_kind,
                end - start if better else last_length,
            )
        else:
            merged.append((start, end, kind, end - start))
    return tuple(Span(start, end, kind, text[start:end]) for start, end, kind, _ in merged)


def find_identifiers(text: str, *, known_names: Iterable[str] = ()) -> tuple[Span, ...]:
    """Every identifier in ``text``, in order, overlapping ones merged; positions in ``text`` itself.

    ``known_names`` are the names the record knows. They are matched whatever the case, accents, Unicode
    form or Arabic/Farsi letter variants, as whole words; a name of several words is found whole and each
    of its words of three letters or more on its own (a first name alone is still the person). The
    placeholders a redaction leaves (``[name]``, ``[phone]`` …) are never themselves identifiers.
    """
    names = tuple(sorted({name for name in known_names if name and name.strip()}))
    found: list[tuple[int, int, SpanKind]] = []
    passes: tuple[tuple[bool, tuple[_Finder, ...]], ...] = (
        (True, (_names(names),)),  # names ignore case
        (
            False,
            (_emails, _phones, _documents, _plates, _after_keywords),
        ),  # plates and documents are capitals
    )
    for casefold, finders in passes:
        folded, origin = _fold(text, casefold=casefold)
        for finder in finders:
            for start, end, kind in finder(folded):
                if end > start:
                    found.append((*_original_span(text, origin, start, end, casefold), kind))
    placeholders = [m.span() for m in _PLACEHOLDER.finditer(text)]
    found = [f for f in found if not any(p0 <= f[0] and f[1] <= p1 for p0, p1 in placeholders)]
    return _merge(text, found)


def redact(text: str, *, known_names: Iterable[str] = ()) -> Redaction:
    """``text`` with each identifier replaced by its placeholder (:data:`PLACEHOLDERS`).

    Redacting a redacted text changes nothing: the placeholders are not identifiers.
    """
    spans = find_identifiers(text, known_names=known_names)
    pieces: list[str] = []
    at = 0
    for span in spans:
        pieces += [text[at : span.start], PLACEHOLDERS[span.kind]]
        at = span.end
    pieces.append(text[at:])
    return Redaction("".join(pieces), spans)


def leftover_identifiers(text: str, *, known_names: Iterable[str] = ()) -> tuple[Span, ...]:
    """The publication check: the identifiers a final public text still contains (same detectors as
    :func:`redact`). A text is published only when this is empty — a reviewer's edit made after redaction
    cannot slip a phone number or a name back in. Placeholders left by redaction are not identifiers.
    """
    return find_identifiers(text, known_names=known_names)

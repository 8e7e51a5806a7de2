"""Countries as ISO 3166-1 alpha-2 codes, and country names as sources write them.

:func:`normalise_country` turns what a source wrote (``"Bosnia"``, ``"Hongrie"``, ``"Hungaria"``, ``"IRQ"``,
``"Kurdistan Region of Iraq"``, ``"Sub-Saharan Africa (P)"``, ``"unknown"``) into a :class:`CountryMatch`
that keeps the text and says how sure the reading is. Exact readings come from an index of:

1. the explicit tables below: common names, abbreviations, demonyms, known misspellings, regions;
2. ISO 3166-1 as shipped by pycountry (names, official names, common names) and the English CLDR names;
3. CLDR territory names (babel) in the languages of the network and of the people it interviews.

A name claimed by two countries at the same level is left out rather than guessed, and a higher level wins
over a lower one. Anything not in the index gets a cautious fuzzy match against English names and the
explicit tables: a close, unambiguous match comes back with ``certain=False`` (the importer flags it for a
person to confirm); anything else comes back unmapped. Pairs of names that differ by a letter or two
(Iran/Iraq, Niger/Nigeria, Austria/Australia, Slovenia/Slovakia, Guinea/Guinea-Bissau) are never joined by
the fuzzy match: a misspelling close to both is left for review instead.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import pycountry
from babel import Locale, UnknownLocaleError

from bordermonitor.core.counts import is_unknown_text

__all__ = [
    "USER_ASSIGNED",
    "CountryMatch",
    "country_name",
    "is_country_code",
    "normalise_country",
    "split_countries",
]

# Codes in use that ISO 3166-1 has not (yet) assigned but that every dataset in this field uses.
USER_ASSIGNED = {"XK": "Kosovo"}


@cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(USER_ASSIGNED)


def is_country_code(code: str) -> bool:
    """True for an upper-case ISO 3166-1 alpha-2 code (and XK, Kosovo)."""
    return code in _codes()


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """How a country text was read.

    ``text`` is the source's text, unchanged. ``code`` is the ISO alpha-2 code, or ``None``. ``region`` is
    the source's text (whitespace tidied) when it names a region rather than a state: with a code when the
    region lies in one state (``Kurdistan Region of Iraq`` → IQ), without one when it spans several
    (``Kurdistan``, ``Maghreb``). ``certain`` is ``False`` when the reading is a fuzzy guess or nothing was
    found, so the importer flags it. ``is_unknown`` is ``True`` when the text says the country is unknown.
    Unmapped text has ``code=None``, ``region=None``, ``certain=False`` and ``is_unknown=False``.
    """

    text: str
    code: str | None
    region: str | None
    certain: bool
    is_unknown: bool

    @property
    def unmapped(self) -> bool:
        """Nothing could be read: not a country, not a region, not "unknown"."""
        return self.code is None and self.region is None and not self.is_unknown


# Common and former names, abbreviations and demonyms (English unless marked).
_ALIASES: dict[str, str] = {
    # names in everyday use that ISO or CLDR spell otherwise
    "Bosnia": "BA",
    "Bosnia Herzegovina": "BA",
    "Bosnia-Herzegovina": "BA",
    "Bosnia and Hercegovina": "BA",
    "BiH": "BA",
    "B&H": "BA",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Republic of Turkey": "TR",
    "Ivory Coast": "CI",
    "Macedonia": "MK",
    "FYROM": "MK",
    "Former Yugoslav Republic of Macedonia": "MK",
    "Republic of Macedonia": "MK",
    "Palestine": "PS",
    "State of Palestine": "PS",
    "Occupied Palestinian Territory": "PS",
    "Occupied Palestinian Territories": "PS",
    "Czech Republic": "CZ",
    "DR Congo": "CD",
    "DRC": "CD",
    "D.R.C.": "CD",
    "RDC": "CD",
    "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo DR": "CD",
    "Congo (DRC)": "CD",
    "Zaire": "CD",
    "Republic of Congo": "CG",
    "Republic of the Congo": "CG",
    "Congo Republic": "CG",
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "United States of America": "US",
    "UAE": "AE",
    "Emirates": "AE",
    "KSA": "SA",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Vatican": "VA",
    "Holy See": "VA",
    "South Korea": "KR",
    "North Korea": "KP",
    "Lao PDR": "LA",
    "Viet Nam": "VN",
    "Russia": "RU",
    "Syria": "SY",
    "Iran": "IR",
    "Persia": "IR",
    "Moldova": "MD",
    "Laos": "LA",
    "Vietnam": "VN",
    "Tanzania": "TZ",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Brunei": "BN",
    "Micronesia": "FM",
    "Gambia": "GM",
    "Guinea Conakry": "GN",
    "Guinea-Conakry": "GN",
    "Guinée Conakry": "GN",
    "Guinea Bissau": "GW",
    "Kosova": "XK",
    "Kosovo*": "XK",
    "Western Sahara": "EH",
    "Sahrawi Arab Democratic Republic": "EH",
    "Tunis": "TN",
    # the languages of the Balkan route, where CLDR's name differs or babel's locale is not indexed
    "Hrvatska": "HR",
    "Srbija": "RS",
    "Slovenija": "SI",
    "Crna Gora": "ME",
    "Bosna i Hercegovina": "BA",
    "Bosna": "BA",
    "Sjeverna Makedonija": "MK",
    "Severna Makedonija": "MK",
    "Makedonija": "MK",
    "Mađarska": "HU",
    "Madjarska": "HU",
    "Magyarország": "HU",
    "Österreich": "AT",
    "Osterreich": "AT",
    "Deutschland": "DE",
    "Italia": "IT",
    "Shqipëria": "AL",
    "Hellas": "GR",
    "Ellada": "GR",
    "Avganistan": "AF",
    "Marruecos": "MA",
    # known misspellings in the network's data and in other datasets of the field
    "Afganistan": "AF",
    "Afghanestan": "AF",
    "Afgahnistan": "AF",
    "Afghansitan": "AF",
    "Afghanisthan": "AF",
    "Afghanstan": "AF",
    "Afhganistan": "AF",
    "Afganisthan": "AF",
    "Afgnistan": "AF",
    "Pakistn": "PK",
    "Pakitan": "PK",
    "Pakstan": "PK",
    "Pakisatn": "PK",
    "Pakisthan": "PK",
    "Packistan": "PK",
    "Pakestan": "PK",
    "Pakisan": "PK",
    "Pakistani": "PK",
    "Bangaldesh": "BD",
    "Bangladash": "BD",
    "Bangledesh": "BD",
    "Bangldesh": "BD",
    "Bengladesh": "BD",
    "Bangladeh": "BD",
    "Bagladesh": "BD",
    "Banglades": "BD",
    "Tunisa": "TN",
    "Tunesia": "TN",
    "Tunisie": "TN",
    "Tunesien": "TN",
    "Lybia": "LY",
    "Libia": "LY",
    "Lybie": "LY",
    "Marocco": "MA",
    "Morrocco": "MA",
    "Morroco": "MA",
    "Moroco": "MA",
    "Morrocco (Morocco)": "MA",
    "Marokko": "MA",
    "Maroko": "MA",
    "Algiera": "DZ",
    "Algeira": "DZ",
    "Aljeria": "DZ",
    "Algeri": "DZ",
    "Hungaria": "HU",
    "Hungery": "HU",
    "Hungray": "HU",
    "Serbie": "RS",
    "Serbija": "RS",
    "Sebia": "RS",
    "Srbia": "RS",
    "Croacia": "HR",
    "Croatie": "HR",
    "Kroatia": "HR",
    "Rumania": "RO",
    "Roumania": "RO",
    "Bulgary": "BG",
    "Grece": "GR",
    "Egipt": "EG",
    "Egypte": "EG",
    "Sirya": "SY",
    "Siria": "SY",
    "Syira": "SY",
    "Irak": "IQ",
    "Iraqi Kurdistan": "IQ",
    "Palastine": "PS",
    "Palestina": "PS",
    "Eritria": "ER",
    "Eritera": "ER",
    "Ethopia": "ET",
    "Etiopia": "ET",
    "Somalie": "SO",
    "Cameroun": "CM",
    "Camerun": "CM",
    "Camaroon": "CM",
    "Cameron": "CM",
    "Cote dIvoire": "CI",
    "Srilanka": "LK",
    "Shri Lanka": "LK",
    "Nepaal": "NP",
    "Kuwayt": "KW",
    "Lebanan": "LB",
    "Libanon": "LB",
    "Yemen Arab Republic": "YE",
    # demonyms (nationality columns often hold them); ambiguous ones (Congolese, Dominican) are left out
    "Afghan": "AF",
    "Albanian": "AL",
    "Algerian": "DZ",
    "Angolan": "AO",
    "Armenian": "AM",
    "Austrian": "AT",
    "Azerbaijani": "AZ",
    "Bangladeshi": "BD",
    "Belarusian": "BY",
    "Beninese": "BJ",
    "Bosnian": "BA",
    "British": "GB",
    "Bulgarian": "BG",
    "Burkinabe": "BF",
    "Burundian": "BI",
    "Cameroonian": "CM",
    "Chadian": "TD",
    "Chinese": "CN",
    "Colombian": "CO",
    "Croatian": "HR",
    "Cuban": "CU",
    "Egyptian": "EG",
    "Eritrean": "ER",
    "Ethiopian": "ET",
    "French": "FR",
    "Gambian": "GM",
    "Georgian": "GE",
    "German": "DE",
    "Ghanaian": "GH",
    "Greek": "GR",
    "Guinean": "GN",
    "Bissau-Guinean": "GW",
    "Haitian": "HT",
    "Hungarian": "HU",
    "Indian": "IN",
    "Iranian": "IR",
    "Iraqi": "IQ",
    "Italian": "IT",
    "Ivorian": "CI",
    "Jordanian": "JO",
    "Kenyan": "KE",
    "Kosovar": "XK",
    "Kuwaiti": "KW",
    "Lebanese": "LB",
    "Liberian": "LR",
    "Libyan": "LY",
    "Macedonian": "MK",
    "Malian": "ML",
    "Mauritanian": "MR",
    "Montenegrin": "ME",
    "Moroccan": "MA",
    "Nepali": "NP",
    "Nepalese": "NP",
    "Nigerian": "NG",
    "Nigerien": "NE",
    "Palestinian": "PS",
    "Romanian": "RO",
    "Russian": "RU",
    "Rwandan": "RW",
    "Saudi": "SA",
    "Senegalese": "SN",
    "Serbian": "RS",
    "Sierra Leonean": "SL",
    "Slovenian": "SI",
    "Slovene": "SI",
    "Slovak": "SK",
    "Somali": "SO",
    "Somalian": "SO",
    "Spanish": "ES",
    "Sri Lankan": "LK",
    "Sudanese": "SD",
    "South Sudanese": "SS",
    "Syrian": "SY",
    "Tajik": "TJ",
    "Togolese": "TG",
    "Tunisian": "TN",
    "Turkish": "TR",
    "Ugandan": "UG",
    "Ukrainian": "UA",
    "Uzbek": "UZ",
    "Yemeni": "YE",
}

# Regional names. With a code: a region of one state (the code is the state); ``None``: a region that spans
# several states, or whose state the project does not decide.
_REGIONS: dict[str, str | None] = {
    "Kurdistan Region of Iraq": "IQ",
    "Kurdistan Region": "IQ",
    "Kurdistan (Iraq)": "IQ",
    "Iraqi Kurdistan Region": "IQ",
    "KRI": "IQ",
    "Syrian Kurdistan": "SY",
    "Rojava": "SY",
    "Iranian Kurdistan": "IR",
    "Turkish Kurdistan": "TR",
    "Kurdistan": None,
    "Gaza": "PS",
    "Gaza Strip": "PS",
    "West Bank": "PS",
    "Darfur": "SD",
    "Somaliland": "SO",
    "Puntland": "SO",
    "Chechnya": "RU",
    "Chechen Republic": "RU",
    "Tibet": "CN",
    "Xinjiang": "CN",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Ceuta": "ES",
    "Melilla": "ES",
    "Ceuta and Melilla": "ES",
    "Canary Islands": "ES",
    "Lampedusa": "IT",
    "Sicily": "IT",
    "Crete": "GR",
    "Balochistan": None,
    "Baluchistan": None,
    "Kashmir": None,
    "Punjab": None,
    "Northern Cyprus": None,
    "Crimea": None,
    "Transnistria": None,
    "Abkhazia": None,
    "South Ossetia": None,
    "Nagorno-Karabakh": None,
    "Western Balkans": None,
    "Balkans": None,
    "Balkan route": None,
    "Maghreb": None,
    "Mashreq": None,
    "Sahel": None,
    "Horn of Africa": None,
    "Middle East": None,
    "Near East": None,
    "North Africa": None,
    "Northern Africa": None,
    "West Africa": None,
    "Western Africa": None,
    "East Africa": None,
    "Eastern Africa": None,
    "Central Africa": None,
    "Middle Africa": None,
    "Southern Africa": None,
    "Sub-Saharan Africa": None,
    "Subsaharan Africa": None,
    "South Asia": None,
    "Southern Asia": None,
    "South-eastern Asia": None,
    "South East Asia": None,
    "Western Asia": None,
    "Eastern Asia": None,
    "Central Asia": None,
    "Western / Southern Asia": None,
    "Latin America / Caribbean": None,
    "Latin America and the Caribbean": None,
    "Central America": None,
    "South America": None,
    "North America": None,
    "Caribbean": None,
    "Europe": None,
    "Eastern Europe": None,
    "Africa": None,
    "Asia": None,
    "Oceania": None,
    "EU": None,
    "European Union": None,
    "Mixed": None,  # IOM: people from several regions
}

# Besides UNKNOWN_WORDS: what the country columns of the field's datasets write for "not known".
_UNKNOWN = (
    "Unknown country",
    "Unknown nationality",
    "Nationality unknown",
    "Country unknown",
    "Unknown region",
)

# Languages whose CLDR names are indexed: English, French, Arabic and Farsi (the interface languages), and
# those of the Balkan route and of the people met on it.
_LANGUAGES = (
    "en", "fr", "ar", "fa", "de", "it", "es", "hr", "bs", "sr", "sr_Latn", "sl", "mk", "sq", "el", "hu",
    "ro", "bg", "tr", "ur", "ps", "ckb", "ku", "bn", "ru", "uk", "nl", "pt",
)  # fmt: skip

_INTERFACE_LANGUAGES = ("en", "fr", "ar", "fa")

# Arabic-script letters written two ways (Arabic and Farsi keyboards): fold them to one form.
_ARABIC = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ـ": None})
# Accents (Latin, Greek, Cyrillic) and Arabic short vowels and hamza: optional in writing, so ignored. Vowel
# signs of Indic scripts are letters in all but name and are kept.
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")
_PRESUMED = re.compile(r"\s*\((?:p|presumed)\)\s*$", re.IGNORECASE)
# States whose names differ by a letter or two. Between them a near-miss is a question for a person, so the
# fuzzy match keeps a wider margin, and a translated name about as close to another member's English name as
# to its own is left out (Portuguese "Irã" is one letter from "Iran" and from "Iraq").
_CONFUSABLE: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("IR", "IQ"),
        ("NE", "NG"),
        ("GN", "GW", "GQ", "PG"),
        ("AT", "AU"),
        ("SI", "SK"),
        ("CG", "CD"),
        ("SD", "SS"),
        ("KP", "KR"),
        ("DM", "DO"),
        ("GM", "ZM"),
        ("LY", "LR"),
        ("MR", "MU"),
    )
)
_CONFUSABLE_MARGIN = 0.15  # a guess among them must be this much closer to one than to the others
_TRANSLATION_MARGIN = 0.1  # a translated name must be this much closer to its own state's English name
_FUZZY_CUTOFF = 0.85  # SequenceMatcher ratio: one typo in a name of seven letters or more
_FUZZY_MARGIN = 0.05  # the best match must beat any other country's by this much
_FUZZY_MIN_LENGTH = 4


def _key(text: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive form: ``"Côte d’Ivoire"`` → ``"cotedivoire"``."""
    decomposed = unicodedata.normalize("NFKD", html.unescape(text))
    folded = _MARKS.sub("", decomposed).casefold().translate(_ARABIC)
    folded = re.sub(r"^\s*the\s+", "", folded.replace("&", " and "))
    return "".join(ch for ch in folded if ch.isalnum() or unicodedata.category(ch).startswith("M"))


# A target is what a key means: (code, is a region).
_Target = tuple[str | None, bool]


@dataclass(frozen=True, slots=True)
class _Index:
    exact: Mapping[str, _Target]
    english: Mapping[str, _Target]  # the keys the fuzzy match may land on
    unknown: frozenset[str]
    alpha3: Mapping[str, str]


def _level(pairs: Iterable[tuple[str, _Target]]) -> dict[str, _Target]:
    """Keys to targets, leaving out any key that two different targets claim."""
    found: dict[str, set[_Target]] = {}
    for name, target in pairs:
        if key := _key(name):
            found.setdefault(key, set()).add(target)
    return {key: next(iter(targets)) for key, targets in found.items() if len(targets) == 1}


def _short(name: str) -> str | None:
    """A CLDR name without its note in brackets: ``"Myanmar (Burma)"`` → ``"Myanmar"``, else ``None``."""
    match = re.match(r"^(.+?)\s*\(.+\)$", name)
    return match[1] if match else None


@cache
def _index() -> _Index:
    codes = _codes()
    alpha3 = {country.alpha_3: country.alpha_2 for country in pycountry.countries} | {"XKX": "XK"}
    # From the least to the most trusted: a later level overrides an earlier one.
    regions: list[tuple[str, _Target]] = []  # UN M49 regions ("Sub-Saharan Africa", "Afrique du Nord")
    shortened: list[tuple[str, _Target]] = []  # "Myanmar" from "Myanmar (Burma)"
    translated: list[tuple[str, _Target]] = []
    iso: list[tuple[str, _Target]] = []
    unknown = {_key(name) for name in _UNKNOWN}
    for language in _LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in codes:
                (iso if language == "en" else translated).append((name, (code, False)))
                if short := _short(name):
                    shortened.append((short, (code, False)))
            elif code.isdigit() and language in _INTERFACE_LANGUAGES:
                regions.append((name, (None, True)))
            elif code == "ZZ":
                unknown.add(_key(name))
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if name := getattr(country, attribute, None):
                iso.append((name, (country.alpha_2, False)))
    explicit = _level(
        [(name, (code, False)) for name, code in _ALIASES.items()]
        + [(name, (code, True)) for name, code in _REGIONS.items()]
    )
    english_level = _level(iso)
    english = {**english_level, **explicit}
    exact: dict[str, _Target] = {}
    for level in (_level(regions), _level(shortened), _level(translated)):
        exact.update(
            {key: target for key, target in level.items() if not _near_partner(key, target, english)}
        )
    exact.update(english_level)
    exact.update(explicit)
    return _Index(exact, english, frozenset(unknown), alpha3)


def _partners(code: str | None) -> frozenset[str]:
    """The other members of ``code``'s group of confusable names (empty for most codes)."""
    return frozenset().union(*(group - {code} for group in _CONFUSABLE if code in group))


def _similarity(key: str, codes: frozenset[str], english: Mapping[str, _Target]) -> float:
    """The best ratio between ``key`` and an English key of one of ``codes``."""
    matcher = difflib.SequenceMatcher(autojunk=False, b=key)
    best = 0.0
    for candidate, (code, _) in english.items():
        if code in codes:
            matcher.set_seq1(candidate)
            best = max(best, matcher.ratio())
    return best


def _near_partner(key: str, target: _Target, english: Mapping[str, _Target]) -> bool:
    """True for a translated name about as close to a confusable partner's English name as to its own."""
    code, _ = target
    partners = _partners(code)
    if not partners or code is None:
        return False
    near = _similarity(key, partners, english)
    own = _similarity(key, frozenset({code}), english)
    return near >= _FUZZY_CUTOFF - _FUZZY_MARGIN and near > own - _TRANSLATION_MARGIN


def _fuzzy(key: str) -> _Target | None:
    """The one target whose English key is close to ``key`` and clearly closer than any other's, if any."""
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    best: dict[_Target, float] = {}
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    floor = _FUZZY_CUTOFF - _FUZZY_MARGIN
    for candidate, target in _index().english.items():
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        score = matcher.ratio()
        if score >= floor and score > best.get(target, 0.0):
            best[target] = score
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < _FUZZY_CUTOFF:
        return None
    (target, score), *others = ranked
    if others and others[0][1] > score - _FUZZY_MARGIN:
        return None  # close to two places: Nigera (Niger? Nigeria?) is for a person to decide
    partners = _partners(target[0])
    if partners and _similarity(key, partners, _index().english) > score - _CONFUSABLE_MARGIN:
        return None
    return target


@lru_cache(maxsize=65536)
def normalise_country(text: str) -> CountryMatch:
    """Read a country as a source wrote it; see :class:`CountryMatch` for what comes back.

    - ISO codes, upper case as ISO writes them: ``"BA"``, ``"BIH"`` → BA (``"NA"`` is read as Namibia but
      not certain: in a spreadsheet it far more often means "not available")
    - names in English (ISO, official and common names), in the indexed CLDR languages (``"Hongrie"`` → HU,
      ``"المغرب"`` → MA), common names, demonyms and known misspellings (``"Hungaria"`` → HU), ignoring case,
      accents, punctuation and spaces; a trailing ``(P)`` (presumed, in IOM data) is ignored for the lookup
    - regions: ``"Kurdistan Region of Iraq"`` → IQ with the region kept; ``"Kurdistan"``, ``"Maghreb"``,
      ``"Sub-Saharan Africa (P)"`` → region only
    - empty, ``"unknown"``, ``"n/a"``, ``"-"``, ``"?"`` → ``is_unknown``
    - otherwise a close, unambiguous fuzzy match (``certain=False``) or nothing (unmapped)

    Results are cached: an import reads the same few hundred spellings many thousand times.
    """
    tidy = " ".join(text.split())
    if tidy == "NA":
        return CountryMatch(text, "NA", None, certain=False, is_unknown=False)
    index = _index()
    if is_unknown_text(tidy) or _key(tidy) in index.unknown:
        return CountryMatch(text, None, None, certain=True, is_unknown=True)
    if len(tidy) == 2 and tidy.isupper() and is_country_code(tidy):
        return CountryMatch(text, tidy, None, certain=True, is_unknown=False)
    if len(tidy) == 3 and tidy.isupper() and tidy in index.alpha3:
        return CountryMatch(text, index.alpha3[tidy], None, certain=True, is_unknown=False)
    key = _key(_PRESUMED.sub("", tidy))
    target = index.exact.get(key)
    certain = target is not None
    if target is None:
        target = _fuzzy(key)
    if target is None:
        return CountryMatch(text, None, None, certain=False, is_unknown=False)
    code, is_region = target
    return CountryMatch(text, code, tidy if is_region else None, certain=certain, is_unknown=False)


def split_countries(text: str, sep: str = "|") -> list[str]:
    """The values of a multi-valued cell: ``"Slovenia | Croatia"`` → ``["Slovenia", "Croatia"]``.

    Values are stripped and empty ones dropped. With a comma separator, a value that only makes sense with
    the one before it is joined back to it, so that ISO's inverted names survive: ``"Korea, Republic of,
    Iraq"`` split on ``","`` gives ``["Korea, Republic of", "Iraq"]``.
    """
    pieces = [piece.strip() for piece in text.split(sep)]
    out: list[str] = []
    for piece in filter(None, pieces):
        if out and sep.strip() == ",":
            joined = f"{out[-1]}{sep.rstrip()} {piece}"
            both_alone = normalise_country(out[-1]).certain and normalise_country(piece).certain
            together = normalise_country(joined)
            if not both_alone and together.certain and together.code and not together.region:
                out[-1] = joined
                continue
        out.append(piece)
    return out


@cache
def _territories(language: str) -> Mapping[str, str]:
    try:
        return Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en").territories


def country_name(code: str, language: str = "en") -> str:
    """The name of a country in a language (CLDR via babel): ``country_name("HU", "fr")`` → ``"Hongrie"``.

    Any locale babel knows works (``en``, ``fr``, ``ar``, ``fa``, ``fr-CH``); an unknown one falls back to
    English. XK is Kosovo. A code without a name comes back unchanged, so a page never hides a value.
    """
    code = code.strip().upper()
    return _territories(language).get(code) or USER_ASSIGNED.get(code) or code

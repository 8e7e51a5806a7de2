"""Country names as the legacy database, IOM and people write them, read into ISO alpha-2 codes.

What matters to a user: every ordinary way of naming a state gives its code; a region stays a region;
"unknown" stays unknown; a guess is marked as one so that a person reviews it; and states whose names
differ by a letter are never swapped.
"""

from __future__ import annotations

import string
from typing import Any

import pycountry
import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.countries import (
    USER_ASSIGNED,
    CountryMatch,
    country_name,
    is_country_code,
    normalise_country,
    split_countries,
)

COUNTRIES = sorted(pycountry.countries, key=lambda c: c.alpha_2)


def certain(text: str, code: str) -> CountryMatch:
    return CountryMatch(text, code, None, certain=True, is_unknown=False)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bosnia", "BA"),
        ("Bosnia and Herzegovina", "BA"),
        ("Bosnia & Herzegovina", "BA"),
        ("BiH", "BA"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("Russia", "RU"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Palestine", "PS"),
        ("Kosovo", "XK"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Moldova", "MD"),
        ("Laos", "LA"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("DR Congo", "CD"),
        ("DRC", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("Republic of the Congo", "CG"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("USA", "US"),
        ("United States", "US"),
        ("Western Sahara", "EH"),
        ("The Gambia", "GM"),
        ("Burma", "MM"),
        ("Afghan", "AF"),
        ("Nigerien", "NE"),
        ("Nigerian", "NG"),
    ],
)
def test_names_in_everyday_use(text: str, code: str) -> None:
    assert normalise_country(text) == certain(text, code)


@pytest.mark.parametrize(
    "text", ["bosnia", "BOSNIA", "  Bosnia  ", "Bosnia\u00a0and  Herzegovina", "bosnia-herzegovina"]
)
def test_case_spaces_and_punctuation_do_not_matter(text: str) -> None:
    assert normalise_country(text) == certain(text, "BA")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hongrie", "HU"),
        ("Algérie", "DZ"),
        ("Algerie", "DZ"),
        ("Maroc", "MA"),
        ("المغرب", "MA"),
        ("أفغانستان", "AF"),
        ("افغانستان", "AF"),
        ("ایران", "IR"),
        ("عراق", "IQ"),
        ("Hrvatska", "HR"),
        ("Srbija", "RS"),
        ("Slovenija", "SI"),
        ("Austrija", "AT"),
        ("Australija", "AU"),
        ("Irak", "IQ"),
    ],
)
def test_names_in_other_languages(text: str, code: str) -> None:
    assert normalise_country(text) == certain(text, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hungaria", "HU"),
        ("Marocco", "MA"),
        ("Morrocco", "MA"),
        ("Algeria", "DZ"),
        ("Afganistan", "AF"),
        ("Afghanstan", "AF"),
        ("Pakistn", "PK"),
        ("Pakisthan", "PK"),
        ("Bangaldesh", "BD"),
        ("Tunisa", "TN"),
        ("Lybia", "LY"),
        ("Serbie", "RS"),
    ],
)
def test_known_misspellings_are_read_with_certainty(text: str, code: str) -> None:
    assert normalise_country(text) == certain(text, code)


@pytest.mark.parametrize(("text", "code"), [("Syrria", "SY"), ("Erithrea", "ER"), ("Ethiopea", "ET")])
def test_other_misspellings_are_guessed_but_marked_for_review(text: str, code: str) -> None:
    assert normalise_country(text) == CountryMatch(text, code, None, certain=False, is_unknown=False)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kurdistan Region of Iraq", "IQ"),
        ("Kurdistan", None),
        ("Western Balkans", None),
        ("Maghreb", None),
        ("Central America", None),
        ("Sub-Saharan Africa (P)", None),
        ("Latin America / Caribbean (P)", None),
        ("Gaza Strip", "PS"),
        ("Ceuta", "ES"),
    ],
)
def test_regions_keep_their_name(text: str, code: str | None) -> None:
    assert normalise_country(text) == CountryMatch(text, code, text, certain=True, is_unknown=False)


def test_a_misspelt_region_is_a_guess() -> None:
    assert normalise_country("Magreb") == CountryMatch(
        "Magreb", None, "Magreb", certain=False, is_unknown=False
    )


@pytest.mark.parametrize("text", ["", "  ", "unknown", "Unknown", "n/a", "N/A", "-", "?", "Unknown Region"])
def test_unknown_stays_unknown(text: str) -> None:
    assert normalise_country(text) == CountryMatch(text, None, None, certain=True, is_unknown=True)


@pytest.mark.parametrize("text", ["Qwerty land", "xyz", "Korea", "Array", "no", "in", "Stateless"])
def test_what_is_not_a_country_is_unmapped(text: str) -> None:
    match = normalise_country(text)
    assert match == CountryMatch(text, None, None, certain=False, is_unknown=False)
    assert match.unmapped


def test_codes_are_read_in_upper_case_only() -> None:
    assert normalise_country("BA") == certain("BA", "BA")
    assert normalise_country("BIH") == certain("BIH", "BA")
    assert normalise_country("IRQ") == certain("IRQ", "IQ")
    assert normalise_country("XK") == certain("XK", "XK")
    assert normalise_country("no").code is None  # a word, not Norway


def test_na_is_namibia_only_for_review() -> None:
    """In a spreadsheet "NA" far more often means "not available" than Namibia."""
    assert normalise_country("NA") == CountryMatch("NA", "NA", None, certain=False, is_unknown=False)
    assert normalise_country("Namibia") == certain("Namibia", "NA")
    assert normalise_country("n/a").is_unknown


# --- states whose names differ by a letter ----------------------------------------------------------------

PAIRS = [
    ("Iran", "IR", "Iraq", "IQ"),
    ("Niger", "NE", "Nigeria", "NG"),
    ("Guinea", "GN", "Guinea-Bissau", "GW"),
    ("Austria", "AT", "Australia", "AU"),
    ("Slovenia", "SI", "Slovakia", "SK"),
    ("Gambia", "GM", "Zambia", "ZM"),
    ("Sudan", "SD", "South Sudan", "SS"),
]


@pytest.mark.parametrize(("a", "code_a", "b", "code_b"), PAIRS)
def test_confusable_states_are_told_apart(a: str, code_a: str, b: str, code_b: str) -> None:
    assert normalise_country(a) == certain(a, code_a)
    assert normalise_country(b) == certain(b, code_b)
    assert normalise_country(a.upper()).code == code_a
    assert normalise_country(b.lower()).code == code_b


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Irann", "IQ"),
        ("Irai", "IQ"),
        ("Irai", "IR"),
        ("Iraqq", "IR"),
        ("Nigera", "NE"),
        ("Nigeri", "NE"),
        ("Nigerie", "NE"),
        ("Nigerr", "NG"),
        ("Austrlia", "AT"),
        ("Austia", "AU"),
        ("Australa", "AT"),
        ("Slovania", "SK"),
        ("Slovania", "SI"),
        ("Slovnia", "SK"),
        ("Guinea Bisau", "GN"),
        ("Guinnea", "GW"),
    ],
)
def test_a_misspelling_never_lands_on_the_other_state(text: str, wrong: str) -> None:
    assert normalise_country(text).code != wrong


def _edit(word: str, position: int, letter: str, operation: str) -> str:
    position %= len(word) + 1
    if operation == "insert":
        return word[:position] + letter + word[position:]
    position = min(position, len(word) - 1)
    if operation == "delete":
        return word[:position] + word[position + 1 :]
    if operation == "replace":
        return word[:position] + letter + word[position + 1 :]
    position = min(position, len(word) - 2)
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


@given(
    st.sampled_from(PAIRS),
    st.booleans(),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(string.ascii_lowercase + " -"),
    st.sampled_from(["insert", "delete", "replace", "swap"]),
)
def test_one_typo_never_turns_one_confusable_state_into_the_other(
    pair: tuple[str, str, str, str], second: bool, position: int, letter: str, operation: str
) -> None:
    a, code_a, b, code_b = pair
    name, other = (b, code_a) if second else (a, code_b)
    match = normalise_country(_edit(name.lower(), position, letter, operation))
    if match.code == other:  # only when the typo spells one of the other state's own names ("Iran" → "Iraq")
        assert match.certain, match


# --- every name ISO and CLDR give ----------------------------------------------------------------------


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.alpha_2)
def test_every_iso_name_and_code_reads_back(country: Any) -> None:
    code = country.alpha_2
    texts = [country.alpha_3] + [
        name for attr in ("name", "official_name", "common_name") if (name := getattr(country, attr, None))
    ]
    if code != "NA":  # see test_na_is_namibia_only_for_review
        texts.append(code)
    for text in texts:
        assert normalise_country(text) == certain(text, code)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "fa"])
def test_every_cldr_name_in_the_interface_languages_reads_back(language: str) -> None:
    wrong = {
        name: normalise_country(name)
        for code, name in Locale.parse(language).territories.items()
        if is_country_code(code) and normalise_country(name) != certain(name, code)
    }
    assert wrong == {}


# --- splitting cells -----------------------------------------------------------------------------------


def test_split_a_legacy_cell() -> None:
    assert split_countries("Slovenia | Croatia") == ["Slovenia", "Croatia"]
    assert split_countries("Croatia | Bosnia and Herzegovina") == ["Croatia", "Bosnia and Herzegovina"]
    assert split_countries(" Afghanistan |  | Pakistan | ") == ["Afghanistan", "Pakistan"]
    assert split_countries("") == []
    assert split_countries("unknown") == ["unknown"]


def test_split_on_commas_keeps_iso_inverted_names_whole() -> None:
    assert split_countries("Afghanistan,Pakistan", ",") == ["Afghanistan", "Pakistan"]
    assert split_countries("Korea, Republic of, Iraq", ",") == ["Korea, Republic of", "Iraq"]
    assert split_countries("Congo, The Democratic Republic of the,Congo", ",") == [
        "Congo, The Democratic Republic of the",
        "Congo",
    ]


@given(st.lists(st.sampled_from(COUNTRIES), max_size=6), st.sampled_from([",", ", ", " | "]))
def test_split_then_read_gives_the_codes_back(countries: list[Any], sep: str) -> None:
    cell = sep.join(c.name for c in countries)
    parts = split_countries(cell, "," if sep.strip() == "," else sep)
    assert [normalise_country(part).code for part in parts] == [c.alpha_2 for c in countries]


# --- names for pages ---------------------------------------------------------------------------------


def test_country_names_for_pages() -> None:
    assert country_name("HU") == "Hungary"
    assert country_name("HU", "fr") == "Hongrie"
    assert country_name("HU", "ar") == "هنغاريا"
    assert country_name("HU", "fa") == "مجارستان"
    assert country_name("XK") == USER_ASSIGNED["XK"] == "Kosovo"
    assert country_name("XK", "fr") == "Kosovo"
    assert country_name("BA", "fr-CH") == country_name("BA", "fr")


def test_country_names_never_hide_a_value() -> None:
    assert country_name("HU", "xx") == "Hungary"  # an unknown language falls back to English
    assert country_name("ZZZ") == "ZZZ"


@given(st.sampled_from(COUNTRIES), st.sampled_from(["en", "fr", "ar", "fa"]))
def test_a_page_name_reads_back_to_its_code(country: Any, language: str) -> None:
    code = country.alpha_2
    assert normalise_country(country_name(code, language)).code == code

"""The violence typology (METHODOLOGY §3) and causes of death (§4) as documenters and importers see them.

The expected codes, groups, severities and BVMN legacy labels are written out here from METHODOLOGY, not
read from the data files, so that a change to a vocabulary file that departs from the specification fails.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.typology import (
    CAUSE_OF_DEATH_CODES,
    LANGUAGES,
    VIOLENCE_CODES,
    cause_of_death,
    cause_of_death_for_label,
    causes_of_death,
    violence_code_for_legacy_label,
    violence_type,
    violence_types,
)

# METHODOLOGY §3, in its order: code, group (None for "—"), severity, BVMN legacy labels.
METHODOLOGY_3: tuple[tuple[str, str | None, int, tuple[str, ...]], ...] = (
    ("beating", "physical", 4, ("beating (with batons/hands/other)",)),
    ("kicking", "physical", 4, ("kicking",)),
    ("pushing_to_ground", "physical", 3, ("pushing people to the ground",)),
    ("electric_shock", "physical", 5, ("electric shock",)),
    ("chemical_irritant", "physical", 4, ("pepper spray",)),
    ("water_abuse", "physical", 4, ("water immersion", "pouring water over one's head")),
    ("dog_attack", "physical", 5, ("dog attacks",)),
    ("firearm_discharge", "physical", 5, ("gunshots",)),
    ("restraint", "physical", 3, ("handcuffed",)),
    ("threat_with_weapon", "threat", 4, ("threatening with guns", "threatening with baton")),
    ("verbal_abuse", "degrading", 2, ("insulting",)),
    ("forced_undressing", "degrading", 4, ("forcing to undress",)),
    ("exposure", "degrading", 3, ("exposure to air condition and extreme temperature during car ride",)),
    ("humiliation", "degrading", 2, ()),
    ("sexual_violence", "sexual", 5, ("sexual assault",)),
    ("dangerous_transport", "transport", 3, ("reckless driving",)),
    ("theft_of_belongings", "property", 2, ("theft of personal belongings",)),
    ("destruction_of_belongings", "property", 2, ("destruction of personal belongings",)),
    ("document_confiscation", "property", 3, ("theft of official documents",)),
    ("arbitrary_detention", "detention", 3, ()),
    ("denial_of_necessities", "detention", 3, ()),
    ("denial_of_asylum", "procedure", 3, ()),
    ("collective_expulsion", "procedure", 3, ()),
    ("enforced_disappearance", "lethal", 5, ()),
    ("death", "lethal", 5, ()),
    ("other", None, 1, ()),
    ("no_violence", None, 0, ("no violence used",)),
)
CODES_3 = [row[0] for row in METHODOLOGY_3]
LEGACY_3 = [(alias, code) for code, _, _, aliases in METHODOLOGY_3 for alias in aliases]

# METHODOLOGY §4, in its order, with the "Cause of Death" labels of IOM Missing Migrants Project exports
# (the 2022 global-figures file and the older short forms).
METHODOLOGY_4: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("drowning", ("Drowning",)),
    ("vehicle_accident", ("Vehicle accident / death linked to hazardous transport", "Vehicle Accident")),
    (
        "harsh_conditions",
        ("Harsh environmental conditions / lack of adequate shelter, food, water", "Harsh conditions"),
    ),
    ("violence", ("Violence",)),
    (
        "sickness",
        ("Sickness / lack of access to adequate healthcare", "Sickness and lack of access to medicines"),
    ),
    ("accidental", ("Accidental death", "Accidental")),
    ("mixed_or_unknown", ("Mixed or unknown", "Unknown")),
)
CODES_4 = [row[0] for row in METHODOLOGY_4]
MMP_4 = [(label, code) for code, labels in METHODOLOGY_4 for label in labels]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "typology.md"


def _every_labelled_entry() -> list[tuple[str, dict[str, str]]]:
    """(name, labels) for every violence label set, violence meaning set and cause-of-death label set."""
    entries: list[tuple[str, dict[str, str]]] = []
    for t in violence_types():
        entries.append((f"violence {t.code} labels", dict(t.labels)))
        entries.append((f"violence {t.code} meaning", dict(t.meaning)))
    for c in causes_of_death():
        entries.append((f"cause {c.code} labels", dict(c.labels)))
    return entries


ENTRY_IDS = [name for name, _ in _every_labelled_entry()]


def _arabic_letter(char: str) -> bool:
    """True for letters of the Arabic script blocks (Arabic, Supplement, Extended-A, presentation forms)."""
    point = ord(char)
    return (
        0x0600 <= point <= 0x06FF
        or 0x0750 <= point <= 0x077F
        or 0x08A0 <= point <= 0x08FF
        or 0xFB50 <= point <= 0xFDFF
        or 0xFE70 <= point <= 0xFEFF
    )


def _letters(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch).startswith("L")]


# --- the typology matches METHODOLOGY §3 ---------------------------------------------------------------


def test_codes_are_exactly_those_of_methodology_in_its_order() -> None:
    assert [t.code for t in violence_types()] == CODES_3
    assert VIOLENCE_CODES == frozenset(CODES_3)


@pytest.mark.parametrize(("code", "group", "severity", "aliases"), METHODOLOGY_3, ids=CODES_3)
def test_each_code_has_the_group_severity_and_legacy_labels_of_methodology(
    code: str, group: str | None, severity: int, aliases: tuple[str, ...]
) -> None:
    entry = violence_type(code)
    assert entry.code == code
    assert entry.group == group
    assert entry.severity == severity
    assert entry.legacy_aliases == aliases


def test_severities_are_integers_from_0_to_5_and_only_no_violence_is_0() -> None:
    for t in violence_types():
        assert type(t.severity) is int
        assert 0 <= t.severity <= 5, t.code
    assert [t.code for t in violence_types() if t.severity == 0] == ["no_violence"]


def test_an_unknown_code_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="punching"):
        violence_type("punching")


def test_vocabulary_entries_are_read_only() -> None:
    entry = violence_type("beating")
    with pytest.raises(TypeError):
        entry.labels["en"] = "Hitting"  # type: ignore[index]
    with pytest.raises(AttributeError):
        entry.severity = 1  # type: ignore[misc]


# --- BVMN legacy labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "code"), LEGACY_3, ids=[a for a, _ in LEGACY_3])
def test_every_legacy_label_maps_to_its_code(label: str, code: str) -> None:
    assert violence_code_for_legacy_label(label) == code
    assert violence_code_for_legacy_label(label.upper()) == code
    assert violence_code_for_legacy_label(label.title()) == code
    assert violence_code_for_legacy_label(f"  {label.replace(' ', '   ')}\t") == code


def test_a_legacy_label_belongs_to_one_code_only() -> None:
    aliases = [alias.casefold() for t in violence_types() for alias in t.legacy_aliases]
    assert len(aliases) == len(set(aliases))


@given(pair=st.sampled_from(LEGACY_3), data=st.data())
def test_legacy_label_lookup_ignores_any_case_and_spacing(pair: tuple[str, str], data: st.DataObject) -> None:
    label, code = pair
    words = label.split(" ")
    gap = st.sampled_from([" ", "  ", "\t", " \n ", "\u00a0"])
    gaps = data.draw(st.lists(gap, min_size=len(words) - 1, max_size=len(words) - 1))
    edges = data.draw(st.lists(st.sampled_from(["", " ", "\t", "\n"]), min_size=2, max_size=2))
    spaced = edges[0] + words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True)) + edges[1]
    flips = data.draw(st.lists(st.booleans(), min_size=len(spaced), max_size=len(spaced)))
    recased = "".join(ch.upper() if flip else ch for ch, flip in zip(spaced, flips, strict=True))
    assert violence_code_for_legacy_label(recased) == code


@pytest.mark.parametrize(
    "label",
    [
        "",
        "   ",
        "unknown",
        "beating",  # only the exact legacy string maps; free text is judged by a person
        "beating (with batons/hands/other) | kicking",  # a whole multi-valued cell is not one label
        "cutting up the shoe soles",
        "no violence",
        "pepper",
        "pepper spray tear gas",
    ],
)
def test_other_labels_map_to_nothing(label: str) -> None:
    assert violence_code_for_legacy_label(label) is None


def test_codes_themselves_are_not_legacy_labels_unless_methodology_says_so() -> None:
    legacy = dict(LEGACY_3)
    for code in CODES_3:
        # Only `kicking` is both a code and a BVMN label; `electric_shock` etc. are not BVMN strings.
        assert violence_code_for_legacy_label(code) == legacy.get(code)


# --- translations --------------------------------------------------------------------------------------


def test_the_four_languages() -> None:
    assert LANGUAGES == ("en", "fr", "ar", "fa")


@pytest.mark.parametrize(("name", "texts"), _every_labelled_entry(), ids=ENTRY_IDS)
def test_every_label_and_meaning_exists_in_every_language(name: str, texts: dict[str, str]) -> None:
    assert set(texts) == set(LANGUAGES), name
    for language, text in texts.items():
        assert text.strip(), f"{name}: empty {language}"
        assert text == " ".join(text.split()), f"{name}: stray whitespace in {language}"


@pytest.mark.parametrize(("name", "texts"), _every_labelled_entry(), ids=ENTRY_IDS)
def test_arabic_and_farsi_are_written_in_arabic_script(name: str, texts: dict[str, str]) -> None:
    for language in ("ar", "fa"):
        letters = _letters(texts[language])
        assert letters, f"{name}: no letters in {language}"
        assert all(_arabic_letter(ch) for ch in letters), f"{name}: non-Arabic-script letters in {language}"


@pytest.mark.parametrize(("name", "texts"), _every_labelled_entry(), ids=ENTRY_IDS)
def test_farsi_uses_persian_letters_and_arabic_uses_arabic_ones(name: str, texts: dict[str, str]) -> None:
    # Persian keyboards type YEH U+06CC and KEHEH U+06A9; Arabic ones YEH U+064A and KAF U+0643. Mixing them
    # makes search and sorting miss words, so each language keeps its own letters.
    assert not set(texts["fa"]) & {"\u064a", "\u0643", "\u0649"}, name
    assert not set(texts["ar"]) & {"\u06cc", "\u06a9", "\u06af", "\u067e", "\u0686", "\u0698"}, name


@pytest.mark.parametrize(("name", "texts"), _every_labelled_entry(), ids=ENTRY_IDS)
def test_english_and_french_are_latin_and_start_with_a_capital(name: str, texts: dict[str, str]) -> None:
    for language in ("en", "fr"):
        text = texts[language]
        assert not any(_arabic_letter(ch) for ch in text), name
        assert text[0].isupper(), f"{name}: {language} {text!r}"


def test_french_is_a_translation_not_a_copy_of_the_english() -> None:
    entries = _every_labelled_entry()
    same = [name for name, texts in entries if texts["fr"] == texts["en"]]
    # A few words are the same in both languages ("Humiliation", "Violence"); most are not.
    assert len(same) <= 3, same
    assert all(name.endswith("labels") for name in same), same


def test_labels_in_one_language_tell_codes_apart() -> None:
    for language in LANGUAGES:
        labels = [t.label(language) for t in violence_types()]
        assert len(labels) == len(set(labels)), language
        causes = [c.label(language) for c in causes_of_death()]
        assert len(causes) == len(set(causes)), language


def test_meanings_are_one_sentence() -> None:
    for t in violence_types():
        for language, text in t.meaning.items():
            assert text.endswith("."), f"{t.code} {language}"
            assert "." not in text[:-1].replace("...", ""), f"{t.code} {language}: more than one sentence"


def test_english_labels_read_as_a_form_would_say_them() -> None:
    assert violence_type("beating").label() == "Beating"
    assert violence_type("pushing_to_ground").label("en") == "Pushing to the ground"
    assert violence_type("chemical_irritant").label() == "Pepper spray / tear gas"
    assert violence_type("firearm_discharge").label() == "Shots fired"
    assert violence_type("no_violence").label() == "No violence used"
    for t in violence_types():
        assert "_" not in t.label(), t.code


def test_labels_in_the_other_languages() -> None:
    beating = violence_type("beating")
    assert (beating.label("fr"), beating.label("ar"), beating.label("fa")) == ("Coups", "الضرب", "ضرب و شتم")
    assert cause_of_death("drowning").label("fr") == "Noyade"


# --- choosing a language -------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["fa", "fa-IR", "fa-ir", "FA-IR", "fa_IR", "fa-Arab-AF", "fa-AF"])
def test_a_regional_or_differently_written_tag_gives_the_language_label(tag: str) -> None:
    for t in violence_types():
        assert t.label(tag) == t.labels["fa"]
    for c in causes_of_death():
        assert c.label(tag) == c.labels["fa"]


@pytest.mark.parametrize("tag", ["de", "de-AT", "ps", "ku", "ur", "", "-", "e", "english"])
def test_a_language_without_labels_falls_back_to_english(tag: str) -> None:
    for t in violence_types():
        assert t.label(tag) == t.labels["en"]
    for c in causes_of_death():
        assert c.label(tag) == c.labels["en"]


@given(st.text(max_size=20))
def test_label_always_returns_a_label_of_the_entry(tag: str) -> None:
    for t in (violence_type("beating"), violence_type("other")):
        assert t.label(tag) in t.labels.values()
    assert cause_of_death("sickness").label(tag) in cause_of_death("sickness").labels.values()


def test_default_label_is_english() -> None:
    assert violence_type("kicking").label() == violence_type("kicking").labels["en"] == "Kicking"


# --- causes of death (METHODOLOGY §4) ------------------------------------------------------------------


def test_causes_of_death_are_those_of_methodology_in_its_order() -> None:
    assert [c.code for c in causes_of_death()] == CODES_4
    assert CAUSE_OF_DEATH_CODES == frozenset(CODES_4)


@pytest.mark.parametrize(("code", "labels"), METHODOLOGY_4, ids=CODES_4)
def test_mmp_labels_are_kept_exactly(code: str, labels: tuple[str, ...]) -> None:
    assert cause_of_death(code).mmp_labels == labels


@pytest.mark.parametrize(("label", "code"), MMP_4, ids=[label for label, _ in MMP_4])
def test_every_mmp_label_maps_to_its_cause(label: str, code: str) -> None:
    assert cause_of_death_for_label(label) == code
    assert cause_of_death_for_label(label.upper()) == code
    assert cause_of_death_for_label(f" {label.replace(' ', '  ')} ") == code


@pytest.mark.parametrize("code", CODES_4)
def test_every_cause_code_maps_to_itself(code: str) -> None:
    assert cause_of_death_for_label(code) == code
    assert cause_of_death_for_label(code.upper()) == code


@pytest.mark.parametrize(
    "label",
    ["", "drowned", "Drowning,Mixed or unknown", "Harsh environmental conditions", "hypothermia", "0"],
)
def test_anything_else_is_no_cause(label: str) -> None:
    # A comma-joined MMP cell holds several causes; splitting it is the importer's job, not a label lookup.
    assert cause_of_death_for_label(label) is None


def test_the_violence_cause_and_the_violence_codes_are_different_vocabularies() -> None:
    assert cause_of_death_for_label("beating") is None
    assert violence_code_for_legacy_label("Drowning") is None


# --- the documentation page ----------------------------------------------------------------------------


@pytest.mark.skipif(not DOCS.exists(), reason="docs/typology.md is not part of this checkout")
def test_the_documentation_page_lists_every_code_with_its_labels() -> None:
    page = DOCS.read_text(encoding="utf-8")
    for t in violence_types():
        row = next((line for line in page.splitlines() if re.match(rf"\|\s*`{t.code}`\s*\|", line)), None)
        assert row is not None, t.code
        for text in (*t.labels.values(), *t.legacy_aliases, str(t.severity)):
            assert text in row, f"{t.code}: {text!r} missing from docs/typology.md"
    for c in causes_of_death():
        row = next((line for line in page.splitlines() if re.match(rf"\|\s*`{c.code}`\s*\|", line)), None)
        assert row is not None, c.code
        for text in (*c.labels.values(), *c.mmp_labels):
            assert text in row, f"{c.code}: {text!r} missing from docs/typology.md"

"""Ages as told in testimonies, read into ages, ranges, age bands and "were minors involved"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.ages import AGE_BANDS, AgeInfo, parse_ages


@pytest.mark.parametrize(
    ("text", "ages", "ranges", "bands", "minors"),
    [
        ("3, 5, 16, 28", (3, 5, 16, 28), (), ("0-4", "5-11", "12-17", "25-34"), True),
        ("20-40 years old", (), ((20, 40),), ("18-24", "25-34", "35-49"), False),
        ("between 20 and 30", (), ((20, 30),), ("18-24", "25-34"), False),
        ("between 18 and 30", (), ((18, 30),), ("18-24", "25-34"), False),
        ("around 25", (25,), (), ("25-34",), False),
        ("~25", (25,), (), ("25-34",), False),
        ("25 y.o.", (25,), (), ("25-34",), False),
        ("17 and 19", (17, 19), (), ("12-17", "18-24"), True),
        ("mid-twenties", (), ((24, 26),), ("18-24", "25-34"), False),
        ("early 20s", (), ((20, 23),), ("18-24",), False),
        ("late thirties", (), ((37, 39),), ("35-49",), False),
        ("20s", (), ((20, 29),), ("18-24", "25-34"), False),
        ("20s and 30s", (), ((20, 29), (30, 39)), ("18-24", "25-34", "35-49"), False),
        ("1.5", (1,), (), ("0-4",), True),
        ("18 months", (1,), (), ("0-4",), True),
        ("3 weeks old baby", (0,), (), ("0-4",), True),
        ("under 18", (), ((0, 17),), ("0-4", "5-11", "12-17"), True),
        ("12-15", (), ((12, 15),), ("12-17",), True),
        ("70", (70,), (), ("65+",), False),
        ("25, 25", (25, 25), (), ("25-34",), False),
        ("17 and 20-25", (17,), ((20, 25),), ("12-17", "18-24", "25-34"), True),
    ],
)
def test_ages_as_told(
    text: str,
    ages: tuple[int, ...],
    ranges: tuple[tuple[int, int], ...],
    bands: tuple[str, ...],
    minors: bool | None,
) -> None:
    assert parse_ages(text) == AgeInfo(ages, ranges, bands, minors, understood=True)


@pytest.mark.parametrize(
    ("text", "minors"),
    [
        ("minors", True),
        ("children", True),
        ("a baby", True),
        ("underage", True),
        ("adults", False),
        ("no minors", False),
        ("over 18", False),
        ("18+", False),
        ("17 or older", None),  # 17 is a minor, 18 is not
        ("over 10", None),
    ],
)
def test_words_say_whether_minors_were_involved_without_an_age(text: str, minors: bool | None) -> None:
    assert parse_ages(text) == AgeInfo(minors=minors, understood=True)


def test_a_range_across_18_leaves_minors_unknown() -> None:
    assert parse_ages("16-20").minors is None
    assert parse_ages("teenagers") == AgeInfo((), ((13, 19),), ("12-17", "18-24"), None, True)
    assert parse_ages("16-20, 8").minors is True


def test_a_number_of_people_is_not_an_age() -> None:
    assert parse_ages("2 minors (15, 16)") == AgeInfo((15, 16), (), ("12-17",), True, True)
    assert parse_ages("3 children aged 5, 7") == AgeInfo((5, 7), (), ("5-11",), True, True)


@pytest.mark.parametrize("text", [None, "", "  ", "unknown", "n/a", "-", "age unknown"])
def test_nothing_known_is_understood_and_unknown(text: str | None) -> None:
    assert parse_ages(text) == AgeInfo(minors=None, understood=True)


@pytest.mark.parametrize("text", ["see the testimony", "young", "born 1995", "200", "a big group"])
def test_text_that_says_no_age_is_not_understood(text: str) -> None:
    assert parse_ages(text) == AgeInfo(understood=False)


def test_numbers_above_120_are_not_ages() -> None:
    assert parse_ages("25, 250") == AgeInfo((25,), (), ("25-34",), False, True)


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=8))
def test_a_list_of_ages_reads_back_in_order(ages: list[int]) -> None:
    info = parse_ages(", ".join(map(str, ages)))
    assert info.ages == tuple(ages)
    assert info.minors is any(age < 18 for age in ages)
    assert info.understood
    assert set(info.bands) <= set(AGE_BANDS)
    assert list(info.bands) == sorted(info.bands, key=AGE_BANDS.index)  # in band order


@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=120))
def test_a_range_touches_every_band_between_its_ends(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    info = parse_ages(f"{low}-{high} years old")
    assert info.ranges == ((low, high),)
    first, last = parse_ages(str(low)).bands[0], parse_ages(str(high)).bands[0]
    assert info.bands == AGE_BANDS[AGE_BANDS.index(first) : AGE_BANDS.index(last) + 1]
    assert info.minors is (True if high < 18 else False if low >= 18 else None)

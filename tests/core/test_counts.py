"""Counts, officer ranges and yes/no/unknown answers as the legacy database and IOM write them.

Unknown stays unknown (never 0, never "no"), and what cannot be read raises an error that quotes the text,
so the importer can keep it verbatim and flag the field.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.counts import is_unknown_text, parse_count, parse_count_range, parse_tri

UNKNOWN = [
    "",
    "   ",
    "unknown",
    "Unknown",
    " UNKNOWN ",
    "n/a",
    "N/A",
    "na",
    "-",
    "--",
    "?",
    "none",
    "nan",
    "null",
]


@pytest.mark.parametrize("text", [*UNKNOWN, None])
def test_unknown_is_none_never_zero(text: str | None) -> None:
    assert is_unknown_text(text)
    assert parse_count(text) is None
    assert parse_count_range(text) is None
    assert parse_tri(text) == "unknown"


@pytest.mark.parametrize(("text", "expected"), [("8", 8), (" 8 ", 8), ("8.0", 8), ("0", 0), ("1,000", 1000)])
def test_counts(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("many", "not a count"), ("-3", "negative"), ("abc", "not a count"), ("2.5", "not a whole number")],
)
def test_a_count_that_cannot_be_read_raises_quoting_the_text(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as caught:
        parse_count(text)
    assert repr(text) in str(caught.value)


@given(st.integers(min_value=0, max_value=10**12))
def test_every_written_count_reads_back(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(f" {n} ") == n
    assert parse_count(f"{n}.0") == n
    assert parse_count_range(str(n)) == (n, n)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14", (14, 14)),
        ("25-30", (25, 30)),
        ("25 – 30", (25, 30)),
        ("10 - 12", (10, 12)),
        ("25 to 30", (25, 30)),
        ("between 25 and 30", (25, 30)),
        ("about 10", (10, 10)),
        ("~10", (10, 10)),
        ("around 10", (10, 10)),
        ("10+", (10, None)),
        ("more than 10", (10, None)),
        ("at least 10", (10, None)),
        ("up to 10", (None, 10)),
        ("14 officers", (14, 14)),
        ("25-30 police officers", (25, 30)),
        ("0", (0, 0)),
    ],
)
def test_officer_counts_and_ranges(text: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_count_range(text) == expected


@pytest.mark.parametrize("text", ["many", "dozens", "-3", "a lot of police", "10-abc", "5-"])
def test_a_range_that_cannot_be_read_raises_quoting_the_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_count_range(text)
    assert repr(text) in str(caught.value)


def test_a_range_upside_down_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum is above the maximum"):
        parse_count_range("30-25")


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_every_written_range_reads_back(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    for text in (f"{low}-{high}", f"{low} – {high}", f"{low} to {high}", f"between {low} and {high}"):
        assert parse_count_range(text) == (low, high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Yes", "yes"),
        ("Y", "yes"),
        ("true", "yes"),
        ("1", "yes"),
        ("oui", "yes"),
        ("no", "no"),
        ("NO", "no"),
        ("n", "no"),
        ("False", "no"),
        ("0", "no"),
        ("non", "no"),
        ("unknown", "unknown"),
        ("", "unknown"),
    ],
)
def test_yes_no_unknown(text: str, expected: str) -> None:
    assert parse_tri(text) == expected


@pytest.mark.parametrize("text", ["partly", "maybe later", "2"])
def test_an_answer_that_is_not_yes_no_or_unknown_raises(text: str) -> None:
    with pytest.raises(ValueError, match="is not yes, no or unknown") as caught:
        parse_tri(text)
    assert repr(text) in str(caught.value)

"""Coordinates: IOM's WKT (longitude first), "lat, lon" pairs, the legacy database's decimal commas.

A swapped point lands in another country without any error, so the order is never guessed. Range checks
are not done here (validation names the field), so an implausible number comes back as it was written.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.coords import parse_coordinate, parse_point

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("POINT (-110.366453 31.650259)", (31.650259, -110.366453)),
        ("POINT(-110.366453 31.650259)", (31.650259, -110.366453)),
        ("point (15.7773 45.1847)", (45.1847, 15.7773)),
        ("POINT Z (15.7773 45.1847 120)", (45.1847, 15.7773)),
        ("31.650259, -110.366453", (31.650259, -110.366453)),
        ("31.650259,-110.366453", (31.650259, -110.366453)),
        ("(45.1847, 15.7773)", (45.1847, 15.7773)),
        ("45,1847; 15,7773", (45.1847, 15.7773)),
        ("45,1847, 15,7773", (45.1847, 15.7773)),
        ("45°11'05\"N 15°46'38\"E", (45.18472222222222, 15.777222222222223)),
        ("15.7773 E, 45.1847 N", (45.1847, 15.7773)),
        ("33.5 S, 70.6 W", (-33.5, -70.6)),
    ],
)
def test_points(text: str, expected: tuple[float, float]) -> None:
    assert parse_point(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [None, "", "  ", "unknown", "n/a", "POINT EMPTY"])
def test_no_point_is_unknown(text: str | None) -> None:
    assert parse_point(text) is None


def test_two_bare_numbers_are_refused_because_their_order_is_unknown() -> None:
    with pytest.raises(ValueError, match="could be lat lon or lon lat") as caught:
        parse_point("31.65 -110.36")
    assert "'31.65 -110.36'" in str(caught.value)


@pytest.mark.parametrize("text", ["abc", "POINT (1)", "1, 2, 3", "45,1847,15,7773", "45N, 15N"])
def test_a_point_that_cannot_be_read_raises_quoting_the_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_point(text)
    assert repr(text) in str(caught.value)


def test_no_range_check_here() -> None:
    assert parse_point("454826.06, 19.6128") == (454826.06, 19.6128)
    assert parse_coordinate("454826.06") == 454826.06


@given(latitudes, longitudes)
def test_formatted_points_read_back(lat: float, lon: float) -> None:
    assert parse_point(f"POINT ({lon!r} {lat!r})") == (lat, lon)
    assert parse_point(f"POINT({lon} {lat})") == (lat, lon)
    assert parse_point(f"{lat!r}, {lon!r}") == (lat, lon)
    assert parse_point(f"{lat:.6f},{lon:.6f}") == (float(f"{lat:.6f}"), float(f"{lon:.6f}"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45.1847", 45.1847),
        ("45,1847", 45.1847),
        (" 15,7773 ", 15.7773),
        ("-15.77", -15.77),
        ("+15.77", 15.77),
        ("0", 0.0),
        ("45°11'05\"N", 45.18472222222222),
        ("45° 11.5' S", -45.19166666666667),
        ("15.7773 W", -15.7773),
        ("1.5e-05", 1.5e-05),
    ],
)
def test_coordinates(text: str, expected: float) -> None:
    assert parse_coordinate(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [None, "", "unknown", "-"])
def test_no_coordinate_is_unknown(text: str | None) -> None:
    assert parse_coordinate(text) is None


@pytest.mark.parametrize("text", ["abc", "1.2.3", "inf", "45°61'N", "-45 S"])
def test_a_coordinate_that_cannot_be_read_raises_quoting_the_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_coordinate(text)
    assert repr(text) in str(caught.value)


@given(st.floats(min_value=-180, max_value=180, allow_nan=False))
def test_written_coordinates_read_back_with_a_point_or_a_comma(value: float) -> None:
    written = f"{value:.6f}"
    assert parse_coordinate(written) == float(written)
    assert parse_coordinate(written.replace(".", ",")) == float(written)

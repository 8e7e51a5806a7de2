"""Border areas: named polygons first, then the grid, the country, or unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.areas import AreaError, BorderAreas, border_areas
from bordermonitor.demo.borders import ROUTES

SHIPPED = border_areas()


def _square(code: str, west: float, south: float, size: float, hole: bool = False) -> dict[str, object]:
    outer = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    rings = [outer]
    if hole:
        q = size / 4
        rings.append([[west + q, south + q], [west + 3 * q, south + q], [west + 3 * q, south + 3 * q],
                      [west + q, south + 3 * q], [west + q, south + q]])  # fmt: skip
    return {"type": "Feature", "properties": {"code": code, "name": {"en": code.upper(), "fr": "fr " + code}},
            "geometry": {"type": "Polygon", "coordinates": rings}}  # fmt: skip


def _areas(*features: dict[str, object], **extra: object) -> BorderAreas:
    return BorderAreas.from_geojson({"type": "FeatureCollection", "features": list(features), **extra})


def test_the_shipped_areas_hold_the_border_towns_monitors_work_in() -> None:
    expected = {
        ("Velika Kladuša", "BA"): "hr-ba-una-sana",
        ("Cetingrad", "HR"): "hr-ba-una-sana",
        ("Metlika", "SI"): "si-hr-kupa",
        ("Trieste", "IT"): "it-si-trieste",
        ("Röszke", "HU"): "hu-rs-csongrad",
        ("Orestiada", "GR"): "gr-tr-evros",
        ("Mytilene", "GR"): "gr-tr-aegean",
        ("Kuźnica", "PL"): "pl-by-podlasie",
        ("Ventimiglia", "IT"): "fr-it-ventimiglia",
    }
    places = {(p.town, p.country): p for route in ROUTES for p in route.places}
    for (town, country), code in expected.items():
        place = places[(town, country)]
        assert SHIPPED.assign(place.lat, place.lon, place.country) == code, town


def test_outside_every_area_a_place_falls_into_a_grid_cell_named_by_its_corners() -> None:
    code = SHIPPED.assign(36.9, -2.46, "ES")  # Almería
    assert code == "grid:36.5:-2.5"
    assert SHIPPED.name(code) == "36.5°N–37°N 2.5°W–2°W"
    assert SHIPPED.known(code)


def test_without_coordinates_the_country_places_it_and_without_either_it_is_unknown() -> None:
    assert SHIPPED.assign(None, 15.8, "HR") == "country:HR"
    assert SHIPPED.name("country:HR", "ar") == "كرواتيا"
    assert SHIPPED.assign(None, None, None) == "unknown"


def test_names_follow_the_language_and_fall_back_to_english() -> None:
    assert SHIPPED.name("gr-tr-evros", "fa-IR") == "مرز زمینی یونان و ترکیه (اوروس)"
    own = _areas(_square("north", 0, 0, 1))
    assert own.name("north", "ar") == "NORTH"


def test_the_first_area_that_holds_a_point_wins_and_holes_are_outside() -> None:
    areas = _areas(_square("ring", 0, 0, 4, hole=True), _square("under", 0, 0, 4))
    assert areas.assign(0.5, 0.5, None) == "ring"
    assert areas.assign(2, 2, None) == "under"  # inside the hole of the first


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"type": "Feature"}, "FeatureCollection"),
        ({"type": "FeatureCollection", "features": [{"properties": {}}]}, r"feature 1: properties.code"),
        ({"type": "FeatureCollection", "features": [_square("a", 0, 0, 1), _square("a", 2, 2, 1)]}, "repeated: a"),
        ({"type": "FeatureCollection", "features": [{"properties": {"code": "x"}, "geometry": {"type": "Point"}}]},
         r"feature 1 \(x\): geometry must be a Polygon"),
        ({"type": "FeatureCollection", "features": [_square("far", 179.5, 0, 1)]}, r"outside \[-180, 180\]"),
        ({"type": "FeatureCollection", "features": [], "grid_degrees": 0}, "grid_degrees"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_used_is_refused_naming_the_feature(
    document: dict[str, object], message: str
) -> None:
    with pytest.raises(AreaError, match=message):
        BorderAreas.from_geojson(document)


def test_a_network_reads_its_own_file(tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [_square("ours", 15, 45, 1)]}))
    assert border_areas(str(path)).assign(45.5, 15.5, "HR") == "ours"
    with pytest.raises(AreaError, match="cannot read"):
        border_areas(str(tmp_path / "missing.geojson"))


_places = st.tuples(
    st.none() | st.floats(36, 56),
    st.none() | st.floats(0, 30),
    st.none() | st.sampled_from(["HR", "BA"]),
)


@given(st.lists(_places, max_size=30), st.floats(-90, 90), st.floats(-180, 180))
def test_many_places_at_once_get_the_codes_each_gets_alone(
    places: list[tuple[float | None, float | None, str | None]], lat: float, lon: float
) -> None:
    places = [*places, (lat, lon, None)]
    codes = SHIPPED.assign_many(places)
    assert codes == [SHIPPED.assign(*place) for place in places]
    assert all(SHIPPED.known(code) for code in codes)

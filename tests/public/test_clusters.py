"""Map markers never cover one another: incidents gathered in tight groups (as real places are: a border
crossing, a town) straddle the clustering cells' edges at every zoom, and the clusters still hold exactly the
incidents in view, each once, with no two markers overlapping where Leaflet draws them."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.public import query
from bordermonitor.public.filters import Filters, parse_bbox
from bordermonitor.public.overlap import GAP, Placed, marker_size, separate
from bordermonitor.public.release import Release, load_release
from tests.public.brute import matches, overlapping_markers, screen_pixels
from tests.public.factory import incident_rows, write_release

CHECK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Groups a few kilometres wide, a few tens of kilometres apart: neighbours on the screen from zoom 5 to 10.
CENTRES = [(45.0 + 0.12 * (k % 4), 15.6 + 0.17 * (k // 4)) for k in range(12)]


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> tuple[Release, list[dict[str, Any]]]:
    rng = random.Random(3)
    rows = incident_rows(360, seed=11)
    for row in rows:
        lat, lon = rng.choice(CENTRES)
        row["lat"], row["lon"] = round(lat + rng.gauss(0, 0.01), 4), round(lon + rng.gauss(0, 0.01), 4)
    return load_release(write_release(tmp_path_factory.mktemp("dense") / "r", rows)), rows


boxes = st.none() | st.tuples(
    st.floats(14.0, 16.0), st.floats(44.0, 45.4), st.floats(0.05, 3.0), st.floats(0.05, 2.0)
).map(lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))


@CHECK
@given(zoom=st.integers(2, 14), box=boxes, kind=st.none() | st.sampled_from(["pushback", "death"]))
def test_dense_places_give_clusters_that_do_not_overlap_and_hold_every_incident_once(
    zoom: int,
    box: tuple[float, float, float, float] | None,
    kind: str | None,
    dense: tuple[Release, list[dict[str, Any]]],
) -> None:
    release, rows = dense
    found, total = query.clusters(release.index, release.select(Filters(kind=kind)), zoom=zoom, bbox=box)
    expected = [r for r in rows if matches(r, Filters(kind=kind, bbox=box or (-180, -90, 180, 90)))]
    assert total == sum(c.count for c in found) == len(expected)
    assert overlapping_markers(found, zoom=zoom, box=box) == []
    ids = {r["id"] for r in expected}
    singles = [release.index.ids[c.position] for c in found if c.position is not None]
    assert set(singles) <= ids and len(singles) == len(set(singles))
    for cluster in found:  # its box, given to the list, shows at least its incidents
        if cluster.count > 1:
            assert cluster.bbox is not None
            assert parse_bbox(",".join(map(str, cluster.bbox))) == cluster.bbox
            assert sum(1 for r in expected if matches(r, Filters(bbox=cluster.bbox))) >= cluster.count


@pytest.mark.parametrize("zoom", [0, 4, 9])
@pytest.mark.parametrize(
    "box",
    [
        (2.4321665644328962e-132, 0.0, 0.0, 50.0),  # from a hair east of 0 round the world to 0
        (0.0, 0.0, -1e-300, 50.0),  # from 0 round the world to a hair west of it
        (15.9, 0.0, -180.0, 50.0),  # ending exactly on the 180th meridian
    ],
)
def test_a_box_round_the_world_but_a_hairline_gives_clusters_whose_boxes_list_their_incidents(
    zoom: int, box: tuple[float, float, float, float], dense: tuple[Release, list[dict[str, Any]]]
) -> None:
    release, rows = dense
    found, total = query.clusters(release.index, None, zoom=zoom, bbox=box)
    expected = [r for r in rows if matches(r, Filters(bbox=box))]
    assert expected and total == sum(c.count for c in found) == len(expected)
    assert overlapping_markers(found, zoom=zoom, box=box) == []
    for cluster in found:
        assert -180.0 <= cluster.lon <= 180.0
        if cluster.count > 1:
            assert cluster.bbox is not None
            assert sum(1 for r in expected if matches(r, Filters(bbox=cluster.bbox))) >= cluster.count


def test_zoomed_out_a_group_is_one_marker_and_zoomed_in_it_splits(
    dense: tuple[Release, list[dict[str, Any]]],
) -> None:
    release, _rows = dense
    far, _ = query.clusters(release.index, None, zoom=4, bbox=None)
    near, _ = query.clusters(release.index, None, zoom=10, bbox=(15.4, 44.8, 16.4, 45.6))
    assert len(far) == 1 and len(near) >= len(CENTRES)


def _apart(count: int, xs: list[float], zoom: int) -> list[Placed]:
    """Clusters of ``count`` incidents along the equator at these screen x positions."""
    world = 256 * 2**zoom
    return [
        Placed(count=count, lat_sum=0.0, lon_sum=count * (x / world * 360 - 180), position=None) for x in xs
    ]


def test_markers_already_apart_are_left_alone() -> None:
    spacing = marker_size(50) + GAP
    given_ = _apart(50, [1000.0 + spacing * k for k in range(10)], 8)
    kept = separate([Placed(c.count, c.lat_sum, c.lon_sum, c.position) for c in given_], zoom=8)
    assert [(c.count, c.lon_sum) for c in kept] == [(c.count, c.lon_sum) for c in given_]


def test_a_row_of_touching_markers_becomes_one_at_their_mean() -> None:
    merged = separate(_apart(5, [1000.0 + 5 * k for k in range(6)], 8), zoom=8)
    assert len(merged) == 1 and merged[0].count == 30
    x, _y = screen_pixels(0.0, merged[0].lon_sum / merged[0].count, zoom=8)
    assert abs(x - 1012.5) < 1e-6


placed = st.builds(
    lambda n, lat, lon: Placed(count=n, lat_sum=n * lat, lon_sum=n * lon, position=0 if n == 1 else None),
    st.integers(1, 3000),
    st.floats(-60, 60),
    st.floats(-179, 179),
)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(placed, max_size=60), zoom=st.integers(0, 12))
def test_separating_keeps_every_incident_and_leaves_no_overlap(items: list[Placed], zoom: int) -> None:
    count = sum(c.count for c in items)
    lat = sum(c.lat_sum for c in items)
    out = separate(items, zoom=zoom)
    assert sum(c.count for c in out) == count
    assert abs(sum(c.lat_sum for c in out) - lat) < 1e-6 * max(1.0, abs(lat))
    assert all((c.position is not None) == (c.count == 1) for c in out)
    shown = [_Shown(c.lat_sum / c.count, c.lon_sum / c.count, marker_size(c.count)) for c in out]
    assert overlapping_markers(shown, zoom=zoom, box=None) == []


class _Shown:
    def __init__(self, lat: float, lon: float, size: int) -> None:
        self.lat, self.lon, self.size = lat, lon, size

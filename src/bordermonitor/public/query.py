"""Selecting, counting, paging and clustering incidents of an :class:`~bordermonitor.public.index.IncidentIndex`.

A selection is a set of positions as packed bits (:mod:`bordermonitor.public.bits`), or ``None`` for "all
incidents" (so the unfiltered case never allocates anything). Dates: an incident matches ``date_from``/``date_to`` when its whole published period
lies inside the range — a date published as 2023-05 matches 2023-05 and 2023-04…2023-06 but not
2023-05-15…2023-05-31, and an unknown date matches no date filter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bordermonitor.public import bits
from bordermonitor.public.filters import BBox, Filters
from bordermonitor.public.index import IncidentIndex, day_range
from bordermonitor.public.overlap import Placed, marker_size, mercator_y, separate

__all__ = [
    "CELL_PIXELS",
    "FACETS",
    "MAX_CELLS_ACROSS",
    "Cluster",
    "Summary",
    "clusters",
    "count",
    "facets",
    "in_bbox",
    "page",
    "positions",
    "select",
    "summarise",
]

FACETS = ("expelled_by", "violence", "nationality", "kind", "year", "minors_involved", "country")
CELL_PIXELS = 64  # incidents are first counted in squares of this many screen pixels (more than a marker)
MAX_CELLS_ACROSS = 64  # whatever the zoom, a request gets at most this many cells along each side
_SINGLE = ("kind", "country", "expelled_by", "violence", "nationality")


def in_bbox(index: IncidentIndex, bbox: BBox) -> np.ndarray:
    min_lon, min_lat, max_lon, max_lat = bbox
    lat, lon = index.lat, index.lon
    with np.errstate(invalid="ignore"):  # NaN (no place) compares False
        inside = (lat >= min_lat) & (lat <= max_lat)
        if min_lon <= max_lon:
            return inside & (lon >= min_lon) & (lon <= max_lon)
        return inside & ((lon >= min_lon) | (lon <= max_lon))  # across the 180th meridian


def select(index: IncidentIndex, filters: Filters, *, text: Callable[[str], np.ndarray]) -> np.ndarray | None:
    """The incidents matching every filter, as packed bits (``None``: no filter, all incidents). ``text(q)``
    gives the packed bits of the incidents matching a full-text query (the release's FTS5 table)."""
    parts: list[np.ndarray] = []
    for name in _SINGLE:
        value = getattr(filters, name)
        if value is not None:
            parts.append(index.fields[name].mask(value))
    if filters.minors_involved is not None:
        parts.append(index.fields["minors_involved"].mask(str(filters.minors_involved).lower()))
    if filters.q is not None:
        parts.append(text(filters.q))
    dates = None
    if filters.date_from is not None:
        first = day_range(filters.date_from)
        assert first is not None  # noqa: S101 - parse_filters accepted it
        dates = index.first_day >= first[0]
    if filters.date_to is not None:
        last = day_range(filters.date_to)
        assert last is not None  # noqa: S101 - parse_filters accepted it
        dates = index.last_day <= last[1] if dates is None else dates & (index.last_day <= last[1])
    if dates is not None:
        parts.append(bits.from_bool(dates))
    if filters.bbox is not None:
        parts.append(bits.from_bool(in_bbox(index, filters.bbox)))
    if not parts:
        return None
    mask = parts[0].copy()
    for part in parts[1:]:
        mask &= part
    return mask


def count(index: IncidentIndex, mask: np.ndarray | None) -> int:
    return index.size if mask is None else bits.count(mask)


def positions(index: IncidentIndex, mask: np.ndarray | None) -> np.ndarray:
    """Every selected position, ascending."""
    return np.arange(index.size, dtype=np.int64) if mask is None else bits.positions(mask)


def facets(index: IncidentIndex, mask: np.ndarray | None) -> dict[str, dict[str | None, int]]:
    """Incidents per value of each facet among the selected ones. Multi-valued facets (states, typology
    codes, nationalities) count an incident once under each of its values, so they do not add up to the
    total; single-valued ones (kind, year, minors, country) include unknown as ``None``."""
    return {name: index.fields[name].counts(mask) for name in FACETS}


def page(
    index: IncidentIndex, mask: np.ndarray | None, *, number: int, size: int, newest_first: bool
) -> np.ndarray:
    """Positions of page ``number`` (from 1) of ``size`` incidents, newest or oldest first."""
    start = (number - 1) * size
    if mask is None:
        total = index.size
        if start >= total:
            return np.zeros(0, dtype=np.int64)
        if newest_first:
            return np.arange(total - 1 - start, max(total - 1 - start - size, -1), -1, dtype=np.int64)
        return np.arange(start, min(start + size, total), dtype=np.int64)
    return bits.page(mask, start=start, size=size, newest_first=newest_first)


@dataclass(frozen=True, slots=True)
class Cluster:
    lat: float  # mean position of its incidents (the incident's own place for a cluster of one)
    lon: float
    count: int
    position: int | None  # the incident's position when the cluster holds exactly one
    bbox: BBox | None = None  # a box holding all its incidents (and maybe a few more), for more than one

    @property
    def size(self) -> int:
        """Diameter of its marker in screen pixels: the clusters of one answer never overlap at it."""
        return marker_size(self.count)


def _wrap(lon: float) -> float:
    return lon - 360.0 if lon > 180.0 else lon


def _latitude(y: np.ndarray) -> np.ndarray:
    """Latitudes of web-mercator y positions (world heights, 0 north)."""
    lat: np.ndarray = np.degrees(np.arctan(np.sinh(math.pi * (1.0 - 2.0 * np.clip(y, 0.0, 1.0)))))
    return lat


def _cluster(index: IncidentIndex, item: Placed) -> Cluster:
    if item.position is not None:
        p = item.position
        return Cluster(lat=float(index.lat[p]), lon=float(index.lon[p]), count=1, position=p)
    assert item.extent is not None  # noqa: S101 - every cell has one
    return Cluster(
        lat=item.lat_sum / item.count,
        lon=_wrap(item.lon_sum / item.count),
        count=item.count,
        position=None,
        bbox=_box(item.extent),
    )


def _box(extent: tuple[float, float, float, float], *, digits: int = 5) -> BBox:
    """A cluster's extent as a ``bbox`` filter: rounded outwards to ``digits`` decimals, longitudes back in
    -180…180 (west > east when it crosses the 180th meridian)."""
    unit = 10.0**digits
    west, south, east, north = extent
    west, south = math.floor(west * unit) / unit, math.floor(south * unit) / unit
    east, north = math.ceil(east * unit) / unit, math.ceil(north * unit) / unit
    south, north = max(south, -90.0), min(north, 90.0)
    if east - west >= 360.0:
        return -180.0, south, 180.0, north
    west = west - 360.0 if west > 180.0 else max(west, -180.0)
    east = east - 360.0 if east > 180.0 + 1e-6 else min(east, 180.0)
    return west, south, east, north


def _in_view(
    index: IncidentIndex, mask: np.ndarray | None, bbox: BBox | None, *, sparse_share: int
) -> np.ndarray:
    """Positions of the selected incidents with a place inside ``bbox``, ascending. A small box is found by
    a binary search on the longitudes (sorted once per release) and looks only at its candidates; a wide one
    scans the arrays in order, which is faster when most incidents are in view."""
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        west = int(np.searchsorted(index.lon_sorted, min_lon, side="left"))
        east = int(np.searchsorted(index.lon_sorted, max_lon, side="right"))
        candidates = east - west if min_lon <= max_lon else index.by_lon.size - west + east
        if candidates <= index.size // sparse_share:
            if min_lon <= max_lon:
                found = index.by_lon[west:east]
            else:  # across the 180th meridian
                found = np.concatenate([index.by_lon[west:], index.by_lon[:east]])
            lat = index.lat[found]
            found = np.sort(found[(lat >= min_lat) & (lat <= max_lat)]).astype(np.int64)
            if mask is not None:
                word = mask[found >> 6]
                found = found[((word >> (found & 63).astype(np.uint64)) & np.uint64(1)).astype(bool)]
            return found
        inside = in_bbox(index, bbox)
    else:
        inside = bits.to_bool(index.located, index.size)
    if mask is not None:
        inside &= bits.to_bool(mask, index.size)
    return np.flatnonzero(inside)


def clusters(
    index: IncidentIndex, mask: np.ndarray | None, *, zoom: int, bbox: BBox | None, sparse_share: int = 16
) -> tuple[list[Cluster], int]:
    """Incidents with a place, grouped in square cells of :data:`CELL_PIXELS` at ``zoom`` (web-mercator,
    256-pixel tiles). Returns the clusters and the number of incidents they hold. The cells are counted
    within ``bbox`` (the whole world when None) and never more than :data:`MAX_CELLS_ACROSS` along each side:
    a request for a high zoom over a wide box gets coarser cells, not a million markers. The cells' clusters
    are then merged until no two markers overlap at the zoom (:func:`bordermonitor.public.overlap.separate`).
    A box holding at most ``1 / sparse_share`` of the incidents is searched by longitude instead of scanned."""
    cell = CELL_PIXELS / (256.0 * 2.0**zoom)  # in world widths
    # Whether the box crosses the 180th meridian is read from its degrees, as the filter reads it: in world
    # widths its edges may round to one value (0.5 for a box from 1e-100 eastwards round to 0), which
    # would make a box around the whole world look like a line.
    across_meridian = bbox is not None and bbox[0] > bbox[2]
    if bbox is None:
        west, east, north, south = 0.0, 1.0, 0.0, 1.0
    else:
        min_lon, min_lat, max_lon, max_lat = bbox
        west, east = (min_lon + 180) / 360, (max_lon + 180) / 360 + (1.0 if across_meridian else 0.0)
        north, south = mercator_y(max_lat), mercator_y(min_lat)
    cell = max(cell, (east - west) / MAX_CELLS_ACROSS, (south - north) / MAX_CELLS_ACROSS, 1e-12)
    positions = _in_view(index, mask, bbox, sparse_share=sparse_share)
    if positions.size == 0:
        return [], 0
    x = index.x[positions]
    lon = index.lon[positions]
    if bbox is not None and across_meridian:  # the part east of the 180th meridian continues past 180
        shifted = lon < bbox[0]
        x = np.where(shifted, x + 1.0, x)
        lon = np.where(shifted, lon + 360.0, lon)
    across = math.floor((east - west) / cell) + 1
    down = math.floor((south - north) / cell) + 1
    cx = np.clip(((x - west) / cell).astype(np.int64), 0, across - 1)
    cy = np.clip(((index.y[positions] - north) / cell).astype(np.int64), 0, down - 1)
    key = cx * down + cy
    counts = np.bincount(key, minlength=across * down)
    lat_sum = np.bincount(key, weights=index.lat[positions], minlength=across * down)
    lon_sum = np.bincount(key, weights=lon, minlength=across * down)
    occupied = np.flatnonzero(counts)
    first = np.full(across * down, -1, dtype=np.int64)
    first[key] = positions  # a cell of one holds that one position
    # Each cell's square, in degrees (east of the 180th meridian unwrapped) and within the box: it holds the
    # cell's incidents, so a cluster's union of squares is a box that lists all of its incidents.
    left = west + (occupied // down) * cell
    top = north + (occupied % down) * cell
    margin = 1e-9  # so that rounding never leaves an incident on an edge out
    edges = (
        left * 360 - 180 - margin,
        np.where(top + cell >= 1.0, -90.0, _latitude(top + cell) - margin),  # the poles past mercator's edge
        (left + cell) * 360 - 180 + margin,
        np.where(top <= 0.0, 90.0, _latitude(top) + margin),
    )
    if bbox is not None:
        frame = (bbox[0], bbox[1], bbox[2] + (360.0 if across_meridian else 0.0), bbox[3])
        edges = (
            np.maximum(edges[0], frame[0]),
            np.maximum(edges[1], frame[1]),
            np.minimum(edges[2], frame[2]),
            np.minimum(edges[3], frame[3]),
        )
    cells = [
        Placed(
            count=int(counts[k]),
            lat_sum=float(lat_sum[k]),
            lon_sum=float(lon_sum[k]),
            position=int(first[k]) if counts[k] == 1 else None,
            extent=(float(edges[0][n]), float(edges[1][n]), float(edges[2][n]), float(edges[3][n])),
        )
        for n, k in enumerate(occupied)
    ]
    out = [_cluster(index, item) for item in separate(cells, zoom=zoom)]
    return out, int(positions.size)


@dataclass(frozen=True, slots=True)
class Summary:
    """The headline figures of a release, computed once from its index."""

    incidents: int
    people: int  # sum of the known group sizes
    people_known: int  # incidents whose group size is known
    minors_involved: int  # incidents where minors were involved
    with_violence: int  # incidents with at least one typology code
    located: int  # incidents with a place on the map

    @property
    def violence_share(self) -> float | None:
        return None if not self.incidents else self.with_violence / self.incidents


def summarise(index: IncidentIndex) -> Summary:
    known = index.group_size >= 0
    return Summary(
        incidents=index.size,
        people=int(index.group_size[known].sum()),
        people_known=int(np.count_nonzero(known)),
        minors_involved=int(index.fields["minors_involved"].of("true").size),
        with_violence=int(np.unique(index.fields["violence"].positions).size),
        located=bits.count(index.located),
    )

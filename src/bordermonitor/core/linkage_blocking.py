"""Blocking: which pairs of reports are worth comparing at all.

Two reports *may match* when three cheap conditions hold (:func:`may_match`):

- **dates**: each report's period (a day, a month, a year) widened by its :func:`window_days` overlaps the
  other's; a report without a date does not block;
- **places**: with coordinates on both sides, at most :data:`PLACE_RADIUS_KM` apart; otherwise the same
  border area, or the same country, and a side without any place does not block;
- **expelling states**: the chains share a state, or either is unknown;
- **sources**: not two rows of one organisation's dataset (the IOM Missing Migrants file, say): its publisher
  has already told its incidents apart, so its rows are compared with other sources, not with each other.

:func:`block_pair_arrays` finds every such pair of a table without looking at all pairs: records with
coordinates are put in latitude bands one radius high and, within a band, in longitude cells at least one
radius wide at the band's highest latitude (so a pair within the radius is in the same or neighbouring
cells); inside each cell they are sorted by date and each record looks only at the date window after it.
Records without coordinates are joined to the records of their country and area the same way. Every
candidate then passes the exact predicate, so the result is exactly the pairs :func:`may_match` accepts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt

from bordermonitor.core.linkage_levels import EARTH_RADIUS_KM, chord
from bordermonitor.core.linkage_records import UNKNOWN_AREA, LinkRecord
from bordermonitor.core.linkage_table import DATASET, LinkTable, interval, unit_vector, window_days

__all__ = ["PLACE_RADIUS_KM", "block_pair_arrays", "compatible", "may_match", "neighbour_counts"]

PLACE_RADIUS_KM = 25.0
_CHORD2 = chord(PLACE_RADIUS_KM) ** 2
_CHUNK = 4_000_000  # candidate pairs examined at once

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
PairFilter = Callable[[Ints, Ints], Bools]


def may_match(a: LinkRecord, b: LinkRecord) -> bool:
    """Whether two reports may describe the same incident: dates, places and expelling states compatible."""
    return _dates_ok(a, b) and _places_ok(a, b) and _states_ok(a, b) and _sources_ok(a, b)


def _dates_ok(a: LinkRecord, b: LinkRecord) -> bool:
    first, second = interval(a), interval(b)
    if first is None or second is None:
        return True
    gap = max(0, max(first[0], second[0]) - min(first[1], second[1]))
    return gap <= window_days(a) + window_days(b)


def _places_ok(a: LinkRecord, b: LinkRecord) -> bool:
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        (xa, ya, za), (xb, yb, zb) = unit_vector(a.lat, a.lon), unit_vector(b.lat, b.lon)
        dx, dy, dz = xa - xb, ya - yb, za - zb
        return dx * dx + dy * dy + dz * dz <= _CHORD2
    if a.area != UNKNOWN_AREA and a.area == b.area:
        return True
    if a.country and b.country:
        return a.country == b.country
    return True


def _states_ok(a: LinkRecord, b: LinkRecord) -> bool:
    return not a.expelled_by or not b.expelled_by or not set(a.expelled_by).isdisjoint(b.expelled_by)


def _sources_ok(a: LinkRecord, b: LinkRecord) -> bool:
    return not (a.kind == b.kind == DATASET and a.organisation == b.organisation)


def compatible(t: LinkTable, i: Ints, j: Ints) -> Bools:
    """:func:`may_match` for the pairs ``(i[k], j[k])`` of a table (the same arithmetic, so the same answer)."""
    dated = (t.precision[i] > 0) & (t.precision[j] > 0)
    gap = np.maximum(0, np.maximum(t.lo[i], t.lo[j]) - np.minimum(t.hi[i], t.hi[j]))
    ok = ~dated | (gap <= t.window[i] + t.window[j])
    points = t.has_point[i] & t.has_point[j]
    dx, dy, dz = t.x[i] - t.x[j], t.y[i] - t.y[j], t.z[i] - t.z[j]
    with np.errstate(invalid="ignore"):
        near = dx * dx + dy * dy + dz * dz <= _CHORD2
    same_area = (t.area[i] >= 0) & (t.area[i] == t.area[j])
    countries = (t.country[i] >= 0) & (t.country[j] >= 0)
    loose = same_area | ~countries | (t.country[i] == t.country[j])
    ok &= np.where(points, near, loose)
    chained = (t.chain[i] >= 0) & (t.chain[j] >= 0)
    shared = t.states.common(i, j) > 0
    ok &= ~chained | shared
    ok &= ~(t.dataset[i] & t.dataset[j] & (t.organisation[i] == t.organisation[j]))
    return np.asarray(ok)


# ------------------------------------------------------------------------------------------- candidate joins


_CLASSES = (0, 1, 2, 3)  # precision: none, day, month, year


class _Side:
    """The right side of a join: its records by precision, each part sorted by (bucket, first day)."""

    def __init__(self, joiner: _Joiner, rows: Ints, buckets: Ints) -> None:
        t = joiner.t
        self.parts: dict[int, tuple[Ints, Ints]] = {}
        for kind in _CLASSES:
            pick = t.precision[rows] == kind
            chosen = rows[pick]
            start = t.lo[chosen] - joiner.base + joiner.pad if kind else np.zeros(len(chosen), dtype=np.int64)
            keys = buckets[pick] * joiner.stride + start
            order = np.argsort(keys, kind="stable")
            self.parts[kind] = (chosen[order], keys[order])


class _Joiner:
    """Range joins over one table: each left record with the right records of its target bucket whose dates
    may match. Records are split by date precision, so a record known to the day looks only a few days
    around it among the others known to the day, a month or so among those known to the month."""

    def __init__(self, t: LinkTable, part: tuple[int, int] | None = None) -> None:
        self.t = t
        self.part = part
        dated = t.precision > 0
        self.base = int(t.lo[dated].min()) if dated.any() else 0
        span = int(t.hi[dated].max()) - self.base if dated.any() else 0
        self.reach: dict[int, int] = {}
        self.length: dict[int, int] = {}
        for kind in _CLASSES[1:]:
            pick = t.precision == kind
            self.reach[kind] = int(t.window[pick].max()) if pick.any() else 0
            self.length[kind] = int((t.hi - t.lo)[pick].max()) if pick.any() else 0
        widest = max(self.reach.values())
        self.pad = 2 * widest + max(self.length.values()) + 2
        self.stride = span + 2 * self.pad + 2

    def side(self, rows: Ints, buckets: Ints) -> _Side:
        return _Side(self, rows, buckets)

    def join(
        self, rows: Ints, targets: Ints, right: _Side, *, self_join: bool
    ) -> Iterator[tuple[Ints, Ints]]:
        if self.part is not None:
            mine = rows % self.part[1] == self.part[0]
            rows, targets = rows[mine], targets[mine]
        yield from self._join(rows, targets, right, self_join=self_join)

    def _join(
        self, rows: Ints, targets: Ints, right: _Side, *, self_join: bool
    ) -> Iterator[tuple[Ints, Ints]]:
        """Pairs (left row, right row) with the right row in the target bucket and a date that may match.

        In a self-join (the left records are the right side, each targeting its own bucket) a record meets
        only the records of its own precision placed after it, and those of a coarser precision (no date
        counting as the finest), so every pair comes once.
        """
        t, stride = self.t, self.stride
        for mine in _CLASSES:
            pick = t.precision[rows] == mine
            left, target = rows[pick], targets[pick] * stride
            if not len(left):
                continue
            for theirs in _CLASSES:
                if self_join and theirs < mine:
                    continue
                right_rows, keys = right.parts[theirs]
                if not len(right_rows):
                    continue
                if mine and theirs:
                    reach = t.window[left] + self.reach[theirs]
                    first = target + t.lo[left] - self.base + self.pad - reach - self.length[theirs]
                    last = target + t.hi[left] - self.base + self.pad + reach
                else:
                    first, last = target, target + stride - 1
                starts = np.searchsorted(keys, first, side="left")
                ends = np.searchsorted(keys, last, side="right")
                if self_join and theirs == mine:
                    position = np.zeros(t.size, dtype=np.int64)
                    position[right_rows] = np.arange(len(right_rows))
                    starts = np.maximum(starts, position[left] + 1)
                yield from self._expand(left, starts, ends, right_rows)

    def _expand(self, rows: Ints, starts: Ints, ends: Ints, right_rows: Ints) -> Iterator[tuple[Ints, Ints]]:
        counts = np.maximum(ends - starts, 0)
        keep = counts > 0
        rows, starts, counts = rows[keep], starts[keep], counts[keep]
        total = np.cumsum(counts)
        begin = 0
        while begin < len(rows):
            done = int(total[begin - 1]) if begin else 0
            end = max(begin + 1, int(np.searchsorted(total, done + _CHUNK, side="right")))
            part = counts[begin:end]
            left = np.repeat(rows[begin:end], part)
            offsets = np.arange(int(part.sum())) - np.repeat(np.cumsum(part) - part, part)
            other = right_rows[np.repeat(starts[begin:end], part) + offsets]
            ok = compatible(self.t, left, other)
            yield left[ok], other[ok]
            begin = end


def _band_width(radius: float, latitude: float) -> float:
    """Degrees of longitude that points within ``radius`` (radians) of a point at ``latitude`` can be apart."""
    cos = math.cos(math.radians(min(abs(latitude), 90.0)))
    if cos <= math.sin(radius):
        return 360.0
    return math.degrees(math.asin(math.sin(radius) / cos)) * (1 + 1e-6) + 1e-9


def _cells(lon: npt.NDArray[np.float64], widths: npt.NDArray[np.float64]) -> tuple[Ints, Ints]:
    """Longitude cell of each point, and the number of cells around the globe, for the given cell widths."""
    count = np.maximum(1, np.floor(360.0 / widths)).astype(np.int64)
    cell = np.floor((lon + 180.0) / (360.0 / count)).astype(np.int64) % count
    return cell, count


def _spatial(joiner: _Joiner) -> Iterator[tuple[Ints, Ints]]:
    """Pairs of records with coordinates within the radius (and compatible otherwise)."""
    t = joiner.t
    rows = np.flatnonzero(t.has_point).astype(np.int64)
    if len(rows) < 2:
        return
    radius = PLACE_RADIUS_KM / EARTH_RADIUS_KM
    height = math.degrees(radius) * (1 + 1e-6) + 1e-9
    lat, lon = t.lat[rows], t.lon[rows]
    band = np.floor((lat + 90.0) / height).astype(np.int64)
    bands = int(band.max()) + 2
    edges = -90.0 + np.arange(bands + 2) * height
    top = np.maximum(np.abs(edges[:-1]), np.abs(edges[1:]))  # the highest |latitude| of each band
    same_width = np.array([_band_width(radius, x) for x in top])
    cross_width = np.maximum(same_width[:-1], same_width[1:])  # bands b and b + 1 together
    most = int(np.max(np.floor(360.0 / np.minimum(same_width[:-1], cross_width)))) + 1

    # the same band: the own cell (self-join) and the next cell eastwards
    cell, count = _cells(lon, same_width[band])
    right = joiner.side(rows, band * most + cell)
    yield from joiner.join(rows, band * most + cell, right, self_join=True)
    east = (count >= 3) | ((count == 2) & (cell == 0))
    yield from joiner.join(
        rows[east], band[east] * most + (cell[east] + 1) % count[east], right, self_join=False
    )

    # band b with band b + 1: cells of the wider width of the two; the cell itself and its two neighbours
    upper = band >= 1
    cell, count = _cells(lon[upper], cross_width[band[upper] - 1])
    right = joiner.side(rows[upper], (band[upper] - 1) * most + cell)
    cell, count = _cells(lon, cross_width[band])
    for shift in (-1, 0, 1):
        pick = (count >= 3) | ((count == 2) & (shift >= 0)) | (shift == 0)
        target = band[pick] * most + (cell[pick] + shift) % count[pick]
        yield from joiner.join(rows[pick], target, right, self_join=False)


def _placeless(joiner: _Joiner) -> Iterator[tuple[Ints, Ints]]:
    """Pairs where a side has no coordinates, each found once: by country, to records without a country,
    and by area for the pairs of different countries in the same area."""
    t = joiner.t
    points = np.flatnonzero(t.has_point).astype(np.int64)
    known = np.flatnonzero(~t.has_point & (t.country >= 0)).astype(np.int64)
    unknown = np.flatnonzero(~t.has_point & (t.country < 0)).astype(np.int64)
    if not len(known) and not len(unknown):
        return
    nothing = np.zeros(t.size, dtype=np.int64)
    country_points = points[t.country[points] >= 0]
    # with a country: the records with coordinates in that country, the others without coordinates there,
    # and the records with coordinates but no country
    yield from joiner.join(
        known, t.country[known], joiner.side(country_points, t.country[country_points]), self_join=False
    )
    yield from joiner.join(known, t.country[known], joiner.side(known, t.country[known]), self_join=True)
    stateless = points[t.country[points] < 0]
    yield from joiner.join(known, nothing[known], joiner.side(stateless, nothing[stateless]), self_join=False)
    # without a country: everything
    yield from joiner.join(unknown, nothing[unknown], joiner.side(points, nothing[points]), self_join=False)
    yield from joiner.join(unknown, nothing[unknown], joiner.side(known, nothing[known]), self_join=False)
    yield from joiner.join(unknown, nothing[unknown], joiner.side(unknown, nothing[unknown]), self_join=True)
    # the same area in different countries (a crossing): not found above
    placed = known[t.area[known] >= 0]
    others = np.flatnonzero((t.area >= 0) & (t.country >= 0)).astype(np.int64)
    for left, right in joiner.join(
        placed, t.area[placed], joiner.side(others, t.area[others]), self_join=False
    ):
        keep = (t.country[left] != t.country[right]) & (t.has_point[right] | (left < right))
        yield left[keep], right[keep]


def block_pair_arrays(t: LinkTable, *, part: tuple[int, int] | None = None) -> Iterator[tuple[Ints, Ints]]:
    """Every pair ``(i, j)``, ``i < j``, of rows of the table that :func:`may_match`, in chunks of arrays.

    ``part=(k, n)`` gives the k-th of n disjoint shares of the pairs (for parallel workers): together the n
    shares are every pair once.
    """
    if part is not None and not (0 <= part[0] < part[1]):
        raise ValueError(f"part: {part!r} is not (k, n) with 0 <= k < n")
    joiner = _Joiner(t, part)
    for left, right in itertools.chain(_spatial(joiner), _placeless(joiner)):
        if len(left):
            yield np.minimum(left, right), np.maximum(left, right)


def neighbour_counts(
    t: LinkTable, *, keep: PairFilter | None = None, part: tuple[int, int] | None = None
) -> Ints:
    """How many other rows each row of the table may match (:func:`block_pair_arrays`; only the pairs ``keep``
    accepts when given), over the ``part`` of the pairs when given."""
    counts = np.zeros(t.size, dtype=np.int64)
    for left, right in block_pair_arrays(t, part=part):
        if keep is not None:
            chosen = keep(left, right)
            left, right = left[chosen], right[chosen]
        counts += np.bincount(left, minlength=t.size) + np.bincount(right, minlength=t.size)
    return counts

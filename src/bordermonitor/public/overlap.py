"""Map markers that never cover one another: the last step of clustering, in screen pixels at the zoom.

Counting incidents in square cells of 64 pixels is fast but not enough: a cluster is drawn at the mean
position of its incidents, so two neighbouring cells whose incidents gather near their shared edge give two
markers drawn on top of each other (at zoom 8 over the Balkans, most of them). Here the clusters of the cells
are merged until no two markers overlap at the size the site draws them (:func:`marker_size`, which the API
returns with each cluster so the map script draws exactly that).

The merging is greedy, biggest cluster first, as map clustering libraries do: a cluster that would overlap
one already placed joins the nearest such one, which moves to the mean position of their incidents, grows,
and is placed again (it may now overlap another). Every merge removes a cluster, so it ends; placed clusters
never overlap, so when every cluster is placed none does. Only the clusters of neighbouring grid buckets of
:data:`REACH` pixels are ever compared, so a few hundred cells cost about a millisecond.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GAP", "REACH", "Placed", "marker_size", "mercator_y", "separate"]

GAP = 4  # pixels left between two markers' edges (their white ring and outline are drawn around the disc)
_SIZES = ((1, 16), (9, 26), (99, 32), (999, 40), (9_999, 48))
_LARGEST = 56
REACH = _LARGEST + GAP  # two markers further apart than this never overlap
_MAX_LAT = 85.05112878


def marker_size(count: int) -> int:
    """Diameter in screen pixels of the marker of a cluster of ``count`` incidents."""
    for most, size in _SIZES:
        if count <= most:
            return size
    return _LARGEST


def mercator_y(lat: float) -> float:
    """Web-mercator y of a latitude, in world heights (0 at the north edge, 1 at the south)."""
    rad = math.radians(max(-_MAX_LAT, min(_MAX_LAT, lat)))
    return (1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0


@dataclass(slots=True)
class Placed:
    """A cluster while merging: sums of its incidents' coordinates, so merging is adding."""

    count: int
    lat_sum: float
    lon_sum: float  # longitudes unwrapped into the frame's west-to-east order (may exceed 180)
    position: int | None  # the incident's index position when the cluster holds exactly one
    extent: tuple[float, float, float, float] | None = None  # a box holding its incidents (west, south, …)
    x: float = 0.0  # where its marker is drawn, in pixels of the world at the zoom
    y: float = 0.0

    def locate(self, scale: float) -> None:
        self.x = (self.lon_sum / self.count + 180.0) / 360.0 * scale
        self.y = mercator_y(self.lat_sum / self.count) * scale

    @property
    def radius(self) -> float:
        return marker_size(self.count) / 2.0


def _overlap(a: Placed, b: Placed) -> float | None:
    """Distance between the markers when they would overlap (gap included), else None."""
    distance = math.hypot(a.x - b.x, a.y - b.y)
    return distance if distance < a.radius + b.radius + GAP else None


def separate(clusters: Sequence[Placed], *, zoom: int) -> list[Placed]:
    """Merge ``clusters`` until no two markers overlap at ``zoom`` (256-pixel web-mercator tiles). The result
    holds every incident of the input once; a cluster keeps ``position`` only while it holds one incident.
    The items given are changed in place (merged into, moved)."""
    scale = 256.0 * 2.0**zoom
    items = list(clusters)
    for item in items:
        item.locate(scale)
    buckets: dict[tuple[int, int], list[int]] = {}
    where: dict[int, tuple[int, int]] = {}
    # Biggest first, so small clusters join big ones rather than pulling them about; the stack pops its end.
    waiting = sorted(range(len(items)), key=lambda i: (items[i].count, -i))
    while waiting:
        i = waiting.pop()
        item = items[i]
        bx, by = int(item.x // REACH), int(item.y // REACH)
        nearest: tuple[float, int] | None = None
        for cell in ((bx + dx, by + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            for j in buckets.get(cell, ()):
                distance = _overlap(item, items[j])
                if distance is not None and (nearest is None or (distance, j) < nearest):
                    nearest = (distance, j)
        if nearest is None:
            buckets.setdefault((bx, by), []).append(i)
            where[i] = (bx, by)
            continue
        j = nearest[1]
        buckets[where.pop(j)].remove(j)
        into = items[j]
        into.count += item.count
        into.lat_sum += item.lat_sum
        into.lon_sum += item.lon_sum
        into.position = None
        if into.extent is not None and item.extent is not None:
            a, b = into.extent, item.extent
            into.extent = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
        into.locate(scale)
        waiting.append(j)  # placed again at once: it moved and grew
    return [items[i] for i in sorted(where)]

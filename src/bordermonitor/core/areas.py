"""Border areas: where an incident happened, in the words the monitoring matrix groups by (METHODOLOGY §6).

A network names its border areas as polygons in a GeoJSON file (the shipped ``areas/border-areas.geojson``, or
its own through ``BORDERMONITOR_BORDER_AREAS``). An incident with coordinates belongs to the first named area
that contains them; outside every named area it falls into a cell of a fallback grid (``grid:45.0:15.5``,
half a degree a side by default); without coordinates it is placed by its country (``country:HR``), and
without either its area is ``unknown``. The code is all a situation keeps, so the same incidents always fall
into the same areas, and a list filtered by area finds exactly the incidents a matrix row counted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from bordermonitor.core.countries import country_name

__all__ = ["UNKNOWN", "Area", "AreaError", "BorderAreas", "border_areas"]

UNKNOWN = "unknown"
Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, as GeoJSON writes them


class AreaError(ValueError):
    """The border-areas file cannot be used; the message names the feature and what is wrong."""


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    names: Mapping[str, str]
    countries: tuple[str, ...]
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: its outer ring, then its holes
    bbox: tuple[float, float, float, float]  # west, south, east, north

    def name(self, language: str = "en") -> str:
        short = language.replace("_", "-").split("-")[0].lower()
        return self.names.get(short) or self.names.get("en") or self.code

    def contains(self, lat: float, lon: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(
            _inside(polygon[0], lon, lat) and not any(_inside(hole, lon, lat) for hole in polygon[1:])
            for polygon in self.polygons
        )


def _inside(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting; a point on the edge may fall either side, the same way every time."""
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
        x1, y1 = x2, y2
    return inside


def _crossings(ring: Ring, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """:func:`_inside` for arrays of points: the same even-odd rule, edge by edge."""
    inside = np.zeros(len(x), dtype=bool)
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if y1 != y2:
            crosses = ((y1 > y) != (y2 > y)) & (x < (x2 - x1) * (y - y1) / (y2 - y1) + x1)
            inside ^= crosses
        x1, y1 = x2, y2
    return inside


def _ring(points: Any, where: str) -> Ring:
    try:
        ring = tuple((float(p[0]), float(p[1])) for p in points)
    except (TypeError, ValueError, IndexError) as error:
        raise AreaError(f"{where}: a ring's points must be [longitude, latitude] numbers") from error
    if len(ring) < 4:
        raise AreaError(f"{where}: a ring needs at least four points (the first repeated last)")
    for lon, lat in ring:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise AreaError(f"{where}: point [{lon}, {lat}] is outside [-180, 180] × [-90, 90]")
    return ring


def _area(feature: Any, number: int) -> Area:
    properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
    code = properties.get("code")
    where = f"feature {number}" + (f" ({code})" if isinstance(code, str) else "")
    if not isinstance(code, str) or not code or ":" in code or code == UNKNOWN:
        raise AreaError(
            f"{where}: properties.code must be a non-empty code without ':' (e.g. 'hr-ba-una-sana')"
        )
    geometry = feature.get("geometry") or {}
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        raw = [coordinates]
    elif kind == "MultiPolygon":
        raw = list(coordinates or ())
    else:
        raise AreaError(f"{where}: geometry must be a Polygon or a MultiPolygon, not {kind!r}")
    polygons = tuple(tuple(_ring(ring, where) for ring in polygon) for polygon in raw if polygon)
    if not polygons:
        raise AreaError(f"{where}: the geometry has no ring")
    points = [point for polygon in polygons for point in polygon[0]]
    names = properties.get("name")
    names = {"en": names} if isinstance(names, str) else dict(names or {})
    return Area(
        code=code,
        names=MappingProxyType({str(k): str(v) for k, v in names.items() if v}),
        countries=tuple(str(c).upper() for c in properties.get("countries") or ()),
        polygons=polygons,
        bbox=(
            min(p[0] for p in points),
            min(p[1] for p in points),
            max(p[0] for p in points),
            max(p[1] for p in points),
        ),
    )


@dataclass(frozen=True, slots=True)
class BorderAreas:
    """The named areas, in file order (the first that contains a point wins), and the fallback grid."""

    areas: tuple[Area, ...]
    grid_degrees: float = 0.5

    @classmethod
    def from_geojson(cls, document: Mapping[str, Any]) -> BorderAreas:
        if document.get("type") != "FeatureCollection":
            raise AreaError("the border-areas file must be a GeoJSON FeatureCollection")
        areas = tuple(_area(feature, n) for n, feature in enumerate(document.get("features") or (), 1))
        codes = [area.code for area in areas]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise AreaError(f"area codes must be unique; repeated: {', '.join(repeated)}")
        grid = document.get("grid_degrees", 0.5)
        if not isinstance(grid, (int, float)) or not 0.05 <= grid <= 10:
            raise AreaError(f"grid_degrees must be a number from 0.05 to 10, not {grid!r}")
        return cls(areas=areas, grid_degrees=float(grid))

    def assign(self, lat: float | None, lon: float | None, country: str | None) -> str:
        """The area code of a place: a named area, a grid cell, the country, or ``unknown``."""
        if lat is not None and lon is not None:
            for area in self.areas:
                if area.contains(lat, lon):
                    return area.code
            size = self.grid_degrees
            return f"grid:{math.floor(lat / size) * size:g}:{math.floor(lon / size) * size:g}"
        if country:
            return f"country:{country}"
        return UNKNOWN

    def assign_many(self, places: Sequence[tuple[float | None, float | None, str | None]]) -> list[str]:
        """:meth:`assign` for many places at once: each polygon's edges are crossed with every point in a few
        array operations (numpy) instead of one point at a time."""
        if not places:
            return []
        lat = np.array(
            [p[0] if p[0] is not None and p[1] is not None else np.nan for p in places], dtype=float
        )
        lon = np.array(
            [p[1] if p[0] is not None and p[1] is not None else np.nan for p in places], dtype=float
        )
        found = np.full(len(places), -1)
        open_ = ~np.isnan(lat)
        for number, area in enumerate(self.areas):
            west, south, east, north = area.bbox
            candidates = np.flatnonzero(
                open_ & (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
            )
            if not len(candidates):
                continue
            x, y = lon[candidates], lat[candidates]
            inside = np.zeros(len(candidates), dtype=bool)
            for polygon in area.polygons:
                ring = _crossings(polygon[0], x, y)
                for hole in polygon[1:]:
                    ring &= ~_crossings(hole, x, y)
                inside |= ring
            hit = candidates[inside]
            found[hit] = number
            open_[hit] = False
        size = self.grid_degrees
        codes = []
        for i, (la, lo, country) in enumerate(places):
            if found[i] >= 0:
                codes.append(self.areas[found[i]].code)
            elif la is not None and lo is not None:
                codes.append(f"grid:{math.floor(la / size) * size:g}:{math.floor(lo / size) * size:g}")
            else:
                codes.append(f"country:{country}" if country else UNKNOWN)
        return codes

    def name(self, code: str, language: str = "en") -> str:
        """A code in words: the area's name, the grid cell's corners, or the country's name."""
        for area in self.areas:
            if area.code == code:
                return area.name(language)
        if code.startswith("grid:"):
            _, lat, lon = code.split(":")
            south, west = float(lat), float(lon)
            north, east = south + self.grid_degrees, west + self.grid_degrees
            return f"{_deg(south, 'N', 'S')}–{_deg(north, 'N', 'S')} {_deg(west, 'E', 'W')}–{_deg(east, 'E', 'W')}"
        if code.startswith("country:"):
            return country_name(code.split(":", 1)[1], language)
        return code

    def known(self, code: str) -> bool:
        """Whether ``code`` is a code this set of areas can give (for a link or a filter read from a URL)."""
        if code == UNKNOWN or any(area.code == code for area in self.areas):
            return True
        kind, _, rest = code.partition(":")
        if kind == "country":
            return len(rest) == 2 and rest.isalpha() and rest.isupper()
        if kind == "grid":
            try:
                lat, lon = (float(part) for part in rest.split(":"))
            except ValueError:
                return False
            return -90 <= lat <= 90 and -180 <= lon <= 180
        return False


def _deg(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value >= 0 else negative}"


@cache
def border_areas(path: str | None = None) -> BorderAreas:
    """The border areas of ``path`` (a GeoJSON file), or the shipped ones; read once per process."""
    if path:
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise AreaError(f"cannot read the border-areas file {file}: {error.strerror}") from error
    else:
        text = resources.files("bordermonitor.areas").joinpath("border-areas.geojson").read_text("utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AreaError(f"the border-areas file is not JSON (line {error.lineno}): {error.msg}") from error
    return BorderAreas.from_geojson(document)

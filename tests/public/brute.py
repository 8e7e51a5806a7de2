"""The filters' meaning, written the slow and obvious way over the fixture's rows, to check the index against.

Deliberately independent of ``bordermonitor.public.index``: dates are periods computed with ``calendar``,
text matching is "every word among the lower-cased words of title and narrative", a marker's place on screen
is Leaflet's spherical mercator written with ``asinh``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from bordermonitor.public.filters import Filters


def period(text: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    day = dt.date(*parts)
    return day, day


def _words(row: dict[str, Any]) -> set[str]:
    return set(re.findall(r"\w+", f"{row['title'] or ''} {row['narrative'] or ''}".casefold()))


def _in_box(row: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    lat, lon = row["lat"], row["lon"]
    if lat is None or lon is None:
        return False
    min_lon, min_lat, max_lon, max_lat = box
    if not min_lat <= lat <= max_lat:
        return False
    return min_lon <= lon <= max_lon if min_lon <= max_lon else (lon >= min_lon or lon <= max_lon)


def matches(row: dict[str, Any], f: Filters) -> bool:
    checks = [
        f.kind is None or row["kind"] == f.kind,
        f.country is None or row["country"] == f.country,
        f.expelled_by is None or f.expelled_by in (row["expelled_by"] or ()),
        f.violence is None or f.violence in (row["violence"] or ()),
        f.nationality is None or f.nationality in (row["nationalities"] or ()),
        f.minors_involved is None or row["minors_involved"] is f.minors_involved,
        f.bbox is None or _in_box(row, f.bbox),
        f.q is None or set(f.q.casefold().split()) <= _words(row),
    ]
    if f.date_from is not None:
        checks.append(row["date"] is not None and period(row["date"])[0] >= period(f.date_from)[0])
    if f.date_to is not None:
        checks.append(row["date"] is not None and period(row["date"])[1] <= period(f.date_to)[1])
    return all(checks)


def facet_counts(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str | None, int]]:
    out: dict[str, Counter[str | None]] = {
        name: Counter()
        for name in ("expelled_by", "violence", "nationality", "kind", "year", "minors_involved", "country")
    }
    for row in rows:
        out["expelled_by"].update(set(row["expelled_by"] or ()))
        out["violence"].update(set(row["violence"] or ()))
        out["nationality"].update(set(row["nationalities"] or ()))
        out["kind"][row["kind"]] += 1
        out["country"][row["country"]] += 1
        out["year"][None if row["year"] is None else str(row["year"])] += 1
        minors = row["minors_involved"]
        out["minors_involved"][None if minors is None else ("true" if minors else "false")] += 1
    return {name: dict(counter) for name, counter in out.items()}


def screen_pixels(lat: float, lon: float, *, zoom: int, west: float | None = None) -> tuple[float, float]:
    """Where Leaflet draws a point at ``zoom`` (256-pixel tiles). When the map shows a box across the 180th
    meridian (``west`` is its west edge), what lies east of the meridian is drawn past it."""
    if west is not None and lon < west:
        lon += 360.0
    world = 256 * 2**zoom
    lat = max(-85.0511, min(85.0511, lat))
    return (lon + 180) / 360 * world, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * world


def overlapping_markers(
    found: Iterable[Any], *, zoom: int, box: tuple[float, float, float, float] | None
) -> list[tuple[int, int]]:
    """Pairs of clusters (by index) whose round markers of ``size`` pixels would overlap on the screen."""
    west = box[0] if box is not None and box[0] > box[2] else None
    drawn = [(screen_pixels(c.lat, c.lon, zoom=zoom, west=west), c.size) for c in found]
    return [
        (n, m)
        for n, ((x1, y1), size1) in enumerate(drawn)
        for m, ((x2, y2), size2) in enumerate(drawn[n + 1 :], start=n + 1)
        if math.hypot(x1 - x2, y1 - y2) < (size1 + size2) / 2
    ]

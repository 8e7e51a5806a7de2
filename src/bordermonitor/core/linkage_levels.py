"""The compared fields and their agreement levels, computed for many pairs at once.

Each field of :data:`FIELDS` has ordered levels, from the closest agreement to the clearest disagreement.
:func:`levels` gives, for index arrays ``i`` and ``j`` into a :class:`LinkTable`, every field's level number
per pair (``-1``: unknown, because a value is missing on either side) and the measured quantity behind it
(days, minutes, km, relative difference, overlap, cosine; NaN when there is none).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from bordermonitor.core.linkage_records import LinkRecord
from bordermonitor.core.linkage_table import BitSets, LinkTable, minors_flag, women_flag
from bordermonitor.core.linkage_text import TextModel

__all__ = ["EARTH_RADIUS_KM", "FIELDS", "MONOTONE", "UNKNOWN", "chord", "levels", "values"]

UNKNOWN = "unknown"
EARTH_RADIUS_KM = 6371.0088

FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "date": ("same_day", "1_day", "2_3_days", "4_7_days", "same_month", "near_month", "same_year", "far"),
        "time": ("within_30_min", "within_2_hours", "within_6_hours", "far"),
        "place": (
            "within_1_km",
            "within_3_km",
            "within_10_km",
            "within_25_km",
            "far",
            "same_area",
            "same_country",
            "other_country",
        ),
        "expelled_by": ("same_chain", "overlap", "disjoint"),
        "expelled_to": ("same", "different"),
        "group_size": ("same", "within_20_pct", "within_40_pct", "far"),
        "minors": ("both_yes", "both_no", "differ"),
        "women": ("both_yes", "both_no", "differ"),
        "nationalities": ("same", "overlap", "disjoint"),
        "violence": ("same", "most", "some", "disjoint"),
        "perpetrators": ("same", "overlap", "disjoint"),
        "officers": ("same", "similar", "different"),
        "narrative": ("very_similar", "similar", "somewhat", "different"),
    }
)
# Levels whose weights may not rise along the chain: a closer agreement never weighs less than a looser one.
MONOTONE: Mapping[str, tuple[tuple[str, ...], ...]] = MappingProxyType(
    {
        "date": (
            ("same_day", "1_day", "2_3_days", "4_7_days", "far"),
            ("same_month", "near_month", "far"),
            ("same_year", "far"),
        ),
        "time": (FIELDS["time"],),
        "place": (
            ("within_1_km", "within_3_km", "within_10_km", "within_25_km", "far"),
            ("same_area", "other_country"),
            ("same_country", "other_country"),
        ),
        "expelled_by": (FIELDS["expelled_by"],),
        "expelled_to": (FIELDS["expelled_to"],),
        "group_size": (FIELDS["group_size"],),
        "minors": (("both_yes", "differ"), ("both_no", "differ")),
        "women": (("both_yes", "differ"), ("both_no", "differ")),
        "nationalities": (FIELDS["nationalities"],),
        "violence": (FIELDS["violence"],),
        "perpetrators": (FIELDS["perpetrators"],),
        "officers": (FIELDS["officers"],),
        "narrative": (FIELDS["narrative"],),
    }
)
DISTANCES_KM = (1.0, 3.0, 10.0, 25.0)
TEXT_BANDS = (0.6, 0.4, 0.2)

Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def chord(km: float) -> float:
    """The straight-line distance through the unit sphere between two points ``km`` apart on the Earth."""
    return 2.0 * math.sin(min(km / EARTH_RADIUS_KM, math.pi) / 2.0)


def km_of_chord(c: Floats) -> Floats:
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(c / 2.0, 0.0, 1.0)))


def _bands(value: Floats, limits: tuple[float, ...]) -> Levels:
    """Level ``k`` for the first limit the value is within, ``len(limits)`` beyond the last."""
    return np.asarray(np.searchsorted(np.asarray(limits), value, side="left"), dtype=np.int8)


def _sets(sets: BitSets, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    """same / overlap / disjoint for bit sets, and the Jaccard overlap; unknown when either set is empty."""
    size_a, size_b = sets.size[i], sets.size[j]
    common = sets.common(i, j)
    union = size_a + size_b - common
    level = np.where(common == union, 0, np.where(common > 0, 1, 2)).astype(np.int8)
    level[(size_a == 0) | (size_b == 0)] = -1
    jaccard = common / np.maximum(union, 1)
    jaccard[union == 0] = np.nan
    return level, jaccard


def _date(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    pa, pb = t.precision[i], t.precision[j]
    gap = np.maximum(0, np.maximum(t.lo[i], t.lo[j]) - np.minimum(t.hi[i], t.hi[j]))
    day = np.select([gap == 0, gap == 1, gap <= 3, gap <= 7], [0, 1, 2, 3], 7)
    month = np.select([gap == 0, gap <= 7], [4, 5], 7)
    year = np.where(gap == 0, 6, 7)
    both_day = (pa == 1) & (pb == 1)
    any_year = (pa == 3) | (pb == 3)
    level = np.where(both_day, day, np.where(any_year, year, month)).astype(np.int8)
    unknown = (pa == 0) | (pb == 0)
    level[unknown] = -1
    return level, np.where(unknown, np.nan, gap.astype(np.float64))


def _time(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    a, b = t.minute[i], t.minute[j]
    apart = np.abs(a - b)
    apart = np.minimum(apart, 1440 - apart)
    level = _bands(apart.astype(np.float64), (30.0, 120.0, 360.0))
    unknown = (a < 0) | (b < 0)
    level[unknown] = -1
    return level, np.where(unknown, np.nan, apart.astype(np.float64))


def _place(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    dx, dy, dz = t.x[i] - t.x[j], t.y[i] - t.y[j], t.z[i] - t.z[j]
    squared = dx * dx + dy * dy + dz * dz
    points = t.has_point[i] & t.has_point[j]
    near = _bands(squared, tuple(chord(km) ** 2 for km in DISTANCES_KM))
    same_area = (t.area[i] >= 0) & (t.area[i] == t.area[j])
    countries = (t.country[i] >= 0) & (t.country[j] >= 0)
    loose = np.where(same_area, 5, np.where(countries, np.where(t.country[i] == t.country[j], 6, 7), -1))
    level = np.where(points, near, loose).astype(np.int8)
    with np.errstate(invalid="ignore"):
        km = np.where(points, km_of_chord(np.sqrt(squared)), np.nan)
    return level, km


def _codes(column: Ints, i: Ints, j: Ints) -> Levels:
    a, b = column[i], column[j]
    level = np.where(a == b, 0, 1).astype(np.int8)
    level[(a < 0) | (b < 0)] = -1
    return level


def _chain(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    level, overlap = _sets(t.states, i, j)
    level[(level >= 0) & (t.chain[i] == t.chain[j])] = 0
    level[(level == 0) & (t.chain[i] != t.chain[j])] = 1  # the same states in another order
    return level, overlap


def _group(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    a, b = t.group_size[i], t.group_size[j]
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(a == b, 0.0, np.abs(a - b) / np.maximum(a, b))
    level = _bands(relative, (0.0, 0.2, 0.4))
    level[np.isnan(relative)] = -1
    return level, relative


def _flags(column: npt.NDArray[np.int8], i: Ints, j: Ints) -> Levels:
    a, b = column[i], column[j]
    level = np.where(a != b, 2, np.where(a == 1, 0, 1)).astype(np.int8)
    level[(a < 0) | (b < 0)] = -1
    return level


def _narrative(t: LinkTable, model: TextModel, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    vectors = t.text_vectors(model)
    cosine = np.einsum("ij,ij->i", vectors[i], vectors[j]).astype(np.float64)
    present = vectors[i].any(axis=1) & vectors[j].any(axis=1) & (t.language[i] == t.language[j])
    level = np.where(
        cosine >= TEXT_BANDS[0],
        0,
        np.where(cosine >= TEXT_BANDS[1], 1, np.where(cosine >= TEXT_BANDS[2], 2, 3)),
    ).astype(np.int8)
    level[~present] = -1
    return level, np.where(present, np.round(cosine, 3), np.nan)


def levels(
    t: LinkTable, model: TextModel, i: Ints, j: Ints, *, narrative: bool = True
) -> dict[str, tuple[Levels, Floats]]:
    """Every field's level numbers (``-1``: unknown) and measures for the pairs ``(i[k], j[k])``."""
    nan = np.full(len(i), np.nan)
    out = {
        "date": _date(t, i, j),
        "time": _time(t, i, j),
        "place": _place(t, i, j),
        "expelled_by": _chain(t, i, j),
        "expelled_to": (_codes(t.expelled_to, i, j), nan),
        "group_size": _group(t, i, j),
        "minors": (_flags(t.minors, i, j), nan),
        "women": (_flags(t.women, i, j), nan),
        "nationalities": _sets(t.nationalities, i, j),
        "violence": _violence(t, i, j),
        "perpetrators": _sets(t.perpetrators, i, j),
        "officers": _officers(t, i, j),
    }
    if narrative:
        out["narrative"] = _narrative(t, model, i, j)
    return out


def _officers(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    """How officers were described: the same words, half of them or more, or fewer (word sets, hashed)."""
    level, jaccard = _sets(t.officers, i, j)
    graded = np.where(jaccard >= 1.0, 0, np.where(jaccard >= 0.5, 1, 2))
    return np.where(level < 0, -1, graded).astype(np.int8), jaccard


def _violence(t: LinkTable, i: Ints, j: Ints) -> tuple[Levels, Floats]:
    level, jaccard = _sets(t.violence, i, j)
    graded = np.where(jaccard >= 1.0, 0, np.where(jaccard >= 0.5, 1, np.where(jaccard > 0, 2, 3)))
    return np.where(level < 0, -1, graded).astype(np.int8), jaccard


def _date_text(record: LinkRecord) -> str | None:
    if record.date is None:
        return None
    iso = record.date.isoformat()
    return {"month": iso[:7], "year": iso[:4]}.get(record.precision or "day", iso)


def _sorted(values: frozenset[str]) -> list[str] | None:
    return sorted(values) or None


def values(record: LinkRecord) -> dict[str, object]:
    """Each compared field's value of one record as the explanation shows it (JSON-serialisable)."""
    place: dict[str, object] | None = None
    if record.lat is not None or record.country is not None or record.area != UNKNOWN:
        place = {"lat": record.lat, "lon": record.lon, "area": record.area, "country": record.country}
    return {
        "date": _date_text(record),
        "time": record.time,
        "place": place,
        "expelled_by": list(record.expelled_by) or None,
        "expelled_to": record.expelled_to,
        "group_size": record.group_size,
        "minors": minors_flag(record),
        "women": women_flag(record),
        "nationalities": _sorted(record.nationalities),
        "violence": _sorted(record.violence),
        "perpetrators": _sorted(record.perpetrators),
        "officers": record.officers_description,
        "narrative": record.text_language if record.text else None,
    }

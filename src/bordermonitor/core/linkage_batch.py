"""Batch helpers of record linkage that need no model: pairwise evaluation against a known truth, and the
ranges storage uses to fetch a report's candidates before :func:`~bordermonitor.core.linkage.may_match`."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from bordermonitor.core.linkage_blocking import PLACE_RADIUS_KM
from bordermonitor.core.linkage_levels import EARTH_RADIUS_KM
from bordermonitor.core.linkage_records import LinkageError, LinkRecord
from bordermonitor.core.linkage_table import DAY_WINDOW, MONTH_WINDOW, YEAR_WINDOW, interval, window_days

__all__ = ["candidate_box", "candidate_dates", "evaluate"]


def evaluate(proposed: Iterable[tuple[int, int]], truth: Mapping[int, int]) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of proposed pairs of report ids against the true incident of each
    report (``truth``: report id → incident id). Without any proposal precision is unknown (None)."""
    pairs = set()
    for a, b in proposed:
        for report in (a, b):
            if report not in truth:
                raise LinkageError(f"evaluate: report {report} of a proposed pair has no true incident")
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    sizes = Counter(truth.values())
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    hits = sum(truth[a] == truth[b] for a, b in pairs)
    precision = hits / len(pairs) if pairs else None
    recall = hits / true_pairs if true_pairs else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall > 0
        else None
    )
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "proposed": len(pairs),
        "true_pairs": true_pairs,
        "true_positives": hits,
        "false_positives": len(pairs) - hits,
        "false_negatives": true_pairs - hits,
    }


def candidate_dates(record: LinkRecord) -> dict[str | None, tuple[dt.date, dt.date] | None]:
    """For a database prefilter: by precision of the other report, the range its stored ``date`` (the first
    day) must fall in to :func:`may_match` this one; ``None``: any date. The key ``None`` is the reports
    without a date, which always pass."""
    period = interval(record)
    out: dict[str | None, tuple[dt.date, dt.date] | None] = {None: None}
    for precision, window, length in (
        ("day", DAY_WINDOW, 0),
        ("month", MONTH_WINDOW, 30),
        ("year", YEAR_WINDOW, 365),
    ):
        if period is None:
            out[precision] = None
            continue
        reach = window_days(record) + window
        first, last = max(1, period[0] - reach - length), min(dt.date.max.toordinal(), period[1] + reach)
        out[precision] = (dt.date.fromordinal(first), dt.date.fromordinal(last))
    return out


def candidate_box(record: LinkRecord) -> tuple[float, float, float, float] | None:
    """For a database prefilter: (south, north, west, east) in degrees holding every point within
    :data:`PLACE_RADIUS_KM` of the report's coordinates; None without coordinates, or when the box would
    reach a pole or cross the 180th meridian (then do not filter by coordinates). Reports without
    coordinates must still be fetched (they may match by area or country)."""
    if record.lat is None or record.lon is None:
        return None
    radius = math.degrees(PLACE_RADIUS_KM / EARTH_RADIUS_KM) * 1.001
    south, north = record.lat - radius, record.lat + radius
    if south <= -90 or north >= 90:
        return None
    widest = max(abs(south), abs(north))
    spread = (
        math.degrees(math.asin(min(1.0, math.sin(math.radians(radius)) / math.cos(math.radians(widest)))))
        * 1.001
    )
    west, east = record.lon - spread, record.lon + spread
    if west < -180 or east > 180:
        return None
    return south, north, west, east

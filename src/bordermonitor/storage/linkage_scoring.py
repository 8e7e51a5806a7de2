"""Scoring stored reports: the model calibrated on the reviewers' decisions, and the candidates of one report.

The model is one for the network: ``core.linkage``'s shipped model refitted with every pair a person decided
(read across organisations), kept until a decision is made or undone. One report's candidates are narrowed with
SQL — the date index, a coordinate box — then checked by date and place with numpy, all at once; what is left
is counted (the report's neighbours, which its prior follows) and scored, lists and narratives read only for the
candidates that could still reach the minimum score asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q, QuerySet
from django_scopes import get_scope, scopes_disabled

from bordermonitor.core.linkage import (
    Comparison,
    LinkRecord,
    LinkTable,
    Scorer,
    candidate_box,
    candidate_dates,
    compatible,
    default_scorer,
)
from bordermonitor.core.linkage_model import logit2
from bordermonitor.storage.linkage_records import (
    COLUMN,
    BlockingColumns,
    build,
    link_records_of,
    pairable,
    read_rows,
    with_texts,
)
from bordermonitor.storage.models import LinkCandidate, Organisation, Report, ReportExpeller
from bordermonitor.storage.models.linkage import DECISIONS
from bordermonitor.storage.rawsql import CHUNK, children

__all__ = [
    "Pool",
    "blocked",
    "calibrated",
    "calibrated_scorer",
    "candidates_for",
    "labelled_pairs",
    "model_version",
    "pool_of",
]


# The model ------------------------------------------------------------------------------------------------

_calibration: dict[str, Any] = {}
_calibration_lock = threading.Lock()


def labelled_pairs() -> list[tuple[LinkRecord, LinkRecord, bool]]:
    """Every pair a person decided (not those linked automatically), as it reads now: ``True`` for the same
    incident, ``False`` for related or unrelated incidents. Read across the network: the model is one."""
    with scopes_disabled():
        decided = list(
            LinkCandidate.objects.filter(status__in=DECISIONS, automatic=False)
            .order_by("pk")
            .values_list("report_a_id", "report_b_id", "status")
        )
        records, _ = link_records_of({rid for a, b, _s in decided for rid in (a, b)}, problems=[])
    by_id = {r.report_id: r for r in records}
    return [
        (by_id[a], by_id[b], status == "same_incident")
        for a, b, status in decided
        if a in by_id and b in by_id
    ]


def _signature() -> tuple[Any, ...]:
    with scopes_disabled():
        seen = LinkCandidate.objects.filter(status__in=DECISIONS, automatic=False).aggregate(
            n=Count("id"), latest=Max("updated_at")
        )
    return seen["n"], seen["latest"]


def model_version(scorer: Scorer) -> str:
    """A short name of a model: how it was calibrated and a digest of its weights."""
    digest = hashlib.sha256(json.dumps(scorer.to_json(), sort_keys=True).encode()).hexdigest()[:12]
    pairs = (scorer.trained or {}).get("pairs") if scorer is not default_scorer() else None
    return f"calibrated-{pairs}-{digest}" if pairs is not None else f"default-{digest}"


def calibrated_scorer() -> Scorer:
    """:func:`~bordermonitor.core.linkage.default_scorer` refitted with the decided pairs (the shipped model
    where there are none), kept until a decision is made or undone."""
    return calibrated()[0]


def calibrated() -> tuple[Scorer, str]:
    signature = _signature()
    with _calibration_lock:
        if _calibration.get("signature") == signature:
            return _calibration["scorer"], _calibration["version"]
    pairs = labelled_pairs()
    base = default_scorer()
    scorer = Scorer.fit(pairs, base=base) if pairs else base
    version = model_version(scorer)
    with _calibration_lock:
        _calibration.update(signature=signature, scorer=scorer, version=version)
    return scorer, version


# One report's candidates ------------------------------------------------------------------------------------


def blocked(record: LinkRecord, pool: QuerySet[Report]) -> QuerySet[Report]:
    """``pool`` narrowed with SQL to the reports that may match ``record`` by date (through the date index)
    and place (a box around its coordinates; reports without coordinates stay, they may match by area)."""
    dates = candidate_dates(record)
    day, month, year = dates.get("day"), dates.get("month"), dates.get("year")
    if day is not None and month is not None and year is not None:
        # a month- or a year-precise date is stored as the first day of its period: look those days up
        firsts = [
            dt.date(y, m, 1)
            for y in range(month[0].year, month[1].year + 1)
            for m in range(1, 13)
            if month[0] <= dt.date(y, m, 1) <= month[1]
        ]
        new_years = [
            dt.date(y, 1, 1)
            for y in range(year[0].year, year[1].year + 1)
            if year[0] <= dt.date(y, 1, 1) <= year[1]
        ]
        pool = pool.filter(
            Q(date_start__isnull=True)
            | Q(date_start__range=day)
            | Q(date_start__in=firsts, date_precision="month")
            | Q(date_start__in=new_years, date_precision="year")
        )
    box = candidate_box(record)
    if box is not None:
        south, north, west, east = box
        pool = pool.filter(
            Q(lat__isnull=True) | Q(lon__isnull=True) | Q(lat__range=(south, north), lon__range=(west, east))
        )
    return pool


_LISTS = ("expelled_by", "nationalities", "violence", "perpetrators")  # fields read from a report's lists
_FEW = 100  # up to this many candidates, their lists are read at once (a first scoring without costs more)


@dataclass(frozen=True, slots=True)
class Pool:
    """The stored reports one report may match (:func:`pool_of`): passing blocking, among the reports it may be
    paired with (reports of its own incident included), as rows of
    :func:`~bordermonitor.storage.linkage_records.read_rows`, in id order."""

    record: LinkRecord
    rows: list[tuple[Any, ...]]

    @property
    def neighbours(self) -> int:
        """How many reports it may match: the density its prior is adjusted to, as the batch counts it."""
        return len(self.rows)

    def candidates(self) -> list[tuple[Any, ...]]:
        """The rows of the reports not in its incident already."""
        at, mine = COLUMN["incident_id"], self.record.incident_id
        return [row for row in self.rows if row[at] != mine]


def pool_of(report: Report) -> Pool:
    """Every report that may be paired with ``report`` and may match it, read across the network whoever asks
    (the count is the network's, as in the batch): for counting and scoring, never to be shown as it is.

    The database narrows them by date and place (:func:`blocked`); the dates, places and sources of what it
    returns are checked with numpy (:class:`~bordermonitor.storage.linkage_records.BlockingColumns`), then the
    expelling states of those left when the report names any."""
    with scopes_disabled():
        (record,), pairing = link_records_of([report.pk])  # as stored now
        organisation = pairing.organisation[report.pk]
        partners = Q(organisation_id=organisation)
        if pairing.network[report.pk]:
            sharing = Organisation.objects.filter(shares_with_network=True).values("id")
            partners |= Q(organisation_id__in=sharing, consent_share_with_network=True)
        rows = read_rows(blocked(record, pairable().exclude(pk=report.pk).filter(partners)))
        columns = BlockingColumns(record, organisation, rows)
        fits = (compatible(columns, *_against_first(len(rows))) & ~columns.refused).tolist()
        rows = [row for row, fit in zip(rows, fits, strict=True) if fit]
        if record.expelled_by and rows:
            states = set(record.expelled_by)
            chains = children(ReportExpeller, "country", [row[0] for row in rows])
            rows = [row for row in rows if not chains.get(row[0]) or not states.isdisjoint(chains[row[0]])]
    return Pool(record=record, rows=rows)


def candidates_for(
    report: Report,
    *,
    reports: QuerySet[Report] | None = None,
    scorer: Scorer | None = None,
    minimum: float | None = None,
    limit: int | None = None,
) -> list[tuple[int, Comparison]]:
    """The reports that may describe the same incident as ``report``, best first: ``(report id, comparison)``
    for each report of ``reports`` (default: every report; pages pass what the person may see) that may be
    paired with it, is not in its incident already and passes blocking — only those scoring at least
    ``minimum`` and the ``limit`` best when given. Scored by :func:`calibrated_scorer` unless ``scorer`` is
    given, with the report's neighbour count (:attr:`Pool.neighbours`: counted among every report it may be
    paired with, whoever asks, so that a pair scores as the batch scores it).

    The candidates are found by :func:`pool_of`. With ``minimum``, they are scored first without their lists
    and narratives (each counted at its highest weight), then with their lists, and only those that could still
    reach ``minimum`` have their lists, then their narratives, read; the scores are exact. Only the pairs
    returned are explained.
    """
    pool = pool_of(report)
    rows = pool.candidates()
    if not rows:
        return []
    scorer = scorer or calibrated_scorer()
    record, neighbours = pool.record, pool.neighbours
    if minimum is None and limit is None:
        matching = build(_visible(rows, reports), problems=[])
    else:
        cut = minimum if minimum is not None and 0.0 < minimum < 1.0 else None
        if cut is not None and len(rows) > _FEW:
            bare = build(rows, lists=False, text=False, problems=[])
            slack = sum(max(0.0, *scorer.weights()[field].values()) for field in _LISTS)
            kept = {r.report_id for r in _within_reach(scorer, record, bare, neighbours, cut, slack)}
            rows = [row for row in rows if row[0] in kept]
        matching = build(_visible(rows, reports), text=False, problems=[])
        if cut is not None:
            matching = _within_reach(scorer, record, matching, neighbours, cut, 0.0)
        matching = with_texts(matching)
        table = LinkTable([record, *matching])
        table.neighbours[0] = neighbours
        scores = scorer.scores(table, *_against_first(len(matching))).tolist()
        order = sorted(range(len(matching)), key=lambda k: (-scores[k], matching[k].report_id))
        matching = [matching[k] for k in order if minimum is None or scores[k] >= minimum][:limit]
    compared = scorer.compare_many(record, matching, record_neighbours=neighbours)
    pairs = [(other.report_id, comparison) for other, comparison in zip(matching, compared, strict=True)]
    return sorted(pairs, key=lambda pair: (-pair[1].score, pair[0]))


def _visible(rows: list[tuple[Any, ...]], reports: QuerySet[Report] | None) -> list[tuple[Any, ...]]:
    """The rows of the reports the caller may see: of ``reports``, and in the current scope."""
    if not rows or (reports is None and not get_scope().get("_enabled", True)):
        return rows
    seen = pairable(reports)
    ids = [row[0] for row in rows]
    shown = {
        rid
        for start in range(0, len(ids), CHUNK)
        for rid in seen.filter(id__in=ids[start : start + CHUNK]).values_list("id", flat=True)
    }
    return [row for row in rows if row[0] in shown]


def _against_first(count: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(count, dtype=np.int64), np.arange(1, count + 1, dtype=np.int64)


def _within_reach(
    scorer: Scorer,
    record: LinkRecord,
    others: list[LinkRecord],
    neighbours: int,
    minimum: float,
    slack: float,
) -> list[LinkRecord]:
    """The records whose score against ``record``, without the narrative, could reach ``minimum`` with the
    narrative's highest weight and ``slack`` more (as :func:`~bordermonitor.core.linkage.propose` decides which
    narratives to compare)."""
    if not others:
        return []
    table = LinkTable([record, *others])
    table.neighbours[0] = neighbours
    total = scorer.log_odds(table, *_against_first(len(others)), narrative=False)
    reach = total + scorer.narrative_range[1] + slack >= logit2(minimum) - 1e-9
    return [other for other, keep in zip(others, reach.tolist(), strict=True) if keep]

"""Scoring stored reports: the model calibrated on the reviewers' decisions, and the candidates of one report.

The model is one for the network: ``core.linkage``'s shipped model refitted with every pair a person decided
(read across organisations), kept until a decision is made or undone. One report's candidates are narrowed with
SQL — the date index, a coordinate box — then checked by date and place before their lists and narratives are
read, and scored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q, QuerySet
from django_scopes import scopes_disabled

from bordermonitor.core.linkage import (
    Comparison,
    LinkRecord,
    LinkTable,
    Scorer,
    candidate_box,
    candidate_dates,
    default_scorer,
    may_match,
)
from bordermonitor.storage.linkage_records import build, link_records_of, pairable, read_rows
from bordermonitor.storage.models import LinkCandidate, Organisation, Report
from bordermonitor.storage.models.linkage import DECISIONS

__all__ = ["blocked", "calibrated", "calibrated_scorer", "candidates_for", "labelled_pairs", "model_version"]


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
    given.

    The database narrows the candidates by date (through the date index) and a coordinate box; their dates and
    places are checked before their lists and narratives are read, and only the pairs returned are explained.
    """
    (record,), pairing = link_records_of([report.pk])  # as stored now
    pool = pairable(reports).exclude(pk=report.pk).exclude(incident_id=record.incident_id)
    partners = Q(organisation_id=pairing.organisation[report.pk])
    if pairing.network[report.pk]:
        sharing = Organisation.objects.filter(shares_with_network=True).values("id")
        partners |= Q(organisation_id__in=sharing, consent_share_with_network=True)
    rows = read_rows(blocked(record, pool.filter(partners)))
    near = {r.report_id for r in build(rows, lists=False, text=False, problems=[]) if may_match(record, r)}
    found = build([row for row in rows if row[0] in near], problems=[])
    matching = [other for other in found if may_match(record, other)]
    if not matching:
        return []
    scorer = scorer or calibrated_scorer()
    if minimum is not None or limit is not None:
        table = LinkTable([record, *matching])
        scores = scorer.scores(
            table, np.zeros(len(matching), dtype=np.int64), np.arange(1, len(matching) + 1, dtype=np.int64)
        ).tolist()
        order = sorted(range(len(matching)), key=lambda k: (-scores[k], matching[k].report_id))
        matching = [matching[k] for k in order if minimum is None or scores[k] >= minimum][:limit]
    compared = scorer.compare_many(record, matching)
    pairs = [(other.report_id, comparison) for other, comparison in zip(matching, compared, strict=True)]
    return sorted(pairs, key=lambda pair: (-pair[1].score, pair[0]))

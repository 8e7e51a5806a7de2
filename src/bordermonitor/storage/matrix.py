"""The monitoring matrix's reads: incidents of a window of months, reconciled for ``core.matrix``.

One function reads what the matrix needs of the reports the network counts (``COUNTED_STATUSES``) dated in a
window, through the date index, in five flat queries (reports, then their violence codes, expelling states
and perpetrators by report id); :func:`build_matrix` scores them, and :func:`situation_incidents` finds the
incidents behind one row, read and reconciled the same way, so a list filtered by a situation holds exactly
the incidents the row counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from bordermonitor.core.areas import BorderAreas, border_areas
from bordermonitor.core.matrix import (
    Matrix,
    MatrixIncident,
    PlanEffect,
    SituationKey,
    Weights,
    actor_for,
    compute_matrix,
    month_index,
    month_start,
    plan_effect,
)
from bordermonitor.storage.models import Report, ReportExpeller, ReportViolence
from bordermonitor.storage.rawsql import children, fetch, month_of, perpetrator_codes, yes_no

__all__ = [
    "COUNTED_STATUSES",
    "PLAN_WINDOW",
    "areas",
    "build_matrix",
    "latest_month",
    "matrix_incidents",
    "plan_effect_of",
    "plan_effects",
    "situation_incidents",
]

COUNTED_STATUSES = ("verified", "approved_for_publication")
"""The records a network counts in its matrix and reports: verified, and approved for publication."""
PLAN_WINDOW = 6  # months compared before and after an action plan's adoption


def areas() -> BorderAreas:
    """The configured border areas (``BORDERMONITOR_BORDER_AREAS``, else the shipped ones)."""
    return border_areas(getattr(settings, "BORDERMONITOR_BORDER_AREAS", None))


def _counted(reports: QuerySet[Report] | None, organisation: str | None) -> QuerySet[Report]:
    qs = (Report.objects.all() if reports is None else reports).filter(status__in=COUNTED_STATUSES)
    if organisation is not None:
        qs = qs.filter(organisation__code=organisation)
    return qs


def latest_month(*, reports: QuerySet[Report] | None = None, organisation: str | None = None) -> int | None:
    """The month of the latest counted incident date up to today (a later date is a typo, not a month to show)."""
    latest = (
        _counted(reports, organisation)
        .filter(date_start__lte=timezone.localdate())
        .aggregate(latest=Max("date_start"))["latest"]
    )
    return None if latest is None else month_index(latest)


def _first(values: Iterable[Any]) -> Any:
    return next((v for v in values if v is not None), None)


@dataclass(slots=True)
class _Read:
    incidents: list[MatrixIncident]
    imprecise: int  # incidents dated only to the year: in no month


def matrix_incidents(
    first_month: int,
    last_month: int,
    *,
    reports: QuerySet[Report] | None = None,
    organisation: str | None = None,
    area_set: BorderAreas | None = None,
) -> _Read:
    """The counted incidents dated from ``first_month`` to ``last_month`` (month indexes), reconciled like
    ``core.stats.reconcile``: each single value from the earliest-recorded report that knows it, lists united."""
    area_set = area_set or areas()
    counted = _counted(reports, organisation)
    dated = counted.filter(
        date_start__gte=month_start(first_month), date_start__lt=month_start(last_month + 1)
    ).values("incident_id")
    columns = (
        "id", "incident_id", "organisation_id", "kind", "date_start", "date_precision", "lat", "lon", "place",
        "country", "group_size", "minors_involved", "women", "medical_injuries", "medical_documented",
    )  # fmt: skip
    rows = fetch(counted.filter(incident_id__in=dated).order_by("id"), columns)
    ids = [row[0] for row in rows]
    violence = children(ReportViolence, "code", ids)
    expelled = children(ReportExpeller, "country", ids)
    perpetrators = perpetrator_codes(ids)
    by_incident: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_incident[row[1]].append(row)
    places = []
    found: list[tuple[int, list[tuple[Any, ...]], Any, int]] = []
    imprecise = 0
    for incident_id, reps in by_incident.items():
        dated_rep = reps[0] if reps[0][4] is not None else next((r for r in reps if r[4] is not None), None)
        if dated_rep is None:
            continue
        if dated_rep[5] == "year":
            imprecise += 1
            continue
        month = month_of(dated_rep[4])
        if not first_month <= month <= last_month:
            continue
        located = next((r for r in reps if r[6] is not None and r[7] is not None), None)
        country = reps[0][9] if len(reps) == 1 else _first(r[9] for r in reps)
        places.append((located[6], located[7], located[9] or country) if located else (None, None, country))
        found.append((incident_id, reps, dated_rep, month))
    area_codes = area_set.assign_many(places)
    incidents = []
    for (incident_id, reps, dated_rep, month), area in zip(found, area_codes, strict=True):
        if len(reps) == 1:  # most incidents have one report: its values are the incident's
            (r,) = reps
            rid = r[0]
            chain = expelled.get(rid)
            incidents.append(
                MatrixIncident(
                    incident_id=incident_id,
                    month=month,
                    actors=tuple(dict.fromkeys(perpetrators.get(rid, ()))),
                    state=chain[0] if chain else r[9],
                    area=area,
                    codes=frozenset(violence.get(rid, ())),
                    people=r[10],
                    minors_involved=yes_no(r[11]),
                    women=r[12],
                    injuries=yes_no(r[13]),
                    medical_documented=yes_no(r[14]),
                    day_known=r[5] in ("day", None),
                    place_known=(r[6] is not None and r[7] is not None) or bool(r[8]),
                    sources=1,
                )
            )
            continue
        rids = [r[0] for r in reps]
        actors = list(dict.fromkeys(code for rid in rids for code in perpetrators.get(rid, ())))
        chain = next((expelled[rid] for rid in rids if expelled.get(rid)), None)
        incidents.append(
            MatrixIncident(
                incident_id=incident_id,
                month=month,
                actors=tuple(actors),
                state=chain[0] if chain else _first(r[9] for r in reps),
                area=area,
                codes=frozenset(code for rid in rids for code in violence.get(rid, ())),
                people=_first(r[10] for r in reps),
                minors_involved=yes_no(_first(r[11] for r in reps)),
                women=_first(r[12] for r in reps),
                injuries=yes_no(_first(r[13] for r in reps)),
                medical_documented=True if any(r[14] for r in reps) else yes_no(_first(r[14] for r in reps)),
                day_known=dated_rep[5] in ("day", None),
                place_known=any((r[6] is not None and r[7] is not None) or r[8] for r in reps),
                sources=len({(r[2], r[3]) for r in reps}),
            )
        )
    return _Read(incidents=incidents, imprecise=imprecise)


def _stakeholders() -> tuple[dict[str, str | None], dict[str, str]]:
    from bordermonitor.storage.stakeholders import engagement_stages, stakeholder_names

    return engagement_stages(), stakeholder_names()


def build_matrix(
    *,
    period: dt.date | None = None,
    months: int = 3,
    weights: Weights | None = None,
    reports: QuerySet[Report] | None = None,
    organisation: str | None = None,
    language: str = "en",
    history_months: int = 12,
) -> Matrix:
    """The matrix of the ``months`` months ending with ``period``'s month (default: the latest month with a
    counted incident), with the previous period for trends, 12 months of history per situation, and the
    before/after rates of every adopted action plan. ``reports`` narrows what is read (a page passes what the
    person may see)."""
    if months < 1 or months > 120:
        raise ValueError(f"months must be from 1 to 120, not {months}")
    latest = latest_month(reports=reports, organisation=organisation)
    end = month_index(period) if period else latest
    if end is None:
        end = month_index(timezone.localdate())
    first = min(end - 2 * months + 1, end - history_months + 1)
    read = matrix_incidents(first, end, reports=reports, organisation=organisation)
    stages, names = _stakeholders()
    matrix = compute_matrix(
        read.incidents,
        end_month=end,
        months=months,
        history_months=history_months,
        weights=weights or settings.BORDERMONITOR_MATRIX_WEIGHTS,
        stages=stages,
        names=names,
        areas=areas(),
        language=language,
        left_out=_left_out(read, end - months + 1, end),
    )
    # a plan's "after" runs to the latest data, whatever period the matrix shows
    plans = plan_effects(last_month=max(latest or end, end), reports=reports, organisation=organisation)
    return dataclasses.replace(matrix, plans=tuple(plans))


def _left_out(read: _Read, start: int, end: int) -> dict[str, int]:
    current = [i for i in read.incidents if start <= i.month <= end]
    return {
        "without_violence_code": sum(not (i.codes - {"no_violence"}) for i in current),
        "dated_to_the_year_only": read.imprecise,
    }


def plan_effects(
    *,
    last_month: int,
    window: int = PLAN_WINDOW,
    reports: QuerySet[Report] | None = None,
    organisation: str | None = None,
    only: int | None = None,
) -> list[PlanEffect]:
    """For each adopted action plan (or only the plan of id ``only``): incidents per month in its targeted
    situations, before and after its adoption."""
    from bordermonitor.storage.stakeholders import adopted_plans

    effects = []
    for plan in adopted_plans():
        if only is not None and plan.id != only:
            continue
        adopted = month_index(plan.adopted_on)
        read = matrix_incidents(
            adopted - window, adopted + window, reports=reports, organisation=organisation
        )
        actors = set(plan.actors)
        targets = plan.targets or ((None, None),)
        monthly: dict[int, int] = defaultdict(int)
        for incident in read.incidents:
            if not actors.intersection(actor_for(incident)):
                continue
            if any(
                (area is None or area == incident.area) and (code is None or code in incident.codes)
                for area, code in targets
            ):
                monthly[incident.month] += 1
        effects.append(
            plan_effect(
                plan_id=plan.id,
                title=plan.title,
                stakeholder=plan.stakeholder,
                adopted_on=plan.adopted_on,
                monthly=monthly,
                window=window,
                last_month=last_month,
            )
        )
    return effects


def plan_effect_of(plan_id: int, *, reports: QuerySet[Report] | None = None) -> PlanEffect | None:
    """The before/after of one action plan (None when it is not adopted), up to the latest counted month."""
    latest = latest_month(reports=reports) or month_index(timezone.localdate())
    found = plan_effects(last_month=latest, reports=reports, only=plan_id)
    return found[0] if found else None


def situation_incidents(
    key: SituationKey,
    start: dt.date,
    end: dt.date,
    *,
    reports: QuerySet[Report] | None = None,
) -> list[int]:
    """Ids of the counted incidents of the months from ``start`` to ``end`` that are in the situation ``key``."""
    read = matrix_incidents(month_index(start), month_index(end), reports=reports)
    return sorted(i.incident_id for i in read.incidents if key.matches(i))

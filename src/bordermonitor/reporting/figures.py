"""The figures a report is made of, gathered once: the JSON format is exactly this, and the HTML and PDF print
it (nothing is counted in a template).

Counts come from ``storage.statistics.network_stats`` (``core.stats.compute``, as ``bordermonitor stats``) over
the statuses a network counts; what ``compute`` does not add up comes from ``storage.reporting.incident_details``,
which reads the same incident accounts and is checked here to count the same incidents. Every table is protected
by ``reporting.tables`` (``core.disclosure.protect``); headline totals are not suppressed. Positions on the map
are only ever the publication policy's coarsened ones (``core.policy.coarsen_location``).

Runs for the whole network (inside ``scopes_disabled``), with the report's language active: labels are in it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from bordermonitor.core.countries import country_name
from bordermonitor.core.policy import PublicationPolicy, coarsen_location
from bordermonitor.core.typology import VIOLENCE_CODES, violence_type
from bordermonitor.importers.bvmn import NAME as BVMN_SOURCE
from bordermonitor.importers.mmp import NAME as MMP_SOURCE
from bordermonitor.publish.collect import MMP_LICENCE
from bordermonitor.reporting.periods import Period
from bordermonitor.reporting.tables import Table, protected_table
from bordermonitor.storage.matrix import COUNTED_STATUSES, build_matrix
from bordermonitor.storage.models import Report
from bordermonitor.storage.reporting import (
    IncidentDetail,
    incident_details,
    notable_cases,
    organisation_names,
)
from bordermonitor.storage.statistics import network_stats

__all__ = ["FORMAT", "TOP_CHAINS", "TOP_SITUATIONS", "gather", "headline"]

FORMAT = "bordermonitor/report@1"
TOP_CHAINS = 8  # chains shown one by one; the others are added up in one row
TOP_SITUATIONS = 5
EXCERPT_CHARS = 600
NO_VIOLENCE = "no_violence"


class InconsistentFigures(RuntimeError):
    """The report's two reads of the same incidents disagree: nothing is written."""


def _violent(detail: IncidentDetail) -> bool:
    return bool(detail.facts.violence - {NO_VIOLENCE})


def _period_figures(
    period: Period, *, organisation: str | None, reports: QuerySet[Report] | None = None
) -> tuple[dict[str, Any], list[IncidentDetail], dict[str, Any]]:
    stats = network_stats(
        date_from=period.start,
        date_to=period.end,
        statuses=COUNTED_STATUSES,
        organisation=organisation,
        reports=reports,
    )
    details = incident_details(
        date_from=period.start,
        date_to=period.end,
        statuses=COUNTED_STATUSES,
        organisation=organisation,
        reports=reports,
    )
    if len(details) != stats["incidents"]:
        raise InconsistentFigures(
            f"{period.token}: the statistics count {stats['incidents']} incidents, the details "
            f"{len(details)}; the report is not written"
        )
    return stats, details, headline(stats, details)


def headline(stats: dict[str, Any], details: Sequence[IncidentDetail]) -> dict[str, Any]:
    """The headline figures of a period: totals, never suppressed. The share of incidents with violence is
    taken over the incidents whose accounts say whether violence was used (a typology code, ``no_violence``
    included): an incident without that information is unknown, not an incident without violence. None (not 0)
    when there is no such incident."""
    incidents = stats["incidents"]
    violent = sum(_violent(d) for d in details)
    informed = sum(bool(d.facts.violence) for d in details)  # the accounts say whether violence was used
    return {
        "incidents": incidents,
        "reports": stats["reports"],
        "people_affected": stats["people_affected"],
        "incidents_group_size_unknown": sum(d.facts.group_size is None for d in details),
        "minors_involved": stats["minors_involved"],
        "women_involved": sum(d.women is not None and d.women > 0 for d in details),
        "incidents_with_violence": violent,
        "incidents_with_violence_information": informed,
        "incidents_without_violence_information": incidents - informed,
        "violence_share": violent / informed if informed else None,
        "dead": stats["dead"],
        "missing": stats["missing"],
        "dead_and_missing": stats["dead_and_missing"],
    }


_COMPARED = ("incidents", "people_affected", "minors_involved", "incidents_with_violence", "dead_and_missing")


def _comparison(
    current: dict[str, Any],
    period: Period,
    *,
    organisation: str | None,
    language: str,
    reports: QuerySet[Report] | None = None,
) -> dict[str, Any]:
    before = _period_figures(period, organisation=organisation, reports=reports)[2]
    changes = {}
    for key in _COMPARED:
        now, then = current[key], before[key]
        changes[key] = {
            "now": now,
            "then": then,
            "change": now - then,
            "relative": (now - then) / then if then else None,  # no relative change from nothing
        }
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label(language),
        },
        "headline": before,
        "changes": changes,
    }


def _state(code: str) -> str:
    return country_name(code, get_language() or "en")


def _violence_label(code: str) -> str:
    return violence_type(code).label(get_language() or "en") if code in VIOLENCE_CODES else code


def _arrow() -> str:
    return " ← " if get_language_bidi() else " → "


def _chains(details: Sequence[IncidentDetail], threshold: int) -> Table:
    """Chain pushbacks (two expelling states or more) by chain: the states in order, then where the group
    was left when that is another state (SI → HR → BA); the most frequent one by one, the rest in one row."""
    chains: Counter[tuple[str, ...]] = Counter()
    for detail in details:
        states = detail.facts.expelled_by
        if len(states) < 2:
            continue
        left = detail.expelled_to
        chains[states + ((left,) if left and left != states[-1] else ())] += 1
    ranked = sorted(chains.items(), key=lambda item: (-item[1], item[0]))
    counts = {">".join(chain): n for chain, n in ranked[:TOP_CHAINS]}
    rest = sum(n for _chain, n in ranked[TOP_CHAINS:])
    if rest:
        counts["other"] = rest

    def label(key: str) -> str:
        if key == "other":
            return _("Other chains")
        return _arrow().join(_state(code) for code in key.split(">"))

    table = protected_table(counts, label, threshold=threshold, total_label=_("All chain pushbacks"))
    if rest:  # the row of the other chains goes last, whatever its count
        rows = tuple(row for row in table.rows if row.key != "other") + tuple(
            row for row in table.rows if row.key == "other"
        )
        table = Table(rows, table.threshold, table.total)
    return table


def _map(details: Sequence[IncidentDetail], policy: PublicationPolicy) -> dict[str, Any]:
    """The distinct coarsened positions of the incidents (no count per position: a small count at a place is
    exactly what disclosure control withholds), and how many incidents have none."""
    cells: set[tuple[float, float]] = set()
    placed = 0
    for detail in details:
        lat, lon, _precision = coarsen_location(
            detail.lat, detail.lon, detail.precision_m, policy=policy, group_size=detail.facts.group_size
        )
        if lat is None or lon is None:
            continue
        placed += 1
        cells.add((lat, lon))
    return {
        "positions": [{"lat": lat, "lon": lon} for lat, lon in sorted(cells)],
        "incidents_placed": placed,
        "incidents_without_position": len(details) - placed,
        "grid_m": policy.location_m,
        "small_group_grid_m": policy.small_group_location_m,
    }


def _situations(
    period: Period,
    *,
    organisation: str | None,
    language: str,
    threshold: int,
    reports: QuerySet[Report] | None = None,
) -> dict[str, Any]:
    months = 3 if period.kind == "monthly" else 12
    matrix = build_matrix(
        period=period.end, months=months, organisation=organisation, language=language, reports=reports
    )
    top = matrix.situations[:TOP_SITUATIONS]
    keys = [situation.key.token for situation in top]
    columns = {
        name: protected_table(
            {key: getattr(situation, name) for key, situation in zip(keys, top, strict=True)},
            str,
            threshold=threshold,
            keep_order=True,
        )
        for name in ("incidents", "people_affected", "previous_incidents")
    }
    rows = []
    for rank, (key, situation) in enumerate(zip(keys, top, strict=True), 1):
        cells = {name: next(r for r in table.rows if r.key == key) for name, table in columns.items()}
        rows.append(
            {
                "rank": rank,
                "key": key,
                "actor": situation.actor_name,
                "area": situation.area_name,
                "violence": situation.violence_label,
                "priority": round(situation.priority, 4),
                "criteria": {name: round(c.value, 4) for name, c in situation.criteria.items()},
                **{name: cell.as_json() for name, cell in cells.items()},
            }
        )
    return {
        "period": {"start": matrix.start.isoformat(), "end": matrix.end.isoformat(), "months": matrix.months},
        "situations_ranked": len(matrix.situations),
        "rows": rows,
        "threshold": threshold,
        "weights": matrix.weights.as_dict(),
    }


def _excerpt(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _cases(
    period: Period, keys: Sequence[tuple[str, str]], *, organisation: str | None, language: str
) -> list[dict[str, Any]]:
    found = notable_cases(keys, date_from=period.start, date_to=period.end, organisation=organisation)
    return [
        {
            "key": case.key,
            "organisation": case.organisation_name,
            "month": Period("monthly", case.date.year, case.date.month).label(language)
            if case.date
            else None,
            "title": case.public_title,
            "excerpt": _excerpt(case.public_narrative),
        }
        for case in found
    ]


def _source_label(name: str) -> str:
    if name == "network":
        return _("Records of the network's organisations")
    if name == MMP_SOURCE:
        return _("IOM Missing Migrants Project")
    if name == BVMN_SOURCE:
        return _("Border Violence Monitoring Network database (legacy records)")
    return name


def _sources(details: Sequence[IncidentDetail], threshold: int) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for detail in details:
        counts.update({source or "network" for source in detail.sources})
    table = protected_table(dict(counts), _source_label, threshold=threshold)
    own = (settings.BORDERMONITOR_PUBLISH_LICENCE, settings.BORDERMONITOR_PUBLISH_ATTRIBUTION)
    mmp = (MMP_LICENCE.spdx, MMP_LICENCE.attribution)  # CC BY 4.0, "IOM's Missing Migrants Project"
    licences = {key: (mmp if key == MMP_SOURCE else own) for key in counts}
    return {
        "table": table.as_json(),
        "licences": {key: {"licence": lic, "attribution": by} for key, (lic, by) in sorted(licences.items())},
    }


def _monthly(
    period: Period, details: Sequence[IncidentDetail], threshold: int, language: str
) -> dict[str, Any]:
    per_month: Counter[int] = Counter()
    for detail in details:
        date = detail.facts.date
        if date is not None:
            per_month[date.start.month] += 1
    counts = {month.token: per_month[month.month or 0] for month in period.months()}
    names = {month.token: month.month_name(language) for month in period.months()}
    return protected_table(counts, names.__getitem__, threshold=threshold, keep_order=True).as_json()


def gather(
    *,
    period: Period,
    language: str,
    organisation: str | None,
    cases: Sequence[tuple[str, str]],
    policy: PublicationPolicy,
    generated_at: dt.datetime,
    reports: QuerySet[Report] | None = None,
) -> dict[str, Any]:
    """Every figure of the report of ``period``, labels in the active language (see the module's note).

    ``NotNotable`` (from ``storage.reporting``) names a case that may not be quoted."""
    threshold = policy.threshold
    quoted = _cases(period, cases, organisation=organisation, language=language)  # refuse a bad case first
    stats, details, current = _period_figures(period, organisation=organisation, reports=reports)
    comparisons = {}
    previous = period.previous()
    if previous is not None:
        comparisons["previous"] = _comparison(
            current, previous, organisation=organisation, language=language, reports=reports
        )
    year_before = period.year_before()
    if year_before is not None:
        comparisons["year_before"] = _comparison(
            current, year_before, organisation=organisation, language=language, reports=reports
        )
    codes = {code for detail in details for code in detail.organisations}
    names = organisation_names(codes | ({organisation} if organisation else set()))
    situations = _situations(
        period, organisation=organisation, language=language, threshold=threshold, reports=reports
    )
    figures: dict[str, Any] = {
        "format": FORMAT,
        "kind": period.kind,
        "period": {
            "token": period.token,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label(language),
        },
        "language": language,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "publisher": settings.BORDERMONITOR_PUBLISH_ATTRIBUTION,
        "organisation": {"code": organisation, "name": names.get(organisation, organisation)}
        if organisation
        else None,
        "organisations": sorted(names[code] for code in codes if code in names),
        "statuses": list(COUNTED_STATUSES),
        "threshold": threshold,
        "headline": current,
        "comparisons": comparisons,
        "expelling_states": protected_table(
            stats["by_expelling_state"], _state, threshold=threshold
        ).as_json(),
        "chains": _chains(details, threshold).as_json(),
        "violence": protected_table(stats["by_violence"], _violence_label, threshold=threshold).as_json(),
        "unmapped_violence_mentions": stats["unmapped"],
        "nationalities": protected_table(stats["by_nationality"], _state, threshold=threshold).as_json(),
        "map": _map(details, policy),
        "situations": situations,
        "notable_cases": quoted,
        "sources": _sources(details, threshold),
        "policy": {
            "location_m": policy.location_m,
            "small_group_location_m": policy.small_group_location_m,
            "small_group_max": policy.small_group_max,
            "threshold": threshold,
        },
    }
    if period.kind == "annual":
        figures["monthly"] = _monthly(period, details, threshold, language)
    return figures

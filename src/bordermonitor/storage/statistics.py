"""The network's figures: the repository query that feeds ``core.stats.compute``."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from bordermonitor.core.stats import compute
from bordermonitor.storage.access import Access, visible_reports
from bordermonitor.storage.models import Report
from bordermonitor.storage.repositories.reports import DEFAULT_STAT_STATUSES, incident_accounts

__all__ = ["network_stats", "shared_with_network", "visible_stats"]


def shared_with_network() -> QuerySet[Report]:
    """The reports the network may count in what it publishes or shows to coordinators: of organisations that
    share with the network, whose source consented to sharing."""
    return Report.objects.filter(organisation__shares_with_network=True, consent_share_with_network=True)


def network_stats(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    organisation: str | None = None,
    source: str | None = None,
    statuses: Iterable[str] | None = None,
    reports: QuerySet[Report] | None = None,
) -> dict[str, Any]:
    """Figures over the incidents visible in the current scope (or of ``reports``); reports in draft or
    rejected status are left out unless ``statuses`` names them."""
    accounts = incident_accounts(
        statuses=tuple(statuses) if statuses else DEFAULT_STAT_STATUSES,
        organisation=organisation,
        source=source,
        reports=reports,
        date_from=date_from,
        date_to=date_to,
    )
    return compute(accounts, date_from=date_from, date_to=date_to)


def visible_stats(access: Access, *, timeout: int = 3600) -> dict[str, Any]:
    """The figures of the reports ``access`` may see — for a coordinator only what organisations and sources
    agreed to share — kept in the cache until any of those reports changes (the key holds their count, the
    latest change and the highest id, read in one indexed query instead of recomputing everything)."""
    reports = visible_reports(access)
    latest = reports.aggregate(n=Count("id"), changed=Max("updated_at"), top=Max("id"))
    who = (access.member_orgs, access.analyst_orgs, sorted(access.sharing) if access.is_coordinator else [])
    key = "bordermonitor:stats:" + hashlib.sha256(repr((who, sorted(latest.items()))).encode()).hexdigest()
    figures: dict[str, Any] | None = cache.get(key)
    if figures is None:
        figures = network_stats(reports=reports)
        cache.set(key, figures, timeout)
    return figures

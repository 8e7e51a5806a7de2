"""The network's figures: the repository query that feeds ``core.stats.compute``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from bordermonitor.core.stats import compute
from bordermonitor.storage.repositories.reports import DEFAULT_STAT_STATUSES, incident_accounts

__all__ = ["network_stats"]


def network_stats(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    organisation: str | None = None,
    source: str | None = None,
    statuses: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Figures over the incidents visible in the current scope; reports in draft or rejected status are left
    out unless ``statuses`` names them."""
    accounts = incident_accounts(
        statuses=tuple(statuses) if statuses else DEFAULT_STAT_STATUSES,
        organisation=organisation,
        source=source,
    )
    return compute(accounts, date_from=date_from, date_to=date_to)

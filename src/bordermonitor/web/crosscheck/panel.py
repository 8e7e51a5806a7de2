"""The record page's panel on cross-checking: how many independent sources describe the report's incident,
the incident's other reports the person may see and where they disagree, and the pairs of this report the
person may act on. One context entry (``crosscheck``) and one included template
(``bordermonitor/crosscheck/_record_panel.html``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from bordermonitor.storage.access import FULL, NETWORK, Access
from bordermonitor.storage.linkage_pages import may_review_pairs, pair_counts
from bordermonitor.storage.models import Report
from bordermonitor.storage.stakeholders import stakeholder_names
from bordermonitor.web.crosscheck.display import incident_panel

__all__ = ["record_panel"]


def record_panel(access: Access, report: Report, language: str) -> dict[str, Any] | None:
    """The panel of ``report`` for ``access`` (None for a pseudonymised view: it shows no other report)."""
    if access.view_of(report) not in (FULL, NETWORK):
        return None
    panel: dict[str, Any] = {
        "incident": incident_panel(access, report.incident_id, language, stakeholder_names(), current=report)
    }
    if may_review_pairs(access):
        panel["pairs"] = pair_counts(access, report.pk)
        panel["pairs_url"] = f"{reverse('crosscheck:queue')}?report={report.pk}"
    return panel

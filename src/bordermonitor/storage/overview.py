"""Per-organisation counts for the landing page, within the current scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from bordermonitor.storage.access import Access, visible_reports
from bordermonitor.storage.models import Organisation, User

__all__ = ["organisation_overview"]


def organisation_overview(user: User, access: Access) -> list[dict[str, Any]]:
    """For each organisation the person holds a role in: their roles, and the reports of it they may see by
    status (a coordinator counts only what is shared, an analyst nothing in draft)."""
    rows = []
    memberships = user.memberships.select_related("organisation").order_by("organisation__code", "role")
    roles: dict[int, list[str]] = {}
    organisations: dict[int, Organisation] = {}
    for membership in memberships:
        roles.setdefault(membership.organisation_id, []).append(membership.get_role_display())
        organisations[membership.organisation_id] = membership.organisation
    for org_id, organisation in organisations.items():
        counts = (
            visible_reports(access)
            .filter(organisation_id=org_id)
            .aggregate(
                total=Count("id"),
                flagged=Count("id", filter=Q(flagged=True)),
                draft=Count("id", filter=Q(status="draft")),
                to_review=Count("id", filter=Q(status__in=("submitted", "in_review", "changes_requested"))),
                verified=Count("id", filter=Q(status="verified")),
                approved=Count("id", filter=Q(status="approved_for_publication")),
            )
        )
        rows.append({"organisation": organisation, "roles": roles[org_id], **counts})
    return rows

"""Queries of the review pages: what waits for a reviewer, what the network shares, what changed since a
person last looked at a report, and the key of the analysts' pseudonyms.

Every function runs inside the request's django-scopes scope and starts from
:func:`~bordermonitor.storage.access.visible_reports`, so a list can only hold reports the person may see.
"""

from __future__ import annotations

import hashlib
import hmac
from itertools import pairwise

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery

from bordermonitor.core.diff import Change, diff
from bordermonitor.storage.access import REVIEWER_ROLES, Access, visible_reports
from bordermonitor.storage.editing import changes_since, mark_seen
from bordermonitor.storage.models import Report, ReportSeen, ReportTransition, ReportVersion, User
from bordermonitor.storage.repositories.reports import record_of

__all__ = [
    "WAITING",
    "decision_in_force",
    "look_at",
    "pseudonym_key",
    "review_queue",
    "shared_with_network",
    "version_changes",
]

WAITING = ("submitted", "in_review", "changes_requested")
_PSEUDONYM_PURPOSE = b"bordermonitor/pseudonym@1"


def pseudonym_key() -> bytes:
    """The key of analysts' pseudonyms, derived from the site's secret for this one purpose, so the secret
    itself never reaches ``core.pseudonymise`` and a pseudonym reveals nothing about other uses of it."""
    return hmac.new(settings.SECRET_KEY.encode(), _PSEUDONYM_PURPOSE, hashlib.sha256).digest()


def _keep_baseline(report: Report) -> None:
    """Keep the version the person is looking at, if no save kept it (imported reports have no version
    rows), so that what changes after this look can be shown. Marked as the system's: nobody edited it. An
    erased report keeps none: its key is destroyed, nothing can be sealed with it (docs/retention.md)."""
    if report.erased_at is not None:
        return
    if ReportVersion.objects.filter(report=report, version=report.version).exists():
        return
    try:
        with transaction.atomic():
            ReportVersion.objects.create(
                report=report,
                version=report.version,
                record=record_of(report),
                changed=[],
                actor="system",
                at=report.updated_at,
            )
    except IntegrityError:
        pass  # someone else's look kept it at the same moment


def look_at(*, user: User, report: Report) -> tuple[int | None, list[Change]]:
    """A person opens a report in full: what changed since their last look (the version they saw and the
    changes; ``None`` if they never looked), then remember that they have now seen this version."""
    seen, changes = changes_since(user=user, report=report)
    _keep_baseline(report)
    mark_seen(user=user, report=report)
    return seen, changes


def version_changes(report: Report) -> dict[int, list[Change]]:
    """For each kept version of ``report`` after the first, what its save changed (diffed against the kept
    version before it; a gap — versions not kept — gives the changes since the last kept one)."""
    records = list(
        ReportVersion.objects.filter(report=report).order_by("version").values_list("version", "record")
    )
    return {version: diff(before, after) for (_, before), (version, after) in pairwise(records)}


def _seen_version(user_id: int | None) -> Subquery:
    return Subquery(
        ReportSeen.objects.filter(user_id=user_id, report=OuterRef("pk")).values("version")[:1],
        output_field=IntegerField(),
    )


def review_queue(access: Access) -> QuerySet[Report]:
    """Reports of the person's organisations waiting for them, the longest waiting first: for reviewers
    (and admins) everything submitted, in review or sent back; for documenters what was sent back to them.
    Each carries ``seen_version`` (the version the person last looked at, or None)."""
    reviewing = [org for org in access.member_orgs if access.roles_in(org) & REVIEWER_ROLES]
    documenting = [org for org in access.member_orgs if org not in reviewing]
    reports = visible_reports(access).filter(organisation_id__in=reviewing, status__in=WAITING)
    if documenting:
        reports = reports | visible_reports(access).filter(
            organisation_id__in=documenting, status="changes_requested"
        )
    return (
        reports.select_related("organisation")
        .annotate(seen_version=_seen_version(access.user_id))
        .order_by("updated_at", "id")
    )


def shared_with_network(access: Access, *, limit: int = 20) -> list[Report]:
    """For coordinators: the most recently moved reports other organisations share with the network
    (read-only; their own organisations' reports are in the queue)."""
    if not access.is_coordinator:
        return []
    return list(
        visible_reports(access)
        .filter(organisation_id__in=sorted(access.sharing), consent_share_with_network=True)
        .exclude(organisation_id__in=access.member_orgs)
        .exclude(status__in=("draft", "rejected"))
        .select_related("organisation")
        .order_by("-updated_at", "-id")[:limit]
    )


def decision_in_force(report: Report) -> ReportTransition | None:
    """The reviewer's reason for the report's current status when it needs one (changes requested, rejected):
    what the documenter must read first when the report comes back to them."""
    if report.status not in ("changes_requested", "rejected"):
        return None
    return ReportTransition.objects.filter(report=report, target=report.status).order_by("-id").first()

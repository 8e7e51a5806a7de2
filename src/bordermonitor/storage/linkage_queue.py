"""The review queue: which pairs a person may act on (see ``storage.linkage``)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce

from django.db.models import F, Q, QuerySet

from bordermonitor.storage.access import REVIEWER_ROLES, Access, NotVisible
from bordermonitor.storage.linkage_records import NEVER_PAIRED
from bordermonitor.storage.models import LinkCandidate
from bordermonitor.storage.models.linkage import DECISIONS

__all__ = ["get_candidate", "queue"]


def _network(side: str, access: Access) -> Q:
    return Q(
        **{
            f"{side}__organisation_id__in": sorted(access.sharing),
            f"{side}__consent_share_with_network": True,
        }
    ) & ~Q(**{f"{side}__status__in": NEVER_PAIRED})


def queue(access: Access, *, statuses: Sequence[str] = ("proposed",)) -> QuerySet[LinkCandidate]:
    """The pairs in ``statuses`` that ``access`` may act on, best score first: for an organisation's
    reviewers and admins, the pairs of its own reports; for the network's coordinators, the pairs across
    organisations whose two reports the network sees. Proposed pairs already in one incident (linked through
    other reports) or with a report gone back to draft or rejected are left out."""
    reviewing = sorted(org for org, roles in access.roles.items() if roles & REVIEWER_ROLES)
    allowed = []
    if reviewing:
        allowed.append(Q(report_a__organisation_id__in=reviewing, report_b__organisation_id__in=reviewing))
    if access.is_coordinator and access.sharing:
        allowed.append(
            _network("report_a", access)
            & _network("report_b", access)
            & ~Q(report_a__organisation_id=F("report_b__organisation_id"))
        )
    if not allowed:
        return LinkCandidate.objects.none()
    stale = Q(status="proposed") & (
        Q(report_a__incident_id=F("report_b__incident_id"))
        | Q(report_a__status__in=NEVER_PAIRED)
        | Q(report_b__status__in=NEVER_PAIRED)
    )
    return (
        LinkCandidate.objects.filter(reduce(operator.or_, allowed), status__in=list(statuses))
        .exclude(stale)
        .select_related("report_a__organisation", "report_b__organisation", "decided_by")
        .order_by("-score", "pk")
    )


def get_candidate(access: Access, pk: int | str) -> LinkCandidate:
    """The pair ``pk`` if ``access`` may act on it (whatever its status), else :class:`NotVisible` — pages
    answer 404, whether or not it exists."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotVisible(pk) from None
    statuses = ("proposed", *DECISIONS)
    candidate = queue(access, statuses=statuses).filter(pk=number).first()
    if candidate is None:
        raise NotVisible(pk)
    return candidate

"""Who sees and does what with which report (METHODOLOGY §1). Every page and API endpoint asks here.

- ``documenter``, ``reviewer`` and ``admin`` of an organisation see all of its reports in full; documenters
  edit drafts and reports sent back to them, reviewers edit any open report and move it past ``submitted``.
- ``coordinator`` is a network role: it sees, read-only, the reports of every organisation that shares with
  the network (``Organisation.shares_with_network``) whose source consented to sharing
  (``consent_share_with_network``), once they have left the draft stage.
- ``analyst`` sees the non-draft reports of its organisation pseudonymised (``core.pseudonymise``): no
  narrative, names, free text or files.

Two locks hold this: the request's django-scopes scope is the organisations the person may see anything of
(a query that forgets to filter raises or stays inside them), and :func:`visible_reports` is the one filter
for the rows within them. A report the person may not see is :class:`NotVisible` — pages answer 404, never
403, so another organisation's reports cannot even be confirmed to exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q, QuerySet

from bordermonitor.storage.models import Organisation, Report, User

__all__ = [
    "FULL",
    "NETWORK",
    "PSEUDONYMISED",
    "Access",
    "NotVisible",
    "access_for",
    "get_report",
    "network_q",
    "visible_reports",
]

View = Literal["full", "network", "pseudonymised"]
FULL: View = "full"
NETWORK: View = "network"
PSEUDONYMISED: View = "pseudonymised"

MEMBER_ROLES = frozenset({"documenter", "reviewer", "admin"})
REVIEWER_ROLES = frozenset({"reviewer", "admin"})
_HIDDEN_FROM_NETWORK = ("draft", "rejected")
_DOCUMENTER_EDITS = frozenset({"draft", "changes_requested"})
_REVIEWER_EDITS = frozenset({"draft", "submitted", "in_review", "changes_requested"})


class NotVisible(LookupError):
    """The report does not exist for this person (it may exist for someone else: pages answer 404)."""


@dataclass(frozen=True, slots=True)
class Access:
    """A person's rights, read once per request: roles by organisation id, and the organisations sharing
    with the network (filled only for coordinators)."""

    user_id: int | None
    roles: Mapping[int, frozenset[str]] = field(default_factory=dict)
    sharing: frozenset[int] = frozenset()

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}" if self.user_id is not None else "anonymous"

    def roles_in(self, organisation_id: int) -> frozenset[str]:
        return self.roles.get(organisation_id, frozenset())

    @property
    def member_orgs(self) -> list[int]:
        """Organisations whose reports the person sees in full."""
        return sorted(org for org, roles in self.roles.items() if roles & MEMBER_ROLES)

    @property
    def analyst_orgs(self) -> list[int]:
        return sorted(
            org for org, roles in self.roles.items() if "analyst" in roles and org not in self.member_orgs
        )

    @property
    def writer_orgs(self) -> list[int]:
        """Organisations the person may record reports for."""
        return self.member_orgs

    @property
    def reviewer_orgs(self) -> list[int]:
        """Organisations where the person reviews (reviewers and admins)."""
        return sorted(org for org, roles in self.roles.items() if roles & REVIEWER_ROLES)

    @property
    def is_coordinator(self) -> bool:
        return any("coordinator" in roles for roles in self.roles.values())

    @property
    def scope_orgs(self) -> list[int]:
        """Every organisation the person may see anything of: the request's django-scopes scope."""
        return sorted({*self.member_orgs, *self.analyst_orgs, *(self.sharing if self.is_coordinator else ())})

    def view_of(self, report: Report) -> View | None:
        """How the person sees ``report``: in full, as the network sees it, pseudonymised, or not at all."""
        roles = self.roles_in(report.organisation_id)
        if roles & MEMBER_ROLES:
            return FULL
        if (
            self.is_coordinator
            and report.organisation_id in self.sharing
            and report.consent_share_with_network is True
            and report.status not in _HIDDEN_FROM_NETWORK
        ):
            return NETWORK
        if "analyst" in roles and report.status != "draft":
            return PSEUDONYMISED
        return None

    def can_edit(self, report: Report) -> bool:
        if report.erased_at is not None:  # erased (storage.retention): nothing more is written to it
            return False
        roles = self.roles_in(report.organisation_id)
        if roles & REVIEWER_ROLES:
            return report.status in _REVIEWER_EDITS
        return "documenter" in roles and report.status in _DOCUMENTER_EDITS

    def workflow_roles(self, report: Report) -> set[str]:
        """Roles that count for ``core.workflow`` on this report (only those held in its organisation)."""
        return set(self.roles_in(report.organisation_id) & MEMBER_ROLES)

    def can_export_records(self, organisation_id: int) -> bool:
        """Interchange JSONL carries everything, personal data included: reviewers and admins only."""
        return bool(self.roles_in(organisation_id) & REVIEWER_ROLES)

    @property
    def admin_orgs(self) -> list[int]:
        """Organisations whose accounts the person manages."""
        return sorted(org for org, roles in self.roles.items() if "admin" in roles)

    def can_manage_users(self, organisation_id: int) -> bool:
        return "admin" in self.roles_in(organisation_id)


def access_for(user: User | None) -> Access:
    """The rights of ``user`` (an anonymous visitor has none)."""
    if user is None or not user.is_authenticated:
        return Access(user_id=None)
    roles: dict[int, set[str]] = {}
    for org_id, role in user.memberships.values_list("organisation_id", "role"):
        roles.setdefault(org_id, set()).add(role)
    coordinator = any("coordinator" in held for held in roles.values())
    sharing = (
        frozenset(Organisation.objects.filter(shares_with_network=True).values_list("id", flat=True))
        if coordinator
        else frozenset()
    )
    return Access(
        user_id=user.pk, roles={org: frozenset(held) for org, held in roles.items()}, sharing=sharing
    )


def network_q(access: Access) -> Q:
    """The reports the network sees: of organisations that share, whose source consented, out of draft and
    not rejected."""
    return Q(organisation_id__in=sorted(access.sharing), consent_share_with_network=True) & ~Q(
        status__in=_HIDDEN_FROM_NETWORK
    )


def visible_reports(access: Access) -> QuerySet[Report]:
    """Every report ``access`` may see (in any of the three views); the only filter pages and the API use."""
    allowed = Q(organisation_id__in=access.member_orgs)
    if access.analyst_orgs:
        allowed |= Q(organisation_id__in=access.analyst_orgs) & ~Q(status="draft")
    if access.is_coordinator and access.sharing:
        allowed |= network_q(access)
    if not access.scope_orgs:
        return Report.objects.none()
    return Report.objects.filter(allowed)


def get_report(access: Access, pk: int | str) -> Report:
    """The report ``pk`` if ``access`` may see it, else :class:`NotVisible` (whether or not it exists)."""
    try:
        report = Report.objects.select_related("organisation", "incident").get(pk=int(pk))
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotVisible(pk) from None
    if access.view_of(report) is None:
        raise NotVisible(pk)
    return report

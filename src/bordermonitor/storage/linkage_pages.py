"""What the cross-checking pages read besides :mod:`bordermonitor.storage.linkage`: who may open them, the pairs
of one report, an incident as one person sees it (its reports, independent sources and disagreements), and
whether a refusal to undo may be shown as storage worded it.

Everything here starts from :func:`~bordermonitor.storage.linkage.queue` or
:func:`~bordermonitor.storage.access.visible_reports`: a page never learns of a report the person may not see,
not even through a count of sources or a conflict's values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django_scopes import scopes_disabled

from bordermonitor.core.linkage import LinkageError
from bordermonitor.core.linkage_levels import values
from bordermonitor.storage.access import REVIEWER_ROLES, Access, visible_reports
from bordermonitor.storage.linkage import (
    Conflict,
    Corroboration,
    corroboration,
    incident_conflicts,
    link_record,
    queue,
)
from bordermonitor.storage.linkage_records import NEVER_PAIRED
from bordermonitor.storage.models import Incident, IncidentMerge, LinkCandidate, Report
from bordermonitor.storage.models.linkage import DECISIONS

__all__ = [
    "IncidentView",
    "PairCounts",
    "changed_since_scored",
    "incident_view",
    "linked_meanwhile",
    "may_review_pairs",
    "pair_counts",
    "pairs_of_report",
    "refusal_names_hidden_report",
]


def may_review_pairs(access: Access) -> bool:
    """Whether ``access`` may have pairs to act on: an organisation's reviewers and admins, and coordinators."""
    return access.is_coordinator or bool(access.reviewer_orgs)


def pairs_of_report(
    access: Access, report_id: int, *, statuses: Sequence[str] = ("proposed",)
) -> QuerySet[LinkCandidate]:
    """The pairs of ``queue(access, statuses=…)`` that involve the report ``report_id``, best score first."""
    return queue(access, statuses=statuses).filter(Q(report_a_id=report_id) | Q(report_b_id=report_id))


@dataclass(frozen=True, slots=True)
class PairCounts:
    proposed: int
    decided: int


def pair_counts(access: Access, report_id: int) -> PairCounts:
    """How many pairs of the report ``access`` may act on wait for a decision, and how many were decided."""
    pairs = pairs_of_report(access, report_id, statuses=("proposed", *DECISIONS))
    statuses = list(pairs.values_list("status", flat=True))
    proposed = sum(1 for status in statuses if status == "proposed")
    return PairCounts(proposed=proposed, decided=len(statuses) - proposed)


@dataclass(frozen=True, slots=True)
class IncidentView:
    """One incident as a person sees it: its reports they may see (id order, drafts included: they see them),
    the independent sources and the disagreements among those reports (drafts and rejected reports left out,
    as the figures leave them out)."""

    reports: list[Report]
    corroboration: Corroboration
    conflicts: list[Conflict]

    @property
    def refs(self) -> dict[int, Report]:
        return {report.pk: report for report in self.reports}


def incident_view(access: Access, incident_id: int) -> IncidentView:
    """The incident ``incident_id`` as ``access`` sees it (see :class:`IncidentView`)."""
    visible = visible_reports(access)
    # the incident row only: it may belong to an organisation out of the person's scope
    with scopes_disabled():
        incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:  # merged away or restored while the page was being made
        return IncidentView(reports=[], corroboration=Corroboration(0, 0, ()), conflicts=[])
    reports = list(visible.filter(incident_id=incident_id).select_related("organisation").order_by("pk"))
    return IncidentView(
        reports=reports,
        corroboration=corroboration(incident, reports=visible),
        conflicts=incident_conflicts(incident, reports=visible),
    )


def changed_since_scored(candidate: LinkCandidate) -> bool:
    """Whether a compared value of either report is no longer the one the pair was scored on (its stored
    explanation is then out of date). Moving a report to another incident changes none of them; an edit of
    the narrative's words alone is not seen here (its language is)."""
    stored = (candidate.agreements or {}).get("agreements") or {}
    if not stored:
        return False
    try:
        now = [values(link_record(candidate.report_a)), values(link_record(candidate.report_b))]
    except LinkageError:  # a report linkage cannot read any more: it changed
        return True

    def same(first: dict[str, object], second: dict[str, object]) -> bool:
        return all(
            isinstance(agreement, dict)
            and agreement.get("a") == first.get(name)
            and agreement.get("b") == second.get(name)
            for name, agreement in stored.items()
        )

    return not (same(now[0], now[1]) or same(now[1], now[0]))


def refusal_names_hidden_report(access: Access, candidate: LinkCandidate, message: str) -> bool:
    """Whether a refusal to undo ``candidate`` (``UndoRefused``'s message) names a report ``access`` may not see,
    or an incident named after one: the reports of the incidents the pair's merges touched are checked."""
    with scopes_disabled():
        merges = list(IncidentMerge.objects.filter(candidate=candidate, undone_at__isnull=True))
        incidents = {candidate.report_a.incident_id, candidate.report_b.incident_id}
        moved: set[int] = set()
        for merge in merges:
            incidents |= {merge.kept_id, merge.absorbed_id}
            moved |= set(merge.moved_reports)
        involved = Report.objects.filter(Q(incident_id__in=incidents) | Q(pk__in=moved))
        hidden = list(
            involved.exclude(pk__in=visible_reports(access).values("pk")).values_list("ref", flat=True)
        )
    return any(ref and ref in message for ref in hidden)


def linked_meanwhile(access: Access, pk: int) -> LinkCandidate | None:
    """A pair waiting for a decision that the queue no longer offers because its two reports were linked into
    one incident through other reports — if ``access`` could act on it otherwise (the rule of
    :func:`~bordermonitor.storage.linkage.queue`), so that a page says so instead of "not found"; else None."""
    with scopes_disabled():
        candidate = (
            LinkCandidate.objects.select_related("report_a__organisation", "report_b__organisation")
            .filter(pk=pk, status="proposed")
            .first()
        )
    if candidate is None:
        return None
    a, b = candidate.report_a, candidate.report_b
    if a.incident_id != b.incident_id or a.status in NEVER_PAIRED or b.status in NEVER_PAIRED:
        return None
    if a.organisation_id == b.organisation_id:
        allowed = bool(access.roles_in(a.organisation_id) & REVIEWER_ROLES)
    else:
        allowed = access.is_coordinator and all(
            report.organisation_id in access.sharing and report.consent_share_with_network is True
            for report in (a, b)
        )
    return candidate if allowed else None

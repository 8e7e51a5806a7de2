"""Moving a report through the review workflow (rules in ``core.workflow``), with its history and audit."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from bordermonitor.core.workflow import TransitionRefused, check
from bordermonitor.storage.audit import current_actor, record
from bordermonitor.storage.models import Report, ReportTransition, User

__all__ = ["move_report", "roles_of"]


def roles_of(user: User, report: Report) -> set[str]:
    """The person's roles in the report's organisation. Site administration gives none: reviewing is the
    organisation's own decision."""
    return user.roles_in(report.organisation)


def move_report(
    report: Report,
    *,
    target: str,
    roles: set[str],
    comment: str | None = None,
    checklist: Mapping[str, bool] | None = None,
) -> ReportTransition:
    """Move ``report`` to ``target`` if the workflow allows it for ``roles``; record the transition and an
    audit event in one transaction. Refused (:class:`TransitionRefused`) if another person moved the report
    since it was read: nothing is overwritten silently."""
    source = report.status
    check(
        ref=report.ref,
        status=source,
        target=target,
        roles=roles,
        comment=comment,
        checklist=checklist,
        consent_to_publish=report.consent_publish,
    )
    now = timezone.now()
    with transaction.atomic():
        moved = Report.objects.filter(pk=report.pk, status=source).update(status=target, updated_at=now)
        if not moved:
            current = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
            raise TransitionRefused(
                report.ref,
                source,
                target,
                f"someone else moved it to {current} meanwhile; reload and decide again",
            )
        report.status, report.updated_at = target, now
        step = ReportTransition.objects.create(
            report=report,
            source=source,
            target=target,
            actor=current_actor(),
            comment=(comment or "").strip() or None,
            checklist=dict(checklist or {}),
            at=now,
        )
        record("update", report, details={"transition": [source, target]})
    return step

"""A report's review moves and its evidence, as the pages offer them (rules in ``core.workflow``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from bordermonitor.api.auth import access_of
from bordermonitor.api.errors import ApiError
from bordermonitor.api.schemas import ID, ErrorOut, EvidenceOut, TransitionIn, TransitionOut, TransitionsOut
from bordermonitor.core.workflow import TransitionRefused, next_statuses
from bordermonitor.storage.access import PSEUDONYMISED, Access, get_report
from bordermonitor.storage.audit import record
from bordermonitor.storage.models import Evidence, Report, ReportTransition
from bordermonitor.storage.workflow import move_report

router = Router(tags=["workflow"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _not_pseudonymised(access: Access, report: Report, what: str) -> None:
    if access.view_of(report) == PSEUDONYMISED:
        raise ApiError(403, "forbidden", f"analysts do not see a report's {what}")


def _out(step: ReportTransition) -> TransitionOut:
    return TransitionOut(
        source=step.source,
        target=step.target,
        actor=step.actor,
        comment=step.comment,
        checklist=step.checklist or {},
        at=step.at,
    )


@router.get(
    "/reports/{report_id}/transitions", response={200: TransitionsOut, **ERRORS}, summary="Review history"
)
def transitions(request: HttpRequest, report_id: ID) -> TransitionsOut:
    """The report's status, the moves you may make now, and every move so far."""
    access = access_of(request)
    report = get_report(access, report_id)
    _not_pseudonymised(access, report, "review history")
    record(
        "view", report, details={"via": "api", "part": "transitions"}
    )  # reviewers' comments can name people
    history = ReportTransition.objects.filter(report=report).order_by("id")
    return TransitionsOut(
        status=report.status,
        allowed=next_statuses(report.status, access.workflow_roles(report)),
        history=[_out(step) for step in history],
    )


@router.post(
    "/reports/{report_id}/transitions",
    response={201: TransitionOut, 409: ErrorOut, **ERRORS},
    summary="Move a report",
)
def move(request: HttpRequest, report_id: ID, payload: TransitionIn) -> Any:
    """Submit, review, ask for changes, verify, approve or reject. Refused (422) with the reason when the
    workflow does not allow it; 409 when someone moved the report meanwhile."""
    access = access_of(request)
    report = get_report(access, report_id)
    _not_pseudonymised(access, report, "review")
    read = report.status
    try:
        step = move_report(
            report,
            target=payload.target,
            roles=access.workflow_roles(report),
            comment=payload.comment,
            checklist=payload.checklist,
        )
    except TransitionRefused as refused:
        now = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
        if now != read:
            raise ApiError(409, "conflict", f"{read} → {payload.target} refused: {refused.reason}") from None
        raise
    return Status(201, _out(step))


@router.get(
    "/reports/{report_id}/evidence", response={200: list[EvidenceOut], **ERRORS}, summary="Evidence files"
)
def evidence(request: HttpRequest, report_id: ID) -> list[EvidenceOut]:
    """What is known of each file (kind, type, size, SHA-256, derived copies) — never the bytes."""
    access = access_of(request)
    report = get_report(access, report_id)
    _not_pseudonymised(access, report, "evidence")
    # Which files a report has (a medical report, say) tells of the person: reading it is a view.
    record("view", report, details={"via": "api", "part": "evidence"})
    rows = Evidence.objects.filter(report=report).prefetch_related("derivatives").order_by("position", "pk")
    out = []
    for row in rows:
        out.append(
            EvidenceOut(
                id=row.pk,
                position=row.position,
                kind=row.kind,
                media_type=row.media_type,
                size=row.size,
                sha256=row.sha256,
                stored=row.stored,
                created_at=row.created_at,
                derivatives=[
                    {"role": d.role, "media_type": d.media_type, "size": d.size, "sha256": d.sha256}
                    for d in row.derivatives.all()
                ],
            )
        )
    return out

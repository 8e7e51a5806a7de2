"""Incidents (the reports in them the caller may see) and the caller's own account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from bordermonitor.api.auth import access_of
from bordermonitor.api.errors import ApiError
from bordermonitor.api.presenting import items_of
from bordermonitor.api.schemas import ID, ErrorOut, IncidentOut, MembershipOut, MeOut
from bordermonitor.storage.access import PSEUDONYMISED, visible_reports
from bordermonitor.storage.audit import record
from bordermonitor.storage.models import Organisation

router = Router(tags=["incidents and account"])


@router.get(
    "/incidents/{incident_id}",
    response={200: IncidentOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Read an incident",
)
def incident(request: HttpRequest, incident_id: ID) -> IncidentOut:
    """An incident and those of its reports you may see; 404 when you see none of them. Its reference is
    left out when you see its reports only pseudonymised (it is often made from a report's reference). Reading
    it is one ``view`` audit event of the incident, naming the reports it carried with personal data."""
    access = access_of(request)
    reports = list(
        visible_reports(access)
        .filter(incident_id=incident_id)
        .select_related("organisation", "incident")
        .order_by("id")
    )
    if not reports:
        raise ApiError(404, "not_found", "not found")
    named = any(access.view_of(report) != PSEUDONYMISED for report in reports)
    items, personal = items_of(access, reports, via="api")
    if personal:
        record("view", reports[0].incident, details={"via": "api", "reports": [r.pk for r in personal]})
    return IncidentOut(id=incident_id, ref=reports[0].incident.ref if named else None, reports=items)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Your account")
def me(request: HttpRequest) -> Any:
    """Who the API takes you for: your roles by organisation."""
    access = access_of(request)
    user = request.auth
    organisations = {
        pk: (code, name)
        for pk, code, name in Organisation.objects.filter(pk__in=list(access.roles)).values_list(
            "pk", "code", "name"
        )
    }
    return MeOut(
        id=user.pk,  # type: ignore[attr-defined]
        email=user.email,  # type: ignore[attr-defined]
        display_name=user.display_name or None,  # type: ignore[attr-defined]
        authenticated_by=getattr(request, "api_via", "session"),
        coordinator=access.is_coordinator,
        organisations=sorted(
            (
                MembershipOut(
                    organisation=organisations[org][0], name=organisations[org][1], roles=sorted(roles)
                )
                for org, roles in access.roles.items()
                if org in organisations
            ),
            key=lambda membership: membership.organisation,
        ),
    )

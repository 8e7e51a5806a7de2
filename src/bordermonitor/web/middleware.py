"""Per-request context: the audit actor, and organisation scoping for every query the request makes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from bordermonitor.storage.audit import acting_as


class AuditActorMiddleware:
    """Attributes audit events to the signed-in account; scopes queries to the person's organisations.

    Administrators (superusers) work across organisations, in the admin site only; everyone else is scoped to
    the organisations they hold a role in, so a forgotten filter raises instead of leaking another's data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            with acting_as("anonymous"), scope(organisation=[]):
                return self.get_response(request)
        with acting_as(f"user:{user.pk}"):
            if user.is_superuser:
                with scopes_disabled():
                    return self.get_response(request)
            organisations = list(user.memberships.values_list("organisation_id", flat=True).distinct())
            with scope(organisation=organisations):
                return self.get_response(request)

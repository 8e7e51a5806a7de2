"""Per-request context: the person's rights, the audit actor, and organisation scoping for every query."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from bordermonitor.storage.access import access_for
from bordermonitor.storage.audit import acting_as


class AuditActorMiddleware:
    """Attributes audit events to the signed-in account and scopes queries to what the person may see.

    ``request.access`` holds the person's rights (``bordermonitor.storage.access``). Every query the request
    makes is scoped to the organisations the person may see anything of, so a forgotten filter raises or
    stays inside them. The site administrator works across organisations in the administration site only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        with scopes_disabled():
            access = access_for(user)
        request.access = access  # type: ignore[attr-defined]
        with acting_as(access.actor):
            if user is not None and user.is_superuser and request.path.startswith("/admin/"):
                with scopes_disabled():
                    return self.get_response(request)
            with scope(organisation=access.scope_orgs):
                return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person's chosen interface language wins over the browser's (set it with the language
    selector, which remembers it on the account); visitors get their browser's language or the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", None) if user is not None and user.is_authenticated else None
        if chosen in self.languages:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than the evidence limit before anything reads it: parsing a form (the
    CSRF check does, first) would otherwise spool the whole upload to a temporary file on disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = (settings.BORDERMONITOR.max_upload_mb + 1) * 1024 * 1024

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            message = gettext(
                "This file is larger than the limit of %(limit)d MB: not accepted. Shorten or split it"
            ) % {"limit": settings.BORDERMONITOR.max_upload_mb}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

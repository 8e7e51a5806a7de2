"""Who is calling the API, and the organisation scope every operation runs in.

Two ways in: a personal token (``Authorization: Bearer bm_…``) or the browser session (with Django's CSRF
check on unsafe methods, so another site cannot make a signed-in browser write). A bearer header, when sent,
decides alone: a wrong or revoked token is refused even if a session cookie came along.

The web middleware scopes each request to the *session* user. An API operation must run for the account that
authenticated it instead, so :func:`scoped` (applied to every operation) computes that account's
:class:`~bordermonitor.storage.access.Access` and enters its ``scope`` and audit actor for the duration of
the operation — a token request never sees what the session's account could.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_scopes import scope, scopes_disabled
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from bordermonitor.storage.access import Access, access_for
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import User
from bordermonitor.storage.tokens import user_for_token

__all__ = ["BearerToken", "Session", "access_of", "scoped"]


class BearerToken(HttpBearer):
    """``Authorization: Bearer bm_…`` — a personal token from the API tokens page."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message="the Authorization header is not 'Bearer <token>'")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        with scopes_disabled():
            user = user_for_token(token)
        if user is None:
            raise AuthenticationError(message="the token is unknown or revoked")
        request.api_via = "token"  # type: ignore[attr-defined]
        return user


class Session(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token (``X-CSRFToken`` header)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        if "Authorization" in request.headers:
            return None  # a bearer header decides alone (see BearerToken)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None  # nobody signed in: 401, not a CSRF failure
        if check_csrf(request) is not None:
            raise HttpError(403, "the CSRF token is missing or wrong (send it in the X-CSRFToken header)")
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        request.api_via = "session"  # type: ignore[attr-defined]
        return request.user  # type: ignore[return-value]


def access_of(request: HttpRequest) -> Access:
    """The rights of the account that authenticated this API request (set by :func:`scoped`)."""
    return request.api_access  # type: ignore[attr-defined,no-any-return]


def scoped(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run an operation as the account that authenticated it: its rights, its scope, its audit actor."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = getattr(request, "auth", None)
        with scopes_disabled():
            access = access_for(user if isinstance(user, User) else None)
        request.api_access = access  # type: ignore[attr-defined]
        request.access = access  # type: ignore[attr-defined]
        with acting_as(access.actor), scope(organisation=access.scope_orgs):
            return view(request, *args, **kwargs)

    return run

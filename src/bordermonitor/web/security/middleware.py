"""Security behaviour of every staff response and every signed-in request (docs/access.md, "Signing in").

- :class:`SecurityHeadersMiddleware`: a strict Content-Security-Policy (scripts, styles and data from this
  site only, no inline script or style attribute; images also from the tile server when one is configured)
  and a Permissions-Policy that turns off what the site never uses.
- :class:`SessionLifetimeMiddleware`: a signed-in session ends after ``SESSION_COOKIE_AGE`` (8 hours) from
  signing in, however active, and after ``BORDERMONITOR_SESSION_IDLE_MINUTES`` without a request.
- :class:`SecondFactorMiddleware`: until the person has passed their second factor, a session that needs one
  reaches only the second-factor pages, signing out and the language switch, and those pages show it no other
  link (``request.second_factor_pending``). API requests with a bearer token are not concerned (the token
  decides alone).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import ngettext

from bordermonitor.api.errors import body as error_body
from bordermonitor.storage import accounts
from bordermonitor.storage.accounts import confirmed_second_factor, second_factor_required
from bordermonitor.web.security import session as marks

__all__ = [
    "SecondFactorMiddleware",
    "SecurityHeadersMiddleware",
    "SessionLifetimeMiddleware",
    "content_security_policy",
]

Handler = Callable[[HttpRequest], HttpResponseBase]
API_DOCS = "/api/v1/docs"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def content_security_policy(*, tile_origin: str | None, inline_styles: bool = False) -> str:
    images = "'self' data:" + (f" {tile_origin}" if tile_origin else "")
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        )
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        tile_origin = settings.BORDERMONITOR_TILE_ORIGIN
        self.pages = content_security_policy(tile_origin=tile_origin)
        # Swagger UI (the private API's documentation) sets style attributes in its markup; its page shows
        # no record and runs only the shipped scripts.
        self.docs = content_security_policy(tile_origin=None, inline_styles=True)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path == API_DOCS or request.path == API_DOCS + "/"
            response["Content-Security-Policy"] = self.docs if docs else self.pages
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response


class SessionLifetimeMiddleware:
    """Ends a signed-in session that is too old or has been idle too long; the request then goes on as a
    visitor's (pages send the person to sign in, with a message saying why; the API answers 401)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.idle = settings.BORDERMONITOR.session_idle_minutes * 60
        self.lifetime = settings.SESSION_COOKIE_AGE

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or "Authorization" in request.headers:
            return self.get_response(request)
        session = request.session  # type: ignore[attr-defined]
        at = int(accounts.now().timestamp())
        signed_in = int(session.setdefault(marks.SIGNED_IN, at))
        seen = int(session.get(marks.SEEN, at))
        too_old, idle = at - signed_in > self.lifetime, at - seen > self.idle
        if too_old or idle:
            logout(request)
            if too_old:
                hours = self.lifetime // 3600
                message = ngettext(
                    "You were signed out: a session lasts at most %(hours)d hour.",
                    "You were signed out: a session lasts at most %(hours)d hours.",
                    hours,
                ) % {"hours": hours}
            else:
                minutes = self.idle // 60
                message = ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    minutes,
                ) % {"minutes": minutes}
            messages.info(request, message)
        elif at - seen >= 60 or marks.SEEN not in session:
            session[marks.SEEN] = at  # written at most once a minute
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.open_paths: frozenset[str] | None = None
        self.open_prefixes = ("/" + settings.STATIC_URL.lstrip("/"), "/i18n/")

    def _open(self, path: str) -> bool:
        """Pages a session waiting for its second factor may reach."""
        if self.open_paths is None:  # read once, on the first request (the URLs are loaded by then)
            names = ("security:verify", "security:enrol", "logout", "login", "set_language")
            self.open_paths = frozenset(reverse(name) for name in names)
        return path in self.open_paths or path.startswith(self.open_prefixes)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or marks.second_factor_passed(request.session, user.pk)  # type: ignore[attr-defined]
            or request.path_info.startswith(self.open_prefixes)
        ):
            return self.get_response(request)
        if request.path_info.startswith("/api/") and "Authorization" in request.headers:
            return self.get_response(request)  # a bearer token decides alone; the session is not used
        enrolled = confirmed_second_factor(user) is not None
        if not enrolled and not second_factor_required(user):
            return self.get_response(request)  # optional for this person, and not set up
        # Pages show such a session only what it can use (signing out, the language): see the base template.
        request.second_factor_pending = True  # type: ignore[attr-defined]
        if self._open(request.path_info):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            message = "this session has not passed its second factor: finish signing in, or use an API token"
            return JsonResponse(error_body("second_factor_required", message), status=403)
        target = reverse("security:verify" if enrolled else "security:enrol")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)

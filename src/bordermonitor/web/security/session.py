"""What a signed-in session records about its own security: when it began, when it was last used, and whether
its second factor was passed. The middleware (``bordermonitor.web.security.middleware``) reads these keys."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

__all__ = [
    "SECOND_FACTOR",
    "SEEN",
    "SIGNED_IN",
    "client_address",
    "mark_second_factor_passed",
    "second_factor_passed",
    "start",
]

SECOND_FACTOR = "bm_second_factor"  # the account id whose second factor this session passed
SIGNED_IN = "bm_signed_in"  # when the password was accepted (seconds since the epoch)
SEEN = "bm_seen"  # the last request of the signed-in person (seconds, written at most once a minute)


def start(session: Any, *, at: float) -> None:
    """A session just signed in with a password at ``at`` (seconds): its clocks start, no second factor
    passed yet."""
    session.pop(SECOND_FACTOR, None)
    session[SIGNED_IN] = int(at)
    session[SEEN] = int(at)


def mark_second_factor_passed(session: Any, user_id: int) -> None:
    session[SECOND_FACTOR] = user_id


def second_factor_passed(session: Any, user_id: int) -> bool:
    return bool(session.get(SECOND_FACTOR) == user_id)


def client_address(request: HttpRequest, *, trusted_proxy: str | None) -> str:
    """The address the request came from: ``REMOTE_ADDR``, or, when that is the configured reverse proxy, the
    last address its ``X-Forwarded-For`` adds (the one that connected to the proxy; earlier entries are
    whatever the client claimed and are not believed)."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    if trusted_proxy and remote == trusted_proxy:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return remote

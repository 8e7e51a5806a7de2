"""Personal API tokens: issued with ``secrets``, shown once, stored only as their SHA-256, revocable.

A token is ``bm_`` followed by 43 URL-safe characters (256 random bits). Only its digest is kept, so a copy of
the database does not let anyone call the API; the ``bm_`` prefix lets secret scanners recognise a leaked
one. ``last_used_at`` is written at most once a minute, so a busy client does not turn every read into a
write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db.models import QuerySet
from django.utils import timezone

from bordermonitor.storage.models import ApiToken, User

__all__ = ["PREFIX", "digest_of", "issue_token", "revoke_token", "tokens_of", "user_for_token"]

PREFIX = "bm_"
_TOUCH_EVERY = dt.timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the stored row and the token itself (the only time it exists)."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name.strip()[:100] or "API", digest=digest_of(token))
    return row, token


def user_for_token(token: str) -> User | None:
    """The active account a live token belongs to, or None (unknown, revoked, or the account is disabled)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= _TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, newest first (revoked ones included, so they can see what they revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def revoke_token(*, user: User, token_id: int) -> bool:
    """Revoke one of the person's own tokens; False when there is no such live token of theirs."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )

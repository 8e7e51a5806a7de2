"""Template context every staff page needs: the person's rights (``access``) for menus and buttons, and whether
the session still waits for its second factor (``second_factor_pending``: the menus then offer only signing out
and the language)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bordermonitor.storage.access import Access


def access(request: HttpRequest) -> dict[str, Any]:
    return {
        "access": getattr(request, "access", Access(user_id=None)),
        "second_factor_pending": getattr(request, "second_factor_pending", False),
    }

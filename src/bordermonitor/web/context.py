"""Template context every staff page needs: the person's rights (``access``) for menus and buttons."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bordermonitor.storage.access import Access


def access(request: HttpRequest) -> dict[str, Any]:
    return {"access": getattr(request, "access", Access(user_id=None))}

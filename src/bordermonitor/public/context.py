"""What every public page needs: the language switcher (links to the same page in each language)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

__all__ = ["site"]


def site(request: HttpRequest) -> dict[str, Any]:
    current = get_language()
    here = request.get_full_path()
    return {
        "languages": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(here, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
    }

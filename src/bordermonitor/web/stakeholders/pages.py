"""What every stakeholder page shares: who may open it (coordinators and site administrators; anyone else gets
404, as on the Publish page), fetching a row or 404, the words of coded values, and the generic form page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise

from bordermonitor.core.areas import BorderAreas, border_areas
from bordermonitor.core.countries import country_name
from bordermonitor.core.typology import violence_type
from bordermonitor.storage.access import Access
from bordermonitor.storage.models.stakeholders import (
    ENGAGEMENT_STAGES,
    MEASURE_STATUSES,
    PLAN_STATUSES,
    STAKEHOLDER_KINDS,
)
from bordermonitor.storage.stakeholders import NotFound, Row, get, may_manage, stakeholder_codes

__all__ = [
    "KINDS",
    "MEASURE_STATUS_LABELS",
    "PLAN_STATUS_LABELS",
    "STAGE_LABELS",
    "area_label",
    "area_options",
    "coordinators",
    "country",
    "form_page",
    "found",
    "language",
    "violence_label",
]

STAGE_LABELS: Mapping[str, Promise] = dict(ENGAGEMENT_STAGES)
KINDS: Mapping[str, Promise] = dict(STAKEHOLDER_KINDS)
PLAN_STATUS_LABELS: Mapping[str, Promise] = dict(PLAN_STATUSES)
MEASURE_STATUS_LABELS: Mapping[str, Promise] = dict(MEASURE_STATUSES)
FORM_PAGE = "bordermonitor/stakeholders/form.html"

V = TypeVar("V", bound=Callable[..., HttpResponse])


def coordinators(view: V) -> V:
    """Sign-in required; then coordinators and site administrators only, anyone else gets 404."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access: Access = request.access  # type: ignore[attr-defined]
        if not may_manage(access, request.user):
            raise Http404
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return guarded  # type: ignore[return-value]


def found(model: type[Row], pk: int) -> Row:
    try:
        return get(model, pk)
    except NotFound:
        raise Http404 from None


def language() -> str:
    return translation.get_language() or "en"


def country(code: str | None) -> str | None:
    return country_name(code, language()) if code else None


def _areas() -> BorderAreas:
    """The border areas the monitoring matrix groups incidents by (configured, else the shipped ones)."""
    return border_areas(getattr(settings, "BORDERMONITOR_BORDER_AREAS", None))


def area_options() -> list[tuple[str, str]]:
    """The named border areas, (code, name in the page's language), offered when typing a target's area."""
    return [(area.code, area.name(language())) for area in _areas().areas]


def area_label(code: str | None) -> tuple[str, bool] | None:
    """A target's area in words, and whether the matrix can give that code (None: every area)."""
    if code is None:
        return None
    areas = _areas()
    return areas.name(code, language()), areas.known(code)


def violence_label(code: str | None) -> str | None:
    """The violence type's name in the page's language (None: every type)."""
    if code is None:
        return None
    try:
        return violence_type(code).label(language())
    except KeyError:
        return code


def form_page(
    request: HttpRequest,
    *,
    heading: str,
    form: forms.Form,
    action: str,
    submit: str,
    back: str,
    status: int = 200,
    intro: str | None = None,
    remove: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A page holding one form (create or correct something), and optionally the form that removes it."""
    context = {
        "heading": heading,
        "form": form,
        "action": action,
        "submit": submit,
        "back": back,
        "intro": intro,
        "remove": remove,
        "codes": stakeholder_codes(),
    }
    return render(request, FORM_PAGE, context, status=status)

"""Staff pages. Pages never compute figures themselves: they ask the same functions as the CLI."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from bordermonitor.core.countries import country_name
from bordermonitor.core.typology import violence_type
from bordermonitor.storage.accounts import remember_language
from bordermonitor.storage.overview import organisation_overview
from bordermonitor.storage.statistics import visible_stats


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the figures of the organisations the person works in (their scope)."""
    language = request.LANGUAGE_CODE
    figures = visible_stats(request.access)  # type: ignore[attr-defined]
    top = lambda counts: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]  # noqa: E731
    context = {
        "figures": figures,
        "overview": organisation_overview(request.user, request.access),  # type: ignore[attr-defined]
        "violence": [(violence_type(code).label(language), n) for code, n in top(figures["by_violence"])],
        "states": [(country_name(code, language), n) for code, n in top(figures["by_expelling_state"])],
        "nationalities": [(country_name(code, language), n) for code, n in top(figures["by_nationality"])],
        "years": sorted(figures["by_year"].items(), key=lambda kv: (kv[0] != "unknown", kv[0]), reverse=True),
    }
    return render(request, "bordermonitor/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in person the choice is also kept on the account, so it follows
    them to another device."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {code for code, _ in settings.LANGUAGES}:
        remember_language(user_id=request.user.pk, language=language)
    return response

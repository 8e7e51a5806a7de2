"""The public pages that read one release: home, incident, downloads and about.

Each page answers from the release the watcher holds at the start of the request; with none published yet
it says so (503). The map and search pages are in :mod:`bordermonitor.public.browse`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bordermonitor.public.current import current_release
from bordermonitor.public.licences import licence_parts, release_licences
from bordermonitor.public.present import card, detail
from bordermonitor.public.release import Release
from bordermonitor.words import WITHHELD

__all__ = ["about", "downloads", "home", "incident", "page_response", "unavailable"]

LATEST = 8
PAGE_CACHE = "public, max-age=60"
# What the counts of release.json are called on the about page; other keys are shown as they are.
_COUNT_LABELS = {
    "incidents": _("Incidents"),
    "reports": _("Reports"),
    "evidence": _("Evidence files"),
    "violence": _("Coded acts of violence"),
    "aggregates": _("Aggregate cells"),
    "with narrative": _("Incidents with a narrative"),
    "with coordinates": _("Incidents with a place on the map"),
}


def unavailable(request: HttpRequest) -> HttpResponse:
    response = render(request, "public/unavailable.html", status=503)
    response["Retry-After"] = "60"
    return response


def page_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    if status == 200:
        response["Cache-Control"] = PAGE_CACHE
    return response


def home(request: HttpRequest) -> HttpResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    size = release.index.size
    latest = release.rows(np.arange(size - 1, max(size - 1 - LATEST, -1), -1))  # newest first
    share = release.summary.violence_share
    return page_response(
        request,
        "public/home.html",
        {
            "release": release,
            "nav": "home",
            "summary": release.summary,
            "violence_percent": None if share is None else round(share * 100),
            "latest": [card(row) for row in latest],
        },
    )


def incident(request: HttpRequest, incident_id: str) -> HttpResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    row = release.incident(incident_id)
    if row is None:
        raise Http404("no such incident in this release")
    return page_response(
        request,
        "public/incident.html",
        {
            "release": release,
            "nav": "search",
            "incident": detail(row, release.evidence(incident_id)),
            "tile_url": settings.BORDERMONITOR_PUBLIC.tile_url,
        },
    )


def _licences(release: Release) -> list[dict[str, Any]]:
    rows = release.db().execute(
        "SELECT licence, attribution, count(*) FROM incidents GROUP BY 1, 2 ORDER BY 3 DESC"
    )
    return [
        {"licence": r[0], "parts": licence_parts(r[0]), "attribution": r[1], "incidents": r[2]} for r in rows
    ]


def downloads(request: HttpRequest) -> HttpResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    files = [
        {"name": name, "bytes": info.get("bytes"), "sha256": info.get("sha256")}
        for name, info in sorted(release.manifest.get("files", {}).items())
        if not name.startswith("evidence/")
    ]
    evidence_files = sum(1 for name in release.manifest.get("files", {}) if name.startswith("evidence/"))
    return page_response(
        request,
        "public/downloads.html",
        {
            "release": release,
            "nav": "downloads",
            "files": files,
            "evidence_files": evidence_files,
            "licences": release_licences(
                release.manifest.get("licences", []), files=release.manifest.get("files", {})
            ),
            "row_licences": _licences(release),
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    counts = [
        (_COUNT_LABELS.get(key, key), value) for key, value in release.manifest.get("counts", {}).items()
    ]
    withheld = [
        (WITHHELD.get(reason, reason), n)
        for reason, n in sorted(release.manifest.get("withheld", {}).items(), key=lambda item: -item[1])
        if n
    ]
    return page_response(
        request,
        "public/about.html",
        {
            "release": release,
            "nav": "about",
            "policy": release.manifest.get("policy", []),
            "counts": counts,
            "withheld": withheld,
        },
    )

"""The public JSON API: read-only, anonymous, answered from the latest release only.

Mounted at ``/api/public/v1/``; its description at ``/api/public/v1/openapi.json`` and a browsable page at
``/api/public/v1/docs`` (Swagger UI from the files django-ninja ships, served by this site). Filters are
the map's and the search page's (:mod:`bordermonitor.public.filters`); errors have the private API's shape
(:mod:`bordermonitor.public.errors`); CORS, caching, rate limiting and 405 are the middleware's.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.openapi.docs import Swagger

from bordermonitor.core.typology import violence_type
from bordermonitor.public import query
from bordermonitor.public.current import current_release
from bordermonitor.public.errors import ApiError, install
from bordermonitor.public.filters import Filters, Problem, parse_filters
from bordermonitor.public.release import Release
from bordermonitor.public.schemas import (
    AggregatesPublic,
    ClustersPublic,
    ErrorPublic,
    FacetsPublic,
    IncidentDetailPublic,
    IncidentPagePublic,
    ReleasePublic,
)

__all__ = ["api"]

DIMENSIONS = ("expelled_by", "violence", "nationality")
MAX_LIMIT = 100
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

api = NinjaAPI(
    title="bordermonitor public API",
    version="1",
    description=(
        "The open-data release of the network: published, anonymised incidents, their facets, monthly "
        "aggregates (with disclosure control) and map clusters. Read-only and anonymous; readable from any "
        "origin (CORS). Every answer comes from one release (its version is in each body); responses carry "
        "an ETag (send it back in If-None-Match for 304) and may be cached for 5 minutes. Requests are "
        "limited per client address (429 with Retry-After). Errors always have the shape "
        '{"error": {"code", "message", "fields": [{"path", "message", "valid"}]}}; an unknown filter value '
        "answers 400 and lists the valid ones."
    ),
    urls_namespace="public-api-v1",
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install(api)

ERRORS: dict[int, Any] = {304: None, 400: ErrorPublic, 429: ErrorPublic, 503: ErrorPublic}


class FilterQuery(Schema):
    """The filters, shared with the map and the search page. Empty means "any"; all given must hold."""

    date_from: str | None = Field(
        None, description="YYYY-MM or YYYY-MM-DD: incidents whose published date starts on or after it."
    )
    date_to: str | None = Field(
        None, description="YYYY-MM or YYYY-MM-DD: incidents whose published date ends on or before it."
    )
    expelled_by: str | None = Field(None, description="A state (ISO 3166-1 alpha-2) anywhere in the chain.")
    violence: str | None = Field(None, description="A typology code, e.g. beating (GET /facets lists them).")
    nationality: str | None = Field(None, description="A nationality (ISO 3166-1 alpha-2).")
    minors_involved: str | None = Field(
        None, description="true or false.", json_schema_extra={"enum": ["true", "false"]}
    )
    kind: str | None = Field(
        None,
        description="pushback, chain_pushback, violence, detention, death, disappearance or other.",
    )
    country: str | None = Field(None, description="Country where it happened (ISO 3166-1 alpha-2).")
    q: str | None = Field(
        None, description='Full text over titles and narratives: words (all must match), "phrases", prefix*.'
    )
    bbox: str | None = Field(
        None, description="min_lon,min_lat,max_lon,max_lat (WGS84); min_lon > max_lon crosses 180°."
    )


class ListQuery(FilterQuery):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Incidents per page, at most {MAX_LIMIT}.")
    sort: Literal["-date", "date"] = Field("-date", description="-date: newest first; date: oldest first.")


class ClusterQuery(FilterQuery):
    zoom: int = Field(3, ge=0, le=22, description="Map zoom level (256-pixel web-mercator tiles).")


class AggregateQuery(Schema):
    dimension: str = Field(description="expelled_by, violence or nationality.")
    month_from: str | None = Field(None, description="YYYY-MM: only months from this one.")
    month_to: str | None = Field(None, description="YYYY-MM: only months up to this one.")


def _release(request: HttpRequest) -> Release:
    release: Release | None = getattr(request, "public_release", None) or current_release()
    if release is None:
        raise ApiError(503, "unavailable", "no release has been published yet; try again later")
    return release


def _filters(request: HttpRequest, release: Release, *, extra: tuple[str, ...] = ()) -> Filters:
    return parse_filters(dict(request.GET.lists()), index=release.index, extra=extra, strict=True)


def _page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@api.get(
    "/incidents",
    response={200: IncidentPagePublic, **ERRORS},
    summary="List incidents",
    tags=["incidents"],
)
def list_incidents(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    """Published incidents matching the filters, newest first (or oldest first), one page at a time."""
    release = _release(request)
    filters = _filters(request, release, extra=("page", "limit", "sort"))
    mask = release.select(filters)
    total = query.count(release.index, mask)
    positions = query.page(
        release.index, mask, number=params.page, size=params.limit, newest_first=params.sort == "-date"
    )
    pages = math.ceil(total / params.limit)
    return {
        "release": release.version,
        "count": total,
        "page": params.page,
        "limit": params.limit,
        "pages": pages,
        "sort": params.sort,
        "next": _page_url(request, params.page + 1) if params.page < pages else None,
        "previous": _page_url(request, min(params.page - 1, pages)) if params.page > 1 and pages else None,
        "items": release.rows(positions),
    }


def _violence_details(codes: list[str] | None) -> list[dict[str, Any]]:
    out = []
    for code in codes or ():
        try:
            entry = violence_type(code)
        except KeyError:
            continue
        out.append(
            {"code": code, "group": entry.group, "severity": entry.severity, "label": entry.label("en")}
        )
    return out


@api.get(
    "/incidents/{incident_id}",
    response={200: IncidentDetailPublic, 404: ErrorPublic, **ERRORS},
    summary="One incident",
    tags=["incidents"],
)
def get_incident(request: HttpRequest, incident_id: str) -> dict[str, Any]:
    """One published incident, its coded violence described and its published evidence files."""
    release = _release(request)
    row = release.incident(incident_id)
    if row is None:
        raise ApiError(404, "not_found", "no incident with this id in the release")
    files = [
        {
            **item,
            "url": request.build_absolute_uri(reverse("file", kwargs={"name": item["file"]})),
        }
        for item in release.evidence(incident_id)
    ]
    return {**row, "violence_details": _violence_details(row["violence"]), "evidence_files": files}


def _ordered(name: str, counts: dict[str | None, int]) -> list[dict[str, Any]]:
    if name == "year":
        keys = sorted(counts, key=lambda v: (v is None, v or ""))
    else:
        keys = sorted(counts, key=lambda v: (v is None, -counts[v], v or ""))
    return [{"value": key, "count": counts[key]} for key in keys]


@api.get("/facets", response={200: FacetsPublic, **ERRORS}, summary="Facet counts", tags=["incidents"])
def facets(request: HttpRequest, params: Query[FilterQuery]) -> dict[str, Any]:
    """Incidents per expelling state, typology code, nationality, kind, year, minors involved and country,
    under the filters."""
    release = _release(request)
    filters = _filters(request, release)
    counts = release.facets(filters)
    return {
        "release": release.version,
        "count": query.count(release.index, release.select(filters)),
        **{name: _ordered(name, values) for name, values in counts.items()},
    }


@api.get(
    "/aggregates",
    response={200: AggregatesPublic, **ERRORS},
    summary="Monthly aggregates",
    tags=["aggregates"],
)
def aggregates(request: HttpRequest, params: Query[AggregateQuery]) -> dict[str, Any]:
    """Rows of aggregates.csv for one dimension. Suppressed cells have ``incidents: null`` and
    ``suppressed: true``. With a month range, the monthly rows in it; without, also the totals over months
    (``month: "*"``)."""
    release = _release(request)
    problems = [
        Problem(name, "is not a parameter of this request", ("dimension", "month_from", "month_to"))
        for name in request.GET
        if name not in ("dimension", "month_from", "month_to")
    ]
    if params.dimension not in DIMENSIONS:
        problems.append(Problem("dimension", "is not a dimension of the aggregates", DIMENSIONS))
    for name in ("month_from", "month_to"):
        value = getattr(params, name)
        if value is not None and not _MONTH.match(value):
            problems.append(Problem(name, "must be a month: YYYY-MM"))
    if problems:
        raise ApiError(400, "validation", "the request's parameters are not valid", problems)
    ranged = params.month_from is not None or params.month_to is not None
    rows = [
        row
        for row in release.aggregates
        if row["dimension"] == params.dimension
        and (
            (not ranged and row["month"] == "*")
            or (
                row["month"] != "*"
                and (params.month_from is None or row["month"] >= params.month_from)
                and (params.month_to is None or row["month"] <= params.month_to)
            )
        )
    ]
    return {"release": release.version, "dimension": params.dimension, "rows": rows}


@api.get("/clusters", response={200: ClustersPublic, **ERRORS}, summary="Map clusters", tags=["map"])
def clusters(request: HttpRequest, params: Query[ClusterQuery]) -> dict[str, Any]:
    """Incidents with a place that match the filters, grouped in cells of about 64 screen pixels at
    ``zoom`` within ``bbox``, then merged until no two markers of ``size`` pixels overlap at that zoom; a
    cluster of one names its incident."""
    release = _release(request)
    filters = _filters(request, release, extra=("zoom",))
    mask = release.select(dataclasses.replace(filters, bbox=None))  # the box is the clusters' own frame
    found, total = query.clusters(release.index, mask, zoom=params.zoom, bbox=filters.bbox)
    ids = release.index.ids
    return {
        "release": release.version,
        "zoom": params.zoom,
        "count": total,
        "clusters": [
            {
                "lat": round(c.lat, 5),
                "lon": round(c.lon, 5),
                "count": c.count,
                "size": c.size,
                "id": None if c.position is None else ids[c.position],
                "bbox": None if c.bbox is None else list(c.bbox),
            }
            for c in found
        ],
    }


@api.get("/release", response={200: ReleasePublic, **ERRORS}, summary="This release", tags=["release"])
def release_info(request: HttpRequest) -> dict[str, Any]:
    """release.json as published: version, counts, publication policy, what was withheld (counts only),
    each file with its SHA-256, licences."""
    return dict(_release(request).manifest)

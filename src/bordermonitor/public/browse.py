"""The search page (faceted, full-text, paginated, sortable by date) and the map page.

Both read the same query parameters as the API (:func:`bordermonitor.public.filters.parse_filters`); a value
the release does not know is explained on the page (status 400) with the values it accepts. The map itself
is drawn by ``public/map.js`` from the API's clusters endpoint, so the page works without JavaScript as a
count and a link to the list.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse

from bordermonitor.core.records import INCIDENT_KINDS
from bordermonitor.core.typology import violence_types
from bordermonitor.public import bits, query
from bordermonitor.public.active import active_filters
from bordermonitor.public.current import current_release
from bordermonitor.public.filters import FilterError, Filters, parse_filters
from bordermonitor.public.labels import FIELDS, KINDS, country, problem_text, value_label, violence_label
from bordermonitor.public.present import card
from bordermonitor.public.release import Release
from bordermonitor.public.views import page_response, unavailable

__all__ = ["map_page", "search"]

PAGE_SIZE = 20
FACETS_SHOWN = 8  # the rest of a facet's values fold away


def _parse(request: HttpRequest, release: Release) -> tuple[Filters | None, list[tuple[str, str, list[str]]]]:
    try:
        return parse_filters(dict(request.GET.lists()), index=release.index), []
    except FilterError as exc:
        return None, [problem_text(problem) for problem in exc.problems]


def _options(release: Release) -> dict[str, list[tuple[str, str]]]:
    """The choices of the filter form: countries present in the release, by name in the reader's language."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name in ("expelled_by", "nationality", "country"):
        pairs = [(code, country(code)) for code in release.index.fields[name].known]
        out[name] = sorted(pairs, key=lambda pair: pair[1].casefold())
    out["violence"] = [(t.code, violence_label(t.code)) for t in violence_types()]
    out["kind"] = [(code, str(KINDS[code])) for code in INCIDENT_KINDS]
    return out


def _form(request: HttpRequest, release: Release) -> dict[str, Any]:
    return {
        "values": {name: request.GET.get(name, "") for name in FIELDS},
        "options": _options(release),
        "labels": FIELDS,
    }


def _link(params: dict[str, str]) -> str:
    return "?" + urlencode(params) if params else "?"


def _facet_blocks(filters: Filters, counts: dict[str, dict[str | None, int]]) -> list[dict[str, Any]]:
    blocks = []
    for name in query.FACETS:
        values = counts[name]
        if name == "year":
            keys = sorted(values, key=lambda v: (v is None, v or ""), reverse=True)
        else:
            keys = sorted(values, key=lambda v: (v is None, -values[v], v or ""))
        entries = []
        for value in keys:
            active, url = False, None
            if value is not None:
                if name == "year":
                    change: dict[str, object] = {"date_from": f"{value}-01", "date_to": f"{value}-12"}
                    active = filters.date_from == change["date_from"] and filters.date_to == change["date_to"]
                    if active:
                        change = {"date_from": None, "date_to": None}
                elif name == "minors_involved":
                    active = filters.minors_involved == (value == "true")
                    change = {name: None if active else value == "true"}
                else:
                    active = getattr(filters, name) == value
                    change = {name: None if active else value}
                url = _link(filters.params(**change))
            entries.append(
                {"label": value_label(name, value), "count": values[value], "url": url, "active": active}
            )
        blocks.append(
            {
                "name": name,
                "title": FIELDS[name],
                "shown": entries[:FACETS_SHOWN],
                "more": entries[FACETS_SHOWN:],
            }
        )
    return blocks


def _number(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 1_000_000))
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    filters, errors = _parse(request, release)
    context: dict[str, Any] = {"release": release, "nav": "search", "form": _form(request, release)}
    if filters is None:
        return page_response(request, "public/search.html", {**context, "errors": errors}, status=400)
    newest_first = request.GET.get("sort") != "date"
    number = _number(request.GET.get("page"))
    mask = release.select(filters)
    total = query.count(release.index, mask)
    pages = math.ceil(total / PAGE_SIZE)
    positions = query.page(release.index, mask, number=number, size=PAGE_SIZE, newest_first=newest_first)
    params = filters.params()
    sort = {} if newest_first else {"sort": "date"}
    context.update(
        {
            "filters": filters,
            "chips": active_filters(filters, keep=sort),
            "count": total,
            "page": number,
            "pages": pages,
            "first": (number - 1) * PAGE_SIZE + 1,
            "last": (number - 1) * PAGE_SIZE + len(positions),
            "results": [card(row) for row in release.rows(positions)],
            "facets": _facet_blocks(filters, release.facets(filters)),
            "newest_first": newest_first,
            "newest_url": _link(params),
            "oldest_url": _link({**params, "sort": "date"}),
            "previous_url": _link({**params, **sort, "page": str(number - 1)}) if number > 1 else None,
            "next_url": _link({**params, **sort, "page": str(number + 1)}) if number < pages else None,
            "clear_url": reverse("search"),
            "map_url": reverse("map") + _link({k: v for k, v in params.items() if k != "bbox"}),
        }
    )
    return page_response(request, "public/search.html", context)


def map_page(request: HttpRequest) -> HttpResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    filters, errors = _parse(request, release)
    context: dict[str, Any] = {"release": release, "nav": "map", "form": _form(request, release)}
    if filters is None:
        return page_response(request, "public/map.html", {**context, "errors": errors}, status=400)
    params = {k: v for k, v in filters.params().items() if k != "bbox"}
    mask = release.select(dataclasses.replace(filters, bbox=None))  # the map shows its own area
    context.update(
        {
            "filters": filters,
            "chips": active_filters(filters, with_bbox=False),
            "count": query.count(release.index, mask),
            "located": bits.count(release.index.located if mask is None else release.index.located & mask),
            "list_url": reverse("search") + _link(params),
            "map": {
                "clusters": reverse("public-api-v1:clusters") + _link(params),
                "incident": reverse("incident", kwargs={"incident_id": "ID"}),
                "outlines": static("public/map/countries-110m.geojson"),
                "leaflet_css": static("leaflet/leaflet.css"),
                "leaflet_js": static("leaflet/leaflet.js"),
                "tile_url": settings.BORDERMONITOR_PUBLIC.tile_url or "",
            },
        }
    )
    return page_response(request, "public/map.html", context)

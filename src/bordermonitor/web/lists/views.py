"""The staff list of reports (``/reports/``) with its filters, search, sorting, pages and exports.

Reads only through ``storage.listing`` (which starts from ``visible_reports``). Lists show no narrative and
write no ``view`` audit events; each export writes one ``export`` event with its filter and count.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from bordermonitor.core.countries import country_name
from bordermonitor.core.matrix import SituationKey, actor_name
from bordermonitor.core.typology import violence_type
from bordermonitor.storage.access import REVIEWER_ROLES, Access
from bordermonitor.storage.listing import (
    COUNT_CAP,
    MAX_PAGE,
    PAGE_SIZE,
    ListRow,
    ReportFilter,
    csv_reports,
    jsonl_reports,
    list_page,
    record_export,
    scoped,
    visible_organisations,
)
from bordermonitor.storage.matrix import areas
from bordermonitor.storage.stakeholders import stakeholder_names
from bordermonitor.web.lists import labels
from bordermonitor.web.lists.exports import csv_lines, jsonl_lines
from bordermonitor.web.lists.forms import FilterForm

_FILTER_KEYS = ("q", "status", "date_from", "date_to", "country", "violence", "organisation", "evidence",
                "minors", "flagged", "authority", "situation", "sort")  # fmt: skip


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _filter(request: HttpRequest) -> tuple[FilterForm, ReportFilter]:
    form = FilterForm(
        request.GET or None,
        language=request.LANGUAGE_CODE,
        organisations=visible_organisations(_access(request)),
    )
    form.is_valid()
    return form, form.report_filter()


def _query(request: HttpRequest, **changes: str | None) -> str:
    """The current filter's query string with ``changes`` (None removes a key); only known keys are kept."""
    query = QueryDict(mutable=True)
    for key in (*_FILTER_KEYS, "page"):
        values = [v for v in request.GET.getlist(key) if v]
        if values:
            query.setlist(key, values)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


def _detail_url(pk: int) -> str:
    try:
        return reverse("reports:detail", args=[pk])
    except NoReverseMatch:  # the record pages are not installed
        return f"/reports/{pk}/"


def _display(row: ListRow, language: str) -> dict[str, Any]:
    return {
        "row": row,
        "url": _detail_url(row.pk),
        "country": country_name(row.country, language) if row.country else None,
        "chain": [country_name(code, language) for code in row.expelled_by],
        "expelled_to": country_name(row.expelled_to, language) if row.expelled_to else None,
        "violence": [violence_type(code).label(language) for code in row.violence],
        "kind": labels.INCIDENT_KINDS.get(row.incident_kind or "", None),
        "report_kind": labels.REPORT_KINDS.get(row.kind or "", row.kind),
        "status": labels.STATUSES.get(row.status or "", row.status),
    }


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, Any]]:
    """Per sortable column: the link (first click: the column's natural order, next: the other way) and
    ``aria-sort`` of the column when it is the current sort."""
    links = {}
    for column, (first, second) in labels.SORT_COLUMNS.items():
        active = current in (first, second)
        target = second if current == first and first != second else first
        direction = None
        if active:
            direction = "descending" if current.startswith("-") else "ascending"
        links[column] = {"href": "?" + _query(request, sort=target, page=None), "aria_sort": direction}
    return links


def _can_export_csv(access: Access) -> bool:
    return bool(
        any(roles & REVIEWER_ROLES for roles in access.roles.values())
        or access.analyst_orgs
        or (access.is_coordinator and access.sharing)
    )


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form, flt = _filter(request)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = list_page(access, flt, number)
    language = request.LANGUAGE_CODE
    context = {
        "form": form,
        "filter": flt,
        "page": page,
        "rows": [_display(row, language) for row in page.rows],
        "pseudonymised": any(row.pseudonym for row in page.rows),
        "sorts": _sort_links(request, flt.sort),
        "previous": "?" + _query(request, page=str(page.number - 1)) if page.has_previous else None,
        "next": "?" + _query(request, page=str(page.number + 1)) if page.has_next else None,
        "first_index": (page.number - 1) * PAGE_SIZE + 1,
        "last_index": (page.number - 1) * PAGE_SIZE + len(page.rows),
        "count_cap": COUNT_CAP,
        "max_page": MAX_PAGE,
        "export_query": _query(request, page=None),
        "can_export_csv": _can_export_csv(access),
        "can_export_jsonl": any(access.can_export_records(org) for org in access.roles),
        "filtered": not flt.is_empty,
        "situation": _situation(flt, language),
        "without_situation": "?" + _query(request, situation=None, page=None),
    }
    return render(request, "bordermonitor/lists/reports.html", context)


def _situation(flt: ReportFilter, language: str) -> dict[str, str] | None:
    """The matrix situation the list is narrowed to, in words (the filter holds codes only)."""
    if not (flt.situation and flt.date_from and flt.date_to):
        return None
    key = SituationKey.from_token(flt.situation)
    return {
        "actor": actor_name(key.actor, stakeholder_names(), language),
        "area": areas().name(key.area, language),
        "violence": violence_type(key.code).label(language),
    }


def _attachment(lines: Any, *, content_type: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the current filter: reviewers and admins (their organisations), coordinators (what the network
    shares), analysts (pseudonymised). Anyone else: 404."""
    access = _access(request)
    _form, flt = _filter(request)
    ids = csv_reports(access, flt)
    if ids is None:
        raise Http404
    record_export(access, flt, kind="csv", count=len(ids))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return _attachment(
        scoped(access, csv_lines(access, ids)),
        content_type="text/csv; charset=utf-8",
        name=f"reports-{stamp}.csv",
    )


@login_required
@require_GET
def export_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """Interchange JSONL of the current filter, personal data included: only reviewers and admins, and only
    their organisations' reports. Anyone else: 404, as for any page they may not see."""
    access = _access(request)
    _form, flt = _filter(request)
    ids = jsonl_reports(access, flt)
    if ids is None:
        raise Http404
    record_export(access, flt, kind="jsonl", count=len(ids))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return _attachment(
        scoped(access, jsonl_lines(ids)),
        content_type="application/x-ndjson; charset=utf-8",
        name=f"reports-{stamp}.jsonl",
    )

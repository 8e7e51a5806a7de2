"""Reports: list and search, read, create, edit — every one through the access rules and core validation.

A report the caller may not see answers 404 whether or not it exists. Writes are validated strictly: where an
import would keep an uninterpretable value aside for review, the API refuses the request and lists the
fields, because the client is there to correct them.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Status

from bordermonitor.api.auth import access_of
from bordermonitor.api.errors import ApiError, issue_fields
from bordermonitor.api.presenting import (
    decode_cursor,
    encode_cursor,
    expected_version,
    item_of,
    items_of,
    set_etag,
)
from bordermonitor.api.schemas import (
    ID,
    ErrorOut,
    ReportCreate,
    ReportItem,
    ReportOut,
    ReportPage,
    ReportQuery,
    ReportUpdate,
)
from bordermonitor.core.records import ReportRecord
from bordermonitor.core.validation import validate_report
from bordermonitor.storage.access import FULL, Access, get_report, visible_reports
from bordermonitor.storage.audit import record_read
from bordermonitor.storage.editing import NotAllowed, RefTaken, create_report, next_ref, update_report
from bordermonitor.storage.listing import ReportFilter, filtered_reports
from bordermonitor.storage.models import Organisation, Report

router = Router(tags=["reports"])

IdempotencyKey = Annotated[
    uuid.UUID | None,
    Header(
        alias="Idempotency-Key",
        description="A UUID of your choosing: sending the same request again returns the report it made.",
    ),
]
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _page(
    request: HttpRequest, access: Access, flt: ReportFilter, *, cursor: str | None, limit: int, what: str
) -> ReportPage:
    """A page of reports; the page is one ``view`` audit event naming the reports it carries with personal
    data (``what`` says which endpoint: list or search)."""
    offset = decode_cursor(cursor)
    reports = filtered_reports(access, flt).select_related("organisation", "incident")
    rows = list(reports[offset : offset + limit + 1])
    items, personal = items_of(access, rows[:limit], via="api")
    record_read(personal, details={"via": "api", what: True})
    following = None
    if len(rows) > limit:
        params = request.GET.copy()
        params["cursor"] = encode_cursor(offset + limit)
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return ReportPage(items=items, next=following)


@router.get("/reports", response={200: ReportPage, **ERRORS}, summary="List reports")
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> ReportPage:
    """The reports you may see, filtered and sorted as on the list page; analysts get them pseudonymised."""
    flt = ReportFilter(
        status=tuple(query.status),
        date_from=query.date_from,
        date_to=query.date_to,
        country=query.country,
        violence=query.violence,
        organisation=query.organisation,
        has_evidence=query.has_evidence,
        minors=query.minors,
        flagged=query.flagged,
        text=query.text,
        sort=query.sort,
    )
    return _page(request, access_of(request), flt, cursor=query.cursor, limit=query.limit, what="list")


@router.get("/search", response={200: ReportPage, **ERRORS}, summary="Search reports")
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=200, description='Words, "phrases" and prefix*.'),
    cursor: str | None = Query(None, max_length=100),
    limit: int = Query(25, ge=1, le=100),
) -> ReportPage:
    """Full-text search over titles, narratives and their English translations."""
    flt = ReportFilter(text=q, sort="-date")
    return _page(request, access_of(request), flt, cursor=cursor, limit=limit, what="search")


@router.get("/reports/{report_id}", response={200: ReportItem, **ERRORS}, summary="Read a report")
def read_report(request: HttpRequest, report_id: ID, response: HttpResponse) -> Any:
    """One report, as you may see it. Reading one with personal data is recorded in the audit log."""
    access = access_of(request)
    report = get_report(access, report_id)
    set_etag(response, report)
    return item_of(access, report, via="api")


def _validated(raw: dict[str, Any], *, where: str) -> ReportRecord:
    outcome = validate_report(raw, where=where)
    if outcome.issues:
        raise ApiError(422, "validation", "the report is not valid", issue_fields(outcome.issues))
    return outcome.record


def _content(payload: ReportCreate | ReportUpdate) -> dict[str, Any]:
    raw = payload.model_dump(mode="json", exclude={"ref", "organisation", "version"})
    raw["incident"]["ref"] = None  # incidents are linked by cross-checking, not by the client
    return raw


def _writable_organisation(access: Access, code: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code.strip().lower()).first()
    if organisation is None or organisation.pk not in access.writer_orgs:
        raise NotAllowed(f"you do not record reports for organisation {code.strip().lower()!r}")
    return organisation


@router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut, 403: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Create a report",
)
def create(
    request: HttpRequest,
    payload: ReportCreate,
    response: HttpResponse,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Record a new report (as a draft) for an organisation you document for. 201 when created; 200 with the
    earlier report when the Idempotency-Key was seen before."""
    access = access_of(request)
    organisation = _writable_organisation(access, payload.organisation)
    if idempotency_key is not None:
        earlier = visible_reports(access).filter(intake_token=idempotency_key).first()
        if earlier is not None:
            if access.view_of(earlier) != FULL:
                raise ApiError(409, "conflict", "this Idempotency-Key was used for another request")
            set_etag(response, earlier)
            return Status(200, item_of(access, earlier, via="api"))
    ref = payload.ref or next_ref(organisation)
    if visible_reports(access).filter(organisation=organisation, ref=ref.strip()).exists():
        raise ApiError(409, "conflict", "a report with this reference exists", [("ref", "is taken")])
    raw = {**_content(payload), "ref": ref, "organisation": organisation.code, "status": "draft"}
    record = _validated(raw, where=ref)
    try:
        report, created = create_report(
            access=access,
            user=request.auth,
            record=record,
            intake_token=idempotency_key,  # type: ignore[arg-type]
        )
    except RefTaken:
        raise ApiError(
            409, "conflict", "a report with this reference exists", [("ref", "is taken")]
        ) from None
    except IntegrityError:
        raise ApiError(409, "conflict", "this Idempotency-Key or reference is taken") from None
    set_etag(response, report)
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{report.pk}")
    return Status(201 if created else 200, item_of(access, report, via="api"))


@router.put(
    "/reports/{report_id}",
    response={200: ReportOut, 403: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Edit a report",
)
def update(request: HttpRequest, report_id: ID, payload: ReportUpdate, response: HttpResponse) -> Any:
    """Replace a report's content. Send the version you edited (If-Match or ``version``): if someone saved
    since, nothing is saved and the 409 lists the fields they changed."""
    access = access_of(request)
    report = get_report(access, report_id)
    if not access.can_edit(report):
        raise NotAllowed(f"you cannot edit this report while it is {report.status}")
    expected = expected_version(request, payload.version)
    raw = {
        **_content(payload),
        "ref": report.ref,
        "organisation": report.organisation.code,
        "status": report.status,
    }
    record = _validated(raw, where=report.ref)
    saved = update_report(access=access, report=report, record=record, expected_version=expected)
    set_etag(response, saved)
    return item_of(access, _fresh(saved), via="api")


def _fresh(report: Report) -> Report:
    return Report.objects.select_related("organisation", "incident").get(pk=report.pk)

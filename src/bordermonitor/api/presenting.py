"""Turning stored reports into API responses, by the view the person has of each, with the audit trail.

A report in full or network view carries personal data, so returning it writes one ``view`` audit event for
that report; the pseudonymised view an analyst gets carries none and writes nothing. A response carrying several
reports (a page of a list, an incident) writes one event for the whole response, naming the reports it carried
with personal data (``items_of``).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest, HttpResponse

from bordermonitor.api.errors import ApiError
from bordermonitor.api.schemas import ReportOut, ReportPseudonymised
from bordermonitor.core.pseudonymise import pseudonymise
from bordermonitor.storage.access import PSEUDONYMISED, Access
from bordermonitor.storage.audit import record as audit
from bordermonitor.storage.models import Report
from bordermonitor.storage.repositories.reports import record_of
from bordermonitor.storage.review import pseudonym_key

__all__ = ["decode_cursor", "encode_cursor", "expected_version", "item_of", "items_of", "set_etag"]


def items_of(
    access: Access, reports: list[Report], *, via: str
) -> tuple[list[ReportOut | ReportPseudonymised], list[Report]]:
    """``reports`` as ``access`` may see each, for one response, and those of them that carry personal data
    (the caller writes one audit event for them all, :func:`bordermonitor.storage.audit.record_read`)."""
    items = [item_of(access, report, via=via, audited=False) for report in reports]
    personal = [report for report, item in zip(reports, items, strict=True) if isinstance(item, ReportOut)]
    return items, personal


def item_of(
    access: Access,
    report: Report,
    *,
    via: str,
    details: dict[str, Any] | None = None,
    audited: bool = True,
) -> ReportOut | ReportPseudonymised:
    """``report`` as ``access`` may see it (the caller has checked it is visible); with ``audited=False`` the
    caller writes the audit event (one for a response of several reports, :func:`items_of`)."""
    view = access.view_of(report)
    record = record_of(report)
    if view == PSEUDONYMISED:
        return ReportPseudonymised.model_validate(
            {
                **pseudonymise(record, key=pseudonym_key()),
                "view": PSEUDONYMISED,
                "id": report.pk,
                "version": report.version,
            }
        )
    if view is None:  # pragma: no cover - callers only pass visible reports
        raise ApiError(404, "not_found", "not found")
    out = ReportOut.model_validate(
        {
            **record,
            "view": view,
            "id": report.pk,
            "version": report.version,
            "incident_id": report.incident_id,
            "flagged": report.flagged,
            "created_at": report.created_at,
            "updated_at": report.updated_at,
        }
    )
    if audited:
        audit("view", report, details={"via": via, **(details or {})})
    return out


def set_etag(response: HttpResponse, report: Report) -> None:
    response["ETag"] = f'"{report.version}"'


def expected_version(request: HttpRequest, body_version: int | None) -> int:
    """The version an edit started from: ``If-Match`` (``"3"``, ``W/"3"`` or ``3``) or the body's field."""
    header = request.headers.get("If-Match")
    if header is not None:
        value = header.strip().removeprefix("W/").strip('"')
        if not value.isdigit() or len(value) > 9:
            raise ApiError(
                422, "validation", "If-Match is not a version", [("If-Match", 'send the ETag, e.g. "3"')]
            )
        header_version = int(value)
        if body_version is not None and body_version != header_version:
            raise ApiError(
                422, "validation", "If-Match and version disagree", [("version", "differs from If-Match")]
            )
        return header_version
    if body_version is None:
        raise ApiError(
            422,
            "validation",
            "say which version you edited: If-Match header or version field",
            [("version", "is required (or send If-Match)")],
        )
    return body_version


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not (text.startswith("o") and text[1:].isdigit() and len(text) < 12):
        raise ApiError(422, "validation", "the cursor is not valid", [("cursor", "use a next link as given")])
    return int(text[1:])

"""The shapes the private API reads and writes, named by role.

Report content reuses the interchange models of :mod:`bordermonitor.core.records` (one schema language for
imports, the API and its documentation): what a client sends is checked by the same validators as an import,
and what it reads is the interchange record plus the API's own fields (id, version, view). Analysts get
:class:`ReportPseudonymised`, which mirrors :func:`bordermonitor.core.pseudonymise.pseudonymise` and nothing
more.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Path
from pydantic import BaseModel, ConfigDict, Field

from bordermonitor.core.records import (
    Consent,
    EvidenceRef,
    Incident,
    Name,
    Narrative,
    ReportKind,
    Source,
    Status,
    Text,
)
from bordermonitor.storage.listing import SORTS

__all__ = [
    "ID",
    "ErrorOut",
    "EvidenceOut",
    "IncidentOut",
    "MeOut",
    "ReportCreate",
    "ReportItem",
    "ReportOut",
    "ReportPage",
    "ReportPseudonymised",
    "ReportQuery",
    "ReportUpdate",
    "TransitionIn",
    "TransitionOut",
    "TransitionsOut",
]

ID = Annotated[int, Path(ge=1, le=2**63 - 1, description="The object's id.")]  # ids every database stores
ErrorCode = Literal["not_found", "validation", "conflict", "forbidden", "unauthorised", "refused"]
Sort = Literal[SORTS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors -------------------------------------------------------------------------------------------


class FieldError(BaseModel):
    path: str = Field(description="Dotted path of the field, e.g. incident.location.lat.")
    message: str


class ErrorBody(BaseModel):
    code: ErrorCode
    message: str
    fields: list[FieldError] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """Every error the API answers, whatever its status."""

    error: ErrorBody


# --- reports: writing ---------------------------------------------------------------------------------


class SourceIn(_Strict):
    name: Name = None
    url: Text = None
    quality: int | None = Field(default=None, ge=1, le=5)


class _ReportContent(_Strict):
    """What an edit may change: everything but the reference, organisation, status and evidence (those
    change through their own actions: the workflow, uploads)."""

    kind: ReportKind
    recorded_on: str | None = Field(default=None, description="YYYY-MM-DD.")
    consent: Consent = Field(default_factory=Consent)
    title: Text = None
    narrative: Narrative = Field(default_factory=Narrative)
    incident: Incident = Field(
        default_factory=Incident,
        description="The incident as this source tells it. incident.ref is ignored: reports are linked to "
        "incidents by cross-checking.",
    )
    source: SourceIn = Field(default_factory=SourceIn)


class ReportCreate(_ReportContent):
    """A new report. It starts as a draft; submit it with POST /reports/{id}/transitions."""

    organisation: str = Field(description="Code of an organisation you record reports for.")
    ref: str | None = Field(
        default=None, description="Your own reference; left out, one is given (<organisation>-<year>-<n>)."
    )


class ReportUpdate(_ReportContent):
    """The whole new content of a report (fields left out become unknown)."""

    version: int | None = Field(
        default=None, description='The version this edit started from (or send If-Match: "<version>").'
    )


# --- reports: reading ---------------------------------------------------------------------------------


class ReportOut(BaseModel):
    """A report in full (its organisation's members) or as the network sees it (coordinators)."""

    view: Literal["full", "network"]
    id: int
    version: int
    incident_id: int
    flagged: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    format: str = "bordermonitor/report@1"
    ref: str
    organisation: str
    kind: ReportKind
    recorded_on: str | None = None
    status: Status
    consent: Consent
    title: str | None = None
    narrative: Narrative
    incident: Incident
    evidence: list[EvidenceRef] = Field(default_factory=list)
    source: Source


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PseudoLocation(_Loose):
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    region: str | None = None


class PseudoGroup(_Loose):
    size: int | None = None
    minors: int | None = None
    women: int | None = None
    men: int | None = None
    minors_involved: str | None = None
    nationalities: list[str] = Field(default_factory=list)
    origin_regions: list[str] = Field(default_factory=list)


class PseudoIncident(_Loose):
    date: str | None = None
    kind: str | None = None
    expelled_by: list[str] = Field(default_factory=list)
    expelled_to: str | None = None
    asylum_requested: str | None = None
    taken_to_police_station: str | None = None
    detention_hours: float | None = None
    dead: int | None = None
    missing: int | None = None
    survivors: int | None = None
    causes_of_death: list[str] = Field(default_factory=list)
    location: PseudoLocation
    group: PseudoGroup
    officers: dict[str, int | None]
    perpetrators: list[dict[str, str | None]]
    violence: list[dict[str, str | None]]
    medical: dict[str, str | bool | None]


class ReportPseudonymised(_Loose):
    """What an analyst sees: coded fields only, the reference replaced by a stable pseudonym."""

    view: Literal["pseudonymised"]
    id: int
    version: int
    pseudonym: str
    organisation: str
    kind: str | None = None
    status: str | None = None
    recorded_month: str | None = None
    consent: dict[str, bool | None]
    narrative_language: str | None = None
    incident: PseudoIncident
    evidence: list[dict[str, str | None]]
    source: dict[str, str | None]


ReportItem = Annotated[ReportOut | ReportPseudonymised, Field(discriminator="view")]


class ReportPage(BaseModel):
    items: list[ReportItem]
    next: str | None = Field(description="URL of the next page; null on the last one.")


class ReportQuery(_Strict):
    """Filters of the report list (the same as the list page)."""

    status: list[Status] = Field(default_factory=list, description="Any of these statuses (repeatable).")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    violence: str | None = Field(default=None, max_length=60, description="A violence typology code.")
    organisation: str | None = Field(default=None, max_length=40)
    has_evidence: bool | None = None
    minors: bool | None = None
    flagged: bool | None = None
    text: str | None = Field(default=None, max_length=200, description="Full-text search.")
    sort: Sort = "-date"  # type: ignore[valid-type]
    cursor: str | None = Field(default=None, max_length=100, description="From the previous page's next.")
    limit: int = Field(default=25, ge=1, le=100)


# --- workflow, evidence, incidents, me ----------------------------------------------------------------


class TransitionIn(_Strict):
    target: Status
    comment: str | None = Field(default=None, max_length=10_000)
    checklist: dict[str, bool] = Field(default_factory=dict)


class TransitionOut(BaseModel):
    source: str
    target: str
    actor: str
    comment: str | None = None
    checklist: dict[str, Any] = Field(default_factory=dict)
    at: dt.datetime


class TransitionsOut(BaseModel):
    status: Status
    allowed: list[str] = Field(description="The statuses you may move the report to now.")
    history: list[TransitionOut]


class DerivativeOut(BaseModel):
    role: str
    media_type: str
    size: int
    sha256: str


class EvidenceOut(BaseModel):
    """A file's description; the bytes are fetched from the pages (originals by reviewers, logged)."""

    id: int
    position: int
    kind: str
    media_type: str | None = None
    size: int | None = None
    sha256: str
    stored: bool
    created_at: dt.datetime
    derivatives: list[DerivativeOut]


class IncidentOut(BaseModel):
    id: int
    ref: str | None = Field(description="Null when you see its reports only pseudonymised.")
    reports: list[ReportItem] = Field(description="The reports of this incident you may see.")


class MembershipOut(BaseModel):
    organisation: str
    name: str
    roles: list[str]


class MeOut(BaseModel):
    id: int
    email: str
    display_name: str | None = None
    authenticated_by: Literal["token", "session"]
    coordinator: bool
    organisations: list[MembershipOut]

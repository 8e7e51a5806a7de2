"""The shapes the public API answers with, all named ``*Public``: nothing else is ever returned.

:class:`IncidentPublic` is generated from the release's own table description
(:data:`bordermonitor.publish.schema.INCIDENTS`), so the API, the CSV files, the SQLite archive and the
Data Package describe the same columns with the same words.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from bordermonitor.public.manifest import FilePublic, LicencePublic, ReleasePublic
from bordermonitor.publish.schema import INCIDENTS

__all__ = [
    "AggregateRowPublic",
    "AggregatesPublic",
    "ClusterPublic",
    "ClustersPublic",
    "ErrorPublic",
    "EvidencePublic",
    "FacetValuePublic",
    "FacetsPublic",
    "FilePublic",
    "IncidentDetailPublic",
    "IncidentPagePublic",
    "IncidentPublic",
    "LicencePublic",
    "ReleasePublic",
    "ViolencePublic",
]

ErrorCode = Literal[
    "validation", "not_found", "method_not_allowed", "rate_limited", "unavailable", "refused", "server_error"
]
_TYPES: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "list": list[str]}


class FieldErrorPublic(BaseModel):
    path: str = Field(description="The parameter, e.g. violence.")
    message: str
    valid: list[str] | None = Field(
        default=None, description="The values it accepts, when it takes one of a list."
    )


class ErrorBodyPublic(BaseModel):
    code: ErrorCode
    message: str
    fields: list[FieldErrorPublic] = Field(default_factory=list)


class ErrorPublic(BaseModel):
    """Every error the API answers, whatever its status."""

    error: ErrorBodyPublic


def _incident_fields() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in INCIDENTS.columns:
        kind = _TYPES[column.type]
        if column.required:
            out[column.name] = (kind, Field(description=column.description))
        else:
            out[column.name] = (kind | None, Field(default=None, description=column.description))
    return out


IncidentPublic: type[BaseModel] = create_model(
    "IncidentPublic",
    __doc__="A published incident: one row of incidents.csv (lists as arrays, unknown as null).",
    **_incident_fields(),
)


class ViolencePublic(BaseModel):
    code: str = Field(description="Typology code (violence typology version 1).")
    group: str | None = Field(description="Typology group.")
    severity: int = Field(description="Severity of the code, 1 to 5.")
    label: str = Field(description="English label of the code.")


class EvidencePublic(BaseModel):
    kind: str = Field(description="photo, medical_report, video, audio or document.")
    file: str = Field(description="Path of the file within the release.")
    url: str = Field(description="Where this site serves the file.")
    media_type: str
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the published copy.")


IncidentDetailPublic: type[BaseModel] = create_model(
    "IncidentDetailPublic",
    __base__=IncidentPublic,
    __doc__="A published incident with its coded violence spelled out and its published evidence files.",
    violence_details=(list[ViolencePublic], Field(description="The codes of `violence`, described.")),
    evidence_files=(list[EvidencePublic], Field(description="Published evidence files of this incident.")),
)


class IncidentPagePublic(BaseModel):
    release: str = Field(description="Version of the release the answer comes from.")
    count: int = Field(description="Incidents matching the filters, on every page.")
    page: int
    limit: int
    pages: int
    sort: Literal["-date", "date"]
    next: str | None = Field(description="The following page, if there is one.")
    previous: str | None = Field(description="The page before, if there is one.")
    items: list[IncidentPublic]


class FacetValuePublic(BaseModel):
    value: str | None = Field(description="The value; null counts the incidents where it is unknown.")
    count: int


class FacetsPublic(BaseModel):
    """Incidents per value under the filters. Multi-valued fields (expelled_by, violence, nationality) count
    an incident under each of its values, so their counts need not add up to ``count``."""

    release: str
    count: int = Field(description="Incidents matching the filters.")
    expelled_by: list[FacetValuePublic]
    violence: list[FacetValuePublic]
    nationality: list[FacetValuePublic]
    kind: list[FacetValuePublic]
    year: list[FacetValuePublic]
    minors_involved: list[FacetValuePublic]
    country: list[FacetValuePublic]


class AggregateRowPublic(BaseModel):
    dimension: Literal["expelled_by", "violence", "nationality"]
    month: str = Field(description="YYYY-MM, or * for the total over months.")
    value: str = Field(description="State, typology code or nationality; * for the total over values.")
    incidents: int | None = Field(description="Count; null when suppressed.")
    suppressed: bool = Field(description="The count is withheld (disclosure control).")


class AggregatesPublic(BaseModel):
    release: str
    dimension: Literal["expelled_by", "violence", "nationality"]
    rows: list[AggregateRowPublic]


class ClusterPublic(BaseModel):
    lat: float = Field(description="Mean latitude of the incidents in the cluster.")
    lon: float
    count: int
    size: int = Field(
        description="Diameter in screen pixels of the cluster's marker: no two markers of an answer overlap "
        "at this size and the answer's zoom."
    )
    id: str | None = Field(description="The incident's id when the cluster holds exactly one.")
    bbox: list[float] | None = Field(
        default=None,
        description="For more than one incident: a box (min_lon,min_lat,max_lon,max_lat, as the bbox filter) "
        "holding all of them, and possibly a few of a neighbouring cluster.",
    )


class ClustersPublic(BaseModel):
    release: str
    zoom: int
    count: int = Field(description="Incidents in the clusters: those matching the filters that have a place.")
    clusters: list[ClusterPublic]

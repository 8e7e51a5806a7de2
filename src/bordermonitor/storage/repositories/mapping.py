"""Canonical record ↔ rows. The only place that knows how a :class:`ReportRecord` is laid out in tables.

No Django here (an import-linter contract keeps it so): an import prepares rows in a separate process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bordermonitor.core.ages import parse_ages
from bordermonitor.core.dates import PartialDate
from bordermonitor.core.records import ReportRecord

if TYPE_CHECKING:
    from bordermonitor.storage.models import Report

_TRI_IN = {"yes": True, "no": False, "unknown": None}


def _tri_out(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


@lru_cache(maxsize=4096)
def _age_bands(ages: str) -> list[str]:
    return list(parse_ages(ages).bands)


@lru_cache(maxsize=8192)
def _date_columns(text: str) -> tuple[dt.date, str]:
    """First day and precision of a canonical date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""
    date = PartialDate.parse(text)
    return date.start, date.precision


def report_fields(record: ReportRecord) -> dict[str, Any]:
    """Column values of the ``Report`` row for ``record`` (lists go to child tables, see ``save``)."""
    inc = record.incident
    loc, group, officers = inc.location, inc.group, inc.officers
    date_start, precision = _date_columns(inc.date) if inc.date else (None, None)
    return {
        "kind": record.kind,
        "recorded_on": dt.date.fromisoformat(record.recorded_on) if record.recorded_on else None,
        "status": record.status,
        "consent_publish": record.consent.publish,
        "consent_share_with_network": record.consent.share_with_network,
        "consent_legal_use": record.consent.legal_use,
        "title": record.title,
        "narrative_text": record.narrative.text,
        "narrative_language": record.narrative.language,
        "narrative_translation_en": record.narrative.translation_en,
        "known_names": list(record.known_names),
        "public_title": record.public.title,
        "public_narrative": record.public.narrative,
        "date_start": date_start,
        "date_precision": precision,
        "time": inc.time,
        "lat": loc.lat,
        "lon": loc.lon,
        "precision_m": loc.precision_m,
        "place": loc.place,
        "country": loc.country,
        "region": loc.region,
        "incident_kind": inc.kind,
        "expelled_to": inc.expelled_to,
        "group_size": group.size,
        "minors": group.minors,
        "women": group.women,
        "men": group.men,
        "minors_involved": _TRI_IN[group.minors_involved],
        "ages": group.ages,
        "age_bands": _age_bands(group.ages) if group.ages else [],
        "origin_regions": list(group.origin_regions),
        "asylum_requested": _TRI_IN[inc.asylum_requested],
        "taken_to_police_station": _TRI_IN[inc.taken_to_police_station],
        "detention_hours": inc.detention_hours,
        "officers_min": officers.min,
        "officers_max": officers.max,
        "officers_description": officers.description,
        "dead": inc.dead,
        "missing": inc.missing,
        "survivors": inc.survivors,
        "causes_of_death": list(inc.causes_of_death),
        "medical_injuries": _TRI_IN[inc.medical.injuries],
        "medical_documented": inc.medical.documented,
        "route": inc.route,
        "source_name": record.source.name,
        "source_url": record.source.url,
        "source_quality": record.source.quality,
        "source_original": record.source.original,
        "source_unparsed": [u.model_dump(mode="json") for u in record.source.unparsed]
        if record.source.unparsed
        else [],
        "flagged": record.flagged,
    }


REPORT_COLUMNS = tuple(report_fields(ReportRecord(ref="x", organisation="x", kind="testimony")))


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """What the sealed store did with one evidence reference of a record (same order as ``record.evidence``)."""

    size: int | None
    stored: bool


@dataclass(slots=True)
class PreparedReport:
    """A canonical record as plain column values, ready to save: made without the database (so an import
    can prepare records in one process while another saves them), saved by :func:`save_reports`."""

    organisation: str
    ref: str
    incident_ref: str
    columns: dict[str, Any]
    expelled_by: list[str]
    nationalities: list[str]
    violence: list[tuple[str, str | None]]
    perpetrators: list[tuple[str | None, str | None, str | None]]
    evidence: list[dict[str, Any]]
    where: str = ""  # where the record is in its input ("line 3"), for the import's messages

    @property
    def key(self) -> tuple[str, str]:
        return (self.organisation, self.ref)


def incident_ref_for(record: ReportRecord) -> str:
    """The record's incident ref, or one derived from the report (each report its own incident)."""
    return record.incident.ref or f"{record.organisation}:{record.ref}"


def prepare(record: ReportRecord, files: Sequence[EvidenceFile], *, where: str = "") -> PreparedReport:
    inc = record.incident
    return PreparedReport(
        organisation=record.organisation,
        ref=record.ref,
        incident_ref=incident_ref_for(record),
        columns=report_fields(record),
        expelled_by=list(inc.expelled_by),
        nationalities=list(inc.group.nationalities),
        violence=[(v.type, v.detail) for v in inc.violence],
        perpetrators=[(p.authority, p.unit, p.description) for p in inc.perpetrators],
        evidence=[
            {
                "kind": ref.kind,
                "description": ref.description,
                "path": ref.path,
                "sha256": ref.sha256,
                "size": file.size,
                "stored": file.stored,
            }
            for ref, file in zip(record.evidence, files, strict=True)
        ],
        where=where,
    )


def _date_out(report: Report) -> str | None:
    if report.date_start is None:
        return None
    start = report.date_start
    if report.date_precision == "year":
        return str(PartialDate(start.year))
    if report.date_precision == "month":
        return str(PartialDate(start.year, start.month))
    return str(PartialDate.from_date(start))


def record_dict(
    report: Report, *, organisation: str, incident_ref: str, children: dict[str, list[Any]]
) -> dict[str, Any]:
    """The interchange dict of a stored report. ``children`` holds its ordered child rows by relation name."""
    return {
        "ref": report.ref,
        "organisation": organisation,
        "kind": report.kind,
        "recorded_on": report.recorded_on.isoformat() if report.recorded_on else None,
        "status": report.status,
        "consent": {
            "publish": report.consent_publish,
            "share_with_network": report.consent_share_with_network,
            "legal_use": report.consent_legal_use,
        },
        "title": report.title,
        "narrative": {
            "text": report.narrative_text,
            "language": report.narrative_language,
            "translation_en": report.narrative_translation_en,
        },
        "incident": {
            "ref": incident_ref,
            "date": _date_out(report),
            "time": report.time,
            "location": {
                "lat": report.lat,
                "lon": report.lon,
                "precision_m": report.precision_m,
                "place": report.place,
                "country": report.country,
                "region": report.region,
            },
            "kind": report.incident_kind,
            "expelled_by": [e.country for e in children["expellers"]],
            "expelled_to": report.expelled_to,
            "group": {
                "size": report.group_size,
                "minors": report.minors,
                "women": report.women,
                "men": report.men,
                "minors_involved": _tri_out(report.minors_involved),
                "ages": report.ages,
                "nationalities": [n.country for n in children["nationalities"]],
                "origin_regions": list(report.origin_regions),
            },
            "asylum_requested": _tri_out(report.asylum_requested),
            "taken_to_police_station": _tri_out(report.taken_to_police_station),
            "detention_hours": report.detention_hours,
            "officers": {
                "min": report.officers_min,
                "max": report.officers_max,
                "description": report.officers_description,
            },
            "perpetrators": [
                {
                    "authority": p.authority.code if p.authority_id else None,
                    "unit": p.unit,
                    "description": p.description,
                }
                for p in children["perpetrators"]
            ],
            "violence": [{"type": v.code, "detail": v.detail} for v in children["violence"]],
            "dead": report.dead,
            "missing": report.missing,
            "survivors": report.survivors,
            "causes_of_death": list(report.causes_of_death),
            "medical": {
                "injuries": _tri_out(report.medical_injuries),
                "documented": report.medical_documented,
            },
            "route": report.route,
        },
        "evidence": [
            {"path": e.path, "kind": e.kind, "sha256": e.sha256, "description": e.description}
            for e in children["evidence"]
        ],
        "source": {
            "name": report.source_name,
            "url": report.source_url,
            "quality": report.source_quality,
            "original": report.source_original or {},  # None: erased
            "unparsed": report.source_unparsed or [],
        },
        "known_names": list(report.known_names or ()),
        "public": {"title": report.public_title, "narrative": report.public_narrative},
    }

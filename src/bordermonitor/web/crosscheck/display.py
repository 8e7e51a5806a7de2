"""A pair of reports and an incident's disagreements laid out for reading, in the reader's language.

The explanation shown is the one stored with the pair (``LinkCandidate.agreements``: what the score was computed
from). Values are coded fields only — dates, places, counts, codes named in words — except the officers'
description, which linkage compares as words; narratives are never shown here, only how similar they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language_bidi, gettext

from bordermonitor.core.countries import country_name
from bordermonitor.core.linkage import FIELDS
from bordermonitor.core.typology import VIOLENCE_CODES, violence_type
from bordermonitor.storage.access import Access
from bordermonitor.storage.linkage_merge import Conflict
from bordermonitor.storage.linkage_pages import incident_view
from bordermonitor.storage.matrix import areas
from bordermonitor.storage.models import LinkCandidate, Report
from bordermonitor.web.crosscheck import labels
from bordermonitor.web.reports.display import show_date, stored_date
from bordermonitor.words import INCIDENT_KINDS, REPORT_KINDS, STATUSES

__all__ = [
    "ConflictRow",
    "FieldRow",
    "PairRow",
    "Side",
    "conflict_rows",
    "field_rows",
    "incident_panel",
    "pair_row",
    "side",
]

_MAIN = 3  # agreeing and disagreeing fields shown in a queue row


@dataclass(frozen=True, slots=True)
class Side:
    """One report of a pair as the lists show it: coded fields, no title or narrative."""

    report: Report
    url: str | None  # its record page, when the person may open it
    organisation: str
    kind: str
    status: str
    date: str | None
    place: str | None
    group_size: int | None


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One compared field: both values, the agreement level in words, its weight and what it says."""

    field: str
    label: str
    a: str | None
    b: str | None
    level: str
    weight: float
    weight_text: str
    verdict: str  # agrees, disagrees, neutral (known, weighs nothing) or unknown


@dataclass(frozen=True, slots=True)
class PairRow:
    candidate: LinkCandidate
    a: Side
    b: Side
    score: str
    decision: str
    agreeing: list[FieldRow] = field(default_factory=list)
    disagreeing: list[FieldRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """A field on which an incident's reports disagree: each report's value and the value the figures count."""

    field: str
    label: str
    values: list[tuple[Report, str | None]]
    counted: str | None


def _url(access: Access, report: Report) -> str | None:
    return reverse("reports:detail", args=[report.pk]) if access.view_of(report) is not None else None


def _country(code: object, language: str) -> str:
    return f"{country_name(str(code), language)} ({code})"


def _place(report: Report, language: str) -> str | None:
    parts = [report.place] if report.place else []
    if report.country:
        parts.append(country_name(report.country, language))
    return ", ".join(parts) or None


def side(access: Access, report: Report, language: str) -> Side:
    return Side(
        report=report,
        url=_url(access, report),
        organisation=report.organisation.name or report.organisation.code,
        kind=str(REPORT_KINDS.get(report.kind, report.kind)),
        status=str(STATUSES.get(report.status, report.status)),
        date=stored_date(report.date_start, report.date_precision, language),
        place=_place(report, language),
        group_size=report.group_size,
    )


def _language(code: str, language: str) -> str:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale.parse("en")
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        name = None
    return name or code


def _yes_no(value: object) -> str:
    return gettext("yes") if value else gettext("no")


def _coordinates(value: Mapping[str, Any]) -> str | None:
    lat, lon = value.get("lat"), value.get("lon")
    if lat is None or lon is None:
        return None
    return f"{number_format(round(lat, 4), 4)}, {number_format(round(lon, 4), 4)}"


def _place_value(value: Mapping[str, Any], language: str) -> str | None:
    """A compared place (lat, lon, border area, country) or a conflict's place (lat, lon, place name)."""
    parts = []
    if value.get("place"):
        parts.append(str(value["place"]))
    area = value.get("area")
    if area and area != "unknown" and not str(area).startswith("country:"):
        parts.append(areas().name(str(area), language))
    if value.get("country"):
        parts.append(country_name(str(value["country"]), language))
    coordinates = _coordinates(value)
    if coordinates:
        parts.append(coordinates)
    return " · ".join(parts) or None


def value_text(name: str, value: Any, language: str, stakeholders: Mapping[str, str]) -> str | None:
    """A compared or conflicting value in words; None when it is unknown."""
    if value is None or value == [] or value == {}:
        return None
    if name == "date":
        return show_date(str(value), language)
    if name == "place" and isinstance(value, Mapping):
        return _place_value(value, language)
    if name == "kind":
        return str(INCIDENT_KINDS.get(value, value))
    if name in ("country", "expelled_to"):
        return _country(value, language)
    if name == "expelled_by":
        arrow = " ← " if get_language_bidi() else " → "
        return arrow.join(_country(code, language) for code in value)
    if name == "nationalities":
        return ", ".join(_country(code, language) for code in value)
    if name == "violence":
        return ", ".join(
            violence_type(code).label(language) if code in VIOLENCE_CODES else str(code) for code in value
        )
    if name == "perpetrators":
        return ", ".join(stakeholders.get(code, code) for code in value)
    if name == "narrative":
        return gettext("told in %(language)s") % {"language": _language(str(value), language)}
    if isinstance(value, bool):
        return _yes_no(value)
    return str(value)


def _verdict(level: str, weight: float) -> str:
    if level == "unknown":
        return "unknown"
    if round(weight, 1) > 0:
        return "agrees"
    if round(weight, 1) < 0:
        return "disagrees"
    return "neutral"


def field_rows(candidate: LinkCandidate, language: str, stakeholders: Mapping[str, str]) -> list[FieldRow]:
    """Every compared field of the pair, in the model's order (fields the stored explanation lacks left out)."""
    stored = (candidate.agreements or {}).get("agreements") or {}
    rows = []
    for name in FIELDS:
        agreement = stored.get(name)
        if not isinstance(agreement, Mapping):
            continue
        level = str(agreement.get("level", "unknown"))
        weight = float(agreement.get("weight") or 0.0)
        a, b = agreement.get("a"), agreement.get("b")
        measure = agreement.get("measure")
        if name in ("minors", "women"):  # compared as flags: were there any?
            a_text = None if a is None else _yes_no(a)
            b_text = None if b is None else _yes_no(b)
        else:
            a_text, b_text = (
                value_text(name, a, language, stakeholders),
                value_text(name, b, language, stakeholders),
            )
        rows.append(
            FieldRow(
                field=name,
                label=str(labels.FIELD_LABELS[name]),
                a=a_text,
                b=b_text,
                level=labels.level_text(name, level, measure, a, b),
                weight=weight,
                weight_text=labels.signed(weight),
                verdict=_verdict(level, weight),
            )
        )
    return rows


def pair_row(
    access: Access, candidate: LinkCandidate, language: str, stakeholders: Mapping[str, str]
) -> PairRow:
    """A queue row: both reports, the score, the decision, and the fields weighing most for and against."""
    rows = field_rows(candidate, language, stakeholders)
    agreeing = sorted((r for r in rows if r.verdict == "agrees"), key=lambda r: -r.weight)[:_MAIN]
    disagreeing = sorted((r for r in rows if r.verdict == "disagrees"), key=lambda r: r.weight)[:_MAIN]
    return PairRow(
        candidate=candidate,
        a=side(access, candidate.report_a, language),
        b=side(access, candidate.report_b, language),
        score=labels.percent(candidate.score),
        decision=str(labels.DECISIONS.get(candidate.status, candidate.status)),
        agreeing=agreeing,
        disagreeing=disagreeing,
    )


def conflict_rows(
    conflicts: list[Conflict], reports: Mapping[int, Report], language: str, stakeholders: Mapping[str, str]
) -> list[ConflictRow]:
    """The incident's disagreements for the reader: each report's value (reports shown by the page only)."""
    rows = []
    for conflict in conflicts:
        values = [
            (reports[pk], value_text(conflict.field, value, language, stakeholders))
            for pk, value in conflict.values.items()
            if pk in reports
        ]
        if len(values) < 2:
            continue
        label = labels.CONFLICT_FIELDS.get(conflict.field)
        rows.append(
            ConflictRow(
                field=conflict.field,
                label=str(label) if label is not None else conflict.field,
                values=values,
                counted=value_text(conflict.field, conflict.counted, language, stakeholders),
            )
        )
    return rows


def incident_panel(
    access: Access,
    incident_id: int,
    language: str,
    stakeholders: Mapping[str, str],
    *,
    current: Report | None = None,
) -> dict[str, Any]:
    """An incident as the person sees it, for ``_incident.html``: its independent sources (with the kinds of
    report in words), its reports the person may see (but ``current``), and where they disagree."""
    view = incident_view(access, incident_id)
    return {
        "sources": view.corroboration.sources,
        "organisations": view.corroboration.organisations,
        "kinds": [str(REPORT_KINDS.get(kind, kind)) for kind in view.corroboration.kinds],
        "reports": [side(access, report, language) for report in view.reports if report != current],
        "several": len(view.reports) > 1,
        "conflicts": conflict_rows(view.conflicts, view.refs, language, stakeholders),
    }

"""Incident rows as the pages show them: coded values turned into words of the reader's language.

Unknown stays visible as unknown: a missing value is left out of a list of facts, never shown as 0 or "no".
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.typology import violence_type
from bordermonitor.public.labels import (
    EVIDENCE_KINDS,
    KINDS,
    SOURCE_KINDS,
    cause_label,
    country,
    violence_label,
)

__all__ = ["card", "detail", "facts", "place_line"]

_INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def place_line(row: dict[str, Any]) -> str:
    parts = [row.get("place"), row.get("region"), country(row.get("country"))]
    return ", ".join(p for p in parts if p)


def _title(row: dict[str, Any]) -> str:
    return row.get("title") or str(_("Incident %(id)s") % {"id": row["id"]})


def card(row: dict[str, Any]) -> dict[str, Any]:
    """What a list shows of an incident."""
    return {
        "id": row["id"],
        "url": reverse("incident", kwargs={"incident_id": row["id"]}),
        "title": _title(row),
        "date": row.get("date"),
        "kind": str(KINDS.get(row.get("kind") or "", row.get("kind") or "")),
        "place": place_line(row),
        "violence": [violence_label(code) for code in row.get("violence") or ()],
        "group_size": row.get("group_size"),
        "minors_involved": row.get("minors_involved"),
    }


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else str(_("Yes") if value else _("No"))


def _names(codes: list[str] | None) -> str | None:
    return ", ".join(country(c) for c in codes) if codes else None


def facts(row: dict[str, Any]) -> list[tuple[Promise, Any]]:
    """The incident's facts as (label, value), the unknown ones left out."""
    officers = None
    if row.get("officers_min") is not None or row.get("officers_max") is not None:
        low, high = row.get("officers_min"), row.get("officers_max")
        officers = str(low if high in (None, low) else f"{low if low is not None else '?'}–{high}")
    arrow = " ← " if get_language_bidi() else " → "
    chain = arrow.join(country(c) for c in row.get("expelled_by") or ())
    pairs: list[tuple[Promise, Any]] = [
        (_("Date"), row.get("date")),
        (_("Place"), place_line(row) or None),
        (_("Kind of incident"), KINDS.get(row.get("kind") or "", row.get("kind"))),
        (_("Expelled by (first apprehending state first)"), chain or None),
        (_("Left in"), country(row.get("expelled_to")) or None),
        (_("Group size"), row.get("group_size")),
        (_("Minors"), row.get("minors")),
        (_("Minors involved"), _yes_no(row.get("minors_involved"))),
        (_("Women"), row.get("women")),
        (_("Men"), row.get("men")),
        (_("Ages, as told"), ", ".join(row.get("age_bands") or ()) or None),
        (_("Nationalities"), _names(row.get("nationalities"))),
        (_("Perpetrators"), ", ".join(row.get("perpetrators") or ()) or None),
        (_("Asylum requested"), _yes_no(row.get("asylum_requested"))),
        (_("Taken to a police station"), _yes_no(row.get("taken_to_police_station"))),
        (_("Hours in detention"), row.get("detention_hours")),
        (_("Officers"), officers),
        (_("Dead"), row.get("dead")),
        (_("Missing"), row.get("missing")),
        (_("Survivors"), row.get("survivors")),
        (_("Causes of death"), ", ".join(cause_label(c) for c in row.get("causes_of_death") or ()) or None),
        (_("Injuries described"), _yes_no(row.get("medical_injuries"))),
        (_("Medical documentation exists"), _yes_no(row.get("medical_documented"))),
    ]
    return [(label, value) for label, value in pairs if value is not None]


def _violence(codes: list[str] | None) -> list[dict[str, Any]]:
    out = []
    for code in codes or ():
        try:
            severity: int | None = violence_type(code).severity
        except KeyError:
            severity = None
        out.append({"code": code, "label": violence_label(code), "severity": severity})
    return out


def detail(row: dict[str, Any], evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the incident page shows."""
    files = [
        {
            **item,
            "url": reverse("file", kwargs={"name": item["file"]}),
            "kind_label": EVIDENCE_KINDS.get(item["kind"], item["kind"]),
            "inline": item["media_type"] in _INLINE_IMAGES,
        }
        for item in evidence
    ]
    return {
        **card(row),
        "row": row,
        "facts": facts(row),
        "coded_violence": _violence(row.get("violence")),
        "evidence_files": files,
        "source_kinds": [SOURCE_KINDS.get(k, k) for k in row.get("source_kinds") or ()],
        "located": row.get("lat") is not None and row.get("lon") is not None,
    }

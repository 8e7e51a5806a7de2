"""The analyst's view of a report (METHODOLOGY §1: "analyst — read-only, pseudonymised data").

Built by allowlist from the interchange shape: only the coded fields below are copied, so a field added to
the record later stays out until someone decides it is safe. The report's reference becomes a keyed
pseudonym (HMAC-SHA-256 with the site's key): stable, so an analyst can follow one report across pages and
exports, but not reversible without the key. Narratives, titles, names, free-text details, places, times,
ages as told, evidence files and source originals are left out; coordinates are rounded to 0.1° (about
11 km) and the interview date to its month.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

__all__ = ["pseudonym", "pseudonymise"]

_INCIDENT_KEEP = (
    "date", "kind", "expelled_by", "expelled_to", "asylum_requested", "taken_to_police_station",
    "detention_hours", "dead", "missing", "survivors", "causes_of_death",
)  # fmt: skip
_GROUP_KEEP = ("size", "minors", "women", "men", "minors_involved", "nationalities", "origin_regions")


def pseudonym(*, key: bytes, organisation: str, ref: str) -> str:
    """A stable pseudonym for a report: ``p-`` and 16 hexadecimal characters of HMAC-SHA-256."""
    digest = hmac.new(key, f"{organisation}:{ref}".encode(), hashlib.sha256).hexdigest()
    return f"p-{digest[:16]}"


def _round(value: Any) -> float | None:
    return round(float(value), 1) if isinstance(value, int | float) else None


def pseudonymise(record: Mapping[str, Any], *, key: bytes) -> dict[str, Any]:
    """The pseudonymised copy of an interchange-shaped report ``record`` (a new dict; the input is kept)."""
    incident: Mapping[str, Any] = record.get("incident") or {}
    location: Mapping[str, Any] = incident.get("location") or {}
    group: Mapping[str, Any] = incident.get("group") or {}
    officers: Mapping[str, Any] = incident.get("officers") or {}
    medical: Mapping[str, Any] = incident.get("medical") or {}
    recorded_on = record.get("recorded_on")
    return {
        "pseudonym": pseudonym(key=key, organisation=str(record["organisation"]), ref=str(record["ref"])),
        "organisation": record["organisation"],
        "kind": record.get("kind"),
        "status": record.get("status"),
        "recorded_month": recorded_on[:7] if isinstance(recorded_on, str) else None,
        "consent": dict(record.get("consent") or {}),
        "narrative_language": (record.get("narrative") or {}).get("language"),
        "incident": {
            **{name: incident.get(name) for name in _INCIDENT_KEEP},
            "location": {
                "lat": _round(location.get("lat")),
                "lon": _round(location.get("lon")),
                "country": location.get("country"),
                "region": location.get("region"),
            },
            "group": {name: group.get(name) for name in _GROUP_KEEP},
            "officers": {"min": officers.get("min"), "max": officers.get("max")},
            "perpetrators": [{"authority": p.get("authority")} for p in incident.get("perpetrators") or []],
            "violence": [{"type": v.get("type")} for v in incident.get("violence") or []],
            "medical": {"injuries": medical.get("injuries"), "documented": medical.get("documented")},
        },
        "evidence": [{"kind": e.get("kind")} for e in record.get("evidence") or []],
        "source": {"name": (record.get("source") or {}).get("name")},
    }

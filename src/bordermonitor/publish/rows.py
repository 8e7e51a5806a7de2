"""From the public fields of an incident's publishable reports to the release's rows (no database here).

The incident's values follow the statistics' rule (``core.stats.reconcile``): each single value is the
earliest report's, or the next one's where it does not know it; lists of codes are the union; the expelling
chain is the first non-empty one. Then the publication policy applies (``core.anonymise``): date and place are
coarsened (more for groups of one or two, whose place name is withheld too), and only a reviewed public title
and narrative are published, redacted once more of the names the reports know and of anything that looks like
a phone number, e-mail address, document number or plate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from bordermonitor.core.anonymise import PublicationPolicy, coarsen_date, coarsen_location, redact
from bordermonitor.core.typology import violence_type

__all__ = ["Built", "Licence", "ReportRow", "build_many", "incident_rows"]


@dataclass(frozen=True, slots=True)
class Licence:
    spdx: str
    attribution: str


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One publishable report as the publisher reads it: public fields, plus what it needs to decide."""

    id: int
    fields: Mapping[str, Any]
    known_names: tuple[str, ...]
    narrative: Literal[
        "approved", "pending", "none"
    ]  # a reviewed public version, one to review, no narrative
    licence: Licence
    expelled_by: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    violence: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    evidence: tuple[Mapping[str, Any], ...] = field(default=())  # kind, sha256, media_type, size, file


@dataclass(slots=True)
class Built:
    incident: dict[str, Any]
    violence: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    withheld: dict[str, int]


def _first(reports: Sequence[ReportRow], name: str) -> Any:
    return next((r.fields[name] for r in reports if r.fields.get(name) is not None), None)


def _union(values: Iterable[Iterable[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for items in values:
        for item in items:
            seen.setdefault(item, None)
    return list(seen)


def _text(value: str | None, names: tuple[str, ...]) -> str | None:
    if not value or not value.strip():
        return None
    if len(value) <= _SHORT:
        return _redacted(value, names)
    return redact(value, known_names=names).text


_SHORT = 200


@lru_cache(maxsize=1 << 14)
def _redacted(value: str, names: tuple[str, ...]) -> str:
    """Places, regions and titles repeat from incident to incident: each is redacted once per set of names."""
    return redact(value, known_names=names).text


def incident_rows(public_id: str, reports: Sequence[ReportRow], *, policy: PublicationPolicy) -> Built:
    """The release rows of one incident described by ``reports`` (publishable ones, at least one)."""
    reports = sorted(reports, key=lambda r: r.id)
    names = tuple(dict.fromkeys(name for r in reports for name in r.known_names))
    withheld: dict[str, int] = {}
    size = _first(reports, "group_size")
    small = policy.is_small(size)

    date_start: dt.date | None = _first(reports, "date_start")
    precision = next((r.fields.get("date_precision") for r in reports if r.fields.get("date_start")), None)
    date, date_precision = coarsen_date(date_start, precision, policy=policy, group_size=size)
    located = next(
        (r for r in reports if r.fields.get("lat") is not None and r.fields.get("lon") is not None), None
    )
    lat, lon, location_m = (
        coarsen_location(
            located.fields["lat"],
            located.fields["lon"],
            located.fields.get("precision_m"),
            policy=policy,
            group_size=size,
        )
        if located
        else (None, None, None)
    )
    place = _first(reports, "place")
    composition = {name: _first(reports, name) for name in ("minors", "women", "men")}
    age_bands = _union(r.fields.get("age_bands") or () for r in reports)
    if small:
        # a person alone or with one other is recognisable by where, when and who: name no place, and give
        # neither ages nor the make-up of the group beyond its size and whether minors were involved
        if place is not None:
            place = None
            withheld["place names of small groups"] = 1
        if age_bands or any(v is not None for v in composition.values()):
            age_bands, composition = [], dict.fromkeys(composition)
            withheld["ages and make-up of small groups"] = 1

    approved = [r for r in reports if r.narrative == "approved"]
    title = next((r.fields["public_title"] for r in approved if r.fields.get("public_title")), None)
    narrative_from = next((r for r in approved if r.fields.get("public_narrative")), None)
    if narrative_from is None and any(r.narrative == "pending" for r in reports):
        withheld["narratives not yet reviewed for publication"] = 1
    chain = next((r.expelled_by for r in reports if r.expelled_by), ())
    codes = _union(r.violence for r in reports)
    kind = _first(reports, "incident_kind")
    licences = list(
        dict.fromkeys(r.licence for r in reports)
    )  # an incident told by IOM and a testimony: both
    month = date[:7] if date and len(date) >= 7 else None
    evidence = list(  # one file attached to two reports of the incident is published once
        {
            item["sha256"] or f"missing-{n}": {"incident_id": public_id, **item}
            for n, item in enumerate(item for r in reports for item in r.evidence)
        }.values()
    )
    incident = {
        "id": public_id,
        "title": _text(title, names),
        "narrative": _text(narrative_from.fields["public_narrative"], names) if narrative_from else None,
        "narrative_language": narrative_from.fields.get("narrative_language") if narrative_from else None,
        "date": date,
        "date_precision": date_precision,
        "month": month,
        "year": int(date[:4]) if date else None,
        "country": _first(reports, "country"),
        "region": _text(_first(reports, "region"), names),
        "place": _text(place, names),
        "lat": lat,
        "lon": lon,
        "location_precision_m": location_m,
        "kind": kind,
        "expelled_by": list(chain),
        "expelled_to": _first(reports, "expelled_to"),
        "chain_pushback": len(chain) > 1 if chain else None,
        "group_size": size,
        **composition,
        "minors_involved": _first(reports, "minors_involved"),
        "age_bands": age_bands,
        "nationalities": _union(r.nationalities for r in reports),
        "violence": codes,
        "perpetrators": _union(r.perpetrators for r in reports),
        "asylum_requested": _first(reports, "asylum_requested"),
        "taken_to_police_station": _first(reports, "taken_to_police_station"),
        "detention_hours": _first(reports, "detention_hours"),
        "officers_min": _first(reports, "officers_min"),
        "officers_max": _first(reports, "officers_max"),
        "dead": _first(reports, "dead"),
        "missing": _first(reports, "missing"),
        "survivors": _first(reports, "survivors"),
        "causes_of_death": _union(r.fields.get("causes_of_death") or () for r in reports),
        "medical_injuries": _first(reports, "medical_injuries"),
        "medical_documented": _first(reports, "medical_documented"),
        "sources": len(reports),
        "source_kinds": _union((r.fields["kind"],) for r in reports),
        "evidence": len(evidence),
        "licence": " AND ".join(dict.fromkeys(item.spdx for item in licences)),
        "attribution": "; ".join(dict.fromkeys(item.attribution for item in licences)),
    }
    violence = []
    for code in codes:
        kind_of = violence_type(code)
        violence.append(
            {
                "incident_id": public_id,
                "code": code,
                "group": kind_of.group,
                "severity": kind_of.severity,
                "label": kind_of.label("en"),
            }
        )
    return Built(incident, violence, evidence, withheld)


def build_many(policy: PublicationPolicy, items: Sequence[tuple[str, Sequence[ReportRow]]]) -> list[Built]:
    """:func:`incident_rows` for a batch of incidents (what a worker process is given)."""
    return [incident_rows(public_id, reports, policy=policy) for public_id, reports in items]

"""The steps of the intake form and how each one reads from and writes into a record (interchange shape).

Each step knows three things: the form values a stored record gives (:meth:`Step.initial`), how the cleaned
form is merged into the record (:meth:`Step.merge`, touching only its own fields, so what other steps or an
import stored is kept), and which record paths its fields hold (to put a validation message next to the field
it belongs to). Empty input is unknown: ``None``, or ``"unknown"`` for yes/no/unknown answers.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.dates import PartialDate
from bordermonitor.web.intake.forms import FORMS, StepForm

__all__ = ["EDITABLE", "STEPS", "Step", "field_for_path", "step_by_slug"]

Record = dict[str, Any]


def _none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return None if value in ("", None) else value


def _tri_of_bool(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _bool_of_tri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _tri(value: str | None) -> str:
    return value if value in ("yes", "no") else "unknown"


def _at(record: Record, *path: str) -> dict[str, Any]:
    """The sub-object at ``path``, created empty when the record has none."""
    node = record
    for key in path:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    return node


# --- interview --------------------------------------------------------------------------------------------


def _interview_initial(record: Record) -> dict[str, Any]:
    consent = record.get("consent") or {}
    return {
        "kind": record.get("kind") or "testimony",
        "recorded_on": record.get("recorded_on") or "",
        "language": (record.get("narrative") or {}).get("language") or "",
        "consent_publish": _tri_of_bool(consent.get("publish")),
        "consent_share": _tri_of_bool(consent.get("share_with_network")),
        "consent_legal": _tri_of_bool(consent.get("legal_use")),
    }


def _interview_merge(record: Record, data: dict[str, Any]) -> None:
    record["kind"] = data["kind"]
    day = data.get("recorded_on")
    record["recorded_on"] = day.isoformat() if isinstance(day, dt.date) else None
    _at(record, "narrative")["language"] = _none(data.get("language"))
    consent = _at(record, "consent")
    consent["publish"] = _bool_of_tri(data.get("consent_publish"))
    consent["share_with_network"] = _bool_of_tri(data.get("consent_share"))
    consent["legal_use"] = _bool_of_tri(data.get("consent_legal"))


# --- when and where ---------------------------------------------------------------------------------------


def _when_where_initial(record: Record) -> dict[str, Any]:
    incident = record.get("incident") or {}
    location = incident.get("location") or {}
    date = PartialDate.parse(incident["date"]) if incident.get("date") else None
    return {
        "date_year": date.year if date else None,
        "date_month": str(date.month) if date and date.month else "",
        "date_day": date.day if date else None,
        "time": incident.get("time") or "",
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "precision_m": location.get("precision_m"),
        "place": location.get("place") or "",
        "country": location.get("country") or "",
        "region": location.get("region") or "",
        "incident_kind": incident.get("kind") or "",
    }


def _when_where_merge(record: Record, data: dict[str, Any]) -> None:
    incident = _at(record, "incident")
    incident["date"] = data.get("date")
    moment = data.get("time")
    incident["time"] = moment.strftime("%H:%M") if isinstance(moment, dt.time) else None
    location = _at(record, "incident", "location")
    for name in ("lat", "lon", "precision_m", "place", "country", "region"):
        location[name] = _none(data.get(name))
    incident["kind"] = _none(data.get("incident_kind"))


# --- group ------------------------------------------------------------------------------------------------

_GROUP = {"group_size": "size", "minors": "minors", "women": "women", "men": "men"}


def _group_initial(record: Record) -> dict[str, Any]:
    group = (record.get("incident") or {}).get("group") or {}
    return {
        **{name: group.get(key) for name, key in _GROUP.items()},
        "minors_involved": _tri(group.get("minors_involved")),
        "ages": group.get("ages") or "",
        "nationalities": list(group.get("nationalities") or []),
    }


def _group_merge(record: Record, data: dict[str, Any]) -> None:
    group = _at(record, "incident", "group")
    for name, key in _GROUP.items():
        group[key] = data.get(name)
    group["minors_involved"] = _tri(data.get("minors_involved"))
    group["ages"] = _none(data.get("ages"))
    group["nationalities"] = list(data.get("nationalities") or [])


# --- chain of expulsions ----------------------------------------------------------------------------------


def _chain_initial(record: Record) -> dict[str, Any]:
    incident = record.get("incident") or {}
    return {
        "expelled_by": list(incident.get("expelled_by") or []),
        "expelled_to": incident.get("expelled_to") or "",
        "asylum_requested": _tri(incident.get("asylum_requested")),
        "taken_to_police_station": _tri(incident.get("taken_to_police_station")),
        "detention_hours": incident.get("detention_hours"),
    }


def _chain_merge(record: Record, data: dict[str, Any]) -> None:
    incident = _at(record, "incident")
    incident["expelled_by"] = list(data.get("expelled_by") or [])
    incident["expelled_to"] = _none(data.get("expelled_to"))
    incident["asylum_requested"] = _tri(data.get("asylum_requested"))
    incident["taken_to_police_station"] = _tri(data.get("taken_to_police_station"))
    incident["detention_hours"] = data.get("detention_hours")


# --- violence ---------------------------------------------------------------------------------------------


def _details(violence: list[dict[str, Any]]) -> dict[str, str]:
    """One detail per code; a code recorded twice (an import) shows its details joined, nothing dropped."""
    joined: dict[str, list[str]] = {}
    for item in violence:
        joined.setdefault(item["type"], [])
        if item.get("detail"):
            joined[item["type"]].append(item["detail"])
    return {code: "; ".join(details) for code, details in joined.items()}


def _violence_initial(record: Record) -> dict[str, Any]:
    incident = record.get("incident") or {}
    violence = incident.get("violence") or []
    officers = incident.get("officers") or {}
    perpetrators = incident.get("perpetrators") or []
    initial: dict[str, Any] = {
        "violence": list(dict.fromkeys(item["type"] for item in violence)),
        "officers_min": officers.get("min"),
        "officers_max": officers.get("max"),
        "officers_description": officers.get("description") or "",
        "perpetrator_authority": [p.get("authority") or "" for p in perpetrators],
        "perpetrator_unit": [p.get("unit") or "" for p in perpetrators],
        "perpetrator_description": [p.get("description") or "" for p in perpetrators],
    }
    for code, detail in _details(violence).items():
        initial[f"violence_detail_{code}"] = detail
    return initial


def _violence_merge(record: Record, data: dict[str, Any]) -> None:
    incident = _at(record, "incident")
    stored = incident.get("violence") or []
    chosen = list(dict.fromkeys(data.get("violence") or []))
    typed = {code: _none(data.get(f"violence_detail_{code}")) for code in chosen}
    unchanged = {code for code, detail in _details(stored).items() if (detail or None) == typed.get(code)}
    merged: list[dict[str, Any]] = []
    done: set[str] = set()
    for item in stored:  # keep the stored order (and repeated codes whose details were not edited)
        code = item["type"]
        if code not in typed:
            continue
        if code in unchanged:
            merged.append(dict(item))
        elif code not in done:
            merged.append({"type": code, "detail": typed[code]})
        done.add(code)
    merged += [{"type": code, "detail": typed[code]} for code in chosen if code not in done]
    incident["violence"] = merged
    incident["officers"] = {
        "min": data.get("officers_min"),
        "max": data.get("officers_max"),
        "description": _none(data.get("officers_description")),
    }
    incident["perpetrators"] = [
        {key: _none(row[key]) for key in ("authority", "unit", "description")}
        for row in data.get("perpetrators") or []
    ]


# --- medical ----------------------------------------------------------------------------------------------


def _medical_initial(record: Record) -> dict[str, Any]:
    incident = record.get("incident") or {}
    medical = incident.get("medical") or {}
    return {
        "injuries": _tri(medical.get("injuries")),
        "medical_documented": _tri_of_bool(medical.get("documented")),
        "dead": incident.get("dead"),
        "missing": incident.get("missing"),
        "survivors": incident.get("survivors"),
        "causes_of_death": list(incident.get("causes_of_death") or []),
    }


def _medical_merge(record: Record, data: dict[str, Any]) -> None:
    incident = _at(record, "incident")
    medical = _at(record, "incident", "medical")
    medical["injuries"] = _tri(data.get("injuries"))
    medical["documented"] = _bool_of_tri(data.get("medical_documented"))
    for name in ("dead", "missing", "survivors"):
        incident[name] = data.get(name)
    incident["causes_of_death"] = list(data.get("causes_of_death") or [])


# --- narrative --------------------------------------------------------------------------------------------


def _narrative_initial(record: Record) -> dict[str, Any]:
    narrative = record.get("narrative") or {}
    return {
        "title": record.get("title") or "",
        "narrative": narrative.get("text") or "",
        "translation_en": narrative.get("translation_en") or "",
        "known_names": "\n".join(record.get("known_names") or []),
    }


def _narrative_merge(record: Record, data: dict[str, Any]) -> None:
    record["title"] = _none(data.get("title"))
    narrative = _at(record, "narrative")
    narrative["text"] = _none(data.get("narrative"))
    narrative["translation_en"] = _none(data.get("translation_en"))
    record["known_names"] = list(data.get("known_names") or [])


def _nothing_initial(record: Record) -> dict[str, Any]:
    return {}


def _nothing_merge(record: Record, data: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    title: Promise
    read: Callable[[Record], dict[str, Any]]
    write: Callable[[Record, dict[str, Any]], None]
    paths: tuple[tuple[str, str], ...] = ()  # record path → the form field that holds it

    @property
    def form_class(self) -> type[StepForm]:
        return FORMS[self.slug]

    @property
    def editable(self) -> bool:
        return self.slug in EDITABLE

    def initial(self, record: Record) -> dict[str, Any]:
        return self.read(record)

    def merge(self, record: Record, cleaned: dict[str, Any]) -> Record:
        """A copy of ``record`` with this step's fields replaced by the cleaned form values."""
        merged = copy.deepcopy(record)
        self.write(merged, cleaned)
        return merged


STEPS: tuple[Step, ...] = (
    Step(
        "interview",
        _("Interview"),
        _interview_initial,
        _interview_merge,
        (
            ("kind", "kind"),
            ("recorded_on", "recorded_on"),
            ("narrative.language", "language"),
            ("consent.publish", "consent_publish"),
            ("consent.share_with_network", "consent_share"),
            ("consent.legal_use", "consent_legal"),
        ),
    ),
    Step(
        "when-where",
        _("When and where"),
        _when_where_initial,
        _when_where_merge,
        (
            ("incident.date", "date_year"),
            ("incident.time", "time"),
            ("incident.location.lat", "lat"),
            ("incident.location.lon", "lon"),
            ("incident.location.precision_m", "precision_m"),
            ("incident.location.place", "place"),
            ("incident.location.country", "country"),
            ("incident.location.region", "region"),
            ("incident.kind", "incident_kind"),
        ),
    ),
    Step(
        "group",
        _("The group"),
        _group_initial,
        _group_merge,
        (
            ("incident.group.size", "group_size"),
            ("incident.group.minors_involved", "minors_involved"),
            ("incident.group.minors", "minors"),
            ("incident.group.women", "women"),
            ("incident.group.men", "men"),
            ("incident.group.ages", "ages"),
            ("incident.group.nationalities", "nationalities"),
        ),
    ),
    Step(
        "chain",
        _("Expulsion"),
        _chain_initial,
        _chain_merge,
        (
            ("incident.expelled_by", "expelled_by"),
            ("incident.expelled_to", "expelled_to"),
            ("incident.asylum_requested", "asylum_requested"),
            ("incident.taken_to_police_station", "taken_to_police_station"),
            ("incident.detention_hours", "detention_hours"),
        ),
    ),
    Step(
        "violence",
        _("Violence"),
        _violence_initial,
        _violence_merge,
        (
            ("incident.violence", "violence"),
            ("incident.officers", "officers_min"),
            ("incident.perpetrators", "perpetrator_authority"),
        ),
    ),
    Step(
        "medical",
        _("Injuries and deaths"),
        _medical_initial,
        _medical_merge,
        (
            ("incident.medical.injuries", "injuries"),
            ("incident.medical.documented", "medical_documented"),
            ("incident.dead", "dead"),
            ("incident.missing", "missing"),
            ("incident.survivors", "survivors"),
            ("incident.causes_of_death", "causes_of_death"),
        ),
    ),
    Step(
        "narrative",
        _("Account"),
        _narrative_initial,
        _narrative_merge,
        (
            ("title", "title"),
            ("narrative.text", "narrative"),
            ("narrative.translation_en", "translation_en"),
            ("known_names", "known_names"),
        ),
    ),
    Step("evidence", _("Evidence"), _nothing_initial, _nothing_merge),
    Step("submit", _("Review and submit"), _nothing_initial, _nothing_merge),
)
EDITABLE = frozenset(step.slug for step in STEPS if step.paths)
_BY_SLUG = {step.slug: step for step in STEPS}


def step_by_slug(slug: str) -> Step | None:
    return _BY_SLUG.get(slug)


def next_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def field_for_path(step: Step, path: str) -> str | None:
    """The field of ``step`` holding the record path of a validation message (``incident.violence[2]``)."""
    for prefix, name in step.paths:
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return name
    return None

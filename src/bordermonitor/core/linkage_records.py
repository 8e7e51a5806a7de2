"""What record linkage reads of a report, and what it says about a pair (see :mod:`bordermonitor.core.linkage`).

:class:`LinkRecord` is built by storage from a stored report (or by :meth:`LinkRecord.from_interchange` from
an interchange-v1 dict); :class:`Comparison` is the explained answer for one pair: a score, and for every
compared field the agreement level, its weight and the two values compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PRECISIONS", "Agreement", "Comparison", "LinkRecord", "LinkageError"]

PRECISIONS = ("day", "month", "year")
UNKNOWN_AREA = "unknown"


class LinkageError(ValueError):
    """A linkage input cannot be used; the message names the record and the field."""


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """What linkage needs of one report: the incident as that source tells it. ``None`` is unknown.

    ``date`` is the first day of the period ``precision`` names (``"day"``, ``"month"`` or ``"year"``);
    ``area`` is the :meth:`bordermonitor.core.areas.BorderAreas.assign` code of the place; ``text`` is the
    English translation of the narrative when there is one, else the narrative, in ``text_language``.
    """

    report_id: int
    organisation: str
    ref: str
    kind: str
    incident_id: int
    date: dt.date | None
    precision: str | None
    time: str | None
    lat: float | None
    lon: float | None
    area: str
    country: str | None
    expelled_by: tuple[str, ...]
    expelled_to: str | None
    group_size: int | None
    minors: int | None
    women: int | None
    men: int | None
    minors_involved: bool | None
    nationalities: frozenset[str]
    violence: frozenset[str]
    perpetrators: frozenset[str]
    officers_description: str | None
    text: str | None
    text_language: str | None

    def __post_init__(self) -> None:
        where = f"report {self.report_id} ({self.organisation}:{self.ref})"
        if self.date is not None and self.precision not in PRECISIONS:
            raise LinkageError(f"{where}, precision: {self.precision!r} is not one of day, month, year")
        if self.date is None and self.precision is not None:
            raise LinkageError(f"{where}, precision: {self.precision!r} is given without a date")
        if self.date is not None and self.precision == "month" and self.date.day != 1:
            raise LinkageError(f"{where}, date: a month-precise date is the first day of its month")
        if self.date is not None and self.precision == "year" and (self.date.month, self.date.day) != (1, 1):
            raise LinkageError(f"{where}, date: a year-precise date is the first day of its year")
        if (self.lat is None) != (self.lon is None):
            raise LinkageError(f"{where}, lat/lon: give both coordinates or neither")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise LinkageError(f"{where}, lat: {self.lat} is not a latitude")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise LinkageError(f"{where}, lon: {self.lon} is not a longitude")
        if self.time is not None and not _is_time(self.time):
            raise LinkageError(f"{where}, time: {self.time!r} is not HH:MM")
        if not self.area:
            raise LinkageError(f"{where}, area: give the area code, or 'unknown'")
        for name in ("group_size", "minors", "women", "men"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise LinkageError(f"{where}, {name}: {value} is negative")

    @property
    def has_place(self) -> bool:
        return self.lat is not None or self.country is not None or self.area != UNKNOWN_AREA

    @classmethod
    def from_interchange(
        cls, report: Mapping[str, Any], *, report_id: int, incident_id: int, area: str
    ) -> LinkRecord:
        """The linkage view of an interchange-v1 report (METHODOLOGY §5), as storage builds it from a report.

        ``area`` is the border-area code of its place (``BorderAreas.assign``); ``incident_id`` the id of the
        incident it belongs to. Unknown values (absent keys, ``null``, ``"unknown"``) stay ``None``.
        """
        incident = report.get("incident") or {}
        location = incident.get("location") or {}
        group = incident.get("group") or {}
        narrative = report.get("narrative") or {}
        officers = incident.get("officers") or {}
        language: str | None = "en"
        text = narrative.get("translation_en")
        if not text:
            text, language = narrative.get("text"), narrative.get("language")
        date, precision = _partial(incident.get("date"))
        involved = {"yes": True, "no": False}.get(group.get("minors_involved") or "unknown")
        return cls(
            report_id=report_id,
            organisation=str(report.get("organisation")),
            ref=str(report.get("ref")),
            kind=str(report.get("kind")),
            incident_id=incident_id,
            date=date,
            precision=precision,
            time=incident.get("time"),
            lat=location.get("lat"),
            lon=location.get("lon"),
            area=area,
            country=location.get("country"),
            expelled_by=tuple(incident.get("expelled_by") or ()),
            expelled_to=incident.get("expelled_to"),
            group_size=group.get("size"),
            minors=group.get("minors"),
            women=group.get("women"),
            men=group.get("men"),
            minors_involved=involved,
            nationalities=frozenset(group.get("nationalities") or ()),
            violence=frozenset(v["type"] for v in incident.get("violence") or () if v and v.get("type")),
            perpetrators=frozenset(
                p["authority"] for p in incident.get("perpetrators") or () if p and p.get("authority")
            ),
            officers_description=officers.get("description"),
            text=text or None,
            text_language=(language or None) if text else None,
        )


def _is_time(text: str) -> bool:
    return (
        len(text) == 5
        and text[2] == ":"
        and text[:2].isdigit()
        and text[3:].isdigit()
        and (int(text[:2]) < 24 and int(text[3:]) < 60)
    )


def _partial(text: str | None) -> tuple[dt.date | None, str | None]:
    if not text:
        return None, None
    parts = text.split("-")
    if len(parts) == 3:
        return dt.date.fromisoformat(text), "day"
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1), "month"
    return dt.date(int(parts[0]), 1, 1), "year"


@dataclass(frozen=True, slots=True)
class Agreement:
    """How one field of a pair agrees: the level, its weight (log2 m/u; 0 when unknown) and the values.

    ``a`` and ``b`` are the two values as compared (JSON-serialisable); ``measure`` the measured difference
    or similarity when there is one (days, minutes, km, relative difference, overlap, cosine).
    """

    level: str
    weight: float
    a: object
    b: object
    measure: float | None = None

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"level": self.level, "weight": self.weight, "a": self.a, "b": self.b}
        if self.measure is not None:
            data["measure"] = self.measure
        return data


@dataclass(frozen=True, slots=True)
class Comparison:
    """One pair: the probability that both reports describe the same incident, its log-odds (base 2: the
    prior's log-odds plus the weights) and every field's agreement, in the order of the model's fields;
    ``prior`` is the prior the log-odds started from, ``prior_class`` its class and ``neighbours`` the pair's
    density it was adjusted to, None when not counted (see :mod:`bordermonitor.core.linkage_model`)."""

    score: float
    log_odds: float
    agreements: Mapping[str, Agreement]
    prior: float | None = None
    prior_class: str | None = None
    neighbours: float | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "log_odds": self.log_odds,
            "prior": self.prior,
            "prior_class": self.prior_class,
            "neighbours": self.neighbours,
            "agreements": {field: agreement.as_json() for field, agreement in self.agreements.items()},
        }

"""The monitoring matrix (METHODOLOGY §6): situations of violence, scored on four criteria, ranked.

A *situation* is a perpetrator (a stakeholder code, or the unidentified authorities of a state) × a border area
(``core.areas``) × a violence typology code, over a period of whole months. Every incident of the period counts
in each situation it belongs to: an incident where Croatian police beat and robbed people is in two situations.
``no_violence`` makes no situation. Each situation is scored from 0 to 1 on:

1. **frequency** — its incidents against the most frequent situation's (on a log scale, so that 40 against 400
   still registers), moved by the trend against the previous period of the same length;
2. **intensity** — the typology severity of its violence, raised by the vulnerability of the people affected
   (shares of incidents with minors, with women, with injuries, with medical evidence);
3. **identification** — the shares of its incidents whose perpetrator authority, day and place are identified,
   and that more than one independent source reports;
4. **influence** — how far the perpetrator's stakeholder is engaged (none known … measures implemented).

The priority is the weighted mean of the four (:class:`Weights`, configurable, checked). Every criterion keeps
what it was computed from (:attr:`Criterion.inputs`), so the page and the JSON explain each number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from bordermonitor.core.areas import BorderAreas
from bordermonitor.core.countries import country_name
from bordermonitor.core.typology import violence_type

__all__ = [
    "CRITERIA",
    "ENGAGEMENT_STAGES",
    "Criterion",
    "Matrix",
    "MatrixIncident",
    "PlanEffect",
    "Situation",
    "SituationKey",
    "Weights",
    "WeightsError",
    "actor_for",
    "actor_name",
    "compute_matrix",
    "month_index",
    "month_start",
    "plan_effect",
]

CRITERIA = ("frequency", "intensity", "identification", "influence")
UNIDENTIFIED = "unidentified"
NO_VIOLENCE = "no_violence"

ENGAGEMENT_STAGES: Mapping[str | None, float] = {
    None: 0.25,  # a stakeholder is known, nothing has happened yet
    "refused": 0.1,
    "contacted": 0.4,
    "meeting": 0.5,
    "acknowledged": 0.6,
    "charter_signed": 0.75,
    "action_plan_adopted": 0.9,
    "measure_implemented": 1.0,
}
"""The influence criterion's value for the stakeholder's current engagement stage; an unidentified perpetrator
scores 0 (there is nobody to engage)."""

_UNIDENTIFIED_WORDS = {
    "en": "Unidentified authorities ({country})",
    "fr": "Autorités non identifiées ({country})",
    "ar": "سلطات غير محددة ({country})",
    "fa": "مقامات نامشخص ({country})",
}
_NOBODY_WORDS = {
    "en": "Unidentified authorities",
    "fr": "Autorités non identifiées",
    "ar": "سلطات غير محددة",
    "fa": "مقامات نامشخص",
}


class WeightsError(ValueError):
    """Weights that do not make sense; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Weights:
    """How the four criteria combine into the priority, and the two shares inside criteria."""

    frequency: float = 0.35
    intensity: float = 0.30
    identification: float = 0.15
    influence: float = 0.20
    trend: float = 0.25  # share of the frequency criterion given to the trend (the rest: the volume)
    vulnerability: float = (
        0.40  # share of the intensity criterion given to vulnerability (the rest: severity)
    )

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise WeightsError(f"weight {item.name} must be a number, not {value!r}")
            if value < 0:
                raise WeightsError(f"weight {item.name} is negative ({value}); weights are 0 or more")
        for name in ("trend", "vulnerability"):
            if getattr(self, name) > 1:
                raise WeightsError(
                    f"weight {name} is a share of its criterion: from 0 to 1, not {getattr(self, name)}"
                )
        if sum(getattr(self, name) for name in CRITERIA) == 0:
            raise WeightsError("the four criteria's weights are all zero: nothing would rank the situations")

    @classmethod
    def parse(cls, text: str | None) -> Weights:
        """``"frequency=0.4,influence=0.1"`` (unnamed weights keep their default); empty gives the defaults."""
        values: dict[str, float] = {}
        known = {item.name for item in fields(cls)}
        for part in (text or "").split(","):
            if not part.strip():
                continue
            name, sep, number = part.partition("=")
            name = name.strip()
            if not sep or name not in known:
                raise WeightsError(
                    f"{part.strip()!r}: write name=number with a name among {', '.join(sorted(known))}"
                )
            try:
                values[name] = float(number)
            except ValueError as error:
                raise WeightsError(f"weight {name}: {number.strip()!r} is not a number") from error
        return cls(**values)

    def as_dict(self) -> dict[str, float]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


def month_index(day: dt.date) -> int:
    """Months since year 0: consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_end(index: int) -> dt.date:
    return month_start(index + 1) - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class MatrixIncident:
    """What the matrix needs of one incident, reconciled from its reports (``storage.matrix``)."""

    incident_id: int
    month: int  # month_index of the incident's date (which is precise to the day or to the month)
    actors: tuple[str, ...]  # stakeholder codes of the perpetrators; () when no authority is identified
    state: (
        str | None
    )  # the first expelling state, else the incident's country: names an unidentified perpetrator
    area: str
    codes: frozenset[str]
    people: int | None = None
    minors_involved: bool | None = None
    women: int | None = None
    injuries: bool | None = None
    medical_documented: bool | None = None
    day_known: bool = False
    place_known: bool = False
    sources: int = 1  # independent sources: distinct (organisation, kind of report)


def actor_for(incident: MatrixIncident) -> tuple[str, ...]:
    """The perpetrators a situation is keyed by: the identified stakeholders, else the state's authorities."""
    if incident.actors:
        return incident.actors
    return (f"{UNIDENTIFIED}:{incident.state}" if incident.state else UNIDENTIFIED,)


@dataclass(frozen=True, slots=True, order=True)
class SituationKey:
    actor: str
    area: str
    code: str

    @property
    def token(self) -> str:
        """The key in one URL-safe word (codes hold no '~'), for links to the records behind a number."""
        return f"{self.actor}~{self.area}~{self.code}"

    @classmethod
    def from_token(cls, token: str) -> SituationKey:
        parts = token.split("~")
        if len(parts) != 3 or not all(parts):
            raise ValueError("a situation is written actor~area~code")
        return cls(*parts)

    def matches(self, incident: MatrixIncident) -> bool:
        return (
            self.code in incident.codes and self.area == incident.area and self.actor in actor_for(incident)
        )


@dataclass(frozen=True, slots=True)
class Criterion:
    value: float  # 0 to 1
    inputs: Mapping[str, Any]  # what it was computed from, for the page and the JSON


@dataclass(frozen=True, slots=True)
class Situation:
    key: SituationKey
    actor_name: str
    area_name: str
    violence_label: str
    incidents: int
    people_affected: int
    previous_incidents: int
    criteria: Mapping[str, Criterion]
    priority: float
    monthly: tuple[int, ...]  # incidents per month of the matrix's history, oldest first

    def as_json(self, rank: int, history_start: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "actor": {
                "code": self.key.actor,
                "name": self.actor_name,
                "identified": _identified(self.key.actor),
            },
            "area": {"code": self.key.area, "name": self.area_name},
            "violence": {"code": self.key.code, "label": self.violence_label},
            "priority": round(self.priority, 4),
            "incidents": self.incidents,
            "people_affected": self.people_affected,
            "previous_incidents": self.previous_incidents,
            "criteria": {
                name: {"value": round(c.value, 4), "from": dict(c.inputs)}
                for name, c in self.criteria.items()
            },
            "monthly": {_month_label(history_start + i): n for i, n in enumerate(self.monthly)},
        }


@dataclass(frozen=True, slots=True)
class PlanEffect:
    """The incident rate in an action plan's targeted situations before and after its adoption."""

    plan_id: int
    title: str
    stakeholder: str
    adopted_on: dt.date
    before_months: tuple[int, ...]
    before_counts: tuple[int, ...]
    after_months: tuple[int, ...]
    after_counts: tuple[int, ...]

    @property
    def before_rate(self) -> float | None:
        return sum(self.before_counts) / len(self.before_counts) if self.before_counts else None

    @property
    def after_rate(self) -> float | None:
        return sum(self.after_counts) / len(self.after_counts) if self.after_counts else None

    def as_json(self) -> dict[str, Any]:
        def side(months: tuple[int, ...], counts: tuple[int, ...], rate: float | None) -> dict[str, Any]:
            return {
                "months": len(months),
                "incidents": sum(counts),
                "rate_per_month": None if rate is None else round(rate, 3),
                "by_month": {_month_label(m): n for m, n in zip(months, counts, strict=True)},
            }

        return {
            "id": self.plan_id,
            "title": self.title,
            "stakeholder": self.stakeholder,
            "adopted_on": self.adopted_on.isoformat(),
            "adoption_month_left_out": _month_label(month_index(self.adopted_on)),
            "before": side(self.before_months, self.before_counts, self.before_rate),
            "after": side(self.after_months, self.after_counts, self.after_rate),
        }


@dataclass(frozen=True, slots=True)
class Matrix:
    end_month: int
    months: int
    history_months: int
    weights: Weights
    situations: tuple[Situation, ...]  # highest priority first
    incidents: int  # incidents of the period in at least one situation
    left_out: Mapping[str, int] = field(default_factory=dict)  # incidents of the period no situation counts
    plans: tuple[PlanEffect, ...] = ()

    @property
    def start(self) -> dt.date:
        return month_start(self.end_month - self.months + 1)

    @property
    def end(self) -> dt.date:
        return _month_end(self.end_month)

    @property
    def previous_start(self) -> dt.date:
        return month_start(self.end_month - 2 * self.months + 1)

    @property
    def previous_end(self) -> dt.date:
        return _month_end(self.end_month - self.months)

    @property
    def history_start(self) -> int:
        return self.end_month - self.history_months + 1

    def history_labels(self) -> list[str]:
        return [_month_label(self.history_start + i) for i in range(self.history_months)]

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat(), "months": self.months},
            "previous_period": {
                "start": self.previous_start.isoformat(),
                "end": self.previous_end.isoformat(),
            },
            "weights": self.weights.as_dict(),
            "incidents": self.incidents,
            "left_out": dict(self.left_out),
            "situations": [s.as_json(rank, self.history_start) for rank, s in enumerate(self.situations, 1)],
            "action_plans": [plan.as_json() for plan in self.plans],
        }


def _identified(actor: str) -> bool:
    return actor != UNIDENTIFIED and not actor.startswith(UNIDENTIFIED + ":")


def _pick(words: Mapping[str, str], language: str) -> str:
    return words.get(language.replace("_", "-").split("-")[0].lower(), words["en"])


def actor_name(actor: str, names: Mapping[str, str], language: str = "en") -> str:
    if _identified(actor):
        return names.get(actor) or actor
    _, _, state = actor.partition(":")
    if not state:
        return _pick(_NOBODY_WORDS, language)
    return _pick(_UNIDENTIFIED_WORDS, language).format(country=country_name(state, language))


@dataclass(slots=True)
class _Tally:
    current: list[MatrixIncident] = field(default_factory=list)
    previous: int = 0
    monthly: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _frequency(tally: _Tally, most: int, weights: Weights) -> Criterion:
    n, previous = len(tally.current), tally.previous
    volume = math.log1p(n) / math.log1p(most) if most else 0.0
    rise = (n - previous) / (n + previous) if n + previous else 0.0
    value = (1 - weights.trend) * volume + weights.trend * (rise + 1) / 2
    return Criterion(
        value,
        {
            "incidents": n,
            "people_affected": sum(i.people or 0 for i in tally.current),
            "previous_incidents": previous,
            "change": n - previous,
            "change_percent": None if previous == 0 else round(100 * (n - previous) / previous, 1),
            "most_incidents_of_a_situation": most,
            "volume": round(volume, 4),
            "trend": round((rise + 1) / 2, 4),
        },
    )


def _intensity(code: str, incidents: list[MatrixIncident], weights: Weights) -> Criterion:
    n = len(incidents)
    severity = violence_type(code).severity
    counts = {
        "with_minors": sum(i.minors_involved is True for i in incidents),
        "with_women": sum((i.women or 0) > 0 for i in incidents),
        "with_injuries": sum(i.injuries is True for i in incidents),
        "with_medical_evidence": sum(i.medical_documented is True for i in incidents),
    }
    vulnerability = sum(_share(c, n) for c in counts.values()) / len(counts)
    value = (1 - weights.vulnerability) * severity / 5 + weights.vulnerability * vulnerability
    return Criterion(
        value, {"severity": severity, "incidents": n, **counts, "vulnerability": round(vulnerability, 4)}
    )


def _identification(actor: str, incidents: list[MatrixIncident]) -> Criterion:
    n = len(incidents)
    counts = {
        "authority_identified": n if _identified(actor) else 0,
        "day_known": sum(i.day_known for i in incidents),
        "place_known": sum(i.place_known for i in incidents),
        "corroborated": sum(i.sources > 1 for i in incidents),
    }
    value = sum(_share(c, n) for c in counts.values()) / len(counts)
    return Criterion(value, {"incidents": n, **counts})


def _influence(actor: str, stages: Mapping[str, str | None]) -> Criterion:
    if not _identified(actor):
        return Criterion(0.0, {"stakeholder": None, "stage": None})
    stage = stages.get(actor)
    return Criterion(
        ENGAGEMENT_STAGES.get(stage, ENGAGEMENT_STAGES[None]), {"stakeholder": actor, "stage": stage}
    )


def compute_matrix(
    incidents: Iterable[MatrixIncident],
    *,
    end_month: int,
    months: int = 3,
    history_months: int = 12,
    weights: Weights | None = None,
    stages: Mapping[str, str | None] | None = None,
    names: Mapping[str, str] | None = None,
    areas: BorderAreas,
    language: str = "en",
    left_out: Mapping[str, int] | None = None,
) -> Matrix:
    """The matrix of the ``months`` months ending with ``end_month`` (a :func:`month_index`), the previous period
    of the same length for the trend, and each situation's incidents per month over ``history_months``.
    ``incidents`` may hold any months; those outside these windows are ignored."""
    if months < 1:
        raise ValueError("a period is at least one month")
    weights = weights or Weights()
    stages = stages or {}
    names = names or {}
    start = end_month - months + 1
    previous_start = start - months
    history_start = end_month - history_months + 1
    tallies: dict[tuple[str, str, str], _Tally] = defaultdict(_Tally)  # plain tuples: hashed fast
    counted: set[int] = set()
    for incident in incidents:
        month = incident.month
        if month > end_month or (month < previous_start and month < history_start):
            continue
        codes = incident.codes - {NO_VIOLENCE}
        for actor in actor_for(incident):
            for code in codes:
                tally = tallies[(actor, incident.area, code)]
                if month >= start:
                    tally.current.append(incident)
                    counted.add(incident.incident_id)
                elif month >= previous_start:
                    tally.previous += 1
                if month >= history_start:
                    tally.monthly[month] += 1
    most = max((len(t.current) for t in tallies.values()), default=0)
    total = sum(getattr(weights, name) for name in CRITERIA)
    situations = []
    for parts, tally in tallies.items():
        if not tally.current:
            continue
        key = SituationKey(*parts)
        criteria = {
            "frequency": _frequency(tally, most, weights),
            "intensity": _intensity(key.code, tally.current, weights),
            "identification": _identification(key.actor, tally.current),
            "influence": _influence(key.actor, stages),
        }
        priority = sum(getattr(weights, name) * criteria[name].value for name in CRITERIA) / total
        situations.append(
            Situation(
                key=key,
                actor_name=actor_name(key.actor, names, language),
                area_name=areas.name(key.area, language),
                violence_label=violence_type(key.code).label(language),
                incidents=len(tally.current),
                people_affected=sum(i.people or 0 for i in tally.current),
                previous_incidents=tally.previous,
                criteria=criteria,
                priority=priority,
                monthly=tuple(tally.monthly.get(history_start + i, 0) for i in range(history_months)),
            )
        )
    situations.sort(key=lambda s: (-s.priority, -s.incidents, s.key))
    return Matrix(
        end_month=end_month,
        months=months,
        history_months=history_months,
        weights=weights,
        situations=tuple(situations),
        incidents=len(counted),
        left_out=dict(left_out or {}),
    )


def plan_effect(
    *,
    plan_id: int,
    title: str,
    stakeholder: str,
    adopted_on: dt.date,
    monthly: Mapping[int, int],
    window: int,
    last_month: int,
) -> PlanEffect:
    """Incidents per month in a plan's targeted situations over the ``window`` months before the month of adoption
    and the ``window`` months after it (no further than ``last_month``). The month of adoption itself is left
    out: it mixes both sides."""
    adopted = month_index(adopted_on)
    before = tuple(range(adopted - window, adopted))
    after = tuple(range(adopted + 1, min(adopted + window, last_month) + 1))
    return PlanEffect(
        plan_id=plan_id,
        title=title,
        stakeholder=stakeholder,
        adopted_on=adopted_on,
        before_months=before,
        before_counts=tuple(monthly.get(m, 0) for m in before),
        after_months=after,
        after_counts=tuple(monthly.get(m, 0) for m in after),
    )

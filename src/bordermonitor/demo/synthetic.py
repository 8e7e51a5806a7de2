"""Synthetic testimonies in interchange format v1 (METHODOLOGY §5) for the demo network and the benchmarks.

The records look like what member organisations really exchange: pushbacks and chain pushbacks on the
Balkan route and at other external borders, places within a few kilometres of real border towns, dates known
to the day, month or year, groups with unknown counts left unknown, violence typology codes that occur
together the way they do in testimonies, perpetrator stakeholders, the whole review workflow, consent choices,
and short first-person narratives in Arabic, Farsi, Pashto, Urdu, French and English with an English
translation. About one report in twenty describes an incident another organisation has also recorded (same
``incident.ref``), so cross-checking and incident counts have something to find.

Nothing here is anyone's story: narratives are assembled from templates, and the rare name in a narrative is
an obvious placeholder (``Omar Example``). The generator is pure (no Django), deterministic for a seed and
fast: every pool is built once, and a record is a few dozen look-ups.
"""

from __future__ import annotations

import heapq
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from babel import Locale

from bordermonitor.core.records import FORMAT
from bordermonitor.core.typology import violence_type, violence_types
from bordermonitor.demo.borders import (
    BASE_VIOLENCE,
    OTHER_DETAILS,
    ROUTES,
    SEA_DETAIL,
    SURROUNDINGS,
    UNITS,
    Place,
    Route,
)
from bordermonitor.demo.evidence_files import EVIDENCE_KIND_WEIGHTS, write_evidence
from bordermonitor.demo.phrases import (
    CHAIN_CLOSING,
    CLOSINGS,
    LANGUAGE_BY_NATIONALITY,
    LANGUAGES,
    NAMED,
    OPENINGS,
    PLACEHOLDER_NAMES,
    SETTING_CLOSINGS,
    TITLE_DEFAULT,
    TITLES,
    Phrase,
)
from bordermonitor.demo.violence_phrases import VIOLENCE_SENTENCES
from bordermonitor.demo.witness_phrases import (
    WITNESS_CLOSE,
    WITNESS_LOST,
    WITNESS_OPEN,
    WITNESS_OPEN_N,
    WITNESS_SAW,
    WITNESS_SAW_DEFAULT,
    WITNESS_TITLES,
)

__all__ = ["LANGUAGES", "synthetic_reports"]

# LANGUAGES (the narrative languages, in the column order of every phrase table) is defined with those
# tables in bordermonitor.demo.phrases and is part of this module's interface.

T = TypeVar("T")
_ORG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# ------------------------------------------------------------------------------------------------ pools

_ORDER = {t.code: i for i, t in enumerate(violence_types())}
_ADULT_AGES = ("18-30 years old", "20-35 years old", "between 19 and 40", "around 25")
_MIXED_AGES = ("16-45 years old", "between 5 and 40", "children, adults 20-35")
_AGE_RANGES = (_ADULT_AGES + _MIXED_AGES, _MIXED_AGES, _ADULT_AGES)  # minors unknown, some, none
_VOWELS = frozenset("AEIOUÁÀÂÉÈÊÍİÎÓÔÖÚÜ")
_GAP = "\x00"  # stands for the group size while templates are filled in advance


def _weighted(pairs: Sequence[tuple[T, int]]) -> tuple[T, ...]:
    """A look-up table where each item appears as often as its weight: one random index picks by weight."""
    return tuple(item for item, weight in pairs for _ in range(weight))


@dataclass(frozen=True, slots=True)
class _Scenario:
    """What was done, drawn in advance: violence codes and what goes with them (custody, asylum, injuries)."""

    items: tuple[tuple[str, str | None], ...]  # (code, detail) in typology order
    codes: frozenset[str]
    told: tuple[str, ...]  # codes the narrative tells, at most two, the most severe first
    severe: bool  # a code of severity 4 or more
    summary: str  # "beating, theft of belongings and cutting up the shoe soles", for media and official files
    kind: str  # incident kind: pushback, chain_pushback or detention
    taken: str  # taken_to_police_station
    hours: float | None  # detention_hours
    asylum: str  # asylum_requested
    injuries: str  # medical.injuries


Group = tuple[int | None, int | None, int | None, int | None, str, str | None]  # size, minors, women, men, …
Crew = tuple[int | None, int | None, str | None, tuple[tuple[str, str | None, str | None], ...]]


@dataclass(frozen=True, slots=True)
class _Spot:
    """A place of one border with its sentences filled in advance (country names, place name)."""

    place: Place
    points: tuple[tuple[float, float], ...]  # 256 coordinates within about 3 km of the town
    names: tuple[str | None, ...]  # location.place as documenters write it, weighted
    sized: tuple[tuple[tuple[str, str], ...], ...]  # [template][language] -> text before and after the size
    unsized: tuple[tuple[str, ...], ...]  # [template][language]
    witness_sized: tuple[tuple[str, str], ...]  # [en, fr] -> text before and after the size
    witness_unsized: tuple[str, ...]  # [en, fr]
    where: str  # "from Slovenia through Croatia to Bosnia near Bihać"
    headlines: tuple[str, str]  # media, official


@dataclass(frozen=True, slots=True)
class _Border:
    """A route with everything a record on it is drawn from."""

    route: Route
    scenarios: tuple[_Scenario, ...]
    crews: tuple[Crew, ...]  # officers (min, max, description) and perpetrators
    nationalities: tuple[tuple[str, ...], ...]
    spots: tuple[_Spot, ...]
    closings: tuple[tuple[str, ...], ...]  # weighted; [option][language]
    witness_closing: tuple[str, ...]  # [en, fr]


@dataclass(frozen=True, slots=True)
class _Pools:
    borders: tuple[_Border, ...]  # weighted
    languages: dict[str, tuple[tuple[str, int], ...]]  # by nationality: (language, column), weighted
    times: tuple[str, ...]
    groups: tuple[Group, ...]
    workflows: tuple[tuple[str, bool | None, bool | None, bool | None], ...]  # status and consent
    kinds: tuple[str, ...]
    precisions: tuple[float, ...]


def _scenario(route: Route, rng: random.Random) -> _Scenario:
    """Codes drawn with this border's probabilities, then the ones that come together in testimonies."""
    chance = {**BASE_VIOLENCE, **route.violence}
    codes = {code for code, p in chance.items() if rng.random() < p}
    if "beating" in codes:
        for code, p in (("theft_of_belongings", 0.35), ("destruction_of_belongings", 0.3), ("kicking", 0.25)):
            if rng.random() < p:
                codes.add(code)
    if "dog_attack" in codes and rng.random() < 0.5:
        codes.add("beating")
    if "forced_undressing" in codes:
        if rng.random() < 0.35:
            codes.add("exposure")
        if rng.random() < 0.4:
            codes.add("theft_of_belongings")
    if rng.random() < route.no_violence or not codes:
        codes = {"no_violence"} if rng.random() < 0.7 else {"no_violence", "collective_expulsion"}
    items: list[tuple[str, str | None]] = [(code, None) for code in sorted(codes, key=_ORDER.__getitem__)]
    if "no_violence" not in codes and rng.random() < 0.06:
        detail = SEA_DETAIL if route.setting == "sea" and rng.random() < 0.6 else rng.choice(OTHER_DETAILS)
        items.append(("other", detail))
    # Sorted, not in set order: set order changes with the interpreter's hash seed, the pools must not.
    tellable = sorted(
        (c for c in codes if c in VIOLENCE_SENTENCES and c != "collective_expulsion"),
        key=lambda c: (-violence_type(c).severity, _ORDER[c]),
    )
    more = rng.sample(tellable[1:], 1) if len(tellable) > 1 and rng.random() < 0.65 else []
    told = tuple(tellable[:1] + more)
    if not told and "collective_expulsion" in codes:
        told = ("collective_expulsion",)
    severe = any(violence_type(c).severity >= 4 for c in codes)
    labels = [detail or violence_type(code).label("en").lower() for code, detail in items]
    summary = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    kind = "chain_pushback" if len(route.expelled_by) > 1 else "pushback"
    if route.setting == "city" and rng.random() < 0.3:
        kind = "detention"  # held in the containers at the station before being sent back
    if route.setting == "sea":
        taken = "no" if rng.random() < 0.7 else "unknown"
    elif "arbitrary_detention" in codes and rng.random() < 0.7:
        taken = "yes"
    else:
        r = rng.random()
        taken = "yes" if r < 0.3 else "no" if r < 0.75 else "unknown"
    hours = None
    if taken == "yes" and rng.random() < 0.6:
        hours = float(2 + rng.randrange(14 if kind == "detention" else 46))
    r = rng.random()
    asylum = "yes" if "denial_of_asylum" in codes or r < 0.2 else "no" if r < 0.55 else "unknown"
    r = rng.random()
    if severe:
        injuries = "yes" if r < 0.75 else "unknown" if r < 0.95 else "no"
    elif "no_violence" in codes:
        injuries = "no" if r < 0.8 else "unknown"
    else:
        injuries = "no" if r < 0.4 else "yes" if r < 0.65 else "unknown"
    return _Scenario(
        tuple(items), frozenset(codes), told, severe, summary, kind, taken, hours, asylum, injuries
    )


def _crew(route: Route, rng: random.Random) -> Crew:
    """How many officers, what they looked like, and which authorities (stakeholder codes) they belong to."""
    r = rng.random()
    if r < 0.55:
        low: int | None = 2 + rng.randrange(12)
        high = low
    elif r < 0.75:
        low = 2 + rng.randrange(15)
        high = low + 1 + rng.randrange(10)
    else:
        low = high = None
    looks = route.officers
    perpetrators: list[tuple[str, str | None, str | None]] = []
    if rng.random() < 0.96:
        for authority in route.authorities:
            described = rng.choice(looks) if rng.random() < 0.3 else None
            perpetrators.append((authority, rng.choice(UNITS.get(authority, (None,))), described))
        if route.extra is not None and rng.random() < route.extra[1]:
            perpetrators.append((route.extra[0], None, None))
    return low, high, (rng.choice(looks) if rng.random() < 0.6 else None), tuple(perpetrators)


def _group(size: int | None, rng: random.Random) -> Group:
    """Counts that add up when all are known; any of them may be unknown, and unknown is not 0."""
    minors = women = men = None
    ages = None
    if size is None:
        involved = "unknown" if rng.random() < 0.8 else "yes"
    else:
        r = rng.random()
        if r < 0.62:
            minors = 0
        elif r < 0.85:
            minors = min(size, 1 + rng.randrange(max(1, size // 3)))
        room = size - (minors or 0)
        r = rng.random()
        if r < 0.72 or room == 0:
            women = 0
        elif r < 0.87:
            women = min(room, 1 + rng.randrange(max(1, room // 3)))
        if minors is not None and women is not None and rng.random() < 0.92:
            men = size - minors - women
        involved = "unknown" if minors is None else "yes" if minors else "no"
        if minors is not None and size <= 6 and rng.random() < 0.4:
            told = [rng.randint(2, 17) for _ in range(minors)] + [rng.randint(18, 47) for _ in range(room)]
            ages = ", ".join(str(age) for age in sorted(told))
    if ages is None and rng.random() < 0.25:
        ages = rng.choice(_AGE_RANGES[0 if minors is None else 1 if minors else 2])
    return size, minors, women, men, involved, ages


def _nationality_pool(route: Route, rng: random.Random) -> tuple[tuple[str, ...], ...]:
    table = _weighted(route.nationalities)
    pool: list[tuple[str, ...]] = []
    for _ in range(512):
        r = rng.random()
        wanted = 0 if r < 0.06 else 1 if r < 0.8 else 2 if r < 0.95 else 3
        picked: list[str] = []
        while len(picked) < wanted:
            code = rng.choice(table)
            if code not in picked:
                picked.append(code)
        pool.append(tuple(picked))
    return tuple(pool)


def _country_names() -> tuple[dict[str, str], ...]:
    """Names of the states of every route in each narrative language (CLDR, through babel)."""
    codes = sorted({c for r in ROUTES for c in (*r.expelled_by, r.expelled_to)})
    names = [{c: Locale.parse(language).territories[c] for c in codes} for language in LANGUAGES]
    names[0]["BA"] = "Bosnia"  # as people say it
    return tuple(names)


def _split(text: str) -> tuple[str, str]:
    before, _, after = text.partition(_GAP)
    return before, after


def _spot(route: Route, place: Place, names: tuple[dict[str, str], ...], rng: random.Random) -> _Spot:
    fr = LANGUAGES.index("fr")

    def fill(phrase: Sequence[str], column: int, language: int) -> str:
        text = phrase[column].format(
            n=_GAP,
            place=place.town,
            country=names[language][route.expelled_by[0]],
            left=names[language][route.expelled_to],
        )
        if language == fr and place.town[0] in _VOWELS:  # près d'Orestiada, not près de Orestiada
            text = text.replace(f" de {place.town}", f" d'{place.town}")
        return text

    sized, unsized = OPENINGS[route.setting]
    if route.setting == "forest" and place.country not in route.expelled_by:
        sized = ()  # "walking through the forest near Bihać when the police in Croatia caught us" is wrong
    town = place.town
    english = names[0]
    states = " through ".join(english[s] for s in route.expelled_by)
    points = tuple(
        (
            round(place.lat + (rng.random() - 0.5) * 0.05, 4),  # ±2.8 km
            round(place.lon + (rng.random() - 0.5) * 0.07, 4),  # ±2.5-3 km at these latitudes
        )
        for _ in range(256)
    )
    return _Spot(
        place=place,
        points=points,
        names=_weighted([(town, 8), (f"near {town}", 9), (f"{SURROUNDINGS[route.setting]} {town}", 3)]),
        sized=tuple(tuple(_split(fill(p, i, i)) for i in range(len(LANGUAGES))) for p in sized),
        unsized=tuple(tuple(fill(p, i, i) for i in range(len(LANGUAGES))) for p in unsized),
        witness_sized=(_split(fill(WITNESS_OPEN_N, 0, 0)), _split(fill(WITNESS_OPEN_N, 1, fr))),
        witness_unsized=(fill(WITNESS_OPEN, 0, 0), fill(WITNESS_OPEN, 1, fr)),
        where=f"from {states} to {english[route.expelled_to]} near {town}",
        headlines=(
            f"Group pushed back from {english[route.expelled_by[-1]]} to {english[route.expelled_to]} "
            f"near {town}",
            f"Complaint about a collective return near {town}",
        ),
    )


def _border(route: Route, rng: random.Random, names: tuple[dict[str, str], ...]) -> _Border:
    def fill(phrase: Sequence[str], column: int, language: int) -> str:
        return phrase[column].format(left=names[language][route.expelled_to])

    def filled(phrase: Phrase) -> tuple[str, ...]:
        return tuple(fill(phrase, i, i) for i in range(len(LANGUAGES)))

    closings: tuple[tuple[str, ...], ...]
    if len(route.expelled_by) > 1:
        closings = (filled(CHAIN_CLOSING),)
    elif route.setting == "sea":  # no border to walk back across
        closings = (filled(SETTING_CLOSINGS["sea"]),)
    elif route.setting in SETTING_CLOSINGS:  # the setting's own ending seven times in ten
        closings = (filled(SETTING_CLOSINGS[route.setting]),) * 14 + tuple(filled(p) for p in CLOSINGS) * 3
    else:
        closings = tuple(filled(p) for p in CLOSINGS)
    fr = LANGUAGES.index("fr")
    return _Border(
        route=route,
        scenarios=tuple(_scenario(route, rng) for _ in range(1024)),
        crews=tuple(_crew(route, rng) for _ in range(256)),
        nationalities=_nationality_pool(route, rng),
        spots=tuple(_spot(route, place, names, rng) for place in route.places),
        closings=closings,
        witness_closing=(fill(WITNESS_CLOSE, 0, 0), fill(WITNESS_CLOSE, 1, fr)),
    )


@cache
def _pools() -> _Pools:
    """Every table a record is drawn from, built once from a fixed seed; records vary by the caller's seed."""
    rng = random.Random(20190606)  # noqa: S311 - synthetic data, not security
    names = _country_names()
    borders = {id(route): _border(route, rng, names) for route in ROUTES}
    hours = [(f"{h:02d}", 6 if h < 6 or h >= 21 else 2) for h in range(24)]
    sizes: list[tuple[int | None, int]] = [
        (1, 5),
        (2, 9),
        (3, 10),
        (4, 10),
        (5, 9),
        (6, 8),
        (7, 7),
        (8, 7),
        (9, 5),
        (10, 5),
        (12, 4),
    ]
    sizes += [(15, 3), (18, 2), (20, 2), (25, 1), (30, 1), (40, 1), (None, 5)]
    statuses = [("approved_for_publication", 35), ("verified", 20), ("submitted", 22), ("in_review", 8)]
    statuses += [("draft", 6), ("changes_requested", 5), ("rejected", 4)]
    status_table = _weighted(statuses)
    size_table = _weighted(sizes)
    return _Pools(
        borders=_weighted([(borders[id(route)], route.weight) for route in ROUTES]),
        languages={
            c: _weighted([((lang, LANGUAGES.index(lang)), n) for lang, n in w])
            for c, w in LANGUAGE_BY_NATIONALITY.items()
        },
        times=tuple(f"{h}:{m:02d}" for h in _weighted(hours) for m in (0, 15, 30, 45, rng.randrange(60))),
        groups=tuple(_group(rng.choice(size_table), rng) for _ in range(4096)),
        workflows=tuple(_workflow(rng.choice(status_table), rng) for _ in range(1024)),
        kinds=_weighted([("testimony", 82), ("witness", 6), ("media", 7), ("official", 5)]),
        precisions=(100.0, 250.0, 500.0, 500.0, 1000.0, 1000.0, 1000.0, 2000.0, 2000.0, 5000.0),
    )


def _workflow(status: str, rng: random.Random) -> tuple[str, bool | None, bool | None, bool | None]:
    """A status and the consent given; nothing is approved for publication without consent to publish."""
    r = rng.random()
    publish = True if status == "approved_for_publication" or r < 0.7 else False if r < 0.85 else None
    r = rng.random()
    share = True if r < 0.75 else False if r < 0.9 else None
    r = rng.random()
    legal = True if r < 0.35 else False if r < 0.75 else None
    return status, publish, share, legal


_EVIDENCE_KINDS = _weighted(EVIDENCE_KIND_WEIGHTS)


# ------------------------------------------------------------------------------------------------ records


@dataclass(slots=True)
class _Shared:
    """An incident another organisation will also report, waiting for its turn in the output."""

    incident: dict[str, Any]
    border: _Border
    spot: _Spot
    scenario: _Scenario
    day: int  # ordinal of the (hidden, exact) day it happened
    organisations: set[str]


def _copy(incident: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of an incident as made here (much faster than :func:`copy.deepcopy`)."""
    copy = dict(incident)
    for key in ("location", "officers", "medical"):
        copy[key] = dict(incident[key])
    group = copy["group"] = dict(incident["group"])
    group["nationalities"], group["origin_regions"] = (
        list(group["nationalities"]),
        list(group["origin_regions"]),
    )
    copy["perpetrators"] = [dict(p) for p in incident["perpetrators"]]
    copy["violence"] = [dict(v) for v in incident["violence"]]
    copy["expelled_by"], copy["causes_of_death"] = (
        list(incident["expelled_by"]),
        list(incident["causes_of_death"]),
    )
    return copy


class _Maker:
    """Makes the records of one call: its own random streams, reference counters and incidents to share."""

    def __init__(
        self, seed: int, organisations: Sequence[str], start: date, end: date, evidence_dir: Path | None
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.rnd = self.rng.random
        # Evidence draws have their own stream, so records are the same with and without evidence files.
        self.evidence_rng = random.Random(f"evidence:{seed}")  # noqa: S311
        self.seed = seed
        self.evidence_dir = evidence_dir
        self.pools = _pools()
        self.organisations = tuple(organisations)
        self.refs = dict.fromkeys(self.organisations, 0)
        self.incidents = dict.fromkeys(self.organisations, 0)
        self.first, self.days = start.toordinal(), end.toordinal() - start.toordinal() + 1
        self.last = end.toordinal()
        self.days_seen: dict[int, str] = {}
        self.due: list[tuple[int, int, _Shared]] = []  # (position in the output, tie-break, incident): a heap
        self.scheduled = 0

    def records(self, count: int) -> Iterator[dict[str, Any]]:
        made = 0
        while made < count:
            if self.due and self.due[0][0] <= made:
                record = self._corroborating(heapq.heappop(self.due)[2])
                if record is None:
                    continue
            else:
                record = self._first_report(made)
            made += 1
            yield record

    def _day(self, ordinal: int) -> str:
        """``YYYY-MM-DD`` of a day, remembered: there are only a few thousand days in a run."""
        text = self.days_seen.get(ordinal)
        if text is None:
            text = self.days_seen[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def _first_report(self, position: int) -> dict[str, Any]:
        """A report that creates its incident; one in twenty-four gets one or two more reports later on."""
        rnd, pools = self.rnd, self.pools
        border = pools.borders[int(rnd() * len(pools.borders))]
        organisation = self.organisations[int(rnd() * len(self.organisations))]
        self.incidents[organisation] += 1
        day = self.first + int(rnd() * self.days)
        scenario = border.scenarios[int(rnd() * 1024)]
        spot = border.spots[int(rnd() * len(border.spots))]
        ref = f"{organisation}-inc-{self.incidents[organisation]:05d}"
        incident = self._incident(border, spot, day, scenario, ref)
        kind = pools.kinds[int(rnd() * len(pools.kinds))]
        if rnd() < 0.042:
            shared = _Shared(_copy(incident), border, spot, scenario, day, {organisation})
            for _ in range(1 + (rnd() < 0.25)):
                self.scheduled += 1
                heapq.heappush(self.due, (position + 1 + int(rnd() * 300), self.scheduled, shared))
        return self._report(organisation, kind, day, incident, border, spot, scenario)

    def _corroborating(self, shared: _Shared) -> dict[str, Any] | None:
        """Another organisation's report of a shared incident: a witness, or another person of the group."""
        rnd = self.rnd
        others = [o for o in self.organisations if o not in shared.organisations]
        if not others:
            if len(self.organisations) > 1:
                return None
            others = list(self.organisations)
        organisation = others[int(rnd() * len(others))]
        shared.organisations.add(organisation)
        incident = _copy(shared.incident)
        kind = "witness" if rnd() < 0.5 else "testimony"
        if kind == "witness":  # a bystander knows less about who the people were
            group = incident["group"]
            if rnd() < 0.5:
                group["nationalities"], group["origin_regions"], group["ages"] = [], [], None
            incident["asylum_requested"] = "unknown"
            incident["detention_hours"] = None
        return self._report(
            organisation, kind, shared.day, incident, shared.border, shared.spot, shared.scenario
        )

    def _incident(
        self, border: _Border, spot: _Spot, day: int, scenario: _Scenario, ref: str
    ) -> dict[str, Any]:
        """The incident as the source tells it."""
        rnd, pools, route = self.rnd, self.pools, border.route
        text = self._day(day)
        r = rnd()
        if r < 0.85:
            time = pools.times[int(rnd() * len(pools.times))] if rnd() < 0.45 else None
        else:  # known to the month or the year only
            text, time = text[:7] if r < 0.95 else text[:4], None
        size, minors, women, men, involved, ages = pools.groups[int(rnd() * 4096)]
        items, kind, injuries = scenario.items, scenario.kind, scenario.injuries
        dead = missing = survivors = None
        causes: list[str] = []
        if route.deaths and rnd() < 0.03:
            lethal = "death" if rnd() < 0.67 else "enforced_disappearance"
            kind = "death" if lethal == "death" else "disappearance"
            items = tuple(
                sorted((*(i for i in items if i[0] != "no_violence"), (lethal, None)), key=_item_order)
            )
            while size is not None and size < 3:  # someone lived to tell it
                size, minors, women, men, involved, ages = pools.groups[int(rnd() * 4096)]
            lost = 1 + (size is not None and size > 6 and rnd() < 0.3)
            if lethal == "death":
                dead, causes = lost, [route.deaths[int(rnd() * len(route.deaths))]]
            else:
                missing = lost
            survivors = None if size is None else size - lost
            injuries = "yes" if rnd() < 0.75 else "unknown"
        nationalities = list(border.nationalities[int(rnd() * 512)][:size])
        low, high, looks, crew = border.crews[int(rnd() * 256)]
        place = spot.place
        lat: float | None
        lon: float | None
        r = rnd()
        if r < 0.91:
            lat, lon = spot.points[int(rnd() * 256)]
            precision = pools.precisions[int(rnd() * 10)] if r < 0.86 else None
            name: str | None = spot.names[int(rnd() * 20)]
        else:  # no coordinates; sometimes not even a place name
            lat = lon = precision = None
            name = spot.names[int(rnd() * 20)] if r < 0.985 else None
        return {
            "ref": ref,
            "date": text,
            "time": time,
            "location": {
                "lat": lat,
                "lon": lon,
                "precision_m": precision,
                "place": name,
                "country": place.country,
                "region": place.region if rnd() < 0.9 else None,
            },
            "kind": kind,
            "expelled_by": list(route.expelled_by),
            "expelled_to": route.expelled_to,
            "group": {
                "size": size,
                "minors": minors,
                "women": women,
                "men": men,
                "minors_involved": involved,
                "ages": ages,
                "nationalities": nationalities,
                "origin_regions": ["Kurdistan Region of Iraq"]
                if "IQ" in nationalities and rnd() < 0.25
                else [],
            },
            "asylum_requested": scenario.asylum,
            "taken_to_police_station": scenario.taken,
            "detention_hours": scenario.hours,
            "officers": {"min": low, "max": high, "description": looks},
            "perpetrators": [{"authority": a, "unit": u, "description": d} for a, u, d in crew],
            "violence": [{"type": code, "detail": detail} for code, detail in items],
            "dead": dead,
            "missing": missing,
            "survivors": survivors,
            "causes_of_death": causes,
            "medical": {"injuries": injuries, "documented": None},
            "route": route.route,
        }

    def _report(
        self,
        organisation: str,
        kind: str,
        day: int,
        incident: dict[str, Any],
        border: _Border,
        spot: _Spot,
        scenario: _Scenario,
    ) -> dict[str, Any]:
        """The report around the incident: workflow, consent, title, narrative, evidence."""
        rnd, pools = self.rnd, self.pools
        recorded = self._day(max(day, min(day + int(rnd() ** 2 * 60), self.last)))
        self.refs[organisation] += 1
        ref = f"{organisation}-{recorded[:4]}-{self.refs[organisation]:05d}"
        status, publish, share, legal = pools.workflows[int(rnd() * 1024)]
        told = scenario.told
        if incident["dead"] or incident["missing"]:
            lethal = "death" if incident["dead"] else "enforced_disappearance"
            told = (lethal, *(c for c in told if c != "no_violence"))[:2]
        size = incident["group"]["size"]
        translation = None
        if kind == "testimony":
            first = incident["group"]["nationalities"]
            languages = pools.languages.get(first[0]) if first else None
            language, column = languages[int(rnd() * len(languages))] if languages else ("en", 0)
            text, translation = self._testimony(column, border, spot, size, told)
        elif kind == "witness":
            language = "fr" if rnd() < (0.7 if border.route.expelled_by == ("FR",) else 0.2) else "en"
            text, translation = self._witness(language == "fr", border, spot, size, told)
        else:
            language = "en"
            text = _public_account(kind, spot, incident, scenario)
        if kind == "testimony":
            options = TITLES.get(told[0], TITLE_DEFAULT) if told else TITLE_DEFAULT
            title = options[int(rnd() * len(options))] if rnd() < 0.96 else None
        elif kind == "witness":
            title = WITNESS_TITLES[int(rnd() * len(WITNESS_TITLES))]
        else:
            title = spot.headlines[kind == "official"]
        return {
            "format": FORMAT,
            "ref": ref,
            "organisation": organisation,
            "kind": kind,
            "recorded_on": recorded,
            "status": status,
            "consent": {"publish": publish, "share_with_network": share, "legal_use": legal},
            "title": title,
            "narrative": {"text": text, "language": language, "translation_en": translation},
            "incident": incident,
            "evidence": self._evidence(ref, incident),
            "source": {
                "name": "synthetic",
                "url": f"https://news.example.org/{ref}" if kind == "media" else None,
                "quality": None,
                "original": {},
                "unparsed": [],
            },
            # the documenter notes the names the person gave, so that no public version carries them
            "known_names": [name for name in PLACEHOLDER_NAMES if name in text],
            "public": {"title": None, "narrative": None},
        }

    def _testimony(
        self, column: int, border: _Border, spot: _Spot, size: int | None, told: tuple[str, ...]
    ) -> tuple[str, str | None]:
        """Opening, what was done (one or two sentences), ending: two to four sentences, and the English."""
        rnd = self.rnd
        if size is not None and size >= 3 and spot.sized and rnd() < 0.75:
            phrase = spot.sized[int(rnd() * len(spot.sized))]
            before, after = phrase[column]
            text = [f"{before}{size}{after}"]
            before, after = phrase[0]
            english = [f"{before}{size}{after}"]
        else:
            plain = spot.unsized[int(rnd() * len(spot.unsized))]
            text, english = [plain[column]], [plain[0]]
        for code in told:
            variants = VIOLENCE_SENTENCES[code]
            sentence = variants[int(rnd() * len(variants))]
            text.append(sentence[column])
            english.append(sentence[0])
        if rnd() < 0.01:  # a companion named, with an obviously fictitious name
            name = PLACEHOLDER_NAMES[int(rnd() * len(PLACEHOLDER_NAMES))]
            at = 2 if len(text) > 2 else len(text)
            text[at:] = [NAMED[column].format(name=name)]
            english[at:] = [NAMED[0].format(name=name)]
        closing = border.closings[int(rnd() * len(border.closings))]
        text.append(closing[column])
        english.append(closing[0])
        return " ".join(text), (" ".join(english) if column else None)

    def _witness(
        self, french: bool, border: _Border, spot: _Spot, size: int | None, told: tuple[str, ...]
    ) -> tuple[str, str | None]:
        """A bystander's account in English or French: what they saw, and where the group went."""
        saw = next((WITNESS_SAW[c] for c in told if c in WITNESS_SAW), WITNESS_SAW_DEFAULT)
        if size is not None and size >= 3:
            (before, after), (avant, apres) = spot.witness_sized
            english, french_text = f"{before}{size}{after}", f"{avant}{size}{apres}"
        else:
            english, french_text = spot.witness_unsized
        ending = WITNESS_LOST.get(told[0], border.witness_closing) if told else border.witness_closing
        english = f"{english} I saw the officers {saw[0]}. {ending[0]}"
        if not french:
            return english, None
        return f"{french_text} J'ai vu les policiers {saw[1]}. {ending[1]}", english

    def _evidence(self, ref: str, incident: dict[str, Any]) -> list[dict[str, Any]]:
        """About one report in ten has one or two files; written only when there is a directory for them."""
        rng = self.evidence_rng
        if rng.random() >= 0.1:
            r = rng.random()
            incident["medical"]["documented"] = None if r < 0.7 else False if r < 0.9 else True
            return []
        kinds = [
            _EVIDENCE_KINDS[int(rng.random() * len(_EVIDENCE_KINDS))] for _ in range(1 + (rng.random() < 0.3))
        ]
        incident["medical"]["documented"] = True if "medical_report" in kinds else None
        if self.evidence_dir is None:
            return []
        return write_evidence(self.evidence_dir, ref, kinds, random.Random(f"{self.seed}:{ref}"))  # noqa: S311


def _item_order(item: tuple[str, str | None]) -> int:
    return _ORDER[item[0]]


def _public_account(kind: str, spot: _Spot, incident: dict[str, Any], scenario: _Scenario) -> str:
    """A media article or an official file, summarised in English."""
    size = incident["group"]["size"]
    group = (
        "a group of people" if size is None else "one person" if size == 1 else f"a group of {size} people"
    )
    lost = {"death": " One person died.", "disappearance": " One person is still missing."}.get(
        incident["kind"], ""
    )
    calm = "no_violence" in scenario.codes
    if kind == "media":
        told = "says no violence was used" if calm else f"describes {scenario.summary}"
        return (
            f"A regional news site reported that {group} was pushed back {spot.where}. "
            f"The article {told}.{lost}"
        )
    told = "states that no violence was used" if calm else f"lists {scenario.summary}"
    return (
        f"An ombudsperson's case file records a complaint about {group} returned {spot.where} without any "
        f"individual procedure. The file {told}.{lost}"
    )


def synthetic_reports(
    *,
    count: int,
    seed: int = 1,
    organisations: Sequence[str] = ("nnk", "rigardu", "bvmn-demo"),
    start: date = date(2019, 1, 1),
    end: date = date(2025, 12, 31),
    evidence_dir: Path | None = None,
) -> Iterator[dict[str, Any]]:
    """``count`` synthetic reports as interchange-v1 dicts (every key present); same arguments, same records.

    Each dict is canonical: ``validate_report`` finds no issue and exports it unchanged. Incident dates fall
    between ``start`` and ``end``; reports are recorded up to two months later, never after ``end``. With
    ``evidence_dir``, about one report in ten gets one or two small files (PNG photos, PDF reports) written
    under ``evidence_dir/evidence/<ref>/`` and referenced by a path relative to ``evidence_dir`` with their
    SHA-256, so a JSONL file written in ``evidence_dir`` imports with its evidence.
    Arguments are checked before the first record is made: ``ValueError`` says which one is wrong.
    """
    if count < 0:
        raise ValueError(f"count is {count}; it must be 0 or more")
    if isinstance(organisations, str):
        raise ValueError(f"organisations is the text {organisations!r}; give a list of organisation codes")
    if not organisations:
        raise ValueError("organisations is empty; give at least one organisation code")
    for code in organisations:
        if not isinstance(code, str) or not _ORG.match(code):
            raise ValueError(
                f"organisation {code!r} is not an organisation code (lower-case letters, digits, '-', '_')"
            )
    if len(set(organisations)) != len(organisations):
        raise ValueError(f"organisations {list(organisations)!r} name an organisation twice")
    if start > end:
        raise ValueError(f"start {start.isoformat()} is after end {end.isoformat()}")
    return _Maker(seed, organisations, start, end, evidence_dir).records(count)

"""Reports of the same incidents told by several sources, with the truth known: for testing cross-checking.

An incident happens once, on one border (the routes, places, violence and narratives of
:mod:`bordermonitor.demo.synthetic`); one to four sources report it — people of the group interviewed by
different organisations (or twice by the same one), a bystander, a news article, an official file. Each
tells it the way sources do:

- the date: often the day, one or two days off (sometimes up to five), sometimes only the month, rarely
  only the year or nothing;
- the time, when told, up to an hour off (rarely four); the place up to 5 km off (sometimes 20 km: where
  the group was left rather than caught), sometimes without coordinates;
- the group size up to 30 % off or unknown; minors and women as that source knew them;
- some nationalities left out or another one added; a violence type left out or another one told;
- the expelling chain sometimes shortened to the state the source saw; perpetrators sometimes not named,
  officers described otherwise or not at all;
- each its own narrative, in the language of the person (English, French, Arabic, Farsi, Pashto, Urdu),
  with an English translation for most narratives in other languages.

And **hard negatives**: another group pushed back the same night at the same crossing, by the same
authorities, which must not be taken for the same incident.

:func:`duplicate_reports` gives the interchange-v1 dicts (each report its own ``incident.ref``, so an import
links nothing by itself), the :class:`~bordermonitor.core.linkage.LinkRecord` of each, and the truth: which
true incident each report describes. Deterministic for a seed; no real person appears.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date
from typing import Any

from bordermonitor.core.areas import BorderAreas, border_areas
from bordermonitor.core.linkage import (
    LinkRecord,
    LinkTable,
    Scorer,
    block_pair_arrays,
    block_pairs,
    neighbour_counts,
    pair_neighbours,
)
from bordermonitor.demo.synthetic import _ORDER, _Border, _Maker, _Scenario, _Spot

__all__ = [
    "TRAINING_SETS",
    "DuplicateSet",
    "considered_pairs",
    "duplicate_reports",
    "labelled_pairs",
    "train_model",
]

_SOURCES = (1,) * 55 + (2,) * 25 + (3,) * 13 + (4,) * 7  # reports per incident
_LATER_KINDS = ("testimony",) * 60 + ("witness",) * 25 + ("media",) * 8 + ("official",) * 7
_DAY_SHIFT = (0,) * 11 + (1, -1) * 3 + (2, -2) * 1  # told day against the true day
_KM_PER_DEGREE = 111.2


@dataclass(frozen=True, slots=True)
class DuplicateSet:
    """Generated reports and the truth about them.

    ``reports[k]`` is an interchange-v1 dict and ``records[k]`` its link record (report id ``k + 1``, its
    own incident id ``k + 1``, as after an import); ``truth`` maps report id → true incident number and
    ``truth_by_ref`` (organisation, ref) → the same number, for reports imported into a database;
    ``decoys`` maps each hard-negative incident to the incident it was made to resemble.
    """

    reports: list[dict[str, Any]]
    records: list[LinkRecord]
    truth: dict[int, int]
    truth_by_ref: dict[tuple[str, str], int]
    decoys: dict[int, int]

    def true_pairs(self) -> set[tuple[int, int]]:
        """Every pair of report ids (smaller first) that describe the same incident."""
        by_incident: dict[int, list[int]] = {}
        for report, incident in self.truth.items():
            by_incident.setdefault(incident, []).append(report)
        return {(a, b) for ids in by_incident.values() for a in sorted(ids) for b in sorted(ids) if a < b}


@dataclass(slots=True)
class _Truth:
    number: int
    border: _Border
    spot: _Spot
    scenario: _Scenario
    day: int
    time: int | None  # minutes after midnight
    lat: float
    lon: float
    base: dict[str, Any]  # the incident as the synthetic generator draws it


class _Teller:
    """Draws true incidents and the reports of their sources."""

    def __init__(self, seed: int, organisations: Sequence[str], start: date, end: date) -> None:
        self.maker = _Maker(seed, organisations, start, end, None)
        self.rng = random.Random(f"duplicates:{seed}")  # noqa: S311 - synthetic data, not security
        self.organisations = tuple(organisations)
        self.numbers = 0

    def incident(self, like: _Truth | None = None) -> _Truth:
        """A true incident; ``like``: a hard negative of it (same night, same crossing, another group)."""
        rng, pools = self.rng, self.maker.pools
        self.numbers += 1
        if like is None:
            border = pools.borders[int(rng.random() * len(pools.borders))]
            spot = border.spots[int(rng.random() * len(border.spots))]
            day = self.maker.first + int(rng.random() * self.maker.days)
            lat, lon = spot.points[int(rng.random() * len(spot.points))]
            time = _minutes(pools.times[int(rng.random() * len(pools.times))])
        else:
            border, spot, day = like.border, like.spot, like.day
            lat, lon = _moved(like.lat, like.lon, 0.5 + 2.5 * rng.random(), rng)
            time = None if like.time is None else (like.time + rng.randrange(-120, 121, 15)) % 1440
        scenario = border.scenarios[int(rng.random() * len(border.scenarios))]
        base = self.maker._incident(border, spot, day, scenario, "x")
        return _Truth(self.numbers, border, spot, scenario, day, time, lat, lon, base)

    def reports(self, truth: _Truth, sources: int) -> list[dict[str, Any]]:
        rng, maker = self.rng, self.maker
        told: list[dict[str, Any]] = []
        organisation = self.organisations[int(rng.random() * len(self.organisations))]
        for number in range(sources):
            if number == 0:
                kind = maker.pools.kinds[int(rng.random() * len(maker.pools.kinds))]
            else:
                kind = _LATER_KINDS[int(rng.random() * len(_LATER_KINDS))]
                others = [o for o in self.organisations if o != organisation]
                if others and rng.random() < 0.8:
                    organisation = others[int(rng.random() * len(others))]
            incident, scenario = self._tell(truth, kind)
            maker.incidents[organisation] += 1
            incident["ref"] = f"{organisation}-inc-{maker.incidents[organisation]:06d}"
            day = truth.day
            report = maker._report(organisation, kind, day, incident, truth.border, truth.spot, scenario)
            narrative = report["narrative"]
            if narrative["translation_en"] and rng.random() < 0.3:
                narrative["translation_en"] = None  # not translated (yet)
            told.append(report)
        return told

    def _tell(self, truth: _Truth, kind: str) -> tuple[dict[str, Any], _Scenario]:
        """The incident as one source tells it: the true one with that source's gaps and errors."""
        rng = self.rng
        incident = _copy(truth.base)
        incident["date"] = _told_date(truth.day, rng)
        told_time = truth.time is not None and incident["date"] and len(incident["date"]) == 10
        if told_time and rng.random() < 0.55:
            r = rng.random()
            shift = rng.randrange(-60, 61, 15) if r < 0.4 else rng.randrange(-240, 241, 60) if r < 0.44 else 0
            minutes = (truth.time or 0) + shift
            incident["time"] = f"{minutes % 1440 // 60:02d}:{minutes % 60:02d}"
        else:
            incident["time"] = None
        location = incident["location"]
        r = rng.random()
        if r < 0.92:
            km = 5.0 * rng.random() if r < 0.88 else 5.0 + 15.0 * rng.random()  # far: where they were left
            location["lat"], location["lon"] = _moved(truth.lat, truth.lon, km, rng)
            location["precision_m"] = location["precision_m"] or 1000.0
        else:
            location["lat"] = location["lon"] = location["precision_m"] = None
            if r > 0.99:
                location["country"] = location["place"] = None
        chain = incident["expelled_by"]
        if len(chain) > 1 and rng.random() < 0.1:
            incident["expelled_by"] = chain[-1:]  # the state the source saw
        witness = kind in ("witness", "media", "official")
        incident["group"] = _group(incident["group"], truth.border, witness, rng)
        scenario = _violence(incident, truth, rng)
        officers = incident["officers"]
        r = rng.random()
        looks = truth.border.route.officers
        if officers["description"] is not None and r < 0.3:  # seen otherwise, or not said
            officers["description"] = looks[int(rng.random() * len(looks))] if r < 0.15 else None
        elif officers["description"] is None and r < 0.1:
            officers["description"] = looks[int(rng.random() * len(looks))]
        perpetrators = incident["perpetrators"]
        r = rng.random()
        if r < 0.08:
            incident["perpetrators"] = []
        elif r < 0.14 and len(perpetrators) > 1:
            incident["perpetrators"] = perpetrators[:-1]
        return incident, scenario


def _copy(incident: dict[str, Any]) -> dict[str, Any]:
    copy = dict(incident)
    for key in ("location", "officers", "medical", "group"):
        copy[key] = dict(incident[key])
    copy["group"]["nationalities"] = list(incident["group"]["nationalities"])
    copy["group"]["origin_regions"] = list(incident["group"]["origin_regions"])
    copy["perpetrators"] = [dict(p) for p in incident["perpetrators"]]
    copy["violence"] = [dict(v) for v in incident["violence"]]
    copy["expelled_by"] = list(incident["expelled_by"])
    copy["causes_of_death"] = list(incident["causes_of_death"])
    return copy


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _told_date(day: int, rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.0005:  # the date not said at all: rare (every synthetic report knows at least the year)
        return None
    if r < 0.0105:
        return date.fromordinal(day).isoformat()[:4]
    if r < 0.0905:
        return date.fromordinal(day).isoformat()[:7]
    if r < 0.1105:  # "about a week ago"
        return date.fromordinal(day + rng.choice((-5, -4, -3, 3, 4, 5))).isoformat()
    return date.fromordinal(day + _DAY_SHIFT[int(rng.random() * len(_DAY_SHIFT))]).isoformat()


def _moved(lat: float, lon: float, km: float, rng: random.Random) -> tuple[float, float]:
    bearing = rng.random() * 2 * math.pi
    north = km * math.cos(bearing) / _KM_PER_DEGREE
    east = km * math.sin(bearing) / (_KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + north, 4), round(lon + east, 4)


def _group(group: dict[str, Any], border: _Border, witness: bool, rng: random.Random) -> dict[str, Any]:
    """The group as one source counts it: size up to 30 % off, composition and nationalities as known."""
    size, minors, women = group["size"], group["minors"], group["women"]
    if size is not None:
        if rng.random() < (0.35 if witness else 0.12):
            size = None
        elif size > 1 and rng.random() < 0.5:
            size = max(1, round(size * (1 + rng.uniform(-0.3, 0.3))))
    if size is None or rng.random() < 0.15:
        minors = women = None
    else:
        minors = None if minors is None else min(minors, size)
        women = None if women is None else min(women, size - (minors or 0))
    men = None
    if size is not None and minors is not None and women is not None and group["men"] is not None:
        men = size - minors - women
    involved = group["minors_involved"] if minors is None else "yes" if minors else "no"
    if minors is None and rng.random() < 0.3:
        involved = "unknown"
    if involved != "unknown" and rng.random() < 0.04:  # a child not seen, or a youth taken for one
        minors, men = None, None
        involved = "no" if involved == "yes" else "yes"
    if women is not None and rng.random() < 0.04:
        women, men = (0 if women else 1), None
    nationalities = list(group["nationalities"])
    r = rng.random()
    if witness and r < 0.5:
        nationalities = []
    elif r < 0.08 and nationalities:
        nationalities = nationalities[:-1]
    elif r < 0.19 and nationalities:  # taken for another nationality
        pool = border.nationalities[int(rng.random() * len(border.nationalities))]
        nationalities = [c for c in pool if c not in nationalities][:1]
    elif r < 0.27:
        pool = border.nationalities[int(rng.random() * len(border.nationalities))]
        extra = [c for c in pool if c not in nationalities][:1]
        nationalities = nationalities[: 2 if len(nationalities) > 2 else len(nationalities)] + extra
    return {
        "size": size,
        "minors": minors,
        "women": women,
        "men": men,
        "minors_involved": involved,
        "ages": group["ages"] if size == group["size"] else None,
        "nationalities": nationalities,
        "origin_regions": group["origin_regions"] if nationalities else [],
    }


def _violence(incident: dict[str, Any], truth: _Truth, rng: random.Random) -> _Scenario:
    """Violence as one source tells it: a type sometimes left out, sometimes another one added."""
    items = [(v["type"], v["detail"]) for v in incident["violence"]]
    kept = [
        item
        for item in items
        if item[0] in ("no_violence", "death", "enforced_disappearance") or rng.random() < 0.87
    ]
    if not kept:
        kept = items[:1]
    if rng.random() < 0.15 and not any(code == "no_violence" for code, _ in kept):
        other = truth.border.scenarios[int(rng.random() * len(truth.border.scenarios))]
        extra = [
            item for item in other.items if item[0] not in {c for c, _ in kept} and item[0] != "no_violence"
        ]
        kept += extra[:1]
    kept.sort(key=lambda item: _ORDER[item[0]])
    incident["violence"] = [{"type": code, "detail": detail} for code, detail in kept]
    codes = {code for code, _ in kept}
    told = tuple(code for code in truth.scenario.told if code in codes) or truth.scenario.told[:1]
    return dataclasses.replace(truth.scenario, told=told)


def duplicate_reports(
    *,
    count: int,
    seed: int = 1,
    organisations: Sequence[str] = ("nnk", "rigardu", "bvmn-demo", "mvi"),
    start: date = date(2019, 1, 1),
    end: date = date(2025, 12, 31),
    hard_negatives: float = 0.12,
    areas: BorderAreas | None = None,
    keep_reports: bool = True,
) -> DuplicateSet:
    """``count`` reports of incidents told by one to four sources each, with hard negatives, and the truth.

    ``hard_negatives`` is the share of incidents that get a decoy: another group pushed back the same
    night within 3 km by the same authorities. ``areas`` assigns the border-area codes (the shipped areas
    by default). With ``keep_reports=False`` only the link records and the truth are kept (for millions of
    reports; ``reports`` and ``truth_by_ref`` are then empty). Reports come in the order they were made, the
    sources of an incident together. Same arguments, same result. Arguments are checked first: ``ValueError`` names the wrong one.
    """
    if count < 0:
        raise ValueError(f"count is {count}; it must be 0 or more")
    if not 0 <= hard_negatives <= 1:
        raise ValueError(f"hard_negatives is {hard_negatives}; it must be a share from 0 to 1")
    if start > end:
        raise ValueError(f"start {start.isoformat()} is after end {end.isoformat()}")
    teller = _Teller(seed, organisations, start, end)
    areas = areas or border_areas()
    reports: list[dict[str, Any]] = []
    records: list[LinkRecord] = []
    truth: dict[int, int] = {}
    by_ref: dict[tuple[str, str], int] = {}
    decoys: dict[int, int] = {}
    waiting: list[tuple[dict[str, Any], int]] = []

    def flush() -> None:
        places = [
            (
                r["incident"]["location"]["lat"],
                r["incident"]["location"]["lon"],
                r["incident"]["location"]["country"],
            )
            for r, _ in waiting
        ]
        for (report, number), code in zip(waiting, areas.assign_many(places), strict=True):
            report_id = len(records) + 1
            records.append(
                LinkRecord.from_interchange(report, report_id=report_id, incident_id=report_id, area=code)
            )
            truth[report_id] = number
            if keep_reports:
                reports.append(report)
                by_ref[report["organisation"], report["ref"]] = number
        waiting.clear()

    made = 0
    while made < count:
        truth_ = teller.incident()
        told = [
            (report, truth_.number)
            for report in teller.reports(truth_, _SOURCES[int(teller.rng.random() * len(_SOURCES))])
        ]
        if teller.rng.random() < hard_negatives:
            decoy = teller.incident(like=truth_)
            decoys[decoy.number] = truth_.number
            told += [
                (report, decoy.number) for report in teller.reports(decoy, 1 + (teller.rng.random() < 0.3))
            ]
        told = told[: count - made]  # the last incident may lose sources to the count
        made += len(told)
        waiting += told
        if len(waiting) >= 20000:
            flush()
    flush()
    kept = set(truth.values())
    return DuplicateSet(
        reports=reports,
        records=records,
        truth=truth,
        truth_by_ref=by_ref,
        decoys={d: t for d, t in decoys.items() if d in kept and t in kept},
    )


def considered_pairs(
    truth: Mapping[int, int], organisation: Mapping[int, str], shared: Set[int]
) -> set[tuple[int, int]]:
    """The true pairs (report ids, smaller first) cross-checking may consider under the sharing rules: two
    reports of one organisation, or of two when both are shared with the network. ``truth``: report id → true
    incident; ``organisation``: report id → its organisation; ``shared``: the reports the network sees."""
    groups: dict[int, list[int]] = {}
    for report in sorted(truth):
        groups.setdefault(truth[report], []).append(report)
    return {
        (a, b)
        for members in groups.values()
        for k, a in enumerate(members)
        for b in members[k + 1 :]
        if organisation[a] == organisation[b] or {a, b} <= shared
    }


def labelled_pairs(data: DuplicateSet) -> Iterator[tuple[LinkRecord, LinkRecord, bool]]:
    """Every blocked pair of the generated reports with its true label (the same incident or not)."""
    records, truth = data.records, data.truth
    for i, j in block_pairs(records):
        yield records[i], records[j], truth[i + 1] == truth[j + 1]


TRAINING_SETS = ((20000, 2024), (60000, 2025))
"""The generated sets the shipped model is trained on, ``(reports, seed)``: two densities (about 8 and 23 reports
a day on the demo borders), so the priors learn how the same incident gets rarer as reports get denser."""


def train_model(*, sets: Sequence[tuple[int, int]] = TRAINING_SETS) -> Scorer:
    """The shipped linkage model: calibrated on every blocked pair of each generated set of ``sets``, each pair
    with its density (the two reports' neighbour counts in its set)."""
    pairs: list[tuple[LinkRecord, LinkRecord, bool]] = []
    densities: list[float | None] = []
    for count, seed in sets:
        data = duplicate_reports(count=count, seed=seed, keep_reports=False)
        table = LinkTable(data.records)
        table.neighbours = neighbour_counts(table)
        records, truth = data.records, data.truth
        for left, right in block_pair_arrays(table):
            densities += pair_neighbours(table, left, right).tolist()
            pairs += [
                (records[i], records[j], truth[i + 1] == truth[j + 1])
                for i, j in zip(left.tolist(), right.tolist(), strict=True)
            ]
    fitted = Scorer.fit(pairs, densities=densities)
    trained = {
        **fitted.trained,
        "generator": "bordermonitor.demo.duplicates",
        "sets": [list(s) for s in sets],
    }
    return Scorer(
        prior=fitted.priors, m=fitted.m, u=fitted.u, text=fitted.text, trained=trained, density=fitted.density
    )

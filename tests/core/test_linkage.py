"""Record linkage for cross-checking: blocking, the explained Fellegi–Sunter score, calibration, the generator."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.core.linkage import (
    DEFAULT_THRESHOLD,
    FIELDS,
    PLACE_RADIUS_KM,
    UNBOUNDED_WINDOW,
    LinkageError,
    LinkRecord,
    LinkTable,
    Scorer,
    TextModel,
    block_pairs,
    candidate_box,
    candidate_dates,
    default_scorer,
    evaluate,
    may_match,
    neighbour_counts,
    pair_neighbours,
    propose,
    window_days,
)
from bordermonitor.core.linkage_text import _hash_one, normalise, trigrams
from bordermonitor.core.validation import validate_report
from bordermonitor.demo.duplicates import DuplicateSet, duplicate_reports, labelled_pairs, train_model

COUNT = 3000
SCORER = default_scorer()


@pytest.fixture(scope="module")
def data() -> DuplicateSet:
    return duplicate_reports(count=COUNT, seed=41)


@pytest.fixture(scope="module")
def proposed(data: DuplicateSet) -> list[tuple[int, int, float]]:
    out = []
    for i, j, score in propose(data.records):
        out += zip((i + 1).tolist(), (j + 1).tolist(), score.tolist(), strict=True)
    return out


def record(**changes: object) -> LinkRecord:
    base = LinkRecord(
        report_id=1,
        organisation="nnk",
        ref="nnk-2020-00001",
        kind="testimony",
        incident_id=1,
        date=dt.date(2020, 5, 3),
        precision="day",
        time="04:30",
        lat=45.1847,
        lon=15.8058,
        area="hr-ba-una-sana",
        country="BA",
        expelled_by=("HR",),
        expelled_to="BA",
        group_size=8,
        minors=2,
        women=1,
        men=5,
        minors_involved=True,
        nationalities=frozenset({"AF"}),
        violence=frozenset({"beating", "theft_of_belongings"}),
        perpetrators=frozenset({"HR-police"}),
        officers_description="black uniforms, balaclavas",
        text="They beat us with batons near Velika Kladuša and took our phones.",
        text_language="en",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ quality


def test_blocking_and_scoring_find_the_same_incidents_on_generated_reports(
    data: DuplicateSet, proposed: list[tuple[int, int, float]]
) -> None:
    result = evaluate(((a, b) for a, b, _ in proposed), data.truth)
    print(f"\nlinkage on {COUNT} generated reports at threshold {DEFAULT_THRESHOLD}: {result}")
    assert result["true_pairs"] > 1000  # enough duplicates for the figures to mean something
    assert result["precision"] >= 0.95
    assert result["recall"] >= 0.90
    assert all(score >= DEFAULT_THRESHOLD for _, _, score in proposed)


def test_blocking_keeps_nearly_every_true_pair_and_never_compares_all_pairs(data: DuplicateSet) -> None:
    blocked = {(i + 1, j + 1) for i, j in block_pairs(data.records)}
    true = data.true_pairs()
    assert len(true & blocked) >= 0.98 * len(true)
    assert len(blocked) < 0.01 * COUNT * (COUNT - 1) / 2


def test_hard_negatives_are_mostly_rejected(
    data: DuplicateSet, proposed: list[tuple[int, int, float]]
) -> None:
    def decoy_pair(a: int, b: int) -> bool:
        ta, tb = data.truth[a], data.truth[b]
        return data.decoys.get(ta) == tb or data.decoys.get(tb) == ta

    blocked = [(i + 1, j + 1) for i, j in block_pairs(data.records) if decoy_pair(i + 1, j + 1)]
    taken = [(a, b) for a, b, _ in proposed if decoy_pair(a, b)]
    assert len(blocked) > 100  # same night, same crossing: blocking lets them through
    assert len(taken) <= 0.1 * len(blocked)


# ------------------------------------------------------------------------------------------- explanation


def test_every_agreement_is_explained_and_adds_up_to_the_score(data: DuplicateSet) -> None:
    pairs = list(block_pairs(data.records))[:300]
    for i, j in pairs:
        comparison = SCORER.compare(data.records[i], data.records[j])
        assert list(comparison.agreements) == list(FIELDS)
        total = math.log2(comparison.prior / (1 - comparison.prior))
        for field, agreement in comparison.agreements.items():
            assert agreement.level in (*FIELDS[field], "unknown")
            assert agreement.weight == SCORER.weight(field, agreement.level)
            if agreement.level != "unknown":
                m, u = SCORER.m[field][agreement.level], SCORER.u[field][agreement.level]
                assert agreement.weight == pytest.approx(math.log2(m / u))
            total += agreement.weight
        assert comparison.log_odds == pytest.approx(total)
        assert comparison.score == pytest.approx(1 / (1 + 2**-total))
        shown = json.loads(json.dumps(comparison.as_json()))
        assert set(shown) >= {"score", "agreements"}
        assert set(shown["agreements"]) == set(FIELDS)
        for entry in shown["agreements"].values():
            assert set(entry) >= {"level", "weight", "a", "b"}


def test_a_close_pair_is_explained_field_by_field() -> None:
    a = record()
    b = record(
        report_id=2, date=dt.date(2020, 5, 4), lat=45.19, group_size=9, nationalities=frozenset({"AF", "PK"})
    )
    comparison = SCORER.compare(a, b)
    levels = {field: agreement.level for field, agreement in comparison.agreements.items()}
    assert levels["date"] == "1_day"
    assert levels["place"] == "within_1_km"
    assert levels["group_size"] == "within_20_pct"
    assert levels["nationalities"] == "overlap"
    assert levels["violence"] == "same"
    assert comparison.agreements["date"].a == "2020-05-03"
    assert comparison.agreements["date"].b == "2020-05-04"
    assert comparison.agreements["nationalities"].b == ["AF", "PK"]
    assert comparison.score >= DEFAULT_THRESHOLD
    far = SCORER.compare(
        a,
        record(
            report_id=3, group_size=30, violence=frozenset({"dog_attack"}), nationalities=frozenset({"MA"})
        ),
    )
    assert far.score < DEFAULT_THRESHOLD
    assert far.agreements["violence"].weight < 0


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("date", {"date": None, "precision": None}),
        ("time", {"time": None}),
        ("place", {"lat": None, "lon": None, "country": None, "area": "unknown"}),
        ("expelled_by", {"expelled_by": ()}),
        ("expelled_to", {"expelled_to": None}),
        ("group_size", {"group_size": None}),
        ("minors", {"minors": None, "minors_involved": None}),
        ("women", {"women": None}),
        ("nationalities", {"nationalities": frozenset()}),
        ("violence", {"violence": frozenset()}),
        ("perpetrators", {"perpetrators": frozenset()}),
        ("officers", {"officers_description": None}),
        ("narrative", {"text": None, "text_language": None}),
    ],
)
def test_an_unknown_value_says_unknown_and_weighs_nothing(field: str, changes: dict[str, object]) -> None:
    a = record()
    b = record(report_id=2, date=dt.date(2020, 5, 4), lat=45.19, group_size=9)
    known = SCORER.compare(a, b)
    close: dict[str, object] = {"report_id": 2, "date": dt.date(2020, 5, 4), "lat": 45.19, "group_size": 9}
    unknown = SCORER.compare(a, record(**{**close, **changes}))
    assert unknown.agreements[field].level == "unknown"
    assert unknown.agreements[field].weight == 0.0
    for other in FIELDS:
        if other != field:
            assert unknown.agreements[other] == known.agreements[other]
    # the missing value moves the log-odds by its weight and nothing else (a date or a place also changes
    # the prior: such a pair is compared among many more)
    shift = math.log2(unknown.prior / (1 - unknown.prior)) - math.log2(known.prior / (1 - known.prior))
    assert unknown.log_odds == pytest.approx(known.log_odds - known.agreements[field].weight + shift)
    if field not in ("date", "place"):
        assert shift == 0


def test_narratives_in_different_languages_are_not_compared() -> None:
    a = record()
    b = record(report_id=2, text="Ils nous ont frappés près de Velika Kladuša.", text_language="fr")
    assert SCORER.compare(a, b).agreements["narrative"].level == "unknown"
    c = record(report_id=3, text="They beat us with batons near Velika Kladuša and took our phones!")
    same = SCORER.compare(a, c).agreements["narrative"]
    assert same.level == "very_similar"
    assert same.measure is not None and same.measure > 0.9


# ------------------------------------------------------------------------------------------- calibration


def test_fit_on_labels_moves_the_weights_the_way_the_labels_say(data: DuplicateSet) -> None:
    pairs = list(labelled_pairs(data))
    fitted = Scorer.fit(pairs)
    weights = fitted.weights()
    assert weights["date"]["same_day"] > 0 > weights["date"]["far"]
    assert weights["violence"]["same"] > 0 > weights["violence"]["disjoint"]
    assert weights["group_size"]["same"] > weights["group_size"]["far"]
    # reviewers keep confirming pairs whose group sizes are far apart: that level weighs less against
    confirmed = [
        (a, dataclasses.replace(b, group_size=(a.group_size or 1) * 3), True)
        for a, b, same in pairs
        if same and a.group_size is not None and b.group_size is not None
    ][:200]
    moved = Scorer.fit(confirmed, base=SCORER)
    assert moved.weight("group_size", "far") > SCORER.weight("group_size", "far")
    assert moved.priors == SCORER.priors and moved.text is SCORER.text
    # a handful of labels moves little; a level nobody labelled keeps about the base's weight
    few = Scorer.fit(confirmed[:3], base=SCORER)
    assert abs(few.weight("group_size", "far") - SCORER.weight("group_size", "far")) < abs(
        moved.weight("group_size", "far") - SCORER.weight("group_size", "far")
    )
    assert few.weight("date", "same_year") == pytest.approx(SCORER.weight("date", "same_year"), abs=0.5)


def test_fitted_weights_never_rise_as_agreement_loosens(data: DuplicateSet) -> None:
    fitted = Scorer.fit(labelled_pairs(data))
    for field in ("time", "group_size", "nationalities", "violence", "perpetrators", "narrative"):
        weights = [fitted.weight(field, level) for level in FIELDS[field]]
        assert weights == sorted(weights, reverse=True), field
    distances = ["within_1_km", "within_3_km", "within_10_km", "within_25_km", "far"]
    weights = [fitted.weight("place", level) for level in distances]
    assert weights == sorted(weights, reverse=True)


def test_the_model_round_trips_through_json() -> None:
    data = SCORER.to_json()
    again = Scorer.from_json(json.loads(json.dumps(data)))
    assert again.to_json() == data
    a, b = record(), record(report_id=2, date=dt.date(2020, 5, 5), group_size=None)
    assert again.compare(a, b) == SCORER.compare(a, b)


def test_a_model_without_density_still_loads_and_keeps_its_priors_at_any_density() -> None:
    older = SCORER.to_json()
    older["format"] = "bordermonitor/linkage-model@1"
    del older["density"]
    model = Scorer.from_json(older)
    a, b = record(), record(report_id=2, date=dt.date(2020, 5, 5))
    assert model.density == {"slope": 0.0, "reference": 1.0}
    sparse = model.compare_many(a, [b], record_neighbours=1, neighbours=[1])[0]
    dense = model.compare_many(a, [b], record_neighbours=5000, neighbours=[5000])[0]
    assert sparse.score == dense.score == model.compare(a, b).score


# ------------------------------------------------------------------------------------------------ density


def test_the_same_pair_is_less_likely_one_incident_where_reports_are_denser() -> None:
    a = record()
    b = record(
        report_id=2,
        date=dt.date(2020, 5, 5),
        group_size=14,
        nationalities=frozenset({"SY"}),
        time=None,
        officers_description=None,
        text=None,
    )
    reference = SCORER.density["reference"]
    unknown = SCORER.compare(a, b)
    assert unknown.neighbours is None
    assert unknown.prior == pytest.approx(SCORER.priors["dated_and_placed"], rel=1e-12)
    at_reference = SCORER.compare_many(a, [b], record_neighbours=round(reference), neighbours=[None])[0]
    assert at_reference.score == pytest.approx(unknown.score, abs=0.01)
    scores = []
    for crowd in (1, 10, 100, 1000, 10000):
        compared = SCORER.compare_many(a, [b], record_neighbours=crowd, neighbours=[crowd])[0]
        assert compared.neighbours == crowd
        # the explanation adds up: the prior's log-odds moved by the density, plus the same weights
        weights = sum(agreement.weight for agreement in compared.agreements.values())
        assert compared.log_odds == pytest.approx(math.log2(compared.prior / (1 - compared.prior)) + weights)
        assert [x.weight for x in compared.agreements.values()] == [
            x.weight for x in unknown.agreements.values()
        ]
        scores.append(compared.score)
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] + 0.3
    # one count known: the pair takes it; both: their geometric mean
    table = LinkTable([a, b])
    table.neighbours[:] = [16, -1]
    assert pair_neighbours(table, np.array([0]), np.array([1])).tolist() == [16.0]
    table.neighbours[:] = [4, 64]
    assert pair_neighbours(table, np.array([0]), np.array([1])).tolist() == [16.0]


def test_training_learns_that_the_same_incident_gets_rarer_as_reports_get_denser() -> None:
    sets = ((1500, 5), (6000, 6))  # about 0.6 and 2.3 reports a day over seven years
    model = train_model(sets=sets)
    assert -2.0 <= model.density["slope"] < -0.3
    # the same labelled pairs fitted without their densities: one prior per class, whatever the density
    flat = Scorer.fit(
        [pair for count, seed in sets for pair in labelled_pairs(duplicate_reports(count=count, seed=seed))]
    )
    assert flat.density["slope"] == 0.0
    dense = duplicate_reports(count=6000, seed=8, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    found = {}
    for name, scorer in (("density", model), ("flat", flat)):
        pairs = [(i + 1, j + 1) for i, j, _ in _flat(propose(dense.records, scorer=scorer))]
        found[name] = evaluate(pairs, dense.truth)
    # at about 16 reports a day, seven times denser than the training: half the wrong proposals, most of the
    # right ones still found
    assert found["density"]["false_positives"] < 0.6 * found["flat"]["false_positives"]
    assert found["density"]["precision"] > found["flat"]["precision"] + 0.05
    assert found["density"]["recall"] > found["flat"]["recall"] - 0.05


def test_propose_counts_the_neighbours_when_the_table_has_none(data: DuplicateSet) -> None:
    records = data.records[:800]
    counted = LinkTable(records)
    counted.neighbours = neighbour_counts(counted)
    given = set(_flat(propose(counted)))
    assert set(_flat(propose(LinkTable(records)))) == given
    none = LinkTable(records)
    none.neighbours[:] = 0  # counted as if alone: a higher prior, so more pairs proposed
    assert len(set(_flat(propose(none)))) > len(given)


def _flat(chunks: object) -> list[tuple[int, int, float]]:
    out: list[tuple[int, int, float]] = []
    for i, j, score in chunks:  # type: ignore[attr-defined]
        out += zip(i.tolist(), j.tolist(), score.tolist(), strict=True)
    return out


def test_a_broken_model_is_refused_with_the_field_named() -> None:
    data = SCORER.to_json()
    broken = json.loads(json.dumps(data))
    broken["fields"]["date"]["same_day"]["u"] = 0
    with pytest.raises(LinkageError, match=r"date\.same_day\.u"):
        Scorer.from_json(broken)
    broken = json.loads(json.dumps(data))
    del broken["fields"]["violence"]
    with pytest.raises(LinkageError, match="violence"):
        Scorer.from_json(broken)
    broken = json.loads(json.dumps(data))
    broken["prior"]["no_date"] = 1.5
    with pytest.raises(LinkageError, match=r"prior\.no_date"):
        Scorer.from_json(broken)
    with pytest.raises(LinkageError, match="format"):
        Scorer.from_json({"fields": {}})
    broken = json.loads(json.dumps(data))
    broken["density"]["slope"] = 0.5
    with pytest.raises(LinkageError, match=r"density\.slope"):
        Scorer.from_json(broken)


# ------------------------------------------------------------------------------------------------ blocking


def test_blocking_windows_grow_with_imprecision() -> None:
    day = record()
    month = record(date=dt.date(2020, 5, 1), precision="month")
    year = record(date=dt.date(2020, 1, 1), precision="year")
    undated = record(date=None, precision=None)
    assert (
        window_days(day) < window_days(month) < window_days(year) < window_days(undated) == UNBOUNDED_WINDOW
    )
    assert may_match(day, record(date=dt.date(2020, 5, 9)))  # 6 days: both windows of 3 days
    assert not may_match(day, record(date=dt.date(2020, 5, 10)))
    assert may_match(month, record(date=dt.date(2020, 6, 7)))  # the month, 7 days after and 3 for the day
    assert not may_match(month, record(date=dt.date(2020, 6, 15)))
    assert may_match(year, record(date=dt.date(2020, 12, 31)))
    assert not may_match(year, record(date=dt.date(2021, 6, 1)))
    assert may_match(undated, record(date=dt.date(1999, 1, 1)))


def test_rows_of_one_organisations_dataset_are_not_compared_with_each_other() -> None:
    a = record(organisation="mmp", kind="dataset")
    b = record(report_id=2, organisation="mmp", kind="dataset")
    assert not may_match(a, b)
    assert may_match(a, dataclasses.replace(b, organisation="nnk"))  # another publisher's dataset
    assert may_match(a, dataclasses.replace(b, kind="testimony"))  # a testimony of the same organisation
    assert list(block_pairs([a, b, record(report_id=3)])) == [(0, 2), (1, 2)]


def test_blocking_places_and_expelling_states() -> None:
    here = record()
    north = 1 / 111.2  # degrees of latitude per km
    assert may_match(here, record(lat=45.1847 + (PLACE_RADIUS_KM - 0.5) * north))
    assert not may_match(here, record(lat=45.1847 + (PLACE_RADIUS_KM + 0.5) * north))
    loose = {"lat": None, "lon": None}
    assert may_match(here, record(**loose, area="country:BA"))  # no coordinates: the same country
    assert not may_match(here, record(**loose, country="RS", area="country:RS"))
    assert may_match(record(**loose, country="HR"), record(**loose, country="BA", area="hr-ba-una-sana"))
    assert may_match(here, record(**loose, country=None, area="unknown"))  # no place at all: no blocking
    assert may_match(here, record(expelled_by=("SI", "HR")))
    assert not may_match(here, record(expelled_by=("HU",)))
    assert may_match(here, record(expelled_by=()))


def _records(draw: st.DrawFn, centre: tuple[float, float], count: int) -> list[LinkRecord]:
    out = []
    for k in range(count):
        lat = lon = None
        if draw(st.integers(0, 9)) > 1:
            lat = max(-90.0, min(90.0, centre[0] + draw(st.floats(-0.6, 0.6))))
            lon = centre[1] + draw(st.floats(-0.9, 0.9))
            lon = (lon + 180) % 360 - 180
        precision = draw(st.sampled_from(["day", "day", "day", "month", "year", None]))
        date = None
        if precision is not None:
            day = dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 120)))
            date = {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1)}[precision]
        country = draw(st.sampled_from([None, "HR", "BA"]))
        area = draw(
            st.sampled_from(["unknown", "hr-ba-una-sana", f"country:{country}" if country else "unknown"])
        )
        out.append(
            record(
                report_id=k + 1,
                lat=lat,
                lon=lon,
                date=date,
                precision=precision,
                country=country,
                area=area,
                expelled_by=draw(st.sampled_from([(), ("HR",), ("SI", "HR"), ("HU",)])),
                organisation=draw(st.sampled_from(["nnk", "nnk", "mmp"])),
                kind=draw(st.sampled_from(["testimony", "testimony", "dataset"])),
            )
        )
    return out


@st.composite
def small_batches(draw: st.DrawFn) -> list[LinkRecord]:
    centre = draw(
        st.sampled_from(
            [(45.1, 15.8), (89.8, 10.0), (-89.9, -40.0), (0.0, 179.9), (60.0, -179.95), (45.0, 0.0)]
        )
    )
    return _records(draw, centre, draw(st.integers(0, 40)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_batches())
def test_block_pairs_is_exactly_the_pairs_that_may_match(records: list[LinkRecord]) -> None:
    found = list(block_pairs(records))
    assert len(found) == len(set(found))
    assert all(i < j for i, j in found)
    brute = {
        (i, j)
        for i in range(len(records))
        for j in range(i + 1, len(records))
        if may_match(records[i], records[j])
    }
    assert set(found) == brute
    counts = neighbour_counts(LinkTable(records))
    assert counts.tolist() == [sum(i in pair for pair in brute) for i in range(len(records))]


@settings(max_examples=40, deadline=None)
@given(small_batches())
def test_candidate_ranges_hold_every_report_that_may_match(records: list[LinkRecord]) -> None:
    for a in records[:8]:
        dates, box = candidate_dates(a), candidate_box(a)
        for b in records:
            if not may_match(a, b):
                continue
            if b.date is not None:
                bounds = dates[b.precision]
                assert bounds is None or bounds[0] <= b.date <= bounds[1]
            if box is not None and b.lat is not None and b.lon is not None:
                south, north, west, east = box
                assert south <= b.lat <= north and west <= b.lon <= east


# ---------------------------------------------------------------------------------------------- properties


@st.composite
def pairs_of_records(draw: st.DrawFn) -> tuple[LinkRecord, LinkRecord]:
    def one(number: int) -> LinkRecord:
        maybe = st.none() | st.integers(0, 40)
        date = draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2020, 3, 1)))
        return record(
            report_id=number,
            date=date,
            precision=None if date is None else "day",
            time=draw(st.none() | st.sampled_from(["00:10", "04:30", "23:55", "12:00"])),
            lat=draw(st.floats(45.0, 45.3)),
            group_size=draw(maybe),
            minors=draw(maybe),
            women=draw(maybe),
            minors_involved=draw(st.none() | st.booleans()),
            nationalities=frozenset(draw(st.sets(st.sampled_from(["AF", "PK", "MA", "SY"]), max_size=3))),
            violence=frozenset(
                draw(st.sets(st.sampled_from(["beating", "kicking", "dog_attack"]), max_size=3))
            ),
            officers_description=draw(st.none() | st.sampled_from(["dark blue uniforms", "police vans"])),
            text=draw(st.none() | st.text(max_size=80)),
        )

    return one(1), one(2)


@settings(max_examples=80, deadline=None)
@given(pairs_of_records())
def test_comparison_is_symmetric_and_scores_are_probabilities(pair: tuple[LinkRecord, LinkRecord]) -> None:
    a, b = pair
    forward, backward = SCORER.compare(a, b), SCORER.compare(b, a)
    assert forward.score == backward.score
    assert 0.0 <= forward.score <= 1.0
    assert {f: x.level for f, x in forward.agreements.items()} == {
        f: x.level for f, x in backward.agreements.items()
    }


def _reference_vector(model: TextModel, text: str | None) -> np.ndarray:
    """The narrative vector one trigram at a time, as the module describes it."""
    vector = np.zeros(model.dimensions)
    clean = normalise(text)
    if clean is not None:
        for gram in trigrams(clean):
            h = _hash_one(gram)
            idf = model.idf_of(model.df[gram]) if gram in model.df else model.rare_idf
            vector[h & (model.dimensions - 1)] += -idf if h >> 63 else idf
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


@settings(max_examples=60, deadline=None)
@given(st.lists(st.none() | st.text(max_size=60), max_size=6))
def test_narrative_vectors_are_the_trigram_tf_idf_described(texts: list[str | None]) -> None:
    model = SCORER.text
    vectors = model.vectors([*texts, "We were 8 people near Bihać — they beat us!"])
    for text, vector in zip(texts, vectors, strict=False):
        assert np.allclose(vector, _reference_vector(model, text), atol=1e-6)


# ------------------------------------------------------------------------------------------ batch helpers


def test_evaluate_counts_pairs_over_true_incidents() -> None:
    truth = {1: 10, 2: 10, 3: 10, 4: 20, 5: 30}
    result = evaluate([(1, 2), (2, 1), (4, 5)], truth)
    assert result["true_pairs"] == 3
    assert result["proposed"] == 2
    assert result["true_positives"] == 1
    assert result["precision"] == 0.5
    assert result["recall"] == pytest.approx(1 / 3)
    assert evaluate([], truth)["precision"] is None  # unknown, not 0
    with pytest.raises(LinkageError, match="report 9"):
        evaluate([(1, 9)], truth)


def test_propose_in_two_processes_gives_the_same_pairs(data: DuplicateSet) -> None:
    records = data.records[:1500]

    def collect(workers: int) -> set[tuple[int, int, float]]:
        out: set[tuple[int, int, float]] = set()
        for i, j, score in propose(records, workers=workers):
            out |= set(zip(i.tolist(), j.tolist(), score.tolist(), strict=True))
        return out

    assert collect(2) == collect(1)


def test_batch_scores_equal_one_pair_at_a_time(data: DuplicateSet) -> None:
    records = data.records[:600]
    table = LinkTable(records)
    pairs = list(block_pairs(records))[:200]
    i = np.array([p[0] for p in pairs])
    j = np.array([p[1] for p in pairs])
    batch = SCORER.scores(table, i, j)
    single = [SCORER.compare(records[a], records[b]).score for a, b in pairs]
    assert np.allclose(batch, single, rtol=1e-12)


def test_a_link_record_refuses_bad_values_naming_the_record_and_field() -> None:
    with pytest.raises(LinkageError, match=r"report 1 \(nnk:nnk-2020-00001\), lat"):
        record(lat=95.0)
    with pytest.raises(LinkageError, match="time"):
        record(time="25:00")
    with pytest.raises(LinkageError, match="precision"):
        record(precision="week")
    with pytest.raises(LinkageError, match="lat/lon"):
        record(lon=None)


# ----------------------------------------------------------------------------------------------- generator


def test_generated_reports_are_clean_interchange_with_the_truth_alongside(data: DuplicateSet) -> None:
    assert len(data.reports) == len(data.records) == COUNT
    for report in data.reports[:400]:
        result = validate_report(report)
        assert result.issues == [], (report["ref"], [str(i) for i in result.issues])
    refs = [(r["organisation"], r["ref"]) for r in data.reports]
    assert len(set(refs)) == COUNT
    assert len({r["incident"]["ref"] for r in data.reports}) == COUNT  # an import links nothing by itself
    assert {data.truth[k + 1] for k in range(COUNT)} == set(data.truth_by_ref.values())
    for k, report in enumerate(data.reports):
        assert data.truth_by_ref[report["organisation"], report["ref"]] == data.truth[k + 1]
    sizes = Counter(Counter(data.truth.values()).values())
    assert {1, 2, 3, 4} <= set(sizes)
    languages = Counter(r["narrative"]["language"] for r in data.reports)
    assert {"en", "fr", "ar", "fa"} <= set(languages)
    translated = [r for r in data.reports if r["narrative"]["language"] != "en"]
    assert 0 < sum(r["narrative"]["translation_en"] is None for r in translated) < len(translated)
    precisions = Counter(r.precision for r in data.records)
    assert precisions["month"] > 0 and precisions["day"] > 0.8 * COUNT
    assert 0 < sum(r.lat is None for r in data.records) < 0.2 * COUNT
    assert len(data.decoys) > 50


def test_the_generator_is_deterministic_for_a_seed() -> None:
    first = duplicate_reports(count=200, seed=3)
    again = duplicate_reports(count=200, seed=3)
    other = duplicate_reports(count=200, seed=4)
    assert first.reports == again.reports and first.records == again.records and first.truth == again.truth
    assert first.reports != other.reports
    light = duplicate_reports(count=200, seed=3, keep_reports=False)
    assert light.records == first.records and light.reports == [] and light.truth == first.truth


def test_the_generator_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="count"):
        duplicate_reports(count=-1)
    with pytest.raises(ValueError, match="hard_negatives"):
        duplicate_reports(count=10, hard_negatives=2)


@settings(max_examples=60, deadline=None)
@given(pairs_of_records(), st.integers(0, 100_000), st.integers(0, 100_000))
def test_more_neighbours_never_raise_a_score(
    pair: tuple[LinkRecord, LinkRecord], first: int, second: int
) -> None:
    a, b = pair
    low, high = sorted((first, second))
    sparse = SCORER.compare_many(a, [b], record_neighbours=low, neighbours=[low])[0]
    dense = SCORER.compare_many(a, [b], record_neighbours=high, neighbours=[high])[0]
    assert dense.score <= sparse.score

"""The monitoring matrix on constructed cases whose right ranking is known (METHODOLOGY §6)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core.areas import border_areas
from bordermonitor.core.matrix import (
    CRITERIA,
    MatrixIncident,
    SituationKey,
    Weights,
    WeightsError,
    compute_matrix,
    month_index,
    plan_effect,
)

MAY = month_index(dt.date(2019, 5, 1))
AREAS = border_areas()
_ids = itertools.count(1)


def incident(
    *,
    month: int = MAY,
    actors: tuple[str, ...] = ("HR-police",),
    area: str = "hr-ba-una-sana",
    codes: tuple[str, ...] = ("beating",),
    state: str | None = "HR",
    **facts: object,
) -> MatrixIncident:
    return MatrixIncident(
        incident_id=next(_ids),
        month=month,
        actors=actors,
        state=state,
        area=area,
        codes=frozenset(codes),
        **facts,  # type: ignore[arg-type]
    )


def matrix(incidents: list[MatrixIncident], **options: object) -> object:
    return compute_matrix(incidents, end_month=MAY, months=1, areas=AREAS, **options)  # type: ignore[arg-type]


def ranking(result: object) -> list[SituationKey]:
    return [s.key for s in result.situations]  # type: ignore[attr-defined]


WELL_KNOWN = {"day_known": True, "place_known": True, "sources": 2, "people": 12}


def test_a_frequent_severe_identified_situation_with_an_engaged_stakeholder_ranks_above_a_rare_one() -> None:
    frequent = [incident(minors_involved=True, injuries=True, **WELL_KNOWN) for _ in range(12)]
    rare = [incident(actors=("SI-police",), area="si-hr-kupa", codes=("verbal_abuse",), people=3)]
    result = matrix(frequent + rare, stages={"HR-police": "acknowledged"})
    assert ranking(result) == [
        SituationKey("HR-police", "hr-ba-una-sana", "beating"),
        SituationKey("SI-police", "si-hr-kupa", "verbal_abuse"),
    ]
    top, bottom = result.situations  # type: ignore[attr-defined]
    for name in CRITERIA:
        assert top.criteria[name].value > bottom.criteria[name].value, name


@pytest.mark.parametrize(
    ("better", "worse", "stages"),
    [
        # more incidents, all else equal
        ({"count": 6}, {"count": 2}, {}),
        # more severe violence (dog attacks 5, verbal abuse 2), same number
        ({"codes": ("dog_attack",)}, {"codes": ("verbal_abuse",)}, {}),
        # minors and injuries among those affected
        ({"minors_involved": True, "injuries": True}, {"minors_involved": False, "injuries": False}, {}),
        # the authority is identified rather than "unidentified authorities of Croatia"
        ({"actors": ("HR-police",)}, {"actors": ()}, {}),
        # the same day, place and corroboration known against none of them
        ({"day_known": True, "place_known": True, "sources": 2}, {}, {}),
        # the stakeholder has signed the charter; the other refused
        ({"actors": ("HR-police",)}, {"actors": ("HU-police",), "area": "hu-rs-csongrad"},
         {"HR-police": "charter_signed", "HU-police": "refused"}),
    ],
)  # fmt: skip
def test_each_criterion_moves_the_ranking_the_right_way(
    better: dict[str, object], worse: dict[str, object], stages: dict[str, str]
) -> None:
    def group(spec: dict[str, object], area: str) -> list[MatrixIncident]:
        spec = dict(spec)
        count = int(spec.pop("count", 3))  # type: ignore[call-overload]
        spec.setdefault("area", area)
        return [incident(**spec) for _ in range(count)]  # type: ignore[arg-type]

    result = matrix(group(better, "hr-ba-una-sana") + group(worse, "si-hr-kupa"), stages=stages)
    first, second = result.situations  # type: ignore[attr-defined]
    assert first.priority > second.priority
    assert first.key.area == "hr-ba-una-sana"


def test_a_rising_situation_ranks_above_a_falling_one_of_the_same_size() -> None:
    april = MAY - 1
    rising = [incident(area="hr-ba-una-sana") for _ in range(4)] + [
        incident(month=april, area="hr-ba-una-sana")
    ]
    falling = [incident(area="si-hr-kupa") for _ in range(4)] + [
        incident(month=april, area="si-hr-kupa") for _ in range(9)
    ]
    result = matrix(rising + falling)
    up, down = result.situations  # type: ignore[attr-defined]
    assert (up.key.area, down.key.area) == ("hr-ba-una-sana", "si-hr-kupa")
    assert up.criteria["frequency"].inputs["change"] == 3
    assert down.criteria["frequency"].inputs["change_percent"] == pytest.approx(-55.6)


def test_every_criterion_says_what_it_was_computed_from() -> None:
    incidents = [
        incident(people=10, minors_involved=True, women=2, day_known=True, sources=2),
        incident(people=None, minors_involved=None, women=0, place_known=True, medical_documented=True),
        incident(people=5, injuries=True),
        incident(month=MAY - 1),
    ]
    (only,) = matrix(incidents, stages={"HR-police": "meeting"}).situations  # type: ignore[attr-defined]
    assert only.incidents == 3 and only.people_affected == 15 and only.previous_incidents == 1
    assert dict(only.criteria["intensity"].inputs) == {
        "severity": 4,
        "incidents": 3,
        "with_minors": 1,
        "with_women": 1,
        "with_injuries": 1,
        "with_medical_evidence": 1,
        "vulnerability": pytest.approx(1 / 3, abs=1e-4),
    }
    assert dict(only.criteria["identification"].inputs) == {
        "incidents": 3,
        "authority_identified": 3,
        "day_known": 1,
        "place_known": 1,
        "corroborated": 1,
    }
    assert only.criteria["identification"].value == pytest.approx((1 + 1 / 3 + 1 / 3 + 1 / 3) / 4)
    assert dict(only.criteria["influence"].inputs) == {"stakeholder": "HR-police", "stage": "meeting"}
    weights = Weights()
    expected = sum(getattr(weights, n) * only.criteria[n].value for n in CRITERIA) / sum(
        getattr(weights, n) for n in CRITERIA
    )
    assert only.priority == pytest.approx(expected)
    assert only.monthly[-2:] == (1, 3)


def test_an_incident_counts_in_each_of_its_situations_and_no_violence_makes_none() -> None:
    result = matrix(
        [
            incident(codes=("beating", "theft_of_belongings"), actors=("SI-police", "HR-police")),
            incident(codes=("no_violence",)),
            incident(codes=()),
        ],
        left_out={"without_violence_code": 2},
    )
    assert len(result.situations) == 4  # type: ignore[attr-defined]
    assert result.incidents == 1  # type: ignore[attr-defined]
    assert result.to_json()["left_out"] == {"without_violence_code": 2}  # type: ignore[attr-defined]


def test_an_unidentified_perpetrator_is_named_by_the_expelling_state_and_has_no_one_to_influence() -> None:
    (only,) = matrix([incident(actors=(), state="HR")], language="fr").situations  # type: ignore[attr-defined]
    assert only.key.actor == "unidentified:HR"
    assert only.actor_name == "Autorités non identifiées (Croatie)"
    assert only.criteria["influence"].value == 0
    assert only.criteria["identification"].inputs["authority_identified"] == 0


def test_the_json_names_every_criterion_and_the_period() -> None:
    result = compute_matrix([incident()], end_month=MAY, months=3, areas=AREAS, language="ar")
    data = result.to_json()
    assert data["period"] == {"start": "2019-03-01", "end": "2019-05-31", "months": 3}
    assert data["previous_period"] == {"start": "2018-12-01", "end": "2019-02-28"}
    (row,) = data["situations"]
    assert set(row["criteria"]) == set(CRITERIA)
    assert row["area"]["name"].startswith("الحدود")
    months = list(row["monthly"])
    assert (months[0], months[-1], len(months)) == ("2018-06", "2019-05", 12)


def test_an_empty_period_gives_an_empty_matrix() -> None:
    result = matrix([incident(month=MAY - 30)])
    assert result.situations == () and result.incidents == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frequency=-1", "negative"),
        ("frequency=0,intensity=0,identification=0,influence=0", "all zero"),
        ("trend=1.5", "from 0 to 1"),
        ("frequency=nan", "must be a number"),
        ("speed=2", "name=number"),
        ("frequency=lots", "not a number"),
    ],
)
def test_weights_that_make_no_sense_are_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(WeightsError, match=message):
        Weights.parse(text)


def test_weights_change_the_ranking() -> None:
    frequent_mild = [incident(codes=("verbal_abuse",), area="si-hr-kupa") for _ in range(20)]
    rare_severe = [incident(codes=("dog_attack",))]
    by_frequency = matrix(frequent_mild + rare_severe, weights=Weights.parse("intensity=0"))
    by_intensity = matrix(frequent_mild + rare_severe, weights=Weights.parse("frequency=0"))
    assert by_frequency.situations[0].key.code == "verbal_abuse"  # type: ignore[attr-defined]
    assert by_intensity.situations[0].key.code == "dog_attack"  # type: ignore[attr-defined]


def test_the_situation_token_round_trips() -> None:
    key = SituationKey("unidentified:HR", "grid:45:15.5", "beating")
    assert SituationKey.from_token(key.token) == key
    with pytest.raises(ValueError, match="actor~area~code"):
        SituationKey.from_token("HR-police~beating")


def test_a_plan_compares_the_months_before_and_after_adoption_leaving_the_adoption_month_out() -> None:
    adopted = dt.date(2019, 5, 20)
    monthly = {MAY - 2: 6, MAY - 1: 4, MAY: 9, MAY + 1: 1, MAY + 2: 2, MAY + 5: 7}
    effect = plan_effect(
        plan_id=1, title="plan", stakeholder="HR-police", adopted_on=adopted, monthly=monthly, window=3,
        last_month=MAY + 2,
    )  # fmt: skip
    assert effect.before_counts == (0, 6, 4) and effect.before_rate == pytest.approx(10 / 3)
    assert effect.after_counts == (1, 2) and effect.after_rate == pytest.approx(1.5)
    data = effect.as_json()
    assert data["adoption_month_left_out"] == "2019-05"
    assert data["before"]["by_month"] == {"2019-02": 0, "2019-03": 6, "2019-04": 4}
    assert data["after"] == {"months": 2, "incidents": 3, "rate_per_month": 1.5,
                             "by_month": {"2019-06": 1, "2019-07": 2}}  # fmt: skip


_incidents = st.builds(
    incident,
    month=st.integers(MAY - 14, MAY + 1),
    actors=st.sampled_from([(), ("HR-police",), ("SI-police", "HR-police")]),
    area=st.sampled_from(["hr-ba-una-sana", "si-hr-kupa", "grid:45:15"]),
    codes=st.lists(
        st.sampled_from(["beating", "dog_attack", "no_violence", "theft_of_belongings"]), max_size=3
    ).map(tuple),
    people=st.none() | st.integers(0, 60),
    minors_involved=st.none() | st.booleans(),
    sources=st.integers(1, 3),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_incidents, max_size=40), st.sampled_from([1, 3]))
def test_scores_stay_between_zero_and_one_and_the_order_of_input_does_not_matter(
    incidents: list[MatrixIncident], months: int
) -> None:
    first = compute_matrix(incidents, end_month=MAY, months=months, areas=AREAS)
    again = compute_matrix(list(reversed(incidents)), end_month=MAY, months=months, areas=AREAS)
    assert first.to_json() == again.to_json()
    for situation in first.situations:
        assert 0 <= situation.priority <= 1 and math.isfinite(situation.priority)
        assert all(0 <= c.value <= 1 for c in situation.criteria.values())
        assert situation.monthly[-1] <= situation.incidents
    in_period = {
        i.incident_id for i in incidents if MAY - months < i.month <= MAY and i.codes - {"no_violence"}
    }
    assert first.incidents == len(in_period)
    priorities = [s.priority for s in first.situations]
    assert priorities == sorted(priorities, reverse=True)

"""Statistics over incidents: each incident once, unknown never counted as 0 for an incident, chains per state."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.dates import PartialDate
from bordermonitor.core.stats import Account, compute, reconcile


def account(rid: int, **kw: object) -> Account:
    return Account(report_id=rid, organisation=str(kw.pop("organisation", "nnk")), **kw)  # type: ignore[arg-type]


def test_two_reports_of_one_incident_count_once() -> None:
    incident = [
        account(1, date=PartialDate(2019, 6, 6), group_size=8, violence=("beating", "theft_of_belongings")),
        account(
            2, organisation="rigardu", date=PartialDate(2019, 6, 7), group_size=10, violence=("dog_attack",)
        ),
    ]
    figures = compute([incident])
    assert figures["incidents"] == 1
    assert figures["reports"] == 2
    assert figures["people_affected"] == 8  # the first report's value; not 18
    assert figures["by_violence"] == {"beating": 1, "dog_attack": 1, "theft_of_belongings": 1}
    assert figures["by_year"] == {"2019": {"incidents": 1, "people_affected": 8, "dead": 0, "missing": 0}}


def test_a_later_report_fills_what_the_first_did_not_know() -> None:
    facts = reconcile([account(2, group_size=5), account(1, dead=None)])
    assert facts.group_size == 5
    assert facts.dead is None


def test_chain_pushback_counts_once_per_state() -> None:
    figures = compute([[account(1, expelled_by=("SI", "HR"))], [account(2, expelled_by=("HR",))]])
    assert figures["by_expelling_state"] == {"HR": 2, "SI": 1}


def test_code_named_twice_in_one_incident_counts_once() -> None:
    figures = compute([[account(1, violence=("water_abuse", "water_abuse", "other", "other"))]])
    assert figures["by_violence"] == {"other": 1, "water_abuse": 1}
    assert figures["unmapped"] == 2  # mentions kept as `other`


def test_period_is_by_incident_date_and_undated_incidents_need_no_period() -> None:
    incidents = [
        [account(1, date=PartialDate(2019, 6))],
        [account(2, date=PartialDate(2020, 1, 2))],
        [account(3)],
    ]
    assert compute(incidents)["incidents"] == 3
    assert compute(incidents)["by_year"]["unknown"]["incidents"] == 1
    in_2019 = compute(incidents, date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31))
    assert in_2019["incidents"] == 1
    assert compute(incidents, date_from=dt.date(2019, 6, 2))["incidents"] == 1  # June 2019 begins before


def test_minors_involved_counts_only_yes() -> None:
    figures = compute([[account(1, minors_involved=True)], [account(2, minors_involved=None)], [account(3)]])
    assert figures["minors_involved"] == 1


@given(st.lists(st.lists(st.integers(0, 500) | st.none(), min_size=1, max_size=3), max_size=30))
def test_sums_are_over_known_values_of_each_incident(deaths: list[list[int | None]]) -> None:
    rid = iter(range(10**6))
    incidents = [[account(next(rid), dead=d) for d in reports] for reports in deaths]
    expected = sum(next((d for d in reports if d is not None), 0) for reports in deaths)
    figures = compute(incidents)
    assert figures["dead"] == expected
    assert figures["incidents"] == len(deaths)
    assert sum(y["dead"] for y in figures["by_year"].values()) == expected

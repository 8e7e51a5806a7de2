"""The matrix's reads: counted statuses only, reports of one incident reconciled, areas, situations' records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner

from bordermonitor.cli import main
from bordermonitor.core.matrix import SituationKey
from bordermonitor.storage.matrix import build_matrix, latest_month, situation_incidents
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db


def report(ref: str, *, organisation: str = "nnk", status: str = "verified", kind: str = "testimony",
           incident: str | None = None, **facts: Any) -> dict[str, Any]:  # fmt: skip
    described: dict[str, Any] = {
        "ref": incident or f"{ref}-inc",
        "date": "2019-05-10",
        "location": {"lat": 45.18, "lon": 15.80, "place": "Velika Kladuša", "country": "BA"},
        "expelled_by": ["HR"],
        "expelled_to": "BA",
        "group": {"size": 6},
        "violence": [{"type": "beating"}],
        "perpetrators": [{"authority": "HR-police"}],
    }
    described.update(facts)
    return {"ref": ref, "organisation": organisation, "kind": kind, "status": status, "incident": described,
            "consent": {"publish": None, "share_with_network": True, "legal_use": None}}  # fmt: skip


def test_only_verified_and_approved_reports_count_and_each_incident_once_per_situation(
    network: None, store: Any
) -> None:
    save(
        [
            report("a", status="verified"),
            report("b", status="approved_for_publication", group={"size": 4, "minors_involved": "yes"}),
            report("c", status="submitted"),
            report("d", status="draft"),
            report("e", status="rejected"),
            # a second source of incident a's event, from another organisation: one incident, corroborated
            report("a2", organisation="rigardu", incident="a-inc", group={"size": 9}),
        ],
        store,
    )
    matrix = build_matrix(period=dt.date(2019, 5, 1), months=1)
    (situation,) = matrix.situations
    assert situation.key == SituationKey("HR-police", "hr-ba-una-sana", "beating")
    assert situation.incidents == 2
    assert situation.people_affected == 6 + 4  # the first report's group size, not the sum of both sources
    identification = situation.criteria["identification"].inputs
    assert identification["corroborated"] == 1 and identification["day_known"] == 2
    assert situation.criteria["intensity"].inputs["with_minors"] == 1


def test_without_a_perpetrator_the_expelling_states_authorities_are_the_situation(
    network: None, store: Any
) -> None:
    save([report("a", perpetrators=[], expelled_by=["SI", "HR"], location={"country": "BA"})], store)
    (situation,) = build_matrix(period=dt.date(2019, 5, 1), months=1).situations
    assert situation.key == SituationKey("unidentified:SI", "country:BA", "beating")
    assert situation.actor_name == "Unidentified authorities (Slovenia)"


def test_dates_place_the_incidents_in_periods_and_year_only_dates_are_counted_as_left_out(
    network: None, store: Any
) -> None:
    save(
        [
            report("may", date="2019-05-03"),
            report("may-month", date="2019-05"),
            report("april", date="2019-04-28"),
            report("year", date="2019"),
            report("no-violence", violence=[{"type": "no_violence"}]),
        ],
        store,
    )
    matrix = build_matrix(period=dt.date(2019, 5, 1), months=1)
    (situation,) = matrix.situations
    assert (situation.incidents, situation.previous_incidents) == (2, 1)
    assert situation.criteria["identification"].inputs["day_known"] == 1
    assert matrix.left_out == {"without_violence_code": 1, "dated_to_the_year_only": 1}
    assert latest_month() == 2019 * 12 + 4
    assert build_matrix().end == dt.date(2019, 5, 31)  # the latest month with a counted incident


def test_a_situations_records_are_exactly_the_incidents_it_counted(network: None, store: Any) -> None:
    save(
        [
            report("in-1"),
            report("in-2", violence=[{"type": "beating"}, {"type": "dog_attack"}]),
            report("other-area", location={"lat": 46.18, "lon": 20.03, "country": "HU"}),
            report("other-type", violence=[{"type": "theft_of_belongings"}]),
            report("other-month", date="2019-06-02"),
        ],
        store,
    )
    key = SituationKey("HR-police", "hr-ba-una-sana", "beating")
    ids = situation_incidents(key, dt.date(2019, 5, 1), dt.date(2019, 5, 31))
    from bordermonitor.storage.models import Incident

    assert sorted(Incident.objects.filter(id__in=ids).values_list("ref", flat=True)) == [
        "in-1-inc",
        "in-2-inc",
    ]
    matrix = build_matrix(period=dt.date(2019, 5, 1), months=1)
    counted = {s.key: s.incidents for s in matrix.situations}
    assert counted[key] == len(ids)


def test_the_command_prints_the_ranked_situations_as_json_and_refuses_bad_weights(
    network: None, store: Any
) -> None:
    save([report("a"), report("b", violence=[{"type": "verbal_abuse"}])], store)
    runner = CliRunner()
    result = runner.invoke(main, ["matrix", "--json", "--period", "2019-05", "--months", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["violence"]["code"] for row in data["situations"]] == ["beating", "verbal_abuse"]
    assert data["situations"][0]["criteria"]["frequency"]["from"]["incidents"] == 1
    assert data["period"] == {"start": "2019-05-01", "end": "2019-05-31", "months": 1}
    text = runner.invoke(main, ["matrix", "--period", "2019-05", "--months", "1"])
    assert (
        "HR-police · Croatia–Bosnia border (Una-Sana, Karlovac, Lika) · Beating: 1 incident (" in text.output
    )
    bad = runner.invoke(main, ["matrix", "--weights", "frequency=-2"])
    assert bad.exit_code == 2 and "weight frequency is negative" in bad.output
    bad = runner.invoke(main, ["matrix", "--period", "May 2019"])
    assert bad.exit_code == 2 and "is not a month (YYYY-MM)" in bad.output


def test_an_adopted_plan_shows_the_rate_of_its_targeted_situations_before_and_after(
    network: None, store: Any
) -> None:
    from bordermonitor.storage.matrix import plan_effect_of
    from bordermonitor.storage.mobilisation.plans import add_target, create_plan
    from bordermonitor.storage.models import Stakeholder

    months = {
        "2019-01-10": 4,
        "2019-02-10": 2,
        "2019-03-10": 3,
        "2019-04-10": 1,
        "2019-05-10": 0,
        "2019-06-10": 1,
    }
    raws = []
    for day, count in months.items():
        raws += [report(f"{day}-{n}", date=day) for n in range(count)]
        # not targeted: another violence type, another area, another perpetrator
        raws.append(report(f"{day}-theft", date=day, violence=[{"type": "theft_of_belongings"}]))
        raws.append(report(f"{day}-hu", date=day, location={"lat": 46.18, "lon": 20.03, "country": "HU"}))
        raws.append(report(f"{day}-si", date=day, perpetrators=[{"authority": "SI-police"}]))
    save(raws, store)
    police = Stakeholder.objects.get(code="HR-police")
    plan = create_plan(police, title="No beatings at the green border", status="adopted",
                       adopted_on=dt.date(2019, 3, 14))  # fmt: skip
    add_target(plan, area="hr-ba-una-sana", violence="beating")
    effect = plan_effect_of(plan.pk)
    assert effect is not None
    assert effect.before_counts[-2:] == (4, 2) and sum(effect.before_counts) == 6  # March left out
    assert effect.after_counts == (1, 0, 1)  # up to June, the latest counted month
    assert effect.before_rate == pytest.approx(1.0) and effect.after_rate == pytest.approx(2 / 3)
    proposed = create_plan(police, title="Not adopted yet")
    assert plan_effect_of(proposed.pk) is None

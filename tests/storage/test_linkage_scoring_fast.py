"""One report's candidates (``candidates_for``): the fast path — dates and places checked with numpy, narratives
read only where they can matter — finds exactly what scoring every candidate fully finds."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from bordermonitor.core.linkage import DEFAULT_THRESHOLD, Comparison, LinkRecord, may_match
from bordermonitor.demo.duplicates import duplicate_reports
from bordermonitor.storage import linkage_scoring
from bordermonitor.storage.linkage import calibrated_scorer, candidates_for, crosscheck, decide, link_records
from bordermonitor.storage.linkage_records import pairable
from bordermonitor.storage.linkage_scoring import pool_of
from bordermonitor.storage.models import LinkCandidate, Organisation, Report
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db


def fully(
    record: LinkRecord, everyone: list[LinkRecord], pairing: Any, *, minimum: float | None, limit: int | None
) -> tuple[int, list[tuple[int, Comparison]]]:
    """The slow way: every report it may be paired with built whole and checked with ``may_match``; the count
    includes the reports of its own incident; every candidate compared with its narrative."""
    me = record.report_id

    def paired(other: int) -> bool:
        same = pairing.organisation[me] == pairing.organisation[other]
        return same or (pairing.network[me] and pairing.network[other])

    matching = [r for r in everyone if r.report_id != me and paired(r.report_id) and may_match(record, r)]
    others = [r for r in matching if r.incident_id != record.incident_id]
    compared = calibrated_scorer().compare_many(record, others, record_neighbours=len(matching))
    found = sorted(
        ((r.report_id, c) for r, c in zip(others, compared, strict=True)),
        key=lambda pair: (-pair[1].score, pair[0]),
    )
    found = [pair for pair in found if minimum is None or pair[1].score >= minimum]
    return len(matching), found[:limit]


@pytest.mark.parametrize("few", [0, linkage_scoring._FEW])
def test_the_fast_path_finds_the_same_candidates_and_scores_as_scoring_every_candidate(
    network: None, store: Any, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        linkage_scoring, "_FEW", few
    )  # 0: every report's candidates scored without lists first
    # dense: 360 reports in ten weeks on the demo borders, some known only to the month or the year, or undated
    data = duplicate_reports(count=360, seed=31, start=dt.date(2024, 3, 1), end=dt.date(2024, 5, 10))
    for k in (0, 70, 140):  # told without a date
        data.reports[k]["incident"] = {**data.reports[k]["incident"], "date": None}
    for k in (20, 90):  # told without coordinates
        location = {**data.reports[k]["incident"]["location"], "lat": None, "lon": None}
        data.reports[k]["incident"] = {**data.reports[k]["incident"], "location": location}
    for k in (30, 31, 32, 33):  # rows of one published dataset: never compared with each other
        data.reports[k] = {**data.reports[k], "organisation": "mmp", "kind": "dataset"}
    save(data.reports, store)
    Organisation.objects.update(shares_with_network=True)
    Organisation.objects.filter(code="rigardu").update(shares_with_network=False)
    crosscheck()
    for candidate in LinkCandidate.objects.order_by("-score")[:15]:  # incidents of several reports
        if LinkCandidate.objects.get(pk=candidate.pk).status == "proposed":
            decide(candidate, "same_incident", user=None)

    everyone, pairing = link_records(pairable(), pairing=True)
    by_id = {r.report_id: r for r in everyone}
    loose = [r.report_id for r in everyone if r.precision != "day" or r.lat is None or r.kind == "dataset"]
    rng = random.Random(5)
    chosen = sorted(set(loose) | set(rng.sample(sorted(by_id), 40)))
    assert any(by_id[rid].date is None for rid in chosen)
    assert any(by_id[rid].precision == "month" for rid in chosen)
    in_incident = 0
    for rid in chosen:
        record, report = by_id[rid], Report.objects.get(pk=rid)
        for minimum, limit in ((DEFAULT_THRESHOLD, None), (None, None), (None, 3), (0.05, 5)):
            count, expected = fully(record, everyone, pairing, minimum=minimum, limit=limit)
            found = candidates_for(report, minimum=minimum, limit=limit)
            assert [(other, c.score) for other, c in found] == [(other, c.score) for other, c in expected]
            assert [c.as_json() for _o, c in found] == [c.as_json() for _o, c in expected]
        assert pool_of(report).neighbours == count
        in_incident += count - len(pool_of(report).candidates())
    assert in_incident  # reports of their own incident were counted too


def test_a_report_without_a_date_counts_every_report_at_its_place(network: None, store: Any) -> None:
    data = duplicate_reports(count=120, seed=32, start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 20))
    first = data.reports[0]
    consent = {**first["consent"], "share_with_network": True}

    def told(ref: str, date: str | None) -> dict[str, Any]:
        incident = {**first["incident"], "ref": f"{ref}-inc", "date": date}
        return {**first, "ref": ref, "status": "submitted", "consent": consent, "incident": incident}

    # the same place, days apart: more than enough for the candidates to be scored without their lists first
    start = dt.date(2023, 1, 1)
    months = [told(f"month-{k}", (start + dt.timedelta(days=3 * k)).isoformat()) for k in range(1, 131)]
    save([*data.reports, *months, told("undated", None)], store)
    Organisation.objects.update(shares_with_network=True)
    everyone, pairing = link_records(pairable(), pairing=True)
    record = next(r for r in everyone if r.ref == "undated")
    count, expected = fully(record, everyone, pairing, minimum=DEFAULT_THRESHOLD, limit=None)
    report, dated = Report.objects.get(ref="undated"), Report.objects.get(ref="month-40")
    assert pool_of(report).neighbours == count >= len(months) + 1
    assert pool_of(dated).neighbours < count  # a dated one only those of its days
    found = candidates_for(report, minimum=DEFAULT_THRESHOLD)
    assert [(o, c.score) for o, c in found] == [(o, c.score) for o, c in expected]
    assert found and all(c.neighbours == count for _o, c in found)  # the prior follows its own count

"""The staff list's filter (storage/listing.py): each filter narrows, partial dates overlap, unknown last."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django_scopes import scopes_disabled

from bordermonitor.storage.access import Access, access_for
from bordermonitor.storage.listing import (
    COUNT_CAP,
    PAGE_SIZE,
    SORTS,
    ReportFilter,
    filtered_reports,
    list_page,
)
from bordermonitor.storage.models import Report, User
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
D = dt.date


def _raw(ref: str, **incident: Any) -> dict[str, Any]:
    extra = incident.pop("top", {})
    return {"ref": ref, "organisation": "rigardu", "kind": "testimony", "incident": incident, **extra}


@pytest.fixture
def reviewer(network_world: dict[str, Report], store: Any, tmp_path: Any) -> Access:
    """reviewer@rigardu.test, with rigardu's reports made for these tests (and nnk's, which it never sees)."""
    photo = tmp_path / "in" / "photo.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo")
    evidence = [
        {"path": "photo.jpg", "kind": "photo", "sha256": hashlib.sha256(photo.read_bytes()).hexdigest()}
    ]
    with scopes_disabled():
        save(
            [
                _raw("day", date="2023-03-15", location={"country": "HR"}, expelled_by=["SI", "HR"]),
                _raw("month", date="2023-04", location={"country": "BA"}, violence=[{"type": "beating"}]),
                _raw("year", date="2022", group={"minors_involved": "yes"}, top={"evidence": evidence}),
                _raw("undated", group={"minors_involved": "no"}, top={"status": "draft"}),
            ],
            store,
            base=tmp_path / "in",
        )
        Report.objects.filter(ref="undated").update(flagged=True)
        return access_for(User.objects.get(email="reviewer@rigardu.test"))


def _refs(access: Access, **kwargs: Any) -> list[str]:
    with scopes_disabled():
        return list(filtered_reports(access, ReportFilter(**kwargs)).values_list("ref", flat=True))


def test_without_a_filter_the_list_is_what_the_person_may_see(reviewer: Access) -> None:
    assert set(_refs(reviewer)) == {"day", "month", "year", "undated", "rig-shared"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"status": ("draft",)}, {"undated"}),
        ({"status": ("draft", "submitted")}, {"day", "month", "year", "undated", "rig-shared"}),
        ({"country": "HR"}, {"day", "rig-shared"}),  # place in Croatia, or expelled by Croatia
        ({"country": "si"}, {"day", "rig-shared"}),  # expelled by Slovenia
        ({"country": "BA"}, {"month", "rig-shared"}),  # place in Bosnia
        ({"country": "AT"}, set()),
        ({"violence": "beating"}, {"month", "rig-shared"}),
        ({"violence": "dog_attack"}, {"rig-shared"}),
        ({"organisation": "rigardu"}, {"day", "month", "year", "undated", "rig-shared"}),
        ({"organisation": "nnk"}, set()),  # never widens what the person sees
        ({"has_evidence": True}, {"year"}),
        ({"has_evidence": False}, {"day", "month", "undated", "rig-shared"}),
        ({"minors": True}, {"year", "rig-shared"}),
        ({"minors": False}, {"undated"}),
        ({"flagged": True}, {"undated"}),
        ({"violence": "beating", "country": "BA", "status": ("submitted",)}, {"month", "rig-shared"}),
    ],
)
def test_each_filter_narrows(reviewer: Access, kwargs: dict[str, Any], expected: set[str]) -> None:
    refs = _refs(reviewer, **kwargs)
    assert len(refs) == len(set(refs))  # child tables never repeat a report
    assert set(refs) == expected


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (D(2023, 3, 15), D(2023, 3, 15), {"day"}),
        (D(2023, 3, 16), None, {"month", "rig-shared"}),
        (D(2023, 4, 30), D(2023, 5, 1), {"month"}),  # the last day of a month-precision date
        (D(2023, 5, 1), D(2023, 12, 31), set()),
        (D(2022, 12, 31), D(2023, 1, 1), {"year"}),  # the last day of a year-precision date
        (D(2022, 6, 1), D(2022, 6, 30), {"year"}),  # inside the year
        (None, D(2023, 3, 14), {"year"}),
        (None, D(2023, 4, 1), {"year", "day", "month"}),  # the first day of the month
        (D(2021, 1, 1), D(2021, 12, 31), set()),
    ],
)
def test_a_partial_date_matches_when_its_period_overlaps_the_range(
    reviewer: Access, date_from: dt.date | None, date_to: dt.date | None, expected: set[str]
) -> None:
    assert set(_refs(reviewer, date_from=date_from, date_to=date_to)) == expected


def test_date_sorts_put_unknown_dates_last_both_ways(reviewer: Access) -> None:
    newest = _refs(reviewer, sort="-date")
    assert newest == ["rig-shared", "month", "day", "year", "undated"]
    assert _refs(reviewer, sort="date") == ["year", "day", "month", "rig-shared", "undated"]


def test_every_sort_is_accepted_and_an_unknown_one_falls_back(reviewer: Access) -> None:
    for sort in SORTS:
        assert len(_refs(reviewer, sort=sort)) == 5
    assert _refs(reviewer, sort="narrative_text") == _refs(reviewer, sort="-date")
    assert _refs(reviewer, sort="ref") == sorted(_refs(reviewer))
    assert _refs(reviewer, sort="-ref") == sorted(_refs(reviewer), reverse=True)


def test_pages_are_stable_and_cover_every_report_once(network_world: dict[str, Report], store: Any) -> None:
    total = PAGE_SIZE * 2 + 7
    with scopes_disabled():
        # the same date on every report: only the tie-breaker orders them
        save([_raw(f"p{n:03}", date="2024-01") for n in range(total)], store)
        access = access_for(User.objects.get(email="reviewer@rigardu.test"))
        pages = [list_page(access, ReportFilter(sort="-date"), number) for number in (1, 2, 3)]
        again = list_page(access, ReportFilter(sort="-date"), 2)
    seen = [row.ref for page in pages for row in page.rows]
    assert len(seen) == len(set(seen)) == total + 1  # and rig-shared
    assert [row.ref for row in again.rows] == [row.ref for row in pages[1].rows]
    assert [p.has_next for p in pages] == [True, True, False]
    assert pages[0].count == total + 1


def test_the_count_stops_at_the_cap(network_world: dict[str, Report], store: Any) -> None:
    with scopes_disabled():
        save([_raw(f"c{n:04}") for n in range(COUNT_CAP + 1)], store)
        access = access_for(User.objects.get(email="reviewer@rigardu.test"))
        page = list_page(access, ReportFilter(), 1)
        assert page.count is None and page.has_next
        assert list_page(access, ReportFilter(text="nothing"), 1).count == 0


def test_listing_a_page_takes_a_fixed_number_of_queries(
    reviewer: Access, django_assert_max_num_queries: Any
) -> None:
    with scopes_disabled(), django_assert_max_num_queries(9):
        page = list_page(reviewer, ReportFilter(), 1)
    assert len(page.rows) == 5

"""Only people who record for the report's organisation reach its intake pages and drafts."""

from __future__ import annotations

import pytest
from django.test import Client

from bordermonitor.storage.models import Report
from tests.web.intake.helpers import status_of, stored

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email",
    ["documenter@rigardu.test", "reviewer@rigardu.test", "coordinator@network.test", "analyst@nnk.test"],
)
def test_people_who_do_not_record_for_the_organisation_get_404(login, network_world, email: str) -> None:  # type: ignore[no-untyped-def]
    client: Client = login(email)
    for ref in ("nnk-draft", "nnk-shared"):
        pk = network_world[ref].pk
        assert client.get(f"/reports/{pk}/edit/interview/").status_code == 404
        assert client.post(f"/reports/{pk}/edit/interview/", {"kind": "media"}).status_code == 404
        assert client.get(f"/reports/{pk}/draft/").status_code == 404
        assert client.post(f"/reports/{pk}/draft/", "{}", content_type="application/json").status_code == 404
    assert stored(network_world["nnk-draft"].pk)["kind"] == "testimony"


def test_a_report_that_does_not_exist_is_404_too(login) -> None:  # type: ignore[no-untyped-def]
    assert login("documenter@nnk.test").get("/reports/999999/edit/interview/").status_code == 404


def test_analysts_and_coordinators_cannot_start_a_report(login) -> None:  # type: ignore[no-untyped-def]
    for email in ("analyst@nnk.test", "coordinator@network.test"):
        client: Client = login(email)
        assert client.get("/reports/new/").status_code == 404
        assert "/reports/new/" not in client.get("/").content.decode()
    assert 'href="/reports/new/"' in login("documenter@nnk.test").get("/").content.decode()


def test_a_submitted_report_is_read_only_for_its_documenter(login, network_world) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    report: Report = network_world["nnk-shared"]
    page = client.get(f"/reports/{report.pk}/edit/when-where/").content.decode()
    assert "data-readonly" in page and "cannot be edited by you" in page
    assert '<form method="post" action="/reports/' not in page
    response = client.post(f"/reports/{report.pk}/edit/when-where/", {"version": "1", "place": "elsewhere"})
    assert response.status_code == 403
    assert stored(report.pk)["incident"]["location"]["place"] == "Bihać"
    assert status_of(report.pk) == "submitted"


def test_a_reviewer_may_still_edit_a_submitted_report(login, network_world) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("reviewer@nnk.test")
    report: Report = network_world["nnk-shared"]
    page = client.get(f"/reports/{report.pk}/edit/when-where/").content.decode()
    assert "data-readonly" not in page and 'id="save-and-continue"' in page


def test_arabic_pages_are_right_to_left_with_arabic_typology_and_countries(login, network_world) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    pk = network_world["nnk-draft"].pk
    page = client.get(f"/reports/{pk}/edit/violence/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "الضرب" in page  # "beating" from the typology
    chain = client.get(f"/reports/{pk}/edit/chain/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "كرواتيا" in chain  # Croatia
    assert 'value="SI" selected' in chain and 'value="HR" selected' in chain

"""Recording a report through every step of the intake form, as a documenter without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import Report
from tests.web.intake.helpers import report_id, save_step, start, status_of, stored

pytestmark = pytest.mark.django_db

INTERVIEW = {
    "kind": "testimony",
    "recorded_on": "2024-05-03",
    "language": "ar",
    "consent_publish": "yes",
    "consent_share": "no",
    "consent_legal": "unknown",
}


def test_a_report_recorded_step_by_step_holds_exactly_what_was_typed(login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    response, _token = start(client, INTERVIEW)
    assert response.status_code == 303
    assert response["Location"].endswith("/edit/when-where/")
    pk = report_id(response["Location"])
    assert status_of(pk) == "draft"

    steps = [
        (
            "when-where",
            {
                "date_year": "2024",
                "date_month": "5",
                "date_day": "",
                "time": "04:30",
                "lat": "45.1847",
                "lon": "15.7773",
                "precision_m": "1000",
                "place": "near Zagrad",
                "country": "BA",
                "region": "",
                "incident_kind": "chain_pushback",
            },
        ),
        (
            "group",
            {
                "group_size": "8",
                "minors": "2",
                "women": "",
                "men": "5",
                "minors_involved": "yes",
                "ages": "3, 5, 16, 28",
                "nationalities": ["IQ", "SY"],
            },
        ),
        (
            "chain",
            {
                "expelled_by": ["SI", "HR", "", "", ""],
                "expelled_to": "BA",
                "asylum_requested": "yes",
                "taken_to_police_station": "no",
                "detention_hours": "",
            },
        ),
        (
            "violence",
            {
                "violence": ["beating", "dog_attack", "other"],
                "violence_detail_beating": "batons",
                "violence_detail_dog_attack": "",
                "violence_detail_other": "cutting up the shoe soles",
                "officers_min": "25",
                "officers_max": "30",
                "officers_description": "black uniforms, balaclavas",
                "perpetrator_authority": ["HR-police", "", ""],
                "perpetrator_unit": ["", "", ""],
                "perpetrator_description": ["at the border", "", ""],
            },
        ),
        (
            "medical",
            {"injuries": "yes", "medical_documented": "", "dead": "", "missing": "", "survivors": ""},
        ),
        (
            "narrative",
            {"title": "They took our phones", "narrative": "We walked for two days.", "translation_en": ""},
        ),
        ("evidence", {}),
    ]
    following = ["group", "chain", "violence", "medical", "narrative", "evidence", "submit"]
    for (slug, data), then in zip(steps, following, strict=True):
        response = save_step(client, pk, slug, data)
        assert response.status_code == 303, (slug, response.content.decode()[:3000])
        assert response["Location"] == f"/reports/{pk}/edit/{then}/"

    summary = client.get(f"/reports/{pk}/edit/submit/").content.decode()
    assert "data-summary" in summary
    assert "We walked for two days." not in summary  # the account is not shown on the review screen
    response = client.post(f"/reports/{pk}/edit/submit/", {"version": "0"})
    assert response.status_code == 303
    assert status_of(pk) == "submitted"

    record = stored(pk)
    assert record["kind"] == "testimony"
    assert record["recorded_on"] == "2024-05-03"
    assert record["consent"] == {"publish": True, "share_with_network": False, "legal_use": None}
    assert record["narrative"] == {
        "text": "We walked for two days.",
        "language": "ar",
        "translation_en": None,
    }
    assert record["title"] == "They took our phones"
    incident = record["incident"]
    assert incident["date"] == "2024-05"  # no day was given: none is invented
    assert incident["time"] == "04:30"
    assert incident["location"] == {
        "lat": 45.1847,
        "lon": 15.7773,
        "precision_m": 1000.0,
        "place": "near Zagrad",
        "country": "BA",
        "region": None,
    }
    assert incident["kind"] == "chain_pushback"
    assert incident["expelled_by"] == ["SI", "HR"]
    assert incident["expelled_to"] == "BA"
    assert incident["group"] == {
        "size": 8,
        "minors": 2,
        "women": None,
        "men": 5,
        "minors_involved": "yes",
        "ages": "3, 5, 16, 28",
        "nationalities": ["IQ", "SY"],
        "origin_regions": [],
    }
    assert incident["asylum_requested"] == "yes"
    assert incident["taken_to_police_station"] == "no"
    assert incident["detention_hours"] is None
    assert incident["violence"] == [
        {"type": "beating", "detail": "batons"},
        {"type": "dog_attack", "detail": None},
        {"type": "other", "detail": "cutting up the shoe soles"},
    ]
    assert incident["officers"] == {"min": 25, "max": 30, "description": "black uniforms, balaclavas"}
    assert incident["perpetrators"] == [
        {"authority": "HR-police", "unit": None, "description": "at the border"}
    ]
    assert incident["medical"] == {"injuries": "yes", "documented": None}
    assert (incident["dead"], incident["missing"], incident["survivors"]) == (None, None, None)
    assert incident["causes_of_death"] == []


def test_a_first_step_sent_twice_creates_one_report(login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    first, token = start(client, INTERVIEW)
    again = client.post(
        "/reports/new/",
        {
            "organisation": client.get("/reports/new/").context["organisation"].pk,
            "intake_token": token,
            **INTERVIEW,
        },
    )
    assert first.status_code == again.status_code == 303
    assert first["Location"] == again["Location"]
    with scopes_disabled():
        assert Report.objects.filter(intake_token=token).count() == 1


def test_the_step_navigation_jumps_to_any_step(login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    response, _ = start(client, INTERVIEW)
    pk = report_id(response["Location"])
    page = client.get(f"/reports/{pk}/edit/medical/").content.decode()
    assert 'data-step="medical"' in page
    for slug in ("interview", "when-where", "group", "chain", "violence", "narrative", "evidence", "submit"):
        assert f'href="/reports/{pk}/edit/{slug}/"' in page


def test_an_htmx_save_answers_with_the_next_step_and_its_address(login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    response, _ = start(client, INTERVIEW)
    pk = report_id(response["Location"])
    response = save_step(client, pk, "group", {"group_size": "3"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"/reports/{pk}/edit/chain/"
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="intake"')  # the step alone, swapped into the page
    assert 'data-step="chain"' in page
    assert stored(pk)["incident"]["group"]["size"] == 3


def test_the_person_chooses_the_organisation_when_recording_for_several(login) -> None:  # type: ignore[no-untyped-def]
    from bordermonitor.storage.accounts import add_user
    from bordermonitor.storage.audit import acting_as
    from tests.network import PASSWORD

    with scopes_disabled(), acting_as("cli"):
        add_user(email="documenter@nnk.test", organisation="rigardu", role="documenter", password=PASSWORD)
    client: Client = login("documenter@nnk.test")
    page = client.get("/reports/new/").content.decode()
    assert 'data-step="start"' in page
    assert 'data-organisation="nnk"' in page and 'data-organisation="rigardu"' in page
    response, _ = start(client, INTERVIEW, organisation="rigardu")
    pk = report_id(response["Location"])
    with scopes_disabled():
        assert Report.objects.get(pk=pk).ref.startswith("rigardu-")

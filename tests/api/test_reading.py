"""Reading through the API: every role sees what the access rules allow, other organisations' reports answer
404 with no data, analysts get no narrative, title or place, and each personal-data read is audited once."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django_scopes import scopes_disabled

from bordermonitor.storage.models import AuditEvent, Report
from tests.api.conftest import TokenClient
from tests.network import ORGANISATIONS, ROLES

pytestmark = pytest.mark.django_db

# What each account may see, by ref, and how: the access rules of METHODOLOGY §1.
SEES: dict[str, dict[str, str]] = {
    **{
        f"{role}@nnk.test": {"nnk-shared": "full", "nnk-private": "full", "nnk-draft": "full"}
        for role in ("documenter", "reviewer", "admin")
    },
    **{f"{role}@rigardu.test": {"rig-shared": "full"} for role in ("documenter", "reviewer", "admin")},
    "analyst@nnk.test": {"nnk-shared": "pseudonymised", "nnk-private": "pseudonymised"},
    "analyst@rigardu.test": {"rig-shared": "pseudonymised"},
    "coordinator@nnk.test": {"nnk-shared": "network"},
    "coordinator@rigardu.test": {"nnk-shared": "network"},
    "coordinator@network.test": {"nnk-shared": "network"},
}
ACCOUNTS = sorted(SEES)
assert len(ACCOUNTS) == len(ROLES) * len(ORGANISATIONS) + 1


def _views(response_body: dict) -> dict[int, str]:  # type: ignore[type-arg]
    return {item["id"]: item["view"] for item in response_body["items"]}


@pytest.mark.parametrize("email", ACCOUNTS)
def test_each_account_lists_exactly_what_it_may_see(
    email: str, network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    response = token_for(email).get("/reports")
    assert response.status_code == 200
    expected = {network_world[ref].pk: view for ref, view in SEES[email].items()}
    assert _views(response.json()) == expected
    hidden = [ref for ref in network_world if SEES[email].get(ref) not in ("full", "network")]
    for ref in hidden:
        assert f"CANARY-{ref}".encode() not in response.content


@pytest.mark.parametrize("email", ACCOUNTS)
def test_another_organisations_report_is_not_found_on_every_endpoint(
    email: str, network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    client = token_for(email)
    for ref, report in network_world.items():
        if ref in SEES[email]:
            continue
        for path in (
            f"/reports/{report.pk}",
            f"/reports/{report.pk}/transitions",
            f"/reports/{report.pk}/evidence",
            f"/incidents/{report.incident_id}",
        ):
            response = client.get(path)
            assert response.status_code == 404, (email, path)
            assert response.json() == {"error": {"code": "not_found", "message": "not found", "fields": []}}
        for response in (
            client.put(f"/reports/{report.pk}", {"kind": "testimony", "version": 1}),
            client.post(f"/reports/{report.pk}/transitions", {"target": "in_review"}),
        ):
            assert response.status_code == 404, (email, ref)
            assert b"CANARY" not in response.content


def test_a_report_that_does_not_exist_answers_like_a_hidden_one(
    token_for: Callable[[str], TokenClient],
) -> None:
    response = token_for("reviewer@nnk.test").get("/reports/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("email", ["analyst@nnk.test", "analyst@rigardu.test"])
def test_analysts_get_no_narrative_title_place_or_ref(
    email: str, network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    client = token_for(email)
    bodies = [client.get("/reports").content]
    for ref in SEES[email]:
        report = network_world[ref]
        bodies.append(client.get(f"/reports/{report.pk}").content)
        bodies.append(client.get(f"/incidents/{report.incident_id}").content)
        assert client.get(f"/reports/{report.pk}/evidence").status_code == 403
        assert client.get(f"/reports/{report.pk}/transitions").status_code == 403
    for content in bodies:
        for ref in network_world:
            assert f"CANARY-{ref}".encode() not in content
            assert f"Pushback near the river ({ref})".encode() not in content
            assert f'"{ref}"'.encode() not in content
        assert "Bihać".encode() not in content and b"Biha\\u0107" not in content
    item = json.loads(bodies[0])["items"][0]
    assert item["view"] == "pseudonymised" and item["pseudonym"].startswith("p-")
    assert item["incident"]["location"] == {"lat": 45.2, "lon": 15.8, "country": "BA", "region": None}


def test_a_coordinator_reads_a_shared_report_as_the_network_sees_it(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    report = network_world["nnk-shared"]
    response = token_for("coordinator@network.test").get(f"/reports/{report.pk}")
    assert response.status_code == 200
    assert response.json()["view"] == "network"
    assert response.json()["narrative"]["text"].startswith("CANARY-nnk-shared")


def _views_logged(report: Report) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(action="view", object_type="report", object_id=report.pk).count()


def test_each_read_of_personal_data_is_audited_once_and_pseudonymised_reads_are_not(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    report = network_world["nnk-shared"]
    reviewer, analyst = token_for("reviewer@nnk.test"), token_for("analyst@nnk.test")
    before = _views_logged(report)
    response = reviewer.get(f"/reports/{report.pk}")
    assert response.status_code == 200 and response["ETag"] == f'"{report.version}"'
    assert _views_logged(report) == before + 1
    reviewer.get(f"/reports/{report.pk}")
    assert _views_logged(report) == before + 2
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="view", object_id=report.pk).last()
        user_id = reviewer_id = event.actor  # noqa: F841
    assert reviewer_id.startswith("user:")
    analyst.get(f"/reports/{report.pk}")
    assert _views_logged(report) == before + 2
    token_for("coordinator@network.test").get(f"/reports/{report.pk}")
    assert _views_logged(report) == before + 3


def test_listing_pages_with_a_next_link_and_filters(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    client = token_for("reviewer@nnk.test")
    first = client.get("/reports", limit=2, sort="ref").json()
    assert [item["ref"] for item in first["items"]] == ["nnk-draft", "nnk-private"]
    assert first["next"] is not None and "cursor=" in first["next"]
    second = client.client.get(first["next"], headers={"Authorization": f"Bearer {client.token}"}).json()
    assert [item["ref"] for item in second["items"]] == ["nnk-shared"]
    assert second["next"] is None
    drafts = client.get("/reports", status="draft").json()
    assert [item["ref"] for item in drafts["items"]] == ["nnk-draft"]
    bad = client.get("/reports", cursor="not-a-cursor")
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["path"] == "cursor"
    wrong = client.get("/reports", limit=1000)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"][0]["path"] == "limit"


def test_search_finds_reports_by_their_place_within_what_the_person_sees(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    found = token_for("reviewer@nnk.test").get("/search", q="Bihać").json()
    assert {item["ref"] for item in found["items"]} == {"nnk-shared", "nnk-private", "nnk-draft"}
    other = token_for("reviewer@rigardu.test").get("/search", q="CANARY-nnk-shared")
    assert other.status_code == 200 and other.json()["items"] == []
    assert b"CANARY-nnk" not in other.content


def test_an_incident_shows_the_reports_the_person_may_see(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    report = network_world["nnk-shared"]
    body = token_for("reviewer@nnk.test").get(f"/incidents/{report.incident_id}").json()
    assert body["ref"] == report.incident.ref
    assert [item["id"] for item in body["reports"]] == [report.pk]
    pseudonymised = token_for("analyst@nnk.test").get(f"/incidents/{report.incident_id}").json()
    assert pseudonymised["ref"] is None


def test_me_lists_roles_by_organisation(token_for: Callable[[str], TokenClient]) -> None:
    body = token_for("coordinator@network.test").get("/me").json()
    assert body["authenticated_by"] == "token" and body["coordinator"] is True
    assert [(m["organisation"], m["roles"]) for m in body["organisations"]] == [
        ("nnk", ["coordinator"]),
        ("rigardu", ["coordinator"]),
    ]


def test_evidence_lists_metadata_only(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    report = network_world["nnk-shared"]
    response = token_for("reviewer@nnk.test").get(f"/reports/{report.pk}/evidence")
    assert response.status_code == 200 and response.json() == []

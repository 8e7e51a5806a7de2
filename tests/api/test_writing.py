"""Writing through the API: create (idempotent), edit with optimistic locking, the review workflow, and the
one error shape for every refusal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django_scopes import scopes_disabled

from bordermonitor.storage.models import Report, ReportTransition
from tests.api.conftest import TokenClient

pytestmark = pytest.mark.django_db

NEW: dict[str, Any] = {
    "organisation": "nnk",
    "kind": "testimony",
    "title": "Dogs at the border fence",
    "narrative": {"text": "They set dogs on us near the fence.", "language": "en"},
    "incident": {
        "date": "2025-02",
        "kind": "pushback",
        "expelled_by": ["HR"],
        "violence": [{"type": "dog_attack"}],
        "group": {"size": 4},
    },
}


def test_create_edit_and_a_stale_edit_is_refused_with_the_changed_fields(
    token_for: Callable[[str], TokenClient],
) -> None:
    documenter, reviewer = token_for("documenter@nnk.test"), token_for("reviewer@nnk.test")
    created = documenter.post("/reports", NEW)
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["status"] == "draft" and report["ref"].startswith("nnk-")
    assert created["ETag"] == '"1"' and created["Location"].endswith(f"/api/v1/reports/{report['id']}")

    edit = {k: v for k, v in NEW.items() if k != "organisation"}
    first = reviewer.put(
        f"/reports/{report['id']}",
        {**edit, "incident": {**NEW["incident"], "group": {"size": 5}}},
        headers={"If-Match": created["ETag"]},
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2 and first["ETag"] == '"2"'
    assert first.json()["incident"]["group"]["size"] == 5

    stale = documenter.put(f"/reports/{report['id']}", {**edit, "title": "Dogs and batons", "version": 1})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict"
    assert [field["path"] for field in error["fields"]] == ["incident.group.size"]
    assert stale["ETag"] == '"2"'

    retried = documenter.put(f"/reports/{report['id']}", {**edit, "title": "Dogs and batons", "version": 2})
    assert retried.status_code == 200 and retried.json()["title"] == "Dogs and batons"


def test_an_edit_must_say_which_version_it_started_from(token_for: Callable[[str], TokenClient]) -> None:
    client = token_for("documenter@nnk.test")
    report = client.post("/reports", NEW).json()
    response = client.put(f"/reports/{report['id']}", {"kind": "testimony"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "version"


def test_a_retried_create_with_the_same_idempotency_key_returns_the_same_report(
    token_for: Callable[[str], TokenClient],
) -> None:
    client = token_for("documenter@nnk.test")
    key = str(uuid.uuid4())
    first = client.post("/reports", NEW, headers={"Idempotency-Key": key})
    again = client.post("/reports", NEW, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    with scopes_disabled():
        assert [r.title for r in Report.objects.all()].count(NEW["title"]) == 1  # titles are sealed
    bad = client.post("/reports", NEW, headers={"Idempotency-Key": "not-a-uuid"})
    assert bad.status_code == 422


def test_invalid_values_are_refused_with_every_field_named(token_for: Callable[[str], TokenClient]) -> None:
    client = token_for("documenter@nnk.test")
    body = {
        **NEW,
        "incident": {
            "date": "yesterday",
            "location": {"lat": 454826.06},
            "violence": [{"type": "no-such-code"}],
            "unknown_key": 1,
        },
    }
    response = client.post("/reports", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation"
    assert {field["path"] for field in error["fields"]} == {
        "incident.date",
        "incident.location.lat",
        "incident.violence[0].type",
        "incident.unknown_key",
    }
    negative = client.post("/reports", {**NEW, "incident": {"dead": -2}})
    assert negative.status_code == 422
    assert negative.json()["error"]["fields"][0]["path"] == "incident.dead"
    not_json = client.client.post(
        "/api/v1/reports",
        "{",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "validation"


def test_only_writers_of_the_named_organisation_create(token_for: Callable[[str], TokenClient]) -> None:
    for email in ("analyst@nnk.test", "coordinator@network.test", "reviewer@rigardu.test"):
        response = token_for(email).post("/reports", NEW)
        assert response.status_code == 403, email
        assert response.json()["error"]["code"] == "forbidden"


def test_a_taken_reference_is_a_conflict_not_an_overwrite(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    response = token_for("reviewer@nnk.test").post("/reports", {**NEW, "ref": "nnk-shared"})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == [{"path": "ref", "message": "is taken"}]
    with scopes_disabled():
        assert Report.objects.get(ref="nnk-shared").title == "Pushback near the river (nnk-shared)"


def test_readers_who_cannot_edit_are_refused(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    report = network_world["nnk-shared"]
    for email in ("analyst@nnk.test", "coordinator@network.test"):
        response = token_for(email).put(f"/reports/{report.pk}", {"kind": "testimony", "version": 1})
        assert response.status_code == 403, email
        assert b"CANARY" not in response.content


def test_the_review_workflow_through_the_api(
    network_world: dict[str, Report], token_for: Callable[[str], TokenClient]
) -> None:
    documenter, reviewer = token_for("documenter@nnk.test"), token_for("reviewer@nnk.test")
    report = documenter.post("/reports", NEW).json()
    path = f"/reports/{report['id']}/transitions"
    assert documenter.get(path).json() == {"status": "draft", "allowed": ["submitted"], "history": []}

    assert documenter.post(path, {"target": "submitted"}).status_code == 201
    refused = documenter.post(path, {"target": "in_review"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "refused"
    assert "reviewer" in refused.json()["error"]["message"]

    assert reviewer.post(path, {"target": "in_review"}).status_code == 201
    no_checklist = reviewer.post(path, {"target": "verified"})
    assert no_checklist.status_code == 422 and "checklist" in no_checklist.json()["error"]["message"]
    checklist = {
        code: True
        for code in (
            "consent_confirmed",
            "date_location_plausible",
            "evidence_consistent",
            "typology_coded",
            "narrative_reviewed",
        )
    }
    moved = reviewer.post(path, {"target": "verified", "checklist": checklist, "comment": "checked"})
    assert moved.status_code == 201
    assert moved.json()["source"] == "in_review" and moved.json()["target"] == "verified"
    history = reviewer.get(path).json()
    assert history["status"] == "verified"
    assert [(step["source"], step["target"]) for step in history["history"]] == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "verified"),
    ]
    with scopes_disabled():
        assert ReportTransition.objects.filter(report_id=report["id"]).count() == 3
    unknown = reviewer.post(path, {"target": "published"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["path"] == "target"

"""What is typed is kept on the server as typed, for its author only, and restored when the page opens."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import ReportDraft
from tests.network import PASSWORD
from tests.web.intake.helpers import hidden, organisation_id, report_id, save_step, start, stored
from tests.web.intake.test_flow import INTERVIEW

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, payload: dict, **extra: str):  # type: ignore[no-untyped-def, type-arg]
    return client.post(url, json.dumps(payload), content_type="application/json", **extra)


def test_autosave_needs_the_csrf_header_and_round_trips(network_world) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="documenter@nnk.test", password=PASSWORD)
    pk = network_world["nnk-draft"].pk
    page = client.get(f"/reports/{pk}/edit/when-where/").content.decode()
    url = f"/reports/{pk}/draft/"
    payload = {
        "step": "when-where",
        "data": {"place": "half-typed plac", "date_year": "20", "nationalities": ["IQ"]},
    }
    assert _post(client, url, payload).status_code == 403  # no CSRF header
    token = hidden(page, "csrfmiddlewaretoken")
    response = _post(client, url, payload, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["saved_at"]
    back = client.get(url).json()
    assert back["data"] == payload["data"]  # unvalidated, as typed
    assert back["step"] == "when-where"


def test_only_the_author_reads_a_draft_back(login, network_world) -> None:  # type: ignore[no-untyped-def]
    author: Client = login("documenter@nnk.test")
    pk = network_world["nnk-draft"].pk
    assert _post(author, f"/reports/{pk}/draft/", {"data": {"narrative": "CANARY-draft"}}).status_code == 200
    colleague: Client = login("reviewer@nnk.test")
    answer = colleague.get(f"/reports/{pk}/draft/")
    assert answer.status_code == 200 and answer.json()["data"] == {}
    assert "CANARY-draft" not in colleague.get(f"/reports/{pk}/edit/narrative/").content.decode()
    assert "CANARY-draft" in author.get(f"/reports/{pk}/edit/narrative/").content.decode()


def test_a_draft_of_a_new_report_belongs_to_its_author_and_organisation(login) -> None:  # type: ignore[no-untyped-def]
    author: Client = login("documenter@nnk.test")
    token = uuid.uuid4()
    url = f"/intake/draft/{token}/"
    nnk, rigardu = organisation_id("nnk"), organisation_id("rigardu")
    assert _post(author, url, {"organisation": rigardu, "data": {"kind": "media"}}).status_code == 404
    assert _post(author, url, {"organisation": nnk, "data": {"kind": "media"}}).status_code == 200
    assert author.get(url).json()["data"] == {"kind": "media"}
    other: Client = login("reviewer@nnk.test")
    assert other.get(url).status_code == 404
    assert _post(other, url, {"organisation": nnk, "data": {"kind": "witness"}}).status_code == 404
    assert author.get(url).json()["data"] == {"kind": "media"}
    # reopening the form with its token restores what was typed
    page = author.get(f"/reports/new/?organisation={nnk}&token={token}").content.decode()
    assert "data-restored" in page and 'value="media" selected' in page


def test_a_newer_draft_is_restored_and_a_saved_step_clears_it(login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    response, _token = start(client, INTERVIEW)
    pk = report_id(response["Location"])
    _post(
        client,
        f"/reports/{pk}/draft/",
        {"step": "group", "data": {"ages": "7, 9", "title": "kept for later"}},
    )
    page = client.get(f"/reports/{pk}/edit/group/").content.decode()
    assert "data-restored" in page and 'value="7, 9"' in page
    assert (
        "data-restored" not in client.get(f"/reports/{pk}/edit/chain/").content.decode()
    )  # nothing of chain

    assert save_step(client, pk, "group", {"ages": "7, 9"}).status_code == 303
    assert stored(pk)["incident"]["group"]["ages"] == "7, 9"
    with scopes_disabled():
        draft = ReportDraft.objects.get(report_id=pk)
    assert draft.data == {"title": "kept for later"}  # the narrative step's input is still kept
    assert "data-restored" not in client.get(f"/reports/{pk}/edit/group/").content.decode()


def test_the_first_step_draft_follows_the_report_it_created(login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    nnk = organisation_id("nnk")
    page = client.get(f"/reports/new/?organisation={nnk}").content.decode()
    token = hidden(page, "intake_token")
    _post(
        client,
        f"/intake/draft/{token}/",
        {"organisation": nnk, "data": {"kind": "witness", "place": "typed ahead"}},
    )
    response = client.post("/reports/new/", {"organisation": nnk, "intake_token": token, **INTERVIEW})
    pk = report_id(response["Location"])
    assert client.get(f"/reports/{pk}/draft/").json()["data"] == {"place": "typed ahead"}
    assert 'value="typed ahead"' in client.get(f"/reports/{pk}/edit/when-where/").content.decode()

"""Authentication: tokens (shown once, stored as a digest, revocable), sessions with CSRF, and the scope of a
token request being its owner's alone."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import ApiToken, Report, User
from bordermonitor.storage.tokens import issue_token, revoke_token
from tests.api.conftest import API, TokenClient
from tests.network import PASSWORD

pytestmark = pytest.mark.django_db


def test_no_credentials_is_unauthorised_in_the_error_shape(network_world: dict[str, Report]) -> None:
    for response in (Client().get(f"{API}/reports"), Client().post(f"{API}/reports", {}, "application/json")):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorised"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_is_stored_as_its_digest_and_a_revoked_one_is_refused(
    network_world: dict[str, Report],
) -> None:
    with scopes_disabled():
        user = User.objects.get(email="reviewer@nnk.test")
        row, token = issue_token(user=user, name="sync")
    assert token.startswith("bm_") and len(token) > 40
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    with scopes_disabled():
        assert not ApiToken.objects.filter(digest__contains=token[3:]).exists()
    client = TokenClient(token)
    assert client.get("/me").status_code == 200
    with scopes_disabled():
        first_use = ApiToken.objects.get(pk=row.pk).last_used_at
        assert first_use is not None
    client.get("/me")
    with scopes_disabled():
        assert ApiToken.objects.get(pk=row.pk).last_used_at == first_use  # at most once a minute
        assert revoke_token(user=user, token_id=row.pk)
    refused = client.get("/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorised"
    assert TokenClient("bm_made-up").get("/reports").status_code == 401


def test_a_token_request_is_scoped_to_its_owner_not_to_the_session(
    network_world: dict[str, Report], login: Callable[[str], Client]
) -> None:
    """Signed in as a rigardu reviewer, calling with an nnk analyst's token: only the analyst's view."""
    session = login("reviewer@rigardu.test")
    with scopes_disabled():
        _row, token = issue_token(user=User.objects.get(email="analyst@nnk.test"), name="t")
    headers = {"Authorization": f"Bearer {token}"}
    listed = session.get(f"{API}/reports", headers=headers)
    assert listed.status_code == 200
    assert {item["view"] for item in listed.json()["items"]} == {"pseudonymised"}
    assert b"CANARY" not in listed.content
    rig = network_world["rig-shared"]
    assert session.get(f"{API}/reports/{rig.pk}", headers=headers).status_code == 404
    assert session.get(f"{API}/reports/{rig.pk}").status_code == 200  # the session alone: its own rights
    wrong = session.get(f"{API}/reports/{rig.pk}", headers={"Authorization": "Bearer bm_wrong"})
    assert wrong.status_code == 401  # a bad token never falls back to the session


def test_session_writes_need_the_csrf_token(network_world: dict[str, Report]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="documenter@nnk.test", password=PASSWORD)
    body = {"organisation": "nnk", "kind": "testimony"}
    refused = client.post(f"{API}/reports", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    client.get("/account/tokens/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        f"{API}/reports", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201
    assert client.get(f"{API}/me").json()["authenticated_by"] == "session"


def test_the_token_page_shows_a_new_token_once_and_revokes_it(
    network_world: dict[str, Report], login: Callable[[str], Client]
) -> None:
    client = login("documenter@nnk.test")
    page = client.get("/account/tokens/")
    assert page.status_code == 200 and b"API tokens" in page.content
    created = client.post("/account/tokens/", {"name": "office laptop"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    with scopes_disabled():
        row = ApiToken.objects.get(name="office laptop")
    token = created.content.decode().split('value="bm_', 1)[1].split('"', 1)[0]
    assert TokenClient("bm_" + token).get("/me").status_code == 200
    assert b"bm_" + token.encode() not in client.get("/account/tokens/").content
    revoked = client.post(f"/account/tokens/{row.pk}/revoke/")
    assert revoked.status_code == 302
    assert TokenClient("bm_" + token).get("/me").status_code == 401
    other = login("reviewer@nnk.test")
    with scopes_disabled():
        _row, mine = issue_token(user=User.objects.get(email="reviewer@nnk.test"), name="mine")
        theirs = ApiToken.objects.get(name="mine")
    client.post(f"/account/tokens/{theirs.pk}/revoke/")  # someone else's token: nothing happens
    assert TokenClient(mine).get("/me").status_code == 200
    assert other.get("/account/tokens/").status_code == 200


def test_the_docs_page_uses_no_third_party_assets(network_world: dict[str, Report]) -> None:
    page = Client().get(f"{API}/docs")
    assert page.status_code == 200
    assert b"cdn" not in page.content.lower() and b"/static/ninja/swagger-ui-bundle" in page.content
    schema = Client().get(f"{API}/openapi.json").json()
    assert "/api/v1/reports/{report_id}" in schema["paths"]

"""The staff list of reports (/reports/): scoping per role, filters in the URL, sorting, pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.storage.models import AuditEvent, Report
from tests.storage.helpers import save

Login = Callable[[str], Client]
CANARIES = ("nnk-shared", "nnk-private", "nnk-draft", "rig-shared")


def _page(client: Client, query: str = "") -> str:
    response = client.get("/reports/" + query)
    assert response.status_code == 200
    return response.content.decode()


def _refs(html: str) -> set[str]:
    return {ref for ref in CANARIES if f">{ref}<" in html}


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("documenter@nnk.test", {"nnk-shared", "nnk-private", "nnk-draft"}),
        ("reviewer@rigardu.test", {"rig-shared"}),
        ("admin@rigardu.test", {"rig-shared"}),
        ("coordinator@network.test", {"nnk-shared"}),  # rigardu does not share; nnk-private has no consent
    ],
)
def test_each_role_lists_only_the_reports_it_may_see(login: Login, email: str, expected: set[str]) -> None:
    html = _page(login(email))
    assert _refs(html) == expected
    for ref in set(CANARIES) - expected:
        assert f"({ref})" not in html  # nor its title


def test_rows_link_to_the_record_page_and_show_coded_fields_in_the_persons_language(
    login: Login, network_world: dict[str, Report]
) -> None:
    client = login("reviewer@nnk.test")
    client.post("/i18n/setlang/", {"language": "fr"})
    html = _page(client)
    assert f'href="/reports/{network_world["nnk-shared"].pk}/"' in html
    assert "Slovénie" in html and "Croatie" in html  # the expelling chain, named in French
    assert "CANARY" not in html  # lists never show narratives


def test_an_analyst_sees_pseudonyms_only(login: Login, network_world: dict[str, Report]) -> None:
    html = _page(login("analyst@nnk.test"))
    assert _refs(html) == set()
    assert "Pushback near the river" not in html  # no titles
    assert "Bihać" not in html  # no places
    assert html.count('class="code">p-') == 2  # nnk-shared and nnk-private; not the draft
    assert f'href="/reports/{network_world["nnk-shared"].pk}/"' in html


def test_listing_writes_no_audit_events(login: Login) -> None:
    client = login("reviewer@nnk.test")
    with scopes_disabled():
        before = AuditEvent.objects.count()
    _page(client, "?q=Biha%C4%87&sort=ref")
    with scopes_disabled():
        assert AuditEvent.objects.count() == before


def test_filters_from_the_query_string_narrow_the_list_and_stay_in_the_form(login: Login) -> None:
    client = login("reviewer@nnk.test")
    html = _page(client, "?status=draft")
    assert _refs(html) == {"nnk-draft"}
    assert re.search(r'value="draft"[^>]*checked', html)
    assert not re.search(r'value="submitted"[^>]*checked', html)
    assert _refs(_page(client, "?status=submitted&q=Biha%C4%87")) == {"nnk-shared", "nnk-private"}
    html = _page(client, "?q=nothing-like-this")
    assert _refs(html) == set()
    assert "No report matches this filter." in html


def test_a_bad_value_is_reported_next_to_its_field_and_the_rest_still_applies(login: Login) -> None:
    html = _page(login("reviewer@nnk.test"), "?date_from=2024-13-45&status=draft&country=ZZ")
    assert html.count('class="error"') == 2
    assert _refs(html) == {"nnk-draft"}
    assert 'value="2024-13-45"' in html  # what was typed is kept


def test_the_organisation_filter_offers_only_organisations_the_person_sees(login: Login) -> None:
    html = _page(login("reviewer@nnk.test"))
    assert "Rigardu Border Watch" not in html
    html = _page(login("coordinator@network.test"))
    assert "Rigardu Border Watch" not in html  # rigardu shares nothing with the network


def test_column_headers_sort_and_keep_the_filter(login: Login) -> None:
    client = login("reviewer@nnk.test")
    html = _page(client, "?q=Biha%C4%87&sort=ref")
    assert html.index(">nnk-draft<") < html.index(">nnk-private<") < html.index(">nnk-shared<")
    assert 'aria-sort="ascending"' in html
    assert 'href="?q=Biha%C4%87&amp;sort=-ref"' in html
    html = _page(client, "?q=Biha%C4%87&sort=-ref")
    assert html.index(">nnk-shared<") < html.index(">nnk-private<") < html.index(">nnk-draft<")


def test_pages_of_fifty_with_next_and_previous(login: Login, store: Any) -> None:
    client = login("reviewer@rigardu.test")
    with scopes_disabled():
        save(
            [{"ref": f"rig-{n:03}", "organisation": "rigardu", "kind": "testimony"} for n in range(60)],
            store,
        )
    first = _page(client, "?sort=ref&status=submitted")
    assert "61 reports" in first
    assert 'href="?status=submitted&amp;sort=ref&amp;page=2"' in first and 'rel="prev"' not in first
    second = _page(client, "?sort=ref&status=submitted&page=2")
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert ">rig-059<" in second and ">rig-000<" not in second
    assert ">rig-000<" in first
    assert _page(client, "?page=abc") and _page(client, "?page=-4")


def test_a_person_without_an_organisation_sees_an_empty_list(network_world: dict[str, Report]) -> None:
    from bordermonitor.storage.models import User

    User.objects.create_user("nobody@nowhere.test", "another long passphrase")
    client = Client()
    assert client.login(username="nobody@nowhere.test", password="another long passphrase")
    html = _page(client)
    assert _refs(html) == set()
    assert "There are no reports you can see yet." in html
    assert client.get("/reports/export.csv").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(network_world: dict[str, Report]) -> None:
    response = Client().get("/reports/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_any_search_text_gives_a_page(login: Login, text: str) -> None:
    client = login("reviewer@nnk.test")
    response = client.get("/reports/", {"q": text, "sort": "ref"})
    assert response.status_code == 200


def test_an_analyst_cannot_search_or_sort_by_what_they_may_not_read(login) -> None:  # type: ignore[no-untyped-def]
    client = login("analyst@nnk.test")
    page = client.get("/reports/").content.decode()
    assert 'name="q"' not in page
    for query in ("q=CANARY-nnk-private", "q=Bihać", "flagged=no"):
        assert "p-" not in client.get(f"/reports/?{query}").content.decode().split("<tbody", 1)[-1], query
    response = client.get("/api/v1/search?q=CANARY-nnk-private")
    assert response.json()["items"] == []

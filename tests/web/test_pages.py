"""The landing page and sign-in, in the four languages, scoped to the person's organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.accounts import add_organisation, add_user
from bordermonitor.storage.audit import acting_as
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def reviewer(store: Any) -> Client:
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid")
        add_organisation(code="rigardu", name="Rigardu Border Watch")
        add_user(email="reviewer@nnk.test", organisation="nnk", role="reviewer", password=PASSWORD)
        save(
            [
                {
                    "ref": f"nnk-{n}",
                    "organisation": "nnk",
                    "kind": "testimony",
                    "incident": {
                        "date": "2021-03-04",
                        "expelled_by": ["HR"],
                        "group": {"size": 4},
                        "violence": [{"type": "dog_attack"}],
                    },
                }
                for n in range(3)
            ]
            + [
                {
                    "ref": "rig-1",
                    "organisation": "rigardu",
                    "kind": "testimony",
                    "incident": {"group": {"size": 50}},
                }
            ],
            store,
        )
    client = Client()
    assert client.login(username="reviewer@nnk.test", password=PASSWORD)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [
        ("en", "ltr", "Sign in"),
        ("fr", "ltr", "Se connecter"),
        ("ar", "rtl", "تسجيل الدخول"),
        ("fa", "rtl", "ورود"),
    ],
)
def test_sign_in_page_speaks_each_language(client: Client, language: str, direction: str, words: str) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}" dir="{direction}"' in page
    assert words in page


def test_landing_page_shows_only_the_persons_organisations(reviewer: Client) -> None:
    page = reviewer.get("/").content.decode()
    assert '<span class="value" data-figure="incidents">3</span>' in page
    assert (
        '<span class="value" data-figure="people_affected">12</span>' in page
    )  # not 62: rigardu is not theirs
    assert "North Corridor Aid" in page
    assert "Rigardu" not in page
    assert "Dog attack" in page
    assert "Croatia" in page


def test_landing_page_in_arabic_uses_arabic_labels(reviewer: Client) -> None:
    page = reviewer.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
    assert "كرواتيا" in page  # Croatia


def test_sign_out_needs_a_post_with_csrf() -> None:
    with scopes_disabled():
        add_organisation(code="nnk", name="North Corridor Aid")
        add_user(email="d@nnk.test", organisation="nnk", role="documenter", password=PASSWORD)
    client = Client(enforce_csrf_checks=True)
    client.login(username="d@nnk.test", password=PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_the_admin_shows_records_but_cannot_change_them(store: Any) -> None:
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid")
        add_user(email="admin@nnk.test", organisation="nnk", role="admin", password=PASSWORD, site_admin=True)
        save(
            [{"ref": "nnk-1", "organisation": "nnk", "kind": "testimony", "title": "kept as imported"}], store
        )
        from bordermonitor.storage.models import Report

        report = Report.objects.get()
    client = Client()
    client.login(username="admin@nnk.test", password=PASSWORD)
    assert client.get("/admin/storage/report/").status_code == 200
    page = client.get(f"/admin/storage/report/{report.pk}/change/").content.decode()
    assert "nnk-1" in page and "kept as imported" not in page  # sealed values are read on the record page
    assert 'name="_save"' not in page  # no save button: view only
    assert client.post(f"/admin/storage/report/{report.pk}/change/", {"title": "changed"}).status_code == 403
    assert client.get("/admin/storage/organisation/add/").status_code == 200  # organisations stay editable
    assert client.get("/admin/storage/auditevent/").status_code == 200


def test_the_chosen_language_follows_the_person(login: Any) -> None:
    client = login("reviewer@nnk.test")
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    assert response.status_code == 302
    other_device = login("reviewer@nnk.test")  # no cookie, a browser asking for French
    page = other_device.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fa" dir="rtl"' in page


@pytest.mark.parametrize(
    ("email", "incidents"),
    [
        ("reviewer@nnk.test", 2),  # nnk-shared and nnk-private (the draft is not counted)
        ("coordinator@network.test", 1),  # only what nnk and its sources agreed to share
        ("analyst@nnk.test", 2),
        ("reviewer@rigardu.test", 1),
    ],
)
def test_the_landing_figures_count_only_what_the_person_may_see(
    login: Any, email: str, incidents: int
) -> None:
    page = login(email).get("/").content.decode()
    assert f'<span class="value" data-figure="incidents">{incidents}</span>' in page


def test_the_landing_figures_follow_a_change(login: Any, network_world: Any) -> None:
    from bordermonitor.storage.workflow import move_report

    client = login("reviewer@nnk.test")
    assert '<span class="value" data-figure="incidents">2</span>' in client.get("/").content.decode()
    with scopes_disabled(), acting_as("cli"):
        move_report(network_world["nnk-draft"], target="submitted", roles={"documenter"})
    assert '<span class="value" data-figure="incidents">3</span>' in client.get("/").content.decode()


def test_a_coordinator_counts_only_what_is_shared_in_the_organisation_table(login: Any) -> None:
    page = login("coordinator@nnk.test").get("/").content.decode()
    row = page[page.index("North Corridor Aid") :].split("</tr>")[0]
    assert "<td>1</td>" in row  # nnk-shared only: not the private report nor the draft
    assert "<td>3</td>" not in row and "<td>2</td>" not in row

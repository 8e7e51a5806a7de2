"""The matrix dashboard: coordinators only, what the network shares only, and every count a link to its records."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import Report

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


@pytest.fixture
def verified(network_world: dict[str, Report]) -> dict[str, Report]:
    with scopes_disabled():
        Report.objects.exclude(ref="nnk-draft").update(status="verified")
    return network_world


@pytest.mark.parametrize(
    "email",
    [
        "documenter@nnk.test",
        "reviewer@nnk.test",
        "analyst@nnk.test",
        "admin@nnk.test",
        "reviewer@rigardu.test",
    ],
)
def test_only_coordinators_see_the_matrix(login: Login, verified: dict[str, Report], email: str) -> None:
    assert login(email).get("/matrix/").status_code == 404
    assert "/matrix/" not in login(email).get("/").content.decode()


def test_a_coordinator_sees_the_situations_of_what_the_network_shares(
    login: Login, verified: dict[str, Report]
) -> None:
    page = login("coordinator@network.test").get("/matrix/?period=2024-05&months=1")
    assert page.status_code == 200
    text = page.content.decode()
    # nnk-shared only: nnk-private has no consent to share, rigardu does not share with the network
    rows = re.findall(r'data-situation="([^"]+)"', text)
    assert rows == ["unidentified:SI~hr-ba-una-sana~dog_attack", "unidentified:SI~hr-ba-una-sana~beating"]
    assert "Unidentified authorities (Slovenia)" in text
    assert "Croatia–Bosnia border (Una-Sana, Karlovac, Lika)" in text
    assert "CANARY" not in text
    assert "<strong>Frequency</strong>" in text  # how the priority is computed is on the page


def test_every_count_links_to_exactly_its_records(login: Login, verified: dict[str, Report]) -> None:
    client = login("coordinator@network.test")
    text = client.get("/matrix/?period=2024-05&months=1").content.decode()
    link = html.unescape(
        re.search(r'<a class="n" href="(/reports/\?[^"]+situation=[^"]+)">1</a>', text).group(1)
    )
    listed = client.get(link).content.decode()
    assert "nnk-shared" in listed
    assert "nnk-private" not in listed and "rig-shared" not in listed
    assert "The incidents counted in the matrix" in listed


def test_sorting_and_a_bad_period_keep_the_page_working(login: Login, verified: dict[str, Report]) -> None:
    client = login("coordinator@network.test")
    page = client.get("/matrix/?period=2024-05&months=1&sort=influence")
    assert page.status_code == 200 and 'aria-current="true">Ability to influence' in page.content.decode()
    bad = client.get("/matrix/?period=May&months=7")
    assert bad.status_code == 200
    assert "Enter a valid date" in bad.content.decode() and "Select a valid choice" in bad.content.decode()


def test_a_forged_situation_in_the_list_is_refused_next_to_the_filter(
    login: Login, verified: dict[str, Report]
) -> None:
    client = login("coordinator@network.test")
    page = client.get("/reports/?situation=x~nowhere~flying&date_from=2024-05-01&date_to=2024-05-31")
    assert page.status_code == 200
    assert "This is not a situation of the monitoring matrix." in page.content.decode()
    undated = client.get("/reports/?situation=unidentified:SI~hr-ba-una-sana~beating")
    assert "give both" in undated.content.decode()


def test_the_list_finds_the_records_naming_an_authority_or_any_of_its_units(
    login: Login, verified: dict[str, Report], store: object
) -> None:
    from bordermonitor.storage.models import Stakeholder
    from tests.storage.helpers import save

    with scopes_disabled():
        save(
            [
                {"ref": f"nnk-{unit}", "organisation": "nnk", "kind": "testimony", "status": "verified",
                 "consent": {"share_with_network": True},
                 "incident": {"date": "2024-05-02", "perpetrators": [{"authority": unit}]}}
                for unit in ("HR-police-special", "HR-police", "HU-police")
            ],
            store,  # type: ignore[arg-type]
        )  # fmt: skip
        police = Stakeholder.objects.get(code="HR-police")
        Stakeholder.objects.filter(code="HR-police-special").update(parent=police, kind="unit")
    listed = login("reviewer@nnk.test").get("/reports/?authority=HR-police").content.decode()
    assert "nnk-HR-police-special" in listed and "nnk-HR-police<" in listed
    assert "nnk-HU-police" not in listed and "nnk-shared" not in listed

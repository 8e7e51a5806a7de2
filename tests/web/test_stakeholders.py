"""The coordinators' stakeholder pages through the Django test client: who gets in, the register, the engagement
log, action plans with their automatic engagement events, the charter and its signatures, bad input answered
next to its field; and, in a real browser, the pages at phone width and right to left."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import (
    ActionPlan,
    AuditEvent,
    CharterVersion,
    EngagementEvent,
    Report,
    Stakeholder,
    User,
)
from bordermonitor.storage.stakeholders import create_stakeholder
from tests.network import PASSWORD
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
COORDINATOR = "coordinator@network.test"
AUDIT = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")


@pytest.fixture
def police(network_world: dict[str, Report]) -> Stakeholder:
    with scopes_disabled(), acting_as("cli"):
        authority = create_stakeholder(
            code="HR-police", name="Croatian police", kind="authority", country="HR"
        )
        create_stakeholder(code="HR-police-border", name="Border police", kind="unit", parent="HR-police")
        return authority


def _field(page: str, name: str) -> str:
    """The block of the field ``name`` (its label, input and errors)."""
    match = re.search(rf'<div class="field[^"]*" data-field="{name}">(.*?)\n</div>', page, re.S)
    assert match, f"no field {name}"
    return match.group(1)


def _objects(police: Stakeholder) -> dict[str, int]:
    with scopes_disabled(), acting_as("cli"):
        from bordermonitor.storage.stakeholders import (
            add_measure,
            add_target,
            create_charter_version,
            create_plan,
            log_engagement,
            sign_charter,
        )

        event = log_engagement(police, stage="contacted", on=dt.date(2021, 1, 5))
        plan = create_plan(police, title="Plan", status="adopted", adopted_on=dt.date(2022, 1, 1))
        target = add_target(plan, area="hr-ba-una-sana", violence=None)
        measure = add_measure(plan, description="Numbers on uniforms")
        charter = create_charter_version(
            title="Charter", text="No violence.", published_on=dt.date(2021, 1, 1)
        )
        signature = sign_charter(charter, stakeholder=police, signed_on=dt.date(2021, 3, 1))
    return {
        "stakeholder": police.pk,
        "event": event.pk,
        "plan": plan.pk,
        "target": target.pk,
        "measure": measure.pk,
        "charter": charter.pk,
        "signature": signature.pk,
    }


def _urls(ids: dict[str, int]) -> list[tuple[str, str]]:
    """Every stakeholder page and action: (method, url)."""
    s, e, p, t, m, c, g = (
        ids[k] for k in ("stakeholder", "event", "plan", "target", "measure", "charter", "signature")
    )
    return [
        ("get", "/stakeholders/"),
        ("get", "/stakeholders/new/"),
        ("post", "/stakeholders/new/"),
        ("get", f"/stakeholders/{s}/"),
        ("get", f"/stakeholders/{s}/edit/"),
        ("post", f"/stakeholders/{s}/edit/"),
        ("post", f"/stakeholders/{s}/engagement/"),
        ("get", f"/stakeholders/engagement/{e}/"),
        ("post", f"/stakeholders/engagement/{e}/remove/"),
        ("get", f"/stakeholders/{s}/plans/new/"),
        ("get", f"/stakeholders/plans/{p}/"),
        ("post", f"/stakeholders/plans/{p}/edit/"),
        ("post", f"/stakeholders/plans/{p}/targets/"),
        ("post", f"/stakeholders/targets/{t}/remove/"),
        ("post", f"/stakeholders/plans/{p}/measures/"),
        ("get", f"/stakeholders/measures/{m}/"),
        ("post", f"/stakeholders/measures/{m}/remove/"),
        ("get", "/charter/"),
        ("get", "/charter/new/"),
        ("get", f"/charter/{c}/"),
        ("get", f"/charter/{c}/edit/"),
        ("post", f"/charter/{c}/sign/"),
        ("post", f"/charter/signatures/{g}/remove/"),
    ]


@pytest.mark.parametrize("role", ["documenter", "reviewer", "analyst", "admin"])
def test_anyone_but_coordinators_gets_404_and_changes_nothing(
    role: str, login: Login, police: Stakeholder
) -> None:
    ids = _objects(police)
    before = AuditEvent.objects.count()
    client = login(f"{role}@nnk.test")
    for method, url in _urls(ids):
        data = {"reason": "x", "stage": "meeting", "on": "2021-01-01", "code": "X", "title": "T"}
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, (role, method, url, response.status_code)
    with scopes_disabled():
        assert AuditEvent.objects.count() == before
        assert Stakeholder.objects.count() == 2 and EngagementEvent.objects.count() == 3


def test_coordinators_and_site_administrators_get_in_visitors_are_sent_to_sign_in(
    login: Login, police: Stakeholder
) -> None:
    ids = _objects(police)
    with scopes_disabled():
        User.objects.create_superuser("root@network.test", PASSWORD)
    root = Client()
    assert root.login(username="root@network.test", password=PASSWORD)
    for client in (login(COORDINATOR), login("coordinator@nnk.test"), root):
        for method, url in _urls(ids):
            if method == "get":
                assert client.get(url).status_code == 200, url
    response = Client().get("/stakeholders/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_coordinator_records_a_stakeholder_and_its_engagement(login: Login, police: Stakeholder) -> None:
    client = login(COORDINATOR)
    response = client.post(
        "/stakeholders/new/",
        {
            "code": "BA-bihac",
            "name": "City of Bihać",
            "kind": "municipality",
            "country": "BA",
            "parent": "",
            "description": "Runs the municipal police and the reception of people left at the border.",
        },
    )
    with scopes_disabled():
        created = Stakeholder.objects.get(code="BA-bihac")
    assert response.status_code == 303 and response["Location"] == f"/stakeholders/{created.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "City of Bihać" in page and "The stakeholder is added to the register." in page
    assert "Runs the municipal police" in page and "Bosnia" in page
    assert "no engagement yet" in page

    response = client.post(
        f"/stakeholders/{created.pk}/engagement/",
        {"stage": "meeting", "on": "2023-04-12", "notes": "Met the mayor's office about shelter."},
    )
    assert response.status_code == 303 and response["Location"].endswith("#engagement")
    page = client.get(f"/stakeholders/{created.pk}/").content.decode()
    assert 'data-event="meeting"' in page and "Met the mayor&#x27;s office about shelter." in page
    assert 'data-stage="meeting"' in page
    assert "Recorded by coordinator@network.test" in page
    with scopes_disabled():
        event = EngagementEvent.objects.get(stakeholder=created)
        assert event.recorded_by.email == COORDINATOR  # type: ignore[union-attr]
        coordinator = User.objects.get(email=COORDINATOR)
        actors = set(
            AuditEvent.objects.filter(object_type__in=["stakeholder", "engagementevent"]).values_list(
                "actor", "action"
            )
        )
    assert {(f"user:{coordinator.pk}", "create")} == actors - {("cli", "create")}

    # the register lists it, filtered by kind and found by its name
    listing = client.get("/stakeholders/", {"q": "bihać", "kind": "municipality"}).content.decode()
    assert 'data-code="BA-bihac"' in listing and 'data-code="HR-police"' not in listing
    assert "1 stakeholder" in listing
    listing = client.get("/stakeholders/", {"country": "HR"}).content.decode()
    assert 'data-code="HR-police"' in listing and 'data-code="BA-bihac"' not in listing


def test_an_event_is_corrected_and_removed_with_a_reason(login: Login, police: Stakeholder) -> None:
    client = login(COORDINATOR)
    client.post(f"/stakeholders/{police.pk}/engagement/", {"stage": "contacted", "on": "2021-01-05"})
    with scopes_disabled():
        event = EngagementEvent.objects.get(stakeholder=police)
    page = client.get(f"/stakeholders/engagement/{event.pk}/").content.decode()
    assert 'value="2021-01-05"' in page
    response = client.post(
        f"/stakeholders/engagement/{event.pk}/", {"stage": "acknowledged", "on": "2021-02-01", "notes": ""}
    )
    assert response.status_code == 303
    event.refresh_from_db()
    assert (event.stage, event.on) == ("acknowledged", dt.date(2021, 2, 1))

    response = client.post(f"/stakeholders/engagement/{event.pk}/remove/", {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in _field(response.content.decode(), "reason")
    response = client.post(
        f"/stakeholders/engagement/{event.pk}/remove/", {"reason": "logged for the wrong authority"}
    )
    assert response.status_code == 303
    with scopes_disabled():
        assert not EngagementEvent.objects.filter(pk=event.pk).exists()
        removed = AuditEvent.objects.get(object_type="engagementevent", action="delete")
    assert removed.details["reason"] == "logged for the wrong authority"


def test_bad_dates_are_refused_next_to_their_field_and_nothing_is_saved(
    login: Login, police: Stakeholder
) -> None:
    client = login(COORDINATOR)
    response = client.post(f"/stakeholders/{police.pk}/engagement/", {"stage": "meeting", "on": "2023-02-30"})
    assert response.status_code == 400
    page = response.content.decode()
    on = _field(page, "on")
    assert "Enter a valid date." in on and 'aria-invalid="true"' in on and 'value="2023-02-30"' in on
    assert "Enter a valid date." not in _field(page, "stage")

    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(f"/stakeholders/{police.pk}/engagement/", {"stage": "meeting", "on": future})
    assert response.status_code == 400 and "The date is in the future." in _field(
        response.content.decode(), "on"
    )

    response = client.post(f"/stakeholders/{police.pk}/plans/new/", {"title": "Plan", "status": "adopted"})
    assert response.status_code == 400
    assert "An adopted plan needs the date it was adopted." in _field(response.content.decode(), "adopted_on")

    response = client.post(
        "/charter/new/", {"title": "Charter", "text": "No violence.", "published_on": "21/01/2021"}
    )
    assert response.status_code == 400 and "Enter a valid date." in _field(
        response.content.decode(), "published_on"
    )
    with scopes_disabled():
        assert not EngagementEvent.objects.exists()
        assert not ActionPlan.objects.exists() and not CharterVersion.objects.exists()


def test_adopting_a_plan_shows_its_automatic_engagement_event(login: Login, police: Stakeholder) -> None:
    client = login(COORDINATOR)
    response = client.post(
        f"/stakeholders/{police.pk}/plans/new/",
        {
            "title": "No phones taken at the Una-Sana border",
            "status": "proposed",
            "adopted_on": "",
            "notes": "",
        },
    )
    assert response.status_code == 303
    with scopes_disabled():
        plan = ActionPlan.objects.get()
    assert response["Location"] == f"/stakeholders/plans/{plan.pk}/"
    assert (
        client.post(
            f"/stakeholders/plans/{plan.pk}/targets/",
            {"area": "hr-ba-una-sana", "violence": "theft_of_belongings"},
        ).status_code
        == 303
    )
    response = client.post(f"/stakeholders/plans/{plan.pk}/targets/", {"area": "una sana", "violence": ""})
    assert response.status_code == 400
    assert "A code without spaces" in _field(response.content.decode(), "area")
    assert client.post(
        f"/stakeholders/plans/{plan.pk}/measures/",
        {"description": "Seized phones are listed and returned", "owner": "Border police directorate",
         "due_on": "2030-06-30", "status": "planned", "implemented_on": ""},
    ).status_code == 303  # fmt: skip
    page = client.get(f"/stakeholders/plans/{plan.pk}/").content.decode()
    assert "Croatia–Bosnia border" in page and "Theft of belongings" in page
    assert "Seized phones are listed and returned" in page and "HR-police-border" in page

    response = client.post(
        f"/stakeholders/plans/{plan.pk}/edit/",
        {"title": plan.title, "status": "adopted", "adopted_on": "2022-03-15", "notes": ""},
    )
    assert response.status_code == 303
    page = client.get(f"/stakeholders/plans/{plan.pk}/").content.decode()
    assert "The adoption is added to the stakeholder&#x27;s engagement log." in page
    assert "data-adoption" in page

    page = client.get(f"/stakeholders/{police.pk}/").content.decode()
    engagement = page.split('id="engagement"', 1)[1].split('id="plans"', 1)[0]
    assert 'data-event="action_plan_adopted"' in engagement
    assert f'href="/stakeholders/plans/{plan.pk}/"' in engagement  # the event links to its plan
    assert "Correct or remove" not in engagement  # corrected on the plan, not in the log
    assert 'datetime="2022-03-15"' in engagement
    # the current stage of its unit is inherited
    with scopes_disabled():
        unit = Stakeholder.objects.get(code="HR-police-border")
    page = client.get(f"/stakeholders/{unit.pk}/").content.decode()
    assert "(from HR-police: this unit has no event of its own)" in page
    assert 'data-stage="action_plan_adopted"' in page

    with scopes_disabled():
        event = EngagementEvent.objects.get(plan=plan)
    response = client.get(f"/stakeholders/engagement/{event.pk}/")
    assert response.status_code == 303  # an automatic event is corrected where it comes from


def test_a_coordinator_publishes_the_charter_and_records_a_signature(
    login: Login, police: Stakeholder
) -> None:
    client = login(COORDINATOR)
    assert "No version of the charter is published yet." in client.get("/charter/").content.decode()
    response = client.post(
        "/charter/new/",
        {"title": "Charter for borders without violence", "text": "1. No violence.\n2. No phones taken.",
         "published_on": "2021-11-01"},
    )  # fmt: skip
    assert response.status_code == 303
    with scopes_disabled():
        charter = CharterVersion.objects.get()
    page = client.get("/charter/").content.decode()
    assert 'data-version="1"' in page and "No phones taken." in page and "data-current" in page

    response = client.post(
        f"/charter/{charter.pk}/sign/", {"stakeholder": "nobody", "signed_on": "2022-01-10", "signed_by": ""}
    )
    assert response.status_code == 400 and "No stakeholder has this code." in _field(
        response.content.decode(), "stakeholder"
    )
    response = client.post(
        f"/charter/{charter.pk}/sign/",
        {"stakeholder": "HR-police", "signed_on": "2021-10-01", "signed_by": ""},
    )
    assert response.status_code == 400
    assert "The date is before this version was published." in _field(response.content.decode(), "signed_on")
    response = client.post(
        f"/charter/{charter.pk}/sign/",
        {"stakeholder": "HR-police", "signed_on": "2022-01-10", "signed_by": "Office of the chief of police"},
    )
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert 'data-signatory="HR-police"' in page and "Office of the chief of police" in page
    assert (
        "Edit" not in page.split('id="charter-title"', 1)[1].split('id="signatories"', 1)[0]
    )  # signed: fixed

    page = client.get(f"/stakeholders/{police.pk}/").content.decode()
    assert 'data-event="charter_signed"' in page and "Signed version 1" in page

    with scopes_disabled():
        signature = charter.signatures.get()
    response = client.post(f"/charter/signatures/{signature.pk}/remove/", {"reason": ""})
    assert response.status_code == 400 and f'id="reason-{signature.pk}-error"' in response.content.decode()
    response = client.post(
        f"/charter/signatures/{signature.pk}/remove/", {"reason": "signed by another office"}
    )
    assert response.status_code == 303
    with scopes_disabled():
        assert not EngagementEvent.objects.filter(stage="charter_signed").exists()


def test_the_incident_count_is_of_the_reports_the_viewer_may_see(
    login: Login, police: Stakeholder, store: Any
) -> None:
    def report(ref: str, organisation: str, authority: str) -> dict[str, Any]:
        return {
            "ref": ref,
            "organisation": organisation,
            "kind": "testimony",
            "status": "submitted",
            "consent": {"publish": True, "share_with_network": True, "legal_use": True},
            "incident": {"date": "2024-05-01", "perpetrators": [{"authority": authority}]},
        }

    with scopes_disabled(), acting_as("cli"):
        save(
            [
                report("nnk-p1", "nnk", "HR-police"),
                report("nnk-p2", "nnk", "HR-police-border"),
                report("rig-p1", "rigardu", "HR-police"),  # rigardu does not share with the network
            ],
            store,
        )
    page = login(COORDINATOR).get(f"/stakeholders/{police.pk}/").content.decode()
    assert 'data-incidents="2"' in page and "2 incidents whose reports name it" in page
    assert 'href="/reports/?authority=HR-police"' in page
    page = login("coordinator@rigardu.test").get(f"/stakeholders/{police.pk}/").content.decode()
    assert 'data-incidents="2"' in page  # the network's view: rigardu keeps its reports


def test_pages_hold_no_inline_script_or_style_and_read_right_to_left(
    login: Login, police: Stakeholder
) -> None:
    ids = _objects(police)
    client = login(COORDINATOR)
    for method, url in _urls(ids):
        if method != "get":
            continue
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert " style=" not in page and "<style" not in page, url
        assert "stakeholders.css" in page, url
    client.cookies["django_language"] = "ar"
    with scopes_disabled():
        User.objects.filter(email=COORDINATOR).update(language="ar")
    page = client.get(reverse("stakeholders:detail", args=[police.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Data committed, for the served pages' own connection; afterwards the tables are emptied. The audit log
    refuses DELETE (migration 0002): SQLite deletes rows, so there its triggers are lifted for that statement."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in (*AUDIT.SQLITE_REVERSE, "DELETE FROM storage_auditevent", *AUDIT.SQLITE):
                cursor.execute(statement)


@pytest.mark.e2e
def test_in_a_browser_the_pages_fit_a_phone_right_to_left_and_the_log_takes_an_event(
    committed: None, live_server: Any, police: Stakeholder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.e2e.conftest import ARTEFACTS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: `make browser` installs it (as root)")
    from playwright.sync_api import sync_playwright

    ids = _objects(police)
    with scopes_disabled():
        User.objects.filter(email=COORDINATOR).update(language="ar")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM below runs beside Playwright's loop
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", COORDINATOR)
        page.fill("#id_password", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(re.compile(r".*/account/second-factor/set-up/.*"))  # a coordinator sets one up
        page.fill("#id_code", pyotp.TOTP(page.inner_text("[data-secret]").replace(" ", "")).now())
        page.click("button.primary")
        page.wait_for_selector("[data-recovery-codes]")
        page.click("a.button.primary")
        page.wait_for_selector("html[dir=rtl]")
        for name, url in (
            ("list", "/stakeholders/"),
            ("stakeholder", f"/stakeholders/{ids['stakeholder']}/"),
            ("plan", f"/stakeholders/plans/{ids['plan']}/"),
            ("charter", "/charter/"),
            ("new", "/stakeholders/new/"),
        ):
            page.goto(live_server.url + url)
            assert page.get_attribute("html", "dir") == "rtl"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{url} is {width}px wide on a 390px screen"
            page.screenshot(path=str(ARTEFACTS / f"stakeholders-{name}-ar-phone.png"), full_page=True)

        page.goto(live_server.url + f"/stakeholders/{ids['stakeholder']}/")
        page.select_option("#id_stage", "meeting")
        page.fill("#id_on", "2023-04-12")
        page.fill("#id_notes", "Meeting with the border police directorate.")
        page.click("form[data-form=engagement] button[type=submit]")
        page.wait_for_selector("li[data-event=meeting]")
        assert "Meeting with the border police directorate." in page.inner_text("li[data-event=meeting]")
        browser.close()
    with scopes_disabled():
        assert EngagementEvent.objects.filter(
            stakeholder=police, stage="meeting", on=dt.date(2023, 4, 12)
        ).exists()

"""The record page in its three views, its audit trail, the diff since a reviewer's last look, the history
and the review queue — and 404 for every page of another organisation's report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.core.validation import validate_report
from bordermonitor.storage.access import access_for
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.editing import update_report
from bordermonitor.storage.models import Report, User
from bordermonitor.storage.repositories.reports import record_of
from tests.web.reports.conftest import views_of

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


def _edit(email: str, report: Report, **group: Any) -> None:
    """Change the group of ``report`` as ``email`` would through the intake pages."""
    with scopes_disabled():
        user = User.objects.get(email=email)
        current = Report.objects.select_related("organisation", "incident").get(pk=report.pk)
        raw = record_of(current)
        raw["incident"]["group"].update(group)
        with acting_as(f"user:{user.pk}"):
            update_report(
                access=access_for(user),
                report=current,
                record=validate_report(raw, where="test").record,
                expected_version=current.version,
            )


def test_the_record_page_lays_out_the_record_in_the_readers_words(login: Login, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    page = login("reviewer@nnk.test").get(f"/reports/{report.pk}/").content.decode()
    assert "nnk-shared" in page and "Submitted" in page
    assert "Slovenia (SI) → Croatia (HR) → Bosnia &amp; Herzegovina (BA)" in page  # the chain, in order
    assert "Beating: batons" in page and "Dog attack" in page
    assert "May 1, 2024" in page  # the date known to the day
    assert "Afghanistan (AF), Syria (SY)" in page
    assert "CANARY-nnk-shared told us" in page
    assert "Bihać" in page


def test_a_month_stays_a_month(login: Login, network_world: Any, store: Any) -> None:
    from tests.storage.helpers import save

    with scopes_disabled(), acting_as("cli"):
        save(
            [
                {
                    "ref": "nnk-month",
                    "organisation": "nnk",
                    "kind": "witness",
                    "incident": {"date": "2023-11", "group": {"size": None}},
                    "source": {"name": "bvmn-legacy"},
                    "consent": {"publish": None},
                    "narrative": {"text": "Told in Arabic", "language": "ar", "translation_en": "In English"},
                }
            ],
            store,
        )
        report = Report.objects.get(ref="nnk-month")
    page = login("reviewer@nnk.test").get(f"/reports/{report.pk}/").content.decode()
    assert "November 2023 (day unknown)" in page
    assert "Arabic (ar)" in page
    assert '<div dir="auto" lang="ar">' in page and '<div dir="auto" lang="en">' in page


def test_what_could_not_be_interpreted_is_shown_first(login: Login, network_world: Any, store: Any) -> None:
    from tests.storage.helpers import save

    with scopes_disabled(), acting_as("cli"):
        save(
            [
                {
                    "ref": "nnk-odd",
                    "organisation": "nnk",
                    "kind": "testimony",
                    "incident": {"date": "sometime in spring", "expelled_by": ["Hungaria"]},
                }
            ],
            store,
        )
        report = Report.objects.get(ref="nnk-odd")
    page = login("reviewer@nnk.test").get(f"/reports/{report.pk}/").content.decode()
    assert "Needs a reviewer's look" in page
    assert "sometime in spring" in page and "Hungaria" in page
    assert page.index("sometime in spring") < page.index("When and where")  # above the record
    assert "Flagged for review" in page
    queue = login("reviewer@nnk.test").get("/review/").content.decode()
    flagged = queue[queue.index(f'data-report="{report.pk}"') :]
    assert 'data-marker="flagged"' in flagged[: flagged.index("</li>")]
    assert queue.count('data-marker="flagged"') == 1


def test_the_edit_link_follows_what_the_person_may_edit(login: Login, network_world: Any) -> None:
    submitted = network_world["nnk-shared"]
    assert "/edit/" not in login("documenter@nnk.test").get(f"/reports/{submitted.pk}/").content.decode()
    assert "/edit/" not in login("coordinator@network.test").get(f"/reports/{submitted.pk}/").content.decode()


def test_each_display_of_personal_data_writes_one_view_event(login: Login, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    for email, written in (
        ("reviewer@nnk.test", 1),
        ("documenter@nnk.test", 1),
        ("coordinator@network.test", 1),
        ("analyst@nnk.test", 0),
    ):
        before = views_of(report)
        assert login(email).get(f"/reports/{report.pk}/").status_code == 200
        assert views_of(report) - before == written, email


def test_the_analyst_page_holds_only_the_pseudonymised_copy(login: Login, network_world: Any) -> None:
    analyst = login("analyst@nnk.test")
    for ref in ("nnk-shared", "nnk-private"):
        report = network_world[ref]
        response = analyst.get(f"/reports/{report.pk}/")
        page = response.content.decode()
        assert response.status_code == 200
        for canary in ("CANARY-", "Bihać", "Pushback near the river", ref, "batons"):
            assert canary not in page, canary
        assert ">p-" in page  # the pseudonym stands for the reference
        assert "Dog attack" in page and "Croatia" in page  # the coded facts are there
        assert analyst.get(f"/reports/{report.pk}/history/").status_code == 404
    assert analyst.get(f"/reports/{network_world['nnk-draft'].pk}/").status_code == 404


@pytest.mark.parametrize(
    "email",
    [f"{role}@nnk.test" for role in ("documenter", "reviewer", "analyst", "admin", "coordinator")],
)
def test_another_organisations_report_is_404_on_every_page(
    login: Login, network_world: Any, email: str
) -> None:
    client = login(email)
    report = network_world["rig-shared"]
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/history/").status_code == 404
    response = client.post(f"/reports/{report.pk}/move/", {"target": "in_review", "status": "submitted"})
    assert response.status_code == 404
    assert client.get("/reports/999999/").status_code == 404
    assert "rig-shared" not in client.get("/review/").content.decode()


def test_rigardu_sees_none_of_nnk(login: Login, network_world: Any) -> None:
    for role in ("documenter", "reviewer", "analyst", "admin"):
        client = login(f"{role}@rigardu.test")
        for ref in ("nnk-shared", "nnk-private", "nnk-draft"):
            pk = network_world[ref].pk
            assert client.get(f"/reports/{pk}/").status_code == 404
            assert client.get(f"/reports/{pk}/history/").status_code == 404


def test_a_reviewer_sees_what_changed_since_their_last_look(login: Login, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    reviewer = login("reviewer@nnk.test")
    assert "Changed since you last looked" not in reviewer.get(f"/reports/{report.pk}/").content.decode()
    _edit("admin@nnk.test", report, size=9, ages="3, 5, 30")
    page = reviewer.get(f"/reports/{report.pk}/").content.decode()
    assert "Changed since you last looked (version 1 → 2)" in page
    diff = page[
        page.index("Changed since you last looked") : page.index("</section>", page.index("Changed since"))
    ]
    assert "Group size" in diff and '<td class="before" dir="auto">7</td>' in diff
    assert '<td class="after" dir="auto">9</td>' in diff
    assert "Ages (as told)" in diff and "unknown" in diff and "3, 5, 30" in diff
    # looked at now: the next visit shows nothing new
    assert "Changed since you last looked" not in reviewer.get(f"/reports/{report.pk}/").content.decode()


def test_the_coordinator_is_not_marked_as_having_looked(login: Login, network_world: Any) -> None:
    from bordermonitor.storage.models import ReportSeen

    report = network_world["nnk-shared"]
    login("coordinator@network.test").get(f"/reports/{report.pk}/")
    with scopes_disabled():
        assert not ReportSeen.objects.filter(report=report).exists()


def test_the_history_merges_versions_moves_and_views(login: Login, move: Any, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    reviewer = login("reviewer@nnk.test")
    reviewer.get(f"/reports/{report.pk}/")
    _edit("admin@nnk.test", report, size=9)
    assert move(reviewer, report, "in_review").status_code == 302
    page = reviewer.get(f"/reports/{report.pk}/history/").content.decode()
    moved = page.index("Moved from “Submitted” to “In review”")
    edited = page.index("Version 2: edited fields: Group size")
    kept = page.index("Version 1 kept as it was stored")
    assert moved < edited < kept  # newest first
    assert "admin@nnk.test" in page  # a colleague, by name
    assert "viewed the record" in page and ">you<" in page
    coordinator = login("coordinator@network.test").get(f"/reports/{report.pk}/history/").content.decode()
    assert "admin@nnk.test" not in coordinator and "reviewer@nnk.test" not in coordinator
    assert "a member of North Corridor Aid" in coordinator


def test_the_review_queue(login: Login, network_world: Any) -> None:
    reviewer = login("reviewer@nnk.test")
    page = reviewer.get("/review/").content.decode()
    assert page.index("nnk-shared") < page.index("nnk-private")  # the longest waiting first
    assert "nnk-draft" not in page and "rig-shared" not in page
    assert page.count('data-marker="new"') == 2
    reviewer.get(f"/reports/{network_world['nnk-shared'].pk}/")
    _edit("admin@nnk.test", network_world["nnk-shared"], size=9)
    page = reviewer.get("/review/").content.decode()
    assert page.count('data-marker="changed"') == 1 and page.count('data-marker="new"') == 1
    assert "Shared with the network" not in page

    coordinator = login("coordinator@network.test").get("/review/").content.decode()
    shared = coordinator[coordinator.index("Shared with the network") :]
    assert "nnk-shared" in shared
    assert "nnk-private" not in coordinator and "rig-shared" not in coordinator
    assert "Nothing is waiting for you." in coordinator


def test_the_record_page_in_arabic_is_right_to_left(login: Login, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    page = (
        login("reviewer@nnk.test").get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    )
    assert 'dir="rtl"' in page
    assert "كرواتيا" in page  # Croatia
    assert " ← " in page  # the chain reads right to left

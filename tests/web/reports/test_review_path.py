"""The review path through the pages: submit, take in review, request changes, re-submit, verify, approve —
each refusal explained in the page with what was typed kept, and nobody outside the organisation moving it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.core.workflow import CHECKLIST
from bordermonitor.storage.models import Report, ReportTransition
from tests.web.reports.conftest import status_of

pytestmark = pytest.mark.django_db
ALL_CHECKS = tuple(item.code for item in CHECKLIST)
Login = Callable[[str], Client]


def _page(client: Client, report: Report) -> str:
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _buttons(page: str) -> list[str]:
    """The targets of the review buttons on a page."""
    return [chunk.split('"', 1)[0] for chunk in page.split('name="target" value="')[1:]]


def test_a_report_goes_from_draft_to_approved_through_the_pages(
    login: Login, move: Any, network_world: dict[str, Report]
) -> None:
    report = network_world["nnk-draft"]
    documenter, reviewer = login("documenter@nnk.test"), login("reviewer@nnk.test")

    assert _buttons(_page(documenter, report)) == ["submitted"]
    assert "Submit for review" in _page(documenter, report)
    assert move(documenter, report, "submitted").status_code == 302
    assert status_of(report) == "submitted"
    assert _buttons(_page(documenter, report)) == []  # a documenter only submits and re-submits

    assert _buttons(_page(reviewer, report)) == ["in_review", "rejected"]
    response = move(reviewer, report, "in_review")
    assert response.status_code == 302
    assert "The report is now “In review”." in reviewer.get(response["Location"]).content.decode()

    refused = move(reviewer, report, "changes_requested", comment="   ")
    assert refused.status_code == 400
    assert "Say why in the comment" in refused.content.decode()
    assert status_of(report) == "in_review"
    assert (
        move(reviewer, report, "changes_requested", comment="Which river? Ask about the date.").status_code
        == 302
    )
    assert status_of(report) == "changes_requested"

    assert _buttons(_page(documenter, report)) == ["submitted"]
    assert "Re-submit" in _page(documenter, report)
    assert move(documenter, report, "submitted").status_code == 302
    assert move(reviewer, report, "in_review").status_code == 302

    incomplete = move(
        reviewer, report, "verified", comment="Dates match the photos.", checklist=ALL_CHECKS[:3]
    )
    page = incomplete.content.decode()
    assert incomplete.status_code == 400
    assert "The verification checklist is incomplete" in page
    assert "Violence coded with the typology" in page and "Narrative reviewed for identifying details" in page
    assert "Dates match the photos.</textarea>" in page  # what was typed is kept
    assert 'value="consent_confirmed" id="check-consent_confirmed" checked' in page
    assert 'value="narrative_reviewed" id="check-narrative_reviewed">' in page
    assert status_of(report) == "in_review"
    assert move(reviewer, report, "verified", checklist=ALL_CHECKS).status_code == 302
    assert status_of(report) == "verified"

    with scopes_disabled():
        Report.objects.filter(pk=report.pk).update(consent_publish=None)
    page = _page(reviewer, report)
    assert "Consent to publication is not recorded" in page
    refused = move(reviewer, report, "approved_for_publication")
    assert refused.status_code == 400
    assert "The source has not consented to publication" in refused.content.decode()
    with scopes_disabled():
        Report.objects.filter(pk=report.pk).update(consent_publish=True)
    assert move(reviewer, report, "approved_for_publication").status_code == 302
    assert status_of(report) == "approved_for_publication"

    with scopes_disabled():
        steps = list(
            ReportTransition.objects.filter(report=report).values_list("source", "target", "comment")
        )
        verified = ReportTransition.objects.get(report=report, target="verified")
    assert steps == [
        ("draft", "submitted", None),
        ("submitted", "in_review", None),
        ("in_review", "changes_requested", "Which river? Ask about the date."),
        ("changes_requested", "submitted", None),
        ("submitted", "in_review", None),
        ("in_review", "verified", None),
        ("verified", "approved_for_publication", None),
    ]
    assert verified.checklist == dict.fromkeys(ALL_CHECKS, True)
    history = reviewer.get(f"/reports/{report.pk}/history/").content.decode()
    assert "Which river? Ask about the date." in history
    assert "Moved from “Verified” to “Approved for publication”" in history


def test_rejecting_needs_a_reason_and_keeps_the_one_typed(
    login: Login, move: Any, network_world: Any
) -> None:
    report = network_world["nnk-shared"]
    reviewer = login("reviewer@nnk.test")
    refused = move(reviewer, report, "rejected")
    assert refused.status_code == 400
    assert (
        "Say why in the comment: it is needed to move the report to “Rejected”." in refused.content.decode()
    )
    assert move(reviewer, report, "rejected", comment="Duplicate of nnk-private").status_code == 302
    assert status_of(report) == "rejected"


def test_a_coordinator_reads_a_shared_report_but_never_moves_it(
    login: Login, move: Any, network_world: dict[str, Report]
) -> None:
    coordinator = login("coordinator@network.test")
    shared = network_world["nnk-shared"]
    page = _page(coordinator, shared)
    assert "CANARY-nnk-shared" in page  # the network view is the record, read-only
    assert _buttons(page) == []
    assert 'action="/reports/' not in page or "/move/" not in page
    assert ">Edit<" not in page
    forged = move(coordinator, shared, "in_review")
    assert forged.status_code == 400
    assert "Only reviewers of the report&#x27;s organisation" in forged.content.decode()
    assert status_of(shared) == "submitted"
    # reports the network does not see (no consent to share, a draft, an organisation not sharing): 404
    for ref in ("nnk-private", "nnk-draft", "rig-shared"):
        assert move(coordinator, network_world[ref], "in_review", status="submitted").status_code == 404
        assert status_of(network_world[ref]) in ("submitted", "draft")


def test_an_analyst_cannot_move_a_report_either(login: Login, move: Any, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    analyst = login("analyst@nnk.test")
    assert _buttons(_page(analyst, report)) == []
    response = move(analyst, report, "in_review")
    assert response.status_code == 400
    assert "CANARY" not in response.content.decode()
    assert status_of(report) == "submitted"


def test_a_stale_page_changes_nothing_and_says_so(login: Login, move: Any, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    reviewer, admin = login("reviewer@nnk.test"), login("admin@nnk.test")
    assert 'name="status" value="submitted"' in _page(reviewer, report)
    assert move(admin, report, "in_review").status_code == 302  # someone else, meanwhile
    stale = move(reviewer, report, "rejected", status="submitted", comment="Not a pushback.")
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else moved this report to “In review” while you had it open. Nothing was changed" in page
    assert "Not a pushback.</textarea>" in page
    assert 'name="status" value="in_review"' in page  # the form now carries the current state
    assert status_of(report) == "in_review"
    with scopes_disabled():
        assert ReportTransition.objects.filter(report=report).count() == 1

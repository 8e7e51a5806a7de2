"""SECURITY goal 6: every read of personal data is logged. For every page and API endpoint that returns a
report's narrative, names, places, evidence or drafts, one call by a person allowed to see it adds exactly one
audit entry, with the right action and object, attributed to that person; and the whole log still verifies."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.audit import acting_as, verify
from bordermonitor.storage.linkage import crosscheck
from bordermonitor.storage.models import (
    AuditEvent,
    Evidence,
    LinkCandidate,
    Organisation,
    Report,
    ReportDraft,
    User,
)
from bordermonitor.web.intake.steps import STEPS
from tests.evidence import corpus

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


@dataclass(frozen=True)
class World:
    reports: dict[str, Report]
    pair: LinkCandidate
    photo: Evidence
    token: uuid.UUID  # a draft of a report not created yet (documenter@nnk.test's)
    draft: int  # that draft's id
    nnk: int  # the organisation's id


@pytest.fixture
def world(network_world: dict[str, Report], login: Login) -> World:
    """tests.network's reports, cross-checked (nnk's accounts of the same night make pairs); a photo on
    nnk-draft, chosen for the open data; drafts typed by nnk's documenter, of nnk-draft and of a report not
    created yet."""
    documenter = login("documenter@nnk.test")
    draft = network_world["nnk-draft"]
    upload = SimpleUploadedFile("x.jpg", corpus.jpeg_with_gps(), content_type="image/jpeg")
    answer = documenter.post(
        f"/reports/{draft.pk}/evidence/", {"file": upload, "kind": "photo", "description": "left arm"}
    )
    assert answer.status_code == 303, answer.content
    with scopes_disabled():
        nnk = Organisation.objects.get(code="nnk").pk
        photo = Evidence.objects.get(report=draft)
    chosen = login("reviewer@nnk.test").post(f"/evidence/{photo.pk}/publish/", {"publish": "1"})
    assert chosen.status_code == 303, chosen.content  # its public copy, for the open data
    token = uuid.uuid4()
    for url, payload in (
        (f"/reports/{draft.pk}/draft/", {"step": "narrative", "data": {"narrative": "CANARY-typed"}}),
        (f"/intake/draft/{token}/", {"organisation": nnk, "data": {"narrative": "CANARY-new"}}),
    ):
        saved = documenter.post(url, json.dumps(payload), content_type="application/json")
        assert saved.status_code == 200, saved.content
    with scopes_disabled(), acting_as("cli"):
        crosscheck()
        shared, private = network_world["nnk-shared"].pk, network_world["nnk-private"].pk
        pair = LinkCandidate.objects.get(report_a_id=min(shared, private), report_b_id=max(shared, private))
        draft_id = ReportDraft.objects.get(token=token).pk
    return World(network_world, pair, photo, token, draft_id, nnk)


@dataclass(frozen=True)
class Read:
    """One call: ``who`` asks ``url``; exactly one event is expected: ``action`` on ``what`` (object type and
    id; None when the read is of several reports at once)."""

    who: str
    url: Callable[[World], str]
    action: str
    what: Callable[[World], tuple[str, int | None]]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    status: int = 200


def _report(ref: str) -> Callable[[World], tuple[str, int | None]]:
    return lambda w: ("report", w.reports[ref].pk)


def _pk(ref: str) -> Callable[[World], int]:
    return lambda w: w.reports[ref].pk


SHARED, DRAFT = _pk("nnk-shared"), _pk("nnk-draft")
REVIEWER, DOCUMENTER, COORDINATOR = "reviewer@nnk.test", "documenter@nnk.test", "coordinator@network.test"

READS: dict[str, Read] = {
    # the record page, as the organisation and as the network reads it
    "record page": Read(REVIEWER, lambda w: f"/reports/{SHARED(w)}/", "view", _report("nnk-shared")),
    "record page, network view": Read(COORDINATOR, lambda w: f"/reports/{SHARED(w)}/", "view", _report("nnk-shared")),
    "record page after a stale move": Read(
        REVIEWER, lambda w: f"/reports/{SHARED(w)}/move/", "view", _report("nnk-shared"), method="post",
        data=lambda w: {"target": "in_review", "status": "draft"}, status=409,
    ),
    "history and differences": Read(REVIEWER, lambda w: f"/reports/{SHARED(w)}/history/", "view", _report("nnk-shared")),
    # every intake step of a report
    **{
        f"intake step {step.slug}": Read(
            DOCUMENTER, lambda w, slug=step.slug: f"/reports/{DRAFT(w)}/edit/{slug}/", "view", _report("nnk-draft")
        )
        for step in STEPS
    },
    "intake draft of a report": Read(DOCUMENTER, lambda w: f"/reports/{DRAFT(w)}/draft/", "view", _report("nnk-draft")),
    "intake draft of a new report": Read(
        DOCUMENTER, lambda w: f"/intake/draft/{w.token}/", "view", lambda w: ("reportdraft", w.draft)
    ),
    "intake form restoring a draft": Read(
        DOCUMENTER, lambda w: f"/reports/new/?organisation={w.nnk}&token={w.token}", "view",
        lambda w: ("reportdraft", w.draft),
    ),
    # evidence files
    "evidence thumbnail": Read(REVIEWER, lambda w: f"/evidence/{w.photo.pk}/thumbnail/", "view", _report("nnk-draft")),
    "evidence working copy": Read(REVIEWER, lambda w: f"/evidence/{w.photo.pk}/working/", "view", _report("nnk-draft")),
    "evidence original": Read(REVIEWER, lambda w: f"/evidence/{w.photo.pk}/original/", "download", _report("nnk-draft")),
    "evidence public copy": Read(REVIEWER, lambda w: f"/evidence/{w.photo.pk}/public/", "view", _report("nnk-draft")),
    # the public version page
    "public version page": Read(REVIEWER, lambda w: f"/reports/{SHARED(w)}/public/", "view", _report("nnk-shared")),
    # exports
    "CSV export": Read(REVIEWER, lambda w: "/reports/export.csv", "export", lambda w: ("report", None)),
    "JSONL export": Read(REVIEWER, lambda w: "/reports/export.jsonl", "export", lambda w: ("report", None)),
    # cross-checking
    "crosscheck pair page": Read(REVIEWER, lambda w: f"/crosscheck/{w.pair.pk}/", "view", lambda w: ("linkcandidate", w.pair.pk)),
    # the private API
    "API: read a report": Read(REVIEWER, lambda w: f"/api/v1/reports/{SHARED(w)}", "view", _report("nnk-shared")),
    "API: list reports": Read(REVIEWER, lambda w: "/api/v1/reports", "view", lambda w: ("report", None)),
    "API: search": Read(REVIEWER, lambda w: "/api/v1/search?q=Biha%C4%87", "view", lambda w: ("report", None)),
    "API: an incident": Read(
        REVIEWER, lambda w: f"/api/v1/incidents/{w.reports['nnk-shared'].incident_id}", "view",
        lambda w: ("incident", w.reports["nnk-shared"].incident_id),
    ),
    "API: review history": Read(REVIEWER, lambda w: f"/api/v1/reports/{SHARED(w)}/transitions", "view", _report("nnk-shared")),
    "API: evidence files": Read(REVIEWER, lambda w: f"/api/v1/reports/{DRAFT(w)}/evidence", "view", _report("nnk-draft")),
}  # fmt: skip


def _consume(response: Any) -> bytes:
    """The whole body (a streamed export or a file is written as it is read). Not ``close()``d: that would
    signal the end of a request, which closes the test's database connection."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize("name", READS)
def test_one_read_of_personal_data_is_exactly_one_audit_entry(name: str, world: World, login: Login) -> None:
    read = READS[name]
    client = login(read.who)
    with scopes_disabled():
        user = User.objects.get(email=read.who)
        before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    data = read.data(world) if read.data else None
    response = getattr(client, read.method)(read.url(world), data) if data else client.get(read.url(world))
    body = _consume(response)
    assert response.status_code == read.status, body[:500]
    with scopes_disabled():
        new = list(AuditEvent.objects.filter(seq__gt=before))
    assert [(e.action, e.object_type, e.object_id) for e in new] == [(read.action, *read.what(world))], name
    (event,) = new
    assert event.actor == f"user:{user.pk}"
    if read.what(world)[1] is None and read.action == "view":  # several reports at once: named in details
        assert world.reports["nnk-shared"].pk in event.details["reports"]
    assert verify().ok


def test_an_analysts_pseudonymised_reads_carry_no_personal_data_and_write_nothing(
    world: World, login: Login
) -> None:
    """The pseudonymised copy is what the record page and the API give analysts: no narrative, names or place
    (tests/api/test_reading.py); reading it is not logged, as a list page is not."""
    client = login("analyst@nnk.test")
    with scopes_disabled():
        before = AuditEvent.objects.count()
    for url in (f"/reports/{SHARED(world)}/", f"/api/v1/reports/{SHARED(world)}", "/api/v1/reports"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"CANARY-nnk-shared" not in response.content
    with scopes_disabled():
        assert AuditEvent.objects.count() == before

"""Moving reports through review: the history is kept, audited, and a concurrent move is refused."""

from __future__ import annotations

from typing import Any

import pytest

from bordermonitor.core.workflow import CHECKLIST, TransitionRefused
from bordermonitor.storage.accounts import add_user
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import AuditEvent, Report, ReportTransition
from bordermonitor.storage.workflow import move_report, roles_of
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(network: None, store: Any) -> Report:
    save([{"ref": "nnk-1", "organisation": "nnk", "kind": "testimony", "status": "submitted",
           "consent": {"publish": True}}], store)  # fmt: skip
    return Report.objects.get()


def test_review_to_approval_keeps_the_history(report: Report) -> None:
    with acting_as("user:7"):
        move_report(report, target="in_review", roles={"reviewer"})
        move_report(
            report, target="verified", roles={"reviewer"}, checklist={i.code: True for i in CHECKLIST}
        )
        move_report(report, target="approved_for_publication", roles={"reviewer"})
    assert Report.objects.get().status == "approved_for_publication"
    history = list(ReportTransition.objects.values_list("source", "target", "actor"))
    assert history == [
        ("submitted", "in_review", "user:7"),
        ("in_review", "verified", "user:7"),
        ("verified", "approved_for_publication", "user:7"),
    ]
    audited = AuditEvent.objects.filter(action="update", object_ref="nnk-1").values_list("details", flat=True)
    assert [d["transition"] for d in audited] == [[s, t] for s, t, _ in history]


def test_a_move_made_meanwhile_by_someone_else_is_not_overwritten(report: Report) -> None:
    stale = Report.objects.get(pk=report.pk)
    move_report(report, target="in_review", roles={"reviewer"})
    with pytest.raises(TransitionRefused, match="someone else moved it to in_review meanwhile"):
        move_report(stale, target="rejected", roles={"reviewer"}, comment="duplicate")
    assert Report.objects.get().status == "in_review"
    assert ReportTransition.objects.count() == 1


def test_roles_come_from_the_reports_organisation(report: Report) -> None:
    user, _ = add_user(email="d@nnk.test", organisation="nnk", role="documenter")
    assert roles_of(user, report) == {"documenter"}
    with pytest.raises(TransitionRefused):
        move_report(report, target="in_review", roles=roles_of(user, report))

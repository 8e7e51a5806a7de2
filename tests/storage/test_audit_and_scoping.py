"""Audit events are written for every change and cannot be changed; queries are scoped to organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django_scopes import ScopeError, scope, scopes_disabled

from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import AuditEvent, Incident, Organisation, Report, ReportViolence
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db


def test_model_save_and_delete_write_audit_events(network: None) -> None:
    organisation = Organisation.objects.create(code="nnk", name="NNK")
    with acting_as("user:42"):
        incident = Incident.objects.create(ref="i-1", organisation=organisation)
        report = Report.objects.create(
            organisation=organisation, ref="r-1", kind="testimony", incident=incident
        )
        report.status = "in_review"
        report.save()
        report.delete()
    events = list(
        AuditEvent.objects.values_list("actor", "organisation", "action", "object_type", "object_ref")
    )
    assert events == [
        ("user:42", "nnk", "create", "incident", "i-1"),
        ("user:42", "nnk", "create", "report", "r-1"),
        ("user:42", "nnk", "update", "report", "r-1"),
        ("user:42", "nnk", "delete", "report", "r-1"),
    ]


def test_bulk_import_writes_one_event_per_report_and_incident(network: None, store: Any) -> None:
    save([{"ref": f"r-{n}", "organisation": "nnk", "kind": "testimony"} for n in range(20)], store)
    assert AuditEvent.objects.filter(action="create", object_type="report").count() == 20
    assert AuditEvent.objects.filter(action="create", object_type="incident").count() == 20
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {"cli"}


def test_audit_events_cannot_be_changed_or_deleted(network: None) -> None:
    event = AuditEvent.objects.create(actor="cli", action="create", object_type="report", object_ref="x")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")


@pytest.mark.parametrize(
    "statement", ["UPDATE storage_auditevent SET actor = 'x'", "DELETE FROM storage_auditevent"]
)
def test_the_database_refuses_changes_to_audit_events(network: None, statement: str) -> None:
    AuditEvent.objects.create(actor="cli", action="create", object_type="report", object_ref="x")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().actor == "cli"


def test_an_unscoped_query_raises(db: None) -> None:
    with pytest.raises(ScopeError):
        list(Report.objects.all())
    with pytest.raises(ScopeError):
        list(ReportViolence.objects.all())


def test_a_scope_sees_only_its_organisations(store: Any, db: None) -> None:
    with scopes_disabled(), acting_as("cli"):
        save(
            [
                {
                    "ref": "a-1",
                    "organisation": "nnk",
                    "kind": "testimony",
                    "incident": {"violence": [{"type": "kicking"}]},
                },
                {"ref": "b-1", "organisation": "rigardu", "kind": "testimony"},
            ],
            store,
        )
        nnk = Organisation.objects.get(code="nnk")
    with scope(organisation=[nnk.pk]):
        assert list(Report.objects.values_list("ref", flat=True)) == ["a-1"]
        assert ReportViolence.objects.count() == 1
        assert list(Incident.objects.values_list("ref", flat=True)) == ["nnk:a-1"]

"""Editing one report: versions kept, optimistic locking, repeated submissions recognised."""

from __future__ import annotations

import uuid

import pytest
from django_scopes import scopes_disabled

from bordermonitor.core.validation import validate_report
from bordermonitor.storage.access import access_for
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.editing import (
    EditConflict,
    NotAllowed,
    changes_since,
    create_report,
    mark_seen,
    next_ref,
    update_report,
)
from bordermonitor.storage.models import Organisation, Report, ReportVersion, User
from bordermonitor.storage.repositories.reports import record_of

pytestmark = pytest.mark.django_db


def _record(ref: str, **incident: object):  # type: ignore[no-untyped-def]
    raw = {"ref": ref, "organisation": "nnk", "kind": "testimony", "status": "draft", "incident": incident}
    return validate_report(raw, where=ref).record


@pytest.fixture
def documenter(network_world):  # type: ignore[no-untyped-def]
    with scopes_disabled(), acting_as("user:test"):
        user = User.objects.get(email="documenter@nnk.test")
        yield user, access_for(user)


def test_a_form_sent_twice_creates_one_report(documenter) -> None:  # type: ignore[no-untyped-def]
    user, access = documenter
    token = uuid.uuid4()
    organisation = Organisation.objects.get(code="nnk")
    ref = next_ref(organisation, year=2025)
    assert ref == "nnk-2025-0001"
    first, created = create_report(access=access, user=user, record=_record(ref), intake_token=token)
    again, created_again = create_report(access=access, user=user, record=_record(ref), intake_token=token)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert next_ref(organisation, year=2025) == "nnk-2025-0002"
    assert Report.objects.filter(ref__startswith="nnk-2025").count() == 1
    assert first.created_by == user


def test_a_second_editor_is_refused_with_what_changed(documenter) -> None:  # type: ignore[no-untyped-def]
    user, access = documenter
    report, _ = create_report(access=access, user=user, record=_record("nnk-x", date="2024-05"))
    base = report.version
    saved = update_report(
        access=access, report=report, record=_record("nnk-x", date="2024-05-03"), expected_version=base
    )
    assert saved.version == base + 1
    assert ReportVersion.objects.get(report=report, version=saved.version).changed == ["incident.date"]
    with pytest.raises(EditConflict) as refused:
        update_report(
            access=access, report=report, record=_record("nnk-x", date="2023"), expected_version=base
        )
    assert [c.path for c in refused.value.changes] == ["incident.date"]
    assert "incident.date" in str(refused.value)
    assert record_of(Report.objects.get(pk=report.pk))["incident"]["date"] == "2024-05-03"
    # the same content sent again on the old version is not a conflict: it is already saved
    update_report(
        access=access, report=report, record=_record("nnk-x", date="2024-05-03"), expected_version=base
    )


def test_what_changed_since_my_last_look(documenter) -> None:  # type: ignore[no-untyped-def]
    user, access = documenter
    report, _ = create_report(access=access, user=user, record=_record("nnk-y", group={"size": 3}))
    mark_seen(user=user, report=report)
    assert changes_since(user=user, report=report) == (report.version, [])
    report = update_report(
        access=access,
        report=report,
        record=_record("nnk-y", group={"size": 4}),
        expected_version=report.version,
    )
    seen, changes = changes_since(user=user, report=report)
    assert seen == report.version - 1
    assert [(c.path, c.before, c.after) for c in changes] == [("incident.group.size", 3, 4)]


def test_edits_stay_within_what_the_role_allows(network_world) -> None:  # type: ignore[no-untyped-def]
    with scopes_disabled(), acting_as("user:test"):
        documenter = access_for(User.objects.get(email="documenter@nnk.test"))
        submitted = network_world["nnk-shared"]
        with pytest.raises(NotAllowed):
            update_report(
                access=documenter,
                report=submitted,
                record=_record("nnk-shared"),
                expected_version=submitted.version,
            )
        outsider = User.objects.get(email="documenter@rigardu.test")
        with pytest.raises(NotAllowed):
            create_report(access=access_for(outsider), user=outsider, record=_record("nnk-z"))


def test_a_taken_reference_is_never_replaced(documenter) -> None:  # type: ignore[no-untyped-def]
    from bordermonitor.storage.editing import RefTaken

    user, access = documenter
    ref = next_ref(Organisation.objects.get(code="nnk"))
    first, _ = create_report(access=access, user=user, record=_record(ref, date="2024"))
    with pytest.raises(RefTaken):
        create_report(access=access, user=user, record=_record(ref, date="2023"))
    second, created = create_report(
        access=access, user=user, record=_record(ref, date="2023"), fresh_ref=True
    )
    assert created and (ref[-4:], second.ref[-4:]) == ("0001", "0002")
    assert record_of(Report.objects.get(pk=first.pk))["incident"]["date"] == "2024"


def test_an_edit_keeps_what_the_source_sent_and_the_flag(network_world) -> None:  # type: ignore[no-untyped-def]
    with scopes_disabled(), acting_as("user:test"):
        reviewer = access_for(User.objects.get(email="reviewer@nnk.test"))
        report = network_world["nnk-shared"]
        Report.objects.filter(pk=report.pk).update(
            source_original={"Datum": "8/6/2019"},
            source_unparsed=[
                {"field": "incident.date", "value": "8/6/2019", "reason": "day or month first?"}
            ],
            flagged=True,
        )
        report = Report.objects.get(pk=report.pk)
        edited = _record("nnk-shared", date="2019-06")  # an edit that knows nothing of the source
        saved = update_report(access=reviewer, report=report, record=edited, expected_version=report.version)
        stored = record_of(saved)
        assert stored["source"]["original"] == {"Datum": "8/6/2019"}
        assert stored["source"]["unparsed"][0]["value"] == "8/6/2019"
        assert saved.flagged
        # the imported state was kept as the version the edit started from: the history shows the change
        before = ReportVersion.objects.get(report=report, version=report.version).record
        assert before["incident"]["date"] == "2024-05-01"


def test_a_reimport_never_removes_evidence_or_its_copies(network_world, store) -> None:  # type: ignore[no-untyped-def]
    from bordermonitor.storage.models import Evidence, EvidenceDerivative
    from tests.network import REPORTS, _report
    from tests.storage.helpers import save

    with scopes_disabled(), acting_as("cli"):
        report = network_world["nnk-draft"]
        photo = Evidence.objects.create(
            report=report, position=0, kind="photo", path="a.jpg", sha256="ab" * 32, size=3, stored=True
        )
        EvidenceDerivative.objects.create(
            evidence=photo, role="working", sha256="cd" * 32, parent_sha256="ab" * 32,
            media_type="image/jpeg", size=2, tool="Pillow", transformation="metadata stripped",
        )  # fmt: skip
        row = next(r for r in REPORTS if r[0] == "nnk-draft")
        again = _report(*row)
        again["incident"]["group"]["size"] = 8  # the source sent a corrected version, without the upload
        assert save([again], store).imported == 1
        assert Report.objects.get(pk=report.pk).group_size == 8
        kept = Evidence.objects.get(pk=photo.pk)
        assert (kept.stored, kept.sha256) == (True, "ab" * 32)
        assert EvidenceDerivative.objects.filter(evidence=kept, role="working").exists()

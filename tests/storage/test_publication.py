"""The staff side of publication: who approves a public version, what is refused, what an approval covers,
and the public copies of evidence files."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bordermonitor.core.anonymise import leftover_identifiers
from bordermonitor.core.validation import validate_report
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.access import access_for
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.editing import NotAllowed, update_report
from bordermonitor.storage.evidence import add_evidence, open_derivative_file
from bordermonitor.storage.models import AuditEvent, EvidenceDerivative, Report, ReportVersion, User
from bordermonitor.storage.publication import (
    REVIEWED_PATHS,
    IdentifiersLeft,
    NoPublicCopy,
    NothingToApprove,
    approval_is_stale,
    approve_public_version,
    proposed_public_version,
    set_evidence_publication,
    set_known_names,
    withdraw_public_version,
    withdraw_stale_approvals,
)
from bordermonitor.storage.repositories.mapping import report_fields
from bordermonitor.storage.repositories.reports import REVIEWED_COLUMNS, record_of
from tests.evidence import corpus
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
NAME = "Ahmad Karimi"
NARRATIVE = f"{NAME} told us the police took the phones. Call him on +387 61 234 567."


@pytest.fixture
def world(network_world: dict[str, Report]) -> Iterator[dict[str, Report]]:
    with scopes_disabled(), acting_as("user:test"):
        yield network_world


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _fresh(report: Report) -> Report:
    return Report.objects.select_related("organisation", "incident").get(pk=report.pk)


def _with_names(report: Report, narrative: str = NARRATIVE) -> Report:
    Report.objects.filter(pk=report.pk).update(narrative_text=narrative, known_names=[NAME])
    return _fresh(report)


def _events(report: Report, key: str) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(object_type="report", object_id=report.pk, action="update")
    return [event for event in events if key in (event.details or {})]


def test_a_reviewer_approves_the_proposed_public_version(world: dict[str, Report]) -> None:
    report = _with_names(world["nnk-shared"])
    title, narrative = proposed_public_version(report)
    assert NAME not in narrative.text and "+387" not in narrative.text
    assert [span.kind for span in narrative.spans] == ["name", "phone"]
    assert narrative.text.startswith("[name] told us")
    before = report.version
    reviewer = _user("reviewer@nnk.test")
    saved = approve_public_version(report=report, user=reviewer, title=title.text, narrative=narrative.text)
    assert (saved.public_title, saved.public_narrative) == (title.text, narrative.text)
    assert saved.public_approved_by == reviewer and saved.public_approved_at is not None
    assert saved.version == before + 1  # the record changed: a version, like any edit
    kept = ReportVersion.objects.get(report=report, version=saved.version)
    assert kept.changed == ["public.title", "public.narrative"]
    assert kept.record["public"]["narrative"] == narrative.text
    (event,) = _events(report, "public_version")
    assert event.details["public_version"] == "approved" and event.actor == "user:test"
    assert not approval_is_stale(saved)
    # the saved text is what the editor starts from next time
    assert proposed_public_version(saved)[1].text == narrative.text


@pytest.mark.parametrize(
    "email", ["documenter@nnk.test", "coordinator@nnk.test", "analyst@nnk.test", "reviewer@rigardu.test"]
)
def test_only_reviewers_of_the_organisation_decide(world: dict[str, Report], email: str) -> None:
    report = world["nnk-shared"]
    with pytest.raises(NotAllowed):
        approve_public_version(
            report=report, user=_user(email), title="Pushback", narrative="A group was pushed back."
        )
    with pytest.raises(NotAllowed):
        set_known_names(report=report, user=_user(email), names=["Someone"])
    with pytest.raises(NotAllowed):
        withdraw_public_version(report=report, user=_user(email))
    stored = _fresh(report)
    assert (stored.public_title, stored.public_narrative, stored.public_approved_at) == (None, None, None)
    assert stored.known_names == []


def test_an_identifier_left_in_the_text_is_refused_and_nothing_is_saved(world: dict[str, Report]) -> None:
    report = _with_names(world["nnk-shared"])
    reviewer = _user("reviewer@nnk.test")
    with pytest.raises(IdentifiersLeft) as refused:
        approve_public_version(
            report=report,
            user=reviewer,
            title="Pushback near the river",
            narrative="[name] said that AHMAD was beaten. Write to him: someone@example.org",
        )
    assert set(refused.value.found) == {"narrative"}
    assert [(s.kind, s.text) for s in refused.value.found["narrative"]] == [
        ("name", "AHMAD"),
        ("email", "someone@example.org"),
    ]
    assert "AHMAD" not in str(refused.value) and "example.org" not in str(refused.value)  # kinds only
    stored = _fresh(report)
    assert (stored.public_title, stored.public_narrative, stored.public_approved_at) == (None, None, None)
    assert stored.version == report.version
    assert not _events(report, "public_version")
    with pytest.raises(NothingToApprove):
        approve_public_version(report=report, user=reviewer, title="  ", narrative="\r\n")


def _edit(report: Report, email: str, **changes: Any) -> Report:
    """Change ``report`` as the intake pages would, through ``storage.editing.update_report``."""
    user = _user(email)
    current = _fresh(report)
    raw = record_of(current)
    for path, value in changes.items():
        node = raw
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    with transaction.atomic():
        update_report(
            access=access_for(user),
            report=current,
            record=validate_report(raw, where="test").record,
            expected_version=current.version,
        )
    return _fresh(report)


def test_an_edit_of_the_narrative_after_approval_withdraws_it(world: dict[str, Report]) -> None:
    report = world["nnk-shared"]
    reviewer = _user("reviewer@nnk.test")
    approve_public_version(
        report=report, user=reviewer, title="Pushback", narrative="A group was pushed back."
    )
    edited = _edit(report, "reviewer@nnk.test", **{"incident.group.size": 9})
    assert edited.public_approved_at is not None and not approval_is_stale(edited)  # not what was reviewed
    edited = _edit(
        report, "reviewer@nnk.test", **{"narrative.text": "CANARY-nnk-shared said Ahmad was there."}
    )
    # the text approved no longer matches what was reviewed: it is withdrawn (at the latest before publishing)
    assert edited.public_approved_at is None or approval_is_stale(edited)
    withdraw_stale_approvals()
    stored = _fresh(report)
    assert stored.public_approved_at is None and stored.public_approved_by is None
    assert stored.public_narrative == "A group was pushed back."  # kept, to be reviewed and approved again
    details = [e.details for e in _events(report, "public_version")]
    assert [d["public_version"] for d in details] == ["approved", "withdrawn"]
    assert withdraw_stale_approvals() == 0


def test_new_known_names_withdraw_the_approval_and_are_checked(world: dict[str, Report]) -> None:
    report = world["nnk-shared"]
    reviewer = _user("reviewer@nnk.test")
    approve_public_version(
        report=report, user=reviewer, title=None, narrative="Karimi and two others were beaten."
    )
    saved = set_known_names(report=report, user=reviewer, names=[" Ahmad Karimi ", "", "Sara"])
    assert saved.known_names == ["Ahmad Karimi", "Sara"]
    assert saved.public_approved_at is None  # the approved text was checked against other names
    assert ReportVersion.objects.get(report=report, version=saved.version).changed == ["known_names"]
    (names_event,) = _events(report, "known_names")
    assert "Sara" not in str(names_event.details)  # the audit log counts names, never lists them
    with pytest.raises(IdentifiersLeft):
        approve_public_version(
            report=saved, user=reviewer, title=None, narrative="Karimi and two others were beaten."
        )
    assert proposed_public_version(saved)[1].text == "[name] and two others were beaten."
    again = set_known_names(report=saved, user=reviewer, names=["Ahmad Karimi", "Sara"])
    assert again.version == saved.version  # nothing changed, nothing saved


@given(
    before=st.text(alphabet="abc .,\n", max_size=30),
    after=st.text(alphabet="xyz .,\n", max_size=30),
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_automatic_proposal_is_approvable_and_what_is_stored_is_clean(
    world: dict[str, Report], before: str, after: str, digits: str
) -> None:
    report = world["nnk-private"]
    reviewer = _user("reviewer@nnk.test")
    typed = f"{before} Ahmad Karimi {after} tel +44 {digits} {before}"
    Report.objects.filter(pk=report.pk).update(
        narrative_text=typed, known_names=[NAME], public_title=None, public_narrative=None
    )
    report = _fresh(report)
    with pytest.raises(IdentifiersLeft):
        approve_public_version(report=report, user=reviewer, title=None, narrative=typed)
    _, proposal = proposed_public_version(report)
    saved = approve_public_version(report=report, user=reviewer, title=None, narrative=proposal.text)
    assert saved.public_narrative is not None
    assert leftover_identifiers(saved.public_narrative, known_names=saved.known_names) == ()
    assert "Karimi" not in saved.public_narrative and digits not in saved.public_narrative


# --- re-imports -------------------------------------------------------------------------------------------


def _approved(report: Report) -> Report:
    """``report`` with its current public texts (or a clean one) approved by its organisation's reviewer."""
    current = _fresh(report)
    return approve_public_version(
        report=current,
        user=_user("reviewer@nnk.test"),
        title=current.public_title,
        narrative=current.public_narrative or "A group was pushed back.",
    )


def _reimport(report: Report, store: FileStore, **changes: Any) -> Report:
    """Import ``report`` again from its own record with ``changes`` (record paths), as a source resending it."""
    raw = record_of(_fresh(report))
    for path, value in changes.items():
        node = raw
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    summary = save([raw], store)
    assert summary.rejected == 0 and summary.imported == 1
    return _fresh(report)


@pytest.mark.parametrize(
    "changes",
    [
        {"public.narrative": "A group of seven was pushed back at night."},
        {"narrative.text": "CANARY-nnk-shared said the police took the phones and the shoes."},
        {"known_names": ["Sara"]},
        {"title": "Another title"},
    ],
    ids=["public narrative", "narrative", "known names", "title"],
)
def test_a_reimport_that_changes_the_reviewed_texts_withdraws_the_approval(
    world: dict[str, Report], store: FileStore, changes: dict[str, Any]
) -> None:
    report = _approved(world["nnk-shared"])
    assert report.public_approved_at is not None
    stored = _reimport(report, store, **changes)
    assert stored.public_approved_at is None and stored.public_approved_by is None
    assert not approval_is_stale(stored)  # nothing left to withdraw before a publication
    events = [e.details for e in _events(report, "public_version")]
    assert [d["public_version"] for d in events] == ["approved", "withdrawn"]


def test_a_reimport_that_leaves_the_reviewed_texts_as_they_were_keeps_the_approval(
    world: dict[str, Report], store: FileStore
) -> None:
    report = _approved(world["nnk-shared"])
    approved_at = report.public_approved_at
    stored = _reimport(report, store)  # the same record sent again
    assert (stored.public_approved_at, stored.public_approved_by) == (approved_at, report.public_approved_by)
    stored = _reimport(report, store, **{"incident.group.size": 9})  # a fact, not a reviewed text
    assert stored.group_size == 9 and stored.public_approved_at == approved_at
    assert [e.details["public_version"] for e in _events(report, "public_version")] == ["approved"]


_REVIEWED_CHANGES: dict[str, Any] = {
    "title": lambda n: f"Pushback number {n}",
    "narrative.text": lambda n: f"The group was pushed back, account {n}.",
    "known_names": lambda n: [f"Zoran{n}x"],
    "public.title": lambda n: f"Pushback at the river, {n}",
    "public.narrative": lambda n: f"A group was pushed back, account {n}.",
}


@given(
    reviewed=st.sets(st.sampled_from(sorted(_REVIEWED_CHANGES))),
    fact=st.booleans(),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_approval_survives_a_reimport_exactly_when_no_reviewed_text_changed(
    world: dict[str, Report], store: FileStore, reviewed: set[str], fact: bool
) -> None:
    report = _approved(world["nnk-shared"])
    n = report.version  # a new value each time: every change is a real one
    changes = {path: _REVIEWED_CHANGES[path](n) for path in reviewed}
    if fact:
        changes["incident.group.size"] = n
    stored = _reimport(report, store, **changes)
    assert (stored.public_approved_at is None) == bool(reviewed)
    assert not approval_is_stale(stored)


def test_the_import_compares_the_columns_of_the_paths_an_approval_covers() -> None:
    """``REVIEWED_COLUMNS`` (the import's comparison) are the columns of ``REVIEWED_PATHS`` (staleness)."""
    from bordermonitor.core.records import ReportRecord

    def column_of(path: str) -> set[str]:
        raw: dict[str, Any] = {"ref": "x", "organisation": "x", "kind": "testimony"}
        node = raw
        *parents, last = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = ["Changed"] if last == "known_names" else "Changed"
        plain = report_fields(ReportRecord(ref="x", organisation="x", kind="testimony"))
        changed = report_fields(ReportRecord.model_validate(raw))
        return {name for name, value in changed.items() if value != plain[name]}

    assert {column for path in REVIEWED_PATHS for column in column_of(path)} == set(REVIEWED_COLUMNS)


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path)
    return tmp_path


def _upload(report: Report, data: bytes, kind: str) -> Any:
    reviewer = _user("reviewer@nnk.test")
    return add_evidence(
        access=access_for(reviewer),
        report=report,
        upload=io.BytesIO(data),
        kind=kind,
        description=None,
        user=reviewer,
    )


def test_publishing_a_photo_records_its_metadata_free_copy(
    world: dict[str, Report], evidence_dir: Path
) -> None:
    report = world["nnk-shared"]
    photo = _upload(report, corpus.jpeg_with_gps(), "photo")
    reviewer = _user("reviewer@nnk.test")
    chosen = set_evidence_publication(evidence=photo, user=reviewer, publish=True)
    assert chosen.publish
    working = EvidenceDerivative.objects.get(evidence=photo, role="working")
    public = EvidenceDerivative.objects.get(evidence=photo, role="public")
    assert (public.sha256, public.parent_sha256) == (working.sha256, working.sha256)
    assert public.media_type == "image/jpeg" and public.size == working.size
    assert "metadata" in public.transformation
    assert public.blob == working.blob and bytes(public.key_header) == bytes(working.key_header)
    with open_derivative_file(public) as copy:  # decrypted and checked through the store
        data = copy.read()
    assert corpus.GPS_CANARY.encode() not in data and b"CanaryCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and "exif" not in image.info
    assert [e.details for e in _events(report, "publish")] == [{"evidence": photo.sha256, "publish": True}]

    set_evidence_publication(evidence=photo, user=reviewer, publish=False)
    assert not EvidenceDerivative.objects.filter(evidence=photo, role="public").exists()
    assert not type(photo).objects.get(pk=photo.pk).publish
    with pytest.raises(NotAllowed):
        set_evidence_publication(evidence=photo, user=_user("documenter@nnk.test"), publish=True)


def test_a_file_without_a_cleaned_copy_cannot_be_published(
    world: dict[str, Report], evidence_dir: Path
) -> None:
    document = _upload(world["nnk-shared"], corpus.docx(), "document")
    with pytest.raises(NoPublicCopy):
        set_evidence_publication(evidence=document, user=_user("reviewer@nnk.test"), publish=True)
    assert not type(document).objects.get(pk=document.pk).publish
    assert not EvidenceDerivative.objects.filter(evidence=document, role="public").exists()

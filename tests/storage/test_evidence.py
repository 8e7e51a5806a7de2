"""Evidence originals are sealed as received: digest first, write-once, nothing outside the store."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, transaction
from django_scopes import scopes_disabled

from bordermonitor.cli import main
from bordermonitor.evidence.check import NOT_ENCRYPTED, check_evidence
from bordermonitor.evidence.store import (
    DigestMismatch,
    FileStore,
    IntegrityError,
    StoreError,
    unwrap_file_key,
)
from bordermonitor.storage.access import access_for
from bordermonitor.storage.evidence import (
    IntegrityFailed,
    NotEncrypted,
    add_evidence,
    derive_copies,
    evidence_store,
    open_derivative_file,
    open_original,
)
from bordermonitor.storage.exports import EvidenceNotExported, export_jsonl
from bordermonitor.storage.keys import working_identity
from bordermonitor.storage.models import AuditEvent, Evidence, EvidenceDerivative, Report, User
from tests.evidence import corpus
from tests.evidence.sealing import RECIPIENT, plaintext
from tests.storage.helpers import export, save

pytestmark = pytest.mark.django_db


def test_sealing_records_the_digest_of_the_received_bytes(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    data = b"medical report" * 1000
    sealed = store.seal(io.BytesIO(data), recipient=RECIPIENT)
    assert sealed.sha256 == hashlib.sha256(data).hexdigest()
    assert (sealed.size, sealed.created) == (len(data), True)
    path = store.path_for(sealed.blob)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sealed.blob  # named by its encrypted bytes
    assert b"medical report" not in path.read_bytes()
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # read-only
    kept = path.read_bytes()
    again = store.seal(io.BytesIO(data), recipient=RECIPIENT)
    assert again.sha256 == sealed.sha256 and again.blob != sealed.blob  # sealed again under a key of its own
    assert path.read_bytes() == kept  # the first is never replaced
    assert plaintext(store, again.blob, again.key_header, again.sha256) == data
    assert not any((tmp_path / "tmp").iterdir())  # no partial file left behind


def test_a_digest_mismatch_stores_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(DigestMismatch):
        store.seal(io.BytesIO(b"abc"), recipient=RECIPIENT, expected_sha256="0" * 64)
    assert not (tmp_path / "blobs").exists()
    assert not any((tmp_path / "tmp").iterdir())


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "a" * 63, "/" + "a" * 64])
def test_store_paths_come_only_from_digests(tmp_path: Path, bad: str) -> None:
    with pytest.raises(StoreError):
        FileStore(tmp_path).path_for(bad)


def _raw(path: str, sha: str) -> dict[str, Any]:
    return {
        "ref": "nnk-1",
        "organisation": "nnk",
        "kind": "testimony",
        "title": "kept",
        "evidence": [{"path": path, "kind": "photo", "sha256": sha}],
    }


def test_a_file_with_the_wrong_digest_is_refused_and_the_report_flagged(
    network: None, store: Any, tmp_path: Path
) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"tampered")
    summary = save([_raw("photo.jpg", "a" * 64)], store, base=tmp_path)
    assert (summary.imported, summary.flagged) == (1, 1)
    (record,) = export(store)
    assert record["title"] == "kept"  # nothing else of the report is lost
    assert record["evidence"][0]["sha256"] == "a" * 64
    assert record["source"]["unparsed"][0]["field"] == "evidence[0].sha256"
    assert Evidence.objects.get().stored is False
    assert not (store.root / "blobs").exists()


def test_a_missing_file_or_a_path_outside_the_export_is_flagged(
    network: None, store: Any, tmp_path: Path
) -> None:
    outside = tmp_path.parent / "secret.txt"
    outside.write_bytes(b"secret")
    sha = hashlib.sha256(b"secret").hexdigest()
    summary = save([_raw("missing.jpg", sha)], store, base=tmp_path)
    assert summary.flagged == 1
    # A path that climbs out of the export directory is refused by validation before any file is read.
    summary = save([{**_raw("../secret.txt", sha), "ref": "nnk-2"}], store, base=tmp_path)
    assert summary.flagged == 1
    assert not (store.root / "blobs").exists()


def test_a_record_sent_again_without_its_file_keeps_its_sealed_original(
    network: None, store: Any, tmp_path: Path
) -> None:
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "photo.jpg").write_bytes(b"bruises")
    sha = hashlib.sha256(b"bruises").hexdigest()
    first = save([_raw("photo.jpg", sha)], store, base=tmp_path / "first")
    assert (first.flagged, first.flags) == (0, [])
    summary = save([_raw("photo.jpg", sha)], store, base=tmp_path)  # no file here this time
    assert summary.flagged == 0
    assert Evidence.objects.get().stored is True


# --- encrypted at rest: imports, reads, the full check, files of earlier versions -------------------------------


def _blobs(store: FileStore) -> set[str]:
    return set(store.blob_names())


def test_imported_files_are_encrypted_to_their_organisation_and_read_back_checked(
    network: None, store: Any, tmp_path: Path
) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"bruises on the back")
    sha = hashlib.sha256(b"bruises on the back").hexdigest()
    save([_raw("photo.jpg", sha)], store, base=tmp_path)
    evidence = Evidence.objects.select_related("report__organisation").get()
    assert evidence.stored and evidence.blob in _blobs(store) and evidence.key_version == 1
    assert b"bruises" not in store.path_for(evidence.blob).read_bytes()
    organisation = evidence.report.organisation_id
    assert bytes(evidence.key_header).startswith(b"age-encryption.org/v1\n-> X25519 ")
    with open_original(evidence, store=store) as original:
        assert original.read() == b"bruises on the back"
    # wrapped to the organisation's evidence key: its working key does not open it
    with pytest.raises(IntegrityError):
        unwrap_file_key(bytes(evidence.key_header), working_identity(organisation, 1))


def test_importing_the_same_files_again_stores_nothing_twice_and_replaces_nothing(
    network: None, store: Any, tmp_path: Path
) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"bruises")
    sha = hashlib.sha256(b"bruises").hexdigest()
    save([_raw("photo.jpg", sha)], store, base=tmp_path)
    first = Evidence.objects.get()
    kept = (first.blob, bytes(first.key_header), store.path_for(first.blob).read_bytes())
    save([_raw("photo.jpg", sha)], store, base=tmp_path)  # the same export again
    save([{**_raw("photo.jpg", sha), "ref": "nnk-2"}], store, base=tmp_path)  # another report, same file
    save([{**_raw("photo.jpg", sha), "ref": "nnk-3"}], store, base=tmp_path / "elsewhere")  # without the file
    assert _blobs(store) == {first.blob}
    again = Evidence.objects.get(pk=first.pk)
    assert (again.blob, bytes(again.key_header), store.path_for(again.blob).read_bytes()) == kept
    assert set(Evidence.objects.values_list("blob", "stored")) == {(first.blob, True)}


def test_an_import_in_two_processes_encrypts_in_the_preparing_one(
    network: None, store: Any, tmp_path: Path
) -> None:
    from bordermonitor.importers import jsonl
    from bordermonitor.storage.imports import run_import_file

    lines = []
    for n in range(3):
        data = f"scan of a medical report {n}".encode()
        (tmp_path / f"scan-{n}.txt").write_bytes(data)
        lines.append(
            json.dumps(
                {
                    **_raw(f"scan-{n}.txt", hashlib.sha256(data).hexdigest()),
                    "ref": f"nnk-{n}",
                    "organisation": "new-org",
                }
            )
        )
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    summary = run_import_file(jsonl.__name__, source, store=store, batch_size=2)
    assert (summary.imported, summary.flagged) == (3, 0)
    assert any("new-org" in w for w in summary.warnings)  # made for its first file's key, said once
    rows = list(Evidence.objects.order_by("report__ref"))
    assert len({r.blob for r in rows}) == 3 and all(r.key_header for r in rows)
    for n, row in enumerate(rows):
        with open_original(row, store=store) as original:
            assert original.read() == f"scan of a medical report {n}".encode()


def _upload(report: Report, data: bytes, kind: str) -> Evidence:
    reviewer = User.objects.get(email="reviewer@nnk.test")
    return add_evidence(
        access=access_for(reviewer),
        report=report,
        upload=io.BytesIO(data),
        kind=kind,
        description=None,
        user=reviewer,
    )


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """A data directory of the test's own (its evidence store and master key), set before any key is made."""
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def uploaded(data_dir: Path, network_world: dict[str, Report], network: None) -> dict[str, Evidence]:
    """A photo, a PDF and a video uploaded by a reviewer; the test then acts as the CLI does."""
    with scopes_disabled():
        report = network_world["nnk-shared"]
        return {
            "photo": _upload(report, corpus.jpeg_with_gps(), "photo"),
            "pdf": _upload(report, corpus.pdf_with_everything(), "medical_report"),
            "video": _upload(
                report, b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 5000, "video"
            ),
        }


def _integrity() -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="integrity").order_by("seq"))


def _damage(store: FileStore, blob: str, change: Callable[[bytes], bytes]) -> None:
    path = store.path_for(blob)
    path.chmod(0o600)
    path.write_bytes(change(path.read_bytes()))
    path.chmod(0o444)


def test_a_clean_store_checks_clean(uploaded: dict[str, Evidence]) -> None:
    report = check_evidence()
    assert report.ok and report.problems == [] and report.unreferenced == []
    assert (report.files, report.decrypted, report.encrypted_only, report.not_encrypted) == (6, 6, 0, 0)
    assert _integrity() == []


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:], "encrypted bytes were changed"),
        (lambda data: data[:-1], "encrypted bytes were changed"),
        (lambda data: data + b"\0", "encrypted bytes were changed"),
    ],
    ids=["flipped byte", "truncated", "appended"],
)
def test_a_damaged_file_is_named_by_the_check_and_fails_its_reads(
    uploaded: dict[str, Evidence], damage: Callable[[bytes], bytes], problem: str
) -> None:
    store = evidence_store()
    photo = uploaded["photo"]
    _damage(store, str(photo.blob), damage)
    with scopes_disabled(), pytest.raises(IntegrityFailed):
        open_original(Evidence.objects.select_related("report__organisation").get(pk=photo.pk))
    assert len(_integrity()) == 1
    report = check_evidence()
    assert not report.ok
    assert [(p.evidence, p.report, p.kind, p.file) for p in report.problems] == [
        (photo.pk, "nnk-shared", "photo", "original")
    ]
    assert problem in report.problems[0].what
    assert len(_integrity()) == 2
    with scopes_disabled(), open_original(Evidence.objects.get(pk=uploaded["pdf"].pk)) as intact:
        assert hashlib.sha256(intact.read()).hexdigest() == uploaded["pdf"].sha256


def test_swapped_files_are_both_named(uploaded: dict[str, Evidence]) -> None:
    store = evidence_store()
    one, two = uploaded["photo"], uploaded["pdf"]
    a, b = store.path_for(str(one.blob)).read_bytes(), store.path_for(str(two.blob)).read_bytes()
    _damage(store, str(one.blob), lambda _: b)
    _damage(store, str(two.blob), lambda _: a)
    report = check_evidence()
    assert sorted((p.evidence, p.file) for p in report.problems) == sorted(
        [(one.pk, "original"), (two.pk, "original")]
    )
    # a key header moved from one row to another does not open the other's file either
    _damage(store, str(one.blob), lambda _: a)
    _damage(store, str(two.blob), lambda _: b)
    with scopes_disabled():
        Evidence.objects.filter(pk=one.pk).update(key_header=two.key_header)
    report = check_evidence()
    assert [(p.evidence, p.file) for p in report.problems] == [(one.pk, "original")]
    assert "does not decrypt" in report.problems[0].what


def test_the_database_refuses_to_change_which_file_a_row_names_or_its_digest(
    uploaded: dict[str, Evidence],
) -> None:
    """Whatever code path tries: an encrypted original (or copy) is write-once (migration 0011's triggers)."""
    photo, pdf = uploaded["photo"], uploaded["pdf"]
    working = EvidenceDerivative.objects.get(evidence=photo, role="working")
    for rows, change in (
        (Evidence.objects.filter(pk=photo.pk), {"blob": pdf.blob}),
        (Evidence.objects.filter(pk=photo.pk), {"sha256": pdf.sha256}),
        (EvidenceDerivative.objects.filter(pk=working.pk), {"blob": photo.blob}),
        (EvidenceDerivative.objects.filter(pk=working.pk), {"sha256": "0" * 64}),
    ):
        with pytest.raises(DatabaseError, match="write-once"), transaction.atomic():
            rows.update(**change)
    unchanged = Evidence.objects.get(pk=photo.pk)
    assert (unchanged.blob, unchanged.sha256) == (photo.blob, photo.sha256)
    # what stays possible: other fields, and destroying the link (erasure)
    Evidence.objects.filter(pk=photo.pk).update(description="seen", key_header=None, blob=None)
    Evidence.objects.filter(pk=photo.pk).update(blob=photo.blob)  # set where null: how it is first recorded


def test_a_missing_file_an_unresolved_parent_and_a_stray_file_are_reported(
    uploaded: dict[str, Evidence],
) -> None:
    store = evidence_store()
    with scopes_disabled():
        thumbnail = EvidenceDerivative.objects.get(evidence=uploaded["photo"], role="thumbnail")
        working = EvidenceDerivative.objects.get(evidence=uploaded["pdf"], role="working")
        EvidenceDerivative.objects.filter(pk=working.pk).update(parent_sha256="f" * 64)
    path = store.path_for(str(thumbnail.blob))
    path.unlink()
    stray = store.seal_bytes(b"left behind", recipient=RECIPIENT)
    report = check_evidence()
    assert sorted((p.evidence, p.file, p.what.split(" (")[0]) for p in report.problems) == sorted(
        [
            (uploaded["photo"].pk, "thumbnail", "it is missing from the store"),
            (
                uploaded["pdf"].pk,
                "working",
                f"its parent hash {'f' * 16}… is neither its original's nor another copy's",
            ),
        ]
    )
    assert report.unreferenced == [stray.blob]
    assert len(_integrity()) == 2


def test_files_of_an_earlier_version_are_reported_then_encrypted(
    uploaded: dict[str, Evidence], settings: Any
) -> None:
    store = evidence_store()
    legacy_data = b"%PDF-1.4 a plaintext original of an earlier version"
    sha = hashlib.sha256(legacy_data).hexdigest()
    path = store.plaintext_path(sha)
    path.parent.mkdir(parents=True)
    path.write_bytes(legacy_data)
    path.chmod(0o444)
    copy_data = b"%PDF-1.4 its cleaned copy"
    copy_sha = hashlib.sha256(copy_data).hexdigest()
    copy_path = store.plaintext_path(copy_sha, derivative=True)
    copy_path.parent.mkdir(parents=True)
    copy_path.write_bytes(copy_data)
    with scopes_disabled():
        legacy = Evidence.objects.create(
            report=uploaded["photo"].report, position=9, kind="document", path="old.pdf", sha256=sha, stored=True,
            size=len(legacy_data),
        )  # fmt: skip
        legacy_copy = EvidenceDerivative.objects.create(
            evidence=legacy, role="working", sha256=copy_sha, parent_sha256=sha, media_type="application/pdf",
            size=len(copy_data), tool="pikepdf 9", transformation="rewritten",
        )  # fmt: skip
    report = check_evidence()
    assert [(p.evidence, p.file, p.what) for p in report.problems] == [
        (legacy.pk, "original", NOT_ENCRYPTED),
        (legacy.pk, "working", NOT_ENCRYPTED),
    ]
    assert report.not_encrypted == 2 and _integrity() == []  # not an integrity failure: a task
    with scopes_disabled(), pytest.raises(NotEncrypted):
        open_original(legacy)

    result = CliRunner().invoke(main, ["evidence", "encrypt-existing", "--remove-plaintext"])
    assert result.exit_code == 0, result.output
    assert "encrypted 1 originals and 1 copies; removed 2 plaintext files" in result.output
    assert not (store.root / "originals").exists() and not (store.root / "derivatives").exists()
    assert check_evidence().ok
    with scopes_disabled(), open_original(Evidence.objects.get(pk=legacy.pk)) as original:
        assert original.read() == legacy_data
    with scopes_disabled(), open_derivative_file(EvidenceDerivative.objects.get(pk=legacy_copy.pk)) as copy:
        assert copy.read() == copy_data
    with scopes_disabled():
        before = {e.pk: (e.blob, bytes(e.key_header)) for e in Evidence.objects.all()}
    assert CliRunner().invoke(main, ["evidence", "encrypt-existing"]).exit_code == 0  # nothing left to do
    with scopes_disabled():
        assert {e.pk: (e.blob, bytes(e.key_header)) for e in Evidence.objects.all()} == before


def test_an_export_copies_checked_originals_and_stops_at_a_damaged_one(
    uploaded: dict[str, Evidence], tmp_path: Path
) -> None:
    out = tmp_path / "export"
    out.mkdir()
    with (out / "all.jsonl").open("w") as handle:
        export_jsonl(handle, store=evidence_store(), evidence_root=out)
    photo = uploaded["photo"]
    assert (out / photo.path).read_bytes() == corpus.jpeg_with_gps()
    _damage(evidence_store(), str(photo.blob), lambda data: data[:-10])
    again = tmp_path / "again"
    again.mkdir()
    with (
        (again / "all.jsonl").open("w") as handle,
        pytest.raises(EvidenceNotExported, match="integrity check"),
    ):
        export_jsonl(handle, store=evidence_store(), evidence_root=again)
    assert not (again / photo.path).exists()
    assert [e.details["file"] for e in _integrity()] == ["original"]


def test_making_copies_again_rewrites_nothing(uploaded: dict[str, Evidence]) -> None:
    with scopes_disabled():
        rows = {
            (d.evidence_id, d.role): (d.blob, bytes(d.key_header)) for d in EvidenceDerivative.objects.all()
        }
        for evidence in Evidence.objects.all():
            assert derive_copies(evidence) == []  # copies exist: nothing is made, nothing replaced
        assert {
            (d.evidence_id, d.role): (d.blob, bytes(d.key_header)) for d in EvidenceDerivative.objects.all()
        } == rows

"""Evidence at rest (SECURITY goals 1, 3, 4): uploaded through the real upload view, no file's plaintext is
found anywhere on disk or in the database; a damaged file is refused with an audit event and named by
``evidence check``; the standard ``age`` tool opens an original; a key held offline is handled."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib
import io
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from PIL import Image, PngImagePlugin

from bordermonitor.cli import main
from bordermonitor.storage import keys as keyring
from bordermonitor.storage.evidence import open_derivative_file, open_original
from bordermonitor.storage.models import AuditEvent, Evidence, EvidenceDerivative, Report
from tests.evidence import corpus

Login = Callable[[str], Client]
PASSPHRASE = "a long passphrase for the test"
AGE = shutil.which("age")
AUDIT = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=directory)
    keyring.clear_caches()
    return directory


@pytest.fixture
def system_tmp(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh system temporary directory for the test: Python's ``tempfile`` and Django's upload spool."""
    directory = tmp_path / "system-tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    monkeypatch.setenv("TMPDIR", str(directory))
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    return directory


def _upload(client: Client, report: Report, data: bytes, kind: str, name: str = "file.bin") -> Any:
    return client.post(
        reverse("evidence:upload", args=[report.pk]),
        {"file": SimpleUploadedFile(name, data), "kind": kind, "description": "seen at the border"},
    )


def _evidence(report: Report) -> list[Evidence]:
    with scopes_disabled():
        return list(Evidence.objects.filter(report=report).select_related("report__organisation"))


def _integrity_events() -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="integrity").order_by("seq"))


def _blob_path(data_dir: Path, blob: str) -> Path:
    return data_dir / "evidence" / "blobs" / blob[:2] / blob[2:4] / blob


def _flip(path: Path, offset: int) -> None:
    path.chmod(0o600)
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x01
    path.write_bytes(bytes(data))
    path.chmod(0o444)


def _check(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, ["evidence", "check", *args], env=env)


# --- files with a planted canary -----------------------------------------------------------------------------


def _text(canary: str) -> bytes:
    sentence = f"The witness said: {canary} saw the police take the phones at the river.\n"
    return sentence.encode() * (3 * 1024 * 1024 // len(sentence) + 1)  # > 2.5 MB: Django would spool it


def _jpeg(canary: str) -> bytes:
    image = Image.new("RGB", (320, 240), (180, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = canary  # ImageDescription
    exif[0x013B] = canary  # Artist
    exif[0x8825] = {1: "N", 2: (45.0, 12.0, 30.0), 3: "E", 4: (15.0, 48.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def _png(canary: str) -> bytes:
    image = Image.new("RGB", (200, 120), (10, 120, 10))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", canary)
    info.add_itxt("Author", canary)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _pdf(canary: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:creator"] = [canary]
    pdf.docinfo["/Author"] = canary
    pdf.docinfo["/Subject"] = canary
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def _forms(canary: bytes) -> list[bytes]:
    """The canary as it could appear in a file or a dump: raw, hexadecimal (PostgreSQL ``bytea``), base64."""
    found = [canary, canary.hex().encode(), canary.hex().upper().encode()]
    for shift in range(3):  # base64 of the canary at each alignment, without the partial edge groups
        encoded = base64.b64encode(b"\0" * shift + canary)[4:-4]
        found.append(encoded)
    return found


def _count(data: bytes, canary: bytes) -> int:
    return sum(data.count(form) for form in _forms(canary))


def _files_under(directory: Path) -> Iterator[Path]:
    yield from (p for p in directory.rglob("*") if p.is_file())


def _database_bytes(tmp_path: Path) -> bytes:
    """The database as stored: SQLite's file and its write-ahead log (or, for an in-memory test database,
    its serialised image, free pages included); PostgreSQL's ``pg_dump`` of the test database."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        path = Path(name)
        if path.is_file():
            wal = path.with_name(path.name + "-wal")
            return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        connection.ensure_connection()
        return bytes(connection.connection.serialize())
    out = tmp_path / "dump.sql"
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    subprocess.run(
        [
            "pg_dump",
            "--host",
            str(settings.get("HOST") or "127.0.0.1"),
            "--port",
            str(settings.get("PORT") or 5432),
            "--username",
            str(settings.get("USER") or "postgres"),
            "--file",
            str(out),
            str(settings["NAME"]),
        ],
        check=True,
        env=env,
    )
    return out.read_bytes()


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Data committed, so that the database file (or ``pg_dump``) holds it. Afterwards the tables are emptied;
    the audit log refuses DELETE, so on SQLite its triggers are lifted for that one statement (as
    tests/web/test_publication.py does)."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in (*AUDIT.SQLITE_REVERSE, "DELETE FROM storage_auditevent", *AUDIT.SQLITE):
                cursor.execute(statement)


def test_no_plaintext_of_any_upload_is_anywhere_at_rest(
    committed: None,
    login: Login,
    network_world: dict[str, Report],
    data_dir: Path,
    system_tmp: Path,
    tmp_path: Path,
) -> None:
    canary = f"CANARY-{secrets.token_hex(8)}"
    needle = canary.encode()
    uploads = [
        (_text(canary), "document", "text/plain"),
        (_jpeg(canary), "photo", "image/jpeg"),
        (_png(canary), "photo", "image/png"),
        (_pdf(canary), "medical_report", "application/pdf"),
    ]
    for data, _kind, _media in uploads:
        assert needle in data  # planted in plaintext, where a careless store would keep it
    client = login("documenter@nnk.test")
    draft = network_world["nnk-draft"]
    for data, kind, _media in uploads:
        assert _upload(client, draft, data, kind).status_code == 303

    rows = _evidence(draft)
    assert [(e.media_type, e.sha256) for e in rows] == [
        (media, hashlib.sha256(data).hexdigest()) for data, _kind, media in uploads
    ]
    on_disk = list(_files_under(data_dir)) + list(_files_under(system_tmp))
    assert any(p.parent.parent.parent.name == "blobs" for p in on_disk)
    hits = {str(p): _count(p.read_bytes(), needle) for p in on_disk}
    assert {p: n for p, n in hits.items() if n} == {}
    assert not any((data_dir / "evidence" / "tmp").iterdir())
    database = _database_bytes(tmp_path)
    assert b"seen at the border" in database  # the scan sees what the rows hold (the typed description)…
    assert _count(database, needle) == 0  # …and no file's content

    # …while everything reads back right through the storage API
    with scopes_disabled():
        text, photo, _png_row, pdf = rows
        for evidence, (data, _kind, _media) in zip(rows, uploads, strict=True):
            with open_original(evidence) as original:
                assert original.read() == data
        working = {
            e.pk: EvidenceDerivative.objects.select_related("evidence__report__organisation").get(
                evidence=e, role="working"
            )
            for e in rows
        }
        with open_derivative_file(working[text.pk]) as copy:
            assert copy.read() == uploads[0][0]  # plain text: the copy is the same bytes
        with open_derivative_file(working[photo.pk]) as copy:
            picture = copy.read()
        assert needle not in picture
        with Image.open(io.BytesIO(picture)) as image:
            assert image.format == "JPEG" and image.size == (320, 240)
        with open_derivative_file(working[pdf.pk]) as copy:
            cleaned = copy.read()
        assert needle not in cleaned and cleaned.startswith(b"%PDF")


@pytest.mark.skipif(AGE is None, reason="the age command is not installed")
def test_an_original_opens_with_the_age_tool_and_the_organisations_identity(
    login: Login, network_world: dict[str, Report], data_dir: Path, tmp_path: Path
) -> None:
    photo = corpus.jpeg_with_gps()
    assert (
        _upload(login("documenter@nnk.test"), network_world["nnk-draft"], photo, "photo").status_code == 303
    )
    (evidence,) = _evidence(network_world["nnk-draft"])
    with scopes_disabled():
        identity = keyring.evidence_identity(evidence.report.organisation_id, int(evidence.key_version or 0))
    key_file = tmp_path / "identity.txt"
    key_file.write_text(str(identity) + "\n")
    key_file.chmod(0o600)
    sealed = tmp_path / "original.age"
    payload = _blob_path(data_dir, str(evidence.blob)).read_bytes()
    sealed.write_bytes(bytes(evidence.key_header or b"") + payload)  # header + payload: a standard age file
    opened = subprocess.run(
        [str(AGE), "--decrypt", "--identity", str(key_file), str(sealed)], capture_output=True, check=True
    )
    assert opened.stdout == photo


def test_a_flipped_byte_is_refused_audited_and_named_by_the_check(
    login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    photo = corpus.jpeg_with_gps()
    draft = network_world["nnk-draft"]
    assert _upload(login("documenter@nnk.test"), draft, photo, "photo").status_code == 303
    assert (
        _upload(login("documenter@nnk.test"), draft, corpus.pdf_with_everything(), "document").status_code
        == 303
    )
    assert _check().exit_code == 0
    damaged, intact = _evidence(draft)
    reviewer = login("reviewer@nnk.test")
    assert reviewer.get(reverse("evidence:original", args=[damaged.pk])).status_code == 200

    _flip(_blob_path(data_dir, str(damaged.blob)), 70_000)  # a byte in the second chunk
    response = reviewer.get(reverse("evidence:original", args=[damaged.pk]))
    assert response.status_code == 409
    assert "failed its integrity check" in response.content.decode()
    (event,) = _integrity_events()
    assert (event.object_type, event.object_id, event.object_ref) == ("evidence", damaged.pk, "nnk-draft")
    assert event.details["file"] == "original" and event.details["blob"] == damaged.blob
    assert "changed" in event.details["problem"]
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="download").count() == 1  # only the read that checked
    assert reviewer.get(reverse("evidence:original", args=[intact.pk])).status_code == 200
    assert reviewer.get(reverse("evidence:working", args=[damaged.pk])).status_code == 200  # its copy is fine

    result = _check()
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("evidence ")]
    assert problems == [
        f"evidence {damaged.pk} (report nnk-draft, nnk), photo, original: its encrypted bytes were changed"
        " (their SHA-256 is no longer its name)"
    ]
    assert (
        "5 files checked" in result.output
    )  # the photo, its working copy and thumbnail; the PDF and its copy
    assert len(_integrity_events()) == 2  # the check wrote one event for its one failure


def test_a_damaged_copy_answers_with_an_error_page_not_a_crash(
    login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    draft = network_world["nnk-draft"]
    client = login("documenter@nnk.test")
    assert _upload(client, draft, corpus.jpeg_with_gps(), "photo").status_code == 303
    (evidence,) = _evidence(draft)
    with scopes_disabled():
        thumbnail = EvidenceDerivative.objects.get(evidence=evidence, role="thumbnail")
    path = _blob_path(data_dir, str(thumbnail.blob))
    path.chmod(0o600)
    path.write_bytes(path.read_bytes()[:-100])  # truncated
    path.chmod(0o444)
    response = client.get(reverse("evidence:thumbnail", args=[evidence.pk]))
    assert response.status_code == 409 and "integrity check" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert [e.details["file"] for e in _integrity_events()] == ["thumbnail"]
    assert client.get(reverse("evidence:working", args=[evidence.pk])).status_code == 200


def test_with_the_evidence_key_offline_uploads_work_originals_say_so_and_check_takes_the_identity(
    login: Login, network_world: dict[str, Report], tmp_path: Path
) -> None:
    nnk = network_world["nnk-draft"].organisation_id
    exported = tmp_path / "nnk-evidence.age"
    with scopes_disabled():
        keyring.evidence_recipient(nnk)  # the organisation's keys exist
        keyring.export_identity(nnk, exported, PASSPHRASE, work_factor=10)
        keyring.take_offline(nnk, exported, PASSPHRASE)
    keyring.clear_caches()
    photo = corpus.jpeg_with_gps()
    assert (
        _upload(login("documenter@nnk.test"), network_world["nnk-draft"], photo, "photo").status_code == 303
    )
    (evidence,) = _evidence(network_world["nnk-draft"])
    reviewer = login("reviewer@nnk.test")
    assert reviewer.get(reverse("evidence:thumbnail", args=[evidence.pk])).status_code == 200  # working key
    response = reviewer.get(reverse("evidence:original", args=[evidence.pk]))
    assert response.status_code == 409
    assert "held offline" in response.content.decode()
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="download").exists()
    assert _integrity_events() == []

    without = _check("--json")
    assert without.exit_code == 0, without.output
    assert '"encrypted_only": 1' in without.output and '"decrypted": 2' in without.output
    supplied = _check(
        "--identity", str(exported), "--json", env={"BORDERMONITOR_IDENTITY_PASSPHRASE": PASSPHRASE}
    )
    assert supplied.exit_code == 0, supplied.output
    assert '"encrypted_only": 0' in supplied.output and '"decrypted": 3' in supplied.output
    with scopes_disabled():
        identities = keyring.identities_in_file(exported, PASSPHRASE)
        with open_original(evidence, identities=identities) as original:
            assert original.read() == photo

    out = tmp_path / "export" / "all.jsonl"
    refused = CliRunner().invoke(main, ["export", "jsonl", "--out", str(out), "--organisation", "nnk"])
    assert refused.exit_code == 1 and "give its identity file with --identity FILE" in refused.output
    done = CliRunner().invoke(
        main,
        ["export", "jsonl", "--out", str(tmp_path / "again" / "all.jsonl"), "--identity", str(exported)],
        env={"BORDERMONITOR_IDENTITY_PASSPHRASE": PASSPHRASE},
    )
    assert done.exit_code == 0, done.output
    assert (tmp_path / "again" / evidence.path).read_bytes() == photo


def test_the_upload_view_still_refuses_a_post_without_its_csrf_token(
    network_world: dict[str, Report], data_dir: Path
) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="documenter@nnk.test", password="correct horse battery staple")
    client.cookies["csrftoken"] = "k" * 32  # a cookie, but no matching token in the form: the form is read
    response = _upload(client, network_world["nnk-draft"], corpus.jpeg_with_gps(), "photo")
    assert response.status_code == 403
    assert _evidence(network_world["nnk-draft"]) == []
    assert not (data_dir / "evidence" / "blobs").exists()
    assert not list(_files_under(data_dir / "evidence"))  # the encrypted temporary file is gone too


def test_stored_files_are_read_only(login: Login, network_world: dict[str, Report], data_dir: Path) -> None:
    assert (
        _upload(
            login("documenter@nnk.test"), network_world["nnk-draft"], corpus.png_with_text(), "photo"
        ).status_code
        == 303
    )
    for path in _files_under(data_dir / "evidence" / "blobs"):
        assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)

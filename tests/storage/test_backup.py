"""Backups: the encrypted archive format, what a backup of the running database holds, and a backup taken while
reports are being written restoring to a consistent database (SECURITY goals 1 and 18)."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bordermonitor.core.age import Identity, PayloadWriter, header_for, new_file_key
from bordermonitor.storage.backup.archive import (
    DATABASE_SQLITE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ArchiveWriter,
    BackupDamaged,
    Member,
    backup_identity,
    manifest_mac,
    master_key_id,
    members,
    read_manifest,
)
from tests.storage import backup_sites
from tests.storage.backup_sites import written

data_dir, filled, sites = backup_sites.data_dir, backup_sites.filled, backup_sites.sites  # fixtures

MASTER = bytes(range(32))
IDENTITY = backup_identity(MASTER)


def _archive(path: Path, contents: dict[str, bytes], *, master: bytes = MASTER) -> None:
    with path.open("wb") as out:
        writer = ArchiveWriter(out, [backup_identity(master).recipient])
        for name, data in contents.items():
            writer.add_bytes(name, data)
        writer.finish({"format": FORMAT, "version": FORMAT_VERSION}, master)


def _read_all(path: Path, identity: Identity = IDENTITY) -> dict[str, bytes]:
    return {reading.name: reading.stream.read() for reading in members(path, identity)}


_names = st.lists(st.text(alphabet="0123456789abcdef", min_size=1, max_size=12), min_size=1, max_size=4).map(
    lambda parts: "evidence/" + "/".join(parts)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.dictionaries(_names, st.binary(max_size=150_000), max_size=6),
    database=st.binary(min_size=1, max_size=200_000),
)
def test_an_archive_gives_back_every_member_byte_for_byte(files: dict[str, bytes], database: bytes) -> None:
    contents = {DATABASE_SQLITE: database, **files}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "backup.age"
        _archive(path, contents)
        manifest = read_manifest(path, IDENTITY)
        read = _read_all(path)
    assert manifest.members == [Member(n, len(d), hashlib.sha256(d).hexdigest()) for n, d in contents.items()]
    assert manifest.mac == manifest_mac(MASTER, manifest.raw)
    assert read == {**contents, MANIFEST: manifest.raw, "manifest.mac": manifest.mac.encode()}


@functools.cache
def _sample() -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "backup.age"
        _archive(path, {DATABASE_SQLITE: os.urandom(70_000), "evidence/blobs/ab/cd/f1": os.urandom(140_000)})
        return path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(position=st.integers(min_value=0, max_value=len(_sample()) - 1), bit=st.integers(0, 7))
@example(position=0, bit=0)  # the age header's first line
@example(position=len(_sample()) - 1, bit=7)  # the last byte of the last chunk
def test_one_flipped_bit_anywhere_makes_the_backup_refused(position: int, bit: int) -> None:
    data = bytearray(_sample())
    data[position] ^= 1 << bit
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "backup.age"
        path.write_bytes(bytes(data))
        with pytest.raises(BackupDamaged):
            read_manifest(path, IDENTITY)


@settings(max_examples=30, deadline=None)
@given(keep=st.integers(min_value=0, max_value=len(_sample()) - 1))
def test_a_cut_backup_is_refused(keep: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "backup.age"
        path.write_bytes(_sample()[:keep])
        with pytest.raises(BackupDamaged):
            read_manifest(path, IDENTITY)


def test_another_key_cannot_open_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "backup.age"
    path.write_bytes(_sample())
    with pytest.raises(BackupDamaged, match="cannot be opened"):
        read_manifest(path, Identity.generate())
    assert read_manifest(path, IDENTITY).data["format"] == FORMAT


def test_a_member_that_differs_from_the_manifest_is_named(tmp_path: Path) -> None:
    path = tmp_path / "backup.age"
    with path.open("wb") as out:
        writer = ArchiveWriter(out, [IDENTITY.recipient])
        writer.add_bytes(DATABASE_SQLITE, b"database")
        writer.add_bytes("evidence/blobs/aa/bb/one", b"first file")
        writer.add_bytes("evidence/blobs/aa/bb/two", b"second file")
        writer.members[1] = Member("evidence/blobs/aa/bb/one", 10, hashlib.sha256(b"first filE").hexdigest())
        writer.finish({"format": FORMAT, "version": FORMAT_VERSION}, MASTER)
    with pytest.raises(BackupDamaged) as refused:
        read_manifest(path, IDENTITY)
    message = str(refused.value)
    assert "evidence/blobs/aa/bb/one has SHA-256" in message
    assert hashlib.sha256(b"first file").hexdigest() in message
    assert "two" not in message


def _hostile(path: Path, entries: list[tarfile.TarInfo]) -> None:
    """An archive encrypted to the backup key whose entries are not what the format allows."""
    file_key = new_file_key()
    with path.open("wb") as out:
        out.write(header_for(file_key, [IDENTITY.recipient]))
        payload = PayloadWriter(file_key, out)
        with tarfile.open(fileobj=payload, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
            for info in entries:
                tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isreg() else None)
        payload.close()


@pytest.mark.parametrize(
    "name", ["evidence/../../etc/cron.d/x", "/etc/passwd", "evidence/tmp/incoming-1", "keys/master.key", "x"]
)
def test_an_entry_outside_the_format_is_refused_before_anything_is_written(tmp_path: Path, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.size = 1
    path = tmp_path / "hostile.age"
    _hostile(path, [info])
    with pytest.raises(BackupDamaged, match="neither the database nor a file of the evidence store"):
        read_manifest(path, IDENTITY)


def test_a_link_in_the_archive_is_refused(tmp_path: Path) -> None:
    info = tarfile.TarInfo("evidence/blobs/aa/bb/link")
    info.type, info.linkname = tarfile.SYMTYPE, "/etc/shadow"
    path = tmp_path / "hostile.age"
    _hostile(path, [info])
    with pytest.raises(BackupDamaged, match="not a plain file"):
        read_manifest(path, IDENTITY)


# --- a backup of the running database ------------------------------------------------------------------------


def _backup(path: Path) -> Any:
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.backup import make_backup

    with path.open("wb") as out, scopes_disabled(), acting_as("cli"):
        return make_backup(out)


def _master(data_dir: Path) -> bytes:
    import base64

    return base64.b64decode((data_dir / "keys" / "master.key").read_text())


def test_the_manifest_describes_the_snapshot_and_every_file(
    filled: dict[str, bytes], data_dir: Path, tmp_path: Path
) -> None:
    from django.db.migrations.loader import MigrationLoader
    from django_scopes import scopes_disabled

    from bordermonitor.storage.backup.database import counts_now
    from bordermonitor.storage.models import AuditEvent, Evidence, EvidenceDerivative

    stray = data_dir / "evidence" / "tmp" / "incoming-abandoned"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"a file being received")
    before = counts_now()
    path = tmp_path / "backup.age"
    summary = _backup(path)
    master = _master(data_dir)
    manifest = read_manifest(path, backup_identity(master))
    data = manifest.data
    assert manifest.mac == manifest_mac(master, manifest.raw)
    assert data["master_key_id"] == master_key_id(master)
    assert data["counts"] == before == summary.counts
    assert before["reports"] == 3 and before["evidence"] == 3 and before["audit_events"] > 3
    storage = sorted(n for app, n in MigrationLoader(None).disk_migrations if app == "storage")
    assert data["migration_head"] == storage[-1]
    with scopes_disabled():
        blobs = set(Evidence.objects.values_list("blob", flat=True)) | set(
            EvidenceDerivative.objects.values_list("blob", flat=True)
        )
        assert AuditEvent.objects.filter(action="export", object_type="backup").count() == 1
    store_files = {
        p.relative_to(data_dir).as_posix()
        for p in (data_dir / "evidence").rglob("*")
        if p.is_file() and "tmp" not in p.relative_to(data_dir).parts
    }
    assert len(blobs) == len(store_files) >= 4  # originals, working copies, thumbnails
    listed = {m.name: m for m in manifest.members}
    database = [name for name in listed if name.startswith("database/")]
    if data["engine"] == "sqlite":
        assert database == [DATABASE_SQLITE]
    else:
        assert database == [f"database/postgresql.dump.{n:05d}" for n in range(len(database))] != []
    assert set(listed) - set(database) == store_files
    for name in store_files:
        assert listed[name].sha256 == hashlib.sha256((data_dir / name).read_bytes()).hexdigest()
        assert Path(name).name in blobs  # every file is one the snapshot names
    assert data["evidence"]["absent"] == [] and data["evidence"]["files"] == len(store_files)
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".backup-")]  # the snapshot copy is gone


def test_a_file_removed_before_it_is_copied_is_listed_as_absent(
    filled: dict[str, bytes], data_dir: Path, tmp_path: Path
) -> None:
    from django_scopes import scopes_disabled

    from bordermonitor.storage.evidence import evidence_store
    from bordermonitor.storage.models import Evidence

    with scopes_disabled():
        erased = Evidence.objects.filter(kind="document").get()
    gone = evidence_store().path_for(erased.blob)
    gone.unlink()  # as an erasure between the snapshot and the copy of the files would
    path = tmp_path / "backup.age"
    summary = _backup(path)
    manifest = read_manifest(path, backup_identity(_master(data_dir)))
    relative = gone.relative_to(data_dir / "evidence").as_posix()
    assert [(a["path"], a["what"]) for a in manifest.data["evidence"]["absent"]] == [
        (relative, f"original {erased.sha256}")
    ]
    assert summary.absent == manifest.data["evidence"]["absent"]
    assert "evidence/" + relative not in {m.name for m in manifest.members}


def test_a_canary_in_reports_and_evidence_is_nowhere_in_the_backup(
    filled: dict[str, bytes], data_dir: Path, tmp_path: Path
) -> None:
    from django_scopes import scopes_disabled

    from bordermonitor.storage.models import Evidence, Report

    with scopes_disabled():
        canary = Report.objects.get(ref="nnk-1").title.split()[2]
        document = Evidence.objects.get(kind="document")
    assert canary.startswith("CANARY-")
    assert canary.encode() in filled[document.sha256]  # the canary is in what was uploaded…
    path = tmp_path / "backup.age"
    _backup(path)
    manifest = read_manifest(path, backup_identity(_master(data_dir)))
    blob = f"evidence/blobs/{document.blob[:2]}/{document.blob[2:4]}/{document.blob}"
    assert blob in {m.name for m in manifest.members}  # …and its file is in the backup
    data = path.read_bytes()
    for form in (canary.encode(), canary.encode("utf-16-le"), canary.lower().encode(), canary[7:].encode()):
        assert data.count(form) == 0


# --- a backup while reports are being written ----------------------------------------------------------------


def test_a_backup_taken_while_reports_are_written_restores_a_consistent_database(
    sites: Any, tmp_path: Path
) -> None:
    source, target = sites("source"), sites("target")
    assert source.cli("init").returncode == 0
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    writer = source.start("write_reports", str(stop), str(progress))
    try:
        deadline = time.monotonic() + 300
        while written(progress) < 5:
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.2)
        clean_tmp = tmp_path / "system-tmp"
        clean_tmp.mkdir()
        started = written(progress)
        made = source.cli("backup", "--out", str(tmp_path / "live.age"), TMPDIR=str(clean_tmp))
        ended = written(progress)
        assert made.returncode == 0, made.stderr
    finally:
        stop.touch()
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert ended > started  # reports were written while the backup was being made
    assert list(clean_tmp.iterdir()) == []  # nothing was written outside the data directory
    master = source.master_key.read_bytes()
    manifest = read_manifest(tmp_path / "live.age", backup_identity(_decode(master)))
    counted = manifest.data["counts"]["reports"]
    assert started <= counted <= ended
    target.master_key.parent.mkdir(parents=True)
    target.master_key.write_bytes(master)
    restored = target.cli("restore", str(tmp_path / "live.age"), TMPDIR=str(clean_tmp))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restore drill passed" in restored.stdout
    assert list(clean_tmp.iterdir()) == []
    state = target.python("consistency")
    assert state["reports_without_incident"] == 0
    assert state["reports_without_their_audit_event"] == state["audit_events_of_missing_reports"] == 0
    assert state["foreign_key_errors"] == 0
    assert state["audit_ok"] is True
    # every counted table as the snapshot had it (the restore adds its own audit event at the end)
    assert state["counts"] == {
        **manifest.data["counts"],
        "audit_events": manifest.data["counts"]["audit_events"] + 1,
    }
    assert state["audit_entries"] == state["counts"]["audit_events"]
    assert json.loads(manifest.raw)["counts"]["incidents"] == counted


def _decode(master_file: bytes) -> bytes:
    import base64

    return base64.b64decode(master_file.strip())

"""Evidence originals are sealed as received: digest first, write-once, nothing outside the store."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path
from typing import Any

import pytest

from bordermonitor.evidence.store import DigestMismatch, FileStore, StoreError
from bordermonitor.storage.models import Evidence
from tests.storage.helpers import export, save

pytestmark = pytest.mark.django_db


def test_sealing_records_the_digest_of_the_received_bytes(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    data = b"medical report" * 1000
    sealed = store.seal(io.BytesIO(data))
    assert sealed.sha256 == hashlib.sha256(data).hexdigest()
    assert (sealed.size, sealed.created) == (len(data), True)
    path = store.path_for(sealed.sha256)
    assert path.read_bytes() == data
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # read-only
    assert store.seal(io.BytesIO(data)).created is False  # the same original is never written twice
    assert not any((tmp_path / "tmp").iterdir())  # no partial file left behind


def test_a_digest_mismatch_stores_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(DigestMismatch):
        store.seal(io.BytesIO(b"abc"), expected_sha256="0" * 64)
    assert not (tmp_path / "originals").exists()
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
    assert not (store.root / "originals").exists()


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
    assert not (store.root / "originals").exists()


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

"""Making a backup while the application runs (docs/backup.md).

Order matters: the database is copied first (one consistent snapshot), then the evidence store is walked. Files
are write-once and content-addressed, so every file the snapshot refers to is still the same file when it is
copied, unless it was removed meanwhile (an erasure): the manifest then lists it as absent. Files added after
the snapshot are copied too; nothing in the copied database refers to them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from bordermonitor.core.age import Recipient
from bordermonitor.storage.audit import append, event_rows
from bordermonitor.storage.backup.archive import (
    DATABASE_SQLITE,
    DUMP_PREFIX,
    EVIDENCE_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    SKIPPED_DIRECTORIES,
    ArchiveWriter,
    backup_identity,
    evidence_path,
    master_key_id,
)
from bordermonitor.storage.backup.database import (
    Snapshot,
    engine,
    postgresql_snapshot,
    sqlite_snapshot,
)
from bordermonitor.storage.keys import master_key

__all__ = [
    "BackupSummary",
    "evidence_files",
    "make_backup",
    "referenced_paths",
]


def app_version() -> str:
    try:
        return version("bordermonitor")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
        return "unknown"


def evidence_files(root: Path) -> Iterator[str]:
    """Every regular file under the evidence store ``root`` (relative, '/'-separated, sorted), except those in
    ``tmp`` directories; links are not followed."""
    if not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        base = Path(directory)
        for name in sorted(files):
            path = base / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix()


def referenced_paths(snapshot: Snapshot) -> dict[str, str]:
    """The evidence store's files the snapshot refers to: relative path → what refers to it. An encrypted file
    is named by its blob; a file an earlier version stored in plaintext (not yet encrypted) by its SHA-256."""
    from bordermonitor.storage.evidence import evidence_store

    store = evidence_store()
    found: dict[str, str] = {}
    for files, what in ((snapshot.originals, "original"), (snapshot.derivatives, "copy")):
        for sha256, blob in files:
            path = (
                store.path_for(blob)
                if blob is not None
                else store.plaintext_path(sha256, derivative=what == "copy")
            )
            found[path.relative_to(store.root).as_posix()] = f"{what} {sha256}"
    return found


@dataclass(frozen=True, slots=True)
class BackupSummary:
    engine: str
    counts: dict[str, int]
    files: int
    file_bytes: int
    absent: list[dict[str, str]]
    skipped: list[str]  # files of the store with names it never gives (put there by hand): not backed up
    members: int
    size: int  # bytes of the backup file
    recipients: list[str]
    created_at: str

    def lines(self) -> list[str]:
        counted = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in self.counts.items())
        out = [
            f"database ({self.engine}): {counted}",
            f"evidence store: {self.files} files, {self.file_bytes} bytes",
        ]
        for item in self.absent:
            out.append(f"absent: {item['path']} ({item['what']}): {item['reason']}")
        for path in self.skipped:
            out.append(f"not backed up: {path} (not a name the evidence store gives; put there by hand?)")
        out.append(f"encrypted to: {', '.join(self.recipients)}")
        return out


def make_backup(
    out: IO[bytes],
    *,
    recipients: Sequence[Recipient] = (),
    progress: Callable[[str], None] | None = None,
) -> BackupSummary:
    """Write one backup into ``out``: the database snapshot, the evidence store's files and the manifest,
    as a tar stream encrypted (age) to the backup key derived from the master key and to ``recipients``.
    The backup is an ``export`` event of the audit log (written after the snapshot: not in the backup)."""
    say = progress or (lambda _line: None)
    master = master_key()
    keys = [backup_identity(master).recipient, *(r for r in recipients)]
    created = dt.datetime.now(dt.UTC)
    root = Path(settings.BORDERMONITOR.evidence_dir)
    data_dir: Path = settings.BORDERMONITOR.data_dir
    writer = ArchiveWriter(out, keys, mtime=created.timestamp())
    kind = engine()
    say(f"copying the database ({kind})")
    snapshot: Snapshot
    if kind == "sqlite":
        with sqlite_snapshot(data_dir) as (snapshot, copy):
            writer.add_file(DATABASE_SQLITE, copy)
    else:
        with postgresql_snapshot() as (snapshot, dump):
            for number, piece in enumerate(dump()):
                writer.add_bytes(f"{DUMP_PREFIX}{number:05d}", piece)
    say("copying the evidence store")
    referenced = referenced_paths(snapshot)
    files = size = 0
    copied: set[str] = set()
    skipped: list[str] = []
    for relative in evidence_files(root):
        if evidence_path(EVIDENCE_PREFIX + relative) is None:  # not a name the store gives: put there by hand
            skipped.append(relative)
            continue
        member = writer.add_file(EVIDENCE_PREFIX + relative, root / relative)
        if member is not None:
            files, size = files + 1, size + member.size
            copied.add(relative)
    absent = [
        {
            "path": path,
            "what": what,
            "reason": "the database refers to it, but it was not in the evidence store when the backup "
            "copied it (removed meanwhile, e.g. erased, or already missing)",
        }
        for path, what in sorted(referenced.items())
        if path not in copied
    ]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": created.isoformat(timespec="seconds"),
        "engine": snapshot.engine,
        "app_version": app_version(),
        "migrations": snapshot.migrations,
        "migration_head": snapshot.migrations.get("storage"),
        "counts": snapshot.counts,
        "evidence": {"files": files, "bytes": size, "absent": absent, "skipped": skipped},
        "master_key_id": master_key_id(master),
        "recipients": [str(key) for key in keys],
    }
    writer.finish(manifest, master)
    append(
        event_rows(
            "export",
            "backup",
            [(None, manifest["created_at"], None)],
            details={"counts": snapshot.counts, "files": files, "recipients": manifest["recipients"]},
        )
    )
    return BackupSummary(
        engine=snapshot.engine,
        counts=snapshot.counts,
        files=files,
        file_bytes=size,
        absent=absent,
        skipped=skipped,
        members=len(writer.members) + 2,
        size=writer.written,
        recipients=[str(key) for key in keys],
        created_at=manifest["created_at"],
    )

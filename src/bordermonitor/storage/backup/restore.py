"""Restoring a backup into an empty data directory and database, then the restore drill (docs/backup.md).

1. The target must be empty (no organisation, account, report, evidence row or audit event; no file in the
   evidence store), unless ``force``; the master key the backup was made with must be at the target's master
   key path (the organisations' keys in the backup are wrapped by it, and the drill needs them).
2. The whole backup is read once, writing nothing: every chunk is authenticated (age) and every member's
   SHA-256 is compared with the manifest, whose MAC must be the master key's.
3. It is read again and put in place: the database (each member's digest checked again on the way), then the
   evidence store's files. A database older than the code is migrated.
4. The drill: the restored tables hold the counts of the manifest; the audit chain verifies; every evidence
   original and copy decrypts to the SHA-256 recorded at intake (``bordermonitor.evidence.check``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings

from bordermonitor.core.age import Identity
from bordermonitor.storage.backup.archive import (
    DATABASE_SQLITE,
    DUMP_PREFIX,
    EVIDENCE_PREFIX,
    MANIFEST,
    MANIFEST_MAC,
    BackupDamaged,
    BackupError,
    KeyDoesNotOpen,
    Manifest,
    Member,
    Reading,
    backup_identity,
    evidence_path,
    manifest_mac,
    master_key_id,
    members,
    read_manifest,
)
from bordermonitor.storage.backup.database import (
    counts_now,
    engine,
    postgresql_restore,
    sqlite_restore,
)
from bordermonitor.storage.backup.drill import Drill, run_drill
from bordermonitor.storage.backup.make import evidence_files

__all__ = ["MasterKeyNeeded", "RestoreResult", "TargetNotEmpty", "restore_backup"]

_COPY = 1 << 20


class TargetNotEmpty(BackupError):
    """The database or the evidence store already holds data: a restore would mix two networks' data."""


class MasterKeyNeeded(BackupError):
    """The master key the backup's data is wrapped with is not at the target's master key path."""


@dataclass(slots=True)
class RestoreResult:
    manifest: dict[str, object]
    files: int = 0
    file_bytes: int = 0
    migrated: list[str] = field(default_factory=list)
    drill: Drill | None = None

    @property
    def ok(self) -> bool:
        return self.drill is not None and self.drill.ok


def _master(backup: Path) -> bytes:
    from bordermonitor.storage.keys import master_key, master_key_path

    path = master_key_path()
    if not path.is_file():
        raise MasterKeyNeeded(
            f"the master key is not at {path}. Put the master key this backup was made with there first (the "
            "copy kept apart from the backups, mode 0600; or set BORDERMONITOR_MASTER_KEY_FILE to where it "
            f"is), then restore {backup} again: the organisations' keys in the backup are wrapped by it, and "
            "the restore drill needs them to check the evidence"
        )
    return master_key()


def _target_problems() -> list[str]:
    problems = []
    held = {name: count for name, count in counts_now().items() if count}
    if held:
        listed = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in held.items())
        problems.append(f"the database already holds data ({listed})")
    root = Path(settings.BORDERMONITOR.evidence_dir)
    files = sum(1 for _ in evidence_files(root))
    if files:
        problems.append(f"the evidence store {root} already holds {files} file(s)")
    return problems


def _check_manifest(manifest: Manifest, master: bytes, backup: Path) -> None:
    needed = manifest.data.get("master_key_id")
    if needed != master_key_id(master):
        raise MasterKeyNeeded(
            f"the master key at its path (key id {master_key_id(master)}) is not the one {backup} was made "
            f"with (key id {needed}): put that one there (after a rotation it is the file kept as "
            "master.key.old-<time>)"
        )
    if manifest.mac != manifest_mac(master, manifest.raw):
        raise BackupDamaged(
            f"{backup}: the manifest's MAC does not match: the backup was not written by this server's master "
            "key holder, or its manifest was replaced"
        )
    kind = engine()
    if manifest.data.get("engine") != kind:
        raise BackupError(
            f"{backup} holds a {manifest.data.get('engine')} database and the target is {kind}: restore it "
            "into the same kind of database (set DATABASE_URL), then move with `export jsonl`/`import jsonl`"
        )
    from django.db.migrations.loader import MigrationLoader

    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known = {app for app, _ in disk}
    migrations = manifest.data.get("migrations")
    for app, name in migrations.items() if isinstance(migrations, dict) else []:
        if app in known and (app, name) not in disk:
            raise BackupError(
                f"{backup} was made by a newer version of bordermonitor ({manifest.data.get('app_version')}, "
                f"migration {app} {name}, unknown here): install that version or a later one to restore it"
            )


def _evidence_target(root: Path, name: str) -> Path:
    parts = evidence_path(name)
    if parts is None:
        raise BackupDamaged(f"the backup names a file outside the evidence store: {name!r}")
    target = root.joinpath(*parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise BackupDamaged(f"the backup names a file outside the evidence store: {name!r}")
    return target


def _copy_checked(stream: IO[bytes], out: IO[bytes], expected: Member) -> None:
    digest = hashlib.sha256()
    while chunk := stream.read(_COPY):
        digest.update(chunk)
        out.write(chunk)
    if digest.hexdigest() != expected.sha256:
        raise BackupDamaged(f"{expected.name} changed since the backup was checked (its SHA-256 differs)")


def _restore_file(root: Path, reading: Reading, expected: Member) -> None:
    target = _evidence_target(root, reading.name)
    staging = root / "tmp"
    staging.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=staging, prefix="restoring-")
    try:
        with os.fdopen(fd, "wb") as out:
            _copy_checked(reading.stream, out, expected)
        os.chmod(name, 0o444)  # the store is write-once
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(name, target)
    finally:
        Path(name).unlink(missing_ok=True)


def _restore_sqlite(data_dir: Path, reading: Reading, expected: Member) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite3", dir=data_dir)
    os.chmod(name, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            _copy_checked(reading.stream, out, expected)
        sqlite_restore(Path(name))
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


class _Pending:
    """The members of a backup, with one member that can be put back to be read again."""

    def __init__(self, iterator: Iterator[Reading]) -> None:
        self._iterator = iterator
        self.back: Reading | None = None

    def __iter__(self) -> _Pending:
        return self

    def __next__(self) -> Reading:
        if self.back is not None:
            reading, self.back = self.back, None
            return reading
        return next(self._iterator)


def _dump_pieces(first: Reading, rest: _Pending, expected: dict[str, Member]) -> Iterator[bytes]:
    reading: Reading | None = first
    while reading is not None:
        member = expected[reading.name]
        data = reading.stream.read()
        if hashlib.sha256(data).hexdigest() != member.sha256:
            raise BackupDamaged(f"{reading.name} changed since the backup was checked (its SHA-256 differs)")
        yield data
        reading = next(rest, None)
        if reading is not None and not reading.name.startswith(DUMP_PREFIX):
            rest.back, reading = reading, None


def _migrate(progress: Callable[[str], None]) -> list[str]:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    names = [f"{migration.app_label} {migration.name}" for migration, _ in plan]
    progress(f"the backup is of an earlier version: applying {len(names)} migration(s)")
    call_command("migrate", interactive=False, verbosity=0)
    return names


def restore_backup(
    path: Path,
    *,
    identity: Identity | None = None,
    evidence_identities: Sequence[Identity] = (),
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RestoreResult:
    """Restore the backup at ``path`` into the configured database and data directory, then run the drill.
    ``identity`` opens the backup (default: the backup key derived from the master key);
    ``evidence_identities`` let the drill decrypt originals whose key the organisation holds offline. Raises
    :class:`BackupError` (nothing restored) when the target is not empty and not ``force``, when the master
    key is missing or another, or when the backup is damaged."""
    say = progress or (lambda _line: None)
    master = _master(path)
    if not force:
        problems = _target_problems()
        if problems:
            raise TargetNotEmpty(
                "; ".join(problems)
                + ". A restore goes into an empty database and data directory; give --force to replace what "
                "is there"
            )
    key = identity or backup_identity(master)
    say(f"checking {path}: decrypting and hashing every member")
    try:
        manifest = read_manifest(path, key)
    except KeyDoesNotOpen as error:
        if identity is not None:
            raise
        raise MasterKeyNeeded(
            f"{path} does not open with the backup key of the master key at its path (key id "
            f"{master_key_id(master)}): it was made with another master key (put that one there), or only for "
            f"other recipients (give --identity), or its header was changed ({error})"
        ) from None
    _check_manifest(manifest, master, path)
    expected = {member.name: member for member in manifest.members}
    result = RestoreResult(manifest=manifest.data)
    data_dir = Path(settings.BORDERMONITOR.data_dir)
    root = Path(settings.BORDERMONITOR.evidence_dir)
    say(f"restoring the database ({manifest.data['engine']})")
    pending = _Pending(members(path, key))
    for reading in pending:
        if reading.name in (MANIFEST, MANIFEST_MAC):
            if reading.name == MANIFEST and reading.stream.read() != manifest.raw:
                raise BackupDamaged(f"{path}: the manifest changed since the backup was checked")
            continue
        member = expected.get(reading.name)
        if member is None:
            raise BackupDamaged(f"{path}: {reading.name} changed since the backup was checked")
        if reading.name == DATABASE_SQLITE:
            _restore_sqlite(data_dir, reading, member)
            say("restoring the evidence store")
        elif reading.name.startswith(DUMP_PREFIX):
            postgresql_restore(_dump_pieces(reading, pending, expected))
            say("restoring the evidence store")
        elif reading.name.startswith(EVIDENCE_PREFIX):
            _restore_file(root, reading, member)
            result.files += 1
            result.file_bytes += member.size
        else:
            raise BackupDamaged(f"{path} holds an entry this version does not know: {reading.name!r}")
    os.sync()  # the files on disk before the drill reads them (once: a sync per file costs minutes)
    from bordermonitor.storage.keys import clear_caches

    clear_caches()
    result.migrated = _migrate(say)
    say("restore drill: counts, audit chain, every evidence file")
    result.drill = run_drill(manifest.data, identities=evidence_identities)
    from bordermonitor.storage.audit import append, event_rows

    details = {"drill": "passed" if result.drill.ok else "failed", "files": result.files}
    append(event_rows("import", "backup", [(None, str(manifest.data["created_at"]), None)], details=details))
    return result

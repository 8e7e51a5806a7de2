"""Backups: one encrypted file holding a consistent snapshot of the database and the evidence store, made while
the application runs, and the restore that checks every file hash for hash (docs/backup.md)."""

from bordermonitor.storage.backup.archive import BackupDamaged, BackupError, backup_identity, read_manifest
from bordermonitor.storage.backup.drill import Drill, run_drill
from bordermonitor.storage.backup.make import BackupSummary, make_backup
from bordermonitor.storage.backup.restore import (
    MasterKeyNeeded,
    RestoreResult,
    TargetNotEmpty,
    restore_backup,
)

__all__ = [
    "BackupDamaged",
    "BackupError",
    "BackupSummary",
    "Drill",
    "MasterKeyNeeded",
    "RestoreResult",
    "TargetNotEmpty",
    "backup_identity",
    "make_backup",
    "read_manifest",
    "restore_backup",
    "run_drill",
]

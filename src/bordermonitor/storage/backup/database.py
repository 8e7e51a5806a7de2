"""One consistent snapshot of the database while the application runs, and putting one back.

- SQLite: the online backup API copies the live database, in one step (one read transaction, so writers in
  other processes go on and the copy is of one moment), into a temporary file **inside the data directory**
  (it holds what the live database holds); the archive streams it from there, then it is deleted.
- PostgreSQL: a read-only, repeatable-read transaction exports its snapshot; the counts and the list of
  evidence files are read in it and ``pg_dump --format=custom --snapshot=…`` dumps that same snapshot, streamed
  into the archive in pieces.

Restoring writes into the database Django is configured with (``DATABASE_URL``): SQLite through the backup API
again (from a temporary copy inside the data directory), PostgreSQL with ``pg_restore`` in one transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction

from bordermonitor.storage.backup.archive import BackupError
from bordermonitor.storage.models import (
    AuditEvent,
    Evidence,
    EvidenceDerivative,
    Incident,
    Organisation,
    OrganisationKey,
    RecordKey,
    Report,
    User,
)

__all__ = [
    "COUNTED",
    "DUMP_PIECE",
    "Snapshot",
    "counts_now",
    "engine",
    "postgresql_restore",
    "postgresql_snapshot",
    "sqlite_restore",
    "sqlite_snapshot",
]

COUNTED: dict[str, str] = {
    "organisations": Organisation._meta.db_table,
    "users": User._meta.db_table,
    "reports": Report._meta.db_table,
    "incidents": Incident._meta.db_table,
    "evidence": Evidence._meta.db_table,
    "evidence_derivatives": EvidenceDerivative._meta.db_table,
    "audit_events": AuditEvent._meta.db_table,
    "organisation_keys": OrganisationKey._meta.db_table,
    "record_keys": RecordKey._meta.db_table,
}
"""The tables whose rows the manifest counts (name in the manifest → table)."""
DUMP_PIECE = 8 << 20
"""pg_dump's output is archived in pieces of at most this many bytes (the only part held in memory)."""
_ORIGINALS = f"SELECT sha256, blob FROM {Evidence._meta.db_table} WHERE stored OR blob IS NOT NULL"  # noqa: S608
_DERIVATIVES = f"SELECT sha256, blob FROM {EvidenceDerivative._meta.db_table}"  # noqa: S608 - the model's table


def engine() -> str:
    """``sqlite`` or ``postgresql``: the engine of the configured database."""
    vendor = str(connection.vendor)
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the manifest says about the database as it was copied."""

    engine: str
    counts: dict[str, int]
    migrations: dict[str, str]  # app → the last migration applied
    originals: list[tuple[str, str | None]]  # (SHA-256, blob) of every original the snapshot says is stored
    derivatives: list[tuple[str, str | None]]  # (SHA-256, blob) of every copy it records


_Files = list[tuple[str, str | None]]


def _read(cursor: Any, tables: set[str]) -> tuple[dict[str, int], dict[str, str], _Files, _Files]:
    counts = {}
    for name, table in COUNTED.items():
        if table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - the models' tables
            counts[name] = int(cursor.fetchone()[0])
        else:
            counts[name] = 0
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            if name > migrations.get(app, ""):
                migrations[app] = name
    originals: _Files = []
    derivatives: _Files = []
    if Evidence._meta.db_table in tables:
        cursor.execute(_ORIGINALS)
        originals = sorted({(row[0], row[1]) for row in cursor.fetchall()}, key=str)
    if EvidenceDerivative._meta.db_table in tables:
        cursor.execute(_DERIVATIVES)
        derivatives = sorted({(row[0], row[1]) for row in cursor.fetchall()}, key=str)
    return counts, migrations, originals, derivatives


def counts_now() -> dict[str, int]:
    """The counted tables' rows in the configured database now (0 for a table that does not exist)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for name, table in COUNTED.items():
            if table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - the models' tables
                counts[name] = int(cursor.fetchone()[0])
            else:
                counts[name] = 0
    return counts


# --- SQLite --------------------------------------------------------------------------------------------------


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _temporary(data_dir: Path, prefix: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".sqlite3", dir=data_dir)
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


@contextmanager
def sqlite_snapshot(data_dir: Path) -> Iterator[tuple[Snapshot, Path]]:
    """Copy the live SQLite database into a temporary file inside ``data_dir``; yields what it holds and the
    file, deleted afterwards."""
    path = _temporary(data_dir, ".backup-")
    try:
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # one step: one read transaction, one moment
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            target.close()
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            cursor = copy.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {row[0] for row in cursor.fetchall()}
            counts, migrations, originals, derivatives = _read(cursor, tables)
        finally:
            copy.close()
        yield Snapshot("sqlite", counts, migrations, originals, derivatives), path
    finally:
        _remove(path)


def sqlite_restore(copy: Path) -> None:
    """Replace the configured SQLite database's content with the database in ``copy`` (in one transaction)."""
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        (check,) = source.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"the database in the backup does not pass SQLite's check: {check}")
        connection.close()
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        except sqlite3.Error as error:
            raise BackupError(f"the database could not be written: {error}") from None
    finally:
        source.close()
    connection.close()  # the next use reads the new schema


# --- PostgreSQL ----------------------------------------------------------------------------------------------

_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def _libpq_environment() -> dict[str, str]:
    """The connection of the configured database as libpq's environment (the password never on a command
    line, where other users of the machine could read it)."""
    settings = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    for option, variable in _LIBPQ_OPTIONS.items():
        value = (settings.get("OPTIONS") or {}).get(option)
        if value is not None:
            env[variable] = str(value)
    env["PGAPPNAME"] = "bordermonitor backup"
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs (Debian: apt install "
            "postgresql-client), of a version at least the server's"
        )
    return found


class _Drain(threading.Thread):
    """Collects what a process writes on stderr, so a chatty process never blocks on a full pipe."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(daemon=True)
        self._stream, self.text = stream, b""

    def run(self) -> None:
        self.text = self._stream.read()


def _said(drain: _Drain) -> str:
    drain.join(timeout=30)
    return drain.text.decode("utf-8", "replace").strip()[-2000:]


@contextmanager
def postgresql_snapshot() -> Iterator[tuple[Snapshot, Callable[[], Iterator[bytes]]]]:
    """Open a read-only, repeatable-read transaction and export its snapshot; yields what it holds and a
    function that streams ``pg_dump --format=custom`` of that same snapshot, in pieces of at most
    :data:`DUMP_PIECE` bytes. The transaction stays open until the block ends."""
    if connection.in_atomic_block:
        raise BackupError("a backup cannot be made inside a database transaction")
    pg_dump = _tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
        tables = {row[0] for row in cursor.fetchall()}
        counts, migrations, originals, derivatives = _read(cursor, tables)

        def dump() -> Iterator[bytes]:
            process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", "--no-password"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_libpq_environment(),
            )
            assert process.stdout is not None and process.stderr is not None  # noqa: S101 - PIPE above
            drain = _Drain(process.stderr)
            drain.start()
            try:
                while piece := process.stdout.read(DUMP_PIECE):
                    yield piece
            finally:
                process.stdout.close()
                code = process.wait()
            if code != 0:
                raise BackupError(f"pg_dump failed (exit code {code}): {_said(drain)}")

        yield Snapshot("postgresql", counts, migrations, originals, derivatives), dump


def postgresql_restore(pieces: Iterator[bytes]) -> None:
    """Feed a ``pg_dump --format=custom`` stream to ``pg_restore`` into the configured database, in one
    transaction: on any error nothing of it stays. Objects of the dump that the database already has (a
    database made by ``bordermonitor init``) are dropped first."""
    pg_restore = _tool("pg_restore")
    connection.close()
    process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
        [
            pg_restore,
            "--dbname",
            str(connection.settings_dict["NAME"]),
            "--single-transaction",
            "--exit-on-error",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--no-password",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_libpq_environment(),
    )
    assert process.stdin is not None and process.stderr is not None  # noqa: S101 - PIPE above
    drain = _Drain(process.stderr)
    drain.start()
    failed: BaseException | None = None
    try:
        for piece in pieces:
            process.stdin.write(piece)
    except BrokenPipeError:
        pass  # pg_restore stopped: its exit code and message say why
    except BaseException as error:
        failed = error
        process.kill()
    finally:
        with suppress(BrokenPipeError):
            process.stdin.close()
        code = process.wait()
    if failed is not None:
        raise failed
    if code != 0:
        raise BackupError(f"pg_restore failed (exit code {code}), nothing was restored: {_said(drain)}")

"""Separate installations for the backup tests: a data directory and a database of their own (a SQLite file in
the data directory, or a scratch PostgreSQL database on the server of the test run, created and dropped), used
through the real ``bordermonitor`` command in a process of its own — as an operator restores onto another
machine.

Run as ``python -m tests.storage.backup_sites FUNCTION [ARG…]`` inside such an installation, the functions
below print one JSON value: what a test compares between the installation and the test's own database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = TEST_DATABASE_URL.startswith("postgres")


def _server_connection() -> Any:
    import dj_database_url
    import psycopg

    from bordermonitor.config import Config

    settings = dj_database_url.parse(Config.from_env().database_url)
    return psycopg.connect(
        dbname="postgres",
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    )


@dataclass
class Site:
    """An installation: ``data_dir`` and, on PostgreSQL, the database ``database`` (else SQLite in data_dir)."""

    data_dir: Path
    database: str | None = None

    @property
    def database_url(self) -> str:
        if self.database is None:
            return ""
        base = TEST_DATABASE_URL.rsplit("/", 1)[0]
        return f"{base}/{self.database}"

    @property
    def master_key(self) -> Path:
        return self.data_dir / "keys" / "master.key"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("BORDERMONITOR_", "DJANGO_", "PYTEST_"))
        }
        env.update(BORDERMONITOR_DATA_DIR=str(self.data_dir), DATABASE_URL=self.database_url)
        env.update(extra)
        return env

    def cli(self, *args: str, timeout: float = 600, **extra: str) -> subprocess.CompletedProcess[str]:
        """``bordermonitor ARGS`` in a process of its own (its output and exit code, never raising)."""
        return subprocess.run(
            [sys.executable, "-m", "bordermonitor", *args],
            env=self.env(**extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def python(self, function: str, *args: str) -> Any:
        """What ``function`` of this module prints when run inside the installation."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.storage.backup_sites", function, *args],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise AssertionError(f"{function} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])

    def start(self, function: str, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.storage.backup_sites", function, *args],
            env=self.env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def needs_database_tools() -> None:
    """On PostgreSQL, backups run pg_dump and pg_restore (Debian's postgresql-client, `make system-packages`)."""
    import shutil

    if ON_POSTGRESQL and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        if os.environ.get("CI") == "true":
            raise AssertionError("pg_dump and pg_restore are needed on CI (make system-packages)")
        pytest.skip("pg_dump and pg_restore are not installed (make system-packages)")


def new_site(base: Path, name: str) -> Site:
    """An empty installation: a new data directory and, on PostgreSQL, a new empty database."""
    needs_database_tools()
    site = Site(base / name)
    site.data_dir.mkdir(parents=True)
    if ON_POSTGRESQL:
        site.database = f"bm_backup_{name}_{uuid.uuid4().hex[:10]}"
        with _server_connection() as server:
            server.execute(f'CREATE DATABASE "{site.database}"')
    return site


def drop_site(site: Site) -> None:
    if site.database is not None:
        with _server_connection() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{site.database}" WITH (FORCE)')


# --- fixtures -------------------------------------------------------------------------------------------------


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[Callable[[str], Site]]:
    """Makes empty installations (``sites("target")``); their scratch databases are dropped afterwards."""
    made: list[Site] = []

    def make(name: str) -> Site:
        made.append(new_site(tmp_path, name))
        return made[-1]

    yield make
    for site in made:
        drop_site(site)


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """The test's own data directory (evidence store, master key) for the test's database."""
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def filled(transactional_db: None, data_dir: Path) -> Iterator[dict[str, bytes]]:
    """A small network with evidence and audit events, committed (pg_dump reads committed data only)."""
    needs_database_tools()
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import acting_as

    with scopes_disabled(), acting_as("cli"):
        yield fill("CANARY-" + secrets.token_hex(8))
    empty_audit_log()


# --- run inside an installation ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _order(row: list[Any]) -> list[tuple[int, Any]]:
    return [(0, v) if isinstance(v, int | float) else (1, str(v)) for v in row]


def tables() -> dict[str, Any]:
    """Every row of every table of the database, in primary-key order, and (PostgreSQL) each sequence's
    position: two databases with the same value hold the same data."""
    from django.db import connection

    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor, include_views=False)):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the database itself
            rows = [[_plain(value) for value in row] for row in cursor.fetchall()]
            out[table] = sorted(rows, key=_order)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
            )
            out["(sequences)"] = sorted([list(row) for row in cursor.fetchall()])
    return out


def counts() -> dict[str, Any]:
    """The rows of the tables a backup counts, and the files in the evidence store."""
    from django.conf import settings

    from bordermonitor.storage.backup.database import counts_now
    from bordermonitor.storage.backup.make import evidence_files

    return {"counts": counts_now(), "files": list(evidence_files(settings.BORDERMONITOR.evidence_dir))}


def consistency() -> dict[str, Any]:
    """What a torn copy would get wrong: reports without their incident, broken foreign keys, the audit chain,
    and the counts the manifest compares."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import verify
    from bordermonitor.storage.backup.database import counts_now
    from bordermonitor.storage.models import AuditEvent, Incident, Report

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Report._meta.db_table} r LEFT JOIN {Incident._meta.db_table} i"  # noqa: S608
            " ON i.id = r.incident_id WHERE i.id IS NULL"
        )
        orphans = cursor.fetchone()[0]
        # each report is written with its audit event in one transaction: a copy of one moment has both or neither
        events = f"SELECT 1 FROM {AuditEvent._meta.db_table} a WHERE a.object_type = 'report' AND a.action = 'create'"  # noqa: S608
        cursor.execute(
            f"SELECT COUNT(*) FROM {Report._meta.db_table} r WHERE NOT EXISTS ({events} AND a.object_id = r.id)"  # noqa: S608
        )
        without_event = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table} a WHERE a.object_type = 'report' AND a.action = 'create'"  # noqa: S608
            f" AND NOT EXISTS (SELECT 1 FROM {Report._meta.db_table} r WHERE r.id = a.object_id)"
        )
        event_without_report = cursor.fetchone()[0]
        broken_keys = 0
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_key_check")
            broken_keys = len(cursor.fetchall())
    with scopes_disabled():
        chain = verify()
    return {
        "reports_without_incident": orphans,
        "reports_without_their_audit_event": without_event,
        "audit_events_of_missing_reports": event_without_report,
        "foreign_key_errors": broken_keys,
        "audit_ok": chain.ok,
        "audit_entries": chain.entries,
        "counts": counts_now(),
    }


def write_reports(stop: str, progress: str) -> dict[str, Any]:
    """Write reports one after another, each in its transaction (report, incident, keys, audit), until the
    file ``stop`` exists; after each, write how many are written to the file ``progress``."""
    from django_scopes import scopes_disabled

    from bordermonitor.storage.accounts import add_organisation
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.evidence import evidence_store
    from tests.network import _report
    from tests.storage.helpers import save

    written = 0
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid", shares_with_network=True)
        store = evidence_store()
        while not Path(stop).exists():
            written += 1
            summary = save([_report(f"nnk-live-{written}", "nnk", "submitted", True)], store)
            assert summary.imported == 1, summary
            Path(progress).write_text(str(written))
    return {"written": written}


def written(progress: Path) -> int:
    try:
        return int(progress.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def empty_audit_log() -> None:
    """Empty the test database's audit log after a test that committed (the flush that follows a transactional
    test deletes rows, which the append-only triggers refuse on SQLite); the triggers are made again."""
    import importlib

    from django.db import connection

    append_only = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")
    append_only.backwards(None, connection.schema_editor())
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM storage_auditevent")
    finally:
        append_only.forwards(None, connection.schema_editor())


# --- a small network with evidence, in the test's own database -----------------------------------------------


def fill(canary: str) -> dict[str, bytes]:
    """Organisations, accounts, reports whose title, narrative and names carry ``canary``, evidence uploaded
    through the storage API (a photo with GPS, a PDF, a text file carrying ``canary``) and audit events of
    views. Returns the uploaded files by their SHA-256. Call it with scopes disabled, acting as someone."""
    import hashlib
    import io

    from bordermonitor.storage.access import access_for
    from bordermonitor.storage.accounts import add_organisation, add_user
    from bordermonitor.storage.audit import record
    from bordermonitor.storage.evidence import add_evidence, evidence_store
    from bordermonitor.storage.models import Report, User
    from tests.evidence import corpus
    from tests.network import _report
    from tests.storage.helpers import save

    add_organisation(code="nnk", name="North Corridor Aid", shares_with_network=True)
    add_organisation(code="rigardu", name="Rigardu", shares_with_network=False)
    for organisation in ("nnk", "rigardu"):
        add_user(email=f"reviewer@{organisation}.test", organisation=organisation, role="reviewer")
    raws = []
    for ref, organisation in (("nnk-1", "nnk"), ("nnk-2", "nnk"), ("rig-1", "rigardu")):
        raw = _report(ref, organisation, "submitted", True)
        raw["title"] = f"Pushback of {canary} ({ref})"
        raw["narrative"]["text"] = f"{canary} told us the police took the phones."
        raw["known_names"] = [canary]
        raws.append(raw)
    summary = save(raws, evidence_store())
    assert summary.imported == 3, summary
    files = {
        ("nnk-1", "photo"): corpus.jpeg_with_gps(),
        ("nnk-1", "document"): f"Statement of {canary}, written down on the day.\n".encode(),
        ("rig-1", "medical_report"): corpus.pdf_with_everything(),
    }
    uploaded: dict[str, bytes] = {}
    for (ref, kind), data in files.items():
        report = Report.objects.get(ref=ref)
        reviewer = User.objects.get(email=f"reviewer@{report.organisation.code}.test")
        add_evidence(
            access=access_for(reviewer),
            report=report,
            upload=io.BytesIO(data),
            kind=kind,
            description=None,
            user=reviewer,
        )
        uploaded[hashlib.sha256(data).hexdigest()] = data
    for report in Report.objects.order_by("pk"):
        record("view", report)
    return uploaded


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    import django

    django.setup()
    function, *args = sys.argv[1:]
    allowed: dict[str, Callable[..., Any]] = {
        "tables": tables,
        "consistency": consistency,
        "counts": counts,
        "write_reports": write_reports,
    }
    started = time.monotonic()
    result = allowed[function](*args)
    print(json.dumps(result, default=str))
    print(f"{function}: {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

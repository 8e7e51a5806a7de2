"""SECURITY goal 2: a database dump alone reveals no sensitive field.

Canary names and narrative sentences go in through the storage API (a report created, edited, drafted, its names
set) and through two imports (interchange records, a legacy BVMN export). Then the database is dumped as an
attacker holding the server's disk or a backup would read it — SQLite: the database file and its write-ahead
log after a checkpoint, from a real file database as deployed; PostgreSQL: ``pg_dump`` of the test database —
and no canary may be found in it, while the record page, which has the keys, shows the narrative.

The same :func:`populate` runs in a child process for SQLite (the test database of the suite is in memory,
and what matters is the bytes on disk) and in the test process for PostgreSQL.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bordermonitor.importers.bvmn import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"

NAME = "Quillimot Varghesh"
SECOND_NAME = "Ostrava Pemberline"  # the interviewer, in the source's original row
LEGACY_NAME = "Mirelith Dunsworth"
ARABIC = "قنديل الزعفران المنسي"
SENTENCE = "the saffron lantern drifted past nine herons"
TRANSLATION = "copper kettles sang beneath the crooked bridge"
EDITED = "an ochre ferry waited by the seventh pylon"
DRAFTED = "violet cranes circled the empty quarry twice"
IMPORTED = "a tin whistle echoed across the frozen marsh"
CANARIES = (NAME, SECOND_NAME, LEGACY_NAME, ARABIC, SENTENCE, TRANSLATION, EDITED, DRAFTED, IMPORTED)
PLAIN = "Zarnivex crossing point"  # a place name: plain by design, so the dump must show it (the scan works)


def _record(ref: str, organisation: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": "testimony",
        "recorded_on": "2024-05-02",
        "title": f"Testimony of {NAME}",
        "narrative": {
            "text": f"{NAME} said: {SENTENCE}. {ARABIC}",
            "language": "ar",
            "translation_en": TRANSLATION,
        },
        "known_names": [NAME],
        "incident": {"date": "2024-05-01", "location": {"place": "Bihać", "country": "BA"}},
        "source": {"name": "field interview", "original": {"interviewer": SECOND_NAME, "notes": SENTENCE}},
    }


def _legacy_file(path: Path) -> Path:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        {
            "date": "2021-03-04",
            "pushback_from": "Croatia",
            "pushback_to": "Bosnia and Herzegovina",
            "incident_location": "Glinica",
            "report_link": "https://example.org/reports/canary-1",
            "report_title": f"{LEGACY_NAME} was pushed back",
            "group_size": "5",
            "countries_of_origin": "Afghanistan",
            "types_of_violence_used": "beating",
            "incident_author": "North Corridor Aid",
        }
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow(row)
    return path


def populate(work: Path) -> dict[str, Any]:
    """Reports, edits, drafts and imports full of canaries; then the record page as its documenter reads it.
    Returns what the page showed."""
    from django.test import Client
    from django_scopes import scopes_disabled

    from bordermonitor.core.records import ReportRecord
    from bordermonitor.evidence.store import FileStore
    from bordermonitor.importers.base import outcome_for
    from bordermonitor.storage.access import access_for
    from bordermonitor.storage.accounts import add_organisation, add_user
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.drafts import save_draft
    from bordermonitor.storage.editing import create_report, update_report
    from bordermonitor.storage.imports import run_import, run_import_file
    from bordermonitor.storage.models import Report
    from bordermonitor.storage.publication import set_known_names
    from bordermonitor.storage.repositories.reports import record_of

    store = FileStore(work / "store")
    with scopes_disabled(), acting_as("cli"):
        organisation, _ = add_organisation(code="nnk", name="North Corridor Aid")
        documenter, _ = add_user(
            email="documenter@nnk.test", organisation="nnk", role="documenter", password=PASSWORD
        )
        reviewer, _ = add_user(
            email="reviewer@nnk.test", organisation="nnk", role="reviewer", password=PASSWORD
        )
    with scopes_disabled(), acting_as(f"user:{documenter.pk}"):
        writer = access_for(documenter)
        report, _ = create_report(
            access=writer,
            user=documenter,
            record=ReportRecord.model_validate(_record("nnk-2024-0001", "nnk")),
        )
        save_draft(
            access=writer,
            user=documenter,
            data={"title": f"{NAME} again", "narrative_text": DRAFTED},
            organisation_id=organisation.pk,
            token=uuid.uuid4(),
        )
    with scopes_disabled(), acting_as(f"user:{reviewer.pk}"):
        checker = access_for(reviewer)
        edited = record_of(Report.objects.select_related("organisation", "incident").get(pk=report.pk))
        edited["narrative"]["text"] = f"{NAME}: {EDITED}"
        report = update_report(
            access=checker,
            report=report,
            record=ReportRecord.model_validate(edited),
            expected_version=report.version,
        )
        save_draft(
            access=checker,
            user=reviewer,
            data={"narrative_text": DRAFTED, "known_names": NAME},
            report=report,
        )
    with scopes_disabled(), acting_as(f"user:{reviewer.pk}"):
        set_known_names(report=report, user=reviewer, names=[NAME, SECOND_NAME])
    with scopes_disabled(), acting_as("cli"):
        imported = _record("nnk-import-1", "nnk")
        imported["narrative"]["text"] = f"{NAME}: {IMPORTED}"
        imported["incident"]["location"]["place"] = PLAIN
        summary = run_import([outcome_for(imported, where="line 1")], store=store)
        assert summary.imported == 1, summary
        legacy = run_import_file(
            "bordermonitor.importers.bvmn",
            _legacy_file(work / "legacy.csv"),
            store=store,
            options={"organisation": "nnk"},
        )
        assert legacy.imported == 1, legacy
        assert Report.objects.get(ref="nnk-import-1").narrative_text == f"{NAME}: {IMPORTED}"

    client = Client()
    assert client.login(username="documenter@nnk.test", password=PASSWORD)  # no second factor to pass
    page = client.get(f"/reports/{report.pk}/")
    text = page.content.decode()
    return {"status": page.status_code, "shows_narrative": EDITED in text, "shows_name": NAME in text}


def _hits(data: bytes) -> dict[str, int]:
    found = {}
    for canary in CANARIES:
        for encoded in {canary.encode("utf-8"), canary.lower().encode("utf-8")}:
            count = data.count(encoded)
            if count:
                found[canary] = found.get(canary, 0) + count
    return found


def _child() -> None:
    """Run in a child process: a fresh file database as deployed, the canaries, then a checkpoint with the
    write-ahead log still there; copies of both files are left next to it for the test to read."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection as db
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host
    call_command("migrate", verbosity=0)
    work = Path(os.environ["CANARY_WORK"])
    shown = populate(work)
    database = Path(db.settings_dict["NAME"])
    with db.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    snapshot = work / "snapshot"
    snapshot.mkdir()
    for suffix in ("", "-wal"):
        source = database.with_name(database.name + suffix)
        if source.exists():
            shutil.copyfile(source, snapshot / source.name)
    print(json.dumps(shown))  # read by the test


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="the SQLite dump")
def test_a_sqlite_database_file_and_its_log_hold_no_canary(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "BORDERMONITOR_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "bordermonitor.web.settings",
        "CANARY_WORK": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from tests.storage.test_dump_canary import _child; _child()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown == {"status": 200, "shows_narrative": True, "shows_name": True}
    snapshot = sorted((tmp_path / "snapshot").iterdir())
    assert [p.name for p in snapshot] == ["db.sqlite3", "db.sqlite3-wal"]  # the log was there, and is read
    for path in [*snapshot, *sorted(tmp_path.glob("db.sqlite3*"))]:
        assert _hits(path.read_bytes()) == {}, path.name
    assert PLAIN.encode() in b"".join(path.read_bytes() for path in snapshot)  # what is plain is found
    # the check finds what it looks for: the same canaries are in the legacy file that was imported
    assert _hits((tmp_path / "legacy.csv").read_bytes()) == {LEGACY_NAME: 1}


@pytest.mark.skipif(
    "not os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="the PostgreSQL dump"
)
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_dump_holds_no_canary(tmp_path: Path) -> None:
    shown = populate(tmp_path)
    assert shown == {"status": 200, "shows_narrative": True, "shows_name": True}
    settings = connection.settings_dict
    command = ["pg_dump", "--no-owner", "-d", settings["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    env = {**os.environ, **({"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {})}
    dump = subprocess.run(command, capture_output=True, env=env, timeout=300, check=True).stdout
    assert b"storage_report" in dump and b"bm1." in dump  # the dump is the database, tokens and all
    assert _hits(dump) == {}
    assert PLAIN.encode() in dump  # what is plain is found

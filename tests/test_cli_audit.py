"""``bordermonitor audit verify`` and ``audit head``: exit codes, the entry named, the heads file, and a check run
offline on a copy of the database with nothing else running."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from django.db import connection

from bordermonitor.cli import main
from bordermonitor.storage.audit import acting_as, append, event_rows

APPEND_ONLY = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _log(count: int) -> None:
    with acting_as("user:3"):
        append(event_rows("view", "report", [(n, f"nnk-{n}", "nnk") for n in range(1, count + 1)]))


def _tamper(*statements: str) -> None:
    with connection.cursor() as cursor:
        APPEND_ONLY.backwards(None, connection.schema_editor())
        for statement in statements:
            cursor.execute(statement)
        APPEND_ONLY.forwards(None, connection.schema_editor())


@pytest.mark.django_db
def test_verify_passes_on_a_clean_log_and_says_how_long_it_is() -> None:
    _log(12)
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("audit log verified: 12 entries, head seq 12, hash ")
    as_json = json.loads(run("audit", "verify", "--json").output)
    assert as_json["ok"] is True and as_json["entries"] == 12 and as_json["broken"] is None
    assert as_json["head"]["seq"] == 12 and len(as_json["head"]["hash"]) == 64


@pytest.mark.django_db
def test_verify_fails_with_exit_code_1_naming_the_first_broken_entry() -> None:
    _log(12)
    _tamper(
        "UPDATE storage_auditevent SET object_ref = 'nnk-99' WHERE seq = 7",
        "DELETE FROM storage_auditevent WHERE seq = 10",
    )
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "audit log BROKEN at seq 7: hash does not match its content" in result.output
    assert "user:3 view report 7 nnk-99" in result.output
    assert "the 6 entries before it verify" in result.output
    broken = json.loads(run("audit", "verify", "--json").output)
    assert broken["ok"] is False
    assert broken["broken"]["seq"] == 7 and broken["broken"]["problem"] == "hash"
    assert broken["broken"]["entry"]["object_ref"] == "nnk-99"


@pytest.mark.django_db
def test_head_prints_or_appends_one_json_line_and_verify_checks_every_kept_head(tmp_path: Path) -> None:
    heads = tmp_path / "kept" / "heads.jsonl"
    heads.parent.mkdir()
    _log(5)
    printed = json.loads(run("audit", "head").output)
    assert printed["seq"] == 5 and printed["entries"] == 5 and len(printed["hash"]) == 64
    assert printed["at"].endswith("Z")
    assert run("audit", "head", "--out", str(heads)).exit_code == 0
    _log(5)
    assert run("audit", "head", "--out", str(heads)).exit_code == 0
    lines = [json.loads(line) for line in heads.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [5, 10]
    assert lines[0] == printed
    ok = run("audit", "verify", "--heads", str(heads))
    assert ok.exit_code == 0 and "2 kept heads match" in ok.output
    _tamper("DELETE FROM storage_auditevent WHERE seq > 8")
    assert run("audit", "verify").exit_code == 0  # the chain alone cannot see its end cut off
    cut = run("audit", "verify", "--heads", str(heads))
    assert cut.exit_code == 1
    assert "the head kept on line 2" in cut.output and "(seq 10," in cut.output
    assert "truncated" in cut.output


@pytest.mark.django_db
def test_a_heads_file_that_is_not_one_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "heads.jsonl"
    wrong.write_text('{"seq": 1, "hash": "abc"}\n')
    result = run("audit", "verify", "--heads", str(wrong))
    assert result.exit_code == 2
    assert "line 1 is not a head" in result.output


def _python(database: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "BORDERMONITOR_DATA_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)


MAKE_DATABASE = """
import sys
from bordermonitor.cli import main
main(["init"], standalone_mode=False)
main(["import", "jsonl", sys.argv[1], "--organisation", "nnk"], standalone_mode=False)
"""


APPEND = """
import os, sys, time
from pathlib import Path
os.environ["DJANGO_SETTINGS_MODULE"] = "bordermonitor.web.settings"
import django
django.setup()
from bordermonitor.storage.audit import acting_as, append, event_rows
here = Path(sys.argv[2])
(here / f"ready-{sys.argv[1]}").touch()
while not (here / "go").exists():  # all start together
    time.sleep(0.01)
with acting_as(f"user:{sys.argv[1]}"):
    for batch in range(150):
        append(event_rows("view", "report", [(1, "nnk-1", "nnk")] * (1 + batch % 3)))
"""
WRITTEN = 16 + 3 * sum(1 + batch % 3 for batch in range(150))  # 8 reports, their 8 incidents, 3 writers'


@pytest.mark.slow
@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="copies a SQLite database file")
def test_verify_runs_offline_on_a_copy_of_the_database(tmp_path: Path) -> None:
    """A SQLite database made by an import and three processes writing at once, copied elsewhere while nothing
    runs; the copy is checked by a new process, then tampered with as a file and checked again."""
    live, data = tmp_path / "live.sqlite3", tmp_path / "data"
    records = tmp_path / "records.jsonl"
    records.write_text(
        "".join(
            json.dumps({"ref": f"nnk-{n}", "organisation": "nnk", "kind": "testimony"}) + "\n"
            for n in range(8)
        )
    )
    made = _python(live, data, "-c", MAKE_DATABASE, str(records))
    assert made.returncode == 0, made.stderr
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{live}", "BORDERMONITOR_DATA_DIR": str(data)}
    writers = [  # three processes append at once: one chain, no position taken twice
        subprocess.Popen(
            [sys.executable, "-c", APPEND, str(n), str(tmp_path)], env=env, stderr=subprocess.PIPE, text=True
        )
        for n in range(3)
    ]
    deadline = time.monotonic() + 300
    while len(list(tmp_path.glob("ready-*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read() if writer.stderr else ""
    copy = tmp_path / "elsewhere" / "copy.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(live, copy)
    checked = _python(copy, data, "-m", "bordermonitor", "audit", "verify")
    assert checked.returncode == 0, checked.stderr
    assert f"audit log verified: {WRITTEN} entries, head seq {WRITTEN}" in checked.stdout
    with sqlite3.connect(copy) as database:
        actors = [
            a for (a,) in database.execute("SELECT actor FROM storage_auditevent WHERE seq > 16 ORDER BY seq")
        ]
        assert set(actors) == {"user:0", "user:1", "user:2"}  # every writer's entries are in the one chain
        for statement in APPEND_ONLY.SQLITE_REVERSE:
            database.execute(statement)
        database.execute("UPDATE storage_auditevent SET actor = 'someone else' WHERE seq = 3")
    tampered = _python(copy, data, "-m", "bordermonitor", "audit", "verify")
    assert tampered.returncode == 1
    assert "audit log BROKEN at seq 3: hash does not match its content" in tampered.stderr

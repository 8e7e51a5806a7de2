"""An import in two processes (read and prepare / save) stores exactly what an import in one process stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from bordermonitor.demo.synthetic import synthetic_reports
from bordermonitor.importers import jsonl, mmp
from bordermonitor.storage.imports import run_import, run_import_file
from bordermonitor.storage.models import AuditEvent, Evidence, Incident, Report
from tests.storage.helpers import export

pytestmark = pytest.mark.django_db


def _empty() -> None:
    with scopes_disabled():
        Evidence.objects.all().delete()
        Report.objects.all().delete()
        Incident.objects.all().delete()


def test_two_processes_store_what_one_process_stores(network: None, store: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    with source.open("w") as handle:
        for record in synthetic_reports(count=250, seed=4, evidence_dir=tmp_path):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write("not json\n")
    one = run_import(jsonl.read(source), store=store, batch_size=60)
    first = export(store)
    _empty()
    positions: list[int] = []
    two = run_import_file(jsonl.__name__, source, store=store, batch_size=60, progress=positions.append)
    assert export(store) == first
    counts = ("read", "imported", "created", "updated", "flagged", "rejected", "rejections")
    assert {k: one.as_dict()[k] for k in counts} == {k: two.as_dict()[k] for k in counts}
    assert (two.read, two.imported, two.rejected) == (251, 250, 1)
    assert positions == sorted(positions) and positions[-1] == source.stat().st_size
    assert AuditEvent.objects.filter(action="create", object_type="report").count() == 500  # both imports


def test_an_error_reading_the_file_reaches_the_caller(network: None, store: Any, tmp_path: Path) -> None:
    path = tmp_path / "not-mmp.csv"
    path.write_text("name,colour\nx,blue\n")
    with pytest.raises(ValueError, match=r"not-mmp\.csv"):
        run_import_file(mmp.__name__, path, store=store, options={"organisation": "mmp"})
    assert not Report.objects.exists()

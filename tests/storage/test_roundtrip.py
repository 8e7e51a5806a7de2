"""Interchange format v1 is lossless: export → import into an empty database → export gives the same records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.importers import jsonl
from bordermonitor.storage.exports import export_jsonl
from bordermonitor.storage.imports import run_import
from bordermonitor.storage.models import AuditEvent, Evidence, Incident, Report
from tests.storage.helpers import export, save
from tests.strategies import records

pytestmark = pytest.mark.django_db


def _key(record: dict[str, Any]) -> tuple[str, str]:
    return (record["organisation"], record["ref"])


def _with_incident_ref(raw: dict[str, Any]) -> dict[str, Any]:
    """What export says of a record imported without an incident ref: each report is its own incident."""
    if raw["incident"]["ref"] is None:
        raw = json.loads(json.dumps(raw))
        raw["incident"]["ref"] = f"{raw['organisation']}:{raw['ref']}"
    return raw


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(), min_size=1, max_size=6, unique_by=_key))
def test_import_then_export_gives_back_every_record(
    network: None, store: Any, raws: list[dict[str, Any]]
) -> None:
    with scopes_disabled():
        Report.objects.all().delete()
        Incident.objects.all().delete()
    summary = save(raws, store)
    already_flagged = sum(bool(r["source"]["unparsed"]) for r in raws)
    assert (summary.imported, summary.rejected, summary.flagged) == (len(raws), 0, already_flagged)
    exported = {_key(r): r for r in export(store)}
    assert exported == {_key(r): _with_incident_ref(r) for r in raws}


def test_export_import_export_is_stable_with_evidence(network: None, store: Any, tmp_path: Path) -> None:
    evidence = tmp_path / "in" / "evidence" / "nnk-1" / "back.jpg"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    raw = {
        "ref": "nnk-1",
        "organisation": "nnk",
        "kind": "testimony",
        "incident": {"ref": "shared-1", "date": "2019-06", "expelled_by": ["SI", "HR"], "expelled_to": "BA"},
        "evidence": [
            {
                "path": "evidence/nnk-1/back.jpg",
                "kind": "photo",
                "sha256": hashlib.sha256(evidence.read_bytes()).hexdigest(),
                "description": "bruises on the back",
            }
        ],
    }
    second = {"ref": "rig-7", "organisation": "rigardu", "kind": "witness", "incident": {"ref": "shared-1"}}
    summary = save([raw, second], store, base=tmp_path / "in")
    assert summary.flagged == 0
    out = tmp_path / "out" / "all.jsonl"
    out.parent.mkdir()
    with out.open("w") as handle:
        export_jsonl(handle, store=store, evidence_root=out.parent)
    first_export = out.read_text()
    assert (out.parent / "evidence" / "nnk-1" / "back.jpg").read_bytes() == evidence.read_bytes()

    with scopes_disabled():
        Evidence.objects.all().delete()
        Report.objects.all().delete()
        Incident.objects.all().delete()
    summary = run_import(jsonl.read(out), store=store)
    assert (summary.imported, summary.flagged, summary.rejected) == (2, 0, 0)
    assert [json.loads(line) for line in first_export.splitlines()] == export(store)
    assert Incident.objects.count() == 1  # both reports still describe one incident


def test_reimport_replaces_a_report_and_is_audited(network: None, store: Any) -> None:
    base = {"ref": "nnk-9", "organisation": "nnk", "kind": "testimony", "incident": {"ref": "a"}}
    save([base], store)
    changed = {**base, "title": "They burned our bags", "incident": {"ref": "b"}}
    summary = save([changed], store)
    assert (summary.created, summary.updated) == (0, 1)
    (record,) = export(store)
    assert record["title"] == "They burned our bags"
    assert record["incident"]["ref"] == "b"
    assert not Incident.objects.filter(ref="a").exists()  # left without reports: deleted, and audited
    actions = list(AuditEvent.objects.values_list("action", "object_type", "object_ref"))
    assert ("create", "report", "nnk-9") in actions
    assert ("update", "report", "nnk-9") in actions
    assert ("delete", "incident", "a") in actions


def test_export_of_one_organisation(network: None, store: Any) -> None:
    save(
        [
            {"ref": "a-1", "organisation": "nnk", "kind": "testimony"},
            {"ref": "b-1", "organisation": "rigardu", "kind": "testimony"},
        ],
        store,
    )
    assert [r["ref"] for r in export(store, organisation="rigardu")] == ["b-1"]


def test_two_reports_naming_the_same_evidence_path_keep_both_files(
    network: None, store: Any, tmp_path: Path
) -> None:
    for name, content in (("one", b"first photo"), ("two", b"second photo")):
        (tmp_path / name / "evidence").mkdir(parents=True)
        (tmp_path / name / "evidence" / "back.jpg").write_bytes(content)
        raw = {
            "ref": f"r-{name}", "organisation": "nnk", "kind": "testimony",
            "evidence": [{"path": "evidence/back.jpg", "kind": "photo", "sha256": hashlib.sha256(content).hexdigest()}],
        }  # fmt: skip
        save([raw], store, base=tmp_path / name)
    out = tmp_path / "out" / "all.jsonl"
    out.parent.mkdir()
    with out.open("w") as handle:
        export_jsonl(handle, store=store, evidence_root=out.parent)
    with scopes_disabled():
        Evidence.objects.all().delete()
        Report.objects.all().delete()
        Incident.objects.all().delete()
    summary = run_import(jsonl.read(out), store=store)
    assert (summary.imported, summary.flagged) == (2, 0)  # both files travel with the export, unchanged


def test_a_status_changed_by_import_shows_in_the_review_history(network: None, store: Any) -> None:
    from bordermonitor.storage.models import ReportTransition

    save([{"ref": "s-1", "organisation": "nnk", "kind": "testimony", "status": "rejected"}], store)
    save([{"ref": "s-1", "organisation": "nnk", "kind": "testimony", "status": "submitted"}], store)
    (step,) = ReportTransition.objects.values_list("source", "target", "comment")
    assert step == ("rejected", "submitted", "status given by an imported record")

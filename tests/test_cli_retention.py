"""``bordermonitor retention``: setting and showing the schedule, a dry run that changes nothing, applying it
(asked to confirm, or ``--yes``), and erasing one report with a reason; the audit chain verifies after."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from django.conf import settings
from django.utils import timezone

from bordermonitor.cli import main
from bordermonitor.commands.retention import RULE_NAMES
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.models import AuditEvent, Erasure, Evidence, RecordKey, Report, RetentionRule
from tests.evidence import corpus
from tests.storage.test_retention import (  # noqa: F401 - the fixtures the tests use
    ERASED,
    KEPT,
    REASON,
    data_dir,
    edited_text,
    raw,
    world,
)

pytestmark = pytest.mark.django_db


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def _age(ref: str, days: int) -> None:
    Report.objects.filter(ref=ref).update(updated_at=timezone.now() - dt.timedelta(days=days))


def test_every_retention_command_has_help_with_an_example() -> None:
    for command in ("set", "unset", "show", "apply", "erase"):
        result = run("retention", command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output, command


@pytest.mark.usefixtures("world")
def test_set_show_and_unset_a_schedule() -> None:
    shown = run("retention", "show")
    assert shown.exit_code == 0
    assert shown.output.count("no schedule: nothing is erased automatically") == 2  # nnk and rigardu
    result = run("retention", "set", "nnk", "--status", "rejected", "--after-days", "90", "--rule", "record")
    assert result.exit_code == 0, result.output
    assert result.output == "nnk: rejected reports unchanged for 90 days → erase record (added)\n"
    run("retention", "set", "NNK", "--status", "draft", "--after-days", "180", "--rule", "testimony")
    run("retention", "set", "nnk", "--status", "draft", "--after-days", "200", "--rule", "testimony")
    shown = run("retention", "show", "nnk")
    assert "draft reports unchanged for 200 days → erase testimony (set by cli" in shown.output
    assert "rejected reports unchanged for 90 days → erase record" in shown.output
    assert "rigardu" not in shown.output
    as_json = json.loads(run("retention", "show", "--json").output)
    assert [(line["status"], line["after_days"], line["rule"]) for line in as_json["nnk"]["schedule"]] == [
        ("draft", 200, "testimony"),
        ("rejected", 90, "record"),
    ]
    assert as_json["rigardu"] == {"schedule": [], "erased": {}}
    assert run("retention", "unset", "nnk", "--status", "draft", "--rule", "testimony").exit_code == 0
    again = run("retention", "unset", "nnk", "--status", "draft", "--rule", "testimony")
    assert again.exit_code == 1 and "has no line for draft reports" in again.output
    assert list(RetentionRule.objects.values_list("status", flat=True)) == ["rejected"]


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "nowhere", "--status", "draft", "--after-days", "9", "--rule", "record"), "no organisation"),
        (
            ("set", "nnk", "--status", "archived", "--after-days", "9", "--rule", "record"),
            "'archived' is not",
        ),
        (
            ("set", "nnk", "--status", "draft", "--after-days", "0", "--rule", "record"),
            "0 is not in the range",
        ),
        (("set", "nnk", "--status", "draft", "--after-days", "9", "--rule", "shred"), "'shred' is not"),
        (("erase", "nnk-erase", "--rule", "record", "--reason", REASON, "--yes"), "not ORGANISATION:REF"),
        (("erase", "nnk:nnk-nothing", "--rule", "record", "--reason", REASON, "--yes"), "no report"),
        (("erase", "nnk:nnk-erase", "--rule", "record", "--reason", " ", "--yes"), "say why"),
        (("show", "nowhere"), "no organisation"),
    ],
)
def test_mistakes_are_refused_with_a_message(args: tuple[str, ...], message: str) -> None:
    result = run("retention", *args)
    assert result.exit_code in (1, 2) and message in result.output, result.output
    assert not Erasure.objects.exists() and not RetentionRule.objects.exists()


@pytest.mark.usefixtures("world")
def test_apply_lists_what_is_due_and_a_dry_run_changes_nothing() -> None:
    run("retention", "set", "nnk", "--status", "verified", "--after-days", "30", "--rule", "testimony")
    run("retention", "set", "nnk", "--status", "submitted", "--after-days", "60", "--rule", "record")
    _age("nnk-erase", 31)
    _age("nnk-keep", 29)
    _age("nnk-shared", 61)
    _age("nnk-private", 59)
    events = AuditEvent.objects.count()
    result = run("retention", "apply", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [
        ["nnk:nnk-erase", "testimony"],
        ["nnk:nnk-shared", "record"],
    ]
    assert lines[-1] == "2 reports due (1 testimony, 1 record); nothing was erased"
    as_json = json.loads(run("retention", "apply", "--dry-run", "--json").output)
    assert [(d["ref"], d["rule"]) for d in as_json["due"]] == [
        ("nnk-erase", "testimony"),
        ("nnk-shared", "record"),
    ]
    assert as_json["erased"] == [] and as_json["by_rule"] == {"testimony": 1, "record": 1}
    assert run("retention", "apply", "--dry-run", "--organisation", "rigardu").output.endswith(
        "0 reports due (none); nothing was erased\n"
    )
    assert AuditEvent.objects.count() == events and not Erasure.objects.exists()
    assert Report.objects.get(ref="nnk-erase").narrative_text == edited_text("nnk-erase")


@pytest.mark.usefixtures("world")
def test_apply_asks_before_erasing_then_erases_with_one_event_per_report() -> None:
    run("retention", "set", "nnk", "--status", "verified", "--after-days", "30", "--rule", "testimony")
    _age("nnk-erase", 31)
    _age("nnk-keep", 31)
    refused = run("retention", "apply", input="n\n")
    assert refused.exit_code == 1 and "Erase these 2 reports? This cannot be undone" in refused.output
    assert not Erasure.objects.exists()
    result = run("retention", "apply", input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 reports erased (2 testimony)"
    events = list(AuditEvent.objects.filter(action="erase").order_by("seq"))
    assert [(e.object_ref, e.details["rule"]) for e in events] == [
        ("nnk-erase", "testimony"),
        ("nnk-keep", "testimony"),
    ]
    assert all(Report.objects.get(ref=ref).narrative_text is None for ref in ("nnk-erase", "nnk-keep"))
    again = run("retention", "apply", "--yes")
    assert again.output == "0 reports due (none); nothing was erased\n"
    verified = run("audit", "verify")
    assert verified.exit_code == 0 and verified.output.startswith("audit log verified")
    shown = run("retention", "show", "nnk")
    assert "erased so far: 2 testimony" in shown.output


@pytest.mark.usefixtures("world")
def test_erase_one_report_now_for_a_reason() -> None:
    key = Report.objects.get(ref="nnk-erase").record_key_id
    result = run(
        "retention", "erase", "nnk:nnk-erase", "--rule", "testimony", "--reason", REASON, input="y\n"
    )
    assert result.exit_code == 0, result.output
    assert "Erase nnk:nnk-erase with the rule testimony? This cannot be undone" in result.output
    assert "nnk:nnk-erase erased (testimony): " in result.output and "record_keys 1" in result.output
    assert RecordKey.objects.get(pk=key).wrapped is None
    assert Erasure.objects.get().reason == REASON
    again = run("retention", "erase", "nnk:nnk-erase", "--rule", "evidence", "--reason", REASON, "--yes")
    assert again.exit_code == 1 and "already erased" in again.output
    tombstone = run("retention", "erase", "nnk:nnk-erase", "--rule", "record", "--reason", REASON, "--yes")
    assert tombstone.exit_code == 0, tombstone.output
    assert Report.objects.get(ref="nnk-erase").status == "rejected"
    assert Report.objects.get(ref="nnk-keep").officers_description == KEPT.officers
    stats: dict[str, Any] = json.loads(run("stats", "--json").output)
    assert stats["reports"] == Report.objects.exclude(status__in=("draft", "rejected")).count()
    assert run("audit", "verify").exit_code == 0
    assert [e.object_ref for e in AuditEvent.objects.filter(action="erase")] == ["nnk-erase", "nnk-erase"]


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("rule", RULE_NAMES)
def test_importing_an_erased_report_again_skips_it_and_imports_the_rest(tmp_path: Path, rule: str) -> None:
    erased = run("retention", "erase", "nnk:nnk-erase", "--rule", rule, "--reason", REASON, "--yes")
    assert erased.exit_code == 0, erased.output
    before = Report.objects.get(ref="nnk-erase")
    photo = corpus.jpeg_with_gps()
    (tmp_path / "photo.jpg").write_bytes(photo)
    again = raw("nnk-erase")  # the source sends the erased report again, words, names and a photo
    again["evidence"] = [{"kind": "photo", "path": "photo.jpg", "sha256": hashlib.sha256(photo).hexdigest()}]
    fresh = {"ref": "nnk-later", "organisation": "nnk", "kind": "testimony", "status": "submitted"}
    path = tmp_path / "resent.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in (again, fresh)))
    store = FileStore(settings.BORDERMONITOR.evidence_dir)
    files = sorted(p for p in store.root.rglob("*") if p.is_file())

    result = run("import", "jsonl", str(path))

    assert result.exit_code == 0, result.output
    on = timezone.localdate(Erasure.objects.get().at).isoformat()
    assert (
        f"line 1: report nnk:nnk-erase was erased on {on} under the rule {rule!r}; it is not re-created"
        " (the record was skipped)"
    ) in result.output
    assert "rows read: 2" in result.output and "imported: 1 (1 new, 0 updated)" in result.output
    assert "skipped, erased and not re-created: 1" in result.output
    assert not any(word in result.output for word in ERASED.every)  # the ref, nothing personal
    assert Report.objects.filter(ref="nnk-later").exists()
    after = Report.objects.get(ref="nnk-erase")
    assert (after.version, after.status, after.updated_at) == (
        before.version,
        before.status,
        before.updated_at,
    )
    assert after.narrative_text == (edited_text("nnk-erase") if rule == "evidence" else None)
    assert not Evidence.objects.filter(report=after, stored=True).exists()
    assert sorted(p for p in store.root.rglob("*") if p.is_file()) == files  # the photo is not stored again
    assert run("audit", "verify").exit_code == 0

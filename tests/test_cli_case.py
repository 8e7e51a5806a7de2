"""``bordermonitor case export``: the package is written and validates; every refusal is one clear sentence,
exit code 1, and no directory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import bagit  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner, Result

from bordermonitor.cli import main
from bordermonitor.storage import keys as keyring
from bordermonitor.storage.accounts import add_user
from bordermonitor.storage.evidence import evidence_store
from bordermonitor.storage.models import AuditEvent
from tests.storage import test_case_export as cases
from tests.storage.helpers import save

PASSPHRASE, _record = cases.PASSPHRASE, cases._record
data_dir, world = cases.data_dir, cases.world  # the fixtures of the library's tests

pytestmark = pytest.mark.django_db


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, ["case", "export", *args], env=env or None)


def test_a_report_is_exported_and_the_bag_validates(world: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "case"
    result = run("nnk:nnk-shared", "--out", str(out), "--by", "reviewer@nnk.test")
    assert result.exit_code == 0, result.output
    bagit.Bag(str(out)).validate()
    digest = hashlib.sha256((out / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    assert f"wrote {out}: 1 report(s) (nnk:nnk-shared), 2 original(s), 3 copies" in result.output
    assert digest in result.output
    assert f"bagit.py --validate {out}" in result.output
    (event,) = AuditEvent.objects.filter(action="export")
    assert event.details["tagmanifest_sha256"] == digest and event.actor == "cli"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nnk:nnk-case", "--by", "reviewer@nnk.test"], "report nnk:nnk-case cannot be exported for legal use: "
         "nnk:nnk-case: consent to legal use not given. No package was written"),
        (["nnk:nnk-shared", "--by", "documenter@nnk.test"], "documenter@nnk.test may not export nnk:nnk-shared: "
         "only a reviewer or administrator of nnk"),
        (["nnk:nnk-shared", "--by", "coordinator@network.test"], "only a reviewer or administrator of nnk"),
        (["nnk:nnk-shared", "--by", "reviewer@rigardu.test"], "only a reviewer or administrator of nnk"),
        (["nnk:nothing", "--by", "reviewer@nnk.test"], "no report (ORG:REF or REF) and no incident"),
    ],
)  # fmt: skip
def test_refusals_are_clear_and_write_nothing(
    world: dict[str, Any], tmp_path: Path, args: list[str], message: str
) -> None:
    save([_record(consent={"legal_use": False})], evidence_store())
    (tmp_path / "usb").mkdir()
    out = tmp_path / "usb" / "case"
    result = run(args[0], "--out", str(out), *args[1:])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert list((tmp_path / "usb").iterdir()) == []  # not the package, nor a partial one
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_key_held_offline_is_opened_with_the_identity_file(world: dict[str, Any], tmp_path: Path) -> None:
    organisation = world["reports"]["nnk-shared"].organisation_id
    exported = tmp_path / "nnk.age"
    keyring.export_identity(organisation, exported, PASSPHRASE, work_factor=10)
    keyring.take_offline(organisation, exported, PASSPHRASE)
    keyring.clear_caches()
    out = tmp_path / "case"
    refused = run("nnk:nnk-shared", "--out", str(out), "--by", "reviewer@nnk.test")
    assert refused.exit_code == 1
    assert (
        "keeps the key that opens originals (version 1) offline: give its identity file with --identity"
        in (" ".join(refused.output.split()))
    )
    assert not out.exists()
    done = run(
        "nnk:nnk-shared", "--out", str(out), "--by", "reviewer@nnk.test", "--identity", str(exported),
        BORDERMONITOR_IDENTITY_PASSPHRASE=PASSPHRASE,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    bagit.Bag(str(out)).validate()
    wrong = run(
        "nnk:nnk-shared", "--out", str(tmp_path / "again"), "--by", "reviewer@nnk.test", "--identity",
        str(exported), BORDERMONITOR_IDENTITY_PASSPHRASE="not the passphrase",
    )  # fmt: skip
    assert wrong.exit_code == 1 and str(exported) in wrong.output


def test_an_incident_with_only_consenting_and_the_incident_flag(
    world: dict[str, Any], tmp_path: Path
) -> None:
    # nnk-a's own incident is "nnk:nnk-a"; a rigardu report and a report without consent join it
    shared = {"ref": "nnk:nnk-a", "date": "2024-05-01"}
    save(
        [
            _record(ref="nnk-a"),
            _record(ref="rig-b", organisation="rigardu", incident=shared),
            _record(ref="nnk-c", incident=shared, consent={"legal_use": None}),
        ],
        evidence_store(),
    )
    add_user(email="admin@nnk.test", organisation="rigardu", role="admin")
    report = run("nnk:nnk-a", "--out", str(tmp_path / "report"), "--by", "admin@nnk.test")
    assert report.exit_code == 0, report.output
    assert "1 report(s) (nnk:nnk-a)" in report.output  # ORG:REF names the report, not its incident
    refused = run("nnk:nnk-a", "--incident", "--out", str(tmp_path / "incident"), "--by", "admin@nnk.test")
    assert refused.exit_code == 1
    assert (
        "1 of its 3 reports cannot be exported for legal use (nnk:nnk-c: consent to legal use not recorded)"
        in (" ".join(refused.output.split()))
    )
    done = run(
        "nnk:nnk-a",
        "--incident",
        "--only-consenting",
        "--out",
        str(tmp_path / "incident"),
        "--by",
        "admin@nnk.test",
    )
    assert done.exit_code == 0, done.output
    assert "2 report(s) (nnk:nnk-a, rigardu:rig-b)" in done.output
    assert "left out nnk:nnk-c: consent to legal use not recorded" in done.output
    lines = (tmp_path / "incident" / "data" / "record.jsonl").read_text().splitlines()
    assert [json.loads(x)["ref"] for x in lines] == ["nnk-a", "rig-b"]


def test_the_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["case", "export", "--help"])
    assert result.exit_code == 0
    assert "bordermonitor case export nnk:nnk-2024-017 --out case-017 --by" in result.output
    assert "--only-consenting" in result.output and "--identity" in result.output

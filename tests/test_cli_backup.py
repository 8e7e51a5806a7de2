"""``bordermonitor backup`` and ``restore`` as an operator uses them: a backup of the running site, restored onto
another, empty installation (its own data directory and database, through the command in its own process), the
restore drill, and the refusals (SECURITY goal 18)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bordermonitor.cli import main
from bordermonitor.storage.backup.archive import DATABASE_SQLITE, backup_identity, read_manifest
from tests.storage import backup_sites
from tests.storage.backup_sites import Site, tables

data_dir, filled, sites = backup_sites.data_dir, backup_sites.filled, backup_sites.sites  # fixtures

AGE = shutil.which("age")
AGE_KEYGEN = shutil.which("age-keygen")


def run(*args: str) -> Result:
    """The command in this process, on the test's own database (the site being backed up)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _give_master_key(source: Path, target: Site) -> None:
    target.master_key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "keys" / "master.key", target.master_key)
    os.chmod(target.master_key, 0o600)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _empty(site: Site) -> None:
    """Nothing was restored into ``site``."""
    state = site.python("counts")
    assert set(state["counts"].values()) == {0} and state["files"] == []


def test_a_backup_restores_onto_an_empty_installation_with_the_same_data(
    filled: dict[str, bytes], data_dir: Path, sites: Callable[[str], Site], tmp_path: Path
) -> None:
    exported = run("export", "jsonl", "--out", str(tmp_path / "source-export" / "all.jsonl"))
    assert exported.exit_code == 0, exported.output
    before = tables()
    made = run("backup", "--out", str(tmp_path / "site.age"))
    assert made.exit_code == 0, made.output
    assert "backup written to" in made.output and "3 reports" in made.output
    assert "the master key is not in it" in made.output

    target = sites("target")
    _give_master_key(data_dir, target)
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    restored = target.cli("restore", str(tmp_path / "site.age"), TMPDIR=str(system_tmp))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    evidence = data_dir / "evidence"
    files = sum(1 for p in evidence.rglob("*") if p.is_file() and "tmp" not in p.relative_to(evidence).parts)
    assert f": {files} evidence files" in restored.stdout
    assert (
        f"evidence: {files} files checked, {files} decrypted to the SHA-256 recorded at intake"
        in restored.stdout
    )
    assert "counts: 9 of 9 tables hold the rows the backup counted" in restored.stdout
    assert "restore drill passed" in restored.stdout
    assert list(system_tmp.iterdir()) == []  # no plaintext copy outside the data directory
    assert [p.name for p in target.data_dir.iterdir() if p.name.startswith(".restore-")] == []

    # the same data, table by table and row by row; the restore's own audit event comes after
    after = target.python("tables")
    events = after.pop("storage_auditevent")
    assert events[:-1] == before.pop("storage_auditevent")
    assert "import" in events[-1] and "backup" in events[-1]
    if "(sequences)" in before:  # PostgreSQL: the sequences go on from where they were, one more audit event
        moved = {name: value for name, value in after["(sequences)"] if name.startswith("storage_auditevent")}
        assert moved == {name: value + 1 for name, value in before["(sequences)"] if name in moved}
        after["(sequences)"] = before["(sequences)"] = [s for s in before["(sequences)"] if s[0] not in moved]
    assert after == before
    # and read back through the application: sealed fields open, originals decrypt to the bytes uploaded
    again = target.cli("export", "jsonl", "--out", str(tmp_path / "target-export" / "all.jsonl"))
    assert again.returncode == 0, again.stderr
    source_export, target_export = _tree(tmp_path / "source-export"), _tree(tmp_path / "target-export")
    assert target_export == source_export
    assert sorted(v for k, v in target_export.items() if k != "all.jsonl") == sorted(filled.values())
    canary = (
        next(data for data in filled.values() if data.startswith(b"Statement of ")).split()[2].rstrip(b",")
    )
    assert (
        target_export["all.jsonl"].count(canary) >= 3
    )  # title, narrative, names: the canary is really there

    # a second restore onto what now holds data is refused, unless --force
    refused = target.cli("restore", str(tmp_path / "site.age"))
    assert refused.returncode == 1
    assert "the database already holds data (2 organisations" in refused.stderr
    assert "already holds" in refused.stderr and "--force" in refused.stderr
    forced = target.cli("restore", "--force", str(tmp_path / "site.age"))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "restore drill passed" in forced.stdout


def test_a_damaged_backup_a_missing_or_wrong_master_key_are_refused_and_nothing_is_restored(
    filled: dict[str, bytes], data_dir: Path, sites: Callable[[str], Site], tmp_path: Path
) -> None:
    backup = tmp_path / "site.age"
    assert run("backup", "--out", str(backup)).exit_code == 0
    target = sites("target")

    missing = target.cli("restore", str(backup))
    assert missing.returncode == 1
    assert f"the master key is not at {target.master_key}" in missing.stderr
    assert "Put the master key this backup was made with there first" in missing.stderr
    assert not target.master_key.exists()  # the restore did not make one up

    target.master_key.parent.mkdir(parents=True)
    target.master_key.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    wrong = target.cli("restore", str(backup))
    assert wrong.returncode == 1
    assert "does not open with the backup key of the master key" in wrong.stderr
    assert "it was made with another master key" in wrong.stderr

    _give_master_key(data_dir, target)
    damaged = tmp_path / "damaged.age"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    flipped = target.cli("restore", str(damaged))
    assert flipped.returncode == 1
    assert "was changed or damaged" in flipped.stderr
    _empty(target)


@pytest.mark.skipif(
    (AGE is None or AGE_KEYGEN is None) and os.environ.get("CI") != "true",
    reason="the age tools are not installed (make system-packages)",
)
def test_a_recipient_kept_offline_opens_the_backup_with_the_standard_age_tool(
    filled: dict[str, bytes], data_dir: Path, sites: Callable[[str], Site], tmp_path: Path
) -> None:
    assert AGE is not None and AGE_KEYGEN is not None
    offline = tmp_path / "offline-key.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(offline)], check=True, capture_output=True)
    recipient = next(
        line.split(": ")[1] for line in offline.read_text().splitlines() if line.startswith("# public key")
    )
    backup = tmp_path / "site.age"
    made = run("backup", "--out", str(backup), "--recipient", recipient)
    assert made.exit_code == 0, made.output
    assert recipient in made.output

    opened = subprocess.run([AGE, "-d", "-i", str(offline), str(backup)], capture_output=True, check=True)
    (tmp_path / "site.tar").write_bytes(opened.stdout)
    with tarfile.open(tmp_path / "site.tar") as tar:
        names = tar.getnames()
    assert names[-2:] == ["manifest.json", "manifest.mac"]
    assert any(name.startswith("evidence/blobs/") for name in names)
    assert names[0] == DATABASE_SQLITE or names[0].startswith("database/postgresql.dump.")

    other = tmp_path / "other-key.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(other)], check=True, capture_output=True)
    assert subprocess.run([AGE, "-d", "-i", str(other), str(backup)], capture_output=True).returncode != 0

    target = sites("target")
    without_master = target.cli("restore", "--identity", str(offline), str(backup))
    assert without_master.returncode == 1  # the backup opens, but its data needs the master key
    assert "the master key is not at" in without_master.stderr
    _give_master_key(data_dir, target)
    restored = target.cli("restore", "--identity", str(offline), str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restore drill passed" in restored.stdout


def test_a_backup_can_be_written_to_standard_output(
    filled: dict[str, bytes], data_dir: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["backup", "--out", "-"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"age-encryption.org/v1\n")
    assert "backup written to standard output" in result.stderr
    piped = tmp_path / "piped.age"
    piped.write_bytes(result.stdout_bytes)
    master = base64.b64decode((data_dir / "keys" / "master.key").read_text())
    assert read_manifest(piped, backup_identity(master)).data["counts"]["reports"] == 3


def test_backup_refuses_to_overwrite_a_file_and_to_take_a_wrong_recipient(
    filled: dict[str, bytes], data_dir: Path, tmp_path: Path
) -> None:
    existing = tmp_path / "kept.age"
    existing.write_bytes(b"an older backup")
    result: Any = CliRunner().invoke(main, ["backup", "--out", str(existing)])
    assert result.exit_code == 1 and "exists: choose a new file" in result.output
    assert existing.read_bytes() == b"an older backup"
    result = CliRunner().invoke(
        main, ["backup", "--out", str(tmp_path / "new.age"), "--recipient", "age1nope"]
    )
    assert result.exit_code == 2 and "is not an age public key" in result.output
    assert not (tmp_path / "new.age").exists()

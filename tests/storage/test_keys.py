"""The keyring: the master key, organisation keys, record keys, rotation, keeping the evidence key offline,
and the ``keys`` commands."""

from __future__ import annotations

import dataclasses
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection

from bordermonitor.cli import main
from bordermonitor.core.age import Identity
from bordermonitor.core.sealing import open_text, seal_text
from bordermonitor.storage import keys as keyring
from bordermonitor.storage.accounts import add_organisation
from bordermonitor.storage.models import OrganisationKey, RecordKey

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def own_master(settings: object, tmp_path: Path) -> Iterator[Path]:
    """A master key file of this test's own (the test process shares one otherwise)."""
    path = tmp_path / "keys" / "master.key"
    config = settings.BORDERMONITOR  # type: ignore[attr-defined]
    settings.BORDERMONITOR = dataclasses.replace(config, master_key_file=path)  # type: ignore[attr-defined]
    keyring.clear_caches()
    yield path
    keyring.clear_caches()


@pytest.fixture
def org(network: None, own_master: Path) -> int:
    organisation, _ = add_organisation(code="nnk", name="No Name Kitchen")
    return int(organisation.pk)


def test_the_master_key_is_made_once_private_and_outside_the_database(org: int, own_master: Path) -> None:
    version, key = keyring.data_key(org)
    assert version == 1 and len(key) == 32
    assert own_master.exists()
    assert stat.S_IMODE(own_master.stat().st_mode) == 0o600
    row = OrganisationKey.objects.get(organisation_id=org)
    assert key not in bytes(row.data_key)  # stored wrapped only
    keyring.clear_caches()
    assert keyring.data_key(org) == (1, key)  # the same key after the cache is gone


def test_a_missing_or_wrong_master_key_is_a_clear_error(org: int, own_master: Path) -> None:
    keyring.data_key(org)
    own_master.rename(own_master.with_name("elsewhere"))
    keyring.clear_caches()
    with pytest.raises(keyring.MasterKeyMissing, match="missing"):
        keyring.data_key(org)
    own_master.write_text("A" * 43 + "=\n")  # 32 bytes, but not the key that wrapped them
    with pytest.raises(keyring.MasterKeyMissing, match="does not open"):
        keyring.data_key(org)


def test_record_keys_open_their_values_until_destroyed(org: int) -> None:
    key_id, key = keyring.new_record_key(org)
    other_id, other = keyring.new_record_key(org)
    token = seal_text(key, key_id, "Testimony of A.", "report.narrative_text")
    keyring.clear_caches()
    opened = keyring.record_key(key_id)
    assert opened == key
    assert open_text(opened, token, "report.narrative_text") == "Testimony of A."
    assert keyring.destroy_record_keys([key_id]) == 1
    assert keyring.record_key(key_id) is None
    keyring.clear_caches()  # another process sees the erasure too
    assert keyring.record_key(key_id) is None
    assert keyring.record_key(other_id) == other
    assert RecordKey.objects.get(pk=key_id).destroyed_at is not None


def test_preloading_reads_many_keys_in_one_query(org: int, django_assert_max_num_queries: object) -> None:
    made = dict(keyring.new_record_key(org) for _ in range(30))
    keyring.clear_caches()
    keyring.data_key(org)
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        keyring.preload_record_keys(made)
        assert all(keyring.record_key(i) == k for i, k in made.items())


def test_rotation_makes_a_new_version_and_keeps_every_record_key(org: int) -> None:
    made = dict(keyring.new_record_key(org) for _ in range(5))
    _, old_recipient = keyring.evidence_recipient(org)
    assert keyring.rotate(org) == 2
    keyring.clear_caches()
    assert keyring.current_version(org) == 2
    assert keyring.evidence_recipient(org)[1] != old_recipient
    assert {r.key_version for r in RecordKey.objects.filter(pk__in=made)} == {2}
    assert all(keyring.record_key(i) == k for i, k in made.items())
    assert (
        keyring.evidence_identity(org, 1).recipient == old_recipient
    )  # the old version still opens its files


def test_rotating_the_master_key_keeps_everything_readable(org: int, own_master: Path) -> None:
    key_id, key = keyring.new_record_key(org)
    identity = keyring.evidence_identity(org, 1)
    old_text = own_master.read_text()
    kept = keyring.rotate_master()
    assert kept.read_text() == old_text and own_master.read_text() != old_text
    keyring.clear_caches()
    assert keyring.record_key(key_id) == key
    assert keyring.evidence_identity(org, 1) == identity


def test_the_evidence_key_can_be_held_offline(org: int, tmp_path: Path) -> None:
    _, recipient = keyring.evidence_recipient(org)
    exported = tmp_path / "nnk-evidence.age"
    assert keyring.export_identity(org, exported, PASSPHRASE, work_factor=10) == [1]
    assert b"AGE-SECRET-KEY" not in exported.read_bytes()
    with pytest.raises(keyring.KeyProblem):
        keyring.take_offline(org, exported, "wrong passphrase!!")
    assert keyring.take_offline(org, exported, PASSPHRASE) == [1]
    assert OrganisationKey.objects.get(organisation_id=org).evidence_identity is None
    # The server can still encrypt to the public half, but not open without the file.
    assert keyring.evidence_recipient(org) == (1, recipient)
    with pytest.raises(keyring.KeyHeldOffline, match="held offline"):
        keyring.evidence_identity(org, 1)
    (supplied,) = keyring.identities_in_file(exported, PASSPHRASE)
    assert keyring.evidence_identity(org, 1, supplied=supplied).recipient == recipient
    with pytest.raises(keyring.KeyProblem, match="not organisation"):
        keyring.evidence_identity(org, 1, supplied=Identity.generate())


def test_an_export_that_lacks_a_version_does_not_take_anything_offline(org: int, tmp_path: Path) -> None:
    exported = tmp_path / "v1.age"
    keyring.export_identity(org, exported, PASSPHRASE, work_factor=10)
    keyring.rotate(org)
    with pytest.raises(keyring.KeyProblem, match=r"version\(s\) \[2\]"):
        keyring.take_offline(org, exported, PASSPHRASE)
    assert OrganisationKey.objects.filter(organisation_id=org, evidence_identity__isnull=True).count() == 0


def test_the_database_alone_holds_no_key_in_the_clear(org: int) -> None:
    _, key = keyring.new_record_key(org)
    _, data = keyring.data_key(org)
    identity = keyring.evidence_identity(org, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data_key, evidence_identity FROM storage_organisationkey")
        stored = b"".join(bytes(v) for row in cursor.fetchall() for v in row if v is not None)
        cursor.execute("SELECT wrapped FROM storage_recordkey")
        stored += b"".join(bytes(row[0]) for row in cursor.fetchall())
    for secret in (key, data, identity.secret, str(identity).encode()):
        assert secret not in stored


def test_keys_commands(org: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["keys", "status"], catch_exceptions=False)
    assert result.exit_code == 0 and "no organisation has keys yet" in result.output
    keyring.data_key(org)
    result = runner.invoke(main, ["keys", "status"], catch_exceptions=False)
    assert "nnk v1 (current" in result.output and "evidence key on the server" in result.output

    monkeypatch.setenv("BORDERMONITOR_IDENTITY_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "nnk.age"
    result = runner.invoke(main, ["keys", "export", "nnk", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["keys", "export", "nnk", "--out", str(out)])
    assert result.exit_code != 0 and "exists" in result.output
    result = runner.invoke(main, ["keys", "offline", "nnk", "--exported", str(out)], catch_exceptions=False)
    assert result.exit_code == 0 and "held offline" in result.output
    result = runner.invoke(main, ["keys", "rotate", "nnk"], catch_exceptions=False)
    assert "key version 2 is now current" in result.output
    result = runner.invoke(main, ["keys", "status", "--json"], catch_exceptions=False)
    assert '"evidence_key_on_server": false' in result.output and '"version": 2' in result.output
    result = runner.invoke(main, ["keys", "rotate", "nosuch"])
    assert result.exit_code != 0 and "no organisation 'nosuch'" in result.output

"""The keyring: the master key, each organisation's keys, and the per-record keys (SECURITY goals 1, 2, 11).

- The **master key** is 32 random bytes in a file outside the database (``BORDERMONITOR_MASTER_KEY_FILE``,
  default ``<data dir>/keys/master.key``, mode 0600). It wraps the organisations' keys. A database dump
  without it opens nothing.
- Each organisation has versioned keys (:class:`OrganisationKey`): a **data key**, which wraps the record keys
  and from which the identity of the working copies is derived, and an **evidence identity**, an age X25519
  key pair: originals are encrypted to its public half. The private half is either wrapped by the master key
  (the server can open originals) or **held offline** by the organisation (the server can add evidence but
  cannot open originals unless someone supplies the identity file).
- Each record has its own **record key**, wrapped by its organisation's data key. Destroying it erases every
  value sealed with it (crypto-shredding).

Unwrapped keys are cached for the length of a request or command (:func:`clear_caches` empties the cache;
the web clears it when each request starts), so an erasure done elsewhere applies at once.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.signals import request_started
from django.db import transaction
from django.utils import timezone

from bordermonitor.core.age import AgeError, Identity, Recipient, decrypt_bytes, encrypt_bytes
from bordermonitor.core.sealing import SealError, new_key, seal, unseal
from bordermonitor.storage.models import Organisation, OrganisationKey, RecordKey

__all__ = [
    "KeyHeldOffline",
    "KeyProblem",
    "KeyStatus",
    "MasterKeyMissing",
    "clear_caches",
    "current_version",
    "data_key",
    "destroy_record_keys",
    "evidence_identity",
    "evidence_recipient",
    "export_identity",
    "identities_in_file",
    "identity_from_file",
    "master_key",
    "master_key_path",
    "new_record_key",
    "preload_record_keys",
    "record_key",
    "rotate",
    "rotate_master",
    "status",
    "take_offline",
    "working_identity",
    "working_recipient",
]

_WORKING_LABEL = b"bordermonitor working copies v1"


class KeyProblem(Exception):
    """A key cannot be used; the message says which and what to do."""


class MasterKeyMissing(KeyProblem):
    pass


class KeyHeldOffline(KeyProblem):
    """The evidence identity that opens this organisation's originals is not on the server."""

    def __init__(self, organisation: str, version: int) -> None:
        self.organisation, self.version = organisation, version
        super().__init__(
            f"the key that opens organisation {organisation!r}'s originals (version {version}) is held offline;"
            " supply its identity file (--identity FILE)"
        )


# --- caches --------------------------------------------------------------------------------------------------

_master: dict[Path, bytes] = {}
_data_keys: dict[tuple[int, int], bytes] = {}
_record_keys: dict[int, bytes | None] = {}


def clear_caches(**_: object) -> None:
    """Forget every unwrapped key (the next use reads and unwraps it again)."""
    _master.clear()
    _data_keys.clear()
    _record_keys.clear()


request_started.connect(clear_caches, dispatch_uid="bordermonitor-keys-clear")


# --- master key ----------------------------------------------------------------------------------------------


def master_key_path() -> Path:
    path: Path = settings.BORDERMONITOR.master_key_path
    return path


def master_key() -> bytes:
    """The master key; created (mode 0600) on first use while no organisation has keys yet."""
    path = master_key_path()
    if path in _master:
        return _master[path]
    if not path.exists():
        if OrganisationKey.objects.exists():
            raise MasterKeyMissing(
                f"the master key {path} is missing, and the organisations' keys need it: restore it from the"
                " place it was kept (see docs/keys.md, recovery)"
            )
        _create_master(path, new_key())
    key = base64.b64decode(path.read_text().strip())
    if len(key) != 32:
        raise MasterKeyMissing(f"{path} does not hold a 32-byte master key")
    _master[path] = key
    return key


def _create_master(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(key).decode() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _label(kind: str, organisation_id: int, version: int) -> str:
    return f"{kind}:{organisation_id}:{version}"


# --- organisation keys ---------------------------------------------------------------------------------------


def _create_version(organisation_id: int, version: int) -> OrganisationKey:
    master = master_key()
    identity = Identity.generate()
    return OrganisationKey.objects.create(
        organisation_id=organisation_id,
        version=version,
        data_key=seal(master, new_key(), _label("data-key", organisation_id, version)),
        evidence_recipient=str(identity.recipient),
        evidence_identity=seal(
            master, str(identity).encode(), _label("evidence-identity", organisation_id, version)
        ),
    )


def _current(organisation_id: int) -> OrganisationKey:
    key = (
        OrganisationKey.objects.filter(organisation_id=organisation_id, retired_at__isnull=True)
        .order_by("-version")
        .first()
    )
    if key is None:
        with transaction.atomic():
            Organisation.objects.select_for_update().filter(pk=organisation_id).first()
            key = OrganisationKey.objects.filter(
                organisation_id=organisation_id, retired_at__isnull=True
            ).first()
            if key is None:
                key = _create_version(organisation_id, 1)
    return key


def _version(organisation_id: int, version: int) -> OrganisationKey:
    key = OrganisationKey.objects.filter(organisation_id=organisation_id, version=version).first()
    if key is None:
        raise KeyProblem(f"organisation {organisation_id} has no key version {version}")
    return key


def current_version(organisation_id: int) -> int:
    return _current(organisation_id).version


def data_key(organisation_id: int, version: int | None = None) -> tuple[int, bytes]:
    """The organisation's data key (the current one, or ``version``) with its version."""
    if version is not None and (organisation_id, version) in _data_keys:
        return version, _data_keys[(organisation_id, version)]
    row = _current(organisation_id) if version is None else _version(organisation_id, version)
    cached = _data_keys.get((organisation_id, row.version))
    if cached is None:
        try:
            cached = unseal(
                master_key(), bytes(row.data_key), _label("data-key", organisation_id, row.version)
            )
        except SealError:
            raise MasterKeyMissing(
                f"the master key {master_key_path()} does not open organisation {organisation_id}'s keys:"
                " it is not the key they were made with"
            ) from None
        _data_keys[(organisation_id, row.version)] = cached
    return row.version, cached


def working_identity(organisation_id: int, version: int) -> Identity:
    """The identity of the organisation's working copies and thumbnails (derived from its data key)."""
    return Identity.derive(data_key(organisation_id, version)[1], _WORKING_LABEL)


def working_recipient(organisation_id: int) -> tuple[int, Recipient]:
    version, _ = data_key(organisation_id)
    return version, working_identity(organisation_id, version).recipient


def evidence_recipient(organisation_id: int) -> tuple[int, Recipient]:
    row = _current(organisation_id)
    return row.version, Recipient.parse(row.evidence_recipient)


def evidence_identity(organisation_id: int, version: int, *, supplied: Identity | None = None) -> Identity:
    """The identity that opens originals of key ``version``: the one supplied (checked against the stored
    public half), else the one wrapped on the server, else :class:`KeyHeldOffline`."""
    row = _version(organisation_id, version)
    expected = Recipient.parse(row.evidence_recipient)
    if supplied is not None:
        if supplied.recipient != expected:
            raise KeyProblem(
                f"the identity supplied is not organisation {organisation_id}'s evidence key version {version}"
                f" (its public key is {supplied.recipient}, not {expected})"
            )
        return supplied
    if row.evidence_identity is None:
        code = Organisation.objects.filter(pk=organisation_id).values_list("code", flat=True).first() or "?"
        raise KeyHeldOffline(code, version)
    text = unseal(
        master_key(), bytes(row.evidence_identity), _label("evidence-identity", organisation_id, version)
    )
    return Identity.parse(text.decode())


def identity_from_file(path: Path, passphrase: str | None) -> Identity:
    """An identity file as :func:`export_identity` writes it (age, passphrase-protected) or a plain
    ``AGE-SECRET-KEY-1…`` file."""
    data = path.read_bytes()
    if data.startswith(b"age-encryption.org/v1\n"):
        if passphrase is None:
            raise KeyProblem(f"{path} is protected by a passphrase: give it")
        try:
            data = decrypt_bytes(data, passphrase=passphrase)
        except AgeError as error:
            raise KeyProblem(f"{path}: {error}") from None
    try:
        return Identity.parse(data.decode("utf-8"))
    except (AgeError, UnicodeDecodeError) as error:
        raise KeyProblem(f"{path} is not an identity file: {error}") from None


def export_identity(organisation_id: int, out: Path, passphrase: str, *, work_factor: int = 18) -> list[int]:
    """Write every evidence identity the server holds for the organisation into ``out``, encrypted with the
    passphrase (an age file: ``age -d`` opens it too). Returns the versions written."""
    _current(organisation_id)  # an organisation without keys yet gets them now
    rows = OrganisationKey.objects.filter(organisation_id=organisation_id).order_by("version")
    lines, versions = [], []
    for row in rows:
        identity = evidence_identity(organisation_id, row.version)
        lines += [f"# version {row.version}", f"# public key: {row.evidence_recipient}", str(identity)]
        versions.append(row.version)
    if len(passphrase) < 12:
        raise KeyProblem("the passphrase must have at least 12 characters")
    sealed = encrypt_bytes(("\n".join(lines) + "\n").encode(), passphrase=passphrase, work_factor=work_factor)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sealed)
    return versions


def identities_in_file(path: Path, passphrase: str | None) -> list[Identity]:
    """Every identity in an exported identity file (one per key version)."""
    data = path.read_bytes()
    if data.startswith(b"age-encryption.org/v1\n"):
        if passphrase is None:
            raise KeyProblem(f"{path} is protected by a passphrase: give it")
        try:
            data = decrypt_bytes(data, passphrase=passphrase)
        except AgeError as error:
            raise KeyProblem(f"{path}: {error}") from None
    found = [
        Identity.parse(line) for line in data.decode().splitlines() if line.startswith("AGE-SECRET-KEY-1")
    ]
    if not found:
        raise KeyProblem(f"{path} holds no identity")
    return found


def take_offline(organisation_id: int, exported: Path, passphrase: str) -> list[int]:
    """Remove the evidence identities from the server after checking that ``exported`` holds every one of
    them. From then on originals are added but opened only with the identity file supplied."""
    held = {identity.recipient for identity in identities_in_file(exported, passphrase)}
    rows = list(OrganisationKey.objects.filter(organisation_id=organisation_id).order_by("version"))
    missing = [row.version for row in rows if Recipient.parse(row.evidence_recipient) not in held]
    if missing:
        raise KeyProblem(
            f"{exported} does not hold the evidence key of version(s) {missing}: nothing was removed"
        )
    OrganisationKey.objects.filter(organisation_id=organisation_id).update(evidence_identity=None)
    return [row.version for row in rows]


def rotate(organisation_id: int) -> int:
    """Make a new key version: new data key and evidence identity for everything added from now on. Record
    keys are rewrapped under the new data key at once. Older versions stay, retired, to open what was
    sealed with them. The new evidence identity is made on the server, so it starts on the server even when
    the older ones are held offline: export it and take it offline again (docs/keys.md). Returns the new
    version."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        old = _current(organisation_id)
        new = _create_version(organisation_id, old.version + 1)
        OrganisationKey.objects.filter(pk=old.pk).update(retired_at=timezone.now())
        _, new_data = data_key(organisation_id, new.version)
        batch: list[RecordKey] = []
        for row in RecordKey.objects.filter(
            organisation_id=organisation_id, wrapped__isnull=False
        ).iterator():
            _, wrapping = data_key(organisation_id, row.key_version)
            plain = unseal(wrapping, bytes(row.wrapped), _label("record-key", organisation_id, row.pk))
            row.wrapped = seal(new_data, plain, _label("record-key", organisation_id, row.pk))
            row.key_version = new.version
            batch.append(row)
            if len(batch) >= 2000:
                RecordKey.objects.bulk_update(batch, ["wrapped", "key_version"])
                batch.clear()
        RecordKey.objects.bulk_update(batch, ["wrapped", "key_version"])
    return new.version


def rotate_master() -> Path:
    """Replace the master key: every organisation key is rewrapped; the old file is kept as
    ``master.key.old-<time>`` until the operator destroys it (after a backup holds the new one)."""
    path = master_key_path()
    old = master_key()
    fresh = new_key()
    with transaction.atomic():
        for row in OrganisationKey.objects.select_for_update().order_by("pk"):
            org, version = row.organisation_id, row.version
            row.data_key = seal(
                fresh,
                unseal(old, bytes(row.data_key), _label("data-key", org, version)),
                _label("data-key", org, version),
            )
            if row.evidence_identity is not None:
                label = _label("evidence-identity", org, version)
                row.evidence_identity = seal(fresh, unseal(old, bytes(row.evidence_identity), label), label)
            row.save(update_fields=["data_key", "evidence_identity"])
        kept = path.with_name(f"{path.name}.old-{timezone.now():%Y%m%dT%H%M%S}")
        path.rename(kept)
        _create_master(path, fresh)
    clear_caches()
    return kept


# --- record keys ---------------------------------------------------------------------------------------------


def new_record_key(organisation_id: int) -> tuple[int, bytes]:
    """A fresh key for one record, stored wrapped; returns its id and the key."""
    version, wrapping = data_key(organisation_id)
    key = new_key()
    row = RecordKey.objects.create(organisation_id=organisation_id, key_version=version, wrapped=b"")
    RecordKey.objects.filter(pk=row.pk).update(
        wrapped=seal(wrapping, key, _label("record-key", organisation_id, row.pk))
    )
    _record_keys[row.pk] = key
    return row.pk, key


def _unwrap_record(row: RecordKey) -> bytes | None:
    if row.wrapped is None:
        return None
    _, wrapping = data_key(row.organisation_id, row.key_version)
    return unseal(wrapping, bytes(row.wrapped), _label("record-key", row.organisation_id, row.pk))


def preload_record_keys(ids: Iterable[int]) -> None:
    """Read and unwrap many record keys in one query (lists and batch jobs)."""
    wanted = {i for i in ids if i not in _record_keys}
    for start in range(0, len(wanted), 5000):
        chunk = sorted(wanted)[start : start + 5000]
        for row in RecordKey.objects.filter(pk__in=chunk):
            _record_keys[row.pk] = _unwrap_record(row)


def record_key(key_id: int) -> bytes | None:
    """The record key ``key_id``; None once it was destroyed (the values it sealed are erased)."""
    if key_id not in _record_keys:
        row = RecordKey.objects.filter(pk=key_id).first()
        if row is None:
            raise KeyProblem(f"record key {key_id} does not exist")
        _record_keys[key_id] = _unwrap_record(row)
    return _record_keys[key_id]


def destroy_record_keys(ids: Iterable[int]) -> int:
    """Destroy record keys: the values they sealed can never be read again (anywhere this database is
    copied after now). Returns how many were destroyed."""
    ids = list(ids)
    count = RecordKey.objects.filter(pk__in=ids, wrapped__isnull=False).update(
        wrapped=None, destroyed_at=timezone.now()
    )
    for key_id in ids:
        _record_keys[key_id] = None
    return count


# --- status --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyStatus:
    organisation: str
    version: int
    created_at: str
    retired: bool
    evidence_recipient: str
    evidence_key_on_server: bool
    record_keys: int
    destroyed_record_keys: int


def status() -> list[KeyStatus]:
    """Every organisation's key versions, newest first within each organisation."""
    rows = OrganisationKey.objects.select_related("organisation").order_by("organisation__code", "-version")
    out = []
    for row in rows:
        keys = RecordKey.objects.filter(organisation_id=row.organisation_id, key_version=row.version)
        out.append(
            KeyStatus(
                organisation=row.organisation.code,
                version=row.version,
                created_at=row.created_at.isoformat(timespec="seconds"),
                retired=row.retired_at is not None,
                evidence_recipient=row.evidence_recipient,
                evidence_key_on_server=row.evidence_identity is not None,
                record_keys=keys.filter(wrapped__isnull=False).count(),
                destroyed_record_keys=keys.filter(wrapped__isnull=True).count(),
            )
        )
    return out

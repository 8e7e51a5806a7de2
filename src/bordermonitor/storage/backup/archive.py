"""The backup file: one tar stream inside one age file, written and read as a stream.

The tar holds the database snapshot first, then the evidence store's files, then ``manifest.json`` (which lists
every member before it with its size and SHA-256) and last ``manifest.mac``, an HMAC of the manifest under a key
derived from the master key. The manifest comes last because a member's digest is known only once it has been
written: nothing is read twice and nothing is held whole in memory.

The age layer encrypts and authenticates every 64 KiB of the stream (a changed, cut or reordered byte stops the
reading at that chunk); the manifest's digests check that what was read is what the writer put in; the MAC
shows that the writer held the master key (age alone does not say who wrote a file: anyone who knows a
recipient's public key can make a file for it). No Django here.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import re
import tarfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bordermonitor.core.age import (
    AgeError,
    Identity,
    PayloadReader,
    PayloadWriter,
    Recipient,
    file_key_from_header,
    header_for,
    new_file_key,
    split,
)

__all__ = [
    "BACKUP_LABEL",
    "DATABASE_SQLITE",
    "DUMP_PREFIX",
    "EVIDENCE_PREFIX",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "MANIFEST_MAC",
    "SKIPPED_DIRECTORIES",
    "ArchiveWriter",
    "BackupDamaged",
    "BackupError",
    "KeyDoesNotOpen",
    "Manifest",
    "Member",
    "Reading",
    "backup_identity",
    "evidence_path",
    "first_mismatch",
    "manifest_mac",
    "master_key_id",
    "members",
    "read_manifest",
]

FORMAT = "bordermonitor-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_MAC = "manifest.mac"
DATABASE_SQLITE = "database/bordermonitor.sqlite3"
DUMP_PREFIX = "database/postgresql.dump."  # + a five-digit piece number
EVIDENCE_PREFIX = "evidence/"  # + the file's path in the evidence store
SKIPPED_DIRECTORIES = frozenset({"tmp"})
"""Directories of the evidence store that hold files being received or made: never backed up or restored."""
_DUMP_PIECE = re.compile(r"^database/postgresql\.dump\.[0-9]{5}$")
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
BACKUP_LABEL = b"bordermonitor backups v1"
_MAC_LABEL = b"bordermonitor backup manifest mac v1"
_ID_LABEL = b"bordermonitor master key id v1"
_COPY = 1 << 20
_MANIFEST_LIMIT = 256 << 20  # a manifest larger than this is not one we wrote


class BackupError(Exception):
    """A backup cannot be made or restored; the message says what and what to do."""


class BackupDamaged(BackupError):
    """The backup file was changed or damaged, or does not match its manifest: nothing is restored from it."""


class KeyDoesNotOpen(BackupDamaged):
    """The identity given is not one the backup was encrypted to (or the header that wraps its key was changed)."""


def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=label).derive(master)


def evidence_path(name: str) -> list[str] | None:
    """The parts of the evidence store path that member ``name`` restores to; None when it is not a file of
    the evidence store. Only plain names (letters, digits, '.', '_', '-'), never ``tmp`` directories."""
    if not name.startswith(EVIDENCE_PREFIX):
        return None
    parts = name[len(EVIDENCE_PREFIX) :].split("/")
    if not all(_PART.match(part) for part in parts) or any(p in SKIPPED_DIRECTORIES for p in parts[:-1]):
        return None
    return parts


def _known(name: str) -> bool:
    return name == DATABASE_SQLITE or bool(_DUMP_PIECE.match(name)) or evidence_path(name) is not None


def backup_identity(master: bytes) -> Identity:
    """The identity every backup is encrypted to: derived from the master key, so it is never stored."""
    return Identity.derive(master, BACKUP_LABEL)


def master_key_id(master: bytes) -> str:
    """A short name of the master key (it reveals nothing of the key), to tell which key a backup needs."""
    return _derive(master, _ID_LABEL)[:8].hex()


def manifest_mac(master: bytes, manifest: bytes) -> str:
    return hmac.new(_derive(master, _MAC_LABEL), manifest, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


class _Hashing:
    """Reads from ``source`` and hashes what it gives."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _tune(tar: tarfile.TarFile) -> None:
    """Copy members in 1 MiB blocks (tarfile's default is 16 KiB)."""
    cast(Any, tar).copybufsize = _COPY


def _forget(tar: tarfile.TarFile) -> None:
    """Drop the entries a streamed tar file remembers (it keeps every one, so memory would grow with the
    evidence store); nothing reads them back in stream mode."""
    cast(Any, tar).members.clear()


class ArchiveWriter:
    """Writes the encrypted tar stream into ``out`` (which need not be seekable: a pipe will do)."""

    def __init__(
        self, out: IO[bytes], recipients: Sequence[Recipient], *, mtime: float | None = None
    ) -> None:
        if not recipients:
            raise ValueError("a backup needs at least one recipient")
        file_key = new_file_key()
        out.write(header_for(file_key, recipients))
        self._payload = PayloadWriter(file_key, out)
        self._tar = tarfile.open(fileobj=cast(IO[bytes], self._payload), mode="w|", format=tarfile.PAX_FORMAT)
        _tune(self._tar)
        self._mtime = int(time.time() if mtime is None else mtime)
        self.members: list[Member] = []
        self._names: set[str] = set()

    @property
    def written(self) -> int:
        """Encrypted bytes written so far (the header excepted)."""
        return int(self._payload.written)

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        if name in self._names or name in (MANIFEST, MANIFEST_MAC):
            raise ValueError(f"{name} is already in the backup")
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode, info.type = size, self._mtime, 0o600, tarfile.REGTYPE
        return info

    def add_stream(self, name: str, source: IO[bytes], size: int) -> Member:
        """Add ``size`` bytes read from ``source`` as ``name``, hashing them on the way."""
        hashing = _Hashing(source)
        self._tar.addfile(self._info(name, size), cast(IO[bytes], hashing))  # read() is all it uses
        member = Member(name, size, hashing.digest.hexdigest())
        self._names.add(name)
        self.members.append(member)
        _forget(self._tar)
        return member

    def add_bytes(self, name: str, data: bytes) -> Member:
        return self.add_stream(name, io.BytesIO(data), len(data))

    def add_file(self, name: str, path: Path) -> Member | None:
        """Add the file at ``path``; None when it is not there (removed meanwhile). Opened first, so a file
        removed after that point is still read whole."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            size = os.fstat(handle.fileno()).st_size
            return self.add_stream(name, handle, size)

    def finish(self, manifest: dict[str, Any], master: bytes) -> bytes:
        """Write the manifest (with the members written so far) and its MAC, and seal the stream. Returns the
        manifest's bytes."""
        document = {**manifest, "members": [member.as_json() for member in self.members]}
        data = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        for name, content in ((MANIFEST, data), (MANIFEST_MAC, manifest_mac(master, data).encode("ascii"))):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(content), self._mtime, 0o600
            self._tar.addfile(info, io.BytesIO(content))
        self._tar.close()
        self._payload.close()
        return data


# --- reading -------------------------------------------------------------------------------------------------


class _Window(io.RawIOBase):
    """The part of a file from ``start`` to its end, as a file of its own (the age payload after its header)."""

    def __init__(self, raw: IO[bytes], start: int) -> None:
        super().__init__()
        self._raw, self._start = raw, start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            return self._raw.seek(self._start + offset) - self._start
        return self._raw.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._raw.tell() - self._start

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def _opened(path: Path, identity: Identity) -> Iterator[tarfile.TarFile]:
    try:
        raw = path.open("rb")
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error.strerror}") from None
    with raw:
        try:
            header = split(raw)
        except AgeError as error:
            raise BackupDamaged(f"{path} is not an age file or its header is damaged: {error}") from None
        try:
            file_key = file_key_from_header(header, identity=identity)
        except AgeError as error:
            raise KeyDoesNotOpen(
                f"{path} cannot be opened: {error}. It is not a backup made for this key, or it was changed"
            ) from None
        try:
            reader = PayloadReader(file_key, cast(IO[bytes], _Window(raw, len(header))))
        except AgeError as error:
            raise BackupDamaged(f"{path} is damaged: {error}") from None
        with io.BufferedReader(reader, _COPY) as plain:
            try:
                with tarfile.open(fileobj=plain, mode="r|") as tar:
                    _tune(tar)
                    yield tar
            except AgeError as error:
                raise BackupDamaged(f"{path} was changed or damaged: {error}") from None
            except (tarfile.TarError, EOFError) as error:
                raise BackupDamaged(f"{path} does not hold a readable archive: {error}") from None


class _Guarded:
    """A member's stream whose damage (a chunk that does not authenticate, a cut archive) is
    :class:`BackupDamaged`, wherever it is read from."""

    def __init__(self, stream: IO[bytes], path: Path) -> None:
        self._stream, self._path = stream, path

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except AgeError as error:
            raise BackupDamaged(f"{self._path} was changed or damaged: {error}") from None
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupDamaged(f"{self._path} is cut short or damaged: {error}") from None


@dataclass(frozen=True, slots=True)
class Reading:
    """One member being read: its name, its size, and a stream of its bytes (valid until the next member)."""

    name: str
    size: int
    stream: IO[bytes]


def members(path: Path, identity: Identity) -> Iterator[Reading]:
    """The members of the backup at ``path``, in order, decrypted as they are read. Raises
    :class:`BackupDamaged` as soon as a damaged byte is reached, or at an entry that is not a plain file with a
    name of the format (nothing can name a path outside the evidence store)."""
    with _opened(path, identity) as tar:
        for info in tar:
            if not info.isreg():
                raise BackupDamaged(f"{path} holds an entry that is not a plain file: {info.name!r}")
            if info.name not in (MANIFEST, MANIFEST_MAC) and not _known(info.name):
                raise BackupDamaged(
                    f"{path} holds an entry that is neither the database nor a file of the evidence store:"
                    f" {info.name!r}"
                )
            stream = tar.extractfile(info)
            if stream is None:  # pragma: no cover - a regular file always has a stream
                raise BackupDamaged(f"{path}: {info.name!r} cannot be read")
            yield Reading(info.name, info.size, cast(IO[bytes], _Guarded(stream, path)))
            _forget(tar)


@dataclass(frozen=True, slots=True)
class Manifest:
    data: dict[str, Any]
    raw: bytes
    mac: str

    @property
    def members(self) -> list[Member]:
        return [Member(m["name"], int(m["size"]), m["sha256"]) for m in self.data["members"]]


def _hash(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_COPY):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def read_manifest(path: Path, identity: Identity) -> Manifest:
    """Read the whole backup once, writing nothing: every member's SHA-256 is computed and compared with the
    manifest's, and the first that differs (or is missing, or is not listed) is named in
    :class:`BackupDamaged`. Returns the manifest (its MAC is checked by the caller, who holds the master key)."""
    seen: list[Member] = []
    manifest: bytes | None = None
    mac: str | None = None
    for reading in members(path, identity):
        if mac is not None:
            raise BackupDamaged(f"{path} has entries after its manifest ({reading.name!r})")
        if reading.name == MANIFEST:
            if manifest is not None or reading.size > _MANIFEST_LIMIT:
                raise BackupDamaged(f"{path} holds a second or oversized manifest")
            manifest = reading.stream.read()
        elif reading.name == MANIFEST_MAC:
            mac = reading.stream.read(200).decode("ascii", "replace").strip()
        elif manifest is not None:
            raise BackupDamaged(f"{path} has entries after its manifest ({reading.name!r})")
        else:
            sha256, size = _hash(reading.stream)
            seen.append(Member(reading.name, size, sha256))
    if manifest is None or mac is None:
        raise BackupDamaged(f"{path} ends before its manifest: it is incomplete")
    try:
        data = json.loads(manifest)
        listed = Manifest(data, manifest, mac).members
    except (ValueError, KeyError, TypeError) as error:
        raise BackupDamaged(f"{path}: the manifest is not readable ({error})") from None
    if data.get("format") != FORMAT:
        raise BackupDamaged(f"{path} is not a bordermonitor backup")
    if data.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format version {data.get('version')}; this version of bordermonitor reads "
            f"version {FORMAT_VERSION}"
        )
    mismatch = first_mismatch(seen, listed)
    if mismatch is not None:
        raise BackupDamaged(f"{path}: {mismatch}")
    return Manifest(data, manifest, mac)


def first_mismatch(found: Sequence[Member], listed: Sequence[Member]) -> str | None:
    """The first difference between the members read and those the manifest lists, as a sentence."""
    for position, member in enumerate(found):
        if position >= len(listed):
            return f"{member.name} is in the backup but not in its manifest"
        expected = listed[position]
        if member.name != expected.name:
            return f"{member.name} is where the manifest lists {expected.name}"
        if member.sha256 != expected.sha256 or member.size != expected.size:
            return (
                f"{member.name} has SHA-256 {member.sha256} ({member.size} bytes); the manifest says "
                f"{expected.sha256} ({expected.size} bytes)"
            )
    if len(listed) > len(found):
        return f"{listed[len(found)].name} is listed in the manifest but missing from the backup"
    return None

"""The evidence store: every file encrypted at rest, write-once, addressed by the SHA-256 of its encrypted form.

Each file gets a random key of its own. Its bytes are encrypted as they arrive into an age payload
(:mod:`bordermonitor.core.age`: ChaCha20-Poly1305 in 64 KiB chunks, each authenticated) in the store's own
``tmp`` directory, while two digests are taken: the SHA-256 of the bytes **as received** (the custody digest,
before anything else looks at them) and the SHA-256 of the encrypted payload, the **blob** name. The file key
is wrapped to a recipient (an organisation's public key) in an age **header**, which the caller keeps in the
database; ``header + payload`` is a standard age file. Nothing but ciphertext is ever written to disk.

A payload is linked to ``blobs/ab/cd/<blob>`` with an exclusive create, so an existing file is never replaced,
and made read-only. Paths are built from the digest only (64 hexadecimal characters), so no input can name a
path outside the store.

Reading: :meth:`FileStore.verify` decrypts a whole file while hashing both its encrypted and its decrypted
bytes and raises :class:`IntegrityError` unless the blob is intact and its plaintext has the recorded SHA-256;
:meth:`FileStore.open` then gives the plaintext as a seekable stream (each chunk authenticated again as it is
read). The store never holds an identity: callers unwrap the file key from the header.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, cast

from bordermonitor.core.age import (
    CHUNK,
    AgeError,
    Identity,
    PayloadReader,
    PayloadWriter,
    Recipient,
    file_key_from_header,
    header_for,
    new_file_key,
)

__all__ = [
    "DigestMismatch",
    "FileStore",
    "IntegrityError",
    "Sealed",
    "Sealing",
    "StoreError",
    "unwrap_file_key",
]

_HEX = re.compile(r"^[0-9a-f]{64}$")
_READ = 1 << 20

Observe = Callable[[bytes, int], None]
Approve = Callable[[IO[bytes], str, int], None]


class StoreError(Exception):
    """The file store cannot do what was asked; the message says what and where."""


class DigestMismatch(StoreError):
    """The received bytes do not have the SHA-256 the source stated; nothing was stored."""

    def __init__(self, expected: str, actual: str) -> None:
        self.expected, self.actual = expected, actual
        super().__init__(f"SHA-256 is {actual}, not {expected} as stated")


class IntegrityError(StoreError):
    """A stored file failed its check: missing, changed, truncated, swapped, or not the recorded bytes.

    ``what`` says which check failed, in plain words and without any of the file's content."""

    def __init__(self, blob: str, what: str) -> None:
        self.blob, self.what = blob, what
        super().__init__(f"encrypted file {blob}: {what}")


@dataclass(frozen=True, slots=True)
class Sealed:
    """A file encrypted into the store."""

    sha256: str  # of the bytes as received (the plaintext)
    size: int  # plaintext bytes
    blob: str  # SHA-256 of the encrypted payload: its name in the store
    key_header: bytes  # the age header that wraps the file key to the recipient
    created: bool  # False: a payload with these exact bytes was already there (it was kept, not replaced)
    file_key: bytes = field(repr=False, compare=False)  # in memory only, to make copies right away


def unwrap_file_key(key_header: bytes, identity: Identity, *, blob: str = "?") -> bytes:
    """The file key wrapped in ``key_header``; :class:`IntegrityError` if the header was changed or is not
    for this identity (an intact header always opens with the identity of the key version it records)."""
    try:
        return file_key_from_header(bytes(key_header), identity=identity)
    except AgeError as error:
        raise IntegrityError(blob, f"its key header does not open ({error})") from None


class _HashingWriter:
    """Writes to ``out`` and hashes what passes (the encrypted payload's digest is its name)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.digest = out, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)


class _HashingRaw(io.RawIOBase):
    """A read-only view of a file that hashes its bytes while they are read in order from the start (as a
    :class:`PayloadReader` reads them when a file is decrypted from beginning to end)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._position = 0
        self.hashed = 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._position = self._raw.seek(offset, whence)
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        if self._position == self.hashed:
            self.digest.update(data)
            self.hashed += count
        self._position += count
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


class Sealing:
    """One file being encrypted into the store: :meth:`write` its bytes as they arrive, then :meth:`finish`.

    ``observe(chunk, size_so_far)`` sees each chunk after the digest took it and may raise to refuse the file
    early; :meth:`finish` may run ``approve(plaintext, sha256, size)`` over the complete file, read back
    decrypted from the temporary payload (a seekable stream), before it joins the store. Whatever is raised,
    or :meth:`abort`, deletes the temporary payload: a refused file leaves nothing. Used as a context manager,
    a sealing left unfinished is aborted.
    """

    def __init__(self, store: FileStore, recipient: Recipient, *, observe: Observe | None = None) -> None:
        self._store, self._recipient, self._observe = store, recipient, observe
        store.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=store.tmp, prefix="incoming-")
        self._tmp = Path(name)
        self._out: IO[bytes] | None = os.fdopen(fd, "wb")
        self._cipher = _HashingWriter(self._out)
        self._file_key = new_file_key()
        self._writer = PayloadWriter(self._file_key, cast(IO[bytes], self._cipher))
        self._digest = hashlib.sha256()
        self.size = 0
        self._done = False

    def write(self, chunk: bytes) -> None:
        if self._done or self._out is None:
            raise StoreError("this file was already sealed or abandoned")
        try:
            self._digest.update(chunk)
            self.size += len(chunk)
            if self._observe is not None:
                self._observe(chunk, self.size)
            self._writer.write(chunk)
        except BaseException:
            self.abort()
            raise

    def reader(self) -> IO[bytes]:
        """The plaintext of the payload written so far (call after :meth:`seal_payload`)."""
        return io.BufferedReader(PayloadReader(self._file_key, self._tmp.open("rb")), buffer_size=CHUNK)

    def seal_payload(self) -> None:
        """Seal the last chunk and put the payload on disk (no more writes)."""
        if self._out is None:
            raise StoreError("this file was already sealed or abandoned")
        self._writer.close()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        self._out = None

    def finish(self, *, expected_sha256: str | None = None, approve: Approve | None = None) -> Sealed:
        """Check the file (stated digest, ``approve``) and link it into the store."""
        try:
            if self._out is not None:
                self.seal_payload()
            sha256 = self._digest.hexdigest()
            if expected_sha256 is not None and sha256 != expected_sha256.lower():
                raise DigestMismatch(expected_sha256.lower(), sha256)
            if approve is not None:
                with self.reader() as plaintext:
                    approve(plaintext, sha256, self.size)
            blob = self._cipher.digest.hexdigest()
            created = self._store._link(self._tmp, blob)
            header = header_for(self._file_key, [self._recipient])
            self._done = True
            return Sealed(sha256, self.size, blob, header, created, self._file_key)
        finally:
            self.abort()

    def abort(self) -> None:
        """Forget the file: its temporary payload is deleted (a finished one is in the store already)."""
        if self._out is not None:
            self._out.close()
            self._out = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> Sealing:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.abort()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.tmp = root / "tmp"

    def path_for(self, blob: str) -> Path:
        if not isinstance(blob, str) or not _HEX.match(blob):
            raise StoreError(f"{blob!r} is not a SHA-256 digest")
        return self.blobs / blob[:2] / blob[2:4] / blob

    def exists(self, blob: str) -> bool:
        return self.path_for(blob).is_file()

    def _link(self, tmp: Path, blob: str) -> bool:
        final = self.path_for(blob)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o444)
        try:
            os.link(tmp, final)  # fails if it exists: a stored file is never replaced
        except FileExistsError:
            return False
        directory = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return True

    # --- sealing ---------------------------------------------------------------------------------------------

    def sealing(self, recipient: Recipient, *, observe: Observe | None = None) -> Sealing:
        """A file to be written chunk by chunk (uploads: each chunk as the request delivers it)."""
        return Sealing(self, recipient, observe=observe)

    def seal(
        self,
        source: IO[bytes],
        *,
        recipient: Recipient,
        expected_sha256: str | None = None,
        observe: Observe | None = None,
        approve: Approve | None = None,
    ) -> Sealed:
        """Encrypt the bytes read from ``source`` into the store; raise :class:`DigestMismatch` (storing
        nothing) if they are not the ``expected_sha256``, or whatever ``observe``/``approve`` raise."""
        with self.sealing(recipient, observe=observe) as sealing:
            while chunk := source.read(CHUNK):  # the encryption's own chunk size
                sealing.write(chunk)
            return sealing.finish(expected_sha256=expected_sha256, approve=approve)

    def seal_bytes(self, data: bytes, *, recipient: Recipient) -> Sealed:
        """Seal bytes already in memory (working copies, thumbnails)."""
        return self.seal(io.BytesIO(data), recipient=recipient)

    def seal_path(
        self,
        path: Path,
        *,
        recipient: Recipient,
        expected_sha256: str | None = None,
        approve: Approve | None = None,
    ) -> Sealed:
        with path.open("rb") as handle:
            return self.seal(handle, recipient=recipient, expected_sha256=expected_sha256, approve=approve)

    # --- reading ---------------------------------------------------------------------------------------------

    def cipher_digest(self, blob: str) -> str:
        """The SHA-256 of the encrypted file stored as ``blob`` (equal to ``blob`` when it is intact)."""
        path = self.path_for(blob)
        if not path.is_file():
            raise IntegrityError(blob, "it is missing from the store")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(_READ):
                digest.update(chunk)
        return digest.hexdigest()

    def check_cipher(self, blob: str) -> None:
        """Check what needs no key: the file is there and its encrypted bytes are still the ones named."""
        if self.cipher_digest(blob) != blob:
            raise IntegrityError(
                blob, "its encrypted bytes were changed (their SHA-256 is no longer its name)"
            )

    def verify(self, blob: str, file_key: bytes, sha256: str) -> None:
        """Decrypt the whole file, checking its encrypted bytes (their SHA-256 is the name), every chunk's
        authentication, and that the plaintext's SHA-256 is ``sha256``; :class:`IntegrityError` otherwise."""
        path = self.path_for(blob)
        if not path.is_file():
            raise IntegrityError(blob, "it is missing from the store")
        plain = hashlib.sha256()
        hashing = _HashingRaw(path.open("rb"))
        try:
            reader = PayloadReader(file_key, cast(IO[bytes], hashing))
            while chunk := reader.read(CHUNK):
                plain.update(chunk)
            complete = hashing.hashed == path.stat().st_size
            cipher = hashing.digest.hexdigest()
        except AgeError as error:
            self.check_cipher(blob)  # a changed or truncated file is named as such
            raise IntegrityError(blob, f"it does not decrypt ({error})") from None
        finally:
            hashing.close()
        if not complete:
            cipher = self.cipher_digest(blob)
        if cipher != blob:
            raise IntegrityError(
                blob, "its encrypted bytes were changed (their SHA-256 is no longer its name)"
            )
        if plain.hexdigest() != sha256:
            raise IntegrityError(blob, "its decrypted bytes do not have the SHA-256 recorded for it")

    def open(self, blob: str, file_key: bytes) -> IO[bytes]:
        """The plaintext of ``blob`` as a seekable stream (the caller closes it). Every chunk is authenticated
        as it is read; call :meth:`verify` first to know the whole file is the recorded one."""
        path = self.path_for(blob)
        if not path.is_file():
            raise IntegrityError(blob, "it is missing from the store")
        try:
            return io.BufferedReader(PayloadReader(file_key, path.open("rb")), buffer_size=CHUNK)
        except AgeError as error:
            raise IntegrityError(blob, f"it does not decrypt ({error})") from None

    def open_verified(self, blob: str, file_key: bytes, sha256: str) -> IO[bytes]:
        """:meth:`verify`, then :meth:`open`: the file is read twice, and served only once it checked."""
        self.verify(blob, file_key, sha256)
        return self.open(blob, file_key)

    def blob_names(self) -> Iterator[str]:
        """The name of every file in the store (anything that is not a digest is named as found)."""
        if not self.blobs.is_dir():
            return
        for path in sorted(self.blobs.rglob("*")):
            if path.is_file():
                yield path.name

    # --- stores of earlier versions --------------------------------------------------------------------------

    def plaintext_path(self, sha256: str, *, derivative: bool = False) -> Path:
        """Where an earlier version (before encryption at rest) kept a file: ``originals/ab/cd/<sha256>``,
        and ``derivatives/originals/ab/cd/<sha256>`` for working copies and thumbnails."""
        if not _HEX.match(sha256):
            raise StoreError(f"{sha256!r} is not a SHA-256 digest")
        base = self.root / "derivatives" if derivative else self.root
        return base / "originals" / sha256[:2] / sha256[2:4] / sha256

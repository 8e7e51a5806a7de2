"""The sealed store of evidence originals: write-once, addressed by the SHA-256 of the received bytes.

The digest is computed on the bytes as they arrive, before anything else looks at them. A file is written to a
temporary name in the store's own directory, then linked to ``originals/ab/cd/<sha256>`` with an exclusive
create, so an existing original is never overwritten, and made read-only. Paths are built from the digest
only (64 hexadecimal characters), so no input can name a path outside the store.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["DigestMismatch", "FileStore", "SealedFile", "StoreError"]

_HEX = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


class StoreError(Exception):
    """The file store cannot do what was asked; the message says what and where."""


class DigestMismatch(StoreError):
    """The received bytes do not have the SHA-256 the source stated; nothing was stored."""

    def __init__(self, expected: str, actual: str) -> None:
        self.expected, self.actual = expected, actual
        super().__init__(f"SHA-256 is {actual}, not {expected} as stated")


@dataclass(frozen=True, slots=True)
class SealedFile:
    sha256: str
    size: int
    created: bool  # False: an identical original was already sealed


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.originals = root / "originals"
        self._tmp = root / "tmp"

    def path_for(self, sha256: str) -> Path:
        if not _HEX.match(sha256):
            raise StoreError(f"{sha256!r} is not a SHA-256 digest")
        return self.originals / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def seal(self, source: IO[bytes], *, expected_sha256: str | None = None) -> SealedFile:
        """Store the bytes read from ``source``; raise :class:`DigestMismatch` (storing nothing) if they are
        not the ``expected_sha256``."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            if expected_sha256 is not None and sha256 != expected_sha256.lower():
                raise DigestMismatch(expected_sha256.lower(), sha256)
            final = self.path_for(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)
            try:
                os.link(tmp, final)  # fails if it exists: an original is never replaced
            except FileExistsError:
                return SealedFile(sha256, size, created=False)
            return SealedFile(sha256, size, created=True)
        finally:
            tmp.unlink(missing_ok=True)

    def seal_checked(
        self,
        source: IO[bytes],
        *,
        observe: Callable[[bytes, int], None],
        approve: Callable[[Path, str, int], None],
    ) -> SealedFile:
        """Like :meth:`seal`, with two gates that may raise to refuse the file (nothing is then stored).

        ``observe(chunk, size_so_far)`` sees each chunk as it is received (after the digest took it), so a
        caller can stop an oversized or wrongly typed upload early; ``approve(path, sha256, size)`` looks at
        the complete temporary file before it is linked into the store. The digest is still that of the
        bytes as received; the temporary file never leaves the store's own ``tmp`` directory.
        """
        self._tmp.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    observe(chunk, size)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            os.chmod(tmp, 0o444)
            approve(tmp, sha256, size)
            final = self.path_for(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(tmp, final)  # fails if it exists: an original is never replaced
            except FileExistsError:
                return SealedFile(sha256, size, created=False)
            return SealedFile(sha256, size, created=True)
        finally:
            tmp.unlink(missing_ok=True)

    def seal_bytes(self, data: bytes) -> SealedFile:
        """Seal bytes already in memory (small derivatives such as thumbnails)."""
        return self.seal(io.BytesIO(data))

    def size_of(self, sha256: str) -> int:
        path = self.path_for(sha256)
        if not path.is_file():
            raise StoreError(f"original {sha256} is not in the store at {self.originals}")
        return path.stat().st_size

    def seal_path(self, path: Path, *, expected_sha256: str | None = None) -> SealedFile:
        with path.open("rb") as handle:
            return self.seal(handle, expected_sha256=expected_sha256)

    @contextmanager
    def open(self, sha256: str) -> Iterator[IO[bytes]]:
        """Read an original. (The re-check of its digest on every read is added with encryption at rest.)"""
        path = self.path_for(sha256)
        if not path.is_file():
            raise StoreError(f"original {sha256} is not in the store at {self.originals}")
        with path.open("rb") as handle:
            yield handle

"""A key pair for store-level tests (no database): files are encrypted to ``RECIPIENT`` and read back with
``IDENTITY`` through the store's own reading path."""

from __future__ import annotations

from bordermonitor.core.age import Identity
from bordermonitor.evidence.store import FileStore, unwrap_file_key

IDENTITY = Identity.generate()
RECIPIENT = IDENTITY.recipient


def plaintext(store: FileStore, blob: str, key_header: bytes, sha256: str) -> bytes:
    """The checked plaintext of ``blob``: decrypted whole and compared with ``sha256`` before it is read."""
    with store.open_verified(blob, unwrap_file_key(key_header, IDENTITY), sha256) as stream:
        return stream.read()

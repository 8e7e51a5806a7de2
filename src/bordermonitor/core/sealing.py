"""Small secrets sealed with a key: wrapped keys and encrypted database values.

ChaCha20-Poly1305 with a random 96-bit nonce and associated data that names what the value is (a label such
as ``"report.narrative_text"``), so a sealed value moved to another field or record does not open. Keys are
random 32 bytes; each record has its own (``storage.keys``), so a key seals few values and random nonces are
safe.

A sealed database value is text: ``bm1.<key id>.<base64url(nonce ‖ ciphertext)>``. The key id says which
record key opens it; destroying that key (erasure) makes every value sealed with it unreadable.
"""

from __future__ import annotations

import base64
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

__all__ = ["SealError", "is_sealed_text", "key_id_of", "new_key", "open_text", "seal", "seal_text", "unseal"]

_NONCE = 12
_TEXT = re.compile(r"^bm1\.(\d+)\.([A-Za-z0-9_-]+)$")


class SealError(Exception):
    """A sealed value does not open with this key: the wrong key, or the value was changed."""


def new_key() -> bytes:
    return os.urandom(32)


def seal(key: bytes, plaintext: bytes, label: str) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, label.encode())


def unseal(key: bytes, sealed: bytes, label: str) -> bytes:
    try:
        return ChaCha20Poly1305(key).decrypt(sealed[:_NONCE], sealed[_NONCE:], label.encode())
    except (InvalidTag, ValueError):
        raise SealError(f"the sealed {label} does not open with this key (wrong key, or changed)") from None


def seal_text(key: bytes, key_id: int, text: str, label: str) -> str:
    sealed = seal(key, text.encode("utf-8"), f"{label}#{key_id}")
    return f"bm1.{key_id}.{base64.urlsafe_b64encode(sealed).decode().rstrip('=')}"


def is_sealed_text(value: str) -> bool:
    return _TEXT.match(value) is not None


def key_id_of(value: str) -> int:
    match = _TEXT.match(value)
    if match is None:
        raise SealError("not a sealed value")
    return int(match.group(1))


def open_text(key: bytes, value: str, label: str) -> str:
    match = _TEXT.match(value)
    if match is None:
        raise SealError("not a sealed value")
    body = match.group(2)
    sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return unseal(key, sealed, f"{label}#{match.group(1)}").decode("utf-8")

"""Files encrypted in the age format (https://age-encryption.org/v1), so any original can be opened, years from
now and without this software, with the standard ``age`` tool and the organisation's identity file.

An age file is a text **header** (the random 16-byte file key, wrapped once per recipient, and a MAC) followed
by the binary **payload**: a 16-byte nonce, then the bytes in 64 KiB chunks, each sealed with
ChaCha20-Poly1305 under a key derived from the file key; the last chunk is marked, so a truncated file does
not decrypt. The evidence store keeps the payload as a file and the header in the database (whoever destroys
the header destroys the only way to the file key); ``header + payload`` is a complete age file.

Recipients are X25519 public keys (``age1…``); the scrypt recipient (a passphrase) protects identity files
that an organisation keeps offline. Only the primitives of the ``cryptography`` package are used; the
format, byte for byte, is age's, and the tests check it against the ``age`` command.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

__all__ = [
    "CHUNK",
    "AgeError",
    "Identity",
    "PayloadReader",
    "PayloadWriter",
    "Recipient",
    "decrypt_bytes",
    "encrypt_bytes",
    "file_key_from_header",
    "header_for",
    "new_file_key",
    "payload_size",
    "split",
]

INTRO = b"age-encryption.org/v1\n"
CHUNK = 64 * 1024
_TAG = 16
_NONCE = 16
_ZERO_NONCE = bytes(12)
_X25519_LABEL = b"age-encryption.org/v1/X25519"
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
SCRYPT_WORK_FACTOR = 18  # log2(N); age's default


class AgeError(Exception):
    """The data is not a valid age file for this key, or was changed after it was sealed."""


# --- bech32 (BIP 173), the text form of age keys -------------------------------------------------------------

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: Sequence[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert(data: Sequence[int], source: int, target: int, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    for value in data:
        acc = (acc << source) | value
        bits += source
        while bits >= target:
            bits -= target
            out.append((acc >> bits) & ((1 << target) - 1))
    if pad and bits:
        out.append((acc << (target - bits)) & ((1 << target) - 1))
    elif not pad and (bits >= source or (acc << (target - bits)) & ((1 << target) - 1)):
        raise AgeError("invalid padding in key")
    return out


def _bech32_encode(hrp: str, data: bytes) -> str:
    words = _convert(data, 8, 5, True)
    polymod = _polymod(_hrp_expand(hrp) + words + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[w] for w in words + checksum)


def _bech32_decode(text: str, hrp: str) -> bytes:
    lower = text.strip().lower()
    position = lower.rfind("1")
    if lower[:position] != hrp or position < 1 or len(lower) - position < 7:
        raise AgeError(f"not an age key starting with {hrp!r}")
    try:
        words = [_CHARSET.index(c) for c in lower[position + 1 :]]
    except ValueError:
        raise AgeError("the key contains a character that is not bech32") from None
    if _polymod(_hrp_expand(hrp) + words) != 1:
        raise AgeError("the key's checksum is wrong (mistyped or damaged)")
    return bytes(_convert(words[:-6], 5, 8, False))


# --- keys ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """An X25519 public key: files can be encrypted to it, not opened with it."""

    public: bytes

    @classmethod
    def parse(cls, text: str) -> Recipient:
        public = _bech32_decode(text, "age")
        if len(public) != 32:
            raise AgeError("an age recipient holds 32 bytes")
        return cls(public)

    def __str__(self) -> str:
        return _bech32_encode("age", self.public)


@dataclass(frozen=True, slots=True)
class Identity:
    """An X25519 private key (``AGE-SECRET-KEY-1…``): opens files encrypted to its recipient."""

    secret: bytes

    @classmethod
    def generate(cls) -> Identity:
        key = X25519PrivateKey.generate()
        return cls(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @classmethod
    def derive(cls, seed: bytes, label: bytes) -> Identity:
        """A deterministic identity from a secret seed (the same seed and label always give the same key)."""
        return cls(HKDF(hashes.SHA256(), 32, salt=None, info=label).derive(seed))

    @classmethod
    def parse(cls, text: str) -> Identity:
        """The identity in an identity file (comment lines starting with '#' are skipped)."""
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                secret = _bech32_decode(line, "age-secret-key-")
                if len(secret) != 32:
                    raise AgeError("an age identity holds 32 bytes")
                return cls(secret)
        raise AgeError("no AGE-SECRET-KEY-1… line in the identity file")

    @property
    def recipient(self) -> Recipient:
        key = X25519PrivateKey.from_private_bytes(self.secret)
        return Recipient(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def __str__(self) -> str:
        return _bech32_encode("age-secret-key-", self.secret).upper()

    def __repr__(self) -> str:  # never print a secret by accident
        return f"Identity(recipient={self.recipient})"


def new_file_key() -> bytes:
    return os.urandom(16)


# --- header --------------------------------------------------------------------------------------------------


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    if b"=" in text or b"\n" in text:
        raise AgeError("header is not canonical base64")
    try:
        return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise AgeError("header is not base64") from None


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=salt, info=info).derive(ikm)


def _stanza(kind: bytes, args: Sequence[bytes], body: bytes) -> bytes:
    encoded = _b64(body)
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    if not lines or len(lines[-1]) == 64:
        lines.append(b"")
    return b"-> " + b" ".join([kind, *args]) + b"\n" + b"".join(line + b"\n" for line in lines)


def _x25519_stanza(file_key: bytes, recipient: Recipient) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.public))
    wrap = _hkdf(shared, share + recipient.public, _X25519_LABEL)
    return _stanza(b"X25519", [_b64(share)], ChaCha20Poly1305(wrap).encrypt(_ZERO_NONCE, file_key, None))


def _scrypt_key(passphrase: str, salt: bytes, work_factor: int) -> bytes:
    return Scrypt(salt=_SCRYPT_LABEL + salt, length=32, n=1 << work_factor, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )


def _scrypt_stanza(file_key: bytes, passphrase: str, work_factor: int) -> bytes:
    salt = os.urandom(16)
    wrap = _scrypt_key(passphrase, salt, work_factor)
    body = ChaCha20Poly1305(wrap).encrypt(_ZERO_NONCE, file_key, None)
    return _stanza(b"scrypt", [_b64(salt), str(work_factor).encode()], body)


def _mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    key = _hkdf(file_key, b"", b"header")
    return hmac.new(key, header_without_mac, hashlib.sha256).digest()


def header_for(
    file_key: bytes,
    recipients: Sequence[Recipient] = (),
    *,
    passphrase: str | None = None,
    work_factor: int = SCRYPT_WORK_FACTOR,
) -> bytes:
    """The header that wraps ``file_key`` to each recipient (or, alone, to a passphrase)."""
    if passphrase is not None and recipients:
        raise ValueError("a passphrase-protected age file has no other recipient")
    if passphrase is None and not recipients:
        raise ValueError("an age file needs at least one recipient")
    stanzas = (
        [_scrypt_stanza(file_key, passphrase, work_factor)]
        if passphrase is not None
        else [_x25519_stanza(file_key, r) for r in recipients]
    )
    head = INTRO + b"".join(stanzas) + b"---"
    return head + b" " + _b64(_mac(file_key, head)) + b"\n"


@dataclass(frozen=True, slots=True)
class _Stanza:
    kind: bytes
    args: list[bytes]
    body: bytes


def _parse_header(stream: IO[bytes]) -> tuple[list[_Stanza], bytes, bytes]:
    """Stanzas, the header bytes the MAC covers, and the MAC."""
    intro = stream.readline(len(INTRO) + 1)
    if intro != INTRO:
        raise AgeError("not an age file (it does not start with age-encryption.org/v1)")
    covered = bytearray(intro)
    stanzas: list[_Stanza] = []
    while True:
        line = stream.readline(4096)
        if not line.endswith(b"\n"):
            raise AgeError("the age header ends early")
        if line.startswith(b"--- "):
            covered += b"---"
            return stanzas, bytes(covered), _unb64(line[4:-1])
        if not line.startswith(b"-> "):
            raise AgeError("malformed age header line")
        covered += line
        kind, *args = line[3:-1].split(b" ")
        body = bytearray()
        while True:
            body_line = stream.readline(66)
            if not body_line.endswith(b"\n") or len(body_line) > 65:
                raise AgeError("malformed age stanza body")
            covered += body_line
            body += body_line[:-1]
            if len(body_line) < 65:
                break
        stanzas.append(_Stanza(kind, args, _unb64(bytes(body))))


def _unwrap(stanza: _Stanza, identity: Identity | None, passphrase: str | None) -> bytes | None:
    if stanza.kind == b"X25519" and identity is not None and len(stanza.args) == 1:
        share = _unb64(stanza.args[0])
        private = X25519PrivateKey.from_private_bytes(identity.secret)
        shared = private.exchange(X25519PublicKey.from_public_bytes(share))
        wrap = _hkdf(shared, share + identity.recipient.public, _X25519_LABEL)
    elif stanza.kind == b"scrypt" and passphrase is not None and len(stanza.args) == 2:
        work_factor = int(stanza.args[1])
        if not 1 <= work_factor <= 22:
            raise AgeError(f"scrypt work factor {work_factor} is out of range")
        wrap = _scrypt_key(passphrase, _unb64(stanza.args[0]), work_factor)
    else:
        return None
    try:
        return ChaCha20Poly1305(wrap).decrypt(_ZERO_NONCE, stanza.body, None)
    except InvalidTag:
        return None


def file_key_from_header(
    header: bytes | IO[bytes], *, identity: Identity | None = None, passphrase: str | None = None
) -> bytes:
    """The file key, unwrapped with the identity (or passphrase); the header's MAC is checked."""
    stream = io.BytesIO(header) if isinstance(header, bytes) else header
    stanzas, covered, mac = _parse_header(stream)
    for stanza in stanzas:
        file_key = _unwrap(stanza, identity, passphrase)
        if file_key is not None:
            if not hmac.compare_digest(_mac(file_key, covered), mac):
                raise AgeError("the age header was changed (its MAC does not match)")
            return file_key
    raise AgeError("this key cannot open the file (no matching recipient, or a wrong passphrase)")


def split(data: IO[bytes]) -> bytes:
    """Read a complete age file's header from ``data``, leaving it positioned at the payload."""
    start = data.tell()
    _parse_header(data)
    end = data.tell()
    data.seek(start)
    header = data.read(end - start)
    return header


# --- payload -------------------------------------------------------------------------------------------------


def _chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class PayloadWriter:
    """Encrypts what is written to it into ``out`` as an age payload; :meth:`close` seals the last chunk."""

    def __init__(self, file_key: bytes, out: IO[bytes]) -> None:
        nonce = os.urandom(_NONCE)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self.written = _NONCE  # ciphertext bytes so far
        out.write(nonce)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte: the last chunk is sealed differently
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_chunk_nonce(self._counter, last), plain, None)
        self._out.write(sealed)
        self.written += len(sealed)
        self._counter += 1

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()


def payload_size(ciphertext_size: int) -> int:
    """The plaintext size of a payload of ``ciphertext_size`` bytes."""
    body = ciphertext_size - _NONCE
    chunks = max(1, -(-body // (CHUNK + _TAG)))
    size = body - chunks * _TAG
    if body < _TAG or size < 0:
        raise AgeError("the encrypted file is too short to be an age payload")
    return size


class PayloadReader(io.RawIOBase):
    """The plaintext of an age payload, decrypted chunk by chunk as it is read; seekable, read-only.

    Every chunk is authenticated when it is decrypted: a changed, swapped or truncated file raises
    :class:`AgeError` at the first byte read from the damaged chunk.
    """

    def __init__(self, file_key: bytes, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        raw.seek(0, io.SEEK_END)
        ciphertext = raw.tell()
        raw.seek(0)
        nonce = raw.read(_NONCE)
        if len(nonce) != _NONCE:
            raise AgeError("the encrypted file is too short to be an age payload")
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self.size = payload_size(ciphertext)
        self._chunks = max(1, -(-(ciphertext - _NONCE) // (CHUNK + _TAG)))
        self._position = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        self._raw.seek(_NONCE + index * (CHUNK + _TAG))
        sealed = self._raw.read(CHUNK + _TAG)
        last = index == self._chunks - 1
        try:
            plain = self._aead.decrypt(_chunk_nonce(index, last), sealed, None)
        except InvalidTag:
            raise AgeError(
                f"the encrypted file was changed or damaged (chunk {index} does not verify)"
            ) from None
        if not last and len(plain) != CHUNK:
            raise AgeError("the encrypted file is damaged (a short chunk before the end)")
        if last and not plain and index > 0:
            raise AgeError("the encrypted file is damaged (an empty last chunk)")
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._position >= self.size:
            return 0
        index, offset = divmod(self._position, CHUNK)
        plain = self._chunk(index)
        count = min(len(buffer), len(plain) - offset)
        buffer[:count] = plain[offset : offset + count]
        self._position += count
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def encrypt_bytes(
    data: bytes, recipients: Sequence[Recipient] = (), *, passphrase: str | None = None, work_factor: int = 18
) -> bytes:
    """A complete age file (header and payload) of ``data``: small things such as identity files."""
    file_key = new_file_key()
    out = io.BytesIO()
    writer = PayloadWriter(file_key, out)
    writer.write(data)
    writer.close()
    return header_for(file_key, recipients, passphrase=passphrase, work_factor=work_factor) + out.getvalue()


def decrypt_bytes(data: bytes, *, identity: Identity | None = None, passphrase: str | None = None) -> bytes:
    """The plaintext of a complete age file held in memory."""
    stream = io.BytesIO(data)
    header = split(stream)
    file_key = file_key_from_header(header, identity=identity, passphrase=passphrase)
    payload = io.BytesIO(stream.read())
    with PayloadReader(file_key, payload) as reader:
        return reader.read()

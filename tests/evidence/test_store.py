"""The encrypted store: round trips, what it writes to disk, and how it names every kind of damage."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.core import age
from bordermonitor.core.age import Identity
from bordermonitor.evidence.store import FileStore, IntegrityError, Sealed, StoreError, unwrap_file_key
from tests.evidence.sealing import IDENTITY, RECIPIENT, plaintext


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "store")


def _writable(path: Path) -> None:
    path.chmod(0o600)


def _seal(store: FileStore, data: bytes) -> Sealed:
    return store.seal(io.BytesIO(data), recipient=RECIPIENT)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=3 * age.CHUNK + 10) | st.sampled_from([bytes(age.CHUNK), bytes(2 * age.CHUNK)])
)
def test_what_is_sealed_reads_back_exactly_and_is_named_by_its_encrypted_bytes(
    store: FileStore, data: bytes
) -> None:
    sealed = _seal(store, data)
    assert sealed.sha256 == hashlib.sha256(data).hexdigest() and sealed.size == len(data)
    encrypted = store.path_for(sealed.blob).read_bytes()
    assert hashlib.sha256(encrypted).hexdigest() == sealed.blob
    assert age.payload_size(len(encrypted)) == len(data)
    assert plaintext(store, sealed.blob, sealed.key_header, sealed.sha256) == data
    assert age.decrypt_bytes(sealed.key_header + encrypted, identity=IDENTITY) == data  # a whole age file
    assert not any(store.tmp.iterdir())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=2 * age.CHUNK + 100), where=st.floats(0, 1))
def test_any_flipped_byte_fails_the_check(store: FileStore, data: bytes, where: float) -> None:
    sealed = _seal(store, data)
    path = store.path_for(sealed.blob)
    damaged = bytearray(path.read_bytes())
    damaged[min(int(where * len(damaged)), len(damaged) - 1)] ^= 0x80
    _writable(path)
    path.write_bytes(bytes(damaged))
    key = unwrap_file_key(sealed.key_header, IDENTITY)
    with pytest.raises(IntegrityError, match="encrypted bytes were changed"):
        store.verify(sealed.blob, key, sealed.sha256)
    with pytest.raises(IntegrityError):
        store.check_cipher(sealed.blob)


def test_truncated_swapped_missing_and_misrecorded_files_fail(store: FileStore) -> None:
    one, two = _seal(store, os.urandom(100_000)), _seal(store, os.urandom(150_000))
    key_one = unwrap_file_key(one.key_header, IDENTITY)
    store.verify(one.blob, key_one, one.sha256)

    with pytest.raises(IntegrityError, match="do not have the SHA-256 recorded"):
        store.verify(one.blob, key_one, two.sha256)  # the right file, the wrong record
    with pytest.raises(IntegrityError, match="does not decrypt"):
        store.verify(two.blob, key_one, two.sha256)  # another file's key (a header moved to another row)

    first, second = store.path_for(one.blob), store.path_for(two.blob)
    a, b = first.read_bytes(), second.read_bytes()
    _writable(first)
    _writable(second)
    first.write_bytes(b)
    second.write_bytes(a)  # swapped
    with pytest.raises(IntegrityError, match="encrypted bytes were changed"):
        store.verify(one.blob, key_one, one.sha256)

    first.write_bytes(a[: -age.CHUNK // 2])  # truncated, by half a chunk …
    with pytest.raises(IntegrityError, match="encrypted bytes were changed"):
        store.verify(one.blob, key_one, one.sha256)
    first.write_bytes(a[: 16 + age.CHUNK + 16])  # … and exactly at a chunk's end (the last chunk is marked)
    with pytest.raises(IntegrityError):
        store.verify(one.blob, key_one, one.sha256)

    first.unlink()
    with pytest.raises(IntegrityError, match="missing from the store"):
        store.verify(one.blob, key_one, one.sha256)


def test_a_changed_header_or_another_identity_does_not_open(store: FileStore) -> None:
    sealed = _seal(store, b"a medical report")
    changed = sealed.key_header.replace(b"\n---", b"\n-> extra\n\n---")
    with pytest.raises(IntegrityError, match="key header does not open"):
        unwrap_file_key(changed, IDENTITY)
    with pytest.raises(IntegrityError, match="key header does not open"):
        unwrap_file_key(sealed.key_header, Identity.generate())


def test_nothing_but_ciphertext_is_written_and_a_refusal_leaves_nothing(store: FileStore) -> None:
    secret = b"a sentence nobody may read on the disk " * 4000
    seen: list[bytes] = []

    def approve(stream: io.BufferedIOBase, sha256: str, size: int) -> None:
        for path in store.tmp.iterdir():  # the temporary file, while the whole-file checks run
            seen.append(path.read_bytes())
        assert stream.read() == secret  # the checks read the plaintext, decrypted from it
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        store.seal(io.BytesIO(secret), recipient=RECIPIENT, approve=approve)  # type: ignore[arg-type]
    assert len(seen) == 1 and b"a sentence nobody" not in seen[0]
    assert not any(store.tmp.iterdir()) and not store.blobs.exists()


def test_a_stored_file_is_never_replaced(store: FileStore) -> None:
    sealed = _seal(store, b"the original")
    path = store.path_for(sealed.blob)
    kept = path.read_bytes()
    for _ in range(3):
        again = _seal(store, b"the original")
        assert again.blob != sealed.blob and again.created
    assert path.read_bytes() == kept
    sealing = store.sealing(RECIPIENT)
    sealing.write(b"x")
    sealing.finish()
    with pytest.raises(StoreError):
        sealing.write(b"more")  # a finished file takes no more bytes


def test_an_observer_can_stop_a_file_while_it_streams(store: FileStore) -> None:
    def observe(chunk: bytes, size: int) -> None:
        if size > 3 * 1024 * 1024:
            raise OverflowError("too large")

    class Endless(io.RawIOBase):
        served = 0

        def readinto(self, buffer):  # type: ignore[no-untyped-def]
            self.served += len(buffer)
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    source = Endless()
    with pytest.raises(OverflowError):
        store.seal(source, recipient=RECIPIENT, observe=observe)  # type: ignore[arg-type]
    assert source.served <= 5 * 1024 * 1024
    assert not any(store.tmp.iterdir())


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "a" * 63, "/" + "a" * 64, "g" * 64])
def test_paths_come_only_from_digests(store: FileStore, bad: str) -> None:
    with pytest.raises(StoreError):
        store.path_for(bad)
    with pytest.raises(StoreError):
        store.plaintext_path(bad)

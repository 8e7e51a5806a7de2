"""The age file format: round trips, tampering, and the standard ``age`` tool opening what we write (and the
other way round), so an organisation can recover its originals without this software."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core import age
from bordermonitor.core.age import AgeError, Identity, PayloadReader, PayloadWriter, Recipient

AGE = shutil.which("age")
needs_age = pytest.mark.skipif(
    AGE is None and os.environ.get("CI") != "true", reason="the Debian package age is not installed"
)
IDENTITY = Identity.generate()


def _payload(data: bytes, file_key: bytes) -> bytes:
    out = io.BytesIO()
    writer = PayloadWriter(file_key, out)
    for start in range(0, len(data), 7000):  # written in pieces that do not line up with the chunks
        writer.write(data[start : start + 7000])
    writer.close()
    assert writer.written == len(out.getvalue())
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=3 * age.CHUNK + 5)
    | st.sampled_from([b"", bytes(age.CHUNK), bytes(2 * age.CHUNK)])
)
def test_payload_round_trip_and_size(data: bytes) -> None:
    file_key = age.new_file_key()
    payload = _payload(data, file_key)
    assert age.payload_size(len(payload)) == len(data)
    with PayloadReader(file_key, io.BytesIO(payload)) as reader:
        assert reader.read() == data


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=3 * age.CHUNK),
    offset=st.integers(min_value=0),
    length=st.integers(min_value=0, max_value=age.CHUNK + 10),
)
def test_reader_seeks_anywhere(data: bytes, offset: int, length: int) -> None:
    """Checks that read parts of a file (image headers, ZIP directories) see exactly the plaintext."""
    file_key = age.new_file_key()
    reader = io.BufferedReader(PayloadReader(file_key, io.BytesIO(_payload(data, file_key))))
    offset %= len(data)
    reader.seek(offset)
    assert reader.read(length) == data[offset : offset + length]
    reader.seek(-1, io.SEEK_END)
    assert reader.read() == data[-1:]


@pytest.mark.parametrize("size", [10, age.CHUNK + 10, 3 * age.CHUNK])
def test_any_change_to_the_payload_is_refused(size: int) -> None:
    data = os.urandom(size)
    file_key = age.new_file_key()
    payload = _payload(data, file_key)
    for position in (0, 20, len(payload) // 2, len(payload) - 1):  # nonce, first chunk, middle, last tag
        damaged = bytearray(payload)
        damaged[position] ^= 0x01
        with pytest.raises(AgeError), PayloadReader(file_key, io.BytesIO(bytes(damaged))) as reader:
            reader.read()
    with pytest.raises(AgeError), PayloadReader(age.new_file_key(), io.BytesIO(payload)) as reader:
        reader.read()  # another file's key


def test_a_payload_cut_at_a_chunk_boundary_is_refused() -> None:
    """Without the last-chunk mark, dropping the end of a file would leave a shorter file that verifies."""
    data = os.urandom(3 * age.CHUNK)
    file_key = age.new_file_key()
    payload = _payload(data, file_key)
    cut = payload[: 16 + 2 * (age.CHUNK + 16)]
    with pytest.raises(AgeError), PayloadReader(file_key, io.BytesIO(cut)) as reader:
        reader.read()


def test_header_opens_only_with_a_recipient_identity_and_is_authenticated() -> None:
    file_key = age.new_file_key()
    other = Identity.generate()
    header = age.header_for(file_key, [IDENTITY.recipient, other.recipient])
    assert age.file_key_from_header(header, identity=IDENTITY) == file_key
    assert age.file_key_from_header(header, identity=other) == file_key
    with pytest.raises(AgeError, match="cannot open"):
        age.file_key_from_header(header, identity=Identity.generate())
    lines = header.split(b"\n")
    forged = b"\n".join([lines[0], lines[1], lines[2], *lines[5:]])  # the second recipient's stanza removed
    with pytest.raises(AgeError, match="MAC"):
        age.file_key_from_header(forged, identity=IDENTITY)


def test_passphrase_protected_files() -> None:
    sealed = age.encrypt_bytes(b"AGE-SECRET-KEY-1...", passphrase="a long passphrase", work_factor=10)
    assert age.decrypt_bytes(sealed, passphrase="a long passphrase") == b"AGE-SECRET-KEY-1..."
    with pytest.raises(AgeError):
        age.decrypt_bytes(sealed, passphrase="another passphrase")


def test_keys_in_text_form() -> None:
    text = str(IDENTITY)
    assert text.startswith("AGE-SECRET-KEY-1")
    assert Identity.parse(f"# a comment\n{text}\n") == IDENTITY
    assert Recipient.parse(str(IDENTITY.recipient)) == IDENTITY.recipient
    assert "SECRET" not in repr(IDENTITY)
    mistyped = str(IDENTITY.recipient)[:-1] + ("q" if str(IDENTITY.recipient)[-1] != "q" else "p")
    with pytest.raises(AgeError, match="checksum"):
        Recipient.parse(mistyped)
    assert Identity.derive(b"seed" * 8, b"label") == Identity.derive(b"seed" * 8, b"label")
    assert Identity.derive(b"seed" * 8, b"label") != Identity.derive(b"seed" * 8, b"other")


@needs_age
@pytest.mark.parametrize("size", [0, 1, age.CHUNK, age.CHUNK + 1, 200_000])
def test_the_age_tool_opens_what_we_write_and_we_open_what_it_writes(tmp_path: Path, size: int) -> None:
    assert AGE is not None
    data = os.urandom(size)
    identity_file = tmp_path / "identity.txt"
    identity_file.write_text(str(IDENTITY) + "\n")
    ours = tmp_path / "ours.age"
    file_key = age.new_file_key()
    ours.write_bytes(age.header_for(file_key, [IDENTITY.recipient]) + _payload(data, file_key))
    opened = subprocess.run([AGE, "-d", "-i", str(identity_file), str(ours)], capture_output=True, check=True)
    assert opened.stdout == data

    plain, theirs = tmp_path / "plain.bin", tmp_path / "theirs.age"
    plain.write_bytes(data)
    subprocess.run([AGE, "-r", str(IDENTITY.recipient), "-o", str(theirs), str(plain)], check=True)
    assert age.decrypt_bytes(theirs.read_bytes(), identity=IDENTITY) == data


@needs_age
def test_keys_made_by_age_keygen_are_read(tmp_path: Path) -> None:
    keygen = shutil.which("age-keygen")
    assert keygen is not None
    key_file = tmp_path / "key.txt"
    subprocess.run([keygen, "-o", str(key_file)], check=True, capture_output=True)
    text = key_file.read_text()
    public = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("# public key:"))
    assert str(Identity.parse(text).recipient) == public


@needs_age
def test_the_age_tool_opens_a_passphrase_protected_identity_file(tmp_path: Path) -> None:
    """`keys export` writes such a file; recovery without this software starts with `age -d FILE`."""
    assert AGE is not None
    sealed, opened = tmp_path / "identity.age", tmp_path / "identity.txt"
    sealed.write_bytes(
        age.encrypt_bytes(f"{IDENTITY}\n".encode(), passphrase="a long passphrase", work_factor=10)
    )
    pid, terminal = pty.fork()  # age reads the passphrase from its terminal only
    if pid == 0:
        os.execv(AGE, [AGE, "-d", "-o", str(opened), str(sealed)])  # noqa: S606
    prompt = b""
    while b"passphrase" not in prompt.lower():
        prompt += os.read(terminal, 1024)
    os.write(terminal, b"a long passphrase\n")
    with contextlib.suppress(OSError):
        while os.read(terminal, 1024):
            pass
    _, status = os.waitpid(pid, 0)
    assert status == 0
    assert Identity.parse(opened.read_text()) == IDENTITY

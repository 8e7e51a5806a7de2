"""Working copies carry none of the metadata planted in the originals; originals stay byte-identical."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import pikepdf
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from PIL import Image

from bordermonitor.evidence.derivatives import THUMBNAIL_PX, Derivative, make_derivatives
from bordermonitor.evidence.intake import receive
from bordermonitor.evidence.store import FileStore
from tests.evidence import corpus
from tests.evidence.sealing import RECIPIENT, plaintext


@pytest.fixture
def originals(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "evidence")


@pytest.fixture
def copies(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "evidence" / "derivatives")


def _derive(data: bytes, kind: str, originals: FileStore, copies: FileStore) -> dict[str, Derivative]:
    received = receive(io.BytesIO(data), store=originals, kind=kind, recipient=RECIPIENT)
    sealed = received.sealed
    made = make_derivatives(
        original=lambda: originals.open(sealed.blob, sealed.file_key),
        sha256=received.sha256,
        media_type=received.media_type,
        store=copies,
        recipient=RECIPIENT,
    )
    assert plaintext(originals, sealed.blob, sealed.key_header, received.sha256) == data  # untouched
    assert hashlib.sha256(data).hexdigest() == received.sha256
    return {d.role: d for d in made}


def _bytes(store: FileStore, derivative: Derivative) -> bytes:
    data = plaintext(store, derivative.blob, derivative.key_header, derivative.sha256)
    assert hashlib.sha256(data).hexdigest() == derivative.sha256
    encrypted = store.path_for(derivative.blob).read_bytes()
    assert hashlib.sha256(encrypted).hexdigest() == derivative.blob  # content-addressed, encrypted
    return data


def test_a_photo_loses_exif_and_gps_and_is_turned_upright(originals: FileStore, copies: FileStore) -> None:
    data = corpus.jpeg_with_gps((640, 480), orientation=6)
    assert corpus.GPS_CANARY.encode() in data
    made = _derive(data, "photo", originals, copies)
    working = _bytes(copies, made["working"])
    assert corpus.GPS_CANARY.encode() not in working and b"CanaryCam" not in working
    with Image.open(io.BytesIO(working)) as image:
        assert image.format == "JPEG"
        assert image.size == (480, 640)  # orientation 6 applied: rotated a quarter turn
        assert len(image.getexif()) == 0
        assert "icc_profile" not in image.info and "xmp" not in image.info and "exif" not in image.info
    assert made["working"].parent_sha256 == hashlib.sha256(data).hexdigest()
    assert made["working"].tool.startswith("Pillow ")
    thumb = made["thumbnail"]
    assert thumb.parent_sha256 == made["working"].sha256
    with Image.open(io.BytesIO(_bytes(copies, thumb))) as image:
        assert max(image.size) == THUMBNAIL_PX


def test_a_png_loses_its_text_chunks_and_keeps_transparency(originals: FileStore, copies: FileStore) -> None:
    data = corpus.png_with_text()
    made = _derive(data, "photo", originals, copies)
    working = _bytes(copies, made["working"])
    assert corpus.PNG_CANARY.encode() not in working
    with Image.open(io.BytesIO(working)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert not getattr(image, "text", {})
    assert made["working"].media_type == "image/png"


def test_a_pdf_loses_info_xmp_scripts_and_attachments(originals: FileStore, copies: FileStore) -> None:
    data = corpus.pdf_with_everything()
    for canary in (corpus.PDF_CANARY, corpus.XMP_CANARY, corpus.JS_CANARY, corpus.ATTACHMENT_CANARY):
        assert canary.encode() in data  # planted (uncompressed) in the original
    made = _derive(data, "medical_report", originals, copies)
    assert set(made) == {"working"}
    working = _bytes(copies, made["working"])
    for canary in (corpus.PDF_CANARY, corpus.XMP_CANARY, corpus.JS_CANARY, corpus.ATTACHMENT_CANARY):
        assert canary.encode() not in working
    with pikepdf.open(io.BytesIO(working)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root and "/OpenAction" not in pdf.Root
        assert len(pdf.attachments) == 0
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert str(obj.get("/S", "")) != "/JavaScript"
    assert made["working"].tool.startswith("pikepdf ")


def test_an_mp3_loses_its_tags(originals: FileStore, copies: FileStore, tmp_path: Path) -> None:
    data = corpus.mp3_with_tags(tmp_path)
    made = _derive(data, "audio", originals, copies)
    working = _bytes(copies, made["working"])
    assert corpus.MP3_CANARY.encode() not in working
    path = tmp_path / "working.mp3"
    path.write_bytes(working)
    assert MP3(path).tags is None
    with pytest.raises(Exception):  # noqa: B017 - mutagen: no ID3 header at all
        ID3(path)
    assert made["working"].tool.startswith("mutagen ")


def test_a_wav_keeps_only_its_sound(originals: FileStore, copies: FileStore) -> None:
    sound = b"\x01\x02" * 800
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    info = b"INFO" + b"IART" + struct.pack("<I", 12) + b"CANARY-WAV\0\0"

    def chunk(kind: bytes, body: bytes) -> bytes:
        return kind + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")

    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"LIST", info) + chunk(b"data", sound)
    data = b"RIFF" + struct.pack("<I", len(body)) + body
    working = _bytes(copies, _derive(data, "audio", originals, copies)["working"])
    assert b"CANARY-WAV" not in working and sound in working
    assert working == b"RIFF" + struct.pack("<I", 4 + 8 + 16 + 8 + len(sound)) + b"WAVE" + chunk(
        b"fmt ", fmt
    ) + chunk(b"data", sound)


@pytest.mark.parametrize("make", [corpus.docx, corpus.odt], ids=["docx", "odt"])
def test_what_cannot_be_cleaned_gets_no_working_copy(originals: FileStore, copies: FileStore, make) -> None:  # type: ignore[no-untyped-def]
    assert _derive(make(), "document", originals, copies) == {}


def test_a_second_identical_upload_is_sealed_again_and_replaces_nothing(
    originals: FileStore, copies: FileStore
) -> None:
    data = corpus.jpeg_with_gps()
    first = _derive(data, "photo", originals, copies)
    kept = {role: copies.path_for(d.blob).read_bytes() for role, d in first.items()}
    second = _derive(data, "photo", originals, copies)
    for role in ("working", "thumbnail"):
        assert first[role].sha256 == second[role].sha256  # deterministic re-encoding
        assert first[role].blob != second[role].blob  # each under its own key
        assert copies.path_for(first[role].blob).read_bytes() == kept[role]  # nothing overwritten

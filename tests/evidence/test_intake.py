"""Uploads are sealed as received, identified by content only, and refused with a message one can act on."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.evidence.intake import (
    Damaged,
    EmptyFile,
    IntakeLimits,
    KindMismatch,
    NotAccepted,
    Rejected,
    TooLarge,
    UnknownKind,
    Unrecognised,
    receive,
)
from bordermonitor.evidence.store import FileStore
from tests.evidence import corpus
from tests.evidence.sealing import RECIPIENT, plaintext


@pytest.fixture
def files(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "store")


def _stored(store: FileStore) -> list[Path]:
    leftovers = [p for p in store.root.rglob("*") if p.is_file()]
    return leftovers


@pytest.mark.parametrize(
    ("make", "kind", "media_type"),
    [
        (corpus.jpeg_with_gps, "photo", "image/jpeg"),
        (corpus.png_with_text, "photo", "image/png"),
        (corpus.pdf_with_everything, "medical_report", "application/pdf"),
        (corpus.pdf_with_everything, "document", "application/pdf"),
        (corpus.jpeg_with_gps, "medical_report", "image/jpeg"),
        (corpus.docx, "document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (corpus.odt, "medical_report", "application/vnd.oasis.opendocument.text"),
        (lambda: "Notes from the interview — ملاحظات\n".encode() * 300, "document", "text/plain"),
    ],
)
def test_accepted_files_are_sealed_byte_for_byte(files: FileStore, make, kind: str, media_type: str) -> None:  # type: ignore[no-untyped-def]
    data = make()
    received = receive(io.BytesIO(data), store=files, kind=kind, recipient=RECIPIENT)
    assert received.media_type == media_type
    assert received.sha256 == hashlib.sha256(data).hexdigest()
    assert received.size == len(data)
    stored = files.path_for(received.blob).read_bytes()
    assert (
        data not in stored and hashlib.sha256(stored).hexdigest() == received.blob
    )  # encrypted, named by it
    assert plaintext(files, received.blob, received.sealed.key_header, received.sha256) == data
    assert not any((files.root / "tmp").iterdir())


def test_mp3_is_audio(files: FileStore, tmp_path: Path) -> None:
    data = corpus.mp3_with_tags(tmp_path)
    assert (
        receive(io.BytesIO(data), store=files, kind="audio", recipient=RECIPIENT).media_type == "audio/mpeg"
    )


@pytest.mark.parametrize(
    ("data", "kind", "error", "message"),
    [
        (
            corpus.windows_exe(),
            "photo",
            NotAccepted,
            "this file is a Windows program (.exe), not a photo, document, audio or video: not accepted",
        ),
        (
            corpus.linux_elf(),
            "document",
            NotAccepted,
            "this file is a Linux program (ELF), not a photo, document, audio or video: not accepted",
        ),
        (
            corpus.html_page(),
            "photo",
            NotAccepted,
            "this file is a web page (HTML), not a photo, document, audio or video: not accepted",
        ),
        (
            corpus.plain_zip(),
            "document",
            NotAccepted,
            "this file is a zip archive, not a photo, document, audio or video: not accepted",
        ),
        (b"", "photo", EmptyFile, "this file is empty (0 bytes): choose the file again"),
        (
            corpus.pixel_flood_png(),
            "photo",
            Damaged,
            "this image has more than 100 megapixels, too many to open safely: reduce its size and upload it "
            "again",
        ),
        (
            corpus.truncated_jpeg(),
            "photo",
            Damaged,
            "this image is incomplete or damaged (the file ends before the picture does): the copy was "
            "probably interrupted. Upload the file again from the device",
        ),
        (
            corpus.pdf_with_everything(),
            "photo",
            KindMismatch,
            "a photo must be an image (JPEG, PNG, WebP or HEIC); this file is a PDF document. "
            "Choose another kind or another file",
        ),
        (
            corpus.jpeg_with_gps(),
            "audio",
            KindMismatch,
            "an audio recording must be an audio recording (MP3, M4A, Ogg/Opus, WAV or FLAC); this file is a "
            "JPEG image. Choose another kind or another file",
        ),
        (
            b"GIF89a" + b"\0" * 100,
            "photo",
            NotAccepted,
            "this file is a GIF image, which is not accepted: save it as JPEG or PNG and upload that",
        ),
        (bytes(range(256)) * 20, "document", Unrecognised, None),
    ],
    ids=[
        "exe",
        "elf",
        "html-as-jpg",
        "zip",
        "empty",
        "pixel-flood",
        "truncated-jpeg",
        "pdf-as-photo",
        "jpeg-as-audio",
        "gif",
        "binary",
    ],
)
def test_refused_files_leave_nothing_in_the_store(
    files: FileStore, data: bytes, kind: str, error: type[Rejected], message: str | None
) -> None:
    with pytest.raises(error) as refused:
        receive(io.BytesIO(data), store=files, kind=kind, recipient=RECIPIENT)
    if message is not None:
        assert str(refused.value) == message
    else:
        assert str(refused.value).startswith("the type of this file could not be recognised from its content")
    assert _stored(files) == []


def test_the_size_cap_stops_the_upload_while_it_streams(files: FileStore) -> None:
    class Endless(io.RawIOBase):
        """Ten gigabytes of text, if anyone read them all."""

        served = 0

        def readinto(self, buffer):  # type: ignore[no-untyped-def]
            self.served += len(buffer)
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(TooLarge) as refused:
        receive(stream, store=files, kind="document", limits=IntakeLimits.megabytes(2), recipient=RECIPIENT)  # type: ignore[arg-type]
    assert (
        str(refused.value) == "this file is larger than the limit of 2 MB: not accepted. Shorten or split it"
    )
    assert stream.served <= 4 * 1024 * 1024
    assert _stored(files) == []


def test_a_name_or_claimed_type_plays_no_part(files: FileStore) -> None:
    """The stream is all intake sees: an executable called photo.jpg is still an executable."""
    upload = io.BytesIO(corpus.windows_exe())
    upload.name = "photo.jpg"  # type: ignore[attr-defined]
    with pytest.raises(NotAccepted, match="Windows program"):
        receive(upload, store=files, kind="photo", recipient=RECIPIENT)


def test_an_unknown_kind_is_refused(files: FileStore) -> None:
    with pytest.raises(UnknownKind):
        receive(io.BytesIO(corpus.jpeg_with_gps()), store=files, kind="selfie", recipient=RECIPIENT)
    assert _stored(files) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.binary(max_size=6000))
def test_any_bytes_are_either_sealed_exactly_or_refused_leaving_nothing(
    files: FileStore, data: bytes
) -> None:
    before = set(_stored(files))
    try:
        received = receive(io.BytesIO(data), store=files, kind="document", recipient=RECIPIENT)
    except Rejected:
        assert set(_stored(files)) == before
    else:
        assert plaintext(files, received.blob, received.sealed.key_header, received.sha256) == data


def test_a_truncated_photo_is_refused_even_after_the_reports_loaded_weasyprint(files: FileStore) -> None:
    """Importing WeasyPrint switches Pillow to decoding truncated files silently, for the whole process."""
    import weasyprint  # noqa: F401 - imported for its side effect
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it
    with pytest.raises(Damaged):
        receive(io.BytesIO(corpus.truncated_jpeg()), store=files, kind="photo", recipient=RECIPIENT)
    assert _stored(files) == []

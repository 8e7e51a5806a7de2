"""SECURITY goals 8 and 14 on a corpus of hostile files: what is refused leaves nothing behind, what is
accepted keeps its original sealed and gets working copies in which ``exiftool`` finds nothing outside an
allowlist of technical tags. Every file is handled promptly (a bound that only a hang would exceed)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bordermonitor.evidence.derivatives import make_derivatives
from bordermonitor.evidence.intake import Rejected, receive
from bordermonitor.evidence.store import FileStore
from tests.evidence import corpus
from tests.evidence.sealing import RECIPIENT, plaintext

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(
    EXIFTOOL is None and os.environ.get("CI") != "true",
    reason="Debian's libimage-exiftool-perl is not installed: `make system-packages` installs it",
)
HANG = 60.0  # seconds: no file may take longer than this (speed itself is measured in benchmarks)

# What a working copy may carry: the file's technical description, nothing about where, when, who or with what.
ALLOWED = {
    "SourceFile",
    "Composite:ImageSize",
    "Composite:Megapixels",
    *(f"JFIF:{t}" for t in ("JFIFVersion", "ResolutionUnit", "XResolution", "YResolution")),
    *(
        f"PNG:{t}"
        for t in ("BitDepth", "ColorType", "Compression", "Filter", "ImageHeight", "ImageWidth", "Interlace")
    ),
    *(f"PDF:{t}" for t in ("Linearized", "PDFVersion", "PageCount")),
}
ALLOWED_GROUPS = ("File:", "System:", "ExifTool:")


def _svg_with_script() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def _jpeg_zip_polyglot() -> bytes:
    """A JPEG with a ZIP archive (holding a script) appended: valid as both."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("run.sh", "#!/bin/sh\necho pwned\n")
    return corpus.jpeg_with_gps() + archive.getvalue()


def _jpeg_with_html_comment() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(image, "JPEG", comment=b"<script>alert('polyglot')</script>")
    return image.getvalue()


def _png_bomb() -> bytes:
    """A small file that decompresses to 10,000 × 12,000 pixels (120 megapixels of black)."""
    image = io.BytesIO()
    Image.new("1", (10_000, 12_000)).save(image, "PNG", optimize=True)
    return image.getvalue()


def _docx_zip_bomb() -> bytes:
    """A DOCX whose document.xml inflates to 64 MB: accepted only because it is never extracted."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (64 << 20) + b"</w:document>")
    return archive.getvalue()


def _leftovers(store: FileStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()]


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "evidence")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_svg_with_script, "photo"),
        (_svg_with_script, "document"),
        (_png_bomb, "photo"),
        (lambda: corpus.pixel_flood_png(), "photo"),
        (lambda: corpus.windows_exe(), "document"),
        (lambda: corpus.html_page(), "medical_report"),
        (lambda: corpus.plain_zip(), "document"),
    ],
    ids=["svg-script-as-photo", "svg-script-as-document", "png-bomb", "pixel-flood", "exe", "html", "zip"],
)
def test_hostile_files_are_refused_promptly_leaving_nothing(store: FileStore, make, kind: str) -> None:  # type: ignore[no-untyped-def]
    data = make()
    started = time.monotonic()
    with pytest.raises(Rejected):
        receive(io.BytesIO(data), store=store, kind=kind, recipient=RECIPIENT)
    assert time.monotonic() - started < HANG
    assert _leftovers(store) == []


def _copies(store: FileStore, data: bytes, kind: str) -> tuple[dict[str, bytes], str]:
    started = time.monotonic()
    received = receive(io.BytesIO(data), store=store, kind=kind, recipient=RECIPIENT)
    copies = FileStore(store.root / "derivatives")
    made = make_derivatives(
        original=lambda: store.open(received.sealed.blob, received.sealed.file_key),
        sha256=received.sha256,
        media_type=received.media_type,
        store=copies,
        recipient=RECIPIENT,
    )
    assert time.monotonic() - started < HANG
    assert plaintext(store, received.sealed.blob, received.sealed.key_header, received.sha256) == data
    return {d.role: plaintext(copies, d.blob, d.key_header, d.sha256) for d in made}, received.media_type


def test_a_polyglot_photo_keeps_only_its_pixels(store: FileStore) -> None:
    for data in (_jpeg_zip_polyglot(), _jpeg_with_html_comment()):
        copies, media_type = _copies(store, data, "photo")
        assert media_type == "image/jpeg"
        for copy in copies.values():
            assert b"PK\x03\x04" not in copy and b"<script" not in copy and b"pwned" not in copy


def test_an_archive_is_never_extracted(store: FileStore) -> None:
    data = _docx_zip_bomb()
    copies, media_type = _copies(store, data, "document")
    assert media_type.endswith("wordprocessingml.document")
    assert copies == {}  # no working copy: nothing inflated
    stored = sum(p.stat().st_size for p in _leftovers(store))
    assert stored < len(data) + 64 * 1024  # the encrypted original only, never the 64 MB inside


def _tags(path: Path) -> set[str]:
    assert EXIFTOOL is not None
    found = subprocess.run(
        [EXIFTOOL, "-json", "-a", "-G1", "-n", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(found.stdout)[0])


def _outside_allowlist(tags: set[str]) -> set[str]:
    return {t for t in tags if t not in ALLOWED and not t.startswith(ALLOWED_GROUPS)}


@needs_exiftool
@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (corpus.jpeg_with_gps, "photo"),
        (corpus.png_with_text, "photo"),
        (corpus.pdf_with_everything, "medical_report"),
        (corpus.jpeg_with_gps, "document"),
    ],
    ids=["jpeg-gps", "png-text", "pdf-xmp-js-attachments", "scan-with-gps"],
)
def test_exiftool_finds_nothing_outside_the_allowlist_in_working_copies(
    store: FileStore,
    tmp_path: Path,
    make,
    kind: str,  # type: ignore[no-untyped-def]
) -> None:
    data = make()
    original = tmp_path / "original"
    original.write_bytes(data)
    assert _outside_allowlist(_tags(original)), (
        "the corpus file must carry metadata for this test to mean anything"
    )
    copies, _ = _copies(store, data, kind)
    assert copies, "an image or a PDF gets a working copy"
    for role, copy in copies.items():
        path = tmp_path / role
        path.write_bytes(copy)
        assert _outside_allowlist(_tags(path)) == set(), role

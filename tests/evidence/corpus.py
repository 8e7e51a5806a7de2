"""Test files made in the test run: real formats with planted metadata ("canaries") to look for afterwards."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image, PngImagePlugin

GPS_CANARY = "CANARY-GPS-OWNER"
PNG_CANARY = "CANARY-PNG-TEXT"
PDF_CANARY = "CANARY-PDF-AUTHOR"
XMP_CANARY = "CANARY-PDF-XMP"
JS_CANARY = "CANARY-PDF-SCRIPT"
ATTACHMENT_CANARY = "CANARY-PDF-ATTACHMENT"
MP3_CANARY = "CANARY-MP3-ARTIST"


def jpeg_with_gps(size: tuple[int, int] = (640, 480), orientation: int = 6) -> bytes:
    """A JPEG with EXIF: GPS position, owner name, camera, orientation (rotate 90°)."""
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x013B] = GPS_CANARY  # Artist
    exif[0xA430] = GPS_CANARY  # CameraOwnerName
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (45.0, 12.0, 30.0), 3: "E", 4: (15.0, 48.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85, icc_profile=b"")
    return out.getvalue()


def png_with_text() -> bytes:
    image = Image.new("RGBA", (300, 200), (10, 120, 10, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PNG_CANARY)
    info.add_itxt("Author", PNG_CANARY + "-itxt")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_everything() -> bytes:
    """A one-page PDF with /Info, XMP, an OpenAction JavaScript and an embedded file."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:creator"] = [XMP_CANARY]
    pdf.docinfo["/Author"] = PDF_CANARY
    pdf.docinfo["/Title"] = PDF_CANARY + "-title"
    script = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Action,
            S=pikepdf.Name.JavaScript,
            JS=pikepdf.String(f"app.alert('{JS_CANARY}')"),
        )
    )
    pdf.Root.OpenAction = script
    pdf.attachments["note.txt"] = pikepdf.AttachedFileSpec(pdf, ATTACHMENT_CANARY.encode() * 3)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def mp3_with_tags(tmp: Path) -> bytes:
    """A short MPEG-1 Layer III stream (silent frames) with ID3v2 and ID3v1 tags."""
    from mutagen.id3 import ID3, TIT2, TPE1

    header = bytes([0xFF, 0xFB, 0x90, 0x64])  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
    frame = header + b"\x00" * (417 - 4)
    path = tmp / "tagged.mp3"
    path.write_bytes(frame * 40 + b"TAG" + MP3_CANARY.encode().ljust(30, b"\0") + b"\0" * 94)
    tags = ID3()
    tags.add(TPE1(encoding=3, text=[MP3_CANARY]))
    tags.add(TIT2(encoding=3, text=["interview"]))
    tags.save(path)
    return path.read_bytes()


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4096


def linux_elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4096


def pixel_flood_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares 10 gigapixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def html_page() -> bytes:
    return b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


def truncated_jpeg() -> bytes:
    data = jpeg_with_gps((1200, 900))
    return data[: len(data) // 2]


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("docProps/core.xml", "<cp:coreProperties/>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/a.jpg", b"x")
    return out.getvalue()

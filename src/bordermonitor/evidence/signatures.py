"""What a file is, read from its first bytes (magic numbers), never from its name or the browser's claim.

:func:`identify` answers with a :class:`Detected` type from the allowlist, a :class:`Refusal` (a type that
is recognised and refused, with what the person can do about it), or ``None`` (nothing recognised). ZIP
containers (DOCX, ODT) are told apart by :func:`identify_zip`, which reads the archive's directory only and
never extracts anything.

The user-facing texts are plain English marked with ``_`` so the web layer can translate them
(``gettext(text)``); this module stays free of Django.
"""

from __future__ import annotations

import codecs
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO


def _(text: str) -> str:
    """Marks a text for translation (extracted by ``makemessages``); translated where it is shown."""
    return text


__all__ = ["Detected", "Refusal", "extension_for", "identify", "identify_zip", "is_plain_text"]


@dataclass(frozen=True, slots=True)
class Detected:
    media_type: str
    family: str  # image | pdf | audio | video | text | office
    ext: str
    label: str  # e.g. "a JPEG image", for messages


@dataclass(frozen=True, slots=True)
class Refusal:
    """A recognised type that is not accepted. ``hint`` (may be empty) says what to do instead."""

    what: str
    hint: str = ""
    harmful: bool = False  # a program, a web page, an archive: not evidence media at all

    def message(self) -> tuple[str, dict[str, str]]:
        if self.harmful or not self.hint:
            return _("this file is %(what)s, not a photo, document, audio or video: not accepted"), {
                "what": self.what
            }
        return _("this file is %(what)s, which is not accepted: %(hint)s"), {
            "what": self.what,
            "hint": self.hint,
        }


JPEG = Detected("image/jpeg", "image", "jpg", _("a JPEG image"))
PNG = Detected("image/png", "image", "png", _("a PNG image"))
WEBP = Detected("image/webp", "image", "webp", _("a WebP image"))
HEIC = Detected("image/heic", "image", "heic", _("a HEIC image"))
PDF = Detected("application/pdf", "pdf", "pdf", _("a PDF document"))
MP3 = Detected("audio/mpeg", "audio", "mp3", _("an MP3 recording"))
M4A = Detected("audio/mp4", "audio", "m4a", _("an M4A recording"))
OGG = Detected("audio/ogg", "audio", "ogg", _("an Ogg recording"))
WAV = Detected("audio/wav", "audio", "wav", _("a WAV recording"))
FLAC = Detected("audio/flac", "audio", "flac", _("a FLAC recording"))
MP4 = Detected("video/mp4", "video", "mp4", _("an MP4 video"))
GPP = Detected("video/3gpp", "video", "3gp", _("a 3GP video"))
MOV = Detected("video/quicktime", "video", "mov", _("a QuickTime video (MOV)"))
WEBM = Detected("video/webm", "video", "webm", _("a WebM video"))
TEXT = Detected("text/plain", "text", "txt", _("a plain text file"))
DOCX = Detected(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "office",
    "docx",
    _("a Word document (DOCX)"),
)
ODT = Detected("application/vnd.oasis.opendocument.text", "office", "odt", _("an OpenDocument text (ODT)"))
ZIP_PENDING = Detected("application/zip", "zip", "zip", _("a zip archive"))  # resolved by identify_zip

_EXE = Refusal(_("a Windows program (.exe)"), harmful=True)
_ELF = Refusal(_("a Linux program (ELF)"), harmful=True)
_MACHO = Refusal(_("a macOS program"), harmful=True)
_SCRIPT = Refusal(_("a script"), harmful=True)
_HTML = Refusal(_("a web page (HTML)"), harmful=True)
_SVG = Refusal(_("an SVG drawing (it can carry scripts)"), harmful=True)
_DEX = Refusal(_("an Android program"), harmful=True)
_ARCHIVE_HINT = _("unpack it and upload the files one by one")
_PHOTO_HINT = _("save it as JPEG or PNG and upload that")
_VIDEO_HINT = _("convert it to MP4 or WebM and upload that")
_AUDIO_HINT = _("convert it to MP3 or M4A and upload that")
_DOC_HINT = _("save it as PDF and upload that")

_MP4_AUDIO = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}
_MP4_VIDEO = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VH",
    b"M4VP", b"dash", b"mmp4", b"MSNV", b"NDAS", b"NDSC", b"NDXC", b"f4v ", b"XAVC",
}  # fmt: skip
_MP4_3GP = {b"3gp4", b"3gp5", b"3gp6", b"3gg6", b"3g2a", b"3g2b", b"3g2c"}
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_MARKUP = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<?xml",
    b"<svg",
    b"<meta",
)


def _ftyp(head: bytes) -> Detected | Refusal | None:
    (box_size,) = struct.unpack(">I", head[:4])
    brands = {head[8:12]}
    end = min(max(box_size, 16), len(head), 256)
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    major = head[8:12]
    if b"avif" in brands or b"avis" in brands:
        return Refusal(_("an AVIF image"), _PHOTO_HINT)
    if major in _HEIC_BRANDS or (brands & {b"heic", b"heix"}):
        return HEIC
    if major in _MP4_AUDIO:
        return M4A
    if major == b"qt  ":
        return MOV
    if major in _MP4_3GP:
        return GPP
    if major in _MP4_VIDEO or brands & _MP4_VIDEO:
        return MP4
    if major in {b"crx ", b"jp2 "}:
        return Refusal(_("a camera RAW or JPEG 2000 image"), _PHOTO_HINT)
    return None


def _mpeg_audio(head: bytes) -> bool:
    """An MPEG-1/2 Layer III frame header (not AAC, whose frames have layer bits 00)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer, bitrate = (head[1] >> 3) & 3, (head[1] >> 1) & 3, head[2] >> 4
    return version != 1 and layer == 1 and bitrate not in (0, 15)


_TEXT_BYTES = bytes(range(32, 256)) + b"\t\n\r\f"  # what plain text may hold besides characters 32 and up


def is_plain_text(chunk: bytes, decoder: codecs.BufferedIncrementalDecoder, *, final: bool) -> bool:
    """UTF-8 without NUL or other control characters (tabs, line ends and form feeds allowed).

    Control characters are checked on the bytes: in valid UTF-8 a byte below 32 is always that character."""
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return not chunk.translate(None, _TEXT_BYTES)


def _text(head: bytes, *, complete: bool) -> Detected | Refusal | None:
    sample = head.removeprefix(codecs.BOM_UTF8)
    start = sample[:4096].lstrip().lower()
    if start.startswith(b"#!amr"):
        return Refusal(_("an AMR voice recording"), _AUDIO_HINT)
    if start.startswith(b"#!"):
        return _SCRIPT
    if start.startswith(b"{\\rtf"):
        return Refusal(_("a rich text document (RTF)"), _DOC_HINT)
    if start.startswith(b"<") and any(marker in start for marker in _MARKUP):
        return _SVG if b"<svg" in start else _HTML
    decoder = codecs.getincrementaldecoder("utf-8")()
    if sample and is_plain_text(sample, decoder, final=complete):
        return TEXT
    return None


def identify(head: bytes, *, complete: bool) -> Detected | Refusal | None:
    """The type of a file whose first bytes are ``head`` (``complete``: ``head`` is the whole file)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and len(head) >= 12:
        form = head[8:12]
        if form == b"WEBP":
            return WEBP
        if form == b"WAVE":
            return WAV
        if form == b"AVI ":
            return Refusal(_("an AVI video"), _VIDEO_HINT)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _ftyp(head)
    if len(head) >= 8 and head[4:8] in (b"moov", b"mdat", b"wide", b"free") and head[:4] != b"\0\0\0\0":
        return MOV  # QuickTime files written before the ftyp box existed
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"ID3") or _mpeg_audio(head):
        return MP3
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        if b"\x80theora" in head[:1024]:
            return Refusal(_("an Ogg video (Theora)"), _VIDEO_HINT)
        if any(codec in head[:1024] for codec in (b"OpusHead", b"\x01vorbis", b"fLaC")):
            return OGG
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return WEBM
        return Refusal(_("a Matroska video (.mkv)"), _VIDEO_HINT)
    if head.startswith(b"PK\x03\x04"):
        return ZIP_PENDING
    if head.startswith(b"MZ"):
        return _EXE
    if head.startswith(b"\x7fELF"):
        return _ELF
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"):
        return _MACHO
    if head.startswith(b"\xca\xfe\xba\xbe"):
        return Refusal(_("a program (Java or macOS)"), harmful=True)
    if head.startswith(b"dex\n"):
        return _DEX
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
        return Refusal(_("a compressed archive"), _ARCHIVE_HINT, harmful=True)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Refusal(_("an old Microsoft Office file (.doc, .xls, .ppt)"), _DOC_HINT)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Refusal(_("a GIF image"), _PHOTO_HINT)
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Refusal(_("a TIFF image"), _PHOTO_HINT)
    if (
        head.startswith(b"BM")
        and len(head) >= 18
        and struct.unpack("<I", head[14:18])[0] in (12, 40, 56, 108, 124)
    ):
        return Refusal(_("a BMP image"), _PHOTO_HINT)
    if head.startswith(b"#!AMR"):
        return Refusal(_("an AMR voice recording"), _AUDIO_HINT)
    return _text(head, complete=complete)


def identify_zip(path: Path | IO[bytes], head: bytes) -> Detected | Refusal:
    """DOCX or ODT from a ZIP container's directory (nothing is extracted); anything else is refused.
    ``path`` is the file or a seekable stream of it (the store's decrypted view)."""
    # ODT puts an uncompressed ``mimetype`` entry first; its content follows the 30-byte header and the name.
    if head[30:38] == b"mimetype":
        (name_len, extra_len) = struct.unpack("<HH", head[26:30])
        content = head[30 + name_len + extra_len : 30 + name_len + extra_len + 80]
        if content.startswith(b"application/vnd.oasis.opendocument.text") and not content.startswith(
            b"application/vnd.oasis.opendocument.text-"
        ):
            return ODT
        if content.startswith(b"application/vnd.oasis.opendocument"):
            return Refusal(_("an OpenDocument file that is not a text"), _DOC_HINT)
        if content.startswith(b"application/epub"):
            return Refusal(_("an e-book (EPUB)"), _DOC_HINT)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return Refusal(_("a damaged zip archive"), _ARCHIVE_HINT, harmful=True)
    if "AndroidManifest.xml" in names or "classes.dex" in names:
        return Refusal(_("an Android app (.apk)"), harmful=True)
    if "META-INF/MANIFEST.MF" in names:
        return Refusal(_("a Java program (.jar)"), harmful=True)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        if "word/vbaProject.bin" in names:
            return Refusal(_("a Word document with macros (.docm)"), _DOC_HINT)
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return Refusal(_("an Excel spreadsheet"), _DOC_HINT)
    if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
        return Refusal(_("a PowerPoint presentation"), _DOC_HINT)
    return Refusal(_("a zip archive"), _ARCHIVE_HINT, harmful=True)


_ACCEPTED = (JPEG, PNG, WEBP, HEIC, PDF, MP3, M4A, OGG, WAV, FLAC, MP4, GPP, MOV, WEBM, TEXT, DOCX, ODT)


def extension_for(media_type: str | None) -> str:
    """The usual file extension of an accepted type ("bin" for anything else)."""
    base = (media_type or "").split(";")[0].strip()
    return next((d.ext for d in _ACCEPTED if d.media_type == base), "bin")

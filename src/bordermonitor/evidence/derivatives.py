"""Working copies and thumbnails: what pages show instead of an original, with its metadata removed.

Photos carry GPS positions, device serial numbers and owner names; PDFs carry authors, editing software,
scripts and attachments; audio files carry tags. A person viewing evidence in a page needs none of that, and
showing it can expose the person who testified or the one who documented. So:

- images (JPEG, PNG, WebP) are decoded under the pixel cap (:mod:`.images`), turned upright (EXIF
  orientation applied), converted to sRGB, and re-encoded from pixels only (JPEG, or PNG when transparent):
  EXIF, GPS, XMP, ICC profiles and PNG text chunks do not survive; a 320-pixel thumbnail is made from that;
- PDFs are rewritten with pikepdf without the document information dictionary, XMP metadata streams,
  JavaScript, open/additional actions, launch/submit actions, embedded files and attachment annotations, and
  form definitions;
- MP3, M4A, Ogg and FLAC lose their tags (mutagen); WAV is rewritten keeping only its format and sound data;
- plain text has nothing embedded: its working copy is the same bytes;
- video, HEIC and office documents are not cleaned: no working copy is made (reviewers download originals).

Every derivative is sealed in a content-addressed store of its own and described by a :class:`Derivative`
(parent digest, tool and version, what was done), so a copy can always be traced to its original.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mutagen
import pikepdf
import PIL
from PIL import Image, ImageCms, ImageOps

from bordermonitor.evidence.images import ImageProblem, open_image
from bordermonitor.evidence.store import FileStore

__all__ = ["THUMBNAIL_PX", "Derivative", "clean_image", "clean_pdf", "make_derivatives"]

log = logging.getLogger(__name__)

THUMBNAIL_PX = 320
_PILLOW = f"Pillow {PIL.__version__}"
_PIKEPDF = f"pikepdf {pikepdf.__version__}"
_MUTAGEN = f"mutagen {mutagen.version_string}"
_RIFF = "bordermonitor RIFF rewrite"
_BAD_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition", "/GoToE"}
_BAD_ANNOTATIONS = {"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}


@dataclass(frozen=True, slots=True)
class Derivative:
    role: str  # working | thumbnail
    sha256: str
    parent_sha256: str
    media_type: str
    size: int
    tool: str
    transformation: str


# --- images ---------------------------------------------------------------------------------------------


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: the pixels are kept as they are, the profile is dropped anyway
    return converted if converted is not None else image


def clean_image(image: Image.Image) -> tuple[Image.Image, str]:
    """Pixels only: upright, sRGB, no metadata. Returns the image and the format to write (JPEG or PNG)."""
    upright = ImageOps.exif_transpose(image) or image
    upright = _to_srgb(upright)
    transparent = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if transparent else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)  # a new image: nothing of the source's ``info`` (EXIF, XMP, ICC, text) is carried
    return clean, "PNG" if transparent else "JPEG"


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _image_derivatives(path: Path, parent: str, store: FileStore) -> list[Derivative]:
    with open_image(path) as image:
        clean, fmt = clean_image(image)
    media = "image/jpeg" if fmt == "JPEG" else "image/png"
    working_bytes = _encode(clean, fmt)
    working = store.seal_bytes(working_bytes)
    clean.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    thumb = store.seal_bytes(_encode(clean, fmt))
    return [
        Derivative(
            "working",
            working.sha256,
            parent,
            media,
            working.size,
            _PILLOW,
            f"re-encoded from pixels as {fmt}: orientation applied, sRGB; EXIF, GPS, XMP, ICC and text removed",
        ),
        Derivative(
            "thumbnail",
            thumb.sha256,
            working.sha256,
            media,
            thumb.size,
            _PILLOW,
            f"scaled to fit {THUMBNAIL_PX}×{THUMBNAIL_PX} px from the working copy",
        ),
    ]


# --- PDF ------------------------------------------------------------------------------------------------


def _drop(dictionary: pikepdf.Object, *keys: str) -> None:
    for key in keys:
        if key in dictionary:
            del dictionary[key]


def _bad_action(value: object) -> bool:
    return isinstance(value, pikepdf.Dictionary) and str(value.get("/S", "")) in _BAD_ACTIONS


def clean_pdf(pdf: pikepdf.Pdf) -> None:
    """Remove metadata, scripts, actions and attachments from ``pdf`` in place."""
    root = pdf.Root
    _drop(
        root, "/Metadata", "/OpenAction", "/AA", "/AcroForm", "/AF", "/PieceInfo", "/SpiderInfo", "/Threads"
    )
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        _drop(names, "/JavaScript", "/EmbeddedFiles")
    for page in pdf.pages:
        page_obj = page.obj
        _drop(page_obj, "/AA", "/Metadata", "/PieceInfo")
        annotations = page_obj.get("/Annots")
        if isinstance(annotations, pikepdf.Array):
            kept = pikepdf.Array(
                [a for a in annotations if str(a.get("/Subtype", "")) not in _BAD_ANNOTATIONS]
            )
            page_obj["/Annots"] = kept
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            _drop(obj, "/Metadata", "/AA", "/JS", "/PieceInfo", "/AF")
            if _bad_action(obj.get("/A")):
                del obj["/A"]
            if "/Next" in obj and str(obj.get("/Type", "")) != "/Annot":
                del obj["/Next"]  # chained actions
            if str(obj.get("/Type", "")) in ("/Filespec", "/EmbeddedFile"):
                _drop(obj, "/EF", "/RF")
    _drop(pdf.trailer, "/Info")


def _pdf_derivatives(path: Path, parent: str, store: FileStore) -> list[Derivative]:
    with pikepdf.open(path) as pdf:
        clean_pdf(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    working = store.seal_bytes(out.getvalue())
    return [
        Derivative(
            "working",
            working.sha256,
            parent,
            "application/pdf",
            working.size,
            _PIKEPDF,
            "rewritten without document info, XMP, JavaScript, actions, forms, embedded files and attachments",
        )
    ]


# --- audio ----------------------------------------------------------------------------------------------


def _copy_to_temp(path: Path, suffix: str, work: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=work, suffix=suffix, prefix="working-")
    with open(fd, "wb") as out, path.open("rb") as source:
        shutil.copyfileobj(source, out, 1 << 20)
    return Path(name)


def _strip_tags(copy: Path) -> None:
    if copy.suffix == ".mp3":
        from mutagen.apev2 import delete as delete_ape
        from mutagen.id3 import delete as delete_id3

        delete_id3(copy, delete_v1=True, delete_v2=True)
        delete_ape(copy)
        return
    audio = mutagen.File(copy)
    if audio is None:
        raise ValueError("mutagen does not read this file")
    if hasattr(audio, "clear_pictures"):
        audio.clear_pictures()
    audio.delete()
    if audio.tags is not None:
        audio.save()


def _rewrite_wav(source: Path, target: Path) -> None:
    """Keep the RIFF chunks that make the sound (fmt, fact, data); drop LIST/INFO, id3, bext, iXML, …"""
    keep = {b"fmt ", b"fact", b"data"}
    chunks: list[tuple[bytes, int, int]] = []
    with source.open("rb") as handle:
        riff, _size, wave = struct.unpack("<4sI4s", handle.read(12))
        if riff != b"RIFF" or wave != b"WAVE":
            raise ValueError("not a RIFF WAVE file")
        while header := handle.read(8):
            if len(header) < 8:
                break
            chunk_id, chunk_size = struct.unpack("<4sI", header)
            start = handle.tell()
            if chunk_id in keep:
                chunks.append((chunk_id, start, chunk_size))
            handle.seek(start + chunk_size + (chunk_size & 1))
        if not any(c[0] == b"data" for c in chunks) or not any(c[0] == b"fmt " for c in chunks):
            raise ValueError("no fmt or data chunk")
        total = 4 + sum(8 + size + (size & 1) for _, _, size in chunks)
        with target.open("wb") as out:
            out.write(struct.pack("<4sI4s", b"RIFF", total, b"WAVE"))
            for chunk_id, start, size in chunks:
                out.write(struct.pack("<4sI", chunk_id, size))
                handle.seek(start)
                remaining = size
                while remaining:
                    data = handle.read(min(remaining, 1 << 20))
                    if not data:
                        raise ValueError("truncated chunk")
                    out.write(data)
                    remaining -= len(data)
                if size & 1:
                    out.write(b"\0")


_AUDIO_SUFFIX = {"audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/ogg": ".ogg", "audio/flac": ".flac"}


def _audio_derivatives(path: Path, parent: str, media_type: str, store: FileStore) -> list[Derivative]:
    work = store.root / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    if media_type == "audio/wav":
        fd, name = tempfile.mkstemp(dir=work, suffix=".wav", prefix="working-")
        copy = Path(name)
        os.close(fd)
        tool, what = _RIFF, "rewritten keeping only the format and sound data chunks (LIST/INFO, ID3 removed)"
        try:
            _rewrite_wav(path, copy)
            working = store.seal_path(copy)
        finally:
            copy.unlink(missing_ok=True)
    else:
        copy = _copy_to_temp(path, _AUDIO_SUFFIX[media_type], work)
        tool, what = _MUTAGEN, "tags and embedded pictures removed; sound data unchanged"
        try:
            _strip_tags(copy)
            working = store.seal_path(copy)
        finally:
            copy.unlink(missing_ok=True)
    return [Derivative("working", working.sha256, parent, media_type, working.size, tool, what)]


# --- text -----------------------------------------------------------------------------------------------


def _text_derivatives(path: Path, parent: str, store: FileStore) -> list[Derivative]:
    working = store.seal_path(path)
    return [
        Derivative(
            "working",
            working.sha256,
            parent,
            "text/plain; charset=utf-8",
            working.size,
            "none",
            "unchanged: plain text carries no embedded metadata",
        )
    ]


def make_derivatives(*, original: Path, sha256: str, media_type: str, store: FileStore) -> list[Derivative]:
    """The working copy (and thumbnail) of the original at ``original``; ``[]`` when it cannot be cleaned.

    A failure to clean is not an error of the upload — the sealed original stays the evidence — so it is
    logged (digest prefix and reason only) and no copy is made.
    """
    makers: dict[str, Callable[[], list[Derivative]]] = {
        "image/jpeg": lambda: _image_derivatives(original, sha256, store),
        "image/png": lambda: _image_derivatives(original, sha256, store),
        "image/webp": lambda: _image_derivatives(original, sha256, store),
        "application/pdf": lambda: _pdf_derivatives(original, sha256, store),
        "text/plain": lambda: _text_derivatives(original, sha256, store),
        **{
            media: (lambda media=media: _audio_derivatives(original, sha256, media, store))  # type: ignore[misc]
            for media in ("audio/mpeg", "audio/mp4", "audio/ogg", "audio/flac", "audio/wav")
        },
    }
    maker = makers.get(media_type)
    if maker is None:
        return []
    try:
        return maker()
    except (
        ImageProblem,
        pikepdf.PdfError,
        pikepdf.PasswordError,
        mutagen.MutagenError,
        ValueError,
        OSError,
    ) as exc:
        log.warning("no working copy for evidence %s (%s): %s", sha256[:12], media_type, type(exc).__name__)
        return []

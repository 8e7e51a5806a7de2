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

Copies are made in memory from the decrypted original (a seekable stream over the encrypted file: no
plaintext is ever written to disk; a WAV and a text file stream straight from one encrypted file into the
other), then encrypted into the evidence store like any file, to the organisation's working key. Each is
described by a :class:`Derivative` (parent digest, tool and version, what was done), so a copy can always be
traced to its original.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, BinaryIO, Protocol, cast

import mutagen
import pikepdf
import PIL
from PIL import Image, ImageCms, ImageOps

from bordermonitor.core.age import Recipient
from bordermonitor.evidence.images import ImageProblem, open_image
from bordermonitor.evidence.store import FileStore, Sealed

__all__ = ["THUMBNAIL_PX", "Derivative", "clean_image", "clean_pdf", "make_derivatives"]

log = logging.getLogger(__name__)

THUMBNAIL_PX = 320
_PILLOW = f"Pillow {PIL.__version__}"
_PIKEPDF = f"pikepdf {pikepdf.__version__}"
_MUTAGEN = f"mutagen {mutagen.version_string}"
_RIFF = "bordermonitor RIFF rewrite"
_BAD_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition", "/GoToE"}
_BAD_ANNOTATIONS = {"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}


Opener = Callable[[], IO[bytes]]
"""Opens the original's plaintext as a fresh seekable stream (the caller's context closes it)."""


class _Writable(Protocol):
    def write(self, data: bytes) -> object: ...


@dataclass(frozen=True, slots=True)
class Derivative:
    role: str  # working | thumbnail
    sha256: str  # of the copy's plaintext
    parent_sha256: str
    media_type: str
    size: int
    tool: str
    transformation: str
    blob: str  # where it is in the evidence store (encrypted)
    key_header: bytes = field(repr=False)  # its file key, wrapped to the organisation's working key


def _derivative(role: str, sealed: Sealed, parent: str, media_type: str, tool: str, what: str) -> Derivative:
    return Derivative(
        role, sealed.sha256, parent, media_type, sealed.size, tool, what, sealed.blob, sealed.key_header
    )


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


def _image_derivatives(original: Opener, parent: str, store: FileStore, to: Recipient) -> list[Derivative]:
    with original() as source, open_image(source) as image:
        clean, fmt = clean_image(image)
    media = "image/jpeg" if fmt == "JPEG" else "image/png"
    working = store.seal_bytes(_encode(clean, fmt), recipient=to)
    clean.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    thumb = store.seal_bytes(_encode(clean, fmt), recipient=to)
    return [
        _derivative(
            "working",
            working,
            parent,
            media,
            _PILLOW,
            f"re-encoded from pixels as {fmt}: orientation applied, sRGB; EXIF, GPS, XMP, ICC and text removed",
        ),
        _derivative(
            "thumbnail",
            thumb,
            working.sha256,
            media,
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


def _pdf_derivatives(original: Opener, parent: str, store: FileStore, to: Recipient) -> list[Derivative]:
    with original() as source, pikepdf.open(cast(BinaryIO, source)) as pdf:
        clean_pdf(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    working = store.seal_bytes(out.getvalue(), recipient=to)
    return [
        _derivative(
            "working",
            working,
            parent,
            "application/pdf",
            _PIKEPDF,
            "rewritten without document info, XMP, JavaScript, actions, forms, embedded files and attachments",
        )
    ]


# --- audio ----------------------------------------------------------------------------------------------


def _strip_tags(copy: io.BytesIO, media_type: str) -> None:
    """Remove the tags of the audio file held in ``copy`` (in memory), in place."""
    if media_type == "audio/mpeg":
        from mutagen.apev2 import delete as delete_ape
        from mutagen.id3 import delete as delete_id3

        delete_id3(copy, delete_v1=True, delete_v2=True)
        copy.seek(0)
        delete_ape(copy)
        return
    copy.seek(0)
    audio = mutagen.File(copy)
    if audio is None:
        raise ValueError("mutagen does not read this file")
    if hasattr(audio, "clear_pictures"):
        audio.clear_pictures()
    copy.seek(0)
    audio.delete(copy)
    if audio.tags is not None:
        copy.seek(0)
        audio.save(copy)


def _rewrite_wav(source: IO[bytes], target: _Writable) -> None:
    """Keep the RIFF chunks that make the sound (fmt, fact, data); drop LIST/INFO, id3, bext, iXML, …"""
    keep = {b"fmt ", b"fact", b"data"}
    chunks: list[tuple[bytes, int, int]] = []
    handle = source
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
    target.write(struct.pack("<4sI4s", b"RIFF", total, b"WAVE"))
    for chunk_id, start, size in chunks:
        target.write(struct.pack("<4sI", chunk_id, size))
        handle.seek(start)
        remaining = size
        while remaining:
            data = handle.read(min(remaining, 1 << 20))
            if not data:
                raise ValueError("truncated chunk")
            target.write(data)
            remaining -= len(data)
        if size & 1:
            target.write(b"\0")


def _audio_derivatives(
    original: Opener, parent: str, media_type: str, store: FileStore, to: Recipient
) -> list[Derivative]:
    if media_type == "audio/wav":
        tool, what = _RIFF, "rewritten keeping only the format and sound data chunks (LIST/INFO, ID3 removed)"
        with original() as source, store.sealing(to) as sealing:
            _rewrite_wav(source, sealing)
            working = sealing.finish()
    else:
        tool, what = _MUTAGEN, "tags and embedded pictures removed; sound data unchanged"
        with original() as source:
            copy = io.BytesIO(source.read())  # in memory: mutagen rewrites files in place
        _strip_tags(copy, media_type)
        working = store.seal_bytes(copy.getvalue(), recipient=to)
    return [_derivative("working", working, parent, media_type, tool, what)]


# --- text -----------------------------------------------------------------------------------------------


def _text_derivatives(original: Opener, parent: str, store: FileStore, to: Recipient) -> list[Derivative]:
    with original() as source:
        working = store.seal(source, recipient=to)
    return [
        _derivative(
            "working",
            working,
            parent,
            "text/plain; charset=utf-8",
            "none",
            "unchanged: plain text carries no embedded metadata",
        )
    ]


def make_derivatives(
    *, original: Opener, sha256: str, media_type: str, store: FileStore, recipient: Recipient
) -> list[Derivative]:
    """The working copy (and thumbnail) of the original of digest ``sha256``, whose plaintext ``original()``
    opens, encrypted into ``store`` to ``recipient`` (the organisation's working key); ``[]`` when it cannot
    be cleaned.

    A failure to clean is not an error of the upload — the sealed original stays the evidence — so it is
    logged (digest prefix and reason only) and no copy is made. A damaged original is an error
    (:class:`bordermonitor.evidence.store.IntegrityError` or :class:`bordermonitor.core.age.AgeError`).
    """
    to = recipient
    makers: dict[str, Callable[[], list[Derivative]]] = {
        "image/jpeg": lambda: _image_derivatives(original, sha256, store, to),
        "image/png": lambda: _image_derivatives(original, sha256, store, to),
        "image/webp": lambda: _image_derivatives(original, sha256, store, to),
        "application/pdf": lambda: _pdf_derivatives(original, sha256, store, to),
        "text/plain": lambda: _text_derivatives(original, sha256, store, to),
        **{
            media: (lambda media=media: _audio_derivatives(original, sha256, media, store, to))  # type: ignore[misc]
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
        struct.error,
    ) as exc:
        log.warning("no working copy for evidence %s (%s): %s", sha256[:12], media_type, type(exc).__name__)
        return []

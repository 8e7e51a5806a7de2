"""Receiving one uploaded file: seal, identify by content, check it fits the kind of evidence — or refuse it.

Order matters. The bytes stream into a temporary file inside the sealed store while their SHA-256 is taken
(:meth:`FileStore.seal_checked`), so the digest is of the bytes exactly as received and the file is never
held in memory. While they stream, the first bytes are identified (magic numbers, :mod:`.signatures`) and the
size is counted, so a program or an oversized upload is stopped early. Before the temporary file is linked
into the store, the whole file is checked (text is UTF-8 throughout, a ZIP is a DOCX or ODT, an image opens
within the pixel cap). A refused file is deleted from the temporary area: nothing of it remains in the store.

The file's name and the type the browser claims are never consulted. Refusals raise a :class:`Rejected`
subclass whose ``template % params`` is a sentence the person can act on; the web layer translates it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bordermonitor.evidence.images import ImageProblem, open_image
from bordermonitor.evidence.signatures import (
    ZIP_PENDING,
    Detected,
    Refusal,
    identify,
    identify_zip,
    is_plain_text,
)
from bordermonitor.evidence.store import FileStore, SealedFile

__all__ = [
    "KIND_FAMILIES",
    "Damaged",
    "EmptyFile",
    "IntakeLimits",
    "KindMismatch",
    "NotAccepted",
    "Received",
    "Rejected",
    "TooLarge",
    "UnknownKind",
    "Unrecognised",
    "receive",
]

_HEAD = 64 * 1024  # bytes kept for identification
_DECIDE_AT = 4096  # identify as soon as this much has arrived (or at the end, for smaller files)
_PILLOW_IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})


def _(text: str) -> str:
    return text


class Rejected(ValueError):
    """The upload is refused; nothing was stored. ``template % params`` is the message (English source)."""

    def __init__(self, template: str, **params: str | int) -> None:
        self.template, self.params = template, params
        super().__init__(template % params)


class EmptyFile(Rejected):
    pass


class TooLarge(Rejected):
    pass


class NotAccepted(Rejected):
    """A recognised type that is not on the allowlist (a program, a web page, an archive, GIF, …)."""


class Unrecognised(Rejected):
    pass


class Damaged(Rejected):
    """An allowed type whose content cannot be read (truncated image, pixel flood, broken container)."""


class KindMismatch(Rejected):
    pass


class UnknownKind(Rejected):
    pass


KIND_FAMILIES: dict[str, frozenset[str]] = {
    "photo": frozenset({"image"}),
    "medical_report": frozenset({"pdf", "image", "text", "office"}),
    "document": frozenset({"pdf", "image", "text", "office"}),
    "audio": frozenset({"audio"}),
    "video": frozenset({"video"}),
}
_KIND_LABELS = {
    "photo": _("a photo"),
    "medical_report": _("a medical report"),
    "document": _("a document"),
    "audio": _("an audio recording"),
    "video": _("a video"),
}
_KIND_EXPECTS = {
    "photo": _("an image (JPEG, PNG, WebP or HEIC)"),
    "medical_report": _("a PDF, an image, a plain text file or a DOCX/ODT document"),
    "document": _("a PDF, an image, a plain text file or a DOCX/ODT document"),
    "audio": _("an audio recording (MP3, M4A, Ogg/Opus, WAV or FLAC)"),
    "video": _("a video (MP4, MOV or WebM)"),
}


@dataclass(frozen=True, slots=True)
class IntakeLimits:
    max_bytes: int = 200 * 1024 * 1024

    @classmethod
    def megabytes(cls, mb: int) -> IntakeLimits:
        return cls(max_bytes=mb * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Received:
    """A sealed, identified original."""

    sha256: str
    size: int
    media_type: str
    family: str
    ext: str
    created: bool  # False: the same bytes were already sealed (another report may hold them too)


def _refuse(refusal: Refusal) -> NotAccepted:
    template, params = refusal.message()
    return NotAccepted(template, **params)


def _unrecognised() -> Unrecognised:
    return Unrecognised(
        _(
            "the type of this file could not be recognised from its content. Accepted are photos (JPEG, PNG, "
            "WebP, HEIC), PDF, audio (MP3, M4A, Ogg/Opus, WAV, FLAC), video (MP4, MOV, WebM), plain text, "
            "DOCX and ODT"
        )
    )


class _Inspector:
    """The two gates of :meth:`FileStore.seal_checked` for one upload."""

    def __init__(self, kind: str, limits: IntakeLimits) -> None:
        self.kind, self.limits = kind, limits
        self.head = b""
        self.detected: Detected | None = None

    def observe(self, chunk: bytes, size: int) -> None:
        if size > self.limits.max_bytes:
            raise TooLarge(
                _("this file is larger than the limit of %(limit)d MB: not accepted. Shorten or split it"),
                limit=self.limits.max_bytes // (1024 * 1024),
            )
        if len(self.head) < _HEAD:
            self.head += chunk[: _HEAD - len(self.head)]
        if self.detected is None and len(self.head) >= _DECIDE_AT:
            self.detected = self._decide(complete=False)

    def _decide(self, *, complete: bool) -> Detected:
        found = identify(self.head, complete=complete)
        if isinstance(found, Refusal):
            raise _refuse(found)
        if found is None:
            raise _unrecognised()
        _check_kind(self.kind, found)
        return found

    def approve(self, path: Path, sha256: str, size: int) -> None:
        if size == 0:
            raise EmptyFile(_("this file is empty (0 bytes): choose the file again"))
        if self.detected is None:
            self.detected = self._decide(complete=True)
        if self.detected is ZIP_PENDING:
            found = identify_zip(path, self.head)
            if isinstance(found, Refusal):
                raise _refuse(found)
            _check_kind(self.kind, found)
            self.detected = found
        if self.detected.family == "text" and not _text_throughout(path):
            raise _unrecognised()
        if self.detected.media_type in _PILLOW_IMAGES:
            try:
                with open_image(path):
                    pass
            except ImageProblem as problem:
                raise Damaged(problem.template, **problem.params) from None


def _text_throughout(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if not is_plain_text(chunk, decoder, final=False):
                return False
    return is_plain_text(b"", decoder, final=True)


def _check_kind(kind: str, found: Detected) -> None:
    if found is ZIP_PENDING:
        return
    if found.family not in KIND_FAMILIES[kind]:
        raise KindMismatch(
            _("%(kind)s must be %(expected)s; this file is %(found)s. Choose another kind or another file"),
            kind=_KIND_LABELS[kind],
            expected=_KIND_EXPECTS[kind],
            found=found.label,
        )


def receive(
    source: IO[bytes], *, store: FileStore, kind: str, limits: IntakeLimits | None = None
) -> Received:
    """Seal the bytes read from ``source`` into ``store`` if they are an accepted type fitting ``kind``.

    Raises a :class:`Rejected` subclass (nothing stored) otherwise.
    """
    if kind not in KIND_FAMILIES:
        raise UnknownKind(_("“%(kind)s” is not a kind of evidence"), kind=kind)
    inspector = _Inspector(kind, limits or IntakeLimits())
    sealed: SealedFile = store.seal_checked(source, observe=inspector.observe, approve=inspector.approve)
    detected = inspector.detected
    if detected is None:  # approve() decides or raises, so this cannot happen
        raise RuntimeError("upload sealed without being identified")
    return Received(
        sha256=sealed.sha256,
        size=sealed.size,
        media_type=detected.media_type,
        family=detected.family,
        ext=detected.ext,
        created=sealed.created,
    )

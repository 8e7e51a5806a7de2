"""Receiving one uploaded file: seal, identify by content, check it fits the kind of evidence — or refuse it.

Order matters. The bytes are encrypted as they arrive into a temporary payload inside the evidence store while
their SHA-256 is taken (:class:`bordermonitor.evidence.store.Sealing`), so the digest is of the bytes exactly as
received and the file is never held in memory or written to disk in plaintext. While they stream, the first
bytes are identified (magic numbers, :mod:`.signatures`) and the size is counted, so a program or an oversized
upload is stopped early. Before the payload is linked into the store, the whole file is checked, read back
decrypted as a seekable stream (text is UTF-8 throughout, a ZIP is a DOCX or ODT, an image opens within the
pixel cap). A refused file's payload is deleted from the temporary area: nothing of it remains in the store.

:class:`Intake` takes the bytes pushed to it (an upload handler gets them chunk by chunk, before the form's
other fields are known: the kind is checked when the upload completes); :func:`receive` reads a stream.

The file's name and the type the browser claims are never consulted. Refusals raise a :class:`Rejected`
subclass whose ``template % params`` is a sentence the person can act on; the web layer translates it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO

from bordermonitor.core.age import Recipient
from bordermonitor.evidence.images import ImageProblem, open_image
from bordermonitor.evidence.signatures import (
    ZIP_PENDING,
    Detected,
    Refusal,
    identify,
    identify_zip,
    is_plain_text,
)
from bordermonitor.evidence.store import FileStore, Sealed

__all__ = [
    "KIND_FAMILIES",
    "Damaged",
    "EmptyFile",
    "Intake",
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
_READ = 1 << 20
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
    sealed: Sealed = field(
        repr=False
    )  # where and how it is encrypted (blob, key header; the file key in memory)

    @property
    def blob(self) -> str:
        return self.sealed.blob


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
    """The gates of one upload: ``observe`` while it streams, ``approve`` over the complete file. The kind
    may be unknown while the bytes stream in (a form's file field comes before its kind): it is then checked
    when the upload completes."""

    def __init__(self, kind: str | None, limits: IntakeLimits) -> None:
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
        if self.kind is not None:
            _check_kind(self.kind, found)
        return found

    def approve(self, plaintext: IO[bytes], sha256: str, size: int) -> None:
        if size == 0:
            raise EmptyFile(_("this file is empty (0 bytes): choose the file again"))
        if self.detected is None:
            self.detected = self._decide(complete=True)
        if self.kind is not None:
            _check_kind(self.kind, self.detected)
        if self.detected is ZIP_PENDING:
            found = identify_zip(plaintext, self.head)
            if isinstance(found, Refusal):
                raise _refuse(found)
            if self.kind is not None:
                _check_kind(self.kind, found)
            self.detected = found
        if self.detected.family == "text" and not _text_throughout(plaintext):
            raise _unrecognised()
        if self.detected.media_type in _PILLOW_IMAGES:
            try:
                with open_image(plaintext):
                    pass
            except ImageProblem as problem:
                raise Damaged(problem.template, **problem.params) from None


def _text_throughout(plaintext: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    plaintext.seek(0)
    while chunk := plaintext.read(_READ):
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


def _check_known_kind(kind: str) -> None:
    if kind not in KIND_FAMILIES:
        raise UnknownKind(_("“%(kind)s” is not a kind of evidence"), kind=kind)


class Intake:
    """One upload on its way into ``store``, encrypted to ``recipient`` as it arrives.

    :meth:`write` each chunk (a refusal raises at once, and the partial payload is gone); :meth:`finish`
    with the kind checks the whole file and seals it; :meth:`abort` forgets it. ``kind`` may be given at the
    start (its mismatch is then found as soon as the type is known) or only to :meth:`finish`.
    """

    def __init__(
        self,
        *,
        store: FileStore,
        recipient: Recipient,
        limits: IntakeLimits | None = None,
        kind: str | None = None,
    ) -> None:
        if kind is not None:
            _check_known_kind(kind)
        self._inspector = _Inspector(kind, limits or IntakeLimits())
        self._sealing = store.sealing(recipient, observe=self._inspector.observe)

    @property
    def size(self) -> int:
        return self._sealing.size

    def write(self, chunk: bytes) -> None:
        self._sealing.write(chunk)

    def finish(self, *, kind: str) -> Received:
        """Check the complete file fits ``kind`` and seal it; a :class:`Rejected` subclass otherwise (and
        nothing of the file remains)."""
        try:
            _check_known_kind(kind)
        except Rejected:
            self.abort()
            raise
        self._inspector.kind = kind
        sealed = self._sealing.finish(approve=self._inspector.approve)
        detected = self._inspector.detected
        if detected is None:  # approve() decides or raises, so this cannot happen
            raise RuntimeError("upload sealed without being identified")
        return Received(
            sha256=sealed.sha256,
            size=sealed.size,
            media_type=detected.media_type,
            family=detected.family,
            ext=detected.ext,
            sealed=sealed,
        )

    def abort(self) -> None:
        self._sealing.abort()

    def __enter__(self) -> Intake:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.abort()


def receive(
    source: IO[bytes],
    *,
    store: FileStore,
    kind: str,
    recipient: Recipient,
    limits: IntakeLimits | None = None,
) -> Received:
    """Seal the bytes read from ``source`` into ``store``, encrypted to ``recipient``, if they are an
    accepted type fitting ``kind``.

    Raises a :class:`Rejected` subclass (nothing stored) otherwise.
    """
    with Intake(store=store, recipient=recipient, limits=limits, kind=kind) as intake:
        while chunk := source.read(_READ):
            intake.write(chunk)
        return intake.finish(kind=kind)

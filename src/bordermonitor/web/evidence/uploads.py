"""The upload handler of the evidence form: each chunk of the file goes straight into the encrypting sealer.

Django's own handlers keep an upload in memory (up to 2.5 MB) or spool it to a temporary file in
``FILE_UPLOAD_TEMP_DIR``, in plaintext, until the request ends. The evidence view replaces them with
:class:`EvidenceUploadHandler`, which hands every chunk as it is parsed to a
:class:`bordermonitor.storage.evidence.PendingUpload`: the digest, the size and type gates and the encryption
see it, and then it is dropped. No more than a chunk of the file is ever held in plaintext, in memory only.

A file refused while it streams (a program, an oversized file) is abandoned at once and the rest of its bytes
are read and thrown away, so the form's other fields (its kind and description, which come after the file)
still reach the view and can be shown back to the person with the refusal. Only the form's ``file`` field is
received; any other file in the request is discarded unread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest

from bordermonitor.core.age import CHUNK
from bordermonitor.evidence.intake import Rejected
from bordermonitor.storage.evidence import PendingUpload

__all__ = ["EvidenceUpload", "EvidenceUploadHandler"]

FIELD = "file"


class EvidenceUpload(UploadedFile):
    """What ``request.FILES["file"]`` holds: the upload, encrypted as it arrived and waiting for the view
    to complete it (``pending``), or the refusal met while it streamed (``refused``)."""

    def __init__(self, *, pending: PendingUpload | None, refused: Rejected | None, size: int) -> None:
        super().__init__(file=None, name="upload", content_type="application/octet-stream", size=size)
        self.pending, self.refused = pending, refused

    def close(self) -> None:
        return None


class EvidenceUploadHandler(FileUploadHandler):
    """Receives the form's ``file`` field into ``start()`` (a pending upload; ``None``: the person may not
    add files, and the bytes are discarded)."""

    chunk_size = CHUNK

    def __init__(self, request: HttpRequest, start: Callable[[], PendingUpload | None]) -> None:
        super().__init__(request)
        self._start = start
        self._pending: PendingUpload | None = None
        self._refused: Rejected | None = None
        self._receiving = False
        self._received = False

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self._receiving = field_name == FIELD and not self._received
        if self._receiving:
            self._received = True
            self._pending = self._start()
        raise StopFutureHandlers  # no other handler sees any file of this request

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self._receiving and self._pending is not None and self._refused is None:
            try:
                self._pending.write(raw_data)
            except Rejected as refusal:  # the sealer has dropped what it had: discard the rest
                self._refused = refusal
        return None  # consumed here: the bytes go nowhere else

    def file_complete(self, file_size: int) -> EvidenceUpload | None:
        if not self._receiving:
            return None
        self._receiving = False
        if self._refused is not None:
            return EvidenceUpload(pending=None, refused=self._refused, size=file_size)
        return EvidenceUpload(pending=self._pending, refused=None, size=file_size)

    def upload_interrupted(self) -> None:
        self.discard()

    def discard(self) -> None:
        """Forget an upload the view did not complete (its encrypted temporary file is deleted)."""
        if self._pending is not None:
            self._pending.abort()

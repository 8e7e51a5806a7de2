"""Evidence of one report: adding an upload, listing it for the evidence panel, and the reads behind the file
pages. Every query about evidence rows lives here, and every answer goes through the same rule:

- the files of a report (thumbnail, working copy) are shown to people who see the report in ``full`` or
  ``network`` view; analysts never get files (their view is pseudonymised);
- originals go to reviewers and admins of the owning organisation only, and each download is audited;
- anything else is :class:`NotVisible` (pages answer 404), so another organisation's evidence cannot even be
  confirmed to exist.

Files are encrypted at rest (``bordermonitor.evidence.store``): originals to the organisation's evidence key,
which may be held offline, working copies and thumbnails to its working key, which is always on the server.
Every read checks the whole file first — its encrypted bytes, every chunk, and the SHA-256 of what it
decrypts to — and only then serves it (the file is read twice). A file that fails raises
:class:`IntegrityFailed` and writes an ``integrity`` audit event naming the file and what failed.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django_scopes import scopes_disabled

from bordermonitor.core.age import Identity
from bordermonitor.core.records import EVIDENCE_KINDS
from bordermonitor.evidence.derivatives import Derivative, make_derivatives
from bordermonitor.evidence.intake import Intake, IntakeLimits, Received
from bordermonitor.evidence.signatures import Detected, identify
from bordermonitor.evidence.store import FileStore, IntegrityError, unwrap_file_key
from bordermonitor.storage.access import FULL, NETWORK, REVIEWER_ROLES, Access, NotVisible
from bordermonitor.storage.audit import record
from bordermonitor.storage.editing import NotAllowed
from bordermonitor.storage.keys import (
    KeyHeldOffline,
    KeyProblem,
    evidence_identity,
    evidence_recipient,
    working_identity,
    working_recipient,
)
from bordermonitor.storage.models import Evidence, EvidenceDerivative, Report, User

__all__ = [
    "EvidenceItem",
    "FileProblem",
    "IntegrityFailed",
    "KeyOffline",
    "NotEncrypted",
    "Panel",
    "PendingUpload",
    "add_evidence",
    "complete_upload",
    "derivative_for",
    "derivative_intact",
    "derive_copies",
    "evidence_for",
    "evidence_store",
    "open_derivative_file",
    "open_original",
    "original_for",
    "original_identity",
    "panel_for",
    "read_derivative",
    "read_original",
    "report_integrity",
    "start_upload",
    "write_public_copy",
]

log = logging.getLogger(__name__)

FILE_VIEWS = frozenset({FULL, NETWORK})


def _(text: str) -> str:
    return text


def evidence_store() -> FileStore:
    """The encrypted store of evidence files (originals and their copies): the one the CLI and imports use."""
    return FileStore(settings.BORDERMONITOR.evidence_dir)


# --- problems reading a file -----------------------------------------------------------------------------


class FileProblem(Exception):
    """A stored file cannot be served. ``template % params`` says why (English source; the web translates)."""

    def __init__(self, template: str, **params: str | int) -> None:
        self.template, self.params = template, params
        super().__init__(template % params)


class IntegrityFailed(FileProblem):
    """The file failed its integrity check (missing, changed, truncated, swapped, or not the bytes recorded)."""

    def __init__(self, evidence: Evidence, file: str, what: str) -> None:
        self.evidence, self.file, self.what = evidence, file, what
        super().__init__(
            _(
                "this file failed its integrity check: what is stored is not the file that was sealed, so it is "
                "not shown. The failure was recorded in the audit log; tell an administrator"
            )
        )


class KeyOffline(FileProblem):
    """The original is encrypted to an evidence key the organisation keeps offline."""

    def __init__(self, evidence: Evidence, version: int) -> None:
        self.evidence, self.version = evidence, version
        super().__init__(
            _(
                "this original cannot be opened on the server: the key that opens it is held offline by the "
                "organisation. Someone who holds the key's file can open it with the command-line tools"
            )
        )


class NotEncrypted(FileProblem):
    """The file was stored unencrypted by an earlier version and is not served until it is encrypted."""

    def __init__(self, evidence: Evidence, file: str) -> None:
        self.evidence, self.file = evidence, file
        super().__init__(
            _(
                "this file was stored without encryption by an earlier version and is not served until an "
                "administrator encrypts it (bordermonitor evidence encrypt-existing)"
            )
        )


def report_integrity(evidence: Evidence, *, file: str, blob: str | None, what: str) -> None:
    """Write the ``integrity`` audit event of a failed check: which file of which evidence, what failed (no
    content of the file, nothing personal)."""
    report = evidence.report
    record(
        "integrity",
        evidence,
        ref=report.ref,
        organisation=report.organisation.code,
        details={"evidence": evidence.sha256, "file": file, "blob": blob, "problem": what},
    )
    log.warning("evidence %s (%s): integrity check failed: %s", evidence.pk, file, what)


def original_identity(evidence: Evidence, identities: Sequence[Identity]) -> Identity:
    """The identity that opens ``evidence``'s original: the server's, else a supplied one, else
    :class:`KeyOffline`."""
    organisation, version = evidence.report.organisation_id, int(evidence.key_version or 0)
    try:
        return evidence_identity(organisation, version)
    except KeyHeldOffline:
        for identity in identities:
            try:
                return evidence_identity(organisation, version, supplied=identity)
            except KeyProblem:
                continue
        raise KeyOffline(evidence, version) from None


def _file_key(
    evidence: Evidence, file: str, blob: str, header: bytes | memoryview, identity: Identity
) -> bytes:
    try:
        return unwrap_file_key(bytes(header), identity, blob=blob)
    except IntegrityError as error:
        report_integrity(evidence, file=file, blob=blob, what=error.what)
        raise IntegrityFailed(evidence, file, error.what) from None


def _verified(
    store: FileStore, evidence: Evidence, file: str, blob: str, key: bytes, sha256: str
) -> IO[bytes]:
    try:
        return store.open_verified(blob, key, sha256)
    except IntegrityError as error:
        report_integrity(evidence, file=file, blob=blob, what=error.what)
        raise IntegrityFailed(evidence, file, error.what) from None


def open_original(
    evidence: Evidence, *, store: FileStore | None = None, identities: Sequence[Identity] = ()
) -> IO[bytes]:
    """The original's bytes, served only once the whole file checked (the caller closes the stream).

    Raises :class:`IntegrityFailed` (and audits it), :class:`KeyOffline` when the organisation keeps the key
    offline and none of ``identities`` opens it, :class:`NotEncrypted` for a file of an earlier version."""
    if evidence.blob is None or evidence.key_header is None:
        raise NotEncrypted(evidence, "original")
    identity = original_identity(evidence, identities)
    key = _file_key(evidence, "original", evidence.blob, evidence.key_header, identity)
    return _verified(store or evidence_store(), evidence, "original", evidence.blob, key, evidence.sha256)


def open_derivative_file(derivative: EvidenceDerivative, *, store: FileStore | None = None) -> IO[bytes]:
    """A working copy, thumbnail or public copy, served only once the whole file checked (the caller closes
    the stream; file responses do). Raises :class:`IntegrityFailed` (audited) or :class:`NotEncrypted`."""
    evidence = derivative.evidence
    if derivative.blob is None or derivative.key_header is None:
        raise NotEncrypted(evidence, derivative.role)
    identity = working_identity(evidence.report.organisation_id, int(derivative.key_version or 0))
    key = _file_key(evidence, derivative.role, derivative.blob, derivative.key_header, identity)
    return _verified(
        store or evidence_store(), evidence, derivative.role, derivative.blob, key, derivative.sha256
    )


def derivative_intact(derivative: EvidenceDerivative) -> bool:
    """Whether the copy's file is there and checks (a failure is audited)."""
    try:
        with open_derivative_file(derivative):
            return True
    except FileProblem:
        return False


def write_public_copy(sha256: str, target: Path) -> None:
    """Write the public copy of digest ``sha256`` (a reviewer chose it for the open data) to ``target``,
    checked first; :class:`IntegrityFailed` or :class:`NotEncrypted` if it cannot be."""
    with scopes_disabled():
        rows = EvidenceDerivative.objects.select_related("evidence__report__organisation").filter(
            role="public", sha256=sha256
        )
        derivative = rows.filter(blob__isnull=False).order_by("pk").first() or rows.order_by("pk").first()
        if derivative is None:
            raise FileNotFoundError(f"no public copy with SHA-256 {sha256}")
        with open_derivative_file(derivative) as source, target.open("xb") as out:
            shutil.copyfileobj(source, out, 1 << 20)


# --- the panel -------------------------------------------------------------------------------------------


def _may_download_original(access: Access, report: Report) -> bool:
    return bool(access.roles_in(report.organisation_id) & REVIEWER_ROLES)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One evidence row as the panel shows it."""

    evidence: Evidence
    working: EvidenceDerivative | None
    thumbnail: EvidenceDerivative | None
    can_download_original: bool

    @property
    def is_image(self) -> bool:
        return (self.evidence.media_type or "").startswith("image/")


@dataclass(frozen=True, slots=True)
class Panel:
    """What ``bordermonitor/evidence/_panel.html`` renders for one report and one person."""

    report: Report
    items: tuple[EvidenceItem, ...]
    shows_files: bool
    can_edit: bool
    kinds: tuple[str, ...] = EVIDENCE_KINDS

    @property
    def max_upload_mb(self) -> int:
        return int(settings.BORDERMONITOR.max_upload_mb)


def panel_for(access: Access, report: Report) -> Panel:
    """The evidence panel of ``report`` for ``access``: nothing for analysts or people who cannot see it."""
    view = access.view_of(report)
    if view not in FILE_VIEWS:
        return Panel(report=report, items=(), shows_files=False, can_edit=False)
    download = _may_download_original(access, report)
    rows = Evidence.objects.filter(report=report).prefetch_related("derivatives").order_by("position", "pk")
    items = []
    for evidence in rows:
        by_role = {d.role: d for d in evidence.derivatives.all()}
        items.append(
            EvidenceItem(
                evidence=evidence,
                working=by_role.get("working"),
                thumbnail=by_role.get("thumbnail"),
                can_download_original=download and evidence.stored,
            )
        )
    return Panel(report=report, items=tuple(items), shows_files=True, can_edit=access.can_edit(report))


# --- adding a file ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class PendingUpload:
    """An upload being received for ``report``: its bytes are encrypted to the organisation's evidence key
    (version ``key_version``) as they arrive. :func:`complete_upload` finishes it; :meth:`abort` forgets it."""

    report: Report
    intake: Intake
    key_version: int

    @property
    def size(self) -> int:
        return self.intake.size

    def write(self, chunk: bytes) -> None:
        self.intake.write(chunk)

    def abort(self) -> None:
        self.intake.abort()


def start_upload(*, access: Access, report: Report, kind: str | None = None) -> PendingUpload:
    """Begin receiving a file for ``report`` (:class:`NotAllowed` if the person may not edit it). The kind,
    if known now, lets a mismatching file be refused as soon as its type is seen."""
    if not access.can_edit(report):
        raise NotAllowed("this report cannot be changed by you in its current state")
    version, recipient = evidence_recipient(report.organisation_id)
    limits = IntakeLimits.megabytes(int(settings.BORDERMONITOR.max_upload_mb))
    intake = Intake(store=evidence_store(), recipient=recipient, limits=limits, kind=kind)
    return PendingUpload(report=report, intake=intake, key_version=version)


def _derivative_rows(
    evidence: Evidence, made: Sequence[Derivative], version: int
) -> list[EvidenceDerivative]:
    return [
        EvidenceDerivative(
            evidence=evidence,
            role=d.role,
            sha256=d.sha256,
            parent_sha256=d.parent_sha256,
            media_type=d.media_type,
            size=d.size,
            tool=d.tool,
            transformation=d.transformation,
            blob=d.blob,
            key_header=d.key_header,
            key_version=version,
        )
        for d in made
    ]


def complete_upload(
    *,
    access: Access,
    upload: PendingUpload,
    kind: str,
    description: str | None,
    user: User | None,
) -> Evidence:
    """Check the complete upload against ``kind``, seal it, make its cleaned copies (from the decrypted
    original, in memory) and write the evidence row, its copies and the ``create`` audit event together.

    Raises an :class:`bordermonitor.evidence.intake.Rejected` subclass (nothing stored) if the file is
    refused. The name the file had on the person's device is not kept (names of files often name people).
    """
    report = upload.report
    if not access.can_edit(report):
        upload.abort()
        raise NotAllowed("this report cannot be changed by you in its current state")
    received: Received = upload.intake.finish(kind=kind)
    sealed = received.sealed
    store = evidence_store()
    work_version, work_recipient = working_recipient(report.organisation_id)
    made: list[Derivative] = make_derivatives(
        original=lambda: store.open(sealed.blob, sealed.file_key),
        sha256=received.sha256,
        media_type=received.media_type,
        store=store,
        recipient=work_recipient,
    )
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).exists()  # serialise positions per report
        last = Evidence.objects.filter(report=report).aggregate(last=Max("position"))["last"]
        evidence = Evidence.objects.create(
            report=report,
            position=0 if last is None else last + 1,
            kind=kind,
            description=(description or "").strip() or None,
            path=f"{received.sha256[:16]}.{received.ext}",
            sha256=received.sha256,
            size=received.size,
            stored=True,
            media_type=received.media_type,
            blob=sealed.blob,
            key_header=sealed.key_header,
            key_version=upload.key_version,
            uploaded_by=user,
        )
        EvidenceDerivative.objects.bulk_create(_derivative_rows(evidence, made, work_version))
        record("create", report, details={"evidence": received.sha256, "kind": kind})
    return evidence


def add_evidence(
    *,
    access: Access,
    report: Report,
    upload: IO[bytes],
    kind: str,
    description: str | None,
    user: User | None,
) -> Evidence:
    """Seal the stream ``upload`` as a new piece of evidence of ``report`` with its cleaned copies.

    Raises :class:`NotAllowed` if the person may not edit the report, and an
    :class:`bordermonitor.evidence.intake.Rejected` subclass (nothing stored) if the file is refused.
    """
    pending = start_upload(access=access, report=report, kind=kind if kind in EVIDENCE_KINDS else None)
    try:
        while chunk := upload.read(1 << 20):
            pending.write(chunk)
        return complete_upload(access=access, upload=pending, kind=kind, description=description, user=user)
    finally:
        pending.abort()


def derive_copies(
    evidence: Evidence, *, originals: FileStore | None = None, identities: Sequence[Identity] = ()
) -> list[EvidenceDerivative]:
    """Make the cleaned copies of an evidence file that has none yet: imported files arrive sealed but
    without them. The type is read from the sealed bytes; a file of a type with no cleaned copy gets none,
    and neither does one whose key is held offline (unless ``identities`` opens it)."""
    if (
        not evidence.stored
        or evidence.blob is None
        or evidence.key_header is None
        or EvidenceDerivative.objects.filter(evidence=evidence).exists()
    ):
        return []
    store = originals or evidence_store()
    try:
        identity = original_identity(evidence, identities)
    except KeyOffline:
        return []
    blob = evidence.blob
    key = _file_key(evidence, "original", blob, evidence.key_header, identity)
    with _verified(store, evidence, "original", blob, key, evidence.sha256) as plaintext:
        head = plaintext.read(64 * 1024)
        complete = not plaintext.read(1)
    found = identify(head, complete=complete)
    if not isinstance(found, Detected):
        return []
    copies = evidence_store()
    work_version, work_recipient = working_recipient(evidence.report.organisation_id)
    made = make_derivatives(
        original=lambda: store.open(blob, key),
        sha256=evidence.sha256,
        media_type=found.media_type,
        store=copies,
        recipient=work_recipient,
    )
    with transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk, media_type__isnull=True).update(media_type=found.media_type)
        return EvidenceDerivative.objects.bulk_create(_derivative_rows(evidence, made, work_version))


# --- reading ---------------------------------------------------------------------------------------------


def evidence_for(access: Access, pk: int | str) -> Evidence:
    """Evidence ``pk`` if its files may be shown to ``access`` (report in full or network view), else
    :class:`NotVisible` — whether or not it exists. Analysts never get files."""
    try:
        evidence = Evidence.objects.select_related("report", "report__organisation").get(pk=int(pk))
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise NotVisible(pk) from None
    if access.view_of(evidence.report) not in FILE_VIEWS:
        raise NotVisible(pk)
    return evidence


def derivative_for(access: Access, pk: int | str, role: str) -> EvidenceDerivative:
    """The ``role`` copy (working, thumbnail, public) of evidence ``pk``; :class:`NotVisible` if there is
    none. Serving it is audited as a ``view`` of the report; :func:`open_derivative_file` reads it."""
    evidence = evidence_for(access, pk)
    derivative = EvidenceDerivative.objects.filter(evidence=evidence, role=role).first()
    if derivative is None:
        raise NotVisible(pk)
    derivative.evidence = evidence
    record("view", evidence.report, details={"evidence": evidence.sha256, "derivative": role})
    return derivative


def read_derivative(access: Access, pk: int | str, role: str) -> tuple[EvidenceDerivative, IO[bytes]]:
    """The ``role`` copy of evidence ``pk`` and its checked bytes (:func:`derivative_for`, then
    :func:`open_derivative_file`)."""
    derivative = derivative_for(access, pk, role)
    return derivative, open_derivative_file(derivative)


def original_for(access: Access, pk: int | str) -> Evidence:
    """Evidence ``pk`` for downloading its original: reviewers and admins of the owning organisation only
    (anyone else: :class:`NotVisible`). :func:`read_original` reads and audits it."""
    evidence = evidence_for(access, pk)
    if not _may_download_original(access, evidence.report) or not evidence.stored:
        raise NotVisible(pk)
    return evidence


def read_original(access: Access, pk: int | str) -> tuple[Evidence, IO[bytes]]:
    """The original of evidence ``pk`` and its checked bytes, for a reviewer or admin of its organisation;
    the download is audited once the file checked. Raises :class:`NotVisible`, or a :class:`FileProblem`
    (integrity failure — audited too —, key held offline, unencrypted file of an earlier version)."""
    evidence = original_for(access, pk)
    stream = open_original(evidence)
    record("download", evidence.report, details={"evidence": evidence.sha256})
    return evidence, stream

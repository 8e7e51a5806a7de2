"""Evidence of one report: adding an upload, listing it for the evidence panel, and the reads behind the file
pages. Every query about evidence rows lives here, and every answer goes through the same rule:

- the files of a report (thumbnail, working copy) are shown to people who see the report in ``full`` or
  ``network`` view; analysts never get files (their view is pseudonymised);
- originals go to reviewers and admins of the owning organisation only, and each download is audited;
- anything else is :class:`NotVisible` (pages answer 404), so another organisation's evidence cannot even be
  confirmed to exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from bordermonitor.core.records import EVIDENCE_KINDS
from bordermonitor.evidence.derivatives import Derivative, make_derivatives
from bordermonitor.evidence.intake import IntakeLimits, Received, receive
from bordermonitor.evidence.signatures import Detected, identify
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.access import FULL, NETWORK, REVIEWER_ROLES, Access, NotVisible
from bordermonitor.storage.audit import record
from bordermonitor.storage.editing import NotAllowed
from bordermonitor.storage.models import Evidence, EvidenceDerivative, Report, User

__all__ = [
    "EvidenceItem",
    "Panel",
    "add_evidence",
    "derivative_for",
    "derivative_store",
    "derive_copies",
    "evidence_for",
    "open_derivative_file",
    "open_original",
    "original_for",
    "original_store",
    "panel_for",
]

FILE_VIEWS = frozenset({FULL, NETWORK})


def original_store() -> FileStore:
    """The sealed store of originals: the one the CLI and imports use."""
    return FileStore(settings.BORDERMONITOR.evidence_dir)


def derivative_store() -> FileStore:
    """Derivatives live in a store of their own, content-addressed and write-once like the originals."""
    return FileStore(settings.BORDERMONITOR.evidence_dir / "derivatives")


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


def add_evidence(
    *,
    access: Access,
    report: Report,
    upload: IO[bytes],
    kind: str,
    description: str | None,
    user: User | None,
) -> Evidence:
    """Seal ``upload`` as a new piece of evidence of ``report`` with its cleaned copies.

    Raises :class:`NotAllowed` if the person may not edit the report, and an
    :class:`bordermonitor.evidence.intake.Rejected` subclass (nothing stored) if the file is refused. The
    name the file had on the person's device is not kept (names of files often name people).
    """
    if not access.can_edit(report):
        raise NotAllowed("this report cannot be changed by you in its current state")
    originals = original_store()
    limits = IntakeLimits.megabytes(int(settings.BORDERMONITOR.max_upload_mb))
    received: Received = receive(upload, store=originals, kind=kind, limits=limits)
    made: list[Derivative] = make_derivatives(
        original=originals.path_for(received.sha256),
        sha256=received.sha256,
        media_type=received.media_type,
        store=derivative_store(),
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
            uploaded_by=user,
        )
        EvidenceDerivative.objects.bulk_create(
            EvidenceDerivative(
                evidence=evidence,
                role=d.role,
                sha256=d.sha256,
                parent_sha256=d.parent_sha256,
                media_type=d.media_type,
                size=d.size,
                tool=d.tool,
                transformation=d.transformation,
            )
            for d in made
        )
        record("create", report, details={"evidence": received.sha256, "kind": kind})
    return evidence


def derive_copies(evidence: Evidence, *, originals: FileStore | None = None) -> list[EvidenceDerivative]:
    """Make the cleaned copies of an evidence file that has none yet: imported files arrive sealed but
    without them. The type is read from the sealed bytes; a file of a type with no cleaned copy gets none."""
    if not evidence.stored or EvidenceDerivative.objects.filter(evidence=evidence).exists():
        return []
    path = (originals or original_store()).path_for(evidence.sha256)
    if not path.exists():
        return []
    with path.open("rb") as handle:
        found = identify(handle.read(64 * 1024), complete=path.stat().st_size <= 64 * 1024)
    if not isinstance(found, Detected):
        return []
    made = make_derivatives(
        original=path, sha256=evidence.sha256, media_type=found.media_type, store=derivative_store()
    )
    with transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk, media_type__isnull=True).update(media_type=found.media_type)
        return EvidenceDerivative.objects.bulk_create(
            EvidenceDerivative(
                evidence=evidence,
                role=d.role,
                sha256=d.sha256,
                parent_sha256=d.parent_sha256,
                media_type=d.media_type,
                size=d.size,
                tool=d.tool,
                transformation=d.transformation,
            )
            for d in made
        )


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
    """The ``role`` copy (working, thumbnail) of evidence ``pk``; :class:`NotVisible` if there is none.

    Serving it is audited as a ``view`` of the report."""
    evidence = evidence_for(access, pk)
    derivative = EvidenceDerivative.objects.filter(evidence=evidence, role=role).first()
    if derivative is None or not derivative_store().exists(derivative.sha256):
        raise NotVisible(pk)
    record("view", evidence.report, details={"evidence": evidence.sha256, "derivative": role})
    return derivative


def original_for(access: Access, pk: int | str) -> Evidence:
    """Evidence ``pk`` for downloading its original: reviewers and admins of the owning organisation only
    (anyone else: :class:`NotVisible`). The download is audited."""
    evidence = evidence_for(access, pk)
    if not _may_download_original(access, evidence.report) or not evidence.stored:
        raise NotVisible(pk)
    if not original_store().exists(evidence.sha256):
        raise NotVisible(pk)
    record("download", evidence.report, details={"evidence": evidence.sha256})
    return evidence


def _path(store: FileStore, sha256: str) -> Path:
    return store.path_for(sha256)


def open_original(evidence: Evidence) -> IO[bytes]:
    """An open handle on the sealed original (the caller closes it; file responses do)."""
    return _path(original_store(), evidence.sha256).open("rb")


def open_derivative_file(derivative: EvidenceDerivative) -> IO[bytes]:
    """An open handle on a derivative (the caller closes it; file responses do)."""
    return _path(derivative_store(), derivative.sha256).open("rb")

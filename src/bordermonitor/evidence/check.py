"""The full check of the evidence store (``bordermonitor evidence check``), and encrypting files that an
earlier version stored in plaintext (``bordermonitor evidence encrypt-existing``).

For every evidence file and every copy made from one:

1. its encrypted file is in the store and its SHA-256 is still its name (needs no key);
2. where a key is at hand — the server's, or an identity file supplied for originals whose key is held
   offline — it decrypts (every chunk authenticates) to bytes whose SHA-256 is the one recorded;
3. each copy's parent hash is its original's or another copy's of the same evidence.

Each problem names the evidence, its report, which file and what failed, and writes an ``integrity`` audit
event. Files the store holds that no row names are listed too (a file left by an interrupted upload or
import, or one put there by hand); they are not problems of any evidence.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django_scopes import scopes_disabled

from bordermonitor.core.age import Identity, Recipient
from bordermonitor.evidence.store import FileStore, IntegrityError, Sealed, StoreError, unwrap_file_key
from bordermonitor.storage.evidence import KeyOffline, evidence_store, original_identity, report_integrity
from bordermonitor.storage.keys import (
    KeyProblem,
    MasterKeyMissing,
    evidence_recipient,
    working_identity,
    working_recipient,
)
from bordermonitor.storage.models import Evidence, EvidenceDerivative

__all__ = ["CheckReport", "Converted", "Problem", "check_evidence", "encrypt_existing"]

NOT_ENCRYPTED = (
    "not encrypted: stored in plaintext by an earlier version (run `bordermonitor evidence encrypt-existing`)"
)


@dataclass(frozen=True, slots=True)
class Problem:
    evidence: int
    report: str
    organisation: str
    kind: str  # the evidence kind (photo, medical_report, …)
    file: str  # original, working, thumbnail, public
    blob: str | None
    what: str

    def line(self) -> str:
        return (
            f"evidence {self.evidence} (report {self.report}, {self.organisation}), {self.kind}, {self.file}:"
            f" {self.what}"
        )


@dataclass(slots=True)
class CheckReport:
    files: int = 0  # files checked: originals and copies
    decrypted: int = 0  # of which decrypted and found to be the recorded bytes
    encrypted_only: int = 0  # of which only the encrypted file was checked (key held offline)
    not_encrypted: int = 0  # rows of an earlier version whose file is stored in plaintext
    erased: int = 0  # files erased on purpose (storage.retention): their key and file are gone
    problems: list[Problem] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)  # files in the store no row names

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "decrypted": self.decrypted,
            "encrypted_only": self.encrypted_only,
            "not_encrypted": self.not_encrypted,
            "erased": self.erased,
            "problems": [asdict(p) for p in self.problems],
            "unreferenced": self.unreferenced,
        }


def _rows(batch: int = 500) -> Iterator[tuple[Evidence, list[EvidenceDerivative]]]:
    ids = list(Evidence.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = (
            Evidence.objects.filter(pk__in=ids[start : start + batch])
            .select_related("report__organisation")
            .prefetch_related("derivatives")
            .order_by("pk")
        )
        for evidence in chunk:
            yield evidence, sorted(evidence.derivatives.all(), key=lambda d: d.pk)


class _Checker:
    def __init__(
        self, store: FileStore, identities: Sequence[Identity], progress: Callable[[], None]
    ) -> None:
        self.store, self.identities, self.progress = store, identities, progress
        self.report = CheckReport()
        self.referenced: set[str] = set()

    def problem(
        self, evidence: Evidence, file: str, blob: str | None, what: str, *, audit: bool = True
    ) -> None:
        report = evidence.report
        self.report.problems.append(
            Problem(evidence.pk, report.ref, report.organisation.code, evidence.kind, file, blob, what)
        )
        if audit:
            report_integrity(evidence, file=file, blob=blob, what=what)

    def file(
        self,
        evidence: Evidence,
        file: str,
        blob: str | None,
        header: bytes | memoryview | None,
        sha256: str,
        identity: Callable[[], Identity | None],
    ) -> None:
        self.report.files += 1
        self.progress()
        if blob is None or header is None:
            self.report.not_encrypted += 1
            self.problem(evidence, file, None, NOT_ENCRYPTED, audit=False)
            return
        self.referenced.add(blob)
        try:
            try:
                key_holder = identity()
            except MasterKeyMissing:
                raise
            except KeyProblem as error:  # a key version the organisation does not have
                self.store.check_cipher(blob)
                self.problem(evidence, file, blob, f"its key cannot be used ({error})")
                return
            if key_holder is None:
                self.store.check_cipher(blob)
                self.report.encrypted_only += 1
                return
            key = unwrap_file_key(bytes(header), key_holder, blob=blob)
            self.store.verify(blob, key, sha256)
            self.report.decrypted += 1
        except IntegrityError as error:
            self.problem(evidence, file, blob, error.what)

    def evidence(self, evidence: Evidence, derivatives: list[EvidenceDerivative]) -> None:
        header = evidence.key_header
        if header is not None and not bytes(header) and evidence.blob is None and not evidence.stored:
            self.report.erased += 1  # erased on purpose (storage.retention); its copies were deleted with it
            return
        organisation = evidence.report.organisation_id
        if evidence.stored or evidence.blob is not None:

            def original() -> Identity | None:
                try:
                    return original_identity(evidence, self.identities)
                except KeyOffline:
                    return None

            self.file(evidence, "original", evidence.blob, evidence.key_header, evidence.sha256, original)
        for derivative in derivatives:
            version = int(derivative.key_version or 0)
            self.file(
                evidence,
                derivative.role,
                derivative.blob,
                derivative.key_header,
                derivative.sha256,
                lambda version=version: working_identity(organisation, version),  # type: ignore[misc]
            )
            parents = {evidence.sha256} | {d.sha256 for d in derivatives if d.pk != derivative.pk}
            if derivative.parent_sha256 not in parents:
                self.problem(
                    evidence,
                    derivative.role,
                    derivative.blob,
                    f"its parent hash {derivative.parent_sha256[:16]}… is neither its original's nor another"
                    " copy's",
                )


def check_evidence(
    *,
    store: FileStore | None = None,
    identities: Sequence[Identity] = (),
    progress: Callable[[], None] | None = None,
) -> CheckReport:
    """Check every evidence file and copy (see the module's description); ``identities`` open originals whose
    key is held offline. Each problem is also an ``integrity`` audit event (files not yet encrypted are
    problems, but not integrity failures)."""
    checker = _Checker(store or evidence_store(), identities, progress or (lambda: None))
    with scopes_disabled():
        for evidence, derivatives in _rows():
            checker.evidence(evidence, derivatives)
    checker.report.unreferenced = sorted(set(checker.store.blob_names()) - checker.referenced)
    return checker.report


# --- files of earlier versions -------------------------------------------------------------------------------


@dataclass(slots=True)
class Converted:
    originals: int = 0
    copies: int = 0
    missing: list[str] = field(default_factory=list)  # files a row names that are not in the plaintext store
    removed: int = 0  # plaintext files deleted afterwards


def _seal_plaintext(
    store: FileStore, sha256: str, recipient: Recipient, *, derivative: bool
) -> Sealed | None:
    path = store.plaintext_path(sha256, derivative=derivative)
    if not path.is_file():
        return None
    return store.seal_path(path, recipient=recipient, expected_sha256=sha256)


def _plaintext_rows() -> Any:  # a QuerySet of Evidence
    return (
        Evidence.objects.filter(stored=True, blob__isnull=True)
        .select_related("report__organisation")
        .order_by("pk")
    )


def encrypt_existing(
    *,
    store: FileStore | None = None,
    remove_plaintext: bool = False,
    progress: Callable[[], None] | None = None,
) -> Converted:
    """Encrypt every file an earlier version stored in plaintext (``originals/…`` and
    ``derivatives/originals/…`` under the store) and record where each now is. Each file's SHA-256 is checked
    against its row first (a file that differs is refused and listed as missing). With ``remove_plaintext``,
    the plaintext files whose every row is now encrypted are deleted afterwards, then their emptied folders.
    """
    store = store or evidence_store()
    tick = progress or (lambda: None)
    done = Converted()
    with scopes_disabled():
        for evidence in _plaintext_rows():
            organisation = evidence.report.organisation_id
            version, recipient = evidence_recipient(organisation)
            try:
                sealed = _seal_plaintext(store, evidence.sha256, recipient, derivative=False)
            except (StoreError, OSError) as error:  # a digest mismatch or an unreadable file: name it, go on
                done.missing.append(f"evidence {evidence.pk} original: {error}")
                continue
            if sealed is None:
                done.missing.append(f"evidence {evidence.pk} original: not in {store.root / 'originals'}")
                continue
            with transaction.atomic():
                Evidence.objects.filter(pk=evidence.pk, blob__isnull=True).update(
                    blob=sealed.blob, key_header=sealed.key_header, key_version=version
                )
            done.originals += 1
            tick()
        copies = (
            EvidenceDerivative.objects.filter(blob__isnull=True)
            .select_related("evidence__report__organisation")
            .order_by("pk")
        )
        for derivative in copies:
            organisation = derivative.evidence.report.organisation_id
            version, recipient = working_recipient(organisation)
            try:
                sealed = _seal_plaintext(store, derivative.sha256, recipient, derivative=True)
            except (StoreError, OSError) as error:
                done.missing.append(f"evidence {derivative.evidence_id} {derivative.role}: {error}")
                continue
            if sealed is None:
                done.missing.append(
                    f"evidence {derivative.evidence_id} {derivative.role}: not in"
                    f" {store.root / 'derivatives' / 'originals'}"
                )
                continue
            EvidenceDerivative.objects.filter(pk=derivative.pk, blob__isnull=True).update(
                blob=sealed.blob, key_header=sealed.key_header, key_version=version
            )
            done.copies += 1
            tick()
        if remove_plaintext:
            done.removed = _remove_plaintext(store)
    return done


def _remove_plaintext(store: FileStore) -> int:
    """Delete the plaintext files no unencrypted row still needs; returns how many were deleted."""
    needed = set(_plaintext_rows().values_list("sha256", flat=True))
    needed_copies = set(EvidenceDerivative.objects.filter(blob__isnull=True).values_list("sha256", flat=True))
    removed = 0
    for base, keep in (
        (store.root / "originals", needed),
        (store.root / "derivatives" / "originals", needed_copies),
    ):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.name not in keep:
                path.unlink()
                removed += 1
        for directory in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
            if not any(directory.iterdir()):
                directory.rmdir()
        if not any(base.iterdir()):
            shutil.rmtree(base)
    derivatives = store.root / "derivatives"
    if (derivatives / "tmp").is_dir() and not any((derivatives / "tmp").iterdir()):
        (derivatives / "tmp").rmdir()
    if derivatives.is_dir() and not any(derivatives.iterdir()):
        derivatives.rmdir()
    return removed

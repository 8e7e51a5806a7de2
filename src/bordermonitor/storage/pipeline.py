"""The database-free half of an import: validated outcomes → sealed evidence → batches of prepared rows.

A record whose report was erased (docs/retention.md) is skipped here, before its evidence is sealed, and
counted with a warning: an import never re-creates what an erasure destroyed.

No Django here (an import-linter contract keeps it so), which lets ``storage.imports`` run this half in a
separate process while the importing process saves the batches it receives.

Evidence files are encrypted here, as they are read, to their organisation's evidence **recipient** — a public
key: this half holds no secret and could not open what it writes. It asks for recipients, and whether an
organisation already holds a file, through :class:`EvidenceKeys` (the Django half answers, in this process or
over the channel from the other); each batch carries the :class:`SealedEvidence` the Django half stores with
the rows (where the encrypted file is and the header that wraps its key).
"""

from __future__ import annotations

import gc
import hashlib
import importlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from bordermonitor.core.age import Recipient
from bordermonitor.core.records import ReportRecord, Unparsed
from bordermonitor.evidence.store import DigestMismatch, FileStore
from bordermonitor.importers.base import ImportSummary, Outcome
from bordermonitor.storage.repositories.mapping import EvidenceFile, PreparedReport, prepare

__all__ = [
    "Batch",
    "ChannelKeys",
    "ErasedReport",
    "EvidenceKeys",
    "SealedEvidence",
    "SealedRef",
    "collector_paused",
    "erased_warning",
    "prepare_in_child",
    "prepared_batches",
    "seal_evidence",
]


@dataclass(frozen=True, slots=True)
class SealedRef:
    """An encrypted evidence file: where it is, the header that wraps its key, the key version, its size."""

    blob: str
    key_header: bytes
    key_version: int
    size: int


@dataclass(frozen=True, slots=True)
class SealedEvidence:
    """One evidence reference of a prepared report and the encrypted file it is stored as."""

    organisation: str
    ref: str
    sha256: str
    file: SealedRef


@dataclass(frozen=True, slots=True)
class ErasedReport:
    """A stored report that was erased: the strongest rule applied to it and the day (ISO date) it was applied."""

    rule: str
    on: str


def erased_warning(where: str, organisation: str, ref: str, erased: ErasedReport) -> str:
    """The warning for a record of an erased report, skipped: where it is and its ref, nothing personal."""
    return (
        f"{where}: report {organisation}:{ref} was erased on {erased.on} under the rule {erased.rule!r};"
        " it is not re-created (the record was skipped)"
    )


Batch = tuple[list[PreparedReport], int, list[SealedEvidence]]
"""Prepared reports, the input position after the last one, and their sealed evidence files."""


class EvidenceKeys(Protocol):
    """What preparing records needs to know from the database: the evidence keys, and the reports erased."""

    def recipient(self, organisation: str) -> tuple[int, Recipient]:
        """The organisation's current evidence key version and public key (created if need be)."""
        ...

    def sealed(self, organisation: str, sha256: str) -> SealedRef | None:
        """An encrypted file the organisation already holds with these bytes, if any."""
        ...

    def erased(self, organisation: str, ref: str) -> ErasedReport | None:
        """The erasure of the organisation's stored report ``ref``, if it was erased."""
        ...


class _Known:
    """Files sealed during this import, by organisation and digest, so that the same file referenced again
    (before the rows of the first reference are saved) is stored once."""

    def __init__(self, keys: EvidenceKeys) -> None:
        self.keys = keys
        self.sealed: dict[tuple[str, str], SealedRef] = {}

    def lookup(self, organisation: str, sha256: str, store: FileStore) -> SealedRef | None:
        known = self.sealed.get((organisation, sha256)) or self.keys.sealed(organisation, sha256)
        return known if known is not None and store.exists(known.blob) else None


def _flag(record: ReportRecord, field: str, value: object, reason: str) -> None:
    entry = Unparsed(field=field, value=value, reason=reason)
    if entry not in record.source.unparsed:
        record.source.unparsed.append(entry)


def _digest_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def seal_evidence(
    record: ReportRecord, base: Path | None, store: FileStore, keys: EvidenceKeys | _Known
) -> tuple[list[EvidenceFile], list[SealedEvidence]]:
    """Seal (encrypt) each referenced file found under ``base`` whose SHA-256 is the one stated.

    A missing file or a digest mismatch keeps the reference, refuses the file and flags the report; nothing
    else of the report is lost. Paths are resolved and must stay inside ``base``. A file the organisation
    already holds (same digest) is not stored again: the reference points to the encrypted file it has.
    """
    known = keys if isinstance(keys, _Known) else _Known(keys)
    files: list[EvidenceFile] = []
    sealed: list[SealedEvidence] = []
    organisation = record.organisation
    root = base.resolve() if base is not None else None

    def stored(sha256: str, ref: SealedRef) -> None:
        files.append(EvidenceFile(size=ref.size, stored=True))
        sealed.append(SealedEvidence(organisation, record.ref, sha256, ref))
        known.sealed[(organisation, sha256)] = ref

    for i, ref in enumerate(record.evidence):
        if root is None:
            files.append(EvidenceFile(size=None, stored=False))
            continue
        path = (root / ref.path).resolve()
        sha256 = ref.sha256.lower()
        held = known.lookup(organisation, sha256, store)
        if not path.is_relative_to(root) or not path.is_file():
            if held is not None:  # sent again without its file: the original is sealed already
                stored(sha256, held)
                continue
            if not any(u.field.startswith(f"evidence[{i}]") for u in record.source.unparsed):
                # flagged once: a file refused at an earlier import stays refused, not "missing" as well
                _flag(
                    record,
                    f"evidence[{i}]",
                    ref.path,
                    "file not found next to the imported file; reference kept",
                )
            files.append(EvidenceFile(size=None, stored=False))
            continue
        try:
            if held is not None:
                actual = _digest_of(path)
                if actual != sha256:
                    raise DigestMismatch(sha256, actual)
                stored(sha256, held)
                continue
            version, recipient = known.keys.recipient(organisation)
            new = store.seal_path(path, recipient=recipient, expected_sha256=sha256)
        except DigestMismatch as exc:
            _flag(record, f"evidence[{i}].sha256", ref.sha256, f"the file was refused: {exc}")
            files.append(EvidenceFile(size=None, stored=False))
            continue
        stored(sha256, SealedRef(new.blob, new.key_header, version, new.size))
    return files, sealed


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records stream in (young objects are collected after
    each batch): with thousands of validated records alive, its full scans cost more than the import."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepared_batches(
    outcomes: Iterable[Outcome],
    *,
    store: FileStore,
    keys: EvidenceKeys,
    summary: ImportSummary,
    batch_size: int,
) -> Iterator[Batch]:
    """Count every outcome in ``summary`` (read, flagged, rejected with reasons, skipped as erased) and yield
    the good records, evidence sealed, as batches of prepared rows."""
    known = _Known(keys)
    batch: list[PreparedReport] = []
    sealed: list[SealedEvidence] = []
    position = 0
    with collector_paused():
        for outcome in outcomes:
            summary.read += 1
            summary.warnings.extend(outcome.warnings)
            position = outcome.position
            if outcome.rejected is not None:
                summary.reject(outcome.rejected.issues)
                continue
            assert outcome.validated is not None  # noqa: S101 - an Outcome holds one or the other
            record = outcome.validated.record
            erased = keys.erased(record.organisation, record.ref)
            if erased is not None:  # before its evidence is sealed: nothing of it is stored again
                summary.erased += 1
                summary.warnings.append(
                    erased_warning(outcome.where, record.organisation, record.ref, erased)
                )
                continue
            files, files_sealed = seal_evidence(record, outcome.evidence_base, store, known)
            sealed.extend(files_sealed)
            if record.flagged:
                summary.flagged += 1
                summary.flag_fields.update({u.field.split("[")[0] for u in record.source.unparsed})
                summary.flags.extend(str(i) for i in outcome.validated.issues)
            batch.append(prepare(record, files, where=outcome.where))
            if len(batch) >= batch_size:
                yield batch, position, sealed
                batch, sealed = [], []
                gc.collect(1)
        if batch:
            yield batch, position, sealed


class ChannelKeys:
    """:class:`EvidenceKeys` for the preparing process: asks the importing process over ``channel`` (a
    two-way pipe) with ``("recipient", code)``, ``("sealed", (code, sha256))`` and, once, ``("erased", None)``
    (every erased report, by organisation and ref) and waits for its answer, ``("keys", answer)``. Recipients
    are public keys and erased reports are named by ref: nothing secret or personal crosses the pipe."""

    def __init__(self, channel: Connection) -> None:
        self.channel = channel
        self.recipients: dict[str, tuple[int, Recipient]] = {}
        self.erased_reports: dict[tuple[str, str], ErasedReport] | None = None

    def _ask(self, question: str, about: object) -> Any:
        self.channel.send((question, about))
        kind, answer = self.channel.recv()
        if kind != "keys":
            raise RuntimeError(f"the importing process answered {kind!r} to {question!r}")
        return answer

    def recipient(self, organisation: str) -> tuple[int, Recipient]:
        if organisation not in self.recipients:
            version, text = self._ask("recipient", organisation)
            self.recipients[organisation] = (int(version), Recipient.parse(text))
        return self.recipients[organisation]

    def sealed(self, organisation: str, sha256: str) -> SealedRef | None:
        answer: SealedRef | None = self._ask("sealed", (organisation, sha256))
        return answer

    def erased(self, organisation: str, ref: str) -> ErasedReport | None:
        if self.erased_reports is None:
            self.erased_reports = self._ask("erased", None)
        return self.erased_reports.get((organisation, ref))


def prepare_in_child(
    importer: str, path: Path, options: dict[str, Any], store: FileStore, batch_size: int, channel: Connection
) -> None:
    """Entry point of the preparing process: sends ``("batch", Batch)`` messages, then ``("done", summary)``,
    or ``("error", exception)`` if reading the file fails; asks for keys on the same channel
    (:class:`ChannelKeys`)."""
    try:
        module = importlib.import_module(importer)
        summary = ImportSummary()
        for batch in prepared_batches(
            module.read(path, **options),
            store=store,
            keys=ChannelKeys(channel),
            summary=summary,
            batch_size=batch_size,
        ):
            channel.send(("batch", batch))
        channel.send(("done", summary))
    except Exception as exc:  # re-raised in the importing process
        try:
            channel.send(("error", exc))
        except Exception:  # an exception that cannot be sent as it is
            channel.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        channel.close()

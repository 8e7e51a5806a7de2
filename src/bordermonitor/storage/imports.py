"""Saving what an importer yields: organisations, sealed evidence, batches of records, the summary.

Each batch is one transaction; a rejected row never stops the import; every problem is in the summary. A
record whose report was erased (docs/retention.md) is skipped with a warning and counted, never re-created.
:func:`run_import` does everything in this process; :func:`run_import_file` reads, validates and prepares
rows in a second process while this one saves them, so that both processor cores work.

Evidence files are encrypted by the preparing half to each organisation's evidence recipient (a public key,
which :class:`DatabaseKeys` gives it); once a batch is saved, its evidence rows get where their encrypted
file is, the header that wraps its key and the key version (:func:`store_sealed`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import DatabaseError
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.age import Recipient
from bordermonitor.evidence.store import FileStore
from bordermonitor.importers.base import ImportSummary, Outcome
from bordermonitor.storage.keys import evidence_recipient
from bordermonitor.storage.models import Evidence, Organisation
from bordermonitor.storage.pipeline import (
    Batch,
    ErasedReport,
    SealedEvidence,
    SealedRef,
    collector_paused,
    erased_warning,
    prepare_in_child,
    prepared_batches,
)
from bordermonitor.storage.repositories.bulk import refresh_statistics
from bordermonitor.storage.repositories.mapping import PreparedReport
from bordermonitor.storage.repositories.reports import save_reports
from bordermonitor.storage.retention import erased_reports

__all__ = ["DatabaseKeys", "ensure_organisation", "run_import", "run_import_file", "store_sealed"]

Progress = Callable[[int], None]


def ensure_organisation(
    code: str, *, name: str | None = None, summary: ImportSummary | None = None
) -> Organisation:
    """The organisation with ``code``, created (with a warning in ``summary``) when it does not exist."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        organisation = Organisation.objects.create(code=code, name=name or code)
        if summary is not None:
            summary.warnings.append(
                f"organisation {code!r} did not exist and was created; give it a name in the admin"
            )
    return organisation


def _erased(found: dict[tuple[str, str], tuple[str, Any]]) -> dict[tuple[str, str], ErasedReport]:
    return {key: ErasedReport(rule, timezone.localdate(at).isoformat()) for key, (rule, at) in found.items()}


class DatabaseKeys:
    """What preparing an import needs from the database: each organisation's evidence recipient (the
    organisation is created if need be, as saving its first batch would), the files it already holds, and the
    reports that were erased (read once, on the first question)."""

    def __init__(self, summary: ImportSummary | None = None) -> None:
        self.summary = summary
        self._erased: dict[tuple[str, str], ErasedReport] | None = None

    def erased_reports(self) -> dict[tuple[str, str], ErasedReport]:
        """Every erased report by organisation code and ref."""
        if self._erased is None:
            self._erased = _erased(erased_reports())
        return self._erased

    def erased(self, organisation: str, ref: str) -> ErasedReport | None:
        return self.erased_reports().get((organisation, ref))

    def recipient(self, organisation: str) -> tuple[int, Recipient]:
        return evidence_recipient(ensure_organisation(organisation, summary=self.summary).pk)

    def sealed(self, organisation: str, sha256: str) -> SealedRef | None:
        with scopes_disabled():
            row = (
                Evidence.objects.filter(
                    report__organisation__code=organisation,
                    sha256=sha256,
                    stored=True,
                    blob__isnull=False,
                    key_header__isnull=False,
                )
                .order_by("pk")
                .values_list("blob", "key_header", "key_version", "size")
                .first()
            )
        if row is None:
            return None
        blob, header, version, size = row
        return SealedRef(blob, bytes(header), int(version or 0), int(size or 0))


def store_sealed(sealed: list[SealedEvidence]) -> None:
    """Give the evidence rows just saved their encrypted file: blob, key header, key version. Rows that have
    one already keep it (an encrypted original is never replaced)."""
    if not sealed:
        return
    wanted = {(s.organisation, s.ref, s.sha256): s.file for s in sealed}
    with scopes_disabled():
        rows = Evidence.objects.filter(
            report__organisation__code__in=sorted({s.organisation for s in sealed}),
            report__ref__in=sorted({s.ref for s in sealed}),
            sha256__in=sorted({s.sha256 for s in sealed}),
            stored=True,
            blob__isnull=True,
        ).values_list("pk", "report__organisation__code", "report__ref", "sha256")
        changed = []
        for pk, organisation, ref, sha256 in rows:
            file = wanted.get((organisation, ref, sha256))
            if file is not None:
                changed.append(
                    Evidence(pk=pk, blob=file.blob, key_header=file.key_header, key_version=file.key_version)
                )
        Evidence.objects.bulk_update(changed, ["blob", "key_header", "key_version"], batch_size=500)


_REFUSED = (DatabaseError, OverflowError, UnicodeEncodeError)


def _not_erased(batch: list[PreparedReport], summary: ImportSummary) -> list[PreparedReport]:
    """``batch`` without the reports erased since the import began (the preparing half skipped those erased
    before), each counted and named in the summary as the preparing half does."""
    erased = _erased(erased_reports({item.key for item in batch}))
    if not erased:
        return batch
    kept = []
    for item in batch:
        found = erased.get(item.key)
        if found is None:
            kept.append(item)
        else:
            summary.erased += 1
            summary.warnings.append(erased_warning(item.where, item.organisation, item.ref, found))
    return kept


def _save_batch(
    batch: list[PreparedReport], organisations: dict[str, Organisation], summary: ImportSummary
) -> None:
    """Save a batch in one transaction; if the database refuses it, save its reports one by one so that
    only the refused ones are lost, each named in the summary (the batch is rolled back, nothing half-saved)."""
    batch = _not_erased(batch, summary)
    if not batch:
        return
    try:
        results = [(len(batch), save_reports(batch, organisations=organisations))]
    except _REFUSED:
        results = []
        for item in batch:
            try:
                results.append((1, save_reports([item], organisations=organisations)))
            except _REFUSED as exc:
                summary.reject(
                    [
                        f"report {item.ref!r}: the database refused it ({type(exc).__name__}); nothing of it was saved"
                    ]
                )
    for count, saved in results:
        summary.imported += count
        summary.created += saved.created
        summary.updated += saved.updated


def _save(batches: Iterable[Batch], summary: ImportSummary, progress: Progress | None) -> None:
    organisations: dict[str, Organisation] = {}
    with collector_paused():
        for batch, position, sealed in batches:
            for code in {item.organisation for item in batch} - organisations.keys():
                organisations[code] = ensure_organisation(code, summary=summary)
            _save_batch(batch, organisations, summary)
            store_sealed(sealed)
            if progress is not None:
                progress(position)
    if summary.imported:
        refresh_statistics()  # the planner's figures, so lists stay fast after a large import


def run_import(
    outcomes: Iterable[Outcome],
    *,
    store: FileStore,
    summary: ImportSummary | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> ImportSummary:
    """Save every good record of ``outcomes`` (one transaction per batch) and count what happened."""
    summary = summary or ImportSummary()
    batches = prepared_batches(
        outcomes, store=store, keys=DatabaseKeys(summary), summary=summary, batch_size=batch_size
    )
    _save(batches, summary, progress)
    return summary


def run_import_file(
    importer: str,
    path: Path,
    *,
    store: FileStore,
    options: dict[str, Any] | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import ``path`` with the importer module named ``importer`` (its ``read(path, **options)``).

    A child process reads, validates and prepares batches; this process, which holds the only database
    connection (and so any transaction it is in), saves them as they come. An error reading the file is
    raised here, after the batches already received have been saved.
    """
    context = multiprocessing.get_context("spawn")  # not fork: the parent may have threads and connections
    receiver, sender = context.Pipe(duplex=True)  # the child asks for evidence keys on it too
    child = context.Process(
        target=prepare_in_child,
        args=(importer, path, options or {}, store, batch_size, sender),
        name="bordermonitor-import-reader",
        daemon=True,
    )
    child.start()
    sender.close()
    summary = ImportSummary()
    keys = DatabaseKeys(summary)
    read: list[ImportSummary] = []

    def batches() -> Iterator[Batch]:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise RuntimeError("the import's reading process stopped unexpectedly") from None
            if kind == "batch":
                yield payload
            elif kind == "recipient":
                version, recipient = keys.recipient(payload)
                receiver.send(("keys", (version, str(recipient))))
            elif kind == "sealed":
                receiver.send(("keys", keys.sealed(*payload)))
            elif kind == "erased":
                receiver.send(("keys", keys.erased_reports()))
            elif kind == "error":
                raise payload
            else:
                read.append(payload)
                return

    try:
        _save(batches(), summary, progress)
    finally:
        receiver.close()
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
    (counted,) = read
    counted.imported, counted.created, counted.updated = summary.imported, summary.created, summary.updated
    counted.rejected += summary.rejected  # refused by the database while saving
    counted.erased += summary.erased  # erased while the import ran
    counted.rejections.extend(summary.rejections)
    counted.warnings.extend(summary.warnings)
    return counted

"""Saving what an importer yields: organisations, sealed evidence, batches of records, the summary.

Each batch is one transaction; a rejected row never stops the import; every problem is in the summary.
:func:`run_import` does everything in this process; :func:`run_import_file` reads, validates and prepares
rows in a second process while this one saves them, so that both processor cores work.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import DatabaseError

from bordermonitor.evidence.store import FileStore
from bordermonitor.importers.base import ImportSummary, Outcome
from bordermonitor.storage.models import Organisation
from bordermonitor.storage.pipeline import Batch, collector_paused, prepare_in_child, prepared_batches
from bordermonitor.storage.repositories.bulk import refresh_statistics
from bordermonitor.storage.repositories.mapping import PreparedReport
from bordermonitor.storage.repositories.reports import save_reports

__all__ = ["ensure_organisation", "run_import", "run_import_file"]

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


_REFUSED = (DatabaseError, OverflowError, UnicodeEncodeError)


def _save_batch(
    batch: list[PreparedReport], organisations: dict[str, Organisation], summary: ImportSummary
) -> None:
    """Save a batch in one transaction; if the database refuses it, save its reports one by one so that
    only the refused ones are lost, each named in the summary (the batch is rolled back, nothing half-saved)."""
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
        for batch, position in batches:
            for code in {item.organisation for item in batch} - organisations.keys():
                organisations[code] = ensure_organisation(code, summary=summary)
            _save_batch(batch, organisations, summary)
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
    _save(prepared_batches(outcomes, store=store, summary=summary, batch_size=batch_size), summary, progress)
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
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=prepare_in_child,
        args=(importer, path, options or {}, store, batch_size, sender),
        name="bordermonitor-import-reader",
        daemon=True,
    )
    child.start()
    sender.close()
    summary = ImportSummary()
    read: list[ImportSummary] = []

    def batches() -> Iterator[Batch]:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise RuntimeError("the import's reading process stopped unexpectedly") from None
            if kind == "batch":
                yield payload
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
    counted.rejections.extend(summary.rejections)
    counted.warnings.extend(summary.warnings)
    return counted

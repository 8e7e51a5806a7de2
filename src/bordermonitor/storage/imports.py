"""Saving what an importer yields: organisations, sealed evidence, batches of records, the summary.

Each batch is one transaction; a rejected row never stops the import; every problem is in the summary.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bordermonitor.core.records import ReportRecord, Unparsed
from bordermonitor.evidence.store import DigestMismatch, FileStore
from bordermonitor.importers.base import ImportSummary, Outcome
from bordermonitor.storage.models import Organisation
from bordermonitor.storage.repositories.reports import EvidenceFile, save_reports

__all__ = ["ensure_organisation", "run_import"]


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


def _flag(record: ReportRecord, field: str, value: object, reason: str) -> None:
    entry = Unparsed(field=field, value=value, reason=reason)
    if entry not in record.source.unparsed:
        record.source.unparsed.append(entry)


def seal_evidence(record: ReportRecord, base: Path | None, store: FileStore) -> list[EvidenceFile]:
    """Seal each referenced file found under ``base`` whose SHA-256 is the one stated.

    A missing file or a digest mismatch keeps the reference, refuses the file and flags the report; nothing
    else of the report is lost. Paths are resolved and must stay inside ``base``.
    """
    files: list[EvidenceFile] = []
    for i, ref in enumerate(record.evidence):
        field = f"evidence[{i}]"
        if base is None:
            files.append(EvidenceFile(size=None, stored=False))
            continue
        root = base.resolve()
        path = (root / ref.path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            _flag(
                record,
                field,
                ref.path,
                "file not found next to the imported file; reference kept, file missing",
            )
            files.append(EvidenceFile(size=None, stored=False))
            continue
        try:
            sealed = store.seal_path(path, expected_sha256=ref.sha256)
        except DigestMismatch as exc:
            _flag(record, f"{field}.sha256", ref.sha256, f"the file was refused: {exc}")
            files.append(EvidenceFile(size=None, stored=False))
            continue
        files.append(EvidenceFile(size=sealed.size, stored=True))
    return files


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records stream in (young objects are collected after
    each batch): with thousands of validated records alive, its full scans cost more than the import."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_import(
    outcomes: Iterable[Outcome],
    *,
    store: FileStore,
    summary: ImportSummary | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Save every good record of ``outcomes`` (one transaction per batch) and count what happened."""
    summary = summary or ImportSummary()
    organisations: dict[str, Organisation] = {}
    batch: list[tuple[ReportRecord, list[EvidenceFile]]] = []

    def flush() -> None:
        if batch:
            saved = save_reports(batch, organisations=organisations)
            summary.imported += len(batch)
            summary.created += saved.created
            summary.updated += saved.updated
            batch.clear()
        gc.collect(1)

    with _collector_paused():
        for outcome in outcomes:
            summary.read += 1
            summary.warnings.extend(outcome.warnings)
            if progress is not None:
                progress(outcome.position)
            if outcome.rejected is not None:
                summary.reject(outcome.rejected.issues)
                continue
            assert outcome.validated is not None  # noqa: S101 - an Outcome holds one or the other
            record = outcome.validated.record
            if record.organisation not in organisations:
                organisations[record.organisation] = ensure_organisation(record.organisation, summary=summary)
            files = seal_evidence(record, outcome.evidence_base, store)
            if record.flagged:
                summary.flagged += 1
                summary.flag_fields.update({u.field.split("[")[0] for u in record.source.unparsed})
                summary.flags.extend(str(i) for i in outcome.validated.issues)
            batch.append((record, files))
            if len(batch) >= batch_size:
                flush()
        flush()
    return summary

"""The database-free half of an import: validated outcomes → sealed evidence → batches of prepared rows.

No Django here (an import-linter contract keeps it so), which lets ``storage.imports`` run this half in a
separate process while the importing process saves the batches it receives.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bordermonitor.core.records import ReportRecord, Unparsed
from bordermonitor.evidence.store import DigestMismatch, FileStore
from bordermonitor.importers.base import ImportSummary, Outcome
from bordermonitor.storage.repositories.mapping import EvidenceFile, PreparedReport, prepare

__all__ = ["collector_paused", "prepare_in_child", "prepared_batches", "seal_evidence"]

Batch = tuple[list[PreparedReport], int]  # prepared reports and the input position after the last one


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
    root = base.resolve() if base is not None else None
    for i, ref in enumerate(record.evidence):
        if root is None:
            files.append(EvidenceFile(size=None, stored=False))
            continue
        path = (root / ref.path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            if store.exists(ref.sha256):  # sent again without its file: the original is sealed already
                files.append(EvidenceFile(size=store.path_for(ref.sha256).stat().st_size, stored=True))
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
            sealed = store.seal_path(path, expected_sha256=ref.sha256)
        except DigestMismatch as exc:
            _flag(record, f"evidence[{i}].sha256", ref.sha256, f"the file was refused: {exc}")
            files.append(EvidenceFile(size=None, stored=False))
            continue
        files.append(EvidenceFile(size=sealed.size, stored=True))
    return files


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
    outcomes: Iterable[Outcome], *, store: FileStore, summary: ImportSummary, batch_size: int
) -> Iterator[Batch]:
    """Count every outcome in ``summary`` (read, flagged, rejected with reasons) and yield the good records,
    evidence sealed, as batches of prepared rows."""
    batch: list[PreparedReport] = []
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
            files = seal_evidence(record, outcome.evidence_base, store)
            if record.flagged:
                summary.flagged += 1
                summary.flag_fields.update({u.field.split("[")[0] for u in record.source.unparsed})
                summary.flags.extend(str(i) for i in outcome.validated.issues)
            batch.append(prepare(record, files))
            if len(batch) >= batch_size:
                yield batch, position
                batch = []
                gc.collect(1)
        if batch:
            yield batch, position


def prepare_in_child(
    importer: str, path: Path, options: dict[str, Any], store: FileStore, batch_size: int, channel: Connection
) -> None:
    """Entry point of the preparing process: sends ``("batch", Batch)`` messages, then ``("done", summary)``,
    or ``("error", exception)`` if reading the file fails."""
    try:
        module = importlib.import_module(importer)
        summary = ImportSummary()
        for batch in prepared_batches(
            module.read(path, **options), store=store, summary=summary, batch_size=batch_size
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

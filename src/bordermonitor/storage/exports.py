"""Writing interchange format v1: one canonical line per report, evidence originals copied beside it.

Each original is decrypted and checked whole before it is copied (``storage.evidence.open_original``): one
that fails its integrity check stops the export with an error naming it (and an ``integrity`` audit event).
Originals whose key the organisation keeps offline need its identity file (``identities``)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from bordermonitor.core.age import Identity
from bordermonitor.core.records import ReportRecord
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.evidence import FileProblem, IntegrityFailed, KeyOffline, open_original
from bordermonitor.storage.models import Evidence
from bordermonitor.storage.repositories.reports import iter_record_dicts

__all__ = ["EvidenceNotExported", "export_jsonl"]


class EvidenceNotExported(Exception):
    """An original could not be copied into the export; the message names it and says what to do."""

    def __init__(self, ref: str, evidence: Evidence, problem: FileProblem) -> None:
        if isinstance(problem, IntegrityFailed):
            why = f"the original failed its integrity check ({problem.what}); nothing more was exported"
        elif isinstance(problem, KeyOffline):
            why = (
                f"its organisation keeps the key that opens originals (version {problem.version}) offline:"
                " give its identity file with --identity FILE"
            )
        else:
            why = "it was stored unencrypted by an earlier version: run `bordermonitor evidence encrypt-existing`"
        self.problem = problem
        super().__init__(f"report {ref!r}, evidence {evidence.pk} ({evidence.sha256[:12]}…): {why}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def export_jsonl(
    out: TextIO,
    *,
    store: FileStore,
    organisation: str | None = None,
    evidence_root: Path | None = None,
    identities: Sequence[Identity] = (),
) -> int:
    """Write every report (of ``organisation``, or all) to ``out``; returns the number written.

    With ``evidence_root`` (the directory of the output file), each sealed original is checked and copied to
    its recorded relative path under it, so the export re-imports with its evidence; paths that would leave
    ``evidence_root`` are refused. ``identities`` open originals whose key is held offline.
    """
    count = 0
    root = evidence_root.resolve() if evidence_root is not None else None
    for data, evidence in iter_record_dicts(organisation=organisation):
        if root is not None:
            _copy_evidence(data, evidence, root, store, identities)
        out.write(ReportRecord.model_validate(data).to_json())
        out.write("\n")
        count += 1
    return count


def _copy_evidence(
    data: dict[str, Any],
    evidence: list[Evidence],
    root: Path,
    store: FileStore,
    identities: Sequence[Identity],
) -> None:
    """Copy a report's sealed originals to their recorded paths under ``root``. A path already holding
    another file (another report's, or an old export's) is never overwritten: the original goes to a path of
    its own, ``evidence/sha256/<digest>/<name>``, and the exported record says so."""
    for index, item in enumerate(evidence):
        if not item.stored:
            continue
        target = (root / item.path).resolve()
        if not target.is_relative_to(root):
            raise ValueError(
                f"report {data['ref']!r}, evidence path {item.path!r} leaves the export directory"
            )
        if target.exists() and _sha256(target) != item.sha256:
            path = f"evidence/sha256/{item.sha256}/{PurePosixPath(item.path).name}"
            data["evidence"][index]["path"], target = path, root / path
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                source = open_original(item, store=store, identities=identities)
            except FileProblem as problem:
                raise EvidenceNotExported(data["ref"], item, problem) from None
            with source, target.open("xb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)

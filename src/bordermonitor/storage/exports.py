"""Writing interchange format v1: one canonical line per report, evidence originals copied beside it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from bordermonitor.core.records import ReportRecord
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.models import Evidence
from bordermonitor.storage.repositories.reports import iter_record_dicts

__all__ = ["export_jsonl"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def export_jsonl(
    out: TextIO, *, store: FileStore, organisation: str | None = None, evidence_root: Path | None = None
) -> int:
    """Write every report (of ``organisation``, or all) to ``out``; returns the number written.

    With ``evidence_root`` (the directory of the output file), each sealed original is copied to its
    recorded relative path under it, so the export re-imports with its evidence; paths that would leave
    ``evidence_root`` are refused.
    """
    count = 0
    root = evidence_root.resolve() if evidence_root is not None else None
    for data, evidence in iter_record_dicts(organisation=organisation):
        if root is not None:
            _copy_evidence(data, evidence, root, store)
        out.write(ReportRecord.model_validate(data).to_json())
        out.write("\n")
        count += 1
    return count


def _copy_evidence(data: dict[str, Any], evidence: list[Evidence], root: Path, store: FileStore) -> None:
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
            with store.open(item.sha256) as source, target.open("xb") as copy:
                shutil.copyfileobj(source, copy)

"""Writing interchange format v1: one canonical line per report, evidence originals copied beside it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TextIO

from bordermonitor.core.records import ReportRecord
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.repositories.reports import iter_record_dicts

__all__ = ["export_jsonl"]


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
        out.write(ReportRecord.model_validate(data).to_json())
        out.write("\n")
        count += 1
        if root is None:
            continue
        for item in evidence:
            if not item.stored:
                continue
            target = (root / item.path).resolve()
            if not target.is_relative_to(root):
                raise ValueError(
                    f"report {data['ref']!r}, evidence path {item.path!r} leaves the export directory"
                )
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with store.open(item.sha256) as source, target.open("xb") as copy:
                shutil.copyfileobj(source, copy)
    return count

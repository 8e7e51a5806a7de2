"""Import/export helpers for storage tests: the same library calls the CLI makes."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bordermonitor.evidence.store import FileStore
from bordermonitor.importers.base import ImportSummary, outcome_for
from bordermonitor.storage.exports import export_jsonl
from bordermonitor.storage.imports import run_import


def save(raws: Iterable[dict[str, Any]], store: FileStore, *, base: Path | None = None) -> ImportSummary:
    outcomes = []
    for n, raw in enumerate(raws, start=1):
        outcome = outcome_for(raw, where=f"line {n}")
        outcome.evidence_base = base
        outcomes.append(outcome)
    return run_import(outcomes, store=store, batch_size=7)


def export(store: FileStore, **kwargs: Any) -> list[dict[str, Any]]:
    buffer = io.StringIO()
    export_jsonl(buffer, store=store, **kwargs)
    return [json.loads(line) for line in buffer.getvalue().splitlines()]

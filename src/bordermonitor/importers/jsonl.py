"""Interchange format v1 (METHODOLOGY §5): JSON Lines, one report per line, evidence paths relative to the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bordermonitor.core.validation import RecordRejected, validate_json
from bordermonitor.importers.base import Outcome, TrackedFile

__all__ = ["read"]


def read(path: Path, *, organisation: str | None = None) -> Iterator[Outcome]:
    """One outcome per non-empty line; ``organisation`` overrides each record's own."""
    base = path.resolve().parent
    with TrackedFile(path) as tracked:
        for number, line in enumerate(tracked.binary(), start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                validated = validate_json(line, where=where, organisation=organisation)
            except RecordRejected as exc:
                yield Outcome(where, rejected=exc, position=tracked.position)
                continue
            yield Outcome(where, validated=validated, evidence_base=base, position=tracked.position)

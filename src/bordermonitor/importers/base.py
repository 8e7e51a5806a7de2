"""What every importer shares: the outcome of one input row, the run summary, reading files.

An importer is a module with a function ``read(path, *, organisation, ...) -> Iterator[Outcome]`` that
streams the file and turns each row into a canonical record through ``core.validation``. Importers never
touch the ORM: ``bordermonitor.storage.imports.run_import`` saves what they yield, in batches.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bordermonitor.core.validation import Issue, RecordRejected, Validated, validate_report

__all__ = ["ImportSummary", "Outcome", "TrackedFile", "detect_encoding", "outcome_for"]


@dataclass(slots=True)
class Outcome:
    """One input row: a validated record (possibly flagged) or a rejection, never both."""

    where: str
    validated: Validated | None = None
    rejected: RecordRejected | None = None
    warnings: list[str] = field(default_factory=list)
    evidence_base: Path | None = None  # directory that evidence paths are relative to
    position: int = 0  # bytes of the input file read so far, for the progress bar


def outcome_for(raw: Any, *, where: str, organisation: str | None = None, **extra: Any) -> Outcome:
    """Validate ``raw`` and wrap the result: the one way importers build outcomes."""
    try:
        return Outcome(where, validated=validate_report(raw, where=where, organisation=organisation), **extra)
    except RecordRejected as exc:
        return Outcome(where, rejected=exc, **extra)


@dataclass(slots=True)
class ImportSummary:
    """Counts at the end of an import: rows read, imported, flagged (imported, needing review), rejected, and
    skipped because their report was erased (never re-created: docs/retention.md)."""

    read: int = 0
    imported: int = 0
    created: int = 0
    updated: int = 0
    flagged: int = 0
    rejected: int = 0
    erased: int = 0
    rejections: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flag_fields: Counter[str] = field(default_factory=Counter)

    def reject(self, issues: list[Issue] | list[str]) -> None:
        self.rejected += 1
        self.rejections.extend(str(i) for i in issues)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "imported": self.imported,
            "created": self.created,
            "updated": self.updated,
            "flagged": self.flagged,
            "rejected": self.rejected,
            "erased": self.erased,
            "rejections": self.rejections,
            "flagged_fields": dict(self.flag_fields.most_common()),
            "warnings": self.warnings,
        }

    def lines(self, *, limit: int = 20) -> list[str]:
        """The summary as text for a terminal: counts, then each rejection and the most flagged fields."""
        out = [
            f"rows read: {self.read}",
            f"imported: {self.imported} ({self.created} new, {self.updated} updated)",
            f"flagged for review: {self.flagged}",
            f"rejected: {self.rejected}",
        ]
        if self.erased:
            out.append(f"skipped, erased and not re-created: {self.erased}")
        if self.warnings:
            out.append("warnings:")
            out += [f"  {w}" for w in self.warnings[:limit]]
        if self.rejections:
            out.append("rejected rows:")
            out += [f"  {r}" for r in self.rejections[:limit]]
            if len(self.rejections) > limit:
                out.append(f"  … and {len(self.rejections) - limit} more")
        if self.flag_fields:
            out.append("fields kept verbatim for review (field: rows):")
            out += [f"  {name}: {n}" for name, n in self.flag_fields.most_common(limit)]
        return out


class TrackedFile:
    """A binary file whose read position can be asked for while a text or CSV reader iterates it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._raw: IO[bytes] = path.open("rb")

    @property
    def position(self) -> int:
        return self._raw.tell()

    def binary(self) -> IO[bytes]:
        return self._raw

    def text(self, encoding: str) -> io.TextIOWrapper:
        """Text over the same file; ``newline=""`` so the csv module sees quoted line breaks."""
        return io.TextIOWrapper(self._raw, encoding=encoding, newline="")

    def lines(self) -> Iterator[str]:
        """The file's lines as text (line endings kept, for the csv module), each decoded on its own: as
        UTF-8 when it is UTF-8, otherwise as cp1252 (the exports of this field are one or the other, and
        spreadsheets mix them), so one stray byte neither stops the import nor garbles the other lines.
        A byte order mark at the start is dropped."""
        first = True
        for raw in self._raw:
            if first:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
                first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield raw.decode("cp1252", errors="replace")

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> TrackedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def detect_encoding(path: Path, *, sample: int = 1 << 20) -> str:
    """``utf-8-sig`` (UTF-8 with a byte order mark), ``utf-8`` or ``cp1252``, decided on the file's bytes.

    Exports of this field come in these three; UTF-8 is taken only when the sample decodes as UTF-8 (a
    character cut at the sample's end is allowed), otherwise cp1252, which decodes almost any byte.
    """
    with path.open("rb") as handle:
        head = handle.read(sample)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"

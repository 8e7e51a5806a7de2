"""The files of a case package: each original decrypted and checked against the SHA-256 taken when it was
received, each cleaned copy with its provenance (parent, tool, what was done), and ``evidence.json`` that
describes them all.

Every original's key is looked for before any file is read (:func:`check_keys`), so a key held offline
refuses the export at once; a file that fails its check refuses it too, naming the file. The caller writes
into a directory of its own and removes it on any refusal."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, Any

from bordermonitor.core.age import Identity
from bordermonitor.evidence.signatures import extension_for
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.cases.choosing import CaseRefused, key_of
from bordermonitor.storage.cases.custody import Event
from bordermonitor.storage.evidence import (
    FileProblem,
    IntegrityFailed,
    KeyOffline,
    NotEncrypted,
    open_derivative_file,
    open_original,
    original_identity,
)
from bordermonitor.storage.models import Evidence, Report
from bordermonitor.storage.models.audit import chain_time

__all__ = [
    "CopyFile",
    "EvidenceRefused",
    "OriginalFile",
    "check_keys",
    "evidence_of",
    "write_description",
    "write_files",
]

ORIGINALS = "originals"
COPIES = "derivatives"
_EXTENSION = re.compile(r"[a-z0-9]{1,10}")


class EvidenceRefused(CaseRefused):
    """An evidence file cannot go into the package; the message names it (report, evidence, file)."""

    def __init__(self, report: Report, evidence: Evidence, file: str, problem: FileProblem | str) -> None:
        if isinstance(problem, IntegrityFailed):
            why = f"it failed its integrity check ({problem.what}); the failure is in the audit log"
        elif isinstance(problem, KeyOffline):
            why = (
                f"its organisation keeps the key that opens originals (version {problem.version}) offline: give"
                " its identity file with --identity FILE"
            )
        elif isinstance(problem, NotEncrypted):
            why = "it was stored unencrypted by an earlier version: run `bordermonitor evidence encrypt-existing`"
        else:
            why = str(problem)
        what = "original" if file == "original" else f"{file} copy"
        super().__init__(
            f"report {key_of(report)}, evidence {evidence.pk} ({evidence.kind}, SHA-256"
            f" {evidence.sha256}), {what}: {why}"
        )


@dataclass(frozen=True, slots=True)
class CopyFile:
    """A cleaned copy in the package (``path`` under ``data/``) and how it was made."""

    path: str
    role: str
    sha256: str
    parent_sha256: str
    size: int
    media_type: str
    tool: str
    transformation: str
    made_at: str


@dataclass(frozen=True, slots=True)
class Received:
    """When and by whom an original was received: an audit event (its ``seq``), else the evidence row."""

    at: str
    account: int | None
    seq: int | None


@dataclass(slots=True)
class OriginalFile:
    """An evidence file of a report: its original in the package (``path`` None when the source's file was
    never received), the digest taken at intake, and its copies."""

    report: str
    evidence: int
    position: int
    kind: str
    path: str | None
    sha256: str
    size: int | None
    media_type: str | None
    received: Received
    copies: list[CopyFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def evidence_of(report: Report) -> list[Evidence]:
    """The report's evidence rows in order, with their copies."""
    rows = Evidence.objects.filter(report=report).prefetch_related("derivatives").order_by("position", "pk")
    found = list(rows)
    for row in found:
        row.report = report
    return found


def check_keys(evidence: Sequence[Evidence], identities: Sequence[Identity]) -> None:
    """Every stored original can be opened: encrypted, and its key on the server or in ``identities``."""
    for item in evidence:
        if not item.stored:
            continue
        if item.blob is None or item.key_header is None:
            raise EvidenceRefused(item.report, item, "original", NotEncrypted(item, "original"))
        try:
            original_identity(item, identities)
        except KeyOffline as problem:
            raise EvidenceRefused(item.report, item, "original", problem) from None


def _extension(media_type: str | None, recorded_path: str) -> str:
    if media_type:
        return extension_for(media_type)
    suffix = PurePosixPath(recorded_path).suffix.lstrip(".").lower()
    return suffix if _EXTENSION.fullmatch(suffix) else "bin"


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _copy(stream: IO[bytes], target: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with stream, target.open("xb") as out:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _place(
    root: Path,
    relative: str,
    opener: Callable[[], IO[bytes]],
    expected: str,
    refuse: Callable[[FileProblem | str], EvidenceRefused],
    written: dict[str, int],
) -> int:
    """Write the checked bytes ``opener()`` gives to ``root/relative`` and check their SHA-256 again as they
    are written; returns the size. The same file of two evidence rows (two reports) is written once, and each
    row's own stored file is checked."""
    try:
        stream = opener()
    except FileProblem as problem:
        raise refuse(problem) from None
    if relative in written:  # its bytes are there already: this row's own file is checked all the same
        sha256, size = _digest(stream)
    else:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        sha256, size = _copy(stream, target)
    if sha256 != expected:
        raise refuse(f"what it decrypts to has SHA-256 {sha256}, not the {expected} recorded")
    written[relative] = size
    return size


def _received(item: Evidence, events: Sequence[Event]) -> Received:
    """When ``item`` was received — the ``create`` event that recorded its upload (its digest in
    ``details.evidence``), else the evidence row's time — and by which account (the uploader)."""
    for event in events:
        if (
            event.action == "create"
            and event.object_type == "report"
            and event.object_id == item.report_id
            and isinstance(event.details, dict)
            and event.details.get("evidence") == item.sha256
        ):
            account = item.uploaded_by_id if item.uploaded_by_id is not None else event.account
            return Received(event.at, account, event.seq)
    return Received(chain_time(item.created_at), item.uploaded_by_id, None)


def write_files(
    root: Path,
    evidence: Sequence[Evidence],
    *,
    store: FileStore,
    identities: Sequence[Identity],
    events: Sequence[Event],
    written: dict[str, int],
) -> list[OriginalFile]:
    """Write the originals and copies of ``evidence`` (one report's) under ``root``; describe each."""
    described = []
    for item in evidence:
        report = item.report
        entry = OriginalFile(
            report=key_of(report),
            evidence=item.pk,
            position=item.position,
            kind=item.kind,
            path=None,
            sha256=item.sha256,
            size=item.size,
            media_type=item.media_type,
            received=_received(item, events),
        )
        described.append(entry)
        if not item.stored:
            continue
        relative = f"{ORIGINALS}/{item.sha256}.{_extension(item.media_type, item.path)}"
        entry.size = _place(
            root,
            relative,
            partial(open_original, item, store=store, identities=identities),
            item.sha256,
            partial(EvidenceRefused, report, item, "original"),
            written,
        )
        entry.path = relative
        for copy in sorted(item.derivatives.all(), key=lambda d: (d.role, d.pk)):
            copy.evidence = item
            path = f"{COPIES}/{copy.role}-{copy.sha256}.{extension_for(copy.media_type)}"
            size = _place(
                root,
                path,
                partial(open_derivative_file, copy, store=store),
                copy.sha256,
                partial(EvidenceRefused, report, item, copy.role),
                written,
            )
            entry.copies.append(
                CopyFile(
                    path=path,
                    role=copy.role,
                    sha256=copy.sha256,
                    parent_sha256=copy.parent_sha256,
                    size=size,
                    media_type=copy.media_type,
                    tool=copy.tool,
                    transformation=copy.transformation,
                    made_at=chain_time(copy.created_at),
                )
            )
    return described


def write_description(path: Path, files: Sequence[OriginalFile]) -> None:
    """``evidence.json``: every evidence file of the package, its original and copies, machine-readable."""
    document = {"format": "bordermonitor/case-evidence@1", "files": [f.as_json() for f in files]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

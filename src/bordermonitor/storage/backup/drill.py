"""The restore drill: is what was restored what was backed up, and what was recorded at intake?

- every counted table holds the rows the manifest counted in the snapshot;
- the audit log's hash chain verifies from its first entry to its last (``bordermonitor audit verify``);
- every evidence original and copy is checked hash for hash by the evidence store's full check
  (``bordermonitor evidence check``): its encrypted file is intact and, where the key is on the server, it
  decrypts to the SHA-256 recorded at intake. Files stored in plaintext by an earlier version are hashed
  directly. A file the manifest lists as absent (removed while the backup was made) is reported as such, not
  as a failure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bordermonitor.core.age import Identity
from bordermonitor.storage.backup.database import counts_now

__all__ = ["Drill", "run_drill"]


@dataclass(slots=True)
class Drill:
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (in the manifest, restored)
    audit_entries: int = 0
    audit_problem: str | None = None
    files: int = 0  # evidence files checked (originals and copies)
    decrypted: int = 0  # decrypted to the SHA-256 recorded at intake
    encrypted_only: int = 0  # key held offline: only the encrypted file was checked
    plaintext: int = 0  # stored in plaintext by an earlier version, hashed directly
    problems: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    unreferenced: int = 0

    @property
    def count_problems(self) -> list[str]:
        return [
            f"{name.replace('_', ' ')}: the backup counted {counted}, the restored database holds {restored}"
            for name, (counted, restored) in self.counts.items()
            if counted != restored
        ]

    @property
    def ok(self) -> bool:
        return not self.count_problems and self.audit_problem is None and not self.problems

    def lines(self) -> list[str]:
        out = []
        matched = sum(1 for counted, restored in self.counts.values() if counted == restored)
        out.append(f"counts: {matched} of {len(self.counts)} tables hold the rows the backup counted")
        out += [f"MISMATCH {line}" for line in self.count_problems]
        if self.audit_problem is None:
            out.append(f"audit log: the chain of {self.audit_entries} entries verifies")
        else:
            out.append(f"MISMATCH audit log: {self.audit_problem}")
        out.append(
            f"evidence: {self.files} files checked, {self.decrypted} decrypted to the SHA-256 recorded at "
            f"intake, {self.plaintext} unencrypted files of an earlier version hashed, {self.encrypted_only} "
            "checked encrypted only (key held offline: `bordermonitor evidence check --identity FILE`)"
        )
        out += [f"absent: {line}" for line in self.absent]
        out += [f"MISMATCH evidence {line}" for line in self.problems]
        if self.unreferenced:
            out.append(f"{self.unreferenced} file(s) in the evidence store that no evidence row names")
        return out


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _evidence(drill: Drill, absent: set[str], identities: Sequence[Identity]) -> None:
    from django_scopes import scopes_disabled

    from bordermonitor.evidence.check import NOT_ENCRYPTED, check_evidence
    from bordermonitor.storage.evidence import evidence_store
    from bordermonitor.storage.models import Evidence, EvidenceDerivative

    store = evidence_store()
    report = check_evidence(store=store, identities=identities)
    drill.files, drill.decrypted, drill.encrypted_only = report.files, report.decrypted, report.encrypted_only
    drill.unreferenced = len(report.unreferenced)
    with scopes_disabled():
        for problem in report.problems:
            if problem.what == NOT_ENCRYPTED:
                if problem.file == "original":
                    sha256 = Evidence.objects.get(pk=problem.evidence).sha256
                else:
                    sha256 = EvidenceDerivative.objects.get(
                        evidence_id=problem.evidence, role=problem.file
                    ).sha256
                path = store.plaintext_path(sha256, derivative=problem.file != "original")
                found = _sha256(path)
                relative = path.relative_to(store.root).as_posix()
                if found == sha256:
                    drill.plaintext += 1
                elif found is None and relative in absent:
                    drill.absent.append(f"{problem.line()}: {relative} was removed while the backup was made")
                else:
                    what = "missing" if found is None else f"its SHA-256 is {found}, not {sha256}"
                    drill.problems.append(f"{problem.line()}: unencrypted file {relative} {what}")
                continue
            if problem.blob is not None and not store.exists(problem.blob):
                relative = store.path_for(problem.blob).relative_to(store.root).as_posix()
                if relative in absent:
                    drill.absent.append(f"{problem.line()} (removed while the backup was made)")
                    continue
            drill.problems.append(problem.line())


def run_drill(manifest: Mapping[str, Any], *, identities: Sequence[Identity] = ()) -> Drill:
    """Check the restored database and evidence store against ``manifest`` and their own records."""
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import verify

    drill = Drill()
    counted = manifest.get("counts") or {}
    restored = counts_now()
    drill.counts = {name: (int(counted.get(name, 0)), restored.get(name, 0)) for name in restored}
    with scopes_disabled():
        chain = verify()
    drill.audit_entries = chain.entries
    if chain.broken is not None:
        drill.audit_problem = f"broken at seq {chain.broken.seq}: {chain.broken.message}"
    absent = {str(item["path"]) for item in (manifest.get("evidence") or {}).get("absent", [])}
    _evidence(drill, absent, identities)
    return drill

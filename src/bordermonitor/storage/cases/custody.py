"""The chain of custody of a case: every audit event about its reports and their evidence files, as stored
(with ``seq``, ``prev_hash`` and ``hash``, so a reader can recompute each hash with the recipe in
docs/audit.md), and the head of the log when the package was made."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from bordermonitor.storage.audit import COLUMNS, Head, stored_details, stored_hash, stored_time
from bordermonitor.storage.cases.choosing import CaseRefused
from bordermonitor.storage.models import AuditEvent

__all__ = ["CustodyBroken", "Event", "custody", "write_custody"]


class CustodyBroken(CaseRefused):
    """An audit event about the case does not match its own hash: the log was changed."""


@dataclass(frozen=True, slots=True)
class Event:
    """One audit event as the custody file writes it (``at`` as hashed, ``details`` as canonical JSON)."""

    seq: int
    at: str
    actor: str
    organisation: str | None
    action: str
    object_type: str
    object_id: int | None
    object_ref: str | None
    details: Any
    prev_hash: str
    hash: str

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @property
    def account(self) -> int | None:
        """The account that acted (``user:<id>``), or None for a command or the system."""
        kind, _, number = self.actor.partition(":")
        return int(number) if kind == "user" and number.isdigit() else None


def _event(row: tuple[Any, ...]) -> Event:
    if stored_hash(row) != row[11]:
        raise CustodyBroken(
            f"the audit log entry at seq {row[1]} (about {row[6]} {row[7]}) does not match its hash: the log "
            "was changed: run `bordermonitor audit verify`"
        )
    return Event(
        seq=int(row[1]),
        at=stored_time(row[2]),
        actor=row[3],
        organisation=row[4],
        action=row[5],
        object_type=row[6],
        object_id=row[7],
        object_ref=row[8],
        details=json.loads(stored_details(row[9])),
        prev_hash=row[10],
        hash=row[11],
    )


def custody(report_ids: Collection[int], evidence_ids: Collection[int]) -> list[Event]:
    """Every event about the reports ``report_ids`` and the evidence rows ``evidence_ids``, in ``seq`` order:
    those naming one of them as their object, and reads of several reports at once that list one of them in
    ``details.reports`` (a page of the API's list, a search, an incident, a cross-check pair). Each event's
    hash is checked against its content first (:class:`CustodyBroken` if one does not match)."""
    about = Q(object_type="report", object_id__in=list(report_ids)) | Q(
        object_type="evidence", object_id__in=list(evidence_ids)
    )
    rows = list(AuditEvent.objects.filter(about).values_list(*COLUMNS))
    wanted = set(report_ids)
    reads = AuditEvent.objects.filter(details__has_key="reports").exclude(about).values_list(*COLUMNS)
    for row in reads.iterator(chunk_size=2000):
        named = row[9].get("reports") if isinstance(row[9], dict) else None
        if isinstance(named, list) and wanted.intersection(n for n in named if isinstance(n, int)):
            rows.append(row)
    rows.sort(key=lambda row: row[1])
    return [_event(row) for row in rows]


def write_custody(path: Path, events: Iterable[Event], head: Head) -> int:
    """Write the events, one JSON object a line, then the head of the log as ``{"head": {...}}``; returns the
    number of events."""
    count = 0
    with path.open("x", encoding="utf-8") as out:
        for event in events:
            out.write(event.line() + "\n")
            count += 1
        out.write(json.dumps({"head": asdict(head)}, ensure_ascii=False, separators=(",", ":")) + "\n")
    return count

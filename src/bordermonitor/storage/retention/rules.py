"""The erasure rules: named classes, each erasing everything the one before it erases and more.

- :class:`EraseEvidence` — the report's evidence files only.
- :class:`EraseTestimony` — the testimony: what the person said and everything written from it (its record key is
  destroyed), and the evidence files; the coded facts stay, so the network's figures do not change.
- :class:`EraseRecord` — all of that, and the coded facts too: the report becomes a tombstone that no figure,
  matrix, publication or cross-check counts.

A rule works inside the transaction :func:`bordermonitor.storage.retention.erase` opens, on a report it has
locked, and notes what it destroyed in a :class:`Work`; the evidence payload files are deleted only after the
transaction committed (a rolled back erasure leaves every file its rows name).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.audit import current_actor
from bordermonitor.storage.keys import destroy_record_keys
from bordermonitor.storage.models import (
    Erasure,
    Evidence,
    EvidenceDerivative,
    LinkCandidate,
    Report,
    ReportDraft,
    ReportExpeller,
    ReportNationality,
    ReportPerpetrator,
    ReportTransition,
    ReportVersion,
    ReportViolence,
)
from bordermonitor.storage.models.reports import report_keys
from bordermonitor.storage.models.retention import ERASURE_RULES
from bordermonitor.storage.models.sealed import sealed_fields

__all__ = [
    "ERASED_KEY_HEADER",
    "RULES",
    "TOMBSTONE_KEEPS",
    "EraseEvidence",
    "EraseRecord",
    "EraseTestimony",
    "ErasureRule",
    "Work",
    "erased_evidence",
    "rule_named",
]

ERASED_KEY_HEADER = b""
"""An erased evidence row's ``key_header``: empty, not null (null is a file an earlier version stored unencrypted).
Its ``blob`` is null and ``stored`` false: the file key is gone and so is the payload file."""

TOMBSTONE_KEEPS = frozenset(
    {"id", "organisation", "ref", "kind", "status", "incident", "record_key", "created_at", "updated_at",
     "erased_at", "version"}
)  # fmt: skip
"""The report columns :class:`EraseRecord` keeps. Every other column is cleared to unknown (null, or its default
for the few that have no null), new columns included, so a column added later is erased without anyone
remembering to add it here. ``status`` becomes ``rejected``; ``incident`` stays (the column cannot be empty)."""

TESTIMONY_TEXTS = ("public_title", "public_narrative", "public_approved_at", "public_approved_by",
                   "officers_description")  # fmt: skip
"""Plain report columns written from the testimony, cleared with it (the sealed ones lose their key and are
cleared too). The public version goes with the words it was made from, and so does its approval."""


@dataclass(slots=True)
class Work:
    """What one erasure destroyed (counted for the audit event and the erasure row) and the files to delete once
    the transaction committed."""

    now: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    blobs: set[str] = field(default_factory=set)  # payload files (encrypted) named by their blob
    plaintext: set[Path] = field(default_factory=set)  # files an earlier version stored unencrypted

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


def erased_evidence() -> Q:
    """Evidence rows already erased."""
    return Q(key_header=ERASED_KEY_HEADER, blob__isnull=True, stored=False)


def _evidence_left() -> Exists:
    """The report (``OuterRef("pk")``) has evidence not erased yet."""
    return Exists(Evidence.objects.filter(report_id=OuterRef("pk")).exclude(erased_evidence()))


class ErasureRule(ABC):
    """An erasure rule: its ``name`` (what the schedule and the command call it), its rank (a rule of a higher rank
    erases everything a lower one does), what it does to one report (:meth:`erase`) and which reports it still
    has something to erase in (:meth:`pending`)."""

    name: ClassVar[str]
    rank: ClassVar[int]

    @abstractmethod
    def erase(self, report: Report, work: Work, *, store: FileStore) -> None:
        """Erase ``report`` (locked by the caller, read before any change), noting what was destroyed in ``work``."""

    @abstractmethod
    def pending(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        """``reports`` narrowed to those in which this rule still has something to erase."""

    def covers(self, other: ErasureRule) -> bool:
        return self.rank >= other.rank

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class EraseEvidence(ErasureRule):
    """Erase the report's evidence files: every original and every copy made from it (working copy, thumbnail,
    public copy).

    Each original's file key is destroyed (its ``key_header`` emptied, ``blob`` cleared, ``stored`` false) and its
    encrypted payload file deleted from the store, unless another row still names the same file; the copies'
    rows go with their files. The description and the file name as the source gave it are cleared and the
    file is no longer chosen for publication. What stays of each original: its kind, position, size, type and
    the SHA-256 of the bytes as received (the audit log's events name that digest already), so the custody record
    says a file was received and when it was erased. Files an earlier version stored unencrypted are deleted
    the same way. The report's record and testimony stay as they are."""

    name = "evidence"
    rank = 1

    def erase(self, report: Report, work: Work, *, store: FileStore) -> None:
        rows = list(Evidence.objects.filter(report_id=report.pk).order_by("pk"))
        copies = list(EvidenceDerivative.objects.filter(evidence__report_id=report.pk))
        erased = 0
        for evidence in rows:
            if _is_erased(evidence):
                continue
            if evidence.blob is not None:
                work.blobs.add(evidence.blob)
            elif evidence.stored:
                work.plaintext.add(store.plaintext_path(evidence.sha256))
            erased += 1
        work.add("evidence", erased)
        for copy in copies:
            if copy.blob is not None:
                work.blobs.add(copy.blob)
            else:
                work.plaintext.add(store.plaintext_path(copy.sha256, derivative=True))
        work.add("copies", len(copies))
        EvidenceDerivative.objects.filter(pk__in=[copy.pk for copy in copies]).delete()
        Evidence.objects.filter(report_id=report.pk).update(
            key_header=ERASED_KEY_HEADER,
            blob=None,
            key_version=None,
            stored=False,
            publish=False,
            description=None,
            path="",
        )

    def pending(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        return reports.filter(_evidence_left())


class EraseTestimony(EraseEvidence):
    """Erase the testimony: destroy the report's record key, so its title, narrative, English translation, the
    names the source gave, the source's verbatim row and the values an import could not read — and every saved
    version of the report and every draft of its form, sealed with the same key — can never be read again; the
    columns that held them are cleared too, and the drafts deleted.

    Also cleared: what was written from the testimony in plain text — the reviewed public title and narrative
    (with their approval), the officers' description, the detail of each violence mention, each perpetrator's
    unit and description, reviewers' comments on the report's workflow moves and notes on its cross-checking
    pairs (and the officers' description those pairs compared). The evidence files are erased
    (:class:`EraseEvidence`). The coded facts stay — dates, places, countries, codes, counts, yes/no answers —
    so the report still counts in the network's figures exactly as before, and can still be published as
    figures. Nothing new can be saved in its sealed fields afterwards."""

    name = "testimony"
    rank = 2

    def erase(self, report: Report, work: Work, *, store: FileStore) -> None:
        super().erase(report, work, store=store)
        keys = {report_keys({report.pk})[report.pk]}  # made if it had none: nothing can be sealed in it later
        versions = ReportVersion.objects.filter(report_id=report.pk)
        drafts = ReportDraft.objects.filter(report_id=report.pk)
        keys |= set(versions.exclude(record_key__isnull=True).values_list("record_key_id", flat=True))
        keys |= set(drafts.exclude(record_key__isnull=True).values_list("record_key_id", flat=True))
        work.add("record_keys", destroy_record_keys(sorted(keys)))
        work.add("versions", versions.update(record=None))
        work.add("drafts", drafts.delete()[0])
        cleared: dict[str, Any] = dict.fromkeys(sealed_fields(Report))
        cleared |= dict.fromkeys(TESTIMONY_TEXTS)
        cleared["erased_at"] = work.now
        Report.objects.filter(pk=report.pk).update(**cleared)
        ReportViolence.objects.filter(report_id=report.pk).update(detail=None)
        ReportPerpetrator.objects.filter(report_id=report.pk).update(unit=None, description=None)
        ReportTransition.objects.filter(report_id=report.pk).update(comment=None)
        _scrub_pairs(report.pk, fields={"officers"})

    def pending(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        return reports.filter(Q(erased_at__isnull=True) | _evidence_left())


class EraseRecord(EraseTestimony):
    """Erase the whole record: everything :class:`EraseTestimony` erases, and the coded facts too — every column
    but the reference, organisation, kind, incident and dates of creation and erasure is cleared to unknown,
    and its lists (expelling states, nationalities, violence, perpetrators) are deleted, as are the values its
    cross-checking pairs compared.

    The report becomes a **tombstone**: its status becomes ``rejected``, the final status that statistics,
    the monitoring matrix, publication and cross-checking all leave out, so it no longer counts anywhere; its
    status before is kept in the erasure row. The tombstone stays so that the audit events that name the report
    still name a report that exists, and so that the erasure can be shown ("erased on …, rule record")."""

    name = "record"
    rank = 3

    def erase(self, report: Report, work: Work, *, store: FileStore) -> None:
        super().erase(report, work, store=store)
        cleared: dict[str, Any] = {}
        for column in Report._meta.concrete_fields:
            if column.name in TOMBSTONE_KEEPS or column.name in sealed_fields(Report):
                continue
            cleared[column.name] = None if column.null else column.get_default()
        cleared["status"] = "rejected"
        cleared["updated_at"] = work.now  # the figures' caches see the change; a tombstone is never due again
        Report.objects.filter(pk=report.pk).update(**cleared)
        for child in (ReportExpeller, ReportNationality, ReportViolence, ReportPerpetrator):
            work.add("coded_items", child.objects.filter(report_id=report.pk).delete()[0])
        if report.status != "rejected":
            ReportTransition.objects.create(
                report_id=report.pk,
                source=report.status,
                target="rejected",
                actor=current_actor(),
                comment=f"erased (rule {self.name})",
            )
        _scrub_pairs(report.pk, fields=None)

    def pending(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        tombstone = Exists(Erasure.objects.filter(report_id=OuterRef("pk"), rule=self.name))
        return reports.filter(~tombstone | _evidence_left())


RULES: dict[str, ErasureRule] = {
    rule.name: rule for rule in (EraseEvidence(), EraseTestimony(), EraseRecord())
}
if tuple(RULES) != ERASURE_RULES:  # the models' choices and the schedule name the rules in this order
    raise RuntimeError(f"erasure rules {tuple(RULES)} are not the models' {ERASURE_RULES}")


def rule_named(name: str) -> ErasureRule:
    """The rule called ``name``; :class:`LookupError` naming the rules there are."""
    try:
        return RULES[name]
    except KeyError:
        raise LookupError(f"no erasure rule {name!r}; the rules are: {', '.join(RULES)}") from None


def _is_erased(evidence: Evidence) -> bool:
    header = evidence.key_header
    return header is not None and bytes(header) == ERASED_KEY_HEADER and evidence.blob is None


def _scrub_pairs(report_id: int, *, fields: Collection[str] | None) -> None:
    """Clear the report's side of what its cross-checking pairs compared (``fields``; None: every field, and
    the measured differences, which with the other side's value would give this side's back) and the notes
    written on those pairs. Levels, weights, scores and decisions stay: they say nothing of either report."""
    pairs = list(LinkCandidate.objects.filter(Q(report_a_id=report_id) | Q(report_b_id=report_id)))
    for pair in pairs:
        side = "a" if pair.report_a_id == report_id else "b"
        comparison = pair.agreements if isinstance(pair.agreements, dict) else {}
        for name, agreement in (comparison.get("agreements") or {}).items():
            if not isinstance(agreement, dict) or (fields is not None and name not in fields):
                continue
            agreement[side] = None
            if fields is None and "measure" in agreement:
                agreement["measure"] = None
        pair.note = None
    if pairs:
        LinkCandidate.objects.bulk_update(pairs, ["agreements", "note"])

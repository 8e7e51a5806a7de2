"""Erasing one report with a rule: in one transaction the rule's work, the :class:`Erasure` row and one ``erase``
audit event; then the evidence payload files are deleted, and on SQLite the write-ahead log is folded into the
database file so that no page written before the erasure stays in it.

On SQLite the connection erases with ``secure_delete`` on: the bytes a change frees (the wrapped record key, the
sealed values, the public texts) are overwritten with zeros instead of staying in the file's free space, where
anyone holding the file and the master key could find the wrapped key again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.accounts import UnknownOrganisation
from bordermonitor.storage.audit import current_actor, record
from bordermonitor.storage.evidence import evidence_store
from bordermonitor.storage.keys import clear_caches
from bordermonitor.storage.models import (
    Erasure,
    Evidence,
    EvidenceDerivative,
    Organisation,
    Report,
    RetentionRule,
)
from bordermonitor.storage.retention.rules import RULES, ErasureRule, Work, rule_named

__all__ = [
    "MAX_REASON",
    "AlreadyErased",
    "Erased",
    "ErasureRefused",
    "NoReason",
    "UnknownReport",
    "compact",
    "erase",
    "erase_ref",
    "erased_reports",
    "erasing",
    "strongest_erasure",
]

log = logging.getLogger(__name__)

MAX_REASON = 500


class ErasureRefused(ValueError):
    """The erasure was not done; the message says why."""


class UnknownReport(ErasureRefused, LookupError):
    def __init__(self, organisation: str, ref: str) -> None:
        super().__init__(f"organisation {organisation!r} has no report {ref!r}")


class AlreadyErased(ErasureRefused):
    def __init__(self, ref: str, rule: str) -> None:
        super().__init__(
            f"report {ref!r} was already erased with a rule that covers {rule!r}, and has nothing left that {rule!r}"
            " erases"
        )


class NoReason(ErasureRefused):
    def __init__(self) -> None:
        super().__init__(
            f"say why the report is erased (--reason, at most {MAX_REASON} characters, without names: it is kept)"
        )


@dataclass(frozen=True, slots=True)
class Erased:
    """One report erased: by which rule, the erasure row, what was destroyed and the files deleted."""

    organisation: str
    ref: str
    rule: str
    erasure: int
    counts: dict[str, int]
    files_left: list[str] = field(default_factory=list)  # payload files that could not be deleted (named)


def _strength(rule: str, at: dt.datetime, pk: int) -> tuple[int, dt.datetime, int]:
    return (RULES[rule].rank, at, pk)


def strongest_erasure(report: Report) -> Erasure | None:
    """The report's strongest erasure (of two by the same rule, the later), or None if it was never erased:
    what its page says of it ("erased on …, rule …")."""
    with scopes_disabled():
        rows = list(Erasure.objects.filter(report_id=report.pk))
    return max(rows, key=lambda e: _strength(e.rule, e.at, e.pk), default=None)


def erased_reports(
    keys: Collection[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], tuple[str, dt.datetime]]:
    """Every erased report (or those of ``keys``) by organisation code and ref: its strongest rule and when that
    rule was applied. An import never re-creates them (``storage.imports``)."""
    with scopes_disabled():
        rows = Erasure.objects.all()
        if keys is not None:
            if not keys:
                return {}
            rows = rows.filter(
                report__organisation__code__in={org for org, _ in keys},
                report__ref__in={ref for _, ref in keys},
            )
        found: dict[tuple[str, str], tuple[str, dt.datetime, int]] = {}
        for org, ref, rule, at, pk in rows.values_list(
            "report__organisation__code", "report__ref", "rule", "at", "pk"
        ):
            key = (org, ref)
            if (keys is None or key in keys) and (
                key not in found or _strength(rule, at, pk) > _strength(*found[key])
            ):
                found[key] = (rule, at, pk)
    return {key: (rule, at) for key, (rule, at, _) in found.items()}


@contextmanager
def erasing() -> Iterator[None]:
    """Erase with freed bytes overwritten (SQLite ``secure_delete``; restored afterwards). PostgreSQL keeps old
    row versions until they are vacuumed: see docs/retention.md."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {int(before)}")


def compact() -> bool:
    """Fold SQLite's write-ahead log into the database file and empty it, so pages from before an erasure are no
    longer in the log (PostgreSQL: nothing to do here). False when the database was busy and the log could not be
    emptied now (it is at the next checkpoint); nothing is lost either way."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _, _ = cursor.fetchone()
    return not busy


def _still_named(work: Work) -> tuple[set[str], set[str]]:
    """The payload files (blobs) and unencrypted files (digests) of ``work`` that rows still name."""
    blobs = set(Evidence.objects.filter(blob__in=work.blobs).values_list("blob", flat=True))
    blobs |= set(EvidenceDerivative.objects.filter(blob__in=work.blobs).values_list("blob", flat=True))
    digests = {path.name for path in work.plaintext}
    plain = set(
        Evidence.objects.filter(stored=True, blob__isnull=True, sha256__in=digests).values_list(
            "sha256", flat=True
        )
    )
    plain |= set(
        EvidenceDerivative.objects.filter(blob__isnull=True, sha256__in=digests).values_list(
            "sha256", flat=True
        )
    )
    return {b for b in blobs if b}, plain


def _delete_files(work: Work, keep: tuple[set[str], set[str]], store: FileStore) -> tuple[int, list[str]]:
    """Delete the files of ``work`` no row names any more; how many, and the ones that could not be deleted."""
    blobs, plain = keep
    paths = [store.path_for(blob) for blob in sorted(work.blobs - blobs)]
    paths += sorted(path for path in work.plaintext if path.name not in plain)
    deleted, left = 0, []
    for path in paths:
        try:
            path.unlink()
            deleted += 1
        except FileNotFoundError:
            continue
        except OSError as error:  # its key is destroyed already: what is left cannot be opened
            left.append(str(path.relative_to(store.root)))
            log.warning("erased evidence file %s could not be deleted: %s", path.name, error.strerror)
    return deleted, left


def _locked(report_id: int) -> Report:
    report: Report = Report.objects.select_for_update().select_related("organisation").get(pk=report_id)
    return report


def erase(
    report_id: int,
    rule: ErasureRule | str,
    *,
    reason: str | None = None,
    schedule: RetentionRule | None = None,
    changed_before: dt.datetime | None = None,
    store: FileStore | None = None,
    now: dt.datetime | None = None,
    compact_after: bool = True,
) -> Erased | None:
    """Erase report ``report_id`` with ``rule`` (a rule or its name).

    Asked for by a person, ``reason`` says why (required; kept in the erasure row, never in the audit log). Applied
    by the schedule, ``schedule`` is the line and ``changed_before`` its cutoff: the report is checked again under
    its lock and left alone (None returned) if it moved to another status or changed since it was found due.
    Raises :class:`AlreadyErased` when a rule covering this one was applied and nothing is left for it to erase.
    Call it outside a transaction: the payload files are deleted once the erasure is committed, then (unless
    ``compact_after`` is false: a batch compacts once at its end) SQLite's log is emptied (:func:`compact`)."""
    chosen = rule_named(rule) if isinstance(rule, str) else rule
    if schedule is None:
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            raise NoReason
    store = store or evidence_store()
    work = Work(now=now or timezone.now())
    with scopes_disabled(), erasing():
        try:
            with transaction.atomic():
                report = _locked(report_id)
                if schedule is not None and (
                    report.status != schedule.status
                    or (changed_before is not None and report.updated_at > changed_before)
                ):
                    return None
                if not chosen.pending(Report.objects.filter(pk=report_id)).exists():
                    raise AlreadyErased(report.ref, chosen.name)
                status_before = report.status
                chosen.erase(report, work, store=store)
                keep = _still_named(work)
                files = len(work.blobs - keep[0]) + len({p for p in work.plaintext if p.name not in keep[1]})
                counts = {**work.counts, "files": files}
                erasure = Erasure.objects.create(
                    organisation_id=report.organisation_id,
                    report_id=report.pk,
                    rule=chosen.name,
                    schedule=schedule,
                    reason=reason if schedule is None else None,
                    status_before=status_before,
                    counts=counts,
                    actor=current_actor(),
                    at=work.now,
                )
                details: dict[str, Any] = {"rule": chosen.name, "erasure": erasure.pk, "counts": counts}
                if schedule is not None:
                    details["schedule"] = schedule.pk
                record("erase", report, details=details)
        except BaseException:
            clear_caches()  # a key marked destroyed in the cache by a rolled back erasure is read again
            raise
        _, left = _delete_files(work, keep, store)
    if compact_after:
        compact()
    return Erased(report.organisation.code, report.ref, chosen.name, erasure.pk, counts, left)


def erase_ref(
    organisation: str,
    ref: str,
    rule: ErasureRule | str,
    *,
    reason: str,
    store: FileStore | None = None,
    now: dt.datetime | None = None,
) -> Erased:
    """Erase the report ``ref`` of ``organisation`` (its code) with ``rule``, for ``reason`` (:func:`erase`)."""
    with scopes_disabled():
        found = (
            Report.objects.filter(organisation__code=organisation.strip().lower(), ref=ref.strip())
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            if not Organisation.objects.filter(code=organisation.strip().lower()).exists():
                raise UnknownOrganisation(organisation)
            raise UnknownReport(organisation, ref)
    done = erase(found, rule, reason=reason, store=store, now=now)
    if done is None:  # only an erasure by the schedule is ever left alone
        raise RuntimeError(f"report {ref!r} was left alone")
    return done

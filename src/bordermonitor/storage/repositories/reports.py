"""Queries and writes of reports and incidents. Callers run inside a django-scopes ``scope`` (pages) or
``scopes_disabled()`` (network-level commands); nothing here widens the scope it is given."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bordermonitor.core.dates import PartialDate
from bordermonitor.core.stats import Account
from bordermonitor.storage.audit import append, current_actor, event_rows
from bordermonitor.storage.models import (
    Evidence,
    Incident,
    Organisation,
    Report,
    ReportExpeller,
    ReportNationality,
    ReportPerpetrator,
    ReportTransition,
    ReportViolence,
    Stakeholder,
)
from bordermonitor.storage.repositories.bulk import allocate_ids, insert_rows
from bordermonitor.storage.repositories.mapping import (
    REPORT_COLUMNS,
    EvidenceFile,
    PreparedReport,
    incident_ref_for,
    prepare,
    record_dict,
)
from bordermonitor.storage.repositories.sealing import seal_report_rows

__all__ = [
    "DEFAULT_STAT_STATUSES",
    "REVIEWED_COLUMNS",
    "EvidenceFile",
    "PreparedReport",
    "SaveResult",
    "children_of",
    "incident_accounts",
    "incident_ref_for",
    "iter_record_dicts",
    "prepare",
    "record_of",
    "save_reports",
]

_CHILDREN = (ReportExpeller, ReportNationality, ReportViolence, ReportPerpetrator)  # replaced with the report
REVIEWED_COLUMNS = ("title", "narrative_text", "known_names", "public_title", "public_narrative")
"""The columns of ``storage.publication.REVIEWED_PATHS``: an approved public version covers them as they were
when approved, so a save that changes any of them withdraws the approval."""
_STALE = {"public_version": "withdrawn", "reason": "the reviewed texts or names changed after approval"}
DEFAULT_STAT_STATUSES = (
    "submitted",
    "in_review",
    "changes_requested",
    "verified",
    "approved_for_publication",
)


@dataclass(slots=True)
class SaveResult:
    created: int = 0
    updated: int = 0


def _stakeholders(codes: set[str]) -> dict[str, int]:
    """Ids of the stakeholders named by code, creating those not yet known (to be described later)."""
    found = dict(Stakeholder.objects.filter(code__in=codes).values_list("code", "id"))
    missing = [Stakeholder(code=code) for code in sorted(codes - set(found))]
    if missing:
        Stakeholder.objects.bulk_create(missing, ignore_conflicts=True)
        found = dict(Stakeholder.objects.filter(code__in=codes).values_list("code", "id"))
    return found


def save_reports(
    batch: Sequence[PreparedReport], *, organisations: dict[str, Organisation], add_evidence: bool = True
) -> SaveResult:
    """Create or replace reports (by organisation and ref) in one transaction, with their incidents, child
    rows and one audit event per report and incident created, updated or deleted.

    A report already stored is replaced by the new version (the source sent it again); when the same report
    appears twice in ``batch`` the later one wins. Incidents are found or created by ref; an incident left
    without reports by a replaced report is deleted.

    Evidence is never removed by a replacement: its rows are the custody record of sealed files (and carry
    their cleaned copies). A replaced report keeps every evidence row it has and gains those of the new
    version whose SHA-256 it does not have yet; a file that was missing before and is sealed now is marked
    stored. With ``add_evidence=False`` (edits from the pages, where evidence is uploaded on its own) the
    record's evidence list is not read at all.

    The title, narratives, known names and the source's row are sealed with each report's record key (made in
    bulk for the reports that need one) before they are written: no plain value reaches the database.

    A replaced report whose approved public version covered a title, narrative, known names or public text
    that the new version changes loses the approval in the same bulk update (compared with the row already
    read, no query more), with the update's audit event saying so: what a reviewer did not read is never
    published.
    """
    latest = {item.key: item for item in batch}
    repeats = len(batch) - len(latest)
    now = timezone.now()
    with transaction.atomic():
        existing: dict[tuple[str, str], Report] = {}
        by_org: dict[str, list[str]] = defaultdict(list)
        for org, ref in latest:
            by_org[org].append(ref)
        for org, refs in by_org.items():
            for report in Report.objects.filter(organisation=organisations[org], ref__in=refs):
                existing[(org, report.ref)] = report

        wanted = {item.incident_ref: item.organisation for item in latest.values()}
        incident_ids = dict(Incident.objects.filter(ref__in=wanted).values_list("ref", "id"))
        fresh = [(ref, org) for ref, org in wanted.items() if ref not in incident_ids]
        fresh_ids = allocate_ids(Incident, len(fresh))
        insert_rows(
            Incident,
            [
                {
                    "id": pk,
                    "ref": ref,
                    "organisation_id": organisations[org].pk,
                    "created_at": now,
                    "updated_at": now,
                }
                for pk, (ref, org) in zip(fresh_ids, fresh, strict=True)
            ],
        )
        incident_ids.update({ref: pk for pk, (ref, _) in zip(fresh_ids, fresh, strict=True)})
        events = event_rows(
            "create", "incident", ((pk, ref, org) for pk, (ref, org) in zip(fresh_ids, fresh, strict=True))
        )

        authorities = _stakeholders({a for item in latest.values() for a, _, _ in item.perpetrators if a})
        new_keys = [key for key in latest if key not in existing]
        report_ids = dict(zip(new_keys, allocate_ids(Report, len(new_keys)), strict=True))
        new_rows: list[dict[str, Any]] = []
        updated: list[Report] = []
        withdrawn: set[int] = set()  # reports whose approved public version no longer covers their texts
        moved: list[ReportTransition] = []
        left_incidents: set[int] = set()
        for key, item in latest.items():
            incident_id = incident_ids[item.incident_ref]
            report = existing.get(key)
            if report is None:
                new_rows.append(
                    {
                        **item.columns,
                        "id": report_ids[key],
                        "organisation_id": organisations[item.organisation].pk,
                        "ref": item.ref,
                        "incident_id": incident_id,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                continue
            if report.incident_id != incident_id:
                left_incidents.add(report.incident_id)
            if report.status != item.columns["status"]:  # the source sent another status: history shows it
                moved.append(
                    ReportTransition(
                        report_id=report.pk,
                        source=report.status,
                        target=item.columns["status"],
                        actor=current_actor(),
                        comment="status given by an imported record",
                        at=now,
                    )
                )
            if report.public_approved_at is not None and any(
                item.columns[name] != getattr(report, name) for name in REVIEWED_COLUMNS
            ):
                report.public_approved_at, report.public_approved_by_id = None, None
                withdrawn.add(report.pk)
            for name, value in item.columns.items():
                setattr(report, name, value)
            report.incident_id = incident_id
            report.updated_at = now
            report.version += 1  # an edit based on the version before this import is refused
            updated.append(report)
        seal_report_rows(new_rows)  # record keys made in bulk, values sealed in Python
        insert_rows(Report, new_rows)
        if updated:  # bulk_update seals what it writes (storage.models.sealed.SealedQuerySet)
            approval = ["public_approved_at", "public_approved_by"] if withdrawn else []
            Report.objects.bulk_update(
                updated, [*REPORT_COLUMNS, "incident", "updated_at", "version", *approval], batch_size=200
            )
            ids = [r.pk for r in updated]
            for model in _CHILDREN:
                model.objects.filter(report_id__in=ids).delete()
        stored = {**report_ids, **{key: r.pk for key, r in existing.items()}}
        _create_children(latest, stored, authorities, now)
        if add_evidence:
            _add_evidence(latest, stored, now)
        events += event_rows("create", "report", ((report_ids[k], k[1], k[0]) for k in new_keys))
        for stale in (False, True):
            events += event_rows(
                "update",
                "report",
                ((r.pk, r.ref, r.organisation.code) for r in updated if (r.pk in withdrawn) == stale),
                details=_STALE if stale else None,
            )
        if left_incidents:
            # Each deletion is audited by the model's delete signal.
            Incident.objects.filter(pk__in=left_incidents, reports__isnull=True).delete()
        ReportTransition.objects.bulk_create(moved)
        append(events)
    return SaveResult(created=len(new_keys), updated=len(updated) + repeats)


def _create_children(
    latest: dict[tuple[str, str], PreparedReport],
    stored: dict[tuple[str, str], int],
    authorities: dict[str, int],
    now: dt.datetime,
) -> None:
    expellers, nationalities, violence, perpetrators = [], [], [], []
    for key, item in latest.items():
        rid = stored[key]
        expellers += [{"report_id": rid, "position": i, "country": c} for i, c in enumerate(item.expelled_by)]
        nationalities += [
            {"report_id": rid, "position": i, "country": c} for i, c in enumerate(item.nationalities)
        ]
        violence += [
            {"report_id": rid, "position": i, "code": code, "detail": detail}
            for i, (code, detail) in enumerate(item.violence)
        ]
        perpetrators += [
            {
                "report_id": rid,
                "position": i,
                "authority_id": authorities[authority] if authority else None,
                "unit": unit,
                "description": description,
            }
            for i, (authority, unit, description) in enumerate(item.perpetrators)
        ]
    insert_rows(ReportExpeller, expellers)
    insert_rows(ReportNationality, nationalities)
    insert_rows(ReportViolence, violence)
    insert_rows(ReportPerpetrator, perpetrators)


def _add_evidence(
    latest: dict[tuple[str, str], PreparedReport], stored: dict[tuple[str, str], int], now: dt.datetime
) -> None:
    """Evidence rows of the records in ``latest`` that their report does not hold yet (by SHA-256)."""
    wanted = {stored[key]: item.evidence for key, item in latest.items() if item.evidence}
    held: dict[int, dict[str, bool]] = defaultdict(dict)
    next_position: dict[int, int] = defaultdict(int)
    if wanted:
        rows = Evidence.objects.filter(report_id__in=list(wanted)).values_list(
            "report_id", "sha256", "stored", "position"
        )
        for rid, sha256, is_stored, position in rows:
            held[rid][sha256] = is_stored
            next_position[rid] = max(next_position[rid], position + 1)
    new_rows, now_stored = [], []
    for rid, refs in wanted.items():
        for ref in refs:
            known = held[rid].get(ref["sha256"])
            if known is None:
                new_rows.append({**ref, "report_id": rid, "position": next_position[rid], "created_at": now})
                next_position[rid] += 1
                held[rid][ref["sha256"]] = ref["stored"]
            elif ref["stored"] and not known:
                now_stored.append((rid, ref["sha256"], ref["size"]))
    insert_rows(Evidence, new_rows)
    for rid, sha256, size in now_stored:
        Evidence.objects.filter(report_id=rid, sha256=sha256).update(stored=True, size=size)


def children_of(ids: list[int]) -> dict[int, dict[str, list[Any]]]:
    """The ordered child rows of each report in ``ids`` by relation name, read in one query per table."""
    grouped: dict[int, dict[str, list[Any]]] = defaultdict(
        lambda: {"expellers": [], "nationalities": [], "violence": [], "perpetrators": [], "evidence": []}
    )
    for name, queryset in (
        ("expellers", ReportExpeller.objects.filter(report_id__in=ids)),
        ("nationalities", ReportNationality.objects.filter(report_id__in=ids)),
        ("violence", ReportViolence.objects.filter(report_id__in=ids)),
        ("perpetrators", ReportPerpetrator.objects.filter(report_id__in=ids).select_related("authority")),
        ("evidence", Evidence.objects.filter(report_id__in=ids)),
    ):
        for row in queryset.order_by("report_id", "position"):
            grouped[row.report_id][name].append(row)
    return grouped


def iter_record_dicts(
    *, organisation: str | None = None, chunk: int = 2000
) -> Iterator[tuple[dict[str, Any], list[Evidence]]]:
    """Every stored report in interchange shape, in a stable order (organisation, then id), read in chunks.

    Yields the dict and the report's evidence rows (for copying the sealed originals next to an export).
    """
    reports = Report.objects.order_by("organisation__code", "id")
    if organisation is not None:
        reports = reports.filter(organisation__code=organisation)
    ids = list(reports.values_list("id", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = Report.objects.select_related("organisation", "incident").in_bulk(part)
        children = children_of(part)
        for pk in part:
            report, kids = rows[pk], children[pk]
            yield (
                record_dict(
                    report,
                    organisation=report.organisation.code,
                    incident_ref=report.incident.ref,
                    children=kids,
                ),
                kids["evidence"],
            )


def record_of(report: Report) -> dict[str, Any]:
    """One stored report in interchange shape (``report`` with its organisation and incident loaded)."""
    return record_dict(
        report,
        organisation=report.organisation.code,
        incident_ref=report.incident.ref,
        children=children_of([report.pk])[report.pk],
    )


@lru_cache(maxsize=16384)
def _partial_date(start: dt.date, precision: str) -> PartialDate:
    return PartialDate(
        start.year, start.month if precision != "year" else None, start.day if precision == "day" else None
    )


def incident_accounts(
    *,
    statuses: Iterable[str] = DEFAULT_STAT_STATUSES,
    organisation: str | None = None,
    source: str | None = None,
    reports: QuerySet[Report] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[list[Account]]:
    """Each incident's accounts for statistics: one per report passing the filters, grouped by incident.
    ``reports`` narrows the reports counted (the pages pass what the person may see).

    ``date_from``/``date_to`` keep the incidents of which at least one counted report is dated in the range,
    with all their counted reports: a superset of the incidents ``core.stats.compute`` places in the period
    (an incident's date is one of its reports' dates), read through the date index instead of whole."""
    reports = (
        (Report.objects.all() if reports is None else reports)
        .filter(status__in=list(statuses))
        .exclude(erasures__rule="record")  # tombstones of erased records hold nothing to count
    )
    if organisation is not None:
        reports = reports.filter(organisation__code=organisation)
    if source is not None:
        reports = reports.filter(source_name=source)
    if date_from is not None or date_to is not None:
        dated = reports.filter(date_start__isnull=False)
        if date_from is not None:
            dated = dated.filter(date_start__gte=date_from)
        if date_to is not None:
            dated = dated.filter(date_start__lte=date_to)
        reports = reports.filter(incident_id__in=dated.values("incident_id"))
    columns = (
        "id", "incident_id", "organisation__code", "date_start", "date_precision", "group_size", "dead",
        "missing", "minors_involved", "causes_of_death",
    )  # fmt: skip
    rows = list(reports.values_list(*columns))
    lists: dict[str, dict[int, list[str]]] = {}
    for name, model, column in (
        ("violence", ReportViolence, "code"),
        ("expelled_by", ReportExpeller, "country"),
        ("nationalities", ReportNationality, "country"),
    ):
        grouped: dict[int, list[str]] = defaultdict(list)
        items = model.objects.filter(report__in=reports).order_by("report_id", "position")
        for report_id, value in items.values_list("report_id", column):
            grouped[report_id].append(value)
        lists[name] = grouped
    incidents: dict[int, list[Account]] = defaultdict(list)
    for rid, incident_id, org, start, precision, size, dead, missing, minors, causes in rows:
        date = _partial_date(start, precision) if start is not None else None
        incidents[incident_id].append(
            Account(
                report_id=rid,
                organisation=org,
                date=date,
                group_size=size,
                dead=dead,
                missing=missing,
                minors_involved=minors,
                violence=tuple(lists["violence"].get(rid, ())),
                expelled_by=tuple(lists["expelled_by"].get(rid, ())),
                nationalities=tuple(lists["nationalities"].get(rid, ())),
                causes_of_death=tuple(causes),
            )
        )
    return list(incidents.values())

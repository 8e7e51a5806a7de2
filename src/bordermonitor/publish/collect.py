"""Reading what may be published from the protected store, in incident order, a chunk at a time.

Publishable means all three: the source consented to publication, a reviewer approved the report for
publication, and its organisation shares with the network (an organisation that keeps its records to itself is
not in the network's release either). Only :data:`~bordermonitor.publish.classification.REPORT_READ` is read.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django_scopes import scopes_disabled

from bordermonitor.importers.mmp import NAME as MMP_SOURCE
from bordermonitor.publish.classification import REPORT_READ
from bordermonitor.publish.rows import Licence, ReportRow
from bordermonitor.storage.models import (
    Evidence,
    EvidenceDerivative,
    Incident,
    Organisation,
    Report,
    ReportExpeller,
    ReportNationality,
    ReportPerpetrator,
    ReportViolence,
)
from bordermonitor.storage.models.sealed import open_raw, preload_for, sealed_fields

__all__ = [
    "MMP_LICENCE",
    "assign_public_ids",
    "publishable",
    "reports_by_incident",
    "withheld_reports",
]

MMP_LICENCE = Licence("CC-BY-4.0", "IOM's Missing Migrants Project")
PUBLISHABLE = Q(
    status="approved_for_publication", consent_publish=True, organisation__shares_with_network=True
)
_PUBLISHED_REPORT = Q(
    report__status="approved_for_publication",
    report__consent_publish=True,
    report__organisation__shares_with_network=True,
)
_CHUNK = 5000
_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud and typed without mistakes


def publishable() -> Any:
    with scopes_disabled():
        return Report.objects.filter(PUBLISHABLE)


def withheld_reports() -> dict[str, int]:
    """Reports of the organisations that share with the network left out of the release, by reason (counts
    only). Organisations that do not share are not described at all, not even by a count."""
    with scopes_disabled():
        sharing = Report.objects.filter(organisation__shares_with_network=True).exclude(
            erasures__rule="record"  # tombstones of erased records are not reports any more
        )
        return {
            "reports not approved for publication": sharing.exclude(
                status="approved_for_publication"
            ).count(),
            "approved reports without the source's consent to publish": sharing.filter(
                status="approved_for_publication"
            )
            .exclude(consent_publish=True)
            .count(),
        }


def _new_id() -> str:
    return "bm-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


def assign_public_ids() -> int:
    """Give an open-data identifier to every incident about to be published for the first time."""
    with scopes_disabled(), transaction.atomic():
        # from the reports' side: one pass over the publishable reports (an IN over them per incident is
        # quadratic in SQLite)
        waiting = sorted(
            set(publishable().filter(incident__public_id__isnull=True).values_list("incident_id", flat=True))
        )
        table = Incident._meta.db_table
        with connection.cursor() as cursor:
            for start in range(0, len(waiting), _CHUNK):
                cursor.executemany(
                    f"UPDATE {table} SET public_id = %s WHERE id = %s",  # noqa: S608 - the model's own table
                    [(_new_id(), pk) for pk in waiting[start : start + _CHUNK]],
                )
    return len(waiting)


def _children(first: int, last: int) -> dict[str, dict[int, list[Any]]]:
    """The lists of the publishable reports of incidents ``first`` to ``last`` (ids), a query per list: the
    chunk is a contiguous range of incidents, so a range and a join select it, not thousands of ids."""
    found: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    ids = Q(report__incident__gte=first, report__incident__lte=last) & _PUBLISHED_REPORT
    for report_id, country in (
        ReportExpeller.objects.filter(ids)
        .order_by("report_id", "position")
        .values_list("report_id", "country")
    ):
        found["expelled_by"][report_id].append(country)
    for report_id, country in (
        ReportNationality.objects.filter(ids)
        .order_by("report_id", "position")
        .values_list("report_id", "country")
    ):
        found["nationalities"][report_id].append(country)
    for report_id, code in (
        ReportViolence.objects.filter(ids).order_by("report_id", "position").values_list("report_id", "code")
    ):
        found["violence"][report_id].append(code)
    for report_id, name in (
        ReportPerpetrator.objects.filter(ids, authority__isnull=False)
        .order_by("report_id", "position")
        .values_list("report_id", "authority__name")
    ):
        if name:
            found["perpetrators"][report_id].append(name)
    selected = Evidence.objects.filter(ids, publish=True).order_by("report_id", "position")
    copies = {
        d.evidence_id: d for d in EvidenceDerivative.objects.filter(evidence__in=selected, role="public")
    }
    for report_id, evidence_id, kind in selected.values_list("report_id", "pk", "kind"):
        copy = copies.get(evidence_id)
        found["evidence"][report_id].append(
            {
                "kind": kind,
                "sha256": copy.sha256 if copy else None,
                "media_type": copy.media_type if copy else None,
                "size": copy.size if copy else None,
                "file": f"evidence/{copy.sha256}{mimetypes.guess_extension(copy.media_type) or ''}"
                if copy
                else None,
                "evidence_id": evidence_id,
            }
        )
    return found


def _report_query() -> tuple[str, list[str], dict[str, Callable[[Any], Any]]]:
    """The publishable reports in incident order, as one plain SQL statement over the columns the publisher may
    read (the ORM's per-value conversions cost more than the rest of a large publication), the names of the
    columns it returns, and how to read the few whose form differs between SQLite and PostgreSQL."""
    report, incident, organisation = Report._meta, Incident._meta, Organisation._meta
    names = [f for f in REPORT_READ if f not in ("organisation", "incident")]
    columns = [f'r."{report.get_field(name).column}"' for name in names]
    sql = (
        f"SELECT {', '.join(columns)}, r.incident_id, i.public_id, o.code, "  # noqa: S608 - names from the models
        "CASE WHEN r.narrative_text IS NULL THEN 0 ELSE 1 END, r.record_key_id "
        f"FROM {report.db_table} r JOIN {incident.db_table} i ON i.id = r.incident_id "
        f"JOIN {organisation.db_table} o ON o.id = r.organisation_id "
        "WHERE r.status = %s AND r.consent_publish = %s AND o.shares_with_network = %s "
        "AND r.incident_id >= %s AND r.incident_id < %s ORDER BY r.incident_id, r.id"
    )
    readers: dict[str, Callable[[Any], Any]] = {}
    for name in names:
        field = report.get_field(name)
        if isinstance(field, models.JSONField):
            readers[name] = _json
        elif isinstance(field, models.BooleanField):
            readers[name] = _boolean
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            readers[name] = _date
    return (
        sql,
        [
            *names,
            "incident_id",
            "incident__public_id",
            "organisation__code",
            "has_narrative",
            "record_key_id",
        ],
        readers,
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def reports_by_incident(
    *, network_licence: Licence
) -> Iterator[tuple[str, tuple[ReportRow, ...], dict[str, Any]]]:
    """``(public id, the incident's publishable reports, who they are)`` for every incident to publish, in
    incident order. The third item names the reports for error messages: organisation codes and refs."""
    sql, names, readers = _report_query()
    converted = [(index, readers[name]) for index, name in enumerate(names) if name in readers]
    fields = sealed_fields(Report)
    sealed = [(index, fields[name]) for index, name in enumerate(names) if name in fields]
    pending: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    # a window of incident ids at a time: whole incidents, read through the incident index (a window of
    # reports after the last one read would sort every remaining row again for each page)
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(incident_id), MAX(incident_id) FROM {Report._meta.db_table}")  # noqa: S608
        first, last = cursor.fetchone()
        for start in range(first or 0, (last or -1) + 1, _CHUNK):
            cursor.execute(sql, ["approved_for_publication", True, True, start, start + _CHUNK])
            fetched = cursor.fetchall()
            # sealed columns (the names to redact): opened in Python, the chunk's record keys read at once
            preload_for(values[index] for values in fetched for index, _ in sealed)
            for values in fetched:
                values = list(values)
                for index, read in converted:
                    values[index] = read(values[index])
                for index, field in sealed:
                    values[index] = open_raw(field, values[index], values[-1])
                batch.append(dict(zip(names, values, strict=True)))
            if len(batch) >= _CHUNK:
                yield from _emit(batch, pending, network_licence, final=False)
                batch = []
        yield from _emit(batch, pending, network_licence, final=True)


def _emit(
    batch: list[dict[str, Any]], pending: list[dict[str, Any]], licence: Licence, *, final: bool
) -> Iterator[tuple[str, tuple[ReportRow, ...], dict[str, Any]]]:
    """Turn rows into report rows and yield whole incidents; the last incident of a chunk waits for the next."""
    rows = pending + batch
    pending.clear()
    if not rows:
        return
    if not final:
        last = rows[-1]["incident_id"]
        while rows and rows[-1]["incident_id"] == last:
            pending.insert(0, rows.pop())
    children = _children(rows[0]["incident_id"], rows[-1]["incident_id"])
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["incident_id"]].append(row)
    for group in groups.values():
        yield (
            group[0]["incident__public_id"],
            tuple(_report_row(row, children, licence) for row in group),
            {"reports": [(row["organisation__code"], row["ref"], row["id"]) for row in group]},
        )


def _report_row(
    row: dict[str, Any], children: dict[str, dict[int, list[Any]]], licence: Licence
) -> ReportRow:
    if row["public_approved_at"] is not None:
        narrative = "approved"
    elif row["has_narrative"]:
        narrative = "pending"
    else:
        narrative = "none"
    pk = row["id"]
    return ReportRow(
        id=pk,
        fields=row,
        known_names=tuple(row["known_names"] or ()),
        narrative=narrative,  # type: ignore[arg-type]
        licence=MMP_LICENCE if row["source_name"] == MMP_SOURCE else licence,
        expelled_by=tuple(children["expelled_by"].get(pk, ())),
        nationalities=tuple(children["nationalities"].get(pk, ())),
        violence=tuple(children["violence"].get(pk, ())),
        perpetrators=tuple(children["perpetrators"].get(pk, ())),
        evidence=tuple(children["evidence"].get(pk, ())),
    )

"""Decisions on cross-checking pairs, merging incidents and undoing it, and what a linked incident's reports say.

``same_incident`` merges the two reports' incidents: the incident created first is kept, every report of the other
moves to it, and an :class:`~bordermonitor.storage.models.IncidentMerge` records what moved so that :func:`undo`
recreates the absorbed incident exactly (its id, reference, organisation, public identifier and dates) with its
reports. ``related`` and ``not_related`` only record the decision. Every decision and undo writes audit events
on both reports (and the reports it moves), in the same transaction.

Merging acts on whole incidents — every report of them, whoever may see it — so incidents never split by who
looks; callers check first that the person may act on the pair (``storage.linkage.get_candidate``).

An incident whose reports disagree keeps the figures of ``core.stats.reconcile`` (earliest-recorded report first);
:func:`incident_conflicts` lists the disagreements beside them, and :func:`corroboration` counts its independent
sources.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bordermonitor.core.dates import PartialDate
from bordermonitor.core.stats import IncidentFacts, reconcile
from bordermonitor.storage.audit import append, event_rows, record
from bordermonitor.storage.linkage_records import NEVER_PAIRED
from bordermonitor.storage.models import (
    Incident,
    IncidentMerge,
    LinkCandidate,
    Report,
    ReportExpeller,
    ReportNationality,
    ReportPerpetrator,
    ReportViolence,
    User,
)
from bordermonitor.storage.models.linkage import DECISIONS
from bordermonitor.storage.repositories.reports import incident_accounts

__all__ = [
    "PLACE_TOLERANCE_KM",
    "AlreadyDecided",
    "AlreadyLinked",
    "Conflict",
    "Corroboration",
    "NotDecided",
    "UndoRefused",
    "corroboration",
    "decide",
    "incident_conflicts",
    "incident_facts",
    "undo",
]

PLACE_TOLERANCE_KM = 1.0
"""Coordinates of one incident further apart than this are listed as a disagreement on the place."""


class AlreadyDecided(ValueError):
    """The pair has a decision already (someone else may have just made it): undo it first to change it."""

    def __init__(self, candidate: LinkCandidate) -> None:
        self.candidate = candidate
        super().__init__(
            _("This pair was already decided (%(decision)s). Undo that decision first to change it.")
            % {"decision": candidate.get_status_display()}
        )


class AlreadyLinked(ValueError):
    """The two reports are in one incident already (linked through other reports): they cannot be unrelated."""

    def __init__(self) -> None:
        super().__init__(
            _("Both reports are already linked into one incident. Undo that link before deciding otherwise.")
        )


class NotDecided(ValueError):
    """There is no decision on the pair to undo."""

    def __init__(self) -> None:
        super().__init__(_("This pair has no decision to undo."))


class UndoRefused(ValueError):
    """Undoing would not restore the incidents as they were; the message says what changed since, and
    ``later`` is the pair whose later link must be undone first (when that is the reason)."""

    def __init__(self, message: str, *, later: int | None = None) -> None:
        super().__init__(message)
        self.later = later


def _actor_id(user: User | None) -> int | None:
    return user.pk if user is not None else None


def _event(action: str, reports: list[Report], details: dict[str, Any]) -> None:
    rows = event_rows(
        action, "report", [(r.pk, r.ref, r.organisation.code) for r in reports], details=details
    )
    append(rows)


def _move(ids: list[int], target: Incident, details: dict[str, Any]) -> None:
    """Move the reports ``ids`` to ``target`` (their change time is now: figures cached on it refresh)."""
    moved = list(Report.objects.filter(pk__in=ids).select_related("organisation"))
    Report.objects.filter(pk__in=ids).update(incident_id=target.pk, updated_at=timezone.now())
    _event("update", moved, details)


def _merge(candidate: LinkCandidate, a: Report, b: Report, user: User | None) -> IncidentMerge | None:
    first, second = sorted((a.incident, b.incident), key=lambda i: (i.created_at, i.pk))
    kept, absorbed = first, second
    moved = sorted(Report.objects.filter(incident_id=absorbed.pk).values_list("pk", flat=True))
    merge = IncidentMerge.objects.create(
        candidate=candidate,
        kept_id=kept.pk,
        kept_ref=kept.ref,
        kept_organisation_id=kept.organisation_id,
        kept_updated_at=kept.updated_at,
        absorbed_id=absorbed.pk,
        absorbed_ref=absorbed.ref,
        absorbed_organisation_id=absorbed.organisation_id,
        absorbed_public_id=absorbed.public_id,
        absorbed_created_at=absorbed.created_at,
        absorbed_updated_at=absorbed.updated_at,
        moved_reports=moved,
        merged_by=user,
    )
    _move(moved, kept, {"incident": {"from": absorbed.ref, "to": kept.ref}, "candidate": candidate.pk})
    Incident.objects.filter(pk=kept.pk).update(updated_at=timezone.now())
    record("update", kept, details={"merged": absorbed.ref, "candidate": candidate.pk})
    Incident.objects.filter(pk=absorbed.pk).delete()  # its deletion is audited by the model's signal
    return merge


def decide(
    candidate: LinkCandidate,
    decision: str,
    *,
    user: User | None,
    note: str | None = None,
    automatic: bool = False,
) -> IncidentMerge | None:
    """Record ``decision`` (``same_incident``, ``related`` or ``not_related``) on a proposed pair; for
    ``same_incident`` merge the two incidents and return what the merge did (None when they were one already).

    Raises :class:`AlreadyDecided` when the pair has a decision (undo it first) and :class:`AlreadyLinked` when
    two reports already in one incident are said not to be. ``automatic`` marks a link made without review
    (it is not used to calibrate the model).
    """
    if decision not in DECISIONS:
        raise ValueError(
            _('"%(decision)s" is not a decision; choose one of: %(choices)s.')
            % {"decision": decision, "choices": ", ".join(DECISIONS)}
        )
    now = timezone.now()
    with transaction.atomic(), scopes_disabled():
        current = LinkCandidate.objects.select_for_update().get(pk=candidate.pk)
        if current.status != "proposed":
            raise AlreadyDecided(current)
        reports = Report.objects.select_related("organisation", "incident").in_bulk(
            [current.report_a_id, current.report_b_id]
        )
        a, b = reports[current.report_a_id], reports[current.report_b_id]
        merge = None
        if a.incident_id == b.incident_id:
            if decision != "same_incident":
                raise AlreadyLinked()
        elif decision == "same_incident":
            merge = _merge(current, a, b, user)
        current.status, current.decided_by, current.decided_at = decision, user, now
        current.note, current.automatic, current.updated_at = (note or None), automatic, now
        current.save(update_fields=["status", "decided_by", "decided_at", "note", "automatic", "updated_at"])
        details: dict[str, Any] = {"crosscheck": decision, "candidate": current.pk, "score": current.score}
        if automatic:
            details["automatic"] = True
        _event("update", [a, b], details)
    for name in ("status", "decided_by", "decided_at", "note", "automatic", "updated_at"):
        setattr(candidate, name, getattr(current, name))
    return merge


def _unmerge(merge: IncidentMerge, user: User | None) -> None:
    later = (
        IncidentMerge.objects.filter(absorbed_id=merge.kept_id, undone_at__isnull=True, pk__gt=merge.pk)
        .order_by("pk")
        .first()
    )
    if later is not None:
        raise UndoRefused(
            _("Incident %(kept)s was merged into %(later)s afterwards. Undo that link first, then this one.")
            % {"kept": merge.kept_ref, "later": later.kept_ref},
            later=later.candidate_id,
        )
    kept = Incident.objects.filter(pk=merge.kept_id).first()
    if kept is None:
        raise UndoRefused(_("Incident %(ref)s no longer exists.") % {"ref": merge.kept_ref})
    if (
        Incident.objects.filter(ref=merge.absorbed_ref).exists()
        or Incident.objects.filter(pk=merge.absorbed_id).exists()
    ):
        raise UndoRefused(
            _("An incident with the reference %(ref)s exists again; it cannot be restored.")
            % {"ref": merge.absorbed_ref}
        )
    elsewhere = (
        Report.objects.filter(pk__in=merge.moved_reports)
        .exclude(incident_id=kept.pk)
        .values_list("ref", flat=True)
        .first()
    )
    if elsewhere is not None:
        raise UndoRefused(
            _("Report %(ref)s has moved to another incident since; it cannot be restored.")
            % {"ref": elsewhere}
        )
    absorbed = Incident(
        pk=merge.absorbed_id,
        ref=merge.absorbed_ref,
        organisation_id=merge.absorbed_organisation_id,
        public_id=merge.absorbed_public_id,
        created_at=merge.absorbed_created_at,
        updated_at=merge.absorbed_updated_at,
    )
    absorbed.save(force_insert=True)  # audited as a creation by the model's signal
    _move(
        list(merge.moved_reports),
        absorbed,
        {"incident": {"from": kept.ref, "to": absorbed.ref}, "candidate": merge.candidate_id, "undo": True},
    )
    touched_since = IncidentMerge.objects.filter(
        kept_id=kept.pk, undone_at__isnull=True, pk__gt=merge.pk
    ).exists()
    Incident.objects.filter(pk=kept.pk).update(
        updated_at=timezone.now() if touched_since else merge.kept_updated_at
    )
    record("update", kept, details={"unmerged": absorbed.ref, "candidate": merge.candidate_id})
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])


def undo(candidate: LinkCandidate, *, user: User | None) -> None:
    """Take back the decision on ``candidate``: the pair is proposed again, and a merge it made is undone —
    the absorbed incident comes back with its id, reference, organisation, public identifier and dates, and
    its reports. Refused (:class:`UndoRefused`) when that can no longer be exact: a later link merged the kept
    incident away (undo that one first), a moved report is in another incident now, or the reference is taken.
    """
    now = timezone.now()
    with transaction.atomic(), scopes_disabled():
        current = LinkCandidate.objects.select_for_update().get(pk=candidate.pk)
        if current.status == "proposed":
            raise NotDecided()
        merge = (
            IncidentMerge.objects.filter(candidate=current, undone_at__isnull=True).order_by("-pk").first()
        )
        if merge is not None:
            _unmerge(merge, user)
        previous = current.status
        current.status, current.decided_by, current.decided_at = "proposed", None, None
        current.note, current.automatic, current.updated_at = None, False, now
        current.save(update_fields=["status", "decided_by", "decided_at", "note", "automatic", "updated_at"])
        reports = Report.objects.select_related("organisation").in_bulk(
            [current.report_a_id, current.report_b_id]
        )
        _event(
            "update",
            [reports[current.report_a_id], reports[current.report_b_id]],
            {"crosscheck": "undone", "decision": previous, "candidate": current.pk},
        )
    for name in ("status", "decided_by", "decided_at", "note", "automatic", "updated_at"):
        setattr(candidate, name, getattr(current, name))


# What the reports of one incident say -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field on which an incident's reports disagree: each report's value (report id → value, earliest
    recorded first; reports that do not know it are left out) and the value the figures count."""

    field: str
    values: Mapping[int, Any]
    counted: Any


@dataclass(frozen=True, slots=True)
class Corroboration:
    """Independent sources of an incident: distinct (organisation, kind) among its reports."""

    sources: int
    organisations: int
    kinds: tuple[str, ...]


def _incident_reports(incident: Incident, reports: QuerySet[Report] | None) -> QuerySet[Report]:
    base = Report.objects.all() if reports is None else reports
    return base.filter(incident_id=incident.pk).exclude(status__in=NEVER_PAIRED).order_by("pk")


def incident_facts(incident: Incident, *, reports: QuerySet[Report] | None = None) -> IncidentFacts | None:
    """The incident's figures as the statistics count them (``core.stats.reconcile``), from the reports of
    ``reports`` (pages pass what the person may see); None when none of them counts."""
    accounts = incident_accounts(reports=_incident_reports(incident, reports))
    return reconcile(accounts[0]) if accounts else None


def corroboration(incident: Incident, *, reports: QuerySet[Report] | None = None) -> Corroboration:
    """How many independent sources describe ``incident`` (reports in draft or rejected do not count)."""
    pairs = set(_incident_reports(incident, reports).values_list("organisation_id", "kind"))
    return Corroboration(
        sources=len(pairs),
        organisations=len({org for org, _kind in pairs}),
        kinds=tuple(sorted({kind for _org, kind in pairs})),
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _lists(ids: list[int]) -> dict[str, dict[int, list[Any]]]:
    out: dict[str, dict[int, list[Any]]] = {}
    for name, queryset, column in (
        ("expelled_by", ReportExpeller.objects.filter(report_id__in=ids), "country"),
        ("nationalities", ReportNationality.objects.filter(report_id__in=ids), "country"),
        ("violence", ReportViolence.objects.filter(report_id__in=ids), "code"),
        ("perpetrators", ReportPerpetrator.objects.filter(report_id__in=ids), "authority__code"),
    ):
        grouped: dict[int, list[Any]] = {}
        for rid, value in queryset.order_by("report_id", "position").values_list("report_id", column):
            if value is not None:
                grouped.setdefault(rid, []).append(value)
        out[name] = grouped
    return out


_SINGLE = (
    ("time", "time"), ("kind", "incident_kind"), ("country", "country"), ("expelled_to", "expelled_to"),
    ("group_size", "group_size"), ("minors", "minors"), ("women", "women"), ("men", "men"),
    ("minors_involved", "minors_involved"), ("dead", "dead"), ("missing", "missing"),
)  # fmt: skip


def incident_conflicts(incident: Incident, *, reports: QuerySet[Report] | None = None) -> list[Conflict]:
    """The fields on which the reports of ``incident`` (of ``reports``: pages pass what the person may see)
    disagree: date (periods that do not overlap), time, place (coordinates more than
    :data:`PLACE_TOLERANCE_KM` apart), kind, country, expelling chain, where the group was left, group size and
    composition, minors involved, nationalities, violence types, perpetrators, dead and missing."""
    rows = list(
        _incident_reports(incident, reports).values(
            "pk", "date_start", "date_precision", "lat", "lon", "place", *(c for _f, c in _SINGLE)
        )
    )
    if len(rows) < 2:
        return []
    lists = _lists([row["pk"] for row in rows])
    conflicts: list[Conflict] = []

    dates = {
        row["pk"]: _partial(row["date_start"], row["date_precision"]) for row in rows if row["date_start"]
    }
    if dates and max(d.start for d in dates.values()) > min(d.end for d in dates.values()):
        told = {pk: str(d) for pk, d in dates.items()}
        conflicts.append(Conflict("date", told, next(iter(told.values()))))

    places = {
        row["pk"]: (row["lat"], row["lon"], row["place"])
        for row in rows
        if row["lat"] is not None and row["lon"] is not None
    }
    points = list(places.values())
    if any(_km(p[:2], q[:2]) > PLACE_TOLERANCE_KM for i, p in enumerate(points) for q in points[i + 1 :]):
        located = {pk: {"lat": lat, "lon": lon, "place": name} for pk, (lat, lon, name) in places.items()}
        conflicts.append(Conflict("place", located, next(iter(located.values()))))

    for name, column in _SINGLE:
        known = {row["pk"]: row[column] for row in rows if row[column] is not None}
        if len(set(known.values())) > 1:
            conflicts.append(Conflict(name, known, next(iter(known.values()))))
        if name == "country":  # the lists come after the place, in the order of the record
            conflicts += _list_conflicts(rows, lists)
    return conflicts


def _list_conflicts(rows: list[dict[str, Any]], lists: dict[str, dict[int, list[Any]]]) -> list[Conflict]:
    found = []
    chains = {row["pk"]: lists["expelled_by"][row["pk"]] for row in rows if row["pk"] in lists["expelled_by"]}
    if len({tuple(chain) for chain in chains.values()}) > 1:
        found.append(Conflict("expelled_by", chains, next(iter(chains.values()))))
    for name in ("nationalities", "violence", "perpetrators"):
        sets = {row["pk"]: sorted(set(lists[name][row["pk"]])) for row in rows if row["pk"] in lists[name]}
        if len({tuple(values) for values in sets.values()}) > 1:
            union = sorted({value for values in sets.values() for value in values})
            found.append(Conflict(name, sets, union))
    return found


def _partial(start: Any, precision: str | None) -> PartialDate:
    return PartialDate(
        start.year,
        start.month if precision != "year" else None,
        start.day if precision in ("day", None) else None,
    )

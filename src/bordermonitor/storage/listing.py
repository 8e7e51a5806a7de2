"""The staff list of reports: one filter, shared by the list page, its exports and the API.

Every list starts from :func:`bordermonitor.storage.access.visible_reports`, so a filter can only narrow what
the person may see. Filters are written so that the database can answer them from indexes at 100,000+ rows:
child tables (expelling states, violence, evidence) are matched with ``EXISTS`` subqueries rather than joins
(no duplicate rows, no ``DISTINCT``), a partial date is compared through its first day only (see
:func:`_date_q`), and full text goes through :mod:`bordermonitor.storage.search`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django_scopes import scope

from bordermonitor.core.matrix import SituationKey
from bordermonitor.core.pseudonymise import pseudonymise
from bordermonitor.storage.access import (
    PSEUDONYMISED,
    REVIEWER_ROLES,
    Access,
    View,
    network_q,
    visible_reports,
)
from bordermonitor.storage.audit import append, event_rows
from bordermonitor.storage.matrix import situation_incidents
from bordermonitor.storage.models import (
    Evidence,
    Organisation,
    Report,
    ReportExpeller,
    ReportPerpetrator,
    ReportViolence,
    Stakeholder,
)
from bordermonitor.storage.repositories.mapping import record_dict
from bordermonitor.storage.repositories.reports import children_of  # the same bulk read
from bordermonitor.storage.review import pseudonym_key
from bordermonitor.storage.search import matching
from bordermonitor.storage.stakeholders import unit_codes

__all__ = [
    "COUNT_CAP",
    "DEFAULT_SORT",
    "MAX_PAGE",
    "PAGE_SIZE",
    "SORTS",
    "ListRow",
    "Page",
    "ReportFilter",
    "csv_reports",
    "filtered_reports",
    "iter_records",
    "iter_rows",
    "jsonl_reports",
    "list_page",
    "record_export",
    "scoped",
    "visible_organisations",
]

PAGE_SIZE = 50
MAX_PAGE = 200  # offset pagination stays cheap up to here (10,000 rows); further down, narrow the filter
COUNT_CAP = 1000  # counting stops here: "more than 1,000" is as useful as an exact figure and costs nothing
_CHUNK = 500

DEFAULT_SORT = "-date"
SORTS: tuple[str, ...] = ("date", "-date", "recorded", "-recorded", "ref", "-ref", "status", "-updated")


@dataclass(frozen=True, kw_only=True)
class ReportFilter:
    """What a person asked to see. Every field left at its default does not narrow the list."""

    status: tuple[str, ...] = ()  # any of these statuses; () = all
    date_from: dt.date | None = None  # incident date range (a partial date matches if it overlaps)
    date_to: dt.date | None = None
    country: str | None = None  # ISO alpha-2: incident location country or any expelling state
    violence: str | None = None  # typology code
    organisation: str | None = None  # organisation code
    has_evidence: bool | None = None
    minors: bool | None = None  # minors_involved yes/no
    flagged: bool | None = None
    text: str | None = None  # full-text over title, narrative, English translation
    authority: str | None = None  # stakeholder code named as perpetrator (itself or one of its units)
    situation: str | None = (
        None  # a monitoring-matrix situation (``SituationKey.token``), over the date range
    )
    sort: str = DEFAULT_SORT  # one of SORTS

    @property
    def is_empty(self) -> bool:
        """True when nothing narrows the list (the sort does not count)."""
        return self == ReportFilter(sort=self.sort)


def _date_q(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """Reports whose date period overlaps ``[date_from, date_to]``.

    ``date_start`` is the first day a partial date can be, so a month-precision date covers
    ``date_start`` to the end of that month and a year-precision date the whole year. The period ends on or
    after ``date_from`` exactly when ``date_start`` is on or after the first day of ``date_from``'s month
    (for months) or year (for years): three range conditions on one indexed column, no date arithmetic in SQL.
    Reports without a date never match a date range.
    """
    q = Q()
    if date_to is not None:
        q &= Q(date_start__lte=date_to)
    if date_from is not None:
        q &= (
            Q(date_precision="year", date_start__gte=date_from.replace(month=1, day=1))
            | Q(date_precision="month", date_start__gte=date_from.replace(day=1))
            | ((Q(date_precision="day") | Q(date_precision__isnull=True)) & Q(date_start__gte=date_from))
        )
    return q


def _ordering(sort: str) -> list[OrderBy]:
    """The ``ORDER BY`` for ``sort``; unknown values (nulls) always last, ties broken by id so that pages
    are stable."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    column = {"date": "date_start", "recorded": "recorded_on", "ref": "ref", "status": "status"}.get(
        key, "updated_at"
    )
    first = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    tie = F("id").desc() if descending else F("id").asc()
    return [first, tie]


_PERSONAL_SORTS = frozenset({"ref", "recorded"})


def _report_ids(model: type[ReportExpeller | ReportViolence], **match: str) -> QuerySet[Any]:
    return model._base_manager.filter(**match).values("report_id")


def filtered_reports(access: Access, flt: ReportFilter) -> QuerySet[Report]:
    """The reports ``access`` may see that match ``flt``, in ``flt.sort`` order (unknown sort → newest
    incident first)."""
    qs = visible_reports(access)
    if flt.status:
        qs = qs.filter(status__in=flt.status)
    if flt.date_from is not None or flt.date_to is not None:
        qs = qs.filter(_date_q(flt.date_from, flt.date_to))
    # Child-table filters are subqueries of report ids on the child's own index. They use the unscoped base
    # manager: the outer query is already limited to what the person may see, and the scoped manager would
    # join every child row back to its report (several times slower on 100,000 reports).
    if flt.country:
        country = flt.country.upper()
        qs = qs.filter(Q(country=country) | Q(pk__in=_report_ids(ReportExpeller, country=country)))
    if flt.violence:
        qs = qs.filter(pk__in=_report_ids(ReportViolence, code=flt.violence))
    if flt.organisation:
        qs = qs.filter(organisation__code=flt.organisation)
    if flt.authority:
        named = Stakeholder.objects.filter(code=flt.authority).first()
        codes = [flt.authority, *(unit_codes(named) if named else ())]  # the authority and all its units
        qs = qs.filter(
            pk__in=ReportPerpetrator._base_manager.filter(authority__code__in=codes).values("report_id")
        )
    if flt.situation and flt.date_from and flt.date_to:
        key = SituationKey.from_token(flt.situation)
        incidents = situation_incidents(key, flt.date_from, flt.date_to, reports=visible_reports(access))
        qs = qs.filter(incident_id__in=incidents)
    if flt.has_evidence is not None:
        has = Exists(Evidence._base_manager.filter(report_id=OuterRef("pk")))
        qs = qs.filter(has if flt.has_evidence else ~has)
    if flt.minors is not None:
        qs = qs.filter(minors_involved=flt.minors)
    # What an analyst may not read, they may not search or sort by either: text, the flag, the reference
    # and the exact interview day would each single out pseudonymised reports.
    hidden = Q(organisation_id__in=access.analyst_orgs)
    if flt.flagged is not None:
        qs = qs.filter(flagged=flt.flagged).exclude(hidden)
    if flt.text:
        qs = matching(qs.exclude(hidden), flt.text)
    sort = flt.sort if flt.sort in SORTS else DEFAULT_SORT
    if access.analyst_orgs and sort.lstrip("-") in _PERSONAL_SORTS:
        sort = DEFAULT_SORT
    return qs.order_by(*_ordering(sort))


def visible_organisations(access: Access) -> list[tuple[str, str]]:
    """(code, name) of the organisations whose reports the person may see in some view, for the filter."""
    return list(
        Organisation.objects.filter(id__in=access.scope_orgs).order_by("name").values_list("code", "name")
    )


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the list or the CSV export: coded fields only, and for the pseudonymised view only what
    ``core.pseudonymise`` lets through (``ref``, ``title``, ``place`` and ``pk``-linked details stay None)."""

    pk: int
    view: View
    ref: str | None
    pseudonym: str | None
    organisation: str
    title: str | None
    kind: str | None
    status: str | None
    recorded: str | None  # the day, or the month for the pseudonymised view
    date: str | None  # the incident's partial date: 2024, 2024-05 or 2024-05-01
    place: str | None
    country: str | None
    incident_kind: str | None
    expelled_by: tuple[str, ...]
    expelled_to: str | None
    violence: tuple[str, ...]
    group_size: int | None
    minors_involved: str | None
    dead: int | None
    missing: int | None
    flagged: bool | None  # None in the pseudonymised view (not part of it)
    evidence: int


def _row(report: Report, view: View, record: dict[str, Any]) -> ListRow:
    if view == PSEUDONYMISED:
        copy = pseudonymise(record, key=pseudonym_key())
        incident, group = copy["incident"], copy["incident"]["group"]
        return ListRow(
            pk=report.pk,
            view=view,
            ref=None,
            pseudonym=copy["pseudonym"],
            organisation=copy["organisation"],
            title=None,
            kind=copy["kind"],
            status=copy["status"],
            recorded=copy["recorded_month"],
            date=incident["date"],
            place=None,
            country=incident["location"]["country"],
            incident_kind=incident["kind"],
            expelled_by=tuple(incident["expelled_by"] or ()),
            expelled_to=incident["expelled_to"],
            violence=tuple(v["type"] for v in incident["violence"]),
            group_size=group["size"],
            minors_involved=group["minors_involved"],
            dead=incident["dead"],
            missing=incident["missing"],
            flagged=None,
            evidence=len(copy["evidence"]),
        )
    incident = record["incident"]
    return ListRow(
        pk=report.pk,
        view=view,
        ref=record["ref"],
        pseudonym=None,
        organisation=record["organisation"],
        title=record["title"],
        kind=record["kind"],
        status=record["status"],
        recorded=record["recorded_on"],
        date=incident["date"],
        place=incident["location"]["place"],
        country=incident["location"]["country"],
        incident_kind=incident["kind"],
        expelled_by=tuple(incident["expelled_by"]),
        expelled_to=incident["expelled_to"],
        violence=tuple(v["type"] for v in incident["violence"]),
        group_size=incident["group"]["size"],
        minors_involved=incident["group"]["minors_involved"],
        dead=incident["dead"],
        missing=incident["missing"],
        flagged=report.flagged,
        evidence=len(record["evidence"]),
    )


def iter_records(ids: Sequence[int]) -> Iterator[tuple[Report, dict[str, Any]]]:
    """The reports ``ids`` in that order with their interchange dicts, read a chunk at a time (a handful of
    queries per chunk, whatever its size)."""
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        reports = Report.objects.select_related("organisation", "incident").in_bulk(part)
        children = children_of(part)
        for pk in part:
            report = reports.get(pk)
            if report is None:  # deleted since the ids were read
                continue
            record = record_dict(
                report,
                organisation=report.organisation.code,
                incident_ref=report.incident.ref,
                children=children[pk],
            )
            yield report, record


def iter_rows(access: Access, ids: Sequence[int]) -> Iterator[ListRow]:
    """List rows of the reports ``ids`` (already filtered by visibility), each in the person's view of it."""
    for report, record in iter_records(ids):
        view = access.view_of(report)
        if view is not None:
            yield _row(report, view, record)


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[ListRow]
    number: int
    has_next: bool
    count: int | None  # exact when at most COUNT_CAP, else None ("more than COUNT_CAP")
    beyond: bool  # the page asked for was past MAX_PAGE and was brought back to it

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def list_page(access: Access, flt: ReportFilter, number: int = 1) -> Page:
    """One page of the list: ``PAGE_SIZE`` rows at a bounded offset, and a count capped at COUNT_CAP.

    Rows come back in the filter's order with the id as tie-breaker, so pages neither repeat nor skip a
    report while nothing changes. The count reads at most COUNT_CAP + 1 ids.
    """
    beyond = number > MAX_PAGE
    number = min(max(number, 1), MAX_PAGE)
    qs = filtered_reports(access, flt)
    offset = (number - 1) * PAGE_SIZE
    ids = list(qs.values_list("id", flat=True)[offset : offset + PAGE_SIZE + 1])
    counted = qs.order_by().values("id")[: COUNT_CAP + 1].count()
    return Page(
        rows=list(iter_rows(access, ids[:PAGE_SIZE])),
        number=number,
        has_next=len(ids) > PAGE_SIZE and number < MAX_PAGE,
        count=counted if counted <= COUNT_CAP else None,
        beyond=beyond,
    )


def _export_q(access: Access) -> Q:
    """Who may export what as CSV: reviewers and admins their organisations' reports, coordinators the
    network's shared ones, analysts their organisation's pseudonymised. Documenters export nothing."""
    allowed = Q(organisation_id__in=[o for o, roles in access.roles.items() if roles & REVIEWER_ROLES])
    if access.analyst_orgs:
        allowed |= Q(organisation_id__in=access.analyst_orgs)
    if access.is_coordinator and access.sharing:
        allowed |= network_q(access)
    return allowed


def csv_reports(access: Access, flt: ReportFilter) -> list[int] | None:
    """Ids of the reports of the CSV export of ``flt`` in list order; None when the person may not export."""
    if not (any(roles & REVIEWER_ROLES for roles in access.roles.values()) or access.analyst_orgs) and not (
        access.is_coordinator and access.sharing
    ):
        return None
    return list(filtered_reports(access, flt).filter(_export_q(access)).values_list("id", flat=True))


def jsonl_reports(access: Access, flt: ReportFilter) -> list[int] | None:
    """Ids for the lossless JSONL export: only reports of organisations where the person may export records
    (``Access.can_export_records``); None when there is no such organisation."""
    orgs = [org for org in access.roles if access.can_export_records(org)]
    if not orgs:
        return None
    return list(filtered_reports(access, flt).filter(organisation_id__in=orgs).values_list("id", flat=True))


def record_export(access: Access, flt: ReportFilter, *, kind: str, count: int) -> None:
    """One ``export`` audit event for the whole export: the filter and how many reports it carried."""
    details = {
        "format": kind,
        "count": count,
        "filter": {k: v for k, v in _jsonable(flt).items() if v not in (None, [], "")},
    }
    append(event_rows("export", "report", [(None, None, None)], details=details))


def _jsonable(flt: ReportFilter) -> dict[str, Any]:
    data = asdict(flt)
    data["status"] = list(flt.status)
    for name in ("date_from", "date_to"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def scoped(access: Access, rows: Iterator[Any]) -> Iterator[Any]:
    """``rows`` consumed inside the person's organisation scope: a streamed response is iterated after the
    view returned, outside the scope the middleware opened."""
    with scope(organisation=access.scope_orgs):
        yield from rows

"""The reads and audit events of the network's periodic reports (``bordermonitor.reporting``).

The report's figures come from ``storage.statistics.network_stats`` (→ ``core.stats.compute``). What that
function does not add up — the expelling chains with the state where people were left, whether violence was
used, women in the group, where it happened, and the sources — comes from :func:`incident_details`, which reads
the *same* incident accounts (``repositories.reports.incident_accounts``), reconciles each incident with
``core.stats.reconcile`` and places it in the period by the same rule, so both count the same incidents; the few
columns the accounts do not carry are read for those reports and reconciled the same way (each single value
from the earliest-recorded report that knows it).

Notable cases are reports whose public version was approved: only their reviewed public title and public
narrative are ever read here, never the narrative as told or the names the record knows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django_scopes import scopes_disabled

from bordermonitor.core.stats import Account, IncidentFacts, reconcile
from bordermonitor.storage.audit import append, event_rows
from bordermonitor.storage.models import Organisation, Report
from bordermonitor.storage.repositories.reports import incident_accounts

__all__ = [
    "IncidentDetail",
    "NotNotable",
    "PublicCase",
    "incident_details",
    "notable_candidates",
    "notable_cases",
    "organisation_names",
    "organisations",
    "record_report_file",
]

_CHUNK = 5000
NOTABLE = Q(
    public_approved_at__isnull=False,
    consent_publish=True,
    status="approved_for_publication",
    organisation__shares_with_network=True,
)
"""A report whose public version may be quoted in a public report: approved by a reviewer, the source consented
to publication, approved for publication, of an organisation that shares with the network (as the open data)."""


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """One incident of the period: its reconciled facts and what the report needs beyond them."""

    facts: IncidentFacts
    organisations: frozenset[str]  # codes of the organisations whose counted reports describe it
    sources: frozenset[
        str | None
    ]  # source names of those reports (None: recorded by the organisation itself)
    expelled_to: str | None
    women: int | None
    lat: float | None
    lon: float | None
    precision_m: float | None


def _first(values: Iterable[Any]) -> Any:
    return next((v for v in values if v is not None), None)


def _in_period(facts: IncidentFacts, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """``core.stats.compute``'s rule: the first day the incident's date can be is in the period; undated
    incidents count only when no period is given."""
    if date_from is None and date_to is None:
        return True
    if facts.date is None:
        return False
    start = facts.date.start
    return (date_from is None or start >= date_from) and (date_to is None or start <= date_to)


def incident_details(
    *,
    statuses: Sequence[str],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    organisation: str | None = None,
    reports: QuerySet[Report] | None = None,
) -> list[IncidentDetail]:
    """The incidents ``network_stats`` counts with the same arguments, each with its details (see the module's
    note)."""
    grouped = incident_accounts(
        statuses=tuple(statuses),
        organisation=organisation,
        reports=reports,
        date_from=date_from,
        date_to=date_to,
    )
    kept: list[tuple[IncidentFacts, list[Account]]] = []
    for accounts in grouped:
        if not accounts:
            continue
        facts = reconcile(accounts)
        if _in_period(facts, date_from, date_to):
            kept.append((facts, sorted(accounts, key=lambda a: a.report_id)))
    ids = [account.report_id for _, accounts in kept for account in accounts]
    columns: dict[int, tuple[Any, ...]] = {}
    base = Report.objects.all() if reports is None else reports
    for start in range(0, len(ids), _CHUNK):
        rows = base.filter(pk__in=ids[start : start + _CHUNK]).values_list(
            "id", "source_name", "expelled_to", "women", "lat", "lon", "precision_m"
        )
        columns.update({row[0]: row[1:] for row in rows})
    details = []
    for facts, accounts in kept:
        rows = [columns[account.report_id] for account in accounts]
        located = next((row for row in rows if row[3] is not None and row[4] is not None), None)
        details.append(
            IncidentDetail(
                facts=facts,
                organisations=frozenset(account.organisation for account in accounts),
                sources=frozenset(row[0] for row in rows),
                expelled_to=_first(row[1] for row in rows),
                women=_first(row[2] for row in rows),
                lat=located[3] if located else None,
                lon=located[4] if located else None,
                precision_m=located[5] if located else None,
            )
        )
    return details


def organisations() -> list[tuple[str, str]]:
    """Every organisation of the network as (code, name), by name: what a report may be limited to."""
    with scopes_disabled():
        return list(Organisation.objects.order_by("name", "code").values_list("code", "name"))


def organisation_names(codes: Iterable[str]) -> dict[str, str]:
    """The names of the organisations with ``codes`` (a code without an organisation is left out)."""
    with scopes_disabled():
        return dict(Organisation.objects.filter(code__in=set(codes)).values_list("code", "name"))


# --- notable cases ------------------------------------------------------------------------------------------


class NotNotable(LookupError):
    """A case asked for that cannot be quoted: the message names it (organisation:ref) and says why."""


@dataclass(frozen=True, slots=True)
class PublicCase:
    """A report's approved public version, as a public report may quote it."""

    report_id: int
    organisation: str
    organisation_name: str
    ref: str
    date: dt.date | None  # the first day the incident's date can be, as this report gives it
    public_title: str | None
    public_narrative: str | None

    @property
    def key(self) -> str:
        return f"{self.organisation}:{self.ref}"


_CASE_COLUMNS = (
    "id", "organisation__code", "organisation__name", "ref", "date_start", "public_title", "public_narrative",
)  # fmt: skip


def _cases(queryset: QuerySet[Report]) -> list[PublicCase]:
    return [PublicCase(*row) for row in queryset.values_list(*_CASE_COLUMNS)]


def _dated(queryset: QuerySet[Report], date_from: dt.date, date_to: dt.date) -> QuerySet[Report]:
    return queryset.filter(date_start__gte=date_from, date_start__lte=date_to)


def notable_candidates(
    *, date_from: dt.date, date_to: dt.date, organisation: str | None = None
) -> list[PublicCase]:
    """The reports of the period (by their incident date) whose approved public version may be quoted, newest
    incident first: what a coordinator chooses notable cases from."""
    with scopes_disabled():
        queryset = _dated(Report.objects.filter(NOTABLE), date_from, date_to)
        if organisation is not None:
            queryset = queryset.filter(organisation__code=organisation)
        return _cases(queryset.order_by("-date_start", "organisation__code", "ref"))


def notable_cases(
    keys: Sequence[tuple[str, str]], *, date_from: dt.date, date_to: dt.date, organisation: str | None = None
) -> list[PublicCase]:
    """The cases ``keys`` ((organisation code, ref) pairs) in the order given; :class:`NotNotable` names the
    first one that does not exist, is of another period or organisation, or has no quotable public version."""
    if not keys:
        return []
    wanted = Q()
    for code, ref in keys:
        wanted |= Q(organisation__code=code, ref=ref)
    with scopes_disabled():
        found = {(case.organisation, case.ref): case for case in _cases(Report.objects.filter(wanted))}
        quotable = {(c.organisation, c.ref) for c in _cases(Report.objects.filter(wanted).filter(NOTABLE))}
    chosen = []
    for code, ref in keys:
        name = f"{code}:{ref}"
        case = found.get((code, ref))
        if case is None:
            raise NotNotable(f"case {name}: no such report")
        if (code, ref) not in quotable:
            raise NotNotable(
                f"case {name}: its public version is not approved for publication (a reviewer approves the "
                "public title and narrative of a report approved for publication, with the source's consent, "
                "of an organisation that shares with the network)"
            )
        if organisation is not None and code != organisation:
            raise NotNotable(f"case {name}: the report is limited to organisation {organisation}")
        if case.date is None or not date_from <= case.date <= date_to:
            raise NotNotable(
                f"case {name}: its incident date is not in the report's period "
                f"({date_from.isoformat()} to {date_to.isoformat()})"
            )
        if case not in chosen:
            chosen.append(case)
    return chosen


# --- audit --------------------------------------------------------------------------------------------------


def record_report_file(
    action: str, name: str, *, organisation: str | None, details: dict[str, Any] | None = None
) -> None:
    """One audit event about a generated report file (``create`` when generated, ``download`` when fetched)
    by the current actor: the file's name, and what it was made of in ``details`` (never personal data)."""
    append(event_rows(action, "report_file", [(None, name, organisation)], details=details))

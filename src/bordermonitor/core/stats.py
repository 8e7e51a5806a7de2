"""Statistics of the network, computed in one place (the CLI, the pages and the reports all call this).

Incidents are counted once, however many reports describe them (METHODOLOGY §1): a repository query gives
each incident's accounts (one per report that passes the filters), :func:`reconcile` turns them into the
incident's facts, and :func:`compute` adds the facts up. Unknown counts add nothing to a sum and are never
shown as 0 for a single incident. Incidents are placed in time by their own date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bordermonitor.core.dates import PartialDate

__all__ = ["Account", "IncidentFacts", "compute", "reconcile"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Account:
    """What statistics need of one report's description of its incident."""

    report_id: int
    organisation: str
    date: PartialDate | None = None
    group_size: int | None = None
    dead: int | None = None
    missing: int | None = None
    minors_involved: bool | None = None
    violence: tuple[str, ...] = ()
    expelled_by: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    causes_of_death: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    reports: int
    date: PartialDate | None
    group_size: int | None
    dead: int | None
    missing: int | None
    minors_involved: bool | None
    violence: frozenset[str]
    other_mentions: int
    expelled_by: tuple[str, ...]
    nationalities: frozenset[str]
    causes_of_death: frozenset[str]


def _first(values: Iterable[T | None]) -> T | None:
    return next((v for v in values if v is not None), None)


def reconcile(accounts: Sequence[Account]) -> IncidentFacts:
    """An incident's facts from its reports' accounts, the earliest-recorded report first.

    Each single value is the first report's, or the next report's where the first does not know it; lists of
    codes are the union of all reports (a violence type named by any source happened as far as the network
    knows); the expelling chain is the first non-empty one. Cross-checking records explicit choices later.
    """
    if len(accounts) == 1:  # most incidents have one report: its account is the incident
        (only,) = accounts
        return IncidentFacts(
            reports=1,
            date=only.date,
            group_size=only.group_size,
            dead=only.dead,
            missing=only.missing,
            minors_involved=only.minors_involved,
            violence=frozenset(only.violence),
            other_mentions=only.violence.count("other"),
            expelled_by=only.expelled_by,
            nationalities=frozenset(only.nationalities),
            causes_of_death=frozenset(only.causes_of_death),
        )
    ordered = sorted(accounts, key=lambda a: a.report_id)
    return IncidentFacts(
        reports=len(ordered),
        date=_first(a.date for a in ordered),
        group_size=_first(a.group_size for a in ordered),
        dead=_first(a.dead for a in ordered),
        missing=_first(a.missing for a in ordered),
        minors_involved=_first(a.minors_involved for a in ordered),
        violence=frozenset(code for a in ordered for code in a.violence),
        other_mentions=sum(a.violence.count("other") for a in ordered),
        expelled_by=next((a.expelled_by for a in ordered if a.expelled_by), ()),
        nationalities=frozenset(c for a in ordered for c in a.nationalities),
        causes_of_death=frozenset(c for a in ordered for c in a.causes_of_death),
    )


def _in_range(date: PartialDate | None, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    if date_from is None and date_to is None:
        return True
    if date is None:
        return False
    return (date_from is None or date.start >= date_from) and (date_to is None or date.start <= date_to)


def _sorted_counts(counter: Counter[str]) -> dict[str, int]:
    return {key: counter[key] for key in sorted(counter)}


def compute(
    incidents: Iterable[Sequence[Account]],
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, Any]:
    """The figures of ``bordermonitor stats --json``. An incident is in the period when the first day its
    date can be falls within ``[date_from, date_to]``; undated incidents count only when no period is given
    (under ``by_year["unknown"]``)."""
    reports = total = people = dead = missing = minors = unmapped = 0
    by_year: dict[str, dict[str, int]] = {}
    by_violence: Counter[str] = Counter()
    by_state: Counter[str] = Counter()
    by_nationality: Counter[str] = Counter()
    by_cause: Counter[str] = Counter()
    for accounts in incidents:
        if not accounts:
            continue
        facts = reconcile(accounts)
        if not _in_range(facts.date, date_from, date_to):
            continue
        reports += facts.reports
        total += 1
        people += facts.group_size or 0
        dead += facts.dead or 0
        missing += facts.missing or 0
        minors += facts.minors_involved is True
        unmapped += facts.other_mentions
        year = by_year.setdefault(
            str(facts.date.year) if facts.date else "unknown",
            {"incidents": 0, "people_affected": 0, "dead": 0, "missing": 0},
        )
        year["incidents"] += 1
        year["people_affected"] += facts.group_size or 0
        year["dead"] += facts.dead or 0
        year["missing"] += facts.missing or 0
        by_violence.update(facts.violence)
        by_state.update(set(facts.expelled_by))  # a chain pushback counts once for each state in it
        by_nationality.update(facts.nationalities)
        by_cause.update(facts.causes_of_death)
    return {
        "reports": reports,
        "incidents": total,
        "people_affected": people,
        "dead": dead,
        "missing": missing,
        "dead_and_missing": dead + missing,
        "minors_involved": minors,
        "by_year": {key: by_year[key] for key in sorted(by_year)},
        "by_violence": _sorted_counts(by_violence),
        "by_expelling_state": _sorted_counts(by_state),
        "by_nationality": _sorted_counts(by_nationality),
        "by_cause_of_death": _sorted_counts(by_cause),
        "unmapped": unmapped,
    }

"""Each organisation's retention schedule, and applying it.

A schedule line says: the organisation's reports in ``status`` that have not changed for ``after_days`` days are
erased with ``rule``. The age of a report is counted from its last change (``updated_at``: an edit, a status move,
an import that changed it, a merge of incidents), so a report someone still works on is never due; erasing its
evidence or testimony does not restart the count. A report several lines match is erased by the strongest rule
among them; a report already erased by a rule that covers the one due, with nothing left for it, is not due.

A new organisation has no line: nothing is erased until the organisation decides (docs/retention.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.records import STATUSES
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.accounts import UnknownOrganisation
from bordermonitor.storage.audit import current_actor, record
from bordermonitor.storage.models import Erasure, Organisation, Report, RetentionRule
from bordermonitor.storage.retention.erasing import AlreadyErased, Erased, compact, erase
from bordermonitor.storage.retention.rules import RULES, rule_named

__all__ = [
    "MAX_DAYS",
    "Applied",
    "Due",
    "ScheduleLine",
    "ScheduleRefused",
    "apply_schedule",
    "due",
    "erasures_done",
    "remove_line",
    "schedule",
    "set_line",
]

MAX_DAYS = 36_500


class ScheduleRefused(ValueError):
    """A schedule line that cannot be set as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    organisation: str
    status: str
    after_days: int
    rule: str
    set_by: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Due:
    """A report the schedule erases now: which line, and when the report last changed."""

    report: int
    organisation: str
    ref: str
    status: str
    rule: str
    line: int
    after_days: int
    changed_at: str


@dataclass(slots=True)
class Applied:
    """What :func:`apply_schedule` found due, erased, and left alone (changed meanwhile)."""

    due: list[Due]
    erased: list[Erased] = field(default_factory=list)
    skipped: list[Due] = field(default_factory=list)

    def by_rule(self) -> dict[str, int]:
        counts = dict.fromkeys(RULES, 0)
        for item in self.due:
            counts[item.rule] += 1
        return {rule: count for rule, count in counts.items() if count}


def _organisation(code: str) -> Organisation:
    found: Organisation | None = Organisation.objects.filter(code=code.strip().lower()).first()
    if found is None:
        raise UnknownOrganisation(code)
    return found


def set_line(*, organisation: str, status: str, after_days: int, rule: str) -> tuple[RetentionRule, bool]:
    """Set (add, or change the days of) the line ``status`` → ``rule`` of ``organisation``'s schedule; the line
    and whether it is new. Written to the audit log."""
    if status not in STATUSES:
        raise ScheduleRefused(f"{status!r} is not a status; the statuses are: {', '.join(STATUSES)}")
    try:
        rule_named(rule)
    except LookupError as error:
        raise ScheduleRefused(str(error)) from None
    if not 1 <= after_days <= MAX_DAYS:
        raise ScheduleRefused(f"the number of days is from 1 to {MAX_DAYS}, not {after_days}")
    with scopes_disabled(), transaction.atomic():
        target = _organisation(organisation)
        line, created = RetentionRule.objects.select_for_update().get_or_create(
            organisation=target,
            status=status,
            rule=rule,
            defaults={"after_days": after_days, "set_by": current_actor()},
        )
        if not created:
            if line.after_days == after_days:
                return line, False
            line.after_days, line.set_by, line.updated_at = after_days, current_actor(), timezone.now()
            line.save(update_fields=["after_days", "set_by", "updated_at"])
        record(
            "create" if created else "update",
            line,
            ref=f"{status}:{rule}",
            organisation=target.code,
            details={"status": status, "after_days": after_days, "rule": rule},
        )
    return line, created


def remove_line(*, organisation: str, status: str, rule: str) -> bool:
    """Remove the line ``status`` → ``rule`` from ``organisation``'s schedule; whether there was one."""
    with scopes_disabled(), transaction.atomic():
        target = _organisation(organisation)
        line = RetentionRule.objects.filter(organisation=target, status=status, rule=rule).first()
        if line is None:
            return False
        record(
            "delete",
            line,
            ref=f"{status}:{rule}",
            organisation=target.code,
            details={"status": status, "after_days": line.after_days, "rule": rule},
        )
        line.delete()
    return True


def schedule(organisation: str | None = None) -> dict[str, list[ScheduleLine]]:
    """The schedule of ``organisation`` (its code), or of every organisation, by code: an organisation without
    a line has an empty list (nothing of it is erased by the schedule)."""
    with scopes_disabled():
        organisations = (
            [_organisation(organisation)] if organisation else list(Organisation.objects.order_by("code"))
        )
        out: dict[str, list[ScheduleLine]] = {o.code: [] for o in organisations}
        lines = RetentionRule.objects.filter(organisation__in=organisations).select_related("organisation")
        for line in lines.order_by("organisation__code", "status", "after_days", "rule"):
            out[line.organisation.code].append(
                ScheduleLine(
                    organisation=line.organisation.code,
                    status=line.status,
                    after_days=line.after_days,
                    rule=line.rule,
                    set_by=line.set_by,
                    updated_at=line.updated_at.isoformat(timespec="seconds"),
                )
            )
    return out


def erasures_done(organisation: str | None = None) -> dict[str, dict[str, int]]:
    """How many erasures each organisation has had, by rule."""
    with scopes_disabled():
        rows = Erasure.objects.all()
        if organisation:
            rows = rows.filter(organisation=_organisation(organisation))
        out: dict[str, dict[str, int]] = {}
        for code, rule in rows.values_list("organisation__code", "rule"):
            out.setdefault(code, {}).setdefault(rule, 0)
            out[code][rule] += 1
    return out


def _lines(organisation: str | None) -> list[RetentionRule]:
    lines = RetentionRule.objects.select_related("organisation")
    if organisation:
        lines = lines.filter(organisation=_organisation(organisation))
    return list(lines.order_by("pk"))


def due(*, organisation: str | None = None, now: dt.datetime | None = None) -> list[Due]:
    """The reports the schedule erases at ``now`` (default: now), each with the strongest rule due, by
    organisation and reference."""
    now = now or timezone.now()
    with scopes_disabled():
        best: dict[int, RetentionRule] = {}
        for line in _lines(organisation):
            rule = RULES[line.rule]
            reports = Report.objects.filter(
                organisation_id=line.organisation_id,
                status=line.status,
                updated_at__lte=now - dt.timedelta(days=line.after_days),
            )
            for pk in rule.pending(reports).values_list("pk", flat=True):
                held = best.get(pk)
                if held is None or rule.rank > RULES[held.rule].rank:
                    best[pk] = line
        rows = Report.objects.filter(pk__in=list(best)).values_list(
            "pk", "organisation__code", "ref", "status", "updated_at"
        )
        found = [
            Due(
                report=pk,
                organisation=code,
                ref=ref,
                status=status,
                rule=best[pk].rule,
                line=best[pk].pk,
                after_days=best[pk].after_days,
                changed_at=changed.isoformat(timespec="seconds"),
            )
            for pk, code, ref, status, changed in rows
        ]
    return sorted(found, key=lambda item: (item.organisation, item.ref))


def apply_schedule(
    *,
    organisation: str | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    store: FileStore | None = None,
    progress: Callable[[Erased], None] | None = None,
) -> Applied:
    """Erase every report due (:func:`due`), each in its own transaction with its own ``erase`` audit event; with
    ``dry_run`` only say which (nothing is written). A report that changed or moved since it was found due is left
    alone (``skipped``)."""
    now = now or timezone.now()
    found = due(organisation=organisation, now=now)
    result = Applied(due=found)
    if dry_run:
        return result
    with scopes_disabled():
        lines = {line.pk: line for line in RetentionRule.objects.filter(pk__in={item.line for item in found})}
    for item in found:
        line = lines[item.line]
        try:
            done = erase(
                item.report,
                line.rule,
                schedule=line,
                changed_before=now - dt.timedelta(days=line.after_days),
                store=store,
                now=now,
                compact_after=False,
            )
        except AlreadyErased:  # erased meanwhile by someone else
            done = None
        if done is None:
            result.skipped.append(item)
            continue
        result.erased.append(done)
        if progress is not None:
            progress(done)
    if result.erased:
        compact()
    return result

"""The engagement log: dated events of a stakeholder, logged by hand or written by what they record (an adopted
plan, an implemented measure, a signature of the charter), which they then follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bordermonitor.storage.mobilisation.checks import (
    Invalid,
    apply_changes,
    audit,
    checked_date,
    clean_text,
    required,
)
from bordermonitor.storage.models import EngagementEvent, Stakeholder, User
from bordermonitor.storage.models.stakeholders import ENGAGEMENT_STAGES

__all__ = [
    "STAGES",
    "engagement_log",
    "event_details",
    "follow",
    "linked",
    "log_engagement",
    "remove_engagement",
    "update_engagement",
]

STAGES: tuple[str, ...] = tuple(code for code, _label in ENGAGEMENT_STAGES)
"""The engagement stages in order: contacted … measure_implemented, then refused."""


def _event_record(stakeholder: Stakeholder) -> str:
    return f"engagement of {stakeholder.code}"


def _stage(record: str, stage: str) -> str:
    if stage not in STAGES:
        raise Invalid(record, "stage", _("Choose one of the stages offered."))
    return stage


def event_details(event: EngagementEvent, **extra: Any) -> dict[str, Any]:
    """What the audit log keeps of an event: its stakeholder, stage and date (never its notes)."""
    return {"stakeholder": event.stakeholder.code, "stage": event.stage, "on": event.on.isoformat(), **extra}


def log_engagement(
    stakeholder: Stakeholder, *, stage: str, on: dt.date, notes: str | None = None, by: User | None = None
) -> EngagementEvent:
    """Record a dated step of the stakeholder's engagement."""
    record = _event_record(stakeholder)
    values = {
        "stage": _stage(record, stage),
        "on": checked_date(record, "on", on),
        "notes": clean_text(notes),
    }
    if values["on"] is None:
        raise Invalid(record, "on", _("This field is required."))
    with transaction.atomic():
        event = EngagementEvent.objects.create(stakeholder=stakeholder, recorded_by=by, **values)
        audit("create", event, stakeholder.code, event_details(event))
    return event


def _manual(event: EngagementEvent) -> None:
    if event.automatic:
        raise Invalid(
            _event_record(event.stakeholder),
            "stage",
            _("This event was written by a plan, a measure or a signature of the charter: correct it there."),
        )


def update_engagement(
    event: EngagementEvent, *, stage: str, on: dt.date, notes: str | None
) -> EngagementEvent:
    """Correct an event logged by hand."""
    _manual(event)
    record = _event_record(event.stakeholder)
    on_value = checked_date(record, "on", on)
    if on_value is None:
        raise Invalid(record, "on", _("This field is required."))
    changed = apply_changes(
        event, {"stage": _stage(record, stage), "on": on_value, "notes": clean_text(notes)}
    )
    if changed:
        with transaction.atomic():
            event.updated_at = timezone.now()
            event.save()
            audit("update", event, event.stakeholder.code, event_details(event, changed=changed))
    return event


def remove_engagement(event: EngagementEvent, *, reason: str) -> None:
    """Remove an event logged by hand; the reason is kept in the audit log."""
    _manual(event)
    why = required(_event_record(event.stakeholder), "reason", reason, 1000)
    with transaction.atomic():
        audit("delete", event, event.stakeholder.code, event_details(event, reason=why))
        event.delete()


def engagement_log(stakeholder: Stakeholder) -> QuerySet[EngagementEvent]:
    """The stakeholder's events, latest first, with what wrote the automatic ones."""
    return stakeholder.engagement.select_related(
        "recorded_by", "plan", "measure__plan", "signature__charter"
    ).order_by("-on", "-id")


def follow(
    stakeholder: Stakeholder,
    current: EngagementEvent | None,
    on: dt.date | None,
    *,
    stage: str,
    link: dict[str, Any],
    by: User | None,
    why: str,
) -> None:
    """Keep the engagement event that ``link`` writes in step with its date ``on`` (None: no event)."""
    if current is None and on is not None:
        event = EngagementEvent.objects.create(
            stakeholder=stakeholder, stage=stage, on=on, recorded_by=by, **link
        )
        audit("create", event, stakeholder.code, event_details(event, automatic=True))
    elif current is not None and on is None:
        audit("delete", current, stakeholder.code, event_details(current, automatic=True, reason=why))
        current.delete()
    elif current is not None and on is not None and current.on != on:
        current.on, current.updated_at = on, timezone.now()
        current.save(update_fields=["on", "updated_at"])
        audit("update", current, stakeholder.code, event_details(current, automatic=True, changed=["on"]))


def linked(obj: Any, name: str) -> EngagementEvent | None:
    """The event that ``obj`` (a plan, measure or signature: the field ``name`` of the event) wrote, if any."""
    return EngagementEvent.objects.filter(**{name: obj}).first() if obj.pk else None

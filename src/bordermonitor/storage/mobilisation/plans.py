"""Action plans: a stakeholder's plan, the situations it targets and its measures. Adopting a plan and
implementing a measure write their engagement event (``engagement.follow``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bordermonitor.core.typology import violence_types
from bordermonitor.storage.mobilisation.checks import (
    Invalid,
    apply_changes,
    audit,
    checked_date,
    clean_text,
    required,
)
from bordermonitor.storage.mobilisation.engagement import event_details, follow, linked
from bordermonitor.storage.models import ActionPlan, ActionPlanMeasure, ActionPlanTarget, Stakeholder, User
from bordermonitor.storage.models.stakeholders import MEASURE_STATUSES, PLAN_STATUSES

__all__ = [
    "add_measure",
    "add_target",
    "create_plan",
    "remove_measure",
    "remove_target",
    "update_measure",
    "update_plan",
]

_PLAN_STATUSES = frozenset(code for code, _label in PLAN_STATUSES)
_MEASURE_STATUSES = frozenset(code for code, _label in MEASURE_STATUSES)
_AREA = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")  # hr-ba-una-sana, grid:45:15.5, country:BA


def _plan_values(
    record: str, *, title: str, status: str, adopted_on: dt.date | None, notes: str | None
) -> dict[str, Any]:
    if status not in _PLAN_STATUSES:
        raise Invalid(record, "status", _("Choose one of the statuses offered."))
    adopted_on = checked_date(record, "adopted_on", adopted_on)
    if status == "adopted" and adopted_on is None:
        raise Invalid(record, "adopted_on", _("An adopted plan needs the date it was adopted."))
    if status == "proposed" and adopted_on is not None:
        raise Invalid(record, "adopted_on", _("A proposed plan is not adopted yet: leave the date empty."))
    return {
        "title": required(record, "title", title, 300),
        "status": status,
        "adopted_on": adopted_on,
        "notes": clean_text(notes),
    }


def _plan_record(plan: ActionPlan | None, stakeholder: Stakeholder) -> str:
    if plan is None or plan.pk is None:
        return f"new action plan of {stakeholder.code}"
    return f"action plan {plan.pk} of {stakeholder.code}"


def _sync_adoption(plan: ActionPlan, by: User | None) -> None:
    follow(
        plan.stakeholder,
        linked(plan, "plan"),
        plan.adopted_on,
        stage="action_plan_adopted",
        link={"plan": plan},
        by=by,
        why="the plan no longer has an adoption date",
    )


def create_plan(
    stakeholder: Stakeholder,
    *,
    title: str,
    status: str = "proposed",
    adopted_on: dt.date | None = None,
    notes: str | None = None,
    by: User | None = None,
) -> ActionPlan:
    """A new action plan of ``stakeholder``; adopted, it writes the ``action_plan_adopted`` event."""
    values = _plan_values(
        _plan_record(None, stakeholder), title=title, status=status, adopted_on=adopted_on, notes=notes
    )
    with transaction.atomic():
        plan = ActionPlan.objects.create(stakeholder=stakeholder, created_by=by, **values)
        audit("create", plan, stakeholder.code, {"status": plan.status})
        _sync_adoption(plan, by)
    return plan


def update_plan(
    plan: ActionPlan,
    *,
    title: str,
    status: str,
    adopted_on: dt.date | None,
    notes: str | None,
    by: User | None = None,
) -> ActionPlan:
    """Change a plan; adopting it (or correcting its adoption date) writes or moves its adoption event."""
    values = _plan_values(
        _plan_record(plan, plan.stakeholder), title=title, status=status, adopted_on=adopted_on, notes=notes
    )
    changed = apply_changes(plan, values)
    if changed:
        with transaction.atomic():
            plan.updated_at = timezone.now()
            plan.save()
            audit("update", plan, plan.stakeholder.code, {"changed": changed, "status": plan.status})
            _sync_adoption(plan, by)
    return plan


def add_target(plan: ActionPlan, *, area: str | None, violence: str | None) -> ActionPlanTarget:
    """A situation the plan addresses: a border area code and a violence type code (None: any)."""
    record = _plan_record(plan, plan.stakeholder)
    area = clean_text(area)
    if area is not None and (len(area) > 100 or not _AREA.fullmatch(area)):
        raise Invalid(record, "area", _("A code without spaces, such as hr-ba-una-sana."))
    violence = clean_text(violence)
    if violence is not None and violence not in {t.code for t in violence_types()}:
        raise Invalid(record, "violence", _("Choose one of the violence types offered."))
    if plan.targets.filter(area=area, violence=violence).exists():
        raise Invalid(record, "area", _("The plan targets this situation already."))
    with transaction.atomic():
        target = ActionPlanTarget.objects.create(plan=plan, area=area, violence=violence)
        audit("create", target, plan.stakeholder.code, {"plan": plan.pk, "area": area, "violence": violence})
    return target


def remove_target(target: ActionPlanTarget) -> None:
    plan = target.plan
    with transaction.atomic():
        details = {"plan": plan.pk, "area": target.area, "violence": target.violence}
        audit("delete", target, plan.stakeholder.code, details)
        target.delete()


# --- measures -----------------------------------------------------------------------------------------------


def _measure_values(
    record: str,
    *,
    description: str,
    owner: str | None,
    due_on: dt.date | None,
    status: str,
    implemented_on: dt.date | None,
) -> dict[str, Any]:
    if status not in _MEASURE_STATUSES:
        raise Invalid(record, "status", _("Choose one of the statuses offered."))
    implemented_on = checked_date(record, "implemented_on", implemented_on)
    if status == "implemented" and implemented_on is None:
        raise Invalid(
            record, "implemented_on", _("An implemented measure needs the date it was implemented.")
        )
    if status != "implemented" and implemented_on is not None:
        raise Invalid(
            record, "implemented_on", _("Only an implemented measure has this date: leave it empty.")
        )
    owner = clean_text(owner)
    if owner is not None and len(owner) > 200:
        raise Invalid(record, "owner", _("At most %(limit)d characters.") % {"limit": 200})
    return {
        "description": required(record, "description", description, 5000),
        "owner": owner,
        "due_on": checked_date(record, "due_on", due_on, future=True),
        "status": status,
        "implemented_on": implemented_on,
    }


def _measure_record(plan: ActionPlan, measure: ActionPlanMeasure | None) -> str:
    if measure is None or measure.pk is None:
        return f"new measure of action plan {plan.pk}"
    return f"measure {measure.pk} of action plan {plan.pk}"


def _sync_implementation(measure: ActionPlanMeasure, by: User | None, why: str) -> None:
    follow(
        measure.plan.stakeholder,
        linked(measure, "measure"),
        measure.implemented_on,
        stage="measure_implemented",
        link={"measure": measure},
        by=by,
        why=why,
    )


def add_measure(
    plan: ActionPlan,
    *,
    description: str,
    owner: str | None = None,
    due_on: dt.date | None = None,
    status: str = "planned",
    implemented_on: dt.date | None = None,
    by: User | None = None,
) -> ActionPlanMeasure:
    """A measure of ``plan``; implemented, it writes the ``measure_implemented`` event."""
    values = _measure_values(
        _measure_record(plan, None),
        description=description,
        owner=owner,
        due_on=due_on,
        status=status,
        implemented_on=implemented_on,
    )
    with transaction.atomic():
        measure = ActionPlanMeasure.objects.create(plan=plan, **values)
        audit("create", measure, plan.stakeholder.code, {"plan": plan.pk, "status": measure.status})
        _sync_implementation(measure, by, "")
    return measure


def update_measure(
    measure: ActionPlanMeasure,
    *,
    description: str,
    owner: str | None,
    due_on: dt.date | None,
    status: str,
    implemented_on: dt.date | None,
    by: User | None = None,
) -> ActionPlanMeasure:
    """Change a measure; marking it implemented (or correcting the date) writes or moves its event."""
    values = _measure_values(
        _measure_record(measure.plan, measure),
        description=description,
        owner=owner,
        due_on=due_on,
        status=status,
        implemented_on=implemented_on,
    )
    changed = apply_changes(measure, values)
    if changed:
        with transaction.atomic():
            measure.updated_at = timezone.now()
            measure.save()
            details = {"plan": measure.plan_id, "changed": changed, "status": measure.status}
            audit("update", measure, measure.plan.stakeholder.code, details)
            _sync_implementation(measure, by, "the measure is no longer recorded as implemented")
    return measure


def remove_measure(measure: ActionPlanMeasure) -> None:
    """Remove a measure recorded by mistake, with the event its implementation wrote."""
    code = measure.plan.stakeholder.code
    with transaction.atomic():
        event = linked(measure, "measure")
        if event is not None:
            audit(
                "delete", event, code, event_details(event, automatic=True, reason="its measure was removed")
            )
            event.delete()
        audit("delete", measure, code, {"plan": measure.plan_id, "status": measure.status})
        measure.delete()

"""The stakeholder register and the network's mobilisation log (METHODOLOGY §1, §6): who can act, how engaged
each one is, the action plans they adopted with the situations targeted and the measures, and the charter.

Everything here is network-wide: no organisation owns it, and only coordinators (of any organisation) and
site administrators manage it (:func:`may_manage`; pages answer 404 to anyone else). The one exception is
:func:`incidents_naming`, which counts reports and so goes through ``storage.access.visible_reports``.

Every create, change and delete writes an audit event (codes, dates, stages and field names, never the notes).
Adopting a plan, implementing a measure and signing the charter write the matching engagement event, dated as
given, and the event follows what wrote it: a corrected date moves it, a withdrawn date or a removed signature
removes it (audited with the reason). Such an event is corrected where it comes from, never in the log.
Bad input raises :class:`Invalid`, which names the record and the field; nothing is saved then.

This module is the public entry point: the register and what the matrix reads are here, the engagement log,
plans and charter in ``storage.mobilisation`` (re-exported here).

The monitoring matrix reads three functions: :func:`engagement_stages`, :func:`stakeholder_names` and
:func:`adopted_plans`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from bordermonitor.core.countries import is_country_code
from bordermonitor.storage.access import Access, visible_reports
from bordermonitor.storage.mobilisation.charter import (
    charter_versions,
    create_charter_version,
    current_charter,
    remove_signature,
    sign_charter,
    update_charter_version,
)
from bordermonitor.storage.mobilisation.checks import (
    Invalid,
    NotFound,
    apply_changes,
    audit,
    clean_text,
    required,
)
from bordermonitor.storage.mobilisation.engagement import (
    STAGES,
    engagement_log,
    log_engagement,
    remove_engagement,
    update_engagement,
)
from bordermonitor.storage.mobilisation.plans import (
    add_measure,
    add_target,
    create_plan,
    remove_measure,
    remove_target,
    update_measure,
    update_plan,
)
from bordermonitor.storage.models import (
    ActionPlan,
    ActionPlanMeasure,
    ActionPlanTarget,
    CharterSignature,
    CharterVersion,
    EngagementEvent,
    Stakeholder,
)
from bordermonitor.storage.models.stakeholders import STAKEHOLDER_KINDS

__all__ = [
    "ADOPTED_STATUSES",
    "STAGES",
    "AdoptedPlan",
    "Invalid",
    "NotFound",
    "Row",
    "StakeholderRow",
    "add_measure",
    "add_target",
    "adopted_plans",
    "by_code",
    "charter_versions",
    "create_charter_version",
    "create_plan",
    "create_stakeholder",
    "current_charter",
    "engagement_log",
    "engagement_stages",
    "find_stakeholders",
    "get",
    "incidents_naming",
    "log_engagement",
    "may_manage",
    "remove_engagement",
    "remove_measure",
    "remove_signature",
    "remove_target",
    "sign_charter",
    "stage_of",
    "stakeholder_codes",
    "stakeholder_names",
    "unit_codes",
    "update_charter_version",
    "update_engagement",
    "update_measure",
    "update_plan",
    "update_stakeholder",
]

ADOPTED_STATUSES = ("adopted", "closed")
"""Plans the matrix measures before and after: adopted, or adopted and since closed."""
_KINDS = frozenset(code for code, _label in STAKEHOLDER_KINDS)
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def may_manage(access: Access, user: Any) -> bool:
    """Coordinators of any organisation and site administrators manage the register and the log."""
    return access.is_coordinator or bool(getattr(user, "is_superuser", False))


Row = TypeVar(
    "Row",
    Stakeholder,
    EngagementEvent,
    ActionPlan,
    ActionPlanMeasure,
    ActionPlanTarget,
    CharterVersion,
    CharterSignature,
)


def get(model: type[Row], pk: int | str) -> Row:
    """The row ``pk`` of ``model``, or :class:`NotFound`."""
    try:
        return model._default_manager.get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(pk) from None


# --- the register -------------------------------------------------------------------------------------------


def _tree() -> dict[int, tuple[str, int | None]]:
    """Every stakeholder: id → (code, parent id)."""
    return {
        pk: (code, parent) for pk, code, parent in Stakeholder.objects.values_list("id", "code", "parent_id")
    }


def _descendants(tree: Mapping[int, tuple[str, int | None]], root: int) -> list[int]:
    """The ids of ``root``'s units, their units and so on (breadth first, each once)."""
    children: dict[int, list[int]] = {}
    for pk, (_code, parent) in sorted(tree.items()):
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    found: list[int] = []
    queue, seen = [root], {root}
    while queue:
        for child in children.get(queue.pop(0), ()):
            if child not in seen:
                seen.add(child)
                found.append(child)
                queue.append(child)
    return found


def unit_codes(stakeholder: Stakeholder) -> list[str]:
    """The codes of the stakeholder's units (and of their units), sorted."""
    tree = _tree()
    return sorted(tree[pk][0] for pk in _descendants(tree, stakeholder.pk))


def by_code(code: str | None) -> Stakeholder:
    """The stakeholder with this exact code, or :class:`NotFound`."""
    found = Stakeholder.objects.filter(code=(code or "").strip()).first()
    if found is None:
        raise NotFound(code)
    return found


def stakeholder_codes() -> list[str]:
    """Every code, sorted (suggestions for a parent or a signatory)."""
    return list(Stakeholder.objects.order_by("code").values_list("code", flat=True))


def _fields(
    record: str,
    *,
    code: str,
    name: str | None,
    kind: str,
    country: str | None,
    parent: str | None,
    description: str | None,
    own: Stakeholder | None,
) -> dict[str, Any]:
    code = required(record, "code", code, 100)
    if not _CODE.fullmatch(code):
        raise Invalid(
            record, "code", _("Letters, digits, dots, hyphens and underscores only, such as HR-police.")
        )
    same = Stakeholder.objects.filter(code__iexact=code)
    if own is not None:
        same = same.exclude(pk=own.pk)
    if same.exists():
        raise Invalid(record, "code", _("Another stakeholder has this code already."))
    if kind not in _KINDS:
        raise Invalid(record, "kind", _("Choose one of the kinds offered."))
    country = clean_text(country)
    if country is not None:
        country = country.upper()
        if not is_country_code(country):
            raise Invalid(record, "country", _("Not a country code (ISO 3166-1 alpha-2, such as HR)."))
    parent_row = None
    parent = clean_text(parent)
    if parent is not None:
        parent_row = Stakeholder.objects.filter(code=parent).first()
        if parent_row is None:
            raise Invalid(record, "parent", _("No stakeholder has this code."))
        if own is not None and (parent_row.pk == own.pk or parent_row.pk in _descendants(_tree(), own.pk)):
            raise Invalid(
                record, "parent", _("A stakeholder cannot be a unit of itself or of one of its units.")
            )
    text_name = clean_text(name) or ""
    if len(text_name) > 200:
        raise Invalid(record, "name", _("At most %(limit)d characters.") % {"limit": 200})
    return {
        "code": code,
        "name": text_name,
        "kind": kind,
        "country": country,
        "parent": parent_row,
        "description": clean_text(description),
    }


def create_stakeholder(
    *,
    code: str,
    name: str | None = None,
    kind: str = "unknown",
    country: str | None = None,
    parent: str | None = None,
    description: str | None = None,
) -> Stakeholder:
    """Add a stakeholder to the register (``parent``: the code of the authority a unit belongs to)."""
    record = "new stakeholder"
    values = _fields(
        record,
        code=code,
        name=name,
        kind=kind,
        country=country,
        parent=parent,
        description=description,
        own=None,
    )
    try:
        with transaction.atomic():
            stakeholder = Stakeholder.objects.create(**values)
            audit("create", stakeholder, stakeholder.code)
    except IntegrityError:  # the same code saved meanwhile
        raise Invalid(record, "code", _("Another stakeholder has this code already.")) from None
    return stakeholder


def update_stakeholder(
    stakeholder: Stakeholder,
    *,
    code: str,
    name: str | None,
    kind: str,
    country: str | None,
    parent: str | None,
    description: str | None,
) -> Stakeholder:
    """Correct a stakeholder. Imports name authorities by code: a renamed code is a new one for them."""
    values = _fields(
        stakeholder.code,
        code=code,
        name=name,
        kind=kind,
        country=country,
        parent=parent,
        description=description,
        own=stakeholder,
    )
    before = stakeholder.code
    changed = apply_changes(stakeholder, values)
    if changed:
        try:
            with transaction.atomic():
                stakeholder.save()
                details: dict[str, Any] = {"changed": changed}
                if before != stakeholder.code:
                    details["code"] = [before, stakeholder.code]
                audit("update", stakeholder, stakeholder.code, details)
        except IntegrityError:
            raise Invalid(before, "code", _("Another stakeholder has this code already.")) from None
    return stakeholder


@dataclass(frozen=True, slots=True)
class StakeholderRow:
    """A line of the register."""

    stakeholder: Stakeholder
    units: int
    stage: str | None
    inherited: bool  # the stage is its authority's: it has no event of its own


def find_stakeholders(
    *, text: str | None = None, kind: str | None = None, country: str | None = None
) -> list[StakeholderRow]:
    """The register, by code: ``text`` in the code or name, of a ``kind``, of a ``country``."""
    rows = Stakeholder.objects.select_related("parent").annotate(n_units=Count("units")).order_by("code")
    if text and text.strip():
        rows = rows.filter(Q(code__icontains=text.strip()) | Q(name__icontains=text.strip()))
    if kind:
        rows = rows.filter(kind=kind)
    if country:
        rows = rows.filter(country=country.upper())
    stages = engagement_stages()
    own = set(EngagementEvent.objects.values_list("stakeholder__code", flat=True).distinct())
    return [
        StakeholderRow(
            stakeholder=row,
            units=row.n_units,  # type: ignore[attr-defined]
            stage=stages.get(row.code),
            inherited=row.code not in own and stages.get(row.code) is not None,
        )
        for row in rows
    ]


def incidents_naming(access: Access, stakeholder: Stakeholder) -> int:
    """How many incidents, among the reports ``access`` may see, have a report naming ``stakeholder`` or one of
    its units as perpetrator authority."""
    ids = [stakeholder.pk, *_descendants(_tree(), stakeholder.pk)]
    return (
        visible_reports(access)
        .filter(perpetrators__authority_id__in=ids)
        .values("incident_id")
        .distinct()
        .count()
    )


# --- what the monitoring matrix reads -----------------------------------------------------------------------


def stage_of(stakeholder: Stakeholder) -> tuple[str | None, Stakeholder | None]:
    """The stakeholder's current stage, and the authority it is inherited from (None: its own, or no stage)."""
    seen: set[int] = set()
    current: Stakeholder | None = stakeholder
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        latest = current.engagement.order_by("-on", "-id").values_list("stage", flat=True).first()
        if latest is not None:
            return latest, (None if current.pk == stakeholder.pk else current)
        current = current.parent
    return None, None


def engagement_stages() -> dict[str, str | None]:
    """Every stakeholder code → its current stage: the stage of its latest engagement event (by date, then by
    id). A unit with no event of its own takes its authority's (and so on up); no event at all → None."""
    own: dict[int, str] = {}
    for stakeholder_id, stage in EngagementEvent.objects.order_by("on", "id").values_list(
        "stakeholder_id", "stage"
    ):
        own[stakeholder_id] = stage  # the last one read is the latest
    tree = _tree()

    def resolve(pk: int) -> str | None:
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current not in seen:
            if current in own:
                return own[current]
            seen.add(current)
            current = tree[current][1] if current in tree else None
        return None

    return {code: resolve(pk) for pk, (code, _parent) in tree.items()}


def stakeholder_names() -> dict[str, str]:
    """Every stakeholder code → its name (the code when it has none yet)."""
    return {code: name or code for code, name in Stakeholder.objects.values_list("code", "name")}


@dataclass(frozen=True, slots=True)
class AdoptedPlan:
    """An adopted action plan as the matrix compares before and after it.

    ``actors``: the plan's stakeholder code, then the codes of its units (sorted) — the perpetrator side of the
    targeted situations. ``targets``: ``(area code, violence code)`` pairs, None for any; an empty tuple means the
    plan targets every area and type of violence of its actors.
    """

    id: int
    title: str
    stakeholder: str
    actors: tuple[str, ...]
    adopted_on: dt.date
    targets: tuple[tuple[str | None, str | None], ...]


def adopted_plans() -> list[AdoptedPlan]:
    """Every plan adopted (status ``adopted``, or ``closed`` after adoption) with its adoption date, by date."""
    plans = list(
        ActionPlan.objects.filter(status__in=ADOPTED_STATUSES, adopted_on__isnull=False)
        .select_related("stakeholder")
        .order_by("adopted_on", "id")
    )
    targets: dict[int, list[tuple[str | None, str | None]]] = {}
    rows = ActionPlanTarget.objects.filter(plan__in=plans).order_by("plan_id", "id")
    for plan_id, area, violence in rows.values_list("plan_id", "area", "violence"):
        targets.setdefault(plan_id, []).append((area, violence))
    tree = _tree()
    return [
        AdoptedPlan(
            id=plan.pk,
            title=plan.title,
            stakeholder=plan.stakeholder.code,
            actors=(
                plan.stakeholder.code,
                *sorted(tree[pk][0] for pk in _descendants(tree, plan.stakeholder_id)),
            ),
            adopted_on=plan.adopted_on,  # type: ignore[arg-type]  # filtered: not null
            targets=tuple(targets.get(plan.pk, ())),
        )
        for plan in plans
    ]

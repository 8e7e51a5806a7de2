"""Action plans: a stakeholder's plan, the situations it targets and its measures.

Adopting a plan and marking a measure implemented write their engagement event (``storage.stakeholders``); the
page says so and links to the log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bordermonitor.storage.access import Access, visible_reports
from bordermonitor.storage.matrix import plan_effect_of
from bordermonitor.storage.models import ActionPlan, ActionPlanMeasure, ActionPlanTarget, Stakeholder, User
from bordermonitor.storage.stakeholders import (
    Invalid,
    add_measure,
    add_target,
    create_plan,
    remove_measure,
    remove_target,
    unit_codes,
    update_measure,
    update_plan,
)
from bordermonitor.web.matrix.views import plan_display
from bordermonitor.web.stakeholders.forms import MeasureForm, PlanForm, TargetForm, show
from bordermonitor.web.stakeholders.pages import (
    MEASURE_STATUS_LABELS,
    PLAN_STATUS_LABELS,
    area_label,
    area_options,
    coordinators,
    form_page,
    found,
    language,
    violence_label,
)

PAGE = "bordermonitor/stakeholders/plan.html"


def _url(plan: ActionPlan, anchor: str = "") -> str:
    return reverse("stakeholders:plan", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _adopted_message(request: HttpRequest, before: Any, plan: ActionPlan) -> None:
    if before is None and plan.adopted_on is not None:
        messages.info(request, _("The adoption is added to the stakeholder's engagement log."))


@coordinators
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = found(Stakeholder, pk)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = create_plan(stakeholder, by=_user(request), **form.cleaned_data)
        except Invalid as error:
            show(form, error)
        else:
            messages.success(request, _("The action plan is saved."))
            _adopted_message(request, None, plan)
            return HttpResponseRedirect(_url(plan), status=303)
    return form_page(
        request,
        heading=_("New action plan of %(code)s") % {"code": stakeholder.code},
        intro=_("Once the plan is saved, add the situations it targets and its measures on its page."),
        form=form,
        action=reverse("stakeholders:plan_new", args=[stakeholder.pk]),
        submit=_("Save the plan"),
        back=reverse("stakeholders:detail", args=[stakeholder.pk]) + "#plans",
        status=400 if request.method == "POST" else 200,
    )


def _effect(request: HttpRequest, plan: ActionPlan) -> dict[str, Any] | None:
    """The incident rate in the plan's targeted situations before and after its adoption, as the matrix shows it
    (coordinators count what the network shares; site administrators every organisation)."""
    if plan.status not in ("adopted", "closed") or plan.adopted_on is None:
        return None
    access: Access = request.access  # type: ignore[attr-defined]
    reports = None if getattr(request.user, "is_superuser", False) else visible_reports(access)
    effect = plan_effect_of(plan.pk, reports=reports)
    return None if effect is None else plan_display(effect)


def _page(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    target: TargetForm | None = None,
    measure: MeasureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "plan": plan,
        "stakeholder": plan.stakeholder,
        "status_label": PLAN_STATUS_LABELS.get(plan.status, plan.status),
        "units": unit_codes(plan.stakeholder),
        "targets": [
            {"target": t, "area": area_label(t.area), "violence": violence_label(t.violence)}
            for t in plan.targets.all()
        ],
        "areas": area_options(),
        "measures": [
            {"measure": m, "status": MEASURE_STATUS_LABELS.get(m.status, m.status)}
            for m in plan.measures.all()
        ],
        "adoption": plan.adoption_event if hasattr(plan, "adoption_event") else None,
        "effect": _effect(request, plan),
        "target_form": target or TargetForm(language=language()),
        "measure_form": measure or MeasureForm(),
    }
    return render(request, PAGE, context, status=status)


@coordinators
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, found(ActionPlan, pk))


@coordinators
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = found(ActionPlan, pk)
    if request.method == "POST":
        form = PlanForm(request.POST)
    else:
        initial = {
            "title": plan.title,
            "status": plan.status,
            "adopted_on": plan.adopted_on,
            "notes": plan.notes,
        }
        form = PlanForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        before = plan.adopted_on
        try:
            update_plan(plan, by=_user(request), **form.cleaned_data)
        except Invalid as error:
            plan.refresh_from_db()
            show(form, error)
        else:
            messages.success(request, _("Saved."))
            _adopted_message(request, before, plan)
            return HttpResponseRedirect(_url(plan), status=303)
    return form_page(
        request,
        heading=_("Edit the action plan"),
        intro=_(
            "Adopting the plan adds its adoption to the stakeholder's engagement log, dated as given; "
            "correcting the date moves it there too."
        ),
        form=form,
        action=reverse("stakeholders:plan_edit", args=[plan.pk]),
        submit=_("Save"),
        back=_url(plan),
        status=400 if request.method == "POST" else 200,
    )


@coordinators
@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = found(ActionPlan, pk)
    form = TargetForm(request.POST, language=language())
    if form.is_valid():
        try:
            add_target(plan, area=form.cleaned_data["area"], violence=form.cleaned_data["violence"])
        except Invalid as error:
            show(form, error)
        else:
            messages.success(request, _("The situation is added to the plan's targets."))
            return HttpResponseRedirect(_url(plan, "targets"), status=303)
    return _page(request, plan, target=form, status=400)


@coordinators
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = found(ActionPlanTarget, pk)
    plan = target.plan
    remove_target(target)
    messages.success(request, _("The situation is removed from the plan's targets."))
    return HttpResponseRedirect(_url(plan, "targets"), status=303)


@coordinators
@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = found(ActionPlan, pk)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            measure = add_measure(plan, by=_user(request), **form.cleaned_data)
        except Invalid as error:
            show(form, error)
        else:
            messages.success(request, _("The measure is added."))
            if measure.implemented_on is not None:
                messages.info(request, _("Its implementation is added to the stakeholder's engagement log."))
            return HttpResponseRedirect(_url(plan, "measures"), status=303)
    return _page(request, plan, measure=form, status=400)


def _measure_initial(measure: ActionPlanMeasure) -> dict[str, Any]:
    return {
        "description": measure.description,
        "owner": measure.owner or "",
        "due_on": measure.due_on,
        "status": measure.status,
        "implemented_on": measure.implemented_on,
    }


@coordinators
@require_http_methods(["GET", "POST"])
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    item = found(ActionPlanMeasure, pk)
    plan = item.plan
    form = (
        MeasureForm(request.POST) if request.method == "POST" else MeasureForm(initial=_measure_initial(item))
    )
    if request.method == "POST" and form.is_valid():
        before = item.implemented_on
        try:
            update_measure(item, by=_user(request), **form.cleaned_data)
        except Invalid as error:
            item.refresh_from_db()
            show(form, error)
        else:
            messages.success(request, _("Saved."))
            if before is None and item.implemented_on is not None:
                messages.info(request, _("Its implementation is added to the stakeholder's engagement log."))
            return HttpResponseRedirect(_url(plan, "measures"), status=303)
    return form_page(
        request,
        heading=_("Edit a measure of “%(title)s”") % {"title": plan.title},
        form=form,
        action=reverse("stakeholders:measure", args=[item.pk]),
        submit=_("Save"),
        back=_url(plan, "measures"),
        status=400 if request.method == "POST" else 200,
        remove={
            "action": reverse("stakeholders:measure_remove", args=[item.pk]),
            "form": None,
            "label": _("Remove this measure"),
            "explain": _(
                "For a measure recorded by mistake: it leaves the plan, with its implementation in the "
                "engagement log. A measure given up is marked abandoned instead."
            ),
        },
    )


@coordinators
@require_POST
def measure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = found(ActionPlanMeasure, pk)
    plan = item.plan
    remove_measure(item)
    messages.success(request, _("The measure is removed."))
    return HttpResponseRedirect(_url(plan, "measures"), status=303)

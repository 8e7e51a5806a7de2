"""The stakeholder register (list, page, create, edit) and each stakeholder's engagement log.

Coordinators and site administrators only (``pages.coordinators``); the register is network-wide. The count
of incidents naming a stakeholder is of the reports the viewer may see (``storage.stakeholders.incidents_naming``
over ``visible_reports``), so a site administrator without a role sees the register but counts nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bordermonitor.storage.access import Access
from bordermonitor.storage.models import EngagementEvent, Stakeholder, User
from bordermonitor.storage.stakeholders import (
    Invalid,
    create_stakeholder,
    engagement_log,
    find_stakeholders,
    incidents_naming,
    log_engagement,
    remove_engagement,
    stage_of,
    update_engagement,
    update_stakeholder,
)
from bordermonitor.web.stakeholders.forms import (
    EngagementForm,
    FilterForm,
    ReasonForm,
    StakeholderForm,
    show,
)
from bordermonitor.web.stakeholders.pages import (
    KINDS,
    STAGE_LABELS,
    coordinators,
    country,
    form_page,
    found,
    language,
)

LIST = "bordermonitor/stakeholders/list.html"
PAGE = "bordermonitor/stakeholders/detail.html"


def _url(stakeholder: Stakeholder, anchor: str = "") -> str:
    return reverse("stakeholders:detail", args=[stakeholder.pk]) + (f"#{anchor}" if anchor else "")


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


@coordinators
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, language=language())
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = find_stakeholders(
        text=chosen.get("q") or None, kind=chosen.get("kind") or None, country=chosen.get("country") or None
    )
    context = {
        "form": form,
        "filtered": any(chosen.values()),
        "rows": [
            {
                "row": row,
                "kind": KINDS.get(row.stakeholder.kind, row.stakeholder.kind),
                "country": country(row.stakeholder.country),
                "stage": STAGE_LABELS.get(row.stage or "", row.stage),
            }
            for row in rows
        ],
    }
    return render(request, LIST, context)


def _stakeholder_form(request: HttpRequest, stakeholder: Stakeholder | None = None) -> StakeholderForm:
    if request.method == "POST":
        return StakeholderForm(request.POST, language=language())
    initial = {}
    if stakeholder is not None:
        initial = {
            "code": stakeholder.code,
            "name": stakeholder.name,
            "kind": stakeholder.kind,
            "country": stakeholder.country or "",
            "parent": stakeholder.parent.code if stakeholder.parent else "",
            "description": stakeholder.description or "",
        }
    return StakeholderForm(initial=initial, language=language())


def _stakeholder_values(form: StakeholderForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "code": data["code"],
        "name": data["name"],
        "kind": data["kind"],
        "country": data["country"] or None,
        "parent": data["parent"] or None,
        "description": data["description"],
    }


@coordinators
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = _stakeholder_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = create_stakeholder(**_stakeholder_values(form))
        except Invalid as error:
            show(form, error)
        else:
            messages.success(request, _("The stakeholder is added to the register."))
            return HttpResponseRedirect(_url(stakeholder), status=303)
    return form_page(
        request,
        heading=_("New stakeholder"),
        form=form,
        action=reverse("stakeholders:new"),
        submit=_("Add to the register"),
        back=reverse("stakeholders:list"),
        status=400 if request.method == "POST" else 200,
    )


@coordinators
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = found(Stakeholder, pk)
    form = _stakeholder_form(request, stakeholder)
    if request.method == "POST" and form.is_valid():
        try:
            update_stakeholder(stakeholder, **_stakeholder_values(form))
        except Invalid as error:
            stakeholder.refresh_from_db()
            show(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(_url(stakeholder), status=303)
    return form_page(
        request,
        heading=_("Edit %(code)s") % {"code": stakeholder.code},
        form=form,
        action=reverse("stakeholders:edit", args=[stakeholder.pk]),
        submit=_("Save"),
        back=_url(stakeholder),
        status=400 if request.method == "POST" else 200,
    )


def _page(
    request: HttpRequest,
    stakeholder: Stakeholder,
    *,
    engagement: EngagementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access: Access = request.access  # type: ignore[attr-defined]
    stage, inherited_from = stage_of(stakeholder)
    context = {
        "stakeholder": stakeholder,
        "kind": KINDS.get(stakeholder.kind, stakeholder.kind),
        "country": country(stakeholder.country),
        "units": list(stakeholder.units.order_by("code")),
        "incidents": incidents_naming(access, stakeholder),
        "reports_url": reverse("lists:reports") + "?" + urlencode({"authority": stakeholder.code}),
        "stage": STAGE_LABELS.get(stage or "", stage),
        "stage_code": stage,
        "inherited_from": inherited_from,
        "events": [
            {"event": event, "stage": STAGE_LABELS.get(event.stage, event.stage)}
            for event in engagement_log(stakeholder)
        ],
        "engagement": engagement or EngagementForm(),
        "plans": list(stakeholder.action_plans.order_by("-adopted_on", "-id")),
        "signatures": list(stakeholder.signatures.select_related("charter").order_by("-signed_on")),
    }
    return render(request, PAGE, context, status=status)


@coordinators
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, found(Stakeholder, pk))


@coordinators
@require_POST
def log(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an event to the engagement log; a refusal is shown next to the field, with the typing kept."""
    stakeholder = found(Stakeholder, pk)
    form = EngagementForm(request.POST)
    if form.is_valid():
        try:
            log_engagement(stakeholder, by=_user(request), **form.cleaned_data)
        except Invalid as error:
            show(form, error)
        else:
            messages.success(request, _("The event is added to the engagement log."))
            return HttpResponseRedirect(_url(stakeholder, "engagement"), status=303)
    return _page(request, stakeholder, engagement=form, status=400)


def _event_page(
    request: HttpRequest,
    event: EngagementEvent,
    form: EngagementForm,
    reason: ReasonForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    stakeholder = event.stakeholder
    return form_page(
        request,
        heading=_("Correct an event of %(code)s") % {"code": stakeholder.code},
        form=form,
        action=reverse("stakeholders:event", args=[event.pk]),
        submit=_("Save the correction"),
        back=_url(stakeholder, "engagement"),
        status=status,
        remove={
            "action": reverse("stakeholders:event_remove", args=[event.pk]),
            "form": reason or ReasonForm(),
            "label": _("Remove this event"),
            "explain": _("The event leaves the log; the reason is kept in the audit log."),
        },
    )


def _automatic(request: HttpRequest, event: EngagementEvent) -> HttpResponse:
    messages.error(
        request,
        _("This event was written by a plan, a measure or a signature of the charter: correct it there."),
    )
    return HttpResponseRedirect(_url(event.stakeholder, "engagement"), status=303)


@coordinators
@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an event logged by hand."""
    item = found(EngagementEvent, pk)
    if item.automatic:
        return _automatic(request, item)
    if request.method != "POST":
        initial = {"stage": item.stage, "on": item.on, "notes": item.notes or ""}
        return _event_page(request, item, EngagementForm(initial=initial))
    form = EngagementForm(request.POST)
    if form.is_valid():
        try:
            update_engagement(item, **form.cleaned_data)
        except Invalid as error:
            item.refresh_from_db()
            show(form, error)
        else:
            messages.success(request, _("The event is corrected."))
            return HttpResponseRedirect(_url(item.stakeholder, "engagement"), status=303)
    return _event_page(request, item, form, status=400)


@coordinators
@require_POST
def event_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = found(EngagementEvent, pk)
    if item.automatic:
        return _automatic(request, item)
    reason = ReasonForm(request.POST)
    if reason.is_valid():
        try:
            remove_engagement(item, reason=reason.cleaned_data["reason"])
        except Invalid as error:
            show(reason, error)
        else:
            messages.success(request, _("The event is removed from the log."))
            return HttpResponseRedirect(_url(item.stakeholder, "engagement"), status=303)
    initial = {"stage": item.stage, "on": item.on, "notes": item.notes or ""}
    return _event_page(request, item, EngagementForm(initial=initial), reason, status=400)

"""The monitoring matrix for coordinators (METHODOLOGY §6): the ranked situations of a period with their four
criteria as bars, what each was computed from, twelve months of each as a small chart, the action plans' rates
before and after adoption, and a link from every count to the records behind it.

Coordinators see what the organisations share with the network (``visible_reports``); site administrators see
everything. Anyone else gets 404. The page computes nothing itself: it shows ``storage.matrix.build_matrix``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from bordermonitor.core.matrix import CRITERIA, Matrix, PlanEffect, Situation, month_start
from bordermonitor.storage.access import Access, visible_reports
from bordermonitor.storage.matrix import COUNTED_STATUSES, build_matrix

PAGE = "bordermonitor/matrix/dashboard.html"
SHOWN = 50
SORTS = ("priority", *CRITERIA, "incidents", "change")
CRITERION_LABELS = {
    "frequency": _("Frequency"),
    "intensity": _("Intensity"),
    "identification": _("Identification"),
    "influence": _("Ability to influence"),
}
STAGE_LABELS = {
    None: _("no engagement recorded"),
    "contacted": _("contacted"),
    "meeting": _("meeting held"),
    "acknowledged": _("acknowledged"),
    "charter_signed": _("charter signed"),
    "action_plan_adopted": _("action plan adopted"),
    "measure_implemented": _("measure implemented"),
    "refused": _("refused"),
}


class PeriodForm(forms.Form):
    period = forms.DateField(
        label=_("Last month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    months = forms.TypedChoiceField(
        label=_("Months"),
        required=False,
        coerce=int,
        empty_value=3,
        choices=[(1, "1"), (3, "3"), (6, "6"), (12, "12")],
    )
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS], widget=forms.HiddenInput)


def _allowed(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    if not (access.is_coordinator or getattr(request.user, "is_superuser", False)):
        raise Http404
    return access


def _records(situation: Situation | None, start: dt.date, end: dt.date, **more: str) -> str:
    """The list of the counted records behind a number."""
    query = QueryDict(mutable=True)
    query.setlist("status", list(COUNTED_STATUSES))
    query["date_from"], query["date_to"] = start.isoformat(), end.isoformat()
    if situation is not None:
        query["situation"] = situation.key.token
    query.update(more)
    return reverse("lists:reports") + "?" + query.urlencode()


def _spark(monthly: tuple[int, ...], labels: list[str], situation: Situation) -> dict[str, Any]:
    """A small bar chart of incidents per month (an inline SVG: no script, no style attribute)."""
    top = max(monthly) or 1
    width = 6
    bars = []
    for i, (count, label) in enumerate(zip(monthly, labels, strict=True)):
        height = round(22 * count / top, 1)
        first = month_start(int(label[:4]) * 12 + int(label[5:]) - 1)
        last = month_start(int(label[:4]) * 12 + int(label[5:])) - dt.timedelta(days=1)
        bars.append(
            {
                "x": i * (width + 2),
                "y": 24 - height,
                "height": height,
                "count": count,
                "month": label,
                "url": _records(situation, first, last) if count else None,
            }
        )
    return {"bars": bars, "width": len(monthly) * (width + 2) - 2, "bar": width}


def _sort_key(name: str) -> Any:
    if name in CRITERIA:
        return lambda s: -s.criteria[name].value
    if name == "incidents":
        return lambda s: -s.incidents
    if name == "change":
        return lambda s: -(s.incidents - s.previous_incidents)
    return lambda s: -s.priority


def _row(situation: Situation, rank: int, matrix: Matrix, labels: list[str]) -> dict[str, Any]:
    criteria = []
    for name in CRITERIA:
        criterion = situation.criteria[name]
        criteria.append(
            {
                "name": name,
                "label": CRITERION_LABELS[name],
                "value": criterion.value,
                "width": round(100 * criterion.value, 1),
                "inputs": criterion.inputs,
            }
        )
    inputs = {name: situation.criteria[name].inputs for name in CRITERIA}
    return {
        "rank": rank,
        "situation": situation,
        "criteria": criteria,
        "inputs": inputs,
        "stage": STAGE_LABELS.get(inputs["influence"]["stage"], inputs["influence"]["stage"]),
        "records": _records(situation, matrix.start, matrix.end),
        "previous_records": _records(situation, matrix.previous_start, matrix.previous_end),
        "minors_records": _records(situation, matrix.start, matrix.end, minors="yes"),
        "spark": _spark(situation.monthly, labels, situation),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access = _allowed(request)
    form = PeriodForm(request.GET or None)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    sort = data.get("sort") or "priority"
    reports = None if getattr(request.user, "is_superuser", False) else visible_reports(access)
    matrix = build_matrix(
        period=data.get("period"),
        months=data.get("months") or 3,
        reports=reports,
        language=request.LANGUAGE_CODE,
    )
    ranked = {s.key: rank for rank, s in enumerate(matrix.situations, 1)}
    ordered = sorted(matrix.situations, key=_sort_key(sort))
    try:
        shown = max(SHOWN, min(int(request.GET.get("show", SHOWN)), 1000))
    except ValueError:
        shown = SHOWN
    labels = matrix.history_labels()
    sorts = {}
    for name in SORTS:
        query = request.GET.copy()
        query["sort"] = name
        query.pop("show", None)
        sorts[name] = {"href": "?" + query.urlencode(), "active": name == sort}
    more = request.GET.copy()
    more["show"] = str(shown + 200)
    context = {
        "form": form,
        "matrix": matrix,
        "rows": [_row(s, ranked[s.key], matrix, labels) for s in ordered[:shown]],
        "hidden": max(0, len(ordered) - shown),
        "more": "?" + more.urlencode(),
        "sorts": sorts,
        "sort": sort,
        "weights": matrix.weights,
        "configured": settings.BORDERMONITOR_MATRIX_WEIGHTS == matrix.weights,
        "period_records": _records(None, matrix.start, matrix.end),
        "plans": [plan_display(plan) for plan in matrix.plans],
        "history_first": labels[0],
        "history_last": labels[-1],
    }
    return render(request, PAGE, context)


def plan_display(plan: PlanEffect) -> dict[str, Any]:
    """An action plan's before and after, month by month, for ``matrix/_plan_effect.html``."""

    def months(indexes: tuple[int, ...], counts: tuple[int, ...]) -> list[dict[str, Any]]:
        return [{"month": month_start(m), "count": n} for m, n in zip(indexes, counts, strict=True)]

    return {
        "plan": plan,
        "before": months(plan.before_months, plan.before_counts),
        "after": months(plan.after_months, plan.after_counts),
        "before_total": sum(plan.before_counts),
        "after_total": sum(plan.after_counts),
    }

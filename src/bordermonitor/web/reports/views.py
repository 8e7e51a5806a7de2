"""The record page, review moves, history and the review queue.

Three views of a report (``Access.view_of``): members read it in full and act on it, coordinators read
what the network shares, analysts read only the pseudonymised copy. Another organisation's report is a 404
for every page here. Every display of personal data writes one ``view`` audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bordermonitor.core.pseudonymise import pseudonymise
from bordermonitor.core.workflow import CHECKLIST, TransitionRefused, next_statuses
from bordermonitor.storage.access import FULL, NETWORK, PSEUDONYMISED, Access, NotVisible, get_report
from bordermonitor.storage.audit import record as audit
from bordermonitor.storage.history import Actor, Entry, history_of
from bordermonitor.storage.models import Report
from bordermonitor.storage.repositories.reports import record_of
from bordermonitor.storage.retention import strongest_erasure
from bordermonitor.storage.review import (
    decision_in_force,
    look_at,
    pseudonym_key,
    review_queue,
    shared_with_network,
)
from bordermonitor.storage.workflow import move_report
from bordermonitor.web.crosscheck.panel import record_panel
from bordermonitor.web.reports import labels
from bordermonitor.web.reports.display import change_rows, sections, stored_date

EVIDENCE_PANEL = "bordermonitor/evidence/_panel.html"
ERASED_BY = {
    "testimony": frozenset(
        {"title", "narrative.text", "narrative.translation_en", "incident.officers.description"}
    ),
}
"""The fields shown on the record page that an erasure rule emptied: they read "erased", not "unknown" (a
tombstone, rule ``record``, shows no field at all)."""
_NEEDS_COMMENT = frozenset({"changes_requested", "rejected"})
QUEUE_PAGE_SIZE = 25


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _visible(request: HttpRequest, pk: int) -> Report:
    try:
        return get_report(_access(request), pk)
    except NotVisible:
        raise Http404 from None


def _edit_url(access: Access, report: Report) -> str | None:
    """The intake step to edit the report, if the person may edit it and the intake pages are there."""
    if not access.can_edit(report):
        return None
    try:
        return reverse("intake:step", args=[report.pk, "interview"])
    except NoReverseMatch:
        return None


def _evidence_panel() -> bool:
    """Whether the evidence partial and its pages are installed (the record page works without them)."""
    try:
        reverse("evidence:upload", args=[1])
        get_template(EVIDENCE_PANEL)
    except (TemplateDoesNotExist, NoReverseMatch):
        return False
    return True


def _review_form(access: Access, report: Report, form: dict[str, Any] | None) -> dict[str, Any] | None:
    """The buttons the person may press on this report, and the form's state (kept after a refusal)."""
    targets = next_statuses(report.status, access.workflow_roles(report))
    if not targets:
        return None
    form = form or {}
    ticked = form.get("checklist", {})
    return {
        "status": report.status,
        "moves": [
            {
                "target": target,
                "label": labels.move_label(report.status, target),
                "needs_comment": target in _NEEDS_COMMENT,
                "danger": target in ("rejected", "changes_requested"),
            }
            for target in targets
        ],
        "comment": form.get("comment", ""),
        "error": form.get("error"),
        "checklist": (
            [
                {
                    "code": item.code,
                    "text": labels.CHECKLIST_TEXTS[item.code],
                    "ticked": ticked.get(item.code),
                }
                for item in CHECKLIST
            ]
            if "verified" in targets
            else []
        ),
        "approving": "approved_for_publication" in targets,
        "consent_publish": report.consent_publish,
    }


def _incident_ref_shown(access: Access, report: Report, record: dict[str, Any]) -> dict[str, Any]:
    """The record as shown: an incident's ref names the report that created it, so once cross-checking linked
    reports of several organisations it is shown only with a report of that organisation, or to its members."""
    creator = report.incident.organisation_id
    if creator == report.organisation_id or creator in access.member_orgs:
        return record
    return {**record, "incident": {**record["incident"], "ref": None}}


def _render_detail(
    request: HttpRequest, report: Report, *, form: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    access = _access(request)
    view = access.view_of(report)
    language = request.LANGUAGE_CODE
    erasure = strongest_erasure(report)
    tombstone = erasure is not None and erasure.rule == "record"
    erased = ERASED_BY.get(erasure.rule, frozenset()) if erasure is not None else frozenset()
    context: dict[str, Any] = {
        "report": report,
        "view": view,
        "move_error": (form or {}).get("error"),
        "erasure": erasure,
        "tombstone": tombstone,
    }
    if view == PSEUDONYMISED:
        copy = pseudonymise(record_of(report), key=pseudonym_key())
        context |= {
            "heading": copy["pseudonym"],
            "status": copy["status"],
            "status_label": labels.STATUSES.get(copy["status"], copy["status"]),
            "sections": [] if tombstone else sections(copy, language, erased=erased),
        }
        return render(request, "bordermonitor/reports/detail.html", context, status=status)
    full = record_of(report)
    audit("view", report)
    review = _review_form(access, report, form)
    if review is not None:
        context["move_error"] = None  # shown next to the form instead
    seen, changes = look_at(user=request.user, report=report) if view == FULL else (None, [])
    # A tombstone holds nothing but its reference and dates, and its "rejected" is the erasure's move: the
    # erasure notice says so instead of fields reading "unknown" and a reviewer's decision.
    shown = [] if tombstone else sections(_incident_ref_shown(access, report, full), language, erased=erased)
    context |= {
        "heading": report.ref,
        "status": report.status,
        "status_label": labels.STATUSES.get(report.status, report.status),
        "sections": shown,
        "unparsed": full["source"]["unparsed"],
        "flagged": report.flagged,
        "original": full["source"]["original"],
        "seen_version": seen,
        "changes": change_rows(changes, language),
        "edit_url": _edit_url(access, report),
        "review": review,
        "decision": None if tombstone else decision_in_force(report),
        "evidence_panel": view in (FULL, NETWORK) and _evidence_panel(),
        "crosscheck": record_panel(access, report, language),
        "access": access,
    }
    return render(request, "bordermonitor/reports/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible(request, pk))


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one workflow move. The page sends the status it was rendered with: if the report moved since,
    nothing happens and the person reads the current state with their comment kept."""
    access = _access(request)
    report = _visible(request, pk)
    target = request.POST.get("target", "")
    comment = request.POST.get("comment", "")
    ticked = set(request.POST.getlist("checklist"))
    checklist = {item.code: item.code in ticked for item in CHECKLIST}
    form: dict[str, Any] = {"comment": comment, "checklist": checklist}
    if request.POST.get("status") != report.status:
        form["error"] = labels.stale_message(report.status)
        return _render_detail(request, report, form=form, status=409)
    try:
        move_report(
            report,
            target=target,
            roles=access.workflow_roles(report),
            comment=comment,
            checklist=checklist if target == "verified" else None,
        )
    except TransitionRefused as refused:
        form["error"] = labels.refusal(refused)
        stale = refused.reason.startswith("someone else moved it")
        report = _visible(request, pk) if stale else report
        return _render_detail(request, report, form=form, status=409 if stale else 400)
    messages.success(
        request,
        _("The report is now “%(status)s”.") % {"status": labels.STATUSES.get(target, target)},
    )
    return HttpResponseRedirect(reverse("reports:detail", args=[report.pk]))


def _who(actor: Actor) -> str:
    if actor.you:
        return _("you")
    if actor.name:
        return actor.name
    if actor.organisation:
        return _("a member of %(organisation)s") % {"organisation": actor.organisation}
    return {
        "cli": _("the command line"),
        "system": _("the system"),
        "api": _("the API"),
    }.get(actor.system or "", _("an account no longer known"))


def _entry(entry: Entry, language: str) -> dict[str, Any]:
    shown: dict[str, Any] = {"entry": entry, "who": _who(entry.actor)}
    if entry.kind == "version":
        shown["fields"] = [labels.field_label(path) for path in entry.changed]
        shown["changes"] = change_rows(entry.changes, language) if entry.changes is not None else None
    elif entry.kind == "transition":
        shown["source"] = labels.STATUSES.get(entry.source or "", entry.source)
        shown["target"] = labels.STATUSES.get(entry.target or "", entry.target)
        shown["checked"] = [
            labels.CHECKLIST_TEXTS.get(code, code) for code, ticked in entry.checklist.items() if ticked
        ]
    else:
        shown["action"] = labels.ACTIONS.get(entry.action or "", entry.action)
    return shown


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report, entries = history_of(access=_access(request), pk=pk)
    except NotVisible:
        raise Http404 from None
    audit("view", report, details={"page": "history"})
    language = request.LANGUAGE_CODE
    context = {
        "report": report,
        "status_label": labels.STATUSES.get(report.status, report.status),
        "entries": [_entry(entry, language) for entry in reversed(entries)],
    }
    return render(request, "bordermonitor/reports/history.html", context)


def _queue_row(report: Report, language: str) -> dict[str, Any]:
    seen = getattr(report, "seen_version", None)
    return {
        "report": report,
        "status_label": labels.STATUSES.get(report.status, report.status),
        "kind": labels.REPORT_KINDS.get(report.kind, report.kind),
        "date": stored_date(report.date_start, report.date_precision, language),
        "never_seen": seen is None,
        "changed": seen is not None and seen < report.version,
    }


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    language = request.LANGUAGE_CODE
    page = Paginator(review_queue(access), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    shared = [_queue_row(report, language) for report in shared_with_network(access)]
    context = {
        "page": page,
        "rows": [_queue_row(report, language) for report in page.object_list],
        "shared": shared,
        "coordinator": access.is_coordinator,
    }
    return render(request, "bordermonitor/reports/queue.html", context)

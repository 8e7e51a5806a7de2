"""The intake pages: start a report, save it step by step, submit it; autosave of what is typed.

A step save is one round trip: the POST saves and answers with the next step (HTMX swaps it in and pushes its
address), or, without JavaScript, a 303 redirect to it. Every save goes through the step's merge into the
stored record and ``core.validation.validate_report``; nothing reaches storage another way. Reports of other
organisations, and organisations the person does not record for, answer 404. Every answer that shows stored
personal data (a step, the changes of a conflicting save, a draft given back) writes one ``view`` audit event.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bordermonitor.core.records import quote
from bordermonitor.core.validation import RecordRejected, validate_report
from bordermonitor.core.workflow import TransitionRefused
from bordermonitor.storage.access import Access, NotVisible, get_report
from bordermonitor.storage.audit import record as audit_record
from bordermonitor.storage.drafts import (
    DraftRefused,
    attach_draft,
    clear_draft_fields,
    draft_for_report,
    draft_for_token,
    last_saved_by,
    save_draft,
    unfinished_drafts,
    writer_organisations,
)
from bordermonitor.storage.editing import EditConflict, NotAllowed, create_report, next_ref, update_report
from bordermonitor.storage.models import Organisation, Report, ReportDraft
from bordermonitor.storage.repositories.reports import record_of
from bordermonitor.storage.workflow import move_report
from bordermonitor.web.intake import context as page
from bordermonitor.web.intake.forms import StepForm
from bordermonitor.web.intake.steps import STEPS, Step, field_for_path, next_step, step_by_slug

FIRST = STEPS[0]
SUBMITTABLE = ("draft", "changes_requested")


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)


def _writer_report(request: HttpRequest, pk: int) -> Report:
    """The report if the person records for its organisation; 404 otherwise (whether or not it exists)."""
    access = _access(request)
    try:
        report = get_report(access, pk)
    except NotVisible:
        raise Http404 from None
    if report.organisation_id not in access.writer_orgs:
        raise Http404
    return report


def _organisation(request: HttpRequest, value: str | None) -> Organisation | None:
    organisations = writer_organisations(_access(request))
    if not organisations:
        raise Http404
    if len(organisations) == 1 and not value:
        return organisations[0]
    return next((o for o in organisations if str(o.pk) == (value or "").strip()), None)


def _form(step: Step, request: HttpRequest, *, data: Any = None, initial: dict[str, Any]) -> StepForm:
    kwargs: dict[str, Any] = {"language": _language(request), "initial": initial}
    if step.slug == "interview":
        kwargs["current_language"] = (data or {}).get("language") or initial.get("language") or None
    return step.form_class(data, **kwargs)


def _as_text(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _restore(form: StepForm, draft: ReportDraft | None, newer_than: Any) -> bool:
    """Put the draft's values of this form's fields into its initial values when the draft is newer than
    what is saved; True when that changed anything the person will see."""
    if draft is None or (newer_than is not None and draft.updated_at <= newer_than):
        return False
    changed = False
    for name, value in (draft.data or {}).items():
        if name in form.fields and _as_text(form.initial.get(name)) != _as_text(value):
            form.initial[name] = value
            changed = True
    return changed


def _check(step: Step, form: StepForm, merged: dict[str, Any], where: str) -> Any:
    """The one validation of the record; messages about this step's fields are put next to them."""
    try:
        outcome = validate_report(merged, where=where)
    except RecordRejected as exc:
        for issue in exc.issues:
            form.add_error(field_for_path(step, issue.field), issue.message)
        return None
    blocking = False
    for issue in outcome.issues:
        name = field_for_path(step, issue.field)
        if name is not None:
            form.add_error(name, issue.message)
            blocking = True
    return None if blocking else outcome.record


def _render(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The step alone for an HTMX request (swapped into the page), else the whole page."""
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    template = "bordermonitor/intake/_step.html" if partial else "bordermonitor/intake/page.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _evidence_ready(report: Report) -> bool:
    """The evidence panel is included once its part of the site is installed (template and addresses)."""
    try:
        get_template("bordermonitor/evidence/_panel.html")
        reverse("evidence:upload", args=[report.pk])
    except (TemplateDoesNotExist, NoReverseMatch):
        return False
    return True


def _step_context(
    request: HttpRequest,
    *,
    step: Step,
    form: StepForm | None,
    report: Report | None,
    organisation: Organisation,
    token: uuid.UUID,
    **extra: Any,
) -> dict[str, Any]:
    access = _access(request)
    editable = report is None or access.can_edit(report)
    context = page.base(
        request,
        step=step,
        form=form,
        report=report,
        organisation=organisation,
        token=token,
        editable=editable,
    )
    if step.slug == "evidence" and report is not None:
        context["evidence_panel"] = _evidence_ready(report)
    if step.slug == "submit" and report is not None:
        context["summary"] = page.summary(record_of(report), _language(request))
        context["submittable"] = editable and report.status in SUBMITTABLE
    context.update(extra)
    return context


def _show_step(
    request: HttpRequest, report: Report, step: Step, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """A step of an existing report as stored, with the person's newer draft (if any) restored. Showing it
    is a view of the record's personal data, and is logged as one."""
    record = record_of(report)
    audit_record("view", report, details={"page": f"intake:{step.slug}"})
    form = _form(step, request, initial=step.initial(record)) if step.editable else None
    access = _access(request)
    draft = draft_for_report(access=access, user=request.user, report=report)  # type: ignore[arg-type]
    # Someone else's later save wins over an older draft; the person's own saves already cleared what they saved.
    newer_than = None if last_saved_by(report) == access.actor else report.updated_at
    restored = form is not None and _restore(form, draft, newer_than)
    token = report.intake_token or (draft.token if draft else uuid.uuid4())
    context = _step_context(
        request,
        step=step,
        form=form,
        report=report,
        organisation=report.organisation,
        token=token,
        restored=restored,
        draft_saved_at=draft.updated_at if draft else None,
        restore_after=newer_than,
        **extra,
    )
    return _render(request, context, status=status)


def _after_save(request: HttpRequest, report: Report, step: Step, saved_fields: list[str]) -> HttpResponse:
    following = next_step(step) or step
    url = reverse("intake:step", args=[report.pk, following.slug])
    if getattr(request, "htmx", None):
        response = _show_step(request, report, following, saved=step, saved_fields=saved_fields)
        response["HX-Push-Url"] = url
        return response
    messages.success(request, _("Saved: %(step)s.") % {"step": step.title})
    return HttpResponseRedirect(url, status=303)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Choose the organisation (when the person records for several), then the first step."""
    access = _access(request)
    source = request.POST if request.method == "POST" else request.GET
    organisation = _organisation(request, source.get("organisation"))
    if organisation is None:
        if request.method == "POST":
            raise Http404
        context = {
            "organisations": writer_organisations(access),
            "drafts": unfinished_drafts(access=access, user=request.user),  # type: ignore[arg-type]
        }
        return render(request, "bordermonitor/intake/start.html", context)
    try:
        token = uuid.UUID(source.get("intake_token") or source.get("token") or "")
    except ValueError:
        token = uuid.uuid4()
    if request.method == "POST":
        return _save_first(request, organisation, token)
    form = _form(FIRST, request, initial=FIRST.initial({}))
    draft = draft_for_token(access=access, user=request.user, token=token)  # type: ignore[arg-type]
    restored = _restore(form, draft, None)
    if draft is not None:
        _audit_draft(draft, "intake:new")
    context = _step_context(
        request,
        step=FIRST,
        form=form,
        report=None,
        organisation=organisation,
        token=token,
        restored=restored,
        draft_saved_at=draft.updated_at if draft else None,
        unfinished=[
            d
            for d in unfinished_drafts(access=access, user=request.user)  # type: ignore[arg-type]
            if d.token != token
        ],
    )
    return _render(request, context)


def _save_first(request: HttpRequest, organisation: Organisation, token: uuid.UUID) -> HttpResponse:
    """The first save creates the report (status draft); the same form sent twice finds the same report."""
    access = _access(request)
    form = _form(FIRST, request, data=request.POST, initial=FIRST.initial({}))
    record = None
    if form.is_valid():
        base = {"ref": next_ref(organisation), "organisation": organisation.code, "status": "draft"}
        record = _check(FIRST, form, FIRST.merge(base, form.cleaned_data), where="new report")
    if record is None:
        context = _step_context(
            request, step=FIRST, form=form, report=None, organisation=organisation, token=token
        )
        return _render(request, context)
    try:
        report, _created = create_report(
            access=access, user=request.user, record=record, intake_token=token, fresh_ref=True
        )  # type: ignore[arg-type]
    except NotAllowed:
        raise Http404 from None
    attach_draft(user=request.user, token=token, report=report)  # type: ignore[arg-type]
    clear_draft_fields(user=request.user, report=report, names=list(form.fields))  # type: ignore[arg-type]
    return _after_save(request, report, FIRST, list(form.fields))


def _changes(changes: list[Any], language: str) -> list[dict[str, str]]:
    """What the other person changed, by field label where the field is on a step."""
    out = []
    for change in changes:
        label = change.path
        for step in STEPS:
            name = field_for_path(step, change.path)
            if name is not None:
                field = step.form_class(language=language).fields.get(name)
                label = f"{step.title} · {field.label}" if field is not None else str(step.title)
                break
        out.append({"label": str(label), "before": quote(change.before), "after": quote(change.after)})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report = _writer_report(request, pk)
    current = step_by_slug(step)
    if current is None:
        raise Http404
    access = _access(request)
    if request.method == "GET":
        return _show_step(request, report, current)
    if not access.can_edit(report) and not (current.slug == "submit" and report.status in SUBMITTABLE):
        return _show_step(request, report, current, status=403)
    if current.slug == "submit":
        return _submit(request, report)
    if not current.editable:
        return _after_save(request, report, current, [])
    record = record_of(report)
    form = _form(current, request, data=request.POST, initial=current.initial(record))
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = report.version
    checked = None
    if form.is_valid():
        checked = _check(current, form, current.merge(record, form.cleaned_data), where=report.ref)
    if checked is None:
        context = _step_context(
            request,
            step=current,
            form=form,
            report=report,
            organisation=report.organisation,
            token=report.intake_token or uuid.uuid4(),
            version=expected,
        )
        return _render(request, context)
    try:
        saved = update_report(access=access, report=report, record=checked, expected_version=expected)
    except EditConflict as exc:
        audit_record("view", exc.report, details={"page": f"intake:{current.slug}", "conflict": True})
        context = _step_context(
            request,
            step=current,
            form=form,
            report=exc.report,
            organisation=report.organisation,
            token=report.intake_token or uuid.uuid4(),
            conflict=_changes(exc.changes, _language(request)),
            version=exc.report.version,
        )
        return _render(request, context, status=409 if not getattr(request, "htmx", None) else 200)
    except NotAllowed:
        return _show_step(request, report, current, status=403)
    clear_draft_fields(user=request.user, report=saved, names=list(form.fields))  # type: ignore[arg-type]
    return _after_save(request, saved, current, list(form.fields))


def _submit(request: HttpRequest, report: Report) -> HttpResponse:
    """Draft (or a report sent back for changes) → submitted, through the workflow rules."""
    try:
        move_report(report, target="submitted", roles=_access(request).workflow_roles(report))
    except TransitionRefused as exc:
        return _show_step(request, report, STEPS[-1], status=409, refused=exc.reason)
    messages.success(request, _("The report was submitted for review."))
    try:
        url = reverse("reports:detail", args=[report.pk])
    except NoReverseMatch:
        url = reverse("intake:step", args=[report.pk, "submit"])
    if getattr(request, "htmx", None):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url, status=303)


# --- autosave -----------------------------------------------------------------------------------------------


def _payload(request: HttpRequest) -> dict[str, Any]:
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise DraftRefused("not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data", {}), dict):
        raise DraftRefused("expected an object with 'data'")
    return payload


def _audit_draft(draft: ReportDraft, page: str) -> None:
    """A draft given back is a view: of its report once there is one, else of the draft itself."""
    if draft.report_id is not None:
        audit_record("view", draft.report, details={"page": page})
    else:
        audit_record("view", draft, organisation=draft.organisation.code, details={"page": page})


def _draft_answer(draft: ReportDraft | None) -> JsonResponse:
    if draft is None:
        return JsonResponse({"data": {}, "saved_at": None})
    _audit_draft(draft, "intake:draft")
    return JsonResponse({"data": draft.data, "step": draft.step, "saved_at": draft.updated_at.isoformat()})


@login_required
@require_http_methods(["GET", "POST"])
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """The person's draft of edits to report ``pk``: POST what is typed (JSON), GET it back (author only)."""
    report = _writer_report(request, pk)
    access = _access(request)
    if request.method == "GET":
        return _draft_answer(draft_for_report(access=access, user=request.user, report=report))  # type: ignore[arg-type]
    try:
        payload = _payload(request)
        draft = save_draft(
            access=access,
            user=request.user,  # type: ignore[arg-type]
            report=report,
            data=payload.get("data") or {},
            step=str(payload.get("step") or ""),
        )
    except DraftRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"saved_at": draft.updated_at.isoformat()})


@login_required
@require_http_methods(["GET", "POST"])
def autosave_new(request: HttpRequest, token: uuid.UUID) -> JsonResponse:
    """The person's draft of a report not created yet, by the form's token."""
    access = _access(request)
    if request.method == "GET":
        draft = draft_for_token(access=access, user=request.user, token=token)  # type: ignore[arg-type]
        if draft is None:
            raise Http404
        return _draft_answer(draft)
    try:
        payload = _payload(request)
        organisation = int(payload.get("organisation") or 0)
        draft = save_draft(
            access=access,
            user=request.user,  # type: ignore[arg-type]
            token=token,
            organisation_id=organisation,
            data=payload.get("data") or {},
            step=str(payload.get("step") or ""),
        )
    except (ValueError, TypeError, DraftRefused) as exc:
        return JsonResponse(
            {"error": str(exc) if isinstance(exc, DraftRefused) else "bad request"}, status=400
        )
    except NotVisible:
        raise Http404 from None
    return JsonResponse({"saved_at": draft.updated_at.isoformat()})

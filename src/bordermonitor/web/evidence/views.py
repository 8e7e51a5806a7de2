"""Evidence pages: upload into a report, and serving its cleaned copies and (to reviewers) its originals.

Uploads stream through :class:`~bordermonitor.web.evidence.uploads.EvidenceUploadHandler`, which encrypts
each chunk as it arrives: Django's own handlers, which keep the file in memory or in a temporary file in
plaintext, never see it. The handler has to be in place before anything parses the request, so the upload
view is exempt from the CSRF middleware (which reads the form) and checks the token itself once the handler
is set.

Files are answered with ``X-Content-Type-Options: nosniff`` and ``Cache-Control: private, no-store`` (no
shared or browser cache keeps a copy), under a neutral name built from the digest, and only after the whole
file passed its integrity check. A file that fails it, or an original whose key the organisation keeps
offline, answers 409 with a page that says so. Anything the person may not see answers 404, as for reports.
Every file served is an audit event (``view`` or ``download``); every failed check an ``integrity`` event.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from bordermonitor.core.records import EVIDENCE_KINDS
from bordermonitor.evidence.intake import Rejected
from bordermonitor.evidence.signatures import extension_for
from bordermonitor.storage.access import Access, NotVisible, get_report
from bordermonitor.storage.editing import NotAllowed
from bordermonitor.storage.evidence import (
    FileProblem,
    PendingUpload,
    complete_upload,
    read_derivative,
    read_original,
    start_upload,
)
from bordermonitor.storage.models import Report
from bordermonitor.web.evidence.uploads import EvidenceUpload, EvidenceUploadHandler

PANEL = "bordermonitor/evidence/_panel.html"


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _message(exc: Rejected | FileProblem) -> str:
    """The refusal in the person's language: the sentence and its named parts are translated separately."""
    params = {k: gettext(v) if isinstance(v, str) else v for k, v in exc.params.items()}
    return capfirst(gettext(exc.template) % params)


def _back(request: HttpRequest, report: Report) -> str:
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = referer.split("#")[0]
    else:
        try:
            target = reverse("reports:detail", args=[report.pk])
        except NoReverseMatch:
            target = reverse("home")
    return f"{target}#evidence-panel-{report.pk}"


def _panel_response(request: HttpRequest, report: Report, status: int, **extra: Any) -> HttpResponse:
    context = {"report": report, "access": _access(request), **extra}
    if getattr(request, "htmx", False):
        return render(request, PANEL, context, status=status)
    context["back"] = _back(request, report)
    return render(request, "bordermonitor/evidence/upload_result.html", context, status=status)


@csrf_exempt  # the token is checked by ``_upload`` once the handler is set (the check reads the form)
@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    try:
        report = get_report(access, pk)
    except NotVisible:
        raise Http404 from None

    def start() -> PendingUpload | None:
        return start_upload(access=access, report=report) if access.can_edit(report) else None

    handler = EvidenceUploadHandler(request, start)
    request.upload_handlers = [handler]
    try:
        response: HttpResponse = _upload(request, report, handler)
    finally:
        handler.discard()
    return response


@csrf_protect
def _upload(request: HttpRequest, report: Report, handler: EvidenceUploadHandler) -> HttpResponse:
    access = _access(request)
    kind = request.POST.get("kind") or None
    description = (request.POST.get("description") or "").strip() or None
    typed = {"upload_kind": kind, "upload_description": description}
    if not access.can_edit(report):
        error = gettext("This report cannot be changed by you in its current state, so no file can be added.")
        return _panel_response(request, report, 403, upload_error=error, **typed)
    limit_mb = int(settings.BORDERMONITOR.max_upload_mb)
    if int(request.META.get("CONTENT_LENGTH") or 0) > (limit_mb + 1) * 1024 * 1024:
        error = gettext(
            "This file is larger than the limit of %(limit)d MB: not accepted. Shorten or split it"
        ) % {"limit": limit_mb}
        return _panel_response(request, report, 400, upload_error=error, **typed)
    if kind not in EVIDENCE_KINDS:
        return _panel_response(
            request, report, 400, kind_error=gettext("Choose what kind of evidence this is."), **typed
        )
    upload_file = request.FILES.get("file")
    if not isinstance(upload_file, EvidenceUpload):
        return _panel_response(
            request, report, 400, upload_error=gettext("Choose a file to upload."), **typed
        )
    if upload_file.refused is not None:
        return _panel_response(request, report, 400, upload_error=_message(upload_file.refused), **typed)
    if upload_file.pending is None:  # the handler had no upload to start: the person may not add files
        error = gettext("This report cannot be changed by you in its current state, so no file can be added.")
        return _panel_response(request, report, 403, upload_error=error, **typed)
    try:
        complete_upload(
            access=access,
            upload=upload_file.pending,
            kind=kind,
            description=description,
            user=request.user,  # type: ignore[arg-type]
        )
    except Rejected as exc:
        return _panel_response(request, report, 400, upload_error=_message(exc), **typed)
    except NotAllowed:
        error = gettext("This report cannot be changed by you in its current state, so no file can be added.")
        return _panel_response(request, report, 403, upload_error=error, **typed)
    if getattr(request, "htmx", False):
        return render(request, PANEL, {"report": report, "access": access, "upload_done": True})
    return HttpResponseRedirect(_back(request, report), status=303)


def _file_headers(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    return response


def file_problem_response(request: HttpRequest, problem: FileProblem) -> HttpResponse:
    """The page a file that cannot be served answers with (409): it failed its integrity check, its key is
    held offline, or it awaits encryption. Says which, in the person's language."""
    response = render(
        request,
        "bordermonitor/evidence/file_problem.html",
        {"message": _message(problem), "report": problem_report(problem)},
        status=409,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def problem_report(problem: FileProblem) -> Report | None:
    evidence = getattr(problem, "evidence", None)
    return evidence.report if evidence is not None else None


def _derivative(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    try:
        derivative, stream = read_derivative(_access(request), pk, role)
    except NotVisible:
        raise Http404 from None
    except FileProblem as problem:
        return file_problem_response(request, problem)
    name = f"{derivative.sha256[:16]}.{extension_for(derivative.media_type)}"
    response = FileResponse(stream, content_type=derivative.media_type, as_attachment=False, filename=name)
    return _file_headers(response)


@login_required
@require_GET
def working(request: HttpRequest, pk: int) -> HttpResponse:
    return _derivative(request, pk, "working")


@login_required
@require_GET
def thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    return _derivative(request, pk, "thumbnail")


@login_required
@require_GET
def original(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        evidence, stream = read_original(_access(request), pk)
    except NotVisible:
        raise Http404 from None
    except FileProblem as problem:
        return file_problem_response(request, problem)
    response = FileResponse(
        stream,
        content_type=evidence.media_type or "application/octet-stream",
        as_attachment=True,
        filename=f"{evidence.sha256[:16]}.{extension_for(evidence.media_type)}",
    )
    return _file_headers(response)

"""The public version page of a report: its reviewed public title and narrative, the names to keep out of
them, and the evidence files chosen for the open data.

Reviewers and admins of the report's organisation edit and approve; documenters of the organisation read it;
coordinators read it when the report is shared with the network, without anything that shows which words are
the names the record knows (those stay with the organisation); anyone else (analysts included) gets 404, as for
the record page. Showing the page is a view of the record's personal data and is audited as one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bordermonitor.core.anonymise import find_identifiers
from bordermonitor.evidence.signatures import extension_for
from bordermonitor.storage.access import Access, NotVisible
from bordermonitor.storage.audit import record as audit
from bordermonitor.storage.editing import NotAllowed
from bordermonitor.storage.evidence import FileProblem, derivative_for, evidence_for, open_derivative_file
from bordermonitor.storage.models import User
from bordermonitor.storage.publication import (
    IdentifiersLeft,
    NoPublicCopy,
    NothingToApprove,
    PublicVersion,
    approve_public_version,
    proposed_public_version,
    public_version_for,
    set_evidence_publication,
    set_known_names,
    withdraw_public_version,
)
from bordermonitor.web.publication import display
from bordermonitor.web.publication.forms import KnownNamesForm, PublicVersionForm
from bordermonitor.web.reports import labels

PAGE = "bordermonitor/publication/report.html"
EVIDENCE = "bordermonitor/publication/_evidence.html"


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _version(request: HttpRequest, pk: int) -> PublicVersion:
    try:
        return public_version_for(_access(request), pk)
    except NotVisible:
        raise Http404 from None


def _url(pk: int, anchor: str = "") -> str:
    return reverse("publication:report", args=[pk]) + (f"#{anchor}" if anchor else "")


def _highlighted(text: str | None, names: list[str]) -> list[display.Piece]:
    """``text`` with its identifiers marked: the known ``names`` (none for the network's view) and the kinds
    found without them (phones, e-mail addresses, document numbers, plates)."""
    spans = find_identifiers(text or "", known_names=names)
    return display.pieces(text, [span for span in spans if names or span.kind != "name"])


def _context(
    version: PublicVersion,
    *,
    form: PublicVersionForm | None = None,
    names_form: KnownNamesForm | None = None,
    error: str | None = None,
    evidence_error: tuple[int, str] | None = None,
) -> dict[str, Any]:
    report = version.report
    saved = report.public_title is not None or report.public_narrative is not None
    if version.shows_names:
        names = list(report.known_names or ())
        title, narrative = proposed_public_version(report)
        proposal = {"title": title.text, "narrative": narrative.text, "saved": saved}
        redacted = display.redaction_summary((*title.spans, *narrative.spans))
    else:
        # The network's view: the names stay with the organisation. Nothing on the page may point at them —
        # no highlight in the original, no count, and no automatic proposal, whose [name] placeholders set
        # against the original would show which words they are.
        names, proposal, redacted = [], {"title": None, "narrative": None, "saved": saved}, []
    if form is None:
        form = PublicVersionForm(initial={"title": proposal["title"], "narrative": proposal["narrative"]})
    if names_form is None:
        names_form = KnownNamesForm(initial={"names": names})
    return {
        "report": report,
        "version": version,
        "status_label": labels.STATUSES.get(report.status, report.status),
        "original_title": _highlighted(report.title, names),
        "original_narrative": _highlighted(report.narrative_text, names),
        "narrative_language": report.narrative_language,
        "redacted": redacted,
        "proposal": proposal,
        "missing": [display.MISSING[code] for code in version.missing],
        "form": form,
        "names_form": names_form,
        "names": names,
        "error": error,
        "evidence_error": evidence_error,
    }


def _page(request: HttpRequest, version: PublicVersion, *, status: int = 200, **extra: Any) -> HttpResponse:
    audit("view", version.report, details={"page": "public version"})
    return render(request, PAGE, _context(version, **extra), status=status)


def _refused() -> str:
    return _("Only reviewers of the report's organisation decide what of it is published.")


@login_required
@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _version(request, pk))


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the public texts as typed, unless an identifier is still in them: then nothing is saved and
    each field says what was found, with the typing kept."""
    version = _version(request, pk)
    form = PublicVersionForm(request.POST)
    if not version.can_decide:
        return _page(request, version, status=403, form=form, error=_refused())
    if not form.is_valid():
        return _page(request, version, status=400, form=form)
    try:
        approve_public_version(
            report=version.report,
            user=_user(request),
            title=form.cleaned_data["title"],
            narrative=form.cleaned_data["narrative"],
        )
    except IdentifiersLeft as left:
        for field, spans in left.found.items():
            form.add_error(field, display.found_message(spans))
        return _page(request, version, status=400, form=form)
    except NothingToApprove:
        error = _("Nothing to approve: write a public title or narrative first.")
        return _page(request, version, status=400, form=form, error=error)
    except NotAllowed:
        return _page(request, version, status=403, form=form, error=_refused())
    messages.success(request, _("The public version is approved."))
    return HttpResponseRedirect(_url(pk), status=303)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        withdraw_public_version(report=version.report, user=_user(request))
    except NotAllowed:
        return _page(request, version, status=403, error=_refused())
    messages.success(request, _("The approval is withdrawn: nothing of the title or narrative is published."))
    return HttpResponseRedirect(_url(pk), status=303)


@login_required
@require_POST
def names(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    names_form = KnownNamesForm(request.POST)
    if not version.can_decide or not version.shows_names:
        return _page(request, version, status=403, names_form=names_form, error=_refused())
    if not names_form.is_valid():
        return _page(request, version, status=400, names_form=names_form)
    approved = version.approved
    try:
        saved = set_known_names(
            report=version.report, user=_user(request), names=names_form.cleaned_data["names"]
        )
    except NotAllowed:
        return _page(request, version, status=403, names_form=names_form, error=_refused())
    if approved and saved.public_approved_at is None:
        messages.warning(
            request,
            _("Names saved. The approval was withdrawn: check the public version and approve it again."),
        )
    else:
        messages.success(request, _("Names saved."))
    return HttpResponseRedirect(_url(pk, "known-names"), status=303)


def _evidence_answer(
    request: HttpRequest, pk: int, *, status: int = 200, error: tuple[int, str] | None = None
) -> HttpResponse:
    """The evidence card alone for an HTMX request (swapped into the page), else the whole page or a redirect."""
    version = _version(request, pk)
    if getattr(request, "htmx", False):
        return render(request, EVIDENCE, _context(version, evidence_error=error), status=status)
    if error is not None:
        return _page(request, version, status=status, evidence_error=error)
    return HttpResponseRedirect(_url(pk, "public-evidence"), status=303)


@login_required
@require_POST
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a file's public copy for the open data, or stop choosing it (``publish`` = 1 or 0)."""
    try:
        item = evidence_for(_access(request), pk)
    except NotVisible:
        raise Http404 from None
    report_pk = item.report.pk
    try:
        set_evidence_publication(
            evidence=item, user=_user(request), publish=request.POST.get("publish") == "1"
        )
    except NotAllowed:
        return _evidence_answer(request, report_pk, status=403, error=(item.pk, _refused()))
    except NoPublicCopy:
        message = _(
            "This file has no copy with its metadata removed (videos, HEIC photos and office documents are not "
            "cleaned), so it cannot be published. Its original is never published."
        )
        return _evidence_answer(request, report_pk, status=400, error=(item.pk, message))
    return _evidence_answer(request, report_pk)


@login_required
@require_GET
def public_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """The public copy of a file, as the open data will carry it (audited as a view of the report)."""
    from bordermonitor.web.evidence.views import file_problem_response

    try:
        derivative = derivative_for(_access(request), pk, "public")
    except NotVisible:
        raise Http404 from None
    try:
        stream = open_derivative_file(derivative)
    except FileProblem as problem:
        return file_problem_response(request, problem)
    response = FileResponse(
        stream,
        content_type=derivative.media_type,
        as_attachment=False,
        filename=f"{derivative.sha256[:16]}.{extension_for(derivative.media_type)}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    return response

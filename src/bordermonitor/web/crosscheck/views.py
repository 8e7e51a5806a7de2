"""The cross-checking pages: the review queue of pairs of reports that may describe one incident, the pair page
(both reports field by field, the decision and its undoing, the merged incident with its disagreements), and
starting a cross-check in the background.

Who may act on which pair is decided by ``storage.linkage.queue``: an organisation's reviewers and admins act on
the pairs of its own reports, the network's coordinators on the pairs across organisations whose two reports
the network sees. A pair the person may not act on answers 404, whether or not it exists. Coordinators and site
administrators start cross-checks; anyone without a pair to act on or a cross-check to start gets 404. Showing
a pair (both reports' places, dates, groups, officers) is one ``view`` audit event of the pair, naming both reports.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bordermonitor.storage.access import Access, NotVisible, get_report
from bordermonitor.storage.audit import record as audit
from bordermonitor.storage.linkage import (
    AlreadyDecided,
    AlreadyLinked,
    NotDecided,
    UndoRefused,
    decide,
    get_candidate,
    queue,
    undo,
)
from bordermonitor.storage.linkage_pages import (
    changed_since_scored,
    linked_meanwhile,
    may_review_pairs,
    pairs_of_report,
    refusal_names_hidden_report,
)
from bordermonitor.storage.models import LinkCandidate
from bordermonitor.storage.stakeholders import stakeholder_names
from bordermonitor.web.crosscheck import jobs, labels
from bordermonitor.web.crosscheck.display import field_rows, incident_panel, pair_row, side
from bordermonitor.web.crosscheck.forms import DecisionForm, QueueFilter, RunForm

QUEUE = "bordermonitor/crosscheck/queue.html"
PAIR = "bordermonitor/crosscheck/pair.html"
PROGRESS = "bordermonitor/crosscheck/_progress.html"
PAGE_SIZE = 25

_RECORDED = {
    "same_incident": gettext_lazy("Recorded: the same incident. The two incidents are now one; check where "
                                  "their reports disagree below."),
    "related": gettext_lazy("Recorded: related but different incidents. They stay two incidents."),
    "not_related": gettext_lazy("Recorded: not related."),
}  # fmt: skip


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _may_run(request: HttpRequest) -> bool:
    return _access(request).is_coordinator or bool(getattr(request.user, "is_superuser", False))


def _allowed(request: HttpRequest) -> None:
    if not (may_review_pairs(_access(request)) or _may_run(request)):
        raise Http404


class _LinkedMeanwhile(Exception):
    def __init__(self, candidate: LinkCandidate) -> None:
        self.candidate = candidate


def _candidate(request: HttpRequest, pk: int) -> LinkCandidate:
    """The pair ``pk`` if the person may act on it; :class:`_LinkedMeanwhile` if they could but its reports
    were linked into one incident through others meanwhile; else 404."""
    try:
        return get_candidate(_access(request), pk)
    except NotVisible:
        linked = linked_meanwhile(_access(request), pk)
        if linked is None:
            raise Http404 from None
        raise _LinkedMeanwhile(linked) from None


def _as_now(request: HttpRequest, candidate: LinkCandidate) -> LinkCandidate:
    """The pair as stored now, to show with a refusal: it may have left the queue meanwhile (its two reports
    linked into one incident through others), and the person acted on it a moment ago."""
    try:
        return get_candidate(_access(request), candidate.pk)
    except NotVisible:  # left the queue: its reports were linked into one incident through others
        candidate.refresh_from_db(
            fields=["status", "decided_by", "decided_at", "note", "automatic", "updated_at"]
        )
        return candidate


# The queue --------------------------------------------------------------------------------------------------


def _queue_page(
    request: HttpRequest, *, run_form: RunForm | None = None, notice: str | None = None, status: int = 200
) -> HttpResponse:
    access = _access(request)
    language = request.LANGUAGE_CODE
    query = request.GET if request.method == "GET" else QueryDict()
    filter_form = QueueFilter(query)
    chosen, statuses = filter_form.statuses()
    report = None
    report_id = filter_form.cleaned_data.get("report")  # validated on its own: a wrong status is not fatal
    if report_id is not None:
        try:
            report = get_report(access, report_id)
        except NotVisible:
            raise Http404 from None
        pairs = pairs_of_report(access, report.pk, statuses=statuses)
    else:
        pairs = queue(access, statuses=statuses)
    page = Paginator(pairs, PAGE_SIZE).get_page(query.get("page"))
    stakeholders = stakeholder_names()
    kept = QueryDict(mutable=True)
    kept.update({"status": chosen, **({"report": str(report.pk)} if report else {})})
    context: dict[str, Any] = {
        "filter_form": filter_form,
        "chosen": chosen,
        "chosen_label": labels.STATUS_FILTERS[chosen][0],
        "report": report,
        "page": page,
        "rows": [pair_row(access, candidate, language, stakeholders) for candidate in page.object_list],
        "kept_query": kept.urlencode(),
        "may_review": may_review_pairs(access),
        "may_run": _may_run(request),
        "notice": notice,
    }
    if context["may_run"]:
        context |= {"run_form": run_form or RunForm(), "job": jobs.current()}
    return render(request, QUEUE, context, status=status)


@login_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """The pairs the person may act on, best score first, filtered by status (and by report)."""
    _allowed(request)
    return _queue_page(request)


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """Start a cross-check in the background (coordinators and site administrators)."""
    if not _may_run(request):
        raise Http404
    form = RunForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, run_form=form, status=400)
    try:
        jobs.start(user_id=request.user.pk, since=form.since_day())
    except jobs.AlreadyRunning:
        notice = _("A cross-check is running already: follow it below; start another once it has finished.")
        return _queue_page(request, run_form=form, notice=notice, status=409)
    return HttpResponseRedirect(f"{reverse('crosscheck:queue')}#crosscheck-progress", status=303)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """The steps of the running cross-check (or the last one); polled every second while it runs."""
    if not _may_run(request):
        raise Http404
    return render(request, PROGRESS, {"job": jobs.current()})


# One pair ---------------------------------------------------------------------------------------------------


def _pair_page(
    request: HttpRequest,
    candidate: LinkCandidate,
    *,
    form: DecisionForm | None = None,
    error: str | None = None,
    linked: bool = False,
    status: int = 200,
) -> HttpResponse:
    access = _access(request)
    language = request.LANGUAGE_CODE
    owners = {candidate.report_a.organisation.code, candidate.report_b.organisation.code}
    audit(
        "view",
        candidate,
        organisation=owners.pop() if len(owners) == 1 else None,
        details={"reports": [candidate.report_a_id, candidate.report_b_id]},
    )
    stakeholders = stakeholder_names()
    explanation = candidate.agreements or {}
    rows = field_rows(candidate, language, stakeholders)
    context: dict[str, Any] = {
        "candidate": candidate,
        "a": side(access, candidate.report_a, language),
        "b": side(access, candidate.report_b, language),
        "score": labels.percent(candidate.score),
        "decision": labels.DECISIONS.get(candidate.status, candidate.status),
        "rows": rows,
        "weights": labels.signed(sum(row.weight for row in rows)),
        "prior": labels.percent(explanation["prior"]) if explanation.get("prior") is not None else None,
        "prior_class": labels.PRIOR_CLASSES.get(explanation.get("prior_class") or ""),
        "neighbours": labels.count(explanation["neighbours"]) if explanation.get("neighbours") else None,
        "stale": candidate.status == "proposed" and changed_since_scored(candidate),
        "decided_by_you": candidate.decided_by_id is not None and candidate.decided_by_id == request.user.pk,
        "form": form or DecisionForm(),
        "error": error,
        "linked": linked,
    }
    if candidate.status == "same_incident" or linked:
        context["merged"] = incident_panel(access, candidate.report_a.incident_id, language, stakeholders)
    return render(request, PAIR, context, status=status)


@login_required
@require_GET
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return _pair_page(request, _candidate(request, pk))
    except _LinkedMeanwhile as meanwhile:
        return _pair_page(request, meanwhile.candidate, linked=True)


@login_required
@require_POST
def decide_pair(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision on a pair waiting for one; a pair decided meanwhile is answered with what was decided."""
    try:
        candidate = _candidate(request, pk)
    except _LinkedMeanwhile as meanwhile:
        return _pair_page(request, meanwhile.candidate, linked=True, status=409)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, candidate, form=form, status=400)
    decision = form.cleaned_data["decision"]
    try:
        decide(candidate, decision, user=request.user, note=form.cleaned_data["note"] or None)
    except (AlreadyDecided, AlreadyLinked) as refused:
        return _pair_page(request, _as_now(request, candidate), form=form, error=str(refused), status=409)
    messages.success(request, str(_RECORDED[decision]))
    anchor = "#incident" if decision == "same_incident" else "#decision"
    return HttpResponseRedirect(reverse("crosscheck:pair", args=[candidate.pk]) + anchor, status=303)


@login_required
@require_POST
def undo_pair(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a decision back: the pair waits for a decision again (and merged incidents come apart)."""
    try:
        candidate = _candidate(request, pk)
    except _LinkedMeanwhile as meanwhile:
        return _pair_page(request, meanwhile.candidate, linked=True, status=409)
    merged = candidate.status == "same_incident"
    try:
        undo(candidate, user=request.user)
    except NotDecided as refused:
        return _pair_page(request, _as_now(request, candidate), error=str(refused), status=409)
    except UndoRefused as refused:
        message = str(refused)
        if refusal_names_hidden_report(_access(request), candidate, message):
            message = _(
                "This link cannot be undone exactly any more: the incidents changed since, through reports "
                "you cannot see. Ask a coordinator or the organisations concerned."
            )
        error = _("The decision was not undone. %(reason)s") % {"reason": message}
        return _pair_page(request, _as_now(request, candidate), error=error, status=409)
    if merged:
        messages.success(request, _("Undone: the two incidents are separate again, each with its reports."))
    else:
        messages.success(request, _("Undone: the pair waits for a decision again."))
    return HttpResponseRedirect(reverse("crosscheck:pair", args=[candidate.pk]) + "#decision", status=303)

"""The Reports page of the network's coordinators: make a monthly or annual report (period, language, format,
organisation, notable cases) in the background, follow its steps, and download the reports made.

Only coordinators and site administrators see the page and the files; anyone else gets 404. A report counts the
whole network's records, as ``bordermonitor report`` does (``docs/reports.md``). Making a report and each
download are written to the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bordermonitor.reporting import Period
from bordermonitor.reporting.files import GeneratedFile, NoSuchReport, find, listing, reports_dir
from bordermonitor.storage.access import Access
from bordermonitor.storage.reporting import (
    PublicCase,
    notable_candidates,
    organisations,
    record_report_file,
)
from bordermonitor.web.reporting import jobs
from bordermonitor.web.reporting.forms import ReportForm, default_period

PAGE = "bordermonitor/reporting/page.html"
_KEPT = ("kind", "month", "year", "language", "format", "organisation", "cases")  # shown again after starting
PROGRESS = "bordermonitor/reporting/_progress.html"
CASES = "bordermonitor/reporting/_cases.html"


def _allowed(request: HttpRequest) -> None:
    access: Access = request.access  # type: ignore[attr-defined]
    if not (access.is_coordinator or getattr(request.user, "is_superuser", False)):
        raise Http404


def _directory() -> Path:
    return reports_dir(settings.BORDERMONITOR.data_dir)


def _asked_period(data: QueryDict) -> Period | None:
    kind = data.get("kind")
    text = data.get("month") if kind == "monthly" else data.get("year")
    try:
        return Period.parse(kind, text or "") if kind in ("monthly", "annual") else None  # type: ignore[arg-type]
    except ValueError:
        return None


def _candidates(data: QueryDict) -> tuple[Period | None, list[PublicCase]]:
    """The notable cases that may be chosen for the period (and organisation) in ``data``."""
    period = _asked_period(data)
    if period is None:
        return None, []
    organisation = data.get("organisation") or None
    return period, notable_candidates(date_from=period.start, date_to=period.end, organisation=organisation)


def _form(data: QueryDict | None) -> tuple[ReportForm, Period | None, list[PublicCase]]:
    if data is None or "kind" not in data:
        month, year = default_period(timezone.localdate())
        data = QueryDict(mutable=True)
        data.update({"kind": "monthly", "month": month, "year": year, "language": "en", "format": "pdf"})
        bound = False
    else:
        bound = True
    period, candidates = _candidates(data)
    form = ReportForm(data if bound else None, organisations=organisations(), candidates=candidates,
                      initial=None if bound else data.dict())  # fmt: skip
    return form, period, candidates


def file_url(made: GeneratedFile) -> str:
    return reverse(f"reporting:download_{made.format}", args=[made.name.rsplit(".", 1)[0]])


def _progress(job: jobs.Job | None) -> dict[str, Any]:
    return {"job": job, "job_file_url": file_url(job.file) if job and job.file else None}


def _page(request: HttpRequest, form: ReportForm, period: Period | None, candidates: list[PublicCase],
          *, status: int = 200, notice: str | None = None) -> HttpResponse:  # fmt: skip
    context = {
        "form": form,
        "period": period,
        "candidates": candidates,
        "chosen": set(form["cases"].value() or ()),
        "files": [(made, file_url(made)) for made in listing(_directory())],
        "notice": notice,
        **_progress(jobs.current()),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """The form (filled from the query when "Show the cases of this period" was pressed), the job, the files."""
    _allowed(request)
    form, period, candidates = _form(request.GET if "kind" in request.GET else None)
    if form.is_bound:
        form.is_valid()  # show what is wrong with the period, if anything, next to its field
    return _page(request, form, period, candidates)


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    """The notable cases of the period in the query: swapped into the form when the period changes."""
    _allowed(request)
    period, candidates = _candidates(request.GET)
    chosen = set(request.GET.getlist("cases"))
    return render(request, CASES, {"period": period, "candidates": candidates, "chosen": chosen})


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start making the report asked for, unless the form is wrong or a report is being made."""
    _allowed(request)
    form, period, candidates = _form(request.POST)
    if not form.is_valid():
        return _page(request, form, period, candidates, status=400)
    try:
        jobs.start(
            user_id=request.user.pk,
            # coordinators count what the network shares; a site administrator counts every organisation
            request=form.request(shared_only=not request.user.is_superuser),
            directory=_directory(),
            policy=settings.BORDERMONITOR_PUBLICATION_POLICY,
        )
    except jobs.AlreadyRunning:
        notice = _("A report is being made already: follow it below, then start yours.")
        return _page(request, form, period, candidates, status=409, notice=notice)
    asked = urlencode([(name, value) for name in _KEPT for value in request.POST.getlist(name)])
    return HttpResponseRedirect(f"{reverse('reporting:page')}?{asked}#report-progress", status=303)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """The steps of the report being made (or the last one); polled every second while it runs."""
    _allowed(request)
    return render(request, PROGRESS, _progress(jobs.current()))


@login_required
@require_GET
def download(request: HttpRequest, stem: str, fmt: str) -> FileResponse:
    """A report made here, as an attachment; the download is audited."""
    _allowed(request)
    try:
        made, path = find(_directory(), f"{stem}.{fmt}")
    except NoSuchReport:
        raise Http404 from None
    record_report_file("download", made.name, organisation=made.organisation, details={"format": made.format})
    response = FileResponse(
        path.open("rb"), content_type=made.media_type, as_attachment=True, filename=made.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response

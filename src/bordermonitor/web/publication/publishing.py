"""The Publish page of the network's coordinators: the release served now, what the next one would hold (the
pipeline's dry run), and the button that publishes it in the background with its progress.

Only coordinators and site administrators see it; anyone else gets 404. The figures are counts over the whole
network; a refusal lists the records at fault (organisation, reference, field, reason), which the pipeline
states without personal data.

Publishing needs the figures the person saw: the form carries a digest of what the dry run would publish, and
when that changed since the page was shown (a report approved meanwhile), nothing starts and the page shows the
new figures to decide on. What is left out is not in the digest: drafts saved elsewhere in the network do not
stop a publication. The dry run is kept briefly between displays (``dry_run``).

The dry run does not scan the files of a release for names known to any record or to staff: that last check
needs the files, and only a publication writes them. The page says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bordermonitor.publish.release import Plan, Problem, current_release
from bordermonitor.storage.access import Access
from bordermonitor.web.publication import display, jobs
from bordermonitor.web.publication.dry_run import current_plan, digest

PAGE = "bordermonitor/publication/release.html"
PROGRESS = "bordermonitor/publication/_progress.html"


def _allowed(request: HttpRequest) -> None:
    access: Access = request.access  # type: ignore[attr-defined]
    if not (access.is_coordinator or getattr(request.user, "is_superuser", False)):
        raise Http404


def _problems(problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
    return [
        {
            "problem": problem,
            "url": reverse("publication:report", args=[problem.report_id]) if problem.report_id else None,
        }
        for problem in problems
    ]


def _progress(job: jobs.Job | None) -> dict[str, Any]:
    return {
        "job": job,
        "job_release": (
            display.figures(job.release.counts, display.COUNT_LABELS) if job and job.release else []
        ),
        "job_problems": _problems(job.problems) if job else [],
    }


def _when(iso: str) -> dt.datetime | None:
    """A release's time, for the template to write in the reader's language (None: shown as written)."""
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        return None


def _page(
    request: HttpRequest, *, status: int = 200, notice: str | None = None, dry_run: Plan | None = None
) -> HttpResponse:
    release = current_release(settings.BORDERMONITOR_RELEASE_DIR)
    dry_run = current_plan() if dry_run is None else dry_run
    context = {
        "release": release,
        "release_at": _when(release.published_at) if release else None,
        "release_counts": display.figures(release.counts, display.COUNT_LABELS) if release else [],
        "release_withheld": display.figures(release.withheld, display.WITHHELD_LABELS) if release else [],
        "public_url": getattr(settings, "BORDERMONITOR_PUBLIC_URL", None),
        "plan": dry_run,
        "plan_counts": display.figures(dry_run.counts, display.COUNT_LABELS),
        "plan_withheld": display.figures(dry_run.withheld, display.WITHHELD_LABELS),
        "plan_problems": _problems(dry_run.problems),
        "digest": digest(dry_run),
        "notice": notice,
        **_progress(jobs.current()),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def release_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    return _page(request)


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """Start the publication seen on the page, if it is still what would be published and none is running."""
    _allowed(request)
    dry_run = current_plan()  # fresh, or the one kept if nothing it depends on changed since
    if request.POST.get("plan") != digest(dry_run):
        notice = _(
            "What would be published changed since the page was shown. Nothing was started: check the new "
            "figures, then publish again."
        )
        return _page(request, status=409, notice=notice, dry_run=dry_run)
    try:
        jobs.start(
            user_id=request.user.pk,
            out=settings.BORDERMONITOR_RELEASE_DIR,
            policy=settings.BORDERMONITOR_PUBLICATION_POLICY,
        )
    except jobs.AlreadyRunning:
        notice = _("A publication is running already: follow it below.")
        return _page(request, status=409, notice=notice, dry_run=dry_run)
    return HttpResponseRedirect(reverse("publication:release") + "#publication-progress", status=303)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """The progress of the running (or last) publication; polled every second while it runs."""
    _allowed(request)
    return render(request, PROGRESS, _progress(jobs.current()))

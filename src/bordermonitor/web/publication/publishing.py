"""The Publish page of the network's coordinators: the release served now, what the next one would hold (the
pipeline's dry run), and the button that publishes it in the background with its progress.

Only coordinators and site administrators see it; anyone else gets 404. The figures are counts over the whole
network; a refusal lists the records at fault (organisation, reference, field, reason), which the pipeline
states without personal data.

Publishing needs the figures the person saw: the form carries a digest of the dry run, and when what would
be published changed since the page was shown (a report approved meanwhile), nothing starts and the page
shows the new figures to decide on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scopes_disabled

from bordermonitor.publish.release import Plan, Problem, current_release, plan
from bordermonitor.storage.access import Access
from bordermonitor.web.publication import display, jobs

PAGE = "bordermonitor/publication/release.html"
PROGRESS = "bordermonitor/publication/_progress.html"


def _allowed(request: HttpRequest) -> None:
    access: Access = request.access  # type: ignore[attr-defined]
    if not (access.is_coordinator or getattr(request.user, "is_superuser", False)):
        raise Http404


def _plan() -> Plan:
    with scopes_disabled():  # counts over the network, whatever the person's own organisations
        return plan(policy=settings.BORDERMONITOR_PUBLICATION_POLICY)


def digest(dry_run: Plan) -> str:
    """A short fingerprint of a dry run: what the person confirms by pressing Publish."""
    data = {
        "counts": dry_run.counts,
        "withheld": dry_run.withheld,
        "problems": [asdict(p) for p in dry_run.problems],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]


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


def _page(request: HttpRequest, *, status: int = 200, notice: str | None = None) -> HttpResponse:
    release = current_release(settings.BORDERMONITOR_RELEASE_DIR)
    dry_run = _plan()
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
    if request.POST.get("plan") != digest(_plan()):
        notice = _(
            "What would be published changed since the page was shown. Nothing was started: check the new "
            "figures, then publish again."
        )
        return _page(request, status=409, notice=notice)
    try:
        jobs.start(
            user_id=request.user.pk,
            out=settings.BORDERMONITOR_RELEASE_DIR,
            policy=settings.BORDERMONITOR_PUBLICATION_POLICY,
        )
    except jobs.AlreadyRunning:
        return _page(request, status=409, notice=_("A publication is running already: follow it below."))
    return HttpResponseRedirect(reverse("publication:release") + "#publication-progress", status=303)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """The progress of the running (or last) publication; polled every second while it runs."""
    _allowed(request)
    return render(request, PROGRESS, _progress(jobs.current()))

"""A report made from the Reports page: a job of :mod:`bordermonitor.jobs` (one report at a time, in a background
thread of this process), its steps shown on the page, its file kept under ``<data dir>/reports/``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.policy import PublicationPolicy
from bordermonitor.jobs import AlreadyRunning, Failed, Finished, Progress, Runner
from bordermonitor.jobs import Job as _Job
from bordermonitor.reporting import ReportRequest, build
from bordermonitor.reporting.files import GeneratedFile, save
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.reporting import NotNotable, record_report_file

__all__ = ["AlreadyRunning", "Job", "current", "start", "wait"]


@dataclass(slots=True)
class Job(_Job):
    """A report being made: ``done`` with its file, or ``failed``."""

    asked: dict[str, Any] = field(default_factory=dict)  # ReportRequest.describe()
    file: GeneratedFile | None = None


_runner: Runner[Job] = Runner("report", Job)


def current() -> Job | None:
    """A copy of the last report job started in this process (None: none since it started)."""
    return _runner.current()


def _work(
    progress: Progress, *, request: ReportRequest, actor: str, directory: Path, policy: PublicationPolicy
) -> Finished:
    with scopes_disabled(), acting_as(actor):  # the network's report: every organisation's counted records
        try:
            content = build(request, policy=policy, progress=progress.say)
        except NotNotable as refused:  # names the case (organisation:ref) and why: no personal data
            raise Failed(str(refused)) from None
        made = save(directory, request, content, made_at=timezone.now())
        record_report_file("create", made.name, organisation=request.organisation, details=request.describe())
    return Finished("done", {"file": made})


def start(*, user_id: int | None, request: ReportRequest, directory: Path, policy: PublicationPolicy) -> Job:
    """Start making ``request``'s report into ``directory``; :class:`AlreadyRunning` if one is being made."""
    actor = f"user:{user_id}" if user_id is not None else "system"
    return _runner.start(
        lambda progress: _work(progress, request=request, actor=actor, directory=directory, policy=policy),
        user_id=user_id,
        asked=request.describe(),
    )


def wait(timeout: float | None = None) -> Job | None:
    """Wait for the report being made (or ``timeout`` seconds); the job as it then is."""
    return _runner.wait(timeout)

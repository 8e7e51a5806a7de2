"""The publication started from the Publish page: one at a time, in a background thread of this process, with
its progress lines kept for the page to poll.

Background work runs in-process by default (docs/architecture.md): the page must answer at once while a
release of tens of thousands of incidents is built. The job lives in this process's memory, so a deployment
serving the staff pages from several processes sees the job only in the process that started it; the
pipeline itself builds a release aside and switches it on atomically, so two publications can never mix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.db import connections
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.publish.release import Problem, PublicationRefused, Release, publish
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.publication import withdraw_stale_approvals

__all__ = ["AlreadyRunning", "Job", "current", "start", "wait"]

log = logging.getLogger(__name__)
State = Literal["running", "published", "refused", "failed"]


class AlreadyRunning(RuntimeError):
    """A publication is running; a second one is not started."""


@dataclass(slots=True)
class Job:
    number: int
    started_by: int | None
    started_at: dt.datetime
    state: State = "running"
    lines: list[str] = field(default_factory=list)
    withdrawn: int = 0  # approvals withdrawn before publishing because their texts changed
    release: Release | None = None
    problems: tuple[Problem, ...] = ()
    error: str | None = None
    finished_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"


_guard = threading.Lock()
_job: Job | None = None
_thread: threading.Thread | None = None


def current() -> Job | None:
    """A copy of the last job started in this process (None: none since it started)."""
    with _guard:
        return None if _job is None else dataclasses.replace(_job, lines=list(_job.lines))


def _say(job: Job, line: str) -> None:
    with _guard:
        job.lines.append(line)


def _finish(job: Job, state: State, **result: object) -> None:
    with _guard:
        for name, value in result.items():
            setattr(job, name, value)
        job.state, job.finished_at = state, timezone.now()


def _run(job: Job, *, out: Path, policy: PublicationPolicy) -> None:
    actor = f"user:{job.started_by}" if job.started_by is not None else "system"
    try:
        with scopes_disabled():  # the release is the network's: every organisation's shared records
            with acting_as("system"):  # the system withdraws them, not the person who pressed the button
                withdrawn = withdraw_stale_approvals()
            with _guard:
                job.withdrawn = withdrawn
            with acting_as(actor):
                release = publish(out=out, policy=policy, actor=actor, progress=lambda line: _say(job, line))
        _finish(job, "published", release=release)
    except PublicationRefused as refused:
        _finish(job, "refused", problems=refused.problems)
    except ValueError as error:  # a configuration problem (the release directory), said in plain words
        _finish(job, "failed", error=str(error))
    except Exception as error:  # the type only: a message may quote a record
        log.error("publication %d failed: %s", job.number, type(error).__name__)
        _finish(job, "failed", error=type(error).__name__)
    finally:
        connections.close_all()  # this thread's own database connections


def start(*, user_id: int | None, out: Path, policy: PublicationPolicy) -> Job:
    """Start publishing to ``out`` in a background thread; :class:`AlreadyRunning` if one runs already."""
    global _job, _thread
    with _guard:
        if _job is not None and _job.running:
            raise AlreadyRunning("a publication is running; wait until it ends")
        job = Job(number=(_job.number + 1 if _job else 1), started_by=user_id, started_at=timezone.now())
        _job = job
        _thread = threading.Thread(
            target=_run, args=(job,), kwargs={"out": out, "policy": policy}, name="publication", daemon=True
        )
        _thread.start()
    return dataclasses.replace(job, lines=[])


def wait(timeout: float | None = None) -> Job | None:
    """Wait for the running publication to end (or ``timeout`` seconds); the job as it then is."""
    thread = _thread
    if thread is not None:
        thread.join(timeout)
    return current()

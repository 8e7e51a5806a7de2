"""The publication started from the Publish page: a job of :mod:`bordermonitor.jobs` (one at a time, in a
background thread of this process, with its progress lines kept for the page to poll).

The page must answer at once while a release of tens of thousands of incidents is built. The pipeline builds
a release aside and switches it on atomically, so two publications can never mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.jobs import AlreadyRunning, Failed, Finished, Progress, Runner
from bordermonitor.jobs import Job as _Job
from bordermonitor.publish.release import Problem, PublicationRefused, Release, publish
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.publication import withdraw_stale_approvals

__all__ = ["AlreadyRunning", "Job", "current", "start", "wait"]


@dataclass(slots=True)
class Job(_Job):
    """A publication: ``published`` (with its release), ``refused`` (with the records at fault) or ``failed``."""

    withdrawn: int = 0  # approvals withdrawn before publishing because their texts changed
    release: Release | None = None
    problems: tuple[Problem, ...] = ()


_runner: Runner[Job] = Runner("publication", Job, done="published")


def current() -> Job | None:
    """A copy of the last publication started in this process (None: none since it started)."""
    return _runner.current()


def _work(progress: Progress, *, actor: str, out: Path, policy: PublicationPolicy) -> Finished:
    try:
        with scopes_disabled():  # the release is the network's: every organisation's shared records
            with acting_as("system"):  # the system withdraws them, not the person who pressed the button
                progress.set(withdrawn=withdraw_stale_approvals())
            with acting_as(actor):
                release = publish(out=out, policy=policy, actor=actor, progress=progress.say)
    except PublicationRefused as refused:
        return Finished("refused", {"problems": refused.problems})
    except ValueError as error:  # a configuration problem (the release directory), said in plain words
        raise Failed(str(error)) from None
    return Finished("published", {"release": release})


def start(*, user_id: int | None, out: Path, policy: PublicationPolicy) -> Job:
    """Start publishing to ``out`` in a background thread; :class:`AlreadyRunning` if one runs already."""
    actor = f"user:{user_id}" if user_id is not None else "system"
    try:
        return _runner.start(
            lambda progress: _work(progress, actor=actor, out=out, policy=policy), user_id=user_id
        )
    except AlreadyRunning:
        raise AlreadyRunning("a publication is running; wait until it ends") from None


def wait(timeout: float | None = None) -> Job | None:
    """Wait for the running publication to end (or ``timeout`` seconds); the job as it then is."""
    return _runner.wait(timeout)

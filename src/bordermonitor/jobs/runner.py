"""A small in-process job runner: long work started from a page answers at once and runs in a background
thread, while the page polls the job's progress lines.

Background work runs in-process by default (docs/architecture.md). Each :class:`Runner` is one kind of job
(the publication, the reports) and runs one job of its kind at a time: starting a second one while the first
runs raises :class:`AlreadyRunning`. The job lives in this process's memory, so a deployment serving the staff
pages from several processes sees a job only in the process that started it.

A job ends in a state its work chooses: the runner's ``done`` state with the work's return value as result, a
state of the work's own (return :class:`Finished`), or ``failed``. A failure is told by the exception's type
only — an exception's message may quote a record — unless the work raises :class:`Failed`, whose message the
program wrote for people to read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import connections
from django.utils import timezone

__all__ = ["AlreadyRunning", "Failed", "Finished", "Job", "Progress", "Runner"]

log = logging.getLogger(__name__)

RUNNING = "running"
FAILED = "failed"


class AlreadyRunning(RuntimeError):
    """A job of this kind is running; a second one is not started."""


class Failed(Exception):
    """Raised by a job's work to fail with a message written for people (it quotes no record)."""


@dataclass(frozen=True, slots=True)
class Finished:
    """Returned by a job's work to end in ``state`` (e.g. ``refused``) and set the job's ``fields``."""

    state: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Job:
    """One run of a kind of work. Kinds that keep more about a run subclass it with fields of their own."""

    number: int
    started_by: int | None
    started_at: dt.datetime
    state: str = RUNNING
    lines: list[str] = field(default_factory=list)
    result: Any = None
    error: str | None = None
    finished_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        return self.state == RUNNING


J = TypeVar("J", bound=Job)


class Progress:
    """What a job's work is given to tell the page where it is."""

    def __init__(self, runner: Runner[Any], job: Job) -> None:
        self._runner, self._job = runner, job

    def say(self, line: str) -> None:
        """Add a progress line (the page shows them in order)."""
        with self._runner._guard:
            self._job.lines.append(line)

    def set(self, **fields: Any) -> None:
        """Set fields of the job while it runs (e.g. what was done before the main step)."""
        with self._runner._guard:
            for name, value in fields.items():
                setattr(self._job, name, value)


class Runner(Generic[J]):
    """Runs jobs of one kind, one at a time, each in a background thread of this process."""

    def __init__(self, kind: str, job_type: type[J], *, done: str = "done") -> None:
        self.kind, self.job_type, self.done = kind, job_type, done
        self._guard = threading.Lock()
        self._job: J | None = None
        self._thread: threading.Thread | None = None

    def current(self) -> J | None:
        """A copy of the last job started in this process (None: none since it started)."""
        with self._guard:
            return None if self._job is None else dataclasses.replace(self._job, lines=list(self._job.lines))

    def start(self, work: Callable[[Progress], Any], *, user_id: int | None, **fields: Any) -> J:
        """Run ``work(progress)`` in a background thread; :class:`AlreadyRunning` if a job of this kind runs.

        ``fields`` are set on the new job (what it was asked to do, for the page to show)."""
        with self._guard:
            if self._job is not None and self._job.running:
                raise AlreadyRunning(f"a job of kind {self.kind!r} is running; wait until it ends")
            number = self._job.number + 1 if self._job is not None else 1
            job = self.job_type(number=number, started_by=user_id, started_at=timezone.now(), **fields)
            self._job = job
            self._thread = threading.Thread(
                target=self._run, args=(job, work), name=f"job-{self.kind}-{number}", daemon=True
            )
            self._thread.start()
            return dataclasses.replace(job, lines=[])

    def wait(self, timeout: float | None = None) -> J | None:
        """Wait for the running job to end (or ``timeout`` seconds); the job as it then is."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.current()

    def _finish(self, job: J, state: str, **result: Any) -> None:
        with self._guard:
            for name, value in result.items():
                setattr(job, name, value)
            job.state, job.finished_at = state, timezone.now()

    def _run(self, job: J, work: Callable[[Progress], Any]) -> None:
        try:
            outcome = work(Progress(self, job))
            if isinstance(outcome, Finished):
                self._finish(job, outcome.state, **outcome.fields)
            else:
                self._finish(job, self.done, result=outcome)
        except Failed as failed:
            self._finish(job, FAILED, error=str(failed))
        except Exception as error:  # the type only: a message may quote a record
            log.error("%s job %d failed: %s", self.kind, job.number, type(error).__name__)
            self._finish(job, FAILED, error=type(error).__name__)
        finally:
            connections.close_all()  # this thread's own database connections

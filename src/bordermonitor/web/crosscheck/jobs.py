"""A cross-check started from the review queue: a job of :mod:`bordermonitor.jobs` (one at a time, in a
background thread of this process) running ``storage.linkage.crosscheck`` across the network, as
``bordermonitor crosscheck`` does, its steps kept for the page to poll.

Steps are kept as numbers and put into words when the page is shown, in the reader's language. The result's
list of reports that could not be read is kept as a count only: its messages name reports, and the page is
shown to coordinators, who may not see every organisation's reports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext
from django_scopes import scopes_disabled

from bordermonitor.jobs import AlreadyRunning, Finished, Progress, Runner
from bordermonitor.jobs import Job as _Job
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.linkage import CrosscheckResult, crosscheck

__all__ = ["AlreadyRunning", "Job", "Step", "current", "start", "wait"]

_READ = re.compile(r"^read (\d+) reports$")
_SCORED = re.compile(r"^scored (\d+) pairs, (\d+) proposed$")
_LINKED = re.compile(r"^linked (\d+) pairs without review$")


@dataclass(frozen=True, slots=True)
class Step:
    """A progress line of ``crosscheck``: what it says, as numbers (``kind`` ``line`` keeps a line as told)."""

    kind: str
    numbers: tuple[int, ...] = ()
    line: str = ""

    @classmethod
    def of(cls, line: str) -> Step:
        for kind, pattern in (("read", _READ), ("scored", _SCORED), ("linked", _LINKED)):
            found = pattern.match(line)
            if found:
                return cls(kind, tuple(int(n) for n in found.groups()))
        return cls("line", line=line)

    @property
    def text(self) -> str:
        """The step in the reader's language."""
        if self.kind == "read":
            (n,) = self.numbers
            return ngettext("Read %(n)s report.", "Read %(n)s reports.", n) % {"n": n}
        if self.kind == "scored":
            pairs, proposed = self.numbers
            return ngettext(
                "Scored %(pairs)s pair so far; %(proposed)s proposed.",
                "Scored %(pairs)s pairs so far; %(proposed)s proposed.",
                pairs,
            ) % {"pairs": pairs, "proposed": proposed}
        if self.kind == "linked":
            (n,) = self.numbers
            return ngettext("Linked %(n)s pair without review.", "Linked %(n)s pairs without review.", n) % {
                "n": n
            }
        return self.line


@dataclass(frozen=True, slots=True)
class Summary:
    """What a finished cross-check did (``CrosscheckResult`` without the messages naming reports)."""

    reports: int
    pairs: int
    proposed: int
    new: int
    updated: int
    decided: int
    withdrawn: int
    linked: int
    skipped: int
    model: str

    @classmethod
    def of(cls, result: CrosscheckResult) -> Summary:
        return cls(
            reports=result.reports,
            pairs=result.pairs,
            proposed=result.proposed,
            new=result.new,
            updated=result.updated,
            decided=result.decided,
            withdrawn=result.withdrawn,
            linked=result.linked,
            skipped=len(result.skipped),
            model=result.model,
        )


@dataclass(slots=True)
class Job(_Job):
    """A cross-check: ``done`` with its summary, or ``failed``."""

    since: dt.date | None = None
    steps: tuple[Step, ...] = ()
    summary: Summary | None = field(default=None)

    @property
    def failure(self) -> str:
        return gettext(
            "The cross-check stopped with an error (%(error)s). The pairs stored before it are kept: run it again."
        ) % {"error": self.error}


_runner: Runner[Job] = Runner("crosscheck", Job)


def current() -> Job | None:
    """A copy of the last cross-check started in this process (None: none since it started)."""
    return _runner.current()


def _work(progress: Progress, *, actor: str, since: dt.date | None) -> Finished:
    steps: list[Step] = []

    def say(line: str) -> None:
        steps.append(Step.of(line))
        progress.set(steps=tuple(steps))

    with scopes_disabled(), acting_as(actor):  # the network's pairs, as the command line reads them
        result = crosscheck(since=since, progress=say)
    return Finished("done", {"summary": Summary.of(result)})


def start(*, user_id: int | None, since: dt.date | None) -> Job:
    """Start cross-checking (the reports changed since ``since``, or all); :class:`AlreadyRunning` if one runs."""
    actor = f"user:{user_id}" if user_id is not None else "system"
    return _runner.start(
        lambda progress: _work(progress, actor=actor, since=since), user_id=user_id, since=since
    )


def wait(timeout: float | None = None) -> Job | None:
    """Wait for the running cross-check to end (or ``timeout`` seconds); the job as it then is."""
    return _runner.wait(timeout)

"""The in-process job runner (``bordermonitor.jobs``) that the publication and the reports share."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from bordermonitor.jobs import AlreadyRunning, Failed, Finished, Job, Progress, Runner


@dataclass(slots=True)
class CountJob(Job):
    counted: int = 0


def test_a_job_runs_in_the_background_with_its_progress_and_result() -> None:
    runner: Runner[CountJob] = Runner("count", CountJob)
    release = threading.Event()

    def work(progress: Progress) -> int:
        progress.say("counting")
        progress.set(counted=3)
        release.wait(10)
        progress.say("done counting")
        return 42

    started = runner.start(work, user_id=5)
    assert started.running and started.number == 1 and started.started_by == 5
    with pytest.raises(AlreadyRunning):
        runner.start(work, user_id=6)  # one at a time of a kind
    other: Runner[Job] = Runner("other", Job)
    assert other.start(lambda progress: "other kind", user_id=None).number == 1  # another kind runs beside it
    release.set()
    job = runner.wait(10)
    assert job is not None and job.state == "done" and job.result == 42 and job.counted == 3
    assert job.lines == ["counting", "done counting"] and job.finished_at is not None
    assert other.wait(10).result == "other kind"  # type: ignore[union-attr]
    again = runner.start(lambda progress: None, user_id=5)
    assert again.number == 2  # the next job of the kind, once the first ended


def test_a_job_ends_in_the_state_its_work_names() -> None:
    runner: Runner[Job] = Runner("named", Job, done="published")
    runner.start(lambda progress: "a release", user_id=None)
    assert runner.wait(10).state == "published"  # type: ignore[union-attr]
    runner.start(lambda progress: Finished("refused", {"result": ("problem",)}), user_id=None)
    job = runner.wait(10)
    assert job is not None and job.state == "refused" and job.result == ("problem",)


def test_a_failure_is_told_by_its_type_unless_the_program_wrote_the_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner: Runner[Job] = Runner("failing", Job)

    def leaks(progress: Progress) -> None:
        raise KeyError("Ahmad Karimi's phone +387 61 234 567")

    runner.start(leaks, user_id=None)
    job = runner.wait(10)
    assert job is not None and job.state == "failed" and job.error == "KeyError"
    assert "Ahmad" not in caplog.text and "KeyError" in caplog.text

    def refuses(progress: Progress) -> None:
        raise Failed("case nnk:nnk-1: its public version is not approved")

    runner.start(refuses, user_id=None)
    job = runner.wait(10)
    assert job is not None and job.error == "case nnk:nnk-1: its public version is not approved"


def test_current_is_a_copy_the_page_cannot_change() -> None:
    runner: Runner[Job] = Runner("copy", Job)
    assert runner.current() is None
    runner.start(lambda progress: progress.say("one"), user_id=None)
    runner.wait(10)
    seen = runner.current()
    assert seen is not None
    seen.lines.append("two")
    assert runner.current().lines == ["one"]  # type: ignore[union-attr]

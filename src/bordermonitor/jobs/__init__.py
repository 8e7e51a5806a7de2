"""Background jobs run in this process: one at a time per kind, with progress lines, a state, a result, and an
error told by its type only (see :mod:`bordermonitor.jobs.runner`). The publication and the reports use it."""

from bordermonitor.jobs.runner import AlreadyRunning, Failed, Finished, Job, Progress, Runner

__all__ = ["AlreadyRunning", "Failed", "Finished", "Job", "Progress", "Runner"]

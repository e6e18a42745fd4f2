"""The seam between where cluster state comes from and how it is shown.

A data source answers the dashboard's questions with model values. Two kinds exist:
live ones over the controller's and worker's in-memory state (renderer.reference.live) and
snapshot ones over captured messages (renderer.snapshot.source). Both pass the same
tests, so a dashboard cannot tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from renderer.snapshot import model

# The live dashboards showed the last 50 actions; so does get_actions by default.
DEFAULT_ACTION_LIMIT = 50


class DashboardDataSource(Protocol):
    """What the controller dashboard asks of its data."""

    def get_stats(self) -> model.ControllerStats: ...
    def get_jobs(self) -> list[model.JobSummary]: ...
    def get_workers(self) -> list[model.WorkerInfo]: ...
    def get_endpoints(self) -> list[model.Endpoint]: ...
    def get_actions(self, limit: int | None = DEFAULT_ACTION_LIMIT) -> list[model.Action]: ...
    def get_job_detail(
        self, job_id: str, log_lines: int | None = None
    ) -> model.JobDetail | None: ...


class WorkerDataSource(Protocol):
    """What a worker dashboard asks of its data."""

    @property
    def worker_id(self) -> str | None: ...

    def get_stats(self) -> model.WorkerStats: ...
    def get_jobs(self) -> list[model.JobStatus]: ...
    def job_ids(self) -> list[str]: ...
    def log_line_counts(self) -> dict[str, int]: ...
    def get_job_detail(
        self, job_id: str, log_lines: int | None = None
    ) -> model.WorkerAttempt | None: ...


def newest_first(actions: Sequence[model.Action], limit: int | None) -> list[model.Action]:
    """The action log is kept oldest first; dashboards read it newest first."""
    return list(reversed(model.tail(actions, limit)))


class AttemptIndex:
    """Finds, for a job id, every worker data source that holds a record of that job."""

    def __init__(self, workers: Sequence[WorkerDataSource]) -> None:
        self._workers = workers
        self._index: dict[str, list[WorkerDataSource]] | None = None

    def attempts(self, job_id: str, log_lines: int | None) -> tuple[model.WorkerAttempt, ...]:
        if self._index is None:
            self._index = {}
            for worker in self._workers:
                for held in worker.job_ids():
                    self._index.setdefault(held, []).append(worker)
        found = (w.get_job_detail(job_id, log_lines) for w in self._index.get(job_id, ()))
        return tuple(attempt for attempt in found if attempt is not None)


def gang_index(pairs: Iterable[tuple[str, str | None]]) -> dict[str, tuple[str, ...]]:
    """Group job ids by gang id, in job order; solo jobs (no gang) are left out."""
    gangs: dict[str, list[str]] = {}
    for job_id, gang_id in pairs:
        if gang_id:
            gangs.setdefault(gang_id, []).append(job_id)
    return {gang_id: tuple(members) for gang_id, members in gangs.items()}


def endpoint_index(endpoints: Iterable[model.Endpoint]) -> dict[str, tuple[model.Endpoint, ...]]:
    """Group endpoints by the job that registered them."""
    by_job: dict[str, list[model.Endpoint]] = {}
    for endpoint in endpoints:
        if endpoint.job_id is not None:
            by_job.setdefault(endpoint.job_id, []).append(endpoint)
    return {job_id: tuple(found) for job_id, found in by_job.items()}

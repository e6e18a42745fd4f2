"""What a cluster's snapshots hold, put in the order people read it: no HTML here.

The catalog answers the questions every view of a cluster asks before anything is
drawn: which jobs there are and in what order (problems first), which need
attention, which get a full detail page when there are too many for all, the
controller's workers, actions and endpoints, and each job's full record. The report,
the summary, the diff and the archive all read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

from renderer.snapshot import failures, model, states
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.datasource import AttemptIndex, WorkerDataSource


def attention_order(job: model.JobSummary) -> tuple[int, int, int, str]:
    """Problems first, then what runs, what waits (in queue order), what is done; newest first."""
    recent = job.finished_at_ms or job.started_at_ms or job.submitted_at_ms or 0
    queue = job.queue_position if job.queue_position is not None else 0
    return (states.display_rank(job.state), queue, -recent, job.job_id)


def queue_order(job: model.JobSummary) -> tuple[int, int, int, int, str]:
    """The controller's queue in order first, then every other job by attention."""
    if job.queue_position is not None:
        return (0, job.queue_position, 0, 0, job.job_id)
    return (1, *attention_order(job))


def unhealthy_first(worker: model.WorkerInfo) -> tuple[bool, str]:
    """Workers that are not healthy (or do not say they are) first, then by id."""
    return (worker.healthy is True, worker.worker_id)


def detail_jobs(ordered: Sequence[str], log_lines: Mapping[str, int], limit: int) -> list[str]:
    """The jobs that get a full detail section, in list order: at most `limit`.

    All of them up to `limit`; past it the jobs with a log first (a page is their log's
    only place), then the rest, each in list order, which puts problems and running
    jobs first. Logs count against the limit too: a snapshot giving every job a line of
    log does not get a page per job.
    """
    if len(ordered) <= limit:
        return list(ordered)
    with_log = [job_id for job_id in ordered if log_lines.get(job_id)]
    chosen = set(with_log[:limit])
    for job_id in ordered:
        if len(chosen) >= limit:
            break
        chosen.add(job_id)
    return [job_id for job_id in ordered if job_id in chosen]


class Catalog:
    """The jobs, workers, actions and endpoints of one cluster's snapshots.

    Jobs are the controller's or, without one, every captured worker's.
    """

    def __init__(self, sources: ClusterSources) -> None:
        self.sources = sources
        self.controller = sources.controller
        self.captured_at_ms = sources.captured_at_ms
        # Captured workers' own data sources, by worker id.
        self.captured: dict[str, WorkerDataSource] = {
            worker.worker_id or "": worker for worker in sources.workers
        }
        self._attempts = AttemptIndex(sources.workers)

    @property
    def lone_worker(self) -> bool:
        """A report of one worker's snapshot alone: that worker's page is the front page."""
        return self.controller is None and len(self.captured) == 1

    # ---- jobs ----

    @cached_property
    def jobs(self) -> list[model.JobSummary]:
        """Every job, in the order of the job list: problems first (`attention_order`)."""
        return sorted(self.recorded, key=attention_order)

    @cached_property
    def recorded(self) -> list[model.JobSummary]:
        """Every job in the order the snapshot records them."""
        if self.controller is not None:
            return self.controller.get_jobs()
        seen: dict[str, model.JobSummary] = {}
        for worker in self.sources.workers:
            for status in worker.get_jobs():
                seen.setdefault(status.job_id, _summary_from_status(status))
        return list(seen.values())

    @cached_property
    def by_id(self) -> dict[str, model.JobSummary]:
        return {job.job_id: job for job in self.recorded}

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Jobs launched from inside another job's task, by the parent's id (iris)."""
        found: dict[str, list[str]] = {}
        for job in self.recorded:
            if job.parent_job_id:
                found.setdefault(job.parent_job_id, []).append(job.job_id)
        return found

    @cached_property
    def state_counts(self) -> tuple[tuple[int, int], ...]:
        """Jobs per state, every known state included (model.count_states)."""
        return model.count_states([job.state for job in self.recorded])

    @cached_property
    def needing_attention(self) -> list[model.JobSummary]:
        """Failed, unschedulable and worker-failed jobs, newest first."""
        return [job for job in self.jobs if job.state in states.PROBLEM_STATES]

    @cached_property
    def in_queue_order(self) -> list[model.JobSummary]:
        """As `queue_order` sorts them. The jobs are in attention order already, which
        is that order for those not queued: only the queue is sorted (a sort of a
        million jobs was most of the overview's time)."""
        queued = sorted(
            (job for job in self.jobs if job.queue_position is not None), key=queue_order
        )
        return queued + [job for job in self.jobs if job.queue_position is None]

    @cached_property
    def failure_groups(self) -> list[failures.FailureGroup]:
        """Problem jobs (and failed iris tasks) grouped by their error's signature."""

        def tasks_of(job_id: str) -> tuple[model.Task, ...]:
            detail = self.detail(job_id, 0)
            return detail.tasks if detail is not None else ()

        return failures.group(failures.failures(self.jobs, tasks_of))

    @cached_property
    def group_of_job(self) -> dict[str, failures.FailureGroup]:
        """The failure group of each job in one, the largest when its tasks are in several."""
        found: dict[str, failures.FailureGroup] = {}
        for group in self.failure_groups:
            for job_id in group.job_ids:
                found.setdefault(job_id, group)
        return found

    def detail(self, job_id: str, log_lines: int | None = None) -> model.JobDetail | None:
        """A job's full record: the controller's joined with every worker's.

        Each log keeps at most its last `log_lines` lines (all for None).
        """
        if self.controller is not None:
            return self.controller.get_job_detail(job_id, log_lines)
        if job_id not in self.by_id:
            return None
        attempts = self._attempts.attempts(job_id, log_lines)
        return model.JobDetail(job_id, None, None, (), (), attempts)

    def log_lines(self, per_log: int) -> dict[str, int]:
        """Lines of log each job's page shows when each log shows at most `per_log` lines.

        Only jobs with a captured log are listed.
        """
        shown: dict[str, int] = {}
        for worker in self.sources.workers:
            for job_id, count in worker.log_line_counts().items():
                shown[job_id] = shown.get(job_id, 0) + min(count, per_log)
        return shown

    def warm(self) -> None:
        """Convert at once what many pages read, so every process of a render shares it."""
        _ = (self.jobs, self.by_id, self.workers, self.actions, self.endpoints, self.children)
        _ = (self.group_of_job, self.jobs_on_worker, self.actions_of_job, self.actions_of_worker)

    # ---- the rest of the controller's state ----

    @cached_property
    def workers(self) -> list[model.WorkerInfo]:
        """The controller's workers, unhealthy first."""
        if self.controller is None:
            return []
        return sorted(self.controller.get_workers(), key=unhealthy_first)

    @cached_property
    def workers_by_id(self) -> dict[str, model.WorkerInfo]:
        return {worker.worker_id: worker for worker in self.workers}

    @cached_property
    def jobs_on_worker(self) -> dict[str, list[str]]:
        """Per worker, in list order: the jobs it was running and the jobs whose record
        names it as their worker."""
        running: dict[str, list[str]] = {}
        for worker in self.workers:
            for job_id in worker.running_job_ids:
                running.setdefault(job_id, []).append(worker.worker_id)
        found: dict[str, list[str]] = {}
        on = found.setdefault
        for job in self.jobs:  # in list order already
            worker_id, job_id = job.worker_id, job.job_id
            if worker_id:
                on(worker_id, []).append(job_id)
            if job_id in running:  # most jobs: a test, not a loop over nothing
                for other in running[job_id]:
                    if other != worker_id:
                        on(other, []).append(job_id)
        return found

    @cached_property
    def actions_of_job(self) -> dict[str, list[model.Action]]:
        """The actions naming each job, newest first."""
        found: dict[str, list[model.Action]] = {}
        for action in self.actions:
            if action.job_id:
                found.setdefault(action.job_id, []).append(action)
        return found

    @cached_property
    def actions_of_worker(self) -> dict[str, list[model.Action]]:
        """The actions naming each worker, newest first."""
        found: dict[str, list[model.Action]] = {}
        for action in self.actions:
            if action.worker_id:
                found.setdefault(action.worker_id, []).append(action)
        return found

    @cached_property
    def actions(self) -> list[model.Action]:
        """Every action the controller logged, newest first."""
        return self.controller.get_actions(limit=None) if self.controller is not None else []

    @cached_property
    def endpoints(self) -> list[model.Endpoint]:
        return self.controller.get_endpoints() if self.controller is not None else []


def _summary_from_status(status: model.JobStatus) -> model.JobSummary:
    return model.JobSummary(
        job_id=status.job_id,
        name=None,
        state=status.state,
        worker_id=status.worker_id,
        error=status.error,
        exit_code=status.exit_code,
        submitted_at_ms=None,
        started_at_ms=status.started_at_ms,
        finished_at_ms=status.finished_at_ms,
        failure_count=None,
        preemption_count=None,
        gang_id=None,
        resources=None,
        queue_position=None,
    )

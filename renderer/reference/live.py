"""Reference live state: dataclasses mirroring fluster's controller and worker state.

These follow fluster's in-memory types (the design's Option A: dataclasses with a
`to_snapshot()`), so that the snapshot schema, the live data sources and the snapshot
data sources can be checked against each other. The demo simulation drives them.

Longer than 400 lines on purpose: fluster's state types and the live data sources over
them sit side by side, as the drift guard (tests/test_drift.py) compares them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from renderer.snapshot import convert, model, states
from renderer.snapshot.datasource import (
    DEFAULT_ACTION_LIMIT,
    AttemptIndex,
    WorkerDataSource,
    endpoint_index,
    gang_index,
    newest_first,
)
from renderer.snapshot.redaction import Redactor
from renderer.snapshot.schema import pb

MAX_ACTIONS = 100  # the controller keeps the last 100 actions
DEFAULT_LOG_LINES = 1000  # a snapshot keeps the last 1000 lines of each job's log
DEFAULT_NAMESPACE = "<local>"

Clock = Callable[[], int]


# The live dashboards show a cluster to its operators, not to a report's readers: the
# reference state is shown as it is.
_AS_THEY_ARE = Redactor(enabled=False)


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


# ---- Controller ----


@dataclass
class ControllerJob:
    """A job as the controller tracks it."""

    job_id: str
    request: pb.Controller.LaunchJobRequest
    state: int = states.PENDING
    worker_id: str | None = None
    failure_count: int = 0
    preemption_count: int = 0
    max_retries_failure: int = 0
    max_retries_preemption: int = 100
    gang_id: str | None = None
    submitted_at_ms: int = 0
    started_at_ms: int | None = None
    finished_at_ms: int | None = None
    error: str | None = None
    exit_code: int | None = None

    def status(self, worker_address: str | None) -> pb.JobStatus:
        """The JobStatus fields the controller fills."""
        return pb.JobStatus(
            job_id=self.job_id,
            state=self.state,  # type: ignore[arg-type]
            exit_code=self.exit_code,
            error=self.error,
            started_at_ms=self.started_at_ms,
            finished_at_ms=self.finished_at_ms,
            worker_id=self.worker_id,
            worker_address=worker_address,
        )

    def to_snapshot(self, worker_address: str | None = None) -> pb.ControllerJobSnapshot:
        return pb.ControllerJobSnapshot(
            status=self.status(worker_address),
            failure_count=self.failure_count,
            preemption_count=self.preemption_count,
            max_retries_failure=self.max_retries_failure,
            max_retries_preemption=self.max_retries_preemption,
            gang_id=self.gang_id,
            submitted_at_ms=self.submitted_at_ms,
            request=self.request,
        )


@dataclass
class ControllerWorker:
    """A worker as the controller tracks it."""

    worker_id: str
    address: str
    resources: pb.ResourceSpec
    healthy: bool = True
    consecutive_failures: int = 0
    last_heartbeat_ms: int = 0
    running_jobs: set[str] = field(default_factory=set)

    def to_snapshot(self) -> pb.ControllerWorkerSnapshot:
        return pb.ControllerWorkerSnapshot(
            worker_id=self.worker_id,
            address=self.address,
            resources=self.resources,
            healthy=self.healthy,
            consecutive_failures=self.consecutive_failures,
            last_heartbeat_ms=self.last_heartbeat_ms,
            running_job_ids=sorted(self.running_jobs),
        )


@dataclass
class ControllerEndpoint:
    """An address a job registered under a name."""

    endpoint_id: str
    name: str
    address: str
    job_id: str
    namespace: str = DEFAULT_NAMESPACE
    metadata: dict[str, str] = field(default_factory=dict)
    registered_at_ms: int = 0

    def to_snapshot(self) -> pb.Controller.Endpoint:
        return pb.Controller.Endpoint(
            endpoint_id=self.endpoint_id,
            name=self.name,
            address=self.address,
            job_id=self.job_id,
            namespace=self.namespace,
            metadata=self.metadata,
            registered_at_ms=self.registered_at_ms,
        )


@dataclass
class ActionLogEntry:
    """One line of the controller's action log."""

    timestamp_ms: int
    action: str
    job_id: str | None = None
    worker_id: str | None = None
    details: str = ""

    def to_snapshot(self) -> pb.ActionLogEntrySnapshot:
        return pb.ActionLogEntrySnapshot(
            timestamp_ms=self.timestamp_ms,
            action=self.action,
            job_id=self.job_id,
            worker_id=self.worker_id,
            details=self.details,
        )


def _action_log() -> deque[ActionLogEntry]:
    return deque(maxlen=MAX_ACTIONS)


@dataclass
class ControllerState:
    """The controller's whole state: jobs, workers, endpoints, the queue and the action log."""

    jobs: dict[str, ControllerJob] = field(default_factory=dict)
    workers: dict[str, ControllerWorker] = field(default_factory=dict)
    endpoints: dict[str, ControllerEndpoint] = field(default_factory=dict)
    queue: deque[str] = field(default_factory=deque)
    actions: deque[ActionLogEntry] = field(default_factory=_action_log)

    @property
    def gangs(self) -> dict[str, tuple[str, ...]]:
        """Gang id to its jobs; an index over the jobs' gang_id, so never out of step."""
        return gang_index((job.job_id, job.gang_id) for job in self.jobs.values())

    def log_action(
        self,
        timestamp_ms: int,
        action: str,
        job_id: str | None = None,
        worker_id: str | None = None,
        details: str = "",
    ) -> None:
        self.actions.append(ActionLogEntry(timestamp_ms, action, job_id, worker_id, details))

    def worker_address(self, worker_id: str | None) -> str | None:
        worker = self.workers.get(worker_id) if worker_id is not None else None
        return worker.address if worker is not None else None

    def to_snapshot(self, now_ms: int) -> pb.ControllerSnapshot:
        return pb.ControllerSnapshot(
            captured_at_ms=now_ms,
            jobs=[j.to_snapshot(self.worker_address(j.worker_id)) for j in self.jobs.values()],
            workers=[w.to_snapshot() for w in self.workers.values()],
            endpoints=[e.to_snapshot() for e in self.endpoints.values()],
            actions=[a.to_snapshot() for a in self.actions],
            queue_order=list(self.queue),
        )


# ---- Worker ----


@dataclass
class WorkerJob:
    """A job as a worker runs it, with its log."""

    job_id: str
    state: int = states.PENDING
    exit_code: int | None = None
    error: str | None = None
    started_at_ms: int | None = None
    finished_at_ms: int | None = None
    ports: dict[str, int] = field(default_factory=dict)
    usage: model.Usage | None = None
    status_message: str | None = None
    build: model.Build | None = None
    logs: list[model.LogLine] = field(default_factory=list)

    def to_proto(self) -> pb.JobStatus:
        """The JobStatus fields a worker fills (1-10)."""
        usage, build = self.usage, self.build
        return pb.JobStatus(
            job_id=self.job_id,
            state=self.state,  # type: ignore[arg-type]
            exit_code=self.exit_code,
            error=self.error,
            started_at_ms=self.started_at_ms,
            finished_at_ms=self.finished_at_ms,
            ports=self.ports,
            resource_usage=None
            if usage is None
            else pb.ResourceUsage(
                memory_mb=usage.memory_mb,
                disk_mb=usage.disk_mb,
                cpu_millicores=usage.cpu_millicores,
                memory_peak_mb=usage.memory_peak_mb,
                cpu_percent=usage.cpu_percent,
                process_count=usage.process_count,
            ),
            status_message=self.status_message,
            build_metrics=None
            if build is None
            else pb.BuildMetrics(
                build_started_ms=build.started_ms,
                build_finished_ms=build.finished_ms,
                from_cache=build.from_cache,
                image_tag=build.image_tag,
            ),
        )

    def log_tail(self, limit: int) -> pb.LogTail:
        lines = model.tail(self.logs, limit)
        return pb.LogTail(
            lines=[
                pb.Worker.LogEntry(
                    timestamp_ms=line.timestamp_ms, source=line.source, data=line.data
                )
                for line in lines
            ],
            total_lines=len(self.logs),
        )


@dataclass
class WorkerState:
    """A worker's jobs and their logs."""

    worker_id: str
    jobs: dict[str, WorkerJob] = field(default_factory=dict)

    def to_snapshot(self, now_ms: int, log_lines: int = DEFAULT_LOG_LINES) -> pb.WorkerSnapshot:
        return pb.WorkerSnapshot(
            captured_at_ms=now_ms,
            worker_id=self.worker_id,
            jobs=[job.to_proto() for job in self.jobs.values()],
            job_logs={
                job.job_id: job.log_tail(log_lines) for job in self.jobs.values() if job.logs
            },
        )


# ---- Live data sources ----


def _job_summary(job: ControllerJob, queue_position: int | None) -> model.JobSummary:
    request = job.request
    return model.JobSummary(
        job_id=job.job_id,
        name=convert.optional(request, "name"),
        state=job.state,
        worker_id=job.worker_id,
        error=job.error,
        exit_code=job.exit_code,
        submitted_at_ms=job.submitted_at_ms,
        started_at_ms=job.started_at_ms,
        finished_at_ms=job.finished_at_ms,
        failure_count=job.failure_count,
        preemption_count=job.preemption_count,
        gang_id=job.gang_id,
        resources=convert.resources(request.resources) if request.HasField("resources") else None,
        queue_position=queue_position,
    )


def _job_status(job: ControllerJob, worker_address: str | None) -> model.JobStatus:
    return model.JobStatus(
        job_id=job.job_id,
        state=job.state,
        exit_code=job.exit_code,
        error=job.error,
        started_at_ms=job.started_at_ms,
        finished_at_ms=job.finished_at_ms,
        ports=(),
        usage=None,
        status_message=None,
        build=None,
        worker_id=job.worker_id,
        worker_address=worker_address,
        result=None,
    )


class LiveControllerDataSource:
    """The controller dashboard's data, read from the controller's live state."""

    def __init__(
        self,
        state: ControllerState,
        workers: Sequence[WorkerDataSource] = (),
        clock: Clock = wall_clock_ms,
    ) -> None:
        self._state = state
        self._attempts = AttemptIndex(workers)
        self._clock = clock

    def _queue_positions(self) -> dict[str, int]:
        positions: dict[str, int] = {}
        for position, job_id in enumerate(self._state.queue):
            positions.setdefault(job_id, position)
        return positions

    def get_stats(self) -> model.ControllerStats:
        state = self._state
        return model.ControllerStats(
            jobs_by_state=model.count_states([job.state for job in state.jobs.values()]),
            captured_at_ms=self._clock(),
            workers_healthy=sum(1 for w in state.workers.values() if w.healthy),
            workers_total=len(state.workers),
            endpoints=len(state.endpoints),
        )

    def get_jobs(self) -> list[model.JobSummary]:
        queue = self._queue_positions()
        return [_job_summary(job, queue.get(job.job_id)) for job in self._state.jobs.values()]

    def get_workers(self) -> list[model.WorkerInfo]:
        return [
            model.WorkerInfo(
                worker_id=w.worker_id,
                address=w.address,
                resources=convert.resources(w.resources),
                healthy=w.healthy,
                consecutive_failures=w.consecutive_failures,
                last_heartbeat_ms=w.last_heartbeat_ms,
                running_job_ids=tuple(sorted(w.running_jobs)),
            )
            for w in self._state.workers.values()
        ]

    def get_endpoints(self) -> list[model.Endpoint]:
        return [_endpoint(e) for e in self._state.endpoints.values()]

    def get_actions(self, limit: int | None = DEFAULT_ACTION_LIMIT) -> list[model.Action]:
        actions = [
            model.Action(a.timestamp_ms, a.action, a.job_id, a.worker_id, a.details)
            for a in self._state.actions
        ]
        return newest_first(actions, limit)

    def get_job_detail(self, job_id: str, log_lines: int | None = None) -> model.JobDetail | None:
        state = self._state
        job = state.jobs.get(job_id)
        if job is None:
            return None
        return model.JobDetail(
            job_id=job_id,
            job=model.ControllerJob(
                status=_job_status(job, state.worker_address(job.worker_id)),
                failure_count=job.failure_count,
                preemption_count=job.preemption_count,
                max_retries_failure=job.max_retries_failure,
                max_retries_preemption=job.max_retries_preemption,
                gang_id=job.gang_id,
                submitted_at_ms=job.submitted_at_ms,
                request=convert.request(job.request, _AS_THEY_ARE),
            ),
            queue_position=self._queue_positions().get(job_id),
            gang_members=state.gangs.get(job.gang_id, ()) if job.gang_id else (),
            endpoints=endpoint_index(self.get_endpoints()).get(job_id, ()),
            attempts=self._attempts.attempts(job_id, log_lines),
        )


def _endpoint(e: ControllerEndpoint) -> model.Endpoint:
    return model.Endpoint(
        endpoint_id=e.endpoint_id,
        name=e.name,
        address=e.address,
        job_id=e.job_id,
        namespace=e.namespace,
        metadata=tuple(sorted(e.metadata.items())),
        registered_at_ms=e.registered_at_ms,
    )


class LiveWorkerDataSource:
    """A worker dashboard's data, read from the worker's live state."""

    def __init__(
        self, state: WorkerState, clock: Clock = wall_clock_ms, log_lines: int = DEFAULT_LOG_LINES
    ) -> None:
        self._state = state
        self._clock = clock
        self._log_lines = log_lines

    @property
    def worker_id(self) -> str | None:
        return self._state.worker_id

    def get_stats(self) -> model.WorkerStats:
        return model.WorkerStats(
            jobs_by_state=model.count_states([job.state for job in self._state.jobs.values()]),
            worker_id=self._state.worker_id,
            captured_at_ms=self._clock(),
        )

    def get_jobs(self) -> list[model.JobStatus]:
        return [_worker_status(job) for job in self._state.jobs.values()]

    def job_ids(self) -> list[str]:
        return list(self._state.jobs)

    def log_line_counts(self) -> dict[str, int]:
        """Lines kept in each job's log tail, for jobs that have one."""
        return {
            job_id: min(len(job.logs), self._log_lines)
            for job_id, job in self._state.jobs.items()
            if job.logs
        }

    def get_job_detail(
        self, job_id: str, log_lines: int | None = None
    ) -> model.WorkerAttempt | None:
        job = self._state.jobs.get(job_id)
        if job is None:
            return None
        limit = self._log_lines if log_lines is None else min(log_lines, self._log_lines)
        kept = model.tail(job.logs, limit)
        return model.WorkerAttempt(
            worker_id=self._state.worker_id,
            captured_at_ms=self._clock(),
            status=_worker_status(job),
            log=model.LogTail(lines=tuple(kept), total_lines=len(job.logs)) if job.logs else None,
        )


def _worker_status(job: WorkerJob) -> model.JobStatus:
    return model.JobStatus(
        job_id=job.job_id,
        state=job.state,
        exit_code=job.exit_code,
        error=job.error,
        started_at_ms=job.started_at_ms,
        finished_at_ms=job.finished_at_ms,
        ports=tuple(sorted(job.ports.items())),
        usage=job.usage,
        status_message=job.status_message,
        build=job.build,
        worker_id=None,
        worker_address=None,
        result=None,
    )

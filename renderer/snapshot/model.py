"""Plain values that leave a data source: what a dashboard knows about a cluster.

Every optional field is None when the snapshot leaves it unset, so "no exit code yet"
stays apart from "exit code 0". Sequences are tuples and maps are sorted tuples of
pairs, so two values compare equal exactly when they show the same thing.

Values are read-only. The ones made per job, per action or per worker are read-only
by convention only: a frozen dataclass takes seven times longer to build, and a large
render builds some 300,000 of them. The rest are frozen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from renderer.snapshot import states

Pairs = tuple[tuple[str, str], ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Blob:
    """A bytes field, known by size and digest; its content is never shown."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Device:
    """The accelerator a job asks for or a worker has; `kind` is cpu, gpu, tpu or ''."""

    kind: str
    variant: str | None = None
    count: int | None = None
    topology: str | None = None


@dataclass(frozen=True)
class Resources:
    """A ResourceSpec: what a job asks for, or what a worker offers."""

    cpu: int | None
    memory: str | None
    disk: str | None
    device: Device | None
    replicas: int | None
    preemptible: bool | None
    regions: tuple[str, ...]


@dataclass(frozen=True)
class Environment:
    """How a job's environment is built."""

    workspace: str | None
    pip_packages: tuple[str, ...]
    env_vars: Pairs
    extras: tuple[str, ...]


@dataclass(frozen=True)
class JobRequest:
    """What was asked for when the job was launched."""

    name: str | None
    entrypoint: Blob | None
    resources: Resources | None
    environment: Environment | None
    bundle_gcs_path: str | None
    bundle_hash: str | None
    bundle_blob: Blob | None
    scheduling_timeout_seconds: int | None
    ports: tuple[str, ...]


@dataclass(slots=True)
class Usage:
    """Resource usage a worker measured for a job."""

    memory_mb: int | None
    disk_mb: int | None
    cpu_millicores: int | None
    memory_peak_mb: int | None
    cpu_percent: int | None
    process_count: int | None


@dataclass(slots=True)
class Build:
    """How the job's environment was built."""

    started_ms: int | None
    finished_ms: int | None
    from_cache: bool | None
    image_tag: str | None


@dataclass(slots=True)
class JobStatus:
    """A JobStatus as the controller or a worker recorded it."""

    job_id: str
    state: int
    exit_code: int | None
    error: str | None
    started_at_ms: int | None
    finished_at_ms: int | None
    ports: tuple[tuple[str, int], ...]
    usage: Usage | None
    status_message: str | None
    build: Build | None
    worker_id: str | None
    worker_address: str | None
    result: Blob | None


class LogLine(NamedTuple):
    """One line of a job's output.

    A named tuple rather than a dataclass: a snapshot can hold a million lines, and a
    tuple is made three times faster.
    """

    timestamp_ms: int | None
    source: str | None
    data: str | None


@dataclass(slots=True)
class LogTail:
    """The last lines of a job's log, and how many lines there were in all."""

    lines: tuple[LogLine, ...]
    total_lines: int | None


@dataclass(slots=True)
class Attempt:
    """One run of a task on one worker (iris); `state` is a TaskState number."""

    attempt_id: int | None
    worker_id: str | None
    state: int
    exit_code: int | None
    error: str | None
    created_at_ms: int | None
    started_at_ms: int | None
    finished_at_ms: int | None
    attempt_uid: str | None
    worker_address: str | None
    terminal_reason: str | None
    usage: Usage | None
    build: Build | None
    ports: tuple[tuple[str, int], ...]
    log: LogTail | None


@dataclass(slots=True)
class Task:
    """One task of a job and its attempts, oldest first; `state` is a TaskState number."""

    task_id: str
    task_index: int | None
    state: int
    exit_code: int | None
    error: str | None
    started_at_ms: int | None
    finished_at_ms: int | None
    worker_id: str | None
    worker_address: str | None
    current_attempt_id: int | None
    attempts: tuple[Attempt, ...]
    status_message: str | None
    root_cause: tuple[str, ...]


@dataclass(frozen=True)
class Provenance:
    """Where a snapshot came from: the system, how it was read, and what it lacks."""

    system: str | None
    version: str | None
    source: str | None  # "live" or "checkpoint"
    address: str | None
    notes: tuple[str, ...]


@dataclass(slots=True)
class JobSummary:
    """One row of the controller's job list."""

    job_id: str
    name: str | None
    state: int
    worker_id: str | None
    error: str | None
    exit_code: int | None
    submitted_at_ms: int | None
    started_at_ms: int | None
    finished_at_ms: int | None
    failure_count: int | None
    preemption_count: int | None
    gang_id: str | None
    resources: Resources | None
    queue_position: int | None
    # From importers whose jobs have tasks (iris); empty for fluster snapshots.
    parent_job_id: str | None = None
    tasks_by_state: tuple[tuple[int, int], ...] = ()  # (TaskState number, count)


@dataclass(frozen=True)
class ControllerJob:
    """Everything the controller tracks about a job."""

    status: JobStatus
    failure_count: int | None
    preemption_count: int | None
    max_retries_failure: int | None
    max_retries_preemption: int | None
    gang_id: str | None
    submitted_at_ms: int | None
    request: JobRequest | None
    parent_job_id: str | None = None


@dataclass(frozen=True)
class WorkerAttempt:
    """A job as one worker saw it: its status on that worker and its log tail."""

    worker_id: str | None
    captured_at_ms: int | None
    status: JobStatus
    log: LogTail | None


@dataclass(slots=True)
class Endpoint:
    """A named address a job registered."""

    endpoint_id: str | None
    name: str | None
    address: str | None
    job_id: str | None
    namespace: str | None
    metadata: Pairs
    registered_at_ms: int | None


@dataclass(frozen=True)
class JobDetail:
    """A job's full picture: the controller's record joined with every worker's record of it.

    `job` is None when only worker snapshots are known (a lone worker render).
    """

    job_id: str
    job: ControllerJob | None
    queue_position: int | None
    gang_members: tuple[str, ...]
    endpoints: tuple[Endpoint, ...]
    attempts: tuple[WorkerAttempt, ...]
    tasks: tuple[Task, ...] = ()  # the controller's tasks of the job, by index


@dataclass(slots=True)
class WorkerInfo:
    """A worker as the controller knows it."""

    worker_id: str
    address: str | None
    resources: Resources | None
    healthy: bool | None
    consecutive_failures: int | None
    last_heartbeat_ms: int | None
    running_job_ids: tuple[str, ...]


@dataclass(slots=True)
class Action:
    """One entry of the controller's action log."""

    timestamp_ms: int | None
    action: str | None
    job_id: str | None
    worker_id: str | None
    details: str | None


def tail(items: Sequence[T], count: int | None) -> Sequence[T]:
    """The last `count` items (all of them for None, none for 0 or less).

    Written out because `items[-count:]` gives every item when count is 0.
    """
    if count is None:
        return items
    return items[len(items) - max(0, min(count, len(items))) :]


def count_states(job_states: list[int]) -> tuple[tuple[int, int], ...]:
    """Count jobs per state: every known state (zeros included), then unknown numbers."""
    counts = dict.fromkeys((s.number for s in states.KNOWN_STATES), 0)
    for number in job_states:
        counts[number] = counts.get(number, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: states.display_rank(item[0])))


@dataclass(frozen=True)
class StateCounts:
    """Jobs counted per state, as `count_states` orders them."""

    jobs_by_state: tuple[tuple[int, int], ...]

    def count(self, state: int) -> int:
        return dict(self.jobs_by_state).get(state, 0)

    @property
    def jobs_total(self) -> int:
        return sum(count for _, count in self.jobs_by_state)


@dataclass(frozen=True)
class ControllerStats(StateCounts):
    """Counts on the controller overview, at `captured_at_ms`."""

    captured_at_ms: int | None
    workers_healthy: int
    workers_total: int
    endpoints: int


@dataclass(frozen=True)
class WorkerStats(StateCounts):
    """Counts on a worker's page, at `captured_at_ms`."""

    worker_id: str | None
    captured_at_ms: int | None

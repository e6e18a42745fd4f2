"""The columns of every table that holds jobs or workers, declared once each.

Adding a column to a table is one entry here: its name (used in `#sort=NAME` links
and in the script's data), its heading, its kind (renderer.report.columns) and a
function giving its value. The job list's pages, the overview's tables of jobs and
the in-page list of every job all take their columns from JOB_COLUMNS.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from renderer.report import times
from renderer.report.columns import (
    DURATION,
    GROUP,
    HEALTH,
    JOB,
    MEASURE,
    NUMBER,
    SHARED_TEXT,
    STATE,
    TEXT,
    TIME,
    WORKER,
    WORKER_PAGE,
    Cells,
    Column,
)
from renderer.report.markup import esc
from renderer.report.wording import (
    CELL_SHOWN,
    ERROR_IN_TABLE,
    cut,
    describe_device,
    describe_resources,
    describe_retries,
    shown_id,
)
from renderer.snapshot import model, states

JobColumn = Column[model.JobSummary]


def _run_time(job: model.JobSummary, cells: Cells) -> int | None:
    """To the finish, or to the capture for a job still running."""
    end = job.finished_at_ms if job.finished_at_ms is not None else cells.captured_at_ms
    return times.span(job.started_at_ms, end)


def _retries(job: model.JobSummary) -> str:
    return describe_retries(job.failure_count, job.preemption_count)


def _tasks(job: model.JobSummary, cells: Cells) -> str:
    """'3: 1 failed, 2 killed' for a job with tasks (iris); '' for one without."""
    counts = job.tasks_by_state
    if not counts:
        return ""
    total = sum(count for _, count in counts)
    by_state = ", ".join(f"{count:,} {states.task_state(n).label.lower()}" for n, count in counts)
    return f"{total:,}: {by_state}"


JOB_COLUMNS: tuple[JobColumn, ...] = (
    Column("id", "ID", JOB, lambda j, c: j.job_id, search=True),
    Column(
        "name",
        "Name",
        TEXT,
        lambda j, c: cut(j.name, CELL_SHOWN),
        note=_retries,
        css="name",
        search=True,
    ),
    Column("state", "State", STATE, lambda j, c: j.state, search=True),
    Column("exit", "Exit", NUMBER, lambda j, c: j.exit_code),
    Column("worker", "Worker", WORKER, lambda j, c: j.worker_id, search=True),
    Column(
        "resources",
        "Resources",
        SHARED_TEXT,
        lambda j, c: describe_resources(j.resources),
        css="nowrap",
    ),
    Column("submitted", "Submitted", TIME, lambda j, c: j.submitted_at_ms),
    Column("finished", "Finished", TIME, lambda j, c: j.finished_at_ms),
    Column("duration", "Duration", DURATION, _run_time),
    Column("log", "Log lines", NUMBER, lambda j, c: c.log_lines.get(j.job_id)),
    Column("tasks", "Tasks", TEXT, _tasks),
    Column(
        "error",
        "Error",
        TEXT,
        lambda j, c: cut(j.error, ERROR_IN_TABLE),
        css="error-cell",
        search=True,
    ),
    # Not drawn: the list's search box matches a job's gang and its failure group, and
    # a link to the list can show one failure group's jobs (#group=KEY).
    Column("gang", "Gang", SHARED_TEXT, lambda j, c: j.gang_id, search=True, hidden=True),
    Column("group", "Failure group", GROUP, lambda j, c: c.groups.get(j.job_id), hidden=True),
)

QUEUE_COLUMN: JobColumn = Column(
    "queue",
    "#",
    NUMBER,
    lambda j, c: None if j.queue_position is None else j.queue_position + 1,
)


def job_columns() -> tuple[JobColumn, ...]:
    """The job table's columns (read when a report is built, so a test may add one)."""
    return JOB_COLUMNS


# A worker's page lists its jobs in these columns alone: which job, how it ended and
# why. Each of 100,000 workers has a page, so every column here is a column for
# every job again; the job's own page and the job list hold the rest.
ON_A_WORKER = ("id", "name", "state", "error", "finished", "duration")


def on_a_worker(columns: Sequence[JobColumn]) -> tuple[JobColumn, ...]:
    """The columns of a worker's table of the controller's jobs, errors first."""
    return errors_first([c for c in columns if c.name in ON_A_WORKER])


def errors_first(columns: Sequence[JobColumn]) -> tuple[JobColumn, ...]:
    """For jobs that went wrong: why comes right after what, not past a narrow screen's edge."""
    error = [c for c in columns if c.name == "error"]
    rest = [c for c in columns if c.name != "error"]
    at = next((i + 1 for i, c in enumerate(rest) if c.name == "state"), len(rest))
    return (*rest[:at], *error, *rest[at:])


# ---- the controller's workers ----

WorkerColumn = Column[model.WorkerInfo]


WORKER_COLUMNS: tuple[WorkerColumn, ...] = (
    Column("id", "ID", WORKER_PAGE, lambda w, c: w.worker_id, search=True),
    Column("healthy", "Healthy", HEALTH, lambda w, c: w.healthy),
    Column(
        "address",
        "Address",
        TEXT,
        lambda w, c: cut(w.address, CELL_SHOWN),
        css="mono",
        search=True,
    ),
    Column("cpu", "CPU", NUMBER, lambda w, c: w.resources.cpu if w.resources else None),
    Column(
        "memory",
        "Memory",
        SHARED_TEXT,  # a few sizes and devices among thousands of workers: sent once each
        lambda w, c: cut(w.resources.memory, CELL_SHOWN) if w.resources else None,
    ),
    Column(
        "device",
        "Device",
        SHARED_TEXT,
        lambda w, c: describe_device(w.resources.device if w.resources else None),
    ),
    Column("running", "Running jobs", NUMBER, lambda w, c: len(w.running_job_ids)),
    Column("failures", "Failures", NUMBER, lambda w, c: w.consecutive_failures),
    Column("heartbeat", "Last heartbeat", TIME, lambda w, c: w.last_heartbeat_ms),
)


def worker_attributes(worker: model.WorkerInfo) -> str:
    healthy = {True: "yes", False: "no", None: "unknown"}[worker.healthy]
    search = f"{shown_id(worker.worker_id)} {cut(worker.address, CELL_SHOWN)}"
    return f' data-healthy="{healthy}" data-search="{esc(search)}"'


# ---- a worker's own record of its jobs ----


class WorkerJob(NamedTuple):
    """A job as one worker ran it, with the controller's name for it.

    `job_id` is the job the record belongs to: the record's own id, or, for a task's
    record (iris: /user/job/0), its job's.
    """

    status: model.JobStatus
    name: str | None
    log_lines: int | None
    job_id: str
    controller_state: int | None = None  # the controller's state, where it differs


def _controller_says(job: WorkerJob) -> str:
    """Under the worker's state, where the controller's differs: 'controller: Failed'."""
    if job.controller_state is None:
        return ""
    return f"controller: {states.state(job.controller_state).label}"


def _task_of(job: WorkerJob) -> str:
    """'task 2' under the job's id for a task's record."""
    own = job.status.job_id
    return f"task {own.rpartition('/')[2]}" if own != job.job_id else ""


def _memory(job: WorkerJob, cells: Cells) -> tuple[int | None, str]:
    usage = job.status.usage
    if usage is None or (usage.memory_mb is None and usage.memory_peak_mb is None):
        return (None, "-")
    used = "-" if usage.memory_mb is None else f"{usage.memory_mb:,}"
    peak = "-" if usage.memory_peak_mb is None else f"{usage.memory_peak_mb:,}"
    return (usage.memory_mb, f"{used} / {peak} MB")


def _usage(job: WorkerJob, name: str) -> Any:
    usage = job.status.usage
    return getattr(usage, name) if usage is not None else None


def _cpu(job: WorkerJob, cells: Cells) -> tuple[int | None, str]:
    cpu = _usage(job, "cpu_percent")
    return (cpu, "-" if cpu is None else f"{cpu:,}%")


WORKER_JOB_COLUMNS: tuple[Column[WorkerJob], ...] = (
    Column("id", "ID", JOB, lambda j, c: j.job_id, note=_task_of, search=True),
    Column("name", "Name", TEXT, lambda j, c: cut(j.name, CELL_SHOWN), css="name", search=True),
    Column(
        "state", "Status", STATE, lambda j, c: j.status.state, note=_controller_says, search=True
    ),
    Column(
        "error",
        "Error",
        TEXT,
        lambda j, c: cut(j.status.error, ERROR_IN_TABLE),
        css="error-cell",
        search=True,
    ),
    Column("exit", "Exit", NUMBER, lambda j, c: j.status.exit_code),
    Column("memory", "Memory (used / peak)", MEASURE, _memory),
    Column("cpu", "CPU", MEASURE, _cpu),
    Column("processes", "Processes", NUMBER, lambda j, c: _usage(j, "process_count")),
    Column("started", "Started", TIME, lambda j, c: j.status.started_at_ms),
    Column("finished", "Finished", TIME, lambda j, c: j.status.finished_at_ms),
    Column("log", "Log lines", NUMBER, lambda j, c: j.log_lines),
)

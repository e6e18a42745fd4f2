"""Data sources backed by captured snapshot messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

from renderer.snapshot import convert, model
from renderer.snapshot.datasource import (
    DEFAULT_ACTION_LIMIT,
    AttemptIndex,
    WorkerDataSource,
    endpoint_index,
    gang_index,
    newest_first,
)
from renderer.snapshot.deferred_logs import DeferredTail
from renderer.snapshot.job_records import JobRecords
from renderer.snapshot.loading import SnapshotError
from renderer.snapshot.redaction import Redactor
from renderer.snapshot.schema import pb
from renderer.snapshot.summaries import job_summaries
from renderer.snapshot.wire import Malformed


class SnapshotControllerDataSource:
    """A controller dashboard's data, read from a ControllerSnapshot.

    `workers` are data sources for the worker snapshots captured alongside; a job's
    detail joins the controller's record with every worker's record of that job.
    Text values pass through `redactor` (a new one, on, when none is given).
    """

    def __init__(
        self,
        snapshot: pb.ControllerSnapshot,
        workers: Sequence[WorkerDataSource] = (),
        redactor: Redactor | None = None,
        jobs: JobRecords | None = None,
        path: str = "",
        processes: int | None = None,
    ) -> None:
        """`jobs` are the job records when they were cut from the snapshot's bytes
        (renderer.snapshot.job_records), else the message's own; `path` names the file
        in errors about them. Each record is read here once, for its summary, in
        `processes` processes (renderer.snapshot.summaries; None: as many as suit)."""
        self._snapshot = snapshot
        self._redactor = redactor if redactor is not None else Redactor()
        self._records = jobs if jobs is not None else JobRecords.parsed(snapshot.jobs)
        self._queue: dict[str, int] = {}
        for position, job_id in enumerate(snapshot.queue_order):
            self._queue.setdefault(job_id, position)
        self._index: dict[str, int] = {}  # job id -> its first record
        self._summaries: list[model.JobSummary] = []
        try:
            made = job_summaries(self._records, self._queue, self._redactor, processes)
        except Malformed as error:
            raise SnapshotError(path, str(error)) from None
        index, kept = self._index, self._summaries
        for number, job in enumerate(made.jobs):
            if job.job_id not in index:
                index[job.job_id] = number  # the summary's text: kept once
                kept.append(job)
            else:  # a repeat is not shown: nor are its redactions
                self._redactor.count -= made.redacted.get(number, 0)
        del made
        # Records of a job id seen before: only the first is shown.
        self.repeated_job_records = len(self._records) - len(self._index)
        self._workers: dict[str, pb.ControllerWorkerSnapshot] = {}
        for worker in snapshot.workers:
            self._workers.setdefault(worker.worker_id, worker)
        self._attempts = AttemptIndex(workers)

    @cached_property
    def _gangs(self) -> dict[str, tuple[str, ...]]:
        return gang_index((job.job_id, job.gang_id) for job in self._summaries)

    @cached_property
    def _endpoints(self) -> list[model.Endpoint]:
        return [convert.endpoint(e, self._redactor) for e in self._snapshot.endpoints]

    @cached_property
    def _endpoints_by_job(self) -> dict[str, tuple[model.Endpoint, ...]]:
        return endpoint_index(self._endpoints)

    @property
    def captured_at_ms(self) -> int | None:
        captured: int | None = convert.optional(self._snapshot, "captured_at_ms")
        return captured

    def get_stats(self) -> model.ControllerStats:
        snapshot = self._snapshot
        return model.ControllerStats(
            jobs_by_state=model.count_states([job.state for job in self._summaries]),
            captured_at_ms=self.captured_at_ms,
            workers_healthy=sum(1 for w in self._workers.values() if w.healthy),
            workers_total=len(self._workers),
            endpoints=len(snapshot.endpoints),
        )

    def get_jobs(self) -> list[model.JobSummary]:
        return list(self._summaries)

    def get_workers(self) -> list[model.WorkerInfo]:
        return [convert.worker_info(worker, self._redactor) for worker in self._workers.values()]

    def get_endpoints(self) -> list[model.Endpoint]:
        return list(self._endpoints)

    def get_actions(self, limit: int | None = DEFAULT_ACTION_LIMIT) -> list[model.Action]:
        kept = model.tail(self._snapshot.actions, limit)
        return newest_first([convert.action(a, self._redactor) for a in kept], None)

    def get_job_detail(self, job_id: str, log_lines: int | None = None) -> model.JobDetail | None:
        number = self._index.get(job_id)
        if number is None:
            return None
        job = self._records.get(number)  # read whole when the summary was made
        gang_id = convert.optional(job, "gang_id")
        return model.JobDetail(
            job_id=job_id,
            job=convert.controller_job(job, self._redactor),
            queue_position=self._queue.get(job_id),
            gang_members=self._gangs.get(gang_id, ()) if gang_id else (),
            endpoints=self._endpoints_by_job.get(job_id, ()),
            attempts=self._attempts.attempts(job_id, log_lines),
            tasks=tuple(convert.task(t, log_lines, self._redactor) for t in job.tasks),
        )


class SnapshotWorkerDataSource:
    """A worker dashboard's data, read from a WorkerSnapshot.

    `tails` are its log tails when they were kept as bytes (renderer.snapshot.deferred_logs);
    `path` names the file in errors about them.
    """

    def __init__(
        self,
        snapshot: pb.WorkerSnapshot,
        tails: Mapping[str, DeferredTail] | None = None,
        path: str = "",
        redactor: Redactor | None = None,
    ) -> None:
        self._snapshot = snapshot
        self._redactor = redactor if redactor is not None else Redactor()
        self._tails = tails
        self._path = path
        self._jobs: dict[str, pb.JobStatus] = {}
        for job in snapshot.jobs:
            self._jobs.setdefault(job.job_id, job)

    @property
    def captured_at_ms(self) -> int | None:
        captured: int | None = convert.optional(self._snapshot, "captured_at_ms")
        return captured

    @property
    def worker_id(self) -> str | None:
        worker_id: str | None = convert.optional(self._snapshot, "worker_id")
        return worker_id

    def get_stats(self) -> model.WorkerStats:
        return model.WorkerStats(
            jobs_by_state=model.count_states([job.state for job in self._jobs.values()]),
            worker_id=self.worker_id,
            captured_at_ms=self.captured_at_ms,
        )

    def get_jobs(self) -> list[model.JobStatus]:
        return [convert.job_status(job, self._redactor) for job in self._jobs.values()]

    def job_ids(self) -> list[str]:
        return list(self._jobs)

    def log_line_counts(self) -> dict[str, int]:
        """Lines kept in each job's log tail, for jobs that have one."""
        if self._tails is not None:
            return {job_id: t.lines for job_id, t in self._tails.items() if job_id in self._jobs}
        return {
            job_id: len(tail.lines)
            for job_id, tail in self._snapshot.job_logs.items()
            if job_id in self._jobs
        }

    def _log(self, job_id: str, log_lines: int | None) -> model.LogTail | None:
        if self._tails is None:
            logs = self._snapshot.job_logs
            return (
                convert.log_tail(logs[job_id], log_lines, self._redactor)
                if job_id in logs
                else None
            )
        deferred = self._tails.get(job_id)
        if deferred is None:
            return None
        try:
            return convert.log_tail(deferred.tail(log_lines), log_lines, self._redactor)
        except Malformed as error:
            raise SnapshotError(self._path, f"job {job_id[:80]!r}: {error}") from None

    def get_job_detail(
        self, job_id: str, log_lines: int | None = None
    ) -> model.WorkerAttempt | None:
        job = self._jobs.get(job_id)
        if job is None:
            return None
        return model.WorkerAttempt(
            worker_id=self.worker_id,
            captured_at_ms=self.captured_at_ms,
            status=convert.job_status(job, self._redactor),
            log=self._log(job_id, log_lines),
        )

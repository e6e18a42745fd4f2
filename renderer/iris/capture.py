"""Capture a live iris controller over its read-only RPCs into a ClusterSnapshot.

Only reads: listing and status calls, the controller's own log and each attempt's
log tail through the controller's log proxy, and each worker's task list from the
worker itself. Nothing that starts, stops or changes anything is ever called.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from renderer.iris import mapping
from renderer.iris.doc import Doc
from renderer.iris.rpc import CaptureError, Client, RpcError
from renderer.snapshot.schema import pb

CONTROLLER = "iris.cluster.ControllerService"
ENDPOINTS = "iris.cluster.EndpointService"
WORKER = "iris.cluster.WorkerService"
LOGS = "proxy/system.log-server/finelog.logging.LogService"
# Without a scope finelog reads the source as a pattern, and a task id holding "(" or
# "+" then matches nothing: keys are always asked for exactly.
EXACT = "MATCH_SCOPE_EXACT"

DEFAULT_LOG_LINES = 1000
JOBS_PAGE = 500  # the most ListJobs returns at once
LOG_PAGE = 5000
# Counting a long log's lines (for "showing X of Y") stops after this many pages;
# past it the total is left unknown rather than read forever.
COUNT_PAGES_LIMIT = 200
ACTION_PAGES_LIMIT = 50
WORKER_TIMEOUT_SECONDS = 5.0

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    """Progress is optional."""


class _Capture:
    def __init__(self, client: Client, log_lines: int, progress: Progress) -> None:
        self.client = client
        self.log_lines = log_lines
        self.progress = progress
        self.notes: list[str] = []
        self.done = 0
        self.total = 1

    def step(self, more: int = 0) -> None:
        self.total += more
        self.done += 1
        self.progress(min(self.done, self.total), self.total)

    def call(self, service: str, method: str, body: dict[str, Any] | None = None) -> Doc:
        return Doc(self.client.call(service, method, body), f"{self.client.base} {method}")

    # ---- the controller ----

    def jobs(self) -> list[Doc]:
        found: list[Doc] = []
        seen: set[str] = set()
        offset = 0
        while True:
            page = self.call(
                CONTROLLER, "ListJobs", {"query": {"limit": JOBS_PAGE, "offset": offset}}
            )
            batch = page.docs("jobs")
            before = len(found)
            for job in batch:
                job_id = job.text("jobId")
                if job_id and job_id not in seen:
                    seen.add(job_id)
                    found.append(job)
            offset += len(batch)
            # A server that ignores the offset would page forever: stop when nothing is new.
            if not batch or not page.flag("hasMore") or len(found) == before:
                return found

    def job(self, listed: Doc) -> mapping.RawJob:
        job_id = listed.text("jobId") or ""
        try:
            status = self.call(CONTROLLER, "GetJobStatus", {"jobId": job_id})
        except RpcError as error:
            if error.code != "not_found":
                raise
            # Gone between the listing and now: keep what the listing said.
            self.notes.append(f"job {job_id!r} vanished during the capture; its listing is kept")
            self.step()
            return mapping.RawJob(job=listed, request=None, tasks=[])
        job = status.obj("job") or listed
        listed_tasks = self.call(CONTROLLER, "ListTasks", {"jobId": job_id}).docs("tasks")
        self.step(len(listed_tasks))
        tasks, causes = [], {}
        for entry in listed_tasks:
            task_id = entry.text("taskId") or ""
            # ListTasks can drop attempts (a preempted one); GetTaskStatus has the history.
            detail = self.call(CONTROLLER, "GetTaskStatus", {"taskId": task_id})
            task = detail.obj("task") or entry
            tasks.append(task)
            causes[task_id] = detail.strings("rootCauseHighlights")
            self.step()
        return mapping.RawJob(
            job=job, request=status.obj("request"), tasks=tasks, root_causes=causes
        )

    def workers(self) -> list[Doc]:
        return self.call(CONTROLLER, "ListWorkers", {}).docs("workers")

    def endpoints(self) -> list[Doc]:
        return self.call(ENDPOINTS, "ListEndpoints", {"prefix": ""}).docs("endpoints")

    def actions(self) -> list[pb.ActionLogEntrySnapshot]:
        from_log: list[pb.ActionLogEntrySnapshot] = []
        cursor: int | None = None
        for _ in range(ACTION_PAGES_LIMIT):
            body: dict[str, Any] = {
                "source": "/system/controller",
                "matchScope": EXACT,
                "substring": "event=",
                "maxLines": LOG_PAGE,
            }
            if cursor is not None:
                body["cursor"] = str(cursor)
            page = self.call(LOGS, "FetchLogs", body)
            entries = page.docs("entries")
            for entry in entries:
                if (action := mapping.action_from_log(entry)) is not None:
                    from_log.append(action)
            following = page.integer("cursor")
            if not entries or following is None or following == cursor:
                break
            cursor = following
        else:
            self.notes.append(f"the action log was cut after {ACTION_PAGES_LIMIT * LOG_PAGE} lines")
        try:
            status = self.call(CONTROLLER, "GetAutoscalerStatus", {}).obj("status")
        except CaptureError as error:  # a controller without an autoscaler
            self.notes.append(f"no autoscaler actions: {error.problem}")
            status = None
        recent = (
            [mapping.autoscaler_action(d) for d in status.docs("recentActions")] if status else []
        )
        return mapping.merge_actions(from_log, recent)

    # ---- logs ----

    def log(self, task_id: str, attempt: int) -> mapping.LogRead:
        """The last `log_lines` lines of one attempt, and its line count when it can be had."""
        source = f"{task_id}:{attempt}"
        wanted = max(self.log_lines, 0)
        if wanted == 0:
            return mapping.LogRead([], self._count(source, None))
        body = {"source": source, "matchScope": EXACT, "maxLines": wanted, "tail": True}
        page = self.call(LOGS, "FetchLogs", body)
        entries = page.docs("entries")
        if len(entries) < wanted:
            return mapping.LogRead(entries, len(entries))
        first_seq = entries[0].integer("seq") if entries else None
        before = self._count(source, first_seq)
        return mapping.LogRead(entries, None if before is None else before + len(entries))

    def _count(self, source: str, until: int | None) -> int | None:
        """Lines of `source` before sequence number `until` (all if None); None if too many."""
        counted, cursor = 0, None
        for _ in range(COUNT_PAGES_LIMIT):
            body: dict[str, Any] = {"source": source, "matchScope": EXACT, "maxLines": LOG_PAGE}
            if cursor is not None:
                body["cursor"] = str(cursor)
            if until is not None:
                body["untilCursor"] = str(until)
            page = self.call(LOGS, "FetchLogs", body)
            entries = page.docs("entries")
            kept = [e for e in entries if until is None or (e.integer("seq") or 0) < until]
            counted += len(kept)
            following = page.integer("cursor")
            if len(kept) < len(entries) or len(entries) < LOG_PAGE or following in (None, cursor):
                return counted
            cursor = following
        return None

    # ---- workers' own view ----

    def worker_view(self, doc: Doc) -> mapping.RawWorker | None:
        worker_id, address = doc.text("workerId") or "", doc.text("address") or ""
        if not address:
            self.notes.append(f"worker {worker_id!r} has no address; its own view is missing")
            return None
        base = address if "://" in address else f"http://{address}"
        try:
            client = Client(
                base,
                timeout=min(self.client.timeout, WORKER_TIMEOUT_SECONDS),
                token=self.client.token,
                retries=1,
            )
            tasks = Doc(client.call(WORKER, "ListTasks", {}), f"{base} ListTasks").docs("tasks")
        except CaptureError as error:
            self.notes.append(
                f"worker {worker_id!r} did not answer ({error.problem}); "
                "its resource usage, build metrics and ports are missing"
            )
            return None
        return mapping.RawWorker(worker_id=worker_id, tasks=tasks)


def capture(
    address: str,
    log_lines: int = DEFAULT_LOG_LINES,
    timeout: float = 30.0,
    token: str | None = None,
    progress: Progress = _no_progress,
) -> pb.ClusterSnapshot:
    """Everything a report needs from the iris controller at `address`."""
    client = Client(address, timeout=timeout, token=token)
    run = _Capture(client, log_lines, progress)
    captured_at_ms = int(time.time() * 1000)
    listed = run.jobs()
    run.total += len(listed) + 4
    jobs = []
    for job in listed:
        jobs.append(run.job(job))
    workers = run.workers()
    run.step(len(workers))
    endpoints = run.endpoints()
    run.step()
    actions = run.actions()
    run.step()
    attempts = [
        (t.text("taskId") or "", a.integer("attemptId", 32))
        for job in jobs
        for t in job.tasks
        for a in t.docs("attempts")
    ]
    run.total += len(attempts)
    logs: dict[tuple[str, int], mapping.LogRead] = {}
    for task_id, attempt in attempts:
        if attempt is not None and task_id:
            logs[(task_id, attempt)] = run.log(task_id, attempt)
        run.step()
    views = []
    for doc in workers:
        view = run.worker_view(doc)
        if view is not None:
            views.append(view)
        run.step()
    provenance = pb.Provenance(system="iris", source="live", address=client.base)
    provenance.notes.append(
        "queue order is the pending jobs by submission time: iris's RPCs do not expose its queue"
    )
    provenance.notes.extend(run.notes)
    raw = mapping.RawCluster(
        captured_at_ms=captured_at_ms,
        jobs=jobs,
        workers=workers,
        endpoints=endpoints,
        actions=actions,
        queue_order=_queue_order(jobs),
        logs=logs,
        worker_views=views,
        provenance=provenance,
    )
    snapshot = mapping.cluster_snapshot(raw)
    run.progress(run.total, run.total)
    return snapshot


def _queue_order(jobs: list[mapping.RawJob]) -> list[str]:
    """Over RPC iris exposes no queue order: pending jobs by submission time."""
    pending = [j.job for j in jobs if mapping.job_state(j.job) == 1]
    pending.sort(key=lambda job: (job.ms("submittedAt") or 0, job.text("jobId") or ""))
    return [job.text("jobId") or "" for job in pending]

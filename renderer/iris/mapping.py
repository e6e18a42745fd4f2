"""iris's shapes (Connect JSON, or checkpoint rows made to look like it) → a ClusterSnapshot.

The choices follow the mapping in the README ("Capturing a real cluster"): job exit
codes come from the failing or last task's current attempt (iris leaves the job's at
0), int64 arrive as strings, times as `{"epochMs": ...}`, and a worker's running job
ids are task ids.

Longer than 400 lines on purpose: the whole mapping from iris's shapes to the snapshot
is here, field by field, as the README's mapping table lists it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from renderer.iris.doc import Doc
from renderer.snapshot.schema import pb

TERMINAL_JOB_STATES = frozenset({4, 5, 6, 7, 8})
_PROBLEM_TASK_STATES = (5, 7, 12, 10, 11, 8, 6)  # which failed task explains a job, in order
# TaskState → JobState for a worker's records, which use JobStatus (iris facts §6).
_TASK_TO_JOB_STATE = {9: 1, 10: 7, 11: 6, 12: 7}


@dataclass
class LogRead:
    """The lines read for one attempt, and how many it wrote if that could be known."""

    entries: list[Doc]
    total: int | None


@dataclass
class RawJob:
    job: Doc  # GetJobStatus.job (or the ListJobs entry, or a checkpoint row)
    request: Doc | None
    tasks: list[Doc]  # GetTaskStatus.task (history) per task
    root_causes: dict[str, list[str]] = field(default_factory=dict)  # by task id


@dataclass
class RawWorker:
    """One worker's own view (WorkerService.ListTasks), when it answered."""

    worker_id: str
    tasks: list[Doc]


@dataclass
class RawCluster:
    captured_at_ms: int
    jobs: list[RawJob]
    workers: list[Doc]  # ListWorkers entries (or checkpoint rows)
    endpoints: list[Doc]
    actions: list[pb.ActionLogEntrySnapshot]
    queue_order: list[str]
    logs: dict[tuple[str, int], LogRead]  # (task id, attempt id) → lines
    worker_views: list[RawWorker]
    provenance: pb.Provenance


def job_state(doc: Doc, key: str = "state") -> pb.JobState:
    return cast(pb.JobState, _enum_number(doc.enum(key, "JOB_STATE_"), pb.JobState, "JOB_"))


def task_state(doc: Doc, key: str = "state") -> pb.TaskState:
    return cast(pb.TaskState, _enum_number(doc.enum(key, "TASK_STATE_"), pb.TaskState, "TASK_"))


def _enum_number(value: str | int | None, enum: object, prefix: str) -> int:
    """A state number; a name this schema does not know (a newer iris) reads as 0."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    try:
        number: int = enum.Value(prefix + "STATE_" + value)  # type: ignore[attr-defined]
    except ValueError:
        return 0
    return number


def size_text(size: int | None) -> str | None:
    """Bytes as fluster writes memory and disk: "256m", "1g" (exact units only)."""
    if size is None:
        return None
    for unit, scale in (("t", 1 << 40), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10)):
        if size and size % scale == 0:
            return f"{size // scale}{unit}"
    return str(size)


def cores(millicores: int | None) -> int | None:
    """Whole cores, rounded up so that a job asking 0.1 core does not read as 0."""
    if millicores is None:
        return None
    return -(-millicores // 1000)


def device(doc: Doc | None) -> pb.DeviceConfig | None:
    if doc is None:
        return None
    made = pb.DeviceConfig()
    if (cpu := doc.obj("cpu")) is not None:
        made.cpu.SetInParent()
        if (variant := cpu.text("variant")) is not None:
            made.cpu.variant = variant
    elif (gpu := doc.obj("gpu")) is not None:
        made.gpu.SetInParent()
        if (variant := gpu.text("variant")) is not None:
            made.gpu.variant = variant
        if (count := gpu.integer("count", 32)) is not None:
            made.gpu.count = count
    elif (tpu := doc.obj("tpu")) is not None:
        made.tpu.SetInParent()
        if (variant := tpu.text("variant")) is not None:
            made.tpu.variant = variant
        if (topology := tpu.text("topology")) is not None:
            made.tpu.topology = topology
    else:
        return None  # `{}`: no accelerator asked for
    return made


def _constraint_values(request: Doc, key: str) -> list[str]:
    values: list[str] = []
    for constraint in request.docs("constraints"):
        if constraint.text("key") != key:
            continue
        for value in [constraint.obj("value"), *constraint.docs("values")]:
            if value is not None and (text := value.text("stringValue")) is not None:
                values.append(text)
    return values


def resource_spec(resources: Doc | None, request: Doc | None) -> pb.ResourceSpec | None:
    if resources is None and request is None:
        return None
    spec = pb.ResourceSpec()
    if resources is not None:
        if (cpu := cores(resources.integer("cpuMillicores", 32))) is not None:
            spec.cpu = cpu
        if (memory := size_text(resources.integer("memoryBytes"))) is not None:
            spec.memory = memory
        if (disk := size_text(resources.integer("diskBytes"))) is not None:
            spec.disk = disk
        if (made := device(resources.obj("device"))) is not None:
            spec.device.CopyFrom(made)
    if request is not None:
        if (replicas := request.integer("replicas", 32)) is not None:
            spec.replicas = replicas
        preemptible = _constraint_values(request, "preemptible")
        if preemptible:
            spec.preemptible = preemptible[0].lower() == "true"
        spec.regions.extend(_constraint_values(request, "region"))
    return spec


def launch_request(request: Doc | None, resources: Doc | None) -> pb.Controller.LaunchJobRequest:
    made = pb.Controller.LaunchJobRequest()
    if request is not None:
        if (name := request.text("name")) is not None:
            made.name = name
        if (bundle := request.text("bundleId")) is not None and bundle:
            made.bundle_hash = bundle
        environment = request.obj("environment")
        if environment is not None:
            made.environment.SetInParent()
            for key, value in sorted(environment.string_map("envVars").items()):
                made.environment.env_vars[key] = value
        timeout = request.duration_ms("schedulingTimeout")
        if timeout:
            made.scheduling_timeout_seconds = min(timeout // 1000, 2**31 - 1)
        made.ports.extend(request.strings("ports"))
    spec = resource_spec(resources or (request.obj("resources") if request else None), request)
    if spec is not None:
        made.resources.CopyFrom(spec)
    return made


def usage(doc: Doc | None) -> pb.ResourceUsage | None:
    if doc is None:
        return None
    made = pb.ResourceUsage()
    for key, name, bits in (
        ("memoryMb", "memory_mb", 64),
        ("diskMb", "disk_mb", 64),
        ("cpuMillicores", "cpu_millicores", 32),
        ("memoryPeakMb", "memory_peak_mb", 64),
        ("processCount", "process_count", 32),
    ):
        if (value := doc.integer(key, bits)) is not None:
            setattr(made, name, value)
    return made


def build_metrics(doc: Doc | None) -> pb.BuildMetrics | None:
    if doc is None:
        return None
    made = pb.BuildMetrics()
    if (started := doc.ms("buildStarted")) is not None:
        made.build_started_ms = started
    if (finished := doc.ms("buildFinished")) is not None:
        made.build_finished_ms = finished
    if (cached := doc.flag("fromCache")) is not None:
        made.from_cache = cached
    if (tag := doc.text("imageTag")) is not None:
        made.image_tag = tag
    return made


def _ports(doc: Doc) -> dict[str, int]:
    ports: dict[str, int] = {}
    for name in doc.mapping("ports"):
        value = Doc({"port": doc.mapping("ports")[name]}, f"{doc.where}.ports").integer("port", 32)
        if value is not None:
            ports[name] = value
    return ports


def log_tail(read: LogRead) -> pb.LogTail:
    tail = pb.LogTail()
    for entry in read.entries:
        line = tail.lines.add()
        if (stamp := entry.ms("timestamp")) is not None:
            line.timestamp_ms = stamp
        if (source := entry.text("source")) is not None:
            line.source = source
        line.data = entry.text("data") or ""
    if read.total is not None:
        tail.total_lines = min(read.total, 2**31 - 1)
    return tail


class _WorkerSide:
    """Worker-side task records by (task id, attempt id): usage, build, ports."""

    def __init__(self, views: Iterable[RawWorker]) -> None:
        self.records: dict[tuple[str, int], Doc] = {}
        for view in views:
            for doc in view.tasks:
                task_id, attempt = doc.text("taskId"), doc.integer("currentAttemptId", 32)
                if task_id is not None and attempt is not None:
                    self.records.setdefault((task_id, attempt), doc)

    def get(self, task_id: str, attempt: int) -> Doc | None:
        return self.records.get((task_id, attempt))


def _nonempty(value: str | None) -> str | None:
    return value if value else None


def task_attempt(
    doc: Doc, task_id: str, addresses: dict[str, str], side: _WorkerSide, raw: RawCluster
) -> pb.TaskAttempt:
    made = pb.TaskAttempt()
    attempt_id = doc.integer("attemptId", 32)
    if attempt_id is not None:
        made.attempt_id = attempt_id
    worker = doc.text("workerId")
    if worker:
        made.worker_id = worker
        if worker in addresses:
            made.worker_address = addresses[worker]
    made.state = task_state(doc)
    if (code := doc.integer("exitCode", 32)) is not None:
        made.exit_code = code
    if (error := _nonempty(doc.text("error"))) is not None:
        made.error = error
    for key, name in (
        ("createdAt", "created_at_ms"),
        ("startedAt", "started_at_ms"),
        ("finishedAt", "finished_at_ms"),
    ):
        if (stamp := doc.ms(key)) is not None:
            setattr(made, name, stamp)
    if (uid := _nonempty(doc.text("attemptUid"))) is not None:
        made.attempt_uid = uid
    if (reason := _nonempty(doc.text("terminalReason"))) is not None:
        made.terminal_reason = reason
    if attempt_id is not None:
        record = side.get(task_id, attempt_id)
        if record is not None:
            if (used := usage(record.obj("resourceUsage"))) is not None:
                made.resource_usage.CopyFrom(used)
            if (built := build_metrics(record.obj("buildMetrics"))) is not None:
                made.build_metrics.CopyFrom(built)
            for name, port in sorted(_ports(record).items()):
                made.ports[name] = port
        read = raw.logs.get((task_id, attempt_id))
        if read is not None:
            made.log.CopyFrom(log_tail(read))
    return made


def task_snapshot(
    doc: Doc,
    root_cause: list[str],
    addresses: dict[str, str],
    side: _WorkerSide,
    raw: RawCluster,
) -> pb.TaskSnapshot:
    made = pb.TaskSnapshot()
    task_id = doc.text("taskId") or ""
    made.task_id = task_id
    index = doc.integer("taskIndex", 32)
    if index is None:  # JSON has no index field: it is the id's last segment
        last = task_id.rsplit("/", 1)[-1]
        index = int(last) if last.isdigit() and len(last) < 10 else None
    if index is not None:
        made.task_index = index
    made.state = task_state(doc)
    if (code := doc.integer("exitCode", 32)) is not None:
        made.exit_code = code
    if (error := _nonempty(doc.text("error"))) is not None:
        made.error = error
    if (started := doc.ms("startedAt")) is not None:
        made.started_at_ms = started
    if (finished := doc.ms("finishedAt")) is not None:
        made.finished_at_ms = finished
    if (worker := _nonempty(doc.text("workerId"))) is not None:
        made.worker_id = worker
    address = _nonempty(doc.text("workerAddress")) or addresses.get(worker or "")
    if address:
        made.worker_address = address
    if (current := doc.integer("currentAttemptId", 32)) is not None:
        made.current_attempt_id = current
    attempts = sorted(doc.docs("attempts"), key=lambda a: a.integer("attemptId", 32) or 0)
    made.attempts.extend(task_attempt(a, task_id, addresses, side, raw) for a in attempts)
    if (message := _nonempty(doc.text("statusMessage"))) is not None:
        made.status_message = message
    made.root_cause.extend(root_cause)
    return made


def _current(task: pb.TaskSnapshot) -> pb.TaskAttempt | None:
    for attempt in task.attempts:
        if attempt.attempt_id == task.current_attempt_id:
            return attempt
    return None


def _explaining_task(tasks: list[pb.TaskSnapshot]) -> pb.TaskSnapshot | None:
    """The task whose exit code is the job's: the first that failed, else the last."""
    for state in _PROBLEM_TASK_STATES:
        for task in tasks:
            if task.state == state and (task.exit_code or _current_code(task)):
                return task
    return tasks[-1] if tasks else None


def _current_code(task: pb.TaskSnapshot) -> int:
    attempt = _current(task)
    return attempt.exit_code if attempt is not None else 0


def _sum_usage(records: list[pb.ResourceUsage]) -> pb.ResourceUsage | None:
    if not records:
        return None
    total = pb.ResourceUsage()
    for name in ("memory_mb", "disk_mb", "cpu_millicores", "memory_peak_mb", "process_count"):
        present = [getattr(r, name) for r in records if r.HasField(name)]
        if present:
            limit = 2**31 - 1 if name in ("cpu_millicores", "process_count") else 2**63 - 1
            setattr(total, name, min(sum(present), limit))
    return total


def controller_job(
    raw_job: RawJob, addresses: dict[str, str], side: _WorkerSide, raw: RawCluster, ids: set[str]
) -> pb.ControllerJobSnapshot:
    job, request = raw_job.job, raw_job.request
    made = pb.ControllerJobSnapshot()
    status = made.status
    job_id = job.text("jobId") or ""
    status.job_id = job_id
    status.state = job_state(job)
    tasks = [
        task_snapshot(t, raw_job.root_causes.get(t.text("taskId") or "", []), addresses, side, raw)
        for t in raw_job.tasks
    ]
    tasks.sort(key=lambda t: (t.task_index, t.task_id))
    made.tasks.extend(tasks)
    if status.state in TERMINAL_JOB_STATES:
        explaining = _explaining_task(tasks)
        if explaining is not None:
            current = _current(explaining)
            if current is not None and current.HasField("exit_code"):
                status.exit_code = current.exit_code
            elif explaining.HasField("exit_code"):
                status.exit_code = explaining.exit_code
    if (error := _nonempty(job.text("error"))) is not None:
        status.error = error
    if (started := job.ms("startedAt")) is not None:
        status.started_at_ms = started
    if (finished := job.ms("finishedAt")) is not None:
        status.finished_at_ms = finished
    message = _nonempty(job.text("statusMessage")) or _nonempty(job.text("pendingReason"))
    if message is not None:
        status.status_message = message
    first = tasks[0] if tasks else None
    if first is not None:
        if first.HasField("worker_id"):
            status.worker_id = first.worker_id
        if first.HasField("worker_address"):
            status.worker_address = first.worker_address
        current = _current(first)
        if current is not None:
            for name, port in current.ports.items():
                status.ports[name] = port
            if current.HasField("build_metrics"):
                status.build_metrics.CopyFrom(current.build_metrics)
    used = [c.resource_usage for t in tasks if (c := _current(t)) and c.HasField("resource_usage")]
    if (total := _sum_usage(used)) is not None:
        status.resource_usage.CopyFrom(total)
    for key, name in (("failureCount", "failure_count"), ("preemptionCount", "preemption_count")):
        if (count := job.integer(key, 32)) is not None:
            setattr(made, name, count)
    if request is not None:
        for key, name in (
            ("maxRetriesFailure", "max_retries_failure"),
            ("maxRetriesPreemption", "max_retries_preemption"),
        ):
            if (count := request.integer(key, 32)) is not None:
                setattr(made, name, count)
        coscheduling = request.obj("coscheduling")
        group = coscheduling.text("groupBy") if coscheduling is not None else None
        if group:
            made.gang_id = group
        elif (request.integer("replicas", 32) or 1) > 1:
            made.gang_id = job_id
    if (submitted := job.ms("submittedAt")) is not None:
        made.submitted_at_ms = submitted
    made.request.CopyFrom(launch_request(request, job.obj("resources")))
    job_name = job.text("name")
    if not made.request.HasField("name") and job_name is not None:
        made.request.name = job_name
    parent = _nonempty(job.text("parentJobId")) or _parent_from_id(job_id, ids)
    if parent is not None:
        made.parent_job_id = parent
    return made


def _parent_from_id(job_id: str, ids: set[str]) -> str | None:
    """ListJobs leaves parentJobId empty: a child's id extends its parent's."""
    parent = job_id.rsplit("/", 1)[0]
    return parent if parent != job_id and parent in ids else None


def worker_snapshot(
    doc: Doc, view: RawWorker | None, raw: RawCluster
) -> pb.ControllerWorkerSnapshot:
    made = pb.ControllerWorkerSnapshot()
    made.worker_id = doc.text("workerId") or ""
    if (address := _nonempty(doc.text("address"))) is not None:
        made.address = address
    metadata = doc.obj("metadata")
    if metadata is not None:
        spec = made.resources
        spec.SetInParent()
        if (count := metadata.integer("cpuCount", 32)) is not None:
            spec.cpu = count
        if (memory := size_text(metadata.integer("memoryBytes"))) is not None:
            spec.memory = memory
        if (disk := size_text(metadata.integer("diskBytes"))) is not None:
            spec.disk = disk
        if (made_device := device(metadata.obj("device"))) is not None:
            spec.device.CopyFrom(made_device)
    if (healthy := doc.flag("healthy")) is not None:
        made.healthy = healthy
    if (failures := doc.integer("consecutiveFailures", 32)) is not None:
        made.consecutive_failures = failures
    if (heartbeat := doc.ms("lastHeartbeat")) is not None:
        made.last_heartbeat_ms = heartbeat
    running: list[str] = []
    for task_id in doc.strings("runningJobIds"):  # task ids: the job is the id less "/<n>"
        head, _, tail = task_id.rpartition("/")
        job_id = head if tail.isdigit() and head else task_id
        if job_id not in running:
            running.append(job_id)
    made.running_job_ids.extend(running)
    return made


def worker_view(view: RawWorker, raw: RawCluster, address: str | None) -> pb.WorkerSnapshot:
    """A worker's own record: one JobStatus per task (its latest attempt there), by task id."""
    made = pb.WorkerSnapshot()
    made.captured_at_ms = raw.captured_at_ms
    made.worker_id = view.worker_id
    latest: dict[str, Doc] = {}
    for doc in view.tasks:
        task_id = doc.text("taskId")
        if task_id is None:
            continue
        held = latest.get(task_id)
        attempt = doc.integer("currentAttemptId", 32) or 0
        if held is None or attempt > (held.integer("currentAttemptId", 32) or 0):
            latest[task_id] = doc
    for task_id, doc in latest.items():
        status = made.jobs.add()
        status.job_id = task_id
        state = task_state(doc)
        status.state = cast(pb.JobState, _TASK_TO_JOB_STATE.get(state, state))
        if (code := doc.integer("exitCode", 32)) is not None:
            status.exit_code = code
        if (error := _nonempty(doc.text("error"))) is not None:
            status.error = error
        if (started := doc.ms("startedAt")) is not None:
            status.started_at_ms = started
        if (finished := doc.ms("finishedAt")) is not None:
            status.finished_at_ms = finished
        for name, port in sorted(_ports(doc).items()):
            status.ports[name] = port
        if (used := usage(doc.obj("resourceUsage"))) is not None:
            status.resource_usage.CopyFrom(used)
        if (built := build_metrics(doc.obj("buildMetrics"))) is not None:
            status.build_metrics.CopyFrom(built)
        if (message := _nonempty(doc.text("statusMessage"))) is not None:
            status.status_message = message
        status.worker_id = view.worker_id
        if address:
            status.worker_address = address
        read = raw.logs.get((task_id, doc.integer("currentAttemptId", 32) or 0))
        if read is not None:
            made.job_logs[task_id].CopyFrom(log_tail(read))
    return made


def endpoint(doc: Doc) -> pb.Controller.Endpoint:
    made = pb.Controller.Endpoint()
    for key, name in (("endpointId", "endpoint_id"), ("name", "name"), ("address", "address")):
        if (value := doc.text(key)) is not None:
            setattr(made, name, value)
    job_id = _nonempty(doc.text("jobId"))
    task_id = _nonempty(doc.text("taskId"))
    if job_id is None and task_id is not None:
        head, _, tail = task_id.rpartition("/")
        job_id = head if tail.isdigit() and head else task_id
    if job_id is not None:
        made.job_id = job_id
    for key, value in sorted(doc.string_map("metadata").items()):
        made.metadata[key] = value
    if (registered := doc.ms("registeredAt")) is not None:
        made.registered_at_ms = registered
    return made


_FIELD = re.compile(r"(\w+)=(\S*)")


def action_from_log(entry: Doc) -> pb.ActionLogEntrySnapshot | None:
    """An audit line (`... event=job_terminated entity=/root/x trigger=... reason=...`)."""
    data = entry.text("data") or ""
    start = data.find("event=")
    if start < 0:
        return None
    text = data[start:]
    fields = dict(_FIELD.findall(text.split(" reason=", 1)[0]))
    event = fields.get("event", "")
    if not event:
        return None
    made = pb.ActionLogEntrySnapshot()
    if (stamp := entry.ms("timestamp")) is not None:
        made.timestamp_ms = stamp
    made.action = f"autoscaler:{fields.get('action', '')}" if event == "autoscaler" else event

    entity = fields.get("entity", "")
    worker = fields.get("worker", "")
    if entity.startswith("/"):
        head, _, tail = entity.rpartition("/")
        made.job_id = head if tail.isdigit() and head else entity
    elif entity.startswith("worker-"):
        worker = worker or entity
    if worker:
        made.worker_id = worker
    rest = text.split(" ", 1)[1] if " " in text else ""
    rest = re.sub(r"^entity=\S*\s*", "", rest)
    if rest:
        made.details = rest
    return made


def autoscaler_action(doc: Doc) -> pb.ActionLogEntrySnapshot:
    made = pb.ActionLogEntrySnapshot()
    if (stamp := doc.ms("timestamp")) is not None:
        made.timestamp_ms = stamp
    made.action = f"autoscaler:{doc.text('actionType') or 'unknown'}"
    details = [
        f"{key}={value}"
        for key in ("scaleGroup", "sliceId", "status", "reason")
        if (value := doc.text(key))
    ]
    if details:
        made.details = " ".join(details)
    return made


def merge_actions(
    from_log: list[pb.ActionLogEntrySnapshot], autoscaler: list[pb.ActionLogEntrySnapshot]
) -> list[pb.ActionLogEntrySnapshot]:
    """Both, oldest first; an autoscaler action the log already has is left out."""
    seen = {(a.action, a.timestamp_ms) for a in from_log}
    merged = from_log + [a for a in autoscaler if (a.action, a.timestamp_ms) not in seen]
    return sorted(merged, key=lambda a: a.timestamp_ms)


def cluster_snapshot(raw: RawCluster) -> pb.ClusterSnapshot:
    snapshot = pb.ClusterSnapshot()
    snapshot.captured_at_ms = raw.captured_at_ms
    snapshot.provenance.CopyFrom(raw.provenance)
    controller = snapshot.controller
    controller.captured_at_ms = raw.captured_at_ms
    addresses = {
        worker_id: address
        for doc in raw.workers
        if (worker_id := doc.text("workerId")) and (address := doc.text("address"))
    }
    side = _WorkerSide(raw.worker_views)
    ids = {doc.job.text("jobId") or "" for doc in raw.jobs}
    controller.jobs.extend(controller_job(j, addresses, side, raw, ids) for j in raw.jobs)
    views = {view.worker_id: view for view in raw.worker_views}
    controller.workers.extend(
        worker_snapshot(doc, views.get(doc.text("workerId") or ""), raw) for doc in raw.workers
    )
    controller.endpoints.extend(endpoint(doc) for doc in raw.endpoints)
    controller.actions.extend(raw.actions)
    controller.queue_order.extend(raw.queue_order)
    for view in sorted(raw.worker_views, key=lambda v: v.worker_id):
        snapshot.workers.append(worker_view(view, raw, addresses.get(view.worker_id)))
    return snapshot


def json_text(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)

"""Turn snapshot messages into model values; the only module that reads protobuf fields.

Every free-text value passes through a Redactor on its way (names, errors, details,
addresses, paths, log lines; key/value pairs by their key's name too), so nothing
read from a snapshot reaches any output with a secret in it. Ids are kept as they
are: they name jobs and workers across every page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from renderer.snapshot import model, states
from renderer.snapshot.redaction import Redactor
from renderer.snapshot.schema import pb


def optional(message: Any, name: str) -> Any:
    """A scalar field's value, or None when the sender left it unset.

    A value other than the default implies presence, so HasField is asked only for
    defaults: this runs for every field of every job and log line.
    """
    value = getattr(message, name)
    if value or message.HasField(name):
        return value
    return None


def pairs(mapping: Any, r: Redactor) -> model.Pairs:
    """A map as sorted pairs, each value shown as its key allows."""
    return tuple(sorted((key, r.pair(key, value)) for key, value in mapping.items()))


def _text(r: Redactor, value: str | None) -> str | None:
    return r.text(value) if value else value


def blob(data: bytes) -> model.Blob:
    return model.Blob(size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _opt_blob(message: Any, name: str) -> model.Blob | None:
    return blob(getattr(message, name)) if message.HasField(name) else None


def device(m: pb.DeviceConfig) -> model.Device:
    kind = m.WhichOneof("device")
    if kind == "cpu":
        return model.Device("cpu", variant=optional(m.cpu, "variant"))
    if kind == "gpu":
        return model.Device(
            "gpu", variant=optional(m.gpu, "variant"), count=optional(m.gpu, "count")
        )
    if kind == "tpu":
        return model.Device(
            "tpu", variant=optional(m.tpu, "variant"), topology=optional(m.tpu, "topology")
        )
    return model.Device("")


def resources(m: pb.ResourceSpec) -> model.Resources:
    """Resources are shared: jobs ask for a handful of shapes, so each is converted once."""
    return _resources_of(m.SerializeToString())


@lru_cache(maxsize=65_536)
def _resources_of(data: bytes) -> model.Resources:
    m = pb.ResourceSpec()
    m.ParseFromString(data)
    return model.Resources(
        cpu=optional(m, "cpu"),
        memory=optional(m, "memory"),
        disk=optional(m, "disk"),
        device=device(m.device) if m.HasField("device") else None,
        replicas=optional(m, "replicas"),
        preemptible=optional(m, "preemptible"),
        regions=tuple(m.regions),
    )


def environment(m: pb.EnvironmentConfig, r: Redactor) -> model.Environment:
    return model.Environment(
        workspace=_text(r, optional(m, "workspace")),
        pip_packages=tuple(r.lines(m.pip_packages)),
        env_vars=pairs(m.env_vars, r),
        extras=tuple(r.lines(m.extras)),
    )


def request(m: pb.Controller.LaunchJobRequest, r: Redactor) -> model.JobRequest:
    return model.JobRequest(
        name=_text(r, optional(m, "name")),
        entrypoint=_opt_blob(m, "serialized_entrypoint"),
        resources=resources(m.resources) if m.HasField("resources") else None,
        environment=environment(m.environment, r) if m.HasField("environment") else None,
        bundle_gcs_path=_text(r, optional(m, "bundle_gcs_path")),
        bundle_hash=optional(m, "bundle_hash"),
        bundle_blob=_opt_blob(m, "bundle_blob"),
        scheduling_timeout_seconds=optional(m, "scheduling_timeout_seconds"),
        ports=tuple(m.ports),
    )


# The converters below run for every job and every worker's record of it (some
# 200,000 a render), so `optional` is written out in them: `v if v or has(...)`.


def usage(m: pb.ResourceUsage) -> model.Usage:
    has = m.HasField
    memory, disk, millicores = m.memory_mb, m.disk_mb, m.cpu_millicores
    peak, cpu, processes = m.memory_peak_mb, m.cpu_percent, m.process_count
    return model.Usage(
        memory_mb=memory if memory or has("memory_mb") else None,
        disk_mb=disk if disk or has("disk_mb") else None,
        cpu_millicores=millicores if millicores or has("cpu_millicores") else None,
        memory_peak_mb=peak if peak or has("memory_peak_mb") else None,
        cpu_percent=cpu if cpu or has("cpu_percent") else None,
        process_count=processes if processes or has("process_count") else None,
    )


def build(m: pb.BuildMetrics, r: Redactor) -> model.Build:
    has = m.HasField
    started, finished = m.build_started_ms, m.build_finished_ms
    from_cache, image = m.from_cache, m.image_tag
    return model.Build(
        started_ms=started if started or has("build_started_ms") else None,
        finished_ms=finished if finished or has("build_finished_ms") else None,
        from_cache=from_cache if from_cache or has("from_cache") else None,
        image_tag=r.text(image) if image else (image if has("image_tag") else None),
    )


def job_status(m: pb.JobStatus, r: Redactor) -> model.JobStatus:
    has = m.HasField
    exit_code, error, message = m.exit_code, m.error, m.status_message
    started, finished = m.started_at_ms, m.finished_at_ms
    worker, address = m.worker_id, m.worker_address
    return model.JobStatus(
        job_id=m.job_id,
        state=m.state,
        exit_code=exit_code if exit_code or has("exit_code") else None,
        error=r.text(error) if error else (error if has("error") else None),
        started_at_ms=started if started or has("started_at_ms") else None,
        finished_at_ms=finished if finished or has("finished_at_ms") else None,
        ports=tuple(sorted(m.ports.items())) if m.ports else (),
        usage=usage(m.resource_usage) if has("resource_usage") else None,
        status_message=r.text(message) if message else (message if has("status_message") else None),
        build=build(m.build_metrics, r) if has("build_metrics") else None,
        worker_id=worker if worker or has("worker_id") else None,
        worker_address=r.text(address) if address else (address if has("worker_address") else None),
        result=_opt_blob(m, "serialized_result"),
    )


def controller_job(m: pb.ControllerJobSnapshot, r: Redactor) -> model.ControllerJob:
    return model.ControllerJob(
        status=job_status(m.status, r),
        failure_count=optional(m, "failure_count"),
        preemption_count=optional(m, "preemption_count"),
        max_retries_failure=optional(m, "max_retries_failure"),
        max_retries_preemption=optional(m, "max_retries_preemption"),
        gang_id=optional(m, "gang_id"),
        submitted_at_ms=optional(m, "submitted_at_ms"),
        request=request(m.request, r) if m.HasField("request") else None,
        parent_job_id=optional(m, "parent_job_id"),
    )


def attempt(m: pb.TaskAttempt, log_limit: int | None, r: Redactor) -> model.Attempt:
    return model.Attempt(
        attempt_id=optional(m, "attempt_id"),
        worker_id=optional(m, "worker_id"),
        state=m.state,
        exit_code=optional(m, "exit_code"),
        error=_text(r, optional(m, "error")),
        created_at_ms=optional(m, "created_at_ms"),
        started_at_ms=optional(m, "started_at_ms"),
        finished_at_ms=optional(m, "finished_at_ms"),
        attempt_uid=optional(m, "attempt_uid"),
        worker_address=_text(r, optional(m, "worker_address")),
        terminal_reason=_text(r, optional(m, "terminal_reason")),
        usage=usage(m.resource_usage) if m.HasField("resource_usage") else None,
        build=build(m.build_metrics, r) if m.HasField("build_metrics") else None,
        ports=tuple(sorted(m.ports.items())),
        log=log_tail(m.log, log_limit, r) if m.HasField("log") else None,
    )


def task(m: pb.TaskSnapshot, log_limit: int | None, r: Redactor) -> model.Task:
    return model.Task(
        task_id=m.task_id,
        task_index=optional(m, "task_index"),
        state=m.state,
        exit_code=optional(m, "exit_code"),
        error=_text(r, optional(m, "error")),
        started_at_ms=optional(m, "started_at_ms"),
        finished_at_ms=optional(m, "finished_at_ms"),
        worker_id=optional(m, "worker_id"),
        worker_address=_text(r, optional(m, "worker_address")),
        current_attempt_id=optional(m, "current_attempt_id"),
        attempts=tuple(attempt(a, log_limit, r) for a in m.attempts),
        status_message=_text(r, optional(m, "status_message")),
        root_cause=tuple(r.lines(m.root_cause)),
    )


def provenance(m: pb.Provenance) -> model.Provenance:
    return model.Provenance(
        system=optional(m, "system"),
        version=optional(m, "version"),
        source=optional(m, "source"),
        address=optional(m, "address"),
        notes=tuple(m.notes),
    )


def task_counts(m: pb.ControllerJobSnapshot) -> tuple[tuple[int, int], ...]:
    """Tasks per TaskState number, problem states first; empty for a job without tasks."""
    counts: dict[int, int] = {}
    for t in m.tasks:
        counts[t.state] = counts.get(t.state, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: states.task_display_rank(item[0])))


def job_summary(
    m: pb.ControllerJobSnapshot,
    queue_position: int | None,
    r: Redactor,
    shared: dict[str, str] | None = None,
) -> model.JobSummary:
    """`shared` keeps one text for each worker and gang id across the jobs it is
    given: a million jobs on 100,000 workers hold 100,000 worker ids, not a million."""
    # Each read of a message field makes a new wrapper: read status and request once.
    status, request = m.status, m.request
    has, has_status = m.HasField, status.HasField
    name, worker, error = request.name, status.worker_id, status.error
    exit_code, submitted = status.exit_code, m.submitted_at_ms
    started, finished = status.started_at_ms, status.finished_at_ms
    failures, preemptions, gang = m.failure_count, m.preemption_count, m.gang_id
    if shared is not None:
        worker, gang = shared.setdefault(worker, worker), shared.setdefault(gang, gang)
    return model.JobSummary(
        job_id=status.job_id,
        name=r.text(name) if name else (name if request.HasField("name") else None),
        state=status.state,
        worker_id=worker if worker or has_status("worker_id") else None,
        error=r.text(error) if error else (error if has_status("error") else None),
        exit_code=exit_code if exit_code or has_status("exit_code") else None,
        submitted_at_ms=submitted if submitted or has("submitted_at_ms") else None,
        started_at_ms=started if started or has_status("started_at_ms") else None,
        finished_at_ms=finished if finished or has_status("finished_at_ms") else None,
        failure_count=failures if failures or has("failure_count") else None,
        preemption_count=preemptions if preemptions or has("preemption_count") else None,
        gang_id=gang if gang or has("gang_id") else None,
        resources=resources(request.resources) if request.HasField("resources") else None,
        queue_position=queue_position,
        parent_job_id=optional(m, "parent_job_id"),
        tasks_by_state=task_counts(m) if m.tasks else (),
    )


def worker_info(m: pb.ControllerWorkerSnapshot, r: Redactor) -> model.WorkerInfo:
    return model.WorkerInfo(
        worker_id=m.worker_id,
        address=_text(r, optional(m, "address")),
        resources=resources(m.resources) if m.HasField("resources") else None,
        healthy=optional(m, "healthy"),
        consecutive_failures=optional(m, "consecutive_failures"),
        last_heartbeat_ms=optional(m, "last_heartbeat_ms"),
        running_job_ids=tuple(sorted(m.running_job_ids)),
    )


def endpoint(m: pb.Controller.Endpoint, r: Redactor) -> model.Endpoint:
    return model.Endpoint(
        endpoint_id=optional(m, "endpoint_id"),
        name=_text(r, optional(m, "name")),
        address=_text(r, optional(m, "address")),
        job_id=optional(m, "job_id"),
        namespace=_text(r, optional(m, "namespace")),
        metadata=pairs(m.metadata, r),
        registered_at_ms=optional(m, "registered_at_ms"),
    )


def action(m: pb.ActionLogEntrySnapshot, r: Redactor) -> model.Action:
    return model.Action(
        timestamp_ms=optional(m, "timestamp_ms"),
        action=_text(r, optional(m, "action")),
        job_id=optional(m, "job_id"),
        worker_id=optional(m, "worker_id"),
        details=_text(r, optional(m, "details")),
    )


def log_lines(lines: Sequence[pb.Worker.LogEntry], r: Redactor) -> tuple[model.LogLine, ...]:
    # `optional` written out: a snapshot can hold a million lines. The lines' texts are
    # redacted together, in one scan of the tail.
    texts = r.lines([m.data for m in lines])
    made = []
    for m, data in zip(lines, texts, strict=True):
        timestamp, source = m.timestamp_ms, m.source
        made.append(
            model.LogLine(
                timestamp if timestamp or m.HasField("timestamp_ms") else None,
                source if source or m.HasField("source") else None,
                data if data or m.HasField("data") else None,
            )
        )
    return tuple(made)


def log_tail(m: pb.LogTail, limit: int | None, r: Redactor) -> model.LogTail:
    """The tail's last `limit` lines; a tail cut here counts the lines it had."""
    lines = model.tail(m.lines, limit)
    total = optional(m, "total_lines")
    if total is None and len(lines) < len(m.lines):
        total = len(m.lines)
    return model.LogTail(lines=log_lines(lines, r), total_lines=total)

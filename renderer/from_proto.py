"""Turn snapshot messages into model values; the only module that reads protobuf fields."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from renderer import model
from renderer.schema import pb


def optional(message: Any, name: str) -> Any:
    """A scalar field's value, or None when the sender left it unset.

    A value other than the default implies presence, so HasField is asked only for
    defaults: this runs for every field of every job and log line.
    """
    value = getattr(message, name)
    if value or message.HasField(name):
        return value
    return None


def pairs(mapping: Any) -> model.Pairs:
    return tuple(sorted(mapping.items()))


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


def environment(m: pb.EnvironmentConfig) -> model.Environment:
    return model.Environment(
        workspace=optional(m, "workspace"),
        pip_packages=tuple(m.pip_packages),
        env_vars=pairs(m.env_vars),
        extras=tuple(m.extras),
    )


def request(m: pb.Controller.LaunchJobRequest) -> model.JobRequest:
    return model.JobRequest(
        name=optional(m, "name"),
        entrypoint=_opt_blob(m, "serialized_entrypoint"),
        resources=resources(m.resources) if m.HasField("resources") else None,
        environment=environment(m.environment) if m.HasField("environment") else None,
        bundle_gcs_path=optional(m, "bundle_gcs_path"),
        bundle_hash=optional(m, "bundle_hash"),
        bundle_blob=_opt_blob(m, "bundle_blob"),
        scheduling_timeout_seconds=optional(m, "scheduling_timeout_seconds"),
        ports=tuple(m.ports),
    )


def usage(m: pb.ResourceUsage) -> model.Usage:
    return model.Usage(
        memory_mb=optional(m, "memory_mb"),
        disk_mb=optional(m, "disk_mb"),
        cpu_millicores=optional(m, "cpu_millicores"),
        memory_peak_mb=optional(m, "memory_peak_mb"),
        cpu_percent=optional(m, "cpu_percent"),
        process_count=optional(m, "process_count"),
    )


def build(m: pb.BuildMetrics) -> model.Build:
    return model.Build(
        started_ms=optional(m, "build_started_ms"),
        finished_ms=optional(m, "build_finished_ms"),
        from_cache=optional(m, "from_cache"),
        image_tag=optional(m, "image_tag"),
    )


def job_status(m: pb.JobStatus) -> model.JobStatus:
    return model.JobStatus(
        job_id=m.job_id,
        state=m.state,
        exit_code=optional(m, "exit_code"),
        error=optional(m, "error"),
        started_at_ms=optional(m, "started_at_ms"),
        finished_at_ms=optional(m, "finished_at_ms"),
        ports=tuple(sorted(m.ports.items())),
        usage=usage(m.resource_usage) if m.HasField("resource_usage") else None,
        status_message=optional(m, "status_message"),
        build=build(m.build_metrics) if m.HasField("build_metrics") else None,
        worker_id=optional(m, "worker_id"),
        worker_address=optional(m, "worker_address"),
        result=_opt_blob(m, "serialized_result"),
    )


def controller_job(m: pb.ControllerJobSnapshot) -> model.ControllerJob:
    return model.ControllerJob(
        status=job_status(m.status),
        failure_count=optional(m, "failure_count"),
        preemption_count=optional(m, "preemption_count"),
        max_retries_failure=optional(m, "max_retries_failure"),
        max_retries_preemption=optional(m, "max_retries_preemption"),
        gang_id=optional(m, "gang_id"),
        submitted_at_ms=optional(m, "submitted_at_ms"),
        request=request(m.request) if m.HasField("request") else None,
    )


def job_summary(m: pb.ControllerJobSnapshot, queue_position: int | None) -> model.JobSummary:
    # Each read of a message field makes a new wrapper: read status and request once.
    status, request = m.status, m.request
    return model.JobSummary(
        job_id=status.job_id,
        name=optional(request, "name"),
        state=status.state,
        worker_id=optional(status, "worker_id"),
        error=optional(status, "error"),
        exit_code=optional(status, "exit_code"),
        submitted_at_ms=optional(m, "submitted_at_ms"),
        started_at_ms=optional(status, "started_at_ms"),
        finished_at_ms=optional(status, "finished_at_ms"),
        failure_count=optional(m, "failure_count"),
        preemption_count=optional(m, "preemption_count"),
        gang_id=optional(m, "gang_id"),
        resources=resources(request.resources) if request.HasField("resources") else None,
        queue_position=queue_position,
    )


def worker_info(m: pb.ControllerWorkerSnapshot) -> model.WorkerInfo:
    return model.WorkerInfo(
        worker_id=m.worker_id,
        address=optional(m, "address"),
        resources=resources(m.resources) if m.HasField("resources") else None,
        healthy=optional(m, "healthy"),
        consecutive_failures=optional(m, "consecutive_failures"),
        last_heartbeat_ms=optional(m, "last_heartbeat_ms"),
        running_job_ids=tuple(sorted(m.running_job_ids)),
    )


def endpoint(m: pb.Controller.Endpoint) -> model.Endpoint:
    return model.Endpoint(
        endpoint_id=optional(m, "endpoint_id"),
        name=optional(m, "name"),
        address=optional(m, "address"),
        job_id=optional(m, "job_id"),
        namespace=optional(m, "namespace"),
        metadata=pairs(m.metadata),
        registered_at_ms=optional(m, "registered_at_ms"),
    )


def action(m: pb.ActionLogEntrySnapshot) -> model.Action:
    return model.Action(
        timestamp_ms=optional(m, "timestamp_ms"),
        action=optional(m, "action"),
        job_id=optional(m, "job_id"),
        worker_id=optional(m, "worker_id"),
        details=optional(m, "details"),
    )


def log_lines(lines: Iterable[pb.Worker.LogEntry]) -> tuple[model.LogLine, ...]:
    # `optional` written out: a snapshot can hold a million lines.
    made = []
    for m in lines:
        timestamp, source, data = m.timestamp_ms, m.source, m.data
        made.append(
            model.LogLine(
                timestamp if timestamp or m.HasField("timestamp_ms") else None,
                source if source or m.HasField("source") else None,
                data if data or m.HasField("data") else None,
            )
        )
    return tuple(made)


def log_tail(m: pb.LogTail, limit: int | None) -> model.LogTail:
    lines = model.tail(m.lines, limit)
    return model.LogTail(lines=log_lines(lines), total_lines=optional(m, "total_lines"))

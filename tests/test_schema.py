"""The schema is fluster's: names, numbers and types from the reference, and fresh gencode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf.descriptor import FieldDescriptor

from renderer.snapshot.schema import pb
from tests.conftest import ROOT

T = FieldDescriptor
# (message, field, number, type, repeated) straight from the reference's tables.
REFERENCE_FIELDS = [
    ("ResourceUsage", "memory_mb", 1, T.TYPE_INT64, False),
    ("ResourceUsage", "disk_mb", 2, T.TYPE_INT64, False),
    ("ResourceUsage", "cpu_millicores", 3, T.TYPE_INT32, False),
    ("ResourceUsage", "memory_peak_mb", 4, T.TYPE_INT64, False),
    ("ResourceUsage", "cpu_percent", 5, T.TYPE_INT32, False),
    ("ResourceUsage", "process_count", 6, T.TYPE_INT32, False),
    ("BuildMetrics", "build_started_ms", 1, T.TYPE_INT64, False),
    ("BuildMetrics", "build_finished_ms", 2, T.TYPE_INT64, False),
    ("BuildMetrics", "from_cache", 3, T.TYPE_BOOL, False),
    ("BuildMetrics", "image_tag", 4, T.TYPE_STRING, False),
    ("JobStatus", "job_id", 1, T.TYPE_STRING, False),
    ("JobStatus", "state", 2, T.TYPE_ENUM, False),
    ("JobStatus", "exit_code", 3, T.TYPE_INT32, False),
    ("JobStatus", "error", 4, T.TYPE_STRING, False),
    ("JobStatus", "started_at_ms", 5, T.TYPE_INT64, False),
    ("JobStatus", "finished_at_ms", 6, T.TYPE_INT64, False),
    ("JobStatus", "ports", 7, T.TYPE_MESSAGE, True),
    ("JobStatus", "resource_usage", 8, T.TYPE_MESSAGE, False),
    ("JobStatus", "status_message", 9, T.TYPE_STRING, False),
    ("JobStatus", "build_metrics", 10, T.TYPE_MESSAGE, False),
    ("JobStatus", "worker_id", 11, T.TYPE_STRING, False),
    ("JobStatus", "worker_address", 12, T.TYPE_STRING, False),
    ("JobStatus", "serialized_result", 13, T.TYPE_BYTES, False),
    ("CpuDevice", "variant", 1, T.TYPE_STRING, False),
    ("GpuDevice", "variant", 1, T.TYPE_STRING, False),
    ("GpuDevice", "count", 2, T.TYPE_INT32, False),
    ("TpuDevice", "variant", 1, T.TYPE_STRING, False),
    ("TpuDevice", "topology", 2, T.TYPE_STRING, False),
    ("DeviceConfig", "cpu", 1, T.TYPE_MESSAGE, False),
    ("DeviceConfig", "gpu", 2, T.TYPE_MESSAGE, False),
    ("DeviceConfig", "tpu", 3, T.TYPE_MESSAGE, False),
    ("ResourceSpec", "cpu", 1, T.TYPE_INT32, False),
    ("ResourceSpec", "memory", 2, T.TYPE_STRING, False),
    ("ResourceSpec", "disk", 3, T.TYPE_STRING, False),
    ("ResourceSpec", "device", 5, T.TYPE_MESSAGE, False),
    ("ResourceSpec", "replicas", 6, T.TYPE_INT32, False),
    ("ResourceSpec", "preemptible", 7, T.TYPE_BOOL, False),
    ("ResourceSpec", "regions", 8, T.TYPE_STRING, True),
    ("EnvironmentConfig", "workspace", 1, T.TYPE_STRING, False),
    ("EnvironmentConfig", "pip_packages", 2, T.TYPE_STRING, True),
    ("EnvironmentConfig", "env_vars", 3, T.TYPE_MESSAGE, True),
    ("EnvironmentConfig", "extras", 4, T.TYPE_STRING, True),
    ("Controller.LaunchJobRequest", "name", 1, T.TYPE_STRING, False),
    ("Controller.LaunchJobRequest", "serialized_entrypoint", 2, T.TYPE_BYTES, False),
    ("Controller.LaunchJobRequest", "resources", 3, T.TYPE_MESSAGE, False),
    ("Controller.LaunchJobRequest", "environment", 4, T.TYPE_MESSAGE, False),
    ("Controller.LaunchJobRequest", "bundle_gcs_path", 5, T.TYPE_STRING, False),
    ("Controller.LaunchJobRequest", "bundle_hash", 6, T.TYPE_STRING, False),
    ("Controller.LaunchJobRequest", "bundle_blob", 7, T.TYPE_BYTES, False),
    ("Controller.LaunchJobRequest", "scheduling_timeout_seconds", 8, T.TYPE_INT32, False),
    ("Controller.LaunchJobRequest", "ports", 9, T.TYPE_STRING, True),
    ("Controller.Endpoint", "endpoint_id", 1, T.TYPE_STRING, False),
    ("Controller.Endpoint", "name", 2, T.TYPE_STRING, False),
    ("Controller.Endpoint", "address", 3, T.TYPE_STRING, False),
    ("Controller.Endpoint", "job_id", 4, T.TYPE_STRING, False),
    ("Controller.Endpoint", "namespace", 5, T.TYPE_STRING, False),
    ("Controller.Endpoint", "metadata", 6, T.TYPE_MESSAGE, True),
    ("Controller.Endpoint", "registered_at_ms", 7, T.TYPE_INT64, False),
    ("Worker.LogEntry", "timestamp_ms", 1, T.TYPE_INT64, False),
    ("Worker.LogEntry", "source", 2, T.TYPE_STRING, False),
    ("Worker.LogEntry", "data", 3, T.TYPE_STRING, False),
    # The seed's snapshot messages.
    ("ControllerJobSnapshot", "status", 1, T.TYPE_MESSAGE, False),
    ("ControllerJobSnapshot", "failure_count", 2, T.TYPE_INT32, False),
    ("ControllerJobSnapshot", "preemption_count", 3, T.TYPE_INT32, False),
    ("ControllerJobSnapshot", "max_retries_failure", 4, T.TYPE_INT32, False),
    ("ControllerJobSnapshot", "max_retries_preemption", 5, T.TYPE_INT32, False),
    ("ControllerJobSnapshot", "gang_id", 6, T.TYPE_STRING, False),
    ("ControllerJobSnapshot", "submitted_at_ms", 7, T.TYPE_INT64, False),
    ("ControllerJobSnapshot", "request", 8, T.TYPE_MESSAGE, False),
    ("ControllerWorkerSnapshot", "worker_id", 1, T.TYPE_STRING, False),
    ("ControllerWorkerSnapshot", "address", 2, T.TYPE_STRING, False),
    ("ControllerWorkerSnapshot", "resources", 3, T.TYPE_MESSAGE, False),
    ("ControllerWorkerSnapshot", "healthy", 4, T.TYPE_BOOL, False),
    ("ControllerWorkerSnapshot", "consecutive_failures", 5, T.TYPE_INT32, False),
    ("ControllerWorkerSnapshot", "last_heartbeat_ms", 6, T.TYPE_INT64, False),
    ("ControllerWorkerSnapshot", "running_job_ids", 7, T.TYPE_STRING, True),
    ("ActionLogEntrySnapshot", "timestamp_ms", 1, T.TYPE_INT64, False),
    ("ActionLogEntrySnapshot", "action", 2, T.TYPE_STRING, False),
    ("ActionLogEntrySnapshot", "job_id", 3, T.TYPE_STRING, False),
    ("ActionLogEntrySnapshot", "worker_id", 4, T.TYPE_STRING, False),
    ("ActionLogEntrySnapshot", "details", 5, T.TYPE_STRING, False),
    ("ControllerSnapshot", "captured_at_ms", 1, T.TYPE_INT64, False),
    ("ControllerSnapshot", "jobs", 2, T.TYPE_MESSAGE, True),
    ("ControllerSnapshot", "workers", 3, T.TYPE_MESSAGE, True),
    ("ControllerSnapshot", "endpoints", 4, T.TYPE_MESSAGE, True),
    ("ControllerSnapshot", "actions", 5, T.TYPE_MESSAGE, True),
    ("ControllerSnapshot", "queue_order", 6, T.TYPE_STRING, True),
    ("WorkerSnapshot", "captured_at_ms", 1, T.TYPE_INT64, False),
    ("WorkerSnapshot", "worker_id", 2, T.TYPE_STRING, False),
    ("WorkerSnapshot", "jobs", 3, T.TYPE_MESSAGE, True),
    ("WorkerSnapshot", "job_logs", 4, T.TYPE_MESSAGE, True),
    ("LogTail", "lines", 1, T.TYPE_MESSAGE, True),
    ("LogTail", "total_lines", 2, T.TYPE_INT32, False),
]

# Added for importing iris (tasks, attempts, provenance); numbers above the seed's.
IMPORTER_FIELDS = [
    ("ControllerJobSnapshot", "tasks", 20, T.TYPE_MESSAGE, True),
    ("ControllerJobSnapshot", "parent_job_id", 21, T.TYPE_STRING, False),
    # The envelope's seed fields are listed so its message is checked exactly.
    ("ClusterSnapshot", "captured_at_ms", 10, T.TYPE_INT64, False),
    ("ClusterSnapshot", "controller", 11, T.TYPE_MESSAGE, False),
    ("ClusterSnapshot", "workers", 12, T.TYPE_MESSAGE, True),
    ("ClusterSnapshot", "provenance", 13, T.TYPE_MESSAGE, False),
    ("TaskAttempt", "attempt_id", 1, T.TYPE_INT32, False),
    ("TaskAttempt", "worker_id", 2, T.TYPE_STRING, False),
    ("TaskAttempt", "state", 3, T.TYPE_ENUM, False),
    ("TaskAttempt", "exit_code", 4, T.TYPE_INT32, False),
    ("TaskAttempt", "error", 5, T.TYPE_STRING, False),
    ("TaskAttempt", "created_at_ms", 6, T.TYPE_INT64, False),
    ("TaskAttempt", "started_at_ms", 7, T.TYPE_INT64, False),
    ("TaskAttempt", "finished_at_ms", 8, T.TYPE_INT64, False),
    ("TaskAttempt", "attempt_uid", 9, T.TYPE_STRING, False),
    ("TaskAttempt", "worker_address", 10, T.TYPE_STRING, False),
    ("TaskAttempt", "terminal_reason", 11, T.TYPE_STRING, False),
    ("TaskAttempt", "resource_usage", 12, T.TYPE_MESSAGE, False),
    ("TaskAttempt", "build_metrics", 13, T.TYPE_MESSAGE, False),
    ("TaskAttempt", "ports", 14, T.TYPE_MESSAGE, True),
    ("TaskAttempt", "log", 15, T.TYPE_MESSAGE, False),
    ("TaskSnapshot", "task_id", 1, T.TYPE_STRING, False),
    ("TaskSnapshot", "task_index", 2, T.TYPE_INT32, False),
    ("TaskSnapshot", "state", 3, T.TYPE_ENUM, False),
    ("TaskSnapshot", "exit_code", 4, T.TYPE_INT32, False),
    ("TaskSnapshot", "error", 5, T.TYPE_STRING, False),
    ("TaskSnapshot", "started_at_ms", 6, T.TYPE_INT64, False),
    ("TaskSnapshot", "finished_at_ms", 7, T.TYPE_INT64, False),
    ("TaskSnapshot", "worker_id", 8, T.TYPE_STRING, False),
    ("TaskSnapshot", "worker_address", 9, T.TYPE_STRING, False),
    ("TaskSnapshot", "current_attempt_id", 10, T.TYPE_INT32, False),
    ("TaskSnapshot", "attempts", 11, T.TYPE_MESSAGE, True),
    ("TaskSnapshot", "status_message", 12, T.TYPE_STRING, False),
    ("TaskSnapshot", "root_cause", 13, T.TYPE_STRING, True),
    ("Provenance", "system", 1, T.TYPE_STRING, False),
    ("Provenance", "version", 2, T.TYPE_STRING, False),
    ("Provenance", "source", 3, T.TYPE_STRING, False),
    ("Provenance", "address", 4, T.TYPE_STRING, False),
    ("Provenance", "notes", 5, T.TYPE_STRING, True),
]


def _message(path: str):  # type: ignore[no-untyped-def]
    return (
        pb.DESCRIPTOR.message_types_by_name[path.split(".")[0]]
        if "." not in path
        else (
            pb.DESCRIPTOR.message_types_by_name[path.split(".")[0]].nested_types_by_name[
                path.split(".")[1]
            ]
        )
    )


@pytest.mark.parametrize(
    ("message", "name", "number", "kind", "repeated"), REFERENCE_FIELDS + IMPORTER_FIELDS
)
def test_field_matches_the_reference(
    message: str, name: str, number: int, kind: int, repeated: bool
) -> None:
    field = _message(message).fields_by_name[name]
    assert (field.number, field.type, field.is_repeated) == (number, kind, repeated)


def test_messages_hold_exactly_the_reference_fields() -> None:
    expected: dict[str, set[str]] = {}
    for message, name, *_ in REFERENCE_FIELDS + IMPORTER_FIELDS:
        expected.setdefault(message, set()).add(name)
    for message, names in expected.items():
        assert set(_message(message).fields_by_name) == names, message


def test_package_edition_and_job_states() -> None:
    assert pb.DESCRIPTOR.package == "fluster.cluster"
    assert {v.name: v.number for v in pb.JobState.DESCRIPTOR.values} == {
        "JOB_STATE_UNSPECIFIED": 0,
        "JOB_STATE_PENDING": 1,
        "JOB_STATE_BUILDING": 2,
        "JOB_STATE_RUNNING": 3,
        "JOB_STATE_SUCCEEDED": 4,
        "JOB_STATE_FAILED": 5,
        "JOB_STATE_KILLED": 6,
        "JOB_STATE_WORKER_FAILED": 7,
        "JOB_STATE_UNSCHEDULABLE": 8,
    }
    assert not pb.JobState.DESCRIPTOR.is_closed  # unknown numbers survive parsing


def test_task_states_are_iris_names_and_numbers() -> None:
    names = "UNSPECIFIED PENDING BUILDING RUNNING SUCCEEDED FAILED KILLED WORKER_FAILED"
    names += " UNSCHEDULABLE ASSIGNED PREEMPTED COSCHED_FAILED MISSING"
    expected = {f"TASK_STATE_{name}": number for number, name in enumerate(names.split())}
    assert {v.name: v.number for v in pb.TaskState.DESCRIPTOR.values} == expected
    assert not pb.TaskState.DESCRIPTOR.is_closed


def test_cluster_envelope_numbers_do_not_collide_with_the_other_snapshots() -> None:
    cluster = {f.number for f in pb.ClusterSnapshot.DESCRIPTOR.fields}
    for other in (pb.ControllerSnapshot, pb.WorkerSnapshot):
        assert cluster.isdisjoint(f.number for f in other.DESCRIPTOR.fields)


def test_committed_gencode_matches_the_proto(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            "-Iproto",
            f"--python_out={tmp_path}",
            f"--pyi_out={tmp_path}",
            "proto/cluster.proto",
        ],
        cwd=ROOT,
        check=True,
    )
    for name in ("cluster_pb2.py", "cluster_pb2.pyi"):
        committed = (ROOT / "renderer" / "snapshot" / "schema" / name).read_text()
        assert (tmp_path / name).read_text() == committed, f"{name} is stale: run `make proto`"

"""Read an iris controller checkpoint (SQLite, usually zstd-compressed) into iris-shaped documents.

The database is opened strictly read-only. Its rows are turned into the same
camelCase shapes the controller's RPCs answer with, so one mapping serves both.
A file that is not a checkpoint (truncated, garbage, another database) is one
`CaptureError` line.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import zstandard

from renderer.iris import mapping, redact
from renderer.iris.doc import Doc
from renderer.iris.rpc import CaptureError
from renderer.snapshot.schema import pb

CHECKPOINT_FILE = "controller.sqlite3.zst"
NOTES = (
    "read from a checkpoint: it holds no logs, no resource usage and no action log",
    "a checkpoint stores no failure or preemption counts and no worker health",
)
_MAX_DECOMPRESSED = 8 * 1024**3  # refuse a "checkpoint" that inflates without end
_ACTIVE_TASK_STATES = (2, 3, 9)  # building, running, assigned: the task holds a worker


def is_checkpoint(source: str) -> bool:
    """Whether SOURCE names a local checkpoint (folder, .zst or .sqlite3) rather than a URL."""
    return "://" not in source


def _database_file(source: str) -> Path:
    path = Path(source)
    if path.is_dir():
        plain = path / CHECKPOINT_FILE.removesuffix(".zst")
        path = plain if plain.is_file() and not (path / CHECKPOINT_FILE).exists() else path
        path = path / CHECKPOINT_FILE if path.is_dir() else path
    if not path.is_file():
        raise CaptureError(source, "no such checkpoint (a folder, .sqlite3.zst or .sqlite3 file)")
    return path


@contextlib.contextmanager
def _opened(source: str) -> Iterator[sqlite3.Connection]:
    path = _database_file(source)
    with tempfile.TemporaryDirectory(prefix="fluster-snapshot-checkpoint-") as scratch:
        if path.name.endswith(".zst"):
            plain = Path(scratch) / "controller.sqlite3"
            _decompress(path, plain, source)
            # Our own private copy: nothing else writes it, so SQLite may skip locking.
            uri = f"file:{urllib.parse.quote(str(plain))}?mode=ro&immutable=1"
        else:
            uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
        try:
            connection = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as error:
            raise CaptureError(source, f"cannot open the checkpoint database: {error}") from None
        try:
            connection.row_factory = sqlite3.Row
            yield connection
        finally:
            connection.close()


def _decompress(path: Path, target: Path, source: str) -> None:
    try:
        with path.open("rb") as packed, target.open("wb") as plain:
            reader = zstandard.ZstdDecompressor().stream_reader(packed)
            written = 0
            while chunk := reader.read(1 << 20):
                written += len(chunk)
                if written > _MAX_DECOMPRESSED:
                    raise CaptureError(
                        source, "the checkpoint inflates past 8 GiB; not a checkpoint"
                    )
                plain.write(chunk)
    except zstandard.ZstdError as error:
        raise CaptureError(source, f"not a zstd-compressed checkpoint: {error}") from None
    except OSError as error:
        raise CaptureError(
            source, f"cannot read the checkpoint: {error.strerror or error}"
        ) from None
    if written == 0:
        raise CaptureError(source, "the checkpoint is empty")


def _rows(db: sqlite3.Connection, table: str, order: str) -> list[dict[str, Any]]:
    return [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY {order}")]  # noqa: S608


def _json(value: Any, where: str, default: Any) -> Any:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise CaptureError(where, "expected JSON text")
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise CaptureError(where, "bad JSON text") from None


def _constraints(items: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise CaptureError(where, "expected a list of constraints")
    made = []
    for item in items:
        if not isinstance(item, dict):
            raise CaptureError(where, "expected a constraint object")
        values = [item.get("value"), *(item.get("values") or [])]
        strings = [
            {"stringValue": v.get("string_value", v.get("stringValue"))}
            for v in values
            if isinstance(v, dict)
        ]
        made.append({"key": item.get("key"), "values": strings})
    return made


def _env_vars(environment: Any, where: str) -> tuple[dict[str, str], int]:
    if not isinstance(environment, dict):
        raise CaptureError(where, "environment: expected an object")
    env_vars = environment.get("env_vars", environment.get("envVars")) or {}
    if not isinstance(env_vars, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in env_vars.items()
    ):
        raise CaptureError(where, "environment: expected env_vars of strings")
    return redact.environment(env_vars)


def _job_docs(db: sqlite3.Connection, name: str, notes: list[str]) -> list[mapping.RawJob]:
    configs = {row["job_id"]: row for row in _rows(db, "job_config", "job_id")}
    tasks: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(db, "tasks", "job_id, task_index"):
        tasks.setdefault(row["job_id"], []).append(row)
    attempts: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(db, "task_attempts", "task_id, attempt_id"):
        attempts.setdefault(row["task_id"], []).append(row)
    jobs = []
    hidden_values = 0
    for row in _rows(db, "jobs", "submitted_at_ms, job_id"):
        where = f"{name}: jobs {row.get('job_id')!r}"
        job = {
            "jobId": row.get("job_id"),
            "name": row.get("name"),
            "state": row.get("state"),
            "error": row.get("error"),
            "startedAt": row.get("started_at_ms"),
            "finishedAt": row.get("finished_at_ms"),
            "submittedAt": row.get("submitted_at_ms"),
            "parentJobId": row.get("parent_job_id"),
        }
        config = configs.get(row.get("job_id") or "")
        request = None
        if config is not None:
            cwhere = f"{name}: job_config {row.get('job_id')!r}"
            env_vars, hidden = _env_vars(_json(config.get("environment_json"), cwhere, {}), cwhere)
            hidden_values += hidden
            timeout = config.get("scheduling_timeout_ms")
            request = {
                "name": config.get("name"),
                "replicas": row.get("num_tasks"),
                "resources": {
                    "cpuMillicores": config.get("res_cpu_millicores"),
                    "memoryBytes": config.get("res_memory_bytes"),
                    "diskBytes": config.get("res_disk_bytes"),
                    "device": _json(config.get("res_device_json"), cwhere, {}),
                },
                "environment": {"envVars": env_vars},
                "constraints": _constraints(
                    _json(config.get("constraints_json"), cwhere, []), cwhere
                ),
                "ports": _json(config.get("ports_json"), cwhere, []),
                "bundleId": config.get("bundle_id"),
                "maxRetriesFailure": config.get("max_retries_failure"),
                "maxRetriesPreemption": config.get("max_retries_preemption"),
                "schedulingTimeout": None if timeout is None else {"milliseconds": timeout},
                "coscheduling": {"groupBy": config.get("coscheduling_group_by")}
                if config.get("has_coscheduling")
                else None,
            }
        task_docs = []
        for task in tasks.get(row.get("job_id") or "", []):
            task_docs.append(
                Doc(
                    {
                        "taskId": task.get("task_id"),
                        "taskIndex": task.get("task_index"),
                        "state": task.get("state"),
                        "exitCode": task.get("exit_code"),
                        "error": task.get("error"),
                        "startedAt": task.get("started_at_ms"),
                        "finishedAt": task.get("finished_at_ms"),
                        "workerId": task.get("current_worker_id"),
                        "workerAddress": task.get("current_worker_address"),
                        "currentAttemptId": task.get("current_attempt_id"),
                        "statusMessage": task.get("status_message"),
                        "attempts": [
                            {
                                "attemptId": a.get("attempt_id"),
                                "workerId": a.get("worker_id"),
                                "state": a.get("state"),
                                "exitCode": a.get("exit_code"),
                                "error": a.get("error"),
                                "createdAt": a.get("created_at_ms"),
                                "startedAt": a.get("started_at_ms"),
                                "finishedAt": a.get("finished_at_ms"),
                                "attemptUid": a.get("attempt_uid"),
                                "terminalReason": a.get("terminal_reason"),
                            }
                            for a in attempts.get(task.get("task_id") or "", [])
                        ],
                    },
                    f"{name}: tasks {task.get('task_id')!r}",
                )
            )
        jobs.append(
            mapping.RawJob(
                job=Doc(job, where),
                request=Doc(request, where) if request is not None else None,
                tasks=task_docs,
            )
        )
    if hidden_values:
        notes.append(
            f"{hidden_values} secret environment values were replaced by {redact.REDACTED}, "
            "as iris's own RPCs do (the checkpoint stores them in plain)"
        )
    return jobs


def _worker_docs(db: sqlite3.Connection, name: str) -> list[Doc]:
    running: dict[str, list[str]] = {}
    marks = ",".join("?" * len(_ACTIVE_TASK_STATES))
    query = (
        f"SELECT task_id, current_worker_id FROM tasks WHERE state IN ({marks}) "  # noqa: S608
        "ORDER BY task_id"
    )
    for task_id, worker_id in db.execute(query, _ACTIVE_TASK_STATES):
        running.setdefault(worker_id or "", []).append(task_id)
    docs = []
    for row in _rows(db, "workers", "worker_id"):
        where = f"{name}: workers {row.get('worker_id')!r}"
        docs.append(
            Doc(
                {
                    "workerId": row.get("worker_id"),
                    "address": row.get("address"),
                    "metadata": {
                        "cpuCount": row.get("md_cpu_count"),
                        "memoryBytes": row.get("md_memory_bytes"),
                        "diskBytes": row.get("md_disk_bytes"),
                        "device": _json(row.get("md_device_json"), where, None),
                    },
                    "runningJobIds": running.get(row.get("worker_id") or "", []),
                },
                where,
            )
        )
    return docs


def _endpoint_docs(db: sqlite3.Connection, name: str) -> list[Doc]:
    docs = []
    for row in _rows(db, "endpoints", "name, endpoint_id"):
        where = f"{name}: endpoints {row.get('endpoint_id')!r}"
        docs.append(
            Doc(
                {
                    "endpointId": row.get("endpoint_id"),
                    "name": row.get("name"),
                    "address": row.get("address"),
                    "jobId": row.get("job_id"),
                    "taskId": row.get("task_id"),
                    "metadata": _json(row.get("metadata_json"), where, {}),
                    "registeredAt": row.get("registered_at_ms"),
                },
                where,
            )
        )
    return docs


def _queue_order(db: sqlite3.Connection) -> list[str]:
    """Pending jobs in the order iris's scheduler takes their tasks."""
    query = (
        "SELECT job_id FROM tasks WHERE state = 1 ORDER BY priority_band, priority_neg_depth, "
        "priority_root_submitted_ms, submitted_at_ms, priority_insertion, task_id"
    )
    order: list[str] = []
    for (job_id,) in db.execute(query):
        if job_id not in order:
            order.append(job_id)
    return order


_LATEST = (
    "SELECT MAX(t) FROM (SELECT MAX(submitted_at_ms, IFNULL(started_at_ms, 0), "
    "IFNULL(finished_at_ms, 0)) AS t FROM jobs UNION ALL SELECT MAX(IFNULL(created_at_ms, 0), "
    "IFNULL(started_at_ms, 0), IFNULL(finished_at_ms, 0)) FROM task_attempts)"
)


def _captured_at(path: Path, db: sqlite3.Connection) -> int:
    """When the checkpoint was written: iris names its folder after the epoch ms.

    Else the latest time recorded in it (a copy's file time says when it was copied).
    """
    folder = path.parent.name
    if folder.isdigit() and len(folder) == 13:
        return int(folder)
    latest = db.execute(_LATEST).fetchone()[0]
    if isinstance(latest, int) and latest > 0:
        return latest
    return int(os.stat(path).st_mtime * 1000)


def read(source: str) -> pb.ClusterSnapshot:
    """The cluster a checkpoint holds, as a snapshot."""
    path = _database_file(source)
    name = path.name
    try:
        with _opened(source) as db:
            notes = list(NOTES)
            raw = mapping.RawCluster(
                captured_at_ms=_captured_at(path, db),
                jobs=_job_docs(db, name, notes),
                workers=_worker_docs(db, name),
                endpoints=_endpoint_docs(db, name),
                actions=[],
                queue_order=_queue_order(db),
                logs={},
                worker_views=[],
                provenance=pb.Provenance(
                    system="iris", source="checkpoint", address=name, notes=notes
                ),
            )
    except sqlite3.Error as error:
        raise CaptureError(source, f"not an iris checkpoint: {error}") from None
    return mapping.cluster_snapshot(raw)

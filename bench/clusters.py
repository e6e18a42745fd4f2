"""Clusters for the bench that the demo does not simulate, made from a demo snapshot.

`with_logs` keeps a few workers' snapshots and gives every job on them a log of its
own (a cluster "with few logs"); `grown` repeats a cluster with its ids made unique,
for a million jobs without simulating them (the demo would need a dozen gigabytes).

    python -m bench.clusters few-logs BASE.pb OUT.pb      # 20 workers' snapshots
    python -m bench.clusters million BASE.pb OUT.pb       # ten times over, 200 of them

Run as a process of its own: the bench's steps are started from a process that
never held gigabytes (a child forked from one reports that as its peak).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from renderer.reference import demo_logs
from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests import wire

FEW_LOGS = (20, 120)  # worker snapshots kept, log lines of each job on them
MILLION_LOGS = (200, 120)


def with_logs(snapshot: pb.ClusterSnapshot, captured: int, lines: int) -> pb.ClusterSnapshot:
    """The snapshot with its first `captured` worker snapshots only, each job on them
    with a log of `lines` lines (their other logs dropped)."""
    rng = random.Random(11)
    out = pb.ClusterSnapshot()
    out.CopyFrom(snapshot)
    del out.workers[captured:]
    for worker in out.workers:
        worker.ClearField("job_logs")
        for status in worker.jobs:
            start = status.started_at_ms or out.captured_at_ms - 600_000
            end = status.finished_at_ms or out.captured_at_ms
            error = status.error or None
            tail = worker.job_logs[status.job_id]
            tail.total_lines = lines
            for line in demo_logs.run_log(rng, start, max(start, end), lines, error)[-lines:]:
                tail.lines.add(timestamp_ms=line.timestamp_ms, source=line.source, data=line.data)
    return out


def grown(snapshot: pb.ClusterSnapshot, copies: int) -> bytes:
    """The snapshot, serialized, with the controller's jobs, workers, endpoints and queue
    `copies` times over; the copies' ids end in -1, -2, ... Worker snapshots and
    actions are the first copy's.

    Each message is renamed in place and serialized, and the controller is written
    field by field (repeated fields are concatenated entries): a million jobs in
    seconds, where building them as messages took minutes.
    """
    work = pb.ClusterSnapshot()
    work.CopyFrom(snapshot)
    base = work.controller
    head = pb.ControllerSnapshot()
    head.CopyFrom(base)
    for name in ("jobs", "workers", "endpoints", "queue_order"):
        head.ClearField(name)
    parts = [head.SerializeToString()]
    job_ids = [(j.status.job_id, j.status.worker_id, j.gang_id, j.parent_job_id) for j in base.jobs]
    workers = [(w.worker_id, w.address, list(w.running_job_ids)) for w in base.workers]
    endpoints = [(e.endpoint_id, e.job_id) for e in base.endpoints]
    for copy in range(copies):
        end = f"-{copy}" if copy else ""
        for job, (job_id, worker_id, gang_id, parent_id) in zip(base.jobs, job_ids, strict=True):
            assert not job.tasks, "a job with tasks would need its task ids renamed"
            job.status.job_id = job_id + end
            if worker_id:
                job.status.worker_id = worker_id + end
            if gang_id:
                job.gang_id = gang_id + end
            if parent_id:
                job.parent_job_id = parent_id + end
            parts.append(wire.bytes_field(2, job.SerializeToString()))
        for worker, (worker_id, address, running) in zip(base.workers, workers, strict=True):
            worker.worker_id = worker_id + end
            host, _, port = address.rpartition(":")
            if port.isdigit():
                worker.address = f"{host}:{int(port) + copy}"
            del worker.running_job_ids[:]
            worker.running_job_ids.extend(job_id + end for job_id in running)
            parts.append(wire.bytes_field(3, worker.SerializeToString()))
        for endpoint, (endpoint_id, job_id) in zip(base.endpoints, endpoints, strict=True):
            endpoint.endpoint_id = endpoint_id + end
            endpoint.job_id = job_id + end
            parts.append(wire.bytes_field(4, endpoint.SerializeToString()))
        parts.extend(wire.str_field(6, job_id + end) for job_id in snapshot.controller.queue_order)
    work.ClearField("controller")
    return work.SerializeToString() + wire.bytes_field(11, b"".join(parts))


def main() -> None:
    kind, base, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    snapshot = loading.load(base).message
    if kind == "few-logs":
        out.write_bytes(loading.dump(with_logs(snapshot, *FEW_LOGS), "binary"))
    else:
        out.write_bytes(grown(with_logs(snapshot, *MILLION_LOGS), 10))


if __name__ == "__main__":
    main()

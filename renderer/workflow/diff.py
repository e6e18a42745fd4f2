"""What changed between two snapshots of a cluster: jobs, states, retries, workers, endpoints.

Jobs are matched by id, workers by id, endpoints by id (or by name, address and job
when the id is missing). Actions are those the newer snapshot logged after the older
one was captured.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict, dataclass
from typing import Any

from renderer import terminal
from renderer.report import times
from renderer.snapshot import model, states
from renderer.snapshot.catalog import Catalog
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.redaction import DEFAULT, Redactor

ACTIONS_LISTED = 500


@dataclass(frozen=True)
class JobRef:
    job_id: str
    name: str
    state: str


@dataclass(frozen=True)
class StateChange:
    job_id: str
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class RetryChange:
    job_id: str
    name: str
    failures_before: int
    failures_after: int
    preemptions_before: int
    preemptions_after: int


@dataclass(frozen=True)
class WorkerChange:
    worker_id: str
    change: str  # "lost", "added", "became unhealthy", "stopped reporting healthy", "recovered"


@dataclass(frozen=True)
class EndpointRef:
    name: str
    address: str
    job_id: str


@dataclass(frozen=True)
class ActionRef:
    time: str
    action: str
    job_id: str
    worker_id: str
    details: str


@dataclass(frozen=True)
class SnapshotDiff:
    """Everything that differs, newest snapshot second."""

    old_captured_at_ms: int | None
    new_captured_at_ms: int | None
    old_captured_at: str
    new_captured_at: str
    jobs_added: list[JobRef]
    jobs_removed: list[JobRef]
    state_changes: list[StateChange]
    retries_grown: list[RetryChange]
    workers: list[WorkerChange]
    endpoints_added: list[EndpointRef]
    endpoints_removed: list[EndpointRef]
    actions: list[ActionRef]
    actions_total: int

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.jobs_added,
                self.jobs_removed,
                self.state_changes,
                self.retries_grown,
                self.workers,
                self.endpoints_added,
                self.endpoints_removed,
                self.actions,
            )
        )


def _ref(job: model.JobSummary) -> JobRef:
    return JobRef(job.job_id, job.name or "", states.state(job.state).name)


def _endpoint_key(endpoint: model.Endpoint) -> tuple[str, ...]:
    if endpoint.endpoint_id:
        return (endpoint.endpoint_id,)
    return (endpoint.name or "", endpoint.address or "", endpoint.job_id or "")


# Fields of the diff's records that hold text from a snapshot (the rest is ours: state
# words, times, the kind of a worker change).
_SNAPSHOT_TEXT = frozenset({"job_id", "name", "worker_id", "address", "action", "details"})


def _redacted(record: Any, redactor: Redactor) -> Any:
    """A diff record with every snapshot string passed through the redactor."""
    changes = {
        field.name: redactor.text(value)
        for field in dataclasses.fields(record)
        if field.name in _SNAPSHOT_TEXT and isinstance(value := getattr(record, field.name), str)
    }
    return dataclasses.replace(record, **changes)


def compare(old: ClusterSources, new: ClusterSources, redactor: Redactor = DEFAULT) -> SnapshotDiff:
    """The differences from `old` to `new`, with secrets hidden by `redactor`."""
    diff = _compare(old, new)
    lists: dict[str, Any] = {
        field.name: [_redacted(record, redactor) for record in getattr(diff, field.name)]
        for field in dataclasses.fields(diff)
        if isinstance(getattr(diff, field.name), list)
    }
    return dataclasses.replace(diff, **lists)


def _compare(old: ClusterSources, new: ClusterSources) -> SnapshotDiff:
    old_jobs, new_jobs = Catalog(old).by_id, Catalog(new).by_id
    actions = _actions_between(old, new)
    changes, retries = [], []
    for job_id, after in new_jobs.items():
        before = old_jobs.get(job_id)
        if before is None:
            continue
        if before.state != after.state:
            changes.append(
                StateChange(
                    job_id,
                    after.name or "",
                    states.state(before.state).name,
                    states.state(after.state).name,
                )
            )
        grown = (after.failure_count or 0) > (before.failure_count or 0) or (
            after.preemption_count or 0
        ) > (before.preemption_count or 0)
        if grown:
            retries.append(
                RetryChange(
                    job_id,
                    after.name or "",
                    before.failure_count or 0,
                    after.failure_count or 0,
                    before.preemption_count or 0,
                    after.preemption_count or 0,
                )
            )
    return SnapshotDiff(
        old_captured_at_ms=old.captured_at_ms,
        new_captured_at_ms=new.captured_at_ms,
        old_captured_at=times.utc(old.captured_at_ms),
        new_captured_at=times.utc(new.captured_at_ms),
        jobs_added=[_ref(j) for i, j in new_jobs.items() if i not in old_jobs],
        jobs_removed=[_ref(j) for i, j in old_jobs.items() if i not in new_jobs],
        state_changes=changes,
        retries_grown=retries,
        workers=_worker_changes(old, new),
        endpoints_added=_endpoints(new, old),
        endpoints_removed=_endpoints(old, new),
        actions=actions[:ACTIONS_LISTED],
        actions_total=len(actions),
    )


def _worker_changes(old: ClusterSources, new: ClusterSources) -> list[WorkerChange]:
    def known(sources: ClusterSources) -> dict[str, model.WorkerInfo]:
        workers = sources.controller.get_workers() if sources.controller else []
        return {w.worker_id: w for w in workers}

    before, after = known(old), known(new)
    changes = [WorkerChange(w, "lost") for w in before if w not in after]
    changes += [WorkerChange(w, "added") for w in after if w not in before]
    for worker_id, now in after.items():
        then = before.get(worker_id)
        # A worker that no longer says it is healthy (the field not sent, as a proto3
        # writer leaves out `healthy = false`) is not healthy either.
        if then is not None and then.healthy is True and now.healthy is not True:
            change = "became unhealthy" if now.healthy is False else "stopped reporting healthy"
            changes.append(WorkerChange(worker_id, change))
        elif then is not None and then.healthy is not True and now.healthy is True:
            changes.append(WorkerChange(worker_id, "recovered"))
    return changes


def _endpoints(present: ClusterSources, absent: ClusterSources) -> list[EndpointRef]:
    """Endpoints of `present` that `absent` does not have."""

    def endpoints(sources: ClusterSources) -> list[model.Endpoint]:
        return sources.controller.get_endpoints() if sources.controller else []

    missing = {_endpoint_key(e) for e in endpoints(absent)}
    return [
        EndpointRef(e.name or "", e.address or "", e.job_id or "")
        for e in endpoints(present)
        if _endpoint_key(e) not in missing
    ]


def _actions_between(old: ClusterSources, new: ClusterSources) -> list[ActionRef]:
    actions = new.controller.get_actions(limit=None) if new.controller else []
    since, until = old.captured_at_ms, new.captured_at_ms
    between = [
        a
        for a in actions
        if a.timestamp_ms is not None
        and (since is None or a.timestamp_ms > since)
        and (until is None or a.timestamp_ms <= until)
    ]
    between.sort(key=lambda a: a.timestamp_ms or 0)  # oldest first: the story in order
    return [
        ActionRef(
            times.utc(a.timestamp_ms),
            a.action or "",
            a.job_id or "",
            a.worker_id or "",
            a.details or "",
        )
        for a in between
    ]


# ---- formats ----


def as_json(diff: SnapshotDiff) -> str:
    return json.dumps(asdict(diff), indent=2, ensure_ascii=False)


def as_text(diff: SnapshotDiff) -> str:
    safe = terminal.safe

    def job(job_id: str, name: str) -> str:
        return f"{safe(job_id, 60)} {safe(name, 60)}" if name else safe(job_id, 60)

    lines = [f"from {diff.old_captured_at} to {diff.new_captured_at}"]
    if diff.empty:
        lines.append("no changes")

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)

    section(
        "jobs added",
        [f"{job(j.job_id, j.name)} ({j.state})" for j in diff.jobs_added],
    )
    section(
        "jobs removed",
        [f"{job(j.job_id, j.name)} ({j.state})" for j in diff.jobs_removed],
    )
    section(
        "state changes",
        [
            f"{job(c.job_id, c.name)}: {c.before.upper()} -> {c.after.upper()}"
            for c in diff.state_changes
        ],
    )
    section(
        "retries grew",
        [
            f"{job(r.job_id, r.name)}: failures {r.failures_before} -> "
            f"{r.failures_after}, preemptions {r.preemptions_before} -> {r.preemptions_after}"
            for r in diff.retries_grown
        ],
    )
    section("workers", [f"{safe(w.worker_id, 60)} {w.change}" for w in diff.workers])
    section(
        "endpoints added",
        [f"{safe(e.name, 60)} at {safe(e.address, 60)}" for e in diff.endpoints_added],
    )
    section(
        "endpoints removed",
        [f"{safe(e.name, 60)} at {safe(e.address, 60)}" for e in diff.endpoints_removed],
    )
    section(
        "actions in between",
        [
            f"{a.time} {safe(a.action, 40)} {safe(a.job_id[:8], 8)} {safe(a.details, 120)}".rstrip()
            for a in diff.actions
        ],
    )
    if diff.actions_total > len(diff.actions):
        lines.append(f"  and {diff.actions_total - len(diff.actions)} more actions")
    return "\n".join(lines) + "\n"

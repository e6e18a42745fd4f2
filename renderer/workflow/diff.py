"""What changed between two snapshots of a cluster: failure groups, jobs, states, retries,
workers, endpoints.

Jobs are matched by id, workers by id, endpoints by id (or by name, address and job
when the id is missing), failure groups by signature (renderer.snapshot.failures).
Actions are those the newer snapshot logged after the older one was captured.

Only what both snapshots hold is compared. Two with a controller compare the
controller's records; otherwise (a worker snapshot against a cluster one, or two
worker snapshots) the records of the workers captured in both are compared, and the
diff says so: a worker's snapshot holds neither the cluster's other jobs nor its
workers, endpoints or actions, which would all read as added.

Longer than 400 lines on purpose: the records of a diff, the rules of what is compared
and the text that tells both are read together and change together.
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
from renderer.workflow.summary import counted_states, plural, state_word, summarize_group

ACTIONS_LISTED = 500
IDS_NAMED = 3  # worker ids a note names before "and N more"


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
class GroupChange:
    """A failure group that is new, or holds more failures than before."""

    key: str
    signature: str
    before: int  # failures in the older snapshot; 0 for a new group
    after: int
    by_state: dict[str, int]  # the newer snapshot's failures by state, most first
    first_at: str
    last_at: str
    job_id: str  # the job of its newest failure
    name: str


@dataclass(frozen=True)
class SnapshotDiff:
    """Everything that differs, newest snapshot second."""

    old_captured_at_ms: int | None
    new_captured_at_ms: int | None
    old_captured_at: str
    new_captured_at: str
    old_kind: str  # "cluster", "controller", "worker" (worker snapshots alone) or "empty"
    new_kind: str
    compared: str  # "controller", "workers" (their own records) or "nothing"
    workers_compared: list[str]  # when the workers' records are compared: whose
    note: str  # why not everything was compared; "" when it was
    groups_new: list[GroupChange]
    groups_grown: list[GroupChange]
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
                self.groups_new,
                self.groups_grown,
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
_SNAPSHOT_TEXT = frozenset(
    {"job_id", "name", "worker_id", "address", "action", "details", "signature"}
)


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
        if isinstance(getattr(diff, field.name), list) and field.name != "workers_compared"
    }
    return dataclasses.replace(
        diff,
        **lists,
        workers_compared=[redactor.text(w) for w in diff.workers_compared],
        note=redactor.text(diff.note),
    )


def kind(sources: ClusterSources) -> str:
    """What a side of the diff holds: "cluster" (a controller and its workers' own
    snapshots), "controller", "worker" (worker snapshots alone) or "empty"."""
    if sources.controller is not None:
        return "cluster" if sources.workers else "controller"
    return "worker" if sources.workers else "empty"


def _worker_ids(sources: ClusterSources) -> list[str]:
    return [w.worker_id or "" for w in sources.workers]


def _named(ids: list[str]) -> str:
    shown = ", ".join(terminal.safe(i, 60) for i in ids[:IDS_NAMED])
    more = len(ids) - IDS_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _described(sources: ClusterSources, what: str) -> str:
    """'a cluster snapshot', 'a worker snapshot (worker-1)', 'worker snapshots (3: a, b, c)'."""
    if what == "worker":
        ids = _worker_ids(sources)
        if len(ids) == 1:
            return f"a worker snapshot ({_named(ids)})"
        return f"worker snapshots ({len(ids)}: {_named(ids)})"
    return {"cluster": "a cluster snapshot", "controller": "a controller snapshot"}.get(
        what, "an empty snapshot"
    )


@dataclass(frozen=True)
class _Scope:
    """What of the two snapshots is compared, and what the reader is told about it."""

    compared: str
    old: ClusterSources
    new: ClusterSources
    workers: list[str]
    note: str


def _scope(old: ClusterSources, new: ClusterSources) -> _Scope:
    old_kind, new_kind = kind(old), kind(new)
    kinds = f"the older is {_described(old, old_kind)}, the newer {_described(new, new_kind)}"
    if "empty" in (old_kind, new_kind) or (old.controller and new.controller):
        # An empty snapshot holds nothing of either kind: everything else is new (or gone).
        compared = "controller" if old.controller or new.controller else "workers"
        if old_kind == new_kind:
            note = ""
        elif "empty" in (old_kind, new_kind):
            side = "older" if old_kind == "empty" else "newer"
            note = f"the {side} snapshot holds nothing: everything in the other differs from it"
        else:
            note = f"{kinds}; both hold the controller's records, which are compared"
        return _Scope(compared, old, new, [], note)
    # One side or both are workers' own snapshots: compare the workers captured in both.
    common = sorted(set(_worker_ids(old)) & set(_worker_ids(new)))
    alone = sorted(set(_worker_ids(old)) ^ set(_worker_ids(new)))

    def only(sources: ClusterSources) -> ClusterSources:
        kept = tuple(w for w in sources.workers if (w.worker_id or "") in common)
        return dataclasses.replace(sources, controller=None, workers=kept)

    controllers = bool(old.controller or new.controller)
    if not common:
        note = f"{kinds}: no worker was captured in both, so nothing is compared"
        return _Scope("nothing", only(old), only(new), [], note)
    if not controllers and not alone:
        return _Scope("workers", only(old), only(new), common, "")
    parts = [kinds] if old_kind != new_kind else []
    parts.append(f"only the jobs as {_named(common)} recorded them in both are compared")
    if controllers:
        parts.append("the controller's jobs, workers, endpoints and actions are not")
    if alone:
        parts.append(f"{_named(alone)} {'is' if len(alone) == 1 else 'are'} in one snapshot only")
    return _Scope("workers", only(old), only(new), common, "; ".join(parts))


def _compare(old_sources: ClusterSources, new_sources: ClusterSources) -> SnapshotDiff:
    scope = _scope(old_sources, new_sources)
    old, new = scope.old, scope.new
    old_catalog, new_catalog = Catalog(old), Catalog(new)
    old_jobs, new_jobs = old_catalog.by_id, new_catalog.by_id
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
    groups_new, groups_grown = _group_changes(old_catalog, new_catalog)
    return SnapshotDiff(
        old_captured_at_ms=old_sources.captured_at_ms,
        new_captured_at_ms=new_sources.captured_at_ms,
        old_captured_at=times.utc(old_sources.captured_at_ms),
        new_captured_at=times.utc(new_sources.captured_at_ms),
        old_kind=kind(old_sources),
        new_kind=kind(new_sources),
        compared=scope.compared,
        workers_compared=scope.workers,
        note=scope.note,
        groups_new=groups_new,
        groups_grown=groups_grown,
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


def _group_changes(old: Catalog, new: Catalog) -> tuple[list[GroupChange], list[GroupChange]]:
    """Failure groups of `new` that `old` lacks, and those with more failures, largest first."""
    before = {group.key: group.count for group in old.failure_groups}
    added: list[GroupChange] = []
    grown: list[GroupChange] = []
    for group in new.failure_groups:
        count = before.get(group.key, 0)
        if group.count <= count:
            continue
        shown = summarize_group(group, new, Redactor(enabled=False))  # compare() redacts
        change = GroupChange(
            key=shown.key,
            signature=shown.signature,
            before=count,
            after=shown.count,
            by_state=shown.by_state,
            first_at=shown.first_at,
            last_at=shown.last_at,
            job_id=shown.example.job_id,
            name=shown.example.name,
        )
        (grown if count else added).append(change)
    return added, grown


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


def arrow(before: object, after: object) -> str:
    return f"{before} → {after}"


def as_text(diff: SnapshotDiff) -> str:
    safe = terminal.safe

    def job(job_id: str, name: str) -> str:
        return f"{safe(job_id, 60)} {safe(name, 60)}" if name else safe(job_id, 60)

    lines = [f"from {diff.old_captured_at} to {diff.new_captured_at}"]
    if diff.note:
        lines.append(f"note: {safe(diff.note, 600)}")
    if diff.compared == "nothing":
        lines.append("nothing compared")
    elif diff.empty:
        lines.append("no changes")

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)

    def example(group: GroupChange) -> str:
        return f"e.g. {job(group.job_id, group.name)}"

    section(
        "new failure groups",
        [
            f"{g.after} × {safe(g.signature)} ({counted_states(g.by_state)}; {example(g)})"
            for g in diff.groups_new
        ],
    )
    section(
        "failure groups that grew",
        [
            f"{safe(g.signature)}: {arrow(g.before, g.after)} "
            f"({counted_states(g.by_state)}; {example(g)})"
            for g in diff.groups_grown
        ],
    )
    section(
        "jobs added",
        [f"{job(j.job_id, j.name)} ({state_word(j.state)})" for j in diff.jobs_added],
    )
    section(
        "jobs removed",
        [f"{job(j.job_id, j.name)} ({state_word(j.state)})" for j in diff.jobs_removed],
    )
    section(
        "state changes",
        [
            f"{job(c.job_id, c.name)}: {arrow(state_word(c.before), state_word(c.after))}"
            for c in diff.state_changes
        ],
    )
    section(
        "retries grew", [f"{job(r.job_id, r.name)}: {retry_growth(r)}" for r in diff.retries_grown]
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
        lines.append(f"  and {plural(diff.actions_total - len(diff.actions), 'more action')}")
    return "\n".join(lines) + "\n"


def retry_growth(change: RetryChange) -> str:
    """'failures 0 → 1, preemptions 1 → 3': the counts that grew."""
    parts = []
    if change.failures_after > change.failures_before:
        parts.append(f"failures {arrow(change.failures_before, change.failures_after)}")
    if change.preemptions_after > change.preemptions_before:
        parts.append(f"preemptions {arrow(change.preemptions_before, change.preemptions_after)}")
    return ", ".join(parts)

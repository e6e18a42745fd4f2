"""Turn loaded snapshot files into data sources: one controller (or none) and its workers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from renderer import terminal
from renderer.cycles import without_cycle_collection
from renderer.snapshot import convert
from renderer.snapshot.datasource import DashboardDataSource, WorkerDataSource
from renderer.snapshot.deferred_logs import DeferredTail
from renderer.snapshot.loading import Snapshot
from renderer.snapshot.model import Provenance
from renderer.snapshot.redaction import Redactor
from renderer.snapshot.source import SnapshotControllerDataSource, SnapshotWorkerDataSource


@dataclass(frozen=True)
class ClusterSources:
    """The data sources one render or report draws on."""

    controller: DashboardDataSource | None
    workers: tuple[WorkerDataSource, ...]
    captured_at_ms: int | None
    # What a reader should know about damaged input that was still used.
    notes: tuple[str, ...] = ()
    # Where the cluster snapshot came from, when its importer said (iris captures).
    provenance: Provenance | None = None
    # What hides the secrets in every text the sources give (renderer.snapshot.redaction).
    redactor: Redactor | None = None


def choose_newest(snapshots: Sequence[Snapshot]) -> tuple[list[Snapshot], str | None]:
    """Of several cluster or controller snapshots (a folder of them, as CI keeps), keep the
    one captured last; worker snapshots all stay. The note says which was taken."""
    controllers = [s for s in snapshots if s.kind in ("cluster", "controller")]
    if len(controllers) < 2:
        return list(snapshots), None

    def captured(snapshot: Snapshot) -> int:
        message = snapshot.parsed
        return message.captured_at_ms if message.HasField("captured_at_ms") else -(2**63)

    newest = max(controllers, key=captured)  # the first of equals, in the order given
    note = (
        f"using {terminal.safe(newest.path)}, the newest by capture time of "
        f"{len(controllers)} cluster or controller snapshots"
    )
    return [s for s in snapshots if s is newest or s.kind == "worker"], note


def open_sources(
    snapshots: Sequence[Snapshot], redactor: Redactor | None = None, processes: int | None = None
) -> ClusterSources:
    """Combine one cluster snapshot, or a controller plus workers, or workers alone.

    Given several cluster or controller snapshots, the newest is used (see choose_newest).
    Every text the sources give passes through `redactor`: secrets are hidden unless a
    disabled Redactor is given. The controller's job summaries are made in `processes`
    processes (None: one per core for a large cluster).
    """
    with without_cycle_collection():  # a million summaries, no cycles among them
        return _open_sources(snapshots, redactor, processes)


def _open_sources(
    snapshots: Sequence[Snapshot], redactor: Redactor | None, processes: int | None
) -> ClusterSources:
    redactor = redactor if redactor is not None else Redactor()
    snapshots, chosen = choose_newest(snapshots)
    worker_messages: list[tuple[str, Any, Mapping[str, DeferredTail] | None]] = []
    controller_message = None
    controller_file: Snapshot | None = None
    captured_at_ms = None
    provenance = None
    for snapshot in snapshots:
        message = snapshot.parsed
        if snapshot.kind == "cluster":
            controller_message = message.controller if message.HasField("controller") else None
            controller_file = snapshot
            tails = snapshot.logs or [None] * len(message.workers)
            worker_messages += [
                (snapshot.path, w, t) for w, t in zip(message.workers, tails, strict=True)
            ]
            captured_at_ms = message.captured_at_ms if message.HasField("captured_at_ms") else None
            if message.HasField("provenance"):
                provenance = convert.provenance(message.provenance)
        elif snapshot.kind == "controller":
            controller_message, controller_file = message, snapshot
        else:
            worker_messages.append(
                (snapshot.path, message, snapshot.logs[0] if snapshot.logs else None)
            )
    notes: list[str] = [chosen] if chosen else []
    workers = _unique_workers(worker_messages, notes, redactor)
    controller = None
    if controller_message is not None and controller_file is not None:
        controller = SnapshotControllerDataSource(
            controller_message,
            workers,
            redactor,
            controller_file.jobs,
            controller_file.path,
            processes,
        )
    if controller is not None and controller.repeated_job_records:
        notes.append(
            f"{controller.repeated_job_records} job records repeat an earlier job id; "
            "the first is shown"
        )
    if captured_at_ms is None:
        captured_at_ms = _latest_capture(controller, workers)
    return ClusterSources(controller, workers, captured_at_ms, tuple(notes), provenance, redactor)


def _unique_workers(
    found: list[tuple[str, Any, Mapping[str, DeferredTail] | None]],
    notes: list[str],
    redactor: Redactor,
) -> tuple[SnapshotWorkerDataSource, ...]:
    """Worker sources ordered by worker id; of one worker captured twice, the first is used."""
    seen: dict[str, str] = {}
    sources = []
    for path, message, tails in found:
        source = SnapshotWorkerDataSource(message, tails, path, redactor)
        worker_id = source.worker_id or ""
        if worker_id in seen:
            notes.append(
                f"{terminal.safe(path)}: worker {terminal.safe(worker_id, 80)!r} was already "
                f"captured in {terminal.safe(seen[worker_id])}; the first snapshot is used"
            )
            continue
        seen[worker_id] = path
        sources.append(source)
    return tuple(sorted(sources, key=lambda s: s.worker_id or ""))


def _latest_capture(
    controller: SnapshotControllerDataSource | None, workers: Sequence[SnapshotWorkerDataSource]
) -> int | None:
    """The controller's capture time, else the latest of the workers'."""
    if controller is not None:
        return controller.captured_at_ms
    times = [t for t in (w.captured_at_ms for w in workers) if t is not None]
    return max(times, default=None)

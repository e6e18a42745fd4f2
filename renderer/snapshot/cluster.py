"""Turn loaded snapshot files into data sources: one controller (or none) and its workers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from renderer import terminal
from renderer.snapshot.loading import Snapshot
from renderer.snapshot.source import SnapshotControllerDataSource, SnapshotWorkerDataSource


@dataclass(frozen=True)
class ClusterSources:
    """The data sources one render or report draws on."""

    controller: SnapshotControllerDataSource | None
    workers: tuple[SnapshotWorkerDataSource, ...]
    captured_at_ms: int | None
    # What a reader should know about damaged input that was still used.
    notes: tuple[str, ...] = ()


def choose_newest(snapshots: Sequence[Snapshot]) -> tuple[list[Snapshot], str | None]:
    """Of several cluster or controller snapshots (a folder of them, as CI keeps), keep the
    one captured last; worker snapshots all stay. The note says which was taken."""
    controllers = [s for s in snapshots if s.kind in ("cluster", "controller")]
    if len(controllers) < 2:
        return list(snapshots), None

    def captured(snapshot: Snapshot) -> int:
        message = snapshot.message
        return message.captured_at_ms if message.HasField("captured_at_ms") else -(2**63)

    newest = max(controllers, key=captured)  # the first of equals, in the order given
    note = (
        f"using {terminal.safe(newest.path)}, the newest by capture time of "
        f"{len(controllers)} cluster or controller snapshots"
    )
    return [s for s in snapshots if s is newest or s.kind == "worker"], note


def open_sources(snapshots: Sequence[Snapshot]) -> ClusterSources:
    """Combine one cluster snapshot, or a controller plus workers, or workers alone.

    Given several cluster or controller snapshots, the newest is used (see choose_newest).
    """
    snapshots, chosen = choose_newest(snapshots)
    worker_messages = []
    controller_message = None
    captured_at_ms = None
    for snapshot in snapshots:
        message = snapshot.message
        if snapshot.kind == "cluster":
            controller_message = message.controller if message.HasField("controller") else None
            worker_messages += [(snapshot.path, w) for w in message.workers]
            captured_at_ms = message.captured_at_ms if message.HasField("captured_at_ms") else None
        elif snapshot.kind == "controller":
            controller_message = message
        else:
            worker_messages.append((snapshot.path, message))
    notes: list[str] = [chosen] if chosen else []
    workers = _unique_workers(worker_messages, notes)
    controller = (
        SnapshotControllerDataSource(controller_message, workers)
        if controller_message is not None
        else None
    )
    if controller is not None and controller.repeated_job_records:
        notes.append(
            f"{controller.repeated_job_records} job records repeat an earlier job id; "
            "the first is shown"
        )
    if captured_at_ms is None:
        captured_at_ms = _latest_capture(controller, workers)
    return ClusterSources(controller, workers, captured_at_ms, tuple(notes))


def _unique_workers(
    found: list[tuple[str, object]], notes: list[str]
) -> tuple[SnapshotWorkerDataSource, ...]:
    """Worker sources ordered by worker id; of one worker captured twice, the first is used."""
    seen: dict[str, str] = {}
    sources = []
    for path, message in found:
        source = SnapshotWorkerDataSource(message)  # type: ignore[arg-type]
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

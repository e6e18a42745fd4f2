"""Write snapshots from a running controller, keeping the newest few.

The design's open question "should the controller auto-capture on failure?" answered
as a small API the controller calls where it notices a failure:

    from renderer.workflow.capture import write_snapshot
    write_snapshot(state, "/var/lib/fluster/snapshots", keep=20, workers=worker_states)

Any object with `to_snapshot(now_ms)` works as the state (fluster's ControllerState
once it has one; renderer.reference.live.ControllerState here); workers likewise, with
`to_snapshot(now_ms, log_lines)`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from renderer import files
from renderer.report import times
from renderer.snapshot import loading
from renderer.snapshot.schema import pb

PREFIX = "snapshot"
_NAME = re.compile(rf"^{PREFIX}-(\d{{8}}T\d{{9}}Z)(?:-(\d+))?\.pb$")


class ControllerLike(Protocol):
    def to_snapshot(self, now_ms: int) -> pb.ControllerSnapshot: ...


class WorkerLike(Protocol):
    def to_snapshot(self, now_ms: int, log_lines: int) -> pb.WorkerSnapshot: ...


def write_snapshot(
    state: ControllerLike,
    directory: str | os.PathLike[str],
    keep: int | None = 20,
    workers: Sequence[WorkerLike] = (),
    now_ms: int | None = None,
    log_lines: int = 1000,
) -> Path:
    """Write the cluster's state as DIRECTORY/snapshot-<time>.pb and keep the newest `keep`.

    The file is written through a temporary name, so a reader never sees half of it;
    pruning touches only files this function names.
    """
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    cluster = pb.ClusterSnapshot(
        captured_at_ms=now,
        controller=state.to_snapshot(now),
        workers=[worker.to_snapshot(now, log_lines) for worker in workers],
    )
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = times.iso(now).replace("-", "").replace(":", "").replace(".", "")
    path = folder / f"{PREFIX}-{stamp}.pb"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{PREFIX}-{stamp}-{number}.pb"
    files.write_atomic(path, loading.dump(cluster, "binary"))
    if keep is not None:
        prune(folder, keep)
    return path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` snapshots this module wrote; returns those deleted."""

    def age(path: Path) -> tuple[str, int]:
        match = _NAME.match(path.name)
        assert match is not None
        return match.group(1), int(match.group(2) or 1)

    ours = sorted((p for p in folder.iterdir() if _NAME.match(p.name)), key=age)
    doomed = ours[: max(0, len(ours) - max(keep, 1))]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed

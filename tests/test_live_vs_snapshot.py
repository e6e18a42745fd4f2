"""The design's property: a live data source and a snapshot of it answer alike.

live.get_X() == snapshot_source(bytes of to_snapshot(live)).get_X() for every method,
over generated states that include unknown states, missing values, dangling ids,
queues naming unknown jobs and more actions than the controller keeps.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.reference import live
from renderer.snapshot.redaction import Redactor
from renderer.snapshot.schema import pb
from renderer.snapshot.source import SnapshotControllerDataSource, SnapshotWorkerDataSource
from tests.strategies import JOB_IDS, controller_states, worker_states

NOW_MS = 1_795_918_417_000
# The live sources show the cluster to its operators as it is; a snapshot source hides
# secrets for a report's readers. The property is about the data, so both show all
# (redaction has its own tests): a generated metadata key 'token' is no disagreement.
AS_IT_IS = Redactor(enabled=False)


def through_bytes(message: pb.ControllerSnapshot | pb.WorkerSnapshot) -> object:
    copy = type(message)()
    copy.ParseFromString(message.SerializeToString())
    return copy


@settings(max_examples=150, deadline=None)
@given(
    state=controller_states(),
    workers=worker_states(),
    log_lines=st.integers(0, 10),
    limits=st.lists(st.none() | st.integers(-1, 120), min_size=1, max_size=3),
    asked=st.lists(JOB_IDS, max_size=4),
)
def test_live_and_snapshot_sources_agree(
    state: live.ControllerState,
    workers: list[live.WorkerState],
    log_lines: int,
    limits: list[int | None],
    asked: list[str],
) -> None:
    def clock() -> int:
        return NOW_MS

    live_workers = [live.LiveWorkerDataSource(w, clock, log_lines) for w in workers]
    snapshot_workers = [
        SnapshotWorkerDataSource(
            through_bytes(w.to_snapshot(NOW_MS, log_lines)),  # type: ignore[arg-type]
            redactor=AS_IT_IS,
        )
        for w in workers
    ]
    live_source = live.LiveControllerDataSource(state, live_workers, clock)
    snapshot_source = SnapshotControllerDataSource(
        through_bytes(state.to_snapshot(NOW_MS)),  # type: ignore[arg-type]
        snapshot_workers,
        AS_IT_IS,
    )

    assert live_source.get_stats() == snapshot_source.get_stats()
    assert live_source.get_jobs() == snapshot_source.get_jobs()
    assert live_source.get_workers() == snapshot_source.get_workers()
    assert live_source.get_endpoints() == snapshot_source.get_endpoints()
    for limit in limits:
        assert live_source.get_actions(limit) == snapshot_source.get_actions(limit)
    for job_id in [*state.jobs, *asked]:
        for lines in (None, 0, 3):
            assert live_source.get_job_detail(job_id, lines) == snapshot_source.get_job_detail(
                job_id, lines
            )

    for live_worker, snapshot_worker in zip(live_workers, snapshot_workers, strict=True):
        assert live_worker.get_stats() == snapshot_worker.get_stats()
        assert live_worker.get_jobs() == snapshot_worker.get_jobs()
        assert live_worker.job_ids() == snapshot_worker.job_ids()
        assert live_worker.log_line_counts() == snapshot_worker.log_line_counts()
        for job_id in [*live_worker.job_ids(), *asked]:
            assert live_worker.get_job_detail(job_id) == snapshot_worker.get_job_detail(job_id)
            assert live_worker.get_job_detail(job_id, 2) == snapshot_worker.get_job_detail(
                job_id, 2
            )


def test_demo_cluster_live_and_snapshot_agree(demo_cluster) -> None:  # type: ignore[no-untyped-def]
    """The property on a realistic state: the demo's whole cluster."""

    def clock() -> int:
        return demo_cluster.captured_at_ms

    snapshot = through_bytes(demo_cluster.to_snapshot())
    workers = demo_cluster.workers
    live_source = live.LiveControllerDataSource(
        demo_cluster.controller,
        [live.LiveWorkerDataSource(workers[w], clock) for w in sorted(workers)],
        clock,
    )
    snapshot_source = SnapshotControllerDataSource(
        snapshot.controller,  # type: ignore[attr-defined]
        [SnapshotWorkerDataSource(w) for w in snapshot.workers],  # type: ignore[attr-defined]
    )
    assert live_source.get_stats() == snapshot_source.get_stats()
    assert live_source.get_jobs() == snapshot_source.get_jobs()
    assert live_source.get_workers() == snapshot_source.get_workers()
    assert live_source.get_endpoints() == snapshot_source.get_endpoints()
    assert live_source.get_actions(None) == snapshot_source.get_actions(None)
    for job in live_source.get_jobs():
        assert live_source.get_job_detail(job.job_id) == snapshot_source.get_job_detail(job.job_id)

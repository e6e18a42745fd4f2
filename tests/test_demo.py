"""The demo simulation: deterministic, realistic, and able to scale."""

from __future__ import annotations

from collections import Counter

from renderer.reference import demo
from renderer.reference.live import MAX_ACTIONS
from renderer.snapshot import loading, states
from renderer.snapshot.schema import pb

ACTION_NAMES = {
    "job_submitted",
    "job_dispatched",
    "dispatch_failed",
    "job_started",
    "job_killed",
    "job_unschedulable",
    "worker_registered",
    "worker_failed",
    "worker_timeout",
    "endpoint_registered",
    "endpoint_unregistered",
}


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    config = demo.DemoConfig(seed=3, jobs=40, workers=5)
    first = loading.dump(demo.demo_snapshot(config), "binary")
    again = loading.dump(demo.demo_snapshot(config), "binary")
    other = loading.dump(demo.demo_snapshot(demo.DemoConfig(seed=4, jobs=40, workers=5)), "binary")
    assert first == again
    assert first != other


def test_default_demo_shows_a_whole_cluster_life(demo_cluster: demo.DemoCluster) -> None:
    controller = demo_cluster.controller
    by_state = Counter(states.state(job.state).name for job in controller.jobs.values())
    for name in (
        "succeeded",
        "failed",
        "running",
        "pending",
        "killed",
        "unschedulable",
        "worker_failed",
    ):
        assert by_state[name] > 0, name
    jobs = list(controller.jobs.values())
    assert any(job.gang_id for job in jobs)
    assert any(job.failure_count > 0 for job in jobs), "a retried failure"
    assert any(job.preemption_count > 0 for job in jobs), "a preemption"
    assert controller.queue
    assert all(controller.jobs[j].state == states.PENDING for j in controller.queue)
    assert controller.endpoints
    unhealthy = [w for w in controller.workers.values() if not w.healthy]
    assert unhealthy
    assert all(w.worker_id not in demo_cluster.workers for w in unhealthy)
    assert len(controller.actions) == MAX_ACTIONS
    assert {a.action for a in controller.actions} <= ACTION_NAMES


def test_demo_logs_carry_what_real_logs_carry(demo_cluster: demo.DemoCluster) -> None:
    records = [job for worker in demo_cluster.workers.values() for job in worker.jobs.values()]
    lines = [line for job in records for line in job.logs]
    assert {line.source for line in lines} == {"stdout", "stderr", "build"}
    texts = [line.data or "" for line in lines]
    assert any("\x1b[" in text for text in texts), "ANSI colours"
    assert any(any(ord(ch) > 0x3000 for ch in text) for text in texts), "CJK or emoji"
    assert max(len(text) for text in texts) > 2000, "a very long line"
    assert any(len(job.logs) > 1000 for job in records), "a log longer than the kept tail"
    builds = [job.build for job in records if job.build and job.build.from_cache is not None]
    assert {build.from_cache for build in builds} == {True, False}


def test_every_job_state_matches_its_worker_record(demo_cluster: demo.DemoCluster) -> None:
    """A running job's worker has it running; the controller and worker agree."""
    for job in demo_cluster.controller.jobs.values():
        if job.state in (states.RUNNING, states.BUILDING):
            assert job.worker_id in demo_cluster.workers
            assert demo_cluster.workers[job.worker_id].jobs[job.job_id].state == job.state


def test_demo_scales(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cluster = demo.simulate(demo.DemoConfig(seed=1, jobs=3000, workers=300))
    assert len(cluster.controller.jobs) == 3000
    assert len(cluster.controller.workers) == 300
    snapshot = cluster.to_snapshot()
    with_logs = sum(len(w.job_logs) for w in snapshot.workers)
    assert 0 < with_logs < 300, "above 2,000 jobs only a sample keeps logs"
    assert all(len(tail.lines) == 1000 for w in snapshot.workers for tail in w.job_logs.values())
    assert isinstance(snapshot, pb.ClusterSnapshot)

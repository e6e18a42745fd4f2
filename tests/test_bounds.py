"""Resources stay bounded whatever a snapshot holds: memory does not follow its log lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from renderer.snapshot.schema import pb
from tests import wire

# Peak memory of any render: at most this many times the snapshot's bytes, plus a floor.
MEMORY_PER_BYTE = 20
MEMORY_FLOOR = 200 * 1024 * 1024

_MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"code": done.returncode, "peak": peak, "err": done.stderr[-500:]}))
"""


def peak_of_render(snapshot: Path, out: Path) -> dict[str, object]:
    """Run the real CLI in a fresh process and read its peak resident memory."""
    command = [sys.executable, "-m", "renderer", "render", str(snapshot), "--out", str(out)]
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    return json.loads(measured.stdout)  # type: ignore[no-any-return]


def test_five_million_empty_log_lines_render_in_bounded_memory(tmp_path: Path) -> None:
    lines = b"\x0a\x00" * 5_000_000  # LogTail.lines: five million empty entries
    worker = (
        wire.int_field(1, 1_795_918_417_000)
        + wire.str_field(2, "worker-1")
        + wire.message(3, wire.str_field(1, "job-1"), wire.int_field(2, 5))
        + wire.message(4, wire.str_field(1, "job-1"), wire.bytes_field(2, lines))
    )
    snapshot = tmp_path / "worker.pb"
    snapshot.write_bytes(worker)
    result = peak_of_render(snapshot, tmp_path / "report")
    assert result["code"] == 0, result["err"]
    budget = MEMORY_PER_BYTE * len(worker) + MEMORY_FLOOR
    assert int(result["peak"]) <= budget, f"{result['peak']:,} bytes > {budget:,}"  # type: ignore[call-overload]
    page = (tmp_path / "report" / "jobs" / "detail-0001.html").read_text()
    assert "showing last 1,000 of 5,000,000 lines" in page
    text = next((tmp_path / "report" / "logs").rglob("*.txt")).read_text()
    assert text.splitlines()[0].endswith("last 100,000 of 5,000,000 lines")


def test_logs_count_against_the_detail_page_limit() -> None:
    from renderer.report import sitemap
    from renderer.snapshot.catalog import detail_jobs

    ordered = [f"job-{n:05d}" for n in range(sitemap.DETAIL_PAGES_LIMIT + 500)]
    every_job_logs = dict.fromkeys(ordered, 1)
    chosen = detail_jobs(ordered, every_job_logs, sitemap.DETAIL_PAGES_LIMIT)
    assert len(chosen) == sitemap.DETAIL_PAGES_LIMIT
    assert chosen == ordered[: sitemap.DETAIL_PAGES_LIMIT]  # in list order: problems first
    some_logs = {job_id: 1 for job_id in ordered[-10:]}
    chosen = detail_jobs(ordered, some_logs, sitemap.DETAIL_PAGES_LIMIT)
    assert set(ordered[-10:]) <= set(chosen), "a job with a log keeps its page"


def test_a_huge_gang_is_not_repeated_on_every_page(tmp_path: Path) -> None:
    from renderer.snapshot import loading
    from renderer.snapshot.schema import pb

    cluster = pb.ClusterSnapshot(captured_at_ms=10_000)
    for n in range(300):
        cluster.controller.jobs.add(
            status=pb.JobStatus(job_id=f"rank-{n:03d}", state=3),
            gang_id="big-gang",
            request=pb.Controller.LaunchJobRequest(name="r" * 150 + str(n)),
        )
    snapshot = tmp_path / "gang.pb"
    snapshot.write_bytes(loading.dump(cluster, "binary"))
    result = peak_of_render(snapshot, tmp_path / "report")
    assert result["code"] == 0, result["err"]
    out = sum(p.stat().st_size for p in (tmp_path / "report").rglob("*") if p.is_file())
    assert out <= 50 * len(snapshot.read_bytes()) + 50_000_000
    page = (tmp_path / "report" / "jobs" / "detail-0001.html").read_text()
    first = page[: page.index("</article>")]
    gang = first[
        first.index('<ul class="gang">') : first.index("</ul>", first.index('class="gang"'))
    ]
    assert gang.count("<li>") <= 12
    assert "and 288 more members" in first


def test_a_worker_that_does_not_say_it_is_healthy_is_not_counted_healthy(tmp_path: Path) -> None:
    from renderer.snapshot import loading
    from renderer.snapshot.schema import pb
    from tests.conftest import run_cli

    def cluster(healthy: bool | None) -> Path:
        message = pb.ClusterSnapshot(captured_at_ms=10_000 if healthy else 20_000)
        worker = message.controller.workers.add(worker_id="worker-1", address="10.0.0.1:1")
        if healthy is not None:  # a proto3 writer leaves healthy = false out
            worker.healthy = healthy
        path = tmp_path / f"{healthy}.pb"
        path.write_bytes(loading.dump(message, "binary"))
        return path

    before, after = cluster(True), cluster(None)
    done = run_cli("render", str(after), "--out", str(tmp_path / "report"))
    assert done.returncode == 0, done.stderr
    workers = (tmp_path / "report" / "workers" / "index.html").read_text()
    assert 'data-healthy="unknown"' in workers
    assert "not sent" in workers
    overview = (tmp_path / "report" / "index.html").read_text()
    assert "0 / 1" in overview
    assert 'id="unhealthy-workers"' in overview
    changed = run_cli("diff", str(before), str(after))
    assert "worker-1 stopped reporting healthy" in changed.stdout
    summary = run_cli("summary", str(after))
    assert "unhealthy worker worker-1" in summary.stdout


def test_millions_of_actions_do_not_fill_the_report(tmp_path: Path) -> None:
    action = wire.message(5, wire.int_field(1, 5), wire.str_field(2, "job_submitted"))
    controller = wire.int_field(1, 10_000) + action * 1_000_000
    snapshot = tmp_path / "controller.pb"
    snapshot.write_bytes(controller)
    from tests.conftest import run_cli

    done = run_cli("render", str(snapshot), "--out", str(tmp_path / "r"), "--kind", "controller")
    assert done.returncode == 0, done.stderr
    out = sum(p.stat().st_size for p in (tmp_path / "r").rglob("*") if p.is_file())
    assert out <= 50 * len(controller) + 50_000_000
    first = (tmp_path / "r" / "actions.html").read_text()
    assert "1,000,000 actions in the snapshot, newest first; the newest 20,000 are listed" in first


def test_a_loaded_snapshot_keeps_its_jobs_as_the_files_bytes_and_its_tails_apart(
    tmp_path: Path,
) -> None:
    """The controller's job records stay the file's bytes, each parsed when read (a
    million jobs parsed whole held 2 GB, their bytes 1 GB); the log tails keep their
    own bytes; a snapshot without jobs lets the file's bytes go."""
    from renderer.reference import demo
    from renderer.snapshot import loading

    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=3, jobs=400, workers=20))
    path = tmp_path / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    data = path.read_bytes()
    references = sys.getrefcount(data)
    loaded = loading.parse(data, str(path))
    assert len(loaded.parsed.controller.jobs) == 0  # not parsed with the rest
    assert loaded.jobs is not None
    assert len(loaded.jobs) == len(snapshot.controller.jobs) == 400
    assert [loaded.jobs.get(i) for i in (0, 123, 399)] == [
        snapshot.controller.jobs[i] for i in (0, 123, 399)
    ]
    assert sys.getrefcount(data) > references  # the records are spans of it
    assert loaded.logs is not None
    tails = [tail for worker in loaded.logs for tail in worker.values()]
    assert tails
    assert sum(len(tail.data) for tail in tails) < len(data)
    assert loaded.message == snapshot

    workers_only = pb.ClusterSnapshot()
    workers_only.CopyFrom(snapshot)
    workers_only.ClearField("controller")
    data = loading.dump(workers_only, "binary")
    references = sys.getrefcount(data)
    loaded = loading.parse(data, "workers.pb")
    assert loaded.jobs is None
    assert sys.getrefcount(data) == references  # nothing loaded holds the file's bytes
    assert loaded.message == workers_only


def test_a_damaged_job_record_is_one_line_naming_the_file(tmp_path: Path) -> None:
    """A record whose bytes are no job (a name that is not UTF-8) is found when the
    records are read for their summaries: exit 2, one line, nothing written."""
    from renderer.reference import demo
    from renderer.snapshot import loading
    from tests.conftest import run_cli

    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=3, jobs=400, workers=4))
    data = loading.dump(snapshot, "binary")
    name = snapshot.controller.jobs[1].request.name.encode()
    assert data.count(name) == 1
    damaged = data.replace(name, b"\xff" + name[1:])
    path = tmp_path / "damaged.pb"
    path.write_bytes(damaged)
    done = run_cli("render", str(path), "--out", str(tmp_path / "r"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert f"{path}: job record 2 is damaged" in done.stderr
    assert not (tmp_path / "r").exists()


def test_jobs_share_one_text_for_each_worker_and_gang_id(tmp_path: Path) -> None:
    """A million jobs on 100,000 workers: each job's summary held its own copy of its
    worker's id (and the job index a second copy of its own), some 500 MB of a
    million-job render once the forked processes had read them."""
    from renderer.reference import demo
    from renderer.snapshot import loading
    from renderer.snapshot.cluster import open_sources

    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=3, jobs=400, workers=20))
    path = tmp_path / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    sources = open_sources([loading.load(path)])
    assert sources.controller is not None
    jobs = sources.controller.get_jobs()
    workers = {job.worker_id for job in jobs if job.worker_id}
    gangs = {job.gang_id for job in jobs if job.gang_id}
    assert len(workers) < len(jobs)
    assert gangs
    assert len({id(job.worker_id) for job in jobs if job.worker_id}) == len(workers)
    assert len({id(job.gang_id) for job in jobs if job.gang_id}) == len(gangs)
    first = jobs[0]
    detail = sources.controller.get_job_detail(first.job_id)
    assert detail is not None
    assert detail.job_id == first.job_id

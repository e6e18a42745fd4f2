"""A large controller's job summaries are made in several processes: the same summaries,
the same redaction count and the same errors as one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from renderer.reference import demo
from renderer.snapshot import loading
from renderer.snapshot.catalog import Catalog, queue_order
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.redaction import Redactor
from renderer.snapshot.schema import pb
from tests.secret_corpus import GITHUB_PAT


def _cluster(tmp_path: Path) -> Path:
    """The demo with secrets in names and errors across the records, and two records
    that repeat an earlier job id (with a secret of their own, never shown)."""
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=5, jobs=3000, workers=60))
    jobs = snapshot.controller.jobs
    for number in (10, 1500, 2990):
        jobs[number].request.name = f"train token={GITHUB_PAT}"
        jobs[number].status.error = f"Authorization: Bearer {GITHUB_PAT}"
    for number in (20, 2000):
        repeat = pb.ControllerJobSnapshot()
        repeat.CopyFrom(jobs[number])
        repeat.request.name = f"again token={GITHUB_PAT}"
        jobs.append(repeat)
    path = tmp_path / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    return path


@pytest.mark.parametrize("processes", [2, 3])
def test_several_processes_make_the_summaries_one_process_makes(
    tmp_path: Path, processes: int
) -> None:
    path = _cluster(tmp_path)
    one, several = Redactor(), Redactor()
    serial = open_sources([loading.load(path)], one, processes=1).controller
    parallel = open_sources([loading.load(path)], several, processes=processes).controller
    assert serial is not None
    assert parallel is not None
    assert parallel.get_jobs() == serial.get_jobs()
    assert len(parallel.get_jobs()) == 3000
    assert parallel.repeated_job_records == serial.repeated_job_records == 2
    # Names and errors of three shown jobs; the repeats' names are not shown.
    assert one.count == several.count == 6
    assert all(GITHUB_PAT not in (job.name or "") for job in parallel.get_jobs())
    # The first record of a repeated id is the one shown, and its detail page reads it.
    first = serial.get_jobs()[20]
    detail = parallel.get_job_detail(first.job_id)
    assert detail is not None
    assert detail.job.status.job_id == first.job_id
    assert parallel.get_jobs()[20].name == first.name
    assert "again" not in (first.name or "")
    # Worker ids made in another process are one text with this one's.
    jobs = parallel.get_jobs()
    workers = {job.worker_id for job in jobs if job.worker_id}
    assert len({id(job.worker_id) for job in jobs if job.worker_id}) == len(workers)


def test_a_damaged_record_another_process_reads_is_named(tmp_path: Path) -> None:
    """The damaged record is in the last process's part: the error names the file and
    the record as one process would."""
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=3, jobs=900, workers=9))
    snapshot.controller.jobs[850].request.name = "the-one-damaged-record"
    data = loading.dump(snapshot, "binary")
    name = b"the-one-damaged-record"
    assert data.count(name) == 1
    path = tmp_path / "damaged.pb"
    path.write_bytes(data.replace(name, b"\xff" + name[1:]))
    said = []
    for processes in (1, 3):
        with pytest.raises(loading.SnapshotError) as raised:
            open_sources([loading.load(path)], processes=processes)
        said.append(str(raised.value))
    assert said[0] == said[1]
    assert said[0].startswith(f"{path}: job record 851 is damaged: ")
    assert "\n" not in said[0]


def test_the_queue_comes_first_then_every_job_by_attention(tmp_path: Path) -> None:
    """The overview's order of jobs, made from the attention order without sorting a
    million jobs again, is the order `queue_order` gives."""
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=7, jobs=2000, workers=30))
    assert len(snapshot.controller.queue_order) > 10
    path = tmp_path / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    catalog = Catalog(open_sources([loading.load(path)]))
    ordered = catalog.in_queue_order
    assert ordered == sorted(catalog.jobs, key=queue_order)
    assert [job.queue_position for job in ordered[:3]] == [0, 1, 2]
    assert ordered != catalog.jobs

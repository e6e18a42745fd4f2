"""Folders of snapshots, as CI keeps them: the newest cluster snapshot is used."""

from __future__ import annotations

import json
from pathlib import Path

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli


def write_cluster(path: Path, captured_at_ms: int, job_id: str) -> None:
    cluster = pb.ClusterSnapshot(captured_at_ms=captured_at_ms)
    cluster.controller.jobs.add(status=pb.JobStatus(job_id=job_id, state=5, error="boom"))
    path.write_bytes(loading.dump(cluster, loading.format_for_path(str(path))))


def snapshot_folder(root: Path) -> Path:
    folder = root / "snapshots"
    folder.mkdir()
    write_cluster(folder / "a-newest.pb", 3_000_000, "job-newest")
    write_cluster(folder / "b-oldest.json", 1_000_000, "job-oldest")
    write_cluster(folder / "c-middle.txtpb", 2_000_000, "job-middle")
    (folder / "notes.txt").write_text("not a snapshot")
    return folder


def test_summary_takes_the_newest_of_a_folder_and_of_a_list(tmp_path: Path) -> None:
    folder = snapshot_folder(tmp_path)
    listed = sorted(str(p) for p in folder.iterdir() if p.suffix != ".txt")
    for given in ([str(folder)], listed):
        result = run_cli("summary", *given, "--format", "json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["captured_at_ms"] == 3_000_000
        assert [job["job_id"] for job in report["problems"]] == ["job-newest"]
        assert "a-newest.pb, the newest by capture time of 3" in result.stderr


def test_render_and_archive_take_a_folder_and_workers_still_join(tmp_path: Path) -> None:
    folder = snapshot_folder(tmp_path)
    worker = pb.WorkerSnapshot(captured_at_ms=3_000_000, worker_id="w-extra")
    worker.jobs.add(job_id="job-newest", state=5)
    worker_file = tmp_path / "worker.pb"
    worker_file.write_bytes(loading.dump(worker, "binary"))
    out = tmp_path / "report"
    result = run_cli("render", str(folder), str(worker_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "a-newest.pb" in result.stderr
    pages = " ".join(p.read_text() for p in out.rglob("*.html"))
    assert "job-newest" in pages
    assert "job-oldest" not in pages
    assert "w-extra" in pages
    archived = run_cli("archive", str(folder), "--into", str(tmp_path / "archive"))
    assert archived.returncode == 0, archived.stderr
    assert "a-newest.pb" in archived.stderr


def test_an_empty_folder_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("summary", str(empty))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "no snapshot files" in result.stderr

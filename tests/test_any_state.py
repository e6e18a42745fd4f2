"""Any enum number a snapshot can hold (negative, unknown, the int32 extremes) works in
every command and every file format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli

STATES = [-1, 99, -(2**31), 2**31 - 1]
FORMATS = {"binary": ".pb", "json": ".json", "text": ".txtpb"}


def cluster(state: int, captured_at_ms: int) -> pb.ClusterSnapshot:
    snapshot = pb.ClusterSnapshot(captured_at_ms=captured_at_ms)
    snapshot.controller.jobs.add(
        status=pb.JobStatus(job_id="odd-job", state=state, worker_id="w-1"),
        request=pb.Controller.LaunchJobRequest(name="odd"),
    )
    snapshot.controller.jobs.add(status=pb.JobStatus(job_id="plain-job", state=5))
    worker = snapshot.workers.add(worker_id="w-1", captured_at_ms=captured_at_ms)
    worker.jobs.add(job_id="odd-job", state=state)
    return snapshot


def write(path: Path, message: pb.ClusterSnapshot, fmt: str) -> Path:
    path.write_bytes(loading.dump(message, fmt))  # type: ignore[arg-type]
    return path


# Every format with -1; the other numbers in binary (the format does not change the name).
CASES = [(-1, fmt) for fmt in FORMATS] + [(state, "binary") for state in STATES[1:]]


@pytest.mark.parametrize(("state", "fmt"), CASES)
def test_every_command_takes_any_state(tmp_path: Path, state: int, fmt: str) -> None:
    name = f"unknown_{state}"
    ext = FORMATS[fmt]
    old = write(tmp_path / f"old{ext}", cluster(5, 1_000_000), fmt)
    new = write(tmp_path / f"new{ext}", cluster(state, 2_000_000), fmt)
    assert loading.load(new).message.controller.jobs[0].status.state == state

    rendered = run_cli("render", str(new), "--out", str(tmp_path / "report"))
    assert rendered.returncode == 0, rendered.stderr
    assert f"unknown state {state}" in (tmp_path / "report" / "index.html").read_text()

    for summary_format in ("text", "markdown", "json"):
        summary = run_cli("summary", str(new), "--format", summary_format)
        assert summary.returncode == 0, summary.stderr
    counts = json.loads(run_cli("summary", str(new), "--format", "json").stdout)["jobs_by_state"]
    assert counts == {"failed": 1, name: 1}
    failing = run_cli("summary", str(new), "--fail-on", name)
    assert failing.returncode == 1, failing.stderr

    text = run_cli("diff", str(old), str(new))
    assert text.returncode == 0, text.stderr
    assert f"failed → unknown state {state}" in text.stdout
    as_json = json.loads(run_cli("diff", str(old), str(new), "--format", "json").stdout)
    assert as_json["state_changes"][0]["after"] == name
    html = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "diff"))
    assert html.returncode == 0, html.stderr

    archive = tmp_path / "archive"
    for snapshot, label in ((old, "first"), (new, "second"), (new, "third")):
        archived = run_cli("archive", str(snapshot), "--into", str(archive), "--label", label)
        assert archived.returncode == 0, archived.stderr
    index = (archive / "index.html").read_text()
    assert index.count('href="') > 3
    assert "second" in index
    assert "third" in index

    for extra, shown in (((), f"1 unknown state {state}"), (("--json",), name)):
        inspected = run_cli("inspect", str(new), *extra)
        assert inspected.returncode == 0, inspected.stderr
        assert shown in inspected.stdout

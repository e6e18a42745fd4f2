"""Not one secret byte in any file of a report: env vars, metadata, errors, log lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli
from tests.secret_corpus import SECRETS, Secret


def forms(secret: str) -> set[str]:
    """The secret as any file of a report could hold it: as it is, escaped for HTML, in
    JSON, and each of its lines (a key block is split over a log's lines)."""
    found = {secret, str(escape(secret)), json.dumps(secret, ensure_ascii=False)[1:-1]}
    found |= {line for line in secret.splitlines() if len(line) >= 8}
    return found


def leaked(text: str) -> list[str]:
    return [s.secret for s in SECRETS if any(form in text for form in forms(s.secret))]


def corpus_cluster() -> pb.ClusterSnapshot:
    """Every secret of the corpus where it sits: a job's environment, an endpoint's
    metadata, a job's error (controller and worker records), a log line."""
    cluster = pb.ClusterSnapshot(captured_at_ms=10_000_000)
    controller = cluster.controller
    worker = cluster.workers.add(worker_id="worker-1", captured_at_ms=10_000_000)
    controller.workers.add(worker_id="worker-1", address="10.0.0.1:8080", healthy=True)
    env = {s.name: s.text for s in SECRETS if s.where == "env"}
    for number, secret in enumerate(s for s in SECRETS if s.where in ("error", "env")):
        job_id = f"job-{number:02d}"
        status = pb.JobStatus(job_id=job_id, state=5, worker_id="worker-1", exit_code=1)
        if secret.where == "error":
            status.error = secret.text
        job = controller.jobs.add(status=status, submitted_at_ms=1_000 + number)
        job.request.name = f"train-{number}"
        job.request.environment.env_vars.update(env)
        worker.jobs.add().CopyFrom(status)
    tail = worker.job_logs["job-00"]
    for number, secret in enumerate(s for s in SECRETS if s.where == "log"):
        tail.lines.add(timestamp_ms=2_000 + number, source="stderr", data=secret.text)
    endpoint = controller.endpoints.add(endpoint_id="e1", name="web", job_id="job-00")
    endpoint.metadata.update({s.name: s.text for s in SECRETS if s.where == "metadata"})
    return cluster


def all_text(root: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secrets") / "cluster.pb"
    path.write_bytes(loading.dump(corpus_cluster(), "binary"))
    return path


def missing(text: str, secrets: tuple[Secret, ...]) -> list[str]:
    return [s.secret for s in secrets if not any(form in text for form in forms(s.secret))]


def test_no_secret_reaches_any_file_of_the_report(corpus_path: Path, tmp_path: Path) -> None:
    assert len(SECRETS) >= 30
    bundle, single = tmp_path / "report", tmp_path / "report.html"
    for target in (["--out", str(bundle)], ["--single-file", str(single)]):
        done = run_cli("render", str(corpus_path), *target)
        assert done.returncode == 0, done.stderr
        assert "secret values redacted" in done.stderr
    for text in (all_text(bundle), single.read_text()):
        assert leaked(text) == []
        assert "[redacted]" in text
    overview = (bundle / "index.html").read_text()
    assert re.search(r'id="redaction-note">[\d,]+ values that look like secrets', overview)


def test_no_redact_shows_them_and_says_so(corpus_path: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "report"
    done = run_cli("render", str(corpus_path), "--out", str(bundle), "--no-redact")
    assert done.returncode == 0, done.stderr
    assert "redaction is off" in done.stderr
    text = all_text(bundle)
    assert missing(text, SECRETS) == []
    assert "Redaction was off for this report" in (bundle / "index.html").read_text()

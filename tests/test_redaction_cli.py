"""Summary and diff hide the corpus's secrets by default, and show them with --no-redact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli
from tests.secret_corpus import SECRETS

FREE_TEXT = [s for s in SECRETS if s.where in ("error", "log")]
CHUNK = 10  # the summary lists 20 problems; fewer per snapshot keeps every one listed


def fragment(secret: str) -> str:
    """The longest run of letters and digits of a secret: no format escapes it."""
    return max(re.findall(r"[A-Za-z0-9]+", secret), key=len)


def test_the_fragments_stand_for_their_secrets() -> None:
    for secret in FREE_TEXT:
        assert len(fragment(secret.secret)) >= 6, secret.secret
        assert fragment(secret.secret) not in secret.kept, "the fragment is the secret's own"


def failing_cluster(secrets: list, captured_at_ms: int = 10_000) -> pb.ClusterSnapshot:  # type: ignore[type-arg]
    cluster = pb.ClusterSnapshot(captured_at_ms=captured_at_ms)
    for number, secret in enumerate(secrets):
        cluster.controller.jobs.add(
            status=pb.JobStatus(
                job_id=f"job-{number}", state=5, error=secret.text, worker_id="w-1"
            ),
            # Names are shown cut short: only the short texts go in whole.
            request=pb.Controller.LaunchJobRequest(
                name=secret.text if len(secret.text) <= 55 else "train"
            ),
        )
    return cluster


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, list]]:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("corpus")
    found = []
    for start in range(0, len(FREE_TEXT), CHUNK):
        chunk = FREE_TEXT[start : start + CHUNK]
        path = folder / f"cluster-{start}.pb"
        path.write_bytes(loading.dump(failing_cluster(chunk), "binary"))
        found.append((path, chunk))
    return found


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_summary_redacts_by_default(corpus_files, fmt: str) -> None:  # type: ignore[no-untyped-def]
    marker = "\\[redacted\\]" if fmt == "markdown" else "[redacted]"  # Markdown escapes [ ]
    for path, chunk in corpus_files:
        hidden = run_cli("summary", str(path), "--format", fmt)
        assert hidden.returncode == 0, hidden.stderr
        assert marker in hidden.stdout
        assert "secret values redacted" in hidden.stderr
        shown = run_cli("summary", str(path), "--format", fmt, "--no-redact")
        assert shown.returncode == 0, shown.stderr
        assert "redaction is off" in shown.stderr
        assert marker not in shown.stdout
        for secret in chunk:
            piece = fragment(secret.secret)
            assert piece not in hidden.stdout, (fmt, secret.secret)
            assert piece in shown.stdout, (fmt, secret.secret)
        if fmt == "json":
            json.loads(hidden.stdout)


def test_diff_redacts_by_default(tmp_path: Path) -> None:
    old, new = tmp_path / "old.pb", tmp_path / "new.pb"
    old.write_bytes(loading.dump(pb.ClusterSnapshot(captured_at_ms=1_000), "binary"))
    cluster = failing_cluster(FREE_TEXT, captured_at_ms=100_000)
    for number, secret in enumerate(FREE_TEXT):
        cluster.controller.actions.add(
            timestamp_ms=2_000 + number, action="job_failed", job_id="job-1", details=secret.text
        )
    new.write_bytes(loading.dump(cluster, "binary"))
    for fmt in ("text", "json"):
        hidden = run_cli("diff", str(old), str(new), "--format", fmt)
        shown = run_cli("diff", str(old), str(new), "--format", fmt, "--no-redact")
        assert hidden.returncode == shown.returncode == 0, hidden.stderr + shown.stderr
        assert "redaction is off" in shown.stderr
        for secret in FREE_TEXT:
            piece = fragment(secret.secret)
            assert piece not in hidden.stdout, (fmt, secret.secret)
            assert piece in shown.stdout, (fmt, secret.secret)


def test_extra_patterns_and_a_bad_one(corpus_files) -> None:  # type: ignore[no-untyped-def]
    path, _ = corpus_files[0]
    plain = run_cli("summary", str(path), "--format", "json")
    assert "w-1" in json.loads(plain.stdout)["problems"][0]["worker_id"]
    extra = run_cli("summary", str(path), "--format", "json", "--redact", r"w-\d")
    assert json.loads(extra.stdout)["problems"][0]["worker_id"] == "[redacted]"
    for command in (["summary", str(path)], ["diff", str(path), str(path)]):
        bad = run_cli(*command, "--redact", "(unclosed")
        assert bad.returncode == 2
        assert bad.stderr.count("\n") == 1, bad.stderr
        assert "bad --redact pattern" in bad.stderr

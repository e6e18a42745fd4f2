"""The iris importer on a real checkpoint, and its clean failures on bad sources."""

from __future__ import annotations

import http.server
import json
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard

from renderer.snapshot import loading
from tests.conftest import ROOT, run_cli
from tests.iris.bundle import bundle_text

CHECKPOINT = ROOT / "tests" / "fixtures" / "iris" / "capture-A"
JOBS_A = 23
TASKS_A = 27
ATTEMPTS_A = 25
WORKERS_A = 4


def _capture(source: str, out: Path, *extra: str) -> loading.Snapshot:
    result = run_cli("capture", source, "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return loading.load(out)


def test_a_checkpoint_folder_becomes_a_cluster_snapshot(tmp_path: Path) -> None:
    snapshot = _capture(str(CHECKPOINT), tmp_path / "cluster.pb")
    assert snapshot.kind == "cluster"
    message = snapshot.message
    controller = message.controller
    assert len(controller.jobs) == JOBS_A
    assert sum(len(job.tasks) for job in controller.jobs) == TASKS_A
    assert sum(len(t.attempts) for job in controller.jobs for t in job.tasks) == ATTEMPTS_A
    assert len(controller.workers) == WORKERS_A
    assert [e.name for e in controller.endpoints] == ["/root/web-endpoint/web"]
    assert message.provenance.system == "iris"
    assert message.provenance.source == "checkpoint"
    assert any("no logs" in note for note in message.provenance.notes)
    jobs = {job.status.job_id: job for job in controller.jobs}
    # Hostile names arrive as they are; the renderer escapes them.
    assert "/root/quote'\"; DROP TABLE jobs;--" in jobs
    assert "/root/<img src=x onerror=alert(1)>" in jobs
    assert "/root/ünïcødé-✓-🚀 job" in jobs
    # Children know their parent; the job exit code comes from the failing task.
    assert jobs["/root/pipeline-parent/stage-2-fails"].parent_job_id == "/root/pipeline-parent"
    assert not jobs["/root/pipeline-parent"].HasField("parent_job_id")
    assert jobs["/root/shard-replicas-one-fails"].status.exit_code == 9
    assert jobs["/root/shard-replicas-one-fails"].gang_id == "/root/shard-replicas-one-fails"
    flaky = jobs["/root/flaky-retry"].tasks[0]
    assert [(a.attempt_id, a.state, a.exit_code) for a in flaky.attempts] == [(0, 5, 3), (1, 4, 0)]
    # The pending queue follows iris's priority columns.
    assert list(controller.queue_order) == ["/root/needs-48-cpus", "/root/pool-big-mem-forever"]
    request = jobs["/root/needs-48-cpus"].request
    assert (request.resources.cpu, request.resources.memory) == (48, "1g")


def test_inspect_says_where_an_imported_snapshot_came_from(tmp_path: Path) -> None:
    _capture(str(CHECKPOINT), tmp_path / "cluster.pb")
    text = run_cli("inspect", str(tmp_path / "cluster.pb")).stdout
    assert "from:             iris checkpoint controller.sqlite3.zst" in text
    assert "note:             read from a checkpoint: it holds no logs" in text
    report = json.loads(run_cli("inspect", "--json", str(tmp_path / "cluster.pb")).stdout)
    assert report["provenance"]["source"] == "checkpoint"


def test_the_zst_file_and_a_decompressed_copy_give_the_same_snapshot(tmp_path: Path) -> None:
    packed = CHECKPOINT / "controller.sqlite3.zst"
    plain = tmp_path / "controller.sqlite3"
    plain.write_bytes(zstandard.ZstdDecompressor().decompress(packed.read_bytes()))
    from_folder = _capture(str(CHECKPOINT), tmp_path / "a.pb")
    from_zst = _capture(str(packed), tmp_path / "b.pb")
    from_plain = _capture(str(plain), tmp_path / "c.pb")
    from_plain_folder = _capture(str(tmp_path), tmp_path / "d.pb")  # holds the .sqlite3
    assert from_plain.message.provenance.address == "controller.sqlite3"
    for snapshot in (from_folder, from_zst, from_plain, from_plain_folder):
        snapshot.message.provenance.ClearField("address")  # the file's name, which differs
    assert from_folder.message == from_zst.message == from_plain.message
    assert from_plain_folder.message == from_plain.message


def test_the_checkpoint_renders_with_every_job(tmp_path: Path) -> None:
    snapshot = _capture(str(CHECKPOINT), tmp_path / "cluster.pb")
    result = run_cli("render", str(tmp_path / "cluster.pb"), "--out", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    text = bundle_text(tmp_path / "report")
    missing = [
        job.status.job_id
        for job in snapshot.message.controller.jobs
        if job.status.job_id not in text
    ]
    assert missing == []


def test_secret_environment_values_in_a_checkpoint_are_hidden(tmp_path: Path) -> None:
    """A checkpoint keeps what was submitted; iris's RPCs answer [REDACTED], and so do we."""
    plain = tmp_path / "controller.sqlite3"
    packed = (CHECKPOINT / "controller.sqlite3.zst").read_bytes()
    plain.write_bytes(zstandard.ZstdDecompressor().decompress(packed))
    env = {"HF_TOKEN": "hf_abcdefghijkl", "AWS_SECRET_ACCESS_KEY": "wJalr-secret", "X": "ghp_"}
    env["X"] += "a" * 30  # a token by its shape, whatever its name
    env["TOKENIZERS_PARALLELISM"] = "false"  # not a secret: "TOKEN" is not a word of it
    with sqlite3.connect(plain) as db:
        db.execute(
            "UPDATE job_config SET environment_json = ? WHERE job_id = '/root/hello'",
            (json.dumps({"env_vars": env}),),
        )
    db.close()
    snapshot = _capture(str(plain), tmp_path / "cluster.pb")
    jobs = {job.status.job_id: job for job in snapshot.message.controller.jobs}
    assert dict(jobs["/root/hello"].request.environment.env_vars) == {
        "HF_TOKEN": "[REDACTED]",
        "AWS_SECRET_ACCESS_KEY": "[REDACTED]",
        "X": "[REDACTED]",
        "TOKENIZERS_PARALLELISM": "false",
    }
    assert any("3 secret environment values" in n for n in snapshot.message.provenance.notes)


# ---- bad sources: one line on stderr, exit 2 ----


def _fails_cleanly(source: str, tmp_path: Path, *extra: str) -> str:
    result = run_cli("capture", source, "--out", str(tmp_path / "out.pb"), *extra)
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.pb").exists()
    return lines[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_port_where_nothing_listens(tmp_path: Path) -> None:
    line = _fails_cleanly(f"http://127.0.0.1:{_free_port()}", tmp_path, "--timeout", "2")
    assert "cannot connect" in line


class _NotIris(http.server.BaseHTTPRequestHandler):
    status = 404

    def do_POST(self) -> None:
        body = b"<html><body>Not Found</body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads the CLI's output, not the server's."""


class _HtmlOk(_NotIris):
    status = 200


@pytest.fixture(params=[_NotIris, _HtmlOk], ids=["404-html", "200-html"])
def not_iris(request: pytest.FixtureRequest) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_plain_http_server_is_not_iris(not_iris: str, tmp_path: Path) -> None:
    line = _fails_cleanly(not_iris, tmp_path)
    assert "is this an iris controller?" in line


def test_a_truncated_checkpoint(tmp_path: Path) -> None:
    data = (CHECKPOINT / "controller.sqlite3.zst").read_bytes()
    (tmp_path / "cut.sqlite3.zst").write_bytes(data[: len(data) // 3])
    line = _fails_cleanly(str(tmp_path / "cut.sqlite3.zst"), tmp_path)
    assert "checkpoint" in line


def test_garbage_and_a_foreign_database(tmp_path: Path) -> None:
    (tmp_path / "junk.zst").write_bytes(b"\x00garbage" * 100)
    assert "zstd" in _fails_cleanly(str(tmp_path / "junk.zst"), tmp_path)

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    assert "not an iris checkpoint" in _fails_cleanly(str(other), tmp_path)
    (tmp_path / "empty").mkdir()
    assert "no such checkpoint" in _fails_cleanly(str(tmp_path / "empty"), tmp_path)


def test_an_address_that_is_not_http(tmp_path: Path) -> None:
    assert "http" in _fails_cleanly("ftp://example.invalid/x", tmp_path)

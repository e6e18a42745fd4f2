"""A live capture of the real iris answers in capture-A, replayed by a stand-in server.

tests/fixtures/iris/capture-A/replay.json.zst holds what a real iris controller, its
log server and its four workers answered (derived from the shared capture-A: per-call
answers keyed by request; the 5,000-line log cut to its first 1,500 lines plus its
100,040-character line). The server below answers the importer's read-only calls from
it, so the whole live path runs on real iris data without iris.
"""

from __future__ import annotations

import copy
import http.server
import json
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import zstandard

from renderer.snapshot import loading
from tests.conftest import ROOT, run_cli
from tests.iris.bundle import bundle_text

FIXTURE = ROOT / "tests" / "fixtures" / "iris" / "capture-A"


@cache
def replay() -> dict[str, Any]:
    data = zstandard.ZstdDecompressor().decompress((FIXTURE / "replay.json.zst").read_bytes())
    loaded: dict[str, Any] = json.loads(data)
    return loaded


def _fetch_logs(entries: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    """finelog's FetchLogs over one key's entries: cursor, until, substring, tail, limit."""
    cursor = int(body.get("cursor") or 0)
    until = int(body.get("untilCursor") or 0)
    chosen = [
        e
        for e in entries
        if int(e["seq"]) > cursor
        and (not until or int(e["seq"]) < until)
        and body.get("substring", "") in e["data"]
    ]
    limit = int(body.get("maxLines") or 1000)
    chosen = chosen[-limit:] if body.get("tail") else chosen[:limit]
    last = max((int(e["seq"]) for e in chosen), default=cursor)
    return {"entries": chosen, "cursor": str(last)}


class _Replay(http.server.BaseHTTPRequestHandler):
    worker_ports: dict[str, int]
    worker_id: str | None = None

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        status, answer = self.answer(self.path.rsplit("/", 1)[-1], body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def answer(self, method: str, body: dict[str, Any]) -> tuple[int, Any]:
        data = replay()
        if self.worker_id is not None:
            return (200, data["workers"][self.worker_id]) if method == "ListTasks" else (404, {})
        controller = data["controller"]
        if method == "FetchLogs":
            source = body.get("source", "")
            if source == "/system/controller":
                return 200, _fetch_logs(data["controller_log"], body)
            return 200, _fetch_logs(data["logs"].get(source, []), body)
        if method == "ListWorkers":
            workers = copy.deepcopy(controller["ListWorkers"])
            for worker in workers["workers"]:  # point each worker at its stand-in
                worker["address"] = f"127.0.0.1:{self.worker_ports[worker['workerId']]}"
            return 200, workers
        key = f"{method} {body.get('jobId') or body.get('taskId') or ''}".strip()
        if key in controller:
            return 200, controller[key]
        return 404, {"code": "not_found", "message": f"no {key}"}

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def controller_url() -> Iterator[str]:
    servers = []
    ports: dict[str, int] = {}
    for worker_id in replay()["workers"]:
        handler = type("Worker", (_Replay,), {"worker_id": worker_id, "worker_ports": ports})
        servers.append(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler))
        ports[worker_id] = servers[-1].server_address[1]
    handler = type("Controller", (_Replay,), {"worker_ports": ports})
    servers.append(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler))
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{servers[-1].server_address[1]}"
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_capture_a_replayed_live(controller_url: str, tmp_path: Path) -> None:
    out = tmp_path / "live.pb"
    result = run_cli("capture", controller_url, "--out", str(out))
    assert result.returncode == 0, result.stderr
    message = loading.load(out).message
    controller = message.controller
    jobs = {job.status.job_id: job for job in controller.jobs}
    assert len(jobs) == 23
    assert sum(len(job.tasks) for job in controller.jobs) == 27
    children = sorted(j for j, job in jobs.items() if job.parent_job_id == "/root/pipeline-parent")
    assert children == [f"/root/pipeline-parent/{s}" for s in ("stage-1", "stage-2-fails")] + [
        "/root/pipeline-parent/stage-3-running"
    ]
    # iris's job exit code is 0; the failing task's attempt has the real one.
    exits = {j: jobs[j].status.exit_code for j in ("/root/build-and-test", "/ci-bot/lint")}
    assert exits == {"/root/build-and-test": 1, "/ci-bot/lint": 1}
    assert jobs["/root/quote'\"; DROP TABLE jobs;--"].status.exit_code == 7
    assert jobs["/root/shard-replicas-one-fails"].status.exit_code == 9
    shard = jobs["/root/shard-replicas-one-fails"].tasks[1]
    assert "replica 1 crashing" in shard.root_cause
    pending = jobs["/root/needs-48-cpus"].status.status_message
    assert pending.startswith("Scheduler: Insufficient CPU")
    assert [e.job_id for e in controller.endpoints] == ["/root/web-endpoint"]
    assert jobs["/root/web-endpoint"].status.ports["http"] == 12000  # from the worker
    # The long log: its last 1,000 lines of 1,501, the 100,040-character line among them.
    biglog = jobs["/root/biglog-5000"].tasks[0].attempts[0].log
    everything = replay()["logs"]["/root/biglog-5000/0:0"]
    assert [line.data for line in biglog.lines] == [e["data"] for e in everything[-1000:]]
    assert biglog.total_lines == len(everything)
    assert any(len(line.data) == 100_040 for line in biglog.lines)
    # Actions: the audit log's, the autoscaler's without repeats.
    actions = [(a.action, a.timestamp_ms) for a in controller.actions]
    audit = [e for e in replay()["controller_log"] if "event=" in e["data"]]
    recent = replay()["controller"]["GetAutoscalerStatus"]["status"]["recentActions"]
    autoscaler = {(f"autoscaler:{r['actionType']}", int(r["timestamp"]["epochMs"])) for r in recent}
    assert autoscaler <= set(actions)
    added = [a for a in controller.actions if a.details.startswith("scaleGroup=")]
    from_log = {(a.action, a.timestamp_ms) for a in controller.actions if a not in added}
    assert len(controller.actions) - len(added) == len(audit)  # every audit line
    assert not [a for a in added if (a.action, a.timestamp_ms) in from_log]  # no repeats
    assert {"job_submitted", "worker_registered", "autoscaler:scale_up"} <= {a for a, _ in actions}
    assert len(message.workers) == 4
    assert all(w.jobs for w in message.workers if w.worker_id.endswith("897ac577"))


def test_the_live_replay_and_the_checkpoint_agree_on_what_exists(
    controller_url: str, tmp_path: Path
) -> None:
    assert run_cli("capture", controller_url, "--out", str(tmp_path / "l.pb")).returncode == 0
    assert run_cli("capture", str(FIXTURE), "--out", str(tmp_path / "c.pb")).returncode == 0
    live, saved = (loading.load(tmp_path / name).message for name in ("l.pb", "c.pb"))

    def inventory(message: Any) -> tuple[set[str], set[str], set[tuple[str, int]], set[str]]:
        jobs = message.controller.jobs
        return (
            {j.status.job_id for j in jobs},
            {t.task_id for j in jobs for t in j.tasks},
            {(t.task_id, a.attempt_id) for j in jobs for t in j.tasks for a in t.attempts},
            {w.worker_id for w in message.controller.workers},
        )

    assert inventory(live) == inventory(saved)


def test_the_replayed_capture_renders_with_every_job(controller_url: str, tmp_path: Path) -> None:
    assert run_cli("capture", controller_url, "--out", str(tmp_path / "l.pb")).returncode == 0
    result = run_cli("render", str(tmp_path / "l.pb"), "--out", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    text = bundle_text(tmp_path / "report")
    jobs = [job["jobId"] for job in replay()["controller"]["ListJobs"]["jobs"]]
    assert len(jobs) == 23
    assert [job_id for job_id in jobs if job_id not in text] == []

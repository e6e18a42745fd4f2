"""The live importer against a stand-in Connect server: auth, error answers, bad shapes.

The real iris is exercised in test_iris_live.py; this server answers a few shapes
iris never sends, to show each ends in one line and exit 2.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from renderer.snapshot import loading
from tests.conftest import run_cli

TOKEN = "t0ken-for-tests"


class _Connect(http.server.BaseHTTPRequestHandler):
    """Answers every method with `answers[method]` (default `{}`), after a token check."""

    answers: ClassVar[dict[str, tuple[int, Any]]] = {}
    needs_token: ClassVar[bool] = False
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        method = self.path.rsplit("/", 1)[-1]
        type(self).seen.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.needs_token and self.headers.get("Authorization") != f"Bearer {TOKEN}":
            status, body = 401, {"code": "unauthenticated", "message": "missing bearer token"}
        else:
            status, body = self.answers.get(method, (200, {}))
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(answers: dict[str, tuple[int, Any]], needs_token: bool = False) -> str:
        handler = type(
            "Handler", (_Connect,), {"answers": answers, "needs_token": needs_token, "seen": []}
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _run(url: str, tmp_path: Path) -> Any:
    return run_cli("capture", url, "--out", str(tmp_path / "out.pb"), "--timeout", "5")


def _one_line_exit_2(result: Any) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return str(lines[0])


def test_a_bearer_token_comes_from_the_environment(
    serve: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = serve({}, needs_token=True)
    monkeypatch.delenv("FLUSTER_SNAPSHOT_TOKEN", raising=False)
    assert "unauthenticated: missing bearer token" in _one_line_exit_2(_run(url, tmp_path))
    monkeypatch.setenv("FLUSTER_SNAPSHOT_TOKEN", TOKEN)
    result = _run(url, tmp_path)
    assert result.returncode == 0, result.stderr
    snapshot = loading.load(tmp_path / "out.pb").message
    assert len(snapshot.controller.jobs) == 0
    assert snapshot.provenance.source == "live"


LISTED = {"jobs": [{"jobId": "/u/a", "state": "JOB_STATE_RUNNING"}], "hasMore": False}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"ListJobs": (200, {"jobs": "not a list"})}, "jobs: expected a list"),
        ({"ListJobs": (200, [1, 2])}, "not a JSON object"),
        ({"ListJobs": (200, b"\xff\xfe garbage")}, "not JSON"),
        ({"ListJobs": (400, {"code": "invalid_argument", "message": "bad\nquery"})}, "bad"),
        (
            {"ListJobs": (200, LISTED), "GetJobStatus": (200, {"job": {"startedAt": "soon"}})},
            "startedAt: expected an integer",
        ),
        (
            {"ListJobs": (200, LISTED), "GetJobStatus": (200, {"job": {"failureCount": 2**40}})},
            "fits 32 bits",
        ),
        ({"ListJobs": (503, b"<html>down</html>")}, "HTTP 503"),
    ],
    ids=["jobs-not-list", "array", "garbage", "error-answer", "bad-time", "huge-int", "503"],
)
def test_bad_answers_end_in_one_line(
    serve: Any, tmp_path: Path, answers: dict[str, tuple[int, Any]], expected: str
) -> None:
    line = _one_line_exit_2(_run(serve(answers), tmp_path))
    assert expected in line
    assert not (tmp_path / "out.pb").exists()


def test_only_read_only_methods_are_called(serve: Any, tmp_path: Path) -> None:
    workers = {"workers": [{"workerId": "w-1", "address": "127.0.0.1:1"}]}
    tasks = {"tasks": [{"taskId": "/u/a/0", "attempts": [{"attemptId": 0}]}]}
    answers = {
        "ListJobs": (200, LISTED),
        "ListTasks": (200, tasks),
        "GetTaskStatus": (200, {"task": tasks["tasks"][0]}),
        "ListWorkers": (200, workers),
    }
    url = serve(answers)
    result = _run(url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "worker 'w-1' did not answer" in result.stderr  # skipped with a note
    read_only = {"ListJobs", "GetJobStatus", "ListTasks", "GetTaskStatus", "ListWorkers"}
    read_only |= {"ListEndpoints", "FetchLogs", "GetAutoscalerStatus"}
    handler = next(h for h in _Connect.__subclasses__() if h.answers is answers)
    assert {path.rsplit("/", 1)[-1] for path in handler.seen} <= read_only

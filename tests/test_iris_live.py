"""The importer against a real iris: start a local cluster, run a mix of jobs, capture it.

Runs iris itself (its pinned release, in its own Python 3.12 environment made by
tests/iris/env.py and cached outside the repository), so it is slow-ish: about a
minute once the environment exists. Everything the cluster lists is checked to be
in the live and the checkpoint snapshots and in the rendered bundles.
"""

from __future__ import annotations

import html
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli
from tests.iris import env
from tests.iris.bundle import bundle_text
from tests.iris.cluster import LocalIris

pytestmark = pytest.mark.iris

SETTLE_SECONDS = 120
LONG_LOG_LINES = 3000
HOSTILE_NAME = '<img src=x onerror=alert(1)> "q\'uote" 🚀 job'
SECRETS = {"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-test-only-K7MDENG", "HF_TOKEN": "hf_testonly123"}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_RESOURCES = {"cpuMillicores": 100, "memoryBytes": "268435456", "diskBytes": "1073741824"}


def _job(name: str, script: str, **extra: Any) -> dict[str, Any]:
    # One `sh -c` string: the local runtime rewrites argv elements that start with /tmp/.
    return {
        "name": f"/root/{name}",
        "entrypoint": {"runCommand": {"argv": ["/bin/sh", "-c", script]}},
        "resources": dict(_RESOURCES),
        "replicas": 1,
        **extra,
    }


MIX = [
    _job("hello", "echo hello; echo done"),
    _job("fails-with-stderr", "echo starting; echo 'boom: the widget broke' >&2; exit 3"),
    _job("three-replicas", 'echo "replica ${IRIS_TASK_ID}"', replicas=3),
    _job(
        "fails-once-then-retried",
        'a=${IRIS_TASK_ID##*:}; if [ "$a" = 0 ]; then echo "first try fails" >&2; exit 4; fi; '
        "echo second try works",
        maxRetriesFailure=1,
        maxTaskFailures=1,
    ),
    _job(
        "cannot-be-scheduled",
        "echo never",
        constraints=[
            {
                "key": "pool",
                "op": "CONSTRAINT_OP_EQ",
                "value": {"stringValue": "big-mem"},
                "mode": "CONSTRAINT_MODE_REQUIRED",
            }
        ],
        schedulingTimeout={"milliseconds": "3000"},
    ),
    _job(
        "long-log",
        f'i=0; while [ $i -lt {LONG_LOG_LINES} ]; do echo "long line $i"; i=$((i+1)); done',
    ),
    _job(HOSTILE_NAME, r"printf '\033[31mred alert\033[0m and <b>bold</b> & \"quotes\"\n'"),
    _job("with-secrets", "echo secrets are in the environment", environment={"envVars": SECRETS}),
]


@pytest.fixture(scope="module")
def iris_bin() -> Path:
    try:
        return env.ensure()
    except env.EnvError as error:
        pytest.fail(f"cannot run the real iris: {error}")


@pytest.fixture
def cluster(iris_bin: Path, tmp_path: Path) -> Iterator[LocalIris]:
    local = LocalIris(iris_bin / "iris", tmp_path / "iris")
    try:
        local.wait_until_up()
        yield local
    finally:
        local.stop()


def _settle(cluster: LocalIris, expected: set[str]) -> list[dict[str, Any]]:
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        jobs = cluster.controller("ListJobs", {"query": {"limit": 500}}).get("jobs", [])
        states = {job["jobId"]: job["state"] for job in jobs}
        terminal = {"JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_KILLED"}
        terminal |= {"JOB_STATE_UNSCHEDULABLE", "JOB_STATE_WORKER_FAILED"}
        if expected <= set(states) and all(states[j] in terminal for j in expected):
            return list(jobs)
        if time.monotonic() > deadline:
            pytest.fail(f"jobs did not settle in {SETTLE_SECONDS}s: {states}\n{cluster.tail()}")
        time.sleep(1)


def _cluster_logs(cluster: LocalIris, source: str) -> list[str]:
    """Every line of one attempt's log, paged the way finelog pages."""
    lines: list[str] = []
    cursor = None
    while True:
        body: dict[str, Any] = {
            "source": source,
            "matchScope": "MATCH_SCOPE_EXACT",
            "maxLines": 5000,
        }
        if cursor is not None:
            body["cursor"] = cursor
        page = cluster.logs(body)
        entries = page.get("entries", [])
        lines += [entry.get("data", "") for entry in entries]
        if len(entries) < 5000 or page.get("cursor") in (None, cursor):
            return lines
        cursor = page["cursor"]


def _what_the_cluster_lists(cluster: LocalIris) -> dict[str, Any]:
    jobs = [j["jobId"] for j in cluster.controller("ListJobs", {"query": {"limit": 500}})["jobs"]]
    tasks: list[str] = []
    attempts: dict[tuple[str, int], list[str]] = {}
    for job_id in jobs:
        for task in cluster.controller("ListTasks", {"jobId": job_id}).get("tasks", []):
            tasks.append(task["taskId"])
            status = cluster.controller("GetTaskStatus", {"taskId": task["taskId"]})["task"]
            for attempt in status.get("attempts", []):
                number = attempt.get("attemptId", 0)
                source = f"{task['taskId']}:{number}"
                attempts[(task["taskId"], number)] = _cluster_logs(cluster, source)
    workers = [w["workerId"] for w in cluster.controller("ListWorkers").get("workers", [])]
    return {"jobs": jobs, "tasks": tasks, "attempts": attempts, "workers": workers}


def _settled_truth(cluster: LocalIris) -> dict[str, Any]:
    """What the cluster lists, once two reads agree: logs arrive after a job ends."""
    deadline = time.monotonic() + SETTLE_SECONDS
    previous = _what_the_cluster_lists(cluster)
    while time.monotonic() < deadline:
        time.sleep(2)
        current = _what_the_cluster_lists(cluster)
        if current == previous:
            return current
        previous = current
    pytest.fail(f"the cluster's listings kept changing for {SETTLE_SECONDS}s")


def _snapshot_attempts(message: Any) -> dict[tuple[str, int], pb.TaskAttempt]:
    return {
        (task.task_id, attempt.attempt_id): attempt
        for job in message.controller.jobs
        for task in job.tasks
        for attempt in task.attempts
    }


def _render(snapshot: Path, out: Path) -> str:
    result = run_cli("render", str(snapshot), "--out", str(out), "--log-lines", "100000")
    assert result.returncode == 0, result.stderr
    return bundle_text(out)


def _checkpoint(cluster: LocalIris, into: Path) -> Path:
    """BeginCheckpoint (the test may; the capture tool never does), copied while iris is up."""
    answer = cluster.controller("BeginCheckpoint")
    folder = Path(urllib.parse.urlsplit(answer["checkpointPath"]).path)
    shutil.copytree(folder, into)
    return into


def test_a_live_iris_cluster_and_its_checkpoint(cluster: LocalIris, tmp_path: Path) -> None:
    submitted = {cluster.controller("LaunchJob", job)["jobId"] for job in MIX}
    assert f"/root/{HOSTILE_NAME}" in submitted
    _settle(cluster, submitted)
    truth = _settled_truth(cluster)

    live_path = tmp_path / "live.pb"
    result = run_cli("capture", cluster.url, "--out", str(live_path), "--log-lines", "5000")
    assert result.returncode == 0, result.stderr
    live = loading.load(live_path).message
    assert live.provenance.source == "live"

    # Every job, task, attempt and worker the cluster lists, and every log line.
    controller = live.controller
    assert {j.status.job_id for j in controller.jobs} == set(truth["jobs"])
    assert sorted(t.task_id for j in controller.jobs for t in j.tasks) == sorted(truth["tasks"])
    attempts = _snapshot_attempts(live)
    assert set(attempts) == set(truth["attempts"])
    for key, lines in truth["attempts"].items():
        assert [line.data for line in attempts[key].log.lines] == lines, key
        assert attempts[key].log.total_lines == len(lines), key
    assert {w.worker_id for w in controller.workers} == set(truth["workers"])
    assert {w.worker_id for w in live.workers} == set(truth["workers"])  # each answered

    jobs = {j.status.job_id: j for j in controller.jobs}
    failed = jobs["/root/fails-with-stderr"]
    assert (failed.status.state, failed.status.exit_code) == (pb.JOB_STATE_FAILED, 3)
    retried = jobs["/root/fails-once-then-retried"]
    assert retried.status.state == pb.JOB_STATE_SUCCEEDED
    assert [(a.state, a.exit_code) for a in retried.tasks[0].attempts] == [
        (pb.TASK_STATE_FAILED, 4),
        (pb.TASK_STATE_SUCCEEDED, 0),
    ]
    assert jobs["/root/cannot-be-scheduled"].status.state == pb.JOB_STATE_UNSCHEDULABLE
    assert len(jobs["/root/three-replicas"].tasks) == 3
    assert jobs["/root/three-replicas"].gang_id == "/root/three-replicas"
    # iris answers secret environment values as [REDACTED]; the capture keeps that.
    env_vars = dict(jobs["/root/with-secrets"].request.environment.env_vars)
    assert {name: env_vars.get(name) for name in SECRETS} == dict.fromkeys(SECRETS, "[REDACTED]")
    assert "\x1b[31m" in attempts[(f"/root/{HOSTILE_NAME}/0", 0)].log.lines[0].data
    assert any(a.action == "job_submitted" for a in controller.actions)
    usage = [a for a in attempts.values() if a.HasField("resource_usage")]
    assert usage, "the worker's own view gives resource usage"

    # A short tail keeps the last lines and says how many there were.
    short_path = tmp_path / "short.pb"
    result = run_cli("capture", cluster.url, "--out", str(short_path), "--log-lines", "100")
    assert result.returncode == 0, result.stderr
    long_log = _snapshot_attempts(loading.load(short_path).message)[("/root/long-log/0", 0)].log
    full = truth["attempts"][("/root/long-log/0", 0)]
    assert [line.data for line in long_log.lines] == full[-100:]
    assert long_log.total_lines == len(full)

    checkpoint_path = tmp_path / "checkpoint.pb"
    folder = _checkpoint(cluster, tmp_path / "checkpoint")
    result = run_cli("capture", str(folder), "--out", str(checkpoint_path))
    assert result.returncode == 0, result.stderr
    saved = loading.load(checkpoint_path).message
    assert saved.provenance.source == "checkpoint"
    assert {j.status.job_id for j in saved.controller.jobs} == set(truth["jobs"])
    saved_tasks = sorted(t.task_id for j in saved.controller.jobs for t in j.tasks)
    assert saved_tasks == sorted(truth["tasks"])
    assert set(_snapshot_attempts(saved)) == set(truth["attempts"])
    assert {w.worker_id for w in saved.controller.workers} == set(truth["workers"])
    # The checkpoint stores secrets in plain; the capture hides them as iris's RPCs do.
    saved_jobs = {j.status.job_id: j for j in saved.controller.jobs}
    saved_env = dict(saved_jobs["/root/with-secrets"].request.environment.env_vars)
    assert {name: saved_env.get(name) for name in SECRETS} == dict.fromkeys(SECRETS, "[REDACTED]")
    for path in (live_path, short_path, checkpoint_path):
        data = path.read_bytes()
        assert not [value for value in SECRETS.values() if value.encode() in data], path

    # Rendered: every job in both bundles.
    for name, path in (("live", live_path), ("checkpoint", checkpoint_path)):
        text = _render(path, tmp_path / f"report-{name}")
        assert [j for j in truth["jobs"] if j not in text] == [], name
        assert not [value for value in SECRETS.values() if value in text], name
    # Every line of every attempt's log on its job's page of the live bundle, as text
    # (ANSI colours become spans there).
    pages = "".join(p.read_text() for p in (tmp_path / "report-live" / "jobs").glob("detail-*"))
    read = html.unescape(re.sub(r"<[^>]+>", "", pages))
    unread = [
        line
        for lines in truth["attempts"].values()
        for line in lines
        if _ANSI.sub("", line) not in read
    ]
    assert unread == []
    # Every log line of each task's latest attempt in the bundle of the worker that ran
    # it: a worker snapshot holds one record per task. (The cluster bundle shows logs per
    # job; every attempt's log appears there once job pages show task attempts.)
    shown = ""
    for index, worker in enumerate(live.workers):
        worker_path = tmp_path / f"worker-{index}.pb"
        worker_path.write_bytes(loading.dump(worker, "binary"))
        shown += _render(worker_path, tmp_path / f"report-worker-{index}")
    latest: dict[str, int] = {}
    for task_id, number in truth["attempts"]:
        latest[task_id] = max(number, latest.get(task_id, number))
    missing = [
        line
        for (task_id, number), lines in truth["attempts"].items()
        if latest[task_id] == number
        for line in lines
        if line not in shown and _ANSI.sub("", line) not in shown
    ]
    assert missing == []

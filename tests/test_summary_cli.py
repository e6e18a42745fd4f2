"""`summary` through the command line: --fail-on as people write states, failure groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from renderer.workflow import summary
from tests.conftest import run_cli
from tests.test_text_isolation import CONTROLS, unescaped_controls

OOM = "RuntimeError: CUDA out of memory. Tried to allocate {} GiB"
CAPTURED = 1_795_918_417_000


def cluster(*jobs: tuple[str, int, str]) -> pb.ClusterSnapshot:
    """A cluster snapshot of (job id, state, error) jobs, a minute apart."""
    message = pb.ClusterSnapshot(captured_at_ms=CAPTURED)
    for number, (job_id, state, error) in enumerate(jobs):
        message.controller.jobs.add(
            status=pb.JobStatus(
                job_id=job_id,
                state=state,
                error=error,
                started_at_ms=CAPTURED - 3_600_000,
                finished_at_ms=CAPTURED - 3_600_000 + number * 60_000,
            ),
            request=pb.Controller.LaunchJobRequest(name=f"name-{job_id}"),
        )
    return message


def write(path: Path, message: pb.ClusterSnapshot) -> Path:
    path.write_bytes(loading.dump(message, "binary"))
    return path


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three jobs out of memory, one lost with its worker, one unschedulable, one fine."""
    return write(
        tmp_path_factory.mktemp("summary") / "cluster.pb",
        cluster(
            ("oom-1", 5, OOM.format("2.00")),
            ("oom-2", 5, OOM.format("3.50")),
            ("lost-1", 7, "Worker worker-36f675cc failed"),
            ("oom-3", 5, OOM.format("1.25")),
            ("wait-1", 8, "Scheduling timeout exceeded (900s)"),
            ("done-1", 4, ""),
        ),
    )


# ---- --fail-on ----


@pytest.mark.parametrize(
    ("states", "line"),
    [
        ("worker-failed", "1 worker-failed job found"),
        ("Worker failed", "1 worker-failed job found"),
        ("WORKER_FAILED,failed", "3 failed, 1 worker-failed jobs found"),
        ("FAILED, Unschedulable , failed", "3 failed, 1 unschedulable jobs found"),
        ("worker failed ,FAILED,", "3 failed, 1 worker-failed jobs found"),
    ],
)
def test_fail_on_takes_states_as_the_summary_writes_them(
    failing: Path, states: str, line: str
) -> None:
    result = run_cli("summary", str(failing), "--fail-on", states)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"fluster-snapshot: fail-on: {line}\n"
    assert "worker-failed" in result.stdout, "the summary is printed all the same"


@pytest.mark.parametrize("states", ["killed", "Running,pending", "unknown state 12", ","])
def test_fail_on_passes_when_no_job_is_in_those_states(failing: Path, states: str) -> None:
    result = run_cli("summary", str(failing), "--fail-on", states)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_fail_on_a_state_that_is_not_one_is_a_one_line_error(failing: Path) -> None:
    result = run_cli("summary", str(failing), "--fail-on", "failed,exploded")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("fluster-snapshot: --fail-on: no job state called 'exploded'")
    for name in ("failed", "unschedulable", "worker-failed", "killed", "succeeded"):
        assert name in result.stderr


def test_fail_on_error_shows_a_hostile_name_escaped(failing: Path) -> None:
    result = run_cli("summary", str(failing), "--fail-on", "\x1b[31mred\u202e")
    assert result.returncode == 2
    assert unescaped_controls(result.stderr) == []
    assert result.stderr.count("\n") == 1


def test_parse_states_spellings() -> None:
    assert summary.parse_states("Worker failed,worker-failed,worker_failed,FAILED") == [
        "worker_failed",
        "failed",
    ]
    assert summary.parse_states("unknown state 12, unknown_-1, Unknown-State--5") == [
        "unknown_12",
        "unknown_-1",
        "unknown_-5",
    ]
    assert summary.parse_states("") == []
    with pytest.raises(ValueError, match="no job state called 'unknown_x'"):
        summary.parse_states("unknown_x")


# ---- failure groups ----


def test_text_summary_gives_the_groups_before_the_jobs(failing: Path) -> None:
    text = run_cli("summary", str(failing)).stdout
    lines = text.splitlines()
    assert lines[0] == (
        "captured 2026-11-29 02:13:37 UTC: 6 jobs "
        "(3 failed, 1 unschedulable, 1 worker-failed, 1 succeeded)"
    )
    assert lines[1] == "3 failure groups, largest first:"
    assert lines[2] == "  3 × " + OOM.format("<n>")
    assert lines[3] == (
        "      3 failed; first 2026-11-29 01:13:37 UTC, last 2026-11-29 01:16:37 UTC; "
        "e.g. oom-3 name-oom-3"
    )
    assert "  1 × Worker <id> failed" in lines
    assert "      1 worker-failed; at 2026-11-29 01:15:37 UTC; e.g. lost-1 name-lost-1" in lines
    jobs_at = lines.index("5 failed, unschedulable or worker-failed jobs:")
    assert jobs_at > lines.index("  1 × Worker <id> failed")
    assert any(line.startswith("  worker-failed  lost-1") for line in lines)


def test_markdown_summary_has_a_table_of_groups(failing: Path) -> None:
    markdown = run_cli("summary", str(failing), "--format", "markdown").stdout
    assert "#### 3 failure groups, largest first" in markdown
    assert "| failures | error | states | first | last | example |" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| 3 |"))
    assert "<code>RuntimeError: CUDA out of memory. Tried to allocate &lt;n&gt; GiB</code>" in row
    assert "| 3 failed |" in row
    assert "<code>oom-3</code> name-oom-3" in row
    assert markdown.index("failure groups") < markdown.index("worker-failed jobs")


def test_json_summary_lists_the_groups(failing: Path) -> None:
    result = run_cli("summary", str(failing), "--format", "json")
    report = json.loads(result.stdout)
    assert report["failure_group_count"] == 3
    first = report["failure_groups"][0]
    assert first["signature"] == OOM.format("<n>")
    assert (first["count"], first["jobs"], first["tasks"]) == (3, 3, 0)
    assert first["by_state"] == {"failed": 3}
    assert first["first_at"] == "2026-11-29 01:13:37 UTC"
    assert first["last_at_ms"] == CAPTURED - 3_600_000 + 3 * 60_000
    assert first["example"] == {
        "job_id": "oom-3",
        "task_id": None,
        "name": "name-oom-3",
        "error": OOM.format("1.25"),
    }
    assert [g["by_state"] for g in report["failure_groups"][1:]] == [
        {"unschedulable": 1},
        {"worker_failed": 1},
    ]
    again = run_cli("summary", str(failing), "--format", "json")
    assert again.stdout == result.stdout, "the same snapshot gives the same summary"
    assert summary.Summary.from_dict(report) == summary.Summary.from_dict(json.loads(again.stdout))


def test_a_summary_written_before_groups_still_reads() -> None:
    old = {
        "captured_at_ms": 1,
        "captured_at": "-",
        "jobs": 0,
        "jobs_by_state": {},
        "problems": [],
        "problem_count": 0,
        "unhealthy_workers": [],
        "unhealthy_count": 0,
        "workers": 0,
    }
    read = summary.Summary.from_dict(old)
    assert (read.failure_groups, read.failure_group_count) == ([], 0)


HOSTILE = CONTROLS + "Error| `tick` <b>x</b> [link](javascript:1) 42"


def test_a_hostile_signature_is_escaped_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path / "hostile.pb", cluster(("j|1`", 5, HOSTILE), ("j2", 5, HOSTILE)))
    text = run_cli("summary", str(path))
    assert text.returncode == 0, text.stderr
    assert unescaped_controls(text.stdout) == []
    signature_line = next(line for line in text.stdout.splitlines() if " × " in line)
    assert "\\u202e" not in signature_line, "controls are not part of a signature"
    assert "Error| `tick` <b>x</b> [link](javascript:<n>) <n>" in signature_line
    markdown = run_cli("summary", str(path), "--format", "markdown").stdout
    assert unescaped_controls(markdown) == []
    row = next(line for line in markdown.splitlines() if line.startswith("| 2 |"))
    assert row.count("|") == 7, "the table's own six cells only"
    assert "`" not in row
    assert "<b>" not in row
    assert "&#124;" in row
    assert "&#96;" in row
    assert "\\[link\\]" in row
    report = json.loads(run_cli("summary", str(path), "--format", "json").stdout)
    assert report["failure_groups"][0]["signature"] == (
        "Error| `tick` <b>x</b> [link](javascript:<n>) <n>"
    )


def test_groups_hide_secrets(tmp_path: Path) -> None:
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    error = f"PermissionError: token {secret} refused"
    path = write(tmp_path / "secret.pb", cluster(("s1", 5, error), ("s2", 5, error)))
    for fmt in ("text", "markdown", "json"):
        hidden = run_cli("summary", str(path), "--format", fmt)
        assert hidden.returncode == 0, hidden.stderr
        assert secret not in hidden.stdout
        assert "redacted" in hidden.stdout
    shown = json.loads(run_cli("summary", str(path), "--format", "json", "--no-redact").stdout)
    assert shown["failure_groups"][0]["example"]["error"] == error


def test_a_group_of_task_failures_says_whose_tasks() -> None:
    example = summary.GroupExample("/alice/train", "/alice/train/3", "train", "boom")
    group = summary.FailureGroupSummary(
        key="k",
        signature="boom",
        count=6,
        jobs=2,
        tasks=6,
        by_state={"failed": 5, "cosched_failed": 1},
        first_at_ms=1,
        last_at_ms=1,
        first_at="t",
        last_at="t",
        example=example,
    )
    assert summary.group_extent(group) == "5 failed, 1 coscheduling-failed (6 tasks of 2 jobs)"
    assert summary.group_span(group) == "at t"
    assert summary.state_word("unknown_12") == "unknown state 12"
    assert summary.state_word("worker_failed") == "worker-failed"

"""Text from a snapshot cannot steer a terminal or a Markdown job summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli

CONTROLS = (
    "\x1b[31m\x07\x85\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
HOSTILE_ID = CONTROLS + "job| <script>alert(1)</script> `code` end"


def write_pair(tmp_path: Path) -> tuple[Path, Path]:
    old = pb.ClusterSnapshot(captured_at_ms=1_000)
    old.controller.jobs.add(status=pb.JobStatus(job_id=HOSTILE_ID, state=3, worker_id=HOSTILE_ID))
    new = pb.ClusterSnapshot(captured_at_ms=2_000)
    new.controller.jobs.add(
        status=pb.JobStatus(job_id=HOSTILE_ID, state=5, error=HOSTILE_ID, worker_id=HOSTILE_ID),
        request=pb.Controller.LaunchJobRequest(name=HOSTILE_ID),
    )
    worker = new.workers.add(worker_id=HOSTILE_ID, captured_at_ms=2_000)
    worker.job_logs[HOSTILE_ID].lines.add(timestamp_ms=1, source="stdout", data="x")
    paths = tmp_path / "old.pb", tmp_path / "new.pb"
    for path, message in zip(paths, (old, new), strict=True):
        path.write_bytes(loading.dump(message, "binary"))
    return paths


RAW = frozenset(ch for ch in CONTROLS if not ch.isprintable())


def unescaped_controls(text: str) -> list[str]:
    return [ch for ch in text if ch in RAW]


def test_the_controls_are_all_there() -> None:
    assert len(RAW) == 16


@pytest.mark.parametrize(
    "command",
    [
        ("summary", "{new}"),
        ("summary", "{new}", "--format", "markdown"),
        ("diff", "{old}", "{new}"),
        ("inspect", "{new}"),
    ],
)
def test_no_control_or_bidi_character_reaches_the_output(tmp_path: Path, command) -> None:  # type: ignore[no-untyped-def]
    old, new = write_pair(tmp_path)
    args = [part.format(old=old, new=new) for part in command]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert unescaped_controls(result.stdout) == []
    assert unescaped_controls(result.stderr) == []
    if command[0] != "inspect":  # inspect shows no job or worker id of this snapshot
        assert "\\u202e" in result.stdout  # shown, escaped, rather than dropped
        assert "\\x1b" in result.stdout


def test_markdown_cells_hold_pipes_and_backticks(tmp_path: Path) -> None:
    _, new = write_pair(tmp_path)
    markdown = run_cli("summary", str(new), "--format", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| <code>"))
    assert row.count("|") == 6, "the table's own five cells only"
    assert "<script" not in markdown
    assert "&lt;script&gt;" in markdown
    assert "`" not in row, "no backtick can open or close a code span"
    assert "&#124;" in row
    assert "&#96;" in row

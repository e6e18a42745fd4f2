"""Resources stay bounded whatever a snapshot holds: memory does not follow its log lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import wire

# Peak memory of any render: at most this many times the snapshot's bytes, plus a floor.
MEMORY_PER_BYTE = 20
MEMORY_FLOOR = 200 * 1024 * 1024

_MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"code": done.returncode, "peak": peak, "err": done.stderr[-500:]}))
"""


def peak_of_render(snapshot: Path, out: Path) -> dict[str, object]:
    """Run the real CLI in a fresh process and read its peak resident memory."""
    command = [sys.executable, "-m", "renderer", "render", str(snapshot), "--out", str(out)]
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    return json.loads(measured.stdout)  # type: ignore[no-any-return]


def test_five_million_empty_log_lines_render_in_bounded_memory(tmp_path: Path) -> None:
    lines = b"\x0a\x00" * 5_000_000  # LogTail.lines: five million empty entries
    worker = (
        wire.int_field(1, 1_795_918_417_000)
        + wire.str_field(2, "worker-1")
        + wire.message(3, wire.str_field(1, "job-1"), wire.int_field(2, 5))
        + wire.message(4, wire.str_field(1, "job-1"), wire.bytes_field(2, lines))
    )
    snapshot = tmp_path / "worker.pb"
    snapshot.write_bytes(worker)
    result = peak_of_render(snapshot, tmp_path / "report")
    assert result["code"] == 0, result["err"]
    budget = MEMORY_PER_BYTE * len(worker) + MEMORY_FLOOR
    assert int(result["peak"]) <= budget, f"{result['peak']:,} bytes > {budget:,}"  # type: ignore[call-overload]
    page = (tmp_path / "report" / "jobs" / "detail-0001.html").read_text()
    assert "showing last 1,000 of 5,000,000 lines" in page
    text = next((tmp_path / "report" / "logs").rglob("*.txt")).read_text()
    assert text.splitlines()[0].endswith("last 100,000 of 5,000,000 lines")

"""Benchmark: demo clusters of 1,000, 10,000 and 100,000 jobs, rendered and opened.

For each size: render time and peak memory next to a floor measured in the same run
(parse the snapshot and write one jinja2 table of every job), bundle and snapshot
sizes, and, in Chromium from file://, the time to load the overview, to open the jobs
list and to answer a keystroke in its filter, and to load and sort the workers list.
Results go to bench-out/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from bench.browser import timings
from tests import wire

OUT = Path("bench-out").absolute()
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
LOG_SAMPLE = "0.005"  # a log tail of 1,000+ lines for one job in 200
REPEATS = {1000: 5, 10000: 3}  # the 100,000-job cluster is measured twice


def measure(step: str, snapshot: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.measure", step, str(snapshot), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def median_run(step: str, snapshot: Path, out: Path, repeats: int) -> dict[str, float]:
    runs = sorted(
        (measure(step, snapshot, out) for _ in range(repeats)), key=lambda r: r["seconds"]
    )
    return runs[len(runs) // 2]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_size(jobs: int) -> dict[str, float]:
    folder = OUT / str(jobs)
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "renderer",
            "demo",
            "--out",
            str(folder),
            "--jobs",
            str(jobs),
            "--workers",
            str(max(1, jobs // 10)),
            "--log-sample",
            LOG_SAMPLE,
            "--no-render",
        ],
        check=True,
        capture_output=True,
    )
    snapshot = folder / "cluster.pb"
    repeats = REPEATS.get(jobs, 2)
    floor = median_run("floor", snapshot, folder / "floor.html", repeats)
    plain = median_run("render-unredacted", snapshot, folder / "report-plain", repeats)
    render = median_run("render", snapshot, folder / "report", repeats)
    report = folder / "report"
    browser = timings(report)
    return {
        "jobs": jobs,
        "render_s": render["seconds"],
        "floor_s": floor["seconds"],
        "render_over_floor": render["seconds"] / floor["seconds"],
        "render_unredacted_s": plain["seconds"],
        "redaction_cost": render["seconds"] / plain["seconds"] - 1,
        "render_rss_mb": render["rss_mb"],
        "render_worker_rss_mb": render["worker_rss_mb"],
        "floor_rss_mb": floor["rss_mb"],
        "snapshot_mb": snapshot.stat().st_size / 1e6,
        "bundle_mb": folder_size(report) / 1e6,
        "bundle_over_snapshot": folder_size(report) / snapshot.stat().st_size,
        "index_kb": (report / "index.html").stat().st_size / 1e3,
        "files": sum(1 for p in report.rglob("*") if p.is_file()),
        **browser,
    }


def empty_log_lines() -> dict[str, float]:
    """A worker snapshot of five million empty log lines: peak memory of its render."""
    lines = b"\x0a\x00" * 5_000_000  # LogTail.lines: empty entries
    data = (
        wire.str_field(2, "worker-1")
        + wire.message(3, wire.str_field(1, "job-1"))
        + wire.message(4, wire.str_field(1, "job-1"), wire.bytes_field(2, lines))
    )
    snapshot = OUT / "empty-lines.pb"
    snapshot.write_bytes(data)
    run = measure("render", snapshot, OUT / "empty-lines")
    size = len(data) / 1e6
    return {"snapshot_mb": size, "bound_mb": 20 * size + 200, **run}


def table(results: list[dict[str, float]]) -> str:
    rows = [
        ("jobs", "{:,.0f}", "jobs"),
        ("render (s)", "{:.2f}", "render_s"),
        ("floor (s)", "{:.2f}", "floor_s"),
        ("render / floor", "{:.1f}", "render_over_floor"),
        ("render without redaction (s)", "{:.2f}", "render_unredacted_s"),
        ("redaction's cost", "{:.0%}", "redaction_cost"),
        ("peak RSS, render (MB)", "{:.0f}", "render_rss_mb"),
        ("peak RSS, each worker (MB)", "{:.0f}", "render_worker_rss_mb"),
        ("peak RSS, floor (MB)", "{:.0f}", "floor_rss_mb"),
        ("snapshot (MB)", "{:.1f}", "snapshot_mb"),
        ("bundle (MB)", "{:.1f}", "bundle_mb"),
        ("bundle / snapshot", "{:.2f}", "bundle_over_snapshot"),
        ("index.html (kB)", "{:.0f}", "index_kb"),
        ("files in bundle", "{:,.0f}", "files"),
        ("overview loaded (ms)", "{:.0f}", "overview_ms"),
        ("jobs list usable (ms)", "{:.0f}", "jobs_list_ms"),
        ("filter keystroke (ms)", "{:.0f}", "keystroke_ms"),
        ("workers list loaded (ms)", "{:.0f}", "workers_list_ms"),
        ("workers list sorted (ms)", "{:.0f}", "workers_sort_ms"),
    ]
    lines = ["| " + " | ".join(["measure"] + [f"{r['jobs']:,.0f} jobs" for r in results]) + " |"]
    lines.append("|" + "---|" * (len(results) + 1))
    for label, fmt, key in rows[1:]:
        lines.append("| " + " | ".join([label] + [fmt.format(r[key]) for r in results]) + " |")
    return "\n".join(lines)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    results = []
    for jobs in SIZES:
        print(f"benchmarking {jobs:,} jobs ...", file=sys.stderr, flush=True)
        results.append(bench_size(jobs))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"\nMachine: {machine}\n")
    print(table(results))
    if len(results) >= 2 and results[-2]["jobs"] * 10 == results[-1]["jobs"]:
        growth = results[-1]["render_s"] / results[-2]["render_s"]
        print(
            f"\nGrowth: {results[-1]['jobs']:,} jobs take {growth:.1f} x the time of "
            f"{results[-2]['jobs']:,} (linear would be 10 x)."
        )
    empty = empty_log_lines()
    print(
        f"\nFive million empty log lines ({empty['snapshot_mb']:.0f} MB snapshot): rendered in "
        f"{empty['seconds']:.1f} s, peak RSS {empty['rss_mb']:.0f} MB "
        f"(bound: 20 x the snapshot + 200 MB = {empty['bound_mb']:.0f} MB)."
    )
    (OUT / "results.json").write_text(
        json.dumps({"machine": machine, "results": results, "empty_log_lines": empty}, indent=2)
    )


if __name__ == "__main__":
    main()

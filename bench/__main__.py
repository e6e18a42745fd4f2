"""Benchmark: demo clusters of 1,000, 10,000 and 100,000 jobs, rendered and opened; a
100,000-job cluster with few logs and a million-job cluster; single-file reports.

For each demo size: render time and peak memory next to a floor measured in the same
run (parse the snapshot and write one jinja2 table of every job), bundle and snapshot
sizes, and, in Chromium from file://, the time to load the overview, to open the jobs
list and to answer a keystroke in its filter, and to open, sort, search and filter
the workers list (next to a blank page loaded in the same browser: the baseline).

Then the 100,000-job demo with its worker snapshots cut to 20, each job on them with
a 120-line log (bundle / snapshot for a cluster of few logs), its single-file report
and the single-file report of the full demo (size, time to open and use), and that
cluster ten times over: a million jobs on 100,000 workers, 200 of them captured,
rendered within a time and memory limit ("exceeded" past them). BENCH_SIZES picks the
demo sizes; BENCH_MILLION=0 leaves the million out. Results go to bench-out/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import watch
from bench.browser import single_file_timings, timings
from tests import wire

OUT = Path("bench-out").absolute()
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
MILLION = os.environ.get("BENCH_MILLION", "1") != "0"
LOG_SAMPLE = "0.005"  # a log tail of 1,000+ lines for one job in 200
REPEATS = {1000: 5, 10000: 3}  # the 100,000-job cluster is measured twice
TIMEOUT_S = 600  # a step longer than this (or larger than LIMIT_MB) is "exceeded"
LIMIT_MB = 8000


def measure(step: str, snapshot: Path, out: Path) -> dict[str, Any]:
    """One step in a fresh process: its own time and peak RSS, and the peak of all its
    processes together (PSS, watched from outside)."""
    command = [sys.executable, "-m", "bench.measure", step, str(snapshot), str(out)]
    run = watch.run(command, TIMEOUT_S, LIMIT_MB)
    if run.exceeded:
        return {"exceeded": run.exceeded, "seconds": run.seconds, "all_mb": run.peak_mb}
    return {**json.loads(run.stdout), "all_mb": run.peak_mb}


def median_run(step: str, snapshot: Path, out: Path, repeats: int) -> dict[str, Any]:
    runs = sorted(
        (measure(step, snapshot, out) for _ in range(repeats)), key=lambda r: r["seconds"]
    )
    return runs[len(runs) // 2]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def demo(jobs: int, folder: Path) -> Path:
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
    return folder / "cluster.pb"


def bench_size(jobs: int) -> dict[str, Any]:
    folder = OUT / str(jobs)
    snapshot = demo(jobs, folder)
    repeats = REPEATS.get(jobs, 2)
    floor = median_run("floor", snapshot, folder / "floor.html", repeats)
    plain = median_run("render-unredacted", snapshot, folder / "report-plain", repeats)
    render = median_run("render", snapshot, folder / "report", repeats)
    report = folder / "report"
    bundle = folder_size(report)
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
        "render_all_mb": render["all_mb"],
        "floor_rss_mb": floor["rss_mb"],
        "snapshot_mb": snapshot.stat().st_size / 1e6,
        "bundle_mb": bundle / 1e6,
        "bundle_over_snapshot": bundle / snapshot.stat().st_size,
        "index_kb": (report / "index.html").stat().st_size / 1e3,
        "files": sum(1 for p in report.rglob("*") if p.is_file()),
        **browser,
    }


def single_file(snapshot: Path, folder: Path, name: str) -> dict[str, Any]:
    """The single-file report of a snapshot and its summary-only one: render time, size,
    and in Chromium the time to open it, its jobs list and a job."""
    out = folder / f"{name}.html"
    render = measure("single", snapshot, out)
    summary = measure("single-summary", snapshot, folder / f"{name}-summary.html")
    return {
        "single_s": render["seconds"],
        "single_mb": out.stat().st_size / 1e6,
        "summary_s": summary["seconds"],
        "summary_mb": (folder / f"{name}-summary.html").stat().st_size / 1e6,
        **single_file_timings(out),
    }


def derive(kind: str, base: Path, name: str) -> tuple[Path, Path]:
    """A cluster made from the demo's (bench/clusters.py), in a process of its own, in a
    fresh folder OUT/name: that folder and the snapshot in it."""
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    snapshot = folder / "cluster.pb"
    command = [sys.executable, "-m", "bench.clusters", kind, str(base), str(snapshot)]
    subprocess.run(command, check=True, capture_output=True)
    return folder, snapshot


def few_logs(base: Path) -> dict[str, Any]:
    """The 100,000-job demo with few logs: 20 workers' snapshots, 120 lines a job."""
    folder, snapshot = derive("few-logs", base, "100000-few-logs")
    floor = median_run("floor", snapshot, folder / "floor.html", 2)
    render = median_run("render", snapshot, folder / "report", 2)
    bundle = folder_size(folder / "report")
    return {
        "render_s": render["seconds"],
        "floor_s": floor["seconds"],
        "render_over_floor": render["seconds"] / floor["seconds"],
        "render_all_mb": render["all_mb"],
        "snapshot_mb": snapshot.stat().st_size / 1e6,
        "bundle_mb": bundle / 1e6,
        "bundle_over_snapshot": bundle / snapshot.stat().st_size,
        **single_file(snapshot, folder, "single"),
        "overview_ms": timings(folder / "report", repeats=1)["overview_ms"],
    }


def million(base: Path) -> dict[str, Any]:
    """The 100,000-job demo ten times over, 200 workers' snapshots with logs."""
    folder, snapshot = derive("million", base, "1000000")
    floor = measure("floor", snapshot, folder / "floor.html")
    render = measure("render", snapshot, folder / "report")
    result: dict[str, Any] = {
        "snapshot_mb": snapshot.stat().st_size / 1e6,
        "floor_s": floor["seconds"],
        "floor_exceeded": floor.get("exceeded", ""),
        "render_s": render["seconds"],
        "render_exceeded": render.get("exceeded", ""),
        "render_all_mb": render["all_mb"],
    }
    if not render.get("exceeded"):
        report = folder / "report"
        result.update(
            render_rss_mb=render["rss_mb"],
            render_worker_rss_mb=render["worker_rss_mb"],
            render_over_floor=render["seconds"] / floor["seconds"],
            bundle_mb=folder_size(report) / 1e6,
            bundle_over_snapshot=folder_size(report) / snapshot.stat().st_size,
            files=sum(1 for p in report.rglob("*") if p.is_file()),
            **{f"{k}_1m": v for k, v in timings(report, repeats=1).items()},
        )
    return result


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


ROWS = [
    ("render (s)", "{:.2f}", "render_s"),
    ("floor (s)", "{:.2f}", "floor_s"),
    ("render / floor", "{:.1f}", "render_over_floor"),
    ("render without redaction (s)", "{:.2f}", "render_unredacted_s"),
    ("redaction's cost", "{:.0%}", "redaction_cost"),
    ("peak RSS, render (MB)", "{:.0f}", "render_rss_mb"),
    ("peak RSS, each worker (MB)", "{:.0f}", "render_worker_rss_mb"),
    ("peak memory, all processes (PSS, MB)", "{:.0f}", "render_all_mb"),
    ("peak RSS, floor (MB)", "{:.0f}", "floor_rss_mb"),
    ("snapshot (MB)", "{:.1f}", "snapshot_mb"),
    ("bundle (MB)", "{:.1f}", "bundle_mb"),
    ("bundle / snapshot", "{:.2f}", "bundle_over_snapshot"),
    ("index.html (kB)", "{:.0f}", "index_kb"),
    ("files in bundle", "{:,.0f}", "files"),
    ("blank page loaded, baseline (ms)", "{:.0f}", "blank_ms"),
    ("overview loaded (ms)", "{:.0f}", "overview_ms"),
    ("jobs list usable (ms)", "{:.0f}", "jobs_list_ms"),
    ("jobs list holds every job (ms)", "{:.0f}", "jobs_complete_ms"),
    ("longest wait while it loads (ms)", "{:.0f}", "jobs_loading_wait_ms"),
    ("filter keystroke (ms)", "{:.0f}", "keystroke_ms"),
    ("jobs list sorted by name (ms)", "{:.0f}", "jobs_sort_ms"),
    ("jobs list sorted by duration (ms)", "{:.0f}", "jobs_sort_number_ms"),
    ("jobs list Failed chip (ms)", "{:.0f}", "jobs_chip_ms"),
    ("workers list usable (ms)", "{:.0f}", "workers_list_ms"),
    ("workers list sorted (ms)", "{:.0f}", "workers_sort_ms"),
    ("workers search keystroke (ms)", "{:.0f}", "workers_keystroke_ms"),
    ("workers health chip (ms)", "{:.0f}", "workers_chip_ms"),
    ("single file (MB)", "{:.1f}", "single_mb"),
    ("single file render (s)", "{:.1f}", "single_s"),
    ("single file opened (ms)", "{:.0f}", "single_open_ms"),
    ("single file: jobs list usable after a click (ms)", "{:.0f}", "single_jobs_ms"),
    ("single file: a job's page after a click (ms)", "{:.0f}", "single_job_ms"),
    ("summary-only single file (MB)", "{:.1f}", "summary_mb"),
]


def table(columns: list[tuple[str, dict[str, Any]]]) -> str:
    lines = ["| " + " | ".join(["measure"] + [name for name, _ in columns]) + " |"]
    lines.append("|" + "---|" * (len(columns) + 1))
    for label, fmt, key in ROWS:
        if not any(key in values for _, values in columns):
            continue
        cells = [fmt.format(values[key]) if key in values else "-" for _, values in columns]
        lines.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(lines)


def million_lines(result: dict[str, Any]) -> str:
    if result["render_exceeded"]:
        limit = f"{TIMEOUT_S} s" if result["render_exceeded"] == "time" else f"{LIMIT_MB} MB"
        return (
            f"A million jobs ({result['snapshot_mb']:.0f} MB snapshot): render exceeded "
            f"{limit} (stopped after {result['render_s']:.0f} s, all processes at "
            f"{result['render_all_mb']:.0f} MB); floor {result['floor_s']:.1f} s."
        )
    return (
        f"A million jobs ({result['snapshot_mb']:.0f} MB snapshot, 100,000 workers): "
        f"rendered in {result['render_s']:.0f} s (floor {result['floor_s']:.0f} s, "
        f"{result['render_over_floor']:.1f} x), peak memory of all processes "
        f"{result['render_all_mb']:,.0f} MB (parent RSS {result['render_rss_mb']:,.0f} MB, "
        f"each worker {result['render_worker_rss_mb']:,.0f} MB), bundle "
        f"{result['bundle_mb']:,.0f} MB ({result['bundle_over_snapshot']:.2f} x the snapshot, "
        f"{result['files']:,} files). In Chromium: its jobs list usable in "
        f"{result['jobs_list_ms_1m']:.0f} ms and holding every job in "
        f"{result['jobs_complete_ms_1m']:.0f} ms (meanwhile a keystroke waited at most "
        f"{result['jobs_loading_wait_ms_1m']:.0f} ms), a keystroke in its filter "
        f"{result['keystroke_ms_1m']:.0f} ms, sorted by name in "
        f"{result['jobs_sort_ms_1m']:.0f} ms and by duration in "
        f"{result['jobs_sort_number_ms_1m']:.0f} ms, its Failed chip "
        f"{result['jobs_chip_ms_1m']:.0f} ms; its workers list of 100,000 usable in "
        f"{result['workers_list_ms_1m']:.0f} ms, sorted in {result['workers_sort_ms_1m']:.0f} "
        f"ms, a keystroke in {result['workers_keystroke_ms_1m']:.0f} ms, a chip in "
        f"{result['workers_chip_ms_1m']:.0f} ms (blank page {result['blank_ms_1m']:.0f} ms)."
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    results = []
    for jobs in SIZES:
        print(f"benchmarking {jobs:,} jobs ...", file=sys.stderr, flush=True)
        results.append(bench_size(jobs))
    base = OUT / "100000" / "cluster.pb"
    if not base.exists():
        demo(100_000, OUT / "100000")
    full: dict[str, Any] = {}
    if 100_000 in SIZES:
        print("single-file reports of 100,000 jobs ...", file=sys.stderr, flush=True)
        full = single_file(base, OUT / "100000", "single")
    print("100,000 jobs with few logs ...", file=sys.stderr, flush=True)
    few = few_logs(base)
    huge: dict[str, Any] = {}
    if MILLION:
        print("a million jobs ...", file=sys.stderr, flush=True)
        huge = million(base)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"\nMachine: {machine}\n")
    columns = [(f"{r['jobs']:,} jobs", r) for r in results]
    if full:
        columns[-1] = (columns[-1][0], {**results[-1], **full})
    columns.append(("100,000 jobs, few logs", few))
    print(table(columns))
    if len(results) >= 2 and results[-2]["jobs"] * 10 == results[-1]["jobs"]:
        growth = results[-1]["render_s"] / results[-2]["render_s"]
        print(
            f"\nGrowth: {results[-1]['jobs']:,} jobs take {growth:.1f} x the time of "
            f"{results[-2]['jobs']:,} (linear would be 10 x)."
        )
    if huge:
        print("\n" + million_lines(huge))
        if not huge["render_exceeded"] and results and results[-1]["jobs"] == 100_000:
            print(
                f"Growth: a million jobs take {huge['render_s'] / results[-1]['render_s']:.1f} x "
                "the time of 100,000 (target at most 11 x)."
            )
    empty = empty_log_lines()
    print(
        f"\nFive million empty log lines ({empty['snapshot_mb']:.0f} MB snapshot): rendered in "
        f"{empty['seconds']:.1f} s, peak RSS {empty['rss_mb']:.0f} MB "
        f"(bound: 20 x the snapshot + 200 MB = {empty['bound_mb']:.0f} MB)."
    )
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "results": results,
                "single_file_100000": full,
                "few_logs_100000": few,
                "million": huge,
                "empty_log_lines": empty,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

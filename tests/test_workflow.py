"""The post-mortem workflow: CI summary, diff, archive with retention, capture hook, timeline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from renderer.reference import demo
from renderer.snapshot import loading
from renderer.workflow import archive, capture
from tests.conftest import ROOT, run_cli

FUTURE = 1_795_918_417_000 + 3_600_000  # an hour after the demo's capture


@pytest.fixture(scope="module")
def early_and_late(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same demo cluster captured twice, half an hour apart."""
    folder = tmp_path_factory.mktemp("captures")
    early = demo.write_demo(demo.DemoConfig(earlier_minutes=30), folder / "early")
    late = demo.write_demo(demo.DemoConfig(), folder / "late")
    return early, late


# ---- summary ----


def test_summary_text_markdown_and_json(early_and_late: tuple[Path, Path]) -> None:
    _, late = early_and_late
    text = run_cli("summary", str(late))
    assert text.returncode == 0
    assert "captured 2026-11-29 02:13:37 UTC: 60 jobs" in text.stdout
    assert "failed, unschedulable or worker-failed jobs:" in text.stdout
    markdown = run_cli("summary", str(late), "--format", "markdown", "--title", "CI run 42")
    assert markdown.stdout.startswith("### CI run 42\n")
    assert "| job | name | state | worker | error |" in markdown.stdout
    report = json.loads(run_cli("summary", str(late), "--format", "json").stdout)
    assert report["jobs"] == 60
    by_state = report["jobs_by_state"]
    assert sum(by_state.values()) == 60
    problems = sum(by_state.get(s, 0) for s in ("failed", "unschedulable", "worker_failed"))
    assert report["problem_count"] == problems == len(report["problems"])


def test_summary_fail_on_sets_the_exit_status(early_and_late: tuple[Path, Path]) -> None:
    _, late = early_and_late
    failing = run_cli("summary", str(late), "--fail-on", "failed,unschedulable")
    assert failing.returncode == 1
    passing = run_cli("summary", str(late), "--fail-on", "unknown_12")
    assert passing.returncode == 0
    wrong = run_cli("summary", str(late), "--fail-on", "exploded")
    assert wrong.returncode == 2
    assert "no job state called 'exploded'" in wrong.stderr


def test_markdown_summary_neutralises_hostile_text(tmp_path: Path) -> None:
    source = tmp_path / "hostile.txtpb"
    source.write_text(
        'captured_at_ms: 5 jobs { status { job_id: "j|1" state: JOB_STATE_FAILED '
        'error: "<img src=x onerror=alert(1)> [click](javascript:alert(1)) | *bold* `code`" } '
        'request { name: "a|b" } }'
    )
    markdown = run_cli("summary", str(source), "--format", "markdown").stdout
    assert "<img" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert "\\[click\\]" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| <code>j"))
    assert row.count(" | ") == 4, "a | in the data must not add table cells"


# ---- diff ----


def test_diff_text_and_json(early_and_late: tuple[Path, Path]) -> None:
    early, late = early_and_late
    text = run_cli("diff", str(early), str(late))
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("from 2026-11-29 01:43:37 UTC to 2026-11-29 02:13:37 UTC\n")
    changes = json.loads(run_cli("diff", str(early), str(late), "--format", "json").stdout)
    assert changes["jobs_added"]
    assert any(c["before"] == "running" for c in changes["state_changes"])
    old_ms, new_ms = changes["old_captured_at_ms"], changes["new_captured_at_ms"]
    assert changes["actions"]
    for action in changes["actions"]:
        assert "2026-11-29" in action["time"]
    early_jobs = {j.status.job_id for j in loading.load(early).message.controller.jobs}
    assert {j["job_id"] for j in changes["jobs_added"]}.isdisjoint(early_jobs)
    assert new_ms - old_ms == 30 * 60_000
    same = json.loads(run_cli("diff", str(late), str(late), "--format", "json").stdout)
    assert same["jobs_added"] == same["state_changes"] == same["actions"] == []


def test_diff_of_workers_and_retries(tmp_path: Path) -> None:
    before = tmp_path / "before.txtpb"
    after = tmp_path / "after.txtpb"
    before.write_text(
        'captured_at_ms: 1000 jobs { status { job_id: "a" state: JOB_STATE_RUNNING } }'
        ' workers { worker_id: "w1" healthy: true } workers { worker_id: "w2" healthy: true }'
        ' endpoints { endpoint_id: "e1" name: "old" address: "h:1" job_id: "a" }'
    )
    after.write_text(
        "captured_at_ms: 2000 jobs { preemption_count: 1"
        ' status { job_id: "a" state: JOB_STATE_WORKER_FAILED } }'
        ' workers { worker_id: "w1" healthy: false } workers { worker_id: "w3" healthy: true }'
        ' endpoints { endpoint_id: "e2" name: "new" address: "h:2" job_id: "a" }'
        ' actions { timestamp_ms: 1500 action: "worker_failed" worker_id: "w1" }'
        ' actions { timestamp_ms: 900 action: "job_submitted" job_id: "a" }'
    )
    text = run_cli("diff", str(before), str(after)).stdout
    assert "a: running → worker-failed" in text
    assert "a: preemptions 0 → 1" in text, "only the counts that grew"
    assert "w2 lost" in text
    assert "w3 added" in text
    assert "w1 became unhealthy" in text
    assert "endpoints added (1):\n  new at h:2" in text
    assert "endpoints removed (1):\n  old at h:1" in text
    assert "worker_failed" in text
    assert "job_submitted" not in text, "actions before the first capture are not in between"


def test_diff_html_report(early_and_late: tuple[Path, Path], tmp_path: Path) -> None:
    early, late = early_and_late
    result = run_cli("diff", str(early), str(late), "--out", str(tmp_path / "diff"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "diff" / "index.html").read_text()
    assert "What changed" in page
    assert 'id="state-changes"' in page
    assert (tmp_path / "diff" / "static" / "style.css").is_file()


# ---- archive ----


def _archive(source: Path, into: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return run_cli("archive", str(source), "--into", str(into), *options)


def test_archive_index_retention_by_count(tmp_path: Path) -> None:
    into = tmp_path / "archive"
    for minutes in (90, 60, 30, 0):
        source = demo.write_demo(demo.DemoConfig(earlier_minutes=minutes), tmp_path / f"m{minutes}")
        result = _archive(source, into, "--keep", "3", "--label", "nightly")
        assert result.returncode == 0, result.stderr
    folders = sorted(p.name for p in into.iterdir() if p.is_dir() and p.name != "static")
    assert folders == [
        "20261129T011337Z-nightly",
        "20261129T014337Z-nightly",
        "20261129T021337Z-nightly",
    ]
    index = (into / "index.html").read_text()
    links = re.findall(r'href="(\d{8}T\d{6}Z-nightly)/index.html"', index)
    assert links == list(reversed(folders)), "newest first"
    assert index.count('class="trend-bar"') == 3
    assert "20261129T004337Z" not in index


def test_archive_retention_by_age(tmp_path: Path) -> None:
    into = tmp_path / "archive"
    early = demo.write_demo(demo.DemoConfig(earlier_minutes=120), tmp_path / "early")
    late = demo.write_demo(demo.DemoConfig(), tmp_path / "late")
    snapshots = [loading.load(early)]
    archive.archive(snapshots, into, label="a", now_ms=FUTURE)
    result = archive.archive(
        [loading.load(late)], into, label="b", max_age_ms=archive.parse_age("90m"), now_ms=FUTURE
    )
    assert result.pruned == ["20261129T001337Z-a"]
    assert result.kept == ["20261129T021337Z-b"]


def test_concurrent_archive_runs_do_not_corrupt_the_folder(tmp_path: Path) -> None:
    into = tmp_path / "archive"
    sources = [
        demo.write_demo(demo.DemoConfig(earlier_minutes=m), tmp_path / f"m{m}")
        for m in (0, 10, 20, 30)
    ]
    command = [sys.executable, "-m", "renderer", "archive", "--into", str(into)]
    with ThreadPoolExecutor(4) as pool:
        runs = list(
            pool.map(
                lambda s: subprocess.run(
                    [*command, str(s), "--label", "ci"],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    check=False,
                ),
                sources,
            )
        )
    assert [run.returncode for run in runs] == [0, 0, 0, 0], [run.stderr for run in runs]
    entries = archive.read_entries(into)
    assert len(entries) == 4
    index = (into / "index.html").read_text()
    assert len(re.findall(r'href="\d{8}T\d{6}Z-ci/index.html"', index)) == 4
    assert [p.name for p in into.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []


def test_a_failed_archive_run_leaves_the_archive_as_it_was(
    tmp_path: Path, early_and_late: tuple[Path, Path]
) -> None:
    into = tmp_path / "archive"
    _, late = early_and_late
    assert _archive(late, into, "--label", "good").returncode == 0
    before = {p.relative_to(into): p.read_bytes() for p in into.rglob("*") if p.is_file()}
    broken = tmp_path / "broken.pb"
    broken.write_bytes(late.read_bytes()[:-100])
    result = _archive(broken, into, "--label", "bad", "--keep", "1")
    assert result.returncode == 2
    after = {p.relative_to(into): p.read_bytes() for p in into.rglob("*") if p.is_file()}
    assert after == before


def test_bad_max_age_is_a_clean_error(tmp_path: Path, early_and_late: tuple[Path, Path]) -> None:
    result = _archive(early_and_late[1], tmp_path / "a", "--max-age", "soon")
    assert result.returncode == 2
    assert "not an age: 'soon'" in result.stderr


# ---- capture hook ----


def test_write_snapshot_keeps_the_newest(tmp_path: Path) -> None:
    cluster = demo.simulate(demo.DemoConfig(jobs=20, workers=3))
    written = [
        capture.write_snapshot(
            cluster.controller,
            tmp_path,
            keep=3,
            workers=list(cluster.workers.values()),
            now_ms=1_795_918_417_000 + n * 1000,
        )
        for n in range(5)
    ]
    (tmp_path / "notes.txt").write_text("not a snapshot; never pruned")
    capture.prune(tmp_path, 3)
    remaining = sorted(p.name for p in tmp_path.iterdir())
    assert remaining == sorted([p.name for p in written[2:]] + ["notes.txt"])
    snapshot = loading.load(written[-1])
    assert snapshot.kind == "cluster"
    assert len(snapshot.message.controller.jobs) == 20
    assert len(snapshot.message.workers) == len(cluster.workers)
    again = capture.write_snapshot(
        cluster.controller, tmp_path, keep=None, now_ms=1_795_918_421_000
    )
    assert again.name.endswith("-2.pb"), "the same millisecond gets its own file"


# ---- timeline ----


@pytest.mark.browser
def test_timeline_is_drawn_labelled_and_capped(tmp_path: Path, watched) -> None:  # type: ignore[no-untyped-def]
    from renderer.report.bundle import render_bundle
    from renderer.report.context import RenderOptions
    from renderer.report.timeline import MAX_JOBS
    from renderer.snapshot.cluster import open_sources

    small = demo.write_demo(demo.DemoConfig(), tmp_path / "small")
    big = demo.write_demo(demo.DemoConfig(jobs=900, workers=60), tmp_path / "big")
    for source, expected in ((small, 60), (big, MAX_JOBS)):
        out = source.parent / "report"
        render_bundle(open_sources([loading.load(source)]), out, RenderOptions())
        view = watched(out)
        view.open("timeline.html")
        chart = view.page.locator("#timeline-chart")
        assert chart.is_visible()
        assert view.page.locator("#timeline-chart g.bar").count() == expected
        assert chart.get_attribute("data-bars") == str(expected)
        note = view.page.text_content("#timeline-count") or ""
        total = len(loading.load(source).message.controller.jobs)
        assert f"{expected:,} of {total:,} jobs shown" in note
        if expected < total:
            assert "problems first" in note
            failed = view.page.locator("#timeline-chart g.bar.status-failed").count()
            assert failed == sum(
                1 for j in loading.load(source).message.controller.jobs if j.status.state == 5
            )
        labels = view.page.locator("#timeline-chart text.label").all_text_contents()
        assert labels
        assert all(label for label in labels)
        ticks = view.page.locator("#timeline-chart text.tick").all_text_contents()
        assert all(re.fullmatch(r"\d\d:\d\d", tick) for tick in ticks)
        view.page.locator("#timeline-chart g.bar a").first.click()
        assert view.page.url.split("#")[1].startswith(("j-", "r-"))
        assert view.errors == []

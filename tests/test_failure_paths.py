"""From a failure to its cause: failure groups, the header's search, every worker's page
and a job's own trail, in Chromium from file:// at a laptop's 1,280 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from renderer.reference import demo
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.snapshot import loading, states
from renderer.snapshot.cluster import open_sources

LAPTOP = 1280
CUDA = "RuntimeError: CUDA out of memory. Tried to allocate <n> GiB"


def _problem_jobs(cluster: demo.DemoCluster) -> dict[str, object]:
    return {
        job_id: job
        for job_id, job in cluster.controller.jobs.items()
        if job.state in states.PROBLEM_STATES
    }


def test_every_problem_job_is_in_exactly_one_group(demo_bundle: Path, demo_cluster) -> None:  # type: ignore[no-untyped-def]
    page = (demo_bundle / "failures.html").read_text()
    problems = _problem_jobs(demo_cluster)
    assert problems
    sections = re.findall(r'<section class="panel failure-group" id="(g-[0-9a-f]+)"', page)
    assert len(sections) == len(set(sections)) >= 2
    for job_id in problems:
        # Each problem job is listed under one group (by its short id's link).
        listed = re.findall(rf'#j-{re.escape(job_id)}"', page)
        assert listed, job_id
    counts = [int(n) for n in re.findall(r'data-sort="(\d+)">\d+ jobs?</td>', page)]
    assert sum(counts) == len(problems)


@pytest.mark.browser
def test_the_job_list_finds_jobs_by_id_error_worker_gang_and_state(
    demo_bundle: Path,
    demo_cluster,
    watched,  # type: ignore[no-untyped-def]
) -> None:
    jobs = demo_cluster.controller.jobs
    failed = next(job_id for job_id, job in jobs.items() if job.state == states.FAILED)
    worker_id = jobs[failed].worker_id
    gang = next(job.gang_id for job in jobs.values() if job.gang_id)
    expected = {
        failed: 1,
        "CUDA": sum(1 for j in jobs.values() if j.error and "CUDA" in j.error),
        worker_id: sum(1 for j in jobs.values() if j.worker_id == worker_id),
        gang: sum(1 for j in jobs.values() if j.gang_id == gang),
        "worker failed": sum(1 for j in jobs.values() if j.state == states.WORKER_FAILED),
    }
    view = watched(demo_bundle, width=LAPTOP)
    view.open("jobs/index.html")
    page = view.page
    page.wait_for_selector("body[data-jobs-ready]")
    for query, count in expected.items():
        assert count, query
        page.fill("[data-search-input]", query)
        assert page.get_attribute("body", "data-jobs-shown") == str(count), query
    assert view.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_overview_shows_failure_groups_first_with_their_counts(
    demo_bundle: Path,
    watched,
    dark: bool,  # type: ignore[no-untyped-def]
) -> None:
    view = watched(demo_bundle, dark=dark, width=LAPTOP)
    view.open("index.html")
    page = view.page
    panels = page.eval_on_selector_all("main section.panel", "els => els.map(e => e.id)")
    assert panels[0] == "failure-groups-panel"  # before the table of failed jobs
    first = page.locator("#overview-groups tbody tr").first
    assert first.locator("td.signature").inner_text() == CUDA
    assert first.locator("td.num").inner_text() == "2 jobs"
    assert "Failed" in first.locator("td.states").inner_text()
    # Its link lists that group's jobs alone.
    first.locator("a", has_text="list them").click()
    page.wait_for_selector("body[data-jobs-ready]")
    assert page.get_attribute("body", "data-jobs-shown") == "2"
    assert "Failure group: " + CUDA in page.locator(".group-chip").inner_text()
    errors = page.locator("#jobs-table tbody td.error-cell").all_inner_texts()
    assert len(errors) == 2
    assert all("CUDA out of memory" in e for e in errors)
    # The chip clears the group.
    page.locator(".group-chip").click()
    assert page.get_attribute("body", "data-jobs-shown") == "60"
    assert view.errors == []


@pytest.mark.browser
def test_searching_cuda_in_the_header_finds_the_group_and_its_jobs(
    demo_bundle: Path,
    watched,  # type: ignore[no-untyped-def]
) -> None:
    view = watched(demo_bundle, width=LAPTOP)
    view.open("actions.html")
    page = view.page
    page.wait_for_selector("body[data-enhanced]")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("CUDA")
    page.wait_for_selector("body[data-site-search]")
    results = page.locator("#site-search-results")
    assert "Failure groups · 1" in (results.text_content() or "")
    assert CUDA in results.inner_text()
    jobs = results.locator(".site-search-part", has_text="Jobs · 2").locator("a")
    assert jobs.count() == 2
    # Arrow down and Enter follow the first result: the group on the failures page.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"failures\.html#g-[0-9a-f]+$"))
    target = page.evaluate("location.hash.slice(1)")
    assert CUDA in page.locator(f"#{target} h2").inner_text()
    # A worker is found by its id; the job list's own search by any text.
    page.keyboard.press("/")
    page.keyboard.type("worker-36f6")
    expect(page.locator("#site-search-results")).to_contain_text("Workers · 1")
    assert view.errors == []
    assert view.foreign_requests() == []


@pytest.mark.browser
def test_without_script_the_header_search_is_a_link_to_the_job_list(
    demo_bundle: Path,
    watched,  # type: ignore[no-untyped-def]
) -> None:
    view = watched(demo_bundle, javascript=False, width=LAPTOP)
    view.open("workers/index.html")
    link = view.page.locator(".site-search-link")
    assert link.is_visible()
    link.click()
    assert view.page.url.endswith("/jobs/index.html")
    assert view.page.locator("#jobs-table-rows tbody tr").count() == 60


@pytest.mark.browser
def test_a_dead_workers_page_lists_its_jobs(demo_bundle: Path, demo_cluster, watched) -> None:  # type: ignore[no-untyped-def]
    dead = [
        worker_id
        for worker_id, worker in demo_cluster.controller.workers.items()
        if not worker.healthy and worker_id not in demo_cluster.workers
    ]
    assert dead, "the demo has an unhealthy worker whose snapshot was not captured"
    worker_id = dead[0]
    expected = {
        job_id[:8]
        for job_id, job in demo_cluster.controller.jobs.items()
        if job.worker_id == worker_id
    }
    assert expected
    view = watched(demo_bundle, width=LAPTOP)
    view.open("workers/index.html")
    page = view.page
    page.locator(f"#all-workers a:text-is('{worker_id}')").click()
    section = page.locator(f"#w-{worker_id}")
    assert section.is_visible()
    assert page.locator("article.worker-section:visible").count() == 1
    assert "Unhealthy" in section.locator(".job-head").inner_text()
    assert "not captured" in section.locator(".note").inner_text()
    ids = section.locator(f"#w-{worker_id}-controller-jobs tbody td.id").all_inner_texts()
    assert {text.rstrip("…")[:8] for text in ids} == expected
    assert page.title().startswith(f"Worker {worker_id}")
    assert view.errors == []


@pytest.mark.browser
def test_a_jobs_trail_lists_its_attempts_and_actions_in_order(
    demo_bundle: Path,
    demo_cluster,
    watched,  # type: ignore[no-untyped-def]
) -> None:
    dispatched = {a.job_id for a in demo_cluster.controller.actions if a.action == "job_dispatched"}
    job_id = next(
        job_id
        for job_id, job in demo_cluster.controller.jobs.items()
        if job.state == states.FAILED and job.exit_code == 1 and job_id in dispatched
    )
    view = watched(demo_bundle, width=LAPTOP)
    view.open("jobs/index.html")
    page = view.page
    page.wait_for_selector("body[data-jobs-ready]")
    page.fill("[data-search-input]", job_id)
    page.locator("#jobs-table tbody a").first.click()
    trail = page.locator(f"#j-{job_id}-trail .trail-what")
    whats = trail.all_inner_texts()
    worker = demo_cluster.controller.jobs[job_id].worker_id
    assert whats[0] == "submitted"
    assert whats[-1] == "ended: failed, exit code 1"
    steps = [w for w in whats if w in ("submitted", "job_dispatched", "job_started")]
    assert steps == ["submitted", "job_dispatched", "job_started"]
    started = page.locator(f"#j-{job_id}-trail li", has_text="job_started")
    assert started.locator(".action-ref").inner_text() == f"on {worker}"
    times = page.eval_on_selector_all(
        f"#j-{job_id}-trail time", "els => els.map(e => Date.parse(e.getAttribute('datetime')))"
    )
    assert times == sorted(times)
    # The error names its failure group.
    page.locator(f"#j-{job_id} .group-link a").click()
    page.wait_for_url(re.compile(r"failures\.html#g-"))
    assert view.errors == []


def test_an_iris_jobs_trail_lists_each_attempt_in_order(tmp_path: Path) -> None:
    from tests.conftest import ROOT, run_cli

    snapshot = tmp_path / "cluster.pb"
    checkpoint = ROOT / "tests" / "fixtures" / "iris" / "capture-A"
    assert run_cli("capture", str(checkpoint), "--out", str(snapshot)).returncode == 0
    out = tmp_path / "report"
    render_bundle(open_sources([loading.load(snapshot)]), out, RenderOptions())
    page = next(
        p.read_text()
        for p in (out / "jobs").glob("detail-*.html")
        if 'data-job-id="/root/flaky-retry"' in p.read_text()
    )
    start = page.index('data-job-id="/root/flaky-retry"')
    trail = page[page.index('class="trail-list"', start) : page.index("</ol>", start)]
    lines = [re.sub(r"<[^>]+>", "", line) for line in re.findall(r"<li.*?</li>", trail)]
    whats = [line.split(None, 2)[2] for line in lines]
    assert [w.split(" on ")[0] for w in whats] == [
        "submitted",
        "attempt 0 of task 0 started",
        "attempt 0 of task 0 failed, exit code 3",
        "attempt 1 of task 0 started",
        "attempt 1 of task 0 succeeded, exit code 0",
        "ended: succeeded, exit code 0",
    ]
    # Each attempt's line links to its row in the task's table of attempts.
    for target in re.findall(r'href="#([^"]+)"', trail):
        assert f'id="{target}"' in page


def test_twelve_jobs_failing_alike_are_one_group(tmp_path: Path) -> None:
    """The demo at 1,200 jobs: every repeated error is one group, however its numbers vary."""
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=3, jobs=1200, workers=40))
    path = tmp_path / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    sources = open_sources([loading.load(path)])
    from renderer.snapshot.catalog import Catalog

    groups = Catalog(sources).failure_groups
    signatures = [g.signature for g in groups]
    assert len(signatures) == len(set(signatures))
    cuda = next(g for g in groups if g.signature == CUDA)
    assert cuda.count >= 8
    catalog = Catalog(sources)
    raw = {catalog.by_id[job_id].error for job_id in cuda.job_ids}
    assert len(raw) >= 3  # "2.00 GiB", "3.50 GiB", ...: one failure all the same
    assert sum(g.count for g in groups) == len(Catalog(sources).needing_attention)


def _ids_in(section: str, table_id: str) -> list[str]:
    start = section.find(f'id="{table_id}"')
    if start < 0:
        return []
    body = section[start : section.find("</table>", start)]
    return re.findall(r'<td class="id"><a [^>]*title="([^"]+)"', body)


def test_a_captured_workers_page_lists_each_job_once_with_the_controllers_word(
    demo_bundle: Path,
    demo_cluster,  # type: ignore[no-untyped-def]
) -> None:
    """Its own record first; the controller's table holds only the jobs that record
    lacks; where the two disagree on a job's state, the row says what the controller says."""
    pages = "".join(p.read_text() for p in sorted((demo_bundle / "workers").glob("page-*.html")))
    controller_jobs = demo_cluster.controller.jobs
    disagreements = 0
    for worker_id, worker in demo_cluster.workers.items():
        start = pages.index(f'<article class="worker-section" id="w-{worker_id}"')
        section = pages[start : pages.index("</article>", start)]
        own = _ids_in(section, f"w-{worker_id}-jobs")
        placed = _ids_in(section, f"w-{worker_id}-controller-jobs")
        assert sorted(own) == sorted(worker.jobs), worker_id
        assert not set(own) & set(placed), worker_id
        on_it = {j for j, job in controller_jobs.items() if job.worker_id == worker_id}
        assert set(placed) == on_it - set(own), worker_id
        for job_id, record in worker.jobs.items():
            job = controller_jobs.get(job_id)
            row = section[section.index(f'title="{job_id}"') :]
            row = row[: row.index("</tr>")]
            says = f"controller: {states.state(job.state).label}" if job else None
            if job is not None and job.state != record.state:
                disagreements += 1
                assert says in row, (worker_id, job_id)
            else:
                assert "controller: " not in row, (worker_id, job_id)
    assert disagreements, "the demo has a job its worker and the controller disagree on"

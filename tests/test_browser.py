"""The bundle in a real browser: Chromium opening files from disk, as users will."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from renderer.report.bundle import render_single_file
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources

pytestmark = pytest.mark.browser


def html_pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))


def cells_of(page, table: str, column: str, script: str):  # type: ignore[no-untyped-def]
    """Evaluate `script` over the cells of a named column (by data-column), in row order."""
    return page.evaluate(
        """([table, column, script]) => {
          const t = document.getElementById(table);
          const i = [...t.tHead.rows[0].cells].findIndex(c => c.dataset.column === column);
          const rows = [...t.tBodies[0].rows]
            .filter(r => !r.hidden && !r.classList.contains('vlist-spacer'));
          const run = new Function('cells', 'return (' + script + ')(cells)');
          return run(rows.map(r => r.cells[i]));
        }""",
        [table, column, script],
    )


def visible_rows(page, table: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden]):not(.vlist-spacer)",
        "rows => rows.map(r => ({state: r.dataset.state || '', text: r.textContent}))",
    )


def test_every_page_opens_cleanly(demo_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle)
    pages = html_pages(demo_bundle)
    assert len(pages) > 10
    for relative in pages:
        view.open(relative)
        assert view.page.get_attribute("body", "data-enhanced") == "true", relative
    assert view.errors == []
    assert view.foreign_requests() == []


def test_from_overview_to_a_failed_jobs_log_and_its_worker(demo_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle)
    page = view.page
    view.open("index.html")
    failed = int(page.text_content('#stat-cards [data-state="failed"] .stat-value') or "0")
    assert failed > 0
    assert len(visible_rows(page, "problems-table")) >= failed

    # The jobs page, filtered to failed jobs, lists exactly the failed ones.
    page.click('#stat-cards [data-state="failed"]')
    page.wait_for_selector('body[data-jobs-ready="true"]')
    assert page.evaluate("location.hash") == "#state=failed"
    assert page.get_attribute("body", "data-jobs-shown") == str(failed)
    assert {row["state"] for row in visible_rows(page, "jobs-table")} == {"failed"}

    # A job with a log on a captured worker: open it from the jobs list.
    page.fill("[data-search-input]", "")
    page.click('[data-filter-state="failed"]')  # back to every job
    page.click('[data-filter-state="running"]')
    page.click("#jobs-table tbody tr:not(.vlist-spacer) td.id a")
    page.wait_for_selector("article.job:target")
    assert (
        page.eval_on_selector_all("article.job", "a => a.filter(e => e.offsetParent).length") == 1
    )
    job = page.locator("article.job:target")
    name = job.get_attribute("data-title") or ""
    assert page.title().startswith(name)
    assert job.locator(".log .ln").count() > 0

    # The log's STDERR tab shows only stderr lines.
    log = job.locator(".log").first
    log.locator('[data-log-tab="stdout"]').click()
    shown = log.locator(".ln").evaluate_all(
        "ls => ls.filter(l => l.offsetParent).map(l => l.className)"
    )
    assert shown
    assert all("stdout" in cls for cls in shown)

    # The worker link leads to that worker's page, in the worker view's green.
    job.locator(".attempt.current h3 a").click()
    page.wait_for_selector("body.view-worker")
    colour = page.eval_on_selector(".topbar", "e => getComputedStyle(e).borderTopColor")
    assert colour == "rgb(76, 175, 80)"  # #4CAF50
    section = page.locator("article.worker-section:target")
    assert section.locator('table[id$="-jobs"] tbody tr', has_text=name).count() >= 1
    visible = "a => a.filter(e => e.offsetParent).length"
    assert page.eval_on_selector_all("article.worker-section", visible) == 1
    assert view.errors == []
    assert view.foreign_requests() == []


def test_sorting_any_column(demo_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle)
    page = view.page
    view.open("index.html")
    ids_before = sorted(
        page.eval_on_selector_all("#overview-jobs tbody td.id", "cs => cs.map(c => c.textContent)")
    )
    header = page.locator('#overview-jobs thead th[data-column="submitted"]')
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    values = cells_of(
        page, "overview-jobs", "submitted", "cells => cells.map(c => Number(c.dataset.sort || -1))"
    )
    assert values == sorted(values, reverse=True)
    assert "sort=submitted" in page.evaluate("location.hash")

    name_header = page.locator('#overview-jobs thead th[data-column="name"]')
    name_header.locator("button").click()
    names = page.eval_on_selector_all(
        "#overview-jobs tbody td.name",
        "cs => cs.map(c => c.firstChild.textContent.trim().toLowerCase())",
    )
    assert names == sorted(names)
    # Sorting moves rows: every row is still there, once.
    ids_after = page.eval_on_selector_all(
        "#overview-jobs tbody td.id", "cs => cs.map(c => c.textContent)"
    )
    assert sorted(ids_after) == ids_before


def test_filter_and_search_live_in_the_fragment(demo_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle)
    page = view.page
    view.open("index.html")
    pending = int(page.text_content('#stat-cards [data-state="pending"] .stat-value') or "0")
    page.click('#jobs [data-filter-state="pending"]')
    rows = visible_rows(page, "overview-jobs")
    assert len(rows) == pending
    assert {row["state"] for row in rows} == {"pending"}
    assert page.evaluate("location.hash") == "#state=pending"

    # The link reproduces the view.
    view.open("index.html#state=pending")
    assert len(visible_rows(page, "overview-jobs")) == pending
    assert page.get_attribute('#jobs [data-filter-state="pending"]', "aria-pressed") == "true"

    # Search narrows to ids and names.
    some_id = page.get_attribute("#overview-jobs tbody tr:not([hidden]) td.id a", "title") or ""
    page.click('#jobs [data-filter-state="pending"]')
    page.fill("#jobs [data-search-input]", some_id[:13])
    rows = visible_rows(page, "overview-jobs")
    assert len(rows) == 1
    assert "q=" in page.evaluate("location.hash")


def test_jobs_list_search_and_sort_over_every_job(demo_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle)
    page = view.page
    view.open("jobs/index.html#q=sweep")
    page.wait_for_selector('body[data-jobs-ready="true"]')
    shown = int(page.get_attribute("body", "data-jobs-shown") or "0")
    names = page.eval_on_selector_all(
        "#jobs-table tbody td.name", "cs => cs.map(c => c.firstChild.textContent)"
    )
    assert shown == len(names) > 0
    assert all("sweep" in name for name in names)
    header = page.locator('#jobs-table thead th[data-column="submitted"]').locator("button")
    header.click()
    titles = cells_of(page, "jobs-table", "submitted", "cells => cells.map(c => c.title)")
    assert titles == sorted(titles)
    assert view.errors == []


def test_log_search(demo_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle)
    page = view.page
    detail = next(
        p
        for p in html_pages(demo_bundle)
        if p.startswith("jobs/detail-") and 'class="ln' in (demo_bundle / p).read_text()
    )
    view.open(detail)
    log = page.locator("[data-log]").first
    log.locator("[data-log-search]").fill("Traceback")
    hits = log.locator(".ln.hit").count()
    misses = log.locator(".ln.miss").count()
    total = log.locator(".ln").count()
    assert hits + misses == total
    words = f"{hits:,} matching line" + ("" if hits == 1 else "s")
    assert words in (log.locator(".log-count").text_content() or "")


def test_pages_are_complete_without_javascript(demo_bundle: Path, watched, demo_cluster) -> None:  # type: ignore[no-untyped-def]
    view = watched(demo_bundle, javascript=False)
    page = view.page
    view.open("index.html")
    jobs = len(demo_cluster.controller.jobs)
    assert page.locator("#overview-jobs tbody tr").count() == jobs
    assert page.locator(".filters").first.is_hidden()
    view.open("jobs/index.html")
    assert page.locator("#jobs-table-rows tbody tr").count() == jobs
    assert page.locator("#jobs-table").is_hidden()  # the script's frame
    detail = next(p for p in html_pages(demo_bundle) if p.startswith("jobs/detail-"))
    view.open(detail)
    first = page.locator("article.job").first
    anchor = first.get_attribute("id")
    view.open(f"{detail}#{anchor}")
    assert (
        page.eval_on_selector_all("article.job", "a => a.filter(e => e.offsetParent).length") == 1
    )
    assert view.errors == []


def test_single_file_report(demo_path: Path, tmp_path: Path, watched) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.html"
    render_single_file(open_sources([loading.load(demo_path)]), out, RenderOptions(title="Mail"))
    view = watched(tmp_path)
    page = view.page
    view.open("report.html")
    assert page.locator("#p-index").is_visible()
    page.click('.nav a:has-text("Jobs")')
    assert page.evaluate("location.hash") == "#p-jobs-index"
    assert page.locator("#p-jobs-index").is_visible()
    assert not page.locator("#p-index").is_visible()
    page.click("#p-jobs-index #jobs-table tbody tr:not(.vlist-spacer) td.id a")
    target = page.locator("article.job:target")
    assert target.is_visible()
    assert (
        page.eval_on_selector_all("article.job", "a => a.filter(e => e.offsetParent).length") == 1
    )
    assert view.errors == []
    assert [
        u for u in view.requests if u != out.as_uri() and not u.startswith(out.as_uri() + "#")
    ] == []


AXE_PAGES = [
    "failures.html",
    "index.html",
    "jobs/index.html",
    "workers/index.html",
    "actions.html",
    "endpoints.html",
]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_serious_accessibility_findings(demo_bundle: Path, watched, dark: bool) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    view = watched(demo_bundle, dark=dark)
    detail = next(
        p
        for p in html_pages(demo_bundle)
        if p.startswith("jobs/detail-") and 'class="ln' in (demo_bundle / p).read_text()
    )
    worker = next(p for p in html_pages(demo_bundle) if p.startswith("workers/page-"))
    findings = []
    for relative in [*AXE_PAGES, detail, worker]:
        view.open(relative)
        for violation in axe.run(view.page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                findings.append(f"{relative}: {violation['id']} ({violation['impact']}) {targets}")
    assert findings == []


def test_relative_links_only(demo_bundle: Path) -> None:
    """Every link and asset is relative: the bundle works from any folder or host."""
    for relative in html_pages(demo_bundle):
        text = (demo_bundle / relative).read_text()
        for target in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert not target.startswith(("/", "http:", "https:", "//")), (relative, target)


@pytest.fixture(scope="module")
def three_page_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo of 1,200 jobs: its job list has three pages."""
    from renderer.reference import demo
    from renderer.report.bundle import render_bundle

    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=2, jobs=1200, workers=60))
    out = tmp_path_factory.mktemp("three-pages") / "report"
    path = out.parent / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    render_bundle(open_sources([loading.load(path)]), out, RenderOptions())
    return out


def test_a_later_list_page_reaches_every_job(three_page_bundle: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(three_page_bundle)
    page = view.page
    view.open("jobs/page-3.html")
    # Its chips count every job, so a chip opens the list of every job in that state.
    chip = page.locator('[data-filter-state="succeeded"]')
    counted = int((chip.locator(".count").text_content() or "0").replace(",", ""))
    chip.click()
    page.wait_for_selector('body[data-jobs-ready="true"]')
    assert page.url.endswith("jobs/index.html#state=succeeded")
    assert page.get_attribute("body", "data-jobs-shown") == str(counted)
    # Its search box filters its own rows and offers the search over every job.
    view.open("jobs/page-3.html")
    name = page.eval_on_selector("#jobs-table tbody td.name", "c => c.firstChild.textContent")
    page.fill("[data-search-input]", name)
    assert "on this page" in (page.text_content(".filter-status") or "")
    page.click("a.every-job")
    page.wait_for_selector('body[data-jobs-ready="true"]')
    assert page.input_value("[data-search-input]") == name
    shown = int(page.get_attribute("body", "data-jobs-shown") or "0")
    assert shown >= 1
    assert view.errors == []


def test_back_from_a_job_returns_to_the_same_place_in_the_list(  # type: ignore[no-untyped-def]
    three_page_bundle: Path, watched
) -> None:
    view = watched(three_page_bundle)
    page = view.page
    view.open("jobs/index.html#state=succeeded")
    page.wait_for_selector('body[data-jobs-ready="true"]')
    page.evaluate("document.querySelector('.vlist-scroll').scrollTop = 6000")
    page.wait_for_timeout(100)
    # A click from script: Playwright's own would first scroll the link into view.
    page.locator("#jobs-table tbody tr:not(.vlist-spacer) td.id a").nth(20).evaluate(
        "a => a.click()"
    )
    page.wait_for_selector("article.job:target")
    page.go_back()
    page.wait_for_selector('body[data-jobs-ready="true"]')
    assert page.url.endswith("#state=succeeded")
    assert page.evaluate("document.querySelector('.vlist-scroll').scrollTop") == 6000
    assert view.errors == []


def test_failed_jobs_with_a_log_come_first_when_sorted_by_log_lines(  # type: ignore[no-untyped-def]
    demo_bundle: Path, watched
) -> None:
    view = watched(demo_bundle)
    page = view.page
    view.open("jobs/index.html#state=failed")
    page.wait_for_selector('body[data-jobs-ready="true"]')
    header = page.locator('#jobs-table thead th[data-column="log"]')
    header.locator("button").click()
    header.locator("button").click()  # descending: most lines first
    assert header.get_attribute("aria-sort") == "descending"
    counts = cells_of(
        page,
        "jobs-table",
        "log",
        "cells => cells.map(c => Number(c.textContent.replace(/,/g, '')) || 0)",
    )
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > 0
    page.click("#jobs-table tbody tr:not(.vlist-spacer) td.id a")
    page.wait_for_selector("article.job:target [data-log]")
    assert view.errors == []

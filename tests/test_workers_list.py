"""The list of every worker in Chromium: one scrolling list with script, pages without."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from renderer.reference import demo
from renderer.report import sitemap
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.schema import pb

pytestmark = pytest.mark.browser

WORKERS = 2600  # six pages of the list without script
WIDTH = 1280


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> tuple[pb.ClusterSnapshot, Path]:
    """A cluster of 2,600 workers (few of them captured), its snapshot and its bundle."""
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=3, jobs=1500, workers=WORKERS))
    del snapshot.workers[40:]  # the report says which workers were not captured
    out = tmp_path_factory.mktemp("workers") / "report"
    path = out.parent / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    render_bundle(open_sources([loading.load(path)]), out, RenderOptions())
    return snapshot, out


def drawn(page, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts of a column in the rows the list has drawn, top to bottom."""
    return page.evaluate(
        """(column) => {
          const t = document.getElementById('all-workers');
          const i = [...t.tHead.rows[0].cells].findIndex(c => c.dataset.column === column);
          return [...t.tBodies[0].rows]
            .filter(r => !r.classList.contains('vlist-spacer'))
            // An id cell's title is the id whole (a "not captured" tag comes first).
            .map(r => r.cells[i].title || r.cells[i].firstChild.textContent.trim());
        }""",
        column,
    )


def shown(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.get_attribute("body", "data-workers-shown") or "-1")


def open_list(view, fragment: str = "") -> None:  # type: ignore[no-untyped-def]
    view.open("workers/index.html" + fragment)
    view.page.wait_for_selector('body[data-workers-ready="true"]')


def test_every_worker_in_one_list_sorted_by_any_column(cluster, watched) -> None:  # type: ignore[no-untyped-def]
    snapshot, out = cluster
    workers = snapshot.controller.workers
    view = watched(out, width=WIDTH)
    page = view.page
    open_list(view)
    assert shown(page) == len(workers)
    assert "2,600 workers" in (page.text_content("#workers-range") or "")
    assert page.locator(".pagination").first.is_hidden()  # the list holds every worker

    addresses = sorted(w.address.lower() for w in workers)
    page.click('#all-workers th[data-column="address"] button')
    assert drawn(page, "address")[:20] == addresses[:20]
    assert page.evaluate("location.hash") == "#sort=address&dir=asc"
    page.click('#all-workers th[data-column="address"] button')
    assert drawn(page, "address")[:20] == addresses[::-1][:20]

    # Numbers sort as numbers; the last worker is reached by scrolling.
    page.click('#all-workers th[data-column="failures"] button')
    failures = [int(text) for text in drawn(page, "failures")]
    assert failures == sorted(failures)
    page.eval_on_selector(".vlist-scroll", "s => { s.scrollTop = s.scrollHeight; }")
    page.wait_for_timeout(200)
    last = max(w.consecutive_failures for w in workers)
    assert int(drawn(page, "failures")[-1]) == last
    assert view.errors == []


def test_search_finds_a_worker_by_a_job_running_on_it(cluster, watched) -> None:  # type: ignore[no-untyped-def]
    snapshot, out = cluster
    busy = next(w for w in snapshot.controller.workers if w.running_job_ids)
    job_id = busy.running_job_ids[0]
    view = watched(out, width=WIDTH)
    page = view.page
    open_list(view)
    page.fill("[data-search-input]", job_id)
    running = [w.worker_id for w in snapshot.controller.workers if job_id in w.running_job_ids]
    assert shown(page) == len(running) >= 1
    assert drawn(page, "id") == [busy.worker_id]
    assert "1 of 2,600 workers" in (page.text_content("#workers-range") or "")
    # Part of an id, of an address; the fragment reproduces the view.
    page.fill("[data-search-input]", busy.address)
    assert busy.worker_id in drawn(page, "id")
    page.fill("[data-search-input]", busy.worker_id[-6:].upper())
    assert busy.worker_id in drawn(page, "id")
    fragment = page.evaluate("location.hash")
    open_list(view, fragment)
    assert page.input_value("[data-search-input]") == busy.worker_id[-6:].upper()
    assert busy.worker_id in drawn(page, "id")
    assert view.errors == []


def test_health_chips(cluster, watched) -> None:  # type: ignore[no-untyped-def]
    snapshot, out = cluster
    unhealthy = [w for w in snapshot.controller.workers if w.HasField("healthy") and not w.healthy]
    assert unhealthy
    view = watched(out, width=WIDTH)
    page = view.page
    open_list(view)
    chip = page.locator('[data-filter-state="unhealthy"]')
    assert chip.locator(".count").text_content() == f"{len(unhealthy):,}"
    chip.click()
    assert chip.get_attribute("aria-pressed") == "true"
    assert shown(page) == len(unhealthy)
    assert set(drawn(page, "healthy")) == {"No"}
    assert page.evaluate("location.hash") == "#state=unhealthy"
    page.click('[data-filter-state="healthy"]')  # either
    assert shown(page) == sum(1 for w in snapshot.controller.workers if w.healthy) + len(unhealthy)
    assert view.errors == []


def test_a_worker_links_to_its_page_or_says_it_was_not_captured(cluster, watched) -> None:  # type: ignore[no-untyped-def]
    snapshot, out = cluster
    captured = snapshot.workers[0].worker_id
    view = watched(out, width=WIDTH)
    page = view.page
    open_list(view)
    page.fill("[data-search-input]", captured)
    page.click(f'#all-workers td a:text-is("{captured}")')
    page.wait_for_selector(".worker-section:target")
    assert page.locator(".worker-section:target h2").first.text_content() is not None
    assert captured in page.url
    page.go_back()
    page.wait_for_selector('body[data-workers-ready="true"]')
    other = next(w.worker_id for w in snapshot.controller.workers[::-1] if w.worker_id != captured)
    if other not in {w.worker_id for w in snapshot.workers}:
        page.fill("[data-search-input]", other)
        assert page.locator("#all-workers tbody .tag").first.text_content() == "not captured"
    assert view.errors == []


def test_without_script_every_worker_is_on_a_page(cluster, watched) -> None:  # type: ignore[no-untyped-def]
    snapshot, out = cluster
    view = watched(out, javascript=False, width=WIDTH)
    page = view.page
    per_page = sitemap.WORKERS_PER_LIST_PAGE
    pages = -(-WORKERS // per_page)
    seen: list[str] = []
    view.open("workers/index.html")
    for number in range(1, pages + 1):
        rows = page.locator("table.data tbody tr")
        assert rows.count() == min(per_page, WORKERS - (number - 1) * per_page)
        assert rows.first.is_visible()
        seen += page.eval_on_selector_all(
            "table.data tbody tr td:first-child",
            "cells => cells.map(c => c.firstChild.textContent.trim())",
        )
        heading = page.text_content("#workers-range") or ""
        assert heading.endswith(f"of {WORKERS:,} workers")
        if number < pages:  # onwards through the pager
            with page.expect_navigation(wait_until="load"):
                page.click(f'.pagination a:text-is("{number + 1}")')
            assert page.url.endswith(f"workers/list-{number + 1}.html")
    assert sorted(seen) == sorted(w.worker_id for w in snapshot.controller.workers)
    assert page.locator(".filters").first.is_hidden()
    assert view.errors == []


def test_a_later_page_reaches_every_worker(cluster, watched) -> None:  # type: ignore[no-untyped-def]
    _, out = cluster
    view = watched(out, width=WIDTH)
    page = view.page
    view.open("workers/list-3.html")
    assert re.search(r"1,001–1,500 of 2,600 workers", page.text_content("#workers-range") or "")
    page.click('[data-filter-state="unhealthy"]')
    page.wait_for_selector('body[data-workers-ready="true"]')
    assert page.url.endswith("workers/index.html#state=unhealthy")
    view.open("workers/list-3.html")
    first = page.eval_on_selector("#all-workers tbody td", "c => c.firstChild.textContent.trim()")
    page.fill("[data-search-input]", first)
    assert "1 of 500 on this page" in (page.text_content(".filter-status") or "")
    assert page.text_content("a.every-job") == "Search every worker"
    page.click("a.every-job")
    page.wait_for_selector('body[data-workers-ready="true"]')
    assert page.input_value("[data-search-input]") == first
    assert drawn(page, "id") == [first]
    assert view.errors == []

"""Large clusters: bounded pages, rows for every job, parallel renders equal serial ones."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from renderer import progress
from renderer.reference import demo
from renderer.report import bundle, sitemap
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 6,000-job cluster (above the detail-page limit), its snapshot and its bundle."""
    folder = tmp_path_factory.mktemp("large")
    snapshot = demo.write_demo(
        demo.DemoConfig(seed=5, jobs=6000, workers=600, log_sample=0.01), folder
    )
    out = folder / "report"
    bundle.render_bundle(open_sources([loading.load(snapshot)]), out, RenderOptions(processes=2))
    return snapshot, out


def test_every_job_has_a_row_and_the_most_relevant_a_detail(large: tuple[Path, Path]) -> None:
    snapshot, out = large
    message = loading.load(snapshot).message
    job_ids = {job.status.job_id for job in message.controller.jobs}
    lists = "".join(p.read_text() for p in (out / "jobs").glob("*.html") if "detail" not in p.name)
    details = "".join(p.read_text() for p in (out / "jobs").glob("detail-*.html"))
    assert set(re.findall(r'<tr id="r-([^"]+)"', lists)) == job_ids
    detailed = set(re.findall(r'data-job-id="([^"]+)"', details))
    assert len(detailed) == sitemap.DETAIL_PAGES_LIMIT
    with_logs = {job_id for worker in message.workers for job_id in worker.job_logs}
    assert with_logs <= detailed
    failed = {j.status.job_id for j in message.controller.jobs if j.status.state == 5}
    assert failed <= detailed, "problems come first"
    # A job without a detail section: its id is unlinked in its row (a link to itself
    # would do nothing), and its worker's page links to that row.
    last = (
        out / "jobs" / f"page-{-(-len(job_ids) // sitemap.JOBS_PER_LIST_PAGE)}.html"
    ).read_text()
    assert 'class="mono no-page"' in last
    assert not re.search(r'href="page-\d+\.html#r-', last)
    workers = "".join(p.read_text() for p in (out / "workers").glob("page-*.html"))
    assert re.search(r'href="\.\./jobs/page-\d+\.html#r-', workers)


@pytest.mark.browser
def test_a_link_to_a_job_without_a_page_says_so(large: tuple[Path, Path], watched) -> None:  # type: ignore[no-untyped-def]
    _, out = large
    workers = sorted((out / "workers").glob("page-*.html"))
    link = next(
        match.group(1)
        for page in workers
        for match in [re.search(r'href="(\.\./jobs/page-\d+\.html#r-[^"]+)"', page.read_text())]
        if match
    )
    view = watched(out)
    view.open("workers/" + link)
    note = view.page.locator("tr.target-note")
    assert note.count() == 1
    assert "has no detail page in this report" in (note.text_content() or "")
    job_id = link.split("#r-")[1]
    assert job_id in (note.text_content() or "")
    # The note sits right above the job's row, in view.
    assert view.page.evaluate(
        "() => document.querySelector('tr.target-note').nextElementSibling === "
        "document.querySelector('tr:target')"
    )
    view.page.wait_for_load_state("load")
    view.page.wait_for_timeout(100)
    top = view.page.evaluate("document.querySelector('tr.target-note').getBoundingClientRect().top")
    assert 0 <= top < view.page.viewport_size["height"] / 2
    assert view.errors == []


def test_pages_stay_small(large: tuple[Path, Path]) -> None:
    _, out = large
    assert (out / "index.html").stat().st_size < 1_000_000
    for page in out.rglob("*.html"):
        if page.name != "index.html" or page.parent.name != "jobs":
            assert page.stat().st_size < 3_000_000, page


def test_a_parallel_render_writes_the_same_bytes(large: tuple[Path, Path], tmp_path: Path) -> None:
    snapshot, serial = large  # rendered by two processes
    single = tmp_path / "single"
    bundle.render_bundle(open_sources([loading.load(snapshot)]), single, RenderOptions(processes=1))
    files = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(single) for p in single.rglob("*") if p.is_file())
    for relative in files:
        assert (serial / relative).read_bytes() == (single / relative).read_bytes(), relative


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_when_slow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet = progress.ProgressBar("rendering", io.StringIO())
    quiet(5, 10)
    quiet.close()
    assert quiet.stream.getvalue() == ""  # type: ignore[attr-defined]
    fast = progress.ProgressBar("rendering", _Terminal())
    fast(5, 10)
    assert fast.stream.getvalue() == ""  # type: ignore[attr-defined]
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    slow = progress.ProgressBar("rendering", _Terminal())
    slow(10, 10)
    slow.close()
    text = slow.stream.getvalue()  # type: ignore[attr-defined]
    assert "10/10 pages" in text
    assert text.endswith("\n")


@pytest.mark.browser
def test_a_link_to_a_row_on_the_first_list_page_scrolls_the_list_to_it(
    large: tuple[Path, Path], watched
) -> None:  # type: ignore[no-untyped-def]
    _, out = large
    first_page = (out / "jobs" / "index.html").read_text()
    anchors = re.findall(r'<tr id="(r-[^"]+)"', first_page)
    target = anchors[-1]
    view = watched(out)
    view.open(f"jobs/index.html#{target}")
    view.page.wait_for_selector('body[data-jobs-ready="true"]')
    row = view.page.locator(f"#{target}")
    assert row.is_visible()
    assert view.errors == []

"""A column declared once shows up everywhere its table does, and sorts by its key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from renderer.report import tables
from renderer.report.bundle import render_bundle
from renderer.report.columns import NUMBER, Column
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources

# The extra column a contributor would add: how often each job failed.
FAILURES = Column("failures", "Failures", NUMBER, lambda job, cells: job.failure_count)


@pytest.fixture(scope="module")
def with_failures(tmp_path_factory: pytest.TempPathFactory, demo_path: Path) -> Path:
    """The demo rendered with one more column declared in the job table's spec."""
    out = tmp_path_factory.mktemp("columns") / "report"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "JOB_COLUMNS", (*tables.JOB_COLUMNS, FAILURES))
        render_bundle(open_sources([loading.load(demo_path)]), out, RenderOptions())
    return out


def heading_names(page: str, table_id: str) -> list[str]:
    table = page[page.index(f'id="{table_id}"') :]
    head = table[: table.index("</thead>")]
    return re.findall(r'data-column="([^"]+)"', head)


def test_the_column_is_in_every_job_table(with_failures: Path, demo_cluster) -> None:  # type: ignore[no-untyped-def]
    listing = (with_failures / "jobs" / "index.html").read_text()
    overview = (with_failures / "index.html").read_text()
    assert heading_names(listing, "jobs-table")[-1] == "failures"
    for table_id in ("overview-jobs", "problems-table"):
        assert "failures" in heading_names(overview, table_id), table_id
    # Its cells carry the sort key: every job's failure count, in the list's order.
    counts = {j.job_id: j.failure_count for j in demo_cluster.controller.jobs.values()}
    rows = re.findall(r'<tr id="r-([^"]+)".*?</tr>', listing)
    cells = re.findall(
        r'<tr id="r-[^"]+".*?<td class="num" data-sort="(\d*)">[^<]*</td></tr>', listing
    )
    assert len(rows) == len(cells) == len(counts)
    assert [int(c) for c in cells] == [counts[r] for r in rows]

    data = json.loads(re.search(r'id="jobs-data">(.*?)</script>', listing, re.S).group(1))  # type: ignore[union-attr]
    names = [column["name"] for column in data["columns"]]
    assert names[-1] == "failures"
    at = names.index("failures")
    assert sorted(row[at] for row in data["rows"]) == sorted(counts.values())


@pytest.mark.browser
def test_the_in_page_list_sorts_by_the_new_column(with_failures: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(with_failures)
    page = view.page
    view.open("jobs/index.html")
    page.wait_for_selector('body[data-jobs-ready="true"]')
    button = page.locator('#jobs-table thead th[data-column="failures"] button')
    button.click()
    button.click()  # descending: the jobs that failed most first
    assert "sort=failures&dir=desc" in page.evaluate("location.hash")
    shown = page.eval_on_selector_all(
        "#jobs-table tbody tr:not(.vlist-spacer)",
        "rows => rows.map(r => r.cells[r.cells.length - 1].textContent)",
    )
    values = [int(text) if text != "-" else -1 for text in shown]
    assert values == sorted(values, reverse=True)
    assert values[0] > 0
    assert view.errors == []

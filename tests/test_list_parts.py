"""A large job list's data in parts: the first rows in the page, usable at once, the
rest loaded from script files beside it; without script, the paginated rows."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from renderer.reference import demo
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.report.pages import job_list
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.schema import pb

SCRIPTS = Path(__file__).parent.parent / "static" / "js"
IN_PAGE, PER_PART = 300, 400  # 1,200 jobs: 300 in the page and three parts


@pytest.fixture(scope="module")
def parted(tmp_path_factory: pytest.TempPathFactory) -> tuple[pb.ClusterSnapshot, Path]:
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=6, jobs=1200, workers=60))
    folder = tmp_path_factory.mktemp("parted")
    path = folder / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    saved = job_list.ROWS_IN_PAGE, job_list.ROWS_PER_PART
    job_list.ROWS_IN_PAGE, job_list.ROWS_PER_PART = IN_PAGE, PER_PART
    try:
        render_bundle(open_sources([loading.load(path)]), folder / "report", RenderOptions())
    finally:
        job_list.ROWS_IN_PAGE, job_list.ROWS_PER_PART = saved
    return snapshot, folder / "report"


def _page_data(report: Path) -> dict[str, object]:
    page = (report / "jobs" / "index.html").read_text()
    found = re.search(r'<script type="application/json" id="jobs-data">(.*?)</script>', page)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_the_rows_past_the_page_are_in_parts_that_hold_every_job_once(
    parted: tuple[pb.ClusterSnapshot, Path],
) -> None:
    snapshot, report = parted
    data = _page_data(report)
    assert data["parts"] == ["data-001.js", "data-002.js", "data-003.js"]
    assert data["total"] == len(snapshot.controller.jobs)
    rows = list(data["rows"])  # type: ignore[call-overload]
    assert len(rows) == IN_PAGE
    for name in data["parts"]:  # type: ignore[attr-defined]
        text = (report / "jobs" / name).read_text()
        assert text.startswith("flusterJobRows([")
        assert text.endswith("]);\n")
        rows += json.loads(text[len("flusterJobRows(") : -len(");\n")])
    at = [c["kind"] for c in data["columns"]].index("job")  # type: ignore[attr-defined]
    ids = [row[at][0] for row in rows]
    assert sorted(ids) == sorted(job.status.job_id for job in snapshot.controller.jobs)


@pytest.mark.browser
def test_the_list_is_usable_at_once_and_takes_every_part(
    parted: tuple[pb.ClusterSnapshot, Path],
    watched,  # type: ignore[no-untyped-def]
) -> None:
    snapshot, report = parted
    total = len(snapshot.controller.jobs)
    last = sorted(job.status.job_id for job in snapshot.controller.jobs)[-1]
    view = watched(report)
    page = view.page
    view.open("jobs/index.html")
    page.wait_for_selector('body[data-jobs-complete="true"]', state="attached")
    assert page.get_attribute("body", "data-jobs-shown") == str(total)
    expect(page.locator("#jobs-range")).to_have_text(f"{total:,} jobs")
    # A job from the last part is found by its id, and a link to its row shows it.
    page.fill("[data-search-input]", last)
    expect(page.locator("body")).to_have_attribute("data-jobs-shown", "1")
    title = page.locator("#jobs-table tbody td.id [title]").first.get_attribute("title")
    assert (title or "").startswith(last)
    view.open(f"jobs/index.html#r-{last}")
    page.wait_for_selector('body[data-jobs-complete="true"]', state="attached")
    expect(page.locator(f'[id="r-{last}"]')).to_be_visible()
    assert view.errors == []


@pytest.mark.browser
def test_a_view_asked_for_before_the_parts_arrive_holds_their_rows(
    parted: tuple[pb.ClusterSnapshot, Path],
    watched,  # type: ignore[no-untyped-def]
) -> None:
    """A link searching for a job of the last part, sorted: the list, filtered again as
    parts arrive, ends with that job alone once every part is in."""
    snapshot, report = parted
    last = sorted(job.status.job_id for job in snapshot.controller.jobs)[-1]
    view = watched(report)
    page = view.page
    view.open(f"jobs/index.html#q={last}&sort=name")
    page.wait_for_selector('body[data-jobs-complete="true"]', state="attached")
    assert page.get_attribute("body", "data-jobs-shown") == "1"
    expect(page.locator("#jobs-table tbody td.id [title]").first).to_have_attribute(
        "title", re.compile("^" + re.escape(last))
    )
    assert view.errors == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("gone", "missing"),
    [
        ("data-003.js", 1200 - IN_PAGE - 2 * PER_PART),  # the last
        # One in the middle: the part after it, asked for while the page read the one
        # before, loads, but the list takes no rows past a gap.
        ("data-002.js", 1200 - IN_PAGE - PER_PART),
    ],
)
def test_a_part_that_does_not_load_is_said_and_the_pages_stay(
    parted: tuple[pb.ClusterSnapshot, Path],
    tmp_path: Path,
    watched,  # type: ignore[no-untyped-def]
    gone: str,
    missing: int,
) -> None:
    """A copy with a part gone (a partial upload): the list says how many are missing
    and shows the pages that list them."""
    import shutil

    _, report = parted
    copy = tmp_path / "report"
    shutil.copytree(report, copy)
    (copy / "jobs" / gone).unlink()
    view = watched(copy)
    page = view.page
    view.open("jobs/index.html")
    page.wait_for_selector('body[data-jobs-complete="failed"]', state="attached")
    expect(page.locator("#jobs-range")).to_contain_text(f"{missing:,} more could not be loaded")
    assert page.get_attribute("body", "data-jobs-shown") == str(1200 - missing)
    assert page.locator(".pagination").first.is_visible()


@pytest.mark.browser
def test_without_script_page_one_shows_its_rows(
    parted: tuple[pb.ClusterSnapshot, Path],
    watched,  # type: ignore[no-untyped-def]
) -> None:
    _, report = parted
    view = watched(report, javascript=False)
    view.open("jobs/index.html")
    rows = view.page.locator("#jobs-table-rows tbody tr")
    assert rows.count() == 500
    assert rows.first.is_visible()


def test_the_parts_are_the_same_bytes_from_one_process_and_several(
    parted: tuple[pb.ClusterSnapshot, Path], tmp_path: Path
) -> None:
    _, report = parted
    path = report.parent / "cluster.pb"
    saved = job_list.ROWS_IN_PAGE, job_list.ROWS_PER_PART
    job_list.ROWS_IN_PAGE, job_list.ROWS_PER_PART = IN_PAGE, PER_PART
    try:
        for processes in (1, 2):
            out = tmp_path / str(processes)
            render_bundle(
                open_sources([loading.load(path)]), out, RenderOptions(processes=processes)
            )
    finally:
        job_list.ROWS_IN_PAGE, job_list.ROWS_PER_PART = saved

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    one, two = files(tmp_path / "1"), files(tmp_path / "2")
    assert "jobs/data-003.js" in one
    assert one == two == files(report)


def _drawn(page, column: str, titles: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts of a column of the jobs list in the rows it has drawn, top to bottom:
    an id whole (from its title), a name without its retry note, or each cell's title."""
    return page.evaluate(  # type: ignore[no-any-return]
        """([column, titles]) => {
          const t = document.getElementById('jobs-table');
          const i = [...t.tHead.rows[0].cells].findIndex(c => c.dataset.column === column);
          return [...t.tBodies[0].rows]
            .filter(r => !r.classList.contains('vlist-spacer'))
            .map(r => {
              const first = r.cells[i].firstChild;
              if (titles) return r.cells[i].title;
              if (column === 'id') return first.title.split(' · ')[0];
              return first ? first.textContent : '';
            });
        }""",
        [column, titles],
    )


@pytest.mark.browser
def test_every_loaded_job_sorts_by_text_and_by_number_both_ways(
    parted: tuple[pb.ClusterSnapshot, Path],
    watched,  # type: ignore[no-untyped-def]
) -> None:
    """Sorts reach the jobs of every part, in the order of the cells' texts and numbers,
    a filtered list too (text columns come ranked with the data, numbers rank in the page)."""
    snapshot, report = parted
    jobs = snapshot.controller.jobs
    names = sorted(job.request.name.lower() for job in jobs)
    ids = sorted(job.status.job_id for job in jobs)
    view = watched(report)
    page = view.page
    view.open("jobs/index.html")
    page.wait_for_selector('body[data-jobs-complete="true"]', state="attached")

    def sort_by(column: str) -> None:
        page.click(f'#jobs-table th[data-column="{column}"] button')

    sort_by("name")
    assert [n.lower() for n in _drawn(page, "name")][:20] == names[:20]
    sort_by("name")
    assert [n.lower() for n in _drawn(page, "name")][:20] == names[::-1][:20]
    sort_by("id")
    assert _drawn(page, "id")[:20] == ids[:20]
    sort_by("id")
    assert _drawn(page, "id")[:20] == ids[::-1][:20]

    # Numbers rank in the page: submitted times (a cell's title is its whole time).
    def utc(ms: int) -> str:
        return datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC).strftime(
            "%Y-%m-%d %H:%M:%S UTC"
        )

    times = sorted(job.submitted_at_ms for job in jobs)
    sort_by("submitted")
    assert _drawn(page, "submitted", titles=True)[:20] == [utc(ms) for ms in times[:20]]
    sort_by("submitted")
    assert _drawn(page, "submitted", titles=True)[:20] == [utc(ms) for ms in times[::-1][:20]]

    # Filtered, the sort holds.
    sort_by("name")
    page.fill("[data-search-input]", "sweep")
    expect(page.locator("body")).not_to_have_attribute("data-jobs-shown", str(len(jobs)))
    matching = sorted(
        job.request.name.lower() for job in jobs if "sweep" in job.request.name.lower()
    )
    assert [n.lower() for n in _drawn(page, "name")][:20] == matching[:20]
    assert view.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("spread", [1 << 10, 1 << 40, 1 << 51])
def test_numbers_sort_in_the_page_as_python_sorts_them(
    parted: tuple[pb.ClusterSnapshot, Path],
    watched,  # type: ignore[no-untyped-def]
    spread: int,
) -> None:
    """The lists' own number sorts (static/js/vlist.js): none lowest, ties by row in
    both directions, over ranges of one to four radix passes, fractions ranked."""
    import random

    rng = random.Random(spread)
    keys: list[float] = [rng.randrange(-spread, spread) for _ in range(3000)]
    keys += [keys[n] for n in range(0, 3000, 7)]  # ties
    keys += [float("-inf")] * 40  # none
    rng.shuffle(keys)
    fractions = [key / 3 if key != float("-inf") else key for key in keys]
    _, report = parted
    view = watched(report)
    view.page.goto("about:blank")  # the bundle's script keeps its functions to itself
    view.page.add_script_tag(path=str(SCRIPTS / "vlist.js"))
    order = view.page.evaluate(
        """([keys, fractions]) => {
          const none = k => (k === null ? -Infinity : k);  // JSON has no -Infinity
          keys = keys.map(none);
          fractions = fractions.map(none);
          const ranked = dir => Array.from(rankOrder(numberRanks(fractions), dir));
          return {
            asc: Array.from(numberOrder(keys, 'asc')),
            desc: Array.from(numberOrder(keys, 'desc')),
            fractions: numberOrder(fractions, 'asc'),
            fractionsAsc: ranked('asc'),
            fractionsDesc: ranked('desc'),
          };
        }""",
        [[None if k == float("-inf") else k for k in ks] for ks in (keys, fractions)],
    )
    rows = range(len(keys))
    assert order["asc"] == sorted(rows, key=lambda r: (keys[r], r))
    assert order["desc"] == sorted(rows, key=lambda r: (-keys[r], r))
    assert order["fractions"] is None  # not whole numbers: ranked instead
    assert order["fractionsAsc"] == sorted(rows, key=lambda r: (fractions[r], r))
    assert order["fractionsDesc"] == sorted(rows, key=lambda r: (-fractions[r], r))
    assert view.errors == []

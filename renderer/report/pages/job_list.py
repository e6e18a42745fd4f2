"""The list of every job: paginated pages that work without script, and the data for the
in-page list that shows every job at once, both from the job table's columns."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Sequence
from typing import Any

from renderer.report import columns, sitemap, tables
from renderer.report.columns import Cells, Column
from renderer.report.context import Output, Page, Report, TextFile
from renderer.report.markup import esc
from renderer.report.pager import page_links
from renderer.report.views import JobListPage, StateFilter
from renderer.report.wording import shown_id
from renderer.snapshot import model, states

# A folder report's list of many jobs takes its data in parts: the first rows in the
# page, usable at once, and the rest in script files beside it that the page loads one
# after another. 14 MB of data for 100,000 jobs took Chromium about a second to read
# before anything showed; a million jobs would take ten.
ROWS_IN_PAGE = 20_000
ROWS_PER_PART = 50_000


def state_filters(counts: Sequence[tuple[int, int]]) -> tuple[StateFilter, ...]:
    """A filter chip for each state some job is in, with its count."""
    return tuple(StateFilter(states.state(n), c) for n, c in counts if c)


def job_attributes(job: model.JobSummary, spec: Sequence[tables.JobColumn], cells: Cells) -> str:
    """A job row's own attributes outside the job list: its state and its search text."""
    search = columns.search_text(spec, job, cells)
    return f' data-state="{esc(states.state(job.state).name)}" data-search="{esc(search)}"'


def build(report: Report, number: int) -> list[Output]:
    """Page `number` (from 1) of the list of every job; page 1 also carries them all as data."""
    jobs = report.catalog.jobs
    site = report.site
    per_page = sitemap.JOBS_PER_LIST_PAGE
    count = site.list_pages
    path = sitemap.list_page(number)
    chunk = jobs[(number - 1) * per_page : number * per_page]
    # Why a job failed comes right after its state: in a list wider than the screen,
    # the last columns are past its edge.
    spec = tables.errors_first(tables.job_columns())
    cells = report.cells(path, in_list=True)

    def attributes(job: model.JobSummary) -> str:
        return (
            f' id="{esc(site.row_anchor(job.job_id))}"'
            f' data-state="{esc(states.state(job.state).name)}"'
        )

    single = report.options.single_file
    data = jobs_data(report, spec) if number == 1 else None
    parts = data_parts(data) if data is not None and not single else []
    view = JobListPage(
        chrome=report.chrome(
            path, "jobs", "Jobs" if count == 1 else f"Jobs, page {number} of {count}"
        ),
        # Page 1's rows are for readers without script: in <noscript>, which a browser
        # running the script neither parses nor lays out (500 rows took Chromium a
        # second), and the script draws into an empty frame (as the workers list).
        table=columns.table(
            spec,
            chunk,
            cells,
            "jobs-table-rows" if data else "jobs-table",
            attributes,
            caption="Jobs",
        ),
        list_frame=columns.table(spec, [], cells, "jobs-table", attributes, caption="Jobs")
        if data
        else None,
        shown=len(chunk),
        number=number,
        pages=page_links(site, path, number, count, sitemap.list_page),
        total=len(jobs),
        first=(number - 1) * per_page + 1,
        filters=state_filters(report.catalog.state_counts),
        data=data,
        every_job_href=site.href(path, sitemap.JOBS_INDEX) if number > 1 and not single else None,
    )
    return [Page(path, view), *parts]


def data_parts(data: dict[str, Any]) -> list[TextFile]:
    """Cut the rows past ROWS_IN_PAGE out of the page's data into script files, each
    calling flusterJobRows (static/js/job_list.js) with its rows; the data lists them.

    A JSON text is a JavaScript expression, so a part runs no text of the snapshot."""
    rows = data["rows"]
    if len(rows) <= ROWS_IN_PAGE:
        return []
    rest = rows[ROWS_IN_PAGE:]
    data["rows"] = rows[:ROWS_IN_PAGE]
    data["total"] = len(rows)
    parts: list[TextFile] = []
    for start in range(0, len(rest), ROWS_PER_PART):
        name = f"data-{len(parts) + 1:03d}.js"
        text = json.dumps(
            rest[start : start + ROWS_PER_PART], ensure_ascii=False, separators=(",", ":")
        )
        parts.append(
            TextFile(
                posixpath.join(posixpath.dirname(sitemap.JOBS_INDEX), name),
                f"flusterJobRows({text});\n",
            )
        )
    data["parts"] = [posixpath.basename(part.path) for part in parts]
    return parts


def jobs_data(report: Report, spec: Sequence[tables.JobColumn]) -> dict[str, object]:
    """Every job as compact rows for the jobs page's script (filter, sort, search).

    The data names its columns (those of the job table); the script reads them by
    name. Values many jobs share (states, workers, resource texts) are listed once
    per column and referred to by index; a job's id comes with the number of its
    detail page (0: none) and its anchor slug (0: the id itself), and the script
    rebuilds links from those, which keeps 100,000 jobs to about 10 MB.
    """
    site, links = report.site, report.links
    path = sitemap.JOBS_INDEX
    cells = report.cells(path, in_list=True)

    def shared(column: Column[Any], value: Any) -> Any:
        if column.kind is columns.STATE:
            state = states.state(value)
            return [state.name, state.label, state.css_class, states.display_rank(value)]
        if column.kind is columns.GROUP:
            return None if value is None else [value.key, value.signature]
        if column.kind is columns.WORKER:
            if value is None:
                return None
            link = links.worker(path, value)
            return [link.text, link.href or ""] if link is not None else None
        return value

    made = columns.data(spec, report.catalog.jobs, cells, shared)
    at = next(i for i, c in enumerate(spec) if c.kind is columns.JOB)
    for row in made["rows"]:
        job_id = row[at]
        slug = site.job_slugs[job_id]
        row[at] = [shown_id(job_id), site.detail_number(job_id), 0 if slug == job_id else slug]
    columns.add_sort_ranks(spec, made)
    return {
        "captured": report.captured_at_ms,
        "single": report.options.single_file,
        **made,
    }

"""What the header's search box finds: failure groups, workers and jobs, across the report.

A job is found by its id, name and state, and by its failure group's text, so that
"CUDA" finds the group of "CUDA out of memory" and its jobs. The index is one script
file (static/search.js) that a page loads the first time its search box is used, so no
page pays for it on opening; a single-file report carries it as a data block. Links in
it are relative to the report's root; the script makes them relative to the page. Jobs
are in the job list's order (problems first) and at most JOBS_INDEXED of them are
listed: past that, the box offers the job list's own search, which holds every job.
"""

from __future__ import annotations

import json
from typing import Any

from renderer.report import sitemap
from renderer.report.context import Output, Page, Report, TextFile
from renderer.report.pages.failures import anchor
from renderer.report.views import SearchDataPage
from renderer.report.wording import CELL_SHOWN, cut, shown_id
from renderer.snapshot import states
from renderer.snapshot.failures import telling_line

JOBS_INDEXED = 20_000
WORKERS_INDEXED = 20_000
GROUPS_INDEXED = 1000


def index(report: Report) -> dict[str, Any]:
    """The search index: compact rows, links relative to the report's root."""
    catalog, site = report.catalog, report.site

    def href(target: str | None) -> str:
        return "" if target is None else site.href(sitemap.OVERVIEW, target)

    groups = [
        [
            group.signature,
            cut(telling_line(group.example.error or ""), CELL_SHOWN),
            group.count,
            href(f"{sitemap.FAILURES}#{anchor(group)}"),
            group.key,
        ]
        for group in catalog.failure_groups[:GROUPS_INDEXED]
    ]
    health = {True: "healthy", False: "unhealthy", None: "health not sent"}
    workers: list[list[Any]] = []
    known = catalog.workers_by_id
    for worker_id in dict.fromkeys([*known, *catalog.captured]):
        if len(workers) >= WORKERS_INDEXED:
            break
        info = known.get(worker_id)
        workers.append(
            [
                shown_id(worker_id),
                cut(info.address, CELL_SHOWN) if info is not None else "",
                health[info.healthy] if info is not None else "captured",
                href(site.worker_path(worker_id)),
            ]
        )
    group_at = {group.key: i for i, group in enumerate(catalog.failure_groups[:GROUPS_INDEXED])}
    group_of = catalog.group_of_job
    state_index: dict[int, int] = {}
    state_list: list[list[str]] = []
    jobs = []
    for job in catalog.jobs[:JOBS_INDEXED]:
        at = state_index.get(job.state)
        if at is None:
            at = state_index[job.state] = len(state_list)
            shown = states.state(job.state)
            state_list.append([shown.label, shown.css_class])
        group = group_of.get(job.job_id)
        jobs.append(
            [
                shown_id(job.job_id),
                cut(job.name, CELL_SHOWN),
                at,
                href(site.job_path(job.job_id)),
                -1 if group is None else group_at.get(group.key, -1),
            ]
        )
    return {
        "groups": groups,
        "groups_total": len(catalog.failure_groups),
        "workers": workers,
        "workers_total": len(workers) if len(known) <= len(workers) else len(known),
        "jobs": jobs,
        "jobs_total": len(catalog.jobs),
        "states": state_list,
        "jobs_href": href(sitemap.JOBS_INDEX),
        "workers_href": href(sitemap.WORKERS_INDEX) if catalog.controller is not None else "",
        "failures_href": href(sitemap.FAILURES),
    }


def build(report: Report) -> list[Output]:
    data = index(report)
    if report.options.single_file:
        chrome = report.chrome(sitemap.SEARCH_SCRIPT, "search", "Search")
        return [Page("search-data.html", SearchDataPage(chrome=chrome, data=data))]
    # ensure_ascii: the file is read as a script whatever encoding a host declares.
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return [TextFile(sitemap.SEARCH_SCRIPT, f"window.flusterSearchIndex = {text};\n")]

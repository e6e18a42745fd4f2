"""What pages a report holds: the flat list of (builder, arguments) that makes them."""

from __future__ import annotations

from renderer.report import sitemap
from renderer.report.context import Report, Task
from renderer.report.pages import (
    actions,
    endpoints,
    failures,
    job_detail,
    job_list,
    overview,
    search,
    timeline,
    workers,
)


def tasks(report: Report) -> list[Task]:
    """Every page and text file of the report but those of `last_tasks`.

    Each task builds its pages from the report alone, so tasks can run in any order
    and in several processes at once.
    """
    site = report.site
    work: list[Task] = [(failures.build, (report,)), (search.build, (report,))]
    if report.catalog.controller is not None:
        work += [(workers.build_index, (report, n)) for n in range(1, site.worker_list_pages + 1)]
        work += [
            (endpoints.build, (report,)),
            (timeline.build, (report,)),
        ]
        work += [(actions.build, (report, n)) for n in range(1, actions.page_count(report) + 1)]
    elif not report.catalog.lone_worker:
        work.append((workers.build_snapshots_page, (report,)))
    if site.home_worker is not None:
        work.append((workers.build_page, (report, sitemap.OVERVIEW, [site.home_worker])))
    work += [(job_list.build, (report, n)) for n in range(1, site.list_pages + 1)]
    work += [(job_detail.build, (report, i)) for i in range(len(site.detail_pages))]
    work += [
        (workers.build_page, (report, sitemap.worker_page(i), page))
        for i, page in enumerate(site.worker_pages)
    ]
    return work


def last_tasks(report: Report) -> list[Task]:
    """The pages built once every other one is: the overview says how many values the
    whole report redacted."""
    return [(overview.build, (report,))] if report.catalog.controller is not None else []

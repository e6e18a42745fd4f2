"""Build every page of a bundle from the data sources: pure functions, no I/O.

`tasks` lists the bundle's pages as independent pieces of work; this module builds the
overview, the job list, the actions, endpoints and timeline pages, and hands job and
worker pages to renderer.report.pages. Each page is a view model from
renderer.report.views with links already relative to where it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from renderer.report import sitemap, timeline
from renderer.report.pages.job_detail import job_detail_page
from renderer.report.pages.workers import worker_page_output, worker_snapshots_page, workers_page
from renderer.report.plan import (
    Output,
    PageOut,
    Plan,
    Task,
    attention_order,
    queue_order,
    unhealthy_first,
)
from renderer.report.views import (
    ActionsPage,
    EndpointsPage,
    JobListPage,
    OverviewPage,
    PageLink,
    StatCard,
    Table,
    TimelinePage,
)
from renderer.report.wording import CELL_SHOWN, ERROR_IN_TABLE, cut, shown_id
from renderer.snapshot import model, states

OVERVIEW_PROBLEMS = 50
OVERVIEW_ACTIONS = 50
OVERVIEW_JOBS = 200
OVERVIEW_WORKERS = 100
OVERVIEW_UNHEALTHY = 50
OVERVIEW_ENDPOINTS = 100
# Every string comes from the snapshot and may be huge; pages show this much of it.


def overview_page(plan: Plan) -> OverviewPage:
    path = sitemap.OVERVIEW
    jobs = plan.catalog.summaries
    counts = model.count_states([job.state for job in jobs])
    jobs_href = plan.site.href(path, sitemap.JOBS_INDEX)
    cards = []
    for state_number, count in counts:
        state = states.state(state_number)
        if not state.known or state_number or count:  # 'unspecified' only when present
            cards.append(
                StatCard(
                    label=state.label,
                    value=f"{count:,}",
                    state=state,
                    href=f"{jobs_href}#state={state.name}",
                    alert=count > 0 and state_number in states.PROBLEM_STATES,
                )
            )
    workers = plan.controller_workers
    healthy = sum(1 for worker in workers if worker.healthy)
    if plan.controller is not None:
        cards.append(
            StatCard(
                "Workers healthy",
                f"{healthy:,} / {len(workers):,}",
                None,
                plan.site.href(path, sitemap.WORKERS_INDEX),
                alert=healthy < len(workers),
            )
        )
        running_endpoints = sum(
            1
            for e in plan.endpoints
            if (job := plan.catalog.by_id.get(e.job_id or "")) and job.state == states.RUNNING
        )
        cards.append(
            StatCard(
                "Endpoints",
                f"{len(plan.endpoints):,}",
                None,
                plan.site.href(path, sitemap.ENDPOINTS),
                alert=False,
                detail=f"{running_endpoints:,} of running jobs",
            )
        )
    problems = sorted(
        (job for job in jobs if job.state in states.PROBLEM_STATES), key=attention_order
    )
    queue_first = sorted(jobs, key=queue_order)
    unhealthy = [w for w in workers if w.healthy is False]
    problem_states = ",".join(states.state(n).name for n in sorted(states.PROBLEM_STATES))
    return OverviewPage(
        chrome=plan.chrome(path, "overview", "Overview"),
        cards=tuple(cards),
        problems=Table(
            tuple(plan.job_row(path, job) for job in problems[:OVERVIEW_PROBLEMS]),
            len(problems),
            f"{jobs_href}#state={problem_states}",
        ),
        unhealthy_workers=_workers_table(plan, path, unhealthy, OVERVIEW_UNHEALTHY),
        actions=Table(
            tuple(plan.action_row(path, a) for a in plan.actions[:OVERVIEW_ACTIONS]),
            len(plan.actions),
            plan.site.href(path, sitemap.ACTIONS),
        ),
        jobs=Table(
            tuple(plan.job_row(path, job) for job in queue_first[:OVERVIEW_JOBS]),
            len(jobs),
            jobs_href,
        ),
        workers=_workers_table(plan, path, workers, OVERVIEW_WORKERS),
        endpoints=Table(
            tuple(plan.endpoint_row(path, e) for e in plan.endpoints[:OVERVIEW_ENDPOINTS]),
            len(plan.endpoints),
            plan.site.href(path, sitemap.ENDPOINTS),
        ),
        filters=plan.filters([job.state for job in jobs]),
        jobs_href=jobs_href,
    )


def _workers_table(plan: Plan, path: str, workers: list[model.WorkerInfo], limit: int) -> Table:
    """The first `limit` of these workers, unhealthy first, and a link to every worker."""
    shown = sorted(workers, key=unhealthy_first)[:limit]
    return Table(
        tuple(plan.worker_row(path, w) for w in shown),
        len(workers),
        plan.site.href(path, sitemap.WORKERS_INDEX),
    )


def page_links(
    plan: Plan, path: str, current: int, count: int, page_path: Callable[[int], str]
) -> tuple[PageLink, ...]:
    """Links to nearby pages, the first and the last; gaps are shown as '…' (no link)."""
    if count <= 1:
        return ()
    wanted = sorted({1, count, *range(max(1, current - 3), min(count, current + 3) + 1)})
    links: list[PageLink] = []
    previous = 0
    for number_ in wanted:
        if number_ > previous + 1:
            links.append(PageLink("…", None))
        href = plan.site.href(path, page_path(number_))
        links.append(PageLink(str(number_), href, current=number_ == current))
        previous = number_
    return tuple(links)


def job_list_page(plan: Plan, number_: int) -> PageOut:
    """Page `number_` of the list of every job; page 1 also carries them all as data."""
    jobs = plan.jobs_in_order
    per_page = sitemap.JOBS_PER_LIST_PAGE
    count = plan.site.list_pages
    path = sitemap.list_page(number_)
    chunk = jobs[(number_ - 1) * per_page : number_ * per_page]
    title = "Jobs" if count == 1 else f"Jobs, page {number_} of {count}"
    return PageOut(
        path,
        "jobs.html",
        JobListPage(
            chrome=plan.chrome(path, "jobs", title),
            rows_html=plan.rows.job_list(path, chunk),
            shown=len(chunk),
            number=number_,
            pages=page_links(plan, path, number_, count, sitemap.list_page),
            total=len(jobs),
            first=(number_ - 1) * per_page + 1,
            filters=plan.job_filters,
            data=jobs_data(plan) if number_ == 1 else None,
            every_job_href=plan.site.href(path, sitemap.JOBS_INDEX)
            if number_ > 1 and not plan.options.single_file
            else None,
        ),
    )


def jobs_data(plan: Plan) -> dict[str, object]:
    """Every job as compact rows for the jobs page's script (filter, sort, search).

    Columns, read by position in static/app.js: id, name, state index, worker index,
    submitted, started, finished (ms), exit code, error (cut), detail page number (0:
    none), anchor slug (0: the id itself), resources index, failures, preemptions, log
    lines shown on the job's page (0: no log).
    States, workers and resource texts are listed once and referred to by index, and
    links are rebuilt by the script, which keeps 100,000 jobs to about 10 MB.
    """
    site_map = plan.site
    state_index: dict[int, int] = {}
    worker_index: dict[str, int] = {}
    resource_index: dict[str, int] = {}
    rows = []
    for job in plan.jobs_in_order:
        worker = job.worker_id
        if worker is not None and worker not in worker_index:
            worker_index[worker] = len(worker_index)
        described = plan.rows.resources_text(job.resources)
        if described not in resource_index:
            resource_index[described] = len(resource_index)
        if job.state not in state_index:
            state_index[job.state] = len(state_index)
        slug = site_map.job_slugs[job.job_id]
        rows.append(
            [
                shown_id(job.job_id),
                cut(job.name, CELL_SHOWN),
                state_index[job.state],
                worker_index[worker] if worker is not None else -1,
                job.submitted_at_ms,
                job.started_at_ms,
                job.finished_at_ms,
                job.exit_code,
                cut(job.error, ERROR_IN_TABLE),
                site_map.detail_number(job.job_id),
                0 if slug == job.job_id else slug,
                resource_index[described],
                job.failure_count or 0,
                job.preemption_count or 0,
                plan.log_lines.get(job.job_id, 0),
            ]
        )
    path = sitemap.JOBS_INDEX
    return {
        "captured": plan.captured_at_ms,
        "single": plan.options.single_file,
        "states": [
            [states.state(n).name, states.state(n).label, states.state(n).known]
            for n in state_index
        ],
        "workers": [
            [shown_id(worker), site_map.optional_href(path, site_map.worker_path(worker)) or ""]
            for worker in worker_index
        ],
        "resources": list(resource_index),
        "jobs": rows,
    }


def actions_page(plan: Plan, number_: int) -> PageOut:
    actions = plan.actions
    per_page = sitemap.ACTIONS_PER_PAGE
    count = sitemap.pages_needed(len(actions), per_page)
    path = sitemap.actions_page(number_)
    chunk = actions[(number_ - 1) * per_page : number_ * per_page]
    return PageOut(
        path,
        "actions.html",
        ActionsPage(
            chrome=plan.chrome(
                path, "actions", "Actions" if count == 1 else f"Actions, page {number_}"
            ),
            rows=tuple(plan.action_row(path, a) for a in chunk),
            number=number_,
            pages=page_links(plan, path, number_, count, sitemap.actions_page),
            total=len(actions),
        ),
    )


def timeline_page(plan: Plan) -> PageOut:
    path = sitemap.TIMELINE
    chart = timeline.build(
        plan.catalog.summaries,
        list(reversed(plan.actions)),  # oldest first
        plan.captured_at_ms,
        lambda job_id: plan.site.optional_href(path, plan.site.job_path(job_id)),
    )
    shown = {bar.css_class for bar in chart.bars} if chart else set()
    return PageOut(
        path,
        "timeline.html",
        TimelinePage(
            chrome=plan.chrome(path, "timeline", "Timeline"),
            timeline=chart,
            states=tuple(s for s in states.KNOWN_STATES if s.css_class in shown),
        ),
    )


def endpoints_page(plan: Plan) -> PageOut:
    path = sitemap.ENDPOINTS
    return PageOut(
        path,
        "endpoints.html",
        EndpointsPage(
            chrome=plan.chrome(path, "endpoints", "Endpoints"),
            rows=tuple(plan.endpoint_row(path, e) for e in plan.endpoints),
        ),
    )


def tasks(plan: Plan) -> list[Task]:
    """Every page and text file of the bundle, as independent pieces of work.

    Each task builds its pages from the plan alone, so tasks can run in any order and
    in several processes at once.
    """
    work: list[Task] = []
    if plan.controller is not None:
        work.append(lambda: [PageOut(sitemap.OVERVIEW, "overview.html", overview_page(plan))])
        work.append(lambda: [workers_page(plan)])
        work.append(lambda: [endpoints_page(plan)])
        work.append(lambda: [timeline_page(plan)])
        actions = sitemap.pages_needed(len(plan.actions), sitemap.ACTIONS_PER_PAGE)
        work += [partial(_one, actions_page, plan, n) for n in range(1, actions + 1)]
    elif not plan.lone_worker:
        work.append(lambda: [worker_snapshots_page(plan)])
    if plan.site.home_worker is not None:
        home = [plan.site.home_worker]
        work.append(lambda: [worker_page_output(plan, sitemap.OVERVIEW, home)])
    work += [partial(_one, job_list_page, plan, n) for n in range(1, plan.site.list_pages + 1)]
    work += [partial(job_detail_page, plan, i) for i in range(len(plan.site.detail_pages))]
    work += [
        partial(_one, worker_page_output, plan, sitemap.worker_page(i), workers)
        for i, workers in enumerate(plan.site.worker_pages)
    ]
    return work


def _one(build: Callable[..., PageOut], *args: object) -> list[Output]:
    return [build(*args)]


def all_pages(plan: Plan) -> Iterator[Output]:
    """Every page and text file of the bundle, built one at a time."""
    for task in tasks(plan):
        yield from task()

"""Worker pages: each captured worker's own dashboard, and the list of every worker."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from markupsafe import Markup

from renderer.report import columns, sitemap, tables
from renderer.report.context import Output, Page, Report
from renderer.report.markup import esc
from renderer.report.pages.actions import action_rows
from renderer.report.pages.job_list import job_attributes
from renderer.report.views import (
    Fact,
    Link,
    Rows,
    StatCard,
    Table,
    WorkerPage,
    WorkerSection,
    WorkersPage,
)
from renderer.report.wording import CELL_SHOWN, cut, describe_resources, listed, number, shown_id
from renderer.snapshot import model, states

# On a worker's page: the controller's jobs on it and the actions naming it, newest
# first (the job list and the actions pages hold the rest).
WORKER_JOBS_SHOWN = 200
WORKER_ACTIONS_SHOWN = 50


def build_page(report: Report, path: str, worker_ids: Sequence[str]) -> list[Output]:
    """A page of workers' sections: every worker the controller knows, captured or not,
    and every captured worker (the front page of a lone worker's report)."""
    sections = tuple(_section(report, path, worker_id) for worker_id in worker_ids)
    if len(sections) == 1:
        title = f"Worker {sections[0].worker_id}"
    else:  # as job detail pages are named: which of the workers this page holds
        first = report.site.worker_first(worker_ids[0])
        total = report.site.worker_total
        title = f"Workers {first:,}-{first + len(sections) - 1:,} of {total:,}"
    crumbs = []
    if report.catalog.controller is not None:
        crumbs = [Link("Workers", report.site.href(path, sitemap.WORKERS_INDEX))]
    view = WorkerPage(
        chrome=report.chrome(path, "worker", title, crumbs, view="worker"), workers=sections
    )
    return [Page(path, view)]


def _section(report: Report, path: str, worker_id: str) -> WorkerSection:
    """What the controller knew of a worker, its jobs and actions, and its own view."""
    catalog = report.catalog
    info = catalog.workers_by_id.get(worker_id)
    captured = catalog.captured.get(worker_id)
    anchor = report.site.worker_anchor(worker_id)
    own = _own_view(report, path, worker_id, anchor) if captured is not None else None
    job_ids = catalog.jobs_on_worker.get(worker_id, []) if catalog.controller is not None else []
    jobs = [catalog.by_id[j] for j in job_ids if j in catalog.by_id]
    spec = [c for c in tables.errors_first(tables.job_columns()) if c.name != "worker"]
    cells = report.cells(path)
    controller_jobs = None
    if catalog.controller is not None:
        controller_jobs = Table(
            columns.table(
                spec,
                jobs[:WORKER_JOBS_SHOWN],
                cells,
                f"{anchor}-controller-jobs",
                lambda job: job_attributes(job, spec, cells),
                caption=f"Jobs on worker {shown_id(worker_id)}",
            ),
            min(len(jobs), WORKER_JOBS_SHOWN),
            len(jobs),
            report.site.href(path, sitemap.JOBS_INDEX) + "#q=" + quote(worker_id, safe=""),
        )
    actions = catalog.actions_of_worker.get(worker_id, [])
    if own is not None:
        cards = own[0]
    else:
        counts = model.count_states([job.state for job in jobs])
        cards = _state_cards(counts)
    note = None
    if captured is None and catalog.controller is not None:
        note = (
            "This worker's own snapshot was not captured: what follows is what the "
            "controller knew of it. Resource usage, builds and logs of its jobs are not "
            "in this report."
        )
    return WorkerSection(
        worker_id=shown_id(worker_id) or "(unnamed worker)",
        anchor=anchor,
        facts=_facts(report, info) if info is not None else (),
        healthy=None if info is None else info.healthy,
        known=info is not None,
        note=note,
        cards=cards,
        controller_jobs=controller_jobs,
        jobs=own[1] if own is not None else None,
        job_count=own[2] if own is not None else 0,
        actions=Rows(
            action_rows(report, path, actions[:WORKER_ACTIONS_SHOWN]),
            len(actions),
            report.site.href(path, sitemap.ACTIONS),
        ),
    )


def _state_cards(counts: Sequence[tuple[int, int]]) -> tuple[StatCard, ...]:
    return tuple(
        StatCard(
            states.state(n).label,
            f"{c:,}",
            states.state(n),
            None,
            alert=c > 0 and n in states.PROBLEM_STATES,
        )
        for n, c in counts
        if c or n in (states.RUNNING, states.PENDING, states.BUILDING)
    )


def _own_view(
    report: Report, path: str, worker_id: str, anchor: str
) -> tuple[tuple[StatCard, ...], Markup, int]:
    """A captured worker's own record: its counts, its table of jobs, how many."""
    worker = report.catalog.captured[worker_id]
    stats = worker.get_stats()
    log_counts = worker.log_line_counts()
    statuses = sorted(worker.get_jobs(), key=lambda s: (states.display_rank(s.state), s.job_id))
    jobs = report.catalog.by_id
    rows = []
    for status in statuses:
        owner = status.job_id
        if owner not in jobs and owner.rpartition("/")[0] in jobs:  # a task's record
            owner = owner.rpartition("/")[0]
        name = jobs[owner].name if owner in jobs else None
        rows.append(tables.WorkerJob(status, name, log_counts.get(status.job_id), owner))
    html = columns.table(
        tables.WORKER_JOB_COLUMNS,
        rows,
        report.cells(path),
        f"{anchor}-jobs",
        lambda row: f' data-state="{esc(states.state(row.status.state).name)}"',
    )
    return _state_cards(stats.jobs_by_state), html, len(statuses)


def _facts(report: Report, info: model.WorkerInfo) -> tuple[Fact, ...]:
    healthy = {True: "yes", False: "no", None: "not sent"}[info.healthy]
    resources = info.resources
    return (
        Fact("Address", cut(info.address, CELL_SHOWN) or "-", mono=True),
        Fact("Healthy", healthy),
        Fact("Consecutive failures", number(info.consecutive_failures)),
        report.time_fact("Last heartbeat", info.last_heartbeat_ms),
        Fact("Resources", describe_resources(resources)),
        Fact("Regions", listed(resources.regions) if resources else "-"),
        Fact(
            "Preemptible",
            "-"
            if resources is None or resources.preemptible is None
            else ("yes" if resources.preemptible else "no"),
        ),
        Fact("Running jobs", f"{len(info.running_job_ids):,}"),
    )


def build_snapshots_page(report: Report) -> list[Output]:
    """The front page of a report of worker snapshots alone: one row per worker."""
    path = sitemap.OVERVIEW
    workers = [
        model.WorkerInfo(
            worker_id=worker_id,
            address=None,
            resources=None,
            healthy=None,
            consecutive_failures=None,
            last_heartbeat_ms=None,
            running_job_ids=tuple(s.job_id for s in worker.get_jobs() if s.state == states.RUNNING),
        )
        for worker_id, worker in report.catalog.captured.items()
    ]
    view = WorkersPage(
        chrome=report.chrome(path, "overview", "Workers"),
        workers=_table(report, path, workers),
        captured=len(workers),
    )
    return [Page(path, view)]


def build_index(report: Report) -> list[Output]:
    """Every worker the controller knows, unhealthy first."""
    path = sitemap.WORKERS_INDEX
    view = WorkersPage(
        chrome=report.chrome(path, "workers", "Workers"),
        workers=_table(report, path, report.catalog.workers),
        captured=len(report.catalog.captured),
    )
    return [Page(path, view)]


def _table(report: Report, path: str, workers: Sequence[model.WorkerInfo]) -> Table:
    html = columns.table(
        tables.WORKER_COLUMNS, workers, report.cells(path), "all-workers", tables.worker_attributes
    )
    return Table(html, len(workers), len(workers), None)

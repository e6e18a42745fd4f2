"""Worker pages: each captured worker's own dashboard, and the list of every worker."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import columns, sitemap, tables
from renderer.report.context import Output, Page, Report
from renderer.report.markup import esc
from renderer.report.views import (
    Fact,
    Link,
    StatCard,
    Table,
    WorkerPage,
    WorkerSection,
    WorkersPage,
)
from renderer.report.wording import CELL_SHOWN, cut, describe_resources, listed, number, shown_id
from renderer.snapshot import model, states


def build_page(report: Report, path: str, worker_ids: Sequence[str]) -> list[Output]:
    """A page of captured workers' dashboards (the front page of a lone worker's report)."""
    sections = tuple(_section(report, path, worker_id) for worker_id in worker_ids)
    if len(sections) == 1:
        title = f"Worker {sections[0].worker_id}"
    else:  # as job detail pages are named: which of the captured workers this page holds
        title = f"Captured workers {sections[0].worker_id} to {sections[-1].worker_id}"
    crumbs = []
    if report.catalog.controller is not None:
        crumbs = [Link("Workers", report.site.href(path, sitemap.WORKERS_INDEX))]
    view = WorkerPage(
        chrome=report.chrome(path, "worker", title, crumbs, view="worker"), workers=sections
    )
    return [Page(path, view)]


def _section(report: Report, path: str, worker_id: str) -> WorkerSection:
    worker = report.catalog.captured[worker_id]
    stats = worker.get_stats()
    log_counts = worker.log_line_counts()
    statuses = sorted(worker.get_jobs(), key=lambda s: (states.display_rank(s.state), s.job_id))
    info = report.catalog.workers_by_id.get(worker_id)
    cards = tuple(
        StatCard(
            states.state(n).label,
            f"{c:,}",
            states.state(n),
            None,
            alert=c > 0 and n in states.PROBLEM_STATES,
        )
        for n, c in stats.jobs_by_state
        if c or n in (states.RUNNING, states.PENDING, states.BUILDING)
    )
    jobs = report.catalog.by_id
    rows = []
    for status in statuses:
        owner = status.job_id
        if owner not in jobs and owner.rpartition("/")[0] in jobs:  # a task's record
            owner = owner.rpartition("/")[0]
        name = jobs[owner].name if owner in jobs else None
        rows.append(tables.WorkerJob(status, name, log_counts.get(status.job_id), owner))
    anchor = report.site.worker_anchor(worker_id)
    html = columns.table(
        tables.WORKER_JOB_COLUMNS,
        rows,
        report.cells(path),
        f"{anchor}-jobs",
        lambda row: f' data-state="{esc(states.state(row.status.state).name)}"',
    )
    return WorkerSection(
        worker_id=shown_id(worker_id) or "(unnamed worker)",
        anchor=anchor,
        facts=_facts(report, info) if info is not None else (),
        cards=cards,
        jobs=html,
        job_count=len(statuses),
    )


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

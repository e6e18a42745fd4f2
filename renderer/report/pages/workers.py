"""Worker pages: each captured worker's own dashboard, and the controller's list of workers."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import sitemap
from renderer.report.plan import PageOut, Plan, unhealthy_first
from renderer.report.views import (
    Fact,
    Link,
    StatCard,
    WorkerPage,
    WorkerRow,
    WorkerSection,
    WorkersPage,
)
from renderer.report.wording import (
    CELL_SHOWN,
    cut,
    describe_resources,
    listed,
    number,
    shown_id,
)
from renderer.snapshot import model, states


def worker_page_output(plan: Plan, path: str, worker_ids: Sequence[str]) -> PageOut:
    sections = tuple(worker_section(plan, path, worker_id) for worker_id in worker_ids)
    if len(sections) == 1:
        title = f"Worker {sections[0].worker_id}"
    else:  # as job detail pages are named: which of the captured workers this page holds
        title = f"Captured workers {sections[0].worker_id} to {sections[-1].worker_id}"
    crumbs = (
        [Link("Workers", plan.site.href(path, sitemap.WORKERS_INDEX))] if plan.controller else []
    )
    return PageOut(
        path,
        "worker.html",
        WorkerPage(
            chrome=plan.chrome(path, "worker", title, crumbs, view="worker"), workers=sections
        ),
    )


def worker_section(plan: Plan, path: str, worker_id: str) -> WorkerSection:
    worker = plan.workers[worker_id]
    stats = worker.get_stats()
    log_counts = worker.log_line_counts()
    statuses = sorted(worker.get_jobs(), key=lambda s: (states.display_rank(s.state), s.job_id))
    info = plan.controller_workers_by_id.get(worker_id)
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
    return WorkerSection(
        worker_id=shown_id(worker_id) or "(unnamed worker)",
        anchor=plan.site.worker_anchor(worker_id),
        facts=_worker_facts(plan, info) if info is not None else (),
        cards=cards,
        jobs_html=plan.rows.worker_jobs(path, statuses, plan.catalog.by_id, log_counts),
        job_count=len(statuses),
    )


def _worker_facts(plan: Plan, info: model.WorkerInfo) -> tuple[Fact, ...]:
    healthy = {True: "yes", False: "no", None: "-"}[info.healthy]
    resources = info.resources
    return (
        Fact("Address", cut(info.address, CELL_SHOWN) or "-", mono=True),
        Fact("Healthy", healthy),
        Fact("Consecutive failures", number(info.consecutive_failures)),
        plan.time_fact("Last heartbeat", info.last_heartbeat_ms),
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


def worker_snapshots_page(plan: Plan) -> PageOut:
    """The front page of a bundle made of worker snapshots alone: one row per worker."""
    path = sitemap.OVERVIEW
    rows = []
    for worker_id, worker in plan.workers.items():
        stats = worker.get_stats()
        rows.append(
            WorkerRow(
                worker_id=shown_id(worker_id) or "(unnamed worker)",
                href=plan.site.optional_href(path, plan.site.worker_path(worker_id)),
                address="-",
                healthy=None,
                cpu="-",
                memory="-",
                device="-",
                running=stats.count(states.RUNNING),
                consecutive_failures="-",
                last_heartbeat=plan.moment(None),
            )
        )
    return PageOut(
        path,
        "workers.html",
        WorkersPage(
            chrome=plan.chrome(path, "overview", "Workers"), workers=tuple(rows), captured=len(rows)
        ),
    )


def workers_page(plan: Plan) -> PageOut:
    path = sitemap.WORKERS_INDEX
    workers = sorted(plan.controller_workers, key=unhealthy_first)
    return PageOut(
        path,
        "workers.html",
        WorkersPage(
            chrome=plan.chrome(path, "workers", "Workers"),
            workers=tuple(plan.worker_row(path, w) for w in workers),
            captured=len(plan.workers),
        ),
    )

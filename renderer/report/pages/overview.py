"""The controller's front page: counts, what needs attention, the queue, workers, actions."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import columns, sitemap, tables
from renderer.report.context import Output, Page, Report
from renderer.report.pages.actions import action_rows
from renderer.report.pages.endpoints import endpoint_rows
from renderer.report.pages.failures import group_views
from renderer.report.pages.job_list import job_attributes, state_filters
from renderer.report.views import OverviewPage, Rows, StatCard, Table
from renderer.report.wording import CELL_SHOWN, TEXT_SHOWN, cut
from renderer.snapshot import model, states

GROUPS_SHOWN = 10
PROBLEMS_SHOWN = 50
ACTIONS_SHOWN = 50
JOBS_SHOWN = 200
WORKERS_SHOWN = 100
UNHEALTHY_SHOWN = 50
ENDPOINTS_SHOWN = 100


def build(report: Report) -> list[Output]:
    path = sitemap.OVERVIEW
    catalog, site = report.catalog, report.site
    jobs_href = site.href(path, sitemap.JOBS_INDEX)
    workers = catalog.workers
    problems = catalog.needing_attention
    problem_states = ",".join(states.state(n).name for n in sorted(states.PROBLEM_STATES))
    job_columns = tables.job_columns()
    groups = catalog.failure_groups
    view = OverviewPage(
        failure_groups=Rows(
            group_views(report, path, groups[:GROUPS_SHOWN], with_jobs=False),
            len(groups),
            site.href(path, sitemap.FAILURES),
        ),
        chrome=report.chrome(path, "overview", "Overview"),
        cards=_cards(report, path, jobs_href),
        problems=_jobs_table(
            report,
            path,
            problems,
            PROBLEMS_SHOWN,
            tables.errors_first(job_columns),
            "problems-table",
            "Jobs that failed",
            f"{jobs_href}#state={problem_states}",
        ),
        unhealthy_workers=_workers_table(
            report,
            path,
            [w for w in workers if w.healthy is not True],
            UNHEALTHY_SHOWN,
            "unhealthy-workers",
        ),
        actions=Rows(
            action_rows(report, path, catalog.actions[:ACTIONS_SHOWN]),
            len(catalog.actions),
            site.href(path, sitemap.ACTIONS),
        ),
        jobs=_jobs_table(
            report,
            path,
            catalog.in_queue_order,
            JOBS_SHOWN,
            (tables.QUEUE_COLUMN, *job_columns),
            "overview-jobs",
            "Jobs",
            jobs_href,
        ),
        workers=_workers_table(report, path, workers, WORKERS_SHOWN, "workers-table"),
        endpoints=Rows(
            endpoint_rows(report, path, catalog.endpoints[:ENDPOINTS_SHOWN]),
            len(catalog.endpoints),
            site.href(path, sitemap.ENDPOINTS),
        ),
        filters=state_filters(catalog.state_counts),
        jobs_href=jobs_href,
        redaction=_redaction(report),
        provenance=_provenance(report),
    )
    return [Page(path, view)]


def _provenance(report: Report) -> tuple[str, ...]:
    """Where an imported snapshot came from (iris, live or a checkpoint), and what it lacks."""
    found = report.catalog.sources.provenance
    if found is None:
        return ()
    how = {"live": "captured live", "checkpoint": "read from a checkpoint"}.get(found.source or "")
    origin = " ".join(part for part in (found.system, how or found.source) if part)
    where = f" at {cut(found.address, CELL_SHOWN)}" if found.address else ""
    first = f"A snapshot of {origin}{where}." if origin else ""
    return tuple(line for line in (first, *(cut(n, TEXT_SHOWN) for n in found.notes)) if line)


def _redaction(report: Report) -> str:
    """What the reader should know about hidden secrets: how many, never which."""
    if not report.redaction_on:
        return "Redaction was off for this report: secrets in the snapshot are shown as captured."
    count = report.redacted
    if not count:
        return ""
    values = (
        "1 value that looks like a secret is"
        if count == 1
        else f"{count:,} values that look like secrets are"
    )
    return f"{values} shown as [redacted] (counted each time one is shown)."


def _cards(report: Report, path: str, jobs_href: str) -> tuple[StatCard, ...]:
    """A card per job state (problems drawn to catch the eye), then workers and endpoints."""
    catalog = report.catalog
    cards = []
    for state_number, count in catalog.state_counts:
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
    if catalog.controller is None:
        return tuple(cards)
    workers = catalog.workers
    healthy = sum(1 for worker in workers if worker.healthy)
    cards.append(
        StatCard(
            "Workers healthy",
            f"{healthy:,} / {len(workers):,}",
            None,
            report.site.href(path, sitemap.WORKERS_INDEX),
            alert=healthy < len(workers),
        )
    )
    running = sum(
        1
        for endpoint in catalog.endpoints
        if (job := catalog.by_id.get(endpoint.job_id or "")) and job.state == states.RUNNING
    )
    cards.append(
        StatCard(
            "Endpoints",
            f"{len(catalog.endpoints):,}",
            None,
            report.site.href(path, sitemap.ENDPOINTS),
            alert=False,
            detail=f"{running:,} of running jobs",
        )
    )
    return tuple(cards)


def _jobs_table(
    report: Report,
    path: str,
    jobs: Sequence[model.JobSummary],
    limit: int,
    spec: Sequence[tables.JobColumn],
    table_id: str,
    caption: str,
    all_href: str,
) -> Table:
    shown = jobs[:limit]
    cells = report.cells(path)
    html = columns.table(
        spec, shown, cells, table_id, lambda job: job_attributes(job, spec, cells), caption
    )
    return Table(html, len(shown), len(jobs), all_href)


def _workers_table(
    report: Report, path: str, workers: Sequence[model.WorkerInfo], limit: int, table_id: str
) -> Table:
    """The first `limit` of these workers (unhealthy first), and a link to every worker."""
    shown = workers[:limit]
    html = columns.table(
        tables.WORKER_COLUMNS, shown, report.cells(path), table_id, tables.worker_attributes
    )
    return Table(html, len(shown), len(workers), report.site.href(path, sitemap.WORKERS_INDEX))

"""Worker pages: each captured worker's own dashboard, and the list of every worker
(paginated without script; with it, one scrolling list drawn from page 1's data)."""

from __future__ import annotations

import posixpath
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from renderer.report import columns, sitemap, tables
from renderer.report.columns import Column
from renderer.report.context import Output, Page, Report
from renderer.report.markup import esc
from renderer.report.pager import page_links
from renderer.report.pages.actions import action_rows
from renderer.report.views import (
    Fact,
    HealthFilter,
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
from renderer.snapshot.catalog import Catalog

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
    """What the controller knew of a worker, its jobs and actions, and its own view.

    A captured worker's own record lists its jobs with what only it knows (memory,
    processes, logs) and, where they disagree, the controller's state: the
    controller's table then holds only the jobs that record lacks, so no job is
    listed twice on the page.
    """
    catalog = report.catalog
    info = catalog.workers_by_id.get(worker_id)
    captured = catalog.captured.get(worker_id)
    anchor = report.site.worker_anchor(worker_id)
    cells = report.cells(path, dense=True)
    own = _own_view(report, worker_id, anchor, cells) if captured is not None else None
    recorded = own.job_ids if own is not None else frozenset()
    job_ids = catalog.jobs_on_worker.get(worker_id, []) if catalog.controller is not None else []
    jobs = [catalog.by_id[j] for j in job_ids if j in catalog.by_id]
    controller_jobs = None
    if catalog.controller is not None:
        missing = [job for job in jobs if job.job_id not in recorded]
        spec = tables.on_a_worker(tables.job_columns())
        controller_jobs = Table(
            columns.table(
                spec,
                missing[:WORKER_JOBS_SHOWN],
                cells,
                f"{anchor}-controller-jobs",
                _state_attribute,
                caption=f"Jobs on worker {shown_id(worker_id)}",
            ),
            min(len(missing), WORKER_JOBS_SHOWN),
            len(missing),
            _jobs_on_it_href(report, path, worker_id),
        )
    actions = catalog.actions_of_worker.get(worker_id, [])
    if own is not None:
        cards = own.cards
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
        controller_total=len(jobs),
        jobs=own.html if own is not None else None,
        job_count=own.count if own is not None else 0,
        jobs_shown=own.shown if own is not None else 0,
        actions=Rows(
            action_rows(report, path, actions[:WORKER_ACTIONS_SHOWN]),
            len(actions),
            report.site.href(path, sitemap.ACTIONS),
        ),
    )


def _jobs_on_it_href(report: Report, path: str, worker_id: str) -> str:
    """The job list searched for a worker; a single file's list takes no view in its
    address, so there it is the list alone."""
    href = report.site.href(path, sitemap.JOBS_INDEX)
    if report.options.single_file:
        return href
    return f"{href}#q={quote(worker_id, safe='')}"


def _state_attribute(job: model.JobSummary) -> str:
    """A row's state. No search text: a worker's tables have no search box."""
    return f' data-state="{esc(states.state(job.state).name)}"'


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


@dataclass(frozen=True)
class _OwnView:
    """A captured worker's own record, as its page shows it."""

    cards: tuple[StatCard, ...]
    html: Markup  # its table of jobs, problems first
    count: int  # jobs in its record
    shown: int  # rows in the table
    job_ids: frozenset[str]  # the controller's jobs the record holds


def _own_view(report: Report, worker_id: str, anchor: str, cells: columns.Cells) -> _OwnView:
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
        job = jobs.get(owner)
        differs = None
        if job is not None and owner == status.job_id and job.state != status.state:
            differs = job.state
        rows.append(
            tables.WorkerJob(
                status,
                job.name if job is not None else None,
                log_counts.get(status.job_id),
                owner,
                differs,
            )
        )
    shown = rows
    if report.packed:  # a file for mail: the succeeded are in its job list
        shown = [row for row in rows if row.status.state != states.SUCCEEDED]
    shown = shown[:WORKER_JOBS_SHOWN]
    html = columns.table(
        tables.WORKER_JOB_COLUMNS,
        shown,
        cells,
        f"{anchor}-jobs",
        lambda row: f' data-state="{esc(states.state(row.status.state).name)}"',
    )
    return _OwnView(
        _state_cards(stats.jobs_by_state),
        html,
        len(statuses),
        len(shown),
        frozenset(row.job_id for row in rows),
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


# Health chips of the workers list: the names in #state=..., as worker rows' data-state.
HEALTH_FILTERS = (
    (True, "healthy", "Healthy", "health-yes"),
    (False, "unhealthy", "Not healthy", "health-no"),
    (None, "unknown", "Not sent", "health-unknown"),
)
_HEALTH_NAME = {value: name for value, name, _, _ in HEALTH_FILTERS}


def build_index(report: Report, number: int = 1) -> list[Output]:
    """Page `number` (from 1) of the list of every worker the controller knows, unhealthy
    first; page 1 also carries every worker as data for the in-page list."""
    workers = report.catalog.workers
    site = report.site
    per_page = sitemap.WORKERS_PER_LIST_PAGE
    count = site.worker_list_pages
    path = sitemap.workers_list_page(number)
    chunk = workers[(number - 1) * per_page : number * per_page]
    title = "Workers" if count == 1 else f"Workers, page {number} of {count}"
    data = workers_data(report, path) if number == 1 else None
    # Page 1's rows are for readers without script: they go in <noscript>, which a
    # browser running the script does not parse, let alone lay out (500 rows took
    # longer than drawing the list), and the script draws into an empty frame.
    table = _table(
        report, path, chunk, _list_attributes, "all-workers-rows" if data else "all-workers"
    )
    frame = _table(report, path, [], _list_attributes).html if data else None
    index = site.href(path, sitemap.WORKERS_INDEX)
    view = WorkersPage(
        chrome=report.chrome(path, "workers", title),
        workers=Table(table.html, len(chunk), len(workers), None),
        list_frame=frame,
        captured=len(report.catalog.captured),
        pages=page_links(site, path, number, count, sitemap.workers_list_page),
        first=(number - 1) * per_page + 1,
        filters=_health_filters(report.catalog),
        data=data,
        every_worker_href=index if number > 1 and not report.options.single_file else None,
    )
    return [Page(path, view)]


# Counted once a report, not once a page: 200 pages of 100,000 workers took a minute.
_HEALTH_COUNTS: weakref.WeakKeyDictionary[Catalog, Counter[bool | None]] = (
    weakref.WeakKeyDictionary()
)


def _health_filters(catalog: Catalog) -> tuple[HealthFilter, ...]:
    counts = _HEALTH_COUNTS.get(catalog)
    if counts is None:
        counts = _HEALTH_COUNTS[catalog] = Counter(w.healthy for w in catalog.workers)
    return tuple(
        HealthFilter(name, label, css, counts[value])
        for value, name, label, css in HEALTH_FILTERS
        if counts[value]
    )


def _list_attributes(worker: model.WorkerInfo) -> str:
    """A row of the workers list: its health for the chips; its search text also holds
    the jobs running on it."""
    search = " ".join(
        (shown_id(worker.worker_id), cut(worker.address, CELL_SHOWN), *worker.running_job_ids)
    )
    healthy = {True: "yes", False: "no", None: "unknown"}[worker.healthy]
    return (
        f' data-healthy="{healthy}" data-state="{_HEALTH_NAME[worker.healthy]}"'
        f' data-search="{esc(search)}"'
    )


def workers_data(report: Report, path: str) -> dict[str, object]:
    """Every worker as compact rows for the workers page's script (filter, sort, search).

    The columns are the workers table's. A worker's id comes as [id shown, number of
    its page, its anchor's slug (0: the id shown), 1 when its own snapshot was not
    captured], the script making the link as the site map does, or as [id shown, link,
    0, not captured] for a link of another form ("": none); that
    keeps 100,000 workers to about 10 MB. `search` holds, for each row, what the search
    box matches, lower-case: its searchable columns and the ids of the jobs running on
    it (made here: the script took a quarter of a second for 100,000 workers). Columns
    of text come with their sort ranks (columns.add_sort_ranks).
    """
    workers = report.catalog.workers
    site, links = report.site, report.links
    single = report.options.single_file

    def shared(column: Column[Any], value: Any) -> Any:
        return value

    cells = report.cells(path)
    made = columns.data(tables.WORKER_COLUMNS, workers, cells, shared)
    at = next(i for i, c in enumerate(tables.WORKER_COLUMNS) if c.kind is columns.WORKER_PAGE)
    for row, worker in zip(made["rows"], workers, strict=True):
        worker_id = worker.worker_id
        shown = shown_id(worker_id)
        link = links.worker(path, worker_id) if site.worker_path(worker_id) else None
        href = (link.href if link else None) or ""
        number = site.worker_page_number(worker_id) if href else 0
        uncaptured = 0 if worker_id in report.catalog.captured else 1
        if number:
            slug = site.worker_slugs[worker_id]
            page = "" if single else posixpath.basename(sitemap.worker_page(number - 1))
            if href == f"{page}#w-{slug}":
                row[at] = [shown, number, 0 if slug == shown else slug, uncaptured]
                continue
        row[at] = [shown, href, 0, uncaptured]
    columns.add_sort_ranks(tables.WORKER_COLUMNS, made)
    return {
        "captured": report.captured_at_ms,
        "single": report.options.single_file,
        "search": [
            f"{columns.search_text(tables.WORKER_COLUMNS, worker, cells)} "
            f"{' '.join(worker.running_job_ids)}".lower()
            for worker in workers
        ],
        **made,
    }


def _table(
    report: Report,
    path: str,
    workers: Sequence[model.WorkerInfo],
    attributes: Callable[[model.WorkerInfo], str] = tables.worker_attributes,
    table_id: str = "all-workers",
) -> Table:
    html = columns.table(tables.WORKER_COLUMNS, workers, report.cells(path), table_id, attributes)
    return Table(html, len(workers), len(workers), None)

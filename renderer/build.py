"""Build every page's view model from the data sources: pure functions, no I/O.

`Plan` gathers what several pages need once (the job list, the site map); the page
builders turn data-source values into renderer.pages models, each with links already
relative to the page it is on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial

from renderer import logview, model, rows, site, states, timefmt, timeline
from renderer.datasource import AttemptIndex, WorkerDataSource
from renderer.pages import (
    ActionRow,
    ActionsPage,
    AttemptView,
    Chrome,
    EndpointRow,
    EndpointsPage,
    Fact,
    JobDetailPage,
    JobListPage,
    JobRow,
    JobView,
    Link,
    LogView,
    Moment,
    NavItem,
    OverviewPage,
    StatCard,
    StateFilter,
    Table,
    TimelinePage,
    WorkerJobRow,
    WorkerPage,
    WorkerRow,
    WorkerSection,
    WorkersPage,
)
from renderer.site import Site
from renderer.sources import ClusterSources

CONTROLLER_HEADING = "Fluster Controller Dashboard"
WORKER_HEADING = "Fluster Worker Dashboard"
DEFAULT_LOG_LINES = 1000

OVERVIEW_PROBLEMS = 50
OVERVIEW_ACTIONS = 50
OVERVIEW_JOBS = 200
OVERVIEW_WORKERS = 100
OVERVIEW_ENDPOINTS = 100
# Every string comes from the snapshot and may be huge; pages show this much of it.
ERROR_IN_TABLE = 160  # characters of an error shown in a table cell
ERROR_IN_DETAIL = 20_000  # characters of an error shown on a job's page
CELL_SHOWN = 160  # characters of a name, address or value in a table cell
TEXT_SHOWN = 2000  # characters of a name or value on a detail page
ID_SHOWN = 200  # characters of an id
MANY_SHOWN = 50  # gang members, endpoints, attempts, ports or metadata shown per item
ENV_VARS_SHOWN = 200


@dataclass(frozen=True)
class RenderOptions:
    """What the person rendering chose."""

    title: str | None = None
    log_lines: int = DEFAULT_LOG_LINES
    single_file: bool = False


@dataclass(frozen=True)
class PageOut:
    """A page to write: where, with which template, showing what."""

    path: str
    template: str
    model: object


@dataclass(frozen=True)
class TextOut:
    """A plain-text file to write: a log tail, whole."""

    path: str
    text: str


Output = PageOut | TextOut


def cut(text: str | None, limit: int) -> str:
    """Text shortened to `limit` characters, saying how much was left out."""
    if not text:
        return ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def shown_id(identifier: str) -> str:
    """An id as shown: whole unless it is absurdly long."""
    return identifier if len(identifier) <= ID_SHOWN else identifier[:ID_SHOWN] + "…"


def short_id(job_id: str) -> str:
    """The first 8 characters, as the live dashboards show ids."""
    return job_id if len(job_id) <= 11 else job_id[:8] + "…"


def number(value: int | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:,}{unit}"


@lru_cache(maxsize=65_536)
def describe_resources(resources: model.Resources | None) -> str:
    """'4 CPU, 16g, 1 × H100' as the live dashboard wrote it."""
    if resources is None:
        return "-"
    parts = []
    if resources.cpu is not None:
        parts.append(f"{resources.cpu} CPU")
    if resources.memory:
        parts.append(resources.memory)
    if resources.device is not None and resources.device.kind in ("gpu", "tpu"):
        parts.append(describe_device(resources.device))
    return cut(", ".join(parts), CELL_SHOWN) or "-"


def describe_device(device: model.Device | None) -> str:
    if device is None or not device.kind:
        return "-"
    if device.kind == "gpu":
        count = f"{device.count} × " if device.count is not None else ""
        text = f"{count}{device.variant or 'GPU'}"
    elif device.kind == "tpu":
        topology = f" ({device.topology})" if device.topology else ""
        text = f"{device.variant or 'TPU'}{topology}"
    else:
        text = f"CPU ({device.variant})" if device.variant else "CPU"
    return cut(text, CELL_SHOWN)


def describe_blob(blob: model.Blob | None) -> str:
    """Bytes are never shown: only their size and the start of their digest."""
    if blob is None:
        return "-"
    return f"{blob.size:,} bytes, sha256 {blob.sha256[:12]}"


# ---- the jobs a bundle shows ----


class JobCatalog:
    """The jobs of a bundle: the controller's, or, without one, every worker's."""

    def __init__(self, sources: ClusterSources) -> None:
        self.sources = sources
        self.controller = sources.controller
        self._attempts = AttemptIndex(sources.workers)

    @cached_property
    def summaries(self) -> list[model.JobSummary]:
        if self.controller is not None:
            return self.controller.get_jobs()
        seen: dict[str, model.JobSummary] = {}
        for worker in self.sources.workers:
            for status in worker.get_jobs():
                seen.setdefault(status.job_id, _summary_from_status(status))
        return list(seen.values())

    @cached_property
    def by_id(self) -> dict[str, model.JobSummary]:
        return {job.job_id: job for job in self.summaries}

    def detail(self, job_id: str) -> model.JobDetail | None:
        if self.controller is not None:
            return self.controller.get_job_detail(job_id)
        if job_id not in self.by_id:
            return None
        return model.JobDetail(job_id, None, None, (), (), self._attempts.attempts(job_id, None))


def _summary_from_status(status: model.JobStatus) -> model.JobSummary:
    return model.JobSummary(
        job_id=status.job_id,
        name=None,
        state=status.state,
        worker_id=status.worker_id,
        error=status.error,
        exit_code=status.exit_code,
        submitted_at_ms=None,
        started_at_ms=status.started_at_ms,
        finished_at_ms=status.finished_at_ms,
        failure_count=None,
        preemption_count=None,
        gang_id=None,
        resources=None,
        queue_position=None,
    )


def attention_order(job: model.JobSummary) -> tuple[int, int, int, str]:
    """Problems first, then what runs, what waits (in queue order), what is done; newest first."""
    recent = job.finished_at_ms or job.started_at_ms or job.submitted_at_ms or 0
    queue = job.queue_position if job.queue_position is not None else 0
    return (states.display_rank(job.state), queue, -recent, job.job_id)


def queue_order(job: model.JobSummary) -> tuple[int, int, int, int, str]:
    """The controller's queue in order first, then every other job by attention."""
    if job.queue_position is not None:
        return (0, job.queue_position, 0, 0, job.job_id)
    return (1, *attention_order(job))


def detail_jobs(ordered: Sequence[str], log_lines: Mapping[str, int], limit: int) -> list[str]:
    """The jobs that get a full detail section, in list order.

    All of them up to `limit`; past it every job with a log (its only place in the
    pages), then the rest in list order, which puts problems and running jobs first.
    """
    if len(ordered) <= limit:
        return list(ordered)
    chosen = {job_id for job_id in ordered if log_lines.get(job_id)}  # always: see above
    for job_id in ordered:
        if len(chosen) >= limit:
            break
        chosen.add(job_id)
    return [job_id for job_id in ordered if job_id in chosen]


# ---- the plan ----


class Plan:
    """What the pages of one bundle share: sources, options, the site map and the jobs."""

    def __init__(self, sources: ClusterSources, options: RenderOptions) -> None:
        self.sources = sources
        self.options = options
        self.catalog = JobCatalog(sources)
        self.controller = sources.controller
        self.workers: dict[str, WorkerDataSource] = {
            worker.worker_id or "": worker for worker in sources.workers
        }
        self.view = "controller" if self.controller is not None else "worker"
        self.lone_worker = self.controller is None and len(self.workers) == 1
        log_lines: dict[str, int] = {}
        for worker in sources.workers:
            for job_id, count in worker.log_line_counts().items():
                log_lines[job_id] = log_lines.get(job_id, 0) + min(count, options.log_lines)
        self.jobs_in_order = sorted(self.catalog.summaries, key=attention_order)
        ordered_ids = [job.job_id for job in self.jobs_in_order]
        self.site = Site(
            job_ids=ordered_ids,
            detail_job_ids=detail_jobs(ordered_ids, log_lines, site.DETAIL_PAGES_LIMIT),
            log_lines=log_lines,
            worker_ids=[w.worker_id for w in self.controller_workers],
            captured_workers=list(self.workers),
            single_file=options.single_file,
            home_worker=next(iter(self.workers)) if self.lone_worker else None,
        )

    @cached_property
    def controller_workers(self) -> list[model.WorkerInfo]:
        return self.controller.get_workers() if self.controller is not None else []

    @cached_property
    def job_filters(self) -> tuple[StateFilter, ...]:
        return self.filters([job.state for job in self.jobs_in_order])

    @cached_property
    def detail_total(self) -> int:
        return sum(len(page) for page in self.site.detail_pages)

    @cached_property
    def detail_first(self) -> list[int]:
        """Position (from 1) of the first job of each detail page."""
        firsts, position = [], 1
        for page in self.site.detail_pages:
            firsts.append(position)
            position += len(page)
        return firsts

    @cached_property
    def controller_workers_by_id(self) -> dict[str, model.WorkerInfo]:
        return {worker.worker_id: worker for worker in self.controller_workers}

    @cached_property
    def actions(self) -> list[model.Action]:
        return self.controller.get_actions(limit=None) if self.controller is not None else []

    @cached_property
    def endpoints(self) -> list[model.Endpoint]:
        return self.controller.get_endpoints() if self.controller is not None else []

    @property
    def captured_at_ms(self) -> int | None:
        return self.sources.captured_at_ms

    def moment(self, ms: int | None) -> Moment:
        return Moment(ms, self.captured_at_ms)

    def time_fact(self, label: str, ms: int | None) -> Fact:
        """A time on a detail card: UTC, then how long before the capture."""
        moment = self.moment(ms)
        return Fact(label, moment.text, moment.relative)

    # ---- links ----

    def job_link(self, page: str, job_id: str | None, text: str | None = None) -> Link | None:
        if job_id is None:
            return None
        target = self.site.job_path(job_id) if job_id in self.catalog.by_id else None
        return Link(text or short_id(job_id), self.site.optional_href(page, target))

    def worker_link(self, page: str, worker_id: str | None) -> Link | None:
        if worker_id is None:
            return None
        href = self.site.optional_href(page, self.site.worker_path(worker_id))
        return Link(shown_id(worker_id), href)

    # ---- chrome ----

    def chrome(
        self, path: str, page_id: str, title: str, crumbs: Sequence[Link] = (), view: str = ""
    ) -> Chrome:
        view = view or self.view
        nav_targets = [("Overview", site.OVERVIEW, "overview"), ("Jobs", site.JOBS_INDEX, "jobs")]
        if self.controller is not None:
            nav_targets += [
                ("Workers", site.WORKERS_INDEX, "workers"),
                ("Timeline", site.TIMELINE, "timeline"),
                ("Actions", site.ACTIONS, "actions"),
                ("Endpoints", site.ENDPOINTS, "endpoints"),
            ]
        nav = tuple(
            NavItem(label, self.site.href(path, target), page_id.startswith(key))
            for label, target, key in nav_targets
        )
        heading = CONTROLLER_HEADING if view == "controller" else WORKER_HEADING
        full_title = " · ".join(part for part in (title, self.options.title, heading) if part)
        return Chrome(
            view=view,
            page_id=page_id,
            heading=heading,
            title=full_title,
            report_title=self.options.title,
            captured=self.moment(self.captured_at_ms),
            stylesheet=self.site.href(path, site.STYLESHEET),
            script=self.site.href(path, site.SCRIPT),
            nav=nav,
            crumbs=tuple(crumbs),
            section_id=site.section_id(path),
        )

    def filters(self, job_states: Sequence[int]) -> tuple[StateFilter, ...]:
        counts = model.count_states(list(job_states))
        return tuple(StateFilter(states.state(n), c) for n, c in counts if c)

    # ---- rows ----

    def job_row(self, page: str, job: model.JobSummary) -> JobRow:
        return JobRow(
            job_id=shown_id(job.job_id),
            short_id=short_id(job.job_id),
            row_id=self.site.row_anchor(job.job_id) if job.job_id in self.site.job_slugs else "",
            href=self.site.optional_href(page, self.site.job_path(job.job_id)),
            name=cut(job.name, CELL_SHOWN) or "-",
            state=states.state(job.state),
            worker=self.worker_link(page, job.worker_id),
            resources=describe_resources(job.resources),
            error=cut(job.error, ERROR_IN_TABLE),
            exit_code=job.exit_code,
            submitted=self.moment(job.submitted_at_ms),
            started=self.moment(job.started_at_ms),
            finished=self.moment(job.finished_at_ms),
            failures=job.failure_count,
            preemptions=job.preemption_count,
            queue_position=job.queue_position,
        )

    def worker_row(self, page: str, worker: model.WorkerInfo) -> WorkerRow:
        resources = worker.resources
        return WorkerRow(
            worker_id=shown_id(worker.worker_id),
            href=self.site.optional_href(page, self.site.worker_path(worker.worker_id)),
            address=cut(worker.address, CELL_SHOWN) or "-",
            healthy=worker.healthy,
            cpu=number(resources.cpu if resources else None),
            memory=(cut(resources.memory, CELL_SHOWN) or "-") if resources else "-",
            device=describe_device(resources.device if resources else None),
            running=len(worker.running_job_ids),
            consecutive_failures=number(worker.consecutive_failures),
            last_heartbeat=self.moment(worker.last_heartbeat_ms),
        )

    def action_row(self, page: str, action: model.Action) -> ActionRow:
        return ActionRow(
            time=self.moment(action.timestamp_ms),
            action=cut(action.action, CELL_SHOWN) or "-",
            job=self.job_link(page, action.job_id),
            worker=self.worker_link(page, action.worker_id),
            details=cut(action.details, ERROR_IN_TABLE * 2),
        )

    def endpoint_row(self, page: str, endpoint: model.Endpoint) -> EndpointRow:
        job = self.catalog.by_id.get(endpoint.job_id or "")
        return EndpointRow(
            name=cut(endpoint.name, CELL_SHOWN) or "-",
            address=cut(endpoint.address, CELL_SHOWN) or "-",
            job=self.job_link(page, endpoint.job_id),
            job_state=states.state(job.state) if job is not None else None,
            stale=_stale(endpoint, job),
            namespace=cut(endpoint.namespace, CELL_SHOWN) or "-",
            registered=self.moment(endpoint.registered_at_ms),
            metadata=tuple(
                (cut(key, CELL_SHOWN), cut(value, CELL_SHOWN))
                for key, value in endpoint.metadata[:MANY_SHOWN]
            ),
        )


def standalone_chrome(
    path: str, page_id: str, title: str, captured_ms: int | None, report_title: str | None
) -> Chrome:
    """The chrome of a page that stands alone (a diff, an archive index): no navigation."""
    return Chrome(
        view="controller",
        page_id=page_id,
        heading=CONTROLLER_HEADING,
        title=" · ".join(part for part in (title, report_title, CONTROLLER_HEADING) if part),
        report_title=report_title,
        captured=Moment(captured_ms, captured_ms),
        stylesheet=site.STYLESHEET,
        script=site.SCRIPT,
        nav=(),
        crumbs=(),
        section_id=site.section_id(path),
    )


def _stale(endpoint: model.Endpoint, job: model.JobSummary | None) -> str:
    """Why an endpoint probably no longer answers: its job stopped, or restarted since."""
    if job is None:
        return "its job is not in the snapshot"
    if job.state != states.RUNNING:
        return "its job is not running"
    registered, started = endpoint.registered_at_ms, job.started_at_ms
    if registered is not None and started is not None and registered < started:
        return "registered by an earlier attempt of its job"
    return ""


# ---- pages ----


def _unhealthy_first(worker: model.WorkerInfo) -> tuple[bool, str]:
    return (worker.healthy is not False, worker.worker_id)


def overview_page(plan: Plan) -> OverviewPage:
    path = site.OVERVIEW
    jobs = plan.catalog.summaries
    counts = model.count_states([job.state for job in jobs])
    jobs_href = plan.site.href(path, site.JOBS_INDEX)
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
                plan.site.href(path, site.WORKERS_INDEX),
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
                plan.site.href(path, site.ENDPOINTS),
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
        unhealthy_workers=tuple(
            plan.worker_row(path, w) for w in sorted(unhealthy, key=_unhealthy_first)
        ),
        actions=Table(
            tuple(plan.action_row(path, a) for a in plan.actions[:OVERVIEW_ACTIONS]),
            len(plan.actions),
            plan.site.href(path, site.ACTIONS),
        ),
        jobs=Table(
            tuple(plan.job_row(path, job) for job in queue_first[:OVERVIEW_JOBS]),
            len(jobs),
            jobs_href,
        ),
        workers=Table(
            tuple(
                plan.worker_row(path, w)
                for w in sorted(workers, key=_unhealthy_first)[:OVERVIEW_WORKERS]
            ),
            len(workers),
            plan.site.href(path, site.WORKERS_INDEX),
        ),
        endpoints=Table(
            tuple(plan.endpoint_row(path, e) for e in plan.endpoints[:OVERVIEW_ENDPOINTS]),
            len(plan.endpoints),
            plan.site.href(path, site.ENDPOINTS),
        ),
        filters=plan.filters([job.state for job in jobs]),
        jobs_href=jobs_href,
    )


def page_links(
    plan: Plan, path: str, current: int, count: int, page_path: Callable[[int], str]
) -> tuple[Link, ...]:
    """Links to nearby pages, the first and the last; gaps are shown as '…' (no link)."""
    wanted = sorted({1, count, *range(max(1, current - 3), min(count, current + 3) + 1)})
    links: list[Link] = []
    for number_ in wanted:
        if links and number_ > int(links[-1].text) + 1:
            links.append(Link("…", None))
        links.append(Link(str(number_), plan.site.href(path, page_path(number_))))
    return tuple(link for link in links) if count > 1 else ()


def job_list_page(plan: Plan, number_: int) -> PageOut:
    """Page `number_` of the list of every job; page 1 also carries them all as data."""
    jobs = plan.jobs_in_order
    per_page = site.JOBS_PER_LIST_PAGE
    count = plan.site.list_pages
    path = site.list_page(number_)
    chunk = jobs[(number_ - 1) * per_page : number_ * per_page]
    title = "Jobs" if count == 1 else f"Jobs, page {number_} of {count}"
    return PageOut(
        path,
        "jobs.html",
        JobListPage(
            chrome=plan.chrome(path, "jobs", title),
            rows_html=rows.job_list_rows([plan.job_row(path, job) for job in chunk]),
            shown=len(chunk),
            number=number_,
            pages=page_links(plan, path, number_, count, site.list_page),
            total=len(jobs),
            first=(number_ - 1) * per_page + 1,
            filters=plan.job_filters,
            data=jobs_data(plan) if number_ == 1 else None,
        ),
    )


def jobs_data(plan: Plan) -> dict[str, object]:
    """Every job as compact rows for the jobs page's script (filter, sort, search).

    Columns, read by position in static/app.js: id, name, state index, worker index,
    submitted, started, finished (ms), exit code, error (cut), detail page number (0:
    none), anchor slug (0: the id itself), resources index, failures, preemptions.
    States, workers and resource texts are listed once and referred to by index, and
    links are rebuilt by the script, which keeps 100,000 jobs to about 10 MB.
    """
    site_map = plan.site
    state_index: dict[int, int] = {}
    worker_index: dict[str, int] = {}
    resource_index: dict[str, int] = {}
    detail_page = {job_id: i + 1 for i, page in enumerate(site_map.detail_pages) for job_id in page}
    rows = []
    for job in plan.jobs_in_order:
        worker = job.worker_id
        if worker is not None and worker not in worker_index:
            worker_index[worker] = len(worker_index)
        described = describe_resources(job.resources)
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
                detail_page.get(job.job_id, 0),
                0 if slug == job.job_id else slug,
                resource_index[described],
                job.failure_count or 0,
                job.preemption_count or 0,
            ]
        )
    path = site.JOBS_INDEX
    return {
        "captured": plan.captured_at_ms,
        "single": plan.options.single_file,
        "perPage": site.JOBS_PER_LIST_PAGE,
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


def job_detail_page(plan: Plan, index: int) -> list[Output]:
    """Detail page `index` (from 0), followed by the plain-text logs of its jobs."""
    job_ids = plan.site.detail_pages[index]
    first = plan.detail_first[index]
    path = site.detail_page(index)
    views = []
    logs: list[Output] = []
    for job_id in job_ids:
        detail = plan.catalog.detail(job_id)
        if detail is not None:
            views.append(job_view(plan, path, detail))
            if not plan.options.single_file:
                logs += log_texts(plan, detail)
    last = first + len(job_ids) - 1
    page = PageOut(
        path,
        "job_detail.html",
        JobDetailPage(
            chrome=plan.chrome(path, "job", f"Jobs {first:,}-{last:,}"),
            jobs=tuple(views),
            first=first,
            total=plan.detail_total,
            jobs_href=plan.site.href(path, site.JOBS_INDEX),
        ),
    )
    return [page, *logs]


def log_texts(plan: Plan, detail: model.JobDetail) -> list[TextOut]:
    """The whole log tail of each of the job's attempts, as text files."""
    texts = []
    for attempt in detail.attempts:
        if attempt.log is None:
            continue
        lines = attempt.log.lines
        total = attempt.log.total_lines if attempt.log.total_lines is not None else len(lines)
        worker_id = attempt.worker_id or ""
        header = logview.header(detail.job_id, worker_id, len(lines), max(total, len(lines)))
        path = plan.site.log_text_path(detail.job_id, worker_id)
        texts.append(TextOut(path, logview.plain_text(lines, header)))
    return texts


def job_view(plan: Plan, path: str, detail: model.JobDetail) -> JobView:
    job = detail.job
    summary = plan.catalog.by_id[detail.job_id]
    status = job.status if job is not None else None
    # The attempt on the worker the controller points at comes first.
    attempts = sorted(
        detail.attempts,
        key=lambda a: (a.worker_id != (summary.worker_id or ""), a.worker_id or ""),
    )
    state = states.state(summary.state)
    facts: list[Fact] = [Fact("State", state.label, state=state)]
    if job is not None and status is not None:
        facts += [
            Fact("Exit code", number(status.exit_code), mono=True),
            plan.time_fact("Submitted", job.submitted_at_ms),
            plan.time_fact("Started", status.started_at_ms),
            plan.time_fact("Finished", status.finished_at_ms),
            Fact("Duration", _duration(plan, status.started_at_ms, status.finished_at_ms)),
        ]
        worker_link = plan.worker_link(path, status.worker_id)
        if worker_link is not None:
            captured = "" if worker_link.href else "snapshot not captured"
            facts.append(Fact("Worker", worker_link.text, captured, worker_link.href, mono=True))
            if status.worker_address:
                facts.append(
                    Fact("Worker address", cut(status.worker_address, CELL_SHOWN), mono=True)
                )
        if detail.queue_position is not None:
            facts.append(Fact("Queue position", f"{detail.queue_position + 1:,}"))
    retries: list[Fact] = []
    if job is not None:
        retries = [
            Fact("Failures", _against(job.failure_count, job.max_retries_failure)),
            Fact("Preemptions", _against(job.preemption_count, job.max_retries_preemption)),
        ]
    members = [m for m in detail.gang_members if m in plan.catalog.by_id]
    request = job.request if job is not None else None
    env_vars = request.environment.env_vars if request and request.environment else ()
    not_captured = None
    if summary.worker_id and summary.worker_id not in plan.workers and plan.controller:
        not_captured = (
            f"Worker {shown_id(summary.worker_id)} was not captured: its resource usage, "
            "build and log are not in this report."
        )
    return JobView(
        job_id=shown_id(detail.job_id),
        anchor=plan.site.job_anchor(detail.job_id),
        name=cut(summary.name, TEXT_SHOWN) or short_id(detail.job_id),
        state=state,
        error=cut(summary.error, ERROR_IN_DETAIL) or None,
        status=tuple(facts),
        retries=tuple(retries),
        gang_id=shown_id(job.gang_id) if job is not None and job.gang_id else None,
        gang=tuple(plan.job_row(path, plan.catalog.by_id[m]) for m in members[:MANY_SHOWN]),
        gang_total=len(members),
        request=_request_facts(request),
        env_vars=tuple(
            (cut(key, CELL_SHOWN), cut(value, TEXT_SHOWN))
            for key, value in env_vars[:ENV_VARS_SHOWN]
        ),
        env_vars_total=len(env_vars),
        endpoints=tuple(plan.endpoint_row(path, e) for e in detail.endpoints[:MANY_SHOWN]),
        endpoints_total=len(detail.endpoints),
        attempts=tuple(
            attempt_view(plan, path, a, a.worker_id == summary.worker_id)
            for a in attempts[:MANY_SHOWN]
        ),
        attempts_total=len(attempts),
        not_captured=not_captured,
    )


def _against(count: int | None, limit: int | None) -> str:
    if count is None:
        return "-"
    return f"{count:,} (retry limit {limit:,})" if limit is not None else f"{count:,}"


def _duration(plan: Plan, start: int | None, end: int | None) -> str:
    if start is not None and end is None:
        return f"{timefmt.duration(timefmt.span(start, plan.captured_at_ms))} so far"
    return timefmt.duration(timefmt.span(start, end))


def _listed(values: Sequence[str], empty: str = "-") -> str:
    return cut(", ".join(values), TEXT_SHOWN) or empty


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "-"}[value]


def _request_facts(request: model.JobRequest | None) -> tuple[Fact, ...]:
    if request is None:
        return ()
    resources = request.resources
    environment = request.environment
    facts = [
        Fact("Name", cut(request.name, TEXT_SHOWN) or "-"),
        Fact("Resources", describe_resources(resources)),
    ]
    if resources is not None:
        facts += [
            Fact("Device", describe_device(resources.device)),
            Fact("Disk", cut(resources.disk, CELL_SHOWN) or "-"),
            Fact("Replicas", number(resources.replicas)),
            Fact("Preemptible", _yes_no(resources.preemptible)),
            Fact("Regions", _listed(resources.regions, "any")),
        ]
    timeout = request.scheduling_timeout_seconds
    facts += [
        Fact("Ports", _listed(request.ports), mono=True),
        Fact("Scheduling timeout", "wait forever" if not timeout else f"{timeout:,}s"),
    ]
    if environment is not None:
        facts += [
            Fact("Workspace", cut(environment.workspace, TEXT_SHOWN) or "-", mono=True),
            Fact("Pip packages", _listed(environment.pip_packages), mono=True),
            Fact("Extras", _listed(environment.extras), mono=True),
        ]
    facts += [
        Fact("Bundle", cut(request.bundle_gcs_path, TEXT_SHOWN) or "-", mono=True),
        Fact("Bundle hash", cut(request.bundle_hash, CELL_SHOWN) or "-", mono=True),
        Fact("Inline bundle", describe_blob(request.bundle_blob)),
        Fact("Entrypoint", describe_blob(request.entrypoint)),
    ]
    # What the request leaves unset is not worth a line (name and resources always are).
    return tuple(f for f in facts if f.value != "-" or f.label in ("Name", "Resources"))


def attempt_view(plan: Plan, path: str, attempt: model.WorkerAttempt, current: bool) -> AttemptView:
    status = attempt.status
    worker_id = attempt.worker_id or ""
    worker = Link(
        shown_id(worker_id) or "(unnamed worker)",
        plan.site.optional_href(path, plan.site.worker_path(worker_id)),
    )
    facts = [
        Fact("Exit code", number(status.exit_code), mono=True),
        plan.time_fact("Started", status.started_at_ms),
        plan.time_fact("Finished", status.finished_at_ms),
        Fact("Duration", _duration(plan, status.started_at_ms, status.finished_at_ms)),
    ]
    if status.status_message:
        facts.insert(0, Fact("Phase", cut(status.status_message, TEXT_SHOWN)))
    usage_facts: list[Fact] = []
    if status.usage is not None:
        usage = status.usage
        usage_facts = [
            Fact("Memory", number(usage.memory_mb, " MB")),
            Fact("Peak memory", number(usage.memory_peak_mb, " MB")),
            Fact("CPU", number(usage.cpu_percent, "%")),
            Fact("CPU millicores", number(usage.cpu_millicores)),
            Fact("Processes", number(usage.process_count)),
            Fact("Disk", number(usage.disk_mb, " MB")),
        ]
    build_facts: list[Fact] = []
    if status.build is not None:
        build = status.build
        cache = {True: "hit", False: "miss", None: "-"}[build.from_cache]
        build_facts = [
            Fact("Image", cut(build.image_tag, CELL_SHOWN) or "-", mono=True),
            Fact("Build time", timefmt.duration(timefmt.span(build.started_ms, build.finished_ms))),
            Fact("Cache", cache),
            plan.time_fact("Started", build.started_ms),
        ]
    return AttemptView(
        worker=worker,
        current=current,
        state=states.state(status.state),
        facts=tuple(facts),
        usage=tuple(usage_facts),
        build=tuple(build_facts),
        ports=tuple((cut(name, CELL_SHOWN), str(port)) for name, port in status.ports[:MANY_SHOWN]),
        error=cut(status.error, ERROR_IN_DETAIL) or None,
        log=log_view(plan, path, status.job_id, worker_id, attempt.log),
    )


def log_view(
    plan: Plan, path: str, job_id: str, worker_id: str, log: model.LogTail | None
) -> LogView | None:
    if log is None:
        return None
    shown = log.lines[len(log.lines) - min(plan.options.log_lines, len(log.lines)) :]
    html, cut_lines = logview.lines_html(shown)
    total = log.total_lines if log.total_lines is not None else len(log.lines)
    text_href = None
    if not plan.options.single_file:
        text_href = plan.site.href(path, plan.site.log_text_path(job_id, worker_id))
    return LogView(
        lines_html=html,
        shown=len(shown),
        total=max(total, len(shown)),
        sources=logview.source_counts(shown),
        text_href=text_href,
        cut_lines=cut_lines,
    )


def _worker_page(plan: Plan, path: str, worker_ids: Sequence[str]) -> PageOut:
    sections = tuple(worker_section(plan, path, worker_id) for worker_id in worker_ids)
    title = f"Worker {sections[0].worker_id}" if len(sections) == 1 else "Workers"
    crumbs = [Link("Workers", plan.site.href(path, site.WORKERS_INDEX))] if plan.controller else []
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
    job_rows = []
    by_id = plan.catalog.by_id
    for status in statuses:
        summary = by_id.get(status.job_id)
        usage = status.usage
        job_rows.append(
            WorkerJobRow(
                job_id=shown_id(status.job_id),
                short_id=short_id(status.job_id),
                href=plan.site.optional_href(path, plan.site.job_path(status.job_id))
                if summary is not None
                else None,
                name=cut(summary.name, CELL_SHOWN) or "-" if summary is not None else "-",
                state=states.state(status.state),
                exit_code=status.exit_code,
                started=plan.moment(status.started_at_ms),
                finished=plan.moment(status.finished_at_ms),
                error=cut(status.error, ERROR_IN_TABLE),
                memory=_memory(usage),
                memory_mb=usage.memory_mb if usage else None,
                cpu_percent=number(usage.cpu_percent if usage else None, "%"),
                processes=number(usage.process_count if usage else None),
                disk=number(usage.disk_mb if usage else None, " MB"),
                log_lines=number(log_counts.get(status.job_id)),
            )
        )
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
        jobs_html=rows.worker_job_rows(job_rows),
        job_count=len(job_rows),
    )


def _memory(usage: model.Usage | None) -> str:
    if usage is None or (usage.memory_mb is None and usage.memory_peak_mb is None):
        return "-"
    used = "-" if usage.memory_mb is None else f"{usage.memory_mb:,}"
    peak = "-" if usage.memory_peak_mb is None else f"{usage.memory_peak_mb:,}"
    return f"{used} / {peak} MB"


def _worker_facts(plan: Plan, info: model.WorkerInfo) -> tuple[Fact, ...]:
    healthy = {True: "yes", False: "no", None: "-"}[info.healthy]
    resources = info.resources
    return (
        Fact("Address", cut(info.address, CELL_SHOWN) or "-", mono=True),
        Fact("Healthy", healthy),
        Fact("Consecutive failures", number(info.consecutive_failures)),
        plan.time_fact("Last heartbeat", info.last_heartbeat_ms),
        Fact("Resources", describe_resources(resources)),
        Fact("Regions", _listed(resources.regions) if resources else "-"),
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
    path = site.OVERVIEW
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
    path = site.WORKERS_INDEX
    workers = sorted(plan.controller_workers, key=_unhealthy_first)
    return PageOut(
        path,
        "workers.html",
        WorkersPage(
            chrome=plan.chrome(path, "workers", "Workers"),
            workers=tuple(plan.worker_row(path, w) for w in workers),
            captured=len(plan.workers),
        ),
    )


def actions_page(plan: Plan, number_: int) -> PageOut:
    actions = plan.actions
    per_page = site.ACTIONS_PER_PAGE
    count = site.pages_needed(len(actions), per_page)
    path = site.actions_page(number_)
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
            pages=page_links(plan, path, number_, count, site.actions_page),
            total=len(actions),
        ),
    )


def timeline_page(plan: Plan) -> PageOut:
    path = site.TIMELINE
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
    path = site.ENDPOINTS
    return PageOut(
        path,
        "endpoints.html",
        EndpointsPage(
            chrome=plan.chrome(path, "endpoints", "Endpoints"),
            rows=tuple(plan.endpoint_row(path, e) for e in plan.endpoints),
        ),
    )


Task = Callable[[], list[Output]]


def tasks(plan: Plan) -> list[Task]:
    """Every page and text file of the bundle, as independent pieces of work.

    Each task builds its pages from the plan alone, so tasks can run in any order and
    in several processes at once.
    """
    work: list[Task] = []
    if plan.controller is not None:
        work.append(lambda: [PageOut(site.OVERVIEW, "overview.html", overview_page(plan))])
        work.append(lambda: [workers_page(plan)])
        work.append(lambda: [endpoints_page(plan)])
        work.append(lambda: [timeline_page(plan)])
        actions = site.pages_needed(len(plan.actions), site.ACTIONS_PER_PAGE)
        work += [partial(_one, actions_page, plan, n) for n in range(1, actions + 1)]
    elif not plan.lone_worker:
        work.append(lambda: [worker_snapshots_page(plan)])
    if plan.site.home_worker is not None:
        home = [plan.site.home_worker]
        work.append(lambda: [_worker_page(plan, site.OVERVIEW, home)])
    work += [partial(_one, job_list_page, plan, n) for n in range(1, plan.site.list_pages + 1)]
    work += [partial(job_detail_page, plan, i) for i in range(len(plan.site.detail_pages))]
    work += [
        partial(_one, _worker_page, plan, site.worker_page(i), workers)
        for i, workers in enumerate(plan.site.worker_pages)
    ]
    return work


def _one(build: Callable[..., PageOut], *args: object) -> list[Output]:
    return [build(*args)]


def all_pages(plan: Plan) -> Iterator[Output]:
    """Every page and text file of the bundle, built one at a time."""
    for task in tasks(plan):
        yield from task()

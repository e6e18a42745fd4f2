"""What the pages of one bundle share: the options, the jobs, the site map, rows and chrome.

`Plan` gathers once what several pages need (every job in list order, the site map,
the controller's workers and actions) and builds the pieces many pages show: job,
worker, action and endpoint rows with links relative to their page, and the chrome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from renderer.report import sitemap
from renderer.report.rows import RowMarkup
from renderer.report.sitemap import Site
from renderer.report.views import (
    ActionRow,
    Chrome,
    EndpointRow,
    Fact,
    JobRow,
    Link,
    Moment,
    NavItem,
    StateFilter,
    WorkerRow,
)
from renderer.report.wording import (
    CELL_SHOWN,
    ERROR_IN_TABLE,
    MANY_SHOWN,
    cut,
    describe_device,
    describe_resources,
    number,
    short_id,
    shown_id,
)
from renderer.snapshot import model, states
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.datasource import AttemptIndex, WorkerDataSource

CONTROLLER_HEADING = "Fluster Controller Dashboard"
WORKER_HEADING = "Fluster Worker Dashboard"
DEFAULT_LOG_LINES = 1000


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


Task = Callable[[], list[Output]]


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


def unhealthy_first(worker: model.WorkerInfo) -> tuple[bool, str]:
    return (worker.healthy is not False, worker.worker_id)


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
        self.log_lines = log_lines  # lines of log each job's page shows, for jobs with one
        self.jobs_in_order = sorted(self.catalog.summaries, key=attention_order)
        ordered_ids = [job.job_id for job in self.jobs_in_order]
        self.site = Site(
            job_ids=ordered_ids,
            detail_job_ids=detail_jobs(ordered_ids, log_lines, sitemap.DETAIL_PAGES_LIMIT),
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
    def rows(self) -> RowMarkup:
        """Writes the rows of the tables that hold every job."""
        return RowMarkup(self.site, self.captured_at_ms, self.log_lines)

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
        nav_targets = [
            ("Overview", sitemap.OVERVIEW, "overview"),
            ("Jobs", sitemap.JOBS_INDEX, "jobs"),
        ]
        if self.controller is not None:
            nav_targets += [
                ("Workers", sitemap.WORKERS_INDEX, "workers"),
                ("Timeline", sitemap.TIMELINE, "timeline"),
                ("Actions", sitemap.ACTIONS, "actions"),
                ("Endpoints", sitemap.ENDPOINTS, "endpoints"),
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
            stylesheet=self.site.href(path, sitemap.STYLESHEET),
            script=self.site.href(path, sitemap.SCRIPT),
            nav=nav,
            crumbs=tuple(crumbs),
            section_id=sitemap.section_id(path),
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
        stylesheet=sitemap.STYLESHEET,
        script=sitemap.SCRIPT,
        nav=(),
        crumbs=(),
        section_id=sitemap.section_id(path),
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

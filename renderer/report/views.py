"""View models: everything a template shows, as plain read-only values.

Values made per row (rows, links, times) are slotted rather than frozen: a frozen
dataclass takes seven times longer to build, and a large bundle builds a million.

Templates see only these: no data sources, no protobuf messages. Text is plain
(templates escape it); pre-built markup (tables from renderer.report.columns, a log's
lines from renderer.report.logs) is made from escaped text. Links are already
relative to the page they appear on. Each page's view names its template.

Longer than 400 lines on purpose: every view model a template sees is here, so a
template's fields are found in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from renderer.report import times
from renderer.report.timeline import Timeline
from renderer.snapshot.states import State


@dataclass(slots=True)
class Moment:
    """A time shown absolutely (UTC) and against the capture time.

    Formatted on use: a table of 100,000 jobs shows only some forms of each time.
    """

    ms: int | None
    captured_ms: int | None

    @property
    def text(self) -> str:
        """'2026-11-29 02:13:37 UTC', or '-'."""
        return times.utc(self.ms)

    @property
    def iso(self) -> str:
        """For <time datetime>; '' when unknown."""
        return times.iso(self.ms)

    @property
    def relative(self) -> str:
        """'3m 12s before capture', or ''."""
        return times.relative(self.ms, self.captured_ms)

    @property
    def short(self) -> str:
        """Time of day, dated when on another day than the capture (the full time is in
        the title)."""
        return times.time_in_day_of(self.ms, self.captured_ms)


@dataclass(slots=True)
class Link:
    text: str
    href: str | None  # None: show the text without a link


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link in a pager: another page, the current one, or a gap ('…', no link)."""

    text: str
    href: str | None
    current: bool = False


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    current: bool


@dataclass(frozen=True)
class Chrome:
    """What surrounds every page: title, capture banner, navigation."""

    view: str  # "controller" or "worker": picks the primary colour
    page_id: str  # stable hook for CSS and tests (body data-page)
    heading: str  # "Fluster Controller Dashboard"
    title: str  # the document title
    report_title: str | None  # --title, shown in the banner
    captured: Moment
    stylesheet: str
    script: str
    nav: tuple[NavItem, ...]
    crumbs: tuple[Link, ...]
    section_id: str  # the page's id as a section of a single-file report
    search_script: str = ""  # the header search's index (renderer.report.pages.search)
    search_href: str = ""  # where the search goes without script: the paginated job list


@dataclass(frozen=True)
class StatCard:
    label: str
    value: str
    state: State | None  # colours the card; None for worker and endpoint cards
    href: str | None
    alert: bool  # a problem count above zero: drawn to catch the eye
    detail: str = ""


@dataclass(frozen=True, slots=True)
class GangMember:
    """A job of the same gang, as a job's page lists it."""

    job_id: str
    short_id: str
    href: str | None
    name: str
    state: State
    this: bool  # the job whose page it is


@dataclass(slots=True)
class ActionRow:
    time: Moment
    action: str
    job: Link | None
    worker: Link | None
    details: str


@dataclass(slots=True)
class EndpointRow:
    name: str
    address: str
    job: Link | None
    job_state: State | None
    stale: str  # why the endpoint probably no longer answers, or ''
    namespace: str
    registered: Moment
    metadata: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table written from its column spec: `shown` of `total` rows, and a link to all."""

    html: Markup
    shown: int
    total: int
    all_href: str | None

    @property
    def cut(self) -> bool:
        return self.shown < self.total


@dataclass(frozen=True)
class Rows:
    """A few rows shown, and how many exist in all (with a link to all of them when cut)."""

    rows: tuple[object, ...]
    total: int
    all_href: str | None

    @property
    def cut(self) -> bool:
        return len(self.rows) < self.total


@dataclass(frozen=True)
class Fact:
    """One label: value line of a detail card."""

    label: str
    value: str
    note: str = ""  # muted text after the value, e.g. a relative time
    href: str | None = None
    state: State | None = None  # shows the value as a state badge
    mono: bool = False


@dataclass(frozen=True)
class LogView:
    """A log tail ready to show."""

    lines_html: Markup  # escaped lines from renderer.report.logs
    shown: int
    total: int
    sources: tuple[tuple[str, int], ...]  # (source, lines) for the tabs
    text_href: str | None  # the plain-text tail
    cut_lines: int  # lines shortened for display (full text in the plain-text file)
    first: int = 1  # the number of the first line shown, counted from the log's start
    first_error: int | None = None  # the number of the first line that looks like an error
    earlier: str = ""  # what became of the lines before the first shown, if any


@dataclass(slots=True)
class TrailEntry:
    """One line of a job's trail: when, what, from which record, and where to look."""

    time: Moment
    what: str
    source: str  # "controller", "worker", "task" or "action log"
    state: State | None
    worker: Link | None
    target: str | None  # the attempt on this page the line is about
    details: str


@dataclass(frozen=True)
class AttemptView:
    """A job as one worker ran it."""

    anchor: str
    worker: Link
    current: bool  # the attempt the controller points at
    state: State
    facts: tuple[Fact, ...]
    usage: tuple[Fact, ...]
    build: tuple[Fact, ...]
    ports: tuple[tuple[str, str], ...]
    error: str | None
    log: LogView | None


@dataclass(frozen=True)
class TaskAttemptView:
    """One attempt of a task: where it ran, how it ended, its log."""

    attempt: str  # "attempt 0"
    anchor: str
    current: bool
    worker: Link | None
    state: State
    exit_code: str
    error: str | None
    started: Moment
    finished: Moment
    duration: str
    reason: str
    log: LogView | None


@dataclass(frozen=True)
class TaskView:
    """A task of a job (one replica) and its attempts, oldest first."""

    task_id: str
    anchor: str
    state: State
    facts: tuple[Fact, ...]
    error: str | None
    root_cause: tuple[str, ...]
    attempts: tuple[TaskAttemptView, ...]


@dataclass(frozen=True)
class JobView:
    """A job's detail section."""

    job_id: str
    anchor: str
    name: str
    state: State
    error: str | None
    status: tuple[Fact, ...]
    retries: tuple[Fact, ...]
    gang_id: str | None
    gang: tuple[GangMember, ...]
    gang_total: int  # members in all; a huge gang shows only the first MANY_SHOWN
    request: tuple[Fact, ...]
    env_vars: tuple[tuple[str, str], ...]
    env_vars_total: int
    endpoints: tuple[EndpointRow, ...]
    endpoints_total: int
    attempts: tuple[AttemptView, ...]
    attempts_total: int
    not_captured: str | None  # why the worker side is missing, when it is
    tasks: tuple[TaskView, ...] = ()
    tasks_total: int = 0
    parent: Link | None = None
    children: tuple[Link, ...] = ()
    trail: tuple[TrailEntry, ...] = ()
    trail_total: int = 0
    trail_note: str = ""  # why the action log is silent about the job
    group: Link | None = None  # the failure group of its error


@dataclass(frozen=True)
class StateFilter:
    """A state a list can be filtered to, with its count."""

    state: State
    count: int


@dataclass(frozen=True, slots=True)
class FailureGroupView:
    """Failures that share an error's signature, as the overview and the failures page show them."""

    key: str
    anchor: str
    signature: str
    example_error: str  # the newest failure's own error, in full
    count: int
    counted: str  # "12 jobs", "3 tasks of 2 jobs"
    states: tuple[tuple[State, int], ...]
    first: Moment
    last: Moment
    example: Link | None  # the newest failure's job (or task)
    href: str  # the group on the failures page
    jobs: tuple[Link, ...]  # its first jobs, on the failures page
    jobs_total: int
    list_href: str | None  # the job list showing this group's jobs alone (None: single file)


# ---- pages: each names its template ----


@dataclass(frozen=True)
class OverviewPage:
    """The controller's front page: what broke, what runs, what waits."""

    template: ClassVar[str] = "overview.html"
    failure_groups: Rows  # of FailureGroupView
    chrome: Chrome
    cards: tuple[StatCard, ...]
    problems: Table  # failed, unschedulable and worker-failed jobs
    unhealthy_workers: Table
    actions: Rows  # of ActionRow
    jobs: Table  # the queue in order, then the other jobs
    workers: Table
    endpoints: Rows  # of EndpointRow
    filters: tuple[StateFilter, ...]
    jobs_href: str
    redaction: str  # how many values were redacted, or that redaction was off; '' if neither
    provenance: tuple[str, ...] = ()  # where an imported snapshot came from, what it lacks


@dataclass(frozen=True)
class FailuresPage:
    """Every failure group, largest first."""

    template: ClassVar[str] = "failures.html"
    chrome: Chrome
    groups: tuple[FailureGroupView, ...]
    total: int  # groups in all
    failures: int  # failures in all


@dataclass(frozen=True)
class SearchDataPage:
    """The header search's index as a data block: a single-file report's hidden section."""

    template: ClassVar[str] = "search_data.html"
    chrome: Chrome
    data: dict[str, object]


@dataclass(frozen=True)
class JobListPage:
    """One page of the full job list; page 1 also carries every job for the script."""

    template: ClassVar[str] = "jobs.html"
    chrome: Chrome
    table: Markup  # from renderer.report.columns: heading and one row per job of this page
    shown: int
    number: int
    pages: tuple[PageLink, ...]
    total: int
    first: int  # position of the first row, from 1
    filters: tuple[StateFilter, ...]
    data: dict[str, object] | None  # every job, compactly, for the in-page list (page 1 only)
    every_job_href: str | None = None  # later pages: where search and chips reach every job
    list_frame: Markup | None = None  # with data: the empty table the script draws into


@dataclass(frozen=True)
class JobDetailPage:
    """A page of job details; the stylesheet shows the targeted one."""

    template: ClassVar[str] = "job_detail.html"
    chrome: Chrome
    jobs: tuple[JobView, ...]
    first: int
    total: int
    jobs_href: str


@dataclass(frozen=True)
class WorkerSection:
    """A worker's page: what the controller knew of it and, when captured, its own view."""

    worker_id: str
    anchor: str
    facts: tuple[Fact, ...]  # the controller's record of it, when known
    healthy: bool | None
    known: bool  # the controller lists it
    note: str | None  # why its own view is missing
    cards: tuple[StatCard, ...]
    controller_jobs: Table | None  # the controller's jobs on it its own record lacks
    controller_total: int  # the controller's jobs on it, in its own record or not
    jobs: Markup | None  # its own table of jobs, from its snapshot (None when not captured)
    job_count: int
    jobs_shown: int  # rows of that table (the newest problems first)
    actions: Rows  # the actions naming it, newest first


@dataclass(frozen=True)
class WorkerPage:
    """A page of worker dashboards; the stylesheet shows the targeted one."""

    template: ClassVar[str] = "worker.html"
    chrome: Chrome
    workers: tuple[WorkerSection, ...]


@dataclass(frozen=True)
class HealthFilter:
    """A worker health the workers list can be filtered to (#state=NAME), with its count."""

    name: str  # healthy, unhealthy, unknown
    label: str
    css_class: str
    count: int


@dataclass(frozen=True)
class WorkersPage:
    """Every worker the controller knows (or, without one, every captured worker).

    Paginated like the job list: page 1 also carries every worker for the script.
    """

    template: ClassVar[str] = "workers.html"
    chrome: Chrome
    workers: Table  # this page's rows; `total` counts every worker
    captured: int
    pages: tuple[PageLink, ...] = ()
    first: int = 1  # position of the first row, from 1
    filters: tuple[HealthFilter, ...] = ()
    data: dict[str, object] | None = None  # every worker, compactly (page 1 only)
    list_frame: Markup | None = None  # with data: the empty table the script draws into
    every_worker_href: str | None = None  # later pages: where search and chips reach all


@dataclass(frozen=True)
class ActionsPage:
    template: ClassVar[str] = "actions.html"
    chrome: Chrome
    rows: tuple[ActionRow, ...]
    number: int
    pages: tuple[PageLink, ...]
    total: int
    shown: int  # the newest this many are listed


@dataclass(frozen=True)
class EndpointsPage:
    template: ClassVar[str] = "endpoints.html"
    chrome: Chrome
    rows: tuple[EndpointRow, ...]


@dataclass(frozen=True)
class TimelinePage:
    """Job lifetimes as a chart (renderer.report.timeline), with what it leaves out."""

    template: ClassVar[str] = "timeline.html"
    chrome: Chrome
    timeline: Timeline | None  # None when no job has a time
    states: tuple[State, ...]  # for the legend


@dataclass(frozen=True)
class Section:
    """One page of a single-file report: its content, rendered, or packed (gzip in
    base64, unpacked by the script when the page is opened; `html` is then empty)."""

    section_id: str
    page_id: str
    view: str
    html: Markup
    packed: str = ""


@dataclass(frozen=True)
class SingleFilePage:
    """A whole report in one document, for email: every page a section, assets inline."""

    template: ClassVar[str] = "single.html"
    chrome: Chrome
    sections: tuple[Section, ...]
    style: Markup  # the bundle's own stylesheet, never snapshot data
    script: Markup  # the bundle's own script
    style_hash: str  # 'sha256-…' for the Content-Security-Policy
    script_hash: str
    targets: str = ""  # packed: which section holds each page-wide anchor (JSON, packed)
    summary: bool = False  # --summary-only: say what the report leaves out

    @property
    def packed(self) -> bool:
        return any(section.packed for section in self.sections)

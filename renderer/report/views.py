"""View models: everything a template shows, as plain read-only values.

Values made per row (rows, links, times) are slotted rather than frozen: a frozen
dataclass takes seven times longer to build, and a large bundle builds a million.

Templates see only these: no data sources, no protobuf messages. Text is plain
(templates escape it); the only pre-built markup is a log's lines (renderer.report.logs),
made from escaped text. Links are already relative to the page they appear on.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from renderer.report import times
from renderer.report.wording import describe_retries
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
        """Time of day only, for dense tables (the full date is in the title)."""
        return times.time_of_day(self.ms)


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


@dataclass(frozen=True)
class StatCard:
    label: str
    value: str
    state: State | None  # colours the card; None for worker and endpoint cards
    href: str | None
    alert: bool  # a problem count above zero: drawn to catch the eye
    detail: str = ""


@dataclass(slots=True)
class JobRow:
    """One job in a table."""

    job_id: str
    short_id: str
    row_id: str  # the row's anchor in the paginated job list
    href: str | None
    name: str
    state: State
    worker: Link | None
    resources: str
    error: str
    exit_code: int | None
    submitted: Moment
    started: Moment
    finished: Moment
    failures: int | None
    preemptions: int | None
    queue_position: int | None

    @property
    def duration_ms(self) -> int | None:
        """Run time: to the finish, or to the capture for a job still running."""
        end = self.finished.ms if self.finished.ms is not None else self.finished.captured_ms
        return times.span(self.started.ms, end)

    @property
    def duration(self) -> str:
        return times.duration(self.duration_ms)

    @property
    def retries(self) -> str:
        return describe_retries(self.failures, self.preemptions)


@dataclass(slots=True)
class WorkerRow:
    worker_id: str
    href: str | None  # None when the worker's snapshot was not captured
    address: str
    healthy: bool | None
    cpu: str
    memory: str
    device: str
    running: int
    consecutive_failures: str
    last_heartbeat: Moment


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
    """Rows shown, and how many exist in all (with a link to all of them when cut)."""

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


@dataclass(frozen=True)
class AttemptView:
    """A job as one worker ran it."""

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
    gang: tuple[JobRow, ...]
    gang_total: int  # members in all; a huge gang shows only the first MANY_SHOWN
    request: tuple[Fact, ...]
    env_vars: tuple[tuple[str, str], ...]
    env_vars_total: int
    endpoints: tuple[EndpointRow, ...]
    endpoints_total: int
    attempts: tuple[AttemptView, ...]
    attempts_total: int
    not_captured: str | None  # why the worker side is missing, when it is


@dataclass(frozen=True)
class StateFilter:
    """A state a list can be filtered to, with its count."""

    state: State
    count: int


# ---- pages ----


@dataclass(frozen=True)
class OverviewPage:
    """The controller's front page: what broke, what runs, what waits."""

    chrome: Chrome
    cards: tuple[StatCard, ...]
    problems: Table  # failed, unschedulable and worker-failed jobs
    unhealthy_workers: Table  # of WorkerRow
    actions: Table
    jobs: Table  # the queue in order, then the other jobs
    workers: Table
    endpoints: Table
    filters: tuple[StateFilter, ...]
    jobs_href: str


@dataclass(frozen=True)
class JobListPage:
    """One page of the full job list; page 1 also carries every job for the script."""

    chrome: Chrome
    rows_html: Markup  # from renderer.report.rows: one row per job of this page
    shown: int
    number: int
    pages: tuple[PageLink, ...]
    total: int
    first: int  # position of the first row, from 1
    filters: tuple[StateFilter, ...]
    data: dict[str, object] | None  # every job, compactly, for the in-page list (page 1 only)
    every_job_href: str | None = None  # later pages: where search and chips reach every job


@dataclass(frozen=True)
class JobDetailPage:
    """A page of job details; the stylesheet shows the targeted one."""

    chrome: Chrome
    jobs: tuple[JobView, ...]
    first: int
    total: int
    jobs_href: str


@dataclass(frozen=True)
class WorkerSection:
    """A worker's own dashboard, from its snapshot."""

    worker_id: str
    anchor: str
    facts: tuple[Fact, ...]  # the controller's record of it, when known
    cards: tuple[StatCard, ...]
    jobs_html: Markup  # from renderer.report.rows
    job_count: int


@dataclass(frozen=True)
class WorkerPage:
    """A page of worker dashboards; the stylesheet shows the targeted one."""

    chrome: Chrome
    workers: tuple[WorkerSection, ...]


@dataclass(frozen=True)
class WorkersPage:
    chrome: Chrome
    workers: tuple[WorkerRow, ...]
    captured: int


@dataclass(frozen=True)
class ActionsPage:
    chrome: Chrome
    rows: tuple[ActionRow, ...]
    number: int
    pages: tuple[PageLink, ...]
    total: int


@dataclass(frozen=True)
class EndpointsPage:
    chrome: Chrome
    rows: tuple[EndpointRow, ...]


@dataclass(frozen=True)
class Section:
    """One page of a single-file report: its content, rendered."""

    section_id: str
    page_id: str
    view: str
    html: Markup


@dataclass(frozen=True)
class SingleFilePage:
    """A whole report in one document, for email: every page a section, assets inline."""

    chrome: Chrome
    sections: tuple[Section, ...]
    style: Markup  # the bundle's own stylesheet, never snapshot data
    script: Markup  # the bundle's own script
    style_hash: str  # 'sha256-…' for the Content-Security-Policy
    script_hash: str


@dataclass(frozen=True)
class TimelinePage:
    """Job lifetimes as a chart (renderer.report.timeline), with what it leaves out."""

    chrome: Chrome
    timeline: object | None  # renderer.report.timeline.Timeline; None when no job has a time
    states: tuple[State, ...]  # for the legend


@dataclass(frozen=True)
class DiffPage:
    """Two snapshots compared (renderer.workflow.diff.SnapshotDiff)."""

    chrome: Chrome
    diff: object  # renderer.workflow.diff.SnapshotDiff
    states: dict[str, State]  # state names in the diff, for their badges

"""What every page of one report is built from, and what a page builder gives back.

A builder is a function `build(report, *arguments) -> list[Output]`: it reads the
report's catalog (what the snapshots hold, in order), its site map (where each page
lives) and its options, and returns its pages, each a view model that names its own
template, and any plain-text files. Builders share nothing else, so the render can
run them in any order and in several processes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from renderer.report import chrome, sitemap
from renderer.report.columns import Cells
from renderer.report.links import Links
from renderer.report.sitemap import Site
from renderer.report.views import Chrome, Fact, Link, Moment
from renderer.snapshot.catalog import Catalog, detail_jobs
from renderer.snapshot.cluster import ClusterSources

DEFAULT_LOG_LINES = 1000
# A packed single file is for mail: its logs show their last lines this many, unless
# asked otherwise (at 100,000 jobs, a thousand lines a log was 14 of the file's 36 MB).
PACKED_LOG_LINES = 200


@dataclass(frozen=True)
class RenderOptions:
    """What the person rendering chose."""

    title: str | None = None
    log_lines: int | None = None  # None: DEFAULT_LOG_LINES, or PACKED_LOG_LINES packed
    single_file: bool = False
    processes: int | None = None  # None: one per core for a large cluster, else one
    # A single file's pages but the front one compressed (renderer.report.bundle):
    # None packs one that would be large (`packs`).
    pack: bool | None = None
    # Detail sections for problems only, no workers' pages: a smaller report.
    summary_only: bool = False


# A single file is packed past any of these: more than one page of a list (a list of
# many pages is read through the script anyway), many log lines or captured workers.
PACK_FROM_LOG_LINES = 50_000
PACK_FROM_CAPTURED_WORKERS = 200


def packs(jobs: int, workers: int, log_lines: int, captured: int) -> bool:
    """Whether a single file of a report this large is packed, when not asked either way."""
    return (
        jobs > sitemap.JOBS_PER_LIST_PAGE
        or workers > sitemap.WORKERS_PER_LIST_PAGE
        or log_lines > PACK_FROM_LOG_LINES
        or captured > PACK_FROM_CAPTURED_WORKERS
    )


class PageView(Protocol):
    """A page's view model: the template that shows it and the chrome around it."""

    template: ClassVar[str]

    @property
    def chrome(self) -> Chrome: ...


@dataclass(frozen=True)
class Page:
    """A page to write: where it goes and what it shows."""

    path: str
    view: PageView


@dataclass(frozen=True)
class TextFile:
    """A plain-text file to write: a log tail, whole."""

    path: str
    text: str


Output = Page | TextFile


class Report:
    """One report: its catalog, site map, options and links, shared by every page builder."""

    def __init__(self, sources: ClusterSources, options: RenderOptions) -> None:
        self.catalog = catalog = Catalog(sources)
        self.options = options
        # Last lines of each log its page shows (see PACKED_LOG_LINES below).
        self.log_limit = DEFAULT_LOG_LINES if options.log_lines is None else options.log_lines
        log_lines = catalog.log_lines(self.log_limit)  # jobs with a log only
        ordered = [job.job_id for job in catalog.jobs]
        home = next(iter(catalog.captured)) if catalog.lone_worker else None
        captured = list(catalog.captured)
        if options.summary_only:
            problems = [job.job_id for job in catalog.needing_attention]
            detailed = detail_jobs(problems, log_lines, sitemap.DETAIL_PAGES_LIMIT)
            chosen = set(detailed)
            # A log shows on its job's page: the others' are not in the report.
            log_lines = {job_id: n for job_id, n in log_lines.items() if job_id in chosen}
            captured = [home] if home is not None else []  # no workers' pages but the front
        else:
            detailed = detail_jobs(ordered, log_lines, sitemap.DETAIL_PAGES_LIMIT)
        self.log_lines = log_lines
        # A packed single file is read with its script: each list is one page of data.
        self.packed = options.single_file and (
            options.pack
            if options.pack is not None
            else packs(len(ordered), len(catalog.workers), sum(log_lines.values()), len(captured))
        )
        if self.packed and options.log_lines is None:
            self.log_limit = PACKED_LOG_LINES
            shorter = catalog.log_lines(self.log_limit)
            log_lines = {job_id: shorter[job_id] for job_id in log_lines}
            self.log_lines = log_lines
        self.site = Site(
            job_ids=ordered,
            detail_job_ids=detailed,
            log_lines=self.log_lines,
            worker_ids=[worker.worker_id for worker in catalog.workers],
            captured_workers=captured,
            single_file=options.single_file,
            home_worker=home,
            one_list_page=self.packed,
            # In a single file of many workers, the workers list says what the
            # controller knew of each: a page of it for each of 10,000 workers was
            # half the file of 100,000 jobs.
            every_worker_page=not options.summary_only
            and not (options.single_file and len(catalog.workers) > sitemap.WORKERS_PER_LIST_PAGE),
        )
        self.links = Links(self.site, catalog.by_id, catalog.captured)
        # Values the sources redacted for the pages built so far; renderer.report.bundle
        # sets it before the last tasks (the overview says it).
        self.redacted = 0
        self.redaction_on = sources.redactor is None or sources.redactor.enabled
        catalog.warm()  # what pages share is converted before a render forks

    @property
    def captured_at_ms(self) -> int | None:
        return self.catalog.captured_at_ms

    def chrome(
        self, path: str, page_id: str, title: str, crumbs: Sequence[Link] = (), view: str = ""
    ) -> Chrome:
        """The header, banner and navigation of a page at `path`."""
        return chrome.page_chrome(
            self.site,
            path,
            page_id,
            title,
            view or ("controller" if self.catalog.controller is not None else "worker"),
            with_controller=self.catalog.controller is not None,
            report_title=self.options.title,
            captured_at_ms=self.captured_at_ms,
            crumbs=crumbs,
        )

    def cells(self, page: str, in_list: bool = False, dense: bool = False) -> Cells:
        """What the tables of the page at `page` are written with.

        The job list (`in_list`) has thousands of rows a page and worker pages
        thousands of sections: their cells are `dense`.
        """
        return Cells(
            self.links,
            page,
            self.captured_at_ms,
            self.log_lines,
            in_list,
            in_list or dense,
            self.catalog.group_of_job,
        )

    def moment(self, ms: int | None) -> Moment:
        return Moment(ms, self.captured_at_ms)

    def time_fact(self, label: str, ms: int | None) -> Fact:
        """A time on a detail card: UTC, then how long before the capture."""
        moment = self.moment(ms)
        return Fact(label, moment.text, moment.relative)


Builder = Callable[..., list[Output]]
Task = tuple[Builder, tuple[object, ...]]

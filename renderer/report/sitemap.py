"""Where every page and file of a bundle lives, and how pages link to each other.

Every job has a row in the paginated job list (`jobs/page-N.html#r-<id>`). Up to
DETAIL_PAGES_LIMIT jobs, the most relevant first, also get a full detail section; a
detail page holds up to JOBS_PER_DETAIL_PAGE of them (and about
LOG_LINES_PER_DETAIL_PAGE log lines), and the stylesheet shows only the targeted one,
so `jobs/detail-0003.html#j-<id>` reads as that job's own page. Worker pages are
shared the same way: every worker has a section, the controller's workers (unhealthy
first) and then any other worker whose snapshot was captured. Sharing pages keeps a
100,000-job bundle to a few hundred files, and the limit on detail sections keeps its
render time close to linear in the jobs.

In single-file mode every page is a section of one document and links are fragments.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence

from renderer.report.filenames import SlugRegistry

OVERVIEW = "index.html"
JOBS_INDEX = "jobs/index.html"
WORKERS_INDEX = "workers/index.html"
ACTIONS = "actions.html"
ENDPOINTS = "endpoints.html"
TIMELINE = "timeline.html"
FAILURES = "failures.html"
STYLESHEET = "static/style.css"
SCRIPT = "static/app.js"
SEARCH_SCRIPT = "static/search.js"  # the header search's index

JOBS_PER_LIST_PAGE = 500
WORKERS_PER_LIST_PAGE = 500
DETAIL_PAGES_LIMIT = 5000  # jobs with a full detail section; every job has a list row
JOBS_PER_DETAIL_PAGE = 50
LOG_LINES_PER_DETAIL_PAGE = 2500
WORKERS_PER_PAGE = 50
ACTIONS_PER_PAGE = 1000


def list_page(number: int) -> str:
    """Path of page `number` (from 1) of the paginated job list."""
    return JOBS_INDEX if number == 1 else f"jobs/page-{number}.html"


def workers_list_page(number: int) -> str:
    """Path of page `number` (from 1) of the paginated list of every worker.

    Named apart from the captured workers' own pages (workers/page-NNNN.html).
    """
    return WORKERS_INDEX if number == 1 else f"workers/list-{number}.html"


def actions_page(number: int) -> str:
    return ACTIONS if number == 1 else f"actions-{number}.html"


def detail_page(index: int) -> str:
    return f"jobs/detail-{index + 1:04d}.html"


def worker_page(index: int) -> str:
    return f"workers/page-{index + 1:04d}.html"


def pages_needed(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def section_id(path: str) -> str:
    """The id of a page's section in a single-file report."""
    return "p-" + path.removesuffix(".html").replace("/", "-").replace(".", "-")


def _pack(
    items: Sequence[str], cost: Mapping[str, int], per_page: int, budget: int
) -> list[list[str]]:
    """Consecutive items in pages of at most `per_page`, closing a page past `budget` cost."""
    pages: list[list[str]] = []
    current: list[str] = []
    spent = 0
    for item in items:
        price = cost.get(item, 0)
        if current and (len(current) >= per_page or spent + price > budget):
            pages.append(current)
            current, spent = [], 0
        current.append(item)
        spent += price
    if current:
        pages.append(current)
    return pages


class Site:
    """The bundle's map: paths of pages and files, and links between them."""

    def __init__(
        self,
        job_ids: Sequence[str],
        detail_job_ids: Sequence[str],
        log_lines: Mapping[str, int],
        worker_ids: Iterable[str],
        captured_workers: Sequence[str],
        single_file: bool = False,
        home_worker: str | None = None,
        one_list_page: bool = False,
        every_worker_page: bool = True,
    ) -> None:
        """`job_ids` in list order; `detail_job_ids` (a subset) in detail-page order.

        `one_list_page`: the job and worker lists are one page each, for a report read
        only with its script (a packed single file), whose in-page lists show every row.
        `every_worker_page`: False gives pages to the captured workers alone.
        """
        self.single_file = single_file
        self.job_slugs = SlugRegistry(list(job_ids))
        worker_ids = list(worker_ids)
        self.worker_slugs = SlugRegistry([*worker_ids, *captured_workers])
        per_list_page = len(job_ids) + 1 if one_list_page else JOBS_PER_LIST_PAGE
        # One number object per page, not one per job: a million jobs on 2,000 pages.
        numbers = list(range(1, pages_needed(len(job_ids), per_list_page) + 1))
        self._list_page = {job_id: numbers[i // per_list_page] for i, job_id in enumerate(job_ids)}
        self.list_pages = pages_needed(len(self._list_page), per_list_page)
        self.worker_list_pages = (
            1 if one_list_page else pages_needed(len(worker_ids), WORKERS_PER_LIST_PAGE)
        )
        self.detail_pages = _pack(
            detail_job_ids, log_lines, JOBS_PER_DETAIL_PAGE, LOG_LINES_PER_DETAIL_PAGE
        )
        self._detail_page = {j: i for i, page in enumerate(self.detail_pages) for j in page}
        self.detail_total = sum(len(page) for page in self.detail_pages)
        # Position (from 1) of the first job of each detail page.
        self.detail_first = [1]
        for page in self.detail_pages[:-1]:
            self.detail_first.append(self.detail_first[-1] + len(page))
        # A lone worker snapshot: that worker's page is the bundle's front page.
        self.home_worker = home_worker
        every = dict.fromkeys(
            [*worker_ids, *captured_workers] if every_worker_page else captured_workers
        )
        paged = [w for w in every if w != home_worker]
        self.worker_pages = [
            paged[i : i + WORKERS_PER_PAGE] for i in range(0, len(paged), WORKERS_PER_PAGE)
        ]
        self._worker_page = {w: i for i, page in enumerate(self.worker_pages) for w in page}
        self._worker_position = {w: i + 1 for i, w in enumerate(paged)}
        self.worker_total = len(paged)
        # Links are made by the hundred thousand: remember each page's folder and each
        # relative path between folders.
        self._folders: dict[str, str] = {}
        self._relative_cache: dict[tuple[str, str], str] = {}

    # ---- paths ----

    def job_anchor(self, job_id: str) -> str:
        """Id of a job's detail section."""
        return "j-" + self.job_slugs[job_id]

    def row_anchor(self, job_id: str) -> str:
        """Id of a job's row in the paginated list."""
        return "r-" + self.job_slugs[job_id]

    def has_detail(self, job_id: str) -> bool:
        return job_id in self._detail_page

    def detail_number(self, job_id: str) -> int:
        """Number (from 1) of the detail page holding the job; 0 when it has none."""
        page = self._detail_page.get(job_id)
        return 0 if page is None else page + 1

    def job_path(self, job_id: str) -> str | None:
        """Where a job is shown best: its detail section, else its row in the job list."""
        page = self._detail_page.get(job_id)
        if page is not None:
            return f"{detail_page(page)}#{self.job_anchor(job_id)}"
        number = self._list_page.get(job_id)
        if number is None:
            return None
        return f"{list_page(number)}#{self.row_anchor(job_id)}"

    def worker_anchor(self, worker_id: str) -> str:
        return "w-" + self.worker_slugs[worker_id]

    def worker_path(self, worker_id: str) -> str | None:
        """A worker's section, or None for a worker neither the controller nor a snapshot knows."""
        if worker_id == self.home_worker:
            return OVERVIEW
        page = self._worker_page.get(worker_id)
        if page is None:
            return None
        return f"{worker_page(page)}#{self.worker_anchor(worker_id)}"

    def worker_first(self, worker_id: str) -> int:
        """A worker's position (from 1) among the workers with a section."""
        return self._worker_position.get(worker_id, 0)

    def worker_page_number(self, worker_id: str) -> int:
        """Number (from 1) of the worker page holding a captured worker; 0 when none does."""
        page = self._worker_page.get(worker_id)
        return 0 if page is None else page + 1

    def log_text_path(self, job_id: str, worker_id: str) -> str:
        return f"logs/{self.worker_slugs[worker_id]}/{self.job_slugs[job_id]}.txt"

    # ---- links ----

    def folder(self, page: str) -> str:
        """The folder of a page ('' at the top), remembered: links are made by the million."""
        folder = self._folders.get(page)
        if folder is None:
            folder = self._folders[page] = posixpath.dirname(page)
        return folder

    def href(self, from_page: str, target: str) -> str:
        """A link from one page to a path (with optional fragment), relative or in-document."""
        path, _, fragment = target.partition("#")
        if self.single_file:
            return "#" + (fragment or section_id(path))
        key = (self.folder(from_page), path)
        relative = self._relative_cache.get(key)
        if relative is None:
            relative = posixpath.relpath(path, key[0] or ".")
            self._relative_cache[key] = relative
        return f"{relative}#{fragment}" if fragment else relative

    def optional_href(self, from_page: str, target: str | None) -> str | None:
        return None if target is None else self.href(from_page, target)

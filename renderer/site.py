"""Where every page and file of a bundle lives, and how pages link to each other.

A job's detail lives in a detail page shared with its neighbours (at most
JOBS_PER_DETAIL_PAGE jobs, and no more than about LOG_LINES_PER_DETAIL_PAGE log
lines), under an anchor of its own; the stylesheet shows only the targeted job, so
`jobs/detail-0003.html#j-<id>` reads as that job's page. Sharing pages keeps a
100,000-job bundle to a few thousand files.

In single-file mode every page is a section of one document and links are fragments.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from renderer.naming import SlugRegistry

OVERVIEW = "index.html"
JOBS_INDEX = "jobs/index.html"
WORKERS_INDEX = "workers/index.html"
ACTIONS = "actions.html"
ENDPOINTS = "endpoints.html"
STYLESHEET = "static/style.css"
SCRIPT = "static/app.js"

JOBS_PER_LIST_PAGE = 500
JOBS_PER_DETAIL_PAGE = 50
LOG_LINES_PER_DETAIL_PAGE = 2500
ACTIONS_PER_PAGE = 1000


def list_page(number: int) -> str:
    """Path of page `number` (from 1) of the paginated job list."""
    return JOBS_INDEX if number == 1 else f"jobs/page-{number}.html"


def actions_page(number: int) -> str:
    return ACTIONS if number == 1 else f"actions-{number}.html"


def pages_needed(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


class Site:
    """The bundle's map: paths of pages and files, and links between them."""

    def __init__(
        self,
        job_ids: Iterable[str],
        log_lines: Mapping[str, int],
        worker_ids: Iterable[str],
        captured_workers: Iterable[str],
        single_file: bool = False,
        home_worker: str | None = None,
    ) -> None:
        ordered = list(dict.fromkeys(job_ids))
        self.single_file = single_file
        self.job_slugs = SlugRegistry(ordered)
        self.worker_slugs = SlugRegistry(list(worker_ids))
        self.captured = frozenset(captured_workers)
        # A lone worker snapshot: that worker's page is the bundle's front page.
        self.home_worker = home_worker
        self.detail_pages: list[list[str]] = []
        self._detail_page_of: dict[str, int] = {}
        self._plan_detail_pages(ordered, log_lines)

    def _plan_detail_pages(self, job_ids: list[str], log_lines: Mapping[str, int]) -> None:
        current: list[str] = []
        lines = 0
        for job_id in job_ids:
            cost = log_lines.get(job_id, 0)
            if current and (
                len(current) >= JOBS_PER_DETAIL_PAGE or lines + cost > LOG_LINES_PER_DETAIL_PAGE
            ):
                self.detail_pages.append(current)
                current, lines = [], 0
            self._detail_page_of[job_id] = len(self.detail_pages)
            current.append(job_id)
            lines += cost
        if current:
            self.detail_pages.append(current)

    # ---- paths ----

    @staticmethod
    def detail_page(index: int) -> str:
        return f"jobs/detail-{index + 1:04d}.html"

    def job_anchor(self, job_id: str) -> str:
        return "j-" + self.job_slugs[job_id]

    def job_path(self, job_id: str) -> str | None:
        """Page and fragment of a job's detail, or None for a job the bundle does not hold."""
        page = self._detail_page_of.get(job_id)
        if page is None:
            return None
        return f"{self.detail_page(page)}#{self.job_anchor(job_id)}"

    def worker_path(self, worker_id: str) -> str | None:
        """A captured worker's page, or None when its snapshot is not in the bundle."""
        if worker_id not in self.captured:
            return None
        if worker_id == self.home_worker:
            return OVERVIEW
        return f"workers/{self.worker_slugs[worker_id]}.html"

    def log_text_path(self, job_id: str, worker_id: str) -> str:
        return f"logs/{self.worker_slugs[worker_id]}/{self.job_slugs[job_id]}.txt"

    # ---- links ----

    def href(self, from_page: str, target: str) -> str:
        """A link from one page to a path (with optional fragment), relative or in-document."""
        path, _, fragment = target.partition("#")
        if self.single_file:
            return "#" + (fragment or section_id(path))
        relative = posixpath.relpath(path, posixpath.dirname(from_page) or ".")
        return f"{relative}#{fragment}" if fragment else relative

    def optional_href(self, from_page: str, target: str | None) -> str | None:
        return None if target is None else self.href(from_page, target)


def section_id(path: str) -> str:
    """The id of a page's section in a single-file report."""
    return "p-" + path.removesuffix(".html").replace("/", "-").replace(".", "-")

"""Links between the pages of one report: to a job, to a worker, relative to the page.

Links are made by the hundred thousand (a row per job, a job per worker row), so the
markup of a worker's link is made once per folder it is linked from.
"""

from __future__ import annotations

from collections.abc import Container

from renderer.report.markup import esc
from renderer.report.sitemap import Site
from renderer.report.views import Link
from renderer.report.wording import short_id, shown_id

NO_PAGE = "no detail page in this report"


class Links:
    """Links to the jobs and workers of one report, from any of its pages."""

    def __init__(self, site: Site, jobs: Container[str], captured: Container[str] = ()) -> None:
        self.site = site
        self._jobs = jobs  # ids of the jobs the report shows
        self.captured = captured  # workers whose own snapshot is in the report
        self._worker_markup: dict[tuple[str, str], str] = {}

    def job(self, page: str, job_id: str | None, text: str | None = None) -> Link | None:
        """A link to where a job is shown best; its text alone when the report lacks it."""
        if job_id is None:
            return None
        target = self.site.job_path(job_id) if job_id in self._jobs else None
        return Link(text or short_id(job_id), self.site.optional_href(page, target))

    def worker(self, page: str, worker_id: str | None) -> Link | None:
        """A link to a worker's page; its id alone for a worker the report does not know."""
        if worker_id is None:
            return None
        href = self.site.optional_href(page, self.site.worker_path(worker_id))
        return Link(shown_id(worker_id), href)

    def job_markup(self, page: str, job_id: str, in_list: bool = False) -> str:
        """A job's short id for a table cell, linked to where the job is shown best.

        In the job list, a job without a detail section is shown unlinked and marked:
        its row is all the report holds, and a link to the row itself would do nothing.
        """
        title = esc(shown_id(job_id))
        # Most ids need no escaping; then the short form needs none either.
        text = short_id(job_id) if title == job_id else esc(short_id(job_id))
        site = self.site
        if in_list and not site.has_detail(job_id):
            return f'<span class="mono no-page" title="{title} · {NO_PAGE}">{text}</span>'
        href = site.optional_href(page, site.job_path(job_id)) if job_id in self._jobs else None
        if href is None:
            return f'<span class="mono" title="{title}">{text}</span>'
        return f'<a href="{esc(href)}" class="mono" title="{title}">{text}</a>'

    def worker_markup(self, page: str, worker_id: str | None) -> str:
        """A worker's id linked to its page (every worker the report knows has one)."""
        if worker_id is None:
            return '<span class="muted">-</span>'
        key = (self.site.folder(page), worker_id)
        made = self._worker_markup.get(key)
        if made is None:
            text = esc(shown_id(worker_id))
            href = self.site.optional_href(page, self.site.worker_path(worker_id))
            made = f'<a href="{esc(href)}">{text}</a>' if href else f"<span>{text}</span>"
            self._worker_markup[key] = made
        return made

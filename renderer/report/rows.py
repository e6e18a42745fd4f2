"""Rows of the tables that hold every job or every worker, built in Python for speed.

The job list and the worker pages have a row per job: some 200,000 rows for a large
cluster. A Jinja loop costs about 25 µs a row (an escape call and a Markup object per
value), and building a view model per row first costs as much again; these builders
write each row straight from the model in 5 to 10 µs. Markup that repeats from row to
row (state badges, worker links, resource texts, times of day) is made once.

Every value goes through html.escape, which quotes &, <, >, " and ' as markupsafe
does; the markup around the values is fixed text. The XSS corpus in
tests/test_hostile.py is rendered through these rows like everything else.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

from renderer.report import markup, times
from renderer.report.sitemap import Site
from renderer.report.views import WorkerRow
from renderer.report.wording import (
    CELL_SHOWN,
    ERROR_IN_TABLE,
    cut,
    describe_resources,
    describe_retries,
    number,
    short_id,
    shown_id,
)
from renderer.snapshot import model

NO_PAGE = "no detail page in this report"


def _job_link(job_id: str, href: str | None, no_page: bool = False) -> str:
    title = escape(shown_id(job_id))
    # Most ids need no escaping; then the short form needs none either.
    text = short_id(job_id) if title == job_id else escape(short_id(job_id))
    if no_page:  # its row is all the report holds: a link to itself would do nothing
        return f'<span class="mono no-page" title="{title} · {NO_PAGE}">{text}</span>'
    if href is None:
        return f'<span class="mono" title="{title}">{text}</span>'
    return f'<a href="{escape(href)}" class="mono" title="{title}">{text}</a>'


def _cell(error: str | None) -> str:
    """An error as a table shows it; most jobs have none."""
    return escape(cut(error, ERROR_IN_TABLE)) if error else ""


def _log_cell(lines: int | None) -> str:
    """How many log lines a job's page shows; empty for a job without a log."""
    return f'<td data-sort="{lines}">{lines:,}</td>' if lines else "<td></td>"


def _retries(failures: int | None, preemptions: int | None) -> str:
    return f'<span class="sub">{escape(describe_retries(failures, preemptions))}</span>'


def _sort_key(value: int | None) -> str:
    return "" if value is None else str(value)


def _memory(usage: model.Usage | None) -> str:
    if usage is None or (usage.memory_mb is None and usage.memory_peak_mb is None):
        return "-"
    used = "-" if usage.memory_mb is None else f"{usage.memory_mb:,}"
    peak = "-" if usage.memory_peak_mb is None else f"{usage.memory_peak_mb:,}"
    return f"{used} / {peak} MB"


class RowMarkup:
    """Writes the rows of the tables that hold every job, for one bundle.

    Keeps what many rows share: a worker's link is in the row of each of its jobs,
    and a few resource shapes are in every row.
    """

    def __init__(
        self, site: Site, captured_at_ms: int | None, log_lines: Mapping[str, int]
    ) -> None:
        self._site = site
        self._captured_at_ms = captured_at_ms
        self._log_lines = log_lines
        self._worker_links: dict[tuple[str, str], str] = {}
        # Resources are shared values (see from_proto.resources): keyed by identity,
        # and kept here so that an identity is never reused while the key stands.
        self._resources: dict[int, tuple[model.Resources | None, str, str]] = {}

    def _worker_link(self, page: str, folder: str, worker_id: str | None) -> str:
        if worker_id is None:
            return '<span class="muted">-</span>'
        made = self._worker_links.get((folder, worker_id))
        if made is None:
            site = self._site
            text = escape(shown_id(worker_id))
            href = site.optional_href(page, site.worker_path(worker_id))
            made = f'<a href="{escape(href)}">{text}</a>' if href else f"<span>{text}</span>"
            self._worker_links[(folder, worker_id)] = made
        return made

    def _described(self, resources: model.Resources | None) -> tuple[str, str]:
        made = self._resources.get(id(resources))
        if made is None:
            text = describe_resources(resources)
            made = self._resources[id(resources)] = (resources, text, escape(text))
        return made[1], made[2]

    def resources_text(self, resources: model.Resources | None) -> str:
        """'4 CPU, 16g' (as wording.describe_resources), made once per resource shape."""
        return self._described(resources)[0]

    def job_list(self, page: str, jobs: Sequence[model.JobSummary]) -> Markup:
        """Rows of the paginated job list (read without script; lean on purpose)."""
        site, folder, capture = self._site, posixpath.dirname(page), self._captured_at_ms
        log_lines = self._log_lines
        parts = []
        for job in jobs:
            job_id = job.job_id
            state_name, badge = markup.badge(job.state)
            failures, preemptions = job.failure_count, job.preemption_count
            sub = _retries(failures, preemptions) if failures or preemptions else ""
            finished = job.finished_at_ms
            run = times.span(job.started_at_ms, capture if finished is None else finished)
            if site.has_detail(job_id):
                link = _job_link(job_id, site.optional_href(page, site.job_path(job_id)))
            else:
                link = _job_link(job_id, None, no_page=True)
            parts.append(
                f'<tr id="{escape(site.row_anchor(job_id))}" data-state="{state_name}">'
                f'<td class="id">{link}</td>'
                f'<td class="name">{escape(cut(job.name, CELL_SHOWN) or "-")}{sub}</td>'
                f"<td>{badge}</td>"
                f'<td class="mono">{self._worker_link(page, folder, job.worker_id)}</td>'
                f'<td class="nowrap">{self._described(job.resources)[1]}</td>'
                f'<td class="nowrap">{times.time_of_day(job.submitted_at_ms)}</td>'
                f'<td class="nowrap">{times.time_of_day(finished)}</td>'
                f'<td class="nowrap">{times.duration(run)}</td>'
                f"{_log_cell(log_lines.get(job_id))}"
                f'<td class="error-cell">{_cell(job.error)}</td></tr>\n'
            )
        return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup

    def worker_jobs(
        self,
        page: str,
        statuses: Sequence[model.JobStatus],
        names: Mapping[str, model.JobSummary],
        log_counts: Mapping[str, int],
    ) -> Markup:
        """Rows of a worker's job table: each job as that worker ran it, with its usage.

        `names` are the controller's jobs; a job it does not know is shown unlinked.
        """
        site = self._site
        parts = []
        for status in statuses:
            job_id = status.job_id
            summary = names.get(job_id)
            href = site.optional_href(page, site.job_path(job_id)) if summary else None
            name = (cut(summary.name, CELL_SHOWN) or "-") if summary is not None else "-"
            state_name, badge = markup.badge(status.state)
            exit_code = "-" if status.exit_code is None else str(status.exit_code)
            usage = status.usage
            memory_mb = usage.memory_mb if usage else None
            cpu = number(usage.cpu_percent if usage else None, "%")
            processes = number(usage.process_count if usage else None)
            started, finished = status.started_at_ms, status.finished_at_ms
            parts.append(
                f'<tr data-state="{state_name}">'
                f'<td class="id">{_job_link(job_id, href)}</td>'
                f'<td class="name">{escape(name)}</td>'
                f"<td>{badge}</td>"
                f'<td class="mono">{exit_code}</td>'
                f'<td data-sort="{_sort_key(memory_mb)}" class="nowrap">{_memory(usage)}</td>'
                f"<td>{cpu}</td>"
                f"<td>{processes}</td>"
                f'<td data-sort="{_sort_key(started)}" class="nowrap">'
                f"{times.time_of_day(started)}</td>"
                f'<td data-sort="{_sort_key(finished)}" class="nowrap">'
                f"{times.time_of_day(finished)}</td>"
                f"<td>{number(log_counts.get(job_id))}</td>"
                f'<td class="error-cell">{_cell(status.error)}</td></tr>\n'
            )
        return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup


_HEALTH = {
    True: '<span class="health ok">Yes</span>',
    False: '<span class="health bad">No</span>',
    None: '<span class="muted">-</span>',
}
_NOT_CAPTURED = (
    '<span class="tag" title="This worker\'s own snapshot is not in the report">not captured</span>'
)


def worker_rows(rows: Sequence[WorkerRow]) -> Markup:
    """Rows of a table of workers, as the controller knows them."""
    parts = []
    for w in rows:
        worker_id = escape(w.worker_id)
        address = escape(w.address)
        shown = (
            f'<a href="{escape(w.href)}">{worker_id}</a>'
            if w.href
            else f"{worker_id} {_NOT_CAPTURED}"
        )
        beat = w.last_heartbeat
        parts.append(
            f'<tr data-healthy="{"yes" if w.healthy else "no"}"'
            f' data-search="{worker_id} {address}">\n'
            f'<td class="mono">{shown}</td>\n'
            f"<td>{_HEALTH[w.healthy]}</td>\n"
            f'<td class="mono">{address}</td>\n'
            f"<td>{escape(w.cpu)}</td><td>{escape(w.memory)}</td><td>{escape(w.device)}</td>\n"
            f"<td>{w.running}</td><td>{escape(w.consecutive_failures)}</td>\n"
            f'<td data-sort="{_sort_key(beat.ms)}" class="nowrap" title="{beat.text}">'
            f'{beat.short}<span class="rel">{beat.relative}</span></td>\n'
            "</tr>\n"
        )
    return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup

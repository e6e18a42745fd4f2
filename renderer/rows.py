"""Table rows for the tables that hold every job, built in Python for speed.

The job list and the worker pages have a row per job: some 200,000 rows for a large
cluster. A Jinja loop costs about 25 µs a row (an escape call and a Markup object per
value); these builders cost about 6 µs, which is what lets a 100,000-job cluster
render in seconds. Every value goes through html.escape, which quotes &, <, >, " and
' as markupsafe does; the markup around the values is fixed text. The XSS corpus in
tests/test_hostile.py is rendered through these rows like everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from renderer.pages import JobRow, Link, WorkerJobRow


def _link(link: Link | None, css: str = "") -> str:
    if link is None:
        return '<span class="muted">-</span>'
    text = escape(link.text)
    css_attribute = f' class="{css}"' if css else ""
    if link.href is None:
        return f"<span{css_attribute}>{text}</span>"
    return f'<a href="{escape(link.href)}"{css_attribute}>{text}</a>'


def _job_link(row: JobRow | WorkerJobRow) -> str:
    text, title = escape(row.short_id), escape(row.job_id)
    if row.href is None:
        return f'<span class="mono" title="{title}">{text}</span>'
    return f'<a href="{escape(row.href)}" class="mono" title="{title}">{text}</a>'


def _badge(row: JobRow | WorkerJobRow) -> str:
    state = row.state
    label = escape(state.label)
    return f'<span class="badge {state.css_class}" data-state="{state.name}">{label}</span>'


def job_list_rows(rows: Sequence[JobRow]) -> Markup:
    """Rows of the paginated job list (read without script; lean on purpose)."""
    parts = []
    for row in rows:
        retries = row.retries
        sub = f'<span class="sub">{escape(retries)}</span>' if retries else ""
        parts.append(
            f'<tr id="{escape(row.row_id)}" data-state="{row.state.name}">'
            f'<td class="id">{_job_link(row)}</td>'
            f'<td class="name">{escape(row.name)}{sub}</td>'
            f"<td>{_badge(row)}</td>"
            f'<td class="mono">{_link(row.worker)}</td>'
            f'<td class="nowrap">{escape(row.resources)}</td>'
            f'<td class="nowrap">{row.submitted.short}</td>'
            f'<td class="nowrap">{row.finished.short}</td>'
            f'<td class="nowrap">{row.duration}</td>'
            f'<td class="error-cell">{escape(row.error)}</td></tr>\n'
        )
    return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup


def _sort_key(value: int | None) -> str:
    return "" if value is None else str(value)


def worker_job_rows(rows: Sequence[WorkerJobRow]) -> Markup:
    """Rows of a worker's job table: the job as that worker ran it, with its usage."""
    parts = []
    for row in rows:
        started, finished = row.started, row.finished
        exit_code = "-" if row.exit_code is None else str(row.exit_code)
        parts.append(
            f'<tr data-state="{row.state.name}">'
            f'<td class="id">{_job_link(row)}</td>'
            f'<td class="name">{escape(row.name)}</td>'
            f"<td>{_badge(row)}</td>"
            f'<td class="mono">{exit_code}</td>'
            f'<td data-sort="{_sort_key(row.memory_mb)}" class="nowrap">{escape(row.memory)}</td>'
            f"<td>{escape(row.cpu_percent)}</td>"
            f"<td>{escape(row.processes)}</td>"
            f'<td data-sort="{_sort_key(started.ms)}" class="nowrap">{started.short}</td>'
            f'<td data-sort="{_sort_key(finished.ms)}" class="nowrap">{finished.short}</td>'
            f"<td>{escape(row.log_lines)}</td>"
            f'<td class="error-cell">{escape(row.error)}</td></tr>\n'
        )
    return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup

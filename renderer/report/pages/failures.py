"""Failure groups: the page of every group, and the rows the overview shows of them.

A group is the problem jobs (and failed iris tasks) whose errors share a signature
(renderer.snapshot.failures). Each group links to the job list showing its jobs
alone; without script (or in a single file, where fragments name sections) the
group's own section on this page lists its jobs.
"""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import sitemap
from renderer.report.context import Output, Page, Report
from renderer.report.views import FailureGroupView, FailuresPage, Link
from renderer.report.wording import ERROR_IN_DETAIL, cut, plural, short_id
from renderer.snapshot import states
from renderer.snapshot.failures import FailureGroup

GROUPS_LISTED = 1000  # groups on the failures page; past these, one failure each
JOBS_PER_GROUP = 20  # jobs a group's section lists (the job list shows them all)


def anchor(group: FailureGroup) -> str:
    return "g-" + group.key


def group_views(
    report: Report, path: str, groups: Sequence[FailureGroup], with_jobs: bool
) -> tuple[FailureGroupView, ...]:
    """The groups as `path` shows them; `with_jobs`: each lists its first jobs."""
    site, links = report.site, report.links
    jobs_list = site.href(path, sitemap.JOBS_INDEX)
    views = []
    for group in groups:
        example = group.example
        example_link = links.job(
            path,
            example.job_id,
            short_id(example.task_id) if example.task_id else short_id(example.job_id),
        )
        jobs: tuple[Link, ...] = ()
        if with_jobs:
            jobs = tuple(
                link
                for job_id in group.job_ids[:JOBS_PER_GROUP]
                if (link := links.job(path, job_id)) is not None
            )
        views.append(
            FailureGroupView(
                key=group.key,
                anchor=anchor(group),
                signature=group.signature,
                example_error=cut(example.error, ERROR_IN_DETAIL) or group.signature,
                count=group.count,
                counted=_counted(group),
                states=tuple((states.task_state(n), c) for n, c in group.by_state),
                first=report.moment(group.first_ms),
                last=report.moment(group.last_ms),
                example=example_link,
                href=site.href(path, f"{sitemap.FAILURES}#{anchor(group)}"),
                jobs=jobs,
                jobs_total=group.jobs,
                list_href=None if report.options.single_file else f"{jobs_list}#group={group.key}",
            )
        )
    return tuple(views)


def _counted(group: FailureGroup) -> str:
    """'12 jobs', or for iris '3 tasks of 2 jobs' (and '1 job, 2 tasks' when mixed)."""
    jobs = plural(group.jobs, "job")
    if not group.tasks:
        return jobs
    if group.tasks == group.count:
        return f"{plural(group.tasks, 'task')} of {jobs}"
    return f"{plural(group.count - group.tasks, 'job')}, {plural(group.tasks, 'task')}"


def build(report: Report) -> list[Output]:
    """The page of every failure group, largest first."""
    path = sitemap.FAILURES
    groups = report.catalog.failure_groups
    view = FailuresPage(
        chrome=report.chrome(path, "failures", "Failures"),
        groups=group_views(report, path, groups[:GROUPS_LISTED], with_jobs=True),
        total=len(groups),
        failures=sum(group.count for group in groups),
    )
    return [Page(path, view)]

"""Job detail pages: every field of a job, each worker's record of it, and its logs."""

from __future__ import annotations

from renderer.report import logs, sitemap, times
from renderer.report.context import Output, Page, Report, TextFile
from renderer.report.pages.endpoints import endpoint_rows
from renderer.report.pages.failures import anchor as group_anchor
from renderer.report.pages.trail import attempt_anchor, task_attempt_anchor, trail
from renderer.report.views import (
    AttemptView,
    Fact,
    GangMember,
    JobDetailPage,
    JobView,
    Link,
    LogView,
    TaskAttemptView,
    TaskView,
)
from renderer.report.wording import (
    CELL_SHOWN,
    ENV_VARS_SHOWN,
    ERROR_IN_DETAIL,
    MANY_SHOWN,
    TEXT_SHOWN,
    cut,
    describe_blob,
    describe_device,
    describe_resources,
    listed,
    number,
    short_id,
    shown_id,
    yes_no,
)
from renderer.snapshot import model, states

# Gang members listed on each member's page: a gang of thousands would repeat itself on
# every one of its pages (the job list shows them all).
GANG_SHOWN = 12

# The plain-text file of a log holds its last this many lines (a snapshot may hold
# millions, which memory need not).
TEXT_LOG_LINES = 100_000


def build(report: Report, index: int) -> list[Output]:
    """Detail page `index` (from 0), followed by the plain-text logs of its jobs."""
    job_ids = report.site.detail_pages[index]
    first = report.site.detail_first[index]
    path = sitemap.detail_page(index)
    views = []
    logs: list[Output] = []
    single = report.options.single_file
    kept = report.log_limit if single else max(report.log_limit, TEXT_LOG_LINES)
    for job_id in job_ids:
        detail = report.catalog.detail(job_id, kept)
        if detail is not None:
            views.append(job_view(report, path, detail))
            if not single:
                logs += log_texts(report, detail)
    last = first + len(job_ids) - 1
    page = JobDetailPage(
        chrome=report.chrome(path, "job", f"Jobs {first:,}-{last:,}"),
        jobs=tuple(views),
        first=first,
        total=report.site.detail_total,
        jobs_href=report.site.href(path, sitemap.JOBS_INDEX),
    )
    return [Page(path, page), *logs]


def log_texts(report: Report, detail: model.JobDetail) -> list[TextFile]:
    """The whole log tail of each of the job's attempts, as text files."""
    texts = []
    for attempt in detail.attempts:
        if attempt.log is None:
            continue
        lines = attempt.log.lines
        total = attempt.log.total_lines if attempt.log.total_lines is not None else len(lines)
        worker_id = attempt.worker_id or ""
        header = logs.header(detail.job_id, worker_id, len(lines), max(total, len(lines)))
        path = report.site.log_text_path(detail.job_id, worker_id)
        texts.append(TextFile(path, logs.plain_text(lines, header)))
    return texts


def job_view(report: Report, path: str, detail: model.JobDetail) -> JobView:
    catalog = report.catalog
    job = detail.job
    summary = catalog.by_id[detail.job_id]
    status = job.status if job is not None else None
    # The attempt on the worker the controller points at comes first.
    attempts = sorted(
        detail.attempts,
        key=lambda a: (a.worker_id != (summary.worker_id or ""), a.worker_id or ""),
    )
    state = states.state(summary.state)
    facts: list[Fact] = [Fact("State", state.label, state=state)]
    if job is not None and status is not None:
        facts += [
            Fact("Exit code", number(status.exit_code), mono=True),
            report.time_fact("Submitted", job.submitted_at_ms),
            report.time_fact("Started", status.started_at_ms),
            report.time_fact("Finished", status.finished_at_ms),
            Fact("Duration", _duration(report, status.started_at_ms, status.finished_at_ms)),
        ]
        worker_link = report.links.worker(path, status.worker_id)
        if worker_link is not None:
            captured = "" if status.worker_id in catalog.captured else "snapshot not captured"
            facts.append(Fact("Worker", worker_link.text, captured, worker_link.href, mono=True))
            if status.worker_address:
                facts.append(
                    Fact("Worker address", cut(status.worker_address, CELL_SHOWN), mono=True)
                )
        if detail.queue_position is not None:
            facts.append(Fact("Queue position", f"{detail.queue_position + 1:,}"))
    retries: list[Fact] = []
    if job is not None:
        retries = [
            Fact("Failures", _against(job.failure_count, job.max_retries_failure)),
            Fact("Preemptions", _against(job.preemption_count, job.max_retries_preemption)),
        ]
    members = [m for m in detail.gang_members if m in catalog.by_id]
    request = job.request if job is not None else None
    env_vars = request.environment.env_vars if request and request.environment else ()
    not_captured = None
    if summary.worker_id and summary.worker_id not in catalog.captured and catalog.controller:
        not_captured = (
            f"Worker {shown_id(summary.worker_id)} was not captured: its resource usage, "
            "build and log are not in this report."
        )
    anchor = report.site.job_anchor(detail.job_id)
    tasks = tuple(
        _task(report, path, task, f"t-{report.site.job_slugs[detail.job_id]}-{index}")
        for index, task in enumerate(detail.tasks[:MANY_SHOWN])
    )
    task_anchors = {
        task.task_id: view.anchor for task, view in zip(detail.tasks, tasks, strict=False)
    }
    lines, lines_total, trail_note = trail(report, path, detail, anchor, task_anchors)
    group = catalog.group_of_job.get(detail.job_id)
    return JobView(
        job_id=shown_id(detail.job_id),
        anchor=anchor,
        name=cut(summary.name, TEXT_SHOWN) or short_id(detail.job_id),
        state=state,
        error=cut(summary.error, ERROR_IN_DETAIL) or None,
        status=tuple(facts),
        retries=tuple(retries),
        gang_id=shown_id(job.gang_id) if job is not None and job.gang_id else None,
        gang=_gang(report, path, detail.job_id, members),
        gang_total=len(members),
        request=_request_facts(request),
        env_vars=tuple(
            (cut(key, CELL_SHOWN), cut(value, TEXT_SHOWN))
            for key, value in env_vars[:ENV_VARS_SHOWN]
        ),
        env_vars_total=len(env_vars),
        endpoints=endpoint_rows(report, path, detail.endpoints[:MANY_SHOWN]),
        endpoints_total=len(detail.endpoints),
        attempts=tuple(
            attempt_view(report, path, a, a.worker_id == summary.worker_id, status, anchor)
            for a in attempts[:MANY_SHOWN]
        ),
        attempts_total=len(attempts),
        not_captured=not_captured,
        tasks=tasks,
        tasks_total=len(detail.tasks),
        parent=report.links.job(path, summary.parent_job_id, summary.parent_job_id),
        children=tuple(
            link
            for child in catalog.children.get(detail.job_id, ())[:MANY_SHOWN]
            if (link := report.links.job(path, child, child)) is not None
        ),
        trail=lines,
        trail_total=lines_total,
        trail_note=trail_note,
        group=None
        if group is None
        else Link(
            group.signature,
            report.site.href(path, f"{sitemap.FAILURES}#{group_anchor(group)}"),
        ),
    )


def _task(report: Report, path: str, task: model.Task, anchor: str) -> TaskView:
    """A task and its attempts (newest first), each with its worker and its log."""
    facts = [
        Fact("Exit code", number(task.exit_code), mono=True),
        report.time_fact("Started", task.started_at_ms),
        report.time_fact("Finished", task.finished_at_ms),
    ]
    worker = report.links.worker(path, task.worker_id)
    if worker is not None:
        facts.append(Fact("Worker", worker.text, "", worker.href, mono=True))
    if task.status_message:
        facts.insert(0, Fact("Phase", cut(task.status_message, TEXT_SHOWN)))
    attempts = []
    for attempt in reversed(task.attempts[-MANY_SHOWN:]):
        started, finished = attempt.started_at_ms, attempt.finished_at_ms
        # A task's log is on its job's page only (its lines are all there is).
        log = log_view(report, path, task.task_id, "", attempt.log, with_text=False)
        attempts.append(
            TaskAttemptView(
                attempt=f"attempt {attempt.attempt_id}"
                if attempt.attempt_id is not None
                else "attempt",
                anchor=task_attempt_anchor(anchor, attempt.attempt_id) if anchor else "",
                current=attempt.attempt_id == task.current_attempt_id,
                worker=report.links.worker(path, attempt.worker_id),
                state=states.task_state(attempt.state),
                exit_code=number(attempt.exit_code),
                error=cut(attempt.error, ERROR_IN_DETAIL) or None,
                started=report.moment(started),
                finished=report.moment(finished),
                duration=_duration(report, started, finished),
                reason=cut(attempt.terminal_reason, CELL_SHOWN),
                log=log,
            )
        )
    return TaskView(
        task_id=shown_id(task.task_id),
        # Tasks are not in the site's slugs: named by their job and place, so that each
        # has an id of its own on the page (for links, and for its logs' ids).
        anchor=anchor,
        state=states.task_state(task.state),
        facts=tuple(facts),
        # A task that succeeded in the end keeps its failed attempt's error: the
        # attempts table shows it against that attempt.
        error=None if task.state == states.SUCCEEDED else cut(task.error, ERROR_IN_DETAIL) or None,
        root_cause=tuple(cut(line, TEXT_SHOWN) for line in task.root_cause[:MANY_SHOWN]),
        attempts=tuple(attempts),
    )


def _gang(report: Report, path: str, job_id: str, members: list[str]) -> tuple[GangMember, ...]:
    """The members of the job's gang, this job among them, as its page lists them."""
    by_id = report.catalog.by_id
    shown = []
    for member in members[:GANG_SHOWN]:
        job = by_id[member]
        shown.append(
            GangMember(
                job_id=shown_id(member),
                short_id=short_id(member),
                href=report.site.optional_href(path, report.site.job_path(member)),
                name=cut(job.name, CELL_SHOWN) or "-",
                state=states.state(job.state),
                this=member == job_id,
            )
        )
    return tuple(shown)


def _against(count: int | None, limit: int | None) -> str:
    if count is None:
        return "-"
    return f"{count:,} (retry limit {limit:,})" if limit is not None else f"{count:,}"


def _duration(report: Report, start: int | None, end: int | None) -> str:
    if start is not None and end is None:
        return f"{times.duration(times.span(start, report.captured_at_ms))} so far"
    return times.duration(times.span(start, end))


def _request_facts(request: model.JobRequest | None) -> tuple[Fact, ...]:
    if request is None:
        return ()
    resources = request.resources
    environment = request.environment
    facts = [
        Fact("Name", cut(request.name, TEXT_SHOWN) or "-"),
        Fact("Resources", describe_resources(resources)),
    ]
    if resources is not None:
        facts += [
            Fact("Device", describe_device(resources.device)),
            Fact("Disk", cut(resources.disk, CELL_SHOWN) or "-"),
            Fact("Replicas", number(resources.replicas)),
            Fact("Preemptible", yes_no(resources.preemptible)),
            Fact("Regions", listed(resources.regions, "any")),
        ]
    timeout = request.scheduling_timeout_seconds
    facts += [
        Fact("Ports", listed(request.ports), mono=True),
        Fact("Scheduling timeout", "wait forever" if not timeout else f"{timeout:,}s"),
    ]
    if environment is not None:
        facts += [
            Fact("Workspace", cut(environment.workspace, TEXT_SHOWN) or "-", mono=True),
            Fact("Pip packages", listed(environment.pip_packages), mono=True),
            Fact("Extras", listed(environment.extras), mono=True),
        ]
    facts += [
        Fact("Bundle", cut(request.bundle_gcs_path, TEXT_SHOWN) or "-", mono=True),
        Fact("Bundle hash", cut(request.bundle_hash, CELL_SHOWN) or "-", mono=True),
        Fact("Inline bundle", describe_blob(request.bundle_blob)),
        Fact("Entrypoint", describe_blob(request.entrypoint)),
    ]
    # What the request leaves unset is not worth a line (name and resources always are).
    return tuple(f for f in facts if f.value != "-" or f.label in ("Name", "Resources"))


def _run(status: model.JobStatus) -> tuple[int | None, int | None, int | None]:
    return (status.exit_code, status.started_at_ms, status.finished_at_ms)


def attempt_view(
    report: Report,
    path: str,
    attempt: model.WorkerAttempt,
    current: bool,
    controller_status: model.JobStatus | None = None,
    job_anchor: str = "",
) -> AttemptView:
    status = attempt.status
    worker_id = attempt.worker_id or ""
    worker = Link(
        shown_id(worker_id) or "(unnamed worker)",
        report.site.optional_href(path, report.site.worker_path(worker_id)),
    )
    if current and controller_status is not None and _run(status) == _run(controller_status):
        facts = [Fact("Exit code and times", "as in Status above")]
    else:
        facts = [
            Fact("Exit code", number(status.exit_code), mono=True),
            report.time_fact("Started", status.started_at_ms),
            report.time_fact("Finished", status.finished_at_ms),
            Fact("Duration", _duration(report, status.started_at_ms, status.finished_at_ms)),
        ]
    if status.status_message:
        facts.insert(0, Fact("Phase", cut(status.status_message, TEXT_SHOWN)))
    usage_facts: list[Fact] = []
    if status.usage is not None:
        usage = status.usage
        usage_facts = [
            Fact("Memory", number(usage.memory_mb, " MB")),
            Fact("Peak memory", number(usage.memory_peak_mb, " MB")),
            Fact("CPU", number(usage.cpu_percent, "%")),
            Fact("CPU millicores", number(usage.cpu_millicores)),
            Fact("Processes", number(usage.process_count)),
            Fact("Disk", number(usage.disk_mb, " MB")),
        ]
    build_facts: list[Fact] = []
    if status.build is not None:
        build = status.build
        cache = {True: "hit", False: "miss", None: "-"}[build.from_cache]
        build_facts = [
            Fact("Image", cut(build.image_tag, CELL_SHOWN) or "-", mono=True),
            Fact("Build time", times.duration(times.span(build.started_ms, build.finished_ms))),
            Fact("Cache", cache),
            report.time_fact("Started", build.started_ms),
        ]
    return AttemptView(
        anchor=attempt_anchor(job_anchor, report.site.worker_slugs[worker_id])
        if job_anchor
        else "",
        worker=worker,
        current=current,
        state=states.state(status.state),
        facts=tuple(facts),
        usage=tuple(usage_facts),
        build=tuple(build_facts),
        ports=tuple((cut(name, CELL_SHOWN), str(port)) for name, port in status.ports[:MANY_SHOWN]),
        error=cut(status.error, ERROR_IN_DETAIL) or None,
        log=log_view(report, path, status.job_id, worker_id, attempt.log),
    )


def log_view(
    report: Report,
    path: str,
    job_id: str,
    worker_id: str,
    log: model.LogTail | None,
    with_text: bool = True,
) -> LogView | None:
    """A log as its page shows it, linked to its plain-text file if it has one."""
    if log is None:
        return None
    shown = model.tail(log.lines, report.log_limit)
    total = log.total_lines if log.total_lines is not None else len(log.lines)
    total = max(total, len(log.lines))
    # Numbered from the log's real first line: line 120 is the same line in every report.
    made = logs.lines_html(shown, total - len(shown) + 1, report.captured_at_ms)
    text_href = None
    if with_text and not report.options.single_file:
        text_href = report.site.href(path, report.site.log_text_path(job_id, worker_id))
    return LogView(
        lines_html=made.html,
        shown=len(shown),
        total=total,
        sources=logs.source_counts(shown),
        text_href=text_href,
        cut_lines=made.cut,
        first=total - len(shown) + 1,
        first_error=made.first_error,
        earlier=logs.earlier_lines(total, len(log.lines), len(shown), text_href is not None),
    )

"""A job's own trail: what happened to it, in order, from every record that says so.

The controller's record (submitted, finished), each worker's record of running it,
each attempt of its tasks (iris), the action log's entries naming the job, and the
entries naming one of its workers while the job lived there (a worker that failed
under it). Each line links where it can: to the worker, to the attempt on this page,
to the failure group of its error.
"""

from __future__ import annotations

from collections.abc import Iterable

from renderer.report.context import Report
from renderer.report.views import TrailEntry
from renderer.report.wording import CELL_SHOWN, ERROR_IN_TABLE, cut, shown_id
from renderer.snapshot import model, states

TRAIL_SHOWN = 200  # lines of a job's trail; the actions pages hold the rest
_UNKNOWN_TIME = 2**63  # lines without a time go last, in the order they were found


def attempt_anchor(job_anchor: str, worker_slug: str) -> str:
    return f"{job_anchor}-on-{worker_slug}"


def task_attempt_anchor(task_anchor: str, attempt_id: int | None) -> str:
    return f"{task_anchor}-a{attempt_id if attempt_id is not None else 'x'}"


def trail(
    report: Report, path: str, detail: model.JobDetail, anchor: str, task_anchors: dict[str, str]
) -> tuple[tuple[TrailEntry, ...], int, str]:
    """The job's trail as its page shows it (oldest first), how many lines it has, and
    what the action log cannot say of it."""
    catalog, links, site = report.catalog, report.links, report.site
    summary = catalog.by_id[detail.job_id]
    job = detail.job
    found: list[tuple[int, int, int, TrailEntry]] = []

    def add(ms: int | None, entry: TrailEntry, order: int = 1) -> None:
        """`order` breaks ties in time: submitted (0) first, the controller's end (2) last."""
        found.append((ms if ms is not None else _UNKNOWN_TIME, order, len(found), entry))

    def entry(
        ms: int | None,
        what: str,
        source: str,
        state: int | None = None,
        worker: str | None = None,
        target: str | None = None,
        details: str = "",
        task_state: bool = False,
    ) -> TrailEntry:
        shown_state = None
        if state is not None:
            shown_state = states.task_state(state) if task_state else states.state(state)
        return TrailEntry(
            time=report.moment(ms),
            what=what,
            source=source,
            state=shown_state,
            worker=links.worker(path, worker),
            target=f"#{target}" if target else None,
            details=details,
        )

    if job is not None:
        if job.submitted_at_ms is not None:
            add(job.submitted_at_ms, entry(job.submitted_at_ms, "submitted", "controller"), 0)
        status = job.status
        if status.finished_at_ms is not None:
            add(
                status.finished_at_ms,
                entry(
                    status.finished_at_ms,
                    f"ended: {states.state(status.state).label.lower()}"
                    + (f", exit code {status.exit_code}" if status.exit_code is not None else ""),
                    "controller",
                    state=status.state,
                    worker=status.worker_id,
                    details=cut(status.error, ERROR_IN_TABLE),
                ),
                2,
            )
    workers: set[str] = set()
    for attempt in detail.attempts:
        worker_id = attempt.worker_id or ""
        workers.add(worker_id)
        run = attempt.status
        target = attempt_anchor(anchor, site.worker_slugs[worker_id])
        if run.started_at_ms is not None:
            add(
                run.started_at_ms,
                entry(run.started_at_ms, "started", "worker", worker=worker_id, target=target),
            )
        if run.finished_at_ms is not None:
            label = states.state(run.state).label.lower()
            exit_code = f", exit code {run.exit_code}" if run.exit_code is not None else ""
            add(
                run.finished_at_ms,
                entry(
                    run.finished_at_ms,
                    f"{label}{exit_code}",
                    "worker",
                    state=run.state,
                    worker=worker_id,
                    target=target,
                    details=cut(run.error, ERROR_IN_TABLE),
                ),
            )
    for task in detail.tasks:
        task_anchor = task_anchors.get(task.task_id, "")
        for tried in task.attempts:
            if tried.worker_id:
                workers.add(tried.worker_id)
            index = task.task_index if task.task_index is not None else shown_id(task.task_id)
            tried_id = f"attempt {tried.attempt_id}" if tried.attempt_id is not None else "attempt"
            name = f"{tried_id} of task {index}"
            where = task_attempt_anchor(task_anchor, tried.attempt_id) if task_anchor else None
            started = tried.started_at_ms or tried.created_at_ms
            if started is not None:
                add(
                    started,
                    entry(
                        started,
                        f"{name} started",
                        "task",
                        worker=tried.worker_id,
                        target=where,
                    ),
                )
            if tried.finished_at_ms is not None:
                label = states.task_state(tried.state).label.lower()
                exit_code = f", exit code {tried.exit_code}" if tried.exit_code is not None else ""
                add(
                    tried.finished_at_ms,
                    entry(
                        tried.finished_at_ms,
                        f"{name} {label}{exit_code}",
                        "task",
                        state=tried.state,
                        worker=tried.worker_id,
                        target=where,
                        details=cut(tried.error or tried.terminal_reason, ERROR_IN_TABLE),
                        task_state=True,
                    ),
                )
    if summary.worker_id:
        workers.add(summary.worker_id)
    for action in _actions(report, detail.job_id, workers, summary):
        add(
            action.timestamp_ms,
            entry(
                action.timestamp_ms,
                cut(action.action, CELL_SHOWN) or "action",
                "action log",
                worker=action.worker_id,
                details=cut(action.details, ERROR_IN_TABLE),
            ),
        )
    found.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in found[:TRAIL_SHOWN]), len(found), _log_note(report, summary)


def _log_note(report: Report, job: model.JobSummary) -> str:
    """Why the action log says nothing of a job older than its oldest entry."""
    actions = report.catalog.actions
    oldest = actions[-1].timestamp_ms if actions else None
    began = job.submitted_at_ms or job.started_at_ms
    if oldest is None or began is None or began >= oldest:
        return ""
    ended = job.finished_at_ms is not None and job.finished_at_ms < oldest
    return (
        f"The action log begins at {report.moment(oldest).text}, after this job "
        f"{'ended' if ended else 'was submitted'}: the controller keeps only its newest "
        f"{len(actions):,} actions, so {'its' if ended else 'its earlier'} entries are not in "
        "the snapshot."
    )


def _actions(
    report: Report, job_id: str, workers: Iterable[str], job: model.JobSummary
) -> list[model.Action]:
    """Actions naming the job, and those naming one of its workers while it lived."""
    catalog = report.catalog
    chosen = {id(a): a for a in catalog.actions_of_job.get(job_id, [])}
    start = job.submitted_at_ms or job.started_at_ms
    end = job.finished_at_ms if job.finished_at_ms is not None else catalog.captured_at_ms
    if start is not None and end is not None:
        for worker_id in workers:
            for action in catalog.actions_of_worker.get(worker_id, []):
                at = action.timestamp_ms
                if at is not None and start <= at <= end and action.job_id in (None, "", job_id):
                    chosen.setdefault(id(action), action)
    return list(chosen.values())

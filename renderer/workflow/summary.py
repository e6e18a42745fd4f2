"""A short account of a snapshot for a CI log or a job summary: what failed, and why.

Failures come grouped by the signature of their error first (renderer.snapshot.failures:
twelve shards out of memory are one problem), then the problem jobs one by one.
Markdown output ends up as HTML on GitHub, so every string from the snapshot is
escaped for Markdown and HTML alike; text output is made safe for a terminal. States
are written as the report writes them ("worker-failed"); JSON keeps the vocabulary's
names ("worker_failed") for scripts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from renderer import terminal
from renderer.report import times
from renderer.report.wording import short_id
from renderer.snapshot import failures, states
from renderer.snapshot.catalog import Catalog
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.redaction import DEFAULT, Redactor

ERROR_CHARACTERS = 200  # of each error in the summary
LISTED = 20  # failure groups, failed jobs and unhealthy workers listed by name


def state_word(name: str) -> str:
    """A state as the report's sentences write it: 'failed', 'worker-failed',
    'coscheduling-failed', 'unknown state 12'."""
    try:
        state = states.task_state_by_name(name)  # job states and iris's task states
    except KeyError:
        return name
    return state.label.lower().replace(" ", "-") if state.known else state.label


# 'unknown state 12', 'unknown_-1' (the name state() gives), 'unknown-12'.
_UNKNOWN = re.compile(r"unknown(?:[\s_-]*state)?[\s_-]?(-?\d+)")


def _normal(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


def parse_states(text: str) -> list[str]:
    """Job state names from a comma-separated list, as people write them: "Worker failed",
    "worker-failed", "worker_failed", "FAILED", "unknown state 12"; in their order,
    each once. A name that is no job state raises ValueError saying which are."""
    found: list[str] = []
    for given in text.split(","):
        if not given.strip():
            continue
        unknown = _UNKNOWN.fullmatch(given.strip().lower())
        name = f"unknown_{unknown.group(1)}" if unknown else _normal(given)
        try:
            name = states.state_by_name(name).name
        except KeyError:
            known = ", ".join(state_word(s.name) for s in states.KNOWN_STATES)
            raise ValueError(
                f"no job state called {terminal.safe(given.strip(), 60)!r}; the states are "
                f"{known}, or 'unknown state N' for a state from a newer fluster "
                "(any case, with -, _ or a space)"
            ) from None
        if name not in found:
            found.append(name)
    return found


@dataclass(frozen=True)
class ProblemJob:
    job_id: str
    name: str
    state: str  # the vocabulary word, e.g. "unschedulable"
    error: str
    worker_id: str


@dataclass(frozen=True)
class UnhealthyWorker:
    worker_id: str
    address: str
    consecutive_failures: int | None
    last_heartbeat: str


@dataclass(frozen=True)
class GroupExample:
    """The newest failure of a group: its job, and its task when a task failed (iris)."""

    job_id: str
    task_id: str | None
    name: str
    error: str


@dataclass(frozen=True)
class FailureGroupSummary:
    """Failures whose errors share a signature (renderer.snapshot.failures)."""

    key: str  # a short stable id of the signature
    signature: str
    count: int  # failures: jobs, and tasks of iris jobs
    jobs: int
    tasks: int
    by_state: dict[str, int]  # state name to failures, most first
    first_at_ms: int | None
    last_at_ms: int | None
    first_at: str
    last_at: str
    example: GroupExample

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FailureGroupSummary:
        return cls(**{**data, "example": GroupExample(**data["example"])})


@dataclass(frozen=True)
class Summary:
    """What a CI step or an on-call engineer needs first from a snapshot."""

    captured_at_ms: int | None
    captured_at: str
    jobs: int
    jobs_by_state: dict[str, int]
    problems: list[ProblemJob]  # failed, unschedulable and worker-failed jobs
    problem_count: int
    unhealthy_workers: list[UnhealthyWorker]
    unhealthy_count: int
    workers: int
    # Largest first; a summary written before failure groups has none.
    failure_groups: list[FailureGroupSummary] = field(default_factory=list)
    failure_group_count: int = 0

    def count(self, state_names: Iterable[str]) -> int:
        return sum(self.jobs_by_state.get(name, 0) for name in state_names)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """The summary `as_json` wrote."""
        return cls(
            **{
                **data,
                "problems": [ProblemJob(**job) for job in data["problems"]],
                "unhealthy_workers": [UnhealthyWorker(**w) for w in data["unhealthy_workers"]],
                "failure_groups": [
                    FailureGroupSummary.from_dict(g) for g in data.get("failure_groups", [])
                ],
            }
        )


def _cut(text: str | None, limit: int = ERROR_CHARACTERS) -> str:
    text = " ".join((text or "").split())  # one line
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarize(sources: ClusterSources, redactor: Redactor = DEFAULT) -> Summary:
    """Count jobs by state and list the problems, most recent first.

    Every string taken from the snapshot goes through `redactor` (before it is cut, so
    half a secret cannot slip past).
    """
    hide = redactor.text
    catalog = Catalog(sources)
    jobs = catalog.recorded
    counts: dict[str, int] = {}
    for job in jobs:
        name = states.state(job.state).name
        counts[name] = counts.get(name, 0) + 1
    ordered = {s.name: counts[s.name] for s in states.KNOWN_STATES if s.name in counts}
    ordered.update(sorted((k, v) for k, v in counts.items() if k not in ordered))
    problems = catalog.needing_attention
    workers = catalog.controller.get_workers() if catalog.controller is not None else []
    unhealthy = [w for w in workers if w.healthy is not True]  # not sent: not healthy
    groups = catalog.failure_groups
    return Summary(
        captured_at_ms=sources.captured_at_ms,
        captured_at=times.utc(sources.captured_at_ms),
        jobs=len(jobs),
        jobs_by_state=ordered,
        problems=[
            ProblemJob(
                hide(job.job_id),
                _cut(hide(job.name or ""), 120),
                states.state(job.state).name,
                _cut(hide(job.error or "")),
                hide(job.worker_id or ""),
            )
            for job in problems[:LISTED]
        ],
        problem_count=len(problems),
        unhealthy_workers=[
            UnhealthyWorker(
                hide(w.worker_id),
                _cut(hide(w.address or ""), 120),
                w.consecutive_failures,
                times.relative(w.last_heartbeat_ms, sources.captured_at_ms) or "-",
            )
            for w in unhealthy[:LISTED]
        ],
        unhealthy_count=len(unhealthy),
        workers=len(workers),
        failure_groups=[summarize_group(g, catalog, redactor) for g in groups[:LISTED]],
        failure_group_count=len(groups),
    )


def summarize_group(
    group: failures.FailureGroup, catalog: Catalog, redactor: Redactor = DEFAULT
) -> FailureGroupSummary:
    """A failure group as the summary and the diff give it, its text through `redactor`."""
    hide = redactor.text
    example = group.example
    job = catalog.by_id.get(example.job_id)
    # A group counts job and task failures; failing task states include iris's own.
    by_state = {states.task_state(n).name: count for n, count in group.by_state}
    return FailureGroupSummary(
        key=group.key,
        signature=hide(group.signature),
        count=group.count,
        jobs=group.jobs,
        tasks=group.tasks,
        by_state=by_state,
        first_at_ms=group.first_ms,
        last_at_ms=group.last_ms,
        first_at=times.utc(group.first_ms),
        last_at=times.utc(group.last_ms),
        example=GroupExample(
            hide(example.job_id),
            hide(example.task_id) if example.task_id is not None else None,
            _cut(hide(job.name or "") if job is not None else "", 120),
            _cut(hide(example.error or "")),
        ),
    )


# ---- formats ----


def as_json(summary: Summary) -> str:
    return json.dumps(asdict(summary), indent=2, ensure_ascii=False)


# Characters that start emphasis, links or headings anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]~])")


def md(text: str, limit: int = 400) -> str:
    """Text safe in Markdown that GitHub turns into HTML: no markup, links or cell breaks.

    A `|` or a backtick becomes an HTML character reference: GitHub splits table cells
    at every `|` before anything else (even inside a code span), never at `&#124;`.
    """
    text = terminal.safe(text, limit).replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace(">", "&gt;").replace("|", "&#124;").replace("`", "&#96;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """Monospace text that no character of it can end: `<code>` around escaped text."""
    return f"<code>{md(text, 200)}</code>"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def counted_states(by_state: dict[str, int]) -> str:
    """'3 failed, 1 worker-failed'."""
    return ", ".join(f"{n} {state_word(name)}" for name, n in by_state.items())


def found_for_fail_on(summary: Summary, wanted: Iterable[str]) -> str | None:
    """What `--fail-on` found, as one line ('3 failed, 1 worker-failed jobs found'); None
    when no job is in those states."""
    chosen = set(wanted)
    found = {name: n for name, n in summary.jobs_by_state.items() if name in chosen and n}
    if not found:
        return None
    jobs = "job" if sum(found.values()) == 1 else "jobs"
    return f"{counted_states(found)} {jobs} found"


def group_extent(group: FailureGroupSummary) -> str:
    """Which failures a group holds: '3 failed' or '5 failed, 1 coscheduling-failed
    (6 tasks of 2 jobs)'."""
    text = counted_states(group.by_state)
    if group.tasks:
        tasks = plural(group.tasks, "task")
        text += f" ({tasks} of {plural(group.jobs, 'job')})" if group.jobs else f" ({tasks})"
    return text


def group_span(group: FailureGroupSummary) -> str:
    """When a group's failures happened: 'at T', 'first T, last U', or ''."""
    if group.first_at_ms is None:
        return ""
    if group.first_at_ms == group.last_at_ms:
        return f"at {group.first_at}"
    return f"first {group.first_at}, last {group.last_at}"


def as_markdown(summary: Summary, title: str | None = None) -> str:
    lines = [f"### {md(title) if title else 'Fluster cluster snapshot'}", ""]
    counts = counted_states(summary.jobs_by_state)
    jobs = plural(summary.jobs, "job")
    lines.append(f"Captured {md(summary.captured_at)}: **{jobs}** ({md(counts) or 'none'}).")
    if summary.workers:
        healthy = summary.workers - summary.unhealthy_count
        lines.append(f"Workers: {healthy} of {summary.workers} healthy.")
    lines.append("")
    dash = "\\-"
    if summary.failure_groups:
        lines += [
            f"#### {plural(summary.failure_group_count, 'failure group')}, largest first",
            "",
            "| failures | error | states | first | last | example |",
            "|---|---|---|---|---|---|",
        ]
        for group in summary.failure_groups:
            example = group.example
            lines.append(
                f"| {group.count} | {code(group.signature)} | {md(group_extent(group))} | "
                f"{md(group.first_at)} | {md(group.last_at)} | {code(short_id(example.job_id))}"
                f"{' ' + md(example.name) if example.name else ''} |"
            )
        if summary.failure_group_count > len(summary.failure_groups):
            more = summary.failure_group_count - len(summary.failure_groups)
            lines.append(f"\nand {plural(more, 'more group')}.")
        lines.append("")
    if summary.problems:
        lines += [
            f"#### {summary.problem_count} failed, unschedulable or worker-failed jobs",
            "",
            "| job | name | state | worker | error |",
            "|---|---|---|---|---|",
        ]
        for job in summary.problems:
            lines.append(
                f"| {code(short_id(job.job_id))} | {md(job.name)} | {md(state_word(job.state))} | "
                f"{md(job.worker_id) or dash} | {md(job.error) or dash} |"
            )
        if summary.problem_count > len(summary.problems):
            lines.append(f"\nand {summary.problem_count - len(summary.problems)} more.")
    else:
        lines.append("No failed, unschedulable or worker-failed jobs.")
    if summary.unhealthy_workers:
        lines += ["", f"#### {plural(summary.unhealthy_count, 'unhealthy worker')}", ""]
        for worker in summary.unhealthy_workers:
            lines.append(
                f"- {code(worker.worker_id)} at {md(worker.address)}: "
                f"{plural(worker.consecutive_failures or 0, 'failure')}, last heartbeat "
                f"{md(worker.last_heartbeat)}"
            )
    return "\n".join(lines) + "\n"


def as_text(summary: Summary) -> str:
    safe = terminal.safe
    counts = counted_states(summary.jobs_by_state)
    lines = [f"captured {summary.captured_at}: {plural(summary.jobs, 'job')} ({counts or 'none'})"]
    if summary.workers:
        lines.append(
            f"workers: {summary.workers - summary.unhealthy_count} of {summary.workers} healthy"
        )
    if summary.failure_groups:
        lines.append(f"{plural(summary.failure_group_count, 'failure group')}, largest first:")
        for group in summary.failure_groups:
            lines.append(f"  {group.count} × {safe(group.signature)}")
            example = group.example
            shown = safe(example.job_id, 40) + (
                f" {safe(example.name, 60)}" if example.name else ""
            )
            facts = [group_extent(group), group_span(group), f"e.g. {shown}"]
            lines.append("      " + "; ".join(fact for fact in facts if fact))
        if summary.failure_group_count > len(summary.failure_groups):
            more = summary.failure_group_count - len(summary.failure_groups)
            lines.append(f"  and {plural(more, 'more group')}")
    if summary.problems:
        lines.append(f"{summary.problem_count} failed, unschedulable or worker-failed jobs:")
        for job in summary.problems:
            where = f" on {safe(job.worker_id, 60)}" if job.worker_id else ""
            word = state_word(job.state)
            lines.append(f"  {word:<14} {safe(job.job_id, 40)} {safe(job.name, 60)}{where}")
            if job.error:
                lines.append(f"                 {safe(job.error)}")
        if summary.problem_count > len(summary.problems):
            lines.append(f"  and {summary.problem_count - len(summary.problems)} more")
    else:
        lines.append("no failed, unschedulable or worker-failed jobs")
    for worker in summary.unhealthy_workers:
        lines.append(
            f"unhealthy worker {safe(worker.worker_id, 60)} at {safe(worker.address, 60)}: "
            f"last heartbeat {worker.last_heartbeat}"
        )
    return "\n".join(lines) + "\n"

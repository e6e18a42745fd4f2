"""A short account of a snapshot for a CI log or a job summary: what failed, and why.

Markdown output ends up as HTML on GitHub, so every string from the snapshot is
escaped for Markdown and HTML alike; text output is made safe for a terminal.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from renderer import terminal
from renderer.report import times
from renderer.snapshot import states
from renderer.snapshot.catalog import Catalog
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.redaction import DEFAULT, Redactor

ERROR_CHARACTERS = 200  # of each error in the summary
LISTED = 20  # failed jobs and unhealthy workers listed by name


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

    def count(self, state_names: list[str]) -> int:
        return sum(self.jobs_by_state.get(name, 0) for name in state_names)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """The summary `as_json` wrote."""
        return cls(
            **{
                **data,
                "problems": [ProblemJob(**job) for job in data["problems"]],
                "unhealthy_workers": [UnhealthyWorker(**w) for w in data["unhealthy_workers"]],
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


def as_markdown(summary: Summary, title: str | None = None) -> str:
    lines = [f"### {md(title) if title else 'Fluster cluster snapshot'}", ""]
    counts = ", ".join(f"{n} {md(name)}" for name, n in summary.jobs_by_state.items())
    jobs = plural(summary.jobs, "job")
    lines.append(f"Captured {md(summary.captured_at)}: **{jobs}** ({counts or 'none'}).")
    if summary.workers:
        healthy = summary.workers - summary.unhealthy_count
        lines.append(f"Workers: {healthy} of {summary.workers} healthy.")
    lines.append("")
    if summary.problems:
        lines += [
            f"#### {summary.problem_count} failed, unschedulable or worker-failed jobs",
            "",
            "| job | name | state | worker | error |",
            "|---|---|---|---|---|",
        ]
        dash = "\\-"
        for job in summary.problems:
            lines.append(
                f"| {code(job.job_id[:8])} | {md(job.name)} | {md(job.state)} | "
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
    counts = ", ".join(f"{name} {n}" for name, n in summary.jobs_by_state.items())
    lines = [f"captured {summary.captured_at}: {summary.jobs} jobs ({counts or 'none'})"]
    if summary.workers:
        lines.append(
            f"workers: {summary.workers - summary.unhealthy_count} of {summary.workers} healthy"
        )
    if summary.problems:
        lines.append(f"{summary.problem_count} failed, unschedulable or worker-failed jobs:")
        for job in summary.problems:
            where = f" on {safe(job.worker_id, 60)}" if job.worker_id else ""
            lines.append(f"  {job.state:<14} {safe(job.job_id, 40)} {safe(job.name, 60)}{where}")
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

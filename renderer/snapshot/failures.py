"""Failures grouped by the signature of their error, as Sentry groups events by fingerprint.

Twelve jobs failing with "CUDA out of memory. Tried to allocate 2.00 GiB" on twelve
shards are one problem, not twelve. An error's *signature* is its telling line (a
traceback's last line, else its first) with what differs between occurrences of the
same failure normalised away: addresses, URLs and paths, ids and hex digests, times,
and every other number. The exception type and the words of the message are kept.

A group holds the failed, unschedulable and worker-failed jobs, and the tasks of such
iris jobs, whose errors share a signature. Groups are ordered by size, then by their
newest failure, then by signature, so the same snapshot always gives the same list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from renderer.snapshot import model, states

# Task states that count as a failure of the task (iris); preempted tasks are retried.
PROBLEM_TASK_STATES = frozenset(
    {states.FAILED, states.UNSCHEDULABLE, states.WORKER_FAILED, states.COSCHED_FAILED}
)

SIGNATURE_LENGTH = 200  # characters of a signature kept: past this, messages are one failure
_LINE_READ = 2000  # characters of an error's telling line looked at

# Order matters: a URL holds a path and a host, a path holds ids, dates and numbers, an
# address holds digits. Each pattern replaces what it matches with a placeholder the
# later ones skip. No pattern depends on the value of a digit, only on where digits
# are, so renumbering an error never moves it to another group.
_NORMALISE: tuple[tuple[re.Pattern[str], str], ...] = (
    # A URL, without the punctuation that closes the sentence or the quotes around it.
    (re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>`]*[^\s'\"<>`.,;:!?)\]]", re.I), "<url>"),
    (re.compile(r"(?<![\w<])(?:~|\.{1,2})?(?:/[\w.@%+=-]+)+/?"), "<path>"),
    (re.compile(r"\b[a-z]:\\[^\s'\"]*", re.I), "<path>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "<id>"),
    (
        re.compile(
            r"\b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
        ),
        "<time>",
    ),
    (re.compile(r"\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"), "<time>"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), "<addr>"),
    (re.compile(r"\[[0-9a-f:]*:[0-9a-f:]*\](?::\d+)?", re.I), "<addr>"),
    # A bare IPv6 address: eight groups, or fewer around '::'; with a digit, so that
    # neither '::' alone nor a C++ or Rust path (std::vec) is taken for one.
    (
        re.compile(
            r"(?<![\w:])(?=[0-9a-f:]*\d)(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
            r"|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)"
            r"(?:%[\w.-]+)?(?![\w:])",
            re.I,
        ),
        "<addr>",
    ),
    (re.compile(r"\b[a-z][\w-]*(?:\.[a-z][\w-]*)*:\d{2,5}\b", re.I), "<addr>"),
    # An id made of words and numbers (worker-0c5c7fd0, shard_00042, job-17).
    (re.compile(r"\b[a-z][a-z]*(?:[-_][a-z]+)*[-_](?=[\w-]*\d)[\w-]*\w", re.I), "<id>"),
    # 0x1f; any one digit before the x, so that the value of the digit does not count.
    (re.compile(r"\b\dx[0-9a-f]+\b", re.I), "<hex>"),
    # A run of six or more hex characters with a digit and a letter: a digest or a
    # generated id (digits alone are a number, whatever their length).
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b", re.I), "<hex>"),
    # A number; its sign only where it does not join two words or numbers (3-4).
    (re.compile(r"(?:(?<![\w>])[-+])?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?", re.I), "<n>"),
)
_SPACES = re.compile(r"\s+")
# Terminal escape sequences (colours, cursor moves): how an error was coloured is not
# what went wrong.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_TRACEBACK = "Traceback (most recent call last)"


def telling_line(error: str) -> str:
    """The line of an error that says what went wrong, without control characters.

    For a Python traceback that is the line after its frames (the exception and its
    message), of the last traceback when exceptions were chained; for anything else
    the first line with text.
    """
    lines = _ESCAPES.sub("", error).splitlines()
    start = next(
        (i for i in range(len(lines) - 1, -1, -1) if lines[i].lstrip().startswith(_TRACEBACK)),
        None,
    )
    if start is not None:
        # Frames are indented ('  File "x.py", line 3' and its source line); the first
        # line after them that is not is the exception.
        for line in lines[start + 1 :]:
            if not line[:1].isspace() and not line.startswith('File "') and (text := _clean(line)):
                return text
    return next((text for line in lines if (text := _clean(line))), "")


def _clean(line: str) -> str:
    """A line without control and format characters (bidi overrides among them): they
    say nothing a reader needs and would reorder what a terminal shows."""
    return "".join(ch for ch in line[:_LINE_READ] if ch.isprintable() or ch.isspace()).strip()


def signature(error: str | None, exit_code: int | None = None) -> str:
    """What the failures of one kind have in common, as a person can read it."""
    line = telling_line(error or "")
    if not line:
        return (
            "no error message" if exit_code is None else f"no error message, exit code {exit_code}"
        )
    for pattern, placeholder in _NORMALISE:
        line = pattern.sub(placeholder, line)
    line = _SPACES.sub(" ", line).strip()
    return line[:SIGNATURE_LENGTH].rstrip()


def group_key(text: str) -> str:
    """A short stable id of a signature, for links (`#group=KEY`) and anchors."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


@dataclass(frozen=True)
class Failure:
    """One failed job, or one failed task of a job (`task_id` set)."""

    job_id: str
    task_id: str | None
    state: int  # a JobState number, or a TaskState number for a task
    error: str | None
    exit_code: int | None
    at_ms: int | None  # when it failed: finished, else started, else submitted


@dataclass(frozen=True)
class FailureGroup:
    """Failures whose errors share a signature."""

    key: str
    signature: str
    example: Failure  # the newest failure of the group
    count: int  # failures: jobs, and tasks of iris jobs
    job_ids: tuple[str, ...]  # every job with a failure in the group, in the order given
    tasks: int  # how many of the failures are tasks
    by_state: tuple[tuple[int, int], ...]  # (state number, failures), most first
    first_ms: int | None
    last_ms: int | None

    def __hash__(self) -> int:
        # By its key alone: the generated hash walked every job id of the group, and the
        # job list looks a group up for each failed job (17 s of a million-job render).
        return hash(self.key)

    @property
    def jobs(self) -> int:
        return len(self.job_ids)


def job_failure(job: model.JobSummary) -> Failure:
    at = job.finished_at_ms or job.started_at_ms or job.submitted_at_ms
    return Failure(job.job_id, None, job.state, job.error, job.exit_code, at)


def task_failures(job_id: str, tasks: Iterable[model.Task]) -> list[Failure]:
    return [
        Failure(
            job_id, t.task_id, t.state, t.error, t.exit_code, t.finished_at_ms or t.started_at_ms
        )
        for t in tasks
        if t.state in PROBLEM_TASK_STATES
    ]


def failures(
    jobs: Sequence[model.JobSummary],
    tasks_of: Callable[[str], Sequence[model.Task]],
) -> list[Failure]:
    """The failures among `jobs` (in their order): each problem job, or, for a job with
    tasks that failed, each of those tasks (they say more than the job does)."""
    found: list[Failure] = []
    problem = states.PROBLEM_STATES
    for job in jobs:
        # Most of a million jobs are neither in trouble nor hold tasks: two tests.
        if job.state not in problem and not (job.tasks_by_state and _has_failed_task(job)):
            continue
        from_tasks = task_failures(job.job_id, tasks_of(job.job_id)) if job.tasks_by_state else []
        if from_tasks:
            found += from_tasks
        elif job.state in states.PROBLEM_STATES:
            found.append(job_failure(job))
    return found


def _has_failed_task(job: model.JobSummary) -> bool:
    return any(n in PROBLEM_TASK_STATES and c for n, c in job.tasks_by_state)


def group(found: Iterable[Failure]) -> list[FailureGroup]:
    """The failures grouped by signature: the largest group first, then the newest."""
    members: dict[str, list[Failure]] = {}
    signatures: dict[tuple[str | None, int | None], str] = {}  # errors repeat: sign each once
    for failure in found:
        # An error with no text is told apart by its exit code (signature() says so).
        raw = (failure.error, failure.exit_code)
        text = signatures.get(raw)
        if text is None:
            text = signatures[raw] = signature(*raw)
        members.setdefault(text, []).append(failure)
    groups = [_make(text, items) for text, items in members.items()]
    groups.sort(key=lambda g: (-g.count, -(g.last_ms or 0), g.signature))
    return groups


def _make(text: str, items: list[Failure]) -> FailureGroup:
    times = [f.at_ms for f in items if f.at_ms is not None]
    counts: dict[int, int] = {}
    for item in items:
        counts[item.state] = counts.get(item.state, 0) + 1
    newest = max(items, key=lambda f: (f.at_ms or 0, f.job_id, f.task_id or ""))
    return FailureGroup(
        key=group_key(text),
        signature=text,
        example=newest,
        count=len(items),
        job_ids=tuple(dict.fromkeys(f.job_id for f in items)),
        tasks=sum(1 for f in items if f.task_id is not None),
        by_state=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_ms=min(times) if times else None,
        last_ms=max(times) if times else None,
    )

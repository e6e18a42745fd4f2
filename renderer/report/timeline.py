"""The timeline: a Gantt chart of job lifetimes, drawn as inline SVG at render time.

Each job is a row: a thin line while it waited in the queue (submitted to started),
a bar while it ran (started to finished, or to the capture if still running),
coloured by its state. Actions are ticks along the top. Past MAX_JOBS rows the chart
keeps the most relevant jobs (problems, then what ran at capture, then the most
recent) and says how many it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from renderer.report import times
from renderer.snapshot import model, states

MAX_JOBS = 300
MAX_MARKERS = 400
ROW = 14  # pixels per job
LABEL_WIDTH = 220
CHART_WIDTH = 1000
TOP = 34  # room for the time axis and the action ticks


@dataclass(frozen=True, slots=True)
class Bar:
    """One job's row; x and widths in SVG units."""

    y: int
    wait_x: float
    wait_width: float
    run_x: float
    run_width: float
    css_class: str
    label: str
    title: str  # shown on hover: name, state and times
    href: str | None


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    title: str


@dataclass(frozen=True)
class Timeline:
    """The chart's geometry and what it leaves out."""

    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]
    shown: int
    total: int
    start: str
    end: str


def _relevance(job: model.JobSummary) -> tuple[int, int]:
    """Problems first, then jobs running or building at capture, then the most recent."""
    if job.state in states.PROBLEM_STATES:
        group = 0
    elif job.state in (states.RUNNING, states.BUILDING):
        group = 1
    else:
        group = 2
    recent = job.finished_at_ms or job.started_at_ms or job.submitted_at_ms or 0
    return (group, -recent)


def select(jobs: Sequence[model.JobSummary], limit: int = MAX_JOBS) -> list[model.JobSummary]:
    """The jobs the chart shows, in the order they were submitted."""
    timed = [job for job in jobs if (job.submitted_at_ms or job.started_at_ms) is not None]
    chosen = sorted(timed, key=_relevance)[:limit]
    return sorted(
        chosen, key=lambda job: (job.submitted_at_ms or job.started_at_ms or 0, job.job_id)
    )


MAX_TICKS = 10


def _ticks(start: int, end: int, scale: float) -> tuple[Tick, ...]:
    """Round times of day along the axis, at most MAX_TICKS of them whatever the span.

    Times come from the snapshot: a damaged one may span millennia, which must not
    turn into billions of ticks.
    """
    span = max(end - start, 1)
    steps = [60_000 * m for m in (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440)]
    step = next((s for s in steps if span / s <= MAX_TICKS), -(-span // MAX_TICKS))
    first = -(-start // step) * step
    return tuple(
        Tick(LABEL_WIDTH + (at - start) * scale, times.clock(at)[:5])
        for at in range(first, end + 1, step)
    )


def build(
    jobs: Sequence[model.JobSummary],
    actions: Sequence[model.Action],
    captured_at_ms: int | None,
    link: Callable[[str], str | None],
) -> Timeline | None:
    """The chart for these jobs, or None when no job has a time to draw."""
    shown = select(jobs)
    if not shown:
        return None
    starts = [job.submitted_at_ms or job.started_at_ms or 0 for job in shown]
    ends = [job.finished_at_ms or job.started_at_ms or job.submitted_at_ms or 0 for job in shown]
    start = min(starts)
    end = max([*ends, captured_at_ms or 0])
    scale = CHART_WIDTH / max(end - start, 1)

    def x(ms: int) -> float:
        return round(LABEL_WIDTH + (min(max(ms, start), end) - start) * scale, 1)

    bars = []
    for index, job in enumerate(shown):
        submitted = job.submitted_at_ms or job.started_at_ms or start
        began = job.started_at_ms
        finished = job.finished_at_ms if job.finished_at_ms is not None else end
        state = states.state(job.state)
        wait_end = began if began is not None else finished
        title = " · ".join(
            [
                job.name or job.job_id,
                state.label,
                f"submitted {times.utc(job.submitted_at_ms)}",
                f"started {times.utc(job.started_at_ms)}",
                f"finished {times.utc(job.finished_at_ms)}",
            ]
        )[:400]
        bars.append(
            Bar(
                y=TOP + index * ROW,
                wait_x=x(submitted),
                wait_width=max(0.0, x(wait_end) - x(submitted)),
                run_x=x(began) if began is not None else x(finished),
                run_width=max(1.5, x(finished) - x(began)) if began is not None else 0.0,
                css_class=state.css_class,
                label=(job.name or job.job_id)[:40],
                title=title,
                href=link(job.job_id),
            )
        )
    timed_actions = [
        a for a in actions if a.timestamp_ms is not None and start <= a.timestamp_ms <= end
    ]
    markers = tuple(
        Marker(
            x(a.timestamp_ms or start),
            f"{times.clock(a.timestamp_ms)} {a.action or ''} {a.details or ''}"[:200],
        )
        for a in timed_actions[:MAX_MARKERS]
    )
    return Timeline(
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=TOP + len(shown) * ROW + 6,
        label_width=LABEL_WIDTH,
        bars=tuple(bars),
        ticks=_ticks(start, end, scale),
        markers=markers,
        shown=len(shown),
        total=len(jobs),
        start=times.utc(start),
        end=times.utc(end),
    )

"""A history of reports in one folder, with retention, a lock and an index page.

`archive` renders a snapshot into DIR/<capture-time>-<label>/, then rewrites
DIR/index.html: every kept report, newest first, with its counts by state, its failed
jobs and a trend of failures. Each report carries report.json (its summary), so the
index is rebuilt from those files without reading snapshots again.

Two runs at once take turns on a lock file. A run that fails leaves the archive as it
was: the report is swapped in only when complete, and the index and pruning follow.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from renderer import files
from renderer.report import templates, times
from renderer.report.bundle import RenderResult, render_bundle
from renderer.report.plan import RenderOptions, standalone_chrome
from renderer.report.publish import MARKER, Writer, write_assets
from renderer.report.views import Chrome
from renderer.snapshot import states
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.loading import Snapshot
from renderer.snapshot.redaction import DEFAULT, Redactor
from renderer.workflow.summary import Summary, summarize

SUMMARY_FILE = "report.json"
LOCK_FILE = ".archive.lock"
_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNITS_MS = {"s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


class ArchiveError(Exception):
    """The archive cannot be updated as asked; the text says why, in one line."""


def parse_age(text: str) -> int:
    """'30d', '12h', '90m' as milliseconds."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ArchiveError(f"not an age: {text!r} (use a number and s, m, h, d or w, e.g. 30d)")
    return int(match.group(1)) * _UNITS_MS[match.group(2)]


def folder_name(captured_at_ms: int | None, label: str | None, now_ms: int) -> str:
    """'20261129T021337Z-nightly': sorts by capture time, readable, safe on any disk."""
    moment = times.iso(captured_at_ms if captured_at_ms is not None else now_ms) or "unknown"
    stamp = moment[:19].replace("-", "").replace(":", "") + "Z"
    slug = re.sub(r"[^a-z0-9]+", "-", (label or "").lower()).strip("-")[:40]
    return f"{stamp}-{slug}" if slug else stamp


@dataclass(frozen=True)
class Entry:
    """One report of the archive, as its report.json describes it."""

    folder: str
    label: str
    summary: Summary
    archived_at_ms: int


@dataclass(frozen=True)
class ArchiveResult:
    report: RenderResult
    index: Path
    kept: list[str]
    pruned: list[str]


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold the archive's lock; a second run waits for the first."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def archive(
    snapshots: Sequence[Snapshot],
    into: Path,
    *,
    label: str | None = None,
    keep: int | None = None,
    max_age_ms: int | None = None,
    now_ms: int | None = None,
    options: RenderOptions | None = None,
    redactor: Redactor = DEFAULT,
) -> ArchiveResult:
    """Render the snapshots into the archive, prune it by the policy and rewrite its index."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    into = into.absolute()
    sources = open_sources(snapshots)
    summary = summarize(sources, redactor)  # report.json and the index: secrets hidden
    name = folder_name(summary.captured_at_ms, label, now_ms)
    entry = Entry(name, label or "", summary, now_ms)
    with _locked(into):
        report = render_bundle(
            sources,
            into / name,
            options or RenderOptions(title=label),
            extra={SUMMARY_FILE: _entry_json(entry)},
        )
        entries = read_entries(into)
        kept, pruned = _retain(entries, keep, max_age_ms, now_ms, protect=name)
        _write_index(into, kept)
        for folder in pruned:
            shutil.rmtree(into / folder, ignore_errors=True)
    return ArchiveResult(report, into / "index.html", [e.folder for e in kept], pruned)


def _entry_json(entry: Entry) -> bytes:
    return json.dumps(asdict(entry), indent=2, ensure_ascii=False).encode()


def read_entries(into: Path) -> list[Entry]:
    """The reports of the archive, newest capture first; folders without a summary are skipped."""
    entries = []
    for folder in sorted(into.iterdir()):
        summary_file = folder / SUMMARY_FILE
        if not folder.is_dir() or not (folder / MARKER).exists() or not summary_file.exists():
            continue
        try:
            data = json.loads(summary_file.read_text())
            entry = Entry(
                folder=folder.name,
                label=str(data["label"]),
                summary=Summary.from_dict(data["summary"]),
                archived_at_ms=int(data["archived_at_ms"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged summary hides that report from the index, nothing more
        entries.append(entry)
    entries.sort(
        key=lambda e: (e.summary.captured_at_ms or e.archived_at_ms, e.folder), reverse=True
    )
    return entries


def _retain(
    entries: list[Entry], keep: int | None, max_age_ms: int | None, now_ms: int, protect: str
) -> tuple[list[Entry], list[str]]:
    """Entries to keep (newest first) and folders to prune; the new report is always kept."""
    kept, pruned = [], []
    for position, entry in enumerate(entries):
        when = entry.summary.captured_at_ms or entry.archived_at_ms
        too_many = keep is not None and position >= keep
        too_old = max_age_ms is not None and now_ms - when > max_age_ms
        if entry.folder != protect and (too_many or too_old):
            pruned.append(entry.folder)
        else:
            kept.append(entry)
    return kept, pruned


# ---- the index page ----


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class ArchiveIndexPage:
    """The archive's front page: reports newest first and a trend of their failures."""

    chrome: Chrome
    entries: list[Entry]
    states: dict[str, object]
    trend: list[TrendPoint]
    trend_width: int
    trend_height: int
    trend_max: int


TREND_HEIGHT = 80
TREND_BAR = 18


def _trend(entries: list[Entry]) -> tuple[list[TrendPoint], int]:
    """Failures per report, oldest to newest, as bars of an inline SVG chart."""
    oldest_first = list(reversed(entries))
    highest = max((e.summary.problem_count for e in oldest_first), default=0) or 1
    points = []
    for index, entry in enumerate(oldest_first):
        height = round(TREND_HEIGHT * entry.summary.problem_count / highest, 1)
        points.append(
            TrendPoint(
                x=index * (TREND_BAR + 4) + 2,
                y=round(TREND_HEIGHT - height + 2, 1),
                height=height,
                value=entry.summary.problem_count,
                label=f"{entry.summary.captured_at} {entry.label}".strip(),
            )
        )
    return points, highest


def _write_index(into: Path, entries: list[Entry]) -> None:
    trend, highest = _trend(entries)
    names = {name for e in entries for name in e.summary.jobs_by_state}
    page = ArchiveIndexPage(
        chrome=standalone_chrome(
            "index.html",
            "archive",
            "Report history",
            entries[0].summary.captured_at_ms if entries else None,
            None,
        ),
        entries=entries,
        states={name: states.state_by_name(name) for name in names},
        trend=trend,
        trend_width=max(len(trend) * (TREND_BAR + 4) + 4, 100),
        trend_height=TREND_HEIGHT + 16,
        trend_max=highest,
    )
    writer = Writer(into)
    write_assets(writer)
    files.write_atomic(into / "index.html", templates.render("archive.html", page).encode())

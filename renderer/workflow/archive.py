"""A history of reports in one folder, with retention, a lock and an index page.

`archive` renders a snapshot into DIR/<capture-time>-<label>/, then rewrites
DIR/index.html: every kept report, newest first, with its counts by state, its failed
jobs and a trend of failures. Each report carries report.json (its summary), so the
index is rebuilt from those files without reading snapshots again.

Two runs at once take turns on a lock file. A run that fails leaves the archive as it
was: the report is swapped in only when complete, and the index and pruning follow.

The folder is recognised as an archive by its marker file (`ARCHIVE_MARKER`); a folder
that holds anything else is refused, so an archive run never prunes or rewrites what
it did not write. A report folder's name is unique: a second report whose capture
time and label give the same name gets `-2`, `-3`, ... A damaged `report.json` hides
that report from the index, with a note, and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

from renderer import files, terminal
from renderer.report import templates, times
from renderer.report.bundle import RenderResult, render_bundle
from renderer.report.chrome import standalone_chrome
from renderer.report.context import RenderOptions
from renderer.report.publish import MARKER, Writer, check_inputs, write_assets
from renderer.report.views import Chrome
from renderer.snapshot import states
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.loading import Snapshot
from renderer.snapshot.redaction import DEFAULT, Redactor
from renderer.workflow.summary import Summary, summarize

SUMMARY_FILE = "report.json"
LOCK_FILE = ".archive.lock"
ARCHIVE_MARKER = ".fluster-snapshot-archive"  # marks a folder as an archive of ours
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
    damaged: list[str]  # "folder: why" for each report hidden for a damaged report.json


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


def check_archive(into: Path) -> None:
    """Refuse a folder that is not an archive (a missing or empty one becomes one)."""
    shown = terminal.safe(str(into))
    if os.path.lexists(into) and not into.is_dir():
        raise ArchiveError(f"{shown} exists and is not a folder")
    if not into.is_dir():
        return
    names = {entry.name for entry in os.scandir(into)}
    if names and ARCHIVE_MARKER not in names and LOCK_FILE not in names:
        raise ArchiveError(
            f"{shown} holds files and is not an archive (it has no {ARCHIVE_MARKER}); "
            "give an archive folder, or an empty or new one"
        )
    if (into / "static").is_symlink():
        raise ArchiveError(f"{shown}/static is a symbolic link; an archive's static/ is its own")


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
    into = Path(os.path.abspath(into))
    check_archive(into)
    for snapshot in snapshots:  # an input inside a report folder could be pruned with it
        for folder in _report_folders(into):
            check_inputs(folder, [Path(snapshot.path)], folder=True)
    sources = open_sources(snapshots, redactor)
    summary = summarize(sources, redactor)  # report.json and the index: secrets hidden
    with _locked(into):
        check_archive(into)
        files.write_atomic(into / ARCHIVE_MARKER, b"fluster-snapshot archive\n")
        files.clean_leftovers(into)
        name = _free_name(into, folder_name(summary.captured_at_ms, label, now_ms))
        entry = Entry(name, label or "", summary, now_ms)
        report = render_bundle(
            sources,
            into / name,
            options or RenderOptions(title=label),
            extra={SUMMARY_FILE: _entry_json(entry)},
        )
        entries, damaged = read_entries_checked(into)
        kept, pruned = _retain(entries, keep, max_age_ms, now_ms, protect=name)
        _write_index(into, kept, damaged)
        for pruned_folder in pruned:
            shutil.rmtree(into / pruned_folder, ignore_errors=True)
    return ArchiveResult(report, into / "index.html", [e.folder for e in kept], pruned, damaged)


def _report_folders(into: Path) -> list[Path]:
    if not into.is_dir():
        return []
    return [
        Path(entry.path)
        for entry in os.scandir(into)
        if entry.is_dir(follow_symlinks=False) and entry.name != "static"
    ]


def _free_name(into: Path, name: str) -> str:
    """`name`, or `name-2`, `name-3`, ...: a report never replaces another."""
    candidate, number = name, 1
    while os.path.lexists(into / candidate) or files.is_leftover(candidate):
        number += 1
        candidate = f"{name}-{number}"
    return candidate


def _entry_json(entry: Entry) -> bytes:
    return json.dumps(asdict(entry), indent=2, ensure_ascii=False).encode()


def read_entries(into: Path) -> list[Entry]:
    """The reports of the archive, newest capture first; damaged ones are left out."""
    return read_entries_checked(into)[0]


def read_entries_checked(into: Path) -> tuple[list[Entry], list[str]]:
    """The reports of the archive, newest capture first, and "folder: why" for each report
    whose report.json is damaged (it is left out). Folders that are not reports of ours,
    and what a killed run left behind, are not reports."""
    entries, damaged = [], []
    for folder in sorted(into.iterdir()):
        summary_file = folder / SUMMARY_FILE
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        if not (folder / MARKER).is_file() or not summary_file.is_file():
            continue
        try:
            entry = _entry_from(folder.name, json.loads(summary_file.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
            reason = terminal.safe(str(error).splitlines()[0] if str(error) else "unreadable", 120)
            damaged.append(f"{terminal.safe(folder.name, 80)}: {reason}")
            continue
        entries.append(entry)
    entries.sort(
        key=lambda e: (e.summary.captured_at_ms or e.archived_at_ms, e.folder), reverse=True
    )
    return entries, damaged


_INT_LIMIT = 2**63


def _int(value: Any, key: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= _INT_LIMIT:
        raise ValueError(f"{key} is not a whole number: {str(value)[:40]!r}")
    return value


def _str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def _object(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{key} is not an object")
    return value


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def _state(value: Any, key: str) -> str:
    name = _str(value, key)
    try:
        states.state_by_name(name)
    except KeyError:
        raise ValueError(f"{key} names no job state: {name[:40]!r}") from None
    return name


def _entry_from(folder: str, document: Any) -> Entry:
    """An Entry from a report.json's content, every field checked for its type."""
    data = _object(document, "report.json")
    summary = _object(data["summary"], "summary")
    by_state = _object(summary["jobs_by_state"], "jobs_by_state")
    for name, count in by_state.items():
        _state(name, "jobs_by_state")
        _int(count, f"jobs_by_state[{name[:40]!r}]")  # 1e400 reads as a float: refused
    for job in _list(summary["problems"], "problems"):
        job = _object(job, "problems[]")
        for key in ("job_id", "name", "error", "worker_id"):
            _str(job[key], f"problems[].{key}")
        _state(job["state"], "problems[].state")
    for worker in _list(summary["unhealthy_workers"], "unhealthy_workers"):
        worker = _object(worker, "unhealthy_workers[]")
        for key in ("worker_id", "address", "last_heartbeat"):
            _str(worker[key], f"unhealthy_workers[].{key}")
        _int(worker["consecutive_failures"], "consecutive_failures", optional=True)
    _int(summary["captured_at_ms"], "captured_at_ms", optional=True)
    _str(summary["captured_at"], "captured_at")
    for key in ("jobs", "problem_count", "unhealthy_count", "workers"):
        _int(summary[key], key)
    return Entry(
        folder=folder,
        label=_str(data["label"], "label"),
        summary=Summary.from_dict(summary),
        archived_at_ms=_int(data["archived_at_ms"], "archived_at_ms") or 0,
    )


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

    template: ClassVar[str] = "archive.html"
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


def _write_index(into: Path, entries: list[Entry], damaged: list[str]) -> None:
    trend, highest = _trend(entries)
    names = {name for e in entries for name in e.summary.jobs_by_state}
    note = None
    if damaged:
        # Said in the page's banner: the index template has no other place for it yet.
        note = f"{len(damaged)} report(s) hidden, their report.json is damaged: " + "; ".join(
            damaged[:5]
        )
    page = ArchiveIndexPage(
        chrome=standalone_chrome(
            "index.html",
            "archive",
            "Report history",
            entries[0].summary.captured_at_ms if entries else None,
            note,
        ),
        entries=entries,
        states={name: states.state_by_name(name) for name in names},
        trend=trend,
        trend_width=max(len(trend) * (TREND_BAR + 4) + 4, 100),
        trend_height=TREND_HEIGHT + 16,
        trend_max=highest,
    )
    _write_static(into)
    files.write_atomic(into / ".nojekyll", b"")
    files.write_atomic(into / "index.html", templates.render(page).encode())


def _write_static(into: Path) -> None:
    """The archive's static/ through a staging folder, swapped in whole: a file or link
    planted in the old one is never written through."""
    target = into / "static"
    if target.is_symlink():
        raise ArchiveError(f"{terminal.safe(str(target))} is a symbolic link; refusing to use it")
    staging = files.temporary_folder(target, "tmp")
    try:
        writer = Writer(staging)
        write_assets(writer)
        (staging / ".nojekyll").unlink()  # the archive's own is at its top
        fresh = staging / "static"
        if not os.path.lexists(target):
            fresh.rename(target)
            return
        old = files.temporary_folder(target, "old")
        os.rename(target, old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

"""The comparison of two snapshots as a page of its own, linked to the two snapshots' reports.

A job or worker of the diff links to its page in a report of the snapshot it comes
from (the newer one, or the older one for what was removed or lost): a report given
with --report / --old-report, or else found beside the snapshot, as `NAME-report/`
(where fluster-dashboard puts it) or `report/` (where the demo does). A folder is
taken for a snapshot's report only when this tool wrote it (its marker) and its banner
names the snapshot's capture time. Where each page lives is worked out as a render
does (renderer.report.sitemap), and a link is kept only when its page holds the anchor
it points to, so a report rendered with other options gives fewer links, never wrong
ones. Without a report, ids are shown whole, as text to copy.
"""

from __future__ import annotations

import dataclasses
import os
import re
import urllib.parse
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from renderer import terminal
from renderer.report import times
from renderer.report.bundle import RenderResult
from renderer.report.chrome import standalone_chrome
from renderer.report.context import RenderOptions, Report
from renderer.report.publish import MARKER, Writer, normalized, publish_folder
from renderer.report.sitemap import OVERVIEW, Site
from renderer.report.templates import render
from renderer.report.views import Chrome, Link, NavItem
from renderer.report.wording import short_id, shown_id
from renderer.snapshot import states
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.states import State
from renderer.workflow.diff import SnapshotDiff

_BANNER_BYTES = 262_144  # the banner is in the first lines of a page
_CAPTURED = re.compile(rb'<time id="captured-at" datetime="([^"]*)"')
_ID = re.compile(rb'\sid="([^"]+)"')


class ReportError(Exception):
    """A folder given as a snapshot's report is not one; the text says why, in one line."""


def report_names(snapshot: Path) -> list[Path]:
    """Where a snapshot's report may lie: NAME-report/ beside it, then report/."""
    return [snapshot.with_name(f"{snapshot.stem}-report"), snapshot.parent / "report"]


@dataclass
class LinkedReport:
    """A report folder whose job and worker pages the diff links to."""

    folder: Path
    href: str  # the folder as a link from the diff's page, ending in '/'
    site: Site
    jobs: Container[str]  # the ids of the jobs the report shows
    _ids: dict[str, frozenset[str] | None] = field(default_factory=dict)  # None: no page

    def _holds(self, target: str) -> bool:
        """Whether the report has the page at `target` ('jobs/detail-0002.html#j-x') and
        the page has the anchor."""
        path, _, anchor = target.partition("#")
        if path not in self._ids:
            try:
                data = (self.folder / path).read_bytes()
            except OSError:
                self._ids[path] = None
            else:
                self._ids[path] = frozenset(m.decode("ascii", "replace") for m in _ID.findall(data))
        found = self._ids[path]
        return found is not None and (not anchor or anchor in found)

    def _link(self, target: str | None) -> str | None:
        return self.href + target if target is not None and self._holds(target) else None

    def job(self, job_id: str) -> str | None:
        return self._link(self.site.job_path(job_id)) if job_id in self.jobs else None

    def worker(self, worker_id: str) -> str | None:
        return self._link(self.site.worker_path(worker_id))

    @property
    def index(self) -> str:
        return self.href + OVERVIEW


def _href(folder: Path, page_folder: Path) -> str:
    """A folder as a relative link from a page in `page_folder`."""
    try:
        relative = os.path.relpath(normalized(folder), normalized(page_folder))
    except ValueError:  # another drive: only an absolute address reaches it
        return normalized(folder).as_uri() + "/"
    return urllib.parse.quote(Path(relative).as_posix()) + "/"


def _captured(folder: Path) -> str | None:
    """The capture time a report's banner names ('2026-11-29T02:13:37.000Z')."""
    try:
        with open(folder / OVERVIEW, "rb") as page:
            head = page.read(_BANNER_BYTES)
    except OSError:
        return None
    found = _CAPTURED.search(head)
    return found.group(1).decode("ascii", "replace") if found else None


def open_report(
    folder: Path, sources: ClusterSources, snapshot: Path, out_dir: Path
) -> LinkedReport:
    """The report of `snapshot` in `folder`, for links from a diff written to `out_dir`."""
    shown = terminal.safe(str(folder))
    if not (folder / MARKER).is_file() or not (folder / OVERVIEW).is_file():
        raise ReportError(f"{shown} is not a report folder written by fluster-snapshot")
    inside = normalized(folder).resolve()
    if inside == normalized(out_dir).resolve() or inside.is_relative_to(
        normalized(out_dir).resolve()
    ):
        raise ReportError(f"{shown} lies inside the diff's output; the diff would replace it")
    expected, found = times.iso(sources.captured_at_ms), _captured(folder)
    if found != expected:
        when = times.utc(sources.captured_at_ms)
        raise ReportError(
            f"{shown} is not a report of {terminal.safe(str(snapshot))}: it shows a snapshot "
            f"captured {terminal.safe(found or 'at an unknown time', 40)}, the file was "
            f"captured {when}"
        )
    report = Report(sources, RenderOptions())
    return LinkedReport(folder, _href(folder, out_dir), report.site, report.catalog.by_id)


def find_report(snapshot: Path, sources: ClusterSources, out_dir: Path) -> LinkedReport | None:
    """The report of `snapshot` beside it, if there is one."""
    for folder in report_names(snapshot):
        if folder.is_dir():
            try:
                return open_report(folder, sources, snapshot, out_dir)
            except ReportError:
                continue
    return None


@dataclass(frozen=True)
class DiffLinks:
    """Links from the diff's page: to the newer snapshot's report and to the older's."""

    new: LinkedReport | None = None
    old: LinkedReport | None = None

    def job(self, job_id: str, side: str = "new") -> Link:
        """A job's whole id, linked to its page in the report of that side, if any."""
        report = self.old if side == "old" else self.new
        return Link(shown_id(job_id), report.job(job_id) if report is not None else None)

    def short_job(self, job_id: str, side: str = "new") -> Link:
        """As `job`, shortened as the report's tables shorten ids."""
        return dataclasses.replace(self.job(job_id, side), text=short_id(job_id))

    def worker(self, worker_id: str, side: str = "new") -> Link:
        report = self.old if side == "old" else self.new
        href = report.worker(worker_id) if report is not None else None
        return Link(shown_id(worker_id), href)

    def nav(self) -> tuple[NavItem, ...]:
        """The page itself, then the reports (one item when both sides share it)."""
        items = [NavItem("What changed", OVERVIEW, True)]
        if self.new is not None:
            items.append(NavItem("Newer report", self.new.index, False))
        if self.old is not None and (self.new is None or self.old.index != self.new.index):
            items.append(NavItem("Older report", self.old.index, False))
        return tuple(items)


@dataclass(frozen=True)
class DiffPage:
    """Two snapshots compared."""

    template: ClassVar[str] = "diff.html"
    chrome: Chrome
    diff: SnapshotDiff
    states: dict[str, State]  # state names in the diff, for their badges
    links: DiffLinks


def render_diff(
    diff: SnapshotDiff,
    out_dir: Path,
    title: str | None,
    force: bool = False,
    links: DiffLinks | None = None,
) -> RenderResult:
    """Write the comparison of two snapshots as a one-page report at `out_dir`."""
    links = links or DiffLinks()
    names = {
        *(c.before for c in diff.state_changes),
        *(c.after for c in diff.state_changes),
        *(j.state for j in (*diff.jobs_added, *diff.jobs_removed)),
        *(name for g in (*diff.groups_new, *diff.groups_grown) for name in g.by_state),
    }
    chrome = standalone_chrome("index.html", "diff", "What changed", diff.new_captured_at_ms, title)
    page = DiffPage(
        chrome=dataclasses.replace(chrome, nav=links.nav()),
        diff=diff,
        # Failure groups count iris's task states too; their names include the jobs'.
        states={name: states.task_state_by_name(name) for name in names},
        links=links,
    )

    def fill(root: Path) -> tuple[int, int]:
        writer = Writer(root)
        writer.text("index.html", render(page))
        return writer.count, writer.size

    count, size = publish_folder(out_dir, force, fill)
    return RenderResult(out_dir.absolute() / "index.html", count, size)

"""Render a report: run the build tasks (in several processes for a large cluster) and
write their pages through renderer.report.publish, as a folder or a single file.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from renderer.report import templates
from renderer.report.assets import asset_dir
from renderer.report.build import all_pages, tasks
from renderer.report.plan import PageOut, Plan, RenderOptions, Task, TextOut, standalone_chrome
from renderer.report.publish import (
    Writer,
    check_single_file,
    check_target,
    publish_file,
    publish_folder,
)
from renderer.report.views import Chrome, DiffPage, Section, SingleFilePage
from renderer.snapshot import states
from renderer.snapshot.cluster import ClusterSources
from renderer.workflow.diff import SnapshotDiff


@dataclass(frozen=True)
class RenderResult:
    path: Path  # index.html, or the single file
    files: int
    bytes: int


Progress = Callable[[int, int], None]  # (tasks done, tasks in all)

# Below this many jobs a render takes well under a second: one process is simplest.
PARALLEL_FROM_JOBS = 5000


def render_bundle(
    sources: ClusterSources,
    out_dir: Path,
    options: RenderOptions,
    force: bool = False,
    progress: Progress | None = None,
    extra: Mapping[str, bytes] | None = None,
) -> RenderResult:
    """Render the sources into a folder of static pages at `out_dir`.

    `extra` files (path in the bundle to content) are written along with the pages.
    """
    check_target(out_dir.absolute(), force)  # before any work: say no early
    with without_cycle_collection():
        plan = Plan(sources, options)

        def fill(root: Path) -> tuple[int, int]:
            count, size = _write_pages(plan, root, progress)
            writer = Writer(root)
            for path, data in (extra or {}).items():
                writer.data(path, data)
            return count + writer.count, size + writer.size

        count, size = publish_folder(out_dir, force, fill)
    return RenderResult(out_dir.absolute() / "index.html", count, size)


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a render runs.

    A render holds millions of objects until it ends and makes almost no reference
    cycles, so each pass of the collector walks them all for nothing: about a tenth
    of a large render's time. Peak memory is the same (see `make bench`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write_pages(plan: Plan, root: Path, progress: Progress | None) -> tuple[int, int]:
    work = tasks(plan)
    count = size = 0
    for done, (written, bytes_) in enumerate(_run_tasks(work, root, _processes(plan)), 1):
        count, size = count + written, size + bytes_
        if progress is not None:
            progress(done, len(work))
    return count, size


def _processes(plan: Plan) -> int:
    """Worker processes for the render: one per core for a large cluster, where forking works."""
    if len(plan.jobs_in_order) < PARALLEL_FROM_JOBS:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


# What forked workers need; set just before the pool forks, so they inherit it.
_SHARED: tuple[list[Task], Path] | None = None


def _run_task(index: int) -> tuple[int, int]:
    """Build and write one task's pages; returns (files, bytes)."""
    assert _SHARED is not None
    work, root = _SHARED
    writer = Writer(root)
    for output in work[index]():
        if isinstance(output, TextOut):
            writer.text(output.path, output.text)
        else:
            writer.text(output.path, templates.render(output.template, output.model))
    return writer.count, writer.size


def _run_tasks(work: list[Task], root: Path, processes: int) -> Iterator[tuple[int, int]]:
    global _SHARED
    _SHARED = (work, root)
    try:
        if processes == 1:
            yield from map(_run_task, range(len(work)))
            return
        for template in ("overview.html", "jobs.html", "job_detail.html", "worker.html"):
            templates.environment().get_template(template)  # compile once, before forking
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            yield from pool.imap_unordered(_run_task, range(len(work)), chunksize=2)
    finally:
        _SHARED = None


# ---- a diff ----


def render_diff(
    diff: SnapshotDiff, out_dir: Path, title: str | None, force: bool = False
) -> RenderResult:
    """Write the comparison of two snapshots as a one-page report at `out_dir`."""
    names = {
        name
        for name in [
            *(c.before for c in diff.state_changes),
            *(c.after for c in diff.state_changes),
            *(j.state for j in (*diff.jobs_added, *diff.jobs_removed)),
        ]
    }
    page = DiffPage(
        chrome=standalone_chrome(
            "index.html", "diff", "What changed", diff.new_captured_at_ms, title
        ),
        diff=diff,
        states={name: states.state_by_name(name) for name in names},
    )

    def fill(root: Path) -> tuple[int, int]:
        writer = Writer(root)
        writer.text("index.html", templates.render("diff.html", page))
        return writer.count, writer.size

    count, size = publish_folder(out_dir, force, fill)
    return RenderResult(out_dir.absolute() / "index.html", count, size)


# ---- single file ----


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def render_single_file(
    sources: ClusterSources, out_file: Path, options: RenderOptions
) -> RenderResult:
    """Render the whole report into one HTML file with its stylesheet and script inline."""
    out_file = out_file.absolute()
    check_single_file(out_file)
    single = RenderOptions(options.title, options.log_lines, single_file=True)
    with without_cycle_collection():
        return _write_single_file(Plan(sources, single), out_file)


def _write_single_file(plan: Plan, out_file: Path) -> RenderResult:
    pages = [output for output in all_pages(plan) if isinstance(output, PageOut)]
    sections = tuple(
        Section(
            section_id=page.model.chrome.section_id,  # type: ignore[attr-defined]
            page_id=page.model.chrome.page_id,  # type: ignore[attr-defined]
            view=page.model.chrome.view,  # type: ignore[attr-defined]
            # Output of an autoescaping template: already safe HTML.
            html=Markup(templates.render_block(page.template, "content", page.model)),  # noqa: S704
        )
        for page in pages
    )
    style = (asset_dir("static") / "style.css").read_text()
    script = (asset_dir("static") / "app.js").read_text()
    first: Chrome = pages[0].model.chrome  # type: ignore[attr-defined]
    # One header for every section: no link in it is "the current page".
    chrome = dataclasses.replace(
        first, nav=tuple(dataclasses.replace(item, current=False) for item in first.nav)
    )
    document = SingleFilePage(
        chrome=chrome,
        sections=sections,
        style=Markup(style),  # noqa: S704 - the bundle's own stylesheet, not snapshot data
        script=Markup(script),  # noqa: S704 - the bundle's own script
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
    )
    text = templates.render("single.html", document)
    data = text.encode("utf-8")
    publish_file(out_file, data)
    return RenderResult(out_file, 1, len(data))

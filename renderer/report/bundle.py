"""Write a bundle: render every page into a staging folder, then swap it into place.

Nothing is written at `--out` until the whole bundle is ready, so a failure midway
leaves the previous bundle as it was and no partial files behind.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import gc
import hashlib
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from renderer import __version__, files
from renderer.report import templates
from renderer.report.assets import STATIC_FILES, asset_dir
from renderer.report.build import all_pages, tasks
from renderer.report.plan import PageOut, Plan, RenderOptions, Task, TextOut, standalone_chrome
from renderer.report.views import Chrome, DiffPage, Section, SingleFilePage
from renderer.snapshot import states
from renderer.snapshot.cluster import ClusterSources
from renderer.workflow.diff import SnapshotDiff

MARKER = ".fluster-snapshot"  # marks a folder as a bundle this tool may replace


class OutputError(Exception):
    """The output cannot be written where asked; the text says why, in one line."""


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
    _check_target(out_dir.absolute(), force)  # before any work: say no early
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


def publish_folder(
    out_dir: Path, force: bool, fill: Callable[[Path], tuple[int, int]]
) -> tuple[int, int]:
    """Fill a staging folder beside `out_dir` with a report, then swap it into place.

    The folder also gets the stylesheet, the script, .nojekyll and the marker that lets
    a later run replace it. On any failure `out_dir` is left exactly as it was.
    """
    out_dir = out_dir.absolute()
    _check_target(out_dir, force)
    staging = files.sibling(out_dir, "tmp")
    try:
        staging.mkdir(parents=True)
        count, size = fill(staging)
        writer = Writer(staging)
        write_assets(writer)
        writer.text(MARKER, f"fluster-snapshot {__version__}\n")
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count + writer.count, size + writer.size


def write_assets(writer: Writer) -> None:
    """The stylesheet and script every report links to, and .nojekyll for GitHub Pages."""
    for name in STATIC_FILES:
        writer.data(f"static/{name}", (asset_dir("static") / name).read_bytes())
    writer.text(".nojekyll", "")  # GitHub Pages: serve every file as it is


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


class Writer:
    """Writes files under a root; paths come from renderer.report.sitemap and never leave it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.size = 0
        self._made: set[Path] = set()

    def text(self, relative: str, text: str) -> None:
        self.data(relative, text.encode("utf-8"))

    def data(self, relative: str, data: bytes) -> None:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise OutputError(f"refusing to write outside the bundle: {relative!r}")
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        path.write_bytes(data)
        self.count += 1
        self.size += len(data)


def _check_target(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a folder")
    if (
        out_dir.is_dir()
        and any(out_dir.iterdir())
        and not (out_dir / MARKER).exists()
        and not force
    ):
        raise OutputError(
            f"{out_dir} is not empty and holds no earlier report; "
            "choose another folder or pass --force to replace it"
        )
    if not out_dir.parent.is_dir():
        out_dir.parent.mkdir(parents=True, exist_ok=True)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames; the old bundle goes only at the end."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = files.sibling(out_dir, "old")
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except OSError:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


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
    if out_file.exists() and not out_file.is_file():
        raise OutputError(f"{out_file} exists and is not a file")
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
    out_file.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    files.write_atomic(out_file, data)
    return RenderResult(out_file, 1, len(data))

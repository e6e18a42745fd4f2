"""Render a report: run its build tasks (in several processes for a large cluster) and
write their pages through renderer.report.publish, as a folder or as a single file."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from markupsafe import Markup

from renderer.cycles import without_cycle_collection
from renderer.report import assets, sitemap, templates
from renderer.report.contents import last_tasks, tasks
from renderer.report.context import Page, RenderOptions, Report, Task, TextFile
from renderer.report.publish import (
    Writer,
    check_single_file,
    check_target,
    publish_file,
    publish_folder,
)
from renderer.report.views import Chrome, Section, SingleFilePage
from renderer.snapshot.cluster import ClusterSources
from renderer.snapshot.redaction import Redactor


@dataclass(frozen=True)
class RenderResult:
    path: Path  # index.html, or the single file
    files: int
    bytes: int
    redacted: int = 0  # values shown as [redacted], counted each time one is shown


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
        report = Report(sources, options)

        def fill(root: Path) -> tuple[int, int]:
            count, size = _write_pages(report, root, progress)
            writer = Writer(root)
            for path, data in (extra or {}).items():
                writer.data(path, data)
            return count + writer.count, size + writer.size

        count, size = publish_folder(out_dir, force, fill)
    return RenderResult(out_dir.absolute() / "index.html", count, size, report.redacted)


def _write_pages(report: Report, root: Path, progress: Progress | None) -> tuple[int, int]:
    """Run every task, then the last ones (which report what the others redacted)."""
    first, last = tasks(report), last_tasks(report)
    redactor = report.catalog.sources.redactor
    report.redacted = redactor.count if redactor is not None else 0  # building the catalog
    count = size = 0
    done = 0
    for work, processes in ((first, _processes(report)), (last, 1)):
        for written, bytes_, redacted in _run_tasks(work, root, processes, redactor, _run_task):
            count, size, done = count + written, size + bytes_, done + 1
            report.redacted += redacted
            if progress is not None:
                progress(done, len(first) + len(last))
    return count, size


def _processes(report: Report) -> int:
    """Processes for the render: as asked, else one per core for a large cluster."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if report.options.processes is not None:
        return max(1, report.options.processes)
    if len(report.catalog.jobs) < PARALLEL_FROM_JOBS:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


# What forked workers need; set just before the pool forks, so they inherit it. The
# path is the folder to write into, or None for the sections of a single file (the
# flag: whether they are packed).
_SHARED: tuple[list[Task], Path | None, Redactor | None, bool] | None = None


def _run_task(index: int) -> tuple[int, int, int]:
    """Build and write one task's pages; returns (files, bytes, values redacted)."""
    assert _SHARED is not None
    work, root, redactor, _ = _SHARED
    assert root is not None
    before = redactor.count if redactor is not None else 0
    build, arguments = work[index]
    writer = Writer(root)
    for output in build(*arguments):
        if isinstance(output, TextFile):
            writer.text(output.path, output.text)
        else:
            writer.text(output.path, templates.render(output.view))
    redacted = redactor.count - before if redactor is not None else 0
    return writer.count, writer.size, redacted


Result = TypeVar("Result")


def _run_tasks(
    work: list[Task],
    root: Path | None,
    processes: int,
    redactor: Redactor | None,
    run: Callable[[int], Result],
    pack: bool = False,
) -> Iterator[Result]:
    """`run(i)` for each task, in `processes` forked processes; results in task order
    for a single file (`root` None), whose sections keep that order."""
    global _SHARED
    _SHARED = (work, root, redactor, pack)
    try:
        if processes == 1:
            yield from map(run, range(len(work)))
            return
        templates.compile_all()  # once, before forking
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            if root is None:
                yield from pool.imap(run, range(len(work)), chunksize=1)
            else:
                yield from pool.imap_unordered(run, range(len(work)), chunksize=2)
    finally:
        _SHARED = None


# ---- single file ----

# Larger than this, a single file is too large for most mail: the command says so.
MAIL_BYTES = 25_000_000


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def packed_text(text: str) -> str:
    """Text as a packed single file holds it: gzip (no time stamp: the same text gives
    the same bytes), in base64; the script unpacks it with DecompressionStream."""
    data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(data).decode("ascii")


def unpacked_text(packed: str) -> str:
    """The text `packed_text` packed (for tests and for reading a file by hand)."""
    return gzip.decompress(base64.b64decode(packed)).decode("utf-8")


def render_single_file(
    sources: ClusterSources, out_file: Path, options: RenderOptions, force: bool = False
) -> RenderResult:
    """Render the whole report into one HTML file with its stylesheet and script inline.

    A large report is packed (`Report.packed`): every page but the front one is
    compressed, and its lists are one page each (the script shows every row).
    """
    out_file = out_file.absolute()
    check_single_file(out_file, force)
    single = dataclasses.replace(options, single_file=True)
    with without_cycle_collection():
        return _write_single_file(Report(sources, single), out_file, force)


# A page as a section of a single file: its chrome, its html or packed html (and
# whether it is packed); when packing, the ids in it (a list's data links to its jobs'
# and workers' anchors as well) and the in-document links it has.
_Made = tuple[Chrome, str, bool, tuple[str, ...], frozenset[str]]
_IDS = re.compile(r' id="([^"]+)"')
_FRONT = sitemap.section_id(sitemap.OVERVIEW)
_LINKS = re.compile(r' href="#([^"]+)"')


def _build_sections(index: int) -> tuple[list[_Made], int]:
    """One task's pages as sections of a single file; and the values it redacted."""
    assert _SHARED is not None
    work, _, redactor, pack = _SHARED
    before = redactor.count if redactor is not None else 0
    build, arguments = work[index]
    made = []
    for output in build(*arguments):
        if not isinstance(output, Page):
            continue  # plain-text logs: their lines are on the page
        html = str(templates.render_content(output.view))
        links = frozenset(_LINKS.findall(html)) if pack else frozenset()
        if pack and output.path != sitemap.OVERVIEW:  # the front page shows at once
            ids = tuple(_IDS.findall(html))
            made.append((output.view.chrome, packed_text(html), True, ids, links))
        else:
            made.append((output.view.chrome, html, False, (), links))
    redacted = redactor.count - before if redactor is not None else 0
    return made, redacted


def _targets(pages: list[_Made]) -> dict[str, str]:
    """Which packed page holds each id a link may lead to: jobs' and workers' anchors
    (the lists link them from data), and any id a page links to in another page. A
    job's row ("r-") is in the jobs list."""
    holder: dict[str, str] = {}
    for chrome, _, _, ids, _ in pages:
        for found in ids:
            holder.setdefault(found, chrome.section_id)
    targets = {"r-": sitemap.section_id(sitemap.JOBS_INDEX)}
    for chrome, _, _, _, links in pages:
        for link in links:
            place = holder.get(link)
            if place is not None and place != chrome.section_id:
                targets[link] = place
    for anchor, place in holder.items():
        if anchor.startswith(("j-", "w-")):
            targets.setdefault(anchor, place)
    return targets


def _write_single_file(report: Report, out_file: Path, force: bool) -> RenderResult:
    redactor = report.catalog.sources.redactor
    pack = report.packed
    report.redacted = redactor.count if redactor is not None else 0  # building the catalog
    parts: list[list[_Made]] = []
    for work, processes in ((tasks(report), _processes(report)), (last_tasks(report), 1)):
        made: list[_Made] = []
        for pages, redacted in _run_tasks(work, None, processes, redactor, _build_sections, pack):
            made += pages
            report.redacted += redacted
        parts.append(made)
    first, last = parts
    # The front page first (the overview, or a report without a controller's own
    # index.html): it shows when the fragment names no page.
    pages = sorted([*last, *first], key=lambda made: made[0].section_id != _FRONT)
    sections = []
    for chrome, content, packed, _, _ in pages:
        sections.append(
            Section(
                section_id=chrome.section_id,
                page_id=chrome.page_id,
                view=chrome.view,
                # Output of an autoescaping template: already safe HTML.
                html=Markup("" if packed else content),  # noqa: S704
                packed=content if packed else "",
            )
        )
    style, script = assets.stylesheet(), assets.script()
    front = pages[0][0]
    # One header for every section: no link in it is "the current page".
    chrome = dataclasses.replace(
        front, nav=tuple(dataclasses.replace(item, current=False) for item in front.nav)
    )
    document = SingleFilePage(
        chrome=chrome,
        sections=tuple(sections),
        style=Markup(style),  # noqa: S704 - the bundle's own stylesheet, not snapshot data
        script=Markup(script),  # noqa: S704 - the bundle's own script
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
        targets=packed_text(json.dumps(_targets(pages), sort_keys=True)) if pack else "",
        summary=report.options.summary_only,
    )
    data = templates.render(document).encode("utf-8")
    publish_file(out_file, data, force)
    return RenderResult(out_file, 1, len(data), report.redacted)

"""Write a bundle: render every page into a staging folder, then swap it into place.

Nothing is written at `--out` until the whole bundle is ready, so a failure midway
leaves the previous bundle as it was and no partial files behind.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from renderer import __version__, files, html
from renderer.assets import STATIC_FILES, asset_dir
from renderer.build import Plan, RenderOptions, all_pages, log_files
from renderer.pages import Section, SingleFilePage
from renderer.sources import ClusterSources

MARKER = ".fluster-snapshot"  # marks a folder as a bundle this tool may replace


class OutputError(Exception):
    """The output cannot be written where asked; the text says why, in one line."""


@dataclass(frozen=True)
class RenderResult:
    path: Path  # index.html, or the single file
    files: int
    bytes: int


def render_bundle(
    sources: ClusterSources, out_dir: Path, options: RenderOptions, force: bool = False
) -> RenderResult:
    """Render the sources into a folder of static pages at `out_dir`."""
    out_dir = out_dir.absolute()
    _check_target(out_dir, force)
    plan = Plan(sources, options)
    staging = files.sibling(out_dir, "tmp")
    try:
        count, size = _write_all(plan, staging)
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(out_dir / "index.html", count, size)


def _write_all(plan: Plan, root: Path) -> tuple[int, int]:
    root.mkdir(parents=True)
    written = _Writer(root)
    for page in all_pages(plan):
        written.text(page.path, html.render(page.template, page.model))
    for path, text in log_files(plan):
        written.text(path, text)
    for name in STATIC_FILES:
        written.data(f"static/{name}", (asset_dir("static") / name).read_bytes())
    written.text(".nojekyll", "")  # GitHub Pages: serve every file as it is
    written.text(MARKER, f"fluster-snapshot {__version__}\n")
    return written.count, written.size


class _Writer:
    """Writes files under a root; paths come from renderer.site and never leave it."""

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
    plan = Plan(sources, single)
    pages = list(all_pages(plan))
    sections = tuple(
        Section(
            section_id=page.model.chrome.section_id,  # type: ignore[attr-defined]
            page_id=page.model.chrome.page_id,  # type: ignore[attr-defined]
            view=page.model.chrome.view,  # type: ignore[attr-defined]
            # Output of an autoescaping template: already safe HTML.
            html=Markup(html.render_block(page.template, "content", page.model)),  # noqa: S704
        )
        for page in pages
    )
    style = (asset_dir("static") / "style.css").read_text()
    script = (asset_dir("static") / "app.js").read_text()
    document = SingleFilePage(
        chrome=pages[0].model.chrome,  # type: ignore[attr-defined]
        sections=sections,
        style=Markup(style),  # noqa: S704 - the bundle's own stylesheet, not snapshot data
        script=Markup(script),  # noqa: S704 - the bundle's own script
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
    )
    text = html.render("single.html", document)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    files.write_atomic(out_file, data)
    return RenderResult(out_file, 1, len(data))

"""Publish a report: fill a staging folder, then swap it into place; write inside it only.

Nothing is written at the target until the whole report is ready, so a failure midway
leaves the previous report as it was and no partial files behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from renderer import __version__, files
from renderer.report import assets

MARKER = ".fluster-snapshot"  # marks a folder as a bundle this tool may replace


class OutputError(Exception):
    """The output cannot be written where asked; the text says why, in one line."""


def publish_folder(
    out_dir: Path, force: bool, fill: Callable[[Path], tuple[int, int]]
) -> tuple[int, int]:
    """Fill a staging folder beside `out_dir` with a report, then swap it into place.

    The folder also gets the stylesheet, the script, .nojekyll and the marker that lets
    a later run replace it. On any failure `out_dir` is left exactly as it was.
    """
    out_dir = out_dir.absolute()
    check_target(out_dir, force)
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
    for name, data in assets.static_files().items():
        writer.data(f"static/{name}", data)
    writer.text(".nojekyll", "")  # GitHub Pages: serve every file as it is


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


def check_target(out_dir: Path, force: bool) -> None:
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


def check_single_file(out_file: Path) -> None:
    """Say no early to a single-file report that cannot go where asked."""
    if out_file.exists() and not out_file.is_file():
        raise OutputError(f"{out_file} exists and is not a file")


def publish_file(out_file: Path, data: bytes) -> None:
    """Write a single-file report in one step: readers see the old file or the new one."""
    check_single_file(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    files.write_atomic(out_file, data)

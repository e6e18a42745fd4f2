"""Publish a report: fill a staging folder, then swap it into place; write inside it only.

Nothing is written at the target until the whole report is ready, so a failure midway
leaves the previous report as it was and no partial files behind.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from renderer import __version__, files, terminal
from renderer.report import assets

MARKER = ".fluster-snapshot"  # marks a folder as a bundle this tool may replace

# Marks a single-file report this tool may replace: the template writes it in <head>,
# before the inline stylesheet, so it lies within the first SNIFF_BYTES of the file.
SINGLE_FILE_MARKER = '<meta name="generator" content="fluster-snapshot single-file">'
SNIFF_BYTES = 65536
# Single-file reports written before the marker: the generator and a hashed script.
_EARLIER_SINGLE_FILE = ('<meta name="generator" content="fluster-snapshot">', "script-src 'sha256-")


class OutputError(Exception):
    """The output cannot be written where asked; the text says why, in one line."""


def _shown(path: Path) -> str:
    return terminal.safe(str(path))


def normalized(path: Path) -> Path:
    """An absolute path with `.` and `..` worked out, symbolic links left as they are."""
    return Path(os.path.abspath(path))


def _refuse_special(target: Path) -> None:
    """Never replace the file system's root, the current folder, the home folder or a
    folder holding either: a report goes into a folder of its own."""
    resolved = target.resolve()
    if resolved == Path(resolved.anchor):
        raise OutputError(f"{_shown(target)} is the root of the file system; choose a folder")
    for name, place in (("current folder", Path.cwd()), ("home folder", Path.home())):
        with_links = place.resolve()
        if with_links == resolved or with_links.is_relative_to(resolved):
            raise OutputError(
                f"{_shown(target)} is or holds the {name}, which is never replaced; "
                "choose a folder of its own"
            )


def check_inputs(output: Path, inputs: Iterable[Path], folder: bool) -> None:
    """Refuse an output that is an input, or (for a folder) holds one: even with --force."""
    out = normalized(output).resolve()
    for given in inputs:
        source = normalized(given).resolve()
        inside = folder and source.is_relative_to(out)
        same = source == out or (out.exists() and source.exists() and os.path.samefile(source, out))
        if inside or same:
            where = "is" if same else "lies inside"
            raise OutputError(
                f"{_shown(given)} is an input and {where} the output {_shown(output)}; "
                "write the report somewhere else"
            )


def publish_folder(
    out_dir: Path, force: bool, fill: Callable[[Path], tuple[int, int]]
) -> tuple[int, int]:
    """Fill a staging folder beside `out_dir` with a report, then swap it into place.

    The folder also gets the stylesheet, the script, .nojekyll and the marker that lets
    a later run replace it. On any failure `out_dir` is left exactly as it was.
    """
    out_dir = normalized(out_dir)
    check_target(out_dir, force)
    files.clean_leftovers(out_dir.parent, out_dir.name)
    staging = files.temporary_folder(out_dir, "tmp")
    try:
        count, size = fill(staging)
        writer = Writer(staging)
        write_assets(writer)
        writer.text(MARKER, f"fluster-snapshot {__version__}\n")
        _swap_in(staging, out_dir)
    except OSError as error:
        files.name_target(error, out_dir)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count + writer.count, size + writer.size


def write_assets(writer: Writer) -> None:
    """The stylesheet and script every report links to, and .nojekyll for GitHub Pages."""
    for name, data in assets.static_files().items():
        writer.data(f"static/{name}", data)
    writer.text(".nojekyll", "")  # GitHub Pages: serve every file as it is


class Writer:
    """Writes new files under a root; paths come from renderer.report.sitemap and never leave it.

    A file is created exclusively and never opened through a link: the root is a fresh
    staging folder, so a name that exists already means something is wrong.
    """

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
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        with os.fdopen(handle, "wb") as stream:
            if os.fstat(handle).st_nlink > 1:  # checked before a byte of it changes
                raise OutputError(f"refusing to write through a hard link: {relative!r}")
            stream.truncate(0)
            stream.write(data)
        self.count += 1
        self.size += len(data)


def check_target(out_dir: Path, force: bool) -> None:
    """Say no early to a folder report that cannot, or must not, go where asked."""
    out_dir = normalized(out_dir)
    _refuse_special(out_dir)
    if out_dir.is_symlink():
        raise OutputError(
            f"{_shown(out_dir)} is a symbolic link; give the folder it points to "
            f"({_shown(out_dir.resolve())}) or another name"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{_shown(out_dir)} exists and is not a folder")
    if (
        out_dir.is_dir()
        and any(out_dir.iterdir())
        and not (out_dir / MARKER).is_file()
        and not force
    ):
        raise OutputError(
            f"{_shown(out_dir)} is not empty and holds no earlier report; "
            "choose another folder or pass --force to replace it"
        )
    _make_parent(out_dir)


def _make_parent(target: Path) -> None:
    if target.parent.is_dir():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{_shown(target)}: cannot make its folder: {error.strerror or error}"
        ) from None


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames; the old bundle goes only at the end."""
    if not os.path.lexists(out_dir):
        staging.rename(out_dir)
        return
    old = files.temporary_folder(out_dir, "old")  # empty and ours: the rename replaces it
    os.rename(out_dir, old)
    try:
        staging.rename(out_dir)
    except OSError:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def is_single_file_report(path: Path) -> bool:
    """Whether a file is a single-file report this tool wrote (and may replace)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return SINGLE_FILE_MARKER in head or all(sign in head for sign in _EARLIER_SINGLE_FILE)


def check_single_file(out_file: Path, force: bool = False) -> None:
    """Say no early to a single-file report that cannot, or must not, go where asked."""
    out_file = normalized(out_file)
    if out_file.is_symlink():
        raise OutputError(f"{_shown(out_file)} is a symbolic link; give the file's own path")
    if out_file.exists() and not out_file.is_file():
        raise OutputError(f"{_shown(out_file)} exists and is not a file")
    if out_file.exists() and not force and not is_single_file_report(out_file):
        raise OutputError(
            f"{_shown(out_file)} exists and is not a single-file report; "
            "choose another name or pass --force to replace it"
        )
    _make_parent(out_file)


def publish_file(out_file: Path, data: bytes, force: bool = False) -> None:
    """Write a single-file report in one step: readers see the old file or the new one."""
    out_file = normalized(out_file)
    check_single_file(out_file, force)
    files.clean_leftovers(out_file.parent, out_file.name)
    files.write_atomic(out_file, data)

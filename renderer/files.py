"""Write files so that a failure never leaves half a file, or a changed old one, behind.

Temporary files and folders get unpredictable names, are created exclusively (a name
that exists, even as a dangling symbolic link, is never opened or followed) and sit
beside their target, so that the final rename is atomic. A rename replaces the
target's directory entry: a symbolic link or a hard link there is replaced, never
written through. Their names, `.NAME.tmp-PID-RANDOM` and `.NAME.old-PID-RANDOM`, let a
later run remove what a killed run left behind (see `clean_leftovers`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

PURPOSES = ("tmp", "old")


def _prefix(path: Path, purpose: str) -> str:
    return f".{path.name}.{purpose}-{os.getpid()}-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_folder(path: Path, purpose: str = "tmp") -> Path:
    """A new empty folder beside `path`, made exclusively, readable as a normal folder is."""
    made = Path(tempfile.mkdtemp(prefix=_prefix(path, purpose), dir=path.parent))
    os.chmod(made, 0o777 & ~_umask())
    return made


def write_atomic(path: Path, data: bytes) -> None:
    """Write through an exclusively created temporary file and rename it over `path`."""
    handle, name = tempfile.mkstemp(prefix=_prefix(path, "tmp"), dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(name, 0o666 & ~_umask())
        os.replace(name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(name)
        name_target(error, path)
        raise


def name_target(error: BaseException, target: Path) -> None:
    """Let an OSError without a file name (a failed write: a full disk) name the target."""
    if isinstance(error, OSError) and error.errno is not None and error.filename is None:
        error.filename = str(target)


def is_leftover(name: str, target: str | None = None) -> bool:
    """Whether a file name is one of our temporary names (of `target`, if given)."""
    return _leftover_pid(name, target) is not None


def _leftover_pid(name: str, target: str | None) -> int | None:
    stem = re.escape(target) if target is not None else r".+"
    match = re.fullmatch(rf"\.{stem}\.(?:tmp|old)-(\d+)-[A-Za-z0-9_]+", name)
    return int(match.group(1)) if match else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process: not ours to judge
    return True


def clean_leftovers(folder: Path, target: str | None = None) -> None:
    """Remove temporary files and folders in `folder` (of `target` only, if given) whose
    process has ended: what a killed run left behind. Links are removed, not followed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        pid = _leftover_pid(entry.name, target)
        if pid is None or _alive(pid):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)

"""Create (or reuse) the Python 3.12 virtual environment that runs the real iris.

The environment lives outside the repository, in the user's cache folder, keyed by the
pins, so a second run reuses it. `python -m tests.iris.env` prints the iris executable;
the live test calls `ensure()`. A missing Python 3.12 is an error saying how to get one.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

# iris has no final release; finelog's newest final lacks what iris's controller imports.
PINS = ("marin-iris[controller]==0.2.227.dev40316220070", "marin-finelog==0.2.71.dev40003900277")

HOW_TO_GET_PYTHON = (
    "iris needs Python 3.12: put python3.12 on PATH, or install it with pyenv "
    "(`pyenv install 3.12`), or set FLUSTER_SNAPSHOT_PYTHON312 to its path"
)


class EnvError(Exception):
    """The iris environment cannot be made; the text says why and what to do."""


def _works(python: str) -> bool:
    try:
        result = subprocess.run(
            [python, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == "True"


def find_python312() -> str:
    """A working Python 3.12 interpreter: the override, PATH, then pyenv's versions."""
    candidates: list[str] = []
    override = os.environ.get("FLUSTER_SNAPSHOT_PYTHON312")
    if override:
        candidates.append(override)
    on_path = shutil.which("python3.12")
    if on_path:
        candidates.append(on_path)  # a pyenv shim may be on PATH and still refuse to run
    roots = [os.environ.get("PYENV_ROOT", "")]
    pyenv = shutil.which("pyenv")
    if pyenv:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            done = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=30)
            roots.append(done.stdout.strip())
    roots.append(str(Path.home() / ".pyenv"))
    for root in filter(None, roots):
        candidates.extend(
            sorted(
                glob.glob(os.path.join(root, "versions", "3.12*", "bin", "python3.12")),
                reverse=True,
            )
        )
    for candidate in candidates:
        if _works(candidate):
            return candidate
    raise EnvError(f"no Python 3.12 found; {HOW_TO_GET_PYTHON}")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha256("\n".join(PINS).encode()).hexdigest()[:12]
    return Path(base) / "fluster-snapshot" / f"iris-venv-{digest}"


def ensure() -> Path:
    """The venv's bin folder, creating the venv first if it is not there yet."""
    venv = cache_dir()
    bin_dir = venv / "bin"
    if (venv / ".complete").exists() and (bin_dir / "iris").exists():
        return bin_dir
    python = find_python312()
    venv.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs at once must not build the same venv: the second waits, then reuses.
    with open(venv.with_name(venv.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / ".complete").exists() and (bin_dir / "iris").exists():
            return bin_dir
        _build(python, venv)
    return bin_dir


def _build(python: str, venv: Path) -> None:
    bin_dir = venv / "bin"
    # A half-made venv (an install that was interrupted) has no marker: start again.
    shutil.rmtree(venv, ignore_errors=True)
    try:
        subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True)
        pip = [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]
        result = subprocess.run([*pip, *PINS], capture_output=True, text=True)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
            raise EnvError(f"installing iris failed: {last}")
    except BaseException:
        shutil.rmtree(venv, ignore_errors=True)
        raise
    (venv / ".complete").write_text("\n".join(PINS) + "\n")


def main() -> int:
    try:
        print(ensure() / "iris")
    except (EnvError, subprocess.CalledProcessError) as error:
        print(f"iris environment: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write files so that a failure never leaves half a file, or a changed old one, behind."""

from __future__ import annotations

import os
from pathlib import Path


def sibling(path: Path, purpose: str) -> Path:
    """A free path beside `path` (same file system, so a rename is atomic)."""
    for attempt in range(1000):
        candidate = path.with_name(f".{path.name}.{purpose}-{os.getpid()}-{attempt}")
        if not candidate.exists():
            return candidate
    raise OSError(f"cannot find a free temporary name beside {path}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename it over `path`."""
    temporary = sibling(path, "tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)

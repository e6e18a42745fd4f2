"""Read a rendered bundle back as text, the way a person would see it."""

from __future__ import annotations

import html
from pathlib import Path


def bundle_text(root: Path) -> str:
    """Every HTML and text file of a bundle, entities decoded, as one string."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".html", ".txt", ".log") and path.is_file():
            parts.append(html.unescape(path.read_text(encoding="utf-8", errors="replace")))
    return "\n".join(parts)

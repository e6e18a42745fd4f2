"""Where the templates and static files are: inside the installed package, or the checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the renderer package

# The stylesheet and script every bundle carries, copied from this explicit list.
STATIC_FILES = ("style.css", "app.js")


def asset_dir(name: str) -> Path:
    """`templates` or `static`: shipped inside the wheel, or beside the package in a checkout."""
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name

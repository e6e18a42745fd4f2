"""The templates and static files: inside the installed package, or beside it in a checkout.

The script every page loads is one classic script (pages open from file://, where
module scripts do not load), written in small files by feature under static/js/ and
joined here in a fixed order, inside one function so the parts share their helpers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the renderer package

# The parts of static/app.js, in the order they are joined.
SCRIPT_PARTS = (
    "core.js",
    "tables.js",
    "vlist.js",
    "job_list.js",
    "workers_list.js",
    "logs.js",
    "detail.js",
    "links.js",
    "site_search.js",
    "keys.js",
    "packed.js",
    "start.js",
)


def asset_dir(name: str) -> Path:
    """`templates` or `static`: shipped inside the wheel, or beside the package in a checkout."""
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


@cache
def stylesheet() -> str:
    return (asset_dir("static") / "style.css").read_text(encoding="utf-8")


@cache
def script() -> str:
    """static/app.js as pages load it: the parts joined in order."""
    parts = [
        (asset_dir("static") / "js" / name).read_text(encoding="utf-8").rstrip() + "\n"
        for name in SCRIPT_PARTS
    ]
    head = "/* fluster-snapshot: the parts in static/js/, joined in order. */\n"
    return head + '(function () {\n  "use strict";\n\n' + "\n".join(parts) + "})();\n"


def static_files() -> dict[str, bytes]:
    """Every file a report carries under static/, by name."""
    return {"style.css": stylesheet().encode("utf-8"), "app.js": script().encode("utf-8")}

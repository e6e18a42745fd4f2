"""Render the golden scenarios and compare them with their expected output.

Each scenario in scenarios/ is a small text-format snapshot; its expected bundle is in
expected/<name>/ (the static files, copied verbatim, are left out). `make
update-golden` rewrites expected/ from the current code; review the diff before
committing it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from renderer.report.bundle import render_bundle, render_single_file
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
EXPECTED = HERE / "expected"
ACTUAL = HERE / "actual"  # git-ignored: what a failing run produced
SKIPPED = ("static/",)
SINGLE_FILE_SCENARIOS = ("small_cluster",)


def scenario_names() -> list[str]:
    return sorted(path.stem for path in SCENARIOS.glob("*.txtpb"))


def render_scenario(name: str, out: Path) -> None:
    """Render one scenario into `out` (replacing it): the bundle, and a single file for some."""
    if out.exists():
        shutil.rmtree(out)
    sources = open_sources([loading.load(SCENARIOS / f"{name}.txtpb")])
    options = RenderOptions(title=f"Golden scenario: {name}")
    render_bundle(sources, out / "bundle", options)
    if name in SINGLE_FILE_SCENARIOS:
        render_single_file(sources, out / "single.html", options)


def output_files(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not any(f"/{skip}" in f"/{relative}" for skip in SKIPPED):
            data = path.read_bytes()
            files[relative] = _without_inline_assets(data) if relative == "single.html" else data
    return files


def _without_inline_assets(data: bytes) -> bytes:
    """The single file minus its copies of static/ (and their hashes): those are not golden."""
    text = data.decode()
    text = re.sub(r"'sha256-[A-Za-z0-9+/=]+'", "'sha256-(asset)'", text)
    text = re.sub(
        r"<style>.*?</style>", "<style>(static/style.css)</style>", text, count=1, flags=re.S
    )
    text = re.sub(
        r"<script>.*?</script>", "<script>(static/app.js)</script>", text, count=1, flags=re.S
    )
    return text.encode()

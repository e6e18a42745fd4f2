"""Shared fixtures: demo clusters, snapshot files and a way to run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from renderer.reference import demo
from renderer.snapshot import loading
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent

# CI must not go red by luck: the default profile draws the same examples every run.
# `pytest --hypothesis-profile=explore` draws new ones (and has found real bugs).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run fluster-snapshot in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "renderer", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def demo_cluster() -> demo.DemoCluster:
    return demo.simulate(demo.DemoConfig())


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory, demo_cluster: demo.DemoCluster) -> Path:
    """The default demo as a binary cluster snapshot file."""
    path = tmp_path_factory.mktemp("demo") / "cluster.pb"
    path.write_bytes(loading.dump(demo_cluster.to_snapshot(), "binary"))
    return path


# ---- browser: Debian's Chromium through Playwright, opening bundles from file:// ----


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Watched:
    """A page that records console errors, page errors and every request it makes."""

    def __init__(self, page, root: Path) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.root = root
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def open(self, relative: str) -> None:
        self.page.goto(f"{self.root.as_uri()}/{relative}")

    def foreign_requests(self) -> list[str]:
        """Requests for anything but the bundle's own files."""
        prefix = self.root.as_uri() + "/"
        return [
            url for url in self.requests if not (url.startswith(prefix) or url.startswith("data:"))
        ]


@pytest.fixture
def watched(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh browser context; call watched(root) to get a Watched page for a bundle."""
    contexts = []

    def make(root: Path, javascript: bool = True, dark: bool = False, width: int = 1400) -> Watched:
        context = browser.new_context(
            java_script_enabled=javascript,
            color_scheme="dark" if dark else "light",
            viewport={"width": width, "height": 900},
        )
        contexts.append(context)
        return Watched(context.new_page(), root)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory, demo_path: Path) -> Path:
    """The default demo, rendered."""
    from renderer.report.bundle import render_bundle
    from renderer.report.context import RenderOptions
    from renderer.snapshot.cluster import open_sources

    out = tmp_path_factory.mktemp("bundle") / "report"
    render_bundle(open_sources([loading.load(demo_path)]), out, RenderOptions(title="Demo"))
    return out

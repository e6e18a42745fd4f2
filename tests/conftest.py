"""Shared fixtures: demo clusters, snapshot files and a way to run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from renderer import demo, loading

ROOT = Path(__file__).resolve().parent.parent


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

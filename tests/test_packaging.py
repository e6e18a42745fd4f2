"""A plain (non-editable) install from the wheel gives a working CLI with its assets."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("fluster_snapshot-*.whl")
    return found


def test_wheel_carries_templates_static_files_and_gencode(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "renderer/snapshot/schema/cluster_pb2.py" in names
    for folder in ("templates", "static"):
        shipped = {
            p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()
        }
        assert {f"renderer/{name}" for name in shipped} <= names


@pytest.mark.slow
def test_cli_works_from_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    script = env_dir / "bin" / "fluster-snapshot"
    out = tmp_path / "demo"
    # Run away from the source tree, so nothing can be found there by accident.
    result = subprocess.run(
        [script, "demo", "--out", str(out), "--jobs", "20", "--workers", "3"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    inspected = subprocess.run(
        [script, "inspect", str(out / "cluster.pb")], capture_output=True, text=True, check=True
    )
    assert "jobs:             20" in inspected.stdout

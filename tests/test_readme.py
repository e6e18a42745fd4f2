"""The README's GitHub Actions workflows are complete and pass actionlint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

WORKFLOWS = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)


def actionlint() -> str:
    """The actionlint the dev extras install beside this Python (or one on PATH)."""
    beside = Path(sys.executable).with_name("actionlint")
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert found, "actionlint is missing: run `make setup` (it is in the dev extras)"
    return found


def test_the_readme_has_the_workflows() -> None:
    assert len(WORKFLOWS) >= 2
    for workflow in WORKFLOWS:
        assert re.search(r"^on:", workflow, re.MULTILINE), workflow[:80]
        assert re.search(r"^permissions:\n  contents: read", workflow, re.MULTILINE)
        assert "actions/checkout@" in workflow
        assert "actions/setup-python@" in workflow
    together = "\n".join(WORKFLOWS)
    for step in ("upload-artifact@", "GITHUB_STEP_SUMMARY", "artifact-url", "deploy-pages@"):
        assert step in together


def test_every_workflow_passes_actionlint(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for number, workflow in enumerate(WORKFLOWS):
        (folder / f"readme-{number}.yml").write_text(workflow)
    result = subprocess.run(
        [actionlint(), "-no-color", *sorted(str(p) for p in folder.iterdir())],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The check can fail: a workflow with a typo in an expression does not pass."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].replace("steps.upload.outputs", "steps.upload.output"))
    result = subprocess.run(
        [actionlint(), "-no-color", str(broken)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stdout

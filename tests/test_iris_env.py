"""The iris environment script: without a Python 3.12 it says how to get one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.iris import env


def test_no_python_312_is_an_error_saying_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    monkeypatch.setenv("FLUSTER_SNAPSHOT_PYTHON312", str(tmp_path / "python3.12"))
    with pytest.raises(env.EnvError, match=r"pyenv install 3\.12"):
        env.find_python312()


def test_the_environment_is_cached_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert env.cache_dir().parent == tmp_path / "fluster-snapshot"
    assert env.cache_dir().name.startswith("iris-venv-")

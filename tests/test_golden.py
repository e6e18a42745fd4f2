"""Golden output: each scenario renders to exactly the files in tests/gold/expected."""

from __future__ import annotations

import difflib
import shutil

import pytest

from tests.gold.golden import ACTUAL, EXPECTED, output_files, render_scenario, scenario_names


@pytest.mark.parametrize("name", scenario_names())
def test_scenario_matches_golden_output(name: str) -> None:
    actual_root = ACTUAL / name
    render_scenario(name, actual_root)
    actual = output_files(actual_root)
    expected = output_files(EXPECTED / name)
    problems = []
    for missing in sorted(set(expected) - set(actual)):
        problems.append(f"missing: {missing}")
    for extra in sorted(set(actual) - set(expected)):
        problems.append(f"unexpected: {extra}")
    for path in sorted(set(actual) & set(expected)):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode(errors="replace").splitlines(),
                actual[path].decode(errors="replace").splitlines(),
                f"expected/{name}/{path}",
                f"actual/{name}/{path}",
                lineterm="",
                n=2,
            )
            problems.append("\n".join(list(diff)[:80]))
    if problems:
        pytest.fail(
            f"{name} differs from its golden output (the whole output is in {actual_root};"
            " run `make update-golden` if the change is intended):\n" + "\n".join(problems)
        )
    shutil.rmtree(actual_root)


def test_rendering_twice_gives_identical_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in scenario_names():
        render_scenario(name, tmp_path / "first")
        render_scenario(name, tmp_path / "second")
        assert output_files(tmp_path / "first") == output_files(tmp_path / "second")

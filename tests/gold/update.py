"""Rewrite the expected golden output from the current code: `make update-golden`."""

from __future__ import annotations

import shutil

from tests.gold.golden import EXPECTED, render_scenario, scenario_names


def main() -> None:
    if EXPECTED.exists():
        shutil.rmtree(EXPECTED)
    for name in scenario_names():
        render_scenario(name, EXPECTED / name)
        shutil.rmtree(EXPECTED / name / "bundle" / "static", ignore_errors=True)
        print(f"updated tests/gold/expected/{name}")


if __name__ == "__main__":
    main()

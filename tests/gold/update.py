"""Rewrite the expected golden output from the current code: `make update-golden`."""

from __future__ import annotations

import shutil

from tests.gold.golden import EXPECTED, output_files, render_scenario, scenario_names


def main() -> None:
    if EXPECTED.exists():
        shutil.rmtree(EXPECTED)
    for name in scenario_names():
        folder = EXPECTED / name
        render_scenario(name, folder)
        shutil.rmtree(folder / "bundle" / "static", ignore_errors=True)
        single = folder / "single.html"
        if single.exists():  # kept without the copies of static/ that it inlines
            single.write_bytes(output_files(folder)["single.html"])
        print(f"updated tests/gold/expected/{name}")


if __name__ == "__main__":
    main()

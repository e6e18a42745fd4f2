"""Time what a person waits for in Chromium, opening a bundle from file://."""

from __future__ import annotations

from pathlib import Path

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

# One keystroke in the jobs filter, until the list is drawn and a frame has passed.
KEYSTROKE = """async () => {
  const input = document.querySelector('[data-search-input]');
  const started = performance.now();
  input.value = input.value + 'e';
  input.dispatchEvent(new Event('input'));
  await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}"""


# A click on a column of the workers table, until the rows are in order and drawn.
SORT_WORKERS = """async () => {
  const button = document.querySelector('#all-workers thead th[data-column="address"] button');
  const started = performance.now();
  button.click();
  await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}"""


def timings(bundle: Path, repeats: int = 3) -> dict[str, float]:
    """Milliseconds: overview loaded, jobs list usable, a filter keystroke answered,
    the workers list loaded and sorted by address."""
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {
        "overview_ms": [],
        "jobs_list_ms": [],
        "keystroke_ms": [],
        "workers_list_ms": [],
        "workers_sort_ms": [],
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for _ in range(repeats):
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto((bundle / "index.html").as_uri(), wait_until="load")
            page.wait_for_selector('body[data-enhanced="true"]')
            results["overview_ms"].append(
                page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            )
            page.goto((bundle / "jobs" / "index.html").as_uri(), wait_until="load")
            page.wait_for_selector('body[data-jobs-ready="true"]', timeout=60_000)
            results["jobs_list_ms"].append(float(page.get_attribute("body", "data-ready-ms") or 0))
            page.fill("[data-search-input]", "sweep-lr-")
            results["keystroke_ms"].append(page.evaluate(KEYSTROKE))
            page.goto((bundle / "workers" / "index.html").as_uri(), wait_until="load")
            page.wait_for_selector('body[data-enhanced="true"]')
            results["workers_list_ms"].append(
                page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            )
            results["workers_sort_ms"].append(page.evaluate(SORT_WORKERS))
            page.context.close()
        browser.close()
    return {name: sorted(values)[len(values) // 2] for name, values in results.items()}

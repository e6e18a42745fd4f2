"""Time what a person waits for in Chromium, opening a bundle from file://."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

# Until the page has been drawn after what the function did: a frame, then a task.
_DRAWN = "await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));"

# One keystroke in a list's filter, until the list is drawn.
KEYSTROKE = (
    """async (key) => {
  const input = document.querySelector('[data-search-input]');
  const started = performance.now();
  input.value = input.value + key;
  input.dispatchEvent(new Event('input'));
  """
    + _DRAWN
    + """
  return performance.now() - started;
}"""
)

# A click on an element, until the page is drawn again.
CLICK = (
    """async (selector) => {
  const target = document.querySelector(selector);
  const started = performance.now();
  target.click();
  """
    + _DRAWN
    + """
  return performance.now() - started;
}"""
)

# A click on the single file's Jobs link, until the list of every job is usable.
OPEN_JOBS = """async () => {
  const started = performance.now();
  document.querySelector('.nav a[href="#p-jobs-index"]').click();
  while (document.body.getAttribute('data-jobs-ready') !== 'true') {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}"""

# A click on a job of the list, until its page (unpacked if need be) shows.
OPEN_JOB = """async () => {
  const started = performance.now();
  document.querySelector('#p-jobs-index #jobs-table tbody td.id a').click();
  while (!document.querySelector('article.job:target')) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}"""

# Every 20 ms from the page's start, how late the page answered a timer: the longest
# wait past the list's usable moment, while it loads its parts, is how long a
# keystroke could wait then.
LATENESS = """
window.__late = [];
(function () {
  var last = performance.now();
  setInterval(function () {
    var now = performance.now();
    window.__late.push([now, now - last - 20]);
    last = now;
  }, 20);
})();
"""
LONGEST_WAIT = """() => {
  const usable = Number(document.body.getAttribute('data-ready-ms'));
  const complete = Number(document.body.getAttribute('data-complete-ms'));
  const late = window.__late.filter(([at]) => at > usable && at <= complete + 20);
  return Math.max(0, ...late.map(([, wait]) => wait));
}"""

LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd"
SORT_ADDRESS = '#all-workers thead th[data-column="address"] button'
SORT_NAME = '#jobs-table thead th[data-column="name"] button'
SORT_DURATION = '#jobs-table thead th[data-column="duration"] button'


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def _page(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


def blank_page(bundle: Path) -> Path:
    """The baseline page: the bundle's stylesheet and script around one line of text
    (beside the bundle, which stays as rendered)."""
    path = bundle.parent / f"blank-{bundle.name}.html"
    path.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title>'
        f'<link rel="stylesheet" href="{bundle.name}/static/style.css">'
        f'<script src="{bundle.name}/static/app.js" defer></script></head>'
        "<body><main>A page with nothing on it.</main></body></html>\n"
    )
    return path


def timings(bundle: Path, repeats: int = 3, jobs: bool = True) -> dict[str, float]:
    """Milliseconds: a blank page loaded (the baseline), the overview loaded, the jobs
    list usable, holding every job (and the longest it kept a keystroke waiting
    meanwhile), answering a keystroke in its filter, sorted by name
    (text) and by duration (numbers), a click on its Failed chip; the workers
    list usable, sorted by address, a keystroke in its search and a click on its health
    chip answered."""
    from playwright.sync_api import sync_playwright

    blank = blank_page(bundle)
    results: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        results.setdefault(name, []).append(value)

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        for _ in range(repeats):
            page = _page(browser)
            page.add_init_script(LATENESS)
            page.goto(blank.as_uri(), wait_until="load")
            page.wait_for_selector('body[data-enhanced="true"]')
            add("blank_ms", page.evaluate(LOADED))
            if jobs:
                page.goto((bundle / "index.html").as_uri(), wait_until="load")
                page.wait_for_selector('body[data-enhanced="true"]')
                add("overview_ms", page.evaluate(LOADED))
                page.goto((bundle / "jobs" / "index.html").as_uri(), wait_until="load")
                page.wait_for_selector('body[data-jobs-ready="true"]', timeout=60_000)
                add("jobs_list_ms", float(page.get_attribute("body", "data-ready-ms") or 0))
                # A large list loads the rest of its rows after it is usable.
                page.wait_for_selector(
                    'body[data-jobs-complete="true"]', state="attached", timeout=120_000
                )
                add("jobs_complete_ms", float(page.get_attribute("body", "data-complete-ms") or 0))
                add("jobs_loading_wait_ms", page.evaluate(LONGEST_WAIT))
                page.fill("[data-search-input]", "sweep-lr-")
                add("keystroke_ms", page.evaluate(KEYSTROKE, "e"))
                page.fill("[data-search-input]", "")
                add("jobs_sort_ms", page.evaluate(CLICK, SORT_NAME))
                add("jobs_sort_number_ms", page.evaluate(CLICK, SORT_DURATION))
                add("jobs_chip_ms", page.evaluate(CLICK, '[data-filter-state="failed"]'))
            page.goto((bundle / "workers" / "index.html").as_uri(), wait_until="load")
            page.wait_for_selector('body[data-workers-ready="true"]', timeout=60_000)
            add("workers_list_ms", float(page.get_attribute("body", "data-ready-ms") or 0))
            add("workers_sort_ms", page.evaluate(CLICK, SORT_ADDRESS))
            add("workers_keystroke_ms", page.evaluate(KEYSTROKE, "1"))
            page.fill("[data-search-input]", "")
            add("workers_chip_ms", page.evaluate(CLICK, '[data-filter-state="unhealthy"]'))
            page.context.close()
        browser.close()
    return {name: _median(values) for name, values in results.items()}


def single_file_timings(report: Path, repeats: int = 3) -> dict[str, float]:
    """Milliseconds: a single file opened (its front page loaded, with its script),
    then its jobs list usable after a click on Jobs, and a job's page after a click."""
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        for _ in range(repeats):
            page = _page(browser)
            page.goto(report.as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_selector('body[data-enhanced="true"]', timeout=120_000)
            results.setdefault("single_open_ms", []).append(page.evaluate(LOADED))
            results.setdefault("single_jobs_ms", []).append(page.evaluate(OPEN_JOBS))
            results.setdefault("single_job_ms", []).append(page.evaluate(OPEN_JOB))
            page.context.close()
        browser.close()
    return {name: _median(values) for name, values in results.items()}

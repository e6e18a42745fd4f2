"""Take the README's screenshots of a rendered report, in Debian's Chromium from file://.

    python docs/screenshots.py REPORT_DIR OUT_DIR

Writes overview.png (the front page), failed-job.png (the first job that needs
attention and has a log, opened from the overview) and worker.png (the worker it ran
on) to OUT_DIR.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

# Run as a script: the repository root, which holds tests/chromium.py, is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.chromium import CHROMIUM, CHROMIUM_ARGS


def main() -> None:
    report, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto((report / "index.html").as_uri())
        page.screenshot(path=out / "overview.png")
        # The first problem whose worker was captured: its page shows a log.
        links = page.eval_on_selector_all(
            "#problems-table tbody tr td.id a", "links => links.map(a => a.href)"
        )
        for link in links:
            page.goto(link)
            page.wait_for_selector("article.job:target")
            if page.query_selector("article.job:target .attempt.current [data-log]"):
                break
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=out / "failed-job.png")
        page.click("article.job:target .attempt.current h3 a")
        page.wait_for_selector("article.worker-section:target")
        page.screenshot(path=out / "worker.png")
        browser.close()
    print(f"screenshots: {out}")


if __name__ == "__main__":
    main()

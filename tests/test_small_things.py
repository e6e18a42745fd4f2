"""What people expect from Allure, coverage.py and GitHub, in Chromium from file://.

Log line anchors (#<log id>-L120) that show the line, copy-link buttons that put the
right address on the clipboard, "Jump to first error", the keyboard shortcuts dialog,
dates on times from another day than the capture, and plurals that agree with their
counts. Each test runs at 1,280 px in the light and the dark scheme.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from renderer.reference import demo
from renderer.report import logs
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from tests.conftest import ROOT, Watched, run_cli

# Waits run in Playwright's own world: the bundle's CSP forbids eval in the page's.
COPIED = re.compile(r"\bcopied\b")

pytestmark = pytest.mark.browser

SCHEMES = pytest.mark.parametrize("scheme", ["light", "dark"])
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def opened(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    """opened(root, scheme, clipboard=False, script=''): a Watched page at 1,280 px."""
    contexts = []

    def make(root: Path, scheme: str = "light", clipboard: bool = False, script: str = ""):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"])
        if script:
            context.add_init_script(script)
        contexts.append(context)
        return Watched(context.new_page(), root)

    yield make
    for context in contexts:
        context.close()


def detail_with_error_log(root: Path) -> tuple[str, str, int, int]:
    """A detail page holding a log with a first error: (page, log id, lines, first error)."""
    for page in sorted((root / "jobs").glob("detail-*.html")):
        html = page.read_text()
        for found in re.finditer(
            r'<section class="log" id="([^"]+)"[^>]*data-first-error="(\d+)"', html
        ):
            log = html[found.start() : html.index("</section>", found.start())]
            lines = len(re.findall(r'class="ln ', log))
            if lines >= 100:
                return page.relative_to(root).as_posix(), found.group(1), lines, int(found.group(2))
    raise AssertionError("the demo has a detail page with a long log that ends in an error")


def in_view(page: Any, selector: str) -> bool:
    """Whether the element is inside the window and inside its log's scrolling box."""
    return bool(
        page.eval_on_selector(
            selector,
            """e => {
              const r = e.getBoundingClientRect();
              const box = e.closest('.log-scroll').getBoundingClientRect();
              return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight
                && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
            }""",
        )
    )


def shown_jobs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "article.job", "a => a.filter(e => e.offsetParent).map(e => e.id)"
    )


@SCHEMES
def test_a_log_line_anchor_shows_its_job_scrolled_to_the_line(
    demo_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    relative, log_id, count, _ = detail_with_error_log(demo_bundle)
    view = opened(demo_bundle, scheme)
    page = view.page
    html = (demo_bundle / relative).read_text()
    section = html[html.index(f'id="{log_id}"') :]
    numbers = [
        int(n) for n in re.findall(r'data-n="(\d+)"', section[: section.index("</section>")])
    ]
    number = numbers[len(numbers) // 3]  # far from the bottom, where the box opens
    view.open(f"{relative}#{log_id}-L{number}")
    page.wait_for_selector("body[data-enhanced='true']")
    line = f'#{log_id} .ln[data-n="{number}"]'
    assert page.eval_on_selector(line, "e => e.classList.contains('target')")
    assert in_view(page, line)
    highlight = page.eval_on_selector(line, "e => getComputedStyle(e).backgroundColor")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent")
    # Only the job of that log is shown, as a link to the job shows it; the title names it.
    job_id = page.eval_on_selector(f"#{log_id}", "e => e.closest('article.job').id")
    assert shown_jobs(page) == [job_id]
    name = page.get_attribute(f"#{job_id}", "data-title") or ""
    assert page.title().startswith(name)
    # The number is on the page without script too: the stylesheet shows data-n.
    gutter = page.eval_on_selector(line, "e => getComputedStyle(e, '::before').content")
    assert gutter == "attr(data-n)" or gutter.strip('"') == str(number)
    assert count == len(numbers)
    assert view.errors == []
    assert view.foreign_requests() == []


@SCHEMES
def test_short_forms_of_a_line_anchor_and_a_click_on_a_line_number(
    demo_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    relative, log_id, _, _ = detail_with_error_log(demo_bundle)
    view = opened(demo_bundle, scheme)
    page = view.page
    job_id = log_id.rsplit("-log-", 1)[0]
    # '#<job>-L5' is line 5 of that job's first log.
    view.open(f"{relative}#{job_id}-L5")
    first_log = page.eval_on_selector(f"#{job_id}", "e => e.querySelector('[data-log]').id")
    assert page.eval_on_selector(".ln.target", "e => e.closest('[data-log]').id") == first_log
    assert page.get_attribute(".ln.target", "data-n") == "5"
    # '#L5' is line 5 of the page's first log.
    view.open(f"{relative}#L5")
    page_first_log = page.eval_on_selector("[data-log]", "e => e.id")
    assert page.eval_on_selector(".ln.target", "e => e.closest('[data-log]').id") == page_first_log
    # A click on a line's number puts the line's link in the address and highlights it.
    view.open(f"{relative}#{job_id}")
    line = page.locator(f'#{log_id} .ln[data-n="7"]')
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 8, box["y"] + box["height"] / 2)
    assert page.evaluate("location.hash") == f"#{log_id}-L7"
    assert line.evaluate("e => e.classList.contains('target')")
    # A click on the text of a line selects text, as ever: the address stays.
    other = page.locator(f'#{log_id} .ln[data-n="8"]')
    other_box = other.bounding_box()
    assert other_box is not None
    page.mouse.click(other_box["x"] + other_box["width"] - 20, other_box["y"] + 4)
    assert page.evaluate("location.hash") == f"#{log_id}-L7"
    assert view.errors == []


@SCHEMES
def test_jump_to_first_error_lands_on_the_first_error_line(
    demo_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    relative, log_id, _, first_error = detail_with_error_log(demo_bundle)
    view = opened(demo_bundle, scheme)
    page = view.page
    job_id = log_id.rsplit("-log-", 1)[0]
    view.open(f"{relative}#{job_id}")
    log = page.locator(f"#{log_id}")
    log.locator('[data-log-tab="stdout"]').click()  # the error is on stderr: hidden now
    button = log.locator(".log-jump")
    assert button.text_content() == "Jump to first error"
    button.click()
    target = page.locator(".ln.target")
    assert target.get_attribute("data-n") == str(first_error)
    assert in_view(page, ".ln.target")
    assert log.get_attribute("data-show") == "all"
    # It is the first line the rule in renderer/report/logs.py names, by the page's text.
    lines = log.locator(".ln").evaluate_all(
        "ls => ls.map(l => [l.dataset.n, l.className, l.textContent])"
    )
    expected = next(
        n
        for n, css, text in lines
        if css.split()[1] in logs.ERROR_SOURCES and logs.LOOKS_LIKE_ERROR.search(text)
    )
    assert expected == str(first_error)
    assert page.evaluate("location.hash") == f"#{log_id}-L{first_error}"
    # A log without an error has no such button.
    quiet = page.eval_on_selector_all(
        "[data-log]:not([data-first-error])", "ls => ls.map(l => l.querySelector('.log-jump'))"
    )
    assert all(button is None for button in quiet)
    assert view.errors == []


@SCHEMES
def test_copy_link_puts_the_address_of_the_thing_on_the_clipboard(
    demo_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    relative, log_id, _, first_error = detail_with_error_log(demo_bundle)
    view = opened(demo_bundle, scheme, clipboard=True)
    page = view.page
    job_id = log_id.rsplit("-log-", 1)[0]
    view.open(f"{relative}#{job_id}")
    base = page.evaluate("location.href.split('#')[0]")
    button = page.locator(f"#{job_id} .job-head .copy-link")
    assert button.get_attribute("aria-label", timeout=2000).startswith("Copy link to job ")
    button.focus()
    page.keyboard.press("Enter")  # keyboard accessible
    expect(button).to_have_class(COPIED)
    assert page.evaluate("navigator.clipboard.readText()") == f"{base}#{job_id}"
    assert button.text_content() == "Copied"
    # The highlighted line's own button, in its log's bar.
    page.locator(f"#{log_id} .log-jump").click()
    line_button = page.locator(f"#{log_id} .line-link")
    assert line_button.text_content() == f"Copy link to line {first_error:,}"
    line_button.click()
    expect(line_button).to_have_class(COPIED)
    assert page.evaluate("navigator.clipboard.readText()") == f"{base}#{log_id}-L{first_error}"
    # A worker's page: the link to that worker's section.
    worker = page.eval_on_selector(f"#{job_id} .attempt.current h3 a", "a => a.href")
    page.goto(worker)
    section = page.eval_on_selector("article.worker-section:target", "e => e.id")
    section_button = page.locator(f"#{section} .job-head .copy-link")
    section_button.click()
    expect(section_button).to_have_class(COPIED)
    assert page.evaluate("navigator.clipboard.readText()") == worker
    assert view.errors == []


def test_copy_link_falls_back_to_a_selected_textarea_without_the_clipboard_api(
    demo_bundle: Path, opened
) -> None:  # type: ignore[no-untyped-def]
    # No clipboard API (as in some browsers on file: pages): the script selects the
    # address in a textarea and asks for the copy command; record what it selected.
    script = """
      Object.defineProperty(navigator, 'clipboard', { value: undefined });
      window.copied = [];
      document.execCommand = function (name) {
        const area = document.querySelector('textarea');
        const selected = area.value.slice(area.selectionStart, area.selectionEnd);
        window.copied.push([name, selected]);
        return true;
      };
    """
    relative, log_id, _, _ = detail_with_error_log(demo_bundle)
    view = opened(demo_bundle, script=script)
    page = view.page
    job_id = log_id.rsplit("-log-", 1)[0]
    view.open(f"{relative}#{job_id}")
    page.locator(f"#{job_id} .job-head .copy-link").click()
    base = page.evaluate("location.href.split('#')[0]")
    assert page.evaluate("window.copied") == [["copy", f"{base}#{job_id}"]]
    assert page.locator(f"#{job_id} .job-head .copy-link").text_content() == "Copied"
    assert page.locator("textarea").count() == 0  # the textarea is gone again
    assert view.errors == []


@pytest.fixture(scope="module")
def task_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of the iris checkpoint fixture, whose jobs have tasks."""
    folder = tmp_path_factory.mktemp("tasks")
    checkpoint = ROOT / "tests" / "fixtures" / "iris" / "capture-A"
    captured = run_cli("capture", str(checkpoint), "--out", str(folder / "cluster.pb"))
    assert captured.returncode == 0, captured.stderr
    rendered = run_cli("render", str(folder / "cluster.pb"), "--out", str(folder / "report"))
    assert rendered.returncode == 0, rendered.stderr
    return folder / "report"


def test_copy_link_on_a_task(task_bundle: Path, opened) -> None:  # type: ignore[no-untyped-def]
    view = opened(task_bundle, clipboard=True)
    page = view.page
    detail = next(
        p.relative_to(task_bundle).as_posix()
        for p in sorted((task_bundle / "jobs").glob("detail-*.html"))
        if 'class="attempt task' in p.read_text()
    )
    view.open(detail)
    task = page.eval_on_selector('section.task[id^="t-"]', "e => e.id")
    button = page.locator(f'[id="{task}"] .attempt-head .copy-link')
    assert (button.get_attribute("aria-label") or "").startswith("Copy link to task ")
    button.click()
    expect(button).to_have_class(COPIED)
    base = page.evaluate("location.href.split('#')[0]")
    assert page.evaluate("navigator.clipboard.readText()") == f"{base}#{task}"
    # That link shows the task's job alone.
    view.open(f"{detail}#{task}")
    job = page.eval_on_selector(f'[id="{task}"]', "e => e.closest('article.job').id")
    assert shown_jobs(page) == [job]
    assert view.errors == []


@SCHEMES
def test_question_mark_lists_the_shortcuts_and_escape_closes_them(
    demo_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    view = opened(demo_bundle, scheme)
    page = view.page
    view.open("jobs/index.html")
    page.wait_for_selector("body[data-jobs-ready='true']")
    page.keyboard.press("?")
    dialog = page.locator("dialog.shortcuts")
    assert dialog.is_visible()
    keys = dialog.locator("kbd").all_text_contents()
    assert keys == ["?", "/", "Esc"]
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    # / goes to the header's search box; typed there, ? and / are text, and Esc leaves it.
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("sweep?/")
    assert page.input_value("#site-search") == "sweep?/"
    assert not dialog.is_visible()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement === document.body")
    # The header's search box, when the page has one, is the one / goes to.
    page.evaluate(
        """() => { const box = document.createElement('input'); box.id = 'site-search';
                   document.querySelector('.topbar-inner').appendChild(box); }"""
    )
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"
    assert view.errors == []


CAPTURED_DAY = "2026-11-29"  # the demo's capture; its first jobs were submitted the day before


@SCHEMES
def test_a_time_on_another_day_shows_its_date_in_the_list_and_in_tables(
    demo_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    view = opened(demo_bundle, scheme)
    page = view.page
    cells = """cs => cs.filter(c => c.title && !c.title.startsWith(DAY)).map(c => {
        const when = c.querySelector('.when'), day = when && when.querySelector('.day');
        const cell = c.getBoundingClientRect(), box = when && when.getBoundingClientRect();
        const inside = r => r.left >= cell.left - 0.5 && r.right <= cell.right + 0.5;
        const dayBox = day && day.getBoundingClientRect();
        return [c.textContent, c.title,
                Boolean(day && inside(dayBox) && dayBox.left >= box.left - 0.5
                        && inside(when.lastElementChild.getBoundingClientRect()))];
      })""".replace("DAY", repr(CAPTURED_DAY))
    # The in-page list, drawn by the script, in its narrow time columns.
    view.open("jobs/index.html")
    page.wait_for_selector("body[data-jobs-ready='true']")
    listed = page.eval_on_selector_all('#jobs-table td[title^="20"]', cells)
    assert listed, "the demo has jobs submitted the day before its capture"
    for text, title, whole in listed:
        day = title[5:10]  # '11-28'
        assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2} \d\d:\d\d", text), text
        assert text.endswith(title[11:16]), (text, title)
        assert day == "11-28"
        assert text.startswith("Nov 28 ")
        assert whole, f"{text} is cut in its column"
    # Tables the page wrote: the overview's jobs.
    view.open("index.html")
    written = page.eval_on_selector_all(
        '#overview-jobs td[title^="20"]', cells.replace("c.textContent", "c.firstChild.textContent")
    )
    assert written
    assert all(text.startswith("Nov 28 ") for text, _, _ in written)
    same_day = page.eval_on_selector_all(
        f'#overview-jobs td[title^="{CAPTURED_DAY}"]', "cs => cs.map(c => c.firstChild.textContent)"
    )
    assert same_day
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d", t) for t in same_day)
    # Log lines from before midnight carry their date too.
    dated = [
        p
        for p in sorted((demo_bundle / "jobs").glob("detail-*.html"))
        if '<span class="ts">Nov 28 ' in p.read_text()
    ]
    assert dated
    view.open(dated[0].relative_to(demo_bundle).as_posix())
    stamps = page.eval_on_selector_all(".ln .ts", "ts => ts.map(t => t.textContent)")
    assert any(re.fullmatch(r"Nov 28 \d\d:\d\d:\d\d\.\d{3}", s) for s in stamps)
    assert view.errors == []


@pytest.fixture(scope="module")
def one_job_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cluster of one job on one worker: every count on its pages is 1."""
    cluster = demo.simulate(demo.DemoConfig(jobs=1, workers=1))
    folder = tmp_path_factory.mktemp("one")
    snapshot = folder / "cluster.pb"
    snapshot.write_bytes(loading.dump(cluster.to_snapshot(), "binary"))
    out = folder / "report"
    render_bundle(open_sources([loading.load(snapshot)]), out, RenderOptions())
    return out


@SCHEMES
def test_counts_agree_with_one_and_with_many(
    demo_bundle: Path, one_job_bundle: Path, opened, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    view = opened(one_job_bundle, scheme)
    page = view.page
    view.open("jobs/index.html")
    page.wait_for_selector("body[data-jobs-ready='true']")
    assert page.text_content("#jobs-range") == "1 job"
    assert "1 job, problems first" in (one_job_bundle / "jobs" / "index.html").read_text()
    many = opened(demo_bundle, scheme)
    many.open("jobs/index.html")
    many.page.wait_for_selector("body[data-jobs-ready='true']")
    total = int(many.page.get_attribute("body", "data-jobs-shown") or 0)
    assert many.page.text_content("#jobs-range") == f"{total:,} jobs"
    many.page.click('[data-filter-state="unschedulable"]')
    assert many.page.text_content("#jobs-range") == f"1 of {total:,} jobs"
    # A log's search: one matching line, then many.
    relative, log_id, _, _ = detail_with_error_log(demo_bundle)
    many.open(f"{relative}#{log_id.rsplit('-log-', 1)[0]}")
    log = many.page.locator(f"#{log_id}")
    log.locator("[data-log-search]").fill("Traceback")
    assert log.locator(".log-count").text_content() == "1 matching line"
    log.locator("[data-log-search]").fill("step")
    hits = log.locator(".ln.hit").count()
    assert hits > 1
    assert log.locator(".log-count").text_content() == f"{hits:,} matching lines"
    assert view.errors == []
    assert many.errors == []
